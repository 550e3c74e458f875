// The static SVG chart: bar heights and whiskers follow the rates on the y axis (0% at the bottom of
// the plot area, 100% at its top), one bar per model in each (variant, difficulty) group.
import { describe, expect, it } from 'vitest'
import { SVG_LAYOUT, renderSuccessSvg } from '../../../electron/report/svg.ts'
import { aggregate } from './fixtures.ts'

/** The bars (rects with a fill other than the background and legend swatches), as numbers. */
function bars(svg: string): { x: number; y: number; height: number; fill: string }[] {
  return [...svg.matchAll(/<g><title>[^<]*<\/title>\n<rect x="([\d.]+)" y="([\d.]+)" width="[\d.]+" height="([\d.]+)" fill="(#[0-9A-F]{6})"/g)].map(
    (m) => ({ x: Number(m[1]), y: Number(m[2]), height: Number(m[3]), fill: m[4] }),
  )
}

describe('renderSuccessSvg', () => {
  const { top, plotHeight } = SVG_LAYOUT
  const bottom = top + plotHeight

  it('draws one bar per model and group, as tall as its rate, with the figures in its tooltip', () => {
    const svg = renderSuccessSvg(
      [
        aggregate({ model: 'frozen', variant: 'base', difficulty: '6x6-1', successRate: 0.5, successCi: { low: 0.4, high: 0.6 }, n: 200 }),
        aggregate({ model: 'diverse', variant: 'base', difficulty: '6x6-1', successRate: 1, successCi: { low: 0.98, high: 1 }, n: 200 }),
        aggregate({ model: 'frozen', variant: 'numerical', difficulty: '6x6-1', successRate: 0, successCi: { low: 0, high: 0.02 }, n: 200 }),
        aggregate({ model: 'diverse', variant: 'numerical', difficulty: '6x6-1', successRate: 0.25, successCi: { low: 0.19, high: 0.31 }, n: 200 }),
      ],
      { title: 'eval <grid>' },
    )
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true)
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true)
    expect(svg).toContain('eval &lt;grid&gt;')
    const b = bars(svg)
    expect(b).toHaveLength(4)
    expect(b.map((r) => r.height)).toEqual([plotHeight * 0.5, plotHeight, 0, plotHeight * 0.25])
    for (const r of b) expect(r.y + r.height).toBeCloseTo(bottom, 9)
    // The two models keep their colours across groups, and the groups go left to right.
    expect(b[0].fill).toBe(b[2].fill)
    expect(b[1].fill).toBe(b[3].fill)
    expect(b[0].fill).not.toBe(b[1].fill)
    expect(b[2].x).toBeGreaterThan(b[1].x)
    expect(svg).toContain('<title>frozen · base · 6x6-1: 50.0% (95% CI 40.0%-60.0%), n=200</title>')
    // The whisker of the 40-60% interval spans those heights.
    expect(svg).toContain(`y1="${top + plotHeight * 0.6}" x2="`)
    expect(svg).toContain(`y2="${top + plotHeight * 0.4}" stroke`)
    // Only the variant varies, so the group labels name the variant alone.
    expect(svg).toMatch(/rotate\(-35\)" text-anchor="end">numerical</)
  })

  it('says when there is nothing to draw', () => {
    const svg = renderSuccessSvg([aggregate({ variant: 'base', difficulty: '6x6-1', n: 0, successes: 0 })], { title: 'empty' })
    expect(svg).toContain('No finished cells yet.')
    expect(bars(svg)).toHaveLength(0)
  })
})
