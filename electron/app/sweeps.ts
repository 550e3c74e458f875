/**
 * @module electron/app/sweeps
 * Sweeps started from the UI. Each runs through `runEval` (the same entry point as
 * `sftbench eval`) into a run folder under the workspace; its progress events are forwarded as
 * `wb:sweeps.event`, and its start and end as `wb:sweeps.status`. Cancelling keeps every finished
 * cell; `resume` runs only the cells missing from a folder.
 *
 * Forwarding is thinned for the notebook, which shows counts and aggregates (every connected window
 * receives every event, and a fast sweep finishes thousands of cells a minute; each message costs a
 * browser about as much as a frame's worth of work when they come by the thousand): `cell-started`
 * and `turn` events are not forwarded; a `cell-finished` result goes without its bulky transcripts
 * (`sokoban.turns`, `gp.output`; the run folder has them, see `wb:runs.read`), and beyond
 * {@link BURST_CELLS} of them in one {@link AGGREGATE_INTERVAL_MS} window the rest of the window's
 * cells go as one `cells-finished` count; `aggregate` events are coalesced to the latest of each
 * group at most every {@link AGGREGATE_INTERVAL_MS}. Everything pending is sent before the sweep's
 * `sweep-finished` and its final status.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import type { SweepHandle, SweepState, ValidRequestOf } from '../../core/contract/api.ts'
import { parseSweepSpec, type SweepSpec } from '../../core/eval/spec.ts'
import type { Aggregate, CellResult, SweepEvent } from '../../core/eval/types.ts'
import { ApiFailure } from './errors.ts'
import type { EventHub } from './events.ts'
import type { FileGuard } from './files.ts'

/** The part of `runEval`'s options the app uses (electron/eval/eval-service.ts). */
export interface RunEvalOptions {
  readonly spec?: unknown
  readonly cwd?: string
  readonly outDir?: string
  readonly resumeDir?: string
  readonly noCache?: boolean
  readonly cacheDir?: string
  readonly onEvent?: (event: SweepEvent) => void
  readonly signal?: AbortSignal
}

/** The part of `runEval`'s outcome the app uses. */
export interface RunEvalOutcome {
  readonly dir: string
  readonly status: 'completed' | 'cancelled'
  readonly done: number
  readonly total: number
}

/** Runs or resumes a sweep (`runEval`); injectable for tests. */
export type RunEvalFn = (options: RunEvalOptions) => Promise<RunEvalOutcome>

/** The longest an aggregate update waits before it is forwarded (later ones of its group replace it). */
export const AGGREGATE_INTERVAL_MS = 100

/** How many `cell-finished` events one window forwards one by one before it counts the rest. */
export const BURST_CELLS = 8

/** A result as forwarded: without its transcripts (the turns of an episode, a GP answer's text). */
export function forwardedResult(result: CellResult): CellResult {
  return {
    ...result,
    sokoban: result.sokoban === null ? null : { ...result.sokoban, turns: [] },
    gp: result.gp === null ? null : { ...result.gp, output: '' },
  }
}

interface Running {
  state: SweepState
  readonly controller: AbortController
  finished: Promise<void>
}

function stamp(now: Date): string {
  const pad = (n: number): string => String(n).padStart(2, '0')
  return (
    `${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}-` +
    `${pad(now.getHours())}${pad(now.getMinutes())}${pad(now.getSeconds())}`
  )
}

/** What the sweeps service needs. */
export interface SweepServiceDeps {
  readonly guard: FileGuard
  readonly hub: EventHub
  readonly runsDir: string
  /** `runEval` of electron/eval/eval-service.ts (tests inject their own). */
  readonly runEval: RunEvalFn
  readonly now: () => Date
  readonly log: (message: string) => void
  /** The generation cache folder (default: runEval's, the user's cache folder). */
  readonly cacheDir?: string
}

/** Sweeps of this backend, by run id. */
export class SweepService {
  private readonly sweeps = new Map<string, Running>()
  private counter = 0

  constructor(private readonly deps: SweepServiceDeps) {}

  /** Starts a new sweep; resolves once it is running (progress and the end come as events). */
  async start(request: ValidRequestOf<'wb:sweeps.start'>): Promise<SweepHandle> {
    const spec: SweepSpec = parseSweepSpec(request.spec)
    await this.checkModelPaths(spec)
    const dir = request.outDir === undefined ? await this.freshDir(spec.name) : await this.deps.guard.resolve(request.outDir)
    if (request.outDir !== undefined && (await this.nonEmpty(dir))) {
      throw new ApiFailure('conflict', `${dir} already holds files; resume it with wb:sweeps.resume or pick an empty folder.`)
    }
    return this.launch(dir, request.notebookCellId ?? null, { spec: request.spec, outDir: dir, noCache: request.noCache })
  }

  /** Resumes a run folder: only its missing cells run. */
  async resume(request: ValidRequestOf<'wb:sweeps.resume'>): Promise<SweepHandle> {
    const dir = await this.deps.guard.resolve(request.dir, { mustExist: true, kind: 'dir' })
    return this.launch(dir, request.notebookCellId ?? null, { resumeDir: dir })
  }

  /** Cancels a sweep; its finished cells stay in the run folder. */
  cancel(runId: string): { cancelled: boolean } {
    const running = this.sweeps.get(runId)
    if (running === undefined) throw new ApiFailure('not-found', `No sweep "${runId}" in this session.`)
    if (running.state.status !== 'running') return { cancelled: false }
    running.controller.abort()
    return { cancelled: true }
  }

  /** Sweeps of this session, running or ended. */
  active(): SweepState[] {
    return [...this.sweeps.values()].map((s) => s.state)
  }

  /** Cancels every running sweep and waits until they have stopped. */
  async dispose(): Promise<void> {
    for (const running of this.sweeps.values()) running.controller.abort()
    await Promise.all([...this.sweeps.values()].map((s) => s.finished))
  }

  private async launch(
    dir: string,
    notebookCellId: string | null,
    options: Pick<RunEvalOptions, 'spec' | 'outDir' | 'resumeDir' | 'noCache'>,
  ): Promise<SweepHandle> {
    for (const running of this.sweeps.values()) {
      if (running.state.dir === dir && running.state.status === 'running') {
        throw new ApiFailure('conflict', `A sweep (${running.state.runId}) is already writing to ${dir}.`)
      }
    }
    const runEval = this.deps.runEval
    const runId = `sweep-${++this.counter}`
    const controller = new AbortController()
    const running: Running = {
      state: { runId, dir, notebookCellId, status: 'running', done: 0, total: 0, error: null },
      controller,
      finished: Promise.resolve(),
    }
    const update = (change: Partial<SweepState>, announce: boolean): void => {
      running.state = { ...running.state, ...change }
      if (announce) this.deps.hub.emit('wb:sweeps.status', running.state)
    }
    const emit = (event: SweepEvent): void => this.deps.hub.emit('wb:sweeps.event', { runId, dir, notebookCellId, event })
    // Aggregates waiting to be forwarded (the latest of each group), and finished cells counted, not sent.
    const pending = new Map<string, Aggregate>()
    let counted = 0
    let windowStart = -Infinity
    let sentInWindow = 0
    let timer: ReturnType<typeof setTimeout> | null = null
    let flushedAt = performance.now()
    const flushAggregates = (): void => {
      if (timer !== null) clearTimeout(timer)
      timer = null
      flushedAt = performance.now()
      if (counted > 0) this.deps.hub.emit('wb:sweeps.event', { runId, dir, notebookCellId, event: { type: 'cells-finished', count: counted } })
      counted = 0
      const aggregates = [...pending.values()]
      pending.clear()
      for (const aggregate of aggregates) emit({ type: 'aggregate', aggregate })
    }
    // Sent from the event itself once the interval has passed: a sweep that never yields to the event
    // loop (a model without latency) would otherwise starve the timer until it ends.
    const later = (): void => {
      if (performance.now() - flushedAt >= AGGREGATE_INTERVAL_MS) flushAggregates()
      else timer ??= setTimeout(flushAggregates, AGGREGATE_INTERVAL_MS)
    }
    const onEvent = (event: SweepEvent): void => {
      switch (event.type) {
        case 'cell-started':
        case 'turn':
          return
        case 'aggregate':
          pending.set(`${event.aggregate.model}\u0000${event.aggregate.variant}\u0000${event.aggregate.difficulty}`, event.aggregate)
          later()
          return
        case 'cell-finished': {
          update({ done: running.state.done + 1 }, false)
          const now = performance.now()
          if (now - windowStart >= AGGREGATE_INTERVAL_MS) {
            windowStart = now
            sentInWindow = 0
          }
          // Once cells are being counted, later ones join the count, so the order of events holds.
          if (counted === 0 && sentInWindow < BURST_CELLS) {
            sentInWindow++
            emit({ type: 'cell-finished', result: forwardedResult(event.result) })
          } else {
            counted++
            later()
          }
          return
        }
        case 'sweep-started':
          update({ total: event.total, done: event.alreadyDone }, false)
          break
        case 'sweep-finished':
          flushAggregates()
          update({ done: event.done, total: event.total }, false)
          break
      }
      emit(event)
    }
    this.sweeps.set(runId, running)
    this.deps.hub.emit('wb:sweeps.status', running.state)
    const cache = this.deps.cacheDir === undefined ? {} : { cacheDir: this.deps.cacheDir }
    running.finished = runEval({ ...options, ...cache, cwd: this.deps.guard.root, onEvent, signal: controller.signal }).then(
      (outcome) => {
        flushAggregates()
        update({ status: outcome.status, done: outcome.done, total: outcome.total }, true)
      },
      (error: unknown) => {
        flushAggregates()
        const message = error instanceof Error ? error.message : String(error)
        this.deps.log(`Sweep ${runId} in ${dir} failed: ${message}`)
        update({ status: 'failed', error: message }, true)
      },
    )
    return { runId, dir }
  }

  /** A model folder of the spec must pass the guard like any other path. */
  private async checkModelPaths(spec: SweepSpec): Promise<void> {
    for (const [i, model] of spec.models.entries()) {
      if (model.backend.kind !== 'onnx') continue
      try {
        await this.deps.guard.resolve(model.backend.path, { mustExist: true, kind: 'dir' })
      } catch (error) {
        if (error instanceof ApiFailure) throw new ApiFailure(error.code, `spec.models[${i}].backend.path: ${error.message}`)
        throw error
      }
    }
  }

  private async freshDir(name: string): Promise<string> {
    const base = path.join(this.deps.runsDir, `${name}-${stamp(this.deps.now())}`)
    for (let n = 1; ; n++) {
      const candidate = n === 1 ? base : `${base}-${n}`
      if (!(await this.nonEmpty(candidate)) && !this.isClaimed(candidate)) return candidate
    }
  }

  private isClaimed(dir: string): boolean {
    return [...this.sweeps.values()].some((s) => s.state.dir === dir)
  }

  private async nonEmpty(dir: string): Promise<boolean> {
    try {
      return (await fs.readdir(dir)).length > 0
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false
      throw error
    }
  }
}
