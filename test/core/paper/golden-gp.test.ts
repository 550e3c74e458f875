// Every General Points test hand against fingerprints of the reference's own output
// (test/golden/paper/README.md says how they were made): cards, values, stored solution, solution
// count, redraws and question text.
import { describe, expect, it } from 'vitest'
import { paperGpHand, paperGpSplit } from '../../../core/paper/paper-gp.ts'
import { fingerprint } from '../../harness/fingerprint.ts'
import { readRepoText } from '../../harness/repo.ts'

interface Golden {
  generalPoints: Record<string, string>
  generalPointsExamples: {
    split: string
    index: number
    cards: string[]
    displayValues: number[]
    solution: string
    solutionCount: number
    redraws: number
  }[]
}

const golden = JSON.parse(readRepoText('test/golden/paper/reference-fingerprints.json')) as Golden

describe('[paper-rng §3] General Points test hands match the reference', () => {
  for (const [split, prints] of Object.entries(golden.generalPoints)) {
    it(`${split}: tasks 0-${prints.split(' ').length - 1}`, () => {
      const name = paperGpSplit(split).split
      const actual = prints.split(' ').map((_, i) => {
        const h = paperGpHand(name, i)
        const line = [h.cards.join(','), h.displayValues.join(','), h.solution, h.solutionCount, h.redraws, h.question]
        return fingerprint(line.join('|'))
      })
      expect(actual).toEqual(prints.split(' '))
    })
  }

  it('readable examples: the first three tasks of each split', () => {
    for (const e of golden.generalPointsExamples) {
      const h = paperGpHand(paperGpSplit(e.split).split, e.index)
      const { cards, displayValues, solution, solutionCount, redraws } = h
      const { split: _split, index: _index, ...expected } = e
      expect({ cards, displayValues, solution, solutionCount, redraws }, `${e.split} #${e.index}`).toEqual(expected)
    }
  })
})
