/**
 * @module core/sokoban/generate/oneBoxPlan
 * The first shortest plan of a one-box position, the plan core/sokoban/solve/bfs.ts `solveBfs`
 * finds, by a plain breadth-first search over (player, box) keys in reusable typed arrays.
 *
 * Generated levels are labelled with their optimal plan, and an evaluation asks for the optimal
 * move of many positions; for one box the general solver's set-up (padded board, dead squares,
 * push distances, Zobrist tables, state table) costs several times the search itself, which here
 * visits at most cells² positions and allocates nothing but the plan.
 *
 * Why the plan is `solveBfs`'s: both expand positions in the order they were first reached, moves
 * in Up, Down, Left, Right order, keep a position's first parent and stop when a push puts the box
 * on a goal, so both return the first shortest plan in U < D < L < R order. `solveBfs` also prunes
 * positions with the box on a dead square or frozen; with one box every position reachable from a
 * pruned one is dead as well, so pruning removes only positions from which the goal is never
 * reached and changes neither the order of the others nor the plan.
 */
import { FLOOR, GOAL, type Level, type SokobanState } from '../level.ts'
import type { Direction } from '../directions.ts'
import { BFS_DEFAULT_MAX_STATES } from '../solve/bfs.ts'

/** Largest padded grid (cells) the search takes: its key table has cells² entries (4 MiB each at most). */
const MAX_PADDED_CELLS = 1024

// Scratch tables, grown on demand. `seen[key] === epoch` marks a reached key, so a new search
// costs one counter increment instead of clearing; `link[key]` is the parent key * 4 + move - 1.
let seen = new Uint32Array(0)
let link = new Int32Array(0)
let queue = new Int32Array(0)
let open = new Uint8Array(0)
let epoch = 0

function ensureTables(cells: number): void {
  const keys = cells * cells
  if (seen.length < keys) {
    seen = new Uint32Array(keys)
    link = new Int32Array(keys)
    queue = new Int32Array(keys)
    epoch = 0
  }
  if (open.length < cells) open = new Uint8Array(cells)
  epoch++
  if (epoch === 0x100000000) {
    seen.fill(0)
    epoch = 1
  }
}

/**
 * The first shortest plan from `start` (default the level's start) of a one-box level, exactly as
 * `paperLabels(solveBfs(level, { start, maxStates }))` gives it: the moves, `[]` when the box
 * starts on its goal or no plan exists. Returns null when this search does not apply and the
 * caller should use `solveBfs`: more than one box, a grid too large for the key table, a player or
 * box on a cell that is not floor, or a level whose positions could exceed `maxStates` (where
 * `solveBfs` would give up).
 */
export function oneBoxPlan(
  level: Level,
  start: SokobanState = level.start,
  maxStates: number = BFS_DEFAULT_MAX_STATES,
): Direction[] | null {
  if (start.boxes.length !== 1) return null
  const { rows, cols, fixed } = level
  // The grid padded with a ring of wall, so every neighbour of an open cell is in range.
  const width = cols + 2
  const cells = width * (rows + 2)
  if (cells > MAX_PADDED_CELLS) return null
  ensureTables(cells)
  open.fill(0, 0, cells)
  let openCells = 0
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const code = fixed[r * cols + c]
      if (code === FLOOR || code === GOAL) {
        open[(r + 1) * width + c + 1] = code
        openCells++
      }
    }
  }
  // solveBfs stops once it holds maxStates positions; at most openCells² exist.
  if (openCells * openCells >= maxStates) return null
  const inner = (cell: number): number => (Math.floor(cell / cols) + 1) * width + (cell % cols) + 1
  const player0 = inner(start.player)
  const box0 = inner(start.boxes[0])
  if (open[player0] === 0 || open[box0] === 0) return null
  if (open[box0] === GOAL) return []

  const deltas = [-width, width, -1, 1]
  const mark = epoch
  const startKey = box0 * cells + player0
  seen[startKey] = mark
  queue[0] = startKey
  let tail = 1
  for (let head = 0; head < tail; head++) {
    const key = queue[head]
    const player = key % cells
    const box = (key - player) / cells
    for (let d = 0; d < 4; d++) {
      const delta = deltas[d]
      const next = player + delta
      if (open[next] === 0) continue
      let nextBox = box
      if (next === box) {
        nextBox = box + delta
        if (open[nextBox] === 0) continue
      }
      const nextKey = nextBox * cells + next
      if (seen[nextKey] === mark) continue
      seen[nextKey] = mark
      link[nextKey] = key * 4 + d
      if (nextBox !== box && open[nextBox] === GOAL) return planTo(nextKey, startKey)
      queue[tail++] = nextKey
    }
  }
  return []
}

function planTo(end: number, startKey: number): Direction[] {
  const plan: Direction[] = []
  for (let key = end; key !== startKey; ) {
    const l = link[key]
    plan.push(((l & 3) + 1) as Direction)
    key = l >>> 2
  }
  return plan.reverse()
}
