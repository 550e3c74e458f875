/**
 * @module core/sokoban/xsb
 * Reads and writes XSB / SOK level files (environments.md §1), the canonical text form of a level.
 *
 * Accepted input: the symbols `# @ + $ * .`; floor as space, `-` or `_`; run-length encoding (a
 * count before a symbol, `4#`, also for floor); rows joined with `|`; several levels separated by
 * blank lines; title and comment lines around each board. Cells outside the walls become VOID by
 * a flood fill from the edges through non-wall cells. Every error is a `LevelParseError` with the
 * 1-based line and column of the offending character in the whole input.
 */
import { FLOOR, GOAL, VOID, WALL, sortedBoxes, type Level, type SokobanState } from './level.ts'

/** A malformed level file: says what is wrong, where (1-based line and column) and how to fix it. */
export class LevelParseError extends Error {
  /** 1-based line in the whole input. */
  readonly line: number
  /** 1-based column (in code points) within that line. */
  readonly column: number
  /** 0-based index of the level (board) the error belongs to. */
  readonly levelIndex: number

  constructor(message: string, line: number, column: number, levelIndex: number) {
    super(message)
    this.name = 'LevelParseError'
    this.line = line
    this.column = column
    this.levelIndex = levelIndex
  }
}

/** Options of `serializeXsb`. */
export interface XsbWriteOptions {
  /** Run-length encode rows and join them with `|` on one line (default false). */
  readonly rle?: boolean
  /** Symbol for interior floor (default space; `-` when `rle` is set, so runs stay visible). */
  readonly floor?: ' ' | '-' | '_'
}

// Cell kinds while reading, before the static layer and the state are split apart. Internal:
// shared with text.ts, which reads grids in other symbol sets through the same checks.
/** @internal */
export const K_WALL = 0
/** @internal */
export const K_FLOOR = 1
/** @internal */
export const K_GOAL = 2
/** @internal */
export const K_BOX = 3
/** @internal */
export const K_BOX_ON_GOAL = 4
/** @internal */
export const K_PLAYER = 5
/** @internal */
export const K_PLAYER_ON_GOAL = 6
/** @internal Outside the level: padding of ragged rows, or an explicit void symbol. */
export const K_OUTSIDE = 7

const KIND_OF_SYMBOL: Readonly<Record<string, number>> = {
  '#': K_WALL,
  ' ': K_FLOOR,
  '-': K_FLOOR,
  _: K_FLOOR,
  '.': K_GOAL,
  $: K_BOX,
  '*': K_BOX_ON_GOAL,
  '@': K_PLAYER,
  '+': K_PLAYER_ON_GOAL,
}

const KIND_NAMES = ['wall', 'floor', 'goal', 'box', 'box on goal', 'player', 'player on goal', 'outside']

const BOARD_CHARS = new Set([...'#@+$*. -_|0123456789'])
const SYMBOLS = new Set([...'#@+$*.'])
/** Longest run a count may ask for; guards against `99999999#` exhausting memory. */
const MAX_RUN = 4096

/**
 * @internal A decoded row: the kind of each cell and the column of the character it came from.
 * All cells of a row come from one line (`|` joins put several rows on a line).
 */
export interface SourceRow {
  readonly line: number
  readonly kinds: number[]
  readonly columns: number[]
}

type LineKind = 'blank' | 'board' | 'text'

function isBlank(line: string): boolean {
  return line.trim() === ''
}

/**
 * 'board' for a line of board characters with a wall in it; 'loose' for board characters with a
 * symbol but no wall, which is a row only between two board rows (every row of a closed level has
 * a wall, while titles such as `1.` or `***` have none); 'other' otherwise.
 */
function boardCharsKind(line: string): 'board' | 'loose' | 'other' {
  let hasSymbol = false
  let hasWall = false
  for (const ch of line) {
    if (!BOARD_CHARS.has(ch)) return 'other'
    if (SYMBOLS.has(ch)) hasSymbol = true
    if (ch === '#') hasWall = true
  }
  return hasWall ? 'board' : hasSymbol ? 'loose' : 'other'
}

/**
 * A line next to a board that starts with a wall and is mostly board characters is a board row
 * with a typo, not a title: reading it as a row lets the parser point at the bad character.
 */
function looksLikeDamagedRow(line: string): boolean {
  const body = line.trimStart()
  if (!body.startsWith('#')) return false
  let nonSpace = 0
  let board = 0
  for (const ch of body) {
    if (/\s/u.test(ch)) continue
    nonSpace++
    if (BOARD_CHARS.has(ch)) board++
  }
  return board * 2 >= nonSpace
}

function classifyLines(lines: readonly string[]): LineKind[] {
  const first = lines.map((line) =>
    isBlank(line) ? 'blank' : line.trimStart().startsWith(';') ? 'other' : boardCharsKind(line),
  )
  const kinds: LineKind[] = first.map((k) => (k === 'blank' ? 'blank' : k === 'board' ? 'board' : 'text'))
  for (let i = 0; i < lines.length; i++) {
    if (first[i] === 'loose' && first[i - 1] === 'board' && first[i + 1] === 'board') kinds[i] = 'board'
  }
  for (let i = 0; i < lines.length; i++) {
    if (kinds[i] !== 'text') continue
    const nextToBoard = kinds[i - 1] === 'board' || kinds[i + 1] === 'board'
    if (nextToBoard && looksLikeDamagedRow(lines[i])) kinds[i] = 'board'
  }
  return kinds
}

function codePoint(ch: string): string {
  return 'U+' + (ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')
}

function describeChar(ch: string): string {
  const shown = ch === '\t' ? '\\t' : ch
  return `'${shown}' (${codePoint(ch)})`
}

/** Decodes one board line (RLE and `|` joins) into rows of source cells. */
function decodeBoardLine(text: string, line: number, levelIndex: number): SourceRow[] {
  const rows: SourceRow[] = [{ line, kinds: [], columns: [] }]
  let count = 0
  let hasCount = false
  let countColumn = 0
  let column = 0
  for (const ch of text) {
    column++
    if (ch >= '0' && ch <= '9') {
      if (!hasCount) countColumn = column
      hasCount = true
      count = count * 10 + Number(ch)
      if (count > MAX_RUN) {
        throw new LevelParseError(
          `Level ${levelIndex + 1}: run count at line ${line}, column ${countColumn} exceeds ${MAX_RUN}; ` +
            'split the run or check for a stray digit.',
          line,
          countColumn,
          levelIndex,
        )
      }
      continue
    }
    if (ch === '|') {
      if (hasCount) throw danglingCount(line, countColumn, levelIndex)
      rows.push({ line, kinds: [], columns: [] })
      continue
    }
    const kind = KIND_OF_SYMBOL[ch]
    if (kind === undefined) {
      throw new LevelParseError(
        `Level ${levelIndex + 1}: unknown character ${describeChar(ch)} at line ${line}, column ${column}; ` +
          "use only # @ + $ * . and space, '-' or '_' for floor (digits for run lengths, '|' to join rows).",
        line,
        column,
        levelIndex,
      )
    }
    if (hasCount && count === 0) {
      throw new LevelParseError(
        `Level ${levelIndex + 1}: zero run count before ${describeChar(ch)} at line ${line}, column ${countColumn}; ` +
          'a run count must be at least 1.',
        line,
        countColumn,
        levelIndex,
      )
    }
    const n = hasCount ? count : 1
    const row = rows[rows.length - 1]
    for (let i = 0; i < n; i++) {
      row.kinds.push(kind)
      row.columns.push(column)
    }
    count = 0
    hasCount = false
  }
  if (hasCount) throw danglingCount(line, countColumn, levelIndex)
  // A '|' at the end of a line closes its last row; it does not start an empty one.
  if (rows.length > 1 && rows[rows.length - 1].kinds.length === 0) rows.pop()
  return rows
}

function danglingCount(line: number, column: number, levelIndex: number): LevelParseError {
  return new LevelParseError(
    `Level ${levelIndex + 1}: run count at line ${line}, column ${column} is not followed by a symbol; ` +
      'write the symbol right after its count (for example 4#).',
    line,
    column,
    levelIndex,
  )
}

interface RawBoard {
  readonly rows: SourceRow[]
  readonly firstLine: number
  readonly pre: string[]
  readonly post: string[]
}

/** @internal How `buildLevel` names and shapes the level. */
export interface BuildOptions {
  /** Prefix of every message, e.g. `Level 2 (line 14)`. */
  readonly where: string
  /** Drop edge rows and columns that hold only outside cells. */
  readonly crop: boolean
}

/**
 * @internal Builds a Level from decoded rows: pads ragged rows, flood-fills the outside from the
 * edges, validates (players, enclosure, box and goal counts) and optionally crops.
 */
export function buildLevel(
  board: Pick<RawBoard, 'rows' | 'firstLine'>,
  levelIndex: number,
  options: BuildOptions,
): Omit<Level, 'title' | 'comments'> {
  const where = options.where
  const height = board.rows.length
  let width = 0
  for (const row of board.rows) width = Math.max(width, row.kinds.length)
  // Flat kinds, ragged rows padded with outside cells; positions are looked up only for errors.
  const kinds = new Uint8Array(width * height).fill(K_OUTSIDE)
  board.rows.forEach((row, r) => kinds.set(row.kinds, r * width))
  const position = (i: number): { line: number; column: number } => {
    const row = board.rows[Math.floor(i / width)]
    return { line: row.line, column: row.columns[i % width] }
  }

  let inner = 0
  const players: number[] = []
  let boxes = 0
  let goals = 0
  for (let i = 0; i < kinds.length; i++) {
    const kind = kinds[i]
    if (kind !== K_WALL && kind !== K_OUTSIDE) inner++
    if (kind === K_PLAYER || kind === K_PLAYER_ON_GOAL) players.push(i)
    if (kind === K_BOX || kind === K_BOX_ON_GOAL) boxes++
    if (kind === K_GOAL || kind === K_BOX_ON_GOAL || kind === K_PLAYER_ON_GOAL) goals++
  }
  if (inner === 0) {
    throw new LevelParseError(
      `${where} is empty: it has no floor, goal, box or player inside its walls; add the level's interior.`,
      board.firstLine,
      1,
      levelIndex,
    )
  }
  if (players.length === 0) {
    throw new LevelParseError(
      `${where} has no player; put one '@' on a floor cell (or '+' on a goal).`,
      board.firstLine,
      1,
      levelIndex,
    )
  }
  if (players.length > 1) {
    const second = position(players[1])
    throw new LevelParseError(
      `${where} has ${players.length} players; the second is at line ${second.line}, column ${second.column}. ` +
        "Keep exactly one '@' or '+'.",
      second.line,
      second.column,
      levelIndex,
    )
  }

  // Flood fill from every edge cell through non-wall cells: what it reaches is outside.
  const outside = new Uint8Array(width * height)
  const queue: number[] = []
  const enter = (i: number): void => {
    if (outside[i] === 0 && kinds[i] !== K_WALL) {
      outside[i] = 1
      queue.push(i)
    }
  }
  for (let c = 0; c < width; c++) {
    enter(c)
    enter((height - 1) * width + c)
  }
  for (let r = 0; r < height; r++) {
    enter(r * width)
    enter(r * width + width - 1)
  }
  for (let q = 0; q < queue.length; q++) {
    const i = queue[q]
    const r = Math.floor(i / width)
    const c = i % width
    if (r > 0) enter(i - width)
    if (r < height - 1) enter(i + width)
    if (c > 0) enter(i - 1)
    if (c < width - 1) enter(i + 1)
  }
  for (let i = 0; i < kinds.length; i++) {
    const kind = kinds[i]
    if (outside[i] === 1 && kind !== K_FLOOR && kind !== K_OUTSIDE) {
      const cell = position(i)
      throw new LevelParseError(
        `${where}: the ${KIND_NAMES[kind]} at line ${cell.line}, column ${cell.column} can be reached from ` +
          'outside the level without crossing a wall; close the gap in the surrounding walls.',
        cell.line,
        cell.column,
        levelIndex,
      )
    }
  }
  if (boxes !== goals) {
    throw new LevelParseError(
      `${where} has ${boxes} box${boxes === 1 ? '' : 'es'} ('$' or '*') but ${goals} goal${goals === 1 ? '' : 's'} ` +
        "('.', '*' or '+'); add or remove boxes or goals until the counts match.",
      board.firstLine,
      1,
      levelIndex,
    )
  }
  if (boxes === 0) {
    throw new LevelParseError(
      `${where} has no boxes; add at least one box ('$') and a goal ('.') for it.`,
      board.firstLine,
      1,
      levelIndex,
    )
  }

  // Crop rows and columns at the edges that hold nothing but outside cells.
  const isVoid = (i: number): boolean => outside[i] === 1
  let top = 0
  let bottom = height - 1
  let left = 0
  let right = width - 1
  const rowVoid = (r: number): boolean => {
    for (let c = 0; c < width; c++) if (!isVoid(r * width + c)) return false
    return true
  }
  const colVoid = (c: number): boolean => {
    for (let r = top; r <= bottom; r++) if (!isVoid(r * width + c)) return false
    return true
  }
  if (options.crop) {
    while (rowVoid(top)) top++
    while (rowVoid(bottom)) bottom--
    while (colVoid(left)) left++
    while (colVoid(right)) right--
  }

  const rows = bottom - top + 1
  const cols = right - left + 1
  const fixed = new Uint8Array(rows * cols)
  const boxCells: number[] = []
  let player = -1
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const src = (r + top) * width + (c + left)
      const dst = r * cols + c
      const kind = kinds[src]
      if (isVoid(src) || kind === K_OUTSIDE) fixed[dst] = VOID
      else if (kind === K_WALL) fixed[dst] = WALL
      else if (kind === K_GOAL || kind === K_BOX_ON_GOAL || kind === K_PLAYER_ON_GOAL) fixed[dst] = GOAL
      else fixed[dst] = FLOOR
      if (kind === K_BOX || kind === K_BOX_ON_GOAL) boxCells.push(dst)
      if (kind === K_PLAYER || kind === K_PLAYER_ON_GOAL) player = dst
    }
  }
  return { rows, cols, fixed, start: { player, boxes: sortedBoxes(boxCells) } }
}

const TITLE_FIELD = /^title\s*:/i

function attachText(pre: readonly string[], post: readonly string[]): Pick<Level, 'title' | 'comments'> {
  const all = [...pre, ...post]
  let titleIndex = all.findIndex((line) => TITLE_FIELD.test(line))
  if (titleIndex < 0 && pre.length > 0) titleIndex = pre.length - 1
  const out: { title?: string; comments?: string[] } = {}
  if (titleIndex >= 0) out.title = all[titleIndex]
  const comments = all.filter((_, i) => i !== titleIndex)
  if (comments.length > 0) out.comments = comments
  return out
}

/**
 * Parses a multi-level XSB / SOK file. Text lines before a board belong to it (the last one is
 * its title unless a `Title:` line is present); text lines right after a board, up to the next
 * blank line, belong to that board; text after the last board belongs to the last level.
 * Throws `LevelParseError` on the first problem found.
 */
export function parseXsb(text: string): Level[] {
  return parseLocated(text).map((located) => located.level)
}

function parseLocated(text: string): { level: Level; firstLine: number }[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/)
  const kinds = classifyLines(lines)
  const boards: RawBoard[] = []
  let pending: string[] = [] // text lines not yet given to a board
  let afterBoard = false // text lines directly after a board (no blank yet) go to that board
  for (let i = 0; i < lines.length; i++) {
    const kind = kinds[i]
    if (kind === 'board') {
      const levelIndex = boards.length
      const rows: SourceRow[] = []
      const firstLine = i + 1
      while (i < lines.length && kinds[i] === 'board') {
        rows.push(...decodeBoardLine(lines[i], i + 1, levelIndex))
        i++
      }
      i--
      boards.push({ rows, firstLine, pre: pending, post: [] })
      pending = []
      afterBoard = true
    } else if (kind === 'blank') {
      if (afterBoard) {
        boards[boards.length - 1].post.push(...pending)
        pending = []
      }
      afterBoard = false
    } else {
      pending.push(lines[i].trim())
    }
  }
  if (boards.length === 0) {
    const why = lines.every(isBlank)
      ? 'the input is empty'
      : 'no line is a board row (board rows use only # @ + $ * . space - _ digits and |)'
    throw new LevelParseError(`No level found: ${why}; give at least one level in XSB format.`, 1, 1, 0)
  }
  // Text after the last board belongs to it, whether or not a blank line came first.
  boards[boards.length - 1].post.push(...pending)

  return boards.map((board, index) => {
    for (const row of board.rows) {
      if (row.kinds.length === 0) {
        throw new LevelParseError(
          `Level ${index + 1} (line ${board.firstLine}) has an empty row (two '|' in a row or a '|' at a line end); ` +
            "write the row's cells, using '-' for floor.",
          board.firstLine,
          1,
          index,
        )
      }
    }
    const built = buildLevel(board, index, { where: `Level ${index + 1} (line ${board.firstLine})`, crop: true })
    return { level: { ...built, ...attachText(board.pre, board.post) }, firstLine: board.firstLine }
  })
}

/** Parses text that must hold exactly one level. */
export function parseXsbLevel(text: string): Level {
  const levels = parseLocated(text)
  if (levels.length !== 1) {
    const second = levels[1].firstLine
    throw new LevelParseError(
      `Expected exactly one level but found ${levels.length} (the second starts at line ${second}); ` +
        'pass one level, or use parseXsb for a file of levels.',
      second,
      1,
      1,
    )
  }
  return levels[0].level
}

function checkState(level: Level, state: SokobanState): void {
  const size = level.rows * level.cols
  const open = (cell: number): boolean =>
    Number.isInteger(cell) && cell >= 0 && cell < size && (level.fixed[cell] === FLOOR || level.fixed[cell] === GOAL)
  if (!open(state.player)) {
    throw new Error(`serializeXsb: the player cell ${state.player} is not a floor or goal cell of the level.`)
  }
  const seen = new Set<number>()
  for (const box of state.boxes) {
    if (!open(box)) throw new Error(`serializeXsb: box cell ${box} is not a floor or goal cell of the level.`)
    if (box === state.player) throw new Error(`serializeXsb: box cell ${box} is also the player's cell.`)
    if (seen.has(box)) throw new Error(`serializeXsb: box cell ${box} is listed twice.`)
    seen.add(box)
  }
}

function encodeRuns(row: string): string {
  let out = ''
  let i = 0
  const chars = [...row]
  while (i < chars.length) {
    let j = i
    while (j < chars.length && chars[j] === chars[i]) j++
    out += (j - i > 1 ? String(j - i) : '') + chars[i]
    i = j
  }
  return out
}

/**
 * Writes one level (no title) as XSB rows joined by `\n`, with no trailing newline. VOID cells
 * are written as spaces and trailing spaces are trimmed, so the output is canonical XSB. `state`
 * defaults to the level's start. With `rle`, rows are run-length encoded and joined with `|`.
 */
export function serializeXsb(level: Level, state: SokobanState = level.start, options: XsbWriteOptions = {}): string {
  checkState(level, state)
  const floor = options.floor ?? (options.rle ? '-' : ' ')
  const boxes = new Set(state.boxes)
  const rows: string[] = []
  for (let r = 0; r < level.rows; r++) {
    let row = ''
    for (let c = 0; c < level.cols; c++) {
      const i = r * level.cols + c
      const fixed = level.fixed[i]
      const goal = fixed === GOAL
      if (i === state.player) row += goal ? '+' : '@'
      else if (boxes.has(i)) row += goal ? '*' : '$'
      else if (fixed === WALL) row += '#'
      else if (goal) row += '.'
      else if (fixed === FLOOR) row += floor
      else row += ' '
    }
    // Every row of a closed level ends in a wall, so only VOID spaces are trimmed here.
    row = row.replace(/ +$/, '')
    if (row === '') {
      throw new Error(
        `serializeXsb: row ${r + 1} holds only VOID cells, which XSB cannot write (a blank line ends a level); ` +
          'crop the level or wall the row.',
      )
    }
    rows.push(options.rle ? encodeRuns(options.floor ? row : row.replace(/ /g, '-')) : row)
  }
  return rows.join(options.rle ? '|' : '\n')
}

function checkTextLine(line: string, what: string): void {
  if (line.trim() !== line || line === '' || /[\r\n]/.test(line)) {
    throw new Error(`serializeXsbFile: ${what} ${JSON.stringify(line)} must be one non-blank line without edge spaces.`)
  }
  if (boardCharsKind(line) === 'board' || looksLikeDamagedRow(line)) {
    throw new Error(
      `serializeXsbFile: ${what} ${JSON.stringify(line)} would read back as a board row; prefix it with '; '.`,
    )
  }
}

/**
 * Writes levels as an XSB file: for each level its comments, its title and its board, levels
 * separated by a blank line, ending with a newline. `parseXsb(serializeXsbFile(levels))` gives
 * back the same levels, titles and comments. A level without a title gets its comments after the
 * board, so no comment is read back as a title.
 */
export function serializeXsbFile(levels: readonly Level[]): string {
  const blocks = levels.map((level, index) => {
    const where = `level ${index + 1}`
    const comments = level.comments ?? []
    comments.forEach((line, k) => checkTextLine(line, `comment ${k + 1} of ${where}`))
    const board = serializeXsb(level)
    if (level.title === undefined) {
      const titled = comments.find((line) => TITLE_FIELD.test(line))
      if (titled !== undefined) {
        throw new Error(
          `serializeXsbFile: ${where} has no title but a comment ${JSON.stringify(titled)}; make it the title.`,
        )
      }
      return [board, ...comments].join('\n')
    }
    checkTextLine(level.title, `the title of ${where}`)
    if (TITLE_FIELD.test(level.title)) return [level.title, ...comments, board].join('\n')
    const titled = comments.find((line) => TITLE_FIELD.test(line))
    if (titled !== undefined) {
      throw new Error(
        `serializeXsbFile: ${where} has a comment ${JSON.stringify(titled)} that would read back as its title; ` +
          'make it the title or reword it.',
      )
    }
    return [...comments, level.title, board].join('\n')
  })
  return blocks.join('\n\n') + '\n'
}
