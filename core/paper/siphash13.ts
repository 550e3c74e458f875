/**
 * @module core/paper/siphash13
 * CPython's `hash(str)` on CPython >= 3.11 with `PYTHONHASHSEED=0`, and the retry seed the paper's
 * Sokoban env derives from it. Source: `Python/pyhash.c` (`siphash13`, `_Py_HashBytes`) and
 * `Objects/unicodeobject.c` (`unicode_hash`).
 *
 * When level generation fails, the reference retries with `abs(hash(str(seed))) % 2**32`. The str
 * hash is SipHash-1-3 (since 3.11; SipHash-2-4 before) keyed by a per-process secret, which is all
 * zero bytes under `PYTHONHASHSEED=0`. Only under that setting is the retry chain reproducible.
 * Speed is irrelevant here (a handful of calls), so the 64-bit lanes are BigInts.
 */

const MASK64 = (1n << 64n) - 1n

function rotl64(x: bigint, b: bigint): bigint {
  return ((x << b) | (x >> (64n - b))) & MASK64
}

/** SipHash-1-3 of `bytes` keyed by (k0, k1), exactly as CPython's `siphash13` (unsigned 64-bit). */
export function siphash13(bytes: Uint8Array, k0 = 0n, k1 = 0n): bigint {
  let v0 = k0 ^ 0x736f6d6570736575n
  let v1 = k1 ^ 0x646f72616e646f6dn
  let v2 = k0 ^ 0x6c7967656e657261n
  let v3 = k1 ^ 0x7465646279746573n

  const round = (): void => {
    v0 = (v0 + v1) & MASK64
    v2 = (v2 + v3) & MASK64
    v1 = rotl64(v1, 13n) ^ v0
    v3 = rotl64(v3, 16n) ^ v2
    v0 = rotl64(v0, 32n)
    v2 = (v2 + v1) & MASK64
    v0 = (v0 + v3) & MASK64
    v1 = rotl64(v1, 17n) ^ v2
    v3 = rotl64(v3, 21n) ^ v0
    v2 = rotl64(v2, 32n)
  }

  const len = bytes.length
  const whole = len - (len % 8)
  for (let off = 0; off < whole; off += 8) {
    let mi = 0n
    for (let i = 7; i >= 0; i--) mi = (mi << 8n) | BigInt(bytes[off + i])
    v3 ^= mi
    round()
    v0 ^= mi
  }
  let b = (BigInt(len) << 56n) & MASK64
  for (let i = len - 1; i >= whole; i--) b |= BigInt(bytes[i]) << BigInt(8 * (i - whole))

  v3 ^= b
  round()
  v0 ^= b
  v2 ^= 0xffn
  round()
  round()
  round()
  return v0 ^ v1 ^ v2 ^ v3
}

/**
 * The bytes CPython hashes for a str: its compact representation, 1, 2 or 4 bytes per code point
 * (the smallest kind that holds the largest code point), little-endian.
 */
function strBytes(s: string): Uint8Array {
  const points = Array.from(s, (ch) => ch.codePointAt(0) as number)
  const max = points.reduce((m, p) => Math.max(m, p), 0)
  const kind = max <= 0xff ? 1 : max <= 0xffff ? 2 : 4
  const out = new Uint8Array(points.length * kind)
  points.forEach((p, i) => {
    for (let k = 0; k < kind; k++) out[i * kind + k] = (p >>> (8 * k)) & 0xff
  })
  return out
}

/**
 * `hash(s)` for a str on 64-bit CPython >= 3.11 with `PYTHONHASHSEED=0`: SipHash-1-3 with a zero
 * key, read as a signed 64-bit integer; the empty string hashes to 0 and -1 becomes -2.
 */
export function pythonStrHash(s: string): bigint {
  if (s.length === 0) return 0n
  const h = BigInt.asIntN(64, siphash13(strBytes(s)))
  return h === -1n ? -2n : h
}

/**
 * The seed the reference Sokoban env retries with after `seed` failed to generate a level:
 * `abs(hash(str(seed))) % 2**32` (under `PYTHONHASHSEED=0`, CPython >= 3.11).
 */
export function retrySeed(seed: number): number {
  if (!Number.isSafeInteger(seed)) throw new RangeError(`retrySeed needs an integer seed, got ${seed}`)
  const h = pythonStrHash(String(seed))
  return Number((h < 0n ? -h : h) % 4294967296n)
}
