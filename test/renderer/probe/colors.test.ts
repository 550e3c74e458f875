// The probe's probability colours: cividis end points as published, lightness that rises evenly
// (perceptually even, and an order readable without hue), legible text on every colour, and the
// legend's number format.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  contrastRatio,
  formatProbability,
  probabilityColor,
  probabilityOf,
  scaleGradient,
  textColorOn,
  tokenColors,
} from '../../../renderer/src/probe/colors.ts'

/** CIE L* of an sRGB colour (D65), computed here independently of the module's WCAG helpers. */
function lightness(color: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => Number.parseInt(color.slice(i, i + 2), 16) / 255)
  const lin = (c: number) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4)
  const y = 0.2126729 * lin(r) + 0.7151522 * lin(g) + 0.072175 * lin(b)
  return y > 216 / 24389 ? 116 * Math.cbrt(y) - 16 : (24389 / 27) * y
}

describe('probability colour scale (cividis)', () => {
  it('ends at cividis dark blue (0) and yellow (1), as published (#00204C, #FFE945)', () => {
    expect(probabilityColor(0)).toBe('#00204c')
    expect(probabilityColor(1)).toBe('#ffe945')
    // Grey in the middle: cividis passes through a neutral grey at 0.47.
    expect(probabilityColor(8 / 17)).toBe('#757575')
  })

  it('clamps outside [0, 1] and treats NaN as 0', () => {
    expect(probabilityColor(-3)).toBe(probabilityColor(0))
    expect(probabilityColor(7)).toBe(probabilityColor(1))
    expect(probabilityColor(Number.NaN)).toBe(probabilityColor(0))
  })

  it('lightness rises strictly with probability (order survives greyscale and colour-blindness)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (a, b) => {
        fc.pre(Math.abs(a - b) > 0.02)
        const [lo, hi] = a < b ? [a, b] : [b, a]
        expect(lightness(probabilityColor(lo))).toBeLessThan(lightness(probabilityColor(hi)))
      }),
    )
  })

  it('is perceptually even: every tenth of probability adds about the same lightness', () => {
    const steps = Array.from({ length: 10 }, (_, i) => lightness(probabilityColor((i + 1) / 10)) - lightness(probabilityColor(i / 10)))
    const mean = steps.reduce((a, b) => a + b, 0) / steps.length
    // L* runs from about 13 to 92 (~79 units); each tenth adds 7.9 on average.
    expect(mean).toBeGreaterThan(7)
    for (const step of steps) {
      expect(step).toBeGreaterThan(mean * 0.6)
      expect(step).toBeLessThan(mean * 1.4)
    }
  })

  it('text on every colour meets WCAG AA contrast (4.5:1)', () => {
    for (let i = 0; i <= 200; i++) {
      const background = probabilityColor(i / 200)
      expect(contrastRatio(background, textColorOn(background))).toBeGreaterThanOrEqual(4.5)
    }
  })

  it('contrast of black on white is 21 and of a colour on itself 1 (WCAG definition)', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 6)
    expect(contrastRatio('#757575', '#757575')).toBe(1)
  })

  it('unlikely tokens get white text on dark blue, likely ones black on yellow', () => {
    expect(tokenColors(Math.log(0.01))).toEqual({ background: probabilityColor(0.01), color: '#ffffff' })
    expect(tokenColors(Math.log(0.98))).toEqual({ background: probabilityColor(0.98), color: '#000000' })
    expect(tokenColors(0).background).toBe('#ffe945')
  })

  it('turns log-probabilities into probabilities', () => {
    expect(probabilityOf(0)).toBe(1)
    expect(probabilityOf(Math.log(0.25))).toBeCloseTo(0.25, 12)
    expect(probabilityOf(-Infinity)).toBe(0)
  })

  it('the legend gradient runs through all 18 samples from 0% to 100%', () => {
    const g = scaleGradient()
    expect(g.startsWith('linear-gradient(to right, #00204c 0.0%')).toBe(true)
    expect(g.endsWith('#ffe945 100.0%)')).toBe(true)
    expect(g.match(/#[0-9a-f]{6}/g)).toHaveLength(18)
  })

  it.each([
    [1, '1'],
    [0.9995, '>0.999'],
    [0.997, '0.997'],
    [0.93, '0.93'],
    [0.0123, '0.01'],
    [0.0042, '0.004'],
    [0.0002, '<0.001'],
    [0, '0'],
  ])('prints probability %d as %s', (p, text) => {
    expect(formatProbability(p)).toBe(text)
  })
})
