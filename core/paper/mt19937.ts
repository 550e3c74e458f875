/**
 * @module core/paper/mt19937
 * The Mersenne Twister MT19937 (Matsumoto and Nishimura), bit for bit as in CPython's
 * `Modules/_randommodule.c` and numpy's `numpy/random/src/mt19937`. The paper's reference code
 * draws every Sokoban eval level and General Points test hand from two MT19937 instances, so
 * reproducing those items exactly needs this generator. sftbench's own randomness uses
 * `core/rng` instead; this module exists only to reproduce the paper's data.
 *
 * All arithmetic is on unsigned 32-bit words: products go through `Math.imul` (a plain `*`
 * would round beyond 2^53) and every result is brought back with `>>> 0`.
 */

const N = 624
const M = 397
const MATRIX_A = 0x9908b0df
const UPPER_MASK = 0x80000000
const LOWER_MASK = 0x7fffffff

/** One MT19937 generator: 624 words of state and a read index. */
export class Mt19937 {
  private readonly mt = new Uint32Array(N)
  private index = N
  /** How many 32-bit outputs have been drawn so far (for draw-by-draw traces and tests). */
  outputs = 0

  private constructor() {}

  /** A generator seeded with `init_genrand(seed)` (numpy's legacy integer seeding). */
  static fromSeed(seed: number): Mt19937 {
    const g = new Mt19937()
    g.initGenrand(seed)
    return g
  }

  /** A generator seeded with `init_by_array(key)` (CPython's `random.seed(int)`). */
  static fromKey(key: readonly number[]): Mt19937 {
    const g = new Mt19937()
    g.initByArray(key)
    return g
  }

  /**
   * `init_genrand(s)`: mt[0] = s, mt[i] = 1812433253 * (mt[i-1] ^ (mt[i-1] >>> 30)) + i. The next
   * output twists first. `seed` must be an integer in [0, 2^32).
   */
  initGenrand(seed: number): void {
    checkWord(seed, 'init_genrand seed')
    const mt = this.mt
    mt[0] = seed
    for (let i = 1; i < N; i++) {
      const prev = mt[i - 1]
      mt[i] = (Math.imul(1812433253, (prev ^ (prev >>> 30)) >>> 0) + i) >>> 0
    }
    this.index = N
    this.outputs = 0
  }

  /** `init_by_array(key)`: the reference's seeding from a list of 32-bit words (at least one). */
  initByArray(key: readonly number[]): void {
    if (key.length === 0) {
      throw new RangeError('init_by_array needs at least one key word; CPython uses [0] for seed 0')
    }
    key.forEach((w, j) => checkWord(w, `init_by_array key[${j}]`))
    this.initGenrand(19650218)
    const mt = this.mt
    let i = 1
    let j = 0
    for (let k = Math.max(N, key.length); k > 0; k--) {
      const prev = mt[i - 1]
      const mixed = (mt[i] ^ Math.imul((prev ^ (prev >>> 30)) >>> 0, 1664525)) >>> 0
      mt[i] = (mixed + key[j] + j) >>> 0
      i++
      j++
      if (i >= N) {
        mt[0] = mt[N - 1]
        i = 1
      }
      if (j >= key.length) j = 0
    }
    for (let k = N - 1; k > 0; k--) {
      const prev = mt[i - 1]
      const mixed = (mt[i] ^ Math.imul((prev ^ (prev >>> 30)) >>> 0, 1566083941)) >>> 0
      mt[i] = (mixed - i) >>> 0
      i++
      if (i >= N) {
        mt[0] = mt[N - 1]
        i = 1
      }
    }
    mt[0] = 0x80000000
    this.index = N
    this.outputs = 0
  }

  /** The next tempered 32-bit output, as an unsigned integer. */
  nextUint32(): number {
    if (this.index >= N) this.twist()
    let y = this.mt[this.index++]
    y ^= y >>> 11
    y ^= (y << 7) & 0x9d2c5680
    y ^= (y << 15) & 0xefc60000
    y ^= y >>> 18
    this.outputs++
    return y >>> 0
  }

  private twist(): void {
    const mt = this.mt
    let kk = 0
    for (; kk < N - M; kk++) {
      const y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK)
      mt[kk] = mt[kk + M] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0)
    }
    for (; kk < N - 1; kk++) {
      const y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK)
      mt[kk] = mt[kk + (M - N)] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0)
    }
    const y = (mt[N - 1] & UPPER_MASK) | (mt[0] & LOWER_MASK)
    mt[N - 1] = mt[M - 1] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0)
    this.index = 0
  }
}

function checkWord(value: number, what: string): void {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
    throw new RangeError(`${what} must be an integer in [0, 2^32 - 1], got ${value}`)
  }
}
