// Instance sets: item i depends only on (spec, i); the paper's seed schemes reproduce the paper's
// puzzles and hands (paper-tasks.md §4.4, §4.5, §6.1, §6.3); specs are validated by field.
import { describe, expect, it } from 'vitest'
import {
  instanceAt,
  instancesOf,
  oneStepRowOffset,
  parseInstanceSetSpec,
  type GpInstance,
  type InstanceSetSpec,
  type SokobanInstance,
} from '../../../core/experiment/instance-set.ts'
import { presetByName } from '../../../core/experiment/presets.ts'
import { instanceKey } from '../../../core/experiment/render.ts'
import { SpecError } from '../../../core/experiment/schema.ts'
import { applyMove } from '../../../core/sokoban/rules.ts'
import { isSolved } from '../../../core/sokoban/level.ts'
import { serializeXsb } from '../../../core/sokoban/xsb.ts'
import { renderPaperGrid } from '../../../core/sokoban/text.ts'
import { paperGpHand } from '../../../core/paper/paper-gp.ts'
import { thrownBy } from '../../harness/errors.ts'
import { readRepoText } from '../../harness/repo.ts'

function sokoban(spec: InstanceSetSpec, i: number): SokobanInstance {
  const inst = instanceAt(spec, i)
  if (inst.task !== 'sokoban') throw new Error('expected a Sokoban instance')
  return inst
}

function gp(spec: InstanceSetSpec, i: number): GpInstance {
  const inst = instanceAt(spec, i)
  if (inst.task !== 'gp') throw new Error('expected a General Points instance')
  return inst
}

function replay(inst: SokobanInstance): boolean {
  let state = inst.level.start
  for (const d of inst.optimalPlan) state = applyMove(inst.level, state, d).state
  return isSolved(inst.level, state)
}

const simple = presetByName('SimpleSokoban').instanceSet
const train = presetByName('sokoban_6x6_1horizon_train').instanceSet

describe('paper Sokoban eval levels', () => {
  it('[§3.1] SimpleSokoban level 0 (seed 123) is the spec example grid, with BFS answer Down, Left, Up', () => {
    const inst = sokoban(simple, 0)
    expect(renderPaperGrid(inst.level, inst.level.start)).toBe(
      ' # \t # \t # \t # \t # \t # \t\n # \t # \t # \t # \t # \t # \t\n # \t O \t # \t # \t # \t # \t\n' +
        ' # \t X \t P \t # \t # \t # \t\n # \t _ \t _ \t # \t # \t # \t\n # \t # \t # \t # \t # \t # \t',
    )
    expect(inst.optimalPlan).toEqual([2, 3, 1])
    expect(inst.id).toBe('SimpleSokoban/0')
    expect(inst.meta).toMatchObject({ seed: 123, reproducibleInReference: true })
  })

  it('[§4.5] seeds follow the tag order of the list: FakeSokobanNumerical starts at 823, sft-9 TwoBoxes at 923', () => {
    expect(sokoban(presetByName('FakeSokobanNumerical').instanceSet, 0).meta.seed).toBe(823)
    expect(sokoban(presetByName('TwoBoxesSokoban@sft-9').instanceSet, 5).meta.seed).toBe(928)
  })

  it('[§11.5] retry-path levels are flagged with the reason', () => {
    const inst = sokoban(presetByName('TwoBoxesSokoban').instanceSet, 29)
    expect(inst.meta.reproducibleInReference).toBe(false)
    expect(inst.meta.seedChain?.[0]).toBe(452)
    expect(inst.meta.reason).toMatch(/salt/)
  })

  it('every plan solves its level, within the 30-move cap', () => {
    for (const name of ['SimpleSokoban', 'ComplexSokoban']) {
      const spec = presetByName(name).instanceSet
      for (const i of [0, 13, 99]) {
        const inst = sokoban(spec, i)
        expect(inst.optimalPlan.length).toBeGreaterThan(0)
        expect(inst.optimalPlan.length).toBeLessThanOrEqual(30)
        expect(replay(inst), `${name}/${i}`).toBe(true)
      }
    }
  })
})

describe('paper Sokoban training data (§4.4)', () => {
  it('[§4.5, §11.3] training puzzles 81-180 (seeds 123-222) are the SimpleSokoban eval levels', () => {
    for (const k of [0, 1, 50, 99]) {
      expect(instanceKey(sokoban(train, 81 + k))).toBe(instanceKey(sokoban(simple, k)))
    }
    expect(instanceKey(sokoban(train, 80))).not.toBe(instanceKey(sokoban(simple, 0)))
  })

  it('[§4.4] the 200 training puzzles give 771 one-step examples', () => {
    const last = sokoban(train, 199)
    expect(oneStepRowOffset(train, 199) + last.optimalPlan.length).toBe(771)
  })

  it('[§4.4] test sizes 6-10 give 252 / 294 / 358 / 381 / 420 examples', () => {
    const expected: Record<number, number> = { 6: 252, 7: 294, 8: 358, 9: 381, 10: 420 }
    for (const [size, rows] of Object.entries(expected)) {
      const spec = presetByName(`sokoban_${size}x${size}_1horizon_test`).instanceSet
      const total = instancesOf(spec).reduce((n, inst) => n + (inst as SokobanInstance).optimalPlan.length, 0)
      expect(total, `${size}x${size}`).toBe(rows)
    }
  })

  it('[§11.5] the two 5x5 test seeds on the retry path (258, 272) are flagged', () => {
    const spec = presetByName('sokoban_5x5_1horizon_test').instanceSet
    const flagged = instancesOf(spec).filter((inst) => !(inst as SokobanInstance).meta.reproducibleInReference)
    expect(flagged.map((inst) => (inst as SokobanInstance).meta.seed)).toEqual([258, 272])
  })
})

describe('paper General Points hands', () => {
  it('[§6.1] gp_l_id task 0 is 2 7 Q 2, and gp_l_fake task 0 is the same hand scored with Q = 10', () => {
    const id = gp(presetByName('gp_l_id').instanceSet, 0)
    const fake = gp(presetByName('gp_l_fake').instanceSet, 0)
    expect(id.cards).toEqual(['2', '7', 'Q', '2'])
    expect(fake.cards).toEqual(['2', '7', 'Q', '2'])
    expect(fake.values).toEqual([2, 7, 10, 2])
    expect(fake.shownValues).toEqual([2, 7, 12, 2])
    expect(id.solution).toBe('(10/2+7)*2')
  })

  it('equals core/paper hand for hand', () => {
    const hand = paperGpHand('gp_l_large', 17)
    const inst = gp(presetByName('gp_l_large').instanceSet, 17)
    expect(inst.cards).toEqual(hand.cards)
    expect(inst.values).toEqual(hand.displayValues)
    expect(inst.solution).toBe(hand.solution)
    expect(inst.solutionCount).toBe(hand.solutionCount)
  })

  it('[§6.3] training hands match a run of the reference generator, mapping by mapping', () => {
    interface Task {
      index: number
      mapping: string
      cards: string[]
      display_cards: number[]
      solution: string
      solution_count: number
      redraws: number
    }
    const golden = JSON.parse(readRepoText('test/golden/presets/paper-gp-train.json')) as Record<string, { tasks: Task[] }>
    const presets = [
      ['gp_l_train_mixed', 'mixed'],
      ['gp_l_train_diverse', 'diverse'],
      ['gp_l_train_basic', 'basic'],
    ]
    for (const [preset, mixture] of presets) {
      const spec = presetByName(preset).instanceSet
      for (const task of golden[mixture].tasks) {
        const inst = gp(spec, task.index)
        const where = `${preset}/${task.index}`
        expect(inst.rule.shown.name, where).toBe(task.mapping)
        expect(inst.cards, where).toEqual(task.cards)
        expect(inst.values, where).toEqual(task.display_cards)
        expect(inst.solution, where).toBe(task.solution)
        expect(inst.solutionCount, where).toBe(task.solution_count)
        expect(inst.meta.redraws, where).toBe(task.redraws)
      }
    }
  })
})

describe('determinism', () => {
  const seededSokoban = parseInstanceSetSpec({
    task: 'sokoban',
    difficulty: { task: 'sokoban', rows: 7, cols: 7, boxes: 2, minMoves: 6 },
    seedScheme: { kind: 'seeded', seed: 11 },
    count: 8,
  })
  const seededGp = parseInstanceSetSpec({
    task: 'gp',
    difficulty: { task: 'gp', cards: 4, largest: 13, ood: 'face', target: 24 },
    seedScheme: { kind: 'seeded', seed: 5 },
    count: 12,
    rule: [{ shown: 'regular', scored: 'all_10' }, { shown: 'all_7', scored: 'all_7' }],
  })

  it('item i is the same alone, in bulk, in any order and from a shifted start', () => {
    for (const spec of [seededSokoban, seededGp, simple, presetByName('gp_l_5cards').instanceSet]) {
      const count = Math.min(spec.count, 4)
      const small = { ...spec, count }
      const bulk = instancesOf(small)
      const backwards = [3, 2, 1, 0].map((i) => instanceAt(small, i))
      expect(backwards.reverse()).toEqual(bulk)
      const shifted = { ...spec, start: 2, count: count - 2 }
      expect(instanceKey(instanceAt(shifted, 0))).toBe(instanceKey(bulk[2]))
    }
  })

  it('seeded Sokoban levels honour the move filter and their plans solve them', () => {
    for (const inst of instancesOf(seededSokoban) as SokobanInstance[]) {
      expect(inst.optimalPlan.length).toBeGreaterThanOrEqual(6)
      expect(replay(inst)).toBe(true)
      expect(inst.id).toMatch(/^seed11\/7x7-2\/\d$/)
    }
  })

  it('seeded hands cycle the rule list and score with the scored rule', () => {
    const hands = instancesOf(seededGp) as GpInstance[]
    hands.forEach((h, i) => {
      expect(h.rule.scored.name).toBe(i % 2 === 0 ? 'all_10' : 'all_7')
      h.ranks.forEach((r, k) => {
        if (r === 12) expect([h.values[k], h.shownValues[k]]).toEqual(i % 2 === 0 ? [10, 12] : [7, 7])
      })
      expect(h.ranks.some((r) => r >= 11 && r <= 13)).toBe(true)
      expect(h.solution).not.toBeNull()
    })
  })

  it('a different seed gives different levels', () => {
    const other = { ...seededSokoban, seedScheme: { kind: 'seeded' as const, seed: 12 } }
    expect(serializeXsb(sokoban(other, 0).level)).not.toBe(serializeXsb(sokoban(seededSokoban, 0).level))
  })
})

describe('validation names the field', () => {
  const paths = (input: unknown) => thrownBy(SpecError, () => parseInstanceSetSpec(input)).problems.map((p) => p.path)
  const simpleSpec = JSON.parse(JSON.stringify(simple)) as Record<string, unknown>

  it('a tag that is not in its list', () => {
    expect(paths({ ...simpleSpec, seedScheme: { kind: 'paper-sokoban', tag: 'SimpleSokobanEmoji', list: 'final' } })).toEqual([
      'instanceSet.seedScheme.tag',
    ])
  })

  it("a difficulty that does not match the tag's room", () => {
    const difficulty = { task: 'sokoban', rows: 10, cols: 10, boxes: 1 }
    expect(paths({ ...simpleSpec, difficulty })).toEqual(['instanceSet.difficulty'])
  })

  it('more items than the tag has', () => {
    expect(paths({ ...simpleSpec, start: 50, count: 60 })).toEqual(['instanceSet.count'])
  })

  it('a seeded General Points set without a rule, and a rule on a paper scheme', () => {
    const seeded = {
      task: 'gp',
      difficulty: { task: 'gp', cards: 4, largest: 13, ood: 'none', target: 24 },
      seedScheme: { kind: 'seeded', seed: 1 },
      count: 3,
    }
    expect(paths(seeded)).toEqual(['instanceSet.rule'])
    const paper = JSON.parse(JSON.stringify(presetByName('gp_l_id').instanceSet)) as Record<string, unknown>
    expect(paths({ ...paper, rule: { shown: 'all_10', scored: 'all_10' } })).toEqual(['instanceSet.rule'])
  })

  it('a Sokoban scheme on a General Points set', () => {
    expect(paths({ ...simpleSpec, task: 'gp' })).toContain('instanceSet.difficulty.task')
  })

  it('an index outside the set', () => {
    expect(() => instanceAt(simple, 100)).toThrow(/\[0, 99\]/)
  })
})
