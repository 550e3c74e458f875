/**
 * Plot: a sweep cell's aggregates as success-rate lines with 95% bands, a variant × difficulty
 * heatmap or stacked failure-taxonomy bars, live while the sweep runs. Clicking a point lists its
 * samples below the chart; "Compare variants" opens the paired comparison; each chart exports as
 * PNG or SVG.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { PLOT_CHARTS, PLOT_X, PLOT_Y, type PlotCell as PlotCellT, type PlotChart, type SweepCell } from '../../../core/notebook/schema.ts'
import type { Aggregate } from '../../../core/eval/types.ts'
import { useSweepChartView } from '../app/context.ts'
import { SelectField } from '../components/fields.tsx'
import { loadable } from '../components/loadable.tsx'
import type { SampleFilter } from '../results/filter.ts'
import { exportChart } from '../plot/export.ts'
import { exportFileName, type ImageFormat } from '../plot/file-name.ts'
import { failureStackOf, outcomeColour } from '../plot/failures.ts'
import { failuresPlot, heatmapPlot, linesPlot, type PlotFigure } from '../plot/figures.ts'
import { heatmapOf } from '../plot/heatmap.ts'
import { Legend } from '../plot/Legend.tsx'
import { LIVE_CHART_HEIGHT, LiveChart } from '../plot/LiveChart.tsx'
import { LIVE_FAILURES_MIN_HEIGHT, LiveFailures } from '../plot/LiveFailures.tsx'
import { LIVE_HEATMAP_MIN_HEIGHT, LiveHeatmap } from '../plot/LiveHeatmap.tsx'
import { seriesOf, type PlotMetric, type PlotX } from '../plot/series.ts'
import '../plot/plot.css'
import type { CellEditorProps } from './types.ts'

// The chart component pulls in plotly; loading it lazily keeps the app's first paint fast. So do the
// results panels (they bring the viewers).
const Plot = loadable('The chart', () => import('../plot/Plot.tsx').then((m) => m.Plot))
const SamplesPanel = loadable('The samples list', () => import('../results/SamplesPanel.tsx').then((m) => m.SamplesPanel))
const ComparePanel = loadable('The comparison', () => import('../results/ComparePanel.tsx').then((m) => m.ComparePanel))

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

const X_LABELS: Record<PlotX, string> = {
  difficultyValue: 'difficulty by value (side, cards)',
  difficulty: 'difficulty by rank (evenly spaced)',
}

const CHART_LABELS: Record<PlotChart, string> = {
  lines: 'lines: y by difficulty',
  heatmap: 'heatmap: variant × difficulty',
  failures: 'failures: outcome shares',
}

/** The least height of each live chart: what the chart area holds while a run waits for its first results. */
const WAITING_HEIGHT: Record<PlotChart, number> = {
  lines: LIVE_CHART_HEIGHT,
  heatmap: LIVE_HEATMAP_MIN_HEIGHT,
  failures: LIVE_FAILURES_MIN_HEIGHT,
}

/** A chart kind read defensively (a file may name one this version does not draw). */
function chartOf(cell: PlotCellT): PlotChart {
  const c = cell.chart ?? 'lines'
  return (PLOT_CHARTS as readonly string[]).includes(c) ? c : 'lines'
}

interface Drawn {
  readonly figure: PlotFigure
  readonly live: React.ReactNode
  readonly legend: React.ReactNode
}

/** The figure, live chart and legend of `chart` over `aggregates` (built only for the chart shown). */
function useDrawn(chart: PlotChart, aggregates: readonly Aggregate[], metric: PlotMetric, x: PlotX, onPick: (f: SampleFilter) => void): Drawn | null {
  const yTitle = Y_LABELS[metric]
  // Rates live in [0, 1]; the other fields' ranges follow the data.
  const yRange = metric === 'successRate' || metric === 'validity' ? UNIT : undefined
  return useMemo(() => {
    if (aggregates.length === 0) return null
    if (chart === 'heatmap') {
      const matrix = heatmapOf(aggregates)
      return {
        figure: heatmapPlot(matrix),
        live: <LiveHeatmap matrix={matrix} onPick={onPick} />,
        legend: <div className="hint plot-hint">colour: success rate (0 dark to 1 light); each cell: rate (n)</div>,
      }
    }
    if (chart === 'failures') {
      const stack = failureStackOf(aggregates)
      return {
        figure: failuresPlot(stack),
        live: <LiveFailures stack={stack} onPick={onPick} />,
        legend: (
          <ul className="legend" aria-label="Outcomes">
            {stack.outcomes.map((o) => (
              <li key={o}>
                <span className="swatch block" style={{ background: outcomeColour(o) }} />
                {o}
              </li>
            ))}
          </ul>
        ),
      }
    }
    const series = seriesOf(aggregates, metric, x)
    return {
      figure: linesPlot(series, { xTitle: 'difficulty', yTitle, yRange: yRange ?? null }),
      live: <LiveChart series={series} xTitle="difficulty" yTitle={yTitle} yRange={yRange} onPick={onPick} />,
      legend: <Legend series={series} bands={yRange !== undefined} />,
    }
  }, [chart, aggregates, metric, x, yTitle, yRange, onPick])
}

export function PlotCell({ cell, doc, edit, readOnly }: CellEditorProps<PlotCellT>) {
  const view = useSweepChartView(cell.source)
  const sweeps = doc.cells.filter((c) => c.kind === 'sweep' && doc.cells.indexOf(c) < doc.cells.indexOf(cell))
  const source = doc.cells.find((c): c is SweepCell => c.id === cell.source && c.kind === 'sweep')
  const runDir = view.dir ?? source?.runDir ?? null
  const chart = chartOf(cell)
  const metric: PlotMetric = cell.y
  const [picked, setPicked] = useState<SampleFilter | null>(null)
  const [exportError, setExportError] = useState<string | null>(null)
  const [comparing, setComparing] = useState(false)
  const area = useRef<HTMLDivElement>(null)
  const onPick = useCallback((f: SampleFilter) => setPicked(f), [])
  // A point picked in one run means nothing in another (a new source sweep, or a new run of it).
  useEffect(() => setPicked(null), [runDir])
  const drawn = useDrawn(chart, view.aggregates, metric, cell.x, onPick)
  // While the sweep streams, a light SVG chart redraws at 10 Hz; plotly (interactive) draws once it
  // stops. Plotly is not even loaded during a stream: evaluating its 4.6 MB bundle is one long task.
  const live = view.status === 'running' || view.status === 'starting'
  // Once plotly has drawn, it stays mounted (hidden while live), so later hand-overs are cheap.
  const [plotShown, setPlotShown] = useState(false)
  useEffect(() => {
    if (!live && drawn !== null) setPlotShown(true)
  }, [live, drawn])
  const variants = useMemo(() => [...new Set(view.aggregates.map((a) => a.variant))], [view.aggregates])

  const save = (format: ImageFormat): void => {
    if (!area.current) return
    setExportError(null)
    exportChart(area.current, format, exportFileName(cell.title, cell.id, chart)).catch((e: unknown) =>
      setExportError(e instanceof Error ? e.message : String(e)),
    )
  }

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
          label="Chart"
          value={chart}
          disabled={readOnly}
          options={PLOT_CHARTS.map((c) => [c, CHART_LABELS[c]])}
          onChange={(next) => edit((c) => ({ ...c, chart: next }))}
        />
        {chart === 'lines' ? (
          <>
            <SelectField label="x" value={cell.x} disabled={readOnly} options={PLOT_X.map((x) => [x, X_LABELS[x]])} onChange={(x) => edit((c) => ({ ...c, x }))} />
            <SelectField label="y" value={cell.y} disabled={readOnly} options={PLOT_Y.map((y) => [y, Y_LABELS[y]])} onChange={(y) => edit((c) => ({ ...c, y }))} />
          </>
        ) : null}
        <div className="plot-export" role="group" aria-label="Export the chart">
          <button type="button" data-testid="export-png" disabled={drawn === null} onClick={() => save('png')}>
            PNG
          </button>
          <button type="button" data-testid="export-svg" disabled={drawn === null} onClick={() => save('svg')}>
            SVG
          </button>
        </div>
      </div>
      {exportError ? <div className="plot-error-line" role="alert">{exportError}</div> : null}
      {drawn === null ? (
        <div className="hint" style={{ marginTop: 6 }} data-testid="plot-empty">
          {live ? `Waiting for the first results of ${cell.source}…` : `No results yet: run the sweep ${cell.source}.`}
        </div>
      ) : (
        drawn.legend
      )}
      {/* A new run starts with no results: its chart keeps its place, so the cells below stay put. */}
      <div
        ref={area}
        className="plot-chart"
        data-testid="plot-chart"
        data-chart={chart}
        style={live && drawn === null ? { minHeight: WAITING_HEIGHT[chart] } : undefined}
      >
        {drawn !== null && live ? drawn.live : null}
        {drawn !== null && (plotShown || !live) ? (
          <Plot figure={drawn.figure} paused={live} onPick={onPick} fallback={live ? null : <div className="plot-loading">Loading chart…</div>} />
        ) : null}
      </div>
      {picked !== null ? (
        runDir === null ? (
          <div className="hint">The samples are in the sweep's run folder; run the sweep {cell.source} first.</div>
        ) : (
          <SamplesPanel runDir={runDir} filter={picked} onClose={() => setPicked(null)} fallback={<div className="hint">Loading samples…</div>} />
        )
      ) : drawn !== null ? (
        <div className="hint plot-hint">Click a point, a cell or a bar segment to list its samples.</div>
      ) : null}
      {runDir !== null && variants.length > 1 ? (
        <details className="plot-compare" open={comparing} onToggle={(e) => setComparing(e.currentTarget.open)}>
          <summary>Compare variants</summary>
          {comparing ? (
            <ComparePanel runDir={runDir} variants={variants} fallback={<div className="hint">Loading…</div>} />
          ) : null}
        </details>
      ) : null}
    </>
  )
}
