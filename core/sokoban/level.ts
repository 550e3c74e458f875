/**
 * @module core/sokoban/level
 * The Sokoban level model shared by the parser, renderers, simulator, solvers and generator.
 *
 * A level is a rectangular grid stored row-major in flat arrays, because the solvers and the
 * generator touch cells millions of times per second. Static cells (walls, floor, goals and the
 * void outside the walls) live in `fixed`; the movable part (boxes and player) is a separate
 * `SokobanState`, so a search can copy a few numbers instead of a grid.
 */

/** Static cell codes. 0-2 match gym-sokoban's `room_fixed`; VOID marks cells outside the walls. */
export const WALL = 0
export const FLOOR = 1
export const GOAL = 2
export const VOID = 3

/** A static cell code: WALL, FLOOR, GOAL or VOID. */
export type FixedCell = typeof WALL | typeof FLOOR | typeof GOAL | typeof VOID

/** The movable part of a position: the player's cell and the box cells (row-major indices). */
export interface SokobanState {
  readonly player: number
  /** Box cells in ascending order, so equal states compare equal element by element. */
  readonly boxes: readonly number[]
}

/** A level: the static grid plus its start state, with the metadata a level file carries. */
export interface Level {
  readonly rows: number
  readonly cols: number
  /** Static cells, row-major, `rows * cols` long. */
  readonly fixed: Uint8Array
  readonly start: SokobanState
  /** A title line, when the file had one (for example `; 12` or `Level 3`). */
  readonly title?: string
  /** Comment lines that preceded or followed the level in its file, in order. */
  readonly comments?: readonly string[]
}

/** Row of a cell index. */
export function rowOf(level: Pick<Level, 'cols'>, cell: number): number {
  return Math.floor(cell / level.cols)
}

/** Column of a cell index. */
export function colOf(level: Pick<Level, 'cols'>, cell: number): number {
  return cell % level.cols
}

/** Cell index of (row, col). */
export function cellAt(level: Pick<Level, 'cols'>, row: number, col: number): number {
  return row * level.cols + col
}

/** The goal cells of a level, ascending. */
export function goalsOf(level: Pick<Level, 'fixed'>): number[] {
  const goals: number[] = []
  for (let i = 0; i < level.fixed.length; i++) if (level.fixed[i] === GOAL) goals.push(i)
  return goals
}

/** True when every box of `state` stands on a goal. */
export function isSolved(level: Pick<Level, 'fixed'>, state: SokobanState): boolean {
  for (const b of state.boxes) if (level.fixed[b] !== GOAL) return false
  return true
}

/** Number of boxes on goals. */
export function boxesOnGoals(level: Pick<Level, 'fixed'>, state: SokobanState): number {
  let n = 0
  for (const b of state.boxes) if (level.fixed[b] === GOAL) n++
  return n
}

/** True when two states have the player and every box on the same cells (boxes are sorted). */
export function sameState(a: SokobanState, b: SokobanState): boolean {
  return a.player === b.player && a.boxes.length === b.boxes.length && a.boxes.every((x, i) => x === b.boxes[i])
}

/** A sorted copy of box cells, the canonical form stored in a `SokobanState`. */
export function sortedBoxes(boxes: Iterable<number>): number[] {
  return [...boxes].sort((a, b) => a - b)
}
