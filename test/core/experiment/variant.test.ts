// Variants: serializable, validated with errors that name the field, and resolving to the paper's
// vocabularies and face-card rules (paper-tasks.md §3.3, §3.4, §6.2, §6.3).
import { describe, expect, it } from 'vitest'
import {
  VARIANTS,
  nearNames,
  parseVariantSpec,
  resolveRule,
  resolveVocabulary,
  variantByName,
  type VariantSpec,
} from '../../../core/experiment/variant.ts'
import { SpecError } from '../../../core/experiment/schema.ts'
import { thrownBy } from '../../harness/errors.ts'

const base = variantByName('sokoban-eval-base')

/** The problems of parsing `input`, as "path: message" lines. */
function problems(input: unknown): { path: string; message: string }[] {
  return thrownBy(SpecError, () => parseVariantSpec(input)).problems.slice()
}

function withChange(change: (v: Record<string, unknown>) => void): unknown {
  const copy = JSON.parse(JSON.stringify(base)) as Record<string, unknown>
  change(copy)
  return copy
}

describe('VARIANTS', () => {
  it('are plain data: each survives a JSON round trip and parses back to itself', () => {
    for (const v of VARIANTS) {
      const again = parseVariantSpec(JSON.parse(JSON.stringify(v)))
      expect(again, v.name).toEqual(v)
    }
  })

  it('have unique names', () => {
    expect(new Set(VARIANTS.map((v) => v.name)).size).toBe(VARIANTS.length)
  })

  it('[§3.4] fake Sokoban variants show one vocabulary and accept the base words', () => {
    const fake = VARIANTS.filter((v) => v.name.includes('fake') && v.task === 'sokoban')
    expect(fake.map((v) => v.name).sort()).toEqual([
      'sokoban-eval-fake-cardinal',
      'sokoban-eval-fake-emoji',
      'sokoban-eval-fake-numerical',
    ])
    for (const v of fake) {
      if (v.task !== 'sokoban') throw new Error('unreachable')
      expect(v.vocabulary.accepted).toBe('base')
      expect(v.vocabulary.shown).not.toBe('base')
    }
  })

  it('[§6.3] gp_l_fake shows 11/12/13 and scores 10; gp_l_all_5_fake shows 5 and scores 10', () => {
    const fake = variantByName('gp-test-fake-regular')
    const fake5 = variantByName('gp-test-fake-all_5')
    if (fake.task !== 'gp' || fake5.task !== 'gp' || fake.rule === 'instance' || fake5.rule === 'instance') {
      throw new Error('expected GP variants with explicit rules')
    }
    expect(resolveRule(fake.rule.shown)).toMatchObject({ jack: 11, queen: 12, king: 13 })
    expect(resolveRule(fake.rule.scored)).toMatchObject({ jack: 10, queen: 10, king: 10 })
    expect(resolveRule(fake5.rule.shown)).toMatchObject({ jack: 5, queen: 5, king: 5 })
    expect(resolveRule(fake5.rule.scored)).toMatchObject({ jack: 10, queen: 10, king: 10 })
  })

  it('are frozen, so presets cannot be changed by accident', () => {
    expect(Object.isFrozen(base)).toBe(true)
    expect(Object.isFrozen((base as Extract<VariantSpec, { task: 'sokoban' }>).vocabulary)).toBe(true)
  })
})

describe('parseVariantSpec errors name the field', () => {
  it('an unknown vocabulary id', () => {
    const found = problems(withChange((v) => ((v.vocabulary as Record<string, unknown>).shown = 'klingon')))
    expect(found.map((p) => p.path)).toContain('variant.vocabulary.shown')
  })

  it('a custom vocabulary with two equal names points at its names', () => {
    const input = withChange((v) => {
      ;(v.vocabulary as Record<string, unknown>).shown = { kind: 'custom', names: ['a', 'b', 'A', 'c'] }
    })
    const found = problems(input)
    const names = found.find((p) => p.path === 'variant.vocabulary.shown.names')
    expect(names?.message).toMatch(/equals name 1/)
  })

  it('"accepted: shown" with no shown vocabulary', () => {
    const input = withChange((v) => (v.vocabulary = { shown: null, accepted: 'shown' }))
    expect(problems(input)).toEqual([
      expect.objectContaining({ path: 'variant.vocabulary.accepted', message: expect.stringMatching(/shows no vocabulary/) }),
    ])
  })

  it('a missing template and an unknown chat mode', () => {
    const input = withChange((v) => {
      delete v.template
      v.chat = { mode: 'telepathy' }
    })
    const paths = problems(input).map((p) => p.path)
    expect(paths).toContain('variant.template')
    expect(paths).toContain('variant.chat.mode')
  })

  it('an ambiguous custom symbol set', () => {
    const input = withChange((v) => {
      v.renderer = {
        symbols: { wall: '#', floor: '#', goal: 'O', box: 'X', boxOnGoal: 'Y', player: 'P', playerOnGoal: 'S' },
      }
    })
    const found = problems(input)
    expect(found).toEqual([
      expect.objectContaining({ path: 'variant.renderer.symbols', message: expect.stringMatching(/'wall' and 'floor'/) }),
    ])
  })

  it('an unknown face-card rule, and a typo in a field name', () => {
    const gp = JSON.parse(JSON.stringify(variantByName('gp-test-all_10'))) as Record<string, unknown>
    gp.rule = { shown: 'all_99x', scored: 'all_10' }
    gp.verifer = 'paper'
    const found = problems(gp)
    expect(found.map((p) => p.path)).toContain('variant.rule.shown')
    expect(found.find((p) => p.message.includes('verifer'))).toBeDefined()
  })

  it('the message lists every problem on its own line', () => {
    const error = thrownBy(SpecError, () => parseVariantSpec({ task: 'sokoban', name: '' }))
    expect(error.message.split('\n')[0]).toBe('Invalid variant:')
    expect(error.message).toMatch(/^ {2}variant\.name: /m)
    expect(error.message).toMatch(/^ {2}variant\.template: /m)
  })
})

describe('resolution', () => {
  it('[§3.3] paper vocabulary ids give the paper names', () => {
    expect(resolveVocabulary('random').names).toEqual(['*', '&', '1', 'M'])
    expect(resolveVocabulary('emoji').names[0]).toBe('\u2B06\uFE0F')
  })

  it('[§7.5] paper-words needs the data row and then gives that row\'s words', () => {
    expect(() => resolveVocabulary({ kind: 'paper-words' })).toThrow(/row/)
    expect(resolveVocabulary({ kind: 'paper-words' }, 0).names).toEqual(['tree', 'fix', 'jade', 'freedom'])
  })

  it('[§6.2] rules resolve by name, by values and as "regular"', () => {
    expect(resolveRule('mixed_8_9_10')).toMatchObject({ jack: 8, queen: 9, king: 10 })
    expect(resolveRule('regular')).toMatchObject({ jack: 11, queen: 12, king: 13 })
    expect(resolveRule({ jack: 3, queen: 3, king: 3 }).name).toBe('all_3')
  })
})

describe('variantByName', () => {
  it('suggests near names for a typo', () => {
    expect(() => variantByName('sokoban-eval-bse')).toThrow(/Did you mean "sokoban-eval-base"/)
    expect(nearNames('gp_test_all_5', ['gp-test-all_5', 'sokoban-eval-base'])).toEqual(['gp-test-all_5'])
  })
})
