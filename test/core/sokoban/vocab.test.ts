// Tests of the action vocabularies and eval tags against paper-tasks.md §3.3, §3.4 and §7.5.
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { rngFor } from '../../../core/rng/index.ts'
import {
  ALPHABETICAL_VOCABULARY,
  BASE_VOCABULARY,
  CARDINAL_VOCABULARY,
  EMOJI_VOCABULARY,
  NUMERICAL_VOCABULARY,
  PAPER_ENV_TYPE_VOCABULARIES,
  PAPER_EVAL_TAGS,
  PAPER_FINAL_EVAL_TAGS,
  RANDOM_VOCABULARY,
  actionName,
  answersBlock,
  defineVocabulary,
  directionOfName,
  paperEvalTag,
  randomWordVocabulary,
  vocabularyErrors,
  vocabularyWarnings,
} from '../../../core/sokoban/vocab.ts'

const codePoints = (s: string): string[] => Array.from(s, (c) => (c.codePointAt(0) as number).toString(16).toUpperCase())

describe('paper vocabularies (§3.3)', () => {
  it('names the four moves as the table says', () => {
    expect(BASE_VOCABULARY.names).toEqual(['Up', 'Down', 'Left', 'Right'])
    expect(CARDINAL_VOCABULARY.names).toEqual(['North', 'South', 'West', 'East'])
    expect(NUMERICAL_VOCABULARY.names).toEqual(['1', '2', '3', '4'])
    expect(ALPHABETICAL_VOCABULARY.names).toEqual(['A', 'B', 'C', 'D'])
    expect(RANDOM_VOCABULARY.names).toEqual(['*', '&', '1', 'M'])
  })

  it('[§10.3] emoji are U+2B06, U+2B07, U+2B05, U+27A1, each followed by U+FE0F', () => {
    expect(EMOJI_VOCABULARY.names.map(codePoints)).toEqual([
      ['2B06', 'FE0F'],
      ['2B07', 'FE0F'],
      ['2B05', 'FE0F'],
      ['27A1', 'FE0F'],
    ])
  })

  it('the base Answers block is exactly the spec text', () => {
    expect(answersBlock(BASE_VOCABULARY)).toBe(
      'Answers:\n<answer> Up </answer> | <answer> Down </answer> | <answer> Left </answer> | <answer> Right </answer>',
    )
  })

  it('numerical, alphabetical and random add the "where" line; cardinal and emoji do not', () => {
    expect(answersBlock(NUMERICAL_VOCABULARY).split('\n')[2]).toBe('where 1 is Up, 2 is Down, 3 is Left, 4 is Right.')
    expect(answersBlock(ALPHABETICAL_VOCABULARY).split('\n')[2]).toBe('where A is Up, B is Down, C is Left, D is Right.')
    expect(answersBlock(RANDOM_VOCABULARY).split('\n')[2]).toBe('where * is Up, & is Down, 1 is Left, M is Right.')
    expect(answersBlock(CARDINAL_VOCABULARY)).toBe(
      'Answers:\n<answer> North </answer> | <answer> South </answer> | <answer> West </answer> | <answer> East </answer>',
    )
    expect(answersBlock(EMOJI_VOCABULARY).split('\n')).toHaveLength(2)
  })

  it('the empty variant has no Answers block at all', () => {
    expect(PAPER_ENV_TYPE_VOCABULARIES.sokoban_empty).toBeNull()
    expect(answersBlock(null)).toBe('')
  })

  it('maps names to moves and back; in Random "1" is Left', () => {
    expect(actionName(RANDOM_VOCABULARY, 3)).toBe('1')
    expect(directionOfName(RANDOM_VOCABULARY, '1')).toBe(3)
    expect(directionOfName(RANDOM_VOCABULARY, 'm')).toBe(4)
    expect(directionOfName(BASE_VOCABULARY, 'north')).toBeNull()
  })
})

describe('paper eval tags (§3.4)', () => {
  it('has the 13 tags of the table', () => {
    expect(PAPER_EVAL_TAGS.map((t) => t.tag)).toEqual([
      'SimpleSokoban', 'LargerSokoban', 'TwoBoxesSokoban', 'ComplexSokoban', 'SimpleSokobanCardinal',
      'FakeSokobanCardinal', 'SimpleSokobanEmoji', 'FakeSokobanEmoji', 'SimpleSokobanEmpty',
      'SimpleSokobanNumerical', 'FakeSokobanNumerical', 'SimpleSokobanAlphabetical', 'SimpleSokobanRandom',
    ])
  })

  it('sizes and box counts follow the table; every tag has 30 steps, depth 30 and 30 actions', () => {
    const dims = Object.fromEntries(PAPER_EVAL_TAGS.map((t) => [t.tag, [t.rows, t.cols, t.boxes]]))
    expect(dims.SimpleSokoban).toEqual([6, 6, 1])
    expect(dims.LargerSokoban).toEqual([10, 10, 1])
    expect(dims.TwoBoxesSokoban).toEqual([6, 6, 2])
    expect(dims.ComplexSokoban).toEqual([10, 10, 2])
    for (const t of PAPER_EVAL_TAGS) {
      expect([t.maxSteps, t.searchDepth, t.maxActionsPerTraj]).toEqual([30, 30, 30])
      if (!['LargerSokoban', 'TwoBoxesSokoban', 'ComplexSokoban'].includes(t.tag)) expect(dims[t.tag]).toEqual([6, 6, 1])
    }
  })

  it('[§10.4] Fake tags show their variant but accept only the base words', () => {
    expect(paperEvalTag('FakeSokobanCardinal').vocabulary).toEqual({ shown: CARDINAL_VOCABULARY, accepted: BASE_VOCABULARY })
    expect(paperEvalTag('FakeSokobanEmoji').vocabulary).toEqual({ shown: EMOJI_VOCABULARY, accepted: BASE_VOCABULARY })
    expect(paperEvalTag('FakeSokobanNumerical').vocabulary).toEqual({ shown: NUMERICAL_VOCABULARY, accepted: BASE_VOCABULARY })
  })

  it('the other variant tags accept what they show; Empty shows nothing and accepts the base words', () => {
    expect(paperEvalTag('SimpleSokobanCardinal').vocabulary.accepted).toBe(CARDINAL_VOCABULARY)
    expect(paperEvalTag('SimpleSokobanEmoji').vocabulary.accepted).toBe(EMOJI_VOCABULARY)
    expect(paperEvalTag('SimpleSokobanNumerical').vocabulary.accepted).toBe(NUMERICAL_VOCABULARY)
    expect(paperEvalTag('SimpleSokobanAlphabetical').vocabulary.accepted).toBe(ALPHABETICAL_VOCABULARY)
    expect(paperEvalTag('SimpleSokobanRandom').vocabulary.accepted).toBe(RANDOM_VOCABULARY)
    expect(paperEvalTag('SimpleSokobanEmpty').vocabulary).toEqual({ shown: null, accepted: BASE_VOCABULARY })
    for (const tag of ['SimpleSokoban', 'LargerSokoban', 'TwoBoxesSokoban', 'ComplexSokoban']) {
      expect(paperEvalTag(tag).vocabulary).toEqual({ shown: BASE_VOCABULARY, accepted: BASE_VOCABULARY })
    }
  })

  it('the final eval set is 8 known tags in the scripts\' order', () => {
    expect(PAPER_FINAL_EVAL_TAGS).toEqual([
      'SimpleSokoban', 'LargerSokoban', 'ComplexSokoban', 'TwoBoxesSokoban', 'SimpleSokobanRandom',
      'SimpleSokobanNumerical', 'SimpleSokobanAlphabetical', 'FakeSokobanNumerical',
    ])
    for (const tag of PAPER_FINAL_EVAL_TAGS) expect(paperEvalTag(tag).tag).toBe(tag)
  })

  it('rejects an unknown tag with the list of known ones', () => {
    expect(() => paperEvalTag('simplesokoban')).toThrow(/Unknown Sokoban eval tag "simplesokoban".*SimpleSokoban/)
  })
})

describe('user-defined vocabularies', () => {
  it('accepts any four distinct non-empty strings', () => {
    const v = defineVocabulary('moves', ['go north', 'go south', 'go west', 'go east'])
    expect(v.names).toEqual(['go north', 'go south', 'go west', 'go east'])
    expect(v.explain).toBe(true)
  })

  it('explains itself unless it uses base or cardinal words, unless told otherwise', () => {
    expect(defineVocabulary('b', ['Up', 'Down', 'Left', 'Right']).explain).toBe(false)
    expect(defineVocabulary('c', ['North', 'x', 'y', 'z']).explain).toBe(false)
    expect(defineVocabulary('d', ['a1', 'b1', 'c1', 'd1'], { explain: false }).explain).toBe(false)
  })

  it('rejects names that clash after trimming and lower-casing, as the evaluator compares them', () => {
    expect(() => defineVocabulary('x', ['Up', 'up', 'Left', 'Right'])).toThrow(/name 2 \(Down\) "up" equals name 1 \(Up\)/)
    expect(() => defineVocabulary('x', ['ΑΣ', 'ας', 'a', 'b'])).toThrow(/equals name 1/)
  })

  it('rejects empty, padded, special-token names and wrong counts, saying which and why', () => {
    expect(vocabularyErrors(['a', 'b', 'c'])).toEqual(['A vocabulary needs exactly 4 names (for Up, Down, Left, Right); got 3.'])
    expect(vocabularyErrors(['a', ' ', 'c', 'd'])[0]).toMatch(/name 2 \(Down\) is empty/)
    expect(vocabularyErrors(['a', 'b', ' c', 'd'])[0]).toMatch(/name 3 \(Left\) " c" has leading or trailing whitespace/)
    expect(vocabularyErrors(['a', 'b', 'c', 'd<|im_end|>'])[0]).toMatch(/name 4 \(Right\).*contains <\|im_end\|>/)
    // U+0085 is whitespace to Python's strip(), though not to JavaScript's trim().
    expect(vocabularyErrors(['a\u0085', 'b', 'c', 'd'])[0]).toMatch(/leading or trailing whitespace/)
    expect(() => defineVocabulary('', ['a', 'b', 'c', 'd'])).toThrow(/id/)
  })

  it('warns about names the training reward cannot read', () => {
    expect(vocabularyWarnings(BASE_VOCABULARY)).toEqual([])
    expect(vocabularyWarnings(NUMERICAL_VOCABULARY)).toEqual([])
    const w = vocabularyWarnings(defineVocabulary('w', ['go up', 'a|b', '1', 'd']))
    expect(w).toHaveLength(3)
    expect(w[2]).toMatch(/digit 1-4 for another move/)
  })
})

describe('randomWordVocabulary (§7.5)', () => {
  const pool = ['tree', 'fix', 'jade', 'freedom', 'river', 'lamp', 'bread', 'sing']

  it('draws 4 different pool positions, deterministically per stream', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), (seed) => {
        const a = randomWordVocabulary(pool, rngFor(seed, 'words'))
        const b = randomWordVocabulary(pool, rngFor(seed, 'words'))
        expect(a).toEqual(b)
        expect(new Set(a.names).size).toBe(4)
        for (const n of a.names) expect(pool).toContain(n)
        expect(a.explain).toBe(true)
        expect(vocabularyErrors(a.names)).toEqual([])
      }),
    )
  })

  it('reaches every word in every slot', () => {
    const seen = [new Set<string>(), new Set<string>(), new Set<string>(), new Set<string>()]
    for (let i = 0; i < 400; i++) randomWordVocabulary(pool, rngFor(1, i)).names.forEach((n, k) => seen[k].add(n))
    for (const s of seen) expect(s.size).toBe(pool.length)
  })

  it('can repeat a word when the pool repeats it, and reports the clash', () => {
    let clash = null
    for (let i = 0; i < 200 && clash === null; i++) {
      const v = randomWordVocabulary(['fish', 'fish', 'cat', 'dog', 'owl'], rngFor(2, i))
      if (new Set(v.names).size < 4) clash = v
    }
    expect(clash).not.toBeNull()
    expect(vocabularyErrors(clash?.names ?? [])[0]).toMatch(/equals name/)
  })

  it('does not explain itself when it draws a standard word, and rejects tiny or blank pools', () => {
    expect(randomWordVocabulary(['Up', 'Down', 'Left', 'Right'], rngFor(3)).explain).toBe(false)
    expect(() => randomWordVocabulary(['a', 'b', 'c'], rngFor(3))).toThrow(/at least 4/)
    expect(() => randomWordVocabulary(['a', 'b', '', 'd'], rngFor(3))).toThrow(/entry 2 is empty/)
  })
})
