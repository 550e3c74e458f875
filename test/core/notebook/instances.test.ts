import { describe, expect, it } from 'vitest'
import { instanceSetOf } from '../../../core/notebook/instances.ts'
import { instanceAt } from '../../../core/experiment/instance-set.ts'

describe('instanceSetOf', () => {
  it('a paper difficulty name becomes a seeded set of that difficulty (6x6, 1 box for "simple")', () => {
    const set = instanceSetOf('sokoban', { difficulty: 'simple', seed: 3, count: 2 })
    expect(set).toEqual({
      task: 'sokoban',
      difficulty: { task: 'sokoban', rows: 6, cols: 6, boxes: 1 },
      seedScheme: { kind: 'seeded', seed: 3 },
      count: 2,
    })
  })

  it('a seeded General Points set gets the all-10 rule when none is given', () => {
    const set = instanceSetOf('gp', { difficulty: 'gp-id', count: 1 })
    expect(set.rule).toEqual({ shown: 'all_10', scored: 'all_10' })
    const hand = instanceAt(set, 0)
    expect(hand.task).toBe('gp')
  })

  it('a preset window starts inside the preset: item 0 of start 5 is item 5 of the preset', () => {
    const window = instanceSetOf('sokoban', { preset: 'SimpleSokoban', start: 5, count: 2 })
    const whole = instanceSetOf('sokoban', { preset: 'SimpleSokoban', count: 7 })
    expect(instanceAt(window, 0).id).toBe(instanceAt(whole, 5).id)
  })

  it('refuses a window past the end of the preset, an unknown name and a task mismatch', () => {
    expect(() => instanceSetOf('sokoban', { preset: 'SimpleSokoban', start: 99, count: 2 })).toThrow(/count: preset "SimpleSokoban" has 100/)
    expect(() => instanceSetOf('sokoban', { difficulty: 'simpel', count: 2 })).toThrow(/difficulty: unknown difficulty "simpel"/)
    expect(() => instanceSetOf('gp', { difficulty: 'simple', count: 2 })).toThrow(/sokoban difficulty; a gp one/)
    expect(() => instanceSetOf('gp', { preset: 'SimpleSokoban', count: 2 })).toThrow(/is a sokoban preset/)
  })
})
