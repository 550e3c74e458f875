/**
 * A plotly chart of sweep results (lines with 95% bands, heatmap or failure bars; see figures.ts), whose
 * points can be clicked. Plotly (about 4.6 MB) is loaded with import() on first use, so the app starts
 * without it. Updates are throttled to ten a second and run
 * in their own task (never inside React's commit), and an update that only moves values goes through
 * `Plotly.restyle`, which redraws the traces but not the axes: a sweep streaming results never holds
 * the main thread for long.
 */
import { useEffect, useRef, useState } from 'react'
import type { SampleFilter } from '../results/filter.ts'
import { throttle, type Throttled } from '../util/throttle.ts'
import type { PlotFigure, PointNumber } from './figures.ts'
import { loadPlotly } from './load-plotly.ts'

/** Minimum time between two redraws of one chart. */
export const PLOT_INTERVAL_MS = 100

// Not plotly's `responsive`: its resize observer relayouts even a hidden chart (see the observer below).
const CONFIG = { displaylogo: false }

/** What plotly reports on a click (the part used here). */
interface PlotlyClick {
  readonly points?: readonly { readonly curveNumber: number; readonly pointNumber: PointNumber }[]
}

/** A drawn plotly chart is also an event emitter. */
type PlotlyElement = HTMLElement & { on?: (event: string, handler: (data: PlotlyClick) => void) => void }

export interface PlotProps {
  /** What to draw (see figures.ts). */
  readonly figure: PlotFigure
  /**
   * Hidden and not drawing (while a sweep streams, the caller shows the light live chart). The chart
   * stays mounted, so showing it again is one data update, not a new plot.
   */
  readonly paused?: boolean
  /** Called with the samples behind a clicked point. */
  readonly onPick?: (filter: SampleFilter) => void
}

/** The chart (its legend is drawn by the caller, see Legend.tsx). */
export function Plot(props: PlotProps) {
  const root = useRef<HTMLDivElement>(null)
  const [error, setError] = useState<string | null>(null)
  const [ready, setReady] = useState(false)
  const draw = useRef<Throttled<[PlotFigure]> | null>(null)
  const pausedRef = useRef(props.paused === true)
  pausedRef.current = props.paused === true
  // The click handler is attached once; it reads the figure drawn last and the latest callback.
  const drawn = useRef<PlotFigure | null>(null)
  const onPick = useRef(props.onPick)
  onPick.current = props.onPick

  useEffect(() => {
    let disposed = false
    const element = root.current as PlotlyElement | null
    let drawnShape: string | null = null
    let observer: ResizeObserver | null = null
    let resize: Throttled<[]> | null = null
    let listening = false
    // The width at the last draw: a chart shown again at another width is redrawn in full.
    let drawnWidth = -1
    loadPlotly().then(
      (Plotly) => {
        if (disposed || !element) return
        draw.current = throttle((figure: PlotFigure) => {
          // A re-render of the cell (an edit elsewhere) hands over the same figure: nothing to draw.
          const w = element.clientWidth
          if (figure === drawn.current && figure.shape === drawnShape && w === drawnWidth) return
          const sameShape = figure.shape === drawnShape && w === drawnWidth
          drawn.current = figure
          drawnWidth = w
          const done =
            sameShape && figure.restyle
              ? (() => {
                  const { update, indices } = figure.restyle()
                  return Plotly.restyle(element, update, indices)
                })()
              : Plotly.react(element, figure.traces, figure.layout, CONFIG)
          drawnShape = figure.shape
          done.then(
            () => {
              if (listening || typeof element.on !== 'function') return
              listening = true
              element.on('plotly_click', (data) => {
                const p = data.points?.[0]
                const filter = p && drawn.current ? drawn.current.pick(p.curveNumber, p.pointNumber) : null
                if (filter) onPick.current?.(filter)
              })
            },
            (e: unknown) => {
              drawnShape = null
              drawn.current = null
              setError(`The chart could not be drawn: ${String(e)}`)
            },
          )
        }, PLOT_INTERVAL_MS)
        // Follow the container's width, but only while the chart is shown and has been drawn.
        let width = element.clientWidth
        const resized = throttle(() => void Plotly.Plots.resize(element), 200)
        resize = resized
        observer = new ResizeObserver(() => {
          const w = element.clientWidth
          if (w === 0 || w === width || drawnShape === null || pausedRef.current) return
          width = w
          resized()
        })
        observer.observe(element)
        setReady(true)
      },
      (e: unknown) => setError(`The plotting library could not be loaded: ${String(e)}`),
    )
    return () => {
      disposed = true
      observer?.disconnect()
      // A resize still pending would reach a purged chart (plotly rejects that).
      resize?.cancel()
      draw.current?.cancel()
      draw.current = null
      if (element) void loadPlotly().then((Plotly) => Plotly.purge(element))
    }
  }, [])

  useEffect(() => {
    if (ready && !props.paused) draw.current?.(props.figure)
  })

  return (
    <div className="plot" hidden={props.paused}>
      <div className="plot-area">
        {error ? <div className="plot-error">{error}</div> : null}
        {!ready && !error ? <div className="plot-loading">Loading chart…</div> : null}
        <div ref={root} className="plot-root" data-testid="plot" />
      </div>
    </div>
  )
}
