import { describe, expect, it } from 'vitest'
import { formatBreakerClient, oracleClient, randomClient } from '../../../core/eval/scripted.ts'
import { SokobanLevelFacts, runSokobanCell } from '../../../core/eval/sokoban-protocol.ts'
import { SokobanPrompter } from '../../../core/eval/prompts.ts'
import { PAPER_PROTOCOL } from '../../../core/eval/spec.ts'
import type { CellResult } from '../../../core/eval/types.ts'
import { presetByName } from '../../../core/experiment/presets.ts'
import { VARIANTS, parseVariantSpec, type SokobanVariantSpec } from '../../../core/experiment/variant.ts'
import { defaultTemplateLibrary, renderInstancePrompt } from '../../../core/experiment/render.ts'
import { instanceAt, parseInstanceSetSpec, type SokobanInstance } from '../../../core/experiment/instance-set.ts'
import { PAPER_FINAL_EVAL_TAGS, BASE_VOCABULARY } from '../../../core/sokoban/vocab.ts'
import { parseXsbLevel } from '../../../core/sokoban/xsb.ts'
import { applyMove } from '../../../core/sokoban/rules.ts'
import { isSolved, sameState } from '../../../core/sokoban/level.ts'
import { PAPER_MAX_DEPTH, optimalNextMove, solveBfs } from '../../../core/sokoban/solve/bfs.ts'
import { rngFor } from '../../../core/rng/index.ts'
import type { Direction } from '../../../core/sokoban/directions.ts'
import { run, sweep } from './helpers.ts'

function sokoban(result: CellResult) {
  if (result.sokoban === null) throw new Error(`cell ${result.id} has no Sokoban record`)
  return result.sokoban
}

describe('closed loop with the oracle (§5.1)', () => {
  it('solves every generated 6x6 level: success 100%, validity 1, turns = steps = optimal moves', async () => {
    const { sink, outcome } = await run(sweep('sokoban', { instances: 25, repeats: 2 }), oracleClient())
    expect(outcome.status).toBe('completed')
    expect(sink.results).toHaveLength(50)
    for (const result of sink.results) {
      const record = sokoban(result)
      expect(result.success).toBe(true)
      expect(result.failure).toBeNull()
      expect(result.validity).toBe(1)
      expect(record.end).toBe('solved')
      expect(result.turns).toBe(record.optimalMoves)
      expect(result.steps).toBe(record.optimalMoves)
      // Each move costs -0.1; the box reaching its goal +1 and solving +10 (§4.1).
      expect(result.reward).toBeCloseTo(-0.1 * result.steps + 11, 10)
      for (const turn of record.turns) {
        expect(turn.parseError).toBeNull()
        expect(turn.action).toBe(turn.optimal)
        expect(turn.effective).toBe(true)
        expect(turn.deadlock).toBe(false)
      }
      expect(record.turns.at(-1)?.boxesOnGoals).toBe(1)
      expect(record.firstDeadlockTurn).toBeNull()
    }
    const [aggregate] = outcome.aggregates
    expect(aggregate.successRate).toBe(1)
    expect(aggregate.validity).toBe(1)
    expect(aggregate.validityCi).toBeNull()
  })

  it('records the level as XSB and the optimal plan length from an independent BFS', async () => {
    const { sink } = await run(sweep('sokoban', { instances: 5 }), oracleClient())
    for (const result of sink.results) {
      const record = sokoban(result)
      const level = parseXsbLevel(record.level)
      const bfs = solveBfs(level)
      expect(bfs.status).toBe('solved')
      expect(record.optimalMoves).toBe(bfs.plan.length)
      // Replaying the recorded moves on the stored level solves it.
      let state = level.start
      for (const turn of record.turns) if (turn.action !== null) state = applyMove(level, state, turn.action).state
      expect(isSolved(level, state)).toBe(true)
    }
  })

  it("the paper presets' first levels: honest tags solved within 30 steps, Fake tags never (§10.4)", async () => {
    let solved = 0
    let fakes = 0
    for (const tag of PAPER_FINAL_EVAL_TAGS) {
      const preset = presetByName(tag)
      const spec = sweep('sokoban', {
        variants: [preset.variant.name],
        difficulties: [{ name: 'paper', preset: tag }],
        instances: 2,
      })
      const { sink } = await run(spec, oracleClient())
      const variant = preset.variant as SokobanVariantSpec
      const fake = variant.vocabulary.shown !== null && variant.vocabulary.shown !== variant.vocabulary.accepted
      for (const result of sink.results) {
        const record = sokoban(result)
        if (fake) {
          // The oracle answers with the words the prompt shows; the Fake scorer accepts only Up/Down/Left/Right.
          expect(result.success, tag).toBe(false)
          expect(result.failure, tag).toBe('unknown-action')
          expect(result.validity, tag).toBe(0)
          expect(result.steps, tag).toBe(0)
          fakes++
        } else {
          // Paper levels come with the paper's labels: [] when no plan of at most 30 moves exists.
          expect(result.success, tag).toBe(record.optimalMoves !== null)
          if (result.success) expect(result.validity, tag).toBe(1)
          if (result.success) solved++
        }
      }
    }
    // 8 tags x 2 levels; the final list's one Fake tag is FakeSokobanNumerical (§3.4).
    expect(fakes).toBe(2)
    expect(solved).toBeGreaterThanOrEqual(10)
  })
})

describe('closed loop with scripted failures', () => {
  it('the format breaker: 0 success, no-answer-tag, validity 0, 30 turns and 0 steps (§10.5)', async () => {
    const { sink, outcome } = await run(sweep('sokoban', { instances: 4 }), formatBreakerClient())
    for (const result of sink.results) {
      expect(result.success).toBe(false)
      expect(result.failure).toBe('no-answer-tag')
      expect(result.validity).toBe(0)
      expect(result.turns).toBe(30)
      expect(result.steps).toBe(0)
      expect(result.reward).toBe(0)
      const record = sokoban(result)
      expect(record.end).toBe('max-turns')
      expect(record.turns).toHaveLength(30)
      // The same position is shown every turn: one prompt hash.
      expect(new Set(record.turns.map((t) => t.promptHash)).size).toBe(1)
      for (const turn of record.turns) {
        expect(turn.parseError).toBe('no-answer-tag')
        expect(turn.action).toBeNull()
      }
    }
    expect(outcome.aggregates[0].failures).toEqual({ 'no-answer-tag': 4 })
    expect(outcome.aggregates[0].meanTurns).toBe(30)
  })

  it('the random policy: valid every turn, failures only from play, success well below certainty', async () => {
    const { sink, outcome } = await run(sweep('sokoban', { instances: 40 }), randomClient(3))
    const allowed = new Set(['deadlock', 'ineffective-move', 'out-of-steps', 'out-of-turns'])
    for (const result of sink.results) {
      expect(result.validity).toBe(1)
      if (!result.success) expect(allowed.has(result.failure as string), String(result.failure)).toBe(true)
      const record = sokoban(result)
      // A valid move every turn: every turn is a step, and the 30-step budget ends it before the turns run out.
      expect(result.steps).toBe(result.turns)
      if (!result.success) expect(record.end).toBe('max-steps')
      if (result.failure === 'deadlock') expect(record.firstDeadlockTurn).not.toBeNull()
    }
    const [aggregate] = outcome.aggregates
    expect(aggregate.successRate).toBeLessThan(0.6)
    expect(aggregate.failures.deadlock ?? 0).toBeGreaterThan(0)
  })

  it('a deadlock is found the turn it happens, and decides the failure before ineffective moves', async () => {
    // Pushing Up moves the box against the top wall, off any goal: a dead square (environments.md §6.2).
    const level = parseXsbLevel(['#####', '#   #', '# $ #', '# @.#', '#####'].join('\n'))
    const instance: SokobanInstance = {
      task: 'sokoban',
      id: 'corner',
      index: 0,
      level,
      optimalPlan: solveBfs(level).plan,
      meta: { scheme: 'seeded', seed: 0, reproducibleInReference: true },
    }
    const facts = new SokobanLevelFacts(instance)
    const variant = VARIANTS.find((v) => v.name === 'sokoban-eval-base') as SokobanVariantSpec
    const render = new SokobanPrompter(variant, defaultTemplateLibrary()).forInstance(instance, 0)
    const outcome = await runSokobanCell({
      facts,
      variant,
      accepted: BASE_VOCABULARY,
      protocol: PAPER_PROTOCOL,
      prompt: (state) => ({ text: render(state), hash: `${state.player}` }),
      generate: async () => ({ text: '</think> <answer> Up </answer>', tokens: 5, finishReason: 'stop' }),
    })
    const record = outcome.sokoban
    expect(record?.firstDeadlockTurn).toBe(1)
    expect(record?.turns[0].deadlock).toBe(true)
    expect(record?.turns[0].optimal).toBe(instance.optimalPlan[0])
    // Later pushes against the wall leave the player in place, but the deadlock came first.
    expect(record?.turns[1].effective).toBe(false)
    expect(outcome.failure).toBe('deadlock')
    expect(outcome.steps).toBe(30)
    expect(outcome.tokens).toBe(5 * 30)
  })
})

describe('SokobanLevelFacts', () => {
  it("[§4.3] a position's optimal move is optimalNextMove's with the 30-move cap, on and off the plan", () => {
    for (const [name, difficulty, count] of [
      ['one box', { task: 'sokoban', rows: 6, cols: 6, boxes: 1 }, 40],
      ['one box, larger', { task: 'sokoban', rows: 10, cols: 10, boxes: 1 }, 15],
      ['two boxes', { task: 'sokoban', rows: 6, cols: 6, boxes: 2 }, 10],
    ] as const) {
      const set = parseInstanceSetSpec({ task: 'sokoban', difficulty, seedScheme: { kind: 'seeded', seed: 5 }, count })
      for (let i = 0; i < count; i++) {
        const instance = instanceAt(set, i) as SokobanInstance
        const { level } = instance
        const facts = new SokobanLevelFacts(instance)
        const rng = rngFor('facts-test', name, i)
        let state = level.start
        for (let step = 0; step < 12; step++) {
          const limits = { maxDepth: PAPER_MAX_DEPTH, maxStates: 200_000 }
          expect(facts.optimal(state), `${name} #${i} step ${step}`).toBe(optimalNextMove(level, state, limits))
          state = applyMove(level, state, (1 + rng.below(4)) as Direction).state
        }
      }
    }
  })

  it('keys positions by player and boxes: equal positions share a key, others do not', () => {
    const set = parseInstanceSetSpec({
      task: 'sokoban',
      difficulty: { task: 'sokoban', rows: 6, cols: 6, boxes: 2 },
      seedScheme: { kind: 'seeded', seed: 5 },
      count: 1,
    })
    const instance = instanceAt(set, 0) as SokobanInstance
    const facts = new SokobanLevelFacts(instance)
    const { player, boxes } = instance.level.start
    expect(facts.code({ player, boxes: [...boxes] })).toBe(facts.code(instance.level.start))
    expect(facts.code({ player: boxes[0], boxes: [player, boxes[1]].sort((a, b) => a - b) })).not.toBe(
      facts.code(instance.level.start),
    )
  })
})

describe('open loop', () => {
  it('the whole optimal plan in one answer solves the level in one turn', async () => {
    const spec = sweep('sokoban', { instances: 10, protocol: { mode: 'open-loop' } })
    const { sink } = await run(spec, oracleClient({ wholePlan: true }))
    for (const result of sink.results) {
      const record = sokoban(result)
      expect(result.success).toBe(true)
      expect(result.turns).toBe(1)
      expect(result.steps).toBe(record.optimalMoves)
      // One record per executed move, all of turn 1; the output is stored once.
      expect(record.turns).toHaveLength(result.steps)
      expect(record.turns.every((t) => t.turn === 1)).toBe(true)
      expect(record.turns.filter((t) => t.output !== '')).toHaveLength(1)
      expect(record.turns[0].parsed).toHaveLength(result.steps)
    }
  })

  it('a single move answered in open loop exhausts the plan (unless one move solves the level)', async () => {
    const spec = sweep('sokoban', { instances: 10, protocol: { mode: 'open-loop' } })
    const { sink } = await run(spec, oracleClient())
    for (const result of sink.results) {
      const record = sokoban(result)
      expect(result.steps).toBe(1)
      if (record.optimalMoves === 1) expect(result.success).toBe(true)
      else expect(result.failure).toBe('plan-exhausted')
    }
  })
})

describe('prompts (§7): spliced rendering equals the full template render', () => {
  const library = defaultTemplateLibrary()
  const set = {
    task: 'sokoban' as const,
    difficulty: { task: 'sokoban' as const, rows: 6, cols: 6, boxes: 2 },
    seedScheme: { kind: 'seeded' as const, seed: 5 },
    count: 3,
  }
  const instances = [0, 1, 2].map((i) => instanceAt(set, i) as SokobanInstance)

  /** Positions reached by random walks from the start. */
  function positions(instance: SokobanInstance, n: number) {
    const rng = rngFor('positions', instance.id)
    const out = [instance.level.start]
    let state = instance.level.start
    for (let i = 0; i < n; i++) {
      state = applyMove(instance.level, state, (rng.below(4) + 1) as Direction).state
      if (!out.some((s) => sameState(s, state))) out.push(state)
    }
    return out
  }

  const custom = [
    parseVariantSpec({
      name: 'upper',
      task: 'sokoban',
      template: { source: 'Board:\n{{ board | upper }}\n{{ answers_block }}' },
      chat: { mode: 'none' },
      vocabulary: { shown: 'base', accepted: 'base' },
      renderer: 'paper',
      parser: 'paper-eval',
    }),
    parseVariantSpec({
      name: 'plan',
      task: 'sokoban',
      template: { source: '{{ board_xsb }}\n{{ board }}\nBest: {{ optimal_action }}' },
      chat: { mode: 'model' },
      vocabulary: { shown: 'cardinal', accepted: 'cardinal' },
      renderer: 'xsb',
      parser: 'lenient',
    }),
  ] as SokobanVariantSpec[]
  const sokobanVariants = [...VARIANTS.filter((v) => v.task === 'sokoban'), ...custom] as SokobanVariantSpec[]

  it('for every named Sokoban variant and two custom ones, at many positions', () => {
    for (const variant of sokobanVariants) {
      const prompter = new SokobanPrompter(variant, library)
      for (const instance of instances) {
        const render = prompter.forInstance(instance, instance.index)
        for (const state of positions(instance, 40)) {
          if (variant.name === 'plan' && solveBfs(instance.level, { start: state }).status !== 'solved') continue
          expect(render(state), variant.name).toBe(
            renderInstancePrompt(instance, variant, library, { state, row: instance.index }),
          )
        }
      }
    }
  })

  it("splices the paper's templates, and falls back to Jinja for templates that transform the board", () => {
    for (const variant of sokobanVariants) {
      const expected = variant.name !== 'upper' && variant.name !== 'plan'
      expect(new SokobanPrompter(variant, library).splices, variant.name).toBe(expected)
    }
  })
})
