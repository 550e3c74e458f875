// Every Sokoban eval level of both tag lists against fingerprints of the reference's own output
// (test/golden/paper/README.md says how they were made): seed chain, start state and BFS labels.
import { describe, expect, it } from 'vitest'
import { paperBfsLabels, paperSokobanLevel, type PaperSokobanTagList } from '../../../core/paper/paper-sokoban.ts'
import { serializeXsb } from '../../../core/sokoban/xsb.ts'
import { fingerprint } from '../../harness/fingerprint.ts'
import { readRepoText } from '../../harness/repo.ts'

interface Golden {
  sokoban: Record<PaperSokobanTagList, Record<string, string>>
  sokobanRetryPath: {
    list: PaperSokobanTagList
    tag: string
    index: number
    seedChain: number[]
    xsb: string[]
    labels: number[]
  }[]
}

const golden = JSON.parse(readRepoText('test/golden/paper/reference-fingerprints.json')) as Golden

describe('[paper-rng §2] Sokoban eval levels match the reference', () => {
  for (const list of ['final', 'sft-9'] as const) {
    for (const [tag, prints] of Object.entries(golden.sokoban[list])) {
      it(`${list} ${tag}: all ${prints.split(' ').length} levels`, () => {
        const actual = prints.split(' ').map((_, k) => {
          const made = paperSokobanLevel(tag, k, list)
          const xsb = serializeXsb(made.level).split('\n').join('/')
          return fingerprint(`${made.seedChain.join('>')}|${xsb}|${paperBfsLabels(made.level).join('')}`)
        })
        expect(actual).toEqual(prints.split(' '))
      })
    }
  }

  it('[§11.5] the retry-path levels, in full', () => {
    expect(golden.sokobanRetryPath.length).toBe(10)
    for (const r of golden.sokobanRetryPath) {
      const made = paperSokobanLevel(r.tag, r.index, r.list)
      expect(made.seedChain, `${r.list} ${r.tag} #${r.index}`).toEqual(r.seedChain)
      expect(made.reproducibleInReference).toBe(false)
      expect(serializeXsb(made.level)).toBe(r.xsb.join('\n'))
      expect(paperBfsLabels(made.level)).toEqual(r.labels)
    }
  })
})
