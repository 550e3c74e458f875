/**
 * The variant × difficulty heatmap of a sweep, as plain data: one row per (model, variant) in the
 * order the sweep reports them, one column per difficulty in the order of its numeric value, each
 * cell the group's success rate and sample count (null where the group has no result yet). The
 * colour scale is viridis: sequential, readable in grey and under the common colour-vision
 * deficiencies, so the rate is told by lightness as much as by hue.
 */
import type { Aggregate } from '../../../core/eval/types.ts'
import type { SampleFilter } from '../results/filter.ts'

export interface HeatCell {
  readonly model: string
  readonly variant: string
  readonly difficulty: string
  readonly n: number
  readonly successes: number
  readonly rate: number
}

export interface HeatColumn {
  readonly difficulty: string
  readonly value: number
}

export interface HeatRow {
  /** The row's label: the variant, prefixed by the model when the sweep has several. */
  readonly label: string
  readonly model: string
  readonly variant: string
}

export interface HeatmapMatrix {
  readonly rows: readonly HeatRow[]
  readonly columns: readonly HeatColumn[]
  /** `cells[row][column]`; null: no result in that group yet. */
  readonly cells: readonly (readonly (HeatCell | null)[])[]
}

/** The heatmap of `aggregates`. */
export function heatmapOf(aggregates: readonly Aggregate[]): HeatmapMatrix {
  const models = new Set(aggregates.map((a) => a.model))
  const rows = new Map<string, HeatRow>()
  const columns = new Map<string, HeatColumn>()
  for (const a of aggregates) {
    const label = models.size > 1 ? `${a.model} · ${a.variant}` : a.variant
    if (!rows.has(label)) rows.set(label, { label, model: a.model, variant: a.variant })
    if (!columns.has(a.difficulty)) columns.set(a.difficulty, { difficulty: a.difficulty, value: a.difficultyValue })
  }
  const cols = [...columns.values()].sort((p, q) => p.value - q.value || (p.difficulty < q.difficulty ? -1 : 1))
  const rowList = [...rows.values()]
  const rowIndex = new Map(rowList.map((r, i) => [r.label, i]))
  const colIndex = new Map(cols.map((c, j) => [c.difficulty, j]))
  const cells: (HeatCell | null)[][] = rowList.map(() => cols.map(() => null))
  for (const a of aggregates) {
    const i = rowIndex.get(models.size > 1 ? `${a.model} · ${a.variant}` : a.variant) ?? 0
    const j = colIndex.get(a.difficulty) ?? 0
    cells[i][j] = { model: a.model, variant: a.variant, difficulty: a.difficulty, n: a.n, successes: a.successes, rate: a.successRate }
  }
  return { rows: rowList, columns: cols, cells }
}

/** Viridis at five stops (matplotlib's values), from rate 0 to rate 1. */
export const VIRIDIS: readonly (readonly [number, string])[] = [
  [0, '#440154'],
  [0.25, '#3b528b'],
  [0.5, '#21918c'],
  [0.75, '#5ec962'],
  [1, '#fde725'],
]

function rgbOf(hex: string): [number, number, number] {
  return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number]
}

/** The colour of a rate on the viridis scale (values outside [0, 1] are clamped), as `#rrggbb`. */
export function heatColour(rate: number): string {
  const t = Math.min(1, Math.max(0, Number.isFinite(rate) ? rate : 0))
  let k = 0
  while (k < VIRIDIS.length - 2 && t > VIRIDIS[k + 1][0]) k++
  const [t0, c0] = VIRIDIS[k]
  const [t1, c1] = VIRIDIS[k + 1]
  const f = (t - t0) / (t1 - t0)
  const a = rgbOf(c0)
  const b = rgbOf(c1)
  return `#${a.map((v, i) => Math.round(v + (b[i] - v) * f).toString(16).padStart(2, '0')).join('')}`
}

/** Text drawn on a cell of rate `rate`: white on the dark end of the scale, near-black on the light end. */
export function heatTextColour(rate: number): string {
  return rate < 0.6 ? '#ffffff' : '#111827'
}

/** The annotation of a cell: the rate with two decimals and the sample count. */
export function heatLabel(cell: HeatCell): string {
  return `${cell.rate.toFixed(2)} (n=${cell.n})`
}

/** The samples behind a heatmap cell. */
export function filterOfHeatCell(cell: HeatCell, severalModels: boolean): SampleFilter {
  const label = `${severalModels ? `${cell.model} · ` : ''}${cell.variant} × ${cell.difficulty}`
  return { model: cell.model, variant: cell.variant, difficulty: cell.difficulty, label }
}

/** Plotly traces and layout of the heatmap (rates as z, annotated with rate and n). */
export function heatmapFigure(m: HeatmapMatrix): { traces: Record<string, unknown>[]; layout: Record<string, unknown> } {
  const z = m.cells.map((row) => row.map((c) => (c === null ? null : c.rate)))
  const text = m.cells.map((row) => row.map((c) => (c === null ? '' : heatLabel(c))))
  const annotations = m.cells.flatMap((row, i) =>
    row.flatMap((c, j) =>
      c === null
        ? []
        : [{ x: j, y: i, text: heatLabel(c), showarrow: false, font: { color: heatTextColour(c.rate), size: 12 } }],
    ),
  )
  const traces = [
    {
      type: 'heatmap',
      z,
      x: m.columns.map((_, j) => j),
      y: m.rows.map((_, i) => i),
      text,
      zmin: 0,
      zmax: 1,
      colorscale: VIRIDIS.map(([t, c]) => [t, c]),
      colorbar: { title: { text: 'success rate' }, thickness: 12 },
      hovertemplate: '%{text}<extra></extra>',
      xgap: 2,
      ygap: 2,
    },
  ]
  const axis = { fixedrange: true, showgrid: false, zeroline: false, ticks: '' }
  const layout = {
    margin: { l: Math.min(220, 12 + 7 * Math.max(4, ...m.rows.map((r) => r.label.length))), r: 12, t: 10, b: 44 },
    font: { family: 'system-ui, sans-serif', size: 12, color: '#1f2937' },
    paper_bgcolor: '#ffffff',
    plot_bgcolor: '#ffffff',
    xaxis: { ...axis, title: { text: 'difficulty' }, tickvals: m.columns.map((_, j) => j), ticktext: m.columns.map((c) => c.difficulty) },
    yaxis: { ...axis, tickvals: m.rows.map((_, i) => i), ticktext: m.rows.map((r) => r.label), autorange: 'reversed' },
    annotations,
    height: Math.max(280, 60 + 44 * m.rows.length),
    autosize: true,
  }
  return { traces, layout }
}
