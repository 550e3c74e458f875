/**
 * @module core/sokoban/solve/search
 * Optimal Sokoban solving by A* over push positions (environments.md §6.2).
 *
 * Push-optimal mode: a node is (boxes, the player's region), the region written as its smallest
 * cell; its successors are every push the player can reach; each costs 1. Move-optimal mode: a
 * node is (boxes, the player's exact cell) right after a push; a successor costs the walk to the
 * pushing cell plus the push. In both modes the lower bound is the cheapest assignment of boxes
 * to distinct goals on push distances. A push moves one box one cell, which changes its
 * distances by at most one, so the bound is consistent and a node's cost is final when it is
 * expanded; nodes are never reopened.
 *
 * Pruning: pushes onto simple dead squares and pushes that freeze a box off its goal are never
 * generated; nodes whose boxes cannot all be matched to goals are dropped. The transposition
 * table is keyed by a 64-bit Zobrist hash (two 32-bit halves) updated by XOR per push, and still
 * compares the full position, so a hash collision cannot merge two positions.
 */
import type { Level, SokobanState } from '../level.ts'
import { LURD, type Direction } from '../directions.ts'
import { UNREACHABLE, createBoard, internalState, writeMovedBoxes, type Board } from './board.ts'
import { FreezeDetector } from './deadlock.ts'
import { NodeHeap } from './heap.ts'
import { Matcher } from './matching.ts'
import { StateTable, growInt32 } from './statetable.ts'
import { createZobrist } from './zobrist.ts'

/** The default limit on expanded nodes of `solve`. */
export const SOLVE_DEFAULT_MAX_NODES = 500_000

/** Options of `solve`. */
export interface SolveOptions {
  /** What the plan minimises first: pushes (default) or moves. */
  readonly optimal?: 'moves' | 'pushes'
  /** Give up after expanding this many nodes (default SOLVE_DEFAULT_MAX_NODES). */
  readonly maxNodes?: number
  /** Give up after this many milliseconds of `clock` time (needs `clock`). */
  readonly timeLimitMs?: number
  /** A monotonic millisecond clock (e.g. `performance.now`); core code cannot read one itself. */
  readonly clock?: () => number
  /** Solve from this state instead of the level's start. */
  readonly start?: SokobanState
}

/** Search effort of one `solve` call. */
export interface SolveStats {
  /** Nodes taken from the open list and expanded. */
  readonly expanded: number
  /** Successor positions looked up in the transposition table. */
  readonly generated: number
  /** Clock time spent, or 0 when no clock was given. */
  readonly elapsedMs: number
  /** Successors dropped as deadlocked (dead square, freeze, or no goal matching). */
  readonly deadlocksPruned: number
}

/** The outcome of `solve`. */
export interface SolveResult {
  /** `solved`, `unsolvable` (proved: every live position was examined), or `gave-up`. */
  readonly status: 'solved' | 'unsolvable' | 'gave-up'
  /** Why the search gave up (node limit or time limit); absent otherwise. */
  readonly reason?: string
  /** The full move sequence when solved, otherwise empty. */
  readonly moves: Direction[]
  /** The moves in LURD notation, upper case for pushes. */
  readonly lurd: string
  readonly moveCount: number
  readonly pushCount: number
  readonly stats: SolveStats
}

/**
 * Solves a level optimally: fewest pushes (default) or fewest moves. Deterministic: the same
 * level and options give the same plan.
 */
export function solve(level: Level, options: SolveOptions = {}): SolveResult {
  const clock = options.clock
  const timeLimitMs = options.timeLimitMs ?? Infinity
  if (Number.isFinite(timeLimitMs) && !clock) {
    throw new Error('solve: timeLimitMs needs a clock; pass options.clock (for example performance.now).')
  }
  const maxNodes = options.maxNodes ?? SOLVE_DEFAULT_MAX_NODES
  const board = createBoard(level)
  if (board.size > 0xffff) {
    throw new Error(`solve: the padded level has ${board.size} cells; at most 65535 are supported, so crop the level.`)
  }
  const start = options.start ?? level.start
  const search = new PushSearch(board, start, options.optimal === 'moves', maxNodes, timeLimitMs, clock)
  return search.run()
}

/** One A* search; a class so that its methods share the scratch buffers without passing them around. */
class PushSearch {
  private readonly board: Board
  private readonly start: SokobanState
  private readonly byMoves: boolean
  private readonly maxNodes: number
  private readonly timeLimitMs: number
  private readonly clock: (() => number) | undefined
  private readonly n: number
  private readonly m: number
  private readonly startPlayer: number
  private readonly startBoxes: Int32Array

  // Node data, indexed like the transposition table.
  private readonly table: StateTable
  private g: Int32Array
  private parent: Int32Array
  private pushFrom: Int32Array
  private pushDir: Uint8Array
  private closed: Uint8Array
  private boxHashHi: Int32Array
  private boxHashLo: Int32Array

  // Scratch.
  private readonly boxes: Int32Array
  private readonly key: Uint16Array
  private readonly boxAt: Uint8Array
  private readonly reach: Uint32Array
  private readonly region: Uint32Array
  private readonly dist: Int32Array
  private readonly queue: Int32Array
  private reachStamp = 0
  private regionStamp = 0

  private readonly matcher: Matcher
  private readonly freeze: FreezeDetector
  private readonly heap = new NodeHeap()
  private expanded = 0
  private generated = 0
  private pruned = 0
  private readonly startedAt: number

  constructor(
    board: Board,
    start: SokobanState,
    byMoves: boolean,
    maxNodes: number,
    timeLimitMs: number,
    clock: (() => number) | undefined,
  ) {
    this.board = board
    this.start = start
    this.byMoves = byMoves
    this.maxNodes = maxNodes
    this.timeLimitMs = timeLimitMs
    this.clock = clock
    this.startedAt = clock ? clock() : 0
    const s = internalState(board, start)
    this.startPlayer = s.player
    this.startBoxes = s.boxes
    this.n = s.boxes.length
    this.m = board.goals.length
    this.table = new StateTable(this.n + 1, 4096)
    const capacity = this.table.capacity
    this.g = new Int32Array(capacity)
    this.parent = new Int32Array(capacity)
    this.pushFrom = new Int32Array(capacity)
    this.pushDir = new Uint8Array(capacity)
    this.closed = new Uint8Array(capacity)
    this.boxHashHi = new Int32Array(capacity)
    this.boxHashLo = new Int32Array(capacity)
    this.boxes = new Int32Array(this.n)
    this.key = new Uint16Array(this.n + 1)
    this.boxAt = new Uint8Array(board.size)
    this.reach = new Uint32Array(board.size)
    this.region = new Uint32Array(board.size)
    this.dist = new Int32Array(board.size)
    this.queue = new Int32Array(board.size)
    this.matcher = new Matcher(this.n, this.m)
    this.freeze = new FreezeDetector(board)
  }

  run(): SolveResult {
    const { n, m, board, startBoxes } = this
    const zobrist = createZobrist(board.size)
    if (n > m) return this.finish('unsolvable')
    for (let i = 0; i < n; i++) this.boxAt[startBoxes[i]] = 1
    let onGoal = 0
    for (let i = 0; i < n; i++) onGoal += board.goal[startBoxes[i]]
    if (onGoal === n) return this.finish('solved', [])
    const h0 = this.lowerBound(startBoxes)
    if (h0 >= UNREACHABLE || this.freeze.anyFrozenOffGoal(startBoxes, this.boxAt)) return this.finish('unsolvable')
    const player0 = this.byMoves ? this.startPlayer : this.normalise(this.startPlayer)
    for (let i = 0; i < n; i++) this.boxAt[startBoxes[i]] = 0

    let bh = 0
    let bl = 0
    for (let i = 0; i < n; i++) {
      bh ^= zobrist.boxHi[startBoxes[i]]
      bl ^= zobrist.boxLo[startBoxes[i]]
    }
    this.key[0] = player0
    for (let i = 0; i < n; i++) this.key[i + 1] = startBoxes[i]
    const root = this.table.findOrAdd(this.key, bh ^ zobrist.playerHi[player0], bl ^ zobrist.playerLo[player0])
    this.g[root] = 0
    this.parent[root] = -1
    this.boxHashHi[root] = bh
    this.boxHashLo[root] = bl
    this.heap.push(priority(h0, 0), root)

    const { delta, open, dead, goal, pushDistance } = board
    const { table, boxes, boxAt, key, matcher, freeze, heap } = this
    const cost = matcher.cost
    while (heap.size > 0) {
      const node = heap.pop()
      if (this.closed[node]) continue
      this.closed[node] = 1
      const base = node * (n + 1)
      const player = table.words[base]
      onGoal = 0
      for (let i = 0; i < n; i++) {
        const b = table.words[base + 1 + i]
        boxes[i] = b
        onGoal += goal[b]
      }
      if (onGoal === n) return this.finish('solved', this.pushesTo(node))
      if (this.expanded >= this.maxNodes) {
        return this.finish('gave-up', [], `node limit (${this.maxNodes} nodes expanded)`)
      }
      if ((this.expanded & 255) === 0 && this.clock && this.clock() - this.startedAt > this.timeLimitMs) {
        return this.finish('gave-up', [], `time limit (${formatLimit(this.timeLimitMs)})`)
      }
      this.expanded++
      for (let i = 0; i < n; i++) boxAt[boxes[i]] = 1
      if (this.byMoves) this.distancesFrom(player)
      else this.reachFrom(player)
      const stamp = this.reachStamp
      const gNode = this.g[node]
      const nodeHi = this.boxHashHi[node]
      const nodeLo = this.boxHashLo[node]

      for (let i = 0; i < n; i++) {
        const b = boxes[i]
        for (let d = 1; d <= 4; d++) {
          const step = delta[d]
          const behind = b - step
          if (this.reach[behind] !== stamp) continue
          const target = b + step
          if (!open[target] || boxAt[target]) continue
          if (dead[target]) {
            this.pruned++
            continue
          }
          boxAt[b] = 0
          boxAt[target] = 1
          if (freeze.afterPush(target, boxAt)) {
            boxAt[target] = 0
            boxAt[b] = 1
            this.pruned++
            continue
          }
          const childPlayer = this.byMoves ? b : this.normalise(b)
          boxAt[target] = 0
          boxAt[b] = 1
          writeMovedBoxes(key, boxes, b, target)
          key[0] = childPlayer
          const hi = nodeHi ^ zobrist.boxHi[b] ^ zobrist.boxHi[target]
          const lo = nodeLo ^ zobrist.boxLo[b] ^ zobrist.boxLo[target]
          this.generated++
          const child = table.findOrAdd(key, hi ^ zobrist.playerHi[childPlayer], lo ^ zobrist.playerLo[childPlayer])
          const gChild = gNode + (this.byMoves ? this.dist[behind] + 1 : 1)
          const isNew = table.added
          if (!isNew && (this.closed[child] || gChild >= this.g[child])) continue
          if (isNew) this.ensureCapacity()
          // The bound depends only on the boxes, so it is computed once per new node.
          for (let k = 0; k < n; k++) {
            const row = key[k + 1] * m
            for (let j = 0; j < m; j++) cost[k * m + j] = pushDistance[row + j]
          }
          const h = matcher.solve(n, m)
          if (h >= UNREACHABLE) {
            this.closed[child] = 1
            this.pruned++
            continue
          }
          this.g[child] = gChild
          this.parent[child] = node
          this.pushFrom[child] = b
          this.pushDir[child] = d
          this.boxHashHi[child] = hi
          this.boxHashLo[child] = lo
          heap.push(priority(gChild + h, gChild), child)
        }
      }
      for (let i = 0; i < n; i++) boxAt[boxes[i]] = 0
    }
    return this.finish('unsolvable')
  }

  private lowerBound(boxes: Int32Array): number {
    const { n, m } = this
    const cost = this.matcher.cost
    for (let k = 0; k < n; k++) {
      for (let j = 0; j < m; j++) cost[k * m + j] = this.board.pushDistance[boxes[k] * m + j]
    }
    return this.matcher.solve(n, m)
  }

  private ensureCapacity(): void {
    const capacity = this.table.capacity
    if (this.g.length >= capacity) return
    this.g = growInt32(this.g, capacity)
    this.parent = growInt32(this.parent, capacity)
    this.pushFrom = growInt32(this.pushFrom, capacity)
    this.boxHashHi = growInt32(this.boxHashHi, capacity)
    this.boxHashLo = growInt32(this.boxHashLo, capacity)
    const pushDir = new Uint8Array(capacity)
    pushDir.set(this.pushDir)
    this.pushDir = pushDir
    const closed = new Uint8Array(capacity)
    closed.set(this.closed)
    this.closed = closed
  }

  /** Marks the player's region (cells reachable without pushing) from `from` in `reach`. */
  private reachFrom(from: number): void {
    const { open, delta } = this.board
    const { reach, boxAt, queue } = this
    const stamp = ++this.reachStamp
    let tail = 0
    queue[tail++] = from
    reach[from] = stamp
    for (let head = 0; head < tail; head++) {
      const cell = queue[head]
      for (let d = 1; d <= 4; d++) {
        const next = cell + delta[d]
        if (open[next] && !boxAt[next] && reach[next] !== stamp) {
          reach[next] = stamp
          queue[tail++] = next
        }
      }
    }
  }

  /** Like `reachFrom`, also recording walking distances in `dist`. */
  private distancesFrom(from: number): void {
    const { open, delta } = this.board
    const { reach, boxAt, queue, dist } = this
    const stamp = ++this.reachStamp
    let tail = 0
    queue[tail++] = from
    reach[from] = stamp
    dist[from] = 0
    for (let head = 0; head < tail; head++) {
      const cell = queue[head]
      for (let d = 1; d <= 4; d++) {
        const next = cell + delta[d]
        if (open[next] && !boxAt[next] && reach[next] !== stamp) {
          reach[next] = stamp
          dist[next] = dist[cell] + 1
          queue[tail++] = next
        }
      }
    }
  }

  /** The smallest cell of the player's region around `from` (with the current `boxAt`). */
  private normalise(from: number): number {
    const { open, delta } = this.board
    const { region, boxAt, queue } = this
    const stamp = ++this.regionStamp
    let tail = 0
    let min = from
    queue[tail++] = from
    region[from] = stamp
    for (let head = 0; head < tail; head++) {
      const cell = queue[head]
      for (let d = 1; d <= 4; d++) {
        const next = cell + delta[d]
        if (open[next] && !boxAt[next] && region[next] !== stamp) {
          region[next] = stamp
          if (next < min) min = next
          queue[tail++] = next
        }
      }
    }
    return min
  }

  /** The pushes (box cell before the push, direction) from the root to `node`. */
  private pushesTo(node: number): Array<[number, Direction]> {
    const pushes: Array<[number, Direction]> = []
    for (let x = node; this.parent[x] >= 0; x = this.parent[x]) {
      pushes.push([this.pushFrom[x], this.pushDir[x] as Direction])
    }
    return pushes.reverse()
  }

  private finish(status: SolveResult['status'], pushes: Array<[number, Direction]> = [], reason?: string): SolveResult {
    const moves: Direction[] = []
    let lurd = ''
    if (status === 'solved') {
      const expanded = expandPushes(this.board, this.startPlayer, this.startBoxes, pushes)
      moves.push(...expanded.moves)
      lurd = expanded.lurd
    }
    const stats: SolveStats = {
      expanded: this.expanded,
      generated: this.generated,
      elapsedMs: this.clock ? this.clock() - this.startedAt : 0,
      deadlocksPruned: this.pruned,
    }
    const result: SolveResult = { status, moves, lurd, moveCount: moves.length, pushCount: pushes.length, stats }
    return reason === undefined ? result : { ...result, reason }
  }
}

/** Heap priority: lower f first, then higher g (deeper nodes are closer to a goal). */
function priority(f: number, g: number): number {
  return f * 4194304 - g
}

function formatLimit(ms: number): string {
  return ms >= 1000 ? `${ms / 1000} s` : `${ms} ms`
}

/**
 * Turns a push plan into moves: before each push the player walks a shortest path (BFS, ties
 * in U, D, L, R order) to the cell behind the box.
 */
function expandPushes(
  board: Board,
  startPlayer: number,
  startBoxes: Int32Array,
  pushes: ReadonlyArray<readonly [number, Direction]>,
): { moves: Direction[]; lurd: string } {
  const { open, delta, size } = board
  const boxAt = new Uint8Array(size)
  for (const b of startBoxes) boxAt[b] = 1
  const cameFrom = new Int32Array(size)
  const queue = new Int32Array(size)
  const moves: Direction[] = []
  let lurd = ''
  let player = startPlayer
  for (const [from, dir] of pushes) {
    const goalCell = from - delta[dir]
    cameFrom.fill(-1)
    cameFrom[player] = player
    let tail = 0
    queue[tail++] = player
    for (let head = 0; head < tail && cameFrom[goalCell] < 0; head++) {
      const cell = queue[head]
      for (let d = 1; d <= 4; d++) {
        const next = cell + delta[d]
        if (open[next] && !boxAt[next] && cameFrom[next] < 0) {
          cameFrom[next] = cell
          queue[tail++] = next
        }
      }
    }
    if (cameFrom[goalCell] < 0) throw new Error('solve: internal error, a planned push is out of the player\'s reach.')
    const walk: Direction[] = []
    for (let cell = goalCell; cell !== player; cell = cameFrom[cell]) {
      const prev = cameFrom[cell]
      walk.push(directionOf(board, cell - prev))
    }
    walk.reverse()
    for (const d of walk) {
      moves.push(d)
      lurd += LURD[d]
    }
    moves.push(dir)
    lurd += LURD[dir].toUpperCase()
    boxAt[from] = 0
    boxAt[from + delta[dir]] = 1
    player = from
  }
  return { moves, lurd }
}

function directionOf(board: Board, step: number): Direction {
  for (let d = 1; d <= 4; d++) if (board.delta[d] === step) return d as Direction
  throw new Error(`solve: internal error, cells ${step} apart are not neighbours.`)
}

/** LURD notation of a move sequence from `start` (upper case where a move pushes a box). */
export function toLurd(level: Level, moves: readonly Direction[], start: SokobanState = level.start): string {
  const board = createBoard(level)
  const { player, boxes } = internalState(board, start)
  const boxAt = new Uint8Array(board.size)
  for (const b of boxes) boxAt[b] = 1
  let at = player
  let out = ''
  for (const d of moves) {
    const next = at + board.delta[d]
    if (!board.open[next]) {
      out += LURD[d]
      continue
    }
    if (boxAt[next]) {
      const beyond = next + board.delta[d]
      if (!board.open[beyond] || boxAt[beyond]) {
        out += LURD[d]
        continue
      }
      boxAt[next] = 0
      boxAt[beyond] = 1
      out += LURD[d].toUpperCase()
    } else {
      out += LURD[d]
    }
    at = next
  }
  return out
}

/** Reads LURD text into move codes; throws on any other character (position is 1-based). */
export function parseLurd(text: string): Direction[] {
  const out: Direction[] = []
  for (let i = 0; i < text.length; i++) {
    const index = LURD.indexOf(text[i].toLowerCase())
    if (index <= 0) throw new Error(`LURD: unexpected "${text[i]}" at position ${i + 1}; use only u d l r (any case).`)
    out.push(index as Direction)
  }
  return out
}
