import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { contamination, exportContamination, type KeyedItem } from '../../../core/dataset/contamination.ts'

const train: KeyedItem[] = [
  { id: 'train/0', key: 'sokoban:#####' },
  { id: 'train/1', key: 'sokoban:#@$.#' },
  { id: 'train/2', key: 'gp:2,7,Q,2' },
  { id: 'train/3', key: 'gp:2,7,Q,2' },
]

describe('contamination on a constructed overlap', () => {
  it('counts and names exactly the eval items whose key occurs in training', () => {
    const evalItems: KeyedItem[] = [
      { id: 'eval/0', key: 'sokoban:#@$.#' },
      { id: 'eval/1', key: 'sokoban:unseen' },
      { id: 'eval/2', key: 'gp:2,7,Q,2' },
      { id: 'eval/3', key: 'gp:A,A,A,A' },
      { id: 'eval/4', key: 'sokoban:#@$.#' },
    ]
    const report = contamination(train, evalItems)
    expect(report.total).toBe(5)
    expect(report.overlap).toBe(3)
    expect(report.fraction).toBeCloseTo(0.6, 12)
    expect(report.ids).toEqual(['eval/0', 'eval/2', 'eval/4'])
    expect(report.matches[1]).toEqual({ evalId: 'eval/2', key: 'gp:2,7,Q,2', trainIds: ['train/2', 'train/3'], trainCount: 2 })
    expect(report.trainItems).toBe(4)
    expect(report.trainKeys).toBe(3)
  })

  it('limits the listed training ids but keeps the full count', () => {
    const report = contamination(train, [{ id: 'e', key: 'gp:2,7,Q,2' }], { maxTrainIds: 1 })
    expect(report.matches[0].trainIds).toEqual(['train/2'])
    expect(report.matches[0].trainCount).toBe(2)
  })

  it('an empty eval set has no overlap and fraction 0', () => {
    expect(contamination(train, [])).toMatchObject({ total: 0, overlap: 0, fraction: 0, ids: [] })
  })

  it('rejects a negative id limit', () => {
    expect(() => contamination(train, [], { maxTrainIds: -1 })).toThrow(/maxTrainIds/)
  })

  it('property: overlap equals a brute-force count, and every listed id has a matching training key', () => {
    const item = fc.record({ id: fc.string(), key: fc.constantFrom('a', 'b', 'c', 'd', 'e') })
    fc.assert(
      fc.property(fc.array(item), fc.array(item), (tr, ev) => {
        const report = contamination(tr, ev)
        const brute = ev.filter((e) => tr.some((t) => t.key === e.key))
        expect(report.overlap).toBe(brute.length)
        expect(report.ids).toEqual(brute.map((e) => e.id))
      }),
    )
  })
})

describe('exportContamination', () => {
  const records = [
    { id: 'p/1', split: 'train', exampleKeys: ['start-1', 'mid-1'] },
    { id: 'p/2', split: 'test', exampleKeys: ['start-2'] },
  ]

  it('names training items <instance id>@<step> and finds eval levels met mid-way', () => {
    const report = exportContamination(records, [
      { id: 'e/0', key: 'mid-1' },
      { id: 'e/1', key: 'start-2' },
      { id: 'e/2', key: 'other' },
    ])
    expect(report.ids).toEqual(['e/0', 'e/1'])
    expect(report.matches.map((m) => m.trainIds)).toEqual([['p/1@1'], ['p/2@0']])
    expect(report.trainItems).toBe(3)
  })

  it('limits the training side to the given splits', () => {
    const report = exportContamination(records, [{ id: 'e/1', key: 'start-2' }], { splits: ['train'] })
    expect(report).toMatchObject({ overlap: 0, trainItems: 2 })
  })
})
