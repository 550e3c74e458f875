// The Sokoban environment (paper-tasks.md §4.1, §10 items 5-7). Rewards and flags are checked
// against golden rollouts from an independent Python transcription of gym-sokoban's step code
// (test/golden/sokoban/gym_rollouts.py) and against hand-worked small cases.
import { describe, expect, it } from 'vitest'
import { DOWN, LEFT, RIGHT, UP, type Direction } from '../../../core/sokoban/directions.ts'
import { cellAt, type Level } from '../../../core/sokoban/level.ts'
import { parseXsbLevel } from '../../../core/sokoban/xsb.ts'
import { renderPaperGrid } from '../../../core/sokoban/text.ts'
import {
  PAPER_ENV_CONFIG,
  SokobanEnv,
  initialState,
  isFinished,
  step,
  type EnvState,
  type StepResult,
} from '../../../core/sokoban/env.ts'
import { readRepoText } from '../../harness/repo.ts'

const SEED_123 = parseXsbLevel(['######', '######', '#.####', '#$@###', '#  ###', '######'].join('\n'))

function run(envState: EnvState, actions: Direction[]): StepResult[] {
  const results: StepResult[] = []
  let current = envState
  for (const action of actions) {
    const result = step(current, action)
    results.push(result)
    current = result.envState
  }
  return results
}

describe('step', () => {
  it('[§3.1] the BFS answer Down, Left, Up solves the seed-123 level: -0.1, -0.1, then +10.9', () => {
    const results = run(initialState(SEED_123), [DOWN, LEFT, UP])
    // -0.1 + 1 + 10 summed in that order in IEEE doubles, as gym-sokoban does
    expect(results.map((r) => r.reward)).toEqual([-0.1, -0.1, 10.9])
    expect(results.map((r) => r.terminated)).toEqual([false, false, true])
    expect(results.map((r) => r.truncated)).toEqual([false, false, false])
    expect(results[2].info).toEqual({
      actionIsEffective: true,
      actionIsValid: true,
      success: true,
      pushed: true,
      boxesOnGoals: 1,
    })
  })

  it('[§10.6] a bump into a wall is a step: -0.1, not effective, steps + 1', () => {
    const start = initialState(SEED_123)
    const result = step(start, RIGHT)
    expect(result.reward).toBe(-0.1)
    expect(result.info.actionIsEffective).toBe(false)
    expect(result.info.pushed).toBe(false)
    expect(result.envState.steps).toBe(1)
    expect(result.envState.state).toEqual(start.state)
  })

  it('[§4.1] a push onto a goal gives +1 (0.9 net), off a goal -1 (-1.1 net)', () => {
    const level = parseXsbLevel('#######\n#@$. .#\n#  $  #\n#######')
    const results = run(initialState(level), [RIGHT, RIGHT, RIGHT])
    expect(results.map((r) => r.reward)).toEqual([0.9, -1.1, 0.9])
    expect(results.map((r) => r.info.boxesOnGoals)).toEqual([1, 0, 1])
    expect(results.every((r) => !r.terminated && !r.truncated)).toBe(true)
  })

  it('[§4.1] truncates when the steps reach maxSteps unsolved, and not before', () => {
    const results = run(initialState(SEED_123, { maxSteps: 3 }), [RIGHT, RIGHT, RIGHT])
    expect(results.map((r) => r.truncated)).toEqual([false, false, true])
    expect(results.map((r) => r.terminated)).toEqual([false, false, false])
    expect(isFinished(results[2].envState)).toBe(true)
  })

  it('[§10.7] solving on the last allowed step terminates; it is not a truncation', () => {
    const results = run(initialState(SEED_123, { maxSteps: 3 }), [DOWN, LEFT, UP])
    expect([results[2].terminated, results[2].truncated]).toEqual([true, false])
  })

  it('[§4.1] stepping a finished episode throws, as the reference asserts', () => {
    const solved = run(initialState(SEED_123), [DOWN, LEFT, UP])[2].envState
    expect(() => step(solved, DOWN)).toThrow(/already solved/)
    const spent = run(initialState(SEED_123, { maxSteps: 1 }), [RIGHT])[0].envState
    expect(() => step(spent, DOWN)).toThrow(/all 1 steps/)
  })

  it('refuses actions outside 1-4 (the "None" action 0 is never executed)', () => {
    expect(() => step(initialState(SEED_123), 0 as Direction)).toThrow(/must be 1 \(Up\)/)
  })

  it('is pure: the input state is unchanged and the same input gives the same result', () => {
    const start = initialState(SEED_123)
    const snapshot = JSON.stringify(start.state)
    const a = run(start, [DOWN, LEFT, RIGHT, UP])
    const b = run(start, [DOWN, LEFT, RIGHT, UP])
    expect(JSON.stringify(start.state)).toBe(snapshot)
    expect(a.map((r) => [r.reward, r.envState.state, r.info])).toEqual(b.map((r) => [r.reward, r.envState.state, r.info]))
  })

  it('observations carry the paper text of the new position', () => {
    const result = step(initialState(SEED_123), DOWN)
    expect(result.observation.state).toBe(result.envState.state)
    expect(result.observation.text).toBe(renderPaperGrid(SEED_123, result.envState.state))
    expect(result.observation.text.split('\n')[4]).toBe(' # \t _ \t P \t # \t # \t # \t')
  })

  it('rejects a config without a positive whole step budget', () => {
    expect(() => initialState(SEED_123, { maxSteps: 0 })).toThrow(/maxSteps must be a positive integer/)
    expect(() => initialState(SEED_123, { maxSteps: 2.5 })).toThrow(/maxSteps/)
    expect(PAPER_ENV_CONFIG.maxSteps).toBe(30)
  })
})

interface GoldenStep {
  action: Direction
  reward: number
  terminated: boolean
  truncated: boolean
  actionIsEffective: boolean
  pushed: boolean
  boxesOnGoals: number
  player: [number, number]
  boxes: [number, number][]
}

interface Golden {
  levels: Record<string, string[]>
  rollouts: { level: string; maxSteps: number; steps: GoldenStep[] }[]
}

describe('golden rollouts from the gym-sokoban transcription', () => {
  const golden = JSON.parse(readRepoText('test/golden/sokoban/rollouts.json')) as Golden

  it('has scripted and random rollouts ending in each way', () => {
    const ends = golden.rollouts.map((r) => r.steps[r.steps.length - 1])
    expect(ends.some((s) => s.terminated)).toBe(true)
    expect(ends.some((s) => s.truncated)).toBe(true)
    expect(golden.rollouts.length).toBeGreaterThan(20)
  })

  it('[§4.1] replays every rollout with the same rewards, flags, player and boxes', () => {
    for (const [index, rollout] of golden.rollouts.entries()) {
      const rows = golden.levels[rollout.level]
      const level: Level = parseXsbLevel(rows.join('\n'))
      expect(level.cols).toBe(Math.max(...rows.map((r) => r.length)))
      let envState = initialState(level, { maxSteps: rollout.maxSteps })
      for (const [k, g] of rollout.steps.entries()) {
        const where = `rollout ${index} (${rollout.level}) step ${k}`
        const result = step(envState, g.action)
        expect(result.reward, where).toBe(g.reward)
        expect([result.terminated, result.truncated], where).toEqual([g.terminated, g.truncated])
        expect([result.info.actionIsEffective, result.info.pushed, result.info.boxesOnGoals], where).toEqual([
          g.actionIsEffective,
          g.pushed,
          g.boxesOnGoals,
        ])
        expect(result.envState.state.player, where).toBe(cellAt(level, g.player[0], g.player[1]))
        expect(result.envState.state.boxes, where).toEqual(g.boxes.map(([r, c]) => cellAt(level, r, c)))
        envState = result.envState
      }
      // The episode is over exactly when the reference's last step ended it.
      const last = rollout.steps[rollout.steps.length - 1]
      expect(isFinished(envState), `rollout ${index} end`).toBe(last.terminated || last.truncated)
    }
  })
})

describe('SokobanEnv', () => {
  const levels = [SEED_123, parseXsbLevel('#######\n#@$. .#\n#  $  #\n#######')]
  const source = (seed: number): Level => levels[seed % levels.length]

  it('reset({ seed }) takes the level from the injected source and reports its start', () => {
    const env = new SokobanEnv({ maxSteps: 30 }, source)
    const { observation, info } = env.reset({ seed: 1 })
    expect(observation.level).toBe(levels[1])
    expect(observation.state).toEqual(levels[1].start)
    expect(info).toEqual({ success: false, boxesOnGoals: 0, seed: 1 })
    expect(env.envState.steps).toBe(0)
  })

  it('step(action) advances the episode, and reset starts over', () => {
    const env = new SokobanEnv(PAPER_ENV_CONFIG, source)
    env.reset({ seed: 0 })
    expect(env.step(DOWN).reward).toBe(-0.1)
    expect(env.step(LEFT).reward).toBe(-0.1)
    const last = env.step(UP)
    expect([last.reward, last.terminated, last.truncated]).toEqual([10.9, true, false])
    expect(() => env.step(UP)).toThrow(/already solved/)
    env.reset({ seed: 0 })
    expect(env.envState.steps).toBe(0)
    expect(env.step(DOWN).envState.steps).toBe(1)
  })

  it('step before reset throws, and a bad config is refused at construction', () => {
    expect(() => new SokobanEnv(PAPER_ENV_CONFIG, source).step(UP)).toThrow(/call reset/)
    expect(() => new SokobanEnv({ maxSteps: -1 }, source)).toThrow(/maxSteps/)
  })

  it('renders observation text only when read', () => {
    let renders = 0
    const counting: Level = new Proxy(SEED_123, {
      get(target, key, receiver) {
        if (key === 'fixed') renders++
        return Reflect.get(target, key, receiver) as unknown
      },
    })
    const env = new SokobanEnv(PAPER_ENV_CONFIG, () => counting)
    env.reset({ seed: 0 })
    const stepped = env.step(DOWN)
    const beforeRead = renders
    expect(stepped.observation.text).toBe(renderPaperGrid(SEED_123, stepped.envState.state))
    expect(renders).toBeGreaterThan(beforeRead)
    const afterFirstRead = renders
    void stepped.observation.text
    expect(renders).toBe(afterFirstRead)
  })
})
