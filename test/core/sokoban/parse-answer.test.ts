// Tests of the paper's Sokoban answer parsers (paper-tasks.md §5.1, §5.3, §10 items 1-4 and
// 11-15). Expected results were worked out from the spec and checked against a transcription of
// the reference Python scorer (`debunk_sft/utils/reward_score/sokoban.py`, commit 077d4cf) run
// under CPython 3.11. Prompts come from the golden files, not from sftbench's prompt builder.
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import {
  computeScoreWithActionSequence,
  extractActionWithMapping,
  extractAnswersMapping,
  parseEvalAnswer,
  parseLenientAnswer,
  parseTrainingReward,
  pyIgnoreCaseEqual,
  pyStrip,
  splitActionTokens,
} from '../../../core/sokoban/parse-answer.ts'
import {
  ALPHABETICAL_VOCABULARY,
  BASE_VOCABULARY,
  CARDINAL_VOCABULARY,
  EMOJI_VOCABULARY,
  NUMERICAL_VOCABULARY,
  RANDOM_VOCABULARY,
  defineVocabulary,
  paperEvalTag,
  type ActionVocabulary,
} from '../../../core/sokoban/vocab.ts'
import type { Direction } from '../../../core/sokoban/directions.ts'
import { readRepoText } from '../../harness/repo.ts'

const golden = (name: string): string => readRepoText('test/golden/sokoban-prompts', name)

const BASE_TRAIN = golden('base-train.txt')
const NUMERICAL = golden('numerical-eval.txt')
const RANDOM = golden('random-eval.txt')
const EMPTY = golden('empty-eval.txt')
// The diverse set's example (§7.5, row 0): tree / fix / jade / freedom, with the where line.
const WORDS = BASE_TRAIN.replace(
  '<answer> Up </answer> | <answer> Down </answer> | <answer> Left </answer> | <answer> Right </answer>',
  '<answer> tree </answer> | <answer> fix </answer> | <answer> jade </answer> | <answer> freedom </answer>\n' +
    'where tree is Up, fix is Down, jade is Left, freedom is Right.',
)

function evalActions(text: string, vocab: ActionVocabulary = BASE_VOCABULARY): readonly Direction[] | string {
  const r = parseEvalAnswer(text, vocab)
  return r.ok ? r.actions : r.reason
}

describe('parseEvalAnswer (§5.1)', () => {
  it('[§10.1] reads only the first <answer>…</answer>', () => {
    expect(evalActions('<answer>Left</answer> then <answer>Up</answer>')).toEqual([3])
  })

  it('[§10.1] a tag quoted inside the reasoning is picked up first', () => {
    expect(evalActions('<think>I could write <answer>Down</answer>, but</think> <answer>Up</answer>')).toEqual([2])
  })

  it('[§10.1] matches across newlines (DOTALL)', () => {
    expect(evalActions('<answer>\n  Right\n</answer>')).toEqual([4])
  })

  it('[§10.1] tag names are case-sensitive', () => {
    expect(evalActions('<ANSWER>Up</ANSWER>')).toBe('no-answer-tag')
    expect(evalActions('<Answer>Up</Answer>')).toBe('no-answer-tag')
  })

  it('[§10.1] a missing </answer> (e.g. truncation) gives no action', () => {
    expect(evalActions('<think>long</think> <answer> Up')).toBe('no-answer-tag')
    expect(evalActions('')).toBe('no-answer-tag')
  })

  it('[§10.2] accepts Up, up, UP and " Up "', () => {
    for (const a of ['Up', 'up', 'UP', ' Up ', '\n\tuP  ']) expect(evalActions(`<answer>${a}</answer>`)).toEqual([1])
  })

  it('[§10.2] rejects "Up.", "Up, Up", "move up", "1" and "1(Up)" in the base vocabulary', () => {
    for (const a of ['Up.', 'Up, Up', 'move up', '1', '1(Up)', 'Up Up', '"Up"']) {
      expect(evalActions(`<answer> ${a} </answer>`), a).toBe('unknown-action')
    }
  })

  it('[§5.1] deletes the six special strings before comparing', () => {
    expect(evalActions('<answer><think> Down </think><|im_end|></answer>')).toEqual([2])
    expect(evalActions('<answer> <answer> Left <|im_start|></answer>')).toEqual([3])
  })

  it('[§5.1] an answer that is empty after cleaning is its own failure', () => {
    const r = parseEvalAnswer('<answer> <think> </answer>', BASE_VOCABULARY)
    expect(r).toMatchObject({ ok: false, reason: 'empty-answer', answer: '' })
  })

  it('[§5.1] strips Python whitespace: U+0085 and U+001C go, U+FEFF stays', () => {
    expect(evalActions('<answer>\u0085Up\u001c</answer>')).toEqual([1])
    expect(evalActions('<answer>\u3000Up\u2028</answer>')).toEqual([1])
    // JavaScript's trim() would remove U+FEFF; Python's strip() does not.
    expect(evalActions('<answer>\uFEFFUp</answer>')).toBe('unknown-action')
    expect(evalActions('<answer>\u200BUp</answer>')).toBe('unknown-action')
  })

  it('[§10.3] emoji need U+FE0F: a bare arrow is invalid', () => {
    expect(evalActions('<answer>\u2B06\uFE0F</answer>', EMOJI_VOCABULARY)).toEqual([1])
    expect(evalActions('<answer>\u27A1\uFE0F</answer>', EMOJI_VOCABULARY)).toEqual([4])
    expect(evalActions('<answer>\u2B06</answer>', EMOJI_VOCABULARY)).toBe('unknown-action')
  })

  it('[§10.3] in Random, m and M are both Right and 1 is Left', () => {
    expect(evalActions('<answer>M</answer>', RANDOM_VOCABULARY)).toEqual([4])
    expect(evalActions('<answer>m</answer>', RANDOM_VOCABULARY)).toEqual([4])
    expect(evalActions('<answer>1</answer>', RANDOM_VOCABULARY)).toEqual([3])
    expect(evalActions('<answer>*</answer>', RANDOM_VOCABULARY)).toEqual([1])
    expect(evalActions('<answer>&</answer>', RANDOM_VOCABULARY)).toEqual([2])
    expect(evalActions('<answer>2</answer>', RANDOM_VOCABULARY)).toBe('unknown-action')
  })

  it('[§10.4] Fake splits accept only Up/Down/Left/Right, not the vocabulary they show', () => {
    for (const tag of ['FakeSokobanNumerical', 'FakeSokobanCardinal', 'FakeSokobanEmoji']) {
      const { shown, accepted } = paperEvalTag(tag).vocabulary
      expect(shown).not.toBeNull()
      for (let i = 0; i < 4; i++) {
        expect(evalActions(`<answer>${shown?.names[i]}</answer>`, accepted), `${tag} ${shown?.names[i]}`).toBe('unknown-action')
        expect(evalActions(`<answer>${BASE_VOCABULARY.names[i]}</answer>`, accepted)).toEqual([i + 1])
      }
    }
  })

  it('[§3.4] the non-fake variants accept their own names', () => {
    const cases: [ActionVocabulary, string, number][] = [
      [CARDINAL_VOCABULARY, 'west', 3],
      [NUMERICAL_VOCABULARY, '2', 2],
      [ALPHABETICAL_VOCABULARY, 'd', 4],
      [ALPHABETICAL_VOCABULARY, 'C', 3],
    ]
    for (const [vocab, answer, move] of cases) expect(evalActions(`<answer>${answer}</answer>`, vocab)).toEqual([move])
    expect(evalActions('<answer>Up</answer>', CARDINAL_VOCABULARY)).toBe('unknown-action')
  })

  it('works with user-defined multi-word names, compared exactly after lower-casing', () => {
    const vocab = defineVocabulary('moves', ['move up', 'move down', 'move left', 'move right'])
    expect(evalActions('<answer> Move Left </answer>', vocab)).toEqual([3])
    expect(evalActions('<answer>move  left</answer>', vocab)).toBe('unknown-action')
  })

  it('reports the extracted answer and a readable detail on failure', () => {
    const r = parseEvalAnswer('<answer> Upward </answer>', BASE_VOCABULARY)
    expect(r.ok).toBe(false)
    if (!r.ok) {
      expect(r.answer).toBe('Upward')
      expect(r.detail).toContain('Up, Down, Left, Right')
    }
  })
})

interface TrainingCase {
  name: string
  prompt: string
  response: string
  gt: Direction[]
  score: number
  reason: string
}

const THINK = ' Let me look at the grid. </think> '

// Each case: prompt + response is what the reward manager decodes (special tokens kept).
const TRAINING_CASES: TrainingCase[] = [
  { name: '[§10.11] the canonical answer', prompt: BASE_TRAIN, response: `${THINK}<answer> Up </answer>`, gt: [1], score: 1, reason: 'correct' },
  { name: '[§10.11] an empty think block (answer-only SFT target)', prompt: BASE_TRAIN, response: '</think> <answer> Left </answer>\n', gt: [3], score: 1, reason: 'correct' },
  { name: '[§10.11] a second <answer> gives 0', prompt: BASE_TRAIN, response: `${THINK}<answer> Up </answer> <answer> Up </answer>`, gt: [1], score: 0, reason: 'bad-format' },
  { name: '[§10.11] a repeated <think> gives 0', prompt: BASE_TRAIN, response: ` <think> again </think> <answer> Up </answer>`, gt: [1], score: 0, reason: 'bad-format' },
  { name: '[§10.11] a missing </think> gives 0', prompt: BASE_TRAIN, response: ' <answer> Up </answer>', gt: [1], score: 0, reason: 'bad-format' },
  { name: '[§10.11] tags out of order give 0', prompt: BASE_TRAIN, response: ' <answer> Up </answer> </think>', gt: [1], score: 0, reason: 'bad-format' },
  { name: '[§10.11] a quoted </answer> in the reasoning gives 0', prompt: BASE_TRAIN, response: ' I write </answer> last. </think> <answer> Up </answer>', gt: [1], score: 0, reason: 'bad-format' },
  { name: '[§10.12] a newline inside the answer gives 0', prompt: BASE_TRAIN, response: `${THINK}<answer>\nUp</answer>`, gt: [1], score: 0, reason: 'no-answer' },
  { name: '[§10.12] the last match wins, and <action> tags count', prompt: BASE_TRAIN, response: `${THINK}<answer> Down </answer> <action>Up</action>`, gt: [1], score: 1, reason: 'correct' },
  { name: '[§10.12] a carriage return is not a newline for Python\'s "."', prompt: BASE_TRAIN, response: `${THINK}<answer>Up\rDown</answer>`, gt: [1], score: 1, reason: 'correct' },
  { name: '[§10.12] nor is U+2028', prompt: BASE_TRAIN, response: `${THINK}<answer>Left\u2028Up</answer>`, gt: [3], score: 1, reason: 'correct' },
  { name: '[§10.12] an empty answer is no answer', prompt: BASE_TRAIN, response: `${THINK}<answer></answer>`, gt: [1], score: 0, reason: 'no-answer' },
  { name: '[§10.12] a blank answer has no actions', prompt: BASE_TRAIN, response: `${THINK}<answer>   </answer>`, gt: [1], score: 0, reason: 'too-few-actions' },
  { name: '[§10.13] extra trailing actions are ignored', prompt: BASE_TRAIN, response: `${THINK}<answer> Up, Down </answer>`, gt: [1], score: 1, reason: 'correct' },
  { name: '[§10.13] splits on commas, semicolons and whitespace', prompt: BASE_TRAIN, response: `${THINK}<answer>up;down ,left\tright</answer>`, gt: [1, 2, 3, 4], score: 1, reason: 'correct' },
  { name: '[§10.13] fewer actions than the ground truth give 0', prompt: BASE_TRAIN, response: `${THINK}<answer> Up </answer>`, gt: [1, 2], score: 0, reason: 'too-few-actions' },
  { name: '[§10.13] a wrong first action gives 0', prompt: BASE_TRAIN, response: `${THINK}<answer> Down, Up </answer>`, gt: [1], score: 0, reason: 'wrong-actions' },
  { name: '[§10.13] "Up." is not a label', prompt: BASE_TRAIN, response: `${THINK}<answer> Up. </answer>`, gt: [1], score: 0, reason: 'wrong-actions' },
  { name: '[§10.14] a bare digit is that move in the base vocabulary', prompt: BASE_TRAIN, response: `${THINK}<answer> 1 </answer>`, gt: [1], score: 1, reason: 'correct' },
  { name: '[§10.14] n(label) gives n', prompt: BASE_TRAIN, response: `${THINK}<answer> 4(Right) </answer>`, gt: [4], score: 1, reason: 'correct' },
  { name: '[§10.14] n(label) gives n even when the label disagrees', prompt: BASE_TRAIN, response: `${THINK}<answer> 2(Up) </answer>`, gt: [2], score: 1, reason: 'correct' },
  { name: '[§10.13] "3 (left)" splits into 3 and an unreadable "(left)"', prompt: BASE_TRAIN, response: `${THINK}<answer>3\u00a0(left)</answer>`, gt: [3, 3], score: 0, reason: 'wrong-actions' },
  { name: '[§10.14] labels match case-insensitively', prompt: BASE_TRAIN, response: `${THINK}<answer> rIGHT </answer>`, gt: [4], score: 1, reason: 'correct' },
  { name: '[§10.14] Python IGNORECASE: dotless ı matches i inside n(label)', prompt: BASE_TRAIN, response: `${THINK}<answer> 4(rıght) </answer>`, gt: [4], score: 1, reason: 'correct' },
  { name: '[§10.14] a digit 5 is not a move', prompt: BASE_TRAIN, response: `${THINK}<answer> 5 </answer>`, gt: [1], score: 0, reason: 'wrong-actions' },
  { name: '[§10.14] numerical vocabulary', prompt: NUMERICAL, response: `${THINK}<answer> 3 </answer>`, gt: [3], score: 1, reason: 'correct' },
  { name: '[§10.14] random vocabulary: "1" is the label for Left, before the digit rule', prompt: RANDOM, response: `${THINK}<answer> 1 </answer>`, gt: [3], score: 1, reason: 'correct' },
  { name: '[§10.14] random vocabulary: "2" is a bare digit (Down)', prompt: RANDOM, response: `${THINK}<answer> 2 </answer>`, gt: [2], score: 1, reason: 'correct' },
  { name: '[§10.14] random vocabulary: m is M', prompt: RANDOM, response: `${THINK}<answer> m </answer>`, gt: [4], score: 1, reason: 'correct' },
  { name: '[§10.14] random vocabulary: 1(*) is 1', prompt: RANDOM, response: `${THINK}<answer> 1(*) </answer>`, gt: [1], score: 1, reason: 'correct' },
  { name: '[§7.5] diverse words', prompt: WORDS, response: `${THINK}<answer> Freedom </answer>`, gt: [4], score: 1, reason: 'correct' },
  { name: '[§7.5] diverse words: the base word is not a label', prompt: WORDS, response: `${THINK}<answer> Right </answer>`, gt: [4], score: 0, reason: 'wrong-actions' },
  { name: '[§10.15] no Answers block (empty variant) always gives 0', prompt: EMPTY, response: `${THINK}<answer> Up </answer>`, gt: [1], score: 0, reason: 'no-answers-block' },
  { name: '[§5.3] no assistant marker gives 0', prompt: '', response: `<think>${THINK}<answer> Up </answer>`, gt: [1], score: 0, reason: 'no-assistant-marker' },
  { name: '[§5.3] "Assistant:" anywhere moves the split before the chat marker', prompt: BASE_TRAIN, response: ` As the Assistant: I push.${THINK}<answer> Up </answer>`, gt: [1], score: 0, reason: 'bad-format' },
  { name: '[§5.3] the base chat wrapper splits at "Assistant:"', prompt: BASE_TRAIN.replace('<|im_start|>assistant\n<think>', 'Assistant: \n<think>'), response: `${THINK}<answer> Down </answer>`, gt: [2], score: 1, reason: 'correct' },
]

describe('parseTrainingReward (§5.3 diverse-prompt scorer)', () => {
  for (const c of TRAINING_CASES) {
    it(c.name, () => {
      const r = parseTrainingReward(c.prompt + c.response, c.gt)
      expect({ score: r.score, reason: r.reason }).toEqual({ score: c.score, reason: c.reason })
    })
  }

  it('[§5.3] returns the parsed tokens, their codes and the prompt mapping', () => {
    const r = parseTrainingReward(`${RANDOM}${THINK}<answer> 1, 2(&) x M </answer>`, [3])
    expect(r.answer).toBe('1, 2(&) x M')
    expect(r.tokens).toEqual(['1', '2(&)', 'x', 'M'])
    expect(r.actions).toEqual([3, 2, 0, 4])
    expect([...(r.mapping ?? [])]).toEqual([['*', 1], ['&', 2], ['1', 3], ['M', 4]])
  })

  it('[§5.3] an empty ground truth scores any well-formed answer (numpy compares two empty arrays)', () => {
    expect(parseTrainingReward(`${BASE_TRAIN}${THINK}<answer> nonsense </answer>`, []).score).toBe(1)
  })
})

describe('extractAnswersMapping (§5.3 step 4)', () => {
  it('reads the four stripped labels of the first Answers line', () => {
    expect([...(extractAnswersMapping(WORDS) ?? [])]).toEqual([['tree', 1], ['fix', 2], ['jade', 3], ['freedom', 4]])
    expect([...(extractAnswersMapping(golden('base-eval.txt')) ?? [])]).toEqual([['Up', 1], ['Down', 2], ['Left', 3], ['Right', 4]])
  })

  it('is case-insensitive and tolerates whitespace between the tags', () => {
    const m = extractAnswersMapping('ANSWERS:\n\n<Answer>a</ANSWER>|<answer>\tb </answer> | <answer>c</answer>|<answer> d</answer>')
    expect([...(m ?? [])]).toEqual([['a', 1], ['b', 2], ['c', 3], ['d', 4]])
  })

  it('keeps Python dict semantics when a label repeats: first position, last value', () => {
    const m = extractAnswersMapping('Answers:\n<answer> x </answer> | <answer> y </answer> | <answer> x </answer> | <answer> z </answer>')
    expect([...(m ?? [])]).toEqual([['x', 3], ['y', 2], ['z', 4]])
  })

  it('returns null without an Answers line', () => {
    expect(extractAnswersMapping(EMPTY)).toBeNull()
  })
})

describe('extractActionWithMapping and splitActionTokens (§5.3 step 5)', () => {
  const mapping = new Map([['Up', 1], ['Down', 2], ['Left', 3], ['Right', 4]])

  it('reads labels, n(label), bare digits and nothing else', () => {
    const cases: [string, number][] = [
      ['up', 1], ['DOWN', 2], ['3', 3], ['1(left)', 1], ['4 (Up)', 4], ['0', 0], ['Upp', 0], ['(Up)', 0], ['1(Up', 0], ['', 0],
    ]
    for (const [token, code] of cases) expect(extractActionWithMapping(token, mapping), token).toBe(code)
  })

  it('splits like re.split(r"[,;\\s]+") and drops empty pieces', () => {
    expect(splitActionTokens(' ,Up,,Down;; Left\u0085Right\uFEFFx ')).toEqual(['Up', 'Down', 'Left', 'Right\uFEFFx'])
    expect(splitActionTokens('')).toEqual([])
  })
})

describe('computeScoreWithActionSequence (§5.3 data-source scorer)', () => {
  const prefix = '<|im_start|>assistant\n\n<|im_end|>\n\n<think></think>'
  const cases: [string, Direction[], string, number | string][] = [
    ['<answer>up, left, down, right</answer>', [1, 3, 2, 4], 'sokoban', 1],
    ['<answer>up, left, down, right, right</answer>', [1, 3, 2, 4], 'sokoban', 1],
    ['<answer>up  left down left</answer>', [1, 3, 2, 4], 'sokoban', 0.1],
    ['<answer>up, left, </answer>', [1, 3, 2, 4], 'sokoban', 0],
    ['<answer>up, foo</answer>', [1, 3], 'sokoban', 0],
    ['<answer>north, west, south, east</answer>', [1, 3, 2, 4], 'sokoban_cardinal', 1],
    ['<answer>\u2B06\uFE0F, \u2B05\uFE0F, \u2B07\uFE0F, \u27A1\uFE0F</answer>', [1, 3, 2, 4], 'sokoban_emoji', 1],
    ['<answer>1, 3, 2, 4</answer>', [1, 3, 2, 4], 'sokoban_numerical', 1],
    ['<answer>A, C</answer>', [1, 3], 'sokoban_alphabetical', 1],
    ['<answer>1</answer>', [3], 'sokoban_random', 1],
    ['<answer>m</answer>', [4], 'sokoban_random', 1],
    ['<answer>&, M</answer>', [2, 4], 'sokoban_random', 1],
    ['<answer>Up</answer>', [1], 'sokoban_cardinal', 0],
    ['<answer>North</answer>', [1], 'sokoban_6x6_1horizon', 0],
  ]
  for (const [answer, gt, source, expected] of cases) {
    it(`${source}: ${answer} vs [${gt.join(',')}] → ${expected}`, () => {
      expect(computeScoreWithActionSequence(prefix + answer, gt, source).score).toBe(expected)
    })
  }

  it('reports the reference KeyError on a case-equivalent label that capitalize() cannot map', () => {
    const r = computeScoreWithActionSequence(`${prefix}<answer>rıght</answer>`, [4], 'sokoban')
    expect(r).toMatchObject({ score: 0, reason: 'reference-crash' })
  })
})

describe('Python string semantics', () => {
  it('pyStrip removes exactly str.isspace() characters', () => {
    expect(pyStrip('\u001c\u001d\u001e\u001f\u0085\u00a0 x \u2000\u200a\u3000')).toBe('x')
    expect(pyStrip('\uFEFFx\u200B')).toBe('\uFEFFx\u200B')
    expect(pyStrip('')).toBe('')
  })

  it('pyIgnoreCaseEqual follows re.IGNORECASE, including its extra equivalences', () => {
    expect(pyIgnoreCaseEqual('Right', 'rıght')).toBe(true)
    expect(pyIgnoreCaseEqual('Right', 'RİGHT')).toBe(true)
    expect(pyIgnoreCaseEqual('south', 'ſouth')).toBe(true)
    expect(pyIgnoreCaseEqual('k', '\u212A')).toBe(true)
    expect(pyIgnoreCaseEqual('Up', 'Upp')).toBe(false)
    expect(pyIgnoreCaseEqual('\u2B06\uFE0F', '\u2B06')).toBe(false)
  })

  it('agrees with the evaluator on any ASCII answer: valid exactly when it is a name up to case and whitespace', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme-ascii', maxLength: 12 }), (s) => {
        const r = parseEvalAnswer(`<answer>${s}</answer>`, BASE_VOCABULARY)
        const key = s.trim().toLowerCase()
        const expected = ['up', 'down', 'left', 'right'].indexOf(key) + 1
        if (s.includes('<') || s.includes('>')) return
        expect(r.ok ? r.actions[0] : 0).toBe(expected)
      }),
    )
  })
})

describe('parseLenientAnswer', () => {
  const plan = (text: string, vocab: ActionVocabulary = BASE_VOCABULARY): readonly Direction[] | string => {
    const r = parseLenientAnswer(text, vocab)
    return r.ok ? r.actions : r.reason
  }

  it('reads names separated by commas, spaces, arrows and ||', () => {
    expect(plan('<answer>Up, down -> LEFT → right || Up</answer>')).toEqual([1, 2, 3, 4, 1])
    expect(plan('<answer>[Up, Up, Right]</answer>')).toEqual([1, 1, 4])
    expect(plan('<answer>Up then Left and Down.</answer>')).toEqual([1, 3, 2])
  })

  it('reads LURD letters', () => {
    expect(plan('<answer>uurDl</answer>')).toEqual([1, 1, 4, 2, 3])
    expect(plan('<answer>U R D</answer>')).toEqual([1, 4, 2])
  })

  it('uses the last answer tag, an unclosed tag, or the last line', () => {
    expect(plan('<answer>Up</answer> no wait <answer>Down Down</answer>')).toEqual([2, 2])
    expect(plan('<think>hmm</think> <answer>Left Up')).toEqual([3, 1])
    expect(plan('I think the plan is:\nRight, Right, Up')).toEqual([4, 4, 1])
  })

  it("prefers the vocabulary's names: D is Right in the alphabetical vocabulary", () => {
    expect(plan('<answer>A, D, C</answer>', ALPHABETICAL_VOCABULARY)).toEqual([1, 4, 3])
    expect(plan('<answer>* & 1 M m</answer>', RANDOM_VOCABULARY)).toEqual([1, 2, 3, 4, 4])
  })

  it('accepts emoji with or without U+FE0F, even unseparated', () => {
    expect(plan('<answer>\u2B06\u2B06\uFE0F \u27A1</answer>', EMOJI_VOCABULARY)).toEqual([1, 1, 4])
  })

  it('fails on an unreadable piece instead of dropping it', () => {
    expect(plan('<answer>Up, jump, Left</answer>')).toBe('unknown-action')
    expect(plan('<answer>Upward</answer>')).toBe('unknown-action')
    expect(plan('<answer> </answer>')).toBe('empty-answer')
    expect(plan('')).toBe('no-answer-tag')
  })

  it('reads back any plan written with names, letters and mixed separators', () => {
    const seps = [', ', ' ', ' -> ', ' || ', ';', ' → ']
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 20 }),
        fc.array(fc.integer({ min: 0, max: seps.length - 1 }), { minLength: 20, maxLength: 20 }),
        fc.boolean(),
        (moves, sepIdx, upper) => {
          const words = moves.map((m) => BASE_VOCABULARY.names[m - 1])
          const text = words.map((w, i) => (i === 0 ? '' : seps[sepIdx[i]]) + (upper ? w.toUpperCase() : w)).join('')
          expect(plan(`<answer>${text}</answer>`)).toEqual(moves)
        },
      ),
    )
  })
})
