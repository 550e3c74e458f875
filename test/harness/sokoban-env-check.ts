/**
 * @module test/harness/sokoban-env-check
 * The conformance check every Sokoban environment must pass (style.md rules 8 and 12): API shape,
 * observation validity, and same seed => identical rollout under a seeded random action sequence.
 * It takes any env factory, so other level sources (the generator, level files) run through it.
 */
import { expect } from 'vitest'
import { rngFor } from '../../core/rng/index.ts'
import { DIRECTIONS, type Direction } from '../../core/sokoban/directions.ts'
import { FLOOR, GOAL, VOID, WALL, goalsOf } from '../../core/sokoban/level.ts'
import { parsePaperGrid } from '../../core/sokoban/text.ts'
import type { ResetResult, SokobanObservation, StepResult } from '../../core/sokoban/env.ts'

/** The part of a Sokoban env the suite drives. */
export interface SokobanEnvLike {
  readonly config: { readonly maxSteps: number }
  reset(options: { readonly seed: number }): ResetResult
  step(action: Direction): Omit<StepResult, 'envState'> & Partial<Pick<StepResult, 'envState'>>
}

/** A position as plain data, for comparing rollouts. */
interface PositionRecord {
  info: unknown
  player: number
  boxes: readonly number[]
  text: string
}

/** One recorded step, in plain data, for comparing rollouts. */
interface StepRecord extends PositionRecord {
  action: Direction
  reward: number
  terminated: boolean
  truncated: boolean
}

/** Throws (through expect) unless the observation is a valid position of a valid level. */
function checkObservation(observation: SokobanObservation, where: string): void {
  const { level, state } = observation
  const size = level.rows * level.cols
  expect(Number.isInteger(level.rows) && level.rows > 0, `${where}: rows`).toBe(true)
  expect(Number.isInteger(level.cols) && level.cols > 0, `${where}: cols`).toBe(true)
  expect(level.fixed.length, `${where}: fixed length`).toBe(size)
  const codes = new Set<number>([WALL, FLOOR, GOAL, VOID])
  expect([...level.fixed].filter((cell) => !codes.has(cell)), `${where}: cell codes`).toEqual([])
  const open = (cell: number): boolean => level.fixed[cell] === FLOOR || level.fixed[cell] === GOAL
  expect(open(state.player), `${where}: player on floor or goal`).toBe(true)
  expect(state.boxes.length, `${where}: as many boxes as goals`).toBe(goalsOf(level).length)
  expect(state.boxes.length, `${where}: at least one box`).toBeGreaterThan(0)
  const badBoxes = state.boxes.filter(
    (box, i) => !open(box) || box === state.player || (i > 0 && box <= state.boxes[i - 1]),
  )
  expect(badBoxes, `${where}: boxes ascending, distinct, on floor or goal, not under the player`).toEqual([])
  // The text is the paper grid of exactly this position.
  const shown = parsePaperGrid(observation.text)
  expect([shown.rows, shown.cols], `${where}: text size`).toEqual([level.rows, level.cols])
  expect(shown.start, `${where}: text shows the state`).toEqual({ player: state.player, boxes: [...state.boxes] })
}

function checkStepShape(result: ReturnType<SokobanEnvLike['step']>, where: string): void {
  expect(typeof result.reward, `${where}: reward`).toBe('number')
  expect(Number.isFinite(result.reward), `${where}: finite reward`).toBe(true)
  expect(typeof result.terminated, `${where}: terminated`).toBe('boolean')
  expect(typeof result.truncated, `${where}: truncated`).toBe('boolean')
  expect(result.terminated && result.truncated, `${where}: never both terminated and truncated`).toBe(false)
  expect('done' in result, `${where}: no bare done`).toBe(false)
  for (const key of ['actionIsEffective', 'actionIsValid', 'success', 'pushed'] as const) {
    expect(typeof result.info[key], `${where}: info.${key}`).toBe('boolean')
  }
  expect(result.info.success, `${where}: success = terminated`).toBe(result.terminated)
}

function rollout(makeEnv: () => SokobanEnvLike, seed: number): { reset: PositionRecord; steps: StepRecord[] } {
  const env = makeEnv()
  const maxSteps = env.config.maxSteps
  const { observation, info } = env.reset({ seed })
  const where = `seed ${seed}`
  expect(typeof info, `${where}: reset info`).toBe('object')
  checkObservation(observation, `${where} reset`)
  const reset: PositionRecord = {
    info,
    player: observation.state.player,
    boxes: observation.state.boxes,
    text: observation.text,
  }
  const actions = rngFor(seed, 'conformance-actions')
  const steps: StepRecord[] = []
  for (let k = 0; k < maxSteps; k++) {
    const action = actions.pick(DIRECTIONS)
    const result = env.step(action)
    checkStepShape(result, `${where} step ${k}`)
    checkObservation(result.observation, `${where} step ${k}`)
    steps.push({
      action,
      reward: result.reward,
      terminated: result.terminated,
      truncated: result.truncated,
      info: result.info,
      player: result.observation.state.player,
      boxes: result.observation.state.boxes,
      text: result.observation.text,
    })
    const last = k === maxSteps - 1
    if (!result.terminated) expect(result.truncated, `${where} step ${k}: truncated exactly at maxSteps`).toBe(last)
    if (result.terminated || result.truncated) {
      expect(() => env.step(action), `${where}: stepping a finished episode throws`).toThrow()
      break
    }
  }
  return { reset, steps }
}

/**
 * The conformance check: for every seed, a fresh env from `makeEnv` must reset to a valid
 * observation, step with the Gym result shape and valid observations under a seeded random action
 * sequence, end by `maxSteps`, refuse steps after the end, and give the identical rollout when
 * run again with the same seed (on a fresh env and after a reset of a used one).
 */
export function checkEnv(makeEnv: () => SokobanEnvLike, seeds: readonly number[]): void {
  for (const seed of seeds) {
    const a = rollout(makeEnv, seed)
    const b = rollout(makeEnv, seed)
    expect(b, `seed ${seed}: same seed, same rollout`).toEqual(a)
  }
  // A used env resets to the same start as a fresh one.
  const env = makeEnv()
  for (const seed of seeds) {
    const fresh = makeEnv().reset({ seed }).observation
    const again = env.reset({ seed }).observation
    expect([again.state, again.text], `seed ${seed}: reset of a used env`).toEqual([fresh.state, fresh.text])
    env.step(DIRECTIONS[seed % 4])
  }
}
