/**
 * The three plot-cell charts as plotly figures, with what a click on a point picks: a line point, a
 * heatmap cell or a bar segment each stand for one group's samples.
 */
import type { SampleFilter } from '../results/filter.ts'
import { failuresFigure, filterOfSegment, type FailureStack } from './failures.ts'
import { layoutOf, restyleOf, shapeKey, tracesOf, type FigureOptions, type Trace } from './figure.ts'
import { filterOfHeatCell, heatmapFigure, type HeatmapMatrix } from './heatmap.ts'
import { filterOfPoint, type Series } from './series.ts'

/** A point of a plotly click: its trace and its index (a [row, column] pair on a heatmap). */
export type PointNumber = number | readonly number[]

export interface PlotFigure {
  readonly traces: Trace[]
  readonly layout: Record<string, unknown>
  /**
   * Changes when an update needs the full `Plotly.react`; while it stays the same, {@link restyle}
   * (when given) updates the values alone, which redraws the traces but not the axes.
   */
  readonly shape: string
  readonly restyle?: () => { update: Record<string, unknown[]>; indices: number[] }
  /** The samples behind a clicked point (null: nothing there, such as a confidence band). */
  readonly pick: (curve: number, point: PointNumber) => SampleFilter | null
}

const first = (p: PointNumber): number => (typeof p === 'number' ? p : (p[0] ?? -1))

/** The success-rate lines: two traces per series (band, then line). */
export function linesPlot(series: readonly Series[], options: FigureOptions): PlotFigure {
  return {
    traces: tracesOf(series),
    layout: layoutOf(series, options),
    shape: `lines:${shapeKey(series, options)}`,
    restyle: () => restyleOf(series),
    pick: (curve, point) => {
      if (curve % 2 !== 1) return null
      const s = series[(curve - 1) / 2]
      const p = s?.points[first(point)]
      return s && p ? filterOfPoint(s, p) : null
    },
  }
}

/** The variant × difficulty heatmap. */
export function heatmapPlot(matrix: HeatmapMatrix): PlotFigure {
  const { traces, layout } = heatmapFigure(matrix)
  const several = new Set(matrix.rows.map((r) => r.model)).size > 1
  return {
    traces,
    layout,
    shape: `heatmap:${JSON.stringify([matrix.rows.map((r) => r.label), matrix.columns.map((c) => c.difficulty)])}`,
    pick: (_curve, point) => {
      if (typeof point === 'number') return null
      const cell = matrix.cells[point[0] ?? -1]?.[point[1] ?? -1]
      return cell ? filterOfHeatCell(cell, several) : null
    },
  }
}

/** The stacked failure-taxonomy bars: one trace per outcome, one bar per group. */
export function failuresPlot(stack: FailureStack): PlotFigure {
  const { traces, layout } = failuresFigure(stack)
  return {
    traces,
    layout,
    shape: `failures:${JSON.stringify([stack.outcomes, stack.bars.map((b) => b.label)])}`,
    pick: (curve, point) => {
      const outcome = stack.outcomes[curve]
      const bar = stack.bars[first(point)]
      return outcome !== undefined && bar ? filterOfSegment(bar, outcome) : null
    },
  }
}
