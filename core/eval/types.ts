/**
 * @module core/eval/types
 * The data an evaluation produces and streams: the stable reference of a sweep cell, the record of a
 * finished cell (one line of a run folder's `results.jsonl`), per-group aggregates with confidence
 * intervals, and the typed progress events the CLI and the UI both consume.
 *
 * Everything here is plain JSON (no classes, no `undefined`-only distinctions), so a record
 * written by one version of sftbench reads back unchanged in the next and in pandas.
 */
import type { Direction } from '../sokoban/directions.ts'
import type { ParseFailureReason } from '../sokoban/parse-answer.ts'
import type { EpisodeEnd } from '../sokoban/episode.ts'
import type { FinishReason } from '../model/client.ts'

/** Version of the `results.jsonl` line format; bump and migrate on any incompatible change. */
export const RESULT_FORMAT_VERSION = 1

/**
 * Where a cell sits in a sweep. `key` names the item without the model
 * (`variant/difficulty/instance/repeat`); `id` is `model/key`, unique within a run. Paired
 * comparisons across runs or models match cells on `key`. `seed` is derived from the sweep seed
 * and `key` only, so every model of a sweep sees the same seeds (common random numbers) and no
 * seed depends on the order cells run in.
 */
export interface CellRef {
  readonly id: string
  readonly key: string
  readonly model: string
  readonly variant: string
  readonly difficulty: string
  /** 0-based index into the difficulty's instance set. */
  readonly instance: number
  /** 0-based repeat index. */
  readonly repeat: number
  readonly seed: number
}

/**
 * Why a cell failed; `null` on success. Sokoban: the reason of the *first* problem that decided the
 * episode, in this precedence: the episode reached a deadlock (`deadlock`) before running out;
 * otherwise the last failing turn's parse reason (`no-answer-tag`, `unknown-action` (including an
 * empty answer)); otherwise `ineffective-move` when any executed move left the player in place;
 * otherwise `out-of-turns` / `out-of-steps`. GP: the verdict of the variant's scorer.
 */
export type SokobanFailure =
  | 'no-answer-tag'
  | 'unknown-action'
  | 'ineffective-move'
  | 'deadlock'
  | 'out-of-turns'
  | 'out-of-steps'
  | 'plan-exhausted'

export type GpFailure = 'no-formula' | 'illegal-formula' | 'wrong-numbers' | 'wrong-value'

/** A backend error that kept the cell from running to the end (it counts as a failure). */
export type RunFailure = 'backend-error'

export type FailureKind = SokobanFailure | GpFailure | RunFailure

/** Every failure kind, in a fixed order (the `failures_*` columns of CSV exports, chart legends). */
export const FAILURE_KINDS = [
  'no-answer-tag',
  'unknown-action',
  'ineffective-move',
  'deadlock',
  'out-of-turns',
  'out-of-steps',
  'plan-exhausted',
  'no-formula',
  'illegal-formula',
  'wrong-numbers',
  'wrong-value',
  'backend-error',
] as const satisfies readonly FailureKind[]
// Fails to compile when a failure kind is added above but not to this list.
const _everyFailureKind: [Exclude<FailureKind, (typeof FAILURE_KINDS)[number]>] extends [never] ? true : never = true

/** One Sokoban turn as stored: the prompt by hash (the text is in `prompts.jsonl`). */
export interface StoredTurn {
  readonly turn: number
  readonly promptHash: string
  readonly output: string
  /** Moves read from the output as direction codes (1 up, 2 down, 3 left, 4 right); empty when the parse failed. */
  readonly parsed: readonly Direction[]
  readonly parseError: ParseFailureReason | null
  /** The executed move, or null when the turn executed nothing. */
  readonly action: Direction | null
  readonly effective: boolean
  readonly reward: number
  readonly boxesOnGoals: number
  /** The position after this turn is a dead end (no box can reach a goal any more). */
  readonly deadlock: boolean
  /** The optimal next move from the position this turn saw (null: none exists). */
  readonly optimal: Direction | null
  readonly tokens: number
  readonly finishReason: FinishReason
}

/** Sokoban-specific part of a result. */
export interface SokobanOutcome {
  readonly end: EpisodeEnd
  /** The paper's `action_is_valid` for this episode: valid turns / turns. */
  readonly actionIsValid: number
  readonly actionIsEffective: number
  /** Turn (1-based) after which the position was first dead, or null. */
  readonly firstDeadlockTurn: number | null
  /** The level in XSB text, so a result can be replayed without regenerating it. */
  readonly level: string
  readonly optimalMoves: number | null
  readonly turns: readonly StoredTurn[]
}

/** General Points-specific part of a result (single turn). */
export interface GpOutcome {
  readonly promptHash: string
  readonly output: string
  readonly cards: readonly string[]
  readonly target: number
  /** The formula the scorer read, or null. */
  readonly formula: string | null
  /** The paper verifier's reward (5, -1, -2, -3, -4; null when it crashes). */
  readonly paperReward: number | null
  readonly strictOk: boolean
  readonly strictReason: string
  /** The paper's float check and exact arithmetic disagree on this answer. */
  readonly floatExactDisagree: boolean
  readonly scorer: 'paper' | 'strict'
  readonly tokens: number
  readonly finishReason: FinishReason
}

/** Timing of a cell (wall clock of the injected clock, milliseconds). */
export interface CellTiming {
  readonly startedMs: number
  readonly totalMs: number
  /** Generations served from the cache. */
  readonly cachedGenerations: number
  readonly generations: number
}

/** One finished cell: a line of `results.jsonl`. */
export interface CellResult extends CellRef {
  readonly v: typeof RESULT_FORMAT_VERSION
  readonly task: 'sokoban' | 'gp'
  readonly success: boolean
  /** Sokoban: `action_is_valid` (a fraction); GP: 1 when reward >= -1, else 0. */
  readonly validity: number
  readonly reward: number
  readonly turns: number
  readonly steps: number
  /** Tokens generated over all turns. */
  readonly tokens: number
  readonly failure: FailureKind | null
  /** The backend's message when `failure` is `backend-error`. */
  readonly error: string | null
  readonly sokoban: SokobanOutcome | null
  readonly gp: GpOutcome | null
  readonly timing: CellTiming
}

/** A Wilson score interval. */
export interface Interval {
  readonly low: number
  readonly high: number
}

/** Metrics of one (model, variant, difficulty) group, updated as cells finish. */
export interface Aggregate {
  readonly model: string
  readonly variant: string
  readonly difficulty: string
  /** The difficulty's number for plots (its `value` in the sweep spec). */
  readonly difficultyValue: number
  readonly n: number
  readonly successes: number
  readonly successRate: number
  readonly successCi: Interval
  /** Mean of `validity`; for GP (0/1 validity) `validityCi` is its Wilson interval. */
  readonly validity: number
  readonly validityCi: Interval | null
  readonly meanReward: number
  readonly meanTurns: number
  readonly meanSteps: number
  readonly tokens: number
  readonly failures: Readonly<Partial<Record<FailureKind, number>>>
  /** GP: answers on which the float check and exact arithmetic disagree. */
  readonly floatExactDisagreements: number
}

/** Progress events of a sweep, in the order they happen. */
export type SweepEvent =
  | { readonly type: 'sweep-started'; readonly total: number; readonly alreadyDone: number }
  | { readonly type: 'cell-started'; readonly cell: CellRef }
  | {
      readonly type: 'turn'
      readonly cell: CellRef
      readonly turn: number
      readonly output: string
      readonly action: Direction | null
      readonly tokens: number
    }
  | { readonly type: 'cell-finished'; readonly result: CellResult }
  | { readonly type: 'aggregate'; readonly aggregate: Aggregate }
  | {
      readonly type: 'sweep-finished'
      readonly status: 'completed' | 'cancelled'
      readonly done: number
      readonly total: number
      readonly aggregates: readonly Aggregate[]
    }
