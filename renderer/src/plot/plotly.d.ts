/**
 * The part of plotly.js that the renderer uses (the package ships no types). Figures are plain data;
 * fields are kept loose where plotly accepts many shapes, but never `any`.
 */
declare module 'plotly.js-dist-min' {
  export interface PlotTrace {
    readonly [key: string]: unknown
  }
  export interface PlotLayout {
    readonly [key: string]: unknown
  }
  export interface PlotConfig {
    readonly [key: string]: unknown
  }
  export function newPlot(root: HTMLElement, data: PlotTrace[], layout?: PlotLayout, config?: PlotConfig): Promise<HTMLElement>
  export function react(root: HTMLElement, data: PlotTrace[], layout?: PlotLayout, config?: PlotConfig): Promise<HTMLElement>
  export function restyle(root: HTMLElement, update: Record<string, unknown>, indices?: number[]): Promise<HTMLElement>
  export function extendTraces(
    root: HTMLElement,
    update: Record<string, unknown[][]>,
    indices: number[],
    maxPoints?: number,
  ): Promise<HTMLElement>
  export function purge(root: HTMLElement): void
  export interface ImageOptions {
    readonly format: 'png' | 'svg' | 'jpeg' | 'webp'
    readonly width?: number
    readonly height?: number
    readonly scale?: number
    readonly filename?: string
  }
  /** The chart as an image data URL. */
  export function toImage(root: HTMLElement, options: ImageOptions): Promise<string>
  /** Saves the chart as an image file (through a download link). */
  export function downloadImage(root: HTMLElement, options: ImageOptions): Promise<string>
  export const Plots: { resize(root: HTMLElement): Promise<void> }
  const Plotly: {
    newPlot: typeof newPlot
    react: typeof react
    restyle: typeof restyle
    extendTraces: typeof extendTraces
    purge: typeof purge
    toImage: typeof toImage
    downloadImage: typeof downloadImage
    Plots: typeof Plots
  }
  export default Plotly
}
