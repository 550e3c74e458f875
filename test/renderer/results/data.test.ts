// Loading a filter's samples page by page through wb:runs.results, with a fake transport.
import { describe, expect, it } from 'vitest'
import type { RequestChannel, RequestOf, Result, ResponseOf, ResultRow, RunResultsPage, Transport } from '../../../core/contract/api.ts'
import { loadDetail, loadSamples, PAGE_ROWS, resultFilterOf, SamplesError } from '../../../renderer/src/results/data.ts'

function rowAt(i: number): ResultRow {
  const key = `v/d/${i}/0`
  return { id: `m/${key}`, key, model: 'm', variant: 'v', difficulty: 'd', instance: i, repeat: 0, success: i % 2 === 0, failure: i % 2 === 0 ? null : 'deadlock', turns: 1, steps: 1, tokens: 3 }
}

/** Serves `count()` rows (the filter is ignored: the backend's tests cover it) and records each request. */
function fakeTransport(count: () => number, fail: string | null = null) {
  const requests: RequestOf<'wb:runs.results'>[] = []
  const transport: Transport = {
    async request<C extends RequestChannel>(channel: C, payload: RequestOf<C>): Promise<Result<ResponseOf<C>>> {
      if (channel !== 'wb:runs.results') throw new Error(`unexpected ${channel}`)
      const p = payload as RequestOf<'wb:runs.results'>
      requests.push(p)
      if (fail !== null) return { ok: false, error: { code: 'invalid-request', message: fail } } as Result<ResponseOf<C>>
      const n = count()
      const offset = p.offset ?? 0
      const limit = p.limit ?? 500
      const rows = Array.from({ length: Math.max(0, Math.min(limit, n - offset)) }, (_, i) => rowAt(offset + i))
      const page: RunResultsPage = {
        dir: '/ws/runs/r', status: 'running', task: 'sokoban', total: n, matched: n, offset, rows,
        details: p.detail ? rows.map((r) => ({ result: { ...r } as never, scoredValues: null })) : null,
        facets: { models: ['m'], variants: ['v'], difficulties: ['d'], failures: ['deadlock'] }, tornLine: false,
      }
      return { ok: true, value: page } as Result<ResponseOf<C>>
    },
    subscribe: () => () => {},
  }
  return { transport, requests }
}

describe('resultFilterOf', () => {
  it('keeps the fields the backend filters on and drops the label', () => {
    expect(resultFilterOf({ variant: 'v', difficulty: 'd', model: 'm', failure: 'success', keys: ['a'], label: 'x' })).toEqual({
      variant: 'v', difficulty: 'd', model: 'm', failure: 'success', keys: ['a'],
    })
    expect(resultFilterOf({ label: 'all' })).toEqual({})
  })
})

describe('loadSamples', () => {
  it('12,000 matches: three pages of 5000, 5000 and 2000 rows, each reported', async () => {
    const { transport, requests } = fakeTransport(() => 12_000)
    const pages: number[] = []
    const done = await loadSamples(transport, 'runs/r', { variant: 'v', label: 'x' }, null, (p) => pages.push(p.rows.length))
    expect(PAGE_ROWS).toBe(5000)
    expect(requests.map((r) => [r.offset, r.limit])).toEqual([[0, 5000], [5000, 5000], [10_000, 5000]])
    expect(requests[0].filter).toEqual({ variant: 'v' })
    expect(pages).toEqual([5000, 10_000, 12_000])
    expect(done?.rows.map((r) => r.instance)).toEqual(Array.from({ length: 12_000 }, (_, i) => i))
  })

  it('a refresh asks only for the rows after those it has', async () => {
    let n = 30
    const { transport, requests } = fakeTransport(() => n)
    const first = await loadSamples(transport, 'runs/r', {}, null, () => {})
    n = 42
    const second = await loadSamples(transport, 'runs/r', {}, first, () => {})
    expect(requests.map((r) => r.offset)).toEqual([0, 30])
    expect(second?.rows).toHaveLength(42)
    expect(second?.rows[41].instance).toBe(41)
  })

  it('a folder that shrank under it (a resume cut lines) is loaded again from the start', async () => {
    let n = 30
    const { transport, requests } = fakeTransport(() => n)
    const first = await loadSamples(transport, 'runs/r', {}, null, () => {})
    n = 20
    const second = await loadSamples(transport, 'runs/r', {}, first, () => {})
    expect(requests.map((r) => r.offset)).toEqual([0, 30, 0])
    expect(second?.rows).toHaveLength(20)
  })

  it('stops without reporting once the panel is gone; a backend error is thrown with its message', async () => {
    const { transport } = fakeTransport(() => 10)
    const pages: number[] = []
    expect(await loadSamples(transport, 'runs/r', {}, null, (p) => pages.push(p.rows.length), () => false)).toBeNull()
    expect(pages).toEqual([])
    const broken = fakeTransport(() => 0, 'runs/r is not a run folder')
    await expect(loadSamples(broken.transport, 'runs/r', {}, null, () => {})).rejects.toThrow(new SamplesError('runs/r is not a run folder'))
  })
})

describe('loadDetail', () => {
  it('asks for one sample by key and model, in full', async () => {
    const { transport, requests } = fakeTransport(() => 1)
    const detail = await loadDetail(transport, 'runs/r', rowAt(0))
    expect(requests[0]).toEqual({ dir: 'runs/r', filter: { keys: ['v/d/0/0'], model: 'm' }, limit: 1, detail: true })
    expect(detail.result.id).toBe('m/v/d/0/0')
    await expect(loadDetail(transport, 'runs/r', rowAt(5))).rejects.toThrow(/no longer in the run folder/)
  })
})
