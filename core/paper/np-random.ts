/**
 * @module core/paper/np-random
 * numpy's legacy global `RandomState` (`np.random.seed`, `np.random.randint`), reduced to what the
 * paper's Sokoban generator uses. Sources: `numpy/random/_mt19937.pyx` (`_legacy_seeding`),
 * `numpy/random/mtrand.pyx` (`RandomState.randint`, which always uses the masked method) and
 * `numpy/random/src/distributions/distributions.c` (`random_bounded_uint64_fill`).
 *
 * Unlike CPython, an integer seed goes straight to `init_genrand` and bounded integers come from
 * the LOW bits of a word, so the same seed gives a different stream than `random.seed`.
 */
import { Mt19937 } from './mt19937.ts'

/** The numpy legacy global generator after `np.random.seed(seed)`. */
export class NpRandomState {
  readonly mt: Mt19937

  /** `np.random.seed(seed)` for an integer 0 <= seed <= 2^32 - 1: `init_genrand(seed)`. */
  constructor(seed: number) {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
      throw new RangeError(`np.random.seed needs an integer in [0, 2^32 - 1], got ${seed}`)
    }
    this.mt = Mt19937.fromSeed(seed)
  }

  /**
   * `np.random.randint(n)`: uniform on [0, n - 1] by masked rejection. With rng = n - 1 and mask the
   * smallest 2^k - 1 >= rng, redraw `word & mask` until it is <= rng; n = 1 draws nothing.
   */
  randint(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > 0x100000000) {
      throw new RangeError(
        `randint(n) needs an integer n in [1, 2^32] (numpy raises ValueError for high <= low), got ${n}`,
      )
    }
    const rng = n - 1
    if (rng === 0) return 0
    if (rng === 0xffffffff) return this.mt.nextUint32()
    const mask = 0xffffffff >>> Math.clz32(rng)
    let v = (this.mt.nextUint32() & mask) >>> 0
    while (v > rng) v = (this.mt.nextUint32() & mask) >>> 0
    return v
  }
}
