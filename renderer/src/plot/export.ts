/**
 * Saving a chart as PNG or SVG. A plotly chart exports through plotly's own `downloadImage` (the
 * same figure, at the size shown); the light SVG chart drawn while a sweep streams is serialised as
 * it is, and rasterised through a canvas (at twice its size, so it stays crisp) for PNG.
 */
import type { ImageFormat } from './file-name.ts'
import { saveBlob } from '../util/download.ts'
import { loadPlotly } from './load-plotly.ts'

/** The SVG document text of an inline SVG chart, standalone (namespaces, size and font set). */
export function svgText(svg: SVGSVGElement): string {
  const copy = svg.cloneNode(true) as SVGSVGElement
  const box = svg.viewBox.baseVal
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg')
  copy.setAttribute('width', String(box.width))
  copy.setAttribute('height', String(box.height))
  copy.setAttribute('font-family', 'system-ui, sans-serif')
  copy.removeAttribute('style')
  copy.removeAttribute('class')
  // A white background, as plotly's exports have.
  const bg = document.createElementNS('http://www.w3.org/2000/svg', 'rect')
  bg.setAttribute('width', '100%')
  bg.setAttribute('height', '100%')
  bg.setAttribute('fill', '#ffffff')
  copy.insertBefore(bg, copy.firstChild)
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(copy)}`
}

async function svgToPng(text: string, width: number, height: number, scale: number): Promise<Blob> {
  const url = URL.createObjectURL(new Blob([text], { type: 'image/svg+xml' }))
  try {
    const image = new Image()
    image.src = url
    await image.decode()
    const canvas = document.createElement('canvas')
    canvas.width = Math.round(width * scale)
    canvas.height = Math.round(height * scale)
    const context = canvas.getContext('2d')
    if (!context) throw new Error('This browser gives no 2D canvas, so the chart cannot be rasterised; export SVG instead.')
    context.drawImage(image, 0, 0, canvas.width, canvas.height)
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('The canvas gave no PNG; export SVG instead.'))), 'image/png'),
    )
  } finally {
    URL.revokeObjectURL(url)
  }
}

/** How long plotly's own export may take before the export reports that it gave nothing. */
const PLOTLY_EXPORT_TIMEOUT_MS = 15_000

/**
 * Exports the chart shown in `container` as `name`.`format`: the plotly chart if one is shown there,
 * else the live SVG chart. Throws when the container shows no chart.
 */
export async function exportChart(container: HTMLElement, format: ImageFormat, name: string): Promise<void> {
  const plot = [...container.querySelectorAll<HTMLElement>('.js-plotly-plot')].find((el) => el.closest('[hidden]') === null)
  if (plot) {
    const Plotly = await loadPlotly()
    const download = Plotly.downloadImage(plot, { format, filename: name, width: plot.clientWidth || 800, height: plot.clientHeight || 320 })
    // Plotly's export can wait forever on a chart that is being redrawn (a sweep that has just
    // ended hands its live chart over); say so instead of leaving the click without an answer.
    let timer: ReturnType<typeof setTimeout> | undefined
    const stalled = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('The chart was still being drawn and gave no image; export it again.')), PLOTLY_EXPORT_TIMEOUT_MS)
    })
    try {
      await Promise.race([download, stalled])
    } finally {
      clearTimeout(timer)
    }
    return
  }
  const svg = container.querySelector<SVGSVGElement>('svg.live-chart')
  if (!svg) throw new Error('There is no chart to export yet: run the sweep first.')
  const text = svgText(svg)
  if (format === 'svg') {
    saveBlob(new Blob([text], { type: 'image/svg+xml' }), `${name}.svg`)
    return
  }
  const box = svg.viewBox.baseVal
  saveBlob(await svgToPng(text, box.width, box.height, 2), `${name}.png`)
}
