import { describe, expect, it } from 'vitest'
import type { Aggregate } from '../../../core/eval/types.ts'
import { filterOfHeatCell, heatColour, heatmapFigure, heatmapOf, heatTextColour } from '../../../renderer/src/plot/heatmap.ts'

function agg(model: string, variant: string, difficulty: string, x: number, successes: number, n: number): Aggregate {
  const rate = successes / n
  return {
    model,
    variant,
    difficulty,
    difficultyValue: x,
    n,
    successes,
    successRate: rate,
    successCi: { low: 0, high: 1 },
    validity: 1,
    validityCi: null,
    meanReward: 0,
    meanTurns: 1,
    meanSteps: 1,
    tokens: 1,
    failures: {},
    floatExactDisagreements: 0,
  }
}

describe('heatmap matrix', () => {
  it('rows are variants in sweep order, columns difficulties by value, missing groups are null', () => {
    const m = heatmapOf([
      agg('m', 'base', 'complex', 4, 1, 8),
      agg('m', 'cardinal', 'simple', 1, 6, 8),
      agg('m', 'base', 'simple', 1, 7, 8),
      agg('m', 'base', 'larger', 2, 3, 12),
    ])
    expect(m.rows.map((r) => r.label)).toEqual(['base', 'cardinal'])
    expect(m.columns).toEqual([
      { difficulty: 'simple', value: 1 },
      { difficulty: 'larger', value: 2 },
      { difficulty: 'complex', value: 4 },
    ])
    expect(m.cells.map((row) => row.map((c) => (c === null ? null : [c.successes, c.n, c.rate])))).toEqual([
      [[7, 8, 0.875], [3, 12, 0.25], [1, 8, 0.125]],
      [[6, 8, 0.75], null, null],
    ])
  })

  it('labels rows with the model when the sweep has several models', () => {
    const m = heatmapOf([agg('a', 'v', 'd', 1, 1, 2), agg('b', 'v', 'd', 1, 2, 2)])
    expect(m.rows.map((r) => r.label)).toEqual(['a · v', 'b · v'])
    expect(m.cells.map((r) => r[0]?.rate)).toEqual([0.5, 1])
    expect(filterOfHeatCell(m.cells[1][0]!, true)).toEqual({ model: 'b', variant: 'v', difficulty: 'd', label: 'b · v × d' })
  })

  it('the colour scale is viridis: its end points and midpoint exactly, clamped outside [0, 1]', () => {
    expect(heatColour(0)).toBe('#440154')
    expect(heatColour(0.5)).toBe('#21918c')
    expect(heatColour(1)).toBe('#fde725')
    expect(heatColour(-3)).toBe('#440154')
    expect(heatColour(7)).toBe('#fde725')
    // Halfway between #440154 and #3b528b: (0x44+0x3b)/2 = 63.5 -> 64 = 0x40, (0x01+0x52)/2 = 41.5 -> 42, (0x54+0x8b)/2 = 111.5 -> 112.
    expect(heatColour(0.125)).toBe('#402a70')
    // Lightness rises with the rate (readable in grey): luma of successive samples increases.
    const luma = (hex: string): number => 0.299 * parseInt(hex.slice(1, 3), 16) + 0.587 * parseInt(hex.slice(3, 5), 16) + 0.114 * parseInt(hex.slice(5, 7), 16)
    const lumas = [0, 0.1, 0.3, 0.5, 0.7, 0.9, 1].map((r) => luma(heatColour(r)))
    expect([...lumas].sort((a, b) => a - b)).toEqual(lumas)
    expect(heatTextColour(0.1)).toBe('#ffffff')
    expect(heatTextColour(0.9)).not.toBe('#ffffff')
  })

  it('the plotly figure annotates each filled cell with its rate and n', () => {
    const m = heatmapOf([agg('m', 'base', 'simple', 1, 7, 8), agg('m', 'cardinal', 'larger', 2, 0, 4)])
    const { traces, layout } = heatmapFigure(m)
    expect(traces[0].z).toEqual([[0.875, null], [null, 0]])
    expect((layout.annotations as { text: string; x: number; y: number }[]).map((a) => [a.y, a.x, a.text])).toEqual([
      [0, 0, '0.88 (n=8)'],
      [1, 1, '0.00 (n=4)'],
    ])
  })
})
