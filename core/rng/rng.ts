/**
 * @module core/rng
 * The only source of randomness in core/. Every random choice in sftbench draws from an `Rng`
 * built from an explicit seed, so the same seed gives the same levels, hands, prompts and samples
 * on every machine.
 *
 * The generator is xoshiro128** 1.1 (Blackman and Vigna), which needs only 32-bit integer
 * operations and is therefore fast and exact in JavaScript. Streams are keyed by a *path* of
 * integers and strings (`rngFor(seed, 'sokoban', i)`), hashed into the 128-bit state, so item
 * *i* of any generator depends only on (seed, i) and never on how many items came before.
 */

/** A seeded stream of random numbers. */
export interface Rng {
  /** The next raw 32-bit output, as an unsigned integer. */
  nextUint32(): number
  /** A uniform float in [0, 1) with 53 random bits. */
  nextFloat(): number
  /** A uniform integer in [0, n), without modulo bias. `n` must be in [1, 2^32]. */
  below(n: number): number
  /** A uniform integer in [lo, hi], both ends included. */
  intBetween(lo: number, hi: number): number
  /** True with probability `p`. */
  chance(p: number): boolean
  /** A uniformly chosen element. Throws on an empty array. */
  pick<T>(items: readonly T[]): T
  /** Shuffles `items` in place (Fisher-Yates) and returns it. */
  shuffle<T>(items: T[]): T[]
  /** An independent child stream keyed by `path`, leaving this stream's position unchanged. */
  fork(...path: SeedPart[]): Rng
}

/** One element of a seed path: a safe integer or a string. */
export type SeedPart = number | string

const TWO_POW_32 = 4294967296

/** MurmurHash3's 32-bit finaliser: a bijective avalanche mix. */
function fmix32(h: number): number {
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

// Per-lane constants (odd, from the fractional digits of sqrt(2), sqrt(3), sqrt(5), sqrt(7)) so
// the four state words are hashed independently and a collision needs all four to collide.
const LANE_SEEDS = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a]

/** Splits a seed path into 32-bit words, with a type tag and a length so paths never alias. */
function pathWords(path: readonly SeedPart[]): number[] {
  const words: number[] = [path.length]
  for (const part of path) {
    if (typeof part === 'number') {
      if (!Number.isSafeInteger(part)) {
        throw new RangeError(
          `Seed parts must be safe integers or strings; got ${part}. Round the seed or pass it as a string.`,
        )
      }
      const negative = part < 0 ? 1 : 0
      const magnitude = Math.abs(part)
      words.push(1 + negative, magnitude % TWO_POW_32, Math.floor(magnitude / TWO_POW_32))
    } else {
      words.push(3, part.length)
      for (let i = 0; i < part.length; i++) words.push(part.charCodeAt(i))
    }
  }
  return words
}

/** Hashes a seed path into a non-zero 128-bit xoshiro state. */
function stateFromPath(path: readonly SeedPart[]): Uint32Array {
  const words = pathWords(path)
  const state = new Uint32Array(4)
  for (let lane = 0; lane < 4; lane++) {
    let h = LANE_SEEDS[lane]
    for (const w of words) {
      h = fmix32((h ^ w) >>> 0)
      h = (Math.imul(h, 0x9e3779b1) + lane + 1) >>> 0
    }
    state[lane] = fmix32(h)
  }
  // xoshiro's state must not be all zero; the hash makes that astronomically unlikely.
  if ((state[0] | state[1] | state[2] | state[3]) === 0) state[0] = 1
  return state
}

/**
 * xoshiro128** over an explicit 128-bit state. The state words are kept as signed 32-bit integers,
 * which V8 holds unboxed; unsigned words above 2^31 would be heap numbers, several times slower per
 * draw. Outputs are converted to unsigned only where they leave the generator.
 */
export class Xoshiro128 implements Rng {
  private s0: number
  private s1: number
  private s2: number
  private s3: number

  /** Builds a generator from a raw state; most callers want `rngFor` instead. */
  constructor(state: ArrayLike<number>) {
    if (state.length !== 4) throw new RangeError('xoshiro128** needs exactly four 32-bit state words.')
    this.s0 = state[0] | 0
    this.s1 = state[1] | 0
    this.s2 = state[2] | 0
    this.s3 = state[3] | 0
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) throw new RangeError('xoshiro128** state must not be all zero.')
  }

  nextUint32(): number {
    const s1 = this.s1
    const m = Math.imul(s1, 5)
    const result = Math.imul((m << 7) | (m >>> 25), 9) >>> 0
    const t = s1 << 9
    this.s2 ^= this.s0
    this.s3 ^= s1
    this.s1 ^= this.s2
    this.s0 ^= this.s3
    this.s2 ^= t
    const s3 = this.s3
    this.s3 = (s3 << 11) | (s3 >>> 21)
    return result
  }

  nextFloat(): number {
    const hi = this.nextUint32() >>> 5 // 27 bits
    const lo = this.nextUint32() >>> 6 // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992
  }

  below(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > TWO_POW_32) {
      throw new RangeError(`below(n) needs an integer n in [1, 2^32]; got ${n}.`)
    }
    // Rejection sampling: accept only values under the largest multiple of n, so every
    // residue is equally likely.
    const limit = TWO_POW_32 - (TWO_POW_32 % n)
    for (;;) {
      const x = this.nextUint32()
      if (x < limit) return x % n
    }
  }

  intBetween(lo: number, hi: number): number {
    if (!Number.isInteger(lo) || !Number.isInteger(hi) || hi < lo) {
      throw new RangeError(`intBetween needs integers lo <= hi; got ${lo}, ${hi}.`)
    }
    return lo + this.below(hi - lo + 1)
  }

  chance(p: number): boolean {
    return this.nextFloat() < p
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick() needs a non-empty array.')
    return items[this.below(items.length)]
  }

  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.below(i + 1)
      const tmp = items[i]
      items[i] = items[j]
      items[j] = tmp
    }
    return items
  }

  fork(...path: SeedPart[]): Rng {
    // The child is keyed by this stream's current state plus the path, without advancing it.
    // The words go in unsigned, as the path hash has always seen them.
    return new Xoshiro128(stateFromPath([this.s0 >>> 0, this.s1 >>> 0, this.s2 >>> 0, this.s3 >>> 0, ...path]))
  }
}

/**
 * The stream for a seed path. `rngFor(seed, 'gp', i)` is the stream of item `i`; it is the same
 * on every machine and independent of every other path.
 */
export function rngFor(...path: SeedPart[]): Rng {
  return new Xoshiro128(stateFromPath(path))
}

/**
 * A derived 32-bit seed for a seed path, for APIs that take a plain integer seed (for example a
 * sampling seed per sweep cell).
 */
export function deriveSeed(...path: SeedPart[]): number {
  return stateFromPath(path)[0]
}
