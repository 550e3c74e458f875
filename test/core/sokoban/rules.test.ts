// Move rules under gym-sokoban semantics (paper-tasks.md §4.1). Each case is a small board whose
// expected result was worked out by hand; cells are row-major indices.
import { describe, expect, it } from 'vitest'
import { DOWN, LEFT, RIGHT, UP, type Direction } from '../../../core/sokoban/directions.ts'
import { applyMove } from '../../../core/sokoban/rules.ts'
import { parseXsbLevel, serializeXsb } from '../../../core/sokoban/xsb.ts'

/** Plays `moves` from the level's start and returns the board as XSB after each move. */
function play(xsb: string, moves: Direction[]): { boards: string[]; moved: boolean[]; pushed: boolean[] } {
  const level = parseXsbLevel(xsb)
  let state = level.start
  const boards: string[] = []
  const moved: boolean[] = []
  const pushed: boolean[] = []
  for (const move of moves) {
    const outcome = applyMove(level, state, move)
    state = outcome.state
    boards.push(serializeXsb(level, state))
    moved.push(outcome.moved)
    pushed.push(outcome.pushedFrom !== null)
  }
  return { boards, moved, pushed }
}

describe('applyMove', () => {
  it('[§4.1] walks onto floor and onto a goal, and off the goal again', () => {
    const { boards, moved } = play('#####\n#@ .#\n#$  #\n#####', [RIGHT, RIGHT, LEFT])
    expect(boards).toEqual(['#####\n# @.#\n#$  #\n#####', '#####\n#  +#\n#$  #\n#####', '#####\n# @.#\n#$  #\n#####'])
    expect(moved).toEqual([true, true, true])
  })

  it('[§4.1] a bump into a wall moves nothing', () => {
    const start = '#####\n#@$.#\n#####'
    const { boards, moved, pushed } = play(start, [UP, DOWN, LEFT])
    expect(boards).toEqual([start, start, start])
    expect(moved).toEqual([false, false, false])
    expect(pushed).toEqual([false, false, false])
  })

  it('[§4.1] pushes a box onto floor and onto a goal (it shows as *)', () => {
    const { boards, pushed } = play('######\n#@$ .#\n######', [RIGHT, RIGHT])
    expect(boards).toEqual(['######\n# @$.#\n######', '######\n#  @*#\n######'])
    expect(pushed).toEqual([true, true])
  })

  it('[§4.1] pushes a box off a goal, and the player stands on the goal it left', () => {
    const { boards } = play('######\n#@*  #\n#$  .#\n######', [RIGHT])
    expect(boards).toEqual(['######\n# +$ #\n#$  .#\n######'])
  })

  it('[§4.1] cannot push a box into a wall', () => {
    const start = '#####\n# @$#\n#  .#\n#####'
    const { boards, moved } = play(start, [RIGHT])
    expect(boards).toEqual([start])
    expect(moved).toEqual([false])
  })

  it('[§4.1] cannot push two boxes at once', () => {
    const start = '#######\n#@$$..#\n#######'
    const { boards, moved } = play(start, [RIGHT])
    expect(boards).toEqual([start])
    expect(moved).toEqual([false])
  })

  it('[§4.1] never pulls: walking away from a box leaves it', () => {
    const { boards } = play('######\n# $@ #\n#.   #\n######', [RIGHT])
    expect(boards).toEqual(['######\n# $ @#\n#.   #\n######'])
  })

  it('pushes in all four directions and keeps boxes sorted', () => {
    //  0123456
    // 0#######
    // 1#  .  #
    // 2#  $  #
    // 3#.$@$.#
    // 4#  $  #
    // 5#  .  #
    // 6#######
    const level = parseXsbLevel('#######\n#  .  #\n#  $  #\n#.$@$.#\n#  $  #\n#  .  #\n#######')
    const p = level.start.player
    expect(applyMove(level, level.start, UP).state.boxes).toEqual([10, 23, 25, 31])
    expect(applyMove(level, level.start, DOWN).state.boxes).toEqual([17, 23, 25, 38])
    expect(applyMove(level, level.start, LEFT).state.boxes).toEqual([17, 22, 25, 31])
    expect(applyMove(level, level.start, RIGHT).state.boxes).toEqual([17, 23, 26, 31])
    expect(applyMove(level, level.start, UP).state.player).toBe(p - 7)
  })

  it('does not change the state it was given', () => {
    const level = parseXsbLevel('######\n#@$ .#\n######')
    const before = JSON.stringify(level.start)
    applyMove(level, level.start, RIGHT)
    expect(JSON.stringify(level.start)).toBe(before)
  })
})
