/**
 * @module core/sokoban/text
 * Text renderers for a Sokoban position, and readers that invert them exactly.
 *
 * The paper's prompt shows the grid with one 4-character cell per square, `" # \t"`, rows joined
 * by `"\n"` and no trailing newline (paper-tasks.md §3.1). Users sweep other symbol sets and
 * layouts as a perturbation, so the renderer takes any `SymbolSet` and `GridLayout`.
 */
import { FLOOR, GOAL, WALL, type Level, type SokobanState } from './level.ts'
import {
  K_BOX,
  K_BOX_ON_GOAL,
  K_FLOOR,
  K_GOAL,
  K_OUTSIDE,
  K_PLAYER,
  K_PLAYER_ON_GOAL,
  K_WALL,
  LevelParseError,
  buildLevel,
  type SourceRow,
} from './xsb.ts'

/** The symbol shown for each kind of cell. */
export interface SymbolSet {
  readonly wall: string
  readonly floor: string
  readonly goal: string
  readonly box: string
  readonly boxOnGoal: string
  readonly player: string
  readonly playerOnGoal: string
  /**
   * Cells outside the walls. When absent they are drawn as walls (the paper's rooms have no
   * outside: everything beyond the border is wall). When equal to `floor`, readers tell the two
   * apart by a flood fill from the edges, as XSB does.
   */
  readonly void?: string
}

/** How cells and rows are laid out around the symbols. */
export interface GridLayout {
  /** Written before every cell's symbol (default none). */
  readonly cellPrefix?: string
  /** Written after every cell's symbol (default none). */
  readonly cellSuffix?: string
  /** Between rows; there is none after the last row (default `"\n"`). */
  readonly rowSeparator?: string
}

/** XSB symbols (environments.md §1); outside cells are spaces like floor. */
export const XSB_SYMBOLS: SymbolSet = Object.freeze({
  wall: '#',
  floor: ' ',
  goal: '.',
  box: '$',
  boxOnGoal: '*',
  player: '@',
  playerOnGoal: '+',
  void: ' ',
})

/** The paper's (RAGEN's) text symbols, paper-tasks.md §3.1; `√` is U+221A. */
export const PAPER_SYMBOLS: SymbolSet = Object.freeze({
  wall: '#',
  floor: '_',
  goal: 'O',
  box: 'X',
  boxOnGoal: '\u221A',
  player: 'P',
  playerOnGoal: 'S',
})

/** reasoning-gym's symbols, environments.md §2.2. They clash with XSB: `@` is a box there. */
export const REASONING_GYM_SYMBOLS: SymbolSet = Object.freeze({
  wall: '+',
  floor: '-',
  goal: 'X',
  box: '@',
  boxOnGoal: '$',
  player: '*',
  playerOnGoal: '%',
})

/** The paper's layout: space, symbol, space, TAB per cell; rows joined by a newline. */
export const PAPER_LAYOUT: Required<GridLayout> = Object.freeze({
  cellPrefix: ' ',
  cellSuffix: ' \t',
  rowSeparator: '\n',
})

const MEANINGS = ['wall', 'floor', 'goal', 'box', 'boxOnGoal', 'player', 'playerOnGoal', 'void'] as const
type Meaning = (typeof MEANINGS)[number]

const KIND_OF_MEANING: Readonly<Record<Meaning, number>> = {
  wall: K_WALL,
  floor: K_FLOOR,
  goal: K_GOAL,
  box: K_BOX,
  boxOnGoal: K_BOX_ON_GOAL,
  player: K_PLAYER,
  playerOnGoal: K_PLAYER_ON_GOAL,
  void: K_OUTSIDE,
}

function fullLayout(layout: GridLayout | undefined): Required<GridLayout> {
  return {
    cellPrefix: layout?.cellPrefix ?? '',
    cellSuffix: layout?.cellSuffix ?? '',
    rowSeparator: layout?.rowSeparator ?? '\n',
  }
}

/**
 * Checks that a symbol set can be read back under a layout: every symbol non-empty, no two
 * meanings sharing a symbol (except void = floor, resolved by flood fill), no symbol containing
 * the row separator, and, with no cell prefix or suffix, no symbol that starts another.
 * Throws an Error that names the clashing meanings.
 */
export function validateSymbolSet(symbols: SymbolSet, layout?: GridLayout): void {
  const { cellPrefix, cellSuffix, rowSeparator } = fullLayout(layout)
  if (rowSeparator === '') throw new Error('Grid layout: rowSeparator must not be empty.')
  const present = MEANINGS.filter((m) => symbols[m] !== undefined)
  for (const m of present) {
    const s = symbols[m] as unknown
    if (typeof s !== 'string' || s === '') {
      throw new Error(`Symbol set: '${m}' must be a non-empty string, got ${JSON.stringify(s)}.`)
    }
    if (s.includes(rowSeparator)) {
      throw new Error(`Symbol set: '${m}' symbol ${JSON.stringify(s)} contains the row separator; choose another.`)
    }
  }
  for (let i = 0; i < present.length; i++) {
    for (let j = i + 1; j < present.length; j++) {
      const a = present[i]
      const b = present[j]
      const sa = symbols[a] as string
      const sb = symbols[b] as string
      if (sa === sb && !(a === 'floor' && b === 'void')) {
        throw new Error(
          `Symbol set is ambiguous: '${a}' and '${b}' are both ${JSON.stringify(sa)}; ` +
            'give each meaning its own symbol.',
        )
      }
      if (cellPrefix === '' && cellSuffix === '' && sa !== sb && (sa.startsWith(sb) || sb.startsWith(sa))) {
        throw new Error(
          `Symbol set is ambiguous without cell delimiters: ${JSON.stringify(sa)} ('${a}') and ` +
            `${JSON.stringify(sb)} ('${b}') start alike; use symbols where none starts another, or set a cellSuffix.`,
        )
      }
    }
  }
}

/** The finished strings of every kind of cell under one symbol set and layout. */
interface CellStrings {
  /** By static cell code (WALL, FLOOR, GOAL, VOID). */
  readonly byFixed: readonly string[]
  readonly box: string
  readonly boxOnGoal: string
  readonly player: string
  readonly playerOnGoal: string
  readonly rowSeparator: string
}

function buildCellStrings(symbols: SymbolSet, layout: GridLayout | undefined): CellStrings {
  const { cellPrefix, cellSuffix, rowSeparator } = fullLayout(layout)
  const wrap = (s: string): string => cellPrefix + s + cellSuffix
  const wall = wrap(symbols.wall)
  return {
    byFixed: [wall, wrap(symbols.floor), wrap(symbols.goal), symbols.void === undefined ? wall : wrap(symbols.void)],
    box: wrap(symbols.box),
    boxOnGoal: wrap(symbols.boxOnGoal),
    player: wrap(symbols.player),
    playerOnGoal: wrap(symbols.playerOnGoal),
    rowSeparator,
  }
}

// The cell strings of the last style drawn, with a copy of that style: callers render many
// positions in one style, and comparing the copy (not the objects, which a caller may change)
// costs less than building the strings again.
let lastStyle: string[] = []
let lastCells: CellStrings | undefined

function cellStrings(symbols: SymbolSet, layout: GridLayout | undefined): CellStrings {
  const style = [
    symbols.wall,
    symbols.floor,
    symbols.goal,
    symbols.box,
    symbols.boxOnGoal,
    symbols.player,
    symbols.playerOnGoal,
    symbols.void ?? '',
    symbols.void === undefined ? 'no void' : 'void',
    layout?.cellPrefix ?? '',
    layout?.cellSuffix ?? '',
    layout?.rowSeparator ?? '\n',
  ]
  if (lastCells === undefined || style.some((part, i) => part !== lastStyle[i])) {
    lastCells = buildCellStrings(symbols, layout)
    lastStyle = style
  }
  return lastCells
}

/** Scratch marks of the movables (1 box, 2 player), cleared after each use. */
let marks = new Uint8Array(0)

function placeMarks(cells: number, state: SokobanState): Uint8Array {
  if (marks.length < cells) marks = new Uint8Array(cells)
  for (const b of state.boxes) marks[b] = 1
  marks[state.player] = 2
  return marks
}

function clearMarks(state: SokobanState): void {
  for (const b of state.boxes) marks[b] = 0
  marks[state.player] = 0
}

/** Row `r` of a position, the movables taken from `marks`. */
function renderRow(level: Level, r: number, cells: CellStrings, movables: Uint8Array): string {
  const { cols, fixed } = level
  let out = ''
  for (let i = r * cols, end = i + cols; i < end; i++) {
    const mark = movables[i]
    if (mark === 0) out += cells.byFixed[fixed[i]]
    else if (mark === 1) out += fixed[i] === GOAL ? cells.boxOnGoal : cells.box
    else out += fixed[i] === GOAL ? cells.playerOnGoal : cells.player
  }
  return out
}

/**
 * Renders a position with any symbol set and layout. Cells are `cellPrefix + symbol + cellSuffix`,
 * concatenated; rows are joined by `rowSeparator` with none after the last row.
 */
export function renderGrid(level: Level, state: SokobanState, symbols: SymbolSet, layout?: GridLayout): string {
  const cells = cellStrings(symbols, layout)
  const movables = placeMarks(level.rows * level.cols, state)
  let out = ''
  for (let r = 0; r < level.rows; r++) {
    if (r > 0) out += cells.rowSeparator
    out += renderRow(level, r, cells, movables)
  }
  clearMarks(state)
  return out
}

/**
 * A renderer of one level's positions, for callers that draw many positions of a level (an
 * episode's prompts): `gridRenderer(level, s, l)(state)` equals `renderGrid(level, state, s, l)`.
 * The rows above the first and below the last row holding a box or the player are drawn once, and
 * the style is read when the renderer is made.
 */
export function gridRenderer(
  level: Level,
  symbols: SymbolSet,
  layout?: GridLayout,
): (state: SokobanState) => string {
  const cells = buildCellStrings(symbols, layout)
  const { rows, cols } = level
  const empty = new Uint8Array(rows * cols)
  const plain = Array.from({ length: rows }, (_, r) => renderRow(level, r, cells, empty))
  const sep = cells.rowSeparator
  // above[r]: rows 0 … r-1, each followed by the separator; below[r]: rows r+1 …, each preceded by it.
  const above: string[] = ['']
  for (let r = 1; r <= rows; r++) above.push(above[r - 1] + plain[r - 1] + sep)
  const below: string[] = new Array<string>(rows)
  below[rows - 1] = ''
  for (let r = rows - 2; r >= 0; r--) below[r] = sep + plain[r + 1] + below[r + 1]
  return (state) => {
    let first = Math.floor(state.player / cols)
    let last = first
    for (const b of state.boxes) {
      const r = Math.floor(b / cols)
      if (r < first) first = r
      else if (r > last) last = r
    }
    const movables = placeMarks(rows * cols, state)
    let out = above[first]
    for (let r = first; r <= last; r++) {
      if (r > first) out += sep
      out += renderRow(level, r, cells, movables)
    }
    clearMarks(state)
    return out + below[last]
  }
}

/** The paper's text grid, byte for byte (paper-tasks.md §3.1): `" # \t"` cells, `"\n"` rows. */
export function renderPaperGrid(level: Level, state: SokobanState): string {
  return renderGrid(level, state, PAPER_SYMBOLS, PAPER_LAYOUT)
}

/**
 * Reads a grid written by `renderGrid` with the same symbols and layout, and returns the level
 * whose start is the position shown. `parseGrid(renderGrid(level, state, s, l), s, l)` gives back
 * `level.fixed` and `state` exactly for every closed level (VOID only comes back when `void` is
 * set). Throws `LevelParseError` (line = row, column in code points) on malformed text and a plain
 * Error on an ambiguous symbol set.
 */
export function parseGrid(text: string, symbols: SymbolSet, layout?: GridLayout): Level {
  validateSymbolSet(symbols, layout)
  const { cellPrefix, cellSuffix, rowSeparator } = fullLayout(layout)
  // Longest symbol first, so a symbol that starts another cannot steal its cell.
  const entries = MEANINGS.filter((m) => symbols[m] !== undefined && !(m === 'void' && symbols.void === symbols.floor))
    .map((m) => ({ meaning: m, symbol: symbols[m] as string, width: [...(symbols[m] as string)].length }))
    .sort((a, b) => b.symbol.length - a.symbol.length)
  const expected = entries.map((e) => JSON.stringify(e.symbol)).join(', ')
  const prefixWidth = [...cellPrefix].length
  const suffixWidth = [...cellSuffix].length
  if (text === '') throw new LevelParseError('Empty grid: nothing to read; pass the rendered grid text.', 1, 1, 0)
  const rowTexts = text.split(rowSeparator)
  const rows: SourceRow[] = []
  rowTexts.forEach((rowText, r) => {
    const line = r + 1
    const cells: SourceRow = { line, kinds: [], columns: [] }
    let at = 0 // UTF-16 offset in the row
    let column = 1 // code-point column of `at`, for messages
    while (at < rowText.length) {
      if (!rowText.startsWith(cellPrefix, at)) {
        throw new LevelParseError(
          `Grid row ${line}, column ${column}: expected the cell prefix ${JSON.stringify(cellPrefix)}.`,
          line,
          column,
          0,
        )
      }
      const symbolAt = at + cellPrefix.length
      const symbolColumn = column + prefixWidth
      const hit = entries.find(
        (e) => rowText.startsWith(e.symbol, symbolAt) && rowText.startsWith(cellSuffix, symbolAt + e.symbol.length),
      )
      if (hit === undefined) {
        const found = [...rowText.slice(symbolAt)][0] ?? ''
        throw new LevelParseError(
          `Grid row ${line}, column ${symbolColumn}: ` +
            `${found === '' ? 'the row ends' : `unexpected ${JSON.stringify(found)}`} ` +
            `where a cell${cellSuffix === '' ? '' : ` followed by ${JSON.stringify(cellSuffix)}`} was expected; ` +
            `cells use ${expected}.`,
          line,
          symbolColumn,
          0,
        )
      }
      cells.kinds.push(KIND_OF_MEANING[hit.meaning])
      cells.columns.push(symbolColumn)
      at = symbolAt + hit.symbol.length + cellSuffix.length
      column = symbolColumn + hit.width + suffixWidth
    }
    if (cells.kinds.length === 0) {
      const hint = r === rowTexts.length - 1 ? ' (remove the trailing row separator)' : ''
      throw new LevelParseError(`Grid row ${line} is empty${hint}.`, line, 1, 0)
    }
    if (rows.length > 0 && cells.kinds.length !== rows[0].kinds.length) {
      throw new LevelParseError(
        `Grid row ${line} has ${cells.kinds.length} cells but row 1 has ${rows[0].kinds.length}; ` +
          'every row must be as wide.',
        line,
        1,
        0,
      )
    }
    rows.push(cells)
  })
  return buildLevel({ rows, firstLine: 1 }, 0, { where: 'Grid', crop: false })
}

/** Static cell code (+ 8 for a box, + 16 for the player) of each paper symbol, by UTF-16 code. */
const PAPER_CELL_OF_CODE = new Map<number, number>([
  [PAPER_SYMBOLS.wall.charCodeAt(0), WALL],
  [PAPER_SYMBOLS.floor.charCodeAt(0), FLOOR],
  [PAPER_SYMBOLS.goal.charCodeAt(0), GOAL],
  [PAPER_SYMBOLS.box.charCodeAt(0), FLOOR + 8],
  [PAPER_SYMBOLS.boxOnGoal.charCodeAt(0), GOAL + 8],
  [PAPER_SYMBOLS.player.charCodeAt(0), FLOOR + 16],
  [PAPER_SYMBOLS.playerOnGoal.charCodeAt(0), GOAL + 16],
])

/**
 * The level of a paper grid read by position, when the grid is well formed and needs none of
 * `parseGrid`'s later steps: every cell the four UTF-16 units space, symbol, space, TAB; rows of one
 * width; a wall all around (so nothing is outside and nothing is cropped); one player; as many boxes
 * as goals, at least one. Null for anything else, which `parseGrid` then reads (or rejects).
 */
function readPaperGrid(text: string): Level | null {
  const width = text.indexOf('\n') < 0 ? text.length / 4 : text.indexOf('\n') / 4
  if (width < 1 || !Number.isInteger(width) || (text.length + 1) % (4 * width + 1) !== 0) return null
  const rows = (text.length + 1) / (4 * width + 1)
  const fixed = new Uint8Array(rows * width)
  const boxes: number[] = []
  let player = -1
  let goals = 0
  for (let r = 0, i = 0; r < rows; r++) {
    const rowStart = r * (4 * width + 1)
    if (r > 0 && text.charCodeAt(rowStart - 1) !== 10) return null
    for (let c = 0, at = rowStart; c < width; c++, at += 4, i++) {
      const cell = PAPER_CELL_OF_CODE.get(text.charCodeAt(at + 1))
      if (cell === undefined || text.charCodeAt(at) !== 32 || text.charCodeAt(at + 2) !== 32) return null
      if (text.charCodeAt(at + 3) !== 9) return null
      const code = cell & 7
      const edge = r === 0 || c === 0 || r === rows - 1 || c === width - 1
      if (edge && code !== WALL) return null
      fixed[i] = code
      if (code === GOAL) goals++
      if (cell & 8) boxes.push(i)
      if (cell & 16) {
        if (player >= 0) return null
        player = i
      }
    }
  }
  if (player < 0 || boxes.length === 0 || boxes.length !== goals) return null
  return { rows, cols: width, fixed, start: { player, boxes } }
}

/**
 * Reads the paper's text grid back (the inverse of `renderPaperGrid`). A well-formed grid is decoded
 * by position, which is what an evaluation's scripted policies do every turn; anything else goes
 * through `parseGrid`, so the level and every error are `parseGrid`'s.
 */
export function parsePaperGrid(text: string): Level {
  return readPaperGrid(text) ?? parseGrid(text, PAPER_SYMBOLS, PAPER_LAYOUT)
}
