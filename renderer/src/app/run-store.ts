/**
 * What running cells produced, outside the React tree: sweep progress and aggregates per sweep cell,
 * and streaming probe text. Events can arrive by the thousand (one per finished sweep cell, plus an
 * aggregate each), so the store folds them into mutable state and tells React at most every
 * {@link FLUSH_MS}; components read immutable snapshots through `useSyncExternalStore`.
 */
import type { RunView, SweepEventPayload, SweepState } from '../../../core/contract/api.ts'
import type { Aggregate } from '../../../core/eval/types.ts'

/** How often subscribers hear about changes at most (10 Hz is plenty for progress and charts). */
export const FLUSH_MS = 100

/**
 * `elsewhere`: the cell's run folder is being written by another live process (a terminal
 * `sftbench eval`); its progress reaches only that process.
 */
export type SweepStatus = 'idle' | 'starting' | 'running' | 'completed' | 'cancelled' | 'failed' | 'interrupted' | 'elsewhere'

/** A sweep cell's view of its run. */
export interface SweepView {
  readonly runId: string | null
  readonly dir: string | null
  readonly status: SweepStatus
  readonly done: number
  readonly total: number
  readonly aggregates: readonly Aggregate[]
  readonly error: string | null
  /** Cells that finished in this session (for the rate shown beside the bar). */
  readonly finishedHere: number
}

/** A probe's streaming output. */
export interface ProbeView {
  readonly requestId: string | null
  readonly text: string
  readonly tokens: number
  readonly running: boolean
}

const IDLE_SWEEP: SweepView = {
  runId: null,
  dir: null,
  status: 'idle',
  done: 0,
  total: 0,
  aggregates: [],
  error: null,
  finishedHere: 0,
}
const IDLE_CHART: SweepChartView = { dir: null, status: 'idle', aggregates: [] }
const IDLE_PROBE: ProbeView = { requestId: null, text: '', tokens: 0, running: false }

interface MutableSweep {
  runId: string | null
  dir: string | null
  status: SweepStatus
  done: number
  total: number
  aggregates: Map<string, Aggregate>
  /** `aggregates` as the array views hand out; null after it changed (counts alone keep it). */
  aggregateList: readonly Aggregate[] | null
  error: string | null
  finishedHere: number
  snapshot: SweepView | null
  chart: SweepChartView | null
}

/**
 * The part of a sweep's view that charts draw: it stays the same object while only the counts move,
 * so a chart re-renders when an aggregate changed, not on every finished cell.
 */
export interface SweepChartView {
  readonly dir: string | null
  readonly status: SweepStatus
  readonly aggregates: readonly Aggregate[]
}

const keyOf = (a: Aggregate): string => `${a.model}\u0000${a.variant}\u0000${a.difficulty}`

/** The store; one per app. `schedule` is injectable so tests can flush by hand. */
export class RunStore {
  private readonly sweeps = new Map<string, MutableSweep>()
  private readonly cellOfRun = new Map<string, string>()
  private readonly probes = new Map<string, ProbeView>()
  private readonly cellOfRequest = new Map<string, string>()
  private readonly listeners = new Set<() => void>()
  private pending = false

  constructor(private readonly schedule: (fn: () => void) => void = (fn) => void setTimeout(fn, FLUSH_MS)) {}

  /** Listens for changes (React's `subscribe`). */
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** The sweep cell's current view (the same object until something changes). */
  sweep(cellId: string): SweepView {
    const s = this.sweeps.get(cellId)
    if (!s) return IDLE_SWEEP
    s.snapshot ??= {
      runId: s.runId,
      dir: s.dir,
      status: s.status,
      done: s.done,
      total: s.total,
      aggregates: (s.aggregateList ??= [...s.aggregates.values()]),
      error: s.error,
      finishedHere: s.finishedHere,
    }
    return s.snapshot
  }

  /** The sweep cell's chart view (the same object until its status, folder or aggregates change). */
  sweepChart(cellId: string): SweepChartView {
    const s = this.sweeps.get(cellId)
    if (!s) return IDLE_CHART
    const { dir, status, aggregates } = this.sweep(cellId)
    const c = s.chart
    if (c !== null && c.dir === dir && c.status === status && c.aggregates === aggregates) return c
    s.chart = { dir, status, aggregates }
    return s.chart
  }

  probe(cellId: string): ProbeView {
    return this.probes.get(cellId) ?? IDLE_PROBE
  }

  /** Whether any sweep or probe is running. */
  busy(): boolean {
    for (const s of this.sweeps.values()) if (s.status === 'running' || s.status === 'starting') return true
    for (const p of this.probes.values()) if (p.running) return true
    return false
  }

  /** Running sweeps' run ids. */
  runningSweeps(): { cellId: string; runId: string }[] {
    const out: { cellId: string; runId: string }[] = []
    for (const [cellId, s] of this.sweeps) if (s.status === 'running' && s.runId) out.push({ cellId, runId: s.runId })
    return out
  }

  /** Running probes' request ids. */
  runningProbes(): string[] {
    return [...this.probes.values()].filter((p) => p.running && p.requestId).map((p) => p.requestId as string)
  }

  private mutable(cellId: string): MutableSweep {
    let s = this.sweeps.get(cellId)
    if (!s) {
      s = { ...IDLE_SWEEP, aggregates: new Map(), aggregateList: null, snapshot: null, chart: null }
      this.sweeps.set(cellId, s)
    }
    return s
  }

  private changed(s?: MutableSweep): void {
    if (s) s.snapshot = null
    if (this.pending) return
    this.pending = true
    this.schedule(() => this.flush())
  }

  /** Tells every subscriber now (normally the scheduler calls it). */
  flush(): void {
    this.pending = false
    for (const l of [...this.listeners]) l()
  }

  /**
   * A sweep cell asked the backend to start a new run (`fresh`: the previous run's figures are
   * cleared) or to resume one (they stay, and the resumed run adds to them).
   */
  sweepStarting(cellId: string, fresh: boolean): void {
    const s = this.mutable(cellId)
    s.status = 'starting'
    s.error = null
    s.finishedHere = 0
    if (fresh) {
      s.done = 0
      s.total = 0
      s.aggregates = new Map()
      s.aggregateList = null
    }
    // The user's own action: show it in the same task (the live chart takes over at once).
    s.snapshot = null
    this.flush()
  }

  /** The backend accepted the run. Events may already have arrived for it; they are kept. */
  sweepStarted(cellId: string, runId: string, dir: string): void {
    const s = this.mutable(cellId)
    this.cellOfRun.set(runId, cellId)
    s.runId = runId
    s.dir = dir
    if (s.status === 'starting') s.status = 'running'
    this.changed(s)
  }

  sweepFailed(cellId: string, message: string): void {
    const s = this.mutable(cellId)
    s.status = 'failed'
    s.error = message
    this.changed(s)
  }

  /** Shows a run folder read from disk (a notebook reopened after a run). */
  sweepLoaded(cellId: string, run: RunView): void {
    const s = this.mutable(cellId)
    if (s.status === 'running' || s.status === 'starting') return
    s.dir = run.dir
    s.done = run.resultCount
    s.total = run.total
    // A folder another live process writes is running there. One left "running" by a process that
    // is gone, or whose writer is unknown, was interrupted: resume finishes it.
    if (run.status === 'running' && run.writtenBy !== null) s.status = 'elsewhere'
    else s.status = run.status === 'running' || run.status === 'unknown' ? 'interrupted' : run.status
    s.aggregates = new Map(run.aggregates.map((a) => [keyOf(a), a]))
    s.aggregateList = null
    s.error = null
    this.changed(s)
  }

  /** A `wb:sweeps.event`. */
  onSweepEvent = (payload: SweepEventPayload): void => {
    const cellId = payload.notebookCellId ?? this.cellOfRun.get(payload.runId)
    if (cellId === undefined) return
    this.cellOfRun.set(payload.runId, cellId)
    const s = this.mutable(cellId)
    if (s.runId !== null && s.runId !== payload.runId && s.status === 'running') return
    s.runId = payload.runId
    s.dir = payload.dir
    const e = payload.event
    switch (e.type) {
      case 'sweep-started':
        s.status = 'running'
        s.total = e.total
        s.done = e.alreadyDone
        break
      case 'cell-finished':
        s.done++
        s.finishedHere++
        break
      case 'cells-finished':
        s.done += e.count
        s.finishedHere += e.count
        break
      case 'aggregate':
        s.aggregates.set(keyOf(e.aggregate), e.aggregate)
        s.aggregateList = null
        break
      case 'sweep-finished':
        s.status = e.status
        s.done = e.done
        s.total = e.total
        s.aggregates = new Map(e.aggregates.map((a) => [keyOf(a), a]))
        s.aggregateList = null
        break
      default:
        return
    }
    this.changed(s)
  }

  /** A `wb:sweeps.status` (the backend's word on a run: failed with its error, or done). */
  onSweepStatus = (state: SweepState): void => {
    const cellId = state.notebookCellId ?? this.cellOfRun.get(state.runId)
    if (cellId === undefined) return
    const s = this.mutable(cellId)
    if (s.runId !== null && s.runId !== state.runId) return
    s.runId = state.runId
    s.dir = state.dir
    s.status = state.status
    s.done = state.done
    s.total = state.total
    s.error = state.error
    this.changed(s)
  }

  /** A probe started a generation. */
  probeStarted(cellId: string, requestId: string): void {
    this.cellOfRequest.set(requestId, cellId)
    this.probes.set(cellId, { requestId, text: '', tokens: 0, running: true })
    this.changed()
  }

  /** A probe's generation ended (its final text replaces the streamed one). */
  probeEnded(cellId: string, text: string | null): void {
    const p = this.probes.get(cellId) ?? IDLE_PROBE
    this.probes.set(cellId, { ...p, text: text ?? p.text, running: false })
    this.changed()
  }

  /** A `wb:generate.event`. */
  onGenerateEvent = (payload: { requestId: string; event: { type: string; delta?: string } }): void => {
    const cellId = this.cellOfRequest.get(payload.requestId)
    if (cellId === undefined || payload.event.type !== 'token') return
    const p = this.probes.get(cellId)
    if (!p || p.requestId !== payload.requestId) return
    this.probes.set(cellId, { ...p, text: p.text + (payload.event.delta ?? ''), tokens: p.tokens + 1 })
    this.changed()
  }
}
