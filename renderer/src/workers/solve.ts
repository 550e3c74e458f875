/**
 * What the solver worker computes, as plain functions so they run (and are tested) anywhere: the
 * move-optimal plan of a Sokoban level (core/sokoban A*), and the distinct solutions of a General
 * Points hand (core/gp's complete solver). Messages are plain JSON.
 */
import { allSolutions } from '../../../core/gp/solver.ts'
import type { Direction } from '../../../core/sokoban/directions.ts'
import { solve } from '../../../core/sokoban/solve/search.ts'
import { LevelParseError, parseXsbLevel } from '../../../core/sokoban/xsb.ts'

/** Defaults that keep one job to a few seconds on a slow machine. */
export const SOLVE_MAX_NODES = 400_000
export const SOLVE_TIME_LIMIT_MS = 15_000
/** At most this many GP solutions travel back (the count is always exact). */
export const GP_SOLUTIONS_SHOWN = 24

export type SolveJob =
  | { readonly kind: 'sokoban'; readonly xsb: string; readonly maxNodes?: number; readonly timeLimitMs?: number }
  | { readonly kind: 'gp'; readonly values: readonly number[]; readonly target: number }

export interface SokobanAnswer {
  readonly kind: 'sokoban'
  /** `invalid`: the text is not one level (see `message`). */
  readonly status: 'solved' | 'unsolvable' | 'gave-up' | 'invalid'
  /** The move-optimal plan when solved. */
  readonly moves: readonly Direction[]
  readonly moveCount: number
  readonly pushCount: number
  readonly expanded: number
  readonly elapsedMs: number
  /** Why the search gave up, or why the level is invalid. */
  readonly message: string | null
}

export interface GpAnswer {
  readonly kind: 'gp'
  /** Distinct solutions (see core/gp `canonicalSolution`). */
  readonly count: number
  /** The first GP_SOLUTIONS_SHOWN, shortest first. */
  readonly solutions: readonly string[]
  readonly elapsedMs: number
}

export type SolveAnswer = SokobanAnswer | GpAnswer

/** Messages between the page and the worker. */
export interface SolveRequestMessage {
  readonly id: number
  readonly job: SolveJob
}
export type SolveResponseMessage =
  | { readonly id: number; readonly ok: true; readonly answer: SolveAnswer }
  | { readonly id: number; readonly ok: false; readonly error: string }

/** Runs one job. `clock` is a millisecond clock (performance.now). Throws only on a bug or a bad GP hand. */
export function runSolveJob(job: SolveJob, clock: () => number): SolveAnswer {
  const t0 = clock()
  if (job.kind === 'gp') {
    const set = allSolutions(job.values, job.target)
    return { kind: 'gp', count: set.count, solutions: set.solutions.slice(0, GP_SOLUTIONS_SHOWN), elapsedMs: clock() - t0 }
  }
  let level
  try {
    level = parseXsbLevel(job.xsb)
  } catch (e) {
    if (!(e instanceof LevelParseError)) throw e
    return { kind: 'sokoban', status: 'invalid', moves: [], moveCount: 0, pushCount: 0, expanded: 0, elapsedMs: clock() - t0, message: e.message }
  }
  const result = solve(level, {
    optimal: 'moves',
    maxNodes: job.maxNodes ?? SOLVE_MAX_NODES,
    timeLimitMs: job.timeLimitMs ?? SOLVE_TIME_LIMIT_MS,
    clock,
  })
  return {
    kind: 'sokoban',
    status: result.status,
    moves: result.moves,
    moveCount: result.moveCount,
    pushCount: result.pushCount,
    expanded: result.stats.expanded,
    elapsedMs: clock() - t0,
    message: result.reason ?? null,
  }
}

/** The worker's answer to one message: the job's result, or the error it threw. */
export function answerMessage(message: SolveRequestMessage, clock: () => number): SolveResponseMessage {
  try {
    return { id: message.id, ok: true, answer: runSolveJob(message.job, clock) }
  } catch (e) {
    return { id: message.id, ok: false, error: (e as Error).message }
  }
}
