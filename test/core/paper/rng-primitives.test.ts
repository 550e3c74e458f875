// Expected values: paper-rng §6 (raw-stream vectors and "other vectors"); the MT19937 authors'
// published outputs (mt19937ar.out for init_by_array([0x123, 0x234, 0x345, 0x456]), and the
// well-known 10000th output of init_genrand(5489)); the remaining vectors were printed by
// CPython 3.11 `random` and numpy 2.x `RandomState` with the seeds shown.
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { Mt19937 } from '../../../core/paper/mt19937.ts'
import { PyRandom, pySeedKey } from '../../../core/paper/py-random.ts'
import { NpRandomState } from '../../../core/paper/np-random.ts'

function words(g: Mt19937, n: number): number[] {
  return Array.from({ length: n }, () => g.nextUint32())
}

describe('MT19937 core', () => {
  it('[paper-rng §6] init_genrand(5489) starts with 3499211612', () => {
    expect(Mt19937.fromSeed(5489).nextUint32()).toBe(3499211612)
  })

  it('init_genrand(5489) gives 4123659995 as its 10000th output', () => {
    const g = Mt19937.fromSeed(5489)
    for (let i = 0; i < 9999; i++) g.nextUint32()
    expect(g.nextUint32()).toBe(4123659995)
  })

  it('init_by_array([0x123, 0x234, 0x345, 0x456]) matches mt19937ar.out', () => {
    const g = Mt19937.fromKey([0x123, 0x234, 0x345, 0x456])
    expect(words(g, 5)).toEqual([1067595299, 955945823, 477289528, 4107218783, 4228976476])
  })

  it('counts the words it has drawn', () => {
    const g = Mt19937.fromSeed(1)
    words(g, 700)
    expect(g.outputs).toBe(700)
  })

  it('rejects seeds that are not 32-bit words', () => {
    expect(() => Mt19937.fromSeed(-1)).toThrow(/init_genrand seed/)
    expect(() => Mt19937.fromSeed(2 ** 32)).toThrow(/\[0, 2\^32 - 1\]/)
    expect(() => Mt19937.fromKey([])).toThrow(/at least one key word/)
  })

  it('outputs are always unsigned 32-bit integers', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (seed) => {
        const g = Mt19937.fromSeed(seed)
        return words(g, 5).every((w) => Number.isInteger(w) && w >= 0 && w <= 0xffffffff)
      }),
      { numRuns: 50 },
    )
  })
})

describe('CPython random', () => {
  it('[paper-rng §6] random.seed(123) raw stream: 224899942, 1149664691, 374463918', () => {
    expect(words(new PyRandom(123).mt, 3)).toEqual([224899942, 1149664691, 374463918])
  })

  it('[paper-rng §6] random.seed(42); random() = 0.6394267984578837', () => {
    expect(new PyRandom(42).random()).toBe(0.6394267984578837)
  })

  it('[paper-rng §4.2] seed keys: |n| in 32-bit words, least significant first, 0 -> [0]', () => {
    expect(pySeedKey(0)).toEqual([0])
    expect(pySeedKey(123)).toEqual([123])
    expect(pySeedKey(-5)).toEqual([5])
    expect(pySeedKey(2 ** 40 + 7)).toEqual([7, 256])
    expect(pySeedKey(2n ** 64n + 3n)).toEqual([3, 0, 1])
  })

  it('seeds like CPython for large, negative and zero seeds', () => {
    expect(words(new PyRandom(2 ** 40 + 7).mt, 3)).toEqual([2635837658, 3209733218, 3500038837])
    expect(words(new PyRandom(-5).mt, 2)).toEqual([2675342405, 1097127993])
    expect(words(new PyRandom(0).mt, 2)).toEqual([3626764237, 1654615998])
  })

  it('randint, shuffle, choice and sample(pop, 1) match CPython', () => {
    const a = new PyRandom(7)
    expect(Array.from({ length: 10 }, () => a.randint(1, 13))).toEqual([6, 3, 7, 11, 1, 2, 9, 2, 6, 10])
    expect(new PyRandom(7).shuffle([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])).toEqual([8, 3, 1, 4, 7, 0, 9, 6, 2, 5])
    const b = new PyRandom(9)
    expect(Array.from({ length: 10 }, () => b.choice([...'abcde'])).join('')).toBe('deccbbaced')
    expect(b.sampleOne([0, 1, 2, 3, 4, 5, 6])).toBe(4)
  })

  it('[paper-rng §5.3] randbelow uses the bit length of n: top k bits, n = 1 still draws', () => {
    const probe = new PyRandom(123)
    const raw = words(new PyRandom(123).mt, 3)
    // 224899942 >>> 29 = 0: randbelow(4) (k = 3) accepts the first word.
    expect(probe.randbelow(4)).toBe(raw[0] >>> 29)
    expect(probe.mt.outputs).toBe(1)
    // 1149664691 >>> 31 = 0: randbelow(1) (k = 1) reads one whole word to return 0.
    expect(probe.randbelow(1)).toBe(0)
    expect(probe.mt.outputs).toBe(2)
    // 374463918 >>> 28 = 1: randbelow(16) uses k = 5 bits, not 4.
    expect(probe.randbelow(16)).toBe(raw[2] >>> 27)
  })

  it('randbelow(n) stays in range and consumes one word per attempt', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 1, max: 2 ** 31 }), (seed, n) => {
        const r = new PyRandom(seed)
        const v = r.randbelow(n)
        return v >= 0 && v < n && r.mt.outputs >= 1
      }),
      { numRuns: 200 },
    )
  })

  it('getrandbits(0) draws nothing; bad arguments throw', () => {
    const r = new PyRandom(1)
    expect(r.getrandbits(0)).toBe(0)
    expect(r.mt.outputs).toBe(0)
    expect(() => r.randbelow(0)).toThrow(/randbelow/)
    expect(() => r.choice([])).toThrow(/empty/)
    expect(() => new PyRandom(0.5)).toThrow(/integer seed/)
  })
})

describe('numpy legacy RandomState', () => {
  it('[paper-rng §6] np.random.seed(123) raw stream: 2991312382, 3062119789, 1228959102', () => {
    expect(words(new NpRandomState(123).mt, 3)).toEqual([2991312382, 3062119789, 1228959102])
  })

  it('[paper-rng §6] np.random.seed(123): randint(17), randint(17), randint(16) -> 13, 2, 12', () => {
    const np = new NpRandomState(123)
    expect([np.randint(17), np.randint(17), np.randint(16)]).toEqual([13, 2, 12])
  })

  it('[paper-rng §4.3] randint(1) draws nothing; masks come from n - 1', () => {
    const np = new NpRandomState(4294967295)
    expect([1, 2, 3, 5, 100, 2 ** 31, 2 ** 32].map((n) => np.randint(n))).toEqual([
      0, 1, 2, 4, 71, 1241397172, 2260532800,
    ])
    const z = new NpRandomState(0)
    expect([7, 7, 7, 7, 7, 64, 65].map((n) => z.randint(n))).toEqual([4, 5, 0, 3, 3, 3, 9])
    const one = new NpRandomState(5)
    one.randint(1)
    expect(one.mt.outputs).toBe(0)
  })

  it('rejects seeds outside [0, 2^32 - 1]', () => {
    expect(() => new NpRandomState(-1)).toThrow(/np.random.seed/)
    expect(() => new NpRandomState(2 ** 32)).toThrow(/np.random.seed/)
  })
})
