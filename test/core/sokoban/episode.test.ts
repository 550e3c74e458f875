// Tests of the episode runner against the paper's closed-loop protocol (paper-tasks.md §5.1,
// §5.2, §10 items 5-8) with scripted policies, plus the open-loop mode.
import { describe, expect, it } from 'vitest'
import { runEpisode, type Policy } from '../../../core/sokoban/episode.ts'
import { optimalNextMove } from '../../../core/sokoban/solve/index.ts'
import { parsePaperGrid } from '../../../core/sokoban/text.ts'
import { parseXsbLevel } from '../../../core/sokoban/xsb.ts'
import { paperEvalPrompt } from '../../../core/sokoban/prompt.ts'
import { parseEvalAnswer } from '../../../core/sokoban/parse-answer.ts'
import { BASE_VOCABULARY, NUMERICAL_VOCABULARY, paperEvalTag } from '../../../core/sokoban/vocab.ts'
import type { Level } from '../../../core/sokoban/level.ts'
import { readRepoText } from '../../harness/repo.ts'
import { PAPER_SAMPLES_FILE, describeWithSharedData, loadPaperSamples } from '../../harness/shared-data.ts'

const SEED123 = parsePaperGrid(readRepoText('test/golden/sokoban-prompts/grid-seed123.txt'))
// Three pushes to the right solve it; Left from the start bumps into the wall.
const CORRIDOR = parseXsbLevel('#######\n#@ $ .#\n#######')

const answer = (word: string): string => `<think> thinking </think> <answer> ${word} </answer>`

/** Answers the BFS-optimal next move in the base words. */
const oracle: Policy = async (_prompt, { envState }) => {
  const move = optimalNextMove(envState.level, envState.state)
  return answer(move === null ? 'none' : BASE_VOCABULARY.names[move - 1])
}

/** Replies from a fixed script, one entry per turn (the last entry repeats). */
const scripted = (replies: readonly string[]): Policy => async (_p, { turn }) => replies[Math.min(turn, replies.length) - 1]

describe('closed-loop episodes (§5.1)', () => {
  it('an oracle solves the spec example in its BFS answer Down, Left, Up (§3.1)', async () => {
    const r = await runEpisode({ level: SEED123, policy: oracle })
    expect(r).toMatchObject({ success: true, end: 'solved', turns: 3, steps: 3, validTurns: 3, effectiveTurns: 3 })
    expect(r.trace.map((t) => t.action)).toEqual([2, 3, 1])
    expect(r.trace.map((t) => t.reward)).toEqual([-0.1, -0.1, -0.1 + 1 + 10])
    expect(r.totalReward).toBeCloseTo(10.7, 12)
    expect(r.actionIsValid).toBe(1)
    expect(r.actionIsEffective).toBe(1)
  })

  it('[§10.5] a policy that breaks format never steps and ends after 30 turns', async () => {
    const r = await runEpisode({ level: SEED123, policy: scripted(['I would go Down.']) })
    expect(r).toMatchObject({ success: false, end: 'max-turns', turns: 30, steps: 0, validTurns: 0, totalReward: 0 })
    expect(r.actionIsValid).toBe(0)
    expect(r.actionIsEffective).toBe(0)
    expect(r.trace).toHaveLength(30)
    // The same position is shown again every turn.
    expect(new Set(r.trace.map((t) => t.prompt)).size).toBe(1)
    expect(r.trace.every((t) => t.action === undefined && t.stateAfter === t.stateBefore)).toBe(true)
    expect(r.trace[0].parse).toMatchObject({ ok: false, reason: 'no-answer-tag' })
  })

  it('[§10.6] wall bumps are executed, cost −0.1 and use steps: truncated at 30 steps', async () => {
    const r = await runEpisode({ level: SEED123, policy: scripted([answer('Right')]) })
    expect(r).toMatchObject({ success: false, end: 'max-steps', turns: 30, steps: 30, validTurns: 30, effectiveTurns: 0 })
    expect(r.actionIsValid).toBe(1)
    expect(r.actionIsEffective).toBe(0)
    expect(r.trace.every((t) => t.reward === -0.1 && t.effective === false)).toBe(true)
    expect(r.totalReward).toBeCloseTo(-3, 12)
    expect(r.finalState).toEqual(SEED123.start)
  })

  it('[§10.7] solving on the 30th env step is a success', async () => {
    const replies = [...Array<string>(27).fill(answer('Left')), answer('Right')]
    const r = await runEpisode({ level: CORRIDOR, policy: scripted(replies) })
    expect(r).toMatchObject({ success: true, end: 'solved', turns: 30, steps: 30 })
  })

  it('[§10.7] an episode that ends by max steps is a failure', async () => {
    const replies = [...Array<string>(28).fill(answer('Left')), answer('Right')]
    const r = await runEpisode({ level: CORRIDOR, policy: scripted(replies) })
    expect(r).toMatchObject({ success: false, end: 'max-steps', turns: 30, steps: 30 })
  })

  it('[§10.5][§10.7] invalid turns use up the 30 turns: 28 invalid then 2 valid cannot finish 3 moves', async () => {
    const r = await runEpisode({ level: CORRIDOR, policy: scripted([...Array<string>(28).fill('Right'), answer('Right')]) })
    expect(r).toMatchObject({ success: false, end: 'max-turns', turns: 30, steps: 2, validTurns: 2 })
    expect(r.actionIsValid).toBeCloseTo(2 / 30, 15)
    const solved = await runEpisode({ level: CORRIDOR, policy: scripted([...Array<string>(27).fill('Right'), answer('Right')]) })
    expect(solved).toMatchObject({ success: true, turns: 30, steps: 3 })
  })

  it('[§10.8] each turn shows a fresh prompt with only the current position', async () => {
    const r = await runEpisode({ level: SEED123, policy: oracle })
    for (const t of r.trace) expect(t.prompt).toBe(paperEvalPrompt(SEED123, t.stateBefore, BASE_VOCABULARY))
    expect(r.trace[0].prompt).not.toBe(r.trace[1].prompt)
  })

  it('[§10.4] a Fake split: prompts show 1-4, answers in 1-4 are rejected, Up/Down/Left/Right work', async () => {
    const { shown, accepted } = paperEvalTag('FakeSokobanNumerical').vocabulary
    const renderPrompt = (env: { state: Level['start'] }): string => paperEvalPrompt(SEED123, env.state, shown)
    const parse = (text: string) => parseEvalAnswer(text, accepted)
    const obeys = await runEpisode({ level: SEED123, policy: scripted([answer('2'), answer('3'), answer('1')]), renderPrompt, parse })
    expect(obeys).toMatchObject({ success: false, steps: 0, validTurns: 0 })
    expect(obeys.trace[0].prompt).toContain('where 1 is Up, 2 is Down')
    const ignores = await runEpisode({ level: SEED123, policy: oracle, renderPrompt, parse })
    expect(ignores.success).toBe(true)
    const numerical = await runEpisode({
      level: SEED123,
      policy: scripted([answer('2'), answer('3'), answer('1')]),
      renderPrompt: (env) => paperEvalPrompt(SEED123, env.state, NUMERICAL_VOCABULARY),
      parse: (text) => parseEvalAnswer(text, NUMERICAL_VOCABULARY),
    })
    expect(numerical).toMatchObject({ success: true, steps: 3 })
  })

  it('records the optimal next move only when asked', async () => {
    const plain = await runEpisode({ level: SEED123, policy: scripted([answer('Right'), answer('Down')]), maxTurns: 2 })
    expect(plain.trace.every((t) => !('optimalNext' in t))).toBe(true)
    const r = await runEpisode({
      level: SEED123,
      policy: scripted(['nothing', answer('Right'), answer('Down')]),
      maxTurns: 3,
      optimalNext: (level, state) => optimalNextMove(level, state),
    })
    expect(r.trace.map((t) => t.optimalNext)).toEqual([2, 2, 2])
    expect(r.trace.map((t) => t.action)).toEqual([undefined, 4, 2])
  })

  it('passes the turn number and state to the renderer and the policy', async () => {
    const seen: number[] = []
    await runEpisode({
      level: SEED123,
      renderPrompt: (env, turn) => `turn ${turn} at ${env.state.player} after ${env.steps}`,
      policy: async (prompt, { turn }) => {
        seen.push(turn)
        return prompt === `turn ${turn} at ${SEED123.start.player} after 0` ? 'bad' : answer('Up')
      },
      maxTurns: 3,
    })
    expect(seen).toEqual([1, 2, 3])
  })

  it('honours smaller limits and can execute several parsed actions per turn', async () => {
    const short = await runEpisode({ level: SEED123, policy: oracle, maxSteps: 2 })
    expect(short).toMatchObject({ success: false, end: 'max-steps', steps: 2, turns: 2 })
    const multi = await runEpisode({
      level: CORRIDOR,
      policy: scripted([answer('Right Right Right')]),
      parse: (text) => ({ ok: true, actions: [4, 4, 4], answer: text }),
      actionsPerTurn: 2,
    })
    expect(multi).toMatchObject({ success: true, turns: 2, steps: 3, validTurns: 2 })
    expect(multi.trace.map((t) => t.turn)).toEqual([1, 1, 2])
  })

  it('rejects bad limits with a message naming the option', async () => {
    await expect(runEpisode({ level: SEED123, policy: oracle, maxTurns: 0 })).rejects.toThrow(/maxTurns must be a positive integer/)
    await expect(runEpisode({ level: SEED123, policy: oracle, maxSteps: 1.5 })).rejects.toThrow(/maxSteps/)
  })

  it('an already solved level succeeds without calling the policy', async () => {
    const done = parseXsbLevel('#####\n#@* #\n#####')
    const r = await runEpisode({ level: done, policy: () => Promise.reject(new Error('not called')) })
    expect(r).toMatchObject({ success: true, turns: 0, steps: 0, actionIsValid: 0 })
  })
})

describe('open-loop episodes', () => {
  it('executes a whole plan from one answer', async () => {
    const r = await runEpisode({ level: SEED123, mode: 'open-loop', policy: scripted([answer('Down, Left, Up')]) })
    expect(r).toMatchObject({ success: true, end: 'solved', turns: 1, steps: 3, validTurns: 1, effectiveTurns: 1, effectiveSteps: 3 })
    expect(r.trace.map((t) => [t.turn, t.action])).toEqual([[1, 2], [1, 3], [1, 1]])
  })

  it('stops at the solution and ignores the rest of the plan', async () => {
    const r = await runEpisode({ level: SEED123, mode: 'open-loop', policy: scripted(['<answer>d l u r r r</answer>']) })
    expect(r).toMatchObject({ success: true, steps: 3 })
  })

  it('fails when the plan runs out, is unreadable or exceeds the step budget', async () => {
    const short = await runEpisode({ level: SEED123, mode: 'open-loop', policy: scripted([answer('Down Left')]) })
    expect(short).toMatchObject({ success: false, end: 'plan-exhausted', steps: 2 })
    const garbage = await runEpisode({ level: SEED123, mode: 'open-loop', policy: scripted([answer('Down, jump')]) })
    expect(garbage).toMatchObject({ success: false, end: 'no-plan', turns: 1, steps: 0, actionIsValid: 0 })
    const long = await runEpisode({ level: CORRIDOR, mode: 'open-loop', maxSteps: 5, policy: scripted([answer('L L L R R R')]) })
    expect(long).toMatchObject({ success: false, end: 'max-steps', steps: 5 })
  })
})

describeWithSharedData('oracle episodes on the paper\'s eval levels', PAPER_SAMPLES_FILE, () => {
  it('solves every sample along the reference BFS path, one action per turn', async () => {
    const samples = loadPaperSamples().sokoban
    expect(samples.length).toBeGreaterThan(0)
    for (const s of samples) {
      const level = parsePaperGrid(s.text_grid)
      const r = await runEpisode({ level, policy: oracle })
      expect(r.success, `${s.tag} seed ${s.seed}`).toBe(true)
      expect(r.trace.map((t) => t.action), `${s.tag} seed ${s.seed}`).toEqual(s.bfs_actions)
    }
  })
})
