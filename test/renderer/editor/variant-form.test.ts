// @vitest-environment node
// The variant form's logic: a named variant is edited as a renamed copy; choices map to core's
// variant fields and back; every edited variant is checked with core's schema, whose message names
// the field; a template cell's variant resolves to its template text.
import { describe, expect, it } from 'vitest'
import { defaultTemplateLibrary } from '../../../core/experiment/render.ts'
import { parseVariantSpec, VARIANTS, variantByName, type VariantSpec } from '../../../core/experiment/variant.ts'
import { SOKOBAN_EVAL_TEMPLATE } from '../../../core/prompt/paper-templates.ts'
import {
  chatChoice,
  chatFromChoice,
  chatOptions,
  checkVariant,
  editableVariant,
  namesText,
  parseNames,
  resolveVariant,
  ruleChoice,
  ruleFromChoice,
  RULE_OPTIONS,
  symbolsOf,
  templateSourceOf,
  vocabularyChoice,
  vocabularyFromChoice,
} from '../../../renderer/src/editor/variant-form.ts'

describe('editing a variant', () => {
  it('a named variant is copied under a new name, unfrozen, with the same settings', () => {
    const named = variantByName('sokoban-eval-fake-cardinal')
    const copy = editableVariant('sokoban-eval-fake-cardinal')
    expect(copy.name).toBe('sokoban-eval-fake-cardinal-custom')
    expect(Object.isFrozen(copy)).toBe(false)
    expect({ ...copy, name: named.name, description: named.description }).toEqual(named)
    expect(checkVariant(copy).ok).toBe(true)
  })

  it('an inline variant keeps its name', () => {
    const inline = { ...variantByName('gp-test-all_5'), name: 'mine' }
    expect(editableVariant(inline).name).toBe('mine')
    expect(resolveVariant(inline)).toBe(inline)
  })

  it("the schema's message names the field: accepting the shown names when none are shown", () => {
    const spec = editableVariant('sokoban-eval-base')
    const bad = { ...spec, vocabulary: { shown: null, accepted: 'shown' } }
    const checked = checkVariant(bad)
    expect(checked.ok).toBe(false)
    if (!checked.ok) expect(checked.message).toMatch(/vocabulary\.accepted/)
  })

  it('custom names that repeat a name are refused by the vocabulary rules', () => {
    const spec = editableVariant('sokoban-eval-base')
    const checked = checkVariant({ ...spec, vocabulary: { shown: { kind: 'custom', names: ['Go', 'Go', 'L', 'R'] }, accepted: 'shown' } })
    expect(checked.ok).toBe(false)
  })
})

describe('vocabulary choices', () => {
  it('round-trip through the select value', () => {
    for (const ref of ['base', 'cardinal', 'emoji', 'numerical', 'alphabetical', 'random'] as const) {
      expect(vocabularyFromChoice(vocabularyChoice(ref), '')).toBe(ref)
    }
    expect(vocabularyChoice(null)).toBe('none')
    expect(vocabularyFromChoice('none', '')).toBeNull()
    expect(vocabularyFromChoice('paper-words', '')).toEqual({ kind: 'paper-words' })
    expect(vocabularyFromChoice('shown', '')).toBe('shown')
  })

  it('custom names are four comma-separated names in the order Up, Down, Left, Right', () => {
    expect(vocabularyFromChoice('custom', 'N, S , W,E')).toEqual({ kind: 'custom', names: ['N', 'S', 'W', 'E'] })
    expect(parseNames('a, b')).toEqual({ error: expect.stringMatching(/four names/) })
    expect(parseNames('a, b, , d')).toEqual({ error: expect.stringMatching(/four names/) })
    expect(namesText({ kind: 'custom', names: ['1', '2', '3', '4'] })).toBe('1, 2, 3, 4')
    expect(namesText('cardinal')).toBe('North, South, West, East')
  })
})

describe('rules, symbols and chat formatting', () => {
  it('every named rule option round-trips; custom values keep their text', () => {
    for (const [value] of RULE_OPTIONS.filter(([v]) => v !== 'custom')) {
      const { choice, custom } = ruleChoice(value)
      expect(ruleFromChoice(choice, custom)).toBe(value)
    }
    expect(ruleChoice('11,12,13')).toEqual({ choice: 'custom', custom: '11,12,13' })
    expect(ruleChoice({ jack: 4, queen: 5, king: 6 })).toEqual({ choice: 'custom', custom: '4,5,6' })
    expect(ruleFromChoice('custom', ' 7 ')).toBe('7')
  })

  it('symbol sets: the paper grid and XSB symbols (§3.1)', () => {
    expect(symbolsOf('paper')).toEqual({ wall: '#', floor: '_', goal: 'O', box: 'X', boxOnGoal: '√', player: 'P', playerOnGoal: 'S' })
    expect(symbolsOf('xsb')).toEqual({ wall: '#', floor: ' ', goal: '.', box: '$', boxOnGoal: '*', player: '@', playerOnGoal: '+' })
  })

  it("chat options include the paper's wrappers, the model's template and none, and round-trip", () => {
    const values = chatOptions().map(([v]) => v)
    expect(values).toEqual(expect.arrayContaining(['raw:qwen-instruct', 'raw:qwen-instruct-answer-only', 'raw:base', 'model', 'none']))
    for (const value of values) expect(chatChoice(chatFromChoice(value))).toBe(value)
    expect(() => chatFromChoice('chatml')).toThrow(/Unknown chat formatting/)
  })
})

describe('templateSourceOf', () => {
  it("a named variant's template is the library's text; an inline template is its own", () => {
    expect(templateSourceOf(variantByName('sokoban-eval-base'))).toBe(SOKOBAN_EVAL_TEMPLATE)
    const inline: VariantSpec = parseVariantSpec({ ...variantByName('sokoban-eval-base'), name: 'x', template: { source: '{{ board }}' } })
    expect(templateSourceOf(inline)).toBe('{{ board }}')
  })

  it("agrees with the compiled library for every named variant, and names an unknown template", () => {
    const library = defaultTemplateLibrary()
    for (const v of VARIANTS) {
      if (typeof v.template === 'string') expect(templateSourceOf(v)).toBe(library.get(v.template).source)
    }
    const unknown = { ...variantByName('sokoban-eval-base'), template: 'no-such-template' } as VariantSpec
    expect(() => templateSourceOf(unknown)).toThrow(/Unknown template "no-such-template"/)
  })

  it("chat options are exactly the library's chat wrappers, then the model's template and none", () => {
    const wrappers = defaultTemplateLibrary().list().filter((e) => e.task === 'chat').map((e) => `raw:${e.name}`)
    expect(chatOptions().map(([v]) => v)).toEqual([...wrappers, 'model', 'none'])
  })
})
