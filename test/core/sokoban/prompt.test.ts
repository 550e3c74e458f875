// Tests of the paper's Sokoban prompts against golden strings assembled from the spec's own text
// (test/golden/sokoban-prompts/README.md): paper-tasks.md §7.1-§7.3, §3.3, §10.9, §11.2.
import { describe, expect, it } from 'vitest'
import { parsePaperGrid } from '../../../core/sokoban/text.ts'
import {
  paperEvalPrompt,
  paperTrainPrompt,
  sokobanPromptBody,
  wrapQwenInstruct,
} from '../../../core/sokoban/prompt.ts'
import {
  BASE_VOCABULARY,
  NUMERICAL_VOCABULARY,
  RANDOM_VOCABULARY,
  defineVocabulary,
} from '../../../core/sokoban/vocab.ts'
import { applyMove } from '../../../core/sokoban/rules.ts'
import { DOWN } from '../../../core/sokoban/directions.ts'
import { readRepoText } from '../../harness/repo.ts'

const golden = (name: string): string => readRepoText('test/golden/sokoban-prompts', name)

const GRID = golden('grid-seed123.txt')
const level = parsePaperGrid(GRID)

describe('Sokoban prompt body (§7.1)', () => {
  it('[§10.9] the evaluation body ends with the stray backslash', () => {
    const body = sokobanPromptBody(GRID, BASE_VOCABULARY, 'eval')
    expect(body).toBe(golden('base-eval-body.txt'))
    expect(body.endsWith('Decide the next action:\\')).toBe(true)
  })

  it('[§11.2] the training body ends without it', () => {
    const body = sokobanPromptBody(GRID, BASE_VOCABULARY, 'train')
    expect(body).toBe(golden('base-train-body.txt'))
    expect(body.endsWith('Decide the next action:')).toBe(true)
  })

  it('[§7.2] the empty variant leaves four newlines between the rules and the rewards', () => {
    expect(sokobanPromptBody(GRID, null, 'eval')).toContain('2. Avoid walls (#).\n\n\n\nRewards:')
  })

  it('[§7.2] an explained vocabulary puts its "where" line right above the blank line', () => {
    expect(sokobanPromptBody(GRID, NUMERICAL_VOCABULARY, 'eval')).toContain(
      '<answer> 4 </answer>\nwhere 1 is Up, 2 is Down, 3 is Left, 4 is Right.\n\nRewards:',
    )
  })

  it('[§7.2] random words (diverse set) follow create_ultra_mixed_dataset.py', () => {
    const words = defineVocabulary('words', ['tree', 'fix', 'jade', 'freedom'])
    expect(sokobanPromptBody(GRID, words, 'train')).toContain(
      'Answers:\n<answer> tree </answer> | <answer> fix </answer> | <answer> jade </answer> | <answer> freedom </answer>\n' +
        'where tree is Up, fix is Down, jade is Left, freedom is Right.\n\nRewards:',
    )
  })
})

describe('qwen-instruct wrapper (§7.3)', () => {
  it('[§10.9] wraps the evaluation prompt: backslash, newline, then the format line', () => {
    const prompt = paperEvalPrompt(level, level.start, BASE_VOCABULARY)
    expect(prompt).toBe(golden('base-eval.txt'))
    expect(prompt).toContain('Decide the next action:\\\nAlways output: <think>')
    expect(prompt.startsWith('<|im_start|>user\nYou are a Sokoban solver.')).toBe(true)
    expect(prompt.endsWith('Strictly follow this format. <|im_end|>\n<|im_start|>assistant\n<think>')).toBe(true)
    expect(prompt).not.toContain('<|im_start|>system')
  })

  it('wraps the training prompt the same way, without the backslash', () => {
    expect(paperTrainPrompt(level, level.start, BASE_VOCABULARY)).toBe(golden('base-train.txt'))
  })

  it('defaults to the base vocabulary', () => {
    expect(paperEvalPrompt(level, level.start)).toBe(golden('base-eval.txt'))
  })

  it('builds the numerical, random and empty evaluation prompts', () => {
    expect(paperEvalPrompt(level, level.start, NUMERICAL_VOCABULARY)).toBe(golden('numerical-eval.txt'))
    expect(paperEvalPrompt(level, level.start, RANDOM_VOCABULARY)).toBe(golden('random-eval.txt'))
    expect(paperEvalPrompt(level, level.start, null)).toBe(golden('empty-eval.txt'))
  })

  it('inserts the prompt literally, even when it contains the placeholder text', () => {
    const wrapped = wrapQwenInstruct('a {prompt} $& b')
    expect(wrapped.startsWith('<|im_start|>user\na {prompt} $& b\nAlways output:')).toBe(true)
  })

  it('[§10.8] shows only the current position: a moved player changes just the grid', () => {
    const before = paperEvalPrompt(level, level.start)
    const after = paperEvalPrompt(level, applyMove(level, level.start, DOWN).state)
    const grid = (p: string): string => p.slice(p.indexOf('[Current Observation]:\n'), p.indexOf('\nDecide'))
    expect(after).not.toBe(before)
    expect(after.replace(grid(after), '')).toBe(before.replace(grid(before), ''))
    expect(grid(after)).toContain(' # \t _ \t P \t # \t # \t # \t')
  })
})
