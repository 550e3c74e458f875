/**
 * @module core/sokoban/solve/board
 * The solvers' view of a level: the grid padded with one ring of wall, so that a neighbour of
 * any open cell is always inside the array and the hot loops need no bounds checks, plus the
 * tables every search shares: simple dead squares and push distances to each goal.
 *
 * Internal cells are row-major indices into the padded grid. Padding keeps the row-major order
 * of the original cells, so "the smallest reachable cell" means the same thing in both indexings.
 */
import { FLOOR, GOAL, type Level, type SokobanState } from '../level.ts'

/** Distance value for "no number of pushes brings a box there". */
export const UNREACHABLE = 0x3fffffff

/** A padded, preprocessed level. All cell fields use internal indices. */
export interface Board {
  readonly level: Level
  /** Width and height of the padded grid (the level's plus 2). */
  readonly width: number
  readonly height: number
  readonly size: number
  /** 1 where a player or box may stand (floor or goal). */
  readonly open: Uint8Array
  /** 1 on goal cells. */
  readonly goal: Uint8Array
  /** The goal cells, ascending. */
  readonly goals: Int32Array
  /**
   * 1 on simple dead squares: open cells from which no sequence of pushes brings a box to any
   * goal even on an otherwise empty board. A box there (and off a goal) can never be solved.
   */
  readonly dead: Uint8Array
  /**
   * Lower bound on pushes to bring a box from a cell to each goal, ignoring other boxes:
   * `pushDistance[cell * goals.length + j]`, or UNREACHABLE.
   */
  readonly pushDistance: Int32Array
  /** Cell offset per direction code (index 0 unused): Up, Down, Left, Right. */
  readonly delta: Int32Array
  /** Internal cell of each level cell. */
  readonly toInternal: Int32Array
  /** Level cell of each internal cell, or -1 on the padding ring. */
  readonly toExternal: Int32Array
}

/** Builds the padded board and its dead-square and push-distance tables. */
export function createBoard(level: Level): Board {
  const width = level.cols + 2
  const height = level.rows + 2
  const size = width * height
  const open = new Uint8Array(size)
  const goal = new Uint8Array(size)
  const toInternal = new Int32Array(level.rows * level.cols)
  const toExternal = new Int32Array(size).fill(-1)
  const goalList: number[] = []
  for (let r = 0; r < level.rows; r++) {
    for (let c = 0; c < level.cols; c++) {
      const ext = r * level.cols + c
      const cell = (r + 1) * width + c + 1
      toInternal[ext] = cell
      toExternal[cell] = ext
      const code = level.fixed[ext]
      if (code === FLOOR || code === GOAL) open[cell] = 1
      if (code === GOAL) {
        goal[cell] = 1
        goalList.push(cell)
      }
    }
  }
  const delta = Int32Array.from([0, -width, width, -1, 1])
  const goals = Int32Array.from(goalList)
  const pushDistance = computePushDistances(size, open, goals, delta)
  const dead = new Uint8Array(size)
  const m = goals.length
  for (let cell = 0; cell < size; cell++) {
    if (!open[cell]) continue
    let best = UNREACHABLE
    for (let j = 0; j < m; j++) best = Math.min(best, pushDistance[cell * m + j])
    if (best === UNREACHABLE) dead[cell] = 1
  }
  return { level, width, height, size, open, goal, goals, dead, pushDistance, delta, toInternal, toExternal }
}

/**
 * Push distances by reverse play: a box at `b` can be pulled to `b - d` when the player fits
 * at `b - 2d`, which is exactly the forward push from `b - d` to `b`. Player reachability and
 * the other boxes are ignored, so each distance is a lower bound (what admissibility needs).
 */
function computePushDistances(size: number, open: Uint8Array, goals: Int32Array, delta: Int32Array): Int32Array {
  const m = goals.length
  const out = new Int32Array(size * m).fill(UNREACHABLE)
  const queue = new Int32Array(size)
  const dist = new Int32Array(size)
  for (let j = 0; j < m; j++) {
    dist.fill(-1)
    let head = 0
    let tail = 0
    queue[tail++] = goals[j]
    dist[goals[j]] = 0
    while (head < tail) {
      const b = queue[head++]
      for (let d = 1; d <= 4; d++) {
        const from = b - delta[d]
        const player = from - delta[d]
        if (!open[from] || !open[player] || dist[from] >= 0) continue
        dist[from] = dist[b] + 1
        queue[tail++] = from
      }
    }
    for (let cell = 0; cell < size; cell++) if (dist[cell] >= 0) out[cell * m + j] = dist[cell]
  }
  return out
}

/** The start (or given) state in internal cells, boxes ascending. Throws on an impossible state. */
export function internalState(board: Board, state: SokobanState): { player: number; boxes: Int32Array } {
  const { level } = board
  const n = level.rows * level.cols
  const check = (cell: number, what: string): number => {
    if (!Number.isInteger(cell) || cell < 0 || cell >= n) {
      throw new Error(`Solver: the ${what} cell ${cell} is outside the ${level.rows}x${level.cols} level.`)
    }
    const inner = board.toInternal[cell]
    if (!board.open[inner]) throw new Error(`Solver: the ${what} cell ${cell} is a wall or outside the walls.`)
    return inner
  }
  const player = check(state.player, 'player')
  const boxes = Int32Array.from(state.boxes, (b) => check(b, 'box')).sort()
  for (let i = 0; i < boxes.length; i++) {
    if (boxes[i] === player) throw new Error(`Solver: the player and a box share cell ${state.player}.`)
    if (i > 0 && boxes[i] === boxes[i - 1]) {
      throw new Error(`Solver: two boxes share cell ${board.toExternal[boxes[i]]}; list each box cell once.`)
    }
  }
  return { player, boxes }
}

/**
 * Writes a search key's box part: `boxes` (ascending) with the box at `from` moved to `to`, into
 * key[1..], still ascending. key[0] is the player's and is left alone.
 */
export function writeMovedBoxes(key: Uint16Array, boxes: Int32Array, from: number, to: number): void {
  let k = 1
  let placed = false
  for (let i = 0; i < boxes.length; i++) {
    const b = boxes[i]
    if (b === from) continue
    if (!placed && to < b) {
      key[k++] = to
      placed = true
    }
    key[k++] = b
  }
  if (!placed) key[k] = to
}
