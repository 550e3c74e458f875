/** The chart legend, in HTML beside the chart (plotly's own legend makes every redraw dearer). */
import { PALETTE } from './figure.ts'
import type { Series } from './series.ts'

export function Legend({ series }: { readonly series: readonly Series[] }) {
  return (
    <ul className="legend" aria-label="Lines">
      {series.map((s, i) => (
        <li key={s.name}>
          <span className="swatch" style={{ background: PALETTE[i % PALETTE.length] }} />
          {s.name}
        </li>
      ))}
      <li className="hint">bands: 95% Wilson interval</li>
    </ul>
  )
}
