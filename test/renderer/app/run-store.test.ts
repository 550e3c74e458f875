import { describe, expect, it } from 'vitest'
import type { RunView, SweepEventPayload } from '../../../core/contract/api.ts'
import type { Aggregate, CellRef, CellResult, SweepEvent } from '../../../core/eval/types.ts'
import { RunStore } from '../../../renderer/src/app/run-store.ts'

function aggregate(variant: string, n: number, successes: number): Aggregate {
  return {
    model: 'm',
    variant,
    difficulty: 'simple',
    difficultyValue: 1,
    n,
    successes,
    successRate: successes / n,
    successCi: { low: 0, high: 1 },
    validity: 1,
    validityCi: null,
    meanReward: 0,
    meanTurns: 1,
    meanSteps: 1,
    tokens: 0,
    failures: {},
    floatExactDisagreements: 0,
  }
}

const ref: CellRef = { id: 'm/v/simple/0/0', key: 'v/simple/0/0', model: 'm', variant: 'v', difficulty: 'simple', instance: 0, repeat: 0, seed: 1 }

function payload(event: SweepEvent): SweepEventPayload {
  return { runId: 'sweep-1', dir: '/w/runs/a', notebookCellId: 'cell-9', event }
}

/** A store whose flushes run only when the test says so. */
function manualStore(): { store: RunStore; flush: () => void; notified: () => number } {
  const queue: (() => void)[] = []
  const store = new RunStore((fn) => queue.push(fn))
  let count = 0
  store.subscribe(() => count++)
  return { store, flush: () => queue.splice(0).forEach((fn) => fn()), notified: () => count }
}

describe('run store', () => {
  it('folds a burst of 1,000 results into one notification', () => {
    const { store, flush, notified } = manualStore()
    // Starting is the user's own action: it is shown at once.
    store.sweepStarting('cell-9', true)
    expect(notified()).toBe(1)
    flush()
    const before = notified()
    store.sweepStarted('cell-9', 'sweep-1', '/w/runs/a')
    store.onSweepEvent(payload({ type: 'sweep-started', total: 1000, alreadyDone: 0 }))
    for (let i = 0; i < 1000; i++) {
      store.onSweepEvent(payload({ type: 'cell-finished', result: { ...ref } as unknown as CellResult }))
      store.onSweepEvent(payload({ type: 'aggregate', aggregate: aggregate(i % 2 ? 'a' : 'b', i + 1, i >> 1) }))
    }
    expect(notified()).toBe(before)
    flush()
    expect(notified()).toBe(before + 1)
    const view = store.sweep('cell-9')
    expect(view.done).toBe(1000)
    expect(view.aggregates.map((a) => a.variant)).toEqual(['b', 'a'])
    expect(view.aggregates.find((a) => a.variant === 'a')?.n).toBe(1000)
  })

  it('keeps the same snapshot object until something changes (React would loop otherwise)', () => {
    const { store } = manualStore()
    store.sweepStarting('c', true)
    const a = store.sweep('c')
    expect(store.sweep('c')).toBe(a)
    store.sweepStarted('c', 'r', '/d')
    expect(store.sweep('c')).not.toBe(a)
  })

  it('a resumed run starts from the cells already in the folder', () => {
    const { store } = manualStore()
    store.sweepStarting('cell-9', true)
    store.sweepStarted('cell-9', 'sweep-1', '/w/runs/a')
    store.onSweepEvent(payload({ type: 'sweep-started', total: 16, alreadyDone: 6 }))
    store.onSweepEvent(payload({ type: 'cell-finished', result: ref as unknown as CellResult }))
    expect(store.sweep('cell-9')).toMatchObject({ status: 'running', done: 7, total: 16, finishedHere: 1 })
    store.onSweepEvent(payload({ type: 'sweep-finished', status: 'cancelled', done: 7, total: 16, aggregates: [] }))
    expect(store.sweep('cell-9').status).toBe('cancelled')
    expect(store.busy()).toBe(false)
  })

  it('a new run clears the previous figures; a resumed one keeps them', () => {
    const { store } = manualStore()
    store.onSweepEvent(payload({ type: 'aggregate', aggregate: aggregate('v', 3, 1) }))
    store.sweepStarting('cell-9', false)
    expect(store.sweep('cell-9').aggregates.length).toBe(1)
    store.sweepStarting('cell-9', true)
    expect(store.sweep('cell-9')).toMatchObject({ aggregates: [], done: 0, total: 0, status: 'starting' })
  })

  it('a run folder left "running" by a dead server shows as interrupted; one another live process writes, as running there', () => {
    const { store } = manualStore()
    const run: RunView = {
      dir: '/w/runs/a',
      name: 'a',
      status: 'running',
      task: 'sokoban',
      startedAt: null,
      endedAt: null,
      done: 3,
      total: 8,
      spec: {},
      models: [],
      aggregates: [aggregate('v', 3, 1)],
      resultCount: 3,
      offset: 0,
      results: [],
      tornLine: true,
      writtenBy: null,
    }
    store.sweepLoaded('cell-9', run)
    expect(store.sweep('cell-9')).toMatchObject({ status: 'interrupted', done: 3, total: 8 })
    store.sweepLoaded('cell-8', { ...run, writtenBy: { pid: 4242, host: 'box' } })
    expect(store.sweep('cell-8')).toMatchObject({ status: 'elsewhere', done: 3, total: 8 })
  })

  it('streams probe tokens for its own request only', () => {
    const { store } = manualStore()
    store.probeStarted('p', 'p-1')
    store.onGenerateEvent({ requestId: 'p-1', event: { type: 'token', delta: 'Up' } })
    store.onGenerateEvent({ requestId: 'other', event: { type: 'token', delta: 'X' } })
    store.onGenerateEvent({ requestId: 'p-1', event: { type: 'token', delta: '!' } })
    expect(store.probe('p')).toMatchObject({ text: 'Up!', tokens: 2, running: true })
    expect(store.runningProbes()).toEqual(['p-1'])
    store.probeEnded('p', 'Up!!')
    expect(store.probe('p')).toMatchObject({ text: 'Up!!', running: false })
  })
})
