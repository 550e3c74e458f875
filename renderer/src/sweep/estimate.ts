/**
 * How long a sweep will take, from measured throughput (pure; the sweep cell feeds it measurements).
 * In order of preference:
 * 1. the seconds per cell of this sweep's last run (measured by the renderer while it ran, or read
 *    from the run folder's cell timings), which already includes batching, prefill and parsing;
 * 2. the loaded model's measured generation speed (time to first token and tokens per second of its
 *    last generation) times the tokens a cell may generate: Sokoban closed loop `maxTurns` answers of
 *    `maxNewTokens` each, otherwise one answer, one sequence at a time. It counts generation only:
 *    starting the run (loading the model, dealing and solving levels) and stepping the environment
 *    add to it, while answers that stop early and batched episodes take from it;
 * 3. otherwise unknown until the first cells finish.
 * While a sweep runs, the remaining time comes from its live rate: cells finished in this run over
 * the time since it started.
 */

/** The axes of a sweep. */
export interface SweepSize {
  readonly variants: number
  readonly difficulties: number
  readonly instances: number
  readonly repeats: number
  readonly models: number
}

/** Cells a sweep runs: variants × difficulties × N × R (× models). */
export function cellCount(size: SweepSize): number {
  return size.variants * size.difficulties * size.instances * size.repeats * size.models
}

/** What one cell generates at most. */
export interface Workload {
  readonly task: 'sokoban' | 'gp'
  readonly mode: 'closed-loop' | 'open-loop'
  readonly maxTurns: number
  readonly maxNewTokens: number
}

/** Answers per cell and tokens per cell, at most: Sokoban closed loop answers once per turn, the rest once. */
export function tokensPerCell(w: Workload): { readonly answers: number; readonly tokens: number } {
  const answers = w.task === 'sokoban' && w.mode === 'closed-loop' ? w.maxTurns : 1
  return { answers, tokens: answers * w.maxNewTokens }
}

/** A model's measured generation speed. */
export interface GenerationSpeed {
  /** Decoding speed after the first token. */
  readonly tokensPerSecond: number
  /** Submission to first token (prefill). */
  readonly timeToFirstTokenMs: number
}

/**
 * Seconds one cell takes at `speed`, one sequence at a time: each answer waits for its first token,
 * then decodes the other `maxNewTokens - 1`. Null when the speed is not a usable measurement.
 */
export function secondsPerCellFromSpeed(w: Workload, speed: GenerationSpeed): number | null {
  if (!(speed.tokensPerSecond > 0) || !Number.isFinite(speed.tokensPerSecond)) return null
  const ttft = Number.isFinite(speed.timeToFirstTokenMs) && speed.timeToFirstTokenMs > 0 ? speed.timeToFirstTokenMs / 1000 : 0
  const { answers } = tokensPerCell(w)
  return answers * (ttft + Math.max(0, w.maxNewTokens - 1) / speed.tokensPerSecond)
}

/** When a finished cell ran (`CellResult.timing`, milliseconds of one clock). */
export interface CellSpan {
  readonly startedMs: number
  readonly totalMs: number
}

/**
 * Measured seconds per cell of a run: the time during which at least one of `spans` was running (the
 * union of their intervals, so concurrent cells count once and pauses between runs not at all), over
 * their number. Null without spans or without time.
 */
export function secondsPerCellFromSpans(spans: readonly CellSpan[]): number | null {
  const intervals = spans
    .filter((s) => Number.isFinite(s.startedMs) && Number.isFinite(s.totalMs) && s.totalMs >= 0)
    .map((s) => [s.startedMs, s.startedMs + s.totalMs] as const)
    .sort((a, b) => a[0] - b[0])
  if (intervals.length === 0) return null
  let busy = 0
  let [lo, hi] = intervals[0]
  for (const [a, b] of intervals.slice(1)) {
    if (a > hi) {
      busy += hi - lo
      ;[lo, hi] = [a, b]
    } else hi = Math.max(hi, b)
  }
  busy += hi - lo
  return busy > 0 ? busy / 1000 / intervals.length : null
}

export type Estimate =
  | { readonly source: 'last-run'; readonly cells: number; readonly seconds: number; readonly secondsPerCell: number }
  | {
      readonly source: 'generation'
      readonly cells: number
      readonly seconds: number
      readonly secondsPerCell: number
      readonly tokensPerCell: number
      readonly tokensPerSecond: number
      readonly timeToFirstTokenMs: number
    }
  | { readonly source: 'unknown'; readonly cells: number }

export interface EstimateInput {
  /** Cells still to run. */
  readonly cells: number
  /** Seconds per cell of this sweep's last run, when known. */
  readonly lastRunSecondsPerCell: number | null
  readonly workload: Workload
  /** The loaded model's last measured generation speed, when known. */
  readonly speed: GenerationSpeed | null
}

/** The duration of `cells` cells from the best measurement available (see the module comment). */
export function estimateSweep(input: EstimateInput): Estimate {
  const { cells } = input
  const last = input.lastRunSecondsPerCell
  if (last !== null && Number.isFinite(last) && last > 0) return { source: 'last-run', cells, seconds: cells * last, secondsPerCell: last }
  const perCell = input.speed === null ? null : secondsPerCellFromSpeed(input.workload, input.speed)
  if (perCell !== null && input.speed !== null) {
    return {
      source: 'generation',
      cells,
      seconds: cells * perCell,
      secondsPerCell: perCell,
      tokensPerCell: tokensPerCell(input.workload).tokens,
      tokensPerSecond: input.speed.tokensPerSecond,
      timeToFirstTokenMs: input.speed.timeToFirstTokenMs,
    }
  }
  return { source: 'unknown', cells }
}

/** A running sweep's progress as the renderer saw it. */
export interface LiveProgress {
  readonly done: number
  readonly total: number
  /** Cells finished since this run (or resume) started. */
  readonly finishedHere: number
  /** Milliseconds since this run (or resume) started. */
  readonly elapsedMs: number
}

/** Seconds left at the live rate; null until a cell of this run has finished. */
export function remainingSeconds(p: LiveProgress): number | null {
  if (p.finishedHere <= 0 || !(p.elapsedMs > 0)) return null
  return (Math.max(0, p.total - p.done) * p.elapsedMs) / 1000 / p.finishedHere
}

/** A duration for people: `under 1 s`, `42 s`, `7 min`, `2 h 05 min`. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return 'unknown'
  if (seconds < 1) return 'under 1 s'
  if (seconds < 90) return `${Math.round(seconds)} s`
  const minutes = Math.round(seconds / 60)
  if (minutes < 90) return `${minutes} min`
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`
}
