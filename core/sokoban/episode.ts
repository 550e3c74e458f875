/**
 * @module core/sokoban/episode
 * Runs one Sokoban episode against a policy (a model, a script or an oracle), following the
 * paper's evaluation protocol (paper-tasks.md §5.1, §5.2):
 *
 * - closed loop: each turn the policy sees a fresh prompt with only the current board and its
 *   answer is parsed into one action; an unreadable answer uses up the turn but executes nothing
 *   and does not count as an env step, and the same position is shown again; the episode ends when
 *   the level is solved, the env's step budget is spent, or the turns run out;
 * - open loop: the policy answers once with a whole plan, which is executed until the level is
 *   solved, the step budget is spent or the plan runs out.
 *
 * Steps go through the env's pure `step`, so rewards and termination are the env's. The runner
 * does nothing per turn beyond rendering the prompt and stepping, so it stays cheap with a fast
 * policy; the optimal next move is computed only when the caller passes a function for it.
 */
import { isSolved, type Level, type SokobanState } from './level.ts'
import type { Direction } from './directions.ts'
import { initialState, step, type EnvState } from './env.ts'
import { parseEvalAnswer, parseLenientAnswer, type ParseResult } from './parse-answer.ts'
import { paperEvalPrompt } from './prompt.ts'
import { BASE_VOCABULARY } from './vocab.ts'

/** The paper's limits: 30 turns and 30 env steps (§5.1). */
export const PAPER_MAX_TURNS = 30
export const PAPER_MAX_STEPS = 30

/** Closed loop (one action per turn, re-prompted) or open loop (one whole-plan answer). */
export type EpisodeMode = 'closed-loop' | 'open-loop'

/** What a policy knows besides the prompt, for scripted and oracle policies. */
export interface PolicyContext {
  /** 1-based turn number. */
  readonly turn: number
  readonly envState: EnvState
}

/** Produces the model output for a prompt. */
export type Policy = (prompt: string, context: PolicyContext) => Promise<string>

/** Options of `runEpisode`. */
export interface EpisodeOptions {
  readonly level: Level
  readonly policy: Policy
  /** The prompt for a position; default the paper's evaluation prompt in the base vocabulary. */
  readonly renderPrompt?: (envState: EnvState, turn: number) => string
  /**
   * Reads actions from the output; default the paper's evaluation parser with the base words in
   * closed loop, and the lenient plan reader in open loop.
   */
  readonly parse?: (text: string) => ParseResult
  /** Model calls allowed (closed loop); default 30. */
  readonly maxTurns?: number
  /** Env steps allowed; default 30. */
  readonly maxSteps?: number
  readonly mode?: EpisodeMode
  /**
   * Closed loop: how many of a turn's parsed actions are executed (default 1, as in the paper;
   * the reference's multi-action context manager executes all of them).
   */
  readonly actionsPerTurn?: number
  /** When given, each record carries the optimal next move from its `stateBefore`. */
  readonly optimalNext?: (level: Level, state: SokobanState) => Direction | null
}

/**
 * One executed action, or one turn that executed none. In open loop the single turn yields one
 * record per executed action, all sharing the turn's prompt, output and parse.
 */
export interface TurnRecord {
  /** 1-based turn number. */
  readonly turn: number
  readonly prompt: string
  readonly rawOutput: string
  readonly parse: ParseResult
  /** The executed action; absent when the turn executed nothing. */
  readonly action?: Direction
  readonly stateBefore: SokobanState
  readonly stateAfter: SokobanState
  /** The env's reward for the action; 0 when nothing was executed. */
  readonly reward: number
  /** The player moved (the paper's `action_is_effective`). */
  readonly effective: boolean
  /** The optimal next move from `stateBefore`, when requested (null: none exists). */
  readonly optimalNext?: Direction | null
}

/** Why an episode ended. */
export type EpisodeEnd =
  /** All boxes on goals. */
  | 'solved'
  /** The env's step budget ran out (truncated). */
  | 'max-steps'
  /** The turns ran out with the level unsolved. */
  | 'max-turns'
  /** Open loop: the plan ran out with the level unsolved. */
  | 'plan-exhausted'
  /** Open loop: the answer held no readable plan. */
  | 'no-plan'

/** The outcome of an episode with the paper's metrics (§5.2). */
export interface EpisodeResult {
  /** Solved within the step and turn limits. */
  readonly success: boolean
  readonly end: EpisodeEnd
  /** Model calls made. */
  readonly turns: number
  /** Env steps executed. */
  readonly steps: number
  readonly totalReward: number
  /** Turns in which a parsed action was executed. */
  readonly validTurns: number
  /** Turns in which the player moved. */
  readonly effectiveTurns: number
  /** Executed actions that moved the player. */
  readonly effectiveSteps: number
  /** `action_is_valid` = validTurns / turns (0 when no turn was taken). */
  readonly actionIsValid: number
  /** `action_is_effective` = effectiveTurns / turns (0 when no turn was taken). */
  readonly actionIsEffective: number
  readonly finalState: SokobanState
  readonly trace: readonly TurnRecord[]
}

function checkLimit(name: string, value: number): void {
  if (!(Number.isInteger(value) && value >= 1) && value !== Infinity) {
    throw new Error(`runEpisode: ${name} must be a positive integer (or Infinity), got ${String(value)}.`)
  }
}

/** Runs one episode; see the module comment for the protocol. */
export async function runEpisode(options: EpisodeOptions): Promise<EpisodeResult> {
  const {
    level,
    policy,
    maxTurns = PAPER_MAX_TURNS,
    maxSteps = PAPER_MAX_STEPS,
    mode = 'closed-loop',
    actionsPerTurn = 1,
    optimalNext,
  } = options
  checkLimit('maxTurns', maxTurns)
  checkLimit('actionsPerTurn', actionsPerTurn)
  if (!Number.isInteger(maxSteps) || maxSteps < 1) {
    throw new Error(`runEpisode: maxSteps must be a positive integer, got ${String(maxSteps)}.`)
  }
  if (mode !== 'closed-loop' && mode !== 'open-loop') {
    throw new Error(`runEpisode: mode must be 'closed-loop' or 'open-loop', got ${JSON.stringify(mode)}.`)
  }
  const renderPrompt = options.renderPrompt ?? ((env: EnvState) => paperEvalPrompt(level, env.state, BASE_VOCABULARY))
  const parse =
    options.parse ??
    (mode === 'open-loop'
      ? (text: string) => parseLenientAnswer(text, BASE_VOCABULARY)
      : (text: string) => parseEvalAnswer(text, BASE_VOCABULARY))

  let env = initialState(level, { maxSteps })
  const trace: TurnRecord[] = []
  let turns = 0
  let totalReward = 0
  let validTurns = 0
  let effectiveTurns = 0
  let effectiveSteps = 0
  let end: EpisodeEnd | null = isSolved(level, env.state) ? 'solved' : null
  const turnLimit = mode === 'open-loop' ? 1 : maxTurns
  const perTurn = mode === 'open-loop' ? Infinity : actionsPerTurn

  while (end === null && turns < turnLimit) {
    const turn = turns + 1
    const prompt = renderPrompt(env, turn)
    const rawOutput = await policy(prompt, { turn, envState: env })
    const parsed = parse(rawOutput)
    turns = turn
    const actions = parsed.ok ? parsed.actions : []
    if (actions.length === 0) {
      // An invalid turn: nothing executed, no env step, the same position is shown next turn.
      const record: TurnRecord = {
        turn,
        prompt,
        rawOutput,
        parse: parsed,
        stateBefore: env.state,
        stateAfter: env.state,
        reward: 0,
        effective: false,
      }
      trace.push(optimalNext ? { ...record, optimalNext: optimalNext(level, env.state) } : record)
      if (mode === 'open-loop') end = 'no-plan'
      continue
    }
    validTurns++
    let movedThisTurn = false
    for (let i = 0; i < actions.length && i < perTurn && end === null; i++) {
      const action = actions[i]
      const best = optimalNext ? optimalNext(level, env.state) : undefined
      const result = step(env, action)
      const record: TurnRecord = {
        turn,
        prompt,
        rawOutput,
        parse: parsed,
        action,
        stateBefore: env.state,
        stateAfter: result.envState.state,
        reward: result.reward,
        effective: result.info.actionIsEffective,
      }
      trace.push(best === undefined ? record : { ...record, optimalNext: best })
      env = result.envState
      totalReward += result.reward
      if (result.info.actionIsEffective) {
        effectiveSteps++
        movedThisTurn = true
      }
      if (result.terminated) end = 'solved'
      else if (result.truncated) end = 'max-steps'
    }
    if (movedThisTurn) effectiveTurns++
    if (end === null && mode === 'open-loop') end = 'plan-exhausted'
  }
  if (end === null) end = 'max-turns'

  return {
    success: end === 'solved',
    end,
    turns,
    steps: env.steps,
    totalReward,
    validTurns,
    effectiveTurns,
    effectiveSteps,
    actionIsValid: turns === 0 ? 0 : validTurns / turns,
    actionIsEffective: turns === 0 ? 0 : effectiveTurns / turns,
    finalState: env.state,
    trace,
  }
}
