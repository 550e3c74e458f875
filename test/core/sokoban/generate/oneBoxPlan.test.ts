// The one-box planner must give exactly the labels of the general move BFS (paper-tasks.md §4.3):
// checked against `solveBfs` and against the line-by-line transcription of the reference BFS in
// test/core/sokoban/solve/reference.ts, on hand-made rooms, generated levels and random positions.
import { describe, expect, it } from 'vitest'
import { oneBoxPlan } from '../../../../core/sokoban/generate/oneBoxPlan.ts'
import { generateLevel } from '../../../../core/sokoban/generate.ts'
import { paperLabels, solveBfs } from '../../../../core/sokoban/solve/index.ts'
import { applyMove } from '../../../../core/sokoban/rules.ts'
import { DOWN, LEFT, RIGHT, UP, type Direction } from '../../../../core/sokoban/directions.ts'
import type { Level, SokobanState } from '../../../../core/sokoban/level.ts'
import { rngFor } from '../../../../core/rng/index.ts'
import { levelFromRows, paperShortestActionPath, randomLevel } from '../solve/reference.ts'

/** The position `moves` random moves away from the start. */
function wander(level: Level, seed: number, moves: number): SokobanState {
  const rng = rngFor('one-box-plan-test', seed)
  let state = level.start
  for (let i = 0; i < moves; i++) state = applyMove(level, state, (1 + rng.below(4)) as Direction).state
  return state
}

describe('oneBoxPlan', () => {
  it('[§3.1] seed 123 example: Down, Left, Up', () => {
    const level = levelFromRows(['######', '######', '#.####', '#$@###', '#  ###', '######'])
    expect(oneBoxPlan(level)).toEqual([DOWN, LEFT, UP])
  })

  it('finds the reference plan when the box must be pushed along two axes', () => {
    // Up twice to the goal's row, round the box (L, U), then right three times: 7 moves.
    const level = levelFromRows(['#######', '#    .#', '#     #', '# $   #', '# @   #', '#######'])
    const plan = oneBoxPlan(level)
    expect(plan).toEqual(paperShortestActionPath(level, Infinity))
    expect(plan).toEqual([UP, UP, LEFT, UP, RIGHT, RIGHT, RIGHT])
  })

  it('is [] when the box starts on its goal or can never reach it', () => {
    expect(oneBoxPlan(levelFromRows(['#####', '#@* #', '#####']))).toEqual([])
    // The box is in a corner, off its goal.
    expect(oneBoxPlan(levelFromRows(['#####', '#$ .#', '# @ #', '#####']))).toEqual([])
  })

  it('declines what it does not handle: two boxes, or more positions than the state budget', () => {
    const two = levelFromRows(['######', '#@$$ #', '#  ..#', '######'])
    expect(oneBoxPlan(two)).toBeNull()
    const one = levelFromRows(['#######', '#@ $ .#', '#######'])
    expect(oneBoxPlan(one, one.start, 25)).toBeNull()
    expect(oneBoxPlan(one, one.start, 26)).toEqual([RIGHT, RIGHT, RIGHT])
  })

  it('equals the reference BFS and solveBfs on random rooms, from random positions', () => {
    for (let seed = 0; seed < 300; seed++) {
      const level = randomLevel(seed, 4 + (seed % 5), 4 + ((seed * 7) % 6), 1)
      const state = wander(level, seed, seed % 9)
      const start = { ...level, start: state }
      expect(oneBoxPlan(level, state), `seed ${seed}`).toEqual(paperShortestActionPath(start, Infinity))
      expect(oneBoxPlan(level, state), `seed ${seed}`).toEqual(paperLabels(solveBfs(level, { start: state })))
    }
  })

  it('equals solveBfs on generated levels of several sizes, from positions along random walks', () => {
    for (const [rows, cols] of [[6, 6], [7, 9], [10, 10]]) {
      for (let i = 0; i < 60; i++) {
        const { level } = generateLevel({ rows, cols, boxes: 1 }, 17, i)
        for (const moves of [0, 3, 8]) {
          const state = wander(level, i * 31 + moves, moves)
          expect(oneBoxPlan(level, state), `${rows}x${cols} #${i}`).toEqual(paperLabels(solveBfs(level, { start: state })))
        }
      }
    }
  })

  it('never returns the same array twice (callers may keep or change it)', () => {
    const level = levelFromRows(['######', '#@$ .#', '######'])
    const a = oneBoxPlan(level)
    expect(a).toEqual([RIGHT, RIGHT])
    a?.push(LEFT)
    expect(oneBoxPlan(level)).toEqual([RIGHT, RIGHT])
  })
})
