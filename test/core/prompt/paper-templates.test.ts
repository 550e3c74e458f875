import { readdirSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  PAPER_TEMPLATES,
  gpTemplateVars,
  paperTemplateLibrary,
  renderTemplate,
  sokobanTemplateVars,
  wrapPrompt,
} from '../../../core/prompt/index.ts'
import { PAPER_GP_SPLITS, paperGpHand, paperGpQuestion, paperGpSplit } from '../../../core/paper/paper-gp.ts'
import { PAPER_SOKOBAN_TAG_LISTS, paperBfsLabels, paperSokobanLevel } from '../../../core/paper/paper-sokoban.ts'
import { faceCardMessage, shownRule } from '../../../core/gp/rules.ts'
import { applyMove } from '../../../core/sokoban/rules.ts'
import { paperEvalPrompt, paperTrainPrompt, wrapQwenInstruct } from '../../../core/sokoban/prompt.ts'
import { renderPaperGrid } from '../../../core/sokoban/text.ts'
import { answersBlock, paperEvalTag, PAPER_ENV_TYPE_VOCABULARIES } from '../../../core/sokoban/vocab.ts'
import type { SokobanState } from '../../../core/sokoban/level.ts'
import { SAMPLE_TEMPLATES } from '../../../core/prompt/sample-templates.ts'
import { readRepoText, repoPath } from '../../harness/repo.ts'


/** A golden file holding one spec line with `\n` written as backslash-n (the spec's notation). */
function specLine(file: string): string {
  const raw = readRepoText('test/golden/prompt', file)
  expect(raw.endsWith('\n')).toBe(true)
  return raw.slice(0, -1).replaceAll('\\n', '\n')
}

const library = paperTemplateLibrary()
const render = (name: string, vars: Record<string, unknown>): string => renderTemplate(library.compiled(name), vars).text
const wrap = (name: string, prompt: string): string => wrapPrompt(library, name, prompt)

describe('samples/templates mirror core/prompt/paper-templates.ts', () => {
  it('each .jinja file equals its constant byte for byte', () => {
    for (const t of [...PAPER_TEMPLATES, ...SAMPLE_TEMPLATES]) {
      expect(readRepoText('samples/templates', `${t.name}.jinja`), t.name).toBe(t.source)
    }
  })

  it('library.json lists exactly those templates (then sftbench\'s own), with their task and description', () => {
    const index = JSON.parse(readRepoText('samples/templates/library.json')) as {
      templates: { name: string; task: string; file: string; description: string; provenance: string }[]
    }
    const all = [...PAPER_TEMPLATES, ...SAMPLE_TEMPLATES]
    expect(index.templates.map((e) => e.name)).toEqual(all.map((t) => t.name))
    for (const e of index.templates) {
      const t = all.find((p) => p.name === e.name)
      expect(e).toEqual({ name: t?.name, task: t?.task, file: `${t?.name}.jinja`, description: t?.description, provenance: t?.provenance })
    }
    const jinjaFiles = readdirSync(repoPath('samples/templates')).filter((f) => f.endsWith('.jinja')).sort()
    expect(jinjaFiles).toEqual(index.templates.map((e) => e.file).sort())
  })

  it('the library holds the names of the design, exactly', () => {
    expect(library.list().map((e) => e.name)).toEqual([
      'sokoban-single-action',
      'sokoban-multi-action',
      'sokoban-eval',
      'gp-train',
      'gp-test',
      'sokoban-target',
      'sokoban-target-answer-only',
      'qwen-instruct',
      'qwen-instruct-answer-only',
      'base',
    ])
  })
})

describe('[§7] golden strings copied from the spec', () => {
  const GRID = ' # \t # \t # \t\n # \t P \t # \t\n # \t # \t # \t'
  const body = specLine('spec-7.1-sokoban-body.txt')
  const answers = specLine('spec-3.3-answers-block-base.txt')

  it('[§7.1] sokoban-single-action is the spec body with the base Answers block', () => {
    const expected = body.replace('<ANSWERS-BLOCK>', answers).replace('<GRID>', GRID)
    expect(render('sokoban-single-action', { answers_block: answers, board: GRID })).toBe(expected)
  })

  it('[§7.1, §10.9, §11.2] sokoban-eval ends "Decide the next action:\\" with the stray backslash', () => {
    const expected = `${body.replace('<ANSWERS-BLOCK>', answers).replace('<GRID>', GRID)}\\`
    const text = render('sokoban-eval', { answers_block: answers, board: GRID })
    expect(text).toBe(expected)
    expect(text.endsWith('Decide the next action:\\')).toBe(true)
  })

  it('[§7.1] sokoban-multi-action ends "Decide the next {len_horizon} actions:"', () => {
    const expected = body
      .replace('<ANSWERS-BLOCK>', answers)
      .replace('<GRID>', GRID)
      .replace(/Decide the next action:$/, 'Decide the next 3 actions:')
    expect(render('sokoban-multi-action', { answers_block: answers, board: GRID, len_horizon: 3 })).toBe(expected)
  })

  it('[§7.2] the empty variant leaves "2. Avoid walls (#).\\n\\n\\n\\nRewards:"', () => {
    expect(render('sokoban-eval', { answers_block: '', board: GRID })).toContain('2. Avoid walls (#).\n\n\n\nRewards:')
  })

  it('[§7.3] qwen-instruct, with the space before <|im_end|> and the open <think>', () => {
    const spec = specLine('spec-7.3-qwen-instruct.txt')
    expect(wrap('qwen-instruct', 'PROMPT\\')).toBe(spec.replace('{prompt}', 'PROMPT\\'))
    expect(wrap('qwen-instruct', 'P')).toContain('format. <|im_end|>\n<|im_start|>assistant\n<think>')
  })

  it('[§7.3] qwen-instruct-answer-only: spec tail, paper-repo full text', () => {
    const [, tail] = specLine('spec-7.3-qwen-instruct-answer-only.txt').split('…')
    const text = wrap('qwen-instruct-answer-only', 'PROMPT')
    expect(text.startsWith('<|im_start|>user\nPROMPT')).toBe(true)
    expect(text.endsWith(tail)).toBe(true)
    expect(text).toBe(specLine('paper-repo-qwen-instruct-answer-only.txt').replace('{prompt}', 'PROMPT'))
  })

  it('[§7.3] base: the spec text around its elision, and the paper repository full text', () => {
    const [head, tail] = specLine('spec-7.3-base.txt').split('… ')
    const text = wrap('base', 'PROMPT')
    expect(text.startsWith(head)).toBe(true)
    expect(text.endsWith(tail.replace('{prompt}', 'PROMPT'))).toBe(true)
    expect(text).toBe(specLine('paper-repo-base.txt').replace('{prompt}', 'PROMPT'))
    expect(text.endsWith('\nAssistant: \n<think>')).toBe(true)
  })

  // str.format of the spec's template: Python prints a list of str with its repr.
  function formatGp(template: string, cards: string[], msg: string): string {
    return template
      .replaceAll('{target_number}', '24')
      .replaceAll('{num_cards}', String(cards.length))
      .replaceAll('{face_card_msg}', msg)
      .replaceAll('{cards}', `[${cards.map((c) => `'${c}'`).join(', ')}]`)
  }

  it('[§7.4] gp-test starts with a newline and ends "}\\n\\n"', () => {
    const spec = specLine('spec-7.4-gp-test.txt')
    const cards = ['2', 'K', '10', 'A']
    const msg = "'J', 'Q', and 'K' all count as '10'"
    const text = render('gp-test', { cards, face_card_msg: msg, target_number: 24, num_cards: 4 })
    expect(text).toBe(formatGp(spec, cards, msg))
    expect(text.startsWith('\n[Task Description]')).toBe(true)
    expect(text.endsWith('}\n\n')).toBe(true)
  })

  it('[§7.4, §10.26] gp-train is gp-test without the final blank line', () => {
    const spec = specLine('spec-7.4-gp-test.txt')
    const cards = ['Q', '3', '3', '8', 'J']
    const msg = "'J' counts as '11', 'Q' counts as '12', and 'K' counts as '13'"
    const text = render('gp-train', { cards, face_card_msg: msg, target_number: 24, num_cards: 5 })
    expect(text).toBe(formatGp(spec, cards, msg).slice(0, -1))
    expect(text.endsWith('}\n')).toBe(true)
    expect(text.endsWith('}\n\n')).toBe(false)
    // §7.4: the [x, y, z, w] placeholders are not adapted to 5 cards.
    expect(text).toContain('You will receive a set of 5 cards.')
    expect(text).toContain('"cards": [x, y, z, w], where')
  })
})

describe('[§8] training targets', () => {
  it('sokoban-target is the spec response: an empty think block, then the answer, then a newline', () => {
    const spec = specLine('spec-8-sokoban-target.txt')
    expect(render('sokoban-target', { optimal_action: 'Up' })).toBe(spec.replace('{action}', 'Up'))
    expect(render('sokoban-target', { optimal_action: 'tree' })).toBe('</think> <answer> tree </answer>\n')
  })

  it('[§10.24] sokoban-target-answer-only is the answer-only response of create_sft_dataset.py', () => {
    const spec = specLine('spec-8-sokoban-target-answer-only.txt')
    expect(render('sokoban-target-answer-only', { optimal_action: '4' })).toBe(spec.replace('{action}', '4'))
  })

  it('a prompt ending <think> followed by the target reads as one well-formed turn', () => {
    const prompt = wrap('qwen-instruct', 'P')
    const full = prompt + render('sokoban-target', { optimal_action: 'Left' })
    expect(full.endsWith('<|im_start|>assistant\n<think></think> <answer> Left </answer>\n')).toBe(true)
  })
})

describe('the paper templates agree with the independent prompt builders', () => {
  for (const tag of PAPER_SOKOBAN_TAG_LISTS.final) {
    it(`[§7.1-§7.3] ${tag}: levels 0-2 and every position along level 0's BFS plan`, () => {
      const shown = paperEvalTag(tag).vocabulary.shown
      for (let k = 0; k < 3; k++) {
        const { level } = paperSokobanLevel(tag, k, 'final')
        const states: SokobanState[] = [level.start]
        if (k === 0) {
          for (const d of paperBfsLabels(level)) states.push(applyMove(level, states.at(-1) as SokobanState, d).state)
          expect(states.length).toBeGreaterThan(1)
        }
        for (const state of states) {
          const vars = sokobanTemplateVars({ level, state, shown })
          expect(wrap('qwen-instruct', render('sokoban-eval', vars))).toBe(paperEvalPrompt(level, state, shown))
          expect(wrap('qwen-instruct', render('sokoban-single-action', vars))).toBe(paperTrainPrompt(level, state, shown))
        }
      }
    })
  }

  it('[§3.3, §7.2] every env type, including the empty one, on the first SimpleSokoban level', () => {
    const { level } = paperSokobanLevel('SimpleSokoban', 0, 'final')
    for (const shown of Object.values(PAPER_ENV_TYPE_VOCABULARIES)) {
      const vars = { board: renderPaperGrid(level, level.start), answers_block: answersBlock(shown) }
      expect(wrapQwenInstruct(render('sokoban-eval', vars))).toBe(paperEvalPrompt(level, level.start, shown))
    }
  })

  for (const split of PAPER_GP_SPLITS) {
    it(`[§7.4] ${split}: hands 0-49 render to the reference's question text`, () => {
      const message = faceCardMessage(shownRule(paperGpSplit(split).rule))
      for (let i = 0; i < 50; i++) {
        const hand = paperGpHand(split, i)
        const vars = gpTemplateVars({ cards: hand.cards, faceCardMsg: message })
        expect(render('gp-test', vars)).toBe(hand.question)
        expect(render('gp-train', vars)).toBe(paperGpQuestion(hand.cards, message).slice(0, -1))
      }
    })
  }
})
