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
  export const Plots: { resize(root: HTMLElement): Promise<void> }
  const Plotly: {
    newPlot: typeof newPlot
    react: typeof react
    restyle: typeof restyle
    extendTraces: typeof extendTraces
    purge: typeof purge
    Plots: typeof Plots
  }
  export default Plotly
}
