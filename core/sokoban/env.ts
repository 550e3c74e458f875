/**
 * @module core/sokoban/env
 * The Sokoban environment, Gymnasium-style: pure functions (`initialState`, `step`, `stepReward`)
 * plus a thin stateful `SokobanEnv` wrapper with `reset({ seed })` and `step(action)`.
 *
 * Semantics follow gym-sokoban / RAGEN as the paper uses them (paper-tasks.md §4.1): every
 * executed action is a step, even a bump into a wall; reward −0.1 per step, +1 / −1 when the
 * count of boxes on goals rises / falls, +10 more when solved. An episode is `terminated` when
 * solved and `truncated` when the step budget runs out unsolved; there is no bare `done`.
 */
import { boxesOnGoals, isSolved, type Level, type SokobanState } from './level.ts'
import { DIRECTIONS, type Direction } from './directions.ts'
import { applyMove } from './rules.ts'
import { renderPaperGrid } from './text.ts'

/** Environment settings. */
export interface SokobanEnvConfig {
  /** Step budget of an episode; the paper uses 30 (paper-tasks.md §3.4). */
  readonly maxSteps: number
}

/** The paper's settings: 30 steps. */
export const PAPER_ENV_CONFIG: SokobanEnvConfig = Object.freeze({ maxSteps: 30 })

/** Reward terms, as gym-sokoban names them and the paper's prompt advertises them. */
export const STEP_PENALTY = -0.1
export const BOX_ON_GOAL_REWARD = 1
export const BOX_OFF_GOAL_PENALTY = -1
export const SOLVED_REWARD = 10

/** Everything an episode needs to continue: the level, the position and the step count. */
export interface EnvState {
  readonly level: Level
  readonly state: SokobanState
  /** Actions executed so far. */
  readonly steps: number
  /** The step budget this episode was started with. */
  readonly maxSteps: number
}

/** What the policy sees. `text` is the paper's grid, rendered on first read and then cached. */
export interface SokobanObservation {
  readonly level: Level
  readonly state: SokobanState
  readonly text: string
}

/** Facts about one executed action (paper-tasks.md §4.1 info keys, in camel case). */
export interface StepInfo {
  /** The player changed cell. */
  readonly actionIsEffective: boolean
  /** Always true: only parsed actions are executed; invalid answers never reach `step`. */
  readonly actionIsValid: boolean
  /** All boxes are on goals. */
  readonly success: boolean
  /** The action pushed a box. */
  readonly pushed: boolean
  readonly boxesOnGoals: number
}

/** The result of `step`. */
export interface StepResult {
  readonly envState: EnvState
  readonly observation: SokobanObservation
  readonly reward: number
  /** Solved. */
  readonly terminated: boolean
  /** The step budget ran out before the level was solved. */
  readonly truncated: boolean
  readonly info: StepInfo
}

/** Facts about a fresh episode. */
export interface ResetInfo {
  readonly success: boolean
  readonly boxesOnGoals: number
  readonly seed: number
}

/** The result of `SokobanEnv.reset`. */
export interface ResetResult {
  readonly observation: SokobanObservation
  readonly info: ResetInfo
}

/** Throws an Error naming the bad field when a config cannot run an episode. */
export function validateEnvConfig(config: SokobanEnvConfig): void {
  if (!Number.isInteger(config.maxSteps) || config.maxSteps < 1) {
    throw new Error(`SokobanEnvConfig.maxSteps must be a positive integer, got ${String(config.maxSteps)}.`)
  }
}

/** The start of an episode on `level`. */
export function initialState(level: Level, config: SokobanEnvConfig = PAPER_ENV_CONFIG): EnvState {
  validateEnvConfig(config)
  return { level, state: level.start, steps: 0, maxSteps: config.maxSteps }
}

/** True when the episode is over: solved, or the step budget is spent. */
export function isFinished(envState: EnvState): boolean {
  return isSolved(envState.level, envState.state) || envState.steps >= envState.maxSteps
}

/**
 * The reward of one step, summed in gym-sokoban's order so the floats match it exactly:
 * −0.1, then ±1 for a change in boxes on goals, then +10 when solved.
 */
export function stepReward(boxesBefore: number, boxesAfter: number, solved: boolean): number {
  let reward = STEP_PENALTY
  if (boxesAfter > boxesBefore) reward += BOX_ON_GOAL_REWARD
  else if (boxesAfter < boxesBefore) reward += BOX_OFF_GOAL_PENALTY
  if (solved) reward += SOLVED_REWARD
  return reward
}

class LazyObservation implements SokobanObservation {
  readonly level: Level
  readonly state: SokobanState
  private rendered: string | undefined

  constructor(level: Level, state: SokobanState) {
    this.level = level
    this.state = state
  }

  // Rendering on every step was the reference's hidden cost; only readers of `text` pay for it.
  get text(): string {
    if (this.rendered === undefined) this.rendered = renderPaperGrid(this.level, this.state)
    return this.rendered
  }
}

/** The observation of a position; its text is rendered lazily. */
export function observe(envState: Pick<EnvState, 'level' | 'state'>): SokobanObservation {
  return new LazyObservation(envState.level, envState.state)
}

/**
 * Executes one action. Pure: returns the next state and never mutates its input. Throws when the
 * action is not 1-4 or the episode is already over (the reference asserts the same).
 */
export function step(envState: EnvState, action: Direction): StepResult {
  if (!DIRECTIONS.includes(action)) {
    throw new Error(`Sokoban step: action must be 1 (Up), 2 (Down), 3 (Left) or 4 (Right), got ${String(action)}.`)
  }
  const { level, state, steps, maxSteps } = envState
  if (isSolved(level, state)) {
    throw new Error('Sokoban step: the episode is already solved (terminated); call reset() to start a new one.')
  }
  if (steps >= maxSteps) {
    throw new Error(
      `Sokoban step: the episode used all ${maxSteps} steps (truncated); call reset() to start a new one.`,
    )
  }
  const before = boxesOnGoals(level, state)
  const outcome = applyMove(level, state, action)
  const after = outcome.pushedFrom === null ? before : boxesOnGoals(level, outcome.state)
  const solved = outcome.pushedFrom === null ? false : isSolved(level, outcome.state)
  const next: EnvState = { level, state: outcome.state, steps: steps + 1, maxSteps }
  return {
    envState: next,
    observation: observe(next),
    reward: stepReward(before, after, solved),
    terminated: solved,
    truncated: !solved && next.steps >= maxSteps,
    info: {
      actionIsEffective: outcome.moved,
      actionIsValid: true,
      success: solved,
      pushed: outcome.pushedFrom !== null,
      boxesOnGoals: after,
    },
  }
}

/**
 * A stateful wrapper over the pure functions, shaped like a Gymnasium env. Levels come from an
 * injected source so the env does not depend on a particular generator or level file.
 */
export class SokobanEnv {
  readonly config: SokobanEnvConfig
  private readonly levelSource: (seed: number) => Level
  private current: EnvState | undefined

  constructor(config: SokobanEnvConfig, levelSource: (seed: number) => Level) {
    validateEnvConfig(config)
    this.config = config
    this.levelSource = levelSource
  }

  /** Starts an episode on the level the source gives for `seed`. */
  reset(options: { readonly seed: number }): ResetResult {
    const level = this.levelSource(options.seed)
    this.current = initialState(level, this.config)
    return {
      observation: observe(this.current),
      info: {
        success: isSolved(level, level.start),
        boxesOnGoals: boxesOnGoals(level, level.start),
        seed: options.seed,
      },
    }
  }

  /** Executes one action in the current episode. */
  step(action: Direction): StepResult {
    const result = step(this.envState, action)
    this.current = result.envState
    return result
  }

  /** The current episode state; throws before the first `reset`. */
  get envState(): EnvState {
    if (this.current === undefined) throw new Error('SokobanEnv: call reset({ seed }) before step().')
    return this.current
  }
}
