/**
 * @module core/sokoban/directions
 * The four moves, numbered as in gym-sokoban and the paper (1 Up, 2 Down, 3 Left, 4 Right).
 * Code 0 is the paper's "no valid action" and is never executed.
 */

export const UP = 1
export const DOWN = 2
export const LEFT = 3
export const RIGHT = 4

/** A move code, 1-4. */
export type Direction = typeof UP | typeof DOWN | typeof LEFT | typeof RIGHT

/** The moves in the paper's tie order: Up, Down, Left, Right. */
export const DIRECTIONS: readonly Direction[] = [UP, DOWN, LEFT, RIGHT]

/** Row and column deltas per move code (index 0 is unused). */
export const ROW_DELTA: readonly number[] = [0, -1, 1, 0, 0]
export const COL_DELTA: readonly number[] = [0, 0, 0, -1, 1]

/** The LURD letter of a move (lower case; upper case marks a push in LURD notation). */
export const LURD: readonly string[] = ['', 'u', 'd', 'l', 'r']

/** The paper's action names per code. */
export const DIRECTION_NAMES: readonly string[] = ['None', 'Up', 'Down', 'Left', 'Right']

/** The cell-index offset of a move on a grid with `cols` columns. */
export function cellDelta(direction: Direction, cols: number): number {
  return ROW_DELTA[direction] * cols + COL_DELTA[direction]
}

/** The opposite move. */
export function opposite(direction: Direction): Direction {
  return (direction === UP ? DOWN : direction === DOWN ? UP : direction === LEFT ? RIGHT : LEFT) as Direction
}
