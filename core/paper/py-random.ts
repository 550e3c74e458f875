/**
 * @module core/paper/py-random
 * CPython's `random.Random` (3.11), reduced to the calls the paper's reference code makes, with
 * exactly CPython's draw consumption. Sources: `Modules/_randommodule.c` (seed, getrandbits,
 * random) and `Lib/random.py` (_randbelow, randint, choice, shuffle, sample).
 *
 * Draw consumption matters more than the values' distribution: the reference reseeds once per
 * item and then reads one stream for many decisions, so a single extra or missing 32-bit word
 * desynchronises everything after it.
 */
import { Mt19937 } from './mt19937.ts'

const TWO_POW_32 = 4294967296

/**
 * The 32-bit key words CPython's `random.seed(n)` feeds to `init_by_array`: |n| split into 32-bit
 * words, least significant first, at least one word (so 0 gives [0]).
 */
export function pySeedKey(seed: number | bigint): number[] {
  let n = typeof seed === 'bigint' ? seed : BigInt(checkedInteger(seed))
  if (n < 0n) n = -n
  const words: number[] = []
  do {
    words.push(Number(n & 0xffffffffn))
    n >>= 32n
  } while (n > 0n)
  return words
}

function checkedInteger(seed: number): number {
  if (!Number.isSafeInteger(seed)) throw new RangeError(`random.seed needs an integer seed, got ${seed}`)
  return seed
}

/** The global `random` generator of one CPython process, after `random.seed(seed)`. */
export class PyRandom {
  readonly mt: Mt19937

  /** `random.seed(seed)` for an integer seed. */
  constructor(seed: number | bigint) {
    this.mt = Mt19937.fromKey(pySeedKey(seed))
  }

  /** `getrandbits(k)` for 0 <= k <= 32: the top k bits of one word (k = 0 draws nothing). */
  getrandbits(k: number): number {
    if (!Number.isInteger(k) || k < 0 || k > 32) {
      throw new RangeError(`getrandbits supports 0..32 bits here, got ${k}`)
    }
    if (k === 0) return 0
    return k === 32 ? this.mt.nextUint32() : this.mt.nextUint32() >>> (32 - k)
  }

  /**
   * `_randbelow(n)`: k = bit length of n (not of n - 1), then redraw `getrandbits(k)` until it is
   * below n. So n = 1 still reads at least one word, and a power of two rejects half the draws.
   */
  randbelow(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n >= TWO_POW_32) {
      throw new RangeError(`randbelow needs an integer n in [1, 2^32), got ${n}`)
    }
    const k = 32 - Math.clz32(n)
    let r = this.getrandbits(k)
    while (r >= n) r = this.getrandbits(k)
    return r
  }

  /** `randint(a, b)` = a + _randbelow(b - a + 1), both ends included. */
  randint(a: number, b: number): number {
    if (b < a) throw new RangeError(`randint needs a <= b, got (${a}, ${b})`)
    return a + this.randbelow(b - a + 1)
  }

  /** `random()`: a 53-bit float from two words, (w1 >>> 5) * 2^26 + (w2 >>> 6), over 2^53 (exact). */
  random(): number {
    const a = this.mt.nextUint32() >>> 5
    const b = this.mt.nextUint32() >>> 6
    return (a * 67108864 + b) / 9007199254740992
  }

  /** `choice(seq)` = seq[_randbelow(len(seq))]; a one-element sequence still draws. */
  choice<T>(seq: readonly T[]): T {
    if (seq.length === 0) throw new RangeError('choice from an empty sequence (CPython raises IndexError)')
    return seq[this.randbelow(seq.length)]
  }

  /** `shuffle(x)` in place: for i = len - 1 down to 1, swap x[i] with x[_randbelow(i + 1)]. */
  shuffle<T>(x: T[]): T[] {
    for (let i = x.length - 1; i > 0; i--) {
      const j = this.randbelow(i + 1)
      const t = x[i]
      x[i] = x[j]
      x[j] = t
    }
    return x
  }

  /**
   * `sample(population, 1)[0]` for a population of at most 21 items (CPython's pool branch): one
   * `_randbelow(len)`, the same draws as `choice`.
   */
  sampleOne<T>(population: readonly T[]): T {
    if (population.length === 0) {
      throw new RangeError('sample larger than population (CPython raises ValueError)')
    }
    if (population.length > 21) {
      throw new RangeError(`sampleOne reproduces only the pool branch (<= 21 items), got ${population.length}`)
    }
    return population[this.randbelow(population.length)]
  }
}
