/**
 * The probability colour scale of the token view: cividis (Nuñez, Anderton & Renslow, 2018), a
 * colour map built to be perceptually even (lightness rises steadily from dark blue to yellow) and
 * readable with the common colour-vision deficiencies, since it varies only along the blue-yellow
 * axis that deuteranopes and protanopes keep. Unlikely tokens are dark, likely ones light, so the
 * order survives a greyscale print as well.
 */

/** Cividis sampled at 18 evenly spaced positions (the table plotly ships), as sRGB bytes. */
const CIVIDIS: readonly (readonly [number, number, number])[] = [
  [0, 32, 76],
  [0, 42, 102],
  [0, 52, 110],
  [39, 63, 108],
  [60, 74, 107],
  [76, 85, 107],
  [91, 95, 109],
  [104, 106, 112],
  [117, 117, 117],
  [131, 129, 120],
  [146, 140, 120],
  [161, 152, 118],
  [176, 165, 114],
  [192, 177, 109],
  [209, 191, 102],
  [225, 204, 92],
  [243, 219, 79],
  [255, 233, 69],
]

function hex(rgb: readonly number[]): string {
  return `#${rgb.map((v) => Math.round(v).toString(16).padStart(2, '0')).join('')}`
}

/** Clamps a probability to [0, 1]; NaN (no token) counts as 0. */
function clamp01(p: number): number {
  return Number.isNaN(p) ? 0 : Math.min(1, Math.max(0, p))
}

/** The colour of probability `p` (0 dark blue … 1 yellow) as `#rrggbb`. */
export function probabilityColor(p: number): string {
  const x = clamp01(p) * (CIVIDIS.length - 1)
  const i = Math.min(CIVIDIS.length - 2, Math.floor(x))
  const t = x - i
  const a = CIVIDIS[i]
  const b = CIVIDIS[i + 1]
  return hex([0, 1, 2].map((k) => a[k] + (b[k] - a[k]) * t))
}

/** A natural-log probability as a probability (`exp`, within [0, 1]). */
export function probabilityOf(logprob: number): number {
  return clamp01(Math.exp(logprob))
}

function channel(v: number): number {
  const c = v / 255
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
}

/** WCAG relative luminance of a `#rrggbb` colour. */
export function relativeLuminance(color: string): number {
  const n = Number.parseInt(color.slice(1), 16)
  return 0.2126 * channel((n >> 16) & 255) + 0.7152 * channel((n >> 8) & 255) + 0.0722 * channel(n & 255)
}

/** WCAG contrast ratio of two `#rrggbb` colours (1 to 21). */
export function contrastRatio(a: string, b: string): number {
  const la = relativeLuminance(a)
  const lb = relativeLuminance(b)
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05)
}

/** Black or white, whichever reads better on `background`. */
export function textColorOn(background: string): '#000000' | '#ffffff' {
  return contrastRatio(background, '#000000') >= contrastRatio(background, '#ffffff') ? '#000000' : '#ffffff'
}

/** The background and text colour of a token with log-probability `logprob`. */
export function tokenColors(logprob: number): { readonly background: string; readonly color: string } {
  const background = probabilityColor(probabilityOf(logprob))
  return { background, color: textColorOn(background) }
}

/** The scale as a CSS gradient from probability 0 (left) to 1 (right), for the legend. */
export function scaleGradient(): string {
  const stops = CIVIDIS.map((rgb, i) => `${hex(rgb)} ${((i / (CIVIDIS.length - 1)) * 100).toFixed(1)}%`)
  return `linear-gradient(to right, ${stops.join(', ')})`
}

/** A probability as the legend and tooltips print it: `0.93`, `0.012`, `<0.001`. */
export function formatProbability(p: number): string {
  const q = clamp01(p)
  if (q === 1) return '1'
  if (q >= 0.999) return '>0.999'
  if (q >= 0.995) return q.toFixed(3)
  if (q >= 0.01) return q.toFixed(2)
  if (q >= 0.001) return q.toFixed(3)
  return q === 0 ? '0' : '<0.001'
}
