/**
 * @module core/eval/runner
 * Runs a sweep: every cell of the spec, at most `spec.concurrency` at a time, streaming typed events
 * and handing each finished cell to a sink (the run folder), then dropping it.
 */
import type { AbortSignalLike, Clock, ModelClient } from '../model/client.ts'
import type { TemplateLibrary } from '../prompt/index.ts'
import type { Aggregate, CellResult, SweepEvent } from './types.ts'
import type { SweepSpec } from './spec.ts'

/** Where finished cells go (a run folder's writer, a counter in tests). */
export interface RunSink {
  /** Called once per distinct prompt (by hash) before the first result that refers to it. */
  prompt(hash: string, text: string): void
  /** Called as each cell finishes; the runner awaits it (so a store can flush). */
  result(result: CellResult): void | Promise<void>
}

/** What a sweep runs with. */
export interface SweepDeps {
  /** The client of each model of the spec, by model name (the caller loads them). */
  readonly clients: ReadonlyMap<string, ModelClient>
  readonly clock: Clock
  /** A stable content hash (hex) of a prompt text; the Node side passes sha256 truncated to 16 hex chars. */
  readonly hash: (text: string) => string
  readonly sink?: RunSink
  /** Results already in the run folder (resume): their ids are skipped and they seed the aggregates. */
  readonly previous?: Iterable<CellResult>
  readonly signal?: AbortSignalLike
  readonly onEvent?: (event: SweepEvent) => void
  /** Templates named by the variants; default `defaultTemplateLibrary()`. */
  readonly library?: TemplateLibrary
}

/** How a sweep ended. */
export interface SweepOutcome {
  readonly status: 'completed' | 'cancelled'
  /** Cells finished, previous ones included. */
  readonly done: number
  readonly total: number
  readonly aggregates: Aggregate[]
}

/** Runs every cell of `spec` not already in `deps.previous`; see the module comment. */
export async function runSweep(spec: SweepSpec, deps: SweepDeps): Promise<SweepOutcome> {
  void spec
  void deps
  throw new Error('runSweep: not implemented yet')
}
