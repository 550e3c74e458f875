// The paper's presets: names, seeds, variants and golden prompts for every one (paper-tasks.md §3.4,
// §4.4, §4.5, §6.3, §7), plus the shared sample levels and hands when they are present.
import { describe, expect, it } from 'vitest'
import { PRESETS, describeSeedScheme, presetByName } from '../../../core/experiment/presets.ts'
import { instanceAt, oneStepRowOffset, parseInstanceSetSpec, type SokobanInstance } from '../../../core/experiment/instance-set.ts'
import { renderInstancePrompt } from '../../../core/experiment/render.ts'
import { resolveVocabulary } from '../../../core/experiment/variant.ts'
import { PAPER_EVAL_TAGS } from '../../../core/sokoban/vocab.ts'
import { paperSokobanLevel } from '../../../core/paper/paper-sokoban.ts'
import { serializeXsb } from '../../../core/sokoban/xsb.ts'
import { renderPaperGrid } from '../../../core/sokoban/text.ts'
import { readRepoText } from '../../harness/repo.ts'
import { PAPER_SAMPLES_FILE, describeWithSharedData, readSharedText } from '../../harness/shared-data.ts'

const golden = JSON.parse(readRepoText('test/golden/presets/prompts.json')) as {
  prompts: Record<string, Record<string, string>>
}

describe('PRESETS', () => {
  it('[§3.4] hold the 8 final eval tags, in order, with seeds 123 + 100 t + i', () => {
    const finals = PRESETS.filter((p) => p.role === 'eval' && describeSeedScheme(p.instanceSet).endsWith('(final list)'))
    expect(finals.map((p) => p.name)).toEqual([
      'SimpleSokoban',
      'LargerSokoban',
      'ComplexSokoban',
      'TwoBoxesSokoban',
      'SimpleSokobanRandom',
      'SimpleSokobanNumerical',
      'SimpleSokobanAlphabetical',
      'FakeSokobanNumerical',
    ])
    finals.forEach((p, t) => {
      expect(describeSeedScheme(p.instanceSet)).toBe(`paper eval seeds ${123 + 100 * t}-${222 + 100 * t} (final list)`)
    })
  })

  it('[§3.4] cover every eval tag of the spec table, the older ones with their 9-tag-list seeds', () => {
    const tags = new Set(PRESETS.filter((p) => p.role === 'eval').map((p) => p.name.replace('@sft-9', '')))
    expect([...tags].sort()).toEqual(PAPER_EVAL_TAGS.map((t) => t.tag).sort())
    expect(describeSeedScheme(presetByName('SimpleSokobanEmoji').instanceSet)).toBe('paper eval seeds 423-522 (sft-9 list)')
    expect(describeSeedScheme(presetByName('TwoBoxesSokoban@sft-9').instanceSet)).toBe('paper eval seeds 923-1022 (sft-9 list)')
  })

  it('[§6.3] hold the 9 General Points test splits, 500 hands each, seeded 42 + i', () => {
    const splits = PRESETS.filter((p) => p.task === 'gp' && p.role === 'test')
    expect(splits.map((p) => p.name).sort()).toEqual(
      [
        'gp_l_id',
        'gp_l_all_5',
        'gp_l_all_7',
        'gp_l_all_12',
        'gp_l_face_card_as_regular',
        'gp_l_large',
        'gp_l_5cards',
        'gp_l_fake',
        'gp_l_all_5_fake',
      ].sort(),
    )
    for (const p of splits) expect(describeSeedScheme(p.instanceSet)).toBe('paper test seeds 42-541')
  })

  it('[§4.4, §6.3] hold the training settings', () => {
    expect(describeSeedScheme(presetByName('sokoban_6x6_1horizon_train').instanceSet)).toBe('paper RAGEN seeds 42-241')
    expect(describeSeedScheme(presetByName('sokoban_10x10_1horizon_test').instanceSet)).toBe('paper RAGEN seeds 242-301')
    expect(presetByName('gp_l_train_mixed').instanceSet.count).toBe(10_000)
    expect(presetByName('gp_l_train_mixed').instanceSet.seedScheme).toEqual({
      kind: 'paper-gp-train',
      mappings: [
        'all_8',
        'all_9',
        'all_10',
        'mixed_8_9_10',
        'sequential_7_8_9',
        'sequential_8_9_10',
        'low_range_5_7_9',
        'skip_6_8_10',
      ],
      perMapping: 1250,
    })
  })

  it("[§3.4] each eval preset's variant shows and accepts the tag's vocabularies", () => {
    for (const tag of PAPER_EVAL_TAGS) {
      const p = presetByName(tag.tag)
      if (p.variant.task !== 'sokoban') throw new Error('expected a Sokoban variant')
      const { shown, accepted } = p.variant.vocabulary
      expect(shown === null ? null : resolveVocabulary(shown).names, tag.tag).toEqual(tag.vocabulary.shown?.names ?? null)
      const acceptedNames = resolveVocabulary(accepted === 'shown' ? (shown ?? 'base') : accepted).names
      expect(acceptedNames, tag.tag).toEqual(tag.vocabulary.accepted.names)
      expect(p.variant.template).toBe('sokoban-eval')
    }
  })

  it('[§11.5] list exactly the levels the reference cannot rebuild, with the reason', () => {
    for (const p of PRESETS.filter((q) => q.task === 'sokoban')) {
      const flagged: number[] = []
      for (let i = 0; i < p.instanceSet.count; i++) {
        if (!(instanceAt(p.instanceSet, i) as SokobanInstance).meta.reproducibleInReference) flagged.push(i)
      }
      expect(p.nonReproducible.map((x) => x.index), p.name).toEqual(flagged)
      for (const item of p.nonReproducible) expect(item.reason).toMatch(/hash/)
    }
  })

  it("each instance set is exactly what its schema gives back (presets are not parsed at load)", () => {
    for (const p of PRESETS) expect(parseInstanceSetSpec(JSON.parse(JSON.stringify(p.instanceSet))), p.name).toEqual(p.instanceSet)
  })

  it('suggest near names for an unknown preset', () => {
    expect(() => presetByName('simplesokoban')).toThrow(/Did you mean "SimpleSokoban"/)
    expect(() => presetByName('gp_l_all5')).toThrow(/"gp_l_all_5"/)
  })
})

describe('golden prompts for every preset', () => {
  it('cover every preset', () => {
    expect(Object.keys(golden.prompts).sort()).toEqual(PRESETS.map((p) => p.name).sort())
  })

  for (const p of PRESETS) {
    it(`${p.name}: the rendered prompts equal the independently built ones`, () => {
      const cases = golden.prompts[p.name]
      expect(Object.keys(cases).length).toBeGreaterThanOrEqual(2)
      for (const [index, expected] of Object.entries(cases)) {
        const i = Number(index)
        const inst = instanceAt(p.instanceSet, i)
        const options = p.name === 'sokoban_super_random_train' ? { row: oneStepRowOffset(p.instanceSet, i) } : {}
        expect(renderInstancePrompt(inst, p.variant, undefined, options), `${p.name}/${index}`).toBe(expected)
      }
    })
  }

  it('[§7.1, §11.2] eval prompts end with the stray backslash, training prompts without it', () => {
    expect(golden.prompts.SimpleSokoban['0']).toContain('Decide the next action:\\\nAlways output:')
    expect(golden.prompts.sokoban_6x6_1horizon_train['0']).toContain('Decide the next action:\nAlways output:')
  })

  it('[§7.3] SimpleSokoban 0 is the spec-assembled base eval prompt', () => {
    expect(golden.prompts.SimpleSokoban['0']).toBe(readRepoText('test/golden/sokoban-prompts/base-eval.txt'))
  })

  it('[§7.4] the test question ends with a blank line, the training question with one newline', () => {
    expect(golden.prompts.gp_l_id['0'].endsWith('}\n\n')).toBe(true)
    expect(golden.prompts.gp_l_train_mixed['0'].endsWith('}\n')).toBe(true)
    expect(golden.prompts.gp_l_train_mixed['0'].endsWith('}\n\n')).toBe(false)
  })
})

interface SokobanSample {
  tag: string
  index_in_tag: number
  seed: number
  xsb: string[]
  text_grid: string
  bfs_actions: number[]
}

interface GpSample {
  split: string
  index: number
  cards: string[]
  display_cards: number[]
  question: string
}

describeWithSharedData('presets against the shared paper samples', PAPER_SAMPLES_FILE, () => {
  const samples = JSON.parse(readSharedText(PAPER_SAMPLES_FILE)) as { sokoban: SokobanSample[]; general_points: GpSample[] }

  it('Sokoban sample levels: XSB, text grid and BFS labels', () => {
    for (const s of samples.sokoban) {
      const inst = instanceAt(presetByName(s.tag).instanceSet, s.index_in_tag) as SokobanInstance
      const where = `${s.tag}/${s.index_in_tag}`
      expect(inst.meta.seed, where).toBe(s.seed)
      expect(serializeXsb(inst.level).split('\n'), where).toEqual(s.xsb.map((row) => row.replace(/ +$/, '')))
      expect(renderPaperGrid(inst.level, inst.level.start), where).toBe(s.text_grid)
      expect(inst.optimalPlan, where).toEqual(s.bfs_actions)
      expect(inst.level).toEqual(paperSokobanLevel(s.tag, s.index_in_tag).level)
    }
  })

  it('General Points sample hands: cards, values and the exact question', () => {
    for (const s of samples.general_points) {
      const p = presetByName(s.split)
      const inst = instanceAt(p.instanceSet, s.index)
      if (inst.task !== 'gp') throw new Error('expected a hand')
      expect(inst.cards, `${s.split}/${s.index}`).toEqual(s.cards)
      expect(inst.values, `${s.split}/${s.index}`).toEqual(s.display_cards)
      expect(renderInstancePrompt(inst, p.variant), `${s.split}/${s.index}`).toBe(s.question)
    }
  })
})
