import { describe, expect, it } from 'vitest'
import {
  importVerlRows,
  parseFaceMessage,
  parseGpQuestion,
  parsePythonStrList,
  parseSokobanPrompt,
  unwrapChat,
} from '../../../core/dataset/import.ts'
import { paperEvalPrompt, paperTrainPrompt, sokobanPromptBody } from '../../../core/sokoban/prompt.ts'
import { renderPaperGrid } from '../../../core/sokoban/text.ts'
import { parseXsbLevel, serializeXsb } from '../../../core/sokoban/xsb.ts'
import { applyMove } from '../../../core/sokoban/rules.ts'
import { EMOJI_VOCABULARY, NUMERICAL_VOCABULARY, RANDOM_VOCABULARY, defineVocabulary } from '../../../core/sokoban/vocab.ts'
import { paperGpHand, paperGpQuestion } from '../../../core/paper/paper-gp.ts'
import { paperTemplateLibrary, wrapPrompt } from '../../../core/prompt/index.ts'
import type { SokobanRlRow } from '../../../core/dataset/verl.ts'
import type { Direction } from '../../../core/sokoban/directions.ts'

// A 6x6 level: player, box, goal in a row, solved by Right, Right.
const LEVEL = parseXsbLevel(['######', '#@$ .#', '#    #', '######', '######', '######'].join('\n'))

describe('Sokoban prompts taken apart [§7.1-§7.3]', () => {
  it('[§7.1][§11.2] the eval prompt (stray backslash) and the training prompt', () => {
    const evalPrompt = parseSokobanPrompt(paperEvalPrompt(LEVEL, LEVEL.start))
    expect(evalPrompt).toMatchObject({ wrapper: 'qwen-instruct', template: 'sokoban-eval', horizon: 1, shown: 'base' })
    expect(serializeXsb(evalPrompt.level)).toBe(serializeXsb(LEVEL))
    const train = parseSokobanPrompt(paperTrainPrompt(LEVEL, LEVEL.start, NUMERICAL_VOCABULARY))
    expect(train).toMatchObject({ template: 'sokoban-single-action', shown: 'numerical' })
  })

  it('[§3.3] vocabularies: emoji, random (1 = Left), empty (no Answers block), custom words', () => {
    expect(parseSokobanPrompt(paperEvalPrompt(LEVEL, LEVEL.start, EMOJI_VOCABULARY)).shown).toBe('emoji')
    expect(parseSokobanPrompt(paperEvalPrompt(LEVEL, LEVEL.start, RANDOM_VOCABULARY)).shown).toBe('random')
    const empty = paperEvalPrompt(LEVEL, LEVEL.start, null)
    expect(empty).toContain('2. Avoid walls (#).\n\n\n\nRewards:')
    expect(parseSokobanPrompt(empty).shown).toBeNull()
    const words = defineVocabulary('w', ['tree', 'fix', 'jade', 'freedom'])
    expect(parseSokobanPrompt(paperTrainPrompt(LEVEL, LEVEL.start, words)).shown).toEqual({
      kind: 'custom',
      names: ['tree', 'fix', 'jade', 'freedom'],
      explain: true,
    })
  })

  it('[§7.3] every chat wrapper of the library, and a bare body', () => {
    const body = sokobanPromptBody(renderPaperGrid(LEVEL, LEVEL.start), NUMERICAL_VOCABULARY, 'train')
    const library = paperTemplateLibrary()
    for (const wrapper of ['qwen-instruct', 'qwen-instruct-answer-only', 'base']) {
      const text = wrapPrompt(library, wrapper, body)
      expect(unwrapChat(text)).toEqual({ wrapper, body })
      expect(parseSokobanPrompt(text).wrapper).toBe(wrapper)
    }
    expect(parseSokobanPrompt(body)).toMatchObject({ wrapper: null, shown: 'numerical' })
  })

  it('[§7.2] the mixed dataset\'s extra blank line after the Answers block is accepted', () => {
    const text = paperTrainPrompt(LEVEL, LEVEL.start).replace('</answer>\n\nRewards:', '</answer>\n\n\nRewards:')
    expect(parseSokobanPrompt(text).shown).toBe('base')
  })

  it('multi-action prompts give their horizon', () => {
    const text = paperTrainPrompt(LEVEL, LEVEL.start).replace('Decide the next action:', 'Decide the next 3 actions:')
    expect(parseSokobanPrompt(text)).toMatchObject({ template: 'sokoban-multi-action', horizon: 3 })
  })

  it('says what is wrong with a prompt it cannot read', () => {
    const good = paperTrainPrompt(LEVEL, LEVEL.start)
    expect(() => parseSokobanPrompt('What is 2 + 2?')).toThrow(/not a Sokoban prompt/)
    expect(() => parseSokobanPrompt(good.replace('Decide the next action:', 'Go:'))).toThrow(/does not end with "Decide the next action:"/)
    expect(() => parseSokobanPrompt(good.replace('<answer> Left </answer> | ', ''))).toThrow(/Answers block is not four/)
    expect(() => parseSokobanPrompt(good.replace(' _ \t', ' ? \t'))).toThrow(/grid cannot be read: Grid row 2/)
    const where = paperTrainPrompt(LEVEL, LEVEL.start, NUMERICAL_VOCABULARY).replace('where 1 is Up', 'where 9 is Up')
    expect(() => parseSokobanPrompt(where)).toThrow(/names other words than its tags/)
  })
})

describe('General Points questions taken apart [§6.2][§7.4]', () => {
  it('[§7.4] the test question of gp_l_id task 0: cards 2 7 Q 2, all count as 10', () => {
    const hand = paperGpHand('gp_l_id', 0)
    expect(hand.cards).toEqual(['2', '7', 'Q', '2'])
    const parsed = parseGpQuestion(hand.question)
    expect(parsed).toMatchObject({ template: 'gp-test', target: 24, cards: ['2', '7', 'Q', '2'], ranks: [2, 7, 12, 2], message: 'paper' })
    expect(parsed.shownRule.name).toBe('all_10')
  })

  it('[§10.26] the training question ends with one newline less', () => {
    const test = paperGpQuestion(['A', 'K', '5', '14'], "'J' counts as '8', 'Q' counts as '9', and 'K' counts as '10'")
    const parsed = parseGpQuestion(test.slice(0, -1))
    expect(parsed).toMatchObject({ template: 'gp-train', ranks: [1, 13, 5, 14] })
    expect(parsed.shownRule.name).toBe('mixed_8_9_10')
  })

  it('[§6.2] the four face-card wordings', () => {
    expect(parseFaceMessage("'J', 'Q', and 'K' all count as '7'")).toMatchObject({ rule: { name: 'all_7' }, message: 'paper' })
    expect(parseFaceMessage("'J' counts as '11', 'Q' counts as '12', and 'K' counts as '13'").rule.name).toBe('mixed_11_12_13')
    expect(parseFaceMessage("'J', 'Q', and 'K' count as '10'")).toMatchObject({ rule: { name: 'all_10' }, message: 'env' })
    expect(parseFaceMessage("'J', 'Q', and 'K' count as '11', '12', and '13' respectively")).toMatchObject({
      rule: { jack: 11, queen: 12, king: 13 },
      message: 'env',
    })
    expect(parseFaceMessage("'J', 'Q', and 'K' all count as '4'").rule).toMatchObject({ jack: 4, queen: 4, king: 4 })
    expect(() => parseFaceMessage('faces are worth ten')).toThrow(/none of the paper's wordings/)
  })

  it('Python list reprs of card strings', () => {
    expect(parsePythonStrList("['2', '7', 'Q', '2']")).toEqual(['2', '7', 'Q', '2'])
    expect(parsePythonStrList('[]')).toEqual([])
    expect(() => parsePythonStrList('["2", "7"]')).toThrow(/not a Python list of quoted card strings/)
  })

  it('rejects a question whose card count disagrees with its text', () => {
    const question = paperGpQuestion(['2', '3', '4'], "'J', 'Q', and 'K' all count as '10'").replace('a set of 3 cards', 'a set of 4 cards')
    expect(() => parseGpQuestion(question)).toThrow(/announces 4 cards but lists 3/)
  })
})

describe('importVerlRows', () => {
  function rlRow(level: typeof LEVEL, state: typeof LEVEL.start, label: Direction, index: number): SokobanRlRow {
    return {
      data_source: 'sokoban',
      prompt: [{ role: 'user', content: paperTrainPrompt(level, state) }],
      ability: 'bfs',
      reward_model: { style: 'rule', ground_truth: [label] },
      extra_info: { split: 'train', index },
      id: `train_${index}`,
    }
  }
  const columns = ['data_source', 'prompt', 'ability', 'reward_model', 'extra_info', 'id']

  it('joins one-step rows into puzzles, and starts a new puzzle after a solved one even on the same board', () => {
    const second = applyMove(LEVEL, LEVEL.start, 4).state
    const rows = [
      rlRow(LEVEL, LEVEL.start, 4, 0),
      rlRow(LEVEL, second, 4, 1),
      // The same puzzle again: a new instance, because the previous row solved the first one.
      rlRow(LEVEL, LEVEL.start, 4, 2),
      rlRow(LEVEL, second, 4, 3),
    ]
    const d = importVerlRows(rows as unknown as Record<string, unknown>[], columns)
    expect(d).toMatchObject({ task: 'sokoban', kind: 'rl', layout: 'sokoban-rl', rows: 4, problems: [] })
    expect(d.instances.map((i) => (i.task === 'sokoban' ? i.optimalPlan : []))).toEqual([[4, 4], [4, 4]])
    expect(d.instances.map((i) => i.meta.rows)).toEqual([[0, 1], [2, 3]])
    expect(d.examples.map((e) => e.instance)).toEqual([0, 0, 1, 1])
  })

  it('a row that is not the previous position after its label starts a new puzzle', () => {
    const rows = [rlRow(LEVEL, LEVEL.start, 4, 0), rlRow(LEVEL, LEVEL.start, 4, 1)]
    const d = importVerlRows(rows as unknown as Record<string, unknown>[], columns)
    expect(d.instances).toHaveLength(2)
  })

  it('[§6.3] a General Points row scored with 10 while showing 5 is a fake variant', () => {
    const hand = paperGpHand('gp_l_all_5_fake', 0)
    const row = {
      data_source: 'gp_l_all_5_fake',
      question: [{ role: 'user', content: hand.question }],
      extra_info: { index: 0, cards: hand.cards, display_cards: hand.displayValues, solution: hand.solutions, target: 24, face_card_mapping: 'all_5' },
    }
    const d = importVerlRows([row], ['data_source', 'question', 'extra_info'])
    expect(d.problems).toEqual([])
    expect(d.variants[0]).toMatchObject({ template: 'gp-test', rule: { shown: 'all_5', scored: 'all_10' } })
    const inst = d.instances[0]
    expect(inst.task === 'gp' && [inst.shownValues, inst.values]).toEqual([
      hand.ranks.map((r) => (r >= 11 && r <= 13 ? 5 : r)),
      hand.displayValues,
    ])
  })

  it('refuses columns of neither task', () => {
    expect(() => importVerlRows([], ['text'])).toThrow(/neither "prompt" \(Sokoban\) nor "question" \(General Points\)/)
  })
})
