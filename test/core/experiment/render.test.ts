// Rendering an instance under a variant: answer-only targets (paper-tasks.md §6.1, §8), content keys,
// chat modes, other renderers and templates, and the errors that say what is wrong.
import { describe, expect, it } from 'vitest'
import { presetByName } from '../../../core/experiment/presets.ts'
import { instanceAt, parseInstanceSetSpec, type GpInstance, type SokobanInstance } from '../../../core/experiment/instance-set.ts'
import {
  instanceKey,
  optimalAnswer,
  optimalAnswerOrNull,
  planPositions,
  renderInstanceBody,
  renderInstancePrompt,
  sokobanStateKey,
} from '../../../core/experiment/render.ts'
import { parseVariantSpec, variantByName, type VariantSpec } from '../../../core/experiment/variant.ts'
import { paperTrainPrompt } from '../../../core/sokoban/prompt.ts'
import { BASE_VOCABULARY } from '../../../core/sokoban/vocab.ts'
import { isSolved } from '../../../core/sokoban/level.ts'
import { applyMove } from '../../../core/sokoban/rules.ts'
import { serializeXsb } from '../../../core/sokoban/xsb.ts'

function sokobanAt(preset: string, i: number): SokobanInstance {
  const inst = instanceAt(presetByName(preset).instanceSet, i)
  if (inst.task !== 'sokoban') throw new Error('expected a level')
  return inst
}

function gpAt(preset: string, i: number): GpInstance {
  const inst = instanceAt(presetByName(preset).instanceSet, i)
  if (inst.task !== 'gp') throw new Error('expected a hand')
  return inst
}

function derive(name: string, change: Record<string, unknown>): VariantSpec {
  return parseVariantSpec({ ...JSON.parse(JSON.stringify(variantByName(name))), name: `${name}-derived`, ...change })
}

const simple0 = sokobanAt('SimpleSokoban', 0)

describe('optimalAnswer', () => {
  it('[§3.1, §8] SimpleSokoban 0 (plan Down, Left, Up): the empty-think answer form, one action', () => {
    expect(optimalAnswer(simple0, presetByName('SimpleSokoban').variant)).toBe('</think> <answer> Down </answer>\n')
    expect(optimalAnswer(simple0, presetByName('SimpleSokoban').variant, { form: 'whole-plan' })).toBe(
      '</think> <answer> Down, Left, Up </answer>\n',
    )
  })

  it('[§3.4] is written in the accepted vocabulary: Fake splits answer with the base words', () => {
    const fake = sokobanAt('FakeSokobanNumerical', 0)
    const plan = fake.optimalPlan
    expect(optimalAnswer(fake, presetByName('FakeSokobanNumerical').variant)).toBe(
      `</think> <answer> ${['', 'Up', 'Down', 'Left', 'Right'][plan[0]]} </answer>\n`,
    )
    const numerical = sokobanAt('SimpleSokobanNumerical', 0)
    expect(optimalAnswer(numerical, presetByName('SimpleSokobanNumerical').variant)).toBe(
      `</think> <answer> ${numerical.optimalPlan[0]} </answer>\n`,
    )
  })

  it('[§7.3, §8] after the answer-only wrapper, the target starts inside the open <answer>', () => {
    const v = derive('sokoban-train-base', { chat: { mode: 'raw', wrapper: 'qwen-instruct-answer-only' } })
    expect(optimalAnswer(simple0, v)).toBe('Down </answer>\n')
    expect(renderInstancePrompt(simple0, v).endsWith('<|im_start|>assistant\n<answer>')).toBe(true)
    const plain = derive('sokoban-train-base', { chat: { mode: 'none' } })
    expect(optimalAnswer(simple0, plain)).toBe('<answer> Down </answer>')
  })

  it('[§7.5] the diverse data answers in the row\'s words', () => {
    const train0 = sokobanAt('sokoban_super_random_train', 0)
    const words = ['tree', 'fix', 'jade', 'freedom']
    expect(optimalAnswer(train0, variantByName('sokoban-train-words'), { row: 0 })).toBe(
      `</think> <answer> ${words[train0.optimalPlan[0] - 1]} </answer>\n`,
    )
  })

  it('[§6.1] gp_l_id task 0 is the spec\'s example answer, byte for byte', () => {
    expect(optimalAnswer(gpAt('gp_l_id', 0), presetByName('gp_l_id').variant)).toBe(
      '{\n"cards": ["2", "7", "Q", "2"],\n "number": [2, 7, 10, 2],\n "formula": "(10/2+7)*2"\n}',
    )
  })

  it('[§6.3] under another scored rule the hand is re-valued and solved again', () => {
    const hand = gpAt('gp_l_id', 0)
    const answer = optimalAnswer(hand, variantByName('gp-test-regular'))
    expect(answer).toMatch(/^\{\n"cards": \["2", "7", "Q", "2"\],\n "number": \[2, 7, 12, 2\],\n "formula": "[^"]+"\n\}$/)
    const formula = /"formula": "([^"]+)"/.exec(answer)?.[1] ?? ''
    expect(formula.match(/\d+/g)?.map(Number).sort((a, b) => a - b)).toEqual([2, 2, 7, 12])
  })

  it('is null (and optimalAnswer says why) when there is none', () => {
    const solvedState = planPositions(simple0.level, simple0.optimalPlan).reduce(
      (state, p) => applyMove(simple0.level, state, p.action).state,
      simple0.level.start,
    )
    const v = presetByName('SimpleSokoban').variant
    expect(optimalAnswerOrNull(simple0, v, { state: solvedState })).toBeNull()
    expect(() => optimalAnswer(simple0, v, { state: solvedState })).toThrow(/no answer from this position/)
  })
})

describe('planPositions', () => {
  it('[§4.4] gives one position per move, and replaying the labels solves the level', () => {
    const inst = sokobanAt('ComplexSokoban', 3)
    const positions = planPositions(inst.level, inst.optimalPlan)
    expect(positions.map((p) => p.action)).toEqual(inst.optimalPlan)
    expect(positions[0].state).toEqual(inst.level.start)
    const last = positions[positions.length - 1]
    expect(isSolved(inst.level, applyMove(inst.level, last.state, last.action).state)).toBe(true)
  })

  it('renders a mid-plan position and its next action', () => {
    const v = variantByName('sokoban-train-base')
    const second = planPositions(simple0.level, simple0.optimalPlan)[1]
    expect(renderInstancePrompt(simple0, v, undefined, { state: second.state })).toBe(
      paperTrainPrompt(simple0.level, second.state, BASE_VOCABULARY),
    )
    expect(optimalAnswer(simple0, v, { state: second.state })).toBe('</think> <answer> Left </answer>\n')
  })
})

describe('instanceKey', () => {
  it('is the start position in XSB for Sokoban', () => {
    expect(instanceKey(simple0)).toBe('sokoban|######/######/#.####/#$@###/#  ###/######')
    expect(sokobanStateKey(simple0.level, simple0.level.start)).toBe(instanceKey(simple0))
  })

  it('tells levels apart', () => {
    const keys = new Set(Array.from({ length: 30 }, (_, i) => instanceKey(sokobanAt('LargerSokoban', i))))
    expect(keys.size).toBe(30)
  })

  it('[§6.1] sorts the cards and marks face cards with their shown and scored values', () => {
    expect(instanceKey(gpAt('gp_l_id', 0))).toBe('gp|24|2 2 7 Q=10/10')
    expect(instanceKey(gpAt('gp_l_fake', 0))).toBe('gp|24|2 2 7 Q=12/10')
    // The reference's gp_l_all_5 task 0 is 2 K J A (paper-samples.json).
    expect(instanceKey(gpAt('gp_l_all_5', 0))).toBe('gp|24|A 2 J=5/5 K=5/5')
  })

  it('ignores the order the cards were dealt in', () => {
    const set = parseInstanceSetSpec({
      task: 'gp',
      difficulty: { task: 'gp', cards: 4, largest: 13, ood: 'none', target: 24 },
      seedScheme: { kind: 'seeded', seed: 3 },
      count: 1,
      rule: { shown: 'all_10', scored: 'all_10' },
    })
    const hand = instanceAt(set, 0) as GpInstance
    const reversed: GpInstance = {
      ...hand,
      ranks: [...hand.ranks].reverse(),
      cards: [...hand.cards].reverse(),
      values: [...hand.values].reverse(),
      shownValues: [...hand.shownValues].reverse(),
    }
    expect(instanceKey(reversed)).toBe(instanceKey(hand))
  })
})

describe('variants change the prompt', () => {
  it('an inline template and the XSB renderer', () => {
    const v = derive('sokoban-eval-base', {
      template: { source: '{{ board }}|{{ legend }}' },
      renderer: 'xsb',
      chat: { mode: 'none' },
    })
    const legend = '# Wall |   Floor | . Target | $ Box | @ You | * = Box on Target | + = You on Target'
    expect(renderInstancePrompt(simple0, v)).toBe(`${serializeXsb(simple0.level)}|${legend}`)
  })

  it('a custom symbol set with its own legend', () => {
    const symbols = { wall: 'W', floor: '.', goal: 'G', box: 'B', boxOnGoal: 'D', player: 'A', playerOnGoal: 'E' }
    const v = derive('sokoban-eval-base', { template: { source: '{{ board }}' }, renderer: { symbols }, chat: { mode: 'none' } })
    expect(renderInstancePrompt(simple0, v)).toBe('WWWWWW\nWWWWWW\nWGWWWW\nWBAWWW\nW..WWW\nWWWWWW')
  })

  it('[§7.4] chat mode "model" returns the question, or what the chat formatter makes of it', () => {
    const hand = gpAt('gp_l_id', 0)
    const v = presetByName('gp_l_id').variant
    const body = renderInstanceBody(hand, v)
    expect(renderInstancePrompt(hand, v)).toBe(body)
    expect(renderInstancePrompt(hand, v, undefined, { applyChat: (c) => `<user>${c}</user>` })).toBe(`<user>${body}</user>`)
  })

  it('a template may use the plan and the stored answer', () => {
    const v = derive('sokoban-train-base', {
      template: { source: '{{ optimal_action }} of {{ optimal_plan | length }}' },
      chat: { mode: 'none' },
    })
    expect(renderInstancePrompt(simple0, v)).toBe('Down of 3')
    const g = derive('gp-test-all_10', { template: { source: '{{ solution }}' } })
    expect(renderInstancePrompt(gpAt('gp_l_id', 0), g)).toBe('(10/2+7)*2')
  })
})

describe('errors', () => {
  it('a variant of the other task', () => {
    expect(() => renderInstancePrompt(simple0, variantByName('gp-test-all_10'))).toThrow(
      /is for gp, but instance SimpleSokoban\/0 is a sokoban/,
    )
  })

  it('[§7.5] per-row words without a row', () => {
    expect(() => renderInstancePrompt(simple0, variantByName('sokoban-train-words'))).toThrow(/row/)
  })

  it('a chat wrapper that is not a chat template, and an unknown template', () => {
    const render = (change: Record<string, unknown>) => () => renderInstancePrompt(simple0, derive('sokoban-eval-base', change))
    expect(render({ chat: { mode: 'raw', wrapper: 'gp-test' } })).toThrow(/not a chat wrapper/)
    expect(render({ template: 'sokoban-evl' })).toThrow(/Unknown template "sokoban-evl"/)
    expect(render({ template: 'gp-test' })).toThrow(/gp template/)
  })

  it('a misspelt variable in an inline template fails with its position', () => {
    const v = derive('sokoban-eval-base', { template: { name: 'mine', source: 'Board:\n{{ bord }}' } })
    expect(() => renderInstancePrompt(simple0, v)).toThrow(/mine.*2:4|line 2/)
  })
})
