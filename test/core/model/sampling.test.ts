// Sampling is checked three ways: exact distributions worked out by hand on small vocabularies,
// a naive reference (sort everything, then filter) written independently below, and frequency
// tests on seeded draws.
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { rngFor } from '../../../core/rng/index.ts'
import type { Rng } from '../../../core/rng/index.ts'
import {
  argmax,
  logSoftmax,
  logSumExp,
  sampleToken,
  samplingDistribution,
  topKLogprobs,
} from '../../../core/model/sampling.ts'
import type { SamplingFilters } from '../../../core/model/sampling.ts'

const OFF: SamplingFilters = { temperature: 1, topK: 0, topP: 1, minP: 0 }

function logitsOf(probs: readonly number[]): Float32Array {
  return Float32Array.from(probs, (p) => Math.log(p))
}

function distribution(logits: Float32Array, f: Partial<SamplingFilters>): Record<number, number> {
  return Object.fromEntries(samplingDistribution(logits, { ...OFF, ...f }))
}

function expectDistribution(actual: Record<number, number>, expected: Record<number, number>): void {
  expect(Object.keys(actual).map(Number).sort((a, b) => a - b)).toEqual(
    Object.keys(expected).map(Number).sort((a, b) => a - b),
  )
  for (const [id, p] of Object.entries(expected)) expect(actual[Number(id)]).toBeCloseTo(p, 6)
}

/** Counts draws per token id. */
function draw(logits: Float32Array, f: Partial<SamplingFilters>, n: number, seed = 1): Map<number, number> {
  const rng = rngFor(seed, 'test-draws')
  const counts = new Map<number, number>()
  for (let i = 0; i < n; i++) {
    const { id } = sampleToken(logits, { ...OFF, ...f }, rng)
    counts.set(id, (counts.get(id) ?? 0) + 1)
  }
  return counts
}

/** Pearson's chi-square statistic of `counts` against probabilities `expected` (id -> p). */
function chiSquare(counts: Map<number, number>, expected: Record<number, number>, n: number): number {
  let stat = 0
  for (const [id, p] of Object.entries(expected)) {
    const e = p * n
    const o = counts.get(Number(id)) ?? 0
    stat += ((o - e) * (o - e)) / e
  }
  return stat
}

// Upper 0.1 % points of the chi-square distribution (standard tables).
const CHI2_999 = { 1: 10.828, 2: 13.816, 3: 16.266 } as const

/**
 * Naive reference of the documented order: scale by 1/T, rank (probability desc, id asc), keep the
 * first k, keep the shortest prefix with cumulative probability >= p, keep p_i >= minP * p_max.
 */
function referenceDistribution(logits: Float32Array, f: SamplingFilters): Map<number, number> {
  return reference(logits, f).probs
}

/** The reference distribution, and whether a top-p or min-p cut fell within rounding error. */
function reference(logits: Float32Array, f: SamplingFilters): { probs: Map<number, number>; nearCut: boolean } {
  let nearCut = false
  let items = Array.from(logits, (x, id) => ({ id, s: x / f.temperature }))
  items.sort((a, b) => b.s - a.s || a.id - b.id)
  const normalise = (list: { id: number; s: number }[]): { id: number; p: number }[] => {
    const m = list[0].s
    const z = list.reduce((acc, it) => acc + Math.exp(it.s - m), 0)
    return list.map((it) => ({ id: it.id, p: Math.exp(it.s - m) / z }))
  }
  if (f.topK > 0) items = items.slice(0, f.topK)
  let probs = normalise(items)
  if (f.topP < 1) {
    let cum = 0
    let n = 0
    while (n < probs.length) {
      cum += probs[n].p
      n++
      if (Math.abs(cum - f.topP) < 1e-6) nearCut = true
      if (cum >= f.topP) break
    }
    probs = probs.slice(0, n)
  }
  const pMax = probs[0].p
  if (probs.some((x) => Math.abs(x.p / pMax - f.minP) < 1e-6)) nearCut = true
  probs = probs.filter((x) => x.p >= f.minP * pMax)
  const z = probs.reduce((a, x) => a + x.p, 0)
  return { probs: new Map(probs.map((x) => [x.id, x.p / z])), nearCut }
}

/** An Rng that counts how many floats were drawn. */
function countingRng(inner: Rng): Rng & { floats: number } {
  const counter = {
    floats: 0,
    nextUint32: () => inner.nextUint32(),
    nextFloat: () => {
      counter.floats++
      return inner.nextFloat()
    },
    below: (n: number) => inner.below(n),
    intBetween: (lo: number, hi: number) => inner.intBetween(lo, hi),
    chance: (p: number) => inner.chance(p),
    pick: <T>(items: readonly T[]) => inner.pick(items),
    shuffle: <T>(items: T[]) => inner.shuffle(items),
    fork: (...path: (string | number)[]) => inner.fork(...path),
  }
  return counter
}

describe('logSoftmax and friends', () => {
  it('gives log(1/4) and log(3/4) for logits [0, ln 3]', () => {
    const out = logSoftmax(Float32Array.from([0, Math.log(3)]))
    expect(out[0]).toBeCloseTo(Math.log(0.25), 6)
    expect(out[1]).toBeCloseTo(Math.log(0.75), 6)
  })

  it('is stable for large logits and keeps -Infinity as probability 0', () => {
    const out = logSoftmax(Float32Array.from([1000, 1000, -Infinity]))
    expect(out[0]).toBeCloseTo(-Math.LN2, 6)
    expect(out[1]).toBeCloseTo(-Math.LN2, 6)
    expect(out[2]).toBe(-Infinity)
    expect(logSumExp([1000, 1000])).toBeCloseTo(1000 + Math.LN2, 9)
  })

  it('writes in place when out is the input', () => {
    const x = Float32Array.from([1, 2, 3])
    const same = logSoftmax(x, x)
    expect(same).toBe(x)
    expect(Math.exp(x[0]) + Math.exp(x[1]) + Math.exp(x[2])).toBeCloseTo(1, 6)
  })

  it('rejects NaN and +Infinity logits, naming the first bad token', () => {
    expect(() => logSoftmax(Float32Array.from([0, NaN, 1]))).toThrow(/token 1 is NaN/)
    expect(() => logSoftmax(Float32Array.from([0, 1, Infinity]))).toThrow(/token 2 is Infinity/)
    expect(() => logSoftmax(Float32Array.from([0, Infinity, NaN]))).toThrow(/token 1 is Infinity/)
    expect(() => logSoftmax(Float32Array.from([NaN, Infinity]))).toThrow(/token 0 is NaN/)
    expect(() => sampleToken(Float32Array.from([2, NaN]), { ...OFF, temperature: 0 }, rngFor(1, 't'))).toThrow(/token 1 is NaN/)
    expect(() => logSoftmax(Float32Array.from([-Infinity, -Infinity]))).toThrow(/All 2 logits are -Infinity/)
  })

  it('logSumExp agrees with a Math.exp sum in float64 to 1e-14 (property: spreads up to 1e4, masked entries)', () => {
    const reference = (xs: readonly number[]): number => {
      const max = Math.max(...xs)
      let sum = 0
      for (const x of xs) sum += Math.exp(x - max)
      return max + Math.log(sum)
    }
    const logit = fc.oneof(
      fc.float({ min: -30, max: 30, noNaN: true }),
      fc.float({ min: -1e4, max: 1e4, noNaN: true }),
      fc.constant(-Infinity),
    )
    fc.assert(
      fc.property(fc.array(logit, { minLength: 1, maxLength: 300 }), (xs) => {
        fc.pre(xs.some((x) => x > -Infinity))
        const logits = Float32Array.from(xs)
        const expected = reference(Array.from(logits))
        const got = logSumExp(logits)
        expect(Math.abs(got - expected)).toBeLessThanOrEqual(1e-14 * Math.max(1, Math.abs(expected)))
        // sampleToken reports the same normaliser, and the log-probability of the argmax.
        const greedy = sampleToken(logits, { ...OFF, temperature: 0 }, rngFor(1, 't'))
        expect(greedy.logNormalizer).toBe(got)
        expect(greedy.id).toBe(argmax(logits))
        expect(greedy.logprob).toBe(logits[greedy.id] - got)
      }),
      { numRuns: 300 },
    )
  })

  it('argmax takes the lowest id on a tie', () => {
    expect(argmax([1, 3, 3, 2])).toBe(1)
  })

  it('topKLogprobs returns the k best, best first, ties by lower id', () => {
    const lp = Float32Array.from([-3, -1, -2, -1, -5])
    expect(topKLogprobs(lp, 3)).toEqual([
      { id: 1, logprob: -1 },
      { id: 3, logprob: -1 },
      { id: 2, logprob: -2 },
    ])
    expect(topKLogprobs(lp, 0)).toEqual([])
    expect(topKLogprobs(lp, 10)).toHaveLength(5)
  })

  it('topKLogprobs agrees with a full sort (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -20, max: 20 }), { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 0, max: 25 }),
        (values, k) => {
          const lp = Float32Array.from(values)
          const expected = values
            .map((v, id) => ({ id, logprob: v }))
            .sort((a, b) => b.logprob - a.logprob || a.id - b.id)
            .slice(0, k)
          expect(topKLogprobs(lp, k)).toEqual(expected)
        },
      ),
    )
  })
})

describe('the filtered distribution (exact, hand-computed)', () => {
  // p = [0.4, 0.3, 0.2, 0.1]
  const logits = logitsOf([0.4, 0.3, 0.2, 0.1])

  it('temperature 1 with no filters is the softmax', () => {
    expectDistribution(distribution(logits, {}), { 0: 0.4, 1: 0.3, 2: 0.2, 3: 0.1 })
  })

  it('temperature 2 flattens to p^(1/2), renormalised', () => {
    const r = [0.4, 0.3, 0.2, 0.1].map(Math.sqrt)
    const z = r.reduce((a, b) => a + b, 0)
    expectDistribution(distribution(logits, { temperature: 2 }), { 0: r[0] / z, 1: r[1] / z, 2: r[2] / z, 3: r[3] / z })
  })

  it('top-k 2 keeps the two most likely', () => {
    expectDistribution(distribution(logits, { topK: 2 }), { 0: 4 / 7, 1: 3 / 7 })
  })

  it('top-p keeps the shortest ranked prefix whose mass reaches p', () => {
    expectDistribution(distribution(logits, { topP: 0.35 }), { 0: 1 })
    expectDistribution(distribution(logits, { topP: 0.45 }), { 0: 4 / 7, 1: 3 / 7 })
    expectDistribution(distribution(logits, { topP: 0.75 }), { 0: 4 / 9, 1: 3 / 9, 2: 2 / 9 })
  })

  it('min-p keeps tokens with p >= minP * p_max', () => {
    // p_max = 0.4: minP 0.45 keeps p >= 0.18; minP 0.6 keeps p >= 0.24.
    expectDistribution(distribution(logits, { minP: 0.45 }), { 0: 4 / 9, 1: 3 / 9, 2: 2 / 9 })
    expectDistribution(distribution(logits, { minP: 0.6 }), { 0: 4 / 7, 1: 3 / 7 })
    expectDistribution(distribution(logits, { minP: 1 }), { 0: 1 })
  })

  it('[HF order] top-p measures mass after top-k (top-k 2, top-p 0.5 keeps one token)', () => {
    // After top-k 2: [4/7, 3/7]; 4/7 >= 0.5, so only token 0. Top-p first would keep {0, 1}.
    expectDistribution(distribution(logits, { topK: 2, topP: 0.5 }), { 0: 1 })
  })

  it('[HF order] min-p sees the tempered distribution (temperature 2, min-p 0.6 keeps three)', () => {
    // Tempered ratios p_i / p_max are sqrt(0.75), sqrt(0.5), sqrt(0.25) = 0.87, 0.71, 0.5.
    const r = [0.4, 0.3, 0.2].map(Math.sqrt)
    const z = r.reduce((a, b) => a + b, 0)
    expectDistribution(distribution(logits, { temperature: 2, minP: 0.6 }), { 0: r[0] / z, 1: r[1] / z, 2: r[2] / z })
  })

  it('breaks ties by lower id when top-k and top-p cut a tie', () => {
    const tied = Float32Array.from([0, 1, 1, 1])
    expectDistribution(distribution(tied, { topK: 2 }), { 1: 0.5, 2: 0.5 })
    // Weights e^-1, 1, 1, 1: the first tied token has mass 0.33 < 0.4, two of them reach it.
    expectDistribution(distribution(tied, { topP: 0.4 }), { 1: 0.5, 2: 0.5 })
  })

  it('greedy (temperature 0) is the argmax whatever the filters', () => {
    expectDistribution(distribution(logits, { temperature: 0, topK: 3, topP: 0.1, minP: 0.9 }), { 0: 1 })
  })

  it('agrees with the naive reference on random logits (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.float({ min: -8, max: 8, noNaN: true, noDefaultInfinity: true }), { minLength: 1, maxLength: 40 }),
        fc.record({
          temperature: fc.double({ min: 0.05, max: 5, noNaN: true }),
          topK: fc.integer({ min: 0, max: 45 }),
          topP: fc.oneof(fc.constant(1), fc.double({ min: 0.01, max: 1, noNaN: true })),
          minP: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 1, noNaN: true })),
        }),
        (values, f) => {
          const logits = Float32Array.from(values)
          const { probs: expected, nearCut } = reference(logits, f)
          // Skip the (rare) cases where a cut lands within rounding error of p or min-p.
          if (nearCut) return
          const actual = samplingDistribution(logits, f)
          expect([...actual.keys()].sort((a, b) => a - b)).toEqual([...expected.keys()].sort((a, b) => a - b))
          for (const [id, p] of expected) expect(actual.get(id)).toBeCloseTo(p, 5)
        },
      ),
      { numRuns: 300 },
    )
  })

  it('finds the exact nucleus of a large vocabulary (skewed, flat, tied and masked logits)', () => {
    const rng = rngFor(7, 'large-vocab')
    const vocab = 20_000
    const cases: [string, Float32Array][] = [
      ['skewed', Float32Array.from({ length: vocab }, () => (rng.nextFloat() - 0.5) * 12)],
      ['flat', Float32Array.from({ length: vocab }, () => (rng.nextFloat() - 0.5) * 0.5)],
      // Eight distinct values, so long runs of ties straddle the cut; a quarter masked out.
      ['tied', Float32Array.from({ length: vocab }, (_, i) => (i % 4 === 3 ? -Infinity : rng.below(8)))],
    ]
    for (const [name, logits] of cases) {
      for (const topP of [0.3, 0.9, 0.999]) {
        const f = { ...OFF, temperature: 0.8, topP }
        const expected = referenceDistribution(logits, f)
        const actual = samplingDistribution(logits, f)
        let worst = 0
        for (const [id, p] of expected) worst = Math.max(worst, Math.abs((actual.get(id) ?? -1) - p))
        expect({ name, topP, size: actual.size, worst: worst < 1e-9 }).toEqual({
          name,
          topP,
          size: expected.size,
          worst: true,
        })
      }
    }
  })
})

describe('sampleToken', () => {
  const probs = [0.4, 0.3, 0.2, 0.1]
  const logits = logitsOf(probs)

  it('temperature 1 draws with the softmax frequencies (chi-square, 20 000 draws)', () => {
    const n = 20_000
    const counts = draw(logits, {}, n)
    expect(chiSquare(counts, { 0: 0.4, 1: 0.3, 2: 0.2, 3: 0.1 }, n)).toBeLessThan(CHI2_999[3])
  })

  it('top-p 0.45 never leaves the nucleus {0, 1} and keeps its 4:3 ratio', () => {
    const n = 10_000
    const counts = draw(logits, { topP: 0.45 }, n)
    expect([...counts.keys()].sort()).toEqual([0, 1])
    expect(chiSquare(counts, { 0: 4 / 7, 1: 3 / 7 }, n)).toBeLessThan(CHI2_999[1])
  })

  it('top-k 3 never draws token 3; min-p 0.6 never draws tokens 2 or 3', () => {
    const n = 5_000
    const k = draw(logits, { topK: 3 }, n, 2)
    expect(k.has(3)).toBe(false)
    expect(chiSquare(k, { 0: 4 / 9, 1: 3 / 9, 2: 2 / 9 }, n)).toBeLessThan(CHI2_999[2])
    const m = draw(logits, { minP: 0.6 }, n, 3)
    expect([...m.keys()].sort()).toEqual([0, 1])
  })

  it('a near-zero temperature gives the greedy token (property)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: -400, max: 400 }), { minLength: 2, maxLength: 30 }),
        fc.integer({ min: 0, max: 1000 }),
        (ints, seed) => {
          // Distinct logits at least 0.05 apart, so T = 1e-4 leaves the runner-up e^-500 behind.
          const l = Float32Array.from(ints, (i) => i * 0.05)
          const greedy = sampleToken(l, { ...OFF, temperature: 0 }, rngFor(seed))
          const cold = sampleToken(l, { ...OFF, temperature: 1e-4 }, rngFor(seed))
          expect(cold.id).toBe(greedy.id)
          expect(greedy.id).toBe(ints.indexOf(Math.max(...ints)))
        },
      ),
    )
  })

  it('reports the log-probability under the raw logits, whatever the temperature and filters', () => {
    const raw = logSoftmax(logits)
    const rng = rngFor(5)
    for (const f of [{ temperature: 0 }, { temperature: 3 }, { temperature: 0.5, topK: 2, topP: 0.9, minP: 0.1 }]) {
      for (let i = 0; i < 20; i++) {
        const s = sampleToken(logits, { ...OFF, ...f }, rng)
        expect(s.logprob).toBeCloseTo(raw[s.id], 6)
        expect(s.logNormalizer).toBeCloseTo(0, 6) // the probabilities already sum to 1
      }
    }
  })

  it('draws exactly one float per sampled token and none when greedy', () => {
    const rng = countingRng(rngFor(9))
    for (let i = 0; i < 10; i++) sampleToken(logits, { ...OFF, topK: 2, topP: 0.9, minP: 0.2 }, rng)
    expect(rng.floats).toBe(10)
    sampleToken(logits, { ...OFF, temperature: 0 }, rng)
    expect(rng.floats).toBe(10)
  })

  it('is deterministic for a seed and differs between seeds', () => {
    const seq = (seed: number): number[] => {
      const rng = rngFor(seed, 'sample')
      return Array.from({ length: 40 }, () => sampleToken(logits, { ...OFF, temperature: 1.5 }, rng).id)
    }
    expect(seq(11)).toEqual(seq(11))
    expect(seq(11)).not.toEqual(seq(12))
  })

  it('rejects settings that cannot be sampled with, saying which', () => {
    expect(() => sampleToken(logits, { ...OFF, temperature: -1 }, rngFor(1))).toThrow(/temperature/)
    expect(() => sampleToken(logits, { ...OFF, topP: 0 }, rngFor(1))).toThrow(/topP/)
    expect(() => sampleToken(logits, { ...OFF, minP: 2 }, rngFor(1))).toThrow(/minP/)
    expect(() => sampleToken(logits, { ...OFF, topK: 1.5 }, rngFor(1))).toThrow(/topK/)
  })
})
