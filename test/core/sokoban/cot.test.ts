// Tests of the solver-written chain of thought (core/sokoban/cot.ts): its facts on the spec's
// example (paper-tasks.md §3.1), and that the paper's evaluation parser (§5.1) and training
// reward (§5.3) both accept it on many generated and hand-made positions in every vocabulary.
import { describe, expect, it } from 'vitest'
import { sokobanCot } from '../../../core/sokoban/cot.ts'
import { generateLevel } from '../../../core/sokoban/generate.ts'
import { parsePaperGrid } from '../../../core/sokoban/text.ts'
import { parseXsbLevel } from '../../../core/sokoban/xsb.ts'
import { applyMove } from '../../../core/sokoban/rules.ts'
import { optimalNextMove } from '../../../core/sokoban/solve/index.ts'
import { paperEvalPrompt, paperTrainPrompt } from '../../../core/sokoban/prompt.ts'
import { parseEvalAnswer, parseTrainingReward } from '../../../core/sokoban/parse-answer.ts'
import { rngFor } from '../../../core/rng/index.ts'
import {
  ALPHABETICAL_VOCABULARY,
  BASE_VOCABULARY,
  CARDINAL_VOCABULARY,
  EMOJI_VOCABULARY,
  NUMERICAL_VOCABULARY,
  RANDOM_VOCABULARY,
  defineVocabulary,
  randomWordVocabulary,
  type ActionVocabulary,
} from '../../../core/sokoban/vocab.ts'
import type { Level, SokobanState } from '../../../core/sokoban/level.ts'
import { readRepoText } from '../../harness/repo.ts'

const SEED123 = parsePaperGrid(readRepoText('test/golden/sokoban-prompts/grid-seed123.txt'))

const WORD_POOL = ['tree', 'fix', 'jade', 'freedom', 'river', 'lamp', 'bread', 'sing', 'cloud', 'amber']
const VOCABS: ActionVocabulary[] = [
  BASE_VOCABULARY,
  CARDINAL_VOCABULARY,
  EMOJI_VOCABULARY,
  NUMERICAL_VOCABULARY,
  ALPHABETICAL_VOCABULARY,
  RANDOM_VOCABULARY,
  randomWordVocabulary(WORD_POOL, rngFor(5, 'cot-words')),
  defineVocabulary('mixed', ['Haut', 'bas', 'GAUCHE', 'droite']),
]

/** Every position along the BFS-optimal path from the start, solved end excluded. */
function pathPositions(level: Level): SokobanState[] {
  const out: SokobanState[] = []
  let state = level.start
  for (let move = optimalNextMove(level, state); move !== null; move = optimalNextMove(level, state)) {
    out.push(state)
    state = applyMove(level, state, move).state
  }
  return out
}

describe('sokobanCot', () => {
  it('states the positions, the plan and the move of the spec example (§3.1: Down, Left, Up)', () => {
    const cot = sokobanCot(SEED123, SEED123.start, BASE_VOCABULARY)
    expect(cot).toContain('6 rows and 6 columns')
    expect(cot).toContain('I am at row 4, column 3.')
    expect(cot).toContain('Boxes not on a target: row 4, column 2.')
    expect(cot).toContain('Empty targets: row 3, column 2.')
    expect(cot).toContain('3 moves: Down, Left, Up.')
    expect(cot).toContain('Moving Down takes me to row 5, column 3.')
    expect(cot.endsWith('\n</think> <answer> Down </answer>')).toBe(true)
  })

  it('describes a push and names the move in the prompt\'s words', () => {
    const last = applyMove(SEED123, applyMove(SEED123, SEED123.start, 2).state, 3).state
    const cot = sokobanCot(SEED123, last, RANDOM_VOCABULARY)
    expect(cot).toContain('Moving Up pushes the box at row 4, column 2 to row 3, column 2.')
    expect(cot).toContain('which this prompt calls "*"')
    expect(cot.endsWith('</think> <answer> * </answer>')).toBe(true)
  })

  it('is accepted by the eval parser and the training reward on generated levels, in every vocabulary', () => {
    const configs = [
      { rows: 6, cols: 6, boxes: 1, searchDepth: 30 },
      { rows: 6, cols: 6, boxes: 2, searchDepth: 30 },
      { rows: 8, cols: 8, boxes: 1, searchDepth: 30 },
    ]
    let checked = 0
    for (const config of configs) {
      for (let i = 0; i < 8; i++) {
        const { level } = generateLevel(config, 11, i)
        for (const state of pathPositions(level)) {
          const best = optimalNextMove(level, state)
          for (const vocab of VOCABS) {
            const cot = sokobanCot(level, state, vocab)
            const where = `${config.rows}x${config.cols}/${config.boxes} #${i} ${vocab.id}`
            expect(parseEvalAnswer(cot, vocab), where).toMatchObject({ ok: true, actions: [best] })
            const reward = parseTrainingReward(paperTrainPrompt(level, state, vocab) + cot, [best as 1])
            expect(reward.reason, where).toBe('correct')
            // The evaluation prompt (stray backslash) reads the same.
            expect(parseTrainingReward(paperEvalPrompt(level, state, vocab) + cot, [best as 1]).score, where).toBe(1)
            checked++
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(300)
  })

  it('works on hand-made levels with a box already home and the player on a target', () => {
    const level = parseXsbLevel(['#######', '#+$   #', '#     #', '#  *  #', '#######'].join('\n'))
    const positions = pathPositions(level)
    expect(positions.length).toBe(5)
    expect(sokobanCot(level, level.start, BASE_VOCABULARY)).toContain('I am at row 2, column 2.')
    for (const state of positions) {
      const cot = sokobanCot(level, state, BASE_VOCABULARY)
      expect(cot).toContain('Boxes already on a target: row 4, column 4.')
      expect(parseTrainingReward(paperTrainPrompt(level, state) + cot, [optimalNextMove(level, state) as 1]).score).toBe(1)
    }
  })

  it('keeps the reasoning free of tags and chat markers', () => {
    const cot = sokobanCot(SEED123, SEED123.start, EMOJI_VOCABULARY)
    const reasoning = cot.slice(0, cot.lastIndexOf('\n</think>'))
    for (const s of ['<', '>', 'Assistant:', '<|im_']) expect(reasoning).not.toContain(s)
  })

  it('refuses solved or unsolvable positions and unusable vocabularies', () => {
    const solved = parseXsbLevel('#####\n#@* #\n#####')
    expect(() => sokobanCot(solved, solved.start, BASE_VOCABULARY)).toThrow(/already on a target/)
    // Solved by play rather than from the start: one push takes the box home.
    const corridor = parseXsbLevel('#####\n#@$.#\n#####')
    const pushedHome = applyMove(corridor, corridor.start, 4).state
    expect(() => sokobanCot(corridor, pushedHome, BASE_VOCABULARY)).toThrow(/already on a target/)
    // The box sits in a corner off its goal: no plan exists.
    const cornered = parseXsbLevel('#####\n#$@.#\n#####')
    expect(() => sokobanCot(cornered, cornered.start, BASE_VOCABULARY)).toThrow(/no plan .*status unsolvable/)
    expect(() => sokobanCot(SEED123, SEED123.start, BASE_VOCABULARY, { maxDepth: 2 })).toThrow(/status depth-exceeded/)
    const clash = { id: 'clash', names: ['a', 'A', 'b', 'c'] as const, explain: true }
    expect(() => sokobanCot(SEED123, SEED123.start, clash)).toThrow(/cannot be answered/)
  })
})
