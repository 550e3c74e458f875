/**
 * A live line chart of sweep results with 95% confidence bands. Plotly (about 4.8 MB) is loaded with
 * import() on first use, so the app starts without it; redraws go through `Plotly.react`, throttled
 * to ten a second, so a sweep streaming results never floods the main thread.
 */
import { useEffect, useRef, useState } from 'react'
import type { PlotLayout, PlotTrace } from 'plotly.js-dist-min'
import { throttle } from '../util/throttle.ts'
import type { Series } from './series.ts'

type PlotlyModule = typeof import('plotly.js-dist-min')

let plotlyPromise: Promise<PlotlyModule> | null = null

/** Loads plotly once; later calls share the same promise. */
export function loadPlotly(): Promise<PlotlyModule> {
  plotlyPromise ??= import('plotly.js-dist-min')
  return plotlyPromise
}

/** Minimum time between two redraws of one chart. */
export const PLOT_INTERVAL_MS = 100

const PALETTE = ['#1f5fbf', '#c2410c', '#15803d', '#7e22ce', '#b91c1c', '#0e7490', '#a16207', '#4d4d4d']

export interface PlotProps {
  readonly series: readonly Series[]
  readonly xTitle: string
  readonly yTitle: string
  /** The y range; success rates use [0, 1]. */
  readonly yRange?: readonly [number, number]
  readonly title?: string
}

/** Plotly traces for `series`: a translucent band (low..high) under each line. */
export function tracesOf(series: readonly Series[]): PlotTrace[] {
  const traces: PlotTrace[] = []
  series.forEach((s, i) => {
    const colour = PALETTE[i % PALETTE.length]
    const xs = s.points.map((p) => p.x)
    traces.push({
      type: 'scatter',
      mode: 'lines',
      x: [...xs, ...[...xs].reverse()],
      y: [...s.points.map((p) => p.high), ...s.points.map((p) => p.low).reverse()],
      fill: 'toself',
      fillcolor: `${colour}26`,
      line: { width: 0 },
      hoverinfo: 'skip',
      showlegend: false,
      legendgroup: s.name,
    })
    traces.push({
      type: 'scatter',
      mode: 'lines+markers',
      name: s.name,
      legendgroup: s.name,
      x: xs,
      y: s.points.map((p) => p.y),
      customdata: s.points.map((p) => [p.difficulty, p.n, p.low, p.high]),
      hovertemplate: '%{customdata[0]}: %{y:.3f} [%{customdata[2]:.3f}, %{customdata[3]:.3f}], n=%{customdata[1]}<extra>%{fullData.name}</extra>',
      line: { color: colour, width: 2 },
      marker: { color: colour, size: 6 },
      // Whiskers as well as the band: a single difficulty has no band width to show.
      error_y: {
        type: 'data',
        symmetric: false,
        array: s.points.map((p) => p.high - p.y),
        arrayminus: s.points.map((p) => p.y - p.low),
        color: colour,
        thickness: 1,
        width: 4,
      },
    })
  })
  return traces
}

function layoutOf(props: PlotProps): PlotLayout {
  // Ticks at the difficulties' values, labelled with their names.
  const ticks = new Map<number, string>()
  for (const s of props.series) for (const p of s.points) ticks.set(p.x, p.difficulty)
  const tickvals = [...ticks.keys()].sort((a, b) => a - b)
  const axis = { gridcolor: '#e5e7eb', zerolinecolor: '#d1d5db', linecolor: '#9ca3af', ticks: 'outside' }
  return {
    title: props.title ? { text: props.title, font: { size: 13 } } : undefined,
    margin: { l: 52, r: 12, t: props.title ? 56 : 32, b: 40 },
    font: { family: 'system-ui, sans-serif', size: 12, color: '#1f2937' },
    paper_bgcolor: '#ffffff',
    plot_bgcolor: '#ffffff',
    xaxis: { ...axis, title: { text: props.xTitle }, tickvals, ticktext: tickvals.map((v) => ticks.get(v)) },
    yaxis: { ...axis, title: { text: props.yTitle }, range: props.yRange ? [...props.yRange] : undefined },
    legend: { orientation: 'h', x: 0, y: 1.02, yanchor: 'bottom' },
    height: 300,
    autosize: true,
  }
}

/** The chart. It keeps the latest props and redraws at most every {@link PLOT_INTERVAL_MS}. */
export function Plot(props: PlotProps) {
  const root = useRef<HTMLDivElement>(null)
  const [error, setError] = useState<string | null>(null)
  const [ready, setReady] = useState(false)
  const draw = useRef<((p: PlotProps) => void) & { cancel(): void; flush(): void }>(null)

  useEffect(() => {
    let disposed = false
    const element = root.current
    loadPlotly().then(
      (Plotly) => {
        if (disposed || !element) return
        const redraw = throttle((p: PlotProps) => {
          Plotly.react(element, tracesOf(p.series), layoutOf(p), { displaylogo: false, responsive: true }).catch(
            (e: unknown) => setError(`The chart could not be drawn: ${String(e)}`),
          )
        }, PLOT_INTERVAL_MS)
        draw.current = redraw
        setReady(true)
      },
      (e: unknown) => setError(`The plotting library could not be loaded: ${String(e)}`),
    )
    return () => {
      disposed = true
      draw.current?.cancel()
      draw.current = null
      if (element) void loadPlotly().then((Plotly) => Plotly.purge(element))
    }
  }, [])

  useEffect(() => {
    if (ready) draw.current?.(props)
  })

  return (
    <div className="plot">
      {error ? <div className="plot-error">{error}</div> : null}
      {!ready && !error ? <div className="plot-loading">Loading chart…</div> : null}
      <div ref={root} className="plot-root" data-testid="plot" />
    </div>
  )
}
