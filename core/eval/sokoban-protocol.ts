/**
 * @module core/eval/sokoban-protocol
 * One Sokoban cell: an episode under the sweep's protocol (paper-tasks.md §5.1, §10 items 1-8),
 * run by core/sokoban/episode.ts `runEpisode`, and its record: per-turn trace with the position's
 * optimal move and whether the position after the turn is dead, the paper's metrics (§5.2) and the
 * failure taxonomy.
 *
 * - Closed loop (the paper's): a fresh prompt with only the current board each turn; the variant's
 *   parser reads one move; an unreadable answer uses the turn, executes nothing and costs no step.
 * - Open loop: one answer with a whole plan, read with the lenient plan reader (the paper's eval
 *   parser accepts exactly one move, so it cannot read a plan) or the training reward's tokens.
 *
 * What a turn costs beyond the model: the prompt (spliced, see prompts.ts, and cached per position),
 * one env step, and two facts about positions that are cached per level: the optimal move (read off
 * the stored optimal plan for positions along it, a breadth-first search for others) and the
 * deadlock check (dead squares and frozen boxes, core/sokoban/solve/deadlock.ts).
 */
import { runEpisode, type EpisodeMode, type EpisodeResult } from '../sokoban/episode.ts'
import { boxesOnGoals, isSolved, type Level, type SokobanState } from '../sokoban/level.ts'
import type { Direction } from '../sokoban/directions.ts'
import { applyMove } from '../sokoban/rules.ts'
import {
  parseEvalAnswer,
  parseLenientAnswer,
  parseTrainingReward,
  type ParseResult,
} from '../sokoban/parse-answer.ts'
import type { ActionVocabulary } from '../sokoban/vocab.ts'
import { PAPER_MAX_DEPTH, optimalNextMove } from '../sokoban/solve/bfs.ts'
import { createBoard, type Board } from '../sokoban/solve/board.ts'
import { FreezeDetector } from '../sokoban/solve/deadlock.ts'
import { serializeXsb } from '../sokoban/xsb.ts'
import { oneBoxPlan } from '../sokoban/generate/oneBoxPlan.ts'
import type { SokobanInstance } from '../experiment/instance-set.ts'
import type { SokobanVariantSpec } from '../experiment/variant.ts'
import type { ProtocolSpec } from './spec.ts'
import type { StoredTurn } from './types.ts'
import { sokobanFailure } from './metrics.ts'
import type { CellOutcome, GenerateTurn, TurnGeneration, TurnListener, TurnPrompt } from './turns.ts'

/** States searched at most per off-plan position when looking for its optimal move. */
const OPTIMAL_SEARCH_STATES = 200_000
/** Positions whose facts a level keeps (beyond that they are recomputed; memory stays bounded). */
const MAX_CACHED_POSITIONS = 1024

/** A position's facts. */
interface PositionFacts {
  optimal: Direction | null | undefined
  dead: boolean | undefined
}

/** The key of a position: player and boxes (boxes are sorted in a `SokobanState`). */
export function positionKey(state: SokobanState): string {
  const { player, boxes } = state
  return boxes.length === 1 ? `${player}:${boxes[0]}` : `${player}:${boxes.join(',')}`
}

/**
 * A position's key within one level: the cells of the player and the boxes as the digits of one
 * number in base `cells` when that is exact (below 2^53: a 6×6 room up to 9 boxes, a 10×10 up to
 * 6), else `positionKey`. A number costs no allocation, and a small one is the cheapest Map key.
 */
export type PositionCode = number | string

/** The `PositionCode` of positions of `level` (the number form when it is exact for its box count). */
export function positionCoder(level: Level): (state: SokobanState) => PositionCode {
  const cells = level.rows * level.cols
  const digits = level.start.boxes.length + 1
  if (cells ** digits > Number.MAX_SAFE_INTEGER) return positionKey
  return (state) => {
    const { boxes } = state
    let code = state.player
    for (let i = 0, place = cells; i < boxes.length; i++, place *= cells) code += boxes[i] * place
    return code
  }
}

/**
 * What an episode needs to know about a level's positions, cached: shared by every episode on the
 * level (repeats, variants, models), so the searches run once per level.
 */
export class SokobanLevelFacts {
  readonly level: Level
  /** The level in XSB text (for replaying a result without regenerating the level). */
  readonly xsb: string
  /** Moves of the optimal plan; null when the instance has none. */
  readonly optimalMoves: number | null
  /** The key of a position within this level (see `PositionCode`). */
  readonly code: (state: SokobanState) => PositionCode
  /** Built on the first position off the optimal plan (an oracle's episodes never need it). */
  private solver: { board: Board; freeze: FreezeDetector; boxAt: Uint8Array } | undefined
  private readonly positions = new Map<PositionCode, PositionFacts>()

  constructor(readonly instance: SokobanInstance) {
    const { level, optimalPlan } = instance
    this.level = level
    this.xsb = serializeXsb(level)
    this.code = positionCoder(level)
    const solvedAtStart = isSolved(level, level.start)
    this.optimalMoves = optimalPlan.length > 0 || solvedAtStart ? optimalPlan.length : null
    // The suffix of the first shortest plan (in U, D, L, R order) is the first shortest plan from
    // each position along it, so those positions need no search.
    let state = level.start
    for (const move of optimalPlan) {
      this.positions.set(this.code(state), { optimal: move, dead: false })
      state = applyMove(level, state, move).state
    }
    this.positions.set(this.code(state), { optimal: null, dead: false })
  }

  private facts(state: SokobanState): PositionFacts {
    const key = this.code(state)
    let facts = this.positions.get(key)
    if (facts === undefined) {
      facts = { optimal: undefined, dead: undefined }
      if (this.positions.size < MAX_CACHED_POSITIONS) this.positions.set(key, facts)
    }
    return facts
  }

  /** The first move of the first shortest plan from `state` (at most 30 moves), or null. */
  optimal(state: SokobanState): Direction | null {
    const facts = this.facts(state)
    if (facts.optimal === undefined) facts.optimal = this.search(state)
    return facts.optimal
  }

  /** True when a box off its goal stands on a dead square or is frozen: the position can never be solved. */
  deadlocked(state: SokobanState): boolean {
    const facts = this.facts(state)
    if (facts.dead === undefined) facts.dead = this.checkDead(state)
    return facts.dead
  }

  /** `optimalNextMove` with the paper's depth cap, by the one-box planner where it applies. */
  private search(state: SokobanState): Direction | null {
    if (isSolved(this.level, state)) return null
    const plan = oneBoxPlan(this.level, state, OPTIMAL_SEARCH_STATES)
    if (plan === null) {
      return optimalNextMove(this.level, state, { maxDepth: PAPER_MAX_DEPTH, maxStates: OPTIMAL_SEARCH_STATES })
    }
    return plan.length > 0 && plan.length <= PAPER_MAX_DEPTH ? plan[0] : null
  }

  private checkDead(state: SokobanState): boolean {
    if (this.solver === undefined) {
      const board = createBoard(this.level)
      this.solver = { board, freeze: new FreezeDetector(board), boxAt: new Uint8Array(board.size) }
    }
    const { board, freeze, boxAt } = this.solver
    const boxes = Int32Array.from(state.boxes, (b) => board.toInternal[b])
    for (const b of boxes) if (board.dead[b] && !board.goal[b]) return true
    for (const b of boxes) boxAt[b] = 1
    const frozen = freeze.anyFrozenOffGoal(boxes, boxAt)
    for (const b of boxes) boxAt[b] = 0
    return frozen
  }
}

/** What one Sokoban cell runs with. */
export interface SokobanCellInput {
  readonly facts: SokobanLevelFacts
  readonly variant: SokobanVariantSpec
  /** The vocabulary the variant's scorer accepts for this cell. */
  readonly accepted: ActionVocabulary
  readonly protocol: ProtocolSpec
  /** The prompt of a position (rendered, hashed and announced by the caller). */
  readonly prompt: (state: SokobanState) => TurnPrompt
  readonly generate: GenerateTurn
  readonly onTurn?: TurnListener
}

/** Reads a turn's moves as the variant's parser says (see the module comment for open loop). */
function parserFor(
  input: SokobanCellInput,
  promptText: () => string,
): (text: string) => ParseResult {
  const { variant, accepted, protocol } = input
  if (variant.parser === 'training-reward') {
    return (text) => {
      const prompt = promptText()
      // The reward reads the decoded prompt + response; a chat-mode prompt lacks the assistant marker.
      const full = variant.chat.mode === 'raw' ? prompt + text : `${prompt}\n<|im_start|>assistant\n${text}`
      return trainingRewardMoves(full, protocol.mode)
    }
  }
  if (protocol.mode === 'open-loop' || variant.parser === 'lenient') {
    return (text) => parseLenientAnswer(text, accepted)
  }
  return (text) => parseEvalAnswer(text, accepted)
}

/** The moves the training reward (§5.3) reads from prompt + response, as a parse result. */
function trainingRewardMoves(full: string, mode: EpisodeMode): ParseResult {
  const reward = parseTrainingReward(full, [])
  const answer = reward.answer
  if (reward.actions.length === 0) {
    const reason =
      reward.reason === 'no-answers-block' ? 'unknown-action' : answer === null ? 'no-answer-tag' : 'empty-answer'
    return { ok: false, reason, detail: reward.detail, answer }
  }
  const moves = mode === 'open-loop' ? reward.actions : reward.actions.slice(0, 1)
  if (moves.some((m) => m < 1 || m > 4)) {
    return { ok: false, reason: 'unknown-action', detail: `Unreadable move in ${JSON.stringify(answer)}.`, answer }
  }
  return { ok: true, actions: moves as Direction[], answer: answer ?? '' }
}

/** Runs one Sokoban cell and records it. */
export async function runSokobanCell(input: SokobanCellInput): Promise<CellOutcome> {
  const { facts, protocol, onTurn } = input
  const { level } = facts
  const prompts: TurnPrompt[] = []
  const generations: TurnGeneration[] = []
  let current: TurnPrompt | undefined
  const parse = parserFor(input, () => (current as TurnPrompt).text)
  // A listener needs the turn's parse before the episode reads it; the episode then reuses it.
  let parsedForListener: { text: string; parsed: ParseResult } | undefined
  const episode = await runEpisode({
    level,
    mode: protocol.mode,
    maxTurns: protocol.maxTurns,
    maxSteps: protocol.maxSteps,
    renderPrompt: (env) => {
      current = input.prompt(env.state)
      return current.text
    },
    parse: (text) => {
      const known = parsedForListener
      parsedForListener = undefined
      return known !== undefined && known.text === text ? known.parsed : parse(text)
    },
    policy: async (_prompt, context) => {
      const prompt = current as TurnPrompt
      const generation = await input.generate(prompt, context.turn)
      prompts.push(prompt)
      generations.push(generation)
      if (onTurn !== undefined) {
        const parsed = parse(generation.text)
        parsedForListener = { text: generation.text, parsed }
        onTurn(context.turn, generation.text, parsed.ok ? parsed.actions[0] : null, generation.tokens)
      }
      return generation.text
    },
  })
  return sokobanOutcome(facts, episode, prompts, generations)
}

function sokobanOutcome(
  facts: SokobanLevelFacts,
  episode: EpisodeResult,
  prompts: readonly TurnPrompt[],
  generations: readonly TurnGeneration[],
): CellOutcome {
  const { level } = facts
  const turns: StoredTurn[] = []
  let firstDeadlockTurn: number | null = null
  let previousTurn = 0
  for (const record of episode.trace) {
    // Open loop: one record per executed move, all of turn 1; the output and parse go on the first.
    const first = record.turn !== previousTurn
    previousTurn = record.turn
    const generation = generations[record.turn - 1]
    const deadlock = facts.deadlocked(record.stateAfter)
    if (deadlock && firstDeadlockTurn === null) firstDeadlockTurn = record.turn
    turns.push({
      turn: record.turn,
      promptHash: prompts[record.turn - 1].hash,
      output: first ? record.rawOutput : '',
      parsed: first && record.parse.ok ? record.parse.actions : [],
      parseError: record.parse.ok ? null : record.parse.reason,
      action: record.action ?? null,
      effective: record.effective,
      reward: record.reward,
      boxesOnGoals: boxesOnGoals(level, record.stateAfter),
      deadlock,
      optimal: facts.optimal(record.stateBefore),
      tokens: first ? generation.tokens : 0,
      finishReason: generation.finishReason,
    })
  }
  let tokens = 0
  for (const g of generations) tokens += g.tokens
  return {
    success: episode.success,
    validity: episode.actionIsValid,
    reward: episode.totalReward,
    turns: episode.turns,
    steps: episode.steps,
    tokens,
    failure: sokobanFailure({ success: episode.success, end: episode.end, turns }),
    sokoban: {
      end: episode.end,
      actionIsValid: episode.actionIsValid,
      actionIsEffective: episode.actionIsEffective,
      firstDeadlockTurn,
      level: facts.xsb,
      optimalMoves: facts.optimalMoves,
      turns,
    },
    gp: null,
  }
}
