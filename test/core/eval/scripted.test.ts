import { describe, expect, it } from 'vitest'
import { formatBreakerClient, oracleClient, randomClient } from '../../../core/eval/scripted.ts'
import { instanceAt, type GpInstance, type SokobanInstance } from '../../../core/experiment/instance-set.ts'
import { renderInstancePrompt } from '../../../core/experiment/render.ts'
import { presetByName } from '../../../core/experiment/presets.ts'
import { variantByName } from '../../../core/experiment/variant.ts'
import { extractEvalAnswer } from '../../../core/sokoban/parse-answer.ts'
import { verifyPaper } from '../../../core/gp/verify-paper.ts'
import type { ModelClient } from '../../../core/model/client.ts'
import { optimalNextMove } from '../../../core/sokoban/solve/bfs.ts'
import { applyMove } from '../../../core/sokoban/rules.ts'
import { rngFor } from '../../../core/rng/index.ts'
import type { Direction } from '../../../core/sokoban/directions.ts'

const level = instanceAt(
  {
    task: 'sokoban',
    difficulty: { task: 'sokoban', rows: 6, cols: 6, boxes: 1 },
    seedScheme: { kind: 'seeded', seed: 3 },
    count: 1,
  },
  0,
) as SokobanInstance

async function say(client: ModelClient, prompt: string, seed = 0): Promise<string> {
  return (await client.generate({ prompt, params: { seed } })).text
}

describe('scripted clients', () => {
  it('the oracle answers the first optimal move in the words the prompt shows (§3.3)', async () => {
    const cardinal = renderInstancePrompt(level, variantByName('sokoban-eval-cardinal'))
    const base = renderInstancePrompt(level, variantByName('sokoban-eval-base'))
    const empty = renderInstancePrompt(level, variantByName('sokoban-eval-empty'))
    const names = { cardinal: ['North', 'South', 'West', 'East'], base: ['Up', 'Down', 'Left', 'Right'] }
    const first = level.optimalPlan[0]
    expect(extractEvalAnswer(await say(oracleClient(), cardinal))).toBe(names.cardinal[first - 1])
    expect(extractEvalAnswer(await say(oracleClient(), base))).toBe(names.base[first - 1])
    // No Answers block: the base words.
    expect(extractEvalAnswer(await say(oracleClient(), empty))).toBe(names.base[first - 1])
    // The prompt ends with <think>, so the answer closes it first, as a model's would.
    expect(await say(oracleClient(), base)).toMatch(/^<\/think> <answer> \w+ <\/answer>$/)
  })

  it("the oracle's move is the solver's first optimal move from any position, one box or two", async () => {
    const variant = variantByName('sokoban-eval-base')
    const oracle = oracleClient()
    let checked = 0
    for (const boxes of [1, 2]) {
      for (let i = 0; i < 6; i++) {
        const instance = instanceAt(
          {
            task: 'sokoban',
            difficulty: { task: 'sokoban', rows: 7, cols: 7, boxes },
            seedScheme: { kind: 'seeded', seed: 21 },
            count: 6,
          },
          i,
        ) as SokobanInstance
        const rng = rngFor('oracle-positions', boxes, i)
        let state = instance.level.start
        for (let k = 0; k < 12; k++) {
          const best = optimalNextMove(instance.level, state)
          if (best !== null) {
            const text = await say(oracle, renderInstancePrompt(instance, variant, undefined, { state }))
            expect(extractEvalAnswer(text), `${instance.id} move ${k}`).toBe(['Up', 'Down', 'Left', 'Right'][best - 1])
            checked++
          }
          state = applyMove(instance.level, state, (rng.below(4) + 1) as Direction).state
        }
      }
    }
    expect(checked).toBeGreaterThan(60)
  })

  it('the oracle reads a chat message as well as a raw string', async () => {
    const body = renderInstancePrompt(level, variantByName('sokoban-eval-base'))
    const result = await oracleClient().generate({ prompt: { messages: [{ role: 'user', content: body }] } })
    expect(extractEvalAnswer(result.text)).toBe(['Up', 'Down', 'Left', 'Right'][level.optimalPlan[0] - 1])
    expect(result.tokens).toHaveLength(result.text.split(' ').length)
  })

  it('the General Points oracle answers a formula the paper verifier scores +5 (§6.4)', async () => {
    const preset = presetByName('gp_l_id')
    for (let i = 0; i < 10; i++) {
      const hand = instanceAt(preset.instanceSet, i) as GpInstance
      const text = await say(oracleClient(), renderInstancePrompt(hand, preset.variant))
      expect(verifyPaper(text, { displayValues: hand.values, target: 24 }).reward, hand.id).toBe(5)
    }
  })

  it('the random client repeats itself for the same request seed and varies across seeds', async () => {
    const prompt = renderInstancePrompt(level, variantByName('sokoban-eval-base'))
    const client = randomClient(4)
    const answers = await Promise.all(Array.from({ length: 40 }, (_, seed) => say(client, prompt, seed)))
    expect(await say(randomClient(4), prompt, 7)).toBe(answers[7])
    expect(new Set(answers.map((a) => extractEvalAnswer(a)))).toEqual(new Set(['Up', 'Down', 'Left', 'Right']))
  })

  it('the format breaker never writes an answer tag or a formula', async () => {
    const prompt = renderInstancePrompt(level, variantByName('sokoban-eval-base'))
    const sokoban = await say(formatBreakerClient(), prompt)
    expect(sokoban).not.toContain('<answer>')
    const hand = instanceAt(presetByName('gp_l_id').instanceSet, 0) as GpInstance
    const gp = await say(formatBreakerClient(), renderInstancePrompt(hand, variantByName('gp-test-all_10')))
    expect(verifyPaper(gp, { displayValues: hand.values, target: 24 }).source).toBe('none')
  })

  it('[§3.1] reads a grid without a closed wall as parsePaperGrid does, and refuses a malformed one with its message', async () => {
    const prompt = renderInstancePrompt(level, variantByName('sokoban-eval-base'))
    const first = ['Up', 'Down', 'Left', 'Right'][level.optimalPlan[0] - 1]
    // The top-left corner opened to floor: outside the level, which is otherwise unchanged.
    const grid = prompt.indexOf('[Current Observation]:\n') + '[Current Observation]:\n'.length
    expect(prompt.slice(grid, grid + 4)).toBe(' # \t')
    const open = `${prompt.slice(0, grid)} _ \t${prompt.slice(grid + 4)}`
    expect(extractEvalAnswer(await say(oracleClient(), open))).toBe(first)
    // A second player on a floor cell: refused with parsePaperGrid's error.
    const floor = prompt.indexOf(' _ \t', grid)
    const twoPlayers = `${prompt.slice(0, floor)} P \t${prompt.slice(floor + 4)}`
    expect(twoPlayers.split(' P \t')).toHaveLength(3)
    await expect(say(oracleClient(), twoPlayers)).rejects.toThrow(/players/)
  })

  it('rejects prompts it cannot read, and requests after dispose', async () => {
    await expect(say(oracleClient(), 'Hello')).rejects.toThrow('neither a Sokoban prompt')
    const client = oracleClient()
    await client.dispose()
    await expect(client.info()).rejects.toThrow('disposed')
  })
})
