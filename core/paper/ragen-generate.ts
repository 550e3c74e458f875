/**
 * @module core/paper/ragen-generate
 * RAGEN's Sokoban level generator as the paper's evaluation ran it (`ragen/env/sokoban/
 * room_utils.py::generate_room` at RAGEN 0d63165, wrapped by the paper's `SokobanEnvReil.reset`),
 * reproduced draw by draw from a seed (paper-rng.md §2).
 *
 * This is deliberately NOT sftbench's own generator (`core/sokoban/generate`): it keeps every
 * quirk of the reference, because only then does seed s give the very level the paper evaluated.
 * The quirks that matter: topology and the random player walk read CPython's `random`, placement
 * reads numpy's legacy generator (two MT19937 streams seeded with the same integer); the reverse
 * DFS identifies a state by the whole grid, including the pulled-box code 3 versus the never-pulled
 * code 4; the first state with the best score wins (strict `>`); the search stops at 300 000
 * explored states; and a failed generation is retried from `abs(hash(str(seed))) % 2**32`.
 */
import { PyRandom } from './py-random.ts'
import { NpRandomState } from './np-random.ts'
import { retrySeed } from './siphash13.ts'
import { FLOOR, GOAL, WALL, type FixedCell, type Level } from '../sokoban/level.ts'

// The reference's room codes (room_utils.py TYPE_LOOKUP).
const R_FLOOR = 1
const R_TARGET = 2
const R_BOX_PULLED = 3
const R_BOX = 4
const R_PLAYER = 5

/** `len(explored_states) >= 300000` stops the reverse search. */
export const REVERSE_PLAY_STATE_CAP = 300_000

/** Parameters of one `generate_room` call. */
export interface RagenRoomParams {
  readonly rows: number
  readonly cols: number
  readonly numBoxes: number
  /** The reverse-play TTL (`search_depth`; 30 in every eval config). */
  readonly searchDepth?: number
  /** Random-walk steps; default gym-sokoban's `int(1.7 * (rows + cols))`. */
  readonly numSteps?: number
}

/** The room `generate_room` returns, in the reference's codes. */
export interface RagenRoom {
  readonly rows: number
  readonly cols: number
  /** `room_structure`, row-major: 0 wall, 1 floor, 2 target. */
  readonly structure: Uint8Array
  /** `room_state`, row-major: 0 wall, 1 floor, 2 target, 4 box, 5 player. */
  readonly state: Uint8Array
  /** Targets in row-major order and the cell of the box each one was pulled to. */
  readonly boxMapping: readonly { readonly target: number; readonly box: number }[]
  /** `best_action_sequence`: reverse actions 0-3 (pull up, down, left, right) to the best state. */
  readonly reverseActions: readonly number[]
  /** Σ Manhattan(target, box): the displacement that made the try succeed. */
  readonly displacement: number
  /** How many topology tries `generate_room` used (1-4). */
  readonly tries: number
  /** Distinct states the successful try's reverse search explored. */
  readonly exploredStates: number
  /** Player steps of the final random walk (0-3). */
  readonly playerSteps: number
}

/** Why one `generate_room` call raised. */
export type RagenFailure = 'too-few-floor-cells' | 'zero-displacement'

/** The outcome of one `generate_room` call under one seed. */
export type RagenAttempt =
  | { readonly ok: true; readonly room: RagenRoom }
  | { readonly ok: false; readonly reason: RagenFailure; readonly message: string }

/** A level as the reference env produced it for a seed, with the seeds its retries went through. */
export interface RagenLevel {
  readonly level: Level
  readonly room: RagenRoom
  /** The seed passed to `reset`, then each retry seed; the last one generated the level. */
  readonly seedChain: readonly number[]
  /** Why each seed but the last failed, in chain order. */
  readonly failures: readonly RagenFailure[]
}

/** gym-sokoban's default walk length: `int(1.7 * (rows + cols))` (20 for 6×6, 34 for 10×10). */
export function defaultNumSteps(rows: number, cols: number): number {
  return Math.trunc(1.7 * (rows + cols))
}

// Walk directions in list order, as (row delta, col delta).
const WALK_DIRECTIONS: readonly (readonly [number, number])[] = [
  [1, 0],
  [0, 1],
  [-1, 0],
  [0, -1],
]

// The five 3×3 floor masks in list order, row-major.
const MASKS: readonly (readonly number[])[] = [
  [0, 0, 0, 1, 1, 1, 0, 0, 0],
  [0, 1, 0, 0, 1, 0, 0, 1, 0],
  [0, 0, 0, 1, 1, 0, 0, 1, 0],
  [0, 0, 0, 1, 1, 0, 1, 1, 0],
  [0, 0, 0, 0, 1, 1, 0, 1, 0],
]

/** Step A, `room_topology_generation`: a random walk stamping masks; all draws from CPython. */
function topology(py: PyRandom, rows: number, cols: number, numSteps: number): Uint8Array {
  const level = new Int32Array(rows * cols)
  let [dr, dc] = py.sampleOne(WALK_DIRECTIONS)
  // The start may lie on the last row or column; the clamp below applies from the first step on.
  let row = py.randint(1, rows - 1)
  let col = py.randint(1, cols - 1)
  for (let s = 0; s < numSteps; s++) {
    if (py.random() < 0.35) [dr, dc] = py.sampleOne(WALK_DIRECTIONS)
    row = Math.max(Math.min(row + dr, rows - 2), 1)
    col = Math.max(Math.min(col + dc, cols - 2), 1)
    const mask = py.sampleOne(MASKS)
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) level[(row - 1 + i) * cols + (col - 1 + j)] += mask[i * 3 + j]
    }
  }
  const room = new Uint8Array(rows * cols)
  for (let r = 1; r < rows - 1; r++) {
    for (let c = 1; c < cols - 1; c++) if (level[r * cols + c] > 0) room[r * cols + c] = R_FLOOR
  }
  return room
}

function freeCells(room: Uint8Array): number[] {
  const free: number[] = []
  for (let i = 0; i < room.length; i++) if (room[i] === R_FLOOR) free.push(i)
  return free
}

/**
 * Step B, `place_boxes_and_player`: the player, then each target, on a random free cell (row-major
 * list, recomputed after each placement); all draws from numpy. False when too few cells are free.
 */
function place(np: NpRandomState, room: Uint8Array, numBoxes: number): boolean {
  let free = freeCells(room)
  if (free.length <= numBoxes + 1) return false
  room[free[np.randint(free.length)]] = R_PLAYER
  for (let n = 0; n < numBoxes; n++) {
    free = freeCells(room)
    room[free[np.randint(free.length)]] = R_TARGET
  }
  return true
}

/** The best state the reverse search found. */
interface ReverseResult {
  readonly state: Uint8Array
  readonly mapping: Int32Array
  readonly actions: number[]
}

/**
 * Step D, `reverse_playing` / `depth_first_search` / `reverse_move`: no draws, but every detail
 * decides the level. One mutable grid is changed and restored around each recursive call, which
 * is equivalent to the reference's per-call copies.
 */
class ReversePlay {
  private readonly grid: Uint8Array
  private readonly mapping: Int32Array
  private readonly explored = new Set<number | string>()
  private readonly actions: number[] = []
  private readonly deltas: readonly number[]
  private readonly numericKeys: boolean
  private readonly sortedBoxes: number[]
  private player: number
  private bestScore = -1
  private best: ReverseResult | null = null

  constructor(
    private readonly structure: Uint8Array,
    state: Uint8Array,
    private readonly targets: readonly number[],
    private readonly cols: number,
  ) {
    this.grid = state.slice()
    this.mapping = Int32Array.from(targets)
    this.player = this.grid.indexOf(R_PLAYER)
    // Pull up, down, left, right.
    this.deltas = [-cols, cols, -1, 1]
    this.sortedBoxes = new Array<number>(targets.length).fill(0)
    // player + (cell, pulled-flag) per box must stay below 2^53 to be an exact number key.
    this.numericKeys = Math.log2(state.length) + targets.length * Math.log2(2 * state.length) < 52
  }

  run(searchDepth: number): ReverseResult {
    this.dfs(0, -1, searchDepth, 0)
    if (this.best === null) {
      // Only possible with searchDepth <= 1, where the reference returns best_room = None and crashes.
      throw new Error(`reverse play needs searchDepth >= 2 to score the start state, got ${searchDepth}`)
    }
    return this.best
  }

  /** The reference's state key is the grid's bytes: player cell plus each box cell and code. */
  private key(): number | string {
    const boxes = this.sortedBoxes
    for (let i = 0; i < boxes.length; i++) boxes[i] = this.mapping[i]
    boxes.sort((a, b) => a - b)
    const base = 2 * this.grid.length
    if (this.numericKeys) {
      let k = this.player
      for (const b of boxes) k = k * base + b * 2 + (this.grid[b] === R_BOX_PULLED ? 1 : 0)
      return k
    }
    return `${this.player}:${boxes.map((b) => b * 2 + (this.grid[b] === R_BOX_PULLED ? 1 : 0)).join(',')}`
  }

  private displacement(): number {
    return displacementOf(this.targets, this.mapping, this.cols)
  }

  private dfs(boxSwaps: number, lastPull: number, ttl: number, depth: number): void {
    ttl -= 1
    if (ttl <= 0 || this.explored.size >= REVERSE_PLAY_STATE_CAP) return
    const key = this.key()
    if (this.explored.has(key)) return

    const grid = this.grid
    let score = boxSwaps * this.displacement()
    let uncovered = 0
    for (const t of this.targets) if (grid[t] === R_TARGET) uncovered++
    if (uncovered !== this.targets.length) score = 0
    if (score > this.bestScore) {
      this.bestScore = score
      this.best = {
        state: grid.slice(),
        mapping: this.mapping.slice(),
        actions: this.actions.slice(0, depth),
      }
    }
    this.explored.add(key)

    const structure = this.structure
    for (let action = 0; action < 4; action++) {
      const d = this.deltas[action]
      const p = this.player
      const next = p + d
      const nextCode = grid[next]
      // reverse_move: a blocked step changes nothing, and the unchanged state is already explored,
      // so the reference's recursive call would return at once; skipping it is equivalent.
      if (nextCode !== R_FLOOR && nextCode !== R_TARGET) continue
      const behind = p - d
      const behindCode = grid[behind]
      grid[p] = structure[p]
      grid[next] = R_PLAYER
      this.player = next
      let pulledKey = -1
      if (behindCode === R_BOX_PULLED || behindCode === R_BOX) {
        grid[p] = R_BOX_PULLED
        grid[behind] = structure[behind]
        for (let k = 0; k < this.mapping.length; k++) {
          if (this.mapping[k] === behind) {
            this.mapping[k] = p
            pulledKey = k
          }
        }
      }
      const lastPullNext = pulledKey >= 0 ? pulledKey : lastPull
      this.actions[depth] = action
      this.dfs(lastPullNext !== lastPull ? boxSwaps + 1 : boxSwaps, lastPullNext, ttl, depth + 1)
      // Undo.
      if (pulledKey >= 0) this.mapping[pulledKey] = behind
      grid[behind] = behindCode
      grid[next] = nextCode
      grid[p] = R_PLAYER
      this.player = p
    }
  }

  explorationSize(): number {
    return this.explored.size
  }
}

function displacementOf(targets: readonly number[], mapping: ArrayLike<number>, cols: number): number {
  let sum = 0
  for (let i = 0; i < targets.length; i++) {
    const t = targets[i]
    const b = mapping[i]
    sum += Math.abs(Math.floor(t / cols) - Math.floor(b / cols)) + Math.abs((t % cols) - (b % cols))
  }
  return sum
}

/**
 * Step F, `add_random_player_movement`: with probability `moveProbability` the player takes 1-3
 * steps onto floor or target cells it has not visited in this walk; all draws from CPython.
 */
function randomPlayerWalk(
  py: PyRandom,
  state: Uint8Array,
  structure: Uint8Array,
  cols: number,
  moveProbability: number,
): number {
  if (py.random() > moveProbability) return 0
  let pos = state.indexOf(R_PLAYER)
  const visited = [pos]
  const deltas = [-cols, cols, -1, 1]
  let steps = 0
  while (steps < 3) {
    const candidates: number[] = []
    for (const d of deltas) {
      const n = pos + d
      if ((state[n] === R_FLOOR || state[n] === R_TARGET) && !visited.includes(n)) candidates.push(n)
    }
    if (candidates.length === 0) break
    const next = py.choice(candidates)
    state[pos] = structure[pos]
    state[next] = R_PLAYER
    pos = next
    visited.push(pos)
    steps++
    if (steps >= 3 || py.random() > 0.5) break
  }
  return steps
}

function checkParams(params: RagenRoomParams): Required<RagenRoomParams> {
  const { rows, cols, numBoxes } = params
  const searchDepth = params.searchDepth ?? 30
  const numSteps = params.numSteps ?? defaultNumSteps(rows, cols)
  for (const [name, value, min] of [
    ['rows', rows, 3],
    ['cols', cols, 3],
    ['numBoxes', numBoxes, 1],
    ['searchDepth', searchDepth, 2],
    ['numSteps', numSteps, 0],
  ] as const) {
    if (!Number.isInteger(value) || value < min) {
      throw new RangeError(`generate_room: ${name} must be an integer >= ${min}, got ${value}`)
    }
  }
  return { rows, cols, numBoxes, searchDepth, numSteps }
}

/**
 * One `generate_room` call with both generators already seeded, exactly as the reference (up to 4
 * topology tries that continue both streams). Returns the failure the reference would raise
 * instead of throwing it. `py` and `np` are advanced as the reference advances them.
 */
export function generateRoom(py: PyRandom, np: NpRandomState, params: RagenRoomParams): RagenAttempt {
  const { rows, cols, numBoxes, searchDepth, numSteps } = checkParams(params)
  for (let t = 0; t < 4; t++) {
    const room = topology(py, rows, cols, numSteps)
    if (!place(np, room, numBoxes)) {
      const free = freeCells(room).length
      return {
        ok: false,
        reason: 'too-few-floor-cells',
        message: `Not enough free spots (#${free}) to place 1 player and ${numBoxes} boxes.`,
      }
    }
    const structure = room.map((v) => (v === R_PLAYER ? R_FLOOR : v))
    const start = room.map((v) => (v === R_TARGET ? R_BOX : v))
    const targets: number[] = []
    for (let i = 0; i < structure.length; i++) if (structure[i] === R_TARGET) targets.push(i)

    const search = new ReversePlay(structure, start, targets, cols)
    const best = search.run(searchDepth)
    const state = best.state.map((v) => (v === R_BOX_PULLED ? R_BOX : v))
    const displacement = displacementOf(targets, best.mapping, cols)
    if (displacement === 0) continue

    const playerSteps = randomPlayerWalk(py, state, structure, cols, displacement === 1 ? 0.8 : 0.5)
    return {
      ok: true,
      room: {
        rows,
        cols,
        structure,
        state,
        boxMapping: targets.map((target, i) => ({ target, box: best.mapping[i] })),
        reverseActions: best.actions,
        displacement,
        tries: t + 1,
        exploredStates: search.explorationSize(),
        playerSteps,
      },
    }
  }
  return { ok: false, reason: 'zero-displacement', message: 'Generated Model with score == 0' }
}

/** The reference's retry chain never needs more than a few seeds; this guards against a loop. */
const MAX_SEED_CHAIN = 64

/**
 * `SokobanEnvReil.reset(seed)`: seed both generators with `seed`, generate, and on failure retry
 * from `abs(hash(str(seed))) % 2**32` (CPython >= 3.11 under PYTHONHASHSEED=0), until a level comes
 * out. Every level is a pure function of its seed; nothing carries over between calls.
 */
export function ragenReset(seed: number, params: RagenRoomParams): RagenLevel {
  const seedChain: number[] = []
  const failures: RagenFailure[] = []
  let s = seed
  for (;;) {
    seedChain.push(s)
    const attempt = generateRoom(new PyRandom(s), new NpRandomState(s), params)
    if (attempt.ok) return { level: roomToLevel(attempt.room), room: attempt.room, seedChain, failures }
    failures.push(attempt.reason)
    if (seedChain.length >= MAX_SEED_CHAIN) {
      throw new Error(
        `ragenReset(${seed}): ${MAX_SEED_CHAIN} seeds in a row failed (${attempt.message}); check the parameters`,
      )
    }
    s = retrySeed(s)
  }
}

const FIXED_OF_CODE: readonly FixedCell[] = [WALL, FLOOR, GOAL]

/**
 * The reference room as an sftbench `Level`: `room_structure` is the static layer (every wall is a
 * WALL, there is no VOID), the player is the cell holding 5, the boxes the cells holding 4.
 */
export function roomToLevel(room: RagenRoom): Level {
  const fixed = new Uint8Array(room.structure.length)
  let player = -1
  const boxes: number[] = []
  for (let i = 0; i < fixed.length; i++) {
    fixed[i] = FIXED_OF_CODE[room.structure[i]]
    const code = room.state[i]
    if (code === R_PLAYER) player = i
    else if (code === R_BOX || code === R_BOX_PULLED) boxes.push(i)
  }
  if (player < 0) throw new Error('roomToLevel: the room state has no player (code 5)')
  return { rows: room.rows, cols: room.cols, fixed, start: { player, boxes } }
}
