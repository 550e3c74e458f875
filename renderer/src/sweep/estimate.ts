/**
 * How long a sweep will take, from measured throughput (pure; the sweep cell feeds it measurements).
 * In order of preference:
 * 1. this sweep's last run: its start-up time (loading the model, dealing levels: until the first
 *    cell finished, less one cell's time) plus its seconds per cell (measured by the renderer while
 *    it ran, or from the run folder's cell timings, which know no start-up), which already include
 *    batching, prefill and stepping the environment;
 * 2. the loaded model's measured generation speed (time to first token and tokens per second of its
 *    last generation) times the tokens a cell may generate: Sokoban closed loop `maxTurns` answers of
 *    `maxNewTokens` each, otherwise one answer, one sequence at a time. It counts generation only:
 *    starting the run (loading the model, dealing and solving levels) and stepping the environment
 *    add to it, while answers that stop early and batched episodes take from it;
 * 3. otherwise unknown until the first cells finish.
 * While a sweep runs, the remaining time comes from its live rate: the time since its first cell
 * finished over the cells finished since (or, with one cell finished, the time since the start).
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

/** A run's measured rate. */
export interface RunRate {
  readonly secondsPerCell: number
  /** Start-up before cells flow (0 when unknown). */
  readonly startupSeconds: number
}

/** When a run (or resume) of a sweep started and saw its first cell finish, and when it ended (ms). */
export interface RunClockReading {
  readonly startMs: number
  /** When the first cell of this run finished (null: none did). */
  readonly firstCellMs: number | null
  readonly endMs: number
  /** Cells finished in this run. */
  readonly finished: number
}

/**
 * The rate of a timed run: with two or more cells, the cells after the first over the time after the
 * first (its start-up is the wait for the first cell less one cell's time); with one cell, its whole
 * time and no start-up. Null when no cell finished.
 */
export function rateOfRun(c: RunClockReading): RunRate | null {
  if (c.finished <= 0 || c.firstCellMs === null || !(c.endMs > c.startMs)) return null
  if (c.finished === 1 || !(c.endMs > c.firstCellMs)) return { secondsPerCell: (c.endMs - c.startMs) / 1000 / c.finished, startupSeconds: 0 }
  const secondsPerCell = (c.endMs - c.firstCellMs) / 1000 / (c.finished - 1)
  return { secondsPerCell, startupSeconds: Math.max(0, (c.firstCellMs - c.startMs) / 1000 - secondsPerCell) }
}

export type Estimate =
  | {
      readonly source: 'last-run'
      readonly cells: number
      readonly seconds: number
      readonly secondsPerCell: number
      readonly startupSeconds: number
    }
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
  /** This sweep's last run's rate, when known. */
  readonly lastRun: RunRate | null
  readonly workload: Workload
  /** The loaded model's last measured generation speed, when known. */
  readonly speed: GenerationSpeed | null
}

/** The duration of `cells` cells from the best measurement available (see the module comment). */
export function estimateSweep(input: EstimateInput): Estimate {
  const { cells } = input
  const last = input.lastRun
  if (last !== null && Number.isFinite(last.secondsPerCell) && last.secondsPerCell > 0) {
    const startupSeconds = Number.isFinite(last.startupSeconds) && last.startupSeconds > 0 ? last.startupSeconds : 0
    return { source: 'last-run', cells, seconds: startupSeconds + cells * last.secondsPerCell, secondsPerCell: last.secondsPerCell, startupSeconds }
  }
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
  /** Milliseconds since this run's first cell finished (null: none has). */
  readonly sinceFirstCellMs: number | null
}

/** Seconds per cell at the live rate (see the module comment); null until a cell of this run has finished. */
export function liveSecondsPerCell(p: LiveProgress): number | null {
  if (p.finishedHere <= 0 || !(p.elapsedMs > 0)) return null
  if (p.finishedHere >= 2 && p.sinceFirstCellMs !== null && p.sinceFirstCellMs > 0) return p.sinceFirstCellMs / 1000 / (p.finishedHere - 1)
  return p.elapsedMs / 1000 / p.finishedHere
}

/** Seconds left at the live rate; null until a cell of this run has finished. */
export function remainingSeconds(p: LiveProgress): number | null {
  const perCell = liveSecondsPerCell(p)
  return perCell === null ? null : Math.max(0, p.total - p.done) * perCell
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
