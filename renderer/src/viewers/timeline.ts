/**
 * The frames of a Sokoban step-through: an episode's stored turns or a solver plan replayed from the
 * level's start with the game's own rules, plus what the viewer marks on them (unreadable answers,
 * moves that changed nothing, the first dead position, moves off the optimal plan).
 *
 * Frame f is the position after f steps, which is also the position the model saw before step f + 1.
 * So a frame shows what the model was looking at, what it answered and what the optimal move was;
 * the last frame is the final position.
 */
import { DIRECTION_NAMES, type Direction } from '../../../core/sokoban/directions.ts'
import { boxesOnGoals, isSolved, type Level, type SokobanState } from '../../../core/sokoban/level.ts'
import { applyMove } from '../../../core/sokoban/rules.ts'
import { createBoard, type Board } from '../../../core/sokoban/solve/board.ts'
import { FreezeDetector } from '../../../core/sokoban/solve/deadlock.ts'
import type { StoredTurn } from '../../../core/eval/types.ts'

/** One step: an episode turn (or, open loop, one move of a turn's plan) or one move of a plan. */
export interface TimelineStep {
  /** 1-based turn of the episode; null for a solver plan. */
  readonly turn: number | null
  /** The model's whole output for the turn; null for a plan (and for later moves of an open-loop turn). */
  readonly output: string | null
  /** Moves read from the output. */
  readonly parsed: readonly Direction[]
  /** Why the output could not be read, or null. */
  readonly parseError: string | null
  /** The executed move, or null when the turn executed nothing. */
  readonly action: Direction | null
  /** The player moved. */
  readonly effective: boolean
  /** A box moved. */
  readonly pushed: boolean
  /** The optimal move from the position before this step (null: none is known or the level is solved). */
  readonly optimal: Direction | null
}

/** One position of the step-through. */
export interface TimelineFrame {
  readonly state: SokobanState
  readonly boxesOnGoals: number
  readonly solved: boolean
  /** The position can never be solved (a box off its goal on a dead square or frozen). */
  readonly dead: boolean
}

/** What the scrubber marks at a frame (the step that starts there). */
export type MarkKind = 'invalid' | 'ineffective' | 'off-optimal' | 'first-deadlock'

export interface TimelineMark {
  readonly frame: number
  readonly kind: MarkKind
}

/** A replayable step-through. `frames.length === steps.length + 1`. */
export interface Timeline {
  readonly level: Level
  readonly frames: readonly TimelineFrame[]
  readonly steps: readonly TimelineStep[]
  /** The first frame whose position is dead, or null. */
  readonly firstDeadlockFrame: number | null
  readonly marks: readonly TimelineMark[]
  /** Disagreements between the stored record and the replay (e.g. the level text does not match the turns). */
  readonly warnings: readonly string[]
}

/** Box cells (level indices) that can never reach a goal: on a simple dead square or frozen, and off a goal. */
export function deadBoxes(level: Level, state: SokobanState, board: Board = createBoard(level)): number[] {
  const freeze = new FreezeDetector(board)
  const boxAt = new Uint8Array(board.size)
  const internal = state.boxes.map((b) => board.toInternal[b])
  for (const b of internal) boxAt[b] = 1
  const dead: number[] = []
  internal.forEach((b, i) => {
    if (board.goal[b]) return
    if (board.dead[b] || freeze.anyFrozenOffGoal([b], boxAt)) dead.push(state.boxes[i])
  })
  return dead
}

function frameOf(level: Level, state: SokobanState, dead: boolean): TimelineFrame {
  return { state, boxesOnGoals: boxesOnGoals(level, state), solved: isSolved(level, state), dead }
}

function marksOf(steps: readonly TimelineStep[], firstDeadlockFrame: number | null): TimelineMark[] {
  const marks: TimelineMark[] = []
  steps.forEach((s, f) => {
    if (s.parseError !== null) marks.push({ frame: f, kind: 'invalid' })
    else if (s.action !== null && !s.effective) marks.push({ frame: f, kind: 'ineffective' })
    if (s.turn !== null && s.action !== null && s.optimal !== null && s.action !== s.optimal) {
      marks.push({ frame: f, kind: 'off-optimal' })
    }
  })
  if (firstDeadlockFrame !== null) marks.push({ frame: firstDeadlockFrame, kind: 'first-deadlock' })
  return marks
}

/**
 * The step-through of an episode's stored turns. Positions are replayed from the level's start;
 * the stored `deadlock` flags decide the dead frames (the evaluation computed them with the same
 * rule as `deadBoxes`), and any stored `effective` flag the replay contradicts becomes a warning.
 */
export function timelineFromTurns(level: Level, turns: readonly StoredTurn[]): Timeline {
  const board = createBoard(level)
  let state = level.start
  const frames: TimelineFrame[] = [frameOf(level, state, deadBoxes(level, state, board).length > 0)]
  const steps: TimelineStep[] = []
  const warnings: string[] = []
  for (const turn of turns) {
    let effective = false
    let pushed = false
    if (turn.action !== null) {
      const outcome = applyMove(level, state, turn.action)
      effective = outcome.moved
      pushed = outcome.pushedFrom !== null
      if (effective !== turn.effective) {
        warnings.push(
          `Turn ${turn.turn}: the record says the move ${DIRECTION_NAMES[turn.action]} was ` +
            `${turn.effective ? 'effective' : 'ineffective'}, but replaying it on this level says otherwise; ` +
            'the level text may not belong to these turns.',
        )
      }
      state = outcome.state
    }
    steps.push({
      turn: turn.turn,
      output: turn.output === '' && turn.parsed.length === 0 && turn.parseError === null ? null : turn.output,
      parsed: turn.parsed,
      parseError: turn.parseError,
      action: turn.action,
      effective,
      pushed,
      optimal: turn.optimal,
    })
    frames.push(frameOf(level, state, turn.deadlock))
  }
  const first = frames.findIndex((f) => f.dead)
  const firstDeadlockFrame = first < 0 ? null : first
  return { level, frames, steps, firstDeadlockFrame, marks: marksOf(steps, firstDeadlockFrame), warnings }
}

/** The step-through of a move plan (a solver's, or moves played by hand) from `start` (default the level's). */
export function timelineFromPlan(level: Level, plan: readonly Direction[], start: SokobanState = level.start): Timeline {
  const board = createBoard(level)
  let state = start
  const frames: TimelineFrame[] = [frameOf(level, state, deadBoxes(level, state, board).length > 0)]
  const steps: TimelineStep[] = []
  for (const move of plan) {
    const outcome = applyMove(level, state, move)
    steps.push({
      turn: null,
      output: null,
      parsed: [move],
      parseError: null,
      action: move,
      effective: outcome.moved,
      pushed: outcome.pushedFrom !== null,
      optimal: move,
    })
    state = outcome.state
    frames.push(frameOf(level, state, deadBoxes(level, state, board).length > 0))
  }
  const first = frames.findIndex((f) => f.dead)
  const firstDeadlockFrame = first < 0 ? null : first
  return { level, frames, steps, firstDeadlockFrame, marks: marksOf(steps, firstDeadlockFrame), warnings: [] }
}

/** A move's name (`Up`), or `none`. */
export function moveName(move: Direction | null): string {
  return move === null ? 'none' : DIRECTION_NAMES[move]
}

/** The sentence that describes the step starting at a frame, for the viewer's label and screen readers. */
export function describeStep(step: TimelineStep | undefined, frame: TimelineFrame): string {
  if (step === undefined) {
    return frame.solved ? 'Final position: solved.' : `Final position: ${frame.boxesOnGoals} box(es) on goals, not solved.`
  }
  if (step.turn === null) return `Plan move: ${moveName(step.action)}${step.pushed ? ' (push)' : ''}.`
  if (step.parseError !== null) return `Turn ${step.turn}: the answer could not be read (${step.parseError}); nothing moved.`
  const verdict = step.optimal === null ? '' : step.action === step.optimal ? ' (optimal)' : ` (optimal: ${moveName(step.optimal)})`
  const effect = step.action === null ? 'nothing executed' : step.effective ? (step.pushed ? 'pushed a box' : 'moved') : 'bumped: nothing moved'
  return `Turn ${step.turn}: model ${moveName(step.action)}${verdict}; ${effect}.`
}
