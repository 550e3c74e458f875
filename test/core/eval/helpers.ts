/**
 * @module test/core/eval/helpers
 * Shared set-up of the evaluation engine's tests: sweeps built from a few fields, a sink that keeps
 * what it is given, and a runner call that returns every result.
 */
import { createHash } from 'node:crypto'
import { runSweep, type RunSink, type SweepDeps, type SweepOutcome } from '../../../core/eval/runner.ts'
import { parseSweepSpec, type SweepSpec } from '../../../core/eval/spec.ts'
import type { CellResult, SweepEvent } from '../../../core/eval/types.ts'
import type { ModelClient } from '../../../core/model/client.ts'

/** sha256, 16 hex digits, as the Node side hashes prompts. */
export function hash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 16)
}

/** A clock that advances 1 ms per reading, so timings are deterministic. */
export function tickClock(): { now(): number } {
  let t = 0
  return { now: () => ++t }
}

/** A one-model sweep; `overrides` replace top-level fields. */
export function sweep(task: 'sokoban' | 'gp', overrides: Record<string, unknown> = {}): SweepSpec {
  const base =
    task === 'sokoban'
      ? { variants: ['sokoban-eval-base'], difficulties: [{ name: '6x6-1', difficulty: 'simple' }] }
      : { variants: ['gp-test-all_10'], difficulties: [{ name: 'id', difficulty: 'gp-id' }] }
  return parseSweepSpec({
    version: 1,
    name: 'test',
    task,
    seed: 11,
    ...base,
    instances: 10,
    models: [{ name: 'm', backend: { kind: 'onnx', path: 'm' } }],
    ...overrides,
  })
}

/** A sink that keeps every prompt and result in arrival order. */
export class MemorySink implements RunSink {
  readonly prompts = new Map<string, string>()
  readonly announcements: string[] = []
  readonly results: CellResult[] = []

  prompt(hash: string, text: string): void {
    this.announcements.push(hash)
    this.prompts.set(hash, text)
  }

  result(result: CellResult): void {
    this.results.push(result)
  }
}

/** What `run` returns: the outcome, the sink and every event. */
export interface RunRecord {
  readonly outcome: SweepOutcome
  readonly sink: MemorySink
  readonly events: SweepEvent[]
}

/** Runs `spec` with `client` for every model (or a map of clients) and records everything. */
export async function run(
  spec: SweepSpec,
  client: ModelClient | ReadonlyMap<string, ModelClient>,
  extra: Partial<SweepDeps> = {},
): Promise<RunRecord> {
  const clients =
    client instanceof Map
      ? (client as ReadonlyMap<string, ModelClient>)
      : new Map(spec.models.map((m) => [m.name, client as ModelClient]))
  const sink = new MemorySink()
  const events: SweepEvent[] = []
  const outcome = await runSweep(spec, {
    clients,
    clock: tickClock(),
    hash,
    sink,
    onEvent: (event) => events.push(event),
    ...extra,
  })
  return { outcome, sink, events }
}

/** A result without its timing (which depends on when it ran), for comparing runs. */
export function timeless(result: CellResult): Omit<CellResult, 'timing'> {
  const { timing: _timing, ...rest } = result
  return rest
}

/** Results keyed by id, timing removed. */
export function byId(results: readonly CellResult[]): Map<string, Omit<CellResult, 'timing'>> {
  return new Map(results.map((r) => [r.id, timeless(r)]))
}
