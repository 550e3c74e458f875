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

/** Largest number of open cells the search takes: its key table has openCells² entries. */
const MAX_OPEN_CELLS = 1024

// Scratch tables, grown on demand and indexed by open cell (0 … n-1 in row-major order), so a
// search touches a few kilobytes: a position's key is box * n + player. `seen[key] === epoch` marks
// a reached key, so a new search costs one counter increment instead of clearing; `link[key]` is
// the parent key * 4 + move - 1; `step[cell * 4 + move - 1]` is the neighbour, or -1 for a wall.
let seen = new Uint32Array(0)
let link = new Int32Array(0)
let queue = new Int32Array(0)
let step = new Int32Array(0)
let goal = new Uint8Array(0)
let openIndex = new Int32Array(0)
let epoch = 0

function ensureTables(cells: number, open: number): void {
  if (openIndex.length < cells) openIndex = new Int32Array(cells)
  if (goal.length < open) {
    goal = new Uint8Array(open)
    step = new Int32Array(open * 4)
  }
  const keys = open * open
  if (seen.length < keys) {
    seen = new Uint32Array(keys)
    link = new Int32Array(keys)
    queue = new Int32Array(keys)
    epoch = 0
  }
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
 * caller should use `solveBfs`: more than one box, more open cells than the key table takes, a
 * player or box on a cell that is not floor, or a level whose positions could reach `maxStates`
 * (where `solveBfs` would give up).
 */
export function oneBoxPlan(
  level: Level,
  start: SokobanState = level.start,
  maxStates: number = BFS_DEFAULT_MAX_STATES,
): Direction[] | null {
  if (start.boxes.length !== 1) return null
  const { rows, cols, fixed } = level
  const cells = rows * cols
  let n = 0
  for (let i = 0; i < cells; i++) if (fixed[i] === FLOOR || fixed[i] === GOAL) n++
  // solveBfs stops once it holds maxStates positions; at most n² exist.
  if (n > MAX_OPEN_CELLS || n * n >= maxStates) return null
  ensureTables(cells, n)
  for (let i = 0, k = 0; i < cells; i++) openIndex[i] = fixed[i] === FLOOR || fixed[i] === GOAL ? k++ : -1
  for (let i = 0; i < cells; i++) {
    const k = openIndex[i]
    if (k < 0) continue
    const r = Math.floor(i / cols)
    const c = i - r * cols
    goal[k] = fixed[i] === GOAL ? 1 : 0
    step[4 * k] = r > 0 ? openIndex[i - cols] : -1
    step[4 * k + 1] = r < rows - 1 ? openIndex[i + cols] : -1
    step[4 * k + 2] = c > 0 ? openIndex[i - 1] : -1
    step[4 * k + 3] = c < cols - 1 ? openIndex[i + 1] : -1
  }
  const player0 = openIndex[start.player]
  const box0 = openIndex[start.boxes[0]]
  if (player0 < 0 || box0 < 0) return null
  if (goal[box0] === 1) return []

  const mark = epoch
  const startKey = box0 * n + player0
  seen[startKey] = mark
  queue[0] = startKey
  let tail = 1
  for (let head = 0; head < tail; head++) {
    const key = queue[head]
    const box = Math.floor(key / n)
    const player = key - box * n
    for (let d = 0; d < 4; d++) {
      const next = step[4 * player + d]
      if (next < 0) continue
      let nextBox = box
      if (next === box) {
        nextBox = step[4 * box + d]
        if (nextBox < 0) continue
      }
      const nextKey = nextBox * n + next
      if (seen[nextKey] === mark) continue
      seen[nextKey] = mark
      link[nextKey] = key * 4 + d
      if (nextBox !== box && goal[nextBox] === 1) return planTo(nextKey, startKey)
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
