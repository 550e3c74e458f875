// Difficulties: the paper's named ones (paper-tasks.md §3.4, §6.3) and validation by field.
import { describe, expect, it } from 'vitest'
import { DifficultySpecSchema, PAPER_DIFFICULTIES, describeDifficulty } from '../../../core/experiment/difficulty.ts'
import { SpecError, parseSpec } from '../../../core/experiment/schema.ts'
import { thrownBy } from '../../harness/errors.ts'

describe('PAPER_DIFFICULTIES', () => {
  it('[§3.4] Sokoban: Simple 6x6/1, Larger 10x10/1, TwoBoxes 6x6/2, Complex 10x10/2', () => {
    expect(describeDifficulty(PAPER_DIFFICULTIES.simple)).toBe('6x6, 1 box')
    expect(describeDifficulty(PAPER_DIFFICULTIES.larger)).toBe('10x10, 1 box')
    expect(describeDifficulty(PAPER_DIFFICULTIES['two-boxes'])).toBe('6x6, 2 boxes')
    expect(describeDifficulty(PAPER_DIFFICULTIES.complex)).toBe('10x10, 2 boxes')
  })

  it('[§6.3] General Points: id forces a face card, large a card of 14-19, 5cards forces none', () => {
    expect(describeDifficulty(PAPER_DIFFICULTIES['gp-id'])).toBe('4 cards, ranks 1-13, >=1 J/Q/K, target 24')
    expect(describeDifficulty(PAPER_DIFFICULTIES['gp-large'])).toBe('4 cards, ranks 1-19, >=1 card 14-19, target 24')
    expect(describeDifficulty(PAPER_DIFFICULTIES['gp-5cards'])).toBe('5 cards, ranks 1-13, target 24')
  })

  it('all parse', () => {
    for (const d of Object.values(PAPER_DIFFICULTIES)) expect(DifficultySpecSchema.parse(d)).toEqual(d)
  })
})

describe('validation', () => {
  const paths = (input: unknown) =>
    thrownBy(SpecError, () => parseSpec(DifficultySpecSchema, input, 'difficulty')).problems.map((p) => p.path)

  it('names a bad room size, an inverted move range and an unknown field', () => {
    expect(paths({ task: 'sokoban', rows: 2, cols: 6, boxes: 1 })).toEqual(['difficulty.rows'])
    expect(paths({ task: 'sokoban', rows: 6, cols: 6, boxes: 1, minMoves: 9, maxMoves: 3 })).toEqual(['difficulty.minMoves'])
    expect(paths({ task: 'sokoban', rows: 6, cols: 6, boxes: 1, box: 2 })).toEqual(['difficulty'])
  })

  it("rejects ood 'high' with no rank above K, and ood 'face' with no face rank", () => {
    expect(paths({ task: 'gp', cards: 4, largest: 13, ood: 'high', target: 24 })).toEqual(['difficulty.ood'])
    expect(paths({ task: 'gp', cards: 4, largest: 10, ood: 'face', target: 24 })).toEqual(['difficulty.ood'])
  })

  it('describes a move range', () => {
    expect(describeDifficulty({ task: 'sokoban', rows: 8, cols: 8, boxes: 2, minMoves: 10, maxMoves: 20 })).toBe(
      '8x8, 2 boxes, 10-20 optimal moves',
    )
  })
})
