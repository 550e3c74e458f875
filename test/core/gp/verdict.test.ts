// Each disagreement kind on a hand-made response whose paper reward is known (paper-tasks.md
// §10, §11.1; confirmed with CPython), plus a sweep over the golden responses showing that the
// two verifiers disagree only in the documented ways.
import { describe, expect, it } from 'vitest'
import { compareVerifiers } from '../../../core/gp/verdict.ts'
import { readRepoText } from '../../harness/repo.ts'

const HAND = { displayValues: [2, 7, 10, 2], target: 24 }

function json(formula: string): string {
  return `{\n"cards": ["2", "7", "Q", "2"],\n "number": [2, 7, 10, 2],\n "formula": ${JSON.stringify(formula)}\n}`
}

describe('compareVerifiers', () => {
  it('agrees when both accept', () => {
    expect(compareVerifiers(json('(10/2+7)*2'), HAND)).toMatchObject({ agree: true, kind: 'agree', detail: 'both accept' })
  })

  it('agrees when both reject, whatever their reasons', () => {
    const v = compareVerifiers(json('(10/2+7)*02'), HAND)
    expect(v).toMatchObject({ agree: true, kind: 'agree', paper: { reward: -1 }, strict: { reason: 'syntax' } })
    expect(compareVerifiers(json('(10/2+7)*7'), HAND)).toMatchObject({ agree: true, paper: { reward: -4 }, strict: { reason: 'wrong-numbers' } })
  })

  it('[§11.1] 8/(3-8/3): float-false-negative (paper -1, strict correct)', () => {
    const v = compareVerifiers(json('8/(3-8/3)'), { displayValues: [3, 3, 8, 8], target: 24 })
    expect(v).toMatchObject({ agree: false, kind: 'float-false-negative', paper: { reward: -1, pythonValue: '23.99999999999999' }, strict: { ok: true } })
  })

  it('[§10.23] a non-string JSON formula: paper-crash', () => {
    expect(compareVerifiers('{"formula": 24}', HAND)).toMatchObject({
      agree: false,
      kind: 'paper-crash',
      paper: { outcome: 'crash', reward: null },
      strict: { reason: 'no-formula' },
    })
  })

  it('[§10.16] "formula":"…" spacing: extraction-variant (paper -3, strict correct)', () => {
    expect(compareVerifiers('{"formula":"(10/2+7)*2"} is my answer', HAND)).toMatchObject({
      agree: false,
      kind: 'extraction-variant',
      paper: { reward: -3, source: 'none' },
      strict: { ok: true, source: 'lenient' },
    })
    expect(compareVerifiers('{"formula":"(10/2+7)*2"} is my answer', HAND, { paperExtraction: true })).toMatchObject({ agree: true })
  })

  it('[§10.18] × with acceptCommonNotations: common-notation (paper -3, strict correct)', () => {
    expect(compareVerifiers(json('(10/2+7)×2'), HAND, { acceptCommonNotations: true })).toMatchObject({
      agree: false,
      kind: 'common-notation',
      paper: { reward: -3 },
    })
    expect(compareVerifiers(json('(10/2+7)×2'), HAND)).toMatchObject({ agree: true })
  })

  it('float-false-positive: the float value rounds onto the target', () => {
    // The two quotients differ by 1/100000010000000 but round to the same double, so Python's
    // value is exactly 24.0 (checked with CPython 3.11). Cards of a 24 game never do this.
    const values = [1000000000000001, 10000000, 1000000100000001, 10000001, 24]
    const v = compareVerifiers(json('1000000000000001/10000000-1000000100000001/10000001+24'), { displayValues: values, target: 24 })
    expect(v).toMatchObject({
      agree: false,
      kind: 'float-false-positive',
      paper: { reward: 5, pythonValue: '24.0' },
      strict: { reason: 'wrong-value', value: '2400000240000001/100000010000000' },
    })
  })

  it('strict-out-of-range: exact values beyond 2^53 that Python handles with big ints', () => {
    const big = 2 ** 40
    const v = compareVerifiers(json(`${big}*${big}/${big}/${big}*24`), { displayValues: [big, big, big, big, 24], target: 24 })
    expect(v).toMatchObject({ agree: false, kind: 'strict-out-of-range', paper: { reward: 5 } })
  })
})

interface GoldenCase {
  readonly response: string
  readonly displayValues: number[]
  readonly target: number
}

describe('disagreements on the golden responses', () => {
  const cases = JSON.parse(readRepoText('test/golden/gp/paper-verifier-cases.json')) as GoldenCase[]

  it('are all of a documented kind, never "other"', () => {
    const kinds = new Map<string, number>()
    for (const c of cases) {
      for (const acceptCommonNotations of [false, true]) {
        const v = compareVerifiers(c.response, c, { acceptCommonNotations })
        kinds.set(v.kind, (kinds.get(v.kind) ?? 0) + 1)
        expect(v.kind, JSON.stringify(c.response).slice(0, 200)).not.toBe('other')
      }
    }
    // The golden set has fraction-only solutions, "formula":"…" answers and non-string formulas.
    expect(kinds.get('float-false-negative')).toBeGreaterThan(0)
    expect(kinds.get('extraction-variant')).toBeGreaterThan(0)
    expect(kinds.get('paper-crash')).toBeGreaterThan(0)
  })
})
