/**
 * A live line chart of sweep results with 95% confidence bands. Plotly (about 4.6 MB) is loaded with
 * import() on first use, so the app starts without it. Updates are throttled to ten a second and run
 * in their own task (never inside React's commit), and an update that only moves values goes through
 * `Plotly.restyle`, which redraws the traces but not the axes: a sweep streaming results never holds
 * the main thread for long.
 */
import { useEffect, useRef, useState } from 'react'
import { throttle, type Throttled } from '../util/throttle.ts'
import { layoutOf, restyleOf, shapeKey, tracesOf, type FigureOptions } from './figure.ts'
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

// Not plotly's `responsive`: its resize observer relayouts even a hidden chart (see the observer below).
const CONFIG = { displaylogo: false }

export interface PlotProps {
  readonly series: readonly Series[]
  readonly xTitle: string
  readonly yTitle: string
  /** The y range; success rates use [0, 1]. */
  readonly yRange?: readonly [number, number]
  /**
   * Hidden and not drawing (while a sweep streams, the caller shows the light live chart). The chart
   * stays mounted, so showing it again is one data update, not a new plot.
   */
  readonly paused?: boolean
}

/** The chart (its legend is drawn by the caller, see Legend.tsx). */
export function Plot(props: PlotProps) {
  const root = useRef<HTMLDivElement>(null)
  const [error, setError] = useState<string | null>(null)
  const [ready, setReady] = useState(false)
  const draw = useRef<Throttled<[PlotProps]> | null>(null)
  const pausedRef = useRef(props.paused === true)
  pausedRef.current = props.paused === true

  useEffect(() => {
    let disposed = false
    const element = root.current
    let drawnShape: string | null = null
    let observer: ResizeObserver | null = null
    let drawnSeries: readonly Series[] | null = null
    // The width at the last draw: a chart shown again at another width is redrawn in full.
    let drawnWidth = -1
    loadPlotly().then(
      (Plotly) => {
        if (disposed || !element) return
        draw.current = throttle((p: PlotProps) => {
          const options: FigureOptions = { xTitle: p.xTitle, yTitle: p.yTitle, yRange: p.yRange ?? null }
          const shape = shapeKey(p.series, options)
          // A re-render of the cell (an edit elsewhere) hands over the same series: nothing to draw.
          const w = element.clientWidth
          if (p.series === drawnSeries && shape === drawnShape && w === drawnWidth) return
          const sameShape = shape === drawnShape && w === drawnWidth
          drawnSeries = p.series
          drawnWidth = w
          const done =
            sameShape
              ? (() => {
                  const { update, indices } = restyleOf(p.series)
                  return Plotly.restyle(element, update, indices)
                })()
              : Plotly.react(element, tracesOf(p.series), layoutOf(p.series, options), CONFIG)
          drawnShape = shape
          done.catch((e: unknown) => {
            drawnShape = null
            drawnSeries = null
            setError(`The chart could not be drawn: ${String(e)}`)
          })
        }, PLOT_INTERVAL_MS)
        // Follow the container's width, but only while the chart is shown and has been drawn.
        let width = element.clientWidth
        const resize = throttle(() => void Plotly.Plots.resize(element), 200)
        observer = new ResizeObserver(() => {
          const w = element.clientWidth
          if (w === 0 || w === width || drawnShape === null || pausedRef.current) return
          width = w
          resize()
        })
        observer.observe(element)
        setReady(true)
      },
      (e: unknown) => setError(`The plotting library could not be loaded: ${String(e)}`),
    )
    return () => {
      disposed = true
      observer?.disconnect()
      draw.current?.cancel()
      draw.current = null
      if (element) void loadPlotly().then((Plotly) => Plotly.purge(element))
    }
  }, [])

  useEffect(() => {
    if (ready && !props.paused) draw.current?.(props)
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
