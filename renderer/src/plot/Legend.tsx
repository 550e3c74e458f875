/** The chart legend, in HTML beside the chart (plotly's own legend makes every redraw dearer). */
import { PALETTE } from './figure.ts'
import type { Series } from './series.ts'

/** `bands`: the lines carry 95% interval bands (rates), so the legend says what they are. */
export function Legend({ series, bands = true }: { readonly series: readonly Series[]; readonly bands?: boolean }) {
  return (
    <ul className="legend" aria-label="Lines">
      {series.map((s, i) => (
        <li key={s.name}>
          <span className="swatch" style={{ background: PALETTE[i % PALETTE.length] }} />
          {s.name}
        </li>
      ))}
      {bands ? <li className="hint">bands: 95% Wilson interval</li> : null}
    </ul>
  )
}
