// The paper's 210-word pool and numpy's per-row draw (paper-tasks.md §7.5), against a numpy run.
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import {
  PAPER_WORD_POOL,
  PAPER_WORD_POOL_DUPLICATES,
  npChoiceWithoutReplacement,
  paperRowVocabulary,
  paperRowWords,
} from '../../../core/experiment/word-pool.ts'
import { NpRandomState } from '../../../core/paper/np-random.ts'
import { answersBlock } from '../../../core/sokoban/vocab.ts'
import { readRepoText } from '../../harness/repo.ts'

const golden = JSON.parse(readRepoText('test/golden/presets/paper-word-rows.json')) as {
  poolSize: number
  firstRowWithRepeatedWord: number
  rows: Record<string, string[]>
}

describe('PAPER_WORD_POOL', () => {
  it('[§7.5] has 210 entries, as the reference pool (numpy run) has', () => {
    expect(PAPER_WORD_POOL).toHaveLength(210)
    expect(golden.poolSize).toBe(210)
  })

  it('[§7.5] repeats exactly fish, mouse, orange and lime, each twice', () => {
    const counts = new Map<string, number>()
    for (const w of PAPER_WORD_POOL) counts.set(w, (counts.get(w) ?? 0) + 1)
    const repeated = [...counts].filter(([, n]) => n > 1)
    expect(Object.fromEntries(repeated)).toEqual({ fish: 2, mouse: 2, orange: 2, lime: 2 })
    expect([...PAPER_WORD_POOL_DUPLICATES].sort()).toEqual(['fish', 'lime', 'mouse', 'orange'])
  })

  it('holds no standard direction word, so the reference always adds the "where" line', () => {
    const standard = ['Up', 'Down', 'Left', 'Right', 'North', 'South', 'West', 'East']
    expect(PAPER_WORD_POOL.filter((w) => standard.includes(w))).toEqual([])
  })
})

describe('paperRowWords', () => {
  it('[§7.5] row 0 is tree / fix / jade / freedom', () => {
    expect(paperRowWords(0)).toEqual(['tree', 'fix', 'jade', 'freedom'])
  })

  it('matches numpy for every golden row', () => {
    for (const [row, words] of Object.entries(golden.rows)) expect(paperRowWords(Number(row)), `row ${row}`).toEqual(words)
  })

  it('[§7.5] no row among the first 2000 repeats a word; the first that does matches numpy', () => {
    for (let row = 0; row < 2000; row++) expect(new Set(paperRowWords(row)).size, `row ${row}`).toBe(4)
    const first = golden.firstRowWithRepeatedWord
    expect(new Set(paperRowWords(first)).size).toBeLessThan(4)
    expect(paperRowWords(first)).toEqual(golden.rows[String(first)])
  })

  it('rejects rows whose seed numpy would refuse', () => {
    expect(() => paperRowWords(-1)).toThrow(/row/i)
    expect(() => paperRowWords(1.5)).toThrow(/row/i)
  })

  it('[§7.2] gives the ultra-mixed Answers block: the four words and a "where" line', () => {
    expect(answersBlock(paperRowVocabulary(0))).toBe(
      'Answers:\n<answer> tree </answer> | <answer> fix </answer> | <answer> jade </answer> | ' +
        '<answer> freedom </answer>\nwhere tree is Up, fix is Down, jade is Left, freedom is Right.',
    )
  })
})

describe('npChoiceWithoutReplacement', () => {
  it('returns distinct positions inside the population, the first `size` of a full permutation', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 1, max: 300 }), (seed, n) => {
        const all = npChoiceWithoutReplacement(new NpRandomState(seed), n, n)
        expect([...all].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, k) => k))
        const some = npChoiceWithoutReplacement(new NpRandomState(seed), n, Math.min(4, n))
        expect(some).toEqual(all.slice(0, Math.min(4, n)))
      }),
      { numRuns: 60 },
    )
  })

  it('refuses to take more than the population', () => {
    expect(() => npChoiceWithoutReplacement(new NpRandomState(1), 3, 4)).toThrow(/without replacement/)
  })
})
