import { describe, expect, it } from 'vitest'
import type { Aggregate } from '../../../core/eval/types.ts'
import { seriesOf } from '../../../renderer/src/plot/series.ts'

function agg(model: string, variant: string, difficulty: string, x: number, rate: number): Aggregate {
  return {
    model,
    variant,
    difficulty,
    difficultyValue: x,
    n: 10,
    successes: rate * 10,
    successRate: rate,
    successCi: { low: rate / 2, high: (1 + rate) / 2 },
    validity: 0.5,
    validityCi: null,
    meanReward: -1,
    meanTurns: 3,
    meanSteps: 3,
    tokens: 1,
    failures: {},
    floatExactDisagreements: 0,
  }
}

describe('plot series', () => {
  it('one line per variant, points in difficulty order with their intervals', () => {
    const s = seriesOf([agg('m', 'base', 'hard', 2, 0.2), agg('m', 'cardinal', 'easy', 1, 0.4), agg('m', 'base', 'easy', 1, 0.8)])
    expect(s.map((x) => x.name)).toEqual(['base', 'cardinal'])
    expect(s[0].points).toEqual([
      { x: 1, difficulty: 'easy', n: 10, y: 0.8, low: 0.4, high: 0.9 },
      { x: 2, difficulty: 'hard', n: 10, y: 0.2, low: 0.1, high: 0.6 },
    ])
  })

  it('names lines by model and variant when there are several models', () => {
    expect(seriesOf([agg('a', 'v', 'd', 1, 0), agg('b', 'v', 'd', 1, 0)]).map((s) => s.name)).toEqual(['a · v', 'b · v'])
  })

  it('means without an interval (turns, steps, tokens) collapse the band to the value', () => {
    const a = { ...agg('m', 'v', 'd', 1, 0), meanTurns: 4.5, meanSteps: 3.25, tokens: 120 }
    expect(seriesOf([a], 'meanTurns')[0].points[0]).toMatchObject({ y: 4.5, low: 4.5, high: 4.5 })
    expect(seriesOf([a], 'meanSteps')[0].points[0]).toMatchObject({ y: 3.25, low: 3.25, high: 3.25 })
    expect(seriesOf([a], 'tokens')[0].points[0]).toMatchObject({ y: 120, low: 120, high: 120 })
  })

  it('Sokoban validity has no interval: the band collapses to the value', () => {
    expect(seriesOf([agg('m', 'v', 'd', 1, 0)], 'validity')[0].points[0]).toMatchObject({ y: 0.5, low: 0.5, high: 0.5 })
  })

  it('x by rank spaces difficulties evenly and keeps those that share a value apart', () => {
    const aggregates = [agg('m', 'v', '8x8', 64, 0.1), agg('m', 'v', '6x6-2boxes', 36, 0.2), agg('m', 'v', '6x6', 36, 0.5), agg('m', 'v', '7x7', 49, 0.3)]
    const byRank = seriesOf(aggregates, 'successRate', 'difficulty')[0].points
    expect(byRank.map((p) => [p.difficulty, p.x])).toEqual([
      ['6x6', 0],
      ['6x6-2boxes', 1],
      ['7x7', 2],
      ['8x8', 3],
    ])
    const byValue = seriesOf(aggregates, 'successRate', 'difficultyValue')[0].points
    expect(byValue.map((p) => p.x)).toEqual([36, 36, 49, 64])
  })
})
