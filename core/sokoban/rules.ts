/**
 * @module core/sokoban/rules
 * One move under gym-sokoban / RAGEN semantics (paper-tasks.md §4.1): a move pushes the box
 * ahead if the cell beyond it is floor or goal, otherwise it is a plain move into floor or goal,
 * otherwise nothing moves. No pulling and no pushing two boxes. The caller counts the step
 * either way: a bump into a wall is still a step.
 */
import { GOAL, FLOOR, type Level, type SokobanState } from './level.ts'
import { COL_DELTA, ROW_DELTA, cellDelta, type Direction } from './directions.ts'

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

function isInside(level: Level, row: number, col: number): boolean {
  return row >= 0 && row < level.rows && col >= 0 && col < level.cols
}

/**
 * Applies a move to a state. Cells are addressed row-major. A move off the grid is a bump, so a
 * level whose open cells touch its edge (which no parser or generator in core/ makes) stays safe.
 */
export function applyMove(level: Level, state: SokobanState, direction: Direction): MoveOutcome {
  const delta = cellDelta(direction, level.cols)
  const ahead = state.player + delta
  const row = Math.floor(state.player / level.cols) + ROW_DELTA[direction]
  const col = (state.player % level.cols) + COL_DELTA[direction]
  if (!isInside(level, row, col)) return { state, moved: false, pushedFrom: null }
  const boxIndex = state.boxes.indexOf(ahead)
  if (boxIndex >= 0) {
    const beyond = ahead + delta
    const inside = isInside(level, row + ROW_DELTA[direction], col + COL_DELTA[direction])
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
