/** Plot: a sweep cell's aggregates against difficulty, one line per variant with 95% bands, live while it runs. */
import { lazy, Suspense, useEffect, useMemo, useState } from 'react'
import { PLOT_Y, type PlotCell as PlotCellT } from '../../../core/notebook/schema.ts'
import { useSweepView } from '../app/context.ts'
import { SelectField } from '../components/fields.tsx'
import { Legend } from '../plot/Legend.tsx'
import { LiveChart } from '../plot/LiveChart.tsx'
import { seriesOf, type PlotMetric } from '../plot/series.ts'
import type { CellEditorProps } from './types.ts'

// The chart component pulls in plotly; loading it lazily keeps the app's first paint fast.
const Plot = lazy(() => import('../plot/Plot.tsx').then((m) => ({ default: m.Plot })))

/** The y range of rates (one object, so the charts' memoisation holds across renders). */
const UNIT: readonly [number, number] = [0, 1]

const Y_LABELS: Record<(typeof PLOT_Y)[number], string> = {
  successRate: 'success rate',
  validity: 'validity',
  meanReward: 'mean reward',
  meanTurns: 'mean turns',
  meanSteps: 'mean steps',
  tokens: 'tokens',
}

export function PlotCell({ cell, doc, edit, readOnly }: CellEditorProps<PlotCellT>) {
  const view = useSweepView(cell.source)
  const sweeps = doc.cells.filter((c) => c.kind === 'sweep' && doc.cells.indexOf(c) < doc.cells.indexOf(cell))
  const metric: PlotMetric = cell.y === 'validity' || cell.y === 'meanReward' ? cell.y : 'successRate'
  const series = useMemo(() => seriesOf(view.aggregates, metric), [view.aggregates, metric])
  const unsupported = cell.y !== metric
  // While the sweep streams, a light SVG chart redraws at 10 Hz; plotly (interactive) draws once it
  // stops. Plotly is not even loaded during a stream: evaluating its 4.6 MB bundle is one long task.
  const live = view.status === 'running' || view.status === 'starting'
  // Once plotly has drawn, it stays mounted (hidden while live), so later hand-overs are cheap.
  const [plotShown, setPlotShown] = useState(false)
  useEffect(() => {
    if (!live && series.length > 0) setPlotShown(true)
  }, [live, series.length])
  return (
    <>
      <div className="form">
        <SelectField
          label="Sweep"
          value={cell.source}
          disabled={readOnly}
          options={sweeps.map((s) => [s.id, s.title ? `${s.title} (${s.id})` : s.id])}
          onChange={(source) => edit((c) => ({ ...c, source, reads: [source] }))}
        />
        <SelectField
          label="y"
          value={cell.y}
          disabled={readOnly}
          options={PLOT_Y.map((y) => [y, Y_LABELS[y]])}
          onChange={(y) => edit((c) => ({ ...c, y }))}
        />
      </div>
      {unsupported ? <div className="hint">This chart shows success rate, validity or mean reward; {Y_LABELS[cell.y]} arrives with the richer plots.</div> : null}
      {series.length === 0 ? (
        <div className="hint" style={{ marginTop: 6 }}>
          No results yet: run the sweep {cell.source}.
        </div>
      ) : (
        <Legend series={series} />
      )}
      {series.length > 0 && live ? (
        <LiveChart series={series} xTitle="difficulty" yTitle={Y_LABELS[metric]} yRange={metric === 'meanReward' ? undefined : UNIT} />
      ) : null}
      {plotShown || (!live && series.length > 0) ? (
        <Suspense fallback={live ? null : <div className="plot-loading">Loading chart…</div>}>
          <Plot
            series={series}
            xTitle="difficulty"
            yTitle={Y_LABELS[metric]}
            yRange={metric === 'meanReward' ? undefined : UNIT}
            paused={live || series.length === 0}
          />
        </Suspense>
      ) : null}
    </>
  )
}
