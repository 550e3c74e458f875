/**
 * The plotly figure of a success-rate chart, as plain data: a translucent 95% band under each line
 * (a polygon through the interval bounds; a narrow box when a line has a single point), fixed axis
 * ranges, and no plotly legend (the component draws its own in HTML). Fixed ranges and no legend
 * keep a data-only update cheap: plotly then redraws the traces, not the axes and legend.
 */

import type { Series } from './series.ts'

/** Line colours (Tableau-like, distinguishable for common colour-vision deficiencies, AA on white). */
export const PALETTE = ['#1f5fbf', '#c2410c', '#15803d', '#7e22ce', '#b91c1c', '#0e7490', '#a16207', '#4d4d4d']

/** Half the width of the box drawn for a single-point line, in x units. */
export const BOX_HALF_WIDTH = 0.03

export interface FigureOptions {
  readonly xTitle: string
  readonly yTitle: string
  /** The y range; null lets plotly fit it. */
  readonly yRange: readonly [number, number] | null
}

/** Plotly trace objects (loose records: plotly's own types are not used). */
export type Trace = Record<string, unknown>

/** The x values and their labels (a difficulty's value and name), in order. */
export function ticksOf(series: readonly Series[]): { values: number[]; labels: string[] } {
  const ticks = new Map<number, string>()
  for (const s of series) for (const p of s.points) ticks.set(p.x, p.difficulty)
  const values = [...ticks.keys()].sort((a, b) => a - b)
  return { values, labels: values.map((v) => ticks.get(v) ?? String(v)) }
}

function band(s: Series): { x: number[]; y: number[] } {
  const pts = s.points
  if (pts.length === 1) {
    const { x, low, high } = pts[0]
    return { x: [x - BOX_HALF_WIDTH, x + BOX_HALF_WIDTH, x + BOX_HALF_WIDTH, x - BOX_HALF_WIDTH], y: [high, high, low, low] }
  }
  return {
    x: [...pts.map((p) => p.x), ...pts.map((p) => p.x).reverse()],
    y: [...pts.map((p) => p.high), ...pts.map((p) => p.low).reverse()],
  }
}

/** Two traces per series: its band, then its line. */
export function tracesOf(series: readonly Series[]): Trace[] {
  const traces: Trace[] = []
  series.forEach((s, i) => {
    const colour = PALETTE[i % PALETTE.length]
    traces.push({ type: 'scatter', mode: 'lines', ...band(s), fill: 'toself', fillcolor: `${colour}26`, line: { width: 0 }, hoverinfo: 'skip', name: `${s.name} 95% CI` })
    traces.push({
      type: 'scatter',
      mode: 'lines+markers',
      name: s.name,
      x: s.points.map((p) => p.x),
      y: s.points.map((p) => p.y),
      customdata: s.points.map((p) => [p.difficulty, p.n, p.low, p.high]),
      hovertemplate: '%{customdata[0]}: %{y:.3f} [%{customdata[2]:.3f}, %{customdata[3]:.3f}], n=%{customdata[1]}<extra>%{fullData.name}</extra>',
      line: { color: colour, width: 2 },
      marker: { color: colour, size: 6 },
    })
  })
  return traces
}

/** The data-only update of {@link tracesOf}, for `Plotly.restyle` (one array entry per trace). */
export function restyleOf(series: readonly Series[]): { update: Record<string, unknown[]>; indices: number[] } {
  const traces = tracesOf(series)
  const keys = ['x', 'y', 'customdata'] as const
  const update: Record<string, unknown[]> = {}
  for (const k of keys) update[k] = traces.map((t) => t[k] ?? null)
  return { update, indices: traces.map((_, i) => i) }
}

/** The layout; the x range is fixed around the ticks, so no update needs an autorange pass. */
export function layoutOf(series: readonly Series[], options: FigureOptions): Record<string, unknown> {
  const { values, labels } = ticksOf(series)
  const lo = values.length > 0 ? values[0] : 0
  const hi = values.length > 0 ? values[values.length - 1] : 1
  const pad = Math.max((hi - lo) * 0.08, 0.5)
  const axis = { gridcolor: '#e5e7eb', zerolinecolor: '#d1d5db', linecolor: '#9ca3af', ticks: 'outside', fixedrange: true }
  return {
    margin: { l: 52, r: 12, t: 10, b: 44 },
    font: { family: 'system-ui, sans-serif', size: 12, color: '#1f2937' },
    paper_bgcolor: '#ffffff',
    plot_bgcolor: '#ffffff',
    showlegend: false,
    xaxis: { ...axis, title: { text: options.xTitle }, tickvals: values, ticktext: labels, range: [lo - pad, hi + pad], autorange: false },
    yaxis: {
      ...axis,
      title: { text: options.yTitle },
      ...(options.yRange ? { range: [...options.yRange], autorange: false } : { autorange: true }),
    },
    height: 280,
    autosize: true,
  }
}

/**
 * A key that changes when an update needs the full `Plotly.react` (the lines or the difficulties
 * changed), and stays the same when only values moved, which `Plotly.restyle` handles.
 */
export function shapeKey(series: readonly Series[], options: FigureOptions): string {
  const { values } = ticksOf(series)
  return JSON.stringify([series.map((s) => s.name), values, options])
}
