/**
 * The chart while a sweep is streaming: the same lines, bands, colours and axes as the plotly chart,
 * drawn as a small React SVG. A redraw costs about a millisecond, so results can arrive by the
 * thousand without the page ever holding its main thread; plotly (interactive: hover, zoom, export)
 * takes over when the sweep stops.
 */
import { memo } from 'react'
import { BOX_HALF_WIDTH, PALETTE, ticksOf } from './figure.ts'
import type { SampleFilter } from '../results/filter.ts'
import { filterOfPoint, type Series } from './series.ts'

export interface LiveChartProps {
  readonly series: readonly Series[]
  readonly xTitle: string
  readonly yTitle: string
  readonly yRange?: readonly [number, number]
  /** Called with a point's samples when the point is clicked. */
  readonly onPick?: (filter: SampleFilter) => void
}

const W = 800
const H = 280
/** The chart's height (it has no parts that grow). */
export const LIVE_CHART_HEIGHT = H
const M = { l: 52, r: 12, t: 10, b: 44 }

function yExtent(series: readonly Series[], range: readonly [number, number] | undefined): [number, number] {
  if (range) return [range[0], range[1]]
  const ys = series.flatMap((s) => s.points.flatMap((p) => [p.low, p.high]))
  const lo = Math.min(...ys, 0)
  const hi = Math.max(...ys, lo + 1e-9)
  return [lo, hi]
}

function LiveChartImpl({ series, xTitle, yTitle, yRange, onPick }: LiveChartProps) {
  const { values, labels } = ticksOf(series)
  const x0 = values.length > 0 ? values[0] : 0
  const x1 = values.length > 0 ? values[values.length - 1] : 1
  const pad = Math.max((x1 - x0) * 0.08, 0.5)
  const [ya, yb] = yExtent(series, yRange)
  const px = (x: number): number => M.l + ((x - (x0 - pad)) / (x1 + pad - (x0 - pad))) * (W - M.l - M.r)
  const py = (y: number): number => H - M.b - ((y - ya) / (yb - ya || 1)) * (H - M.t - M.b)
  const yTicks = Array.from({ length: 6 }, (_, i) => ya + ((yb - ya) * i) / 5)
  return (
    <svg className="live-chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${yTitle} by ${xTitle} (live)`}>
      {yTicks.map((t) => (
        <g key={t}>
          <line x1={M.l} x2={W - M.r} y1={py(t)} y2={py(t)} stroke="#e5e7eb" />
          <text x={M.l - 6} y={py(t) + 4} textAnchor="end" fontSize="12" fill="#1f2937">
            {Number(t.toFixed(2))}
          </text>
        </g>
      ))}
      {values.map((v, i) => (
        <text key={v} x={px(v)} y={H - M.b + 16} textAnchor="middle" fontSize="12" fill="#1f2937">
          {labels[i]}
        </text>
      ))}
      <line x1={M.l} x2={W - M.r} y1={H - M.b} y2={H - M.b} stroke="#9ca3af" />
      <text x={(M.l + W - M.r) / 2} y={H - 6} textAnchor="middle" fontSize="13" fill="#1f2937">
        {xTitle}
      </text>
      <text transform={`translate(14 ${(M.t + H - M.b) / 2}) rotate(-90)`} textAnchor="middle" fontSize="13" fill="#1f2937">
        {yTitle}
      </text>
      {series.map((s, i) => {
        const colour = PALETTE[i % PALETTE.length]
        const pts = s.points
        const band =
          pts.length === 1
            ? [
                [pts[0].x - BOX_HALF_WIDTH, pts[0].high],
                [pts[0].x + BOX_HALF_WIDTH, pts[0].high],
                [pts[0].x + BOX_HALF_WIDTH, pts[0].low],
                [pts[0].x - BOX_HALF_WIDTH, pts[0].low],
              ]
                .map(([x, y]) => `${px(x)},${py(y)}`)
                .join(' ')
            : [...pts.map((p) => `${px(p.x)},${py(p.high)}`), ...[...pts].reverse().map((p) => `${px(p.x)},${py(p.low)}`)].join(' ')
        return (
          <g key={s.name}>
            <polygon points={band} fill={colour} fillOpacity={0.15} />
            <polyline points={pts.map((p) => `${px(p.x)},${py(p.y)}`).join(' ')} fill="none" stroke={colour} strokeWidth={2} />
            {pts.map((p) => (
              <circle
                key={p.difficulty}
                className="pick"
                data-pick="point"
                data-series={i}
                data-difficulty={p.difficulty}
                role="button"
                tabIndex={onPick ? 0 : -1}
                aria-label={`${s.name} × ${p.difficulty}: ${p.y.toFixed(3)}, n=${p.n}`}
                cx={px(p.x)}
                cy={py(p.y)}
                r={onPick ? 5 : 3.5}
                fill={colour}
                onClick={onPick ? () => onPick(filterOfPoint(s, p)) : undefined}
                onKeyDown={onPick ? (e) => (e.key === 'Enter' ? onPick(filterOfPoint(s, p)) : undefined) : undefined}
              >
                <title>{`${s.name} × ${p.difficulty}: ${p.y.toFixed(3)} [${p.low.toFixed(3)}, ${p.high.toFixed(3)}], n=${p.n}`}</title>
              </circle>
            ))}
          </g>
        )
      })}
    </svg>
  )
}

/** The live chart; it re-renders only when its series change. */
export const LiveChart = memo(LiveChartImpl)
