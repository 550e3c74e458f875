// Expected values: parse errors and shapes are hand-derived from the grammar; every float value
// and Python exception comes from CPython 3.11 (test/golden/gp/python-eval-cases.json, made by
// python_eval_golden.py; the nesting limit of 200 was measured on CPython 3.11.7).
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import {
  evaluateExact,
  evaluateFloat,
  literalsOf,
  parseExpression,
  printExpression,
  shapeOf,
} from '../../../core/gp/expression.ts'
import type { Expr, Operator } from '../../../core/gp/expression.ts'
import { pyFloatRepr, pyRepr, ratioToDouble } from '../../../core/gp/python-number.ts'
import { toString as rationalToString } from '../../../core/gp/rational.ts'
import { readRepoText } from '../../harness/repo.ts'

function parse(text: string): Expr {
  const result = parseExpression(text)
  if (!result.ok) throw new Error(`expected ${JSON.stringify(text)} to parse: ${result.error.message}`)
  return result.expr
}

function parseError(text: string) {
  const result = parseExpression(text)
  if (result.ok) throw new Error(`expected ${JSON.stringify(text)} not to parse`)
  return result.error
}

function exact(text: string): string {
  const result = evaluateExact(parse(text))
  return result.ok ? rationalToString(result.value) : result.error.kind
}

describe('parseExpression', () => {
  it('builds a left-associative tree with * and / above + and -', () => {
    expect(shapeOf(parse('(10/2+7)*2'))).toBe('(((10/2)+7)*2)')
    expect(shapeOf(parse('1-2-3'))).toBe('((1-2)-3)')
    expect(shapeOf(parse('8/4/2'))).toBe('((8/4)/2)')
    expect(shapeOf(parse('1+2*3-4/5'))).toBe('((1+(2*3))-(4/5))')
    expect(shapeOf(parse('8/(3-8/3)'))).toBe('(8/(3-(8/3)))')
  })

  it('records source positions of literals and operators', () => {
    const expr = parse('(10 / 2 + 7) * 2')
    expect(expr.kind).toBe('binary')
    if (expr.kind !== 'binary') return
    expect(expr.opOffset).toBe(13)
    expect([expr.start, expr.end]).toEqual([1, 16])
    expect(literalsOf(expr).map((n) => [n.text, n.start, n.end])).toEqual([
      ['10', 1, 3],
      ['2', 6, 7],
      ['7', 10, 11],
      ['2', 15, 16],
    ])
  })

  it('says what it expected, where, and what it found', () => {
    expect(parseError('1+2+*4')).toMatchObject({
      kind: 'unexpected-token',
      offset: 4,
      column: 5,
      found: '"*"',
      message: 'expected a number or "(" at column 5, found "*"',
    })
    expect(parseError('').message).toBe('expected a number or "(" at column 1, found the end of the formula')
    expect(parseError('3*8+').message).toBe('expected a number or "(" at column 5, found the end of the formula')
  })

  it('rejects implicit multiplication, ")(" and a stray ")"', () => {
    expect(parseError('2(3+4)')).toMatchObject({ offset: 1, message: 'expected an operator or the end of the formula at column 2, found "("' })
    expect(parseError('(1+3)(2+4)')).toMatchObject({ offset: 5 })
    expect(parseError('(1+2))').message).toBe('expected an operator or the end of the formula at column 6, found ")" (no "(" is open)')
  })

  it('names the unclosed parenthesis', () => {
    expect(parseError('((10/2+7)*2')).toMatchObject({
      offset: 11,
      message: 'expected an operator or ")" at column 12, found the end of the formula (the "(" at column 1 is not closed)',
    })
  })

  it('rejects leading zeros as CPython does, but accepts 0 and 00', () => {
    expect(parseError('(10/2+7)*02')).toMatchObject({ kind: 'leading-zero', offset: 9, message: 'number "02" at column 10 has a leading zero; write it as 2' })
    expect(parseError('007').kind).toBe('leading-zero')
    expect(exact('00+24')).toBe('24')
    expect(exact('0*5')).toBe('0')
  })

  it('accepts 200 nested parentheses and refuses 201, like CPython 3.11', () => {
    expect(exact('('.repeat(200) + '24' + ')'.repeat(200))).toBe('24')
    expect(parseError('('.repeat(201) + '24' + ')'.repeat(201))).toMatchObject({ kind: 'too-deep', offset: 200 })
    const deeper = parseExpression('('.repeat(300) + '24' + ')'.repeat(300), { maxDepth: 300 })
    expect(deeper.ok).toBe(true)
  })

  it('reports characters outside the grammar with their code point', () => {
    expect(parseError('3×8')).toMatchObject({ kind: 'illegal-character', offset: 1, found: '"×"' })
    expect(parseError('2**3').kind).toBe('unexpected-token')
    expect(parseError('-2+26').offset).toBe(0)
    expect(parseError('1.5*16').kind).toBe('illegal-character')
    expect(parseError('3\t*8').kind).toBe('illegal-character')
  })

  it('skips spaces between tokens; joins digits across spaces only when asked', () => {
    expect(exact(' ( 10 / 2 + 7 ) * 2 ')).toBe('24')
    expect(parseError('1 2*2').message).toBe('expected an operator or the end of the formula at column 3, found "2"')
    const joined = parseExpression('1 2*2', { joinDigitsAcrossSpaces: true })
    expect(joined.ok && literalsOf(joined.expr).map((n) => [n.text, n.start, n.end])).toEqual([
      ['12', 0, 3],
      ['2', 4, 5],
    ])
  })

  it('survives a 100 000-term chain (no recursion on the left spine)', () => {
    const text = Array(100_000).fill('1').join('+')
    expect(exact(text)).toBe('100000')
    expect(printExpression(parse(text))).toBe(text)
  })
})

describe('evaluateExact', () => {
  it('[§11.1] evaluates 8/(3-8/3) to exactly 24', () => {
    expect(exact('8/(3-8/3)')).toBe('24')
    expect(exact('5*5-1/2')).toBe('49/2')
    expect(exact('1-2*3')).toBe('-5')
  })

  it('reports division by zero at the offending "/"', () => {
    const result = evaluateExact(parse('24/(1-1)+3/0'))
    expect(result).toEqual({ ok: false, error: { kind: 'division-by-zero', offset: 2, message: 'division by zero at column 3' } })
  })

  it('reports values beyond the safe-integer range instead of throwing', () => {
    const literal = evaluateExact(parse('99999999999999999*0'))
    expect(literal.ok || literal.error.kind).toBe('out-of-range')
    const product = evaluateExact(parse('10000000*10000000*1000'))
    expect(product.ok || product.error).toMatchObject({ kind: 'out-of-range', offset: 17 })
  })
})

interface EvalCase {
  readonly expression: string
  readonly type?: 'int' | 'float'
  readonly repr?: string
  readonly error?: string
  readonly message?: string
}

describe('evaluateFloat (CPython eval semantics)', () => {
  const cases = JSON.parse(readRepoText('test/golden/gp/python-eval-cases.json')) as EvalCase[]

  it(`matches CPython 3.11 on ${cases.length} golden expressions`, () => {
    for (const c of cases) {
      const result = evaluateFloat(parse(c.expression))
      const got = result.ok
        ? { type: result.value.type, repr: pyRepr(result.value) }
        : { error: result.error.type, message: result.error.message }
      const want = c.error === undefined ? { type: c.type, repr: c.repr } : { error: c.error, message: c.message }
      expect(got, c.expression).toEqual(want)
    }
  })

  it('[§10.21] 8/(3-8/3) is the float 23.99999999999999', () => {
    const result = evaluateFloat(parse('8/(3-8/3)'))
    expect(result.ok && result.value).toEqual({ type: 'float', value: 23.99999999999999 })
  })

  it('locates Python exceptions at their operator', () => {
    const result = evaluateFloat(parse('1+1/(2-2)'))
    expect(result).toEqual({ ok: false, error: { type: 'ZeroDivisionError', message: 'division by zero', offset: 3 } })
  })
})

describe('ratioToDouble', () => {
  it('rounds half to even at the 2^53 boundary', () => {
    // 2^53 + 1 lies halfway between 2^53 and 2^53 + 2: even mantissa wins.
    expect(ratioToDouble(2n ** 53n + 1n, 1n)).toBe(2 ** 53)
    expect(ratioToDouble(2n ** 53n + 3n, 1n)).toBe(2 ** 53 + 4)
    expect(ratioToDouble(-(2n ** 54n + 2n), 2n)).toBe(-(2 ** 53))
  })

  it('agrees with IEEE division whenever both operands are exact doubles', () => {
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 40), max: 2 ** 40 }), fc.integer({ min: 1, max: 2 ** 40 }), (n, d) => {
        const scale = 2n ** 30n
        // Scaling both sides by 2^30 leaves the quotient unchanged but forces the BigInt path.
        expect(ratioToDouble(BigInt(n) * scale, BigInt(d) * scale)).toBe(n / d)
      }),
    )
  })
})

describe('pyFloatRepr', () => {
  it('lays out digits as Python repr does', () => {
    expect(pyFloatRepr(24)).toBe('24.0')
    expect(pyFloatRepr(1e16)).toBe('1e+16')
    expect(pyFloatRepr(1234567890123456)).toBe('1234567890123456.0')
    expect(pyFloatRepr(0.0001)).toBe('0.0001')
    expect(pyFloatRepr(0.00001)).toBe('1e-05')
    expect(pyFloatRepr(-0)).toBe('-0.0')
    expect(pyFloatRepr(5e-324)).toBe('5e-324')
    expect(pyFloatRepr(1.7976931348623157e308)).toBe('1.7976931348623157e+308')
    expect(pyFloatRepr(-Infinity)).toBe('-inf')
  })
})

describe('printExpression', () => {
  it('drops parentheses that cannot change the value, keeps those of - and /', () => {
    expect(printExpression(parse('((10/2)+7)*2'))).toBe('(10/2+7)*2')
    expect(printExpression(parse('1+(2+3)'))).toBe('1+2+3')
    expect(printExpression(parse('1+(2-3)'))).toBe('1+2-3')
    expect(printExpression(parse('2*(3/4)'))).toBe('2*3/4')
    expect(printExpression(parse('1-(2-3)'))).toBe('1-(2-3)')
    expect(printExpression(parse('1-(2+3)'))).toBe('1-(2+3)')
    expect(printExpression(parse('8/(3-8/3)'))).toBe('8/(3-8/3)')
    expect(printExpression(parse('8/(4/2)'))).toBe('8/(4/2)')
    expect(printExpression(parse('8/(4*2)'))).toBe('8/(4*2)')
    expect(printExpression(parse('(1*2)+(3*4)'))).toBe('1*2+3*4')
  })

  it('keeps the tree shape when asked, and spaces operators when asked', () => {
    expect(printExpression(parse('1+(2+3)'), { keepShape: true })).toBe('1+(2+3)')
    expect(printExpression(parse('(1+2)+3'), { keepShape: true })).toBe('1+2+3')
    expect(printExpression(parse('(10/2+7)*2'), { spaces: true })).toBe('(10 / 2 + 7) * 2')
  })
})

// Random trees over small literals, for the round-trip properties.
const operatorArb = fc.constantFrom<Operator>('+', '-', '*', '/')
const treeArb: fc.Arbitrary<Expr> = fc.letrec<{ tree: Expr }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.integer({ min: 0, max: 13 }).map((v): Expr => ({ kind: 'number', text: String(v), value: v, start: 0, end: 0 })),
    fc.tuple(operatorArb, tie('tree'), tie('tree')).map(([op, left, right]): Expr => ({
      kind: 'binary',
      op,
      left,
      right,
      opOffset: 0,
      start: 0,
      end: 0,
    })),
  ),
})).tree

function exactOf(expr: Expr): string {
  const result = evaluateExact(expr)
  return result.ok ? rationalToString(result.value) : result.error.kind
}

describe('round trips (property tests)', () => {
  it('printed with keepShape, a tree parses back to the same shape and value', () => {
    fc.assert(
      fc.property(treeArb, (tree) => {
        const back = parse(printExpression(tree, { keepShape: true }))
        expect(shapeOf(back)).toBe(shapeOf(tree))
        expect(exactOf(back)).toBe(exactOf(tree))
      }),
      { numRuns: 500 },
    )
  })

  it('printed minimally, a tree parses back to the same exact value (or the same division by zero)', () => {
    fc.assert(
      fc.property(treeArb, (tree) => {
        const text = printExpression(tree)
        const back = parse(text)
        expect(exactOf(back)).toBe(exactOf(tree))
        expect(printExpression(back)).toBe(text)
        expect(text.length).toBeLessThanOrEqual(printExpression(tree, { keepShape: true }).length)
      }),
      { numRuns: 500 },
    )
  })

  it('spaced output parses back to the same shape', () => {
    fc.assert(
      fc.property(treeArb, (tree) => {
        expect(shapeOf(parse(printExpression(tree, { spaces: true, keepShape: true })))).toBe(shapeOf(tree))
      }),
      { numRuns: 200 },
    )
  })
})
