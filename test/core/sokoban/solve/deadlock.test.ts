// Dead squares and freeze deadlocks on hand-made rooms, with the expected cells worked out by hand
// from the rules in environments.md §6.2.
import { describe, expect, it } from 'vitest'
import { createBoard, type Board } from '../../../../core/sokoban/solve/board.ts'
import { FreezeDetector } from '../../../../core/sokoban/solve/deadlock.ts'
import { levelFromRows } from './reference.ts'

/** The level cells marked in an internal per-cell table, as (row, col) strings. */
function marked(board: Board, table: Uint8Array): string[] {
  const out: string[] = []
  for (let cell = 0; cell < board.size; cell++) {
    const ext = board.toExternal[cell]
    if (ext >= 0 && table[cell]) out.push(`${Math.floor(ext / board.level.cols)},${ext % board.level.cols}`)
  }
  return out
}

/** Whether some box is frozen off a goal in the level's start position. */
function frozenOffGoal(rows: string[]): boolean {
  const level = levelFromRows(rows)
  const board = createBoard(level)
  const boxAt = new Uint8Array(board.size)
  const boxes = level.start.boxes.map((b) => board.toInternal[b])
  for (const b of boxes) boxAt[b] = 1
  return new FreezeDetector(board).anyFrozenOffGoal(boxes, boxAt)
}

describe('dead squares', () => {
  it('marks corners and wall edges without a goal, and nothing on goal edges', () => {
    const board = createBoard(levelFromRows(['######', '#@   #', '#    #', '#  . #', '######']))
    // Row 1 runs along the top wall with no goal on it; columns 1 and 4 run along side walls;
    // row 3 holds the goal, so boxes on it can still be pushed along to the goal.
    expect(marked(board, board.dead).sort()).toEqual(['1,1', '1,2', '1,3', '1,4', '2,1', '2,4', '3,1', '3,4'].sort())
  })

  it('gives push distances that count pushes, not steps', () => {
    const board = createBoard(levelFromRows(['#######', '#@    #', '# $  .#', '#     #', '#######']))
    const m = board.goals.length
    const box = board.toInternal[2 * 7 + 2]
    expect(board.pushDistance[box * m]).toBe(3)
    expect(board.pushDistance[board.goals[0] * m]).toBe(0)
  })
})

describe('freeze deadlocks', () => {
  it('finds a box in a corner, and two boxes side by side along a wall', () => {
    expect(frozenOffGoal(['#####', '#$  #', '#  .#', '# .@#', '#####'])).toBe(true)
    // Neither can be pushed along the wall: the player would have to stand on the other box.
    expect(frozenOffGoal(['#######', '# $$ .#', '#   .@#', '#######'])).toBe(true)
  })

  it('finds a 2x2 block of boxes in open space', () => {
    expect(frozenOffGoal(['########', '#      #', '#  $$  #', '#  $$  #', '#  .. @#', '# ..   #', '########'])).toBe(true)
  })

  it('lets a box move that is blocked on one axis only', () => {
    expect(frozenOffGoal(['#######', '#     #', '#  $  #', '#  $ .#', '#   .@#', '#######'])).toBe(false)
    expect(frozenOffGoal(['######', '# $ .#', '#@   #', '######'])).toBe(false)
  })

  it('does not count boxes frozen on goals', () => {
    expect(frozenOffGoal(['#####', '#*  #', '#   #', '#  @#', '#####'])).toBe(false)
  })
})
