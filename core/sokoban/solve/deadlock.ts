/**
 * @module core/sokoban/solve/deadlock
 * Freeze deadlocks (environments.md §6.2): a box that can move along neither axis stays where
 * it is for the rest of the game, so if it (or a box it holds in place) is off a goal the
 * position is lost. Simple dead squares are precomputed in `board.ts`.
 *
 * A box is blocked along an axis when a wall is on either side, when both sides are dead
 * squares (moving there loses anyway), or when a neighbouring box on that axis is itself
 * frozen. While a neighbour is examined the box under test counts as a wall; this settles
 * mutual blocking (two boxes holding each other) without looping, and it is sound because a
 * group of boxes that only block each other can never make the first move. 2×2 blocks of
 * boxes and walls are a special case of this rule.
 */
import type { Board } from './board.ts'

/** Finds freeze deadlocks; owns its scratch marks so the searches allocate nothing per node. */
export class FreezeDetector {
  private readonly board: Board
  private readonly asWall: Uint8Array
  private boxAt: Uint8Array

  constructor(board: Board) {
    this.board = board
    this.asWall = new Uint8Array(board.size)
    this.boxAt = this.asWall
  }

  /**
   * True when the box just pushed onto `cell` makes the position a freeze deadlock. `boxAt` is
   * non-zero on the cells that hold a box, including `cell`.
   */
  afterPush(cell: number, boxAt: Uint8Array): boolean {
    this.boxAt = boxAt
    if (!this.isFrozen(cell)) return false
    const { goal, delta } = this.board
    if (!goal[cell]) return true
    // A box frozen on its goal is harmless itself, but it may pin an off-goal neighbour.
    for (let d = 1; d <= 4; d++) {
      const next = cell + delta[d]
      if (boxAt[next] && !goal[next] && this.isFrozen(next)) return true
    }
    return false
  }

  /** True when any box of the position is frozen off a goal (for checking a start state). */
  anyFrozenOffGoal(boxes: ArrayLike<number>, boxAt: Uint8Array): boolean {
    this.boxAt = boxAt
    for (let i = 0; i < boxes.length; i++) {
      if (!this.board.goal[boxes[i]] && this.isFrozen(boxes[i])) return true
    }
    return false
  }

  private isFrozen(cell: number): boolean {
    const w = this.board.width
    this.asWall[cell] = 1
    const frozen = this.blockedOnAxis(cell, 1) && this.blockedOnAxis(cell, w)
    this.asWall[cell] = 0
    return frozen
  }

  private blockedOnAxis(cell: number, step: number): boolean {
    const { open, dead } = this.board
    const a = cell - step
    const b = cell + step
    if (!open[a] || !open[b] || this.asWall[a] || this.asWall[b]) return true
    if (dead[a] && dead[b]) return true
    if (this.boxAt[a] && this.isFrozen(a)) return true
    if (this.boxAt[b] && this.isFrozen(b)) return true
    return false
  }
}
