/**
 * @module core/sokoban/rules
 * One move under gym-sokoban / RAGEN semantics (paper-tasks.md §4.1): a move pushes the box
 * ahead if the cell beyond it is floor or goal, otherwise it is a plain move into floor or goal,
 * otherwise nothing moves. No pulling and no pushing two boxes. The caller counts the step
 * either way: a bump into a wall is still a step.
 */
import { GOAL, FLOOR, type Level, type SokobanState } from './level.ts'
import { cellDelta, type Direction } from './directions.ts'

/** What one move did. */
export interface MoveOutcome {
  readonly state: SokobanState
  /** The player changed cell (the paper's `action_is_effective`). */
  readonly moved: boolean
  /** A box was pushed; its cell before the push. */
  readonly pushedFrom: number | null
}

function isOpen(level: Level, cell: number): boolean {
  const c = level.fixed[cell]
  return c === FLOOR || c === GOAL
}

/**
 * Applies a move to a state. Cells are addressed row-major; the level's border must be wall or
 * void, which every parser and generator in core/ guarantees.
 */
export function applyMove(level: Level, state: SokobanState, direction: Direction): MoveOutcome {
  const delta = cellDelta(direction, level.cols)
  const ahead = state.player + delta
  const row = Math.floor(state.player / level.cols) + (delta === level.cols ? 1 : delta === -level.cols ? -1 : 0)
  const col = (state.player % level.cols) + (delta === 1 ? 1 : delta === -1 ? -1 : 0)
  if (row < 0 || row >= level.rows || col < 0 || col >= level.cols) return { state, moved: false, pushedFrom: null }
  const boxIndex = state.boxes.indexOf(ahead)
  if (boxIndex >= 0) {
    const beyond = ahead + delta
    const beyondRow = row + (delta === level.cols ? 1 : delta === -level.cols ? -1 : 0)
    const beyondCol = col + (delta === 1 ? 1 : delta === -1 ? -1 : 0)
    const inside = beyondRow >= 0 && beyondRow < level.rows && beyondCol >= 0 && beyondCol < level.cols
    if (!inside || !isOpen(level, beyond) || state.boxes.includes(beyond)) {
      return { state, moved: false, pushedFrom: null }
    }
    const boxes = state.boxes.slice()
    boxes[boxIndex] = beyond
    boxes.sort((a, b) => a - b)
    return { state: { player: ahead, boxes }, moved: true, pushedFrom: ahead }
  }
  if (!isOpen(level, ahead)) return { state, moved: false, pushedFrom: null }
  return { state: { player: ahead, boxes: state.boxes }, moved: true, pushedFrom: null }
}
