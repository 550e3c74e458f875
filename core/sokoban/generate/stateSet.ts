/**
 * @module core/sokoban/generate/stateSet
 * The visited-state set of the reverse-play search: integer keys below 2^53, no allocation per
 * insertion, and O(1) clearing between attempts.
 *
 * Key spaces up to 2^22 use a direct table indexed by the key (measured faster than hashing even
 * when it is larger than the cache); larger ones an open-addressing hash table with linear
 * probing that doubles when half full. Both mark slots with an epoch stamp instead of clearing,
 * so a fresh search costs one counter increment.
 */

/** Key spaces up to this size use a direct table (4 bytes per possible key; faster than hashing). */
const DIRECT_TABLE_LIMIT = 1 << 22

/** The first size of the hash table; it doubles whenever it gets half full. */
const INITIAL_SLOTS = 1 << 12

const TWO_POW_32 = 4294967296

/** A set of non-negative integer keys below 2^53, reused across searches. */
export class StateSet {
  private stamps = new Uint32Array(INITIAL_SLOTS)
  private keys = new Float64Array(INITIAL_SLOTS)
  private epoch = 0
  private direct = true
  private mask = 0
  private hashSlots = INITIAL_SLOTS
  /** Number of keys added since the last `reset`. */
  size = 0

  /** Empties the set for keys in [0, space). Keys outside [0, space) must not be added. */
  reset(space: number): void {
    this.size = 0
    this.direct = space <= DIRECT_TABLE_LIMIT
    // A hash table starts at the size the previous search ended with: searches of one config
    // are alike, so this saves most of the doubling.
    const slots = this.direct ? space : Math.max(INITIAL_SLOTS, this.hashSlots)
    this.mask = slots - 1
    this.nextEpoch(slots)
  }

  /** Adds `key`; returns false when it was already present. */
  add(key: number): boolean {
    const stamps = this.stamps
    const epoch = this.epoch
    if (this.direct) {
      if (stamps[key] === epoch) return false
      stamps[key] = epoch
      this.size++
      return true
    }
    const keys = this.keys
    const mask = this.mask
    let slot = slotOf(key) & mask
    for (;;) {
      if (stamps[slot] !== epoch) {
        stamps[slot] = epoch
        keys[slot] = key
        if (++this.size * 2 > mask) this.grow()
        return true
      }
      if (keys[slot] === key) return false
      slot = (slot + 1) & mask
    }
  }

  /** Doubles the hash table, re-inserting the live keys. */
  private grow(): void {
    const oldSlots = this.mask + 1
    const live: number[] = []
    for (let i = 0; i < oldSlots; i++) if (this.stamps[i] === this.epoch) live.push(this.keys[i])
    const slots = oldSlots * 2
    this.mask = slots - 1
    this.hashSlots = slots
    this.nextEpoch(slots)
    const { stamps, keys, epoch, mask } = this
    for (const key of live) {
      let slot = slotOf(key) & mask
      while (stamps[slot] === epoch) slot = (slot + 1) & mask
      stamps[slot] = epoch
      keys[slot] = key
    }
  }

  /** Starts a new epoch with at least `slots` slots, so every slot reads as empty. */
  private nextEpoch(slots: number): void {
    if (this.stamps.length < slots) {
      const size = Math.max(slots, this.stamps.length * 2)
      this.stamps = new Uint32Array(size)
      this.keys = new Float64Array(this.direct ? 0 : size)
      this.epoch = 0
    } else if (!this.direct && this.keys.length < slots) {
      this.keys = new Float64Array(this.stamps.length)
    }
    this.epoch++
    if (this.epoch === TWO_POW_32) {
      // After 2^32 - 1 epochs the stamps would repeat; start over with a zeroed table.
      this.stamps.fill(0)
      this.epoch = 1
    }
  }
}

/** MurmurHash3's 32-bit finaliser: a bijective mix that spreads every input bit over the output. */
export function mix32(h: number): number {
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  return (h ^ (h >>> 16)) >>> 0
}

/** The hash of a key below 2^53: its two 32-bit halves folded together, then mixed. */
function slotOf(key: number): number {
  return mix32((key >>> 0) ^ Math.imul(Math.floor(key / TWO_POW_32) | 0, 0x9e3779b1))
}
