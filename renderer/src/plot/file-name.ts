/** Names of exported charts (pure, so it is tested without a DOM). */

/** The image formats a chart exports to. */
export type ImageFormat = 'png' | 'svg'

/**
 * The file name of an exported chart, without extension: the cell's title (or its id) and the chart
 * kind, reduced to letters, digits, `.`, `_` and `-`, e.g. `success-by-prompt-heatmap`.
 */
export function exportFileName(title: string | undefined, cellId: string, chart: string): string {
  const clean = (text: string): string =>
    text
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[^A-Za-z0-9._-]+/g, '-')
      .replace(/^[-.]+|-+$/g, '')
      .slice(0, 80)
  const base = clean(title ?? '') || clean(cellId) || 'plot'
  return `${base}-${clean(chart) || 'chart'}`
}
