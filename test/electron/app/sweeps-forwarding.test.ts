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
import { BURST_CELLS, SweepService, type RunEvalFn } from '../../../electron/app/sweeps.ts'
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

/**
 * Runs SPEC through the service (with the oracle, or `fake` emitting what it likes); returns what the
 * engine emitted and what was forwarded.
 */
async function forwarded(fake?: RunEvalFn): Promise<{ engine: SweepEvent[]; sent: SweepEventPayload[] }> {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'sftbench-sweeps-fwd-'))
  dirs.push(ws)
  fs.mkdirSync(path.join(ws, 'oracle'))
  const engine: SweepEvent[] = []
  const oracle: RunEvalFn = async (options) => {
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
  const runEval = fake ?? oracle
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
    const counted = sent.reduce((n, p) => n + (p.event.type === 'cells-finished' ? p.event.count : 0), 0)
    expect(results.length).toBeGreaterThanOrEqual(Math.min(12, BURST_CELLS))
    expect(results.length + counted).toBe(12)
    const originals = new Map(engine.flatMap((e) => (e.type === 'cell-finished' ? [[e.result.id, e.result] as const] : [])))
    results.forEach((r) => {
      const o = originals.get(r.id)
      if (!o) throw new Error(`forwarded a result the engine never reported: ${r.id}`)
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

  it('a burst of finished cells: the first few one by one, the rest of the window as one count', async () => {
    const { engine } = await forwarded()
    const result = engine.find((e) => e.type === 'cell-finished')
    if (result?.type !== 'cell-finished') throw new Error('the oracle sweep reported no result')
    const burst: RunEvalFn = async (options) => {
      options.onEvent?.({ type: 'sweep-started', total: 50, alreadyDone: 0 })
      for (let i = 0; i < 50; i++) options.onEvent?.({ type: 'cell-finished', result: { ...result.result, id: `m/k${i}` } })
      options.onEvent?.({ type: 'sweep-finished', status: 'completed', done: 50, total: 50, aggregates: [] })
      return { dir: options.outDir ?? '', status: 'completed', done: 50, total: 50 }
    }
    const { sent } = await forwarded(burst)
    const types = sent.map((p) => p.event.type)
    expect(types.slice(0, BURST_CELLS + 1)).toEqual(['sweep-started', ...Array.from({ length: BURST_CELLS }, () => 'cell-finished')])
    expect(types.at(-1)).toBe('sweep-finished')
    // The rest as counts (one, unless the machine stalled past an interval mid-burst), adding up.
    const rest = sent.slice(BURST_CELLS + 1, -1).map((p) => p.event)
    expect(rest.length).toBeGreaterThanOrEqual(1)
    expect(rest.length).toBeLessThan(5)
    expect(rest.reduce((n, e) => n + (e.type === 'cells-finished' ? e.count : Number.NaN), 0)).toBe(50 - BURST_CELLS)
  })

  it('cells finishing a window apart are each forwarded with their result', async () => {
    const { engine } = await forwarded()
    const result = engine.find((e) => e.type === 'cell-finished')
    if (result?.type !== 'cell-finished') throw new Error('the oracle sweep reported no result')
    const slow: RunEvalFn = async (options) => {
      options.onEvent?.({ type: 'sweep-started', total: 3, alreadyDone: 0 })
      for (let i = 0; i < 3; i++) {
        await new Promise((resolve) => setTimeout(resolve, 120))
        for (let j = 0; j < BURST_CELLS; j++) options.onEvent?.({ type: 'cell-finished', result: { ...result.result, id: `m/k${i}-${j}` } })
      }
      options.onEvent?.({ type: 'sweep-finished', status: 'completed', done: 3 * BURST_CELLS, total: 3 * BURST_CELLS, aggregates: [] })
      return { dir: options.outDir ?? '', status: 'completed', done: 3 * BURST_CELLS, total: 3 * BURST_CELLS }
    }
    const { sent } = await forwarded(slow)
    expect(sent.filter((p) => p.event.type === 'cell-finished')).toHaveLength(3 * BURST_CELLS)
    expect(sent.some((p) => p.event.type === 'cells-finished')).toBe(false)
  })
})
