import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import {
  AggregateTracker,
  ExactSum,
  aggregateResults,
  paperFailure,
  sokobanFailure,
  strictFailure,
  strictReward,
} from '../../../core/eval/metrics.ts'
import type { CellResult, FailureKind, StoredTurn } from '../../../core/eval/types.ts'
import { verifyPaper } from '../../../core/gp/verify-paper.ts'
import { verifyStrict } from '../../../core/gp/verify-strict.ts'
import { sweep } from './helpers.ts'

let serial = 0

function result(fields: Partial<CellResult> & Pick<CellResult, 'success'>): CellResult {
  const n = serial++
  return {
    id: `m/v/d/${n}/0`,
    key: `v/d/${n}/0`,
    model: 'm',
    variant: 'v',
    difficulty: 'd',
    instance: n,
    repeat: 0,
    seed: 0,
    v: 1,
    task: 'sokoban',
    validity: 1,
    reward: 0,
    turns: 1,
    steps: 1,
    tokens: 0,
    failure: fields.success ? null : 'out-of-turns',
    error: null,
    sokoban: null,
    gp: null,
    timing: { startedMs: 0, totalMs: 0, cachedGenerations: 0, generations: 1 },
    ...fields,
  }
}

describe('AggregateTracker', () => {
  it('success rate with the Wilson 95% interval of Newcombe (1998), Table I', () => {
    const tracker = new AggregateTracker()
    let aggregate
    for (let i = 0; i < 263; i++) aggregate = tracker.add(result({ success: i < 81 }), 1)
    expect(aggregate?.n).toBe(263)
    expect(aggregate?.successes).toBe(81)
    expect(aggregate?.successRate).toBeCloseTo(81 / 263, 12)
    expect(aggregate?.successCi.low).toBeCloseTo(0.2553, 4)
    expect(aggregate?.successCi.high).toBeCloseTo(0.3662, 4)
  })

  it('0/10 and 10/10: the interval reaches the bound (Newcombe: 0-0.2775 and 0.7225-1)', () => {
    const none = new AggregateTracker()
    const all = new AggregateTracker()
    for (let i = 0; i < 10; i++) {
      none.add(result({ success: false }), 1)
      all.add(result({ success: true }), 1)
    }
    const [n] = none.all()
    const [a] = all.all()
    expect(n.successCi.low).toBe(0)
    expect(n.successCi.high).toBeCloseTo(0.2775, 4)
    expect(a.successCi.low).toBeCloseTo(0.7225, 4)
    expect(a.successCi.high).toBe(1)
  })

  it('[§5.2] Sokoban validity is the mean action_is_valid (no interval); mean reward, turns, steps; tokens', () => {
    const tracker = new AggregateTracker()
    tracker.add(result({ success: true, validity: 1, reward: 10.6, turns: 5, steps: 5, tokens: 40 }), 2)
    tracker.add(result({ success: false, validity: 0.5, reward: -3, turns: 30, steps: 15, tokens: 300 }), 2)
    const noTag = { validity: 0, reward: 0, turns: 30, steps: 0, tokens: 90, failure: 'no-answer-tag' as const }
    tracker.add(result({ success: false, ...noTag }), 2)
    const [aggregate] = tracker.all()
    expect(aggregate.difficultyValue).toBe(2)
    expect(aggregate.validity).toBeCloseTo(0.5, 12)
    expect(aggregate.validityCi).toBeNull()
    expect(aggregate.meanReward).toBeCloseTo(7.6 / 3, 12)
    expect(aggregate.meanTurns).toBeCloseTo(65 / 3, 12)
    expect(aggregate.meanSteps).toBeCloseTo(20 / 3, 12)
    expect(aggregate.tokens).toBe(430)
    expect(aggregate.failures).toEqual({ 'out-of-turns': 1, 'no-answer-tag': 1 })
  })

  it('count() adds a cell as add() does, without returning its aggregate', () => {
    const cells = [
      result({ success: true, validity: 1, reward: 10.6, turns: 5, steps: 5, tokens: 40 }),
      result({ success: false, validity: 0.5, reward: -3, turns: 30, steps: 15, tokens: 300 }),
      result({ success: false, validity: 0, reward: 0, turns: 30, steps: 0, tokens: 90, failure: 'no-answer-tag' }),
    ]
    const added = new AggregateTracker()
    const counted = new AggregateTracker()
    for (const cell of cells) {
      added.add(cell, 2)
      expect(counted.count(cell, 2)).toBeUndefined()
    }
    const [aggregate] = counted.all()
    expect(aggregate).toEqual(added.all()[0])
    expect([aggregate.n, aggregate.successes, aggregate.tokens]).toEqual([3, 1, 430])
    expect(counted.get('m', 'v', 'd')).toEqual(aggregate)
  })

  it('General Points validity is a rate with its Wilson interval; float-exact disagreements are counted', () => {
    const tracker = new AggregateTracker()
    const gp = (validity: number, disagree: boolean, failure: FailureKind | null): CellResult =>
      result({
        success: failure === null,
        task: 'gp',
        validity,
        failure,
        gp: {
          promptHash: 'h',
          output: '',
          cards: [],
          target: 24,
          formula: null,
          paperReward: null,
          strictOk: false,
          strictReason: '',
          floatExactDisagree: disagree,
          scorer: 'paper',
          tokens: 0,
          finishReason: 'stop',
        },
      })
    for (let i = 0; i < 5; i++) tracker.add(gp(1, false, null), 1)
    tracker.add(gp(1, true, 'wrong-value'), 1)
    for (let i = 0; i < 4; i++) tracker.add(gp(0, false, 'illegal-formula'), 1)
    const [aggregate] = tracker.all()
    expect(aggregate.validity).toBeCloseTo(0.6, 12)
    // Wilson for 6/10 (no continuity correction): 0.3127 to 0.8318.
    expect(aggregate.validityCi?.low).toBeCloseTo(0.3127, 4)
    expect(aggregate.validityCi?.high).toBeCloseTo(0.8318, 4)
    expect(aggregate.floatExactDisagreements).toBe(1)
    expect(aggregate.failures).toEqual({ 'wrong-value': 1, 'illegal-formula': 4 })
  })

  it('lists groups in the spec order: model, variant, difficulty', () => {
    const spec = sweep('sokoban', {
      variants: ['sokoban-eval-base', 'sokoban-eval-cardinal'],
      difficulties: [
        { name: 'd1', difficulty: 'simple' },
        { name: 'd2', difficulty: 'two-boxes' },
      ],
      models: [
        { name: 'x', backend: { kind: 'onnx', path: 'x' } },
        { name: 'y', backend: { kind: 'onnx', path: 'y' } },
      ],
    })
    const groups: [string, string, string][] = [
      ['y', 'sokoban-eval-cardinal', 'd2'],
      ['x', 'sokoban-eval-cardinal', 'd1'],
      ['y', 'sokoban-eval-base', 'd1'],
      ['x', 'sokoban-eval-base', 'd2'],
      ['x', 'sokoban-eval-base', 'd1'],
    ]
    const tracker = new AggregateTracker(spec)
    for (const [model, variant, difficulty] of groups) {
      tracker.add(result({ success: true, model, variant, difficulty }), 1)
    }
    expect(tracker.all().map((a) => `${a.model} ${a.variant} ${a.difficulty}`)).toEqual([
      'x sokoban-eval-base d1',
      'x sokoban-eval-base d2',
      'x sokoban-eval-cardinal d1',
      'y sokoban-eval-base d1',
      'y sokoban-eval-cardinal d2',
    ])
  })

  it('aggregateResults counts an id once and takes plot values from the spec', () => {
    const spec = sweep('sokoban', { difficulties: [{ name: 'd', difficulty: 'simple', value: 6 }] })
    const a = result({ success: true, model: 'm', variant: 'sokoban-eval-base', difficulty: 'd' })
    const b = result({ success: false, model: 'm', variant: 'sokoban-eval-base', difficulty: 'd' })
    const [aggregate] = aggregateResults([a, b, a], spec)
    expect(aggregate.n).toBe(2)
    expect(aggregate.difficultyValue).toBe(6)
  })
})

describe('ExactSum', () => {
  it('gives the same sum in any order (unlike +=)', () => {
    const terms = fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { maxLength: 40 })
    fc.assert(
      fc.property(terms, fc.nat(), (xs, n) => {
        const k = n % (xs.length || 1)
        const a = new ExactSum()
        const b = new ExactSum()
        for (const x of xs) a.add(x)
        const rotated = [...xs.slice(k), ...xs.slice(0, k)].reverse()
        for (const x of rotated) b.add(x)
        return Object.is(a.value() + 0, b.value() + 0)
      }),
    )
  })

  it('is exact where plain addition is not: 0.1 ten times is 1, 1e16 + 1 - 1e16 is 1', () => {
    const tenths = new ExactSum()
    for (let i = 0; i < 10; i++) tenths.add(0.1)
    expect(tenths.value()).toBe(1)
    const big = new ExactSum()
    for (const x of [1e16, 1, -1e16]) big.add(x)
    expect(big.value()).toBe(1)
  })
})

describe('failure taxonomy', () => {
  const turn = (fields: Partial<Pick<StoredTurn, 'parseError' | 'action' | 'effective' | 'deadlock'>>) => ({
    parseError: null,
    action: 1 as const,
    effective: true,
    deadlock: false,
    ...fields,
  })

  it('Sokoban: a deadlock, else the last unreadable turn, else ineffective moves, else running out', () => {
    const stuck = turn({ effective: false })
    const dead = turn({ deadlock: true })
    const noTag = turn({ parseError: 'no-answer-tag', action: null, effective: false })
    const unknown = turn({ parseError: 'unknown-action', action: null, effective: false })
    const empty = turn({ parseError: 'empty-answer', action: null, effective: false })
    const fail = (turns: ReturnType<typeof turn>[], end: 'max-turns' | 'max-steps' = 'max-turns') =>
      sokobanFailure({ success: false, end, turns })
    expect(sokobanFailure({ success: true, end: 'solved', turns: [dead] })).toBeNull()
    expect(fail([noTag, dead, stuck])).toBe('deadlock')
    expect(fail([noTag, unknown, stuck])).toBe('unknown-action')
    expect(fail([unknown, noTag, stuck])).toBe('no-answer-tag')
    expect(fail([stuck, empty])).toBe('unknown-action')
    expect(fail([turn({}), stuck])).toBe('ineffective-move')
    expect(fail([turn({})])).toBe('out-of-turns')
    expect(fail([turn({})], 'max-steps')).toBe('out-of-steps')
    expect(sokobanFailure({ success: false, end: 'plan-exhausted', turns: [turn({})] })).toBe('plan-exhausted')
  })

  it('General Points: the verifiers’ verdicts on real answers map to the taxonomy (§6.4)', () => {
    const task = { displayValues: [4, 6, 10, 1], target: 24 }
    const both = (response: string) => ({
      paper: paperFailure(verifyPaper(response, task)),
      strict: strictFailure(verifyStrict(response, { values: task.displayValues, target: 24 })),
      reward: strictReward(verifyStrict(response, { values: task.displayValues, target: 24 })),
    })
    expect(both('{"formula": "(4-1)*10-6"}')).toEqual({ paper: null, strict: null, reward: 5 })
    expect(both('no formula here')).toEqual({ paper: 'no-formula', strict: 'no-formula', reward: -3 })
    const illegal = { paper: 'illegal-formula', strict: 'illegal-formula', reward: -3 }
    expect(both('{"formula": "4*6*K*A"}')).toEqual(illegal)
    expect(both('{"formula": "4*6*1*1"}')).toEqual({ paper: 'wrong-numbers', strict: 'wrong-numbers', reward: -2 })
    expect(both('{"formula": "4+6+10+1"}')).toEqual({ paper: 'wrong-value', strict: 'wrong-value', reward: -1 })
    // A non-string JSON formula crashes the paper's verifier (§10 item 23): an illegal formula here.
    expect(paperFailure(verifyPaper('{"formula": 24}', task))).toBe('illegal-formula')
  })
})
