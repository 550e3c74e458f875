// Paired comparison of two runs, on a hand-counted example.
import { describe, expect, it } from 'vitest'
import { compareRuns, formatComparison, formatPValue } from '../../../electron/report/compare.ts'
import type { CellResult } from '../../../core/eval/types.ts'
import { sokobanCell } from './fixtures.ts'

function cells(model: string, difficulty: string, outcomes: string, start = 0): CellResult[] {
  return [...outcomes].map((o, i) => sokobanCell({ model, difficulty, instance: start + i, success: o === 'T' }))
}

// Run A (model "a") and run B (model "b"): one model each, so cells pair on key.
const A = [...cells('a', '6x6', 'TTFFTTT'), ...cells('a', '7x7', 'FFF')]
const B = [...cells('b', '6x6', 'TFTFFF'), ...cells('b', '7x7', 'TTTF')]

describe('compareRuns', () => {
  it('pairs on key and counts flips per (variant, difficulty) and overall, by hand', () => {
    const c = compareRuns(A, B)
    expect(c.pairing).toBe('key')
    // 6x6: pairs 0-5. 0 both right; 1, 4, 5 right->wrong; 2 wrong->right; 3 both wrong.
    // p = 2 P(X <= 1 | n = 4) = 2 (1 + 4) / 16 = 0.625.
    expect(c.groups[0]).toMatchObject({
      variant: 'base',
      difficulty: '6x6',
      pairs: 6,
      bothRight: 1,
      rightToWrong: 3,
      wrongToRight: 1,
      bothWrong: 1,
      pValue: 0.625,
    })
    expect(c.groups[0].aSuccessRate).toBeCloseTo(4 / 6, 12)
    expect(c.groups[0].bSuccessRate).toBeCloseTo(2 / 6, 12)
    // 7x7: pairs 0-2, all wrong->right: p = 2 / 2^3 = 0.25.
    expect(c.groups[1]).toMatchObject({ difficulty: '7x7', pairs: 3, wrongToRight: 3, rightToWrong: 0, pValue: 0.25 })
    // Overall: 3 right->wrong vs 4 wrong->right: 2 P(X <= 3 | n = 7) = 2 * 64/128 = 1.
    expect(c.overall).toMatchObject({ pairs: 9, bothRight: 1, rightToWrong: 3, wrongToRight: 4, bothWrong: 1, pValue: 1 })
    expect(c.onlyInA).toEqual(['base/6x6/6/0'])
    expect(c.onlyInB).toEqual(['base/7x7/3/0'])
    expect(c.differentInstances).toEqual([])
  })

  it('pairs on id when a run holds several models, and groups per model', () => {
    const twoModels = [...cells('a', '6x6', 'TF'), ...cells('b', '6x6', 'FF')]
    const other = [...cells('a', '6x6', 'FF'), ...cells('b', '6x6', 'TT')]
    const c = compareRuns(twoModels, other)
    expect(c.pairing).toBe('id')
    expect(c.groups.map((g) => [g.model, g.pairs, g.rightToWrong, g.wrongToRight])).toEqual([
      ['a', 2, 1, 0],
      ['b', 2, 0, 2],
    ])
    expect(c.onlyInA).toEqual([])
  })

  it('reports pairs whose instance differs (sweeps with different seeds)', () => {
    const b = A.map((r, i) => (i === 1 && r.sokoban ? { ...r, sokoban: { ...r.sokoban, level: '####\n#@.#\n####' } } : r))
    expect(compareRuns(A, b).differentInstances).toEqual(['base/6x6/1/0'])
  })

  it('no shared cells gives an empty overall table with p = 1', () => {
    const c = compareRuns(cells('a', '6x6', 'T'), cells('b', '9x9', 'T'))
    expect(c.overall).toMatchObject({ pairs: 0, pValue: 1 })
    expect(c.groups).toEqual([])
  })
})

describe('formatComparison', () => {
  it('prints one row per group and an overall row, with the pairing rule', () => {
    const text = formatComparison(compareRuns(A, B), { a: 'runs/a', b: 'runs/b' })
    expect(text).toContain('A: runs/a\nB: runs/b\nCells paired on key (variant/difficulty/instance/repeat).')
    const lines = text.trimEnd().split('\n')
    expect(lines.at(-3)).toMatch(/^base\s+6x6\s+6\s+66\.7%\s+33\.3%\s+1\s+3\s+1\s+1\s+0\.625$/)
    expect(lines.at(-2)).toMatch(/^base\s+7x7\s+3\s+0\.0%\s+100\.0%\s+0\s+0\s+3\s+0\s+0\.250$/)
    expect(lines.at(-1)).toMatch(/^overall\s+9\s+.*\s1\.000$/)
  })

  it('formats p-values', () => {
    expect(formatPValue(1)).toBe('1.000')
    expect(formatPValue(0.0703125)).toBe('0.070')
    expect(formatPValue(8.01e-9)).toBe('8.0e-9')
  })
})
