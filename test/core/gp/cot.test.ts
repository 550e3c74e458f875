// The answer layout is copied from paper-tasks.md §6.1; "3 3 8 8 is the only solvable 4-card
// multiset the float verifier can never score correct" is §11.1 / environments.md §9. Dead ends
// are re-checked with a small brute-force solver written here, independent of core/gp/solver.ts.
import { describe, expect, it } from 'vitest'
import { gpAnswerJson, gpCot } from '../../../core/gp/cot.ts'
import { add, div, equals, fromInt, mul, parseRational, sub } from '../../../core/gp/rational.ts'
import type { Rational } from '../../../core/gp/rational.ts'
import { isSolvable } from '../../../core/gp/solver.ts'
import { verifyPaper } from '../../../core/gp/verify-paper.ts'
import { verifyStrict } from '../../../core/gp/verify-strict.ts'
import { multisets } from './multisets.ts'

const SPEC_ANSWER = '{\n"cards": ["2", "7", "Q", "2"],\n "number": [2, 7, 10, 2],\n "formula": "(10/2+7)*2"\n}'

/** Exhaustive pair-combination search over rationals (the rules of environments.md §9). */
function canMake(values: Rational[], target: Rational): boolean {
  if (values.length === 1) return equals(values[0], target)
  for (let i = 0; i < values.length; i++) {
    for (let j = 0; j < values.length; j++) {
      if (i === j) continue
      const rest = values.filter((_, k) => k !== i && k !== j)
      const a = values[i]
      const b = values[j]
      const results = [add(a, b), sub(a, b), mul(a, b), div(a, b)]
      for (const r of results) if (r !== null && canMake([...rest, r], target)) return true
    }
  }
  return false
}

function cardOf(value: number): string {
  return value === 1 ? 'A' : String(value)
}

describe('gpCot', () => {
  it('[§6.1] ends in the paper answer JSON, byte for byte', () => {
    const trace = gpCot({ cards: ['2', '7', 'Q', '2'], values: [2, 7, 10, 2], target: 24 })
    expect(trace.endsWith(`\n\n${SPEC_ANSWER}`)).toBe(true)
    expect(gpAnswerJson(['2', '7', 'Q', '2'], [2, 7, 10, 2], '(10/2+7)*2')).toBe(SPEC_ANSWER)
  })

  it('reads as a search: values, dead ends, the winning moves, the formula', () => {
    const trace = gpCot({ cards: ['2', '7', 'Q', '2'], values: [2, 7, 10, 2], target: 24 })
    expect(trace).toBe(
      [
        'Cards: 2, 7, Q, 2. Values: 2 7 10 2 (Q = 10). Target: 24.',
        'Combine two numbers at a time until one number is left, and look for the target.',
        'Try 7 + 2 = 9, left: 9 10 2. 24 cannot be made from 9 10 2; back up.',
        'Try 7 * 2 = 14, left: 14 10 2. 24 cannot be made from 14 10 2; back up.',
        'Try 10 / 2 = 5, left: 5 7 2.',
        '5 + 7 = 12, left: 12 2.',
        '12 * 2 = 24 ✓',
        'So (10/2+7)*2 = 24.',
        '',
        SPEC_ANSWER,
      ].join('\n'),
    )
  })

  it('[§11.1] 3 3 8 8: the only solution is fraction-only; strict accepts, the paper scores -1', () => {
    const trace = gpCot({ cards: ['3', '3', '8', '8'], values: [3, 3, 8, 8], target: 24 })
    expect(trace).toContain('8 / (1/3) = 24 ✓')
    expect(trace).toContain(' "formula": "8/(3-8/3)"\n}')
    expect(verifyStrict(trace, { values: [3, 3, 8, 8], target: 24 })).toMatchObject({ ok: true, source: 'regex' })
    expect(verifyPaper(trace, { displayValues: [3, 3, 8, 8], target: 24 })).toMatchObject({ reward: -1, pythonValue: '23.99999999999999' })
  })

  it('prefers a solution that is exact in floats: 1 4 5 6 gives 6/(5/4-1), not 4/(1-5/6)', () => {
    const trace = gpCot({ cards: ['A', '4', '5', '6'], values: [1, 4, 5, 6], target: 24 })
    expect(trace).toContain('"formula": "6/(5/4-1)"')
    expect(verifyPaper(trace, { displayValues: [1, 4, 5, 6], target: 24 }).reward).toBe(5)
  })

  it('narrates a given solution, and refuses a wrong one or an unsolvable hand', () => {
    const hand = { cards: ['A', '4', '5', '6'], values: [1, 4, 5, 6], target: 24 }
    const trace = gpCot(hand, '4/(1-5/6)')
    expect(trace).toContain('"formula": "4/(1-5/6)"')
    expect(verifyPaper(trace, { displayValues: hand.values, target: 24 }).reward).toBe(-1)
    expect(() => gpCot(hand, '4*6*5/5')).toThrow(/uses 4 5 5 6, but the values are 1 4 5 6/)
    expect(() => gpCot(hand, '4*6*(5-1)')).toThrow(/gives 96, not 24/)
    expect(() => gpCot({ cards: ['A', 'A', 'A', 'A'], values: [1, 1, 1, 1], target: 24 })).toThrow(/cannot make 24/)
    expect(() => gpCot({ cards: ['A'], values: [1, 2], target: 24 })).toThrow(/1 cards but 2 values/)
  })

  it('every dead end it shows is a real one, and every step is correct arithmetic', () => {
    const hands = multisets(4, 1, 13).filter((_, i) => i % 7 === 0)
    let deadEnds = 0
    for (const values of hands) {
      if (!isSolvable(values)) continue
      const trace = gpCot({ cards: values.map(cardOf), values, target: 24 })
      for (const m of trace.matchAll(/cannot be made from ([\d ]+); back up/g)) {
        const left = m[1].split(' ').map((v) => fromInt(Number(v)))
        expect(canMake(left, fromInt(24)), `${values.join(' ')}: ${m[0]}`).toBe(false)
        deadEnds++
      }
      for (const m of trace.matchAll(/(\(?-?[\d/]+\)?) ([-+*/]) (\(?-?[\d/]+\)?) = (-?[\d/]+)/g)) {
        const [a, b, r] = [m[1], m[3], m[4]].map((t) => parseRational(t.replace(/[()]/g, '')) as Rational)
        const expected = { '+': add(a, b), '-': sub(a, b), '*': mul(a, b), '/': div(a, b) }[m[2] as '+' | '-' | '*' | '/']
        expect(expected !== null && equals(expected, r), `${values.join(' ')}: ${m[0]}`).toBe(true)
      }
    }
    expect(deadEnds).toBeGreaterThan(100)
  })
})

describe('gpCot under both verifiers', () => {
  it('[§11.1] all 1362 solvable 4-card hands (ranks 1-13): strict accepts all; the paper fails only 3 3 8 8', () => {
    const paperFailures: string[] = []
    let solvable = 0
    for (const values of multisets(4, 1, 13)) {
      if (!isSolvable(values)) continue
      solvable++
      const trace = gpCot({ cards: values.map(cardOf), values, target: 24 })
      const strict = verifyStrict(trace, { values, target: 24 }, { paperExtraction: true })
      expect(strict.ok, `${values.join(' ')}: ${strict.detail}`).toBe(true)
      if (verifyPaper(trace, { displayValues: values, target: 24 }).reward !== 5) paperFailures.push(values.join(' '))
    }
    expect(solvable).toBe(1362)
    expect(paperFailures).toEqual(['3 3 8 8'])
  })

  it('J/Q/K = 10 hands keep their face labels and score like their values', () => {
    const hand = { cards: ['K', 'Q', '2', '2'], values: [10, 10, 2, 2], target: 24 }
    const trace = gpCot(hand)
    expect(trace.startsWith('Cards: K, Q, 2, 2. Values: 10 10 2 2 (K = 10, Q = 10). Target: 24.')).toBe(true)
    expect(trace).toContain('"cards": ["K", "Q", "2", "2"],\n "number": [10, 10, 2, 2],')
    expect(verifyPaper(trace, { displayValues: hand.values, target: 24 }).reward).toBe(5)
  })

  it('five-card hands (a deterministic sample of ranks 1-13): both verifiers accept', () => {
    const hands = multisets(5, 1, 13).filter((_, i) => i % 31 === 0)
    let checked = 0
    for (const values of hands) {
      if (!isSolvable(values)) continue
      const trace = gpCot({ cards: values.map(cardOf), values, target: 24 })
      expect(verifyStrict(trace, { values, target: 24 }).ok, values.join(' ')).toBe(true)
      expect(verifyPaper(trace, { displayValues: values, target: 24 }).reward, values.join(' ')).toBe(5)
      checked++
    }
    expect(checked).toBeGreaterThan(150)
  })

  it('other targets work too', () => {
    const values = [3, 4, 5, 6]
    const trace = gpCot({ cards: values.map(String), values, target: 36 })
    expect(verifyStrict(trace, { values, target: 36 }).ok).toBe(true)
    expect(verifyPaper(trace, { displayValues: values, target: 36 }).reward).toBe(5)
  })
})
