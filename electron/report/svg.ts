/**
 * @module electron/report/svg
 * A static SVG chart of a run's success rates: one group of bars per (variant, difficulty), one bar
 * per model, each with its Wilson 95% interval as a whisker. It needs no script and no fonts beyond
 * the viewer's sans-serif, so it shows in a README on a code host, in a paper draft or in a browser.
 */
import type { Aggregate } from '../../core/eval/types.ts'

/** Okabe-Ito colours: distinguishable with the common colour-vision deficiencies. */
const MODEL_COLOURS = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#000000', '#F0E442']

/** Plot area height and bar geometry, in SVG user units (pixels at 100%). */
export const SVG_LAYOUT = { plotHeight: 240, barWidth: 16, groupGap: 18, left: 52, top: 44, bottom: 112, right: 16 } as const

/** Options of {@link renderSuccessSvg}. */
export interface SuccessSvgOptions {
  /** The chart's title (e.g. the run's name). */
  readonly title: string
}

/** Escapes text for SVG content and attribute values. */
function xml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`

/** Unique values in first-seen order. */
function unique(values: readonly string[]): string[] {
  return [...new Set(values)]
}

/**
 * The aggregates as a grouped bar chart with 95% whiskers, as a complete SVG document. Groups
 * follow the aggregates' order (the sweep's); a group's label names only what varies across the
 * run (the variant, the difficulty, or both). Every bar has a tooltip with its exact figures.
 * Aggregates with no finished cell are left out; with none at all the chart says so.
 */
export function renderSuccessSvg(aggregates: readonly Aggregate[], options: SuccessSvgOptions): string {
  const done = aggregates.filter((a) => a.n > 0)
  const models = unique(done.map((a) => a.model))
  const groupKey = (a: Aggregate): string => `${a.variant}\u0000${a.difficulty}`
  const groups = unique(done.map(groupKey))
  const variantsVary = unique(done.map((a) => a.variant)).length > 1
  const difficultiesVary = unique(done.map((a) => a.difficulty)).length > 1
  const labelOf = (g: string): string => {
    const [variant, difficulty] = g.split('\u0000')
    return [variantsVary ? variant : '', difficultiesVary ? difficulty : ''].filter((s) => s !== '').join(' · ') || variant
  }
  // Group labels are rotated 35 degrees under their group, so long ones reach left and down: the
  // margins grow with the longest (about 6 px per character at 11 px).
  const longest = Math.max(0, ...groups.map((g) => labelOf(g).length))
  const groupWidth = Math.max(1, models.length) * SVG_LAYOUT.barWidth + SVG_LAYOUT.groupGap
  const slant = (35 * Math.PI) / 180
  const L = {
    ...SVG_LAYOUT,
    left: Math.max(SVG_LAYOUT.left, Math.ceil(longest * 6 * Math.cos(slant) - groupWidth / 2 + 8)),
    bottom: Math.max(SVG_LAYOUT.bottom, Math.ceil(longest * 6 * Math.sin(slant) + 24)),
  }
  const plotWidth = L.left + Math.max(1, groups.length) * groupWidth + L.right
  const width = Math.max(plotWidth, Math.ceil(L.left + options.title.length * 7.5 + L.right))
  const height = L.top + L.plotHeight + L.bottom
  // Two decimals: exact enough for any screen, and the file stays small and diffable.
  const y = (rate: number): number => Math.round((L.top + L.plotHeight * (1 - rate)) * 100) / 100
  const out: string[] = []
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ` +
      `font-family="sans-serif" font-size="11">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${L.left}" y="16" font-size="13" font-weight="bold">${xml(options.title)}</text>`,
  )
  if (groups.length === 0) {
    out.push(`<text x="${L.left}" y="${L.top + 20}">No finished cells yet.</text>`, '</svg>', '')
    return out.join('\n')
  }
  // Legend: one swatch per model.
  let lx = L.left
  models.forEach((m, i) => {
    out.push(
      `<rect x="${lx}" y="24" width="10" height="10" fill="${MODEL_COLOURS[i % MODEL_COLOURS.length]}"/>`,
      `<text x="${lx + 14}" y="33">${xml(m)}</text>`,
    )
    lx += 24 + m.length * 7
  })
  // Axis, grid and ticks every 20%.
  for (let t = 0; t <= 5; t++) {
    const rate = t / 5
    const ty = y(rate)
    out.push(
      `<line x1="${L.left}" y1="${ty}" x2="${width - L.right}" y2="${ty}" stroke="${t === 0 ? '#444444' : '#dddddd'}"/>`,
      `<text x="${L.left - 6}" y="${ty + 4}" text-anchor="end">${t * 20}%</text>`,
    )
  }
  out.push(
    `<text transform="translate(14 ${L.top + L.plotHeight / 2}) rotate(-90)" text-anchor="middle">success rate (95% CI)</text>`,
  )
  const byKey = new Map(done.map((a) => [`${a.model}\u0000${groupKey(a)}`, a]))
  groups.forEach((g, gi) => {
    const [variant, difficulty] = g.split('\u0000')
    const x0 = L.left + gi * groupWidth + L.groupGap / 2
    models.forEach((m, mi) => {
      const a = byKey.get(`${m}\u0000${g}`)
      if (!a) return
      const x = x0 + mi * L.barWidth
      const top = y(a.successRate)
      const tip = `${m} · ${variant} · ${difficulty}: ${pct(a.successRate)} (95% CI ${pct(a.successCi.low)}-${pct(a.successCi.high)}), n=${a.n}`
      const cx = x + L.barWidth / 2
      out.push(
        `<g><title>${xml(tip)}</title>`,
        `<rect x="${x + 1}" y="${top}" width="${L.barWidth - 2}" height="${Math.round((L.top + L.plotHeight - top) * 100) / 100}" fill="${MODEL_COLOURS[mi % MODEL_COLOURS.length]}"/>`,
        `<line x1="${cx}" y1="${y(a.successCi.low)}" x2="${cx}" y2="${y(a.successCi.high)}" stroke="#222222"/>`,
        `<line x1="${cx - 3}" y1="${y(a.successCi.high)}" x2="${cx + 3}" y2="${y(a.successCi.high)}" stroke="#222222"/>`,
        `<line x1="${cx - 3}" y1="${y(a.successCi.low)}" x2="${cx + 3}" y2="${y(a.successCi.low)}" stroke="#222222"/></g>`,
      )
    })
    const label = labelOf(g)
    const lxm = x0 + (models.length * L.barWidth) / 2
    const ly = L.top + L.plotHeight + 12
    out.push(`<text transform="translate(${lxm} ${ly}) rotate(-35)" text-anchor="end">${xml(label)}</text>`)
  })
  out.push('</svg>', '')
  return out.join('\n')
}
