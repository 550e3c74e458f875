// Exact rationals: normalisation, field laws (property tests against BigInt cross-multiplication),
// printing, division by zero and the safe-integer boundary.
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import {
  ONE, ZERO, add, compare, div, equals, fromInt, gcd, isInteger, mul, neg, parseRational, rational, sub, toNumber,
  toString, type Rational,
} from '../../../core/gp/rational.ts'

// Small enough that products of three stay exact; the safe-integer edge has its own tests below.
const smallInt = fc.integer({ min: -5000, max: 5000 })
const positive = fc.integer({ min: 1, max: 5000 })
const arbRational = fc.tuple(smallInt, positive).map(([n, d]) => rational(n, d))
const nonZero = arbRational.filter((r) => r.num !== 0)

function isNormalised(r: Rational): boolean {
  return r.den > 0 && Number.isSafeInteger(r.num) && Number.isSafeInteger(r.den) && gcd(r.num, r.den) === 1
}

/** a/b = c/d exactly, checked in BigInt so the check itself cannot round. */
function sameValue(a: Rational, num: bigint, den: bigint): boolean {
  return BigInt(a.num) * den === num * BigInt(a.den)
}

describe('rational: construction and printing', () => {
  it('normalises sign and common factors', () => {
    expect(rational(4, -6)).toEqual({ num: -2, den: 3 })
    expect(rational(-4, -6)).toEqual({ num: 2, den: 3 })
    expect(rational(0, -7)).toEqual({ num: 0, den: 1 })
    expect(rational(12, 4)).toEqual({ num: 3, den: 1 })
  })

  it('prints "7/3", "-2", "0" and "-1/2"', () => {
    expect(toString(rational(7, 3))).toBe('7/3')
    expect(toString(fromInt(-2))).toBe('-2')
    expect(toString(ZERO)).toBe('0')
    expect(toString(rational(1, -2))).toBe('-1/2')
  })

  it('parses what it prints, and rejects other text', () => {
    fc.assert(fc.property(arbRational, (r) => {
      expect(parseRational(toString(r))).toEqual(r)
    }))
    expect(parseRational('6/4')).toEqual({ num: 3, den: 2 })
    for (const bad of ['', '1/0', '1.5', '2/-3', 'x', '1//2']) expect(parseRational(bad), bad).toBeNull()
  })

  it('rejects a zero denominator and non-integers with a RangeError', () => {
    expect(() => rational(1, 0)).toThrow(/denominator must be non-zero/)
    expect(() => rational(1.5, 2)).toThrow(/numerator must be a safe integer/)
    expect(() => fromInt(2 ** 60)).toThrow(RangeError)
  })

  it('knows integers and gives a double for display', () => {
    expect(isInteger(rational(8, 4))).toBe(true)
    expect(isInteger(rational(8, 3))).toBe(false)
    expect(toNumber(rational(1, 4))).toBe(0.25)
  })
})

describe('rational: field laws (property tests)', () => {
  it('every result is normalised and equals the exact BigInt value', () => {
    fc.assert(fc.property(arbRational, arbRational, (a, b) => {
      const an = BigInt(a.num), ad = BigInt(a.den), bn = BigInt(b.num), bd = BigInt(b.den)
      const s = add(a, b), d = sub(a, b), p = mul(a, b)
      for (const r of [s, d, p]) expect(isNormalised(r)).toBe(true)
      expect(sameValue(s, an * bd + bn * ad, ad * bd)).toBe(true)
      expect(sameValue(d, an * bd - bn * ad, ad * bd)).toBe(true)
      expect(sameValue(p, an * bn, ad * bd)).toBe(true)
      if (b.num !== 0) {
        const q = div(a, b) as Rational
        expect(isNormalised(q)).toBe(true)
        expect(sameValue(q, an * bd, ad * bn)).toBe(true)
      }
    }))
  })

  it('+ and * are commutative and associative, and * distributes over +', () => {
    fc.assert(fc.property(arbRational, arbRational, arbRational, (a, b, c) => {
      expect(add(a, b)).toEqual(add(b, a))
      expect(mul(a, b)).toEqual(mul(b, a))
      expect(add(add(a, b), c)).toEqual(add(a, add(b, c)))
      expect(mul(mul(a, b), c)).toEqual(mul(a, mul(b, c)))
      expect(mul(a, add(b, c))).toEqual(add(mul(a, b), mul(a, c)))
    }))
  })

  it('has identities and inverses', () => {
    fc.assert(fc.property(arbRational, nonZero, (a, b) => {
      expect(add(a, ZERO)).toEqual(a)
      expect(mul(a, ONE)).toEqual(a)
      expect(add(a, neg(a))).toEqual(ZERO)
      expect(sub(a, a)).toEqual(ZERO)
      expect(mul(b, div(ONE, b) as Rational)).toEqual(ONE)
      expect(mul(div(a, b) as Rational, b)).toEqual(a)
    }))
  })

  it('equals and compare agree with the exact order', () => {
    fc.assert(fc.property(arbRational, arbRational, (a, b) => {
      const exact = BigInt(a.num) * BigInt(b.den) - BigInt(b.num) * BigInt(a.den)
      expect(Math.sign(compare(a, b))).toBe(exact === 0n ? 0 : exact < 0n ? -1 : 1)
      expect(equals(a, b)).toBe(exact === 0n)
    }))
  })
})

describe('rational: division by zero and overflow', () => {
  it('returns null for division by zero', () => {
    expect(div(ONE, ZERO)).toBeNull()
    expect(div(ZERO, ZERO)).toBeNull()
  })

  it('stays exact when an intermediate product leaves the safe range but the result fits', () => {
    const big = rational(2 ** 52, 3)
    expect(mul(big, rational(3, 2 ** 52))).toEqual(ONE)
    expect(add(big, rational(-(2 ** 52), 3))).toEqual(ZERO)
    expect(div(big, big)).toEqual(ONE)
    expect(compare(rational(2 ** 52 + 1, 3), rational(2 ** 52, 3))).toBe(1)
    expect(sub(rational(2 ** 40 + 1, 2 ** 13), rational(1, 2 ** 13))).toEqual(fromInt(2 ** 27))
  })

  it('throws a RangeError naming the limit when the result itself does not fit', () => {
    const max = fromInt(Number.MAX_SAFE_INTEGER)
    expect(() => add(max, ONE)).toThrow(/exceeds the safe-integer range/)
    expect(() => mul(max, fromInt(2))).toThrow(RangeError)
    expect(() => mul(rational(1, 2 ** 30), rational(1, 2 ** 30))).toThrow(RangeError)
  })
})
