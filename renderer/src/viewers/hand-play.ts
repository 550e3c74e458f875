/**
 * Playing a level by hand, for checking it: moves under the game's rules, with undo and restart.
 * A session is immutable; each function returns a new one.
 */
import type { Direction } from '../../../core/sokoban/directions.ts'
import { boxesOnGoals, isSolved, type Level, type SokobanState } from '../../../core/sokoban/level.ts'
import { applyMove } from '../../../core/sokoban/rules.ts'

export interface HandSession {
  readonly level: Level
  /** Positions from the start; the last one is the current position. */
  readonly states: readonly SokobanState[]
  /** The moves that changed the position (bumps are not kept: they change nothing). */
  readonly moves: readonly Direction[]
  readonly pushes: number
  /** The last key was a bump into a wall or an unmovable box. */
  readonly bumped: boolean
}

/** A new session at the level's start. */
export function startHand(level: Level): HandSession {
  return { level, states: [level.start], moves: [], pushes: 0, bumped: false }
}

/** The current position. */
export function handState(session: HandSession): SokobanState {
  return session.states[session.states.length - 1]
}

/** Applies a move; once the level is solved further moves are ignored. */
export function handMove(session: HandSession, direction: Direction): HandSession {
  const state = handState(session)
  if (isSolved(session.level, state)) return session
  const outcome = applyMove(session.level, state, direction)
  if (!outcome.moved) return { ...session, bumped: true }
  return {
    level: session.level,
    states: [...session.states, outcome.state],
    moves: [...session.moves, direction],
    pushes: session.pushes + (outcome.pushedFrom === null ? 0 : 1),
    bumped: false,
  }
}

/** Takes back the last move (nothing at the start). */
export function handUndo(session: HandSession): HandSession {
  if (session.moves.length === 0) return { ...session, bumped: false }
  const states = session.states.slice(0, -1)
  const before = states[states.length - 1]
  const after = session.states[session.states.length - 1]
  // The undone move was a push exactly when the boxes differ.
  const pushed = before.boxes.some((b, i) => b !== after.boxes[i])
  return {
    level: session.level,
    states,
    moves: session.moves.slice(0, -1),
    pushes: session.pushes - (pushed ? 1 : 0),
    bumped: false,
  }
}

/** A short status line: moves, pushes, boxes on goals, solved. */
export function handStatus(session: HandSession): string {
  const state = handState(session)
  const on = boxesOnGoals(session.level, state)
  const n = state.boxes.length
  const solved = isSolved(session.level, state)
  return `${session.moves.length} moves, ${session.pushes} pushes, ${on}/${n} boxes on goals${solved ? ' · solved' : ''}`
}
