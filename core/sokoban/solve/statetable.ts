/**
 * @module core/sokoban/solve/statetable
 * An open-addressing hash set of fixed-width states (player cell and box cells as 16-bit words)
 * that hands out dense indices 0, 1, 2, … in insertion order. The searches keep their per-state
 * data (parent, move, cost) in typed arrays under the same index, so the hot loops allocate no
 * objects and build no string keys.
 */

/** A hash set of `stride`-word states with dense indices. */
export class StateTable {
  readonly stride: number
  /** The words of state `i` are `words[i * stride .. (i + 1) * stride)`. */
  words: Uint16Array
  /** Number of states stored. */
  count = 0
  /** Whether the last `findOrAdd` call added its state. */
  added = false
  private hash1: Int32Array
  private hash2: Int32Array
  private slots: Int32Array
  private mask: number

  constructor(stride: number, initialCapacity = 1024) {
    this.stride = stride
    const capacity = Math.max(16, initialCapacity)
    this.words = new Uint16Array(capacity * stride)
    this.hash1 = new Int32Array(capacity)
    this.hash2 = new Int32Array(capacity)
    this.slots = new Int32Array(nextPowerOfTwo(capacity * 2))
    this.mask = this.slots.length - 1
  }

  /** How many states fit before the arrays grow. */
  get capacity(): number {
    return this.hash1.length
  }

  /**
   * The index of the state in `key[0..stride)`, adding it if new (then `added` is true).
   * `h1` picks the slot and `h2` rejects most mismatches before the words are compared; a
   * state's two hashes must always be computed the same way.
   */
  findOrAdd(key: ArrayLike<number>, h1: number, h2: number): number {
    const { stride, words, hash1, hash2, slots, mask } = this
    let slot = h1 & mask
    for (;;) {
      const entry = slots[slot]
      if (entry === 0) break
      const index = entry - 1
      if (hash1[index] === h1 && hash2[index] === h2) {
        const base = index * stride
        let same = true
        for (let k = 0; k < stride; k++) {
          if (words[base + k] !== key[k]) {
            same = false
            break
          }
        }
        if (same) {
          this.added = false
          return index
        }
      }
      slot = (slot + 1) & mask
    }
    if (this.count === this.capacity) {
      this.grow()
      return this.findOrAdd(key, h1, h2)
    }
    const index = this.count++
    const base = index * stride
    for (let k = 0; k < stride; k++) this.words[base + k] = key[k]
    this.hash1[index] = h1
    this.hash2[index] = h2
    slots[slot] = index + 1
    this.added = true
    if (this.count * 2 > slots.length) this.rehash(slots.length * 2)
    return index
  }

  /** Copies state `index` into `out[0..stride)`. */
  read(index: number, out: Int32Array | Uint16Array): void {
    const base = index * this.stride
    for (let k = 0; k < this.stride; k++) out[k] = this.words[base + k]
  }

  private grow(): void {
    const capacity = this.capacity * 2
    const words = new Uint16Array(capacity * this.stride)
    words.set(this.words)
    this.words = words
    this.hash1 = growInt32(this.hash1, capacity)
    this.hash2 = growInt32(this.hash2, capacity)
  }

  private rehash(size: number): void {
    const slots = new Int32Array(size)
    const mask = size - 1
    for (let index = 0; index < this.count; index++) {
      let slot = this.hash1[index] & mask
      while (slots[slot] !== 0) slot = (slot + 1) & mask
      slots[slot] = index + 1
    }
    this.slots = slots
    this.mask = mask
  }
}

/** A copy of `array` with room for `capacity` elements. */
export function growInt32(array: Int32Array, capacity: number): Int32Array {
  const out = new Int32Array(capacity)
  out.set(array.subarray(0, Math.min(array.length, capacity)))
  return out
}

function nextPowerOfTwo(n: number): number {
  let p = 1
  while (p < n) p *= 2
  return p
}
