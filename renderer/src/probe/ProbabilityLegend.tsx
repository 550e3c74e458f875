/** The legend of the token colours: the probability scale from 0 to 1. */
import { scaleGradient } from './colors.ts'

const TICKS = [0, 0.25, 0.5, 0.75, 1]

export function ProbabilityLegend() {
  return (
    <figure className="probe-legend" data-testid="probability-legend" aria-label="Token colour: the probability the model gave the token">
      <figcaption>Token probability</figcaption>
      <div>
        <div className="probe-legend-bar" style={{ background: scaleGradient() }} />
        <div className="probe-legend-ticks">
          {TICKS.map((p) => (
            <span key={p} style={{ left: `${p * 100}%` }}>
              {p}
            </span>
          ))}
        </div>
      </div>
      <span className="hint">unlikely (dark) → likely (light) · hover a token for its alternatives, click one to fork</span>
    </figure>
  )
}
