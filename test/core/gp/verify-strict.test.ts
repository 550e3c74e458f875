// Expected reasons, positions and exact values are derived by hand from the rules in
// core/gp/verify-strict.ts and paper-tasks.md §6.4 / §11.1; positions count from 0 in the
// extracted formula.
import { describe, expect, it } from 'vitest'
import { verifyStrict } from '../../../core/gp/verify-strict.ts'

const HAND = { values: [2, 7, 10, 2], target: 24 }

function json(formula: string): string {
  return `{\n"cards": ["2", "7", "Q", "2"],\n "number": [2, 7, 10, 2],\n "formula": ${JSON.stringify(formula)}\n}`
}

describe('verifyStrict: correct answers', () => {
  it('accepts the §6.1 answer and prints it normalised', () => {
    expect(verifyStrict(json('( 10 / 2 + 7 ) * 2 = 24'), HAND)).toMatchObject({
      ok: true,
      reason: 'correct',
      source: 'json',
      value: '24',
      expression: '(10/2+7)*2',
    })
  })

  it('[§11.1] accepts 8/(3-8/3) for 3 3 8 8, which the paper scores -1', () => {
    expect(verifyStrict(json('8/(3-8/3)'), { values: [3, 3, 8, 8], target: 24 })).toMatchObject({ ok: true, value: '24' })
    expect(verifyStrict(json('4/(1-5/6)'), { values: [1, 4, 5, 6], target: 24 })).toMatchObject({ ok: true })
  })

  it('joins digits separated by spaces, as the paper does', () => {
    expect(verifyStrict(json('1 2*2'), { values: [12, 2], target: 24 })).toMatchObject({ ok: true })
  })
})

describe('verifyStrict: extraction', () => {
  it('uses the paper extraction first: the first "formula": "…" wins even when the JSON has another', () => {
    const v = verifyStrict('<think>"formula": "2*7+10" ?</think> {"formula": "(10/2+7)*2"}', HAND)
    expect(v).toMatchObject({ source: 'regex', formula: '2*7+10', reason: 'wrong-numbers', missing: [2], extra: [] })
  })

  it("falls back to 'formula': '…' and \"formula\":\"…\" only when the paper finds nothing", () => {
    expect(verifyStrict("{'cards': ['2', '7', 'Q', '2'], 'formula': '(10/2+7)*2'}", HAND)).toMatchObject({
      ok: true,
      source: 'lenient',
      formula: '(10/2+7)*2',
    })
    expect(verifyStrict('Answer: {"formula":"(10/2+7)*2",}', HAND)).toMatchObject({ ok: true, source: 'lenient' })
    expect(verifyStrict('"formula" : \'(10/2+7)*2\'', HAND)).toMatchObject({ ok: true, source: 'lenient' })
  })

  it('paperExtraction turns the fallback off', () => {
    expect(verifyStrict('{"formula":"(10/2+7)*2"} x', HAND, { paperExtraction: true })).toMatchObject({
      ok: false,
      reason: 'no-formula',
      source: 'none',
      formula: null,
    })
  })

  it('no-formula for a response without one, and for a non-string JSON formula', () => {
    expect(verifyStrict('I cannot solve this.', HAND)).toMatchObject({ reason: 'no-formula', source: 'none' })
    expect(verifyStrict('{"formula": 24}', HAND)).toMatchObject({
      reason: 'no-formula',
      source: 'json',
      detail: 'the JSON "formula" is 24, not a string',
    })
  })
})

describe('verifyStrict: illegal tokens, with positions', () => {
  it('reports the first character outside the alphabet', () => {
    expect(verifyStrict(json('(10/2+7)×2'), HAND)).toMatchObject({ reason: 'illegal-token', position: 8, found: '×' })
    expect(verifyStrict(json('(Q/2+7)*2'), HAND)).toMatchObject({ reason: 'illegal-token', position: 1, found: 'Q' })
    expect(verifyStrict(json('(10/2+7)*2.0'), HAND)).toMatchObject({ reason: 'illegal-token', position: 10, found: '.' })
    expect(verifyStrict(json('(10/2+7)\t*2'), HAND)).toMatchObject({ reason: 'illegal-token', position: 8 })
  })

  it('refuses Unicode digits (the paper reads them, then fails eval)', () => {
    expect(verifyStrict(json('(10/2+7)*２'), HAND)).toMatchObject({ reason: 'illegal-token', position: 9, found: '２' })
  })

  it('ignores text after the first "=", as the paper does', () => {
    expect(verifyStrict(json('(10/2+7)*2 = 24 (yes!)'), HAND)).toMatchObject({ ok: true })
  })
})

describe('verifyStrict: common notations', () => {
  const options = { acceptCommonNotations: true }

  it('reads ×, ÷ and U+2212 as * / -', () => {
    expect(verifyStrict(json('(10÷2+7)×2'), HAND, options)).toMatchObject({ ok: true, expression: '(10/2+7)*2' })
    expect(verifyStrict(json('(2+7\u22122)*10/2-11'), { values: [2, 7, 2, 10, 2, 11], target: 24 }, options)).toMatchObject({ ok: true })
  })

  it('reads x and X between operands only', () => {
    expect(verifyStrict(json('(10/2+7) x 2'), HAND, options)).toMatchObject({ ok: true })
    expect(verifyStrict(json('3X8'), { values: [3, 8], target: 24 }, options)).toMatchObject({ ok: true })
    expect(verifyStrict(json('x3*8'), { values: [3, 8], target: 24 }, options)).toMatchObject({ reason: 'illegal-token', position: 0, found: 'x' })
  })

  it('without the option, the message points at the option', () => {
    expect(verifyStrict(json('3×8'), { values: [3, 8], target: 24 }).detail).toBe(
      'character "×" at column 2 is not allowed: use digits, + - * / and parentheses (acceptCommonNotations reads it as an operator)',
    )
  })
})

describe('verifyStrict: syntax, with positions', () => {
  it('explains what was expected', () => {
    expect(verifyStrict(json('(10/2+7)**2'), HAND)).toMatchObject({
      reason: 'syntax',
      position: 9,
      detail: 'expected a number or "(" at column 10, found "*"',
    })
    expect(verifyStrict(json('2(10/2+7)'), HAND)).toMatchObject({ reason: 'syntax', position: 1 })
    expect(verifyStrict(json('-2+26'), { values: [2, 26], target: 24 })).toMatchObject({ reason: 'syntax', position: 0 })
    expect(verifyStrict(json('((10/2+7)*2'), HAND)).toMatchObject({ reason: 'syntax', position: 11 })
    expect(verifyStrict(json('(10/2+7)*02'), HAND)).toMatchObject({ reason: 'syntax', position: 9, error: { kind: 'leading-zero' } })
  })

  it('positions count in the extracted formula, spaces included', () => {
    expect(verifyStrict(json('( 10 / 2 + 7 ) * * 2'), HAND)).toMatchObject({ reason: 'syntax', position: 17 })
  })

  it('an empty formula is a syntax error at column 1', () => {
    expect(verifyStrict(json(''), HAND)).toMatchObject({ reason: 'syntax', position: 0 })
  })
})

describe('verifyStrict: wrong numbers', () => {
  it('lists the missing card values and the extra literals', () => {
    expect(verifyStrict(json('(10/2+7)*7'), HAND)).toMatchObject({ reason: 'wrong-numbers', missing: [2], extra: [7] })
    expect(verifyStrict(json('(10/2+7)*2*2'), HAND)).toMatchObject({ reason: 'wrong-numbers', missing: [], extra: [2] })
    expect(verifyStrict(json('12*2'), HAND)).toMatchObject({ reason: 'wrong-numbers', missing: [2, 7, 10], extra: [12] })
  })

  it('environments.md §11: 5*5-1/2 is rejected for cards it does not use', () => {
    expect(verifyStrict(json('5*5-1/2'), HAND)).toMatchObject({ reason: 'wrong-numbers', missing: [2, 7, 10], extra: [1, 5, 5] })
  })

  it('environments.md §11: with the cards 1 2 5 5, 5*5-1/2 is exactly 49/2, not 24', () => {
    expect(verifyStrict(json('5*5-1/2'), { values: [1, 2, 5, 5], target: 24 })).toMatchObject({ reason: 'wrong-value', value: '49/2' })
  })
})

describe('verifyStrict: exact value', () => {
  it('reports a wrong value as an exact rational', () => {
    expect(verifyStrict(json('10/2+7*2'), HAND)).toMatchObject({ reason: 'wrong-value', value: '19' })
    expect(verifyStrict(json('8/3+3-8'), { values: [3, 3, 8, 8], target: 24 }).ok).toBe(false)
    expect(verifyStrict(json('8/3*8/3'), { values: [3, 3, 8, 8], target: 24 })).toMatchObject({ value: '64/9' })
  })

  it('reports division by zero at its "/"', () => {
    expect(verifyStrict(json('10*7/(2-2)'), HAND)).toMatchObject({ reason: 'division-by-zero', position: 4 })
  })

  it('reports out-of-range for values beyond the exact range', () => {
    const big = 2 ** 40
    expect(verifyStrict(json(`${big}*${big}`), { values: [big, big], target: 24 })).toMatchObject({ reason: 'out-of-range', position: 13 })
  })

  it('refuses an invalid task with a message', () => {
    expect(() => verifyStrict('x', { values: [], target: 24 })).toThrow(/values is empty/)
    expect(() => verifyStrict('x', { values: [1], target: 2.5 })).toThrow(/target 2.5/)
  })
})
