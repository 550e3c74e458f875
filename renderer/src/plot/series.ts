/**
 * Turns sweep aggregates into the lines of a success-rate plot: one line per (model, variant), points
 * ordered by the difficulty's numeric value, each with its Wilson 95% interval.
 */
import type { Aggregate } from '../../../core/eval/types.ts'
import type { SampleFilter } from '../results/filter.ts'

export interface SeriesPoint {
  readonly x: number
  readonly difficulty: string
  readonly y: number
  readonly low: number
  readonly high: number
  readonly n: number
}

export interface Series {
  readonly name: string
  /** The model and variant of the line (what a click on one of its points selects). */
  readonly model: string
  readonly variant: string
  readonly points: readonly SeriesPoint[]
}

/** Which aggregate field a plot shows on its y axis (the notebook schema's `PLOT_Y`). */
export type PlotMetric = 'successRate' | 'validity' | 'meanReward' | 'meanTurns' | 'meanSteps' | 'tokens'

/**
 * What the x axis places a difficulty at (the notebook schema's `PLOT_X`): `difficultyValue` at its
 * numeric value (board side, cards dealt), so distances mean something; `difficulty` at its rank,
 * evenly spaced, so difficulties that share a value (6x6 with one box and with two) stay apart.
 */
export type PlotX = 'difficultyValue' | 'difficulty'

/** Each difficulty's rank: ordered by value, then by name. */
function ranksOf(aggregates: readonly Aggregate[]): Map<string, number> {
  const values = new Map<string, number>()
  for (const a of aggregates) if (!values.has(a.difficulty)) values.set(a.difficulty, a.difficultyValue)
  const ordered = [...values].sort(([n, v], [m, w]) => v - w || (n < m ? -1 : n > m ? 1 : 0))
  return new Map(ordered.map(([name], i) => [name, i]))
}

/** The series of `aggregates` for `metric`; the line name omits the model when there is only one. */
export function seriesOf(aggregates: readonly Aggregate[], metric: PlotMetric = 'successRate', x: PlotX = 'difficultyValue'): Series[] {
  const ranks = x === 'difficulty' ? ranksOf(aggregates) : null
  const position = (a: Aggregate): number => ranks?.get(a.difficulty) ?? a.difficultyValue
  const models = new Set(aggregates.map((a) => a.model))
  const lines = new Map<string, { model: string; variant: string; points: SeriesPoint[] }>()
  for (const a of aggregates) {
    const name = models.size > 1 ? `${a.model} · ${a.variant}` : a.variant
    let line = lines.get(name)
    if (!line) {
      line = { model: a.model, variant: a.variant, points: [] }
      lines.set(name, line)
    }
    line.points.push(pointOf(a, metric, position(a)))
  }
  return [...lines].map(([name, l]) => ({ name, model: l.model, variant: l.variant, points: l.points.sort((p, q) => p.x - q.x) }))
}

function pointOf(a: Aggregate, metric: PlotMetric, x: number): SeriesPoint {
  const base = { x, difficulty: a.difficulty, n: a.n }
  if (metric === 'successRate') return { ...base, y: a.successRate, low: a.successCi.low, high: a.successCi.high }
  if (metric === 'validity') {
    const ci = a.validityCi ?? { low: a.validity, high: a.validity }
    return { ...base, y: a.validity, low: ci.low, high: ci.high }
  }
  // Means without an interval in the aggregate: the band collapses to the value.
  const y = a[metric]
  return { ...base, y, low: y, high: y }
}

/** The samples behind a point of a line. */
export function filterOfPoint(series: Series, point: SeriesPoint): SampleFilter {
  return { model: series.model, variant: series.variant, difficulty: point.difficulty, label: `${series.name} × ${point.difficulty}` }
}
