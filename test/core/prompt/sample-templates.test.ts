import { describe, expect, it } from 'vitest'
import { instanceAt } from '../../../core/experiment/instance-set.ts'
import { presetByName } from '../../../core/experiment/presets.ts'
import { optimalAnswer, renderInstancePrompt } from '../../../core/experiment/render.ts'
import {
  compactSokobanVariant,
  parseVariantSpec,
  variantByName,
  type SokobanVariantSpec,
} from '../../../core/experiment/variant.ts'
import { SOKOBAN_COMPACT_TEMPLATE } from '../../../core/prompt/sample-templates.ts'
import { parseEvalAnswer } from '../../../core/sokoban/parse-answer.ts'
import { renderPaperGrid } from '../../../core/sokoban/text.ts'
import { BASE_VOCABULARY, NUMERICAL_VOCABULARY } from '../../../core/sokoban/vocab.ts'

const train = presetByName('sokoban_6x6_1horizon_train').instanceSet
// Paper seed 42, the first training puzzle: the player left of the box, the target two cells right.
const first = instanceAt(train, 0)
const BOARD = '######\n#PX_O#\n#____#\n######\n######\n######'
const HEAD = 'Sokoban: push every box (X) onto a target (O).\n# wall _ floor O target X box \u221A box on target P you S you on target\n'
const TAIL = `\n${BOARD}\nAnswer: <answer> action </answer>`

describe('sokoban-compact', () => {
  it('renders the legend, the mapping, the board and the answer tag (base words)', () => {
    const prompt = renderInstancePrompt(first, variantByName('sokoban-compact-base'))
    expect(prompt).toBe(`${HEAD}Up: Up | Down: Down | Left: Left | Right: Right${TAIL}`)
  })

  it('[§3.3] shows each paper vocabulary in the same mapping line (numerical, alphabetical, random)', () => {
    const line = (shown: 'numerical' | 'alphabetical' | 'random'): string =>
      renderInstancePrompt(first, compactSokobanVariant('v', shown, 'shown', '')).split('\n')[2]
    expect(line('numerical')).toBe('Up: 1 | Down: 2 | Left: 3 | Right: 4')
    expect(line('alphabetical')).toBe('Up: A | Down: B | Left: C | Right: D')
    expect(line('random')).toBe('Up: * | Down: & | Left: 1 | Right: M')
  })

  it('[§7.5] the paper-words variant shows row 0 as tree / fix / jade / freedom', () => {
    const prompt = renderInstancePrompt(first, variantByName('sokoban-compact-words'), undefined, { row: 0 })
    expect(prompt.split('\n')[2]).toBe('Up: tree | Down: fix | Left: jade | Right: freedom')
  })

  it('the board is the paper grid (§3.1) without its spaces and tabs, at many positions', () => {
    const variant = variantByName('sokoban-compact-base')
    for (let i = 0; i < 30; i++) {
      const instance = instanceAt(train, i)
      if (instance.task !== 'sokoban') throw new Error('expected a Sokoban instance')
      const board = renderInstancePrompt(instance, variant).split('\n').slice(3, -1).join('\n')
      expect(board, instance.id).toBe(renderPaperGrid(instance.level, instance.level.start).replace(/[ \t]/g, ''))
    }
  })

  it('[§5.1] the answer-only target is one answer tag, which the evaluation parser reads as the optimal move', () => {
    const answer = optimalAnswer(first, variantByName('sokoban-compact-base'))
    expect(answer).toBe('<answer> Right </answer>')
    const parsed = parseEvalAnswer(answer, BASE_VOCABULARY)
    expect(parsed.ok && parsed.actions).toEqual([4]) // §3.2: action 4 is Right
  })

  it('[§3.4] a fake variant (numerical shown, base accepted) keeps the target in the base words', () => {
    const fake = compactSokobanVariant('fake', 'numerical', 'base', '')
    expect(renderInstancePrompt(first, fake).split('\n')[2]).toBe('Up: 1 | Down: 2 | Left: 3 | Right: 4')
    expect(optimalAnswer(first, fake)).toBe('<answer> Right </answer>')
    expect(parseEvalAnswer('<answer> 4 </answer>', BASE_VOCABULARY).ok).toBe(false)
    expect(parseEvalAnswer('<answer> 4 </answer>', NUMERICAL_VOCABULARY).ok).toBe(true)
  })

  it('compact variants are plain data, with the template carried inline', () => {
    for (const name of ['sokoban-compact-base', 'sokoban-compact-words']) {
      const v = variantByName(name) as SokobanVariantSpec
      expect(parseVariantSpec(JSON.parse(JSON.stringify(v)))).toEqual(v)
      expect(v.template).toEqual({ name: 'sokoban-compact', source: SOKOBAN_COMPACT_TEMPLATE })
      expect(v.chat).toEqual({ mode: 'model' })
    }
  })
})
