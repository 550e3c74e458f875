// The optimal A* solver (environments.md §6.2): push counts against a plain push BFS with no
// bound and no pruning (admissibility and deadlock-soundness bugs show up as disagreements),
// move counts against the move BFS, plans replayed with the game rules, and the limits.
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { applyMove } from '../../../../core/sokoban/rules.ts'
import { isSolved, type Level } from '../../../../core/sokoban/level.ts'
import { parseXsb } from '../../../../core/sokoban/xsb.ts'
import type { Direction } from '../../../../core/sokoban/directions.ts'
import { parseLurd, solve, solveBfs, toLurd, type SolveResult } from '../../../../core/sokoban/solve/index.ts'
import { describeWithSharedData, readSharedText } from '../../../harness/shared-data.ts'
import { levelFromRows, randomLevel, referencePushBfs, scrambledLevel } from './reference.ts'
// Each file with four of its first 20 levels that the slow reference BFS settles in well under a
// second (the others take it 1-16 s each).
const BOXOBAN_FILES: ReadonlyArray<readonly [string, readonly number[]]> = [
  ['unfiltered/test/000.txt', [6, 10, 14, 16]],
  ['medium/train/000.txt', [1, 2, 15, 18]],
  ['hard/000.txt', [0, 7, 15, 17]],
]

/** Replays a solver's moves; every move must change the position, and the end must be solved. */
function checkPlan(level: Level, result: SolveResult): void {
  let state = level.start
  let pushes = 0
  for (const move of result.moves) {
    const outcome = applyMove(level, state, move)
    expect(outcome.moved, 'a planned move bumps into something').toBe(true)
    if (outcome.pushedFrom !== null) pushes++
    state = outcome.state
  }
  expect(isSolved(level, state)).toBe(true)
  expect(result.moveCount).toBe(result.moves.length)
  expect(result.pushCount).toBe(pushes)
  expect(result.lurd).toBe(toLurd(level, result.moves))
  expect(result.lurd.replace(/[a-z]/g, '').length).toBe(pushes)
  expect(parseLurd(result.lurd)).toEqual(result.moves)
}

function pushesOf(level: Level, moves: readonly Direction[]): number {
  let state = level.start
  let pushes = 0
  for (const move of moves) {
    const outcome = applyMove(level, state, move)
    if (outcome.pushedFrom !== null) pushes++
    state = outcome.state
  }
  return pushes
}

/** Solvable rooms (scrambled by reverse play) and mostly unsolvable ones (random placement). */
const smallLevel = fc
  .record({
    seed: fc.integer({ min: 0, max: 1_000_000 }),
    size: fc.integer({ min: 5, max: 8 }),
    boxes: fc.integer({ min: 1, max: 3 }),
    scrambled: fc.boolean(),
  })
  .map(({ seed, size, boxes, scrambled }) =>
    scrambled ? scrambledLevel(seed, size, size, boxes, 120) : randomLevel(seed, size, size, boxes),
  )

describe('solve: push-optimal', () => {
  it('[§6.2] finds exactly as many pushes as a plain push BFS on random rooms', () => {
    fc.assert(
      fc.property(smallLevel, (level) => {
        const expected = referencePushBfs(level)
        const result = solve(level)
        if (expected === -1) {
          expect(result.status).toBe('unsolvable')
        } else {
          expect(result.status).toBe('solved')
          expect(result.pushCount).toBe(expected)
          checkPlan(level, result)
        }
      }),
      { numRuns: 120 },
    )
  })

  it('never needs more pushes than the move-optimal plan; never fewer moves than it', () => {
    fc.assert(
      fc.property(smallLevel, (level) => {
        const byPushes = solve(level)
        const byMoves = solve(level, { optimal: 'moves' })
        expect(byMoves.status).toBe(byPushes.status)
        if (byPushes.status !== 'solved') return
        expect(byPushes.pushCount).toBeLessThanOrEqual(byMoves.pushCount)
        expect(byMoves.moveCount).toBeLessThanOrEqual(byPushes.moveCount)
      }),
      { numRuns: 80 },
    )
  })

  it('solves a level whose start is already solved with an empty plan', () => {
    const level = levelFromRows(['#####', '#@* #', '#####'])
    expect(solve(level)).toMatchObject({ status: 'solved', moves: [], lurd: '', moveCount: 0, pushCount: 0 })
  })

  it('writes LURD with capitals for pushes', () => {
    // Walk right twice, then push up twice onto the goal: the only optimal plan.
    const level = levelFromRows(['######', '#  . #', '#    #', '#  $ #', '#@   #', '######'])
    const result = solve(level)
    expect(result.status).toBe('solved')
    expect(result.lurd).toBe('rrUU')
    expect(result.pushCount).toBe(2)
    expect(result.moveCount).toBe(4)
    checkPlan(level, result)
  })
})

describe('solve: move-optimal', () => {
  it('[§6.2] plans exactly as many moves as the move BFS on random rooms', () => {
    fc.assert(
      fc.property(smallLevel, (level) => {
        const bfs = solveBfs(level)
        const result = solve(level, { optimal: 'moves' })
        if (bfs.status === 'unsolvable') {
          expect(result.status).toBe('unsolvable')
        } else {
          expect(bfs.status).toBe('solved')
          expect(result.status).toBe('solved')
          expect(result.moveCount).toBe(bfs.plan.length)
          expect(result.pushCount).toBeGreaterThanOrEqual(pushesOf(level, bfs.plan) > 0 ? 1 : 0)
          checkPlan(level, result)
        }
      }),
      { numRuns: 120 },
    )
  })

  it('searches from a given start state', () => {
    const level = levelFromRows(['#######', '#     #', '#.@$  #', '#     #', '#######'])
    const fromStart = solve(level, { optimal: 'moves' })
    expect(fromStart.moveCount).toBe(6)
    const later = applyMove(level, level.start, 1).state
    const fromLater = solve(level, { optimal: 'moves', start: later })
    expect(fromLater.moveCount).toBe(5)
    expect(fromLater.lurd).toBe('rrdLL')
  })
})

describe('solve: unsolvable levels and limits', () => {
  it('proves a box in a corner off its goal unsolvable', () => {
    const level = levelFromRows(['#####', '#$ .#', '#  @#', '#####'])
    for (const optimal of ['pushes', 'moves'] as const) {
      const result = solve(level, { optimal })
      expect(result).toMatchObject({ status: 'unsolvable', moves: [], lurd: '', moveCount: 0, pushCount: 0 })
    }
  })

  it('proves two boxes side by side against a wall unsolvable (freeze deadlock)', () => {
    const level = levelFromRows(['#######', '#$$ ..#', '#    @#', '#######'])
    expect(solve(level).status).toBe('unsolvable')
    expect(referencePushBfs(level)).toBe(-1)
  })

  it('proves a level with more boxes than goals unsolvable', () => {
    const level = levelFromRows(['#######', '# $$  #', '#  . @#', '#######'])
    expect(solve(level).status).toBe('unsolvable')
  })

  it('proves a sealed-off box unsolvable after exhausting the search', () => {
    const level = levelFromRows(['#########', '#@ $ #  #', '#   # . #', '#########'])
    const result = solve(level)
    expect(result.status).toBe('unsolvable')
    expect(referencePushBfs(level)).toBe(-1)
  })

  it('gives up at the node limit, saying so', () => {
    const level = scrambledLevel(7, 8, 8, 3, 300)
    expect(solve(level).status).toBe('solved')
    const result = solve(level, { maxNodes: 1 })
    expect(result.status).toBe('gave-up')
    expect(result.reason).toMatch(/node limit/)
    expect(result.stats.expanded).toBe(1)
    expect(result.moves).toEqual([])
  })

  it('gives up at the time limit of the injected clock, saying so', () => {
    let now = 0
    const clock = (): number => (now += 10)
    const level = scrambledLevel(7, 8, 8, 3, 300)
    const result = solve(level, { timeLimitMs: 5, clock })
    expect(result.status).toBe('gave-up')
    expect(result.reason).toMatch(/time limit/)
    expect(result.stats.elapsedMs).toBeGreaterThan(5)
  })

  it('refuses a time limit without a clock', () => {
    const level = levelFromRows(['#####', '#@$.#', '#####'])
    expect(() => solve(level, { timeLimitMs: 100 })).toThrow(/clock/)
  })

  it('counts search effort', () => {
    const level = scrambledLevel(7, 8, 8, 3, 300)
    const { stats } = solve(level)
    expect(stats.expanded).toBeGreaterThan(0)
    expect(stats.generated).toBeGreaterThanOrEqual(stats.expanded - 1)
    expect(stats.elapsedMs).toBe(0)
  })
})

describeWithSharedData('solve: Boxoban sample', 'boxoban', () => {
  for (const [file, checked] of BOXOBAN_FILES) {
    it(`solves the first 20 levels of ${file} push-optimally, levels ${checked.join(', ')} checked by push BFS`, () => {
      const levels = parseXsb(readSharedText(`boxoban/${file}`)).slice(0, 20)
      expect(levels).toHaveLength(20)
      for (const [i, level] of levels.entries()) {
        const result = solve(level)
        expect(result.status, `${file} level ${i}`).toBe('solved')
        checkPlan(level, result)
        if (checked.includes(i)) expect(result.pushCount, `${file} level ${i}`).toBe(referencePushBfs(level))
      }
    })
  }
})
