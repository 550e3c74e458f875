/**
 * The measurements a sweep cell's time estimate uses (see `estimate.ts`):
 * - the loaded model's generation speed: every finished generation of the page (probes, the sweep
 *   cell's "Measure speed") reports its time to first token and tokens per second; the last one of
 *   the model loaded now is kept, and forgotten when another model loads;
 * - a sweep's own rate: the renderer times each run of a sweep cell (seconds per finished cell) and
 *   keeps the last one for the page's life; after a reload, the run folder's cell timings stand in.
 */
import { useEffect, useState, useSyncExternalStore } from 'react'
import type { ModelStatus, Transport } from '../../../core/contract/api.ts'
import type { GeneratePrompt, GenerateResult } from '../../../core/model/client.ts'
import type { SamplingParamsPatch } from '../../../core/notebook/sampling-patch.ts'
import type { SweepView } from '../app/run-store.ts'
import { rateOfRun, secondsPerCellFromSpans, type GenerationSpeed, type RunRate } from './estimate.ts'

/** The loaded model and its last measured speed. */
export interface ModelSpeed {
  readonly status: ModelStatus | null
  readonly speed: GenerationSpeed | null
}

/** Follows the loaded model and the speed of its finished generations (one per transport). */
export class SpeedTracker {
  private state: ModelSpeed = { status: null, speed: null }
  private readonly listeners = new Set<() => void>()

  constructor(private readonly transport: Transport) {
    transport.subscribe('wb:models.changed', (status) => this.onStatus(status))
    transport.subscribe('wb:generate.event', (payload) => {
      if (payload.event.type === 'done') this.record(payload.event.result)
    })
    void transport.request('wb:models.status', {}).then((r) => {
      if (r.ok && this.state.status === null) this.onStatus(r.value)
    })
  }

  get = (): ModelSpeed => this.state

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  private set(next: ModelSpeed): void {
    this.state = next
    for (const l of [...this.listeners]) l()
  }

  private onStatus(status: ModelStatus): void {
    const same = this.state.status?.dir === status.dir && status.state === 'ready' && this.state.status?.state === 'ready'
    this.set({ status, speed: same ? this.state.speed : null })
  }

  /** A finished generation's speed (one that made fewer than 2 tokens says nothing about decoding). */
  record(result: GenerateResult): void {
    if (result.tokens.length < 2 || !(result.timings.tokensPerSecond > 0)) return
    this.set({ ...this.state, speed: { tokensPerSecond: result.timings.tokensPerSecond, timeToFirstTokenMs: result.timings.timeToFirstTokenMs } })
  }

  /** Generates `tokens` tokens of `prompt` with the loaded model and records the speed. */
  async measure(prompt: GeneratePrompt, params: SamplingParamsPatch, tokens: number): Promise<void> {
    const requestId = `sweep-speed-${++measureCount}`
    // Stop strings and EOS would end the measurement early: ask for exactly `tokens` tokens.
    const patch: SamplingParamsPatch = { ...params, maxNewTokens: tokens, stop: [], stopOnEos: false, topLogprobs: 0 }
    // The contract's prompt is the same shape with mutable arrays.
    const request = { requestId, prompt: prompt as string | { messages: { role: string; content: string }[] }, params: patch }
    const r = await this.transport.request('wb:generate.start', request)
    if (!r.ok) throw new Error(r.error.message)
    this.record(r.value)
  }
}

let measureCount = 0
const trackers = new WeakMap<Transport, SpeedTracker>()

function trackerOf(transport: Transport): SpeedTracker {
  let t = trackers.get(transport)
  if (!t) {
    t = new SpeedTracker(transport)
    trackers.set(transport, t)
  }
  return t
}

/** The loaded model and its last measured generation speed. */
export function useModelSpeed(transport: Transport): ModelSpeed {
  const t = trackerOf(transport)
  return useSyncExternalStore(t.subscribe, t.get)
}

/** Measures the loaded model's speed on `prompt` (a short generation of `tokens` tokens). */
export function measureModelSpeed(transport: Transport, prompt: GeneratePrompt, params: SamplingParamsPatch, tokens = 32): Promise<void> {
  return trackerOf(transport).measure(prompt, params, tokens)
}

/** A run of a sweep cell as the renderer timed it. */
interface RunClock {
  readonly runKey: string
  readonly startMs: number
  /** When the renderer first saw a cell of this run finished. */
  readonly firstCellMs: number | null
}

const clocks = new Map<string, RunClock>()
/** Each sweep cell's last run timed on this page, and the model it ran. */
const lastRates = new Map<string, { readonly rate: RunRate; readonly modelPath: string | null }>()

const now = (): number => performance.now()

/** The live timing of a sweep cell's run: elapsed time while it runs, and the last run's seconds per cell. */
export interface RunTiming {
  /** Milliseconds since this run (or resume) started; null when not running. */
  readonly elapsedMs: number | null
  /** Milliseconds since this run's first cell finished; null before. */
  readonly sinceFirstCellMs: number | null
  /** The last run timed on this page with the same model (null when none finished a cell). */
  readonly lastRun: RunRate | null
}

/**
 * Times sweep runs of `cellId` from the view the run store gives: the clock starts when a run starts
 * (the store resets `finishedHere` then) and stops when it ends, leaving its seconds per cell. A
 * running sweep re-renders every second so the remaining time counts down between finished cells.
 */
export function useRunTiming(cellId: string, view: SweepView, modelPath: string | null): RunTiming {
  const running = view.status === 'running' || view.status === 'starting'
  const [, setTick] = useState(0)
  useEffect(() => {
    const clock = clocks.get(cellId)
    if (running) {
      const runKey = view.runId ?? 'starting'
      // A run starts at 'starting' (no run id yet): the clock keeps its start when the id arrives.
      if (!clock || (clock.runKey !== runKey && clock.runKey !== 'starting')) {
        clocks.set(cellId, { runKey, startMs: now(), firstCellMs: null })
      } else {
        const firstCellMs = clock.firstCellMs ?? (view.finishedHere > 0 ? now() : null)
        if (runKey !== clock.runKey || firstCellMs !== clock.firstCellMs) clocks.set(cellId, { ...clock, runKey, firstCellMs })
      }
    } else if (clock) {
      const rate = rateOfRun({ startMs: clock.startMs, firstCellMs: clock.firstCellMs ?? now(), endMs: now(), finished: view.finishedHere })
      if (rate !== null) lastRates.set(cellId, { rate, modelPath })
      clocks.delete(cellId)
      // The estimate below the bar now rests on this run: show it.
      setTick((t) => t + 1)
    }
  }, [cellId, running, view.runId, view.finishedHere, modelPath])
  useEffect(() => {
    if (!running) return
    const timer = setInterval(() => setTick((t) => t + 1), 1000)
    return () => clearInterval(timer)
  }, [running])
  const clock = clocks.get(cellId)
  const last = lastRates.get(cellId)
  const t = now()
  return {
    elapsedMs: running && clock ? t - clock.startMs : null,
    sinceFirstCellMs: running && clock && clock.firstCellMs !== null ? t - clock.firstCellMs : null,
    lastRun: last !== undefined && last.modelPath === modelPath ? last.rate : null,
  }
}

/** How many of a run folder's last results the estimate reads (the latest run is what matters). */
const LAST_RESULTS = 400

const folderRates = new Map<string, RunRate | null>()

/**
 * Seconds per cell of the run in `runDir`, from the timings of its last results (cells served wholly
 * from the generation cache left out: a changed sweep would generate them). Only when the run used
 * the model at `modelPath`; null while reading, for another model, or without timings.
 */
export function useFolderRate(transport: Transport, runDir: string | null, modelPath: string | null, enabled: boolean): RunRate | null {
  const key = runDir === null || modelPath === null ? null : `${runDir}\u0000${modelPath}`
  const [rate, setRate] = useState<{ key: string; value: RunRate | null } | null>(null)
  useEffect(() => {
    if (key === null || runDir === null || !enabled) return
    if (folderRates.has(key)) {
      setRate({ key, value: folderRates.get(key) ?? null })
      return
    }
    let live = true
    void (async () => {
      const head = await transport.request('wb:runs.read', { dir: runDir, limit: 0 })
      if (!head.ok) return
      const models = (head.value.spec as { models?: { backend?: { path?: unknown } }[] } | null)?.models ?? []
      let value: RunRate | null = null
      if (models.length === 1 && models[0].backend?.path === modelPath && head.value.resultCount > 0) {
        const offset = Math.max(0, head.value.resultCount - LAST_RESULTS)
        const page = await transport.request('wb:runs.read', { dir: runDir, offset, limit: LAST_RESULTS })
        if (page.ok) {
          const fresh = page.value.results.filter((r) => r.timing.generations > r.timing.cachedGenerations)
          const perCell = secondsPerCellFromSpans(fresh.map((r) => r.timing))
          // Cell timings know nothing of the run's start-up.
          value = perCell === null ? null : { secondsPerCell: perCell, startupSeconds: 0 }
        }
      }
      folderRates.set(key, value)
      if (live) setRate({ key, value })
    })()
    return () => {
      live = false
    }
  }, [transport, key, runDir, modelPath, enabled])
  return rate !== null && rate.key === key ? rate.value : null
}
