// Known values:
// - Wilson intervals: Newcombe, R. G. (1998), "Two-sided confidence intervals for the single
//   proportion: comparison of seven methods", Statistics in Medicine 17, 857-872, Table I, method 3
//   (score interval without continuity correction), given there to 4 decimals. Rechecked with an
//   independent closed-form computation in Python.
// - McNemar exact: hand sums of Binomial(n, 1/2) tails, e.g. b=1, c=9: 2 (1 + 10) / 2^10 = 11/512;
//   and the airway hyper-responsiveness example of Fagerland, Lydersen and Laake (2013), "The
//   McNemar test for binary matched-pairs data", BMC Medical Research Methodology 13:91
//   (b=1, c=7, exact conditional p = 0.070). Large-n values are exact rationals from Python's
//   `fractions` with `math.comb`, rounded to double.
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { Z95, flipTable, mcnemarExact, wilsonInterval } from '../../../core/eval/stats.ts'

/** Exact two-sided p with BigInt binomial coefficients: an independent path to the same number. */
function exactByBigInt(b: number, c: number): number {
  const n = b + c
  const k = Math.min(b, c)
  let coefficient = 1n
  let tail = 0n
  for (let i = 0; i <= k; i++) {
    tail += coefficient
    coefficient = (coefficient * BigInt(n - i)) / BigInt(i + 1)
  }
  const p = (2 * Number(tail)) / 2 ** n
  return Math.min(1, p)
}

describe('wilsonInterval', () => {
  it('Z95 is the 0.975 normal quantile: the density integrates to 0.475 over [0, Z95]', () => {
    // Composite Simpson's rule on the standard normal density; error ~1e-16 with 2000 panels.
    const density = (x: number): number => Math.exp((-x * x) / 2) / Math.sqrt(2 * Math.PI)
    const panels = 2000
    const h = Z95 / panels
    let sum = density(0) + density(Z95)
    for (let i = 1; i < panels; i++) sum += (i % 2 === 1 ? 4 : 2) * density(i * h)
    expect((sum * h) / 3).toBeCloseTo(0.475, 13)
  })

  it('reproduces Newcombe (1998) Table I, method 3', () => {
    const table: [number, number, number, number][] = [
      [81, 263, 0.2553, 0.3662],
      [15, 148, 0.0624, 0.1605],
      [0, 20, 0, 0.1611],
      [1, 29, 0.0061, 0.1718],
    ]
    for (const [x, n, low, high] of table) {
      const ci = wilsonInterval(x, n)
      expect(ci.low, `${x}/${n} low`).toBeCloseTo(low, 4)
      expect(ci.high, `${x}/${n} high`).toBeCloseTo(high, 4)
    }
  })

  it('gives 0/10 -> [0, 0.2775], 5/10 -> [0.2366, 0.7634], 10/10 -> [0.7225, 1]', () => {
    expect(wilsonInterval(0, 10)).toEqual({ low: 0, high: expect.closeTo(0.277533, 6) })
    const half = wilsonInterval(5, 10)
    expect(half.low).toBeCloseTo(0.236593, 6)
    expect(half.high).toBeCloseTo(0.763407, 6)
    expect(wilsonInterval(10, 10)).toEqual({ low: expect.closeTo(0.722467, 6), high: 1 })
  })

  it('n = 0 is the uninformative interval', () => {
    expect(wilsonInterval(0, 0)).toEqual({ low: 0, high: 1 })
  })

  it('rejects impossible counts with a message naming the argument', () => {
    expect(() => wilsonInterval(3, 2)).toThrow(/successes must be an integer in \[0, n = 2\]; got 3/)
    expect(() => wilsonInterval(-1, 2)).toThrow(/successes/)
    expect(() => wilsonInterval(1, 2.5)).toThrow(/n must be an integer/)
    expect(() => wilsonInterval(1, 2, 0)).toThrow(/z must be a positive number/)
  })

  it('bounds solve the score equation (p̂ - π)² = z² π(1 - π) / n, contain p̂ and mirror under x -> n - x', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), fc.double({ min: 0, max: 1, noNaN: true }), (n, f) => {
        const x = Math.min(n, Math.floor(f * (n + 1)))
        const p = x / n
        const { low, high } = wilsonInterval(x, n)
        expect(low).toBeGreaterThanOrEqual(0)
        expect(high).toBeLessThanOrEqual(1)
        expect(low).toBeLessThanOrEqual(p)
        expect(high).toBeGreaterThanOrEqual(p)
        for (const bound of [low, high]) {
          const residual = (p - bound) ** 2 - (Z95 * Z95 * bound * (1 - bound)) / n
          expect(Math.abs(residual)).toBeLessThan(1e-12)
        }
        const mirror = wilsonInterval(n - x, n)
        expect(mirror.low).toBeCloseTo(1 - high, 12)
        expect(mirror.high).toBeCloseTo(1 - low, 12)
      }),
    )
  })

  it('a wider z gives a wider interval', () => {
    const narrow = wilsonInterval(7, 20, 1)
    const wide = wilsonInterval(7, 20)
    expect(wide.low).toBeLessThan(narrow.low)
    expect(wide.high).toBeGreaterThan(narrow.high)
  })
})

describe('mcnemarExact', () => {
  it('matches hand-computed binomial tails', () => {
    expect(mcnemarExact(0, 5)).toBe(0.0625) // 2 / 2^5
    expect(mcnemarExact(1, 9)).toBeCloseTo(11 / 512, 15) // 2 (1 + 10) / 2^10 = 0.021484375
    expect(mcnemarExact(2, 8)).toBeCloseTo(7 / 64, 15) // 2 (1 + 10 + 45) / 2^10
    expect(mcnemarExact(3, 10)).toBeCloseTo(189 / 2048, 15)
    // Dyadic values come out exact for small counts.
    expect(mcnemarExact(0, 3)).toBe(0.25)
    expect(mcnemarExact(1, 9)).toBe(11 / 512)
  })

  it('agrees on both sides of the switch to log-space summation (n = 1000 | 1001)', () => {
    expect(mcnemarExact(480, 520) / 0.21744829320414094).toBeCloseTo(1, 10)
    expect(mcnemarExact(480, 521) / 0.20610731083295322).toBeCloseTo(1, 10)
  })

  it('Fagerland et al. (2013) AHR example: b=1, c=7 -> exact conditional p = 0.070', () => {
    expect(mcnemarExact(1, 7)).toBeCloseTo(0.0703125, 12)
    expect(mcnemarExact(1, 7).toFixed(3)).toBe('0.070')
  })

  it('is 1 with no discordant pairs, with b = c, and with one discordant pair', () => {
    expect(mcnemarExact(0, 0)).toBe(1)
    expect(mcnemarExact(5, 5)).toBe(1)
    expect(mcnemarExact(50_000, 50_000)).toBe(1)
    expect(mcnemarExact(0, 1)).toBe(1)
  })

  it('stays accurate for large counts (exact rationals from Python)', () => {
    expect(mcnemarExact(100, 200)).toBeCloseTo(8.014875216538918e-9, 20)
    expect(mcnemarExact(100, 200) / 8.014875216538918e-9).toBeCloseTo(1, 10)
    // Relative error ~1e-12 from summing thousands of log terms: far below what a p-value needs.
    expect(mcnemarExact(1000, 1100) / 0.030720707864242296).toBeCloseTo(1, 10)
    expect(mcnemarExact(4000, 4100) / 0.2713310871439329).toBeCloseTo(1, 10)
    // 2 * 2^-3000 underflows to 0 rather than turning into NaN.
    expect(mcnemarExact(0, 3000)).toBe(0)
  })

  it('rejects non-count arguments', () => {
    expect(() => mcnemarExact(-1, 3)).toThrow(/b must be an integer >= 0/)
    expect(() => mcnemarExact(1, 2.5)).toThrow(/c must be an integer >= 0/)
  })

  it('is symmetric in (b, c), lies in [0, 1] and agrees with a BigInt computation', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 300 }), (b, c) => {
        const p = mcnemarExact(b, c)
        expect(p).toBe(mcnemarExact(c, b))
        expect(p).toBeGreaterThanOrEqual(0)
        expect(p).toBeLessThanOrEqual(1)
        const reference = exactByBigInt(b, c)
        if (reference > 1e-300) expect(p / reference).toBeCloseTo(1, 9)
      }),
    )
  })

  it('more imbalance never raises p', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 200 }), (b, extra) => {
        const c = b + extra
        expect(mcnemarExact(b, c + 1)).toBeLessThanOrEqual(mcnemarExact(b, c) + 1e-15)
      }),
    )
  })
})

describe('flipTable', () => {
  it('pairs by key, ignores keys in one run only, and counts each outcome', () => {
    const a = [
      { key: 'v/d/0/0', success: true },
      { key: 'v/d/1/0', success: true },
      { key: 'v/d/2/0', success: false },
      { key: 'v/d/3/0', success: false },
      { key: 'v/d/4/0', success: true },
      { key: 'v/d/5/0', success: true },
      { key: 'only-a', success: true },
    ]
    const b = [
      { key: 'v/d/5/0', success: false },
      { key: 'v/d/4/0', success: false },
      { key: 'v/d/3/0', success: false },
      { key: 'only-b', success: false },
      { key: 'v/d/2/0', success: true },
      { key: 'v/d/1/0', success: false },
      { key: 'v/d/0/0', success: true },
    ]
    // By hand: 0 right/right, 1 right->wrong, 2 wrong->right, 3 wrong/wrong, 4 and 5 right->wrong.
    expect(flipTable(a, b)).toEqual({
      pairs: 6,
      bothRight: 1,
      bothWrong: 1,
      rightToWrong: 3,
      wrongToRight: 1,
      pValue: 0.625, // 2 (1 + 4) / 2^4
    })
  })

  it('swapping the runs swaps the flips and keeps p', () => {
    const a = [{ key: 'x', success: true }, { key: 'y', success: false }, { key: 'z', success: true }]
    const b = [{ key: 'x', success: false }, { key: 'y', success: false }, { key: 'z', success: false }]
    const ab = flipTable(a, b)
    const ba = flipTable(b, a)
    expect([ab.rightToWrong, ab.wrongToRight]).toEqual([2, 0])
    expect([ba.rightToWrong, ba.wrongToRight]).toEqual([0, 2])
    expect(ba.pValue).toBe(ab.pValue)
    expect(ab.pValue).toBe(0.5)
  })

  it('has no pairs for disjoint runs (p = 1)', () => {
    expect(flipTable([{ key: 'a', success: true }], [{ key: 'b', success: true }])).toEqual({
      pairs: 0, bothRight: 0, bothWrong: 0, rightToWrong: 0, wrongToRight: 0, pValue: 1,
    })
  })

  it('throws on a key that occurs twice in one run', () => {
    const twice = [{ key: 'k', success: true }, { key: 'k', success: false }]
    expect(() => flipTable(twice, [])).toThrow(/key "k" occurs twice in the first run/)
    expect(() => flipTable([], twice)).toThrow(/key "k" occurs twice in the second run/)
  })
})
