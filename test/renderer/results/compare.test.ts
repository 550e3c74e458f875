// The paired comparison: pairs by (model, difficulty, instance, repeat), counts from core's flipTable,
// and each bin's exact cell keys, against counts worked out by hand.
import { describe, expect, it } from 'vitest'
import { binCount, binFilter, comparePaired, FLIP_BINS, formatP, type PairableResult } from '../../../renderer/src/results/compare.ts'
import { matcherOf, type FilterableResult } from '../../../renderer/src/results/filter.ts'

type Row = PairableResult & FilterableResult

function cell(variant: string, instance: number, success: boolean, extra: Partial<Row> = {}): Row {
  const difficulty = extra.difficulty ?? 'd'
  return { key: `${variant}/${difficulty}/${instance}/0`, model: 'm', variant, difficulty, instance, repeat: 0, success, failure: success ? null : 'deadlock', ...extra }
}

/** A succeeds where i % 3 != 0, B where i is even, i = 0..11. */
function fixture(): Row[] {
  const out: Row[] = []
  for (let i = 0; i < 12; i++) out.push(cell('A', i, i % 3 !== 0))
  for (let i = 0; i < 12; i++) out.push(cell('B', i, i % 2 === 0))
  return out
}

describe('comparePaired', () => {
  it('counts by hand: both {2,4,8,10}, A only {1,5,7,11}, B only {0,6}, neither {3,9}; p = 2·22/64', () => {
    const c = comparePaired(fixture(), { a: 'A', b: 'B' })
    expect(c.table).toEqual({ pairs: 12, bothRight: 4, bothWrong: 2, rightToWrong: 4, wrongToRight: 2, pValue: 44 / 64 })
    expect(c.keys.bOnly).toEqual(['A/d/0/0', 'B/d/0/0', 'A/d/6/0', 'B/d/6/0'])
    expect(c.keys.neither).toEqual(['A/d/3/0', 'B/d/3/0', 'A/d/9/0', 'B/d/9/0'])
    expect(c.keys.both).toHaveLength(8)
    expect(c.keys.aOnly).toHaveLength(8)
    expect(c.unpairedA + c.unpairedB).toBe(0)
  })

  it('each bin lists as many keys as twice its count in core\'s table', () => {
    const c = comparePaired(fixture(), { a: 'B', b: 'A' })
    for (const bin of FLIP_BINS) expect(c.keys[bin]).toHaveLength(2 * binCount(c.table, bin))
    // Swapping A and B swaps the discordant bins and keeps the p-value.
    expect(c.table.rightToWrong).toBe(2)
    expect(c.table.wrongToRight).toBe(4)
    expect(c.table.pValue).toBe(44 / 64)
  })

  it('never pairs across models or difficulties; cells without a partner are counted apart', () => {
    const rows = [
      cell('A', 0, true),
      cell('B', 0, false),
      cell('A', 0, true, { model: 'n' }),
      cell('B', 0, true, { model: 'n' }),
      cell('A', 1, true, { difficulty: 'e' }),
      cell('B', 1, true, { difficulty: 'f' }),
      cell('A', 2, true),
    ]
    const m = comparePaired(rows, { a: 'A', b: 'B', model: 'm' })
    expect(m.table).toMatchObject({ pairs: 1, rightToWrong: 1 })
    expect(m.unpairedA).toBe(2)
    expect(m.unpairedB).toBe(1)
    const all = comparePaired(rows, { a: 'A', b: 'B' })
    expect(all.table).toMatchObject({ pairs: 2, rightToWrong: 1, bothRight: 1 })
    const onlyE = comparePaired(rows, { a: 'A', b: 'B', difficulty: 'e' })
    expect(onlyE.table.pairs).toBe(0)
    expect(onlyE.table.pValue).toBe(1)
  })

  it('a bin\'s filter selects exactly that bin\'s cells (with the model, which keys leave out)', () => {
    const rows = [...fixture(), ...fixture().map((r) => ({ ...r, model: 'n' }))]
    const choice = { a: 'A', b: 'B', model: 'm' }
    const c = comparePaired(rows, choice)
    const filter = binFilter(c, choice, 'bOnly')
    expect(filter.model).toBe('m')
    expect(filter.label).toBe('B only (A = A, B = B; m)')
    expect(rows.filter(matcherOf(filter)).map((r) => `${r.model}:${r.key}`)).toEqual(['m:A/d/0/0', 'm:A/d/6/0', 'm:B/d/0/0', 'm:B/d/6/0'])
  })
})

describe('formatP', () => {
  it('4 decimals, trailing zeros cut; exponents below 0.001; a floor at 1e-6', () => {
    expect(formatP(1)).toBe('1')
    expect(formatP(44 / 64)).toBe('0.6875')
    expect(formatP(0.05)).toBe('0.05')
    expect(formatP(0.000123)).toBe('1.23e-4')
    expect(formatP(1e-9)).toBe('< 1e-6')
  })
})
