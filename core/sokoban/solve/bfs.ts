/**
 * @module core/sokoban/solve/bfs
 * Move-optimal breadth-first search that reproduces the paper's one-step labels
 * (paper-tasks.md §4.3, RAGEN `get_shortest_action_path`): FIFO over (player, boxes), moves
 * expanded Up, Down, Left, Right, each state kept the first time it is reached.
 *
 * Why the plans agree with the reference: in both searches a state's parent is the first state
 * expanded at the previous depth that reaches it, and states are expanded in the order they were
 * first reached, so the plan found is the first optimal plan in U < D < L < R order. The
 * reference skips duplicates when it dequeues them and this search when it generates them, which
 * changes neither the parents nor the expansion order. Moves into walls or unmovable boxes change
 * nothing and are never on a shortest path, so they are not generated. Positions that can never
 * be solved (a box on a dead square, a frozen box off its goal) are pruned: no shortest plan
 * passes through them, and every predecessor of a solvable position is solvable, so the first
 * plan is unchanged.
 *
 * Depth: the reference returns `[]` once it dequeues a path longer than MAX_DEPTH, so a plan of
 * exactly MAX_DEPTH moves is still returned. `paperLabels` maps every outcome to the reference's
 * list, `[]` included.
 */
import { isSolved, type Level, type SokobanState } from '../level.ts'
import type { Direction } from '../directions.ts'
import { createBoard, internalState, writeMovedBoxes, type Board } from './board.ts'
import { FreezeDetector } from './deadlock.ts'
import { StateTable } from './statetable.ts'
import { createZobrist } from './zobrist.ts'

/** The paper's depth cap for labels (`MAX_DEPTH = search_depth = 30`). */
export const PAPER_MAX_DEPTH = 30

/** The default state budget of `solveBfs`. */
export const BFS_DEFAULT_MAX_STATES = 4_000_000

/** Options of `solveBfs`. */
export interface BfsOptions {
  /** Search from this state instead of the level's start. */
  readonly start?: SokobanState
  /** Longest plan accepted, in moves (default unlimited; the paper uses PAPER_MAX_DEPTH). */
  readonly maxDepth?: number
  /** Give up after storing this many distinct states (default BFS_DEFAULT_MAX_STATES). */
  readonly maxStates?: number
}

/** What `solveBfs` found. */
export interface BfsResult {
  /**
   * `solved`: `plan` is the first shortest plan in U, D, L, R order (empty when the start is
   * solved); `unsolvable`: every reachable position was examined and none is solved;
   * `depth-exceeded`: no plan of at most `maxDepth` moves exists but longer ones were not
   * examined; `gave-up`: the state budget ran out first.
   */
  readonly status: 'solved' | 'unsolvable' | 'depth-exceeded' | 'gave-up'
  /** The plan when solved, otherwise empty. */
  readonly plan: Direction[]
  /** Distinct positions stored. */
  readonly states: number
  /** Positions not stored because they can never be solved. */
  readonly deadlocksPruned: number
}

/** Move-optimal BFS whose plan equals the paper's reference BFS (see the module comment). */
export function solveBfs(level: Level, options: BfsOptions = {}): BfsResult {
  const board = createBoard(level)
  const maxStates = options.maxStates ?? BFS_DEFAULT_MAX_STATES
  return bfsOnBoard(board, options.start ?? level.start, options.maxDepth ?? Infinity, maxStates)
}

/**
 * The label list the paper's code would return: the plan when solved, `[]` otherwise (for an
 * unsolvable level, one past the depth cap, or, here only, a search that ran out of budget).
 */
export function paperLabels(result: BfsResult): Direction[] {
  return result.status === 'solved' ? result.plan.slice() : []
}

/**
 * The first move of the paper's shortest plan from `state`, or null when there is none (the
 * state is already solved, no plan exists within the limits, or the budget ran out).
 */
export function optimalNextMove(
  level: Level,
  state: SokobanState,
  options: Omit<BfsOptions, 'start'> = {},
): Direction | null {
  if (isSolved(level, state)) return null
  const result = solveBfs(level, { ...options, start: state })
  return result.status === 'solved' && result.plan.length > 0 ? result.plan[0] : null
}

function bfsOnBoard(board: Board, start: SokobanState, maxDepth: number, maxStates: number): BfsResult {
  const { open, goal, dead, delta } = board
  const { player: startPlayer, boxes: startBoxes } = internalState(board, start)
  const n = startBoxes.length
  const stride = n + 1
  if (board.size > 0xffff) {
    throw new Error(`solveBfs: the padded level has ${board.size} cells; at most 65535 are supported, so crop the level.`)
  }
  const zobrist = createZobrist(board.size)
  const freeze = new FreezeDetector(board)
  // Start small: most calls label small rooms with at most a few hundred states, and
  // allocating (then collecting) a 4096-state table dominated their cost. The table grows as needed.
  const table = new StateTable(stride, 256)
  let parent = new Int32Array(table.capacity)
  let move = new Uint8Array(table.capacity)
  const key = new Uint16Array(stride)
  const boxes = new Int32Array(n)
  const boxAt = new Uint8Array(board.size)
  let pruned = 0

  const result = (status: BfsResult['status'], plan: Direction[] = []): BfsResult => ({
    status,
    plan,
    states: table.count,
    deadlocksPruned: pruned,
  })

  // Zobrist keys give both hash words; the table still compares the full state.
  const hashes = (): void => {
    let h1 = zobrist.playerHi[key[0]]
    let h2 = zobrist.playerLo[key[0]]
    for (let k = 1; k < stride; k++) {
      h1 ^= zobrist.boxHi[key[k]]
      h2 ^= zobrist.boxLo[key[k]]
    }
    hashH1 = h1
    hashH2 = h2
  }
  let hashH1 = 0
  let hashH2 = 0

  key[0] = startPlayer
  for (let i = 0; i < n; i++) key[i + 1] = startBoxes[i]
  hashes()
  table.findOrAdd(key, hashH1, hashH2)
  let onGoalAtStart = 0
  for (let i = 0; i < n; i++) onGoalAtStart += goal[startBoxes[i]]
  if (onGoalAtStart === n) return result('solved')
  for (let i = 0; i < n; i++) boxAt[startBoxes[i]] = 1
  const startDead = startBoxes.some((b) => dead[b] === 1) || freeze.anyFrozenOffGoal(startBoxes, boxAt)
  for (let i = 0; i < n; i++) boxAt[startBoxes[i]] = 0
  if (startDead) return result('unsolvable')

  let depth = 0
  let levelEnd = 1
  for (let head = 0; head < table.count; head++) {
    if (head === levelEnd) {
      depth++
      levelEnd = table.count
    }
    const base = head * stride
    const player = table.words[base]
    let onGoal = 0
    for (let i = 0; i < n; i++) {
      const b = table.words[base + 1 + i]
      boxes[i] = b
      boxAt[b] = 1
      onGoal += goal[b]
    }
    for (let d = 1; d <= 4; d++) {
      const step = delta[d]
      const next = player + step
      if (!open[next]) continue
      let solved = false
      key[0] = next
      if (boxAt[next]) {
        const target = next + step
        if (!open[target] || boxAt[target]) continue
        if (dead[target]) {
          pruned++
          continue
        }
        boxAt[next] = 0
        boxAt[target] = 1
        const frozen = freeze.afterPush(target, boxAt)
        boxAt[target] = 0
        boxAt[next] = 1
        if (frozen) {
          pruned++
          continue
        }
        writeMovedBoxes(key, boxes, next, target)
        solved = onGoal - goal[next] + goal[target] === n
      } else {
        for (let i = 0; i < n; i++) key[i + 1] = boxes[i]
      }
      hashes()
      const index = table.findOrAdd(key, hashH1, hashH2)
      if (!table.added) continue
      if (depth >= maxDepth) return result('depth-exceeded')
      if (index >= parent.length) {
        const capacity = table.capacity
        const grownParent = new Int32Array(capacity)
        grownParent.set(parent)
        parent = grownParent
        const grownMove = new Uint8Array(capacity)
        grownMove.set(move)
        move = grownMove
      }
      parent[index] = head
      move[index] = d
      if (solved) return result('solved', planTo(index, parent, move))
      if (table.count >= maxStates) return result('gave-up')
    }
    for (let i = 0; i < n; i++) boxAt[boxes[i]] = 0
  }
  return result('unsolvable')
}

function planTo(index: number, parent: Int32Array, move: Uint8Array): Direction[] {
  const plan: Direction[] = []
  for (let i = index; i !== 0; i = parent[i]) plan.push(move[i] as Direction)
  return plan.reverse()
}
