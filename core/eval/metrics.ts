/**
 * @module core/eval/metrics
 * Per-group metrics of a sweep, one group per (model, variant, difficulty): success rate with its
 * Wilson 95% interval, the paper's validity (Sokoban `action_is_valid`, a mean of fractions; General
 * Points reward >= -1, a rate with its Wilson interval, §5.2, §6.5), mean reward, turns and steps,
 * tokens generated, failure counts and the General Points float-versus-exact disagreements.
 *
 * `AggregateTracker` keeps only running sums per group, so it costs the same after a million cells
 * as after one; `aggregateResults` recomputes the same numbers from a run folder's results.
 */
import type { EpisodeEnd } from '../sokoban/episode.ts'
import type { PaperVerdict } from '../gp/verify-paper.ts'
import type { StrictVerdict } from '../gp/verify-strict.ts'
import type { Aggregate, CellResult, FailureKind, GpFailure, SokobanFailure, StoredTurn } from './types.ts'
import { wilsonInterval } from './stats.ts'
import { difficultyValue, variantName, type SweepSpec } from './spec.ts'

/**
 * A floating-point sum that does not depend on the order of the terms: Shewchuk's exact partials,
 * rounded once at the end as Python's `math.fsum` does. A resumed run adds its cells in another
 * order than a one-shot run, and its means must come out the same to the last bit.
 */
export class ExactSum {
  private readonly partials: number[] = []

  add(value: number): void {
    let x = value
    let i = 0
    for (let j = 0; j < this.partials.length; j++) {
      let y = this.partials[j]
      if (Math.abs(x) < Math.abs(y)) [x, y] = [y, x]
      const hi = x + y
      const lo = y - (hi - x)
      if (lo !== 0) this.partials[i++] = lo
      x = hi
    }
    this.partials.length = i
    this.partials.push(x)
  }

  /** The correctly rounded value of the exact sum. */
  value(): number {
    const p = this.partials
    let n = p.length
    if (n === 0) return 0
    let hi = p[--n]
    let lo = 0
    while (n > 0) {
      const x = hi
      const y = p[--n]
      hi = x + y
      lo = y - (hi - x)
      if (lo !== 0) break
    }
    // Round half to even across the remaining partials, as fsum does.
    if (n > 0 && ((lo < 0 && p[n - 1] < 0) || (lo > 0 && p[n - 1] > 0))) {
      const y = lo * 2
      const x = hi + y
      if (y === x - hi) hi = x
    }
    return hi
  }
}

interface Sums {
  readonly model: string
  readonly variant: string
  readonly difficulty: string
  difficultyValue: number
  task: 'sokoban' | 'gp'
  n: number
  successes: number
  validity: ExactSum
  /** Cells with validity 1 (the General Points rate's numerator). */
  valid: number
  reward: ExactSum
  turns: number
  steps: number
  tokens: number
  failures: Partial<Record<FailureKind, number>>
  disagreements: number
}

function groupKey(model: string, variant: string, difficulty: string): string {
  return `${model}\u0000${variant}\u0000${difficulty}`
}

function mean(total: number, n: number): number {
  return n === 0 ? 0 : total / n
}

function aggregateOf(s: Sums): Aggregate {
  const n = s.n
  return {
    model: s.model,
    variant: s.variant,
    difficulty: s.difficulty,
    difficultyValue: s.difficultyValue,
    n,
    successes: s.successes,
    successRate: mean(s.successes, n),
    successCi: wilsonInterval(s.successes, n),
    validity: mean(s.validity.value(), n),
    validityCi: s.task === 'gp' ? wilsonInterval(s.valid, n) : null,
    meanReward: mean(s.reward.value(), n),
    meanTurns: mean(s.turns, n),
    meanSteps: mean(s.steps, n),
    tokens: s.tokens,
    failures: { ...s.failures },
    floatExactDisagreements: s.disagreements,
  }
}

/**
 * Running aggregates, updated one cell at a time. With a spec, `all()` lists groups in the spec's
 * order (model, variant, difficulty); without one, in the order they were first seen.
 */
export class AggregateTracker {
  private readonly groups = new Map<string, Sums>()
  private readonly order: ((a: Sums, b: Sums) => number) | null

  constructor(spec?: SweepSpec) {
    this.order = spec === undefined ? null : specOrder(spec)
  }

  /** Adds a finished cell and returns its group's updated aggregate. */
  add(result: CellResult, difficultyValue: number): Aggregate {
    return aggregateOf(this.include(result, difficultyValue))
  }

  /**
   * Adds a finished cell without building its group's aggregate (intervals, means), for callers
   * that read the aggregates only at the end: that is most of what `add` costs.
   */
  count(result: CellResult, difficultyValue: number): void {
    this.include(result, difficultyValue)
  }

  private include(result: CellResult, difficultyValue: number): Sums {
    const key = groupKey(result.model, result.variant, result.difficulty)
    let s = this.groups.get(key)
    if (s === undefined) {
      s = {
        model: result.model,
        variant: result.variant,
        difficulty: result.difficulty,
        difficultyValue,
        task: result.task,
        n: 0,
        successes: 0,
        validity: new ExactSum(),
        valid: 0,
        reward: new ExactSum(),
        turns: 0,
        steps: 0,
        tokens: 0,
        failures: {},
        disagreements: 0,
      }
      this.groups.set(key, s)
    }
    s.n++
    if (result.success) s.successes++
    s.validity.add(result.validity)
    if (result.validity === 1) s.valid++
    s.reward.add(result.reward)
    s.turns += result.turns
    s.steps += result.steps
    s.tokens += result.tokens
    if (result.failure !== null) s.failures[result.failure] = (s.failures[result.failure] ?? 0) + 1
    if (result.gp?.floatExactDisagree === true) s.disagreements++
    return s
  }

  /** The aggregate of one group, or undefined when it has no cell yet. */
  get(model: string, variant: string, difficulty: string): Aggregate | undefined {
    const s = this.groups.get(groupKey(model, variant, difficulty))
    return s === undefined ? undefined : aggregateOf(s)
  }

  /** Every group with at least one cell. */
  all(): Aggregate[] {
    const groups = [...this.groups.values()]
    if (this.order !== null) groups.sort(this.order)
    return groups.map(aggregateOf)
  }
}

/** Orders groups by the spec's model, variant and difficulty order; groups the spec lacks go last. */
function specOrder(spec: SweepSpec): (a: Sums, b: Sums) => number {
  const rank = (names: readonly string[]): ((name: string) => number) => {
    const at = new Map(names.map((name, i) => [name, i]))
    return (name) => at.get(name) ?? names.length
  }
  const model = rank(spec.models.map((m) => m.name))
  const variant = rank(spec.variants.map(variantName))
  const difficulty = rank(spec.difficulties.map((d) => d.name))
  return (a, b) =>
    model(a.model) - model(b.model) ||
    variant(a.variant) - variant(b.variant) ||
    difficulty(a.difficulty) - difficulty(b.difficulty)
}

/**
 * The aggregates of a set of results (e.g. a run folder's `results.jsonl`), in the spec's order:
 * model, then variant, then difficulty. A result listed twice (same id) counts once.
 */
export function aggregateResults(results: Iterable<CellResult>, spec: SweepSpec): Aggregate[] {
  const tracker = new AggregateTracker(spec)
  const values = new Map(spec.difficulties.map((d, i) => [d.name, difficultyValue(spec, i)]))
  const seen = new Set<string>()
  for (const result of results) {
    if (seen.has(result.id)) continue
    seen.add(result.id)
    tracker.add(result, values.get(result.difficulty) ?? spec.difficulties.length + 1)
  }
  return tracker.all()
}

// ---------------------------------------------------------------------------------------------
// Failure taxonomy

/** What `sokobanFailure` reads from an episode. */
export interface SokobanEpisodeFacts {
  readonly success: boolean
  readonly end: EpisodeEnd
  readonly turns: readonly Pick<StoredTurn, 'parseError' | 'action' | 'effective' | 'deadlock'>[]
}

/**
 * Why a Sokoban episode failed (null when it succeeded), by the precedence of `SokobanFailure`:
 * a deadlock reached; otherwise the last unreadable turn's reason (`no-answer-tag`, or
 * `unknown-action` for an unknown or empty answer); otherwise `ineffective-move` when an executed
 * move left the player in place; otherwise how the episode ran out.
 */
export function sokobanFailure(facts: SokobanEpisodeFacts): SokobanFailure | null {
  if (facts.success) return null
  if (facts.turns.some((t) => t.deadlock)) return 'deadlock'
  for (let i = facts.turns.length - 1; i >= 0; i--) {
    const reason = facts.turns[i].parseError
    if (reason !== null) return reason === 'no-answer-tag' ? 'no-answer-tag' : 'unknown-action'
  }
  if (facts.turns.some((t) => t.action !== null && !t.effective)) return 'ineffective-move'
  switch (facts.end) {
    case 'max-steps':
      return 'out-of-steps'
    case 'plan-exhausted':
      return 'plan-exhausted'
    case 'no-plan':
      return 'no-answer-tag'
    default:
      return 'out-of-turns'
  }
}

/**
 * The failure the paper's verifier gives (null for +5): no formula found (`source: 'none'`, scored
 * -3 as the literal "None"), an illegal formula or a crash, wrong numbers, or a wrong value (-1,
 * which includes `eval` errors such as division by zero).
 */
export function paperFailure(verdict: PaperVerdict): GpFailure | null {
  switch (verdict.outcome) {
    case 'correct':
      return null
    case 'no-solution':
      return 'wrong-value'
    case 'wrong-numbers':
      return 'wrong-numbers'
    case 'illegal-formula':
      return verdict.source === 'none' ? 'no-formula' : 'illegal-formula'
    case 'crash':
      return 'illegal-formula'
  }
}

/** The strict verifier's reason in the same taxonomy as `paperFailure` (null when correct). */
export function strictFailure(verdict: StrictVerdict): GpFailure | null {
  switch (verdict.reason) {
    case 'correct':
      return null
    case 'no-formula':
      return 'no-formula'
    case 'illegal-token':
    case 'syntax':
      return 'illegal-formula'
    case 'wrong-numbers':
      return 'wrong-numbers'
    case 'division-by-zero':
    case 'out-of-range':
    case 'wrong-value':
      return 'wrong-value'
  }
}

/** A strict verdict's reward on the paper's scale: 5 correct, -1 wrong value, -2 wrong numbers, -3 otherwise. */
export function strictReward(verdict: StrictVerdict): number {
  const failure = strictFailure(verdict)
  if (failure === null) return 5
  if (failure === 'wrong-value') return -1
  if (failure === 'wrong-numbers') return -2
  return -3
}
