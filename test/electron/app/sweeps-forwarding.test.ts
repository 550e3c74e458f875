// What a sweep started from the UI forwards to the windows: no per-turn events, results without their
// transcripts, and aggregates coalesced per group, the last of each equal to the sweep's final one.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { SweepEventPayload } from '../../../core/contract/api.ts'
import { runSweep } from '../../../core/eval/runner.ts'
import { oracleClient } from '../../../core/eval/scripted.ts'
import { parseSweepSpec } from '../../../core/eval/spec.ts'
import type { Aggregate, SweepEvent } from '../../../core/eval/types.ts'
import { EventHub } from '../../../electron/app/events.ts'
import { FileGuard } from '../../../electron/app/files.ts'
import { SweepService, type RunEvalFn } from '../../../electron/app/sweeps.ts'
import { promptHash } from '../../../electron/eval/eval-service.ts'

const SPEC = {
  version: 1,
  name: 'fwd',
  task: 'sokoban',
  seed: 4,
  variants: ['sokoban-eval-base', 'sokoban-eval-cardinal'],
  difficulties: [{ name: 'simple', difficulty: 'simple' }],
  instances: 6,
  repeats: 1,
  models: [{ name: 'oracle', backend: { kind: 'onnx', path: 'oracle', provider: 'cpu' } }],
}

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true })
})

/** Runs SPEC through the service with the oracle; returns what the engine emitted and what was forwarded. */
async function forwarded(): Promise<{ engine: SweepEvent[]; sent: SweepEventPayload[] }> {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'sftbench-sweeps-fwd-'))
  dirs.push(ws)
  fs.mkdirSync(path.join(ws, 'oracle'))
  const engine: SweepEvent[] = []
  const runEval: RunEvalFn = async (options) => {
    const spec = parseSweepSpec(options.spec)
    const outcome = await runSweep(spec, {
      clients: new Map([['oracle', oracleClient()]]),
      clock: { now: () => 0 },
      hash: promptHash,
      onEvent: (e) => {
        engine.push(e)
        options.onEvent?.(e)
      },
    })
    return { dir: options.outDir ?? '', status: outcome.status, done: outcome.done, total: outcome.total }
  }
  const hub = new EventHub(() => {})
  const sent: SweepEventPayload[] = []
  let ended: () => void = () => {}
  const end = new Promise<void>((resolve) => (ended = resolve))
  hub.subscribe((channel, payload) => {
    if (channel === 'wb:sweeps.event') sent.push(payload as SweepEventPayload)
    if (channel === 'wb:sweeps.status' && (payload as { status: string }).status !== 'running') ended()
  })
  const service = new SweepService({ guard: await FileGuard.create(ws), hub, runsDir: path.join(ws, 'runs'), runEval, now: () => new Date(2030, 0, 1), log: () => {} })
  await service.start({ spec: SPEC, notebookCellId: 'cell-5', noCache: true })
  await end
  return { engine, sent }
}

describe('sweep events forwarded to the windows', () => {
  it('drops cell-started and turn events, keeps every cell-finished without transcripts', async () => {
    const { engine, sent } = await forwarded()
    const types = sent.map((p) => p.event.type)
    expect(engine.some((e) => e.type === 'turn')).toBe(true)
    expect(types).not.toContain('turn')
    expect(types).not.toContain('cell-started')
    expect(types[0]).toBe('sweep-started')
    expect(types.at(-1)).toBe('sweep-finished')
    const results = sent.flatMap((p) => (p.event.type === 'cell-finished' ? [p.event.result] : []))
    expect(results).toHaveLength(12)
    const originals = engine.flatMap((e) => (e.type === 'cell-finished' ? [e.result] : []))
    results.forEach((r, i) => {
      const o = originals[i]
      expect(r.sokoban?.turns).toEqual([])
      expect(o.sokoban?.turns.length).toBeGreaterThan(0)
      // Everything but the transcript is as the engine reported it.
      expect({ ...r, sokoban: { ...r.sokoban, turns: null } }).toEqual({ ...o, sokoban: { ...o.sokoban, turns: null } })
    })
    expect(sent.every((p) => p.notebookCellId === 'cell-5')).toBe(true)
  })

  it('coalesces aggregates: the last of each group, before sweep-finished, equals the final aggregate', async () => {
    const { engine, sent } = await forwarded()
    const aggregates = sent.flatMap((p) => (p.event.type === 'aggregate' ? [p.event.aggregate] : []))
    const engineCount = engine.filter((e) => e.type === 'aggregate').length
    expect(engineCount).toBe(12)
    expect(aggregates.length).toBeGreaterThan(0)
    expect(aggregates.length).toBeLessThanOrEqual(engineCount)
    const last = new Map<string, Aggregate>()
    for (const a of aggregates) last.set(a.variant, a)
    const finished = engine.find((e) => e.type === 'sweep-finished')
    if (finished?.type !== 'sweep-finished') throw new Error('the engine did not finish')
    for (const a of finished.aggregates) expect(last.get(a.variant)).toEqual(a)
    const lastAggregateAt = sent.map((p) => p.event.type).lastIndexOf('aggregate')
    expect(lastAggregateAt).toBeLessThan(sent.length - 1)
  })
})
