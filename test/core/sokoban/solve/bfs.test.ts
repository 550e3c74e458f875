// The move BFS must return exactly the paper's labels (paper-tasks.md §4.3): the worked example of
// §3.1, the stored labels of the sample eval levels, and a transcription of the reference BFS on
// random small rooms, depth cap included.
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { applyMove } from '../../../../core/sokoban/rules.ts'
import { isSolved, type SokobanState } from '../../../../core/sokoban/level.ts'
import { DOWN, LEFT, RIGHT, UP, type Direction } from '../../../../core/sokoban/directions.ts'
import {
  PAPER_MAX_DEPTH,
  optimalNextMove,
  paperLabels,
  solveBfs,
} from '../../../../core/sokoban/solve/index.ts'
import { PAPER_SAMPLES_FILE, describeWithSharedData, loadPaperSamples } from '../../../harness/shared-data.ts'
import { levelFromRows, paperShortestActionPath, randomLevel, scrambledLevel } from './reference.ts'

function replay(level: ReturnType<typeof levelFromRows>, plan: readonly Direction[], start?: SokobanState): SokobanState {
  let state = start ?? level.start
  for (const d of plan) state = applyMove(level, state, d).state
  return state
}

describe('solveBfs: paper labels', () => {
  it('[§3.1] seed 123 example: Down, Left, Up', () => {
    const level = levelFromRows(['######', '######', '#.####', '#$@###', '#  ###', '######'])
    const result = solveBfs(level, { maxDepth: PAPER_MAX_DEPTH })
    expect(result.status).toBe('solved')
    expect(result.plan).toEqual([DOWN, LEFT, UP])
    expect(paperLabels(result)).toEqual([2, 3, 1])
    expect(optimalNextMove(level, level.start)).toBe(DOWN)
  })

  describeWithSharedData('[§4.3] stored labels of the paper-sample levels', PAPER_SAMPLES_FILE, () => {
    it('reproduces bfs_actions of every sample level', () => {
      const { sokoban } = loadPaperSamples()
      expect(sokoban.length).toBeGreaterThan(0)
      for (const sample of sokoban) {
        const level = levelFromRows(sample.xsb)
        const labels = paperLabels(solveBfs(level, { maxDepth: PAPER_MAX_DEPTH }))
        expect(labels, `${sample.tag} seed ${sample.seed}`).toEqual(sample.bfs_actions)
      }
    })
  })

  it('[§4.3] equals a transcription of the reference BFS on random rooms, depth cap included', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 5, max: 7 }),
        fc.integer({ min: 1, max: 2 }),
        fc.integer({ min: 0, max: 14 }),
        fc.boolean(),
        (seed, size, boxes, maxDepth, scrambled) => {
          // Scrambled rooms are solvable; purely random ones mostly are not.
          const level = scrambled ? scrambledLevel(seed, size, size, boxes, 80) : randomLevel(seed, size, size, boxes)
          const expected = paperShortestActionPath(level, maxDepth)
          const result = solveBfs(level, { maxDepth })
          expect(paperLabels(result)).toEqual(expected)
          if (result.status === 'solved') expect(isSolved(level, replay(level, result.plan))).toBe(true)
        },
      ),
      { numRuns: 150 },
    )
  })

  it('[§4.3] equals the reference BFS on 100 fixed open rooms, where tie order matters most', () => {
    for (let seed = 0; seed < 100; seed++) {
      const size = 6 + (seed % 3)
      const level = scrambledLevel(seed, size, size, 1 + (seed % 2), 80, 0.05)
      expect(paperLabels(solveBfs(level, { maxDepth: 20 })), `seed ${seed}`).toEqual(paperShortestActionPath(level, 20))
    }
  })

  it('returns a plan of exactly maxDepth moves, and depth-exceeded one move below it', () => {
    const level = levelFromRows(['######', '######', '#.####', '#$@###', '#  ###', '######'])
    expect(solveBfs(level, { maxDepth: 3 }).plan).toEqual([DOWN, LEFT, UP])
    const capped = solveBfs(level, { maxDepth: 2 })
    expect(capped.status).toBe('depth-exceeded')
    expect(paperLabels(capped)).toEqual([])
    expect(paperShortestActionPath(level, 2)).toEqual([])
  })
})

describe('solveBfs: outcomes', () => {
  it('reports an empty plan for a solved start', () => {
    const level = levelFromRows(['#####', '#@* #', '#####'])
    const result = solveBfs(level)
    expect(result).toMatchObject({ status: 'solved', plan: [] })
    expect(optimalNextMove(level, level.start)).toBeNull()
  })

  it('proves a box in a corner off its goal unsolvable', () => {
    const level = levelFromRows(['#####', '#$ .#', '#  @#', '#####'])
    const result = solveBfs(level)
    expect(result.status).toBe('unsolvable')
    expect(paperLabels(result)).toEqual([])
    expect(optimalNextMove(level, level.start)).toBeNull()
  })

  it('proves a room the player cannot leave unsolvable without a depth cap', () => {
    const level = levelFromRows(['#######', '#@#   #', '###$ .#', '#######'])
    expect(solveBfs(level).status).toBe('unsolvable')
  })

  it('gives up when the state budget runs out', () => {
    const level = levelFromRows(['########', '#@     #', '#      #', '#  $   #', '#      #', '#     .#', '########'])
    const result = solveBfs(level, { maxStates: 10 })
    expect(result.status).toBe('gave-up')
    expect(result.states).toBeLessThanOrEqual(10)
    expect(paperLabels(result)).toEqual([])
    expect(solveBfs(level).status).toBe('solved')
  })

  it('searches from a given start state', () => {
    const level = levelFromRows(['######', '######', '#.####', '#$@###', '#  ###', '######'])
    const afterDown: SokobanState = replay(level, [DOWN])
    expect(solveBfs(level, { start: afterDown }).plan).toEqual([LEFT, UP])
    expect(optimalNextMove(level, afterDown)).toBe(LEFT)
  })

  it('plans are shortest: no random room has a shorter solution than the BFS plan', () => {
    // Independent check of length: the reference without a cap finds the same length.
    for (let seed = 0; seed < 40; seed++) {
      const level = seed % 2 ? scrambledLevel(seed, 6, 6, 2, 80) : randomLevel(seed, 6, 6, 2)
      const result = solveBfs(level)
      const reference = paperShortestActionPath(level, Infinity)
      if (result.status === 'solved') expect(result.plan.length, `seed ${seed}`).toBe(reference.length)
      else expect(result.status, `seed ${seed}`).toBe('unsolvable')
    }
  })

  it('rejects a start state with a box on a wall or two boxes on one cell', () => {
    const level = levelFromRows(['#####', '#@$.#', '#####'])
    expect(() => solveBfs(level, { start: { player: 6, boxes: [0] } })).toThrow(/wall/)
    // Cell 7 is the box's floor cell; listing it twice names it.
    expect(() => solveBfs(level, { start: { player: 6, boxes: [7, 7] } })).toThrow(/two boxes share cell 7/)
  })

  it('tie order: of two equally short plans it returns the one first in U, D, L, R order', () => {
    // The player must walk around the box to its right side: over the top (U R R D) or under
    // it (D R R U), both 4 moves, then push left twice. The reference tries Up first.
    const level = levelFromRows(['#######', '#     #', '#.@$  #', '#     #', '#######'])
    expect(solveBfs(level).plan).toEqual([UP, RIGHT, RIGHT, DOWN, LEFT, LEFT])
    const noTop = levelFromRows(['#######', '#######', '#.@$  #', '#     #', '#######'])
    expect(solveBfs(noTop).plan).toEqual([DOWN, RIGHT, RIGHT, UP, LEFT, LEFT])
    // Down-then-Left and Left-then-Down both reach the pushing cell; Down comes first.
    const diagonal = levelFromRows(['#######', '#   @ #', '#.$   #', '#     #', '#######'])
    expect(solveBfs(diagonal).plan).toEqual([DOWN, LEFT, LEFT])
    // Up-then-Right and Right-then-Up: Up comes first.
    const upRight = levelFromRows(['#######', '#     #', '#   $.#', '# @   #', '#######'])
    expect(solveBfs(upRight).plan).toEqual([UP, RIGHT, RIGHT])
  })
})
