/**
 * The heatmap as a small React SVG: the same cells, colours and annotations as the plotly heatmap,
 * cheap enough to redraw ten times a second while a sweep streams. A cell is a button: clicking it
 * (or Enter on it) picks that group's samples.
 */
import { memo } from 'react'
import type { SampleFilter } from '../results/filter.ts'
import { filterOfHeatCell, heatColour, heatLabel, heatTextColour, type HeatmapMatrix } from './heatmap.ts'

export interface LiveHeatmapProps {
  readonly matrix: HeatmapMatrix
  readonly onPick?: (filter: SampleFilter) => void
}

const W = 800
const M = { l: 150, r: 12, t: 10, b: 44 }
const ROW_H = 44
/** The least height of the chart, which grows with its rows. */
export const LIVE_HEATMAP_MIN_HEIGHT = 280

function LiveHeatmapImpl({ matrix, onPick }: LiveHeatmapProps) {
  const { rows, columns, cells } = matrix
  const H = Math.max(LIVE_HEATMAP_MIN_HEIGHT, M.t + M.b + ROW_H * rows.length)
  const cw = (W - M.l - M.r) / Math.max(1, columns.length)
  const ch = (H - M.t - M.b) / Math.max(1, rows.length)
  const several = new Set(rows.map((r) => r.model)).size > 1
  return (
    <svg className="live-chart live-heatmap" viewBox={`0 0 ${W} ${H}`} style={{ height: H }} role="img" aria-label="success rate by variant and difficulty (heatmap)">
      {rows.map((r, i) => (
        <text key={r.label} x={M.l - 8} y={M.t + ch * (i + 0.5) + 4} textAnchor="end" fontSize="12" fill="#1f2937">
          {r.label.length > 22 ? `${r.label.slice(0, 21)}…` : r.label}
        </text>
      ))}
      {columns.map((c, j) => (
        <text key={c.difficulty} x={M.l + cw * (j + 0.5)} y={H - M.b + 16} textAnchor="middle" fontSize="12" fill="#1f2937">
          {c.difficulty}
        </text>
      ))}
      <text x={(M.l + W - M.r) / 2} y={H - 6} textAnchor="middle" fontSize="13" fill="#1f2937">
        difficulty
      </text>
      {cells.map((row, i) =>
        row.map((c, j) =>
          c === null ? null : (
            <g
              key={`${i}-${j}`}
              className="pick"
              data-pick="heat"
              data-row={i}
              data-col={j}
              role="button"
              tabIndex={onPick ? 0 : -1}
              aria-label={`${c.variant} × ${c.difficulty}: ${heatLabel(c)}`}
              onClick={onPick ? () => onPick(filterOfHeatCell(c, several)) : undefined}
              onKeyDown={onPick ? (e) => (e.key === 'Enter' ? onPick(filterOfHeatCell(c, several)) : undefined) : undefined}
            >
              <title>{`${c.variant} × ${c.difficulty}: ${c.successes} of ${c.n} succeeded`}</title>
              <rect x={M.l + cw * j + 1} y={M.t + ch * i + 1} width={cw - 2} height={ch - 2} fill={heatColour(c.rate)} />
              <text x={M.l + cw * (j + 0.5)} y={M.t + ch * (i + 0.5) + 4} textAnchor="middle" fontSize="12" fill={heatTextColour(c.rate)}>
                {heatLabel(c)}
              </text>
            </g>
          ),
        ),
      )}
    </svg>
  )
}

/** The live heatmap; it re-renders only when its matrix changes. */
export const LiveHeatmap = memo(LiveHeatmapImpl)
