/**
 * The board editor's model: a rectangle of XSB cells edited by tools (wall, floor, goal, box, player,
 * erase), checked after every edit by core/sokoban's own level checks (`parseGrid`: one player,
 * closed walls, as many boxes as goals, at least one box), with any error pointed at its cell.
 */
import type { Level } from '../../../core/sokoban/level.ts'
import { XSB_SYMBOLS, parseGrid } from '../../../core/sokoban/text.ts'
import { LevelParseError, parseXsbLevel, serializeXsb, serializeXsbFile } from '../../../core/sokoban/xsb.ts'

/** Editor cells: XSB symbols, with a space for floor or outside (the flood fill tells them apart). */
export type EditorCell = '#' | ' ' | '.' | '$' | '*' | '@' | '+'

export interface EditorGrid {
  readonly rows: number
  readonly cols: number
  /** Row-major, `rows * cols` long. */
  readonly cells: readonly EditorCell[]
}

export type EditorTool = 'wall' | 'floor' | 'goal' | 'box' | 'player' | 'erase'

export const EDITOR_TOOLS: readonly { readonly tool: EditorTool; readonly label: string; readonly key: string }[] = [
  { tool: 'wall', label: 'Wall', key: 'w' },
  { tool: 'floor', label: 'Floor', key: 'f' },
  { tool: 'goal', label: 'Goal', key: 'g' },
  { tool: 'box', label: 'Box', key: 'b' },
  { tool: 'player', label: 'Player', key: 'p' },
  { tool: 'erase', label: 'Erase', key: 'e' },
]

export const MIN_SIDE = 3
export const MAX_SIDE = 30

const GOAL_OF: Readonly<Record<EditorCell, EditorCell>> = { '#': '.', ' ': '.', '.': '.', $: '*', '*': '*', '@': '+', '+': '+' }
const NO_GOAL: Readonly<Record<EditorCell, EditorCell>> = { '#': '#', ' ': ' ', '.': ' ', $: '$', '*': '$', '@': '@', '+': '@' }

function hasGoal(c: EditorCell): boolean {
  return c === '.' || c === '*' || c === '+'
}

/** A rows × cols room: walls around, floor inside. */
export function emptyGrid(rows: number, cols: number): EditorGrid {
  const cells: EditorCell[] = []
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) cells.push(r === 0 || c === 0 || r === rows - 1 || c === cols - 1 ? '#' : ' ')
  }
  return { rows, cols, cells }
}

/** The grid of a level's start position. */
export function gridFromLevel(level: Level): EditorGrid {
  const lines = serializeXsb(level).split('\n')
  const cells: EditorCell[] = []
  for (const line of lines) {
    const chars = [...line.padEnd(level.cols, ' ')] as EditorCell[]
    cells.push(...chars.slice(0, level.cols))
  }
  return { rows: level.rows, cols: level.cols, cells }
}

/**
 * Applies a tool to a cell. `toggle` (a click, not a drag) takes a goal or box off a cell that
 * already has one. There is one player: placing it moves it.
 */
export function applyTool(grid: EditorGrid, cell: number, tool: EditorTool, toggle = false): EditorGrid {
  if (cell < 0 || cell >= grid.cells.length) return grid
  const cells = grid.cells.slice()
  const c = cells[cell]
  switch (tool) {
    case 'wall':
      cells[cell] = toggle && c === '#' ? ' ' : '#'
      break
    case 'floor':
      cells[cell] = ' '
      break
    case 'goal':
      cells[cell] = toggle && hasGoal(c) ? NO_GOAL[c] : GOAL_OF[c]
      break
    case 'box':
      if (toggle && (c === '$' || c === '*')) cells[cell] = c === '*' ? '.' : ' '
      else cells[cell] = hasGoal(c) ? '*' : '$'
      break
    case 'player':
      for (let i = 0; i < cells.length; i++) {
        if (cells[i] === '@') cells[i] = ' '
        else if (cells[i] === '+') cells[i] = '.'
      }
      cells[cell] = hasGoal(cells[cell]) ? '+' : '@'
      break
    case 'erase':
      // The top-most thing goes: a box or the player first (a goal under it stays), then a goal or a wall.
      cells[cell] = c === '$' || c === '@' ? ' ' : c === '*' || c === '+' ? '.' : ' '
      break
  }
  return { ...grid, cells }
}

/** The grid resized, keeping the top-left part; new cells are floor. */
export function resizeGrid(grid: EditorGrid, rows: number, cols: number): EditorGrid {
  const r2 = Math.max(MIN_SIDE, Math.min(MAX_SIDE, Math.floor(rows)))
  const c2 = Math.max(MIN_SIDE, Math.min(MAX_SIDE, Math.floor(cols)))
  const cells: EditorCell[] = []
  for (let r = 0; r < r2; r++) {
    for (let c = 0; c < c2; c++) cells.push(r < grid.rows && c < grid.cols ? grid.cells[r * grid.cols + c] : ' ')
  }
  return { rows: r2, cols: c2, cells }
}

/** The result of checking a grid. */
export type EditorCheck =
  | {
      readonly ok: true
      readonly level: Level
      /** The level in XSB text, with the title line when one is given (what the task cell stores). */
      readonly xsb: string
      /** The board alone in XSB text (no title). */
      readonly board: string
      readonly boxes: number
    }
  | {
      readonly ok: false
      /** What is wrong, in editor rows and columns (1-based), and how to fix it. */
      readonly message: string
      /** The cell the problem is at, when it has one. */
      readonly cell: number | null
    }

/** The bounding box of the cells that hold anything but a space, or null for an empty grid. */
function bounds(grid: EditorGrid): { top: number; left: number; bottom: number; right: number } | null {
  let top = grid.rows
  let left = grid.cols
  let bottom = -1
  let right = -1
  grid.cells.forEach((c, i) => {
    if (c === ' ') return
    const r = Math.floor(i / grid.cols)
    const col = i % grid.cols
    top = Math.min(top, r)
    bottom = Math.max(bottom, r)
    left = Math.min(left, col)
    right = Math.max(right, col)
  })
  return bottom < 0 ? null : { top, left, bottom, right }
}

/** A parser message about "Grid ..." worded for the editor ("The board ..."). */
function editorMessage(message: string): string {
  if (message.startsWith('Grid: ')) return message.charAt(6).toUpperCase() + message.slice(7)
  if (message.startsWith('Grid ')) return `The board ${message.slice(5)}`
  return message
}

/** Checks a grid with the level checks of core/sokoban; `title` becomes the stored level's title line. */
export function checkGrid(grid: EditorGrid, title?: string): EditorCheck {
  const box = bounds(grid)
  if (box === null) {
    return { ok: false, message: 'The board is empty: draw walls around a floor with a box, a goal and the player.', cell: null }
  }
  const lines: string[] = []
  for (let r = box.top; r <= box.bottom; r++) {
    lines.push(grid.cells.slice(r * grid.cols + box.left, r * grid.cols + box.right + 1).join(''))
  }
  let level: Level
  try {
    level = parseGrid(lines.join('\n'), XSB_SYMBOLS)
  } catch (e) {
    if (!(e instanceof LevelParseError)) throw e
    const located = /line (\d+), column (\d+)/.test(e.message)
    const row = e.line - 1 + box.top
    const col = e.column - 1 + box.left
    const message = editorMessage(e.message).replace(
      /line (\d+), column (\d+)/g,
      (_, l: string, c: string) => `row ${Number(l) + box.top}, column ${Number(c) + box.left}`,
    )
    return { ok: false, message, cell: located ? row * grid.cols + col : null }
  }
  let board: string
  try {
    board = serializeXsb(level)
  } catch (e) {
    // serializeXsb refuses a row that is all outside: the board is two separate pieces.
    if (!(e instanceof Error) || !e.message.startsWith('serializeXsb:')) throw e
    return { ok: false, message: `The board: ${e.message.slice('serializeXsb: '.length)}`, cell: null }
  }
  const name = title?.trim() ?? ''
  let xsb = board
  if (name !== '') {
    try {
      xsb = serializeXsbFile([{ ...parseXsbLevel(board), title: name }]).trimEnd()
    } catch (e) {
      if (!(e instanceof Error) || !e.message.startsWith('serializeXsbFile:')) throw e
      return { ok: false, message: `The title cannot be stored: ${e.message.slice('serializeXsbFile: '.length)}`, cell: null }
    }
  }
  return { ok: true, level: parseXsbLevel(xsb), xsb, board, boxes: level.start.boxes.length }
}
