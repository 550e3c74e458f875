import { describe, expect, it } from 'vitest'
import type { Aggregate, FailureKind } from '../../../core/eval/types.ts'
import { failuresFigure, failureStackOf, filterOfSegment, OUTCOME_COLOURS, OUTCOMES } from '../../../renderer/src/plot/failures.ts'

function agg(variant: string, difficulty: string, x: number, successes: number, failures: Partial<Record<FailureKind, number>>, model = 'm'): Aggregate {
  const n = successes + Object.values(failures).reduce((s, c) => s + (c ?? 0), 0)
  return {
    model,
    variant,
    difficulty,
    difficultyValue: x,
    n,
    successes,
    successRate: successes / n,
    successCi: { low: 0, high: 1 },
    validity: 1,
    validityCi: null,
    meanReward: 0,
    meanTurns: 1,
    meanSteps: 1,
    tokens: 1,
    failures,
    floatExactDisagreements: 0,
  }
}

describe('failure stack', () => {
  it('one bar per (variant, difficulty), segments in the fixed order with success first', () => {
    const stack = failureStackOf([
      agg('base', 'larger', 2, 1, { deadlock: 2, 'no-answer-tag': 1 }),
      agg('cardinal', 'simple', 1, 0, { 'unknown-action': 4 }),
      agg('base', 'simple', 1, 3, { 'out-of-turns': 1 }),
    ])
    expect(stack.bars.map((b) => b.label)).toEqual(['base · simple', 'base · larger', 'cardinal · simple'])
    expect(stack.bars[1].segments).toEqual([
      { outcome: 'success', count: 1, share: 0.25 },
      { outcome: 'no-answer-tag', count: 1, share: 0.25 },
      { outcome: 'deadlock', count: 2, share: 0.5 },
    ])
    // A bar with no success has no success segment.
    expect(stack.bars[2].segments).toEqual([{ outcome: 'unknown-action', count: 4, share: 1 }])
    expect(stack.outcomes).toEqual(['success', 'no-answer-tag', 'unknown-action', 'deadlock', 'out-of-turns'])
    for (const b of stack.bars) expect(b.segments.reduce((s, x) => s + x.count, 0)).toBe(b.n)
  })

  it('every outcome has its own colour within a task (Sokoban kinds, then General Points kinds)', () => {
    const sokoban = ['success', 'no-answer-tag', 'unknown-action', 'ineffective-move', 'deadlock', 'out-of-turns', 'out-of-steps', 'plan-exhausted', 'backend-error'] as const
    const gp = ['success', 'no-formula', 'illegal-formula', 'wrong-numbers', 'wrong-value', 'backend-error'] as const
    expect(new Set(sokoban.map((o) => OUTCOME_COLOURS[o])).size).toBe(sokoban.length)
    expect(new Set(gp.map((o) => OUTCOME_COLOURS[o])).size).toBe(gp.length)
    expect(OUTCOMES).toHaveLength(13)
  })

  it('a segment opens the samples of its group and outcome', () => {
    const stack = failureStackOf([agg('base', 'simple', 1, 1, { deadlock: 1 }, 'a'), agg('base', 'simple', 1, 2, {}, 'b')])
    expect(stack.bars.map((b) => b.label)).toEqual(['a · base · simple', 'b · base · simple'])
    expect(filterOfSegment(stack.bars[0], 'deadlock')).toEqual({
      model: 'a',
      variant: 'base',
      difficulty: 'simple',
      failure: 'deadlock',
      label: 'a · base · simple · deadlock',
    })
  })

  it('the plotly figure stacks one trace per outcome as shares of each bar', () => {
    const stack = failureStackOf([agg('base', 'simple', 1, 1, { deadlock: 3 }), agg('base', 'larger', 2, 2, {})])
    const { traces, layout } = failuresFigure(stack)
    expect(layout.barmode).toBe('stack')
    expect(traces.map((t) => [t.name, t.y])).toEqual([
      ['success', [0.25, 1]],
      ['deadlock', [0.75, 0]],
    ])
  })
})
