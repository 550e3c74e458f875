/**
 * Plotly (about 4.6 MB) is loaded with import() on first use, so the app starts without it. Its own
 * module, so the chart exporter can load it without pulling in the chart component.
 */
type PlotlyModule = typeof import('plotly.js-dist-min')

let plotlyPromise: Promise<PlotlyModule> | null = null

/** Loads plotly once; later calls share the same promise. */
export function loadPlotly(): Promise<PlotlyModule> {
  plotlyPromise ??= import('plotly.js-dist-min')
  return plotlyPromise
}
