/**
 * The stacked failure-taxonomy bars as a small React SVG (the same bars and colours as the plotly
 * chart), cheap enough to redraw ten times a second while a sweep streams. Each segment is a button
 * that picks that group's samples with that outcome.
 */
import { memo } from 'react'
import type { SampleFilter } from '../results/filter.ts'
import { filterOfSegment, outcomeColour, type FailureStack } from './failures.ts'

export interface LiveFailuresProps {
  readonly stack: FailureStack
  readonly onPick?: (filter: SampleFilter) => void
}

const W = 800
/** Height of the bars' area (the chart grows below it for slanted labels). */
const PLOT_H = 220
const M = { l: 52, r: 12, t: 10 }
/** Room under the bars for their labels when they do not slant. */
const MIN_BOTTOM = 44
/** The chart's height with straight labels: the least it takes. */
export const LIVE_FAILURES_MIN_HEIGHT = M.t + PLOT_H + MIN_BOTTOM

function LiveFailuresImpl({ stack, onPick }: LiveFailuresProps) {
  const { bars } = stack
  const n = Math.max(1, bars.length)
  // Labels slant once one would not fit under its bar (about 6.5 px a character at 12 px); the
  // margins then hold the longest one at 30 degrees, the first bar's reaching left.
  const longest = Math.max(0, ...bars.map((b) => b.label.length * 6.5))
  const slanted = longest > (W - M.l - M.r) / n - 6
  const ml = slanted ? Math.max(M.l, Math.ceil((longest * 0.87 - (W - M.r) / (2 * n)) / (1 - 1 / (2 * n))) + 8) : M.l
  const slot = (W - ml - M.r) / n
  const bw = Math.min(80, slot * 0.75)
  const ticks = [0, 0.25, 0.5, 0.75, 1]
  const bottom = Math.max(MIN_BOTTOM, slanted ? Math.ceil(longest / 2) + 24 : 0)
  const H = M.t + PLOT_H + bottom
  const mb = bottom
  const py = (share: number): number => M.t + PLOT_H - share * PLOT_H
  return (
    <svg className="live-chart live-failures" viewBox={`0 0 ${W} ${H}`} style={{ height: H }} role="img" aria-label="failure taxonomy by variant and difficulty (stacked bars)">
      {ticks.map((t) => (
        <g key={t}>
          <line x1={ml} x2={W - M.r} y1={py(t)} y2={py(t)} stroke="#e5e7eb" />
          <text x={ml - 6} y={py(t) + 4} textAnchor="end" fontSize="12" fill="#1f2937">
            {`${Math.round(t * 100)}%`}
          </text>
        </g>
      ))}
      <text transform={`translate(14 ${(M.t + H - mb) / 2}) rotate(-90)`} textAnchor="middle" fontSize="13" fill="#1f2937">
        share of samples
      </text>
      {bars.map((b, i) => {
        const cx = ml + slot * (i + 0.5)
        let acc = 0
        return (
          <g key={b.label}>
            {b.segments.map((s) => {
              const y0 = py(acc)
              acc += s.share
              const y1 = py(acc)
              const pick = (): void => onPick?.(filterOfSegment(b, s.outcome))
              return (
                <rect
                  key={s.outcome}
                  className="pick"
                  data-pick="segment"
                  data-outcome={s.outcome}
                  data-bar={i}
                  role="button"
                  tabIndex={onPick ? 0 : -1}
                  aria-label={`${b.label}: ${s.outcome} ${s.count} of ${b.n}`}
                  x={cx - bw / 2}
                  y={y1}
                  width={bw}
                  height={Math.max(0, y0 - y1)}
                  fill={outcomeColour(s.outcome)}
                  stroke="#ffffff"
                  strokeWidth={0.5}
                  onClick={onPick ? pick : undefined}
                  onKeyDown={onPick ? (e) => (e.key === 'Enter' ? pick() : undefined) : undefined}
                >
                  <title>{`${b.label}: ${s.outcome} ${s.count} of ${b.n} (${Math.round(s.share * 100)}%)`}</title>
                </rect>
              )
            })}
            <text
              transform={`translate(${cx} ${H - mb + 14})${slanted ? ' rotate(-30)' : ''}`}
              textAnchor={slanted ? 'end' : 'middle'}
              fontSize="12"
              fill="#1f2937"
            >
              {b.label}
            </text>
          </g>
        )
      })}
    </svg>
  )
}

/** The live failure bars; they re-render only when the stack changes. */
export const LiveFailures = memo(LiveFailuresImpl)
