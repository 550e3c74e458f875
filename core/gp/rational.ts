/**
 * @module core/gp/rational
 * Exact rational numbers for the General Points (24-game) task. The paper's verifier compares
 * floats (`eval(...) == 24`), which rejects correct fraction-only answers such as `8/(3-8/3)`;
 * sftbench always decides with exact rationals.
 *
 * A `Rational` is a plain `{ num, den }` pair of safe integers, always normalised: `den > 0`,
 * `gcd(|num|, den) = 1`, and zero is `0/1`. Two equal rationals therefore have identical fields,
 * so `equals` is a field comparison.
 *
 * Overflow: every operation first works in doubles; when an intermediate product leaves the
 * safe-integer range it redoes the exact computation with BigInt, and returns the normalised
 * result if that fits in safe integers. Only a result whose reduced numerator or denominator
 * itself exceeds 2^53 - 1 throws a `RangeError` (24-game values never come near it).
 *
 * Division by zero returns `null` rather than throwing: in the 24 game a division by zero is an
 * ordinary dead end of the search, not an error.
 */

/** An exact rational number, normalised (den > 0, gcd(|num|, den) = 1, zero is 0/1). */
export interface Rational {
  readonly num: number
  readonly den: number
}

/** The greatest common divisor of two safe integers, always >= 0 (gcd(0, 0) = 0). */
export function gcd(a: number, b: number): number {
  a = a < 0 ? -a : a
  b = b < 0 ? -b : b
  while (b !== 0) {
    const t = a % b
    a = b
    b = t
  }
  return a
}

/** The greatest common divisor of two BigInts, always >= 0. */
export function bigGcd(a: bigint, b: bigint): bigint {
  if (a < 0n) a = -a
  if (b < 0n) b = -b
  while (b !== 0n) {
    const t = a % b
    a = b
    b = t
  }
  return a
}

const MAX = Number.MAX_SAFE_INTEGER

function checkInteger(value: number, what: string): void {
  if (!Number.isSafeInteger(value)) {
    throw new RangeError(`${what} must be a safe integer, got ${value}`)
  }
}

/** Builds a normalised rational from BigInt parts, or throws when it does not fit in safe integers. */
function fromBig(num: bigint, den: bigint): Rational {
  if (den < 0n) {
    num = -num
    den = -den
  }
  const g = bigGcd(num, den)
  if (g > 1n) {
    num /= g
    den /= g
  }
  const big = BigInt(MAX)
  if (num > big || num < -big || den > big) {
    throw new RangeError(
      `rational result ${num}/${den} exceeds the safe-integer range (±${MAX}); use smaller values or targets`,
    )
  }
  return { num: Number(num), den: Number(den) }
}

/** Normalises num/den given as safe integers (den must be non-zero). */
function normalised(num: number, den: number): Rational {
  if (den < 0) {
    num = -num
    den = -den
  }
  if (num === 0) return ZERO
  const g = gcd(num, den)
  return g === 1 ? { num, den } : { num: num / g, den: den / g }
}

function isSafe(x: number): boolean {
  return x <= MAX && x >= -MAX
}

/** Zero, as 0/1. */
export const ZERO: Rational = Object.freeze({ num: 0, den: 1 })
/** One, as 1/1. */
export const ONE: Rational = Object.freeze({ num: 1, den: 1 })

/** The rational `n/1`. Throws a `RangeError` if `n` is not a safe integer. */
export function fromInt(n: number): Rational {
  checkInteger(n, 'integer')
  return n === 0 ? ZERO : { num: n, den: 1 }
}

/**
 * The normalised rational `num/den`. Throws a `RangeError` if either part is not a safe integer
 * or `den` is zero.
 */
export function rational(num: number, den = 1): Rational {
  checkInteger(num, 'numerator')
  checkInteger(den, 'denominator')
  if (den === 0) throw new RangeError(`denominator must be non-zero (got ${num}/0)`)
  return normalised(num, den)
}

/** a + b, exactly. */
export function add(a: Rational, b: Rational): Rational {
  if (a.den === 1 && b.den === 1) {
    const s = a.num + b.num
    if (isSafe(s)) return s === 0 ? ZERO : { num: s, den: 1 }
    return fromBig(BigInt(a.num) + BigInt(b.num), 1n)
  }
  const n1 = a.num * b.den
  const n2 = b.num * a.den
  const d = a.den * b.den
  const n = n1 + n2
  if (isSafe(n1) && isSafe(n2) && isSafe(d) && isSafe(n)) return normalised(n, d)
  return fromBig(BigInt(a.num) * BigInt(b.den) + BigInt(b.num) * BigInt(a.den), BigInt(a.den) * BigInt(b.den))
}

/** a - b, exactly. */
export function sub(a: Rational, b: Rational): Rational {
  return add(a, neg(b))
}

/** a * b, exactly. */
export function mul(a: Rational, b: Rational): Rational {
  const n = a.num * b.num
  const d = a.den * b.den
  if (isSafe(n) && isSafe(d)) return n === 0 ? ZERO : normalised(n, d)
  return fromBig(BigInt(a.num) * BigInt(b.num), BigInt(a.den) * BigInt(b.den))
}

/** a / b, exactly; `null` when b is zero (a dead end for the 24 game, not an error). */
export function div(a: Rational, b: Rational): Rational | null {
  if (b.num === 0) return null
  const n = a.num * b.den
  const d = a.den * b.num
  if (isSafe(n) && isSafe(d)) return n === 0 ? ZERO : normalised(n, d)
  return fromBig(BigInt(a.num) * BigInt(b.den), BigInt(a.den) * BigInt(b.num))
}

/** -a. */
export function neg(a: Rational): Rational {
  return a.num === 0 ? ZERO : { num: -a.num, den: a.den }
}

/** True when a and b are the same number. */
export function equals(a: Rational, b: Rational): boolean {
  return a.num === b.num && a.den === b.den
}

/** Negative, zero or positive as a < b, a = b, a > b (a comparator for `Array.sort`). */
export function compare(a: Rational, b: Rational): number {
  const l = a.num * b.den
  const r = b.num * a.den
  if (isSafe(l) && isSafe(r)) return l < r ? -1 : l > r ? 1 : 0
  const bl = BigInt(a.num) * BigInt(b.den)
  const br = BigInt(b.num) * BigInt(a.den)
  return bl < br ? -1 : bl > br ? 1 : 0
}

/** True when a is an integer. */
export function isInteger(a: Rational): boolean {
  return a.den === 1
}

/** The nearest double (for display and plotting only; never for deciding equality). */
export function toNumber(a: Rational): number {
  return a.num / a.den
}

/** `7/3`, `-2`, `0`: the integer alone when den is 1, else `num/den` with the sign on num. */
export function toString(a: Rational): string {
  return a.den === 1 ? String(a.num) : `${a.num}/${a.den}`
}

/**
 * Parses `toString`'s output back: an optional sign, digits, and optionally `/digits`
 * (`-7/3`, `24`). Returns `null` for anything else or a zero denominator.
 */
export function parseRational(text: string): Rational | null {
  const m = /^\s*([+-]?\d+)(?:\s*\/\s*(\d+))?\s*$/.exec(text)
  if (m === null) return null
  const num = Number(m[1])
  const den = m[2] === undefined ? 1 : Number(m[2])
  if (!Number.isSafeInteger(num) || !Number.isSafeInteger(den) || den === 0) return null
  return normalised(num, den)
}
