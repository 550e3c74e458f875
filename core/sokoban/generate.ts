/**
 * @module core/sokoban/generate
 * sftbench's seeded Sokoban level generator: gym-sokoban's reverse-play algorithm
 * (environments.md §4.1) with RAGEN's player walk (§4.2), bounded retries and optional
 * difficulty filters on the true move-optimal solution length.
 *
 * Per attempt: `candidates` times, carve a room by random walk, place the player and the
 * targets, play backwards from "every box on its target" (depth-first, 8 actions, gym's TTL and
 * state cap) and keep the best-scoring state; the candidate with the highest score wins, and its
 * player then wanders 1-3 steps. An attempt fails when no candidate scores above 0 (or has enough
 * floor), or when a difficulty filter rejects the level; after `maxAttempts` failures
 * `generateLevel` throws a `GenerationError` that says why.
 *
 * Why 3 candidates by default: with one (gym-sokoban's algorithm exactly) the levels are as hard
 * as gym's, median optimal moves about 4 / 7 / 14 / 24 at 6×6/1, 6×6/2, 8×8/2 and 10×10/3 with
 * the walk; keeping the best-scoring of three rooms raises that to about 5 / 9 / 15 / 26-28 for
 * three times the search work, which the compact search easily affords (bench `sokoban-generate`).
 *
 * Level i depends only on (seed, i): attempt a of level i draws from
 * `rngFor(seed, 'sokoban-gen', i, a)`, so levels can be made in any order, alone or in bulk.
 */
import { rngFor } from '../rng/index.ts'
import { FLOOR, GOAL, WALL, sortedBoxes, type Level } from './level.ts'
import { opposite, type Direction } from './directions.ts'
import { solveBfs } from './solve/bfs.ts'
import { MAX_CELLS_PER_MASK, carveRoom, placePlayerAndTargets, type Placement } from './generate/topology.ts'
import { reversePlay, type ReversePlayResult, type SwapCounting } from './generate/reversePlay.ts'
import { walkPlayer } from './generate/playerWalk.ts'

export type { SwapCounting } from './generate/reversePlay.ts'

/** What to generate. Only `rows`, `cols` and `boxes` are required. */
export interface GeneratorConfig {
  readonly rows: number
  readonly cols: number
  readonly boxes: number
  /** Random-walk steps that carve the room (default ⌊1.7 · (rows + cols)⌋, as gym-sokoban). */
  readonly walkSteps?: number
  /**
   * gym-sokoban's TTL of the reverse search (default 300): the longest reverse path explored has
   * `searchDepth - 2` actions. RAGEN and the paper call this `search_depth` (the paper uses 30).
   */
  readonly searchDepth?: number
  /**
   * Cap on distinct states (player cell + box cells) one reverse search explores, as gym-sokoban's
   * `len(explored_states)` (default 300 000). Each candidate room gets its own search.
   */
  readonly stateBudget?: number
  /** Attempts (room + placement + search + filters) before giving up (default 100). */
  readonly maxAttempts?: number
  /**
   * Rooms per attempt; the one whose reverse search scored highest becomes the level (default 3;
   * 1 is gym-sokoban's algorithm, see the module comment).
   */
  readonly candidates?: number
  /** RAGEN's random 1-3 step player walk after the search (default true). */
  readonly playerWalk?: boolean
  /** How the score counts box swaps: gym's `'pulls'` (default) or RAGEN's `'box-changes'`. */
  readonly swapCounting?: SwapCounting
  /** Reject levels whose move-optimal solution is shorter than this. */
  readonly minOptimalMoves?: number
  /** Reject levels whose move-optimal solution is longer than this. */
  readonly maxOptimalMoves?: number
  /**
   * Reject trivial levels: those solvable in at most `boxes` moves, that is, where every box can
   * be finished with one push and the player never has to walk (for one box: a single push).
   */
  readonly rejectTrivial?: boolean
  /** Compute `optimalMoves` for every level even without a filter (default false). */
  readonly computeOptimal?: boolean
  /** State cap of the move-optimal BFS used by the filters (default 2 000 000). */
  readonly solverStateBudget?: number
}

/** A config with every default filled in, as `validateGeneratorConfig` returns it. */
export interface ResolvedGeneratorConfig {
  readonly rows: number
  readonly cols: number
  readonly boxes: number
  readonly walkSteps: number
  readonly searchDepth: number
  readonly stateBudget: number
  readonly maxAttempts: number
  readonly candidates: number
  readonly playerWalk: boolean
  readonly swapCounting: SwapCounting
  readonly minOptimalMoves?: number
  readonly maxOptimalMoves?: number
  readonly rejectTrivial: boolean
  readonly computeOptimal: boolean
  readonly solverStateBudget: number
}

/** One generated level with how it was made. */
export interface GeneratedLevel {
  /** The level; its title is `; <seed>-<index>`. No box starts on a goal. */
  readonly level: Level
  /** Attempts used, the successful one included (1 when the first attempt succeeded). */
  readonly attempts: number
  /** A solution (not necessarily optimal): the walk undone, then the reverse pulls replayed as pushes. */
  readonly reverseMoves: Direction[]
  /** Σ Manhattan distance of each box from the target it started on. */
  readonly displacement: number
  /** The reverse search's score of the level (box swaps × displacement). */
  readonly score: number
  /** Move-optimal solution length, when a filter or `computeOptimal` asked for it and the BFS finished. */
  readonly optimalMoves?: number
  /** Distinct states the successful attempt's reverse search explored. */
  readonly exploredStates: number
}

/** Why an attempt was thrown away. */
export type RejectReason = 'too-few-floor-cells' | 'score-zero' | 'too-easy' | 'too-hard' | 'trivial' | 'solver-gave-up'

const REASON_TEXT: Record<RejectReason, string> = {
  'too-few-floor-cells': 'carved fewer than boxes + 2 floor cells',
  'score-zero': 'had no reverse-play state with every target uncovered (score 0)',
  'too-easy': 'were shorter than minOptimalMoves',
  'too-hard': 'were longer than maxOptimalMoves',
  trivial: 'were trivial (solvable in at most one move per box)',
  'solver-gave-up': 'exceeded the solver state budget, so the filters could not be checked',
}

/** Raised when a config is invalid or no level passed within `maxAttempts`. */
export class GenerationError extends Error {
  override name = 'GenerationError'
  constructor(
    message: string,
    /** The offending config as given. */
    readonly config: GeneratorConfig,
    /** Failed attempts per reason (empty for an invalid config). */
    readonly rejections: Readonly<Partial<Record<RejectReason, number>>> = {},
  ) {
    super(message)
  }
}

/** The default TTL of the reverse search (gym-sokoban's). */
export const DEFAULT_SEARCH_DEPTH = 300
/** The default reverse-search state cap (gym-sokoban's). */
export const DEFAULT_STATE_BUDGET = 300_000
/** The default number of attempts per level. */
export const DEFAULT_MAX_ATTEMPTS = 100
/** The default number of candidate rooms per attempt. */
export const DEFAULT_CANDIDATES = 3
/** The default state cap of the filtering BFS. */
export const DEFAULT_SOLVER_STATE_BUDGET = 2_000_000

/** gym-sokoban's default walk length: ⌊1.7 · (rows + cols)⌋ (20 for 6×6, 34 for 10×10). */
export function defaultWalkSteps(rows: number, cols: number): number {
  return Math.floor(1.7 * (rows + cols))
}

function describe(config: Pick<GeneratorConfig, 'rows' | 'cols' | 'boxes'>): string {
  return `${config.rows}×${config.cols} with ${config.boxes} box${config.boxes === 1 ? '' : 'es'}`
}

function checkInt(config: GeneratorConfig, field: string, value: unknown, min: number, max: number, hint = ''): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = `Generator config: ${field} must be an integer from ${min} to ${max}; got ${String(value)}.`
    throw new GenerationError(hint ? `${range} ${hint}` : range, config)
  }
  return value
}

/**
 * Checks a config and fills in the defaults. Throws a `GenerationError` naming the field, the
 * allowed range and, for impossible combinations, why they cannot work.
 */
export function validateGeneratorConfig(config: GeneratorConfig): ResolvedGeneratorConfig {
  const rows = checkInt(config, 'rows', config.rows, 3, 64)
  const cols = checkInt(config, 'cols', config.cols, 3, 64)
  const boxes = checkInt(config, 'boxes', config.boxes, 1, 1000)
  const interior = (rows - 2) * (cols - 2)
  if (interior < boxes + 2) {
    throw new GenerationError(
      `Generator config: ${describe(config)} has at most ${interior} interior cell${interior === 1 ? '' : 's'}; ` +
        `need ≥ boxes + 2 = ${boxes + 2} floor cells ` +
        '(one for the player and one free cell, as gym-sokoban requires). ' +
        'Use fewer boxes or a larger room.',
      config,
    )
  }
  const walkSteps = checkInt(config, 'walkSteps', config.walkSteps ?? defaultWalkSteps(rows, cols), 1, 100_000)
  if (walkSteps * MAX_CELLS_PER_MASK < boxes + 2) {
    throw new GenerationError(
      `Generator config: walkSteps ${walkSteps} carves at most ${walkSteps * MAX_CELLS_PER_MASK} floor cells, ` +
        `but ${describe(config)} needs ≥ ${boxes + 2}. Raise walkSteps.`,
      config,
    )
  }
  const searchDepth = checkInt(
    config,
    'searchDepth',
    config.searchDepth ?? DEFAULT_SEARCH_DEPTH,
    3,
    100_000,
    "It is gym-sokoban's TTL: paths of up to searchDepth - 2 reverse moves are explored, " +
      'so 3 is the least that moves a box.',
  )
  const stateBudget = checkInt(config, 'stateBudget', config.stateBudget ?? DEFAULT_STATE_BUDGET, 1, 5_000_000)
  const maxAttempts = checkInt(config, 'maxAttempts', config.maxAttempts ?? DEFAULT_MAX_ATTEMPTS, 1, 1_000_000)
  const candidates = checkInt(config, 'candidates', config.candidates ?? DEFAULT_CANDIDATES, 1, 64)
  const solverStateBudget = checkInt(
    config,
    'solverStateBudget',
    config.solverStateBudget ?? DEFAULT_SOLVER_STATE_BUDGET,
    1,
    100_000_000,
  )
  const min =
    config.minOptimalMoves === undefined
      ? undefined
      : checkInt(config, 'minOptimalMoves', config.minOptimalMoves, 0, 100_000)
  const max =
    config.maxOptimalMoves === undefined
      ? undefined
      : checkInt(config, 'maxOptimalMoves', config.maxOptimalMoves, 1, 100_000)
  if (min !== undefined && max !== undefined && min > max) {
    throw new GenerationError(
      `Generator config: minOptimalMoves (${min}) is above maxOptimalMoves (${max}); no level can pass. ` +
        'Swap or widen them.',
      config,
    )
  }
  const swapCounting = config.swapCounting ?? 'pulls'
  if (swapCounting !== 'pulls' && swapCounting !== 'box-changes') {
    throw new GenerationError(
      `Generator config: swapCounting must be 'pulls' or 'box-changes'; got ${String(swapCounting)}.`,
      config,
    )
  }
  return {
    rows,
    cols,
    boxes,
    walkSteps,
    searchDepth,
    stateBudget,
    maxAttempts,
    candidates,
    playerWalk: config.playerWalk ?? true,
    swapCounting,
    ...(min === undefined ? {} : { minOptimalMoves: min }),
    ...(max === undefined ? {} : { maxOptimalMoves: max }),
    rejectTrivial: config.rejectTrivial ?? false,
    computeOptimal: config.computeOptimal ?? false,
    solverStateBudget,
  }
}

// Two reusable room buffers: one holds the best candidate so far, the other the next candidate.
let roomBuffers = [new Uint8Array(0), new Uint8Array(0)]

/** The outcome of one attempt: a level, or why there is none. */
type AttemptOutcome =
  | { readonly ok: true; readonly level: Omit<GeneratedLevel, 'attempts'> }
  | { readonly ok: false; readonly reason: RejectReason }

function attempt(cfg: ResolvedGeneratorConfig, seed: number, index: number, attemptNo: number): AttemptOutcome {
  const { rows, cols } = cfg
  // Best of `candidates` rooms by the reverse search's own score (the first wins ties). They
  // draw one after another from the attempt's stream, and the player walk draws after them all.
  const rng = rngFor(seed, 'sokoban-gen', index, attemptNo)
  let room: Uint8Array | null = null
  let placement: Placement | null = null
  let found: ReversePlayResult | null = null
  let reason: RejectReason = 'too-few-floor-cells'
  const cells = rows * cols
  if (roomBuffers[0].length < cells) roomBuffers = [new Uint8Array(cells), new Uint8Array(cells)]
  for (let c = 0; c < cfg.candidates; c++) {
    // Carve into whichever buffer does not hold the best room so far.
    const candidateRoom = carveRoom(rows, cols, cfg.walkSteps, rng, roomBuffers[room === roomBuffers[0] ? 1 : 0])
    const candidatePlacement = placePlayerAndTargets(candidateRoom, cells, cfg.boxes, rng)
    if (candidatePlacement === null) continue
    const result = reversePlay({
      rows,
      cols,
      room: candidateRoom,
      targets: candidatePlacement.targets,
      player: candidatePlacement.player,
      searchDepth: cfg.searchDepth,
      stateBudget: cfg.stateBudget,
      swapCounting: cfg.swapCounting,
    })
    if (result.score <= 0) {
      reason = 'score-zero'
      continue
    }
    if (found === null || result.score > found.score) {
      room = candidateRoom
      placement = candidatePlacement
      found = result
    }
  }
  if (room === null || placement === null || found === null) return { ok: false, reason }

  const fixed = new Uint8Array(cells)
  for (let i = 0; i < cells; i++) fixed[i] = room[i] === 1 ? FLOOR : WALL
  for (const t of placement.targets) fixed[t] = GOAL
  const walk = cfg.playerWalk
    ? walkPlayer(fixed, found.boxes, cols, found.player, found.displacement, rng)
    : { player: found.player, moves: [] }
  // Forward solution: undo the walk, then replay the reverse path backwards with each move
  // turned around, which turns every pull into a push.
  const reverseMoves: Direction[] = []
  for (let i = walk.moves.length - 1; i >= 0; i--) reverseMoves.push(opposite(walk.moves[i]))
  for (let i = found.path.length - 1; i >= 0; i--) reverseMoves.push(opposite(found.path[i]))
  const level: Level = {
    rows,
    cols,
    fixed,
    start: { player: walk.player, boxes: sortedBoxes(found.boxes) },
    title: `; ${seed}-${index}`,
  }

  const judged = judge(level, reverseMoves.length, cfg)
  if (judged.reason !== undefined) return { ok: false, reason: judged.reason }
  return {
    ok: true,
    level: {
      level,
      reverseMoves,
      displacement: found.displacement,
      score: found.score,
      exploredStates: found.explored,
      ...(judged.optimal === undefined ? {} : { optimalMoves: judged.optimal }),
    },
  }
}

/** Applies the difficulty filters; solves only when a filter or `computeOptimal` needs it. */
function judge(
  level: Level,
  planLength: number,
  cfg: ResolvedGeneratorConfig,
): { reason?: RejectReason; optimal?: number } {
  const filtering = cfg.minOptimalMoves !== undefined || cfg.maxOptimalMoves !== undefined || cfg.rejectTrivial
  // The reverse plan is a solution, so the optimum is at most its length: a cheap early reject.
  if (cfg.minOptimalMoves !== undefined && planLength < cfg.minOptimalMoves) return { reason: 'too-easy' }
  if (cfg.rejectTrivial && planLength <= cfg.boxes) return { reason: 'trivial' }
  if (!filtering && !cfg.computeOptimal) return {}
  const maxDepth = Math.min(planLength, cfg.maxOptimalMoves ?? Infinity)
  const result = solveBfs(level, { maxDepth, maxStates: cfg.solverStateBudget })
  if (result.status === 'unsolvable') {
    // Reverse play only makes solvable levels; this would be a bug in the generator or solver.
    throw new Error(
      `Generated level ${level.title ?? ''} is unsolvable although its reverse plan solves it; please report this.`,
    )
  }
  if (result.status === 'gave-up') return filtering ? { reason: 'solver-gave-up' } : {}
  if (result.status === 'depth-exceeded') return { reason: 'too-hard' }
  const optimal = result.plan.length
  if (cfg.minOptimalMoves !== undefined && optimal < cfg.minOptimalMoves) return { reason: 'too-easy' }
  if (cfg.rejectTrivial && optimal <= cfg.boxes) return { reason: 'trivial' }
  return { optimal }
}

function generateResolved(
  cfg: ResolvedGeneratorConfig,
  config: GeneratorConfig,
  seed: number,
  index: number,
): GeneratedLevel {
  const rejections: Partial<Record<RejectReason, number>> = {}
  for (let a = 0; a < cfg.maxAttempts; a++) {
    const outcome = attempt(cfg, seed, index, a)
    if (outcome.ok) return { ...outcome.level, attempts: a + 1 }
    rejections[outcome.reason] = (rejections[outcome.reason] ?? 0) + 1
  }
  const why = (Object.entries(rejections) as [RejectReason, number][])
    .map(([reason, n]) => `${n} ${REASON_TEXT[reason]}`)
    .join('; ')
  throw new GenerationError(
    `Could not generate level ${index} (seed ${seed}) for ${describe(cfg)}: all ${cfg.maxAttempts} attempts failed ` +
      `(${why}). Loosen the difficulty filters, change walkSteps or the room size, or raise maxAttempts.`,
    config,
    rejections,
  )
}

function checkSeedAndIndex(config: GeneratorConfig, seed: number, index: number): void {
  if (!Number.isSafeInteger(seed)) {
    throw new GenerationError(`Generator: seed must be a safe integer; got ${seed}.`, config)
  }
  if (!Number.isSafeInteger(index) || index < 0) {
    throw new GenerationError(`Generator: level index must be a non-negative safe integer; got ${index}.`, config)
  }
}

/**
 * Generates level `index` of the stream `seed`. The result depends only on (config, seed,
 * index). Throws `GenerationError` for an invalid config or when every attempt fails.
 */
export function generateLevel(config: GeneratorConfig, seed: number, index: number): GeneratedLevel {
  const cfg = validateGeneratorConfig(config)
  checkSeedAndIndex(config, seed, index)
  return generateResolved(cfg, config, seed, index)
}

/** Generates levels `startIndex` … `startIndex + count - 1` of the stream `seed`, in order. */
export function generateLevels(config: GeneratorConfig, seed: number, count: number, startIndex = 0): GeneratedLevel[] {
  const cfg = validateGeneratorConfig(config)
  if (!Number.isSafeInteger(count) || count < 0) {
    throw new GenerationError(`Generator: count must be a non-negative integer; got ${count}.`, config)
  }
  const out: GeneratedLevel[] = []
  for (let i = 0; i < count; i++) {
    checkSeedAndIndex(config, seed, startIndex + i)
    out.push(generateResolved(cfg, config, seed, startIndex + i))
  }
  return out
}
