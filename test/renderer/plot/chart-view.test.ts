import { describe, expect, it } from 'vitest'
import type { SweepEventPayload } from '../../../core/contract/api.ts'
import type { Aggregate, CellResult, SweepEvent } from '../../../core/eval/types.ts'
import { RunStore } from '../../../renderer/src/app/run-store.ts'
import { exportFileName } from '../../../renderer/src/plot/file-name.ts'

function aggregate(variant: string, n: number): Aggregate {
  return {
    model: 'm',
    variant,
    difficulty: 'simple',
    difficultyValue: 1,
    n,
    successes: 0,
    successRate: 0,
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

const payload = (event: SweepEvent): SweepEventPayload => ({ runId: 'r', dir: '/runs/a', notebookCellId: 'c', event })
const finished = payload({ type: 'cell-finished', result: { key: 'k' } as unknown as CellResult })

describe("a plot's view of its sweep", () => {
  it('stays the same object while only counts move, so charts do not re-render per finished cell', () => {
    const store = new RunStore(() => {})
    store.sweepStarting('c', true)
    store.sweepStarted('c', 'r', '/runs/a')
    store.onSweepEvent(payload({ type: 'sweep-started', total: 10, alreadyDone: 0 }))
    store.onSweepEvent(payload({ type: 'aggregate', aggregate: aggregate('a', 1) }))
    const chart = store.sweepChart('c')
    const view = store.sweep('c')
    store.onSweepEvent(finished)
    store.onSweepEvent(finished)
    expect(store.sweep('c')).not.toBe(view)
    expect(store.sweep('c').done).toBe(2)
    expect(store.sweepChart('c')).toBe(chart)
    // The full view keeps the same aggregates array too.
    expect(store.sweep('c').aggregates).toBe(view.aggregates)
  })

  it('changes when an aggregate, the status or the folder changes', () => {
    const store = new RunStore(() => {})
    store.sweepStarting('c', true)
    const idle = store.sweepChart('c')
    expect(idle).toMatchObject({ status: 'starting', dir: null, aggregates: [] })
    store.sweepStarted('c', 'r', '/runs/a')
    const started = store.sweepChart('c')
    expect(started).not.toBe(idle)
    expect(started.dir).toBe('/runs/a')
    store.onSweepEvent(payload({ type: 'aggregate', aggregate: aggregate('a', 1) }))
    const one = store.sweepChart('c')
    expect(one.aggregates.map((a) => a.n)).toEqual([1])
    store.onSweepEvent(payload({ type: 'aggregate', aggregate: aggregate('a', 2) }))
    expect(store.sweepChart('c').aggregates.map((a) => a.n)).toEqual([2])
    const two = store.sweepChart('c')
    store.onSweepEvent(payload({ type: 'sweep-finished', status: 'completed', done: 2, total: 2, aggregates: [aggregate('a', 2)] }))
    expect(store.sweepChart('c')).not.toBe(two)
    expect(store.sweepChart('c').status).toBe('completed')
  })

  it('a cells-finished count adds to done and leaves the chart view alone', () => {
    const store = new RunStore(() => {})
    store.sweepStarting('c', true)
    store.sweepStarted('c', 'r', '/runs/a')
    store.onSweepEvent(payload({ type: 'sweep-started', total: 50, alreadyDone: 4 }))
    const chart = store.sweepChart('c')
    store.onSweepEvent(finished)
    store.onSweepEvent({ ...payload({ type: 'sweep-started', total: 50, alreadyDone: 4 }), event: { type: 'cells-finished', count: 42 } })
    expect(store.sweep('c')).toMatchObject({ done: 47, finishedHere: 43, total: 50 })
    expect(store.sweepChart('c')).toBe(chart)
  })

  it('an unknown cell has the idle view', () => {
    expect(new RunStore(() => {}).sweepChart('nope')).toEqual({ dir: null, status: 'idle', aggregates: [] })
  })
})

describe('export file names', () => {
  it('come from the title, else the cell id, with the chart kind', () => {
    expect(exportFileName('Success by prompt', 'cell-6', 'heatmap')).toBe('Success-by-prompt-heatmap')
    expect(exportFileName(undefined, 'cell-6', 'lines')).toBe('cell-6-lines')
    expect(exportFileName('  ', 'cell-6', 'failures')).toBe('cell-6-failures')
    expect(exportFileName('../../etc/passwd', 'cell-6', 'lines')).toBe('etc-passwd-lines')
    expect(exportFileName('Érfolg: ±5%', 'c', 'lines')).toBe('Erfolg-5-lines')
  })
})
