// The seeded level generator (environments.md §4): per-item determinism, valid and solvable
// levels, gym-sokoban's reverse-search semantics on rooms small enough to work out by hand,
// the difficulty filters against an independent BFS, and fast, clear failures.
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import {
  DEFAULT_SEARCH_DEPTH,
  DEFAULT_STATE_BUDGET,
  GenerationError,
  defaultWalkSteps,
  generateLevel,
  generateLevels,
  validateGeneratorConfig,
  type GeneratedLevel,
  type GeneratorConfig,
} from '../../../core/sokoban/generate.ts'
import { reversePlay } from '../../../core/sokoban/generate/reversePlay.ts'
import { carveRoom, placePlayerAndTargets } from '../../../core/sokoban/generate/topology.ts'
import { StateSet } from '../../../core/sokoban/generate/stateSet.ts'
import { FLOOR, GOAL, WALL, isSolved, type Level, type SokobanState } from '../../../core/sokoban/level.ts'
import { LEFT, RIGHT, cellDelta } from '../../../core/sokoban/directions.ts'
import { applyMove } from '../../../core/sokoban/rules.ts'
import { serializeXsb } from '../../../core/sokoban/xsb.ts'
import { solveBfs } from '../../../core/sokoban/solve/index.ts'
import { rngFor } from '../../../core/rng/index.ts'

const SIX_TWO: GeneratorConfig = { rows: 6, cols: 6, boxes: 2 }

/** A level as comparable text: the board, the title and the solution. */
function fingerprint(g: GeneratedLevel): string {
  return `${g.level.title}\n${serializeXsb(g.level)}\n${g.reverseMoves.join('')}`
}

function replay(level: Level, moves: readonly number[]): SokobanState {
  let state = level.start
  for (const d of moves) state = applyMove(level, state, d as 1 | 2 | 3 | 4).state
  return state
}

/** Checks the structural rules every generated level must satisfy. */
function expectValid(g: GeneratedLevel, config: GeneratorConfig): void {
  const { level } = g
  const { rows, cols } = level
  expect([rows, cols]).toEqual([config.rows, config.cols])
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const cell = level.fixed[r * cols + c]
      expect([WALL, FLOOR, GOAL]).toContain(cell)
      if (r === 0 || c === 0 || r === rows - 1 || c === cols - 1) expect(cell).toBe(WALL)
    }
  }
  const goals = [...level.fixed.keys()].filter((i) => level.fixed[i] === GOAL)
  expect(goals).toHaveLength(config.boxes)
  expect(level.start.boxes).toHaveLength(config.boxes)
  expect(new Set(level.start.boxes).size).toBe(config.boxes)
  expect([...level.start.boxes].sort((a, b) => a - b)).toEqual(level.start.boxes)
  for (const b of level.start.boxes) expect(level.fixed[b]).toBe(FLOOR) // no box starts on a goal
  expect([FLOOR, GOAL]).toContain(level.fixed[level.start.player])
  expect(level.start.boxes).not.toContain(level.start.player)
  expect(isSolved(level, replay(level, g.reverseMoves))).toBe(true)
  expect(g.score).toBeGreaterThan(0)
  expect(g.displacement).toBeGreaterThan(0)
}

describe('generateLevel: determinism', () => {
  it('same (seed, i) gives the same level across calls and generation orders', () => {
    const forward = Array.from({ length: 10 }, (_, i) => fingerprint(generateLevel(SIX_TWO, 77, i)))
    const backward: string[] = []
    for (let i = 9; i >= 0; i--) backward[i] = fingerprint(generateLevel(SIX_TWO, 77, i))
    expect(backward).toEqual(forward)
    expect(fingerprint(generateLevel(SIX_TWO, 77, 5))).toBe(forward[5])
    expect(generateLevels(SIX_TWO, 77, 4, 3).map(fingerprint)).toEqual(forward.slice(3, 7))
    expect(generateLevels(SIX_TWO, 77, 10).map(fingerprint)).toEqual(forward)
  })

  it('does not depend on what was generated before (a big room, then a small one)', () => {
    const alone = fingerprint(generateLevel({ rows: 7, cols: 7, boxes: 2 }, 3, 1))
    generateLevels({ rows: 12, cols: 12, boxes: 3, stateBudget: 20_000 }, 9, 2)
    expect(fingerprint(generateLevel({ rows: 7, cols: 7, boxes: 2 }, 3, 1))).toBe(alone)
  })

  it('titles levels "; <seed>-<i>" and makes different levels for different i and seeds', () => {
    const levels = generateLevels(SIX_TWO, 5, 30)
    levels.forEach((g, i) => expect(g.level.title).toBe(`; 5-${i}`))
    const boards = new Set(levels.map((g) => serializeXsb(g.level)))
    expect(boards.size).toBeGreaterThanOrEqual(27)
    const otherSeed = generateLevels(SIX_TWO, 6, 30).map((g) => serializeXsb(g.level))
    expect(otherSeed.filter((b) => boards.has(b)).length).toBeLessThanOrEqual(3)
  })
})

describe('generateLevel: every level is valid and solved by its reverse plan', () => {
  it('property: random seeds, indices and room shapes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 40 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 5, max: 9 }),
        fc.integer({ min: 5, max: 9 }),
        fc.integer({ min: 1, max: 3 }),
        fc.boolean(),
        (seed, index, rows, cols, boxes, playerWalk) => {
          const config: GeneratorConfig = { rows, cols, boxes, playerWalk, stateBudget: 20_000 }
          expectValid(generateLevel(config, seed, index), config)
        },
      ),
      { numRuns: 60 },
    )
  })

  it('gym settings 6×6/1, 6×6/2, 8×8/2 and 10×10/3', () => {
    for (const config of [
      { rows: 6, cols: 6, boxes: 1 },
      { rows: 6, cols: 6, boxes: 2 },
      { rows: 8, cols: 8, boxes: 2 },
      { rows: 10, cols: 10, boxes: 3 },
    ]) {
      for (const g of generateLevels(config, 11, config.rows === 10 ? 3 : 10)) expectValid(g, config)
    }
  })

  it('rooms with many boxes, whose state keys fall back to hashing, are valid too', () => {
    for (const config of [
      { rows: 10, cols: 10, boxes: 4, stateBudget: 20_000 },
      { rows: 30, cols: 30, boxes: 9, stateBudget: 5_000 },
    ]) {
      expectValid(generateLevel(config, 1, 0), config)
    }
  })

  it('reverse play in open rooms: hashed exact keys (12×12, 3 boxes) and Zobrist keys (64×64, 4 boxes)', () => {
    // Open interiors give player × box-set spaces of 1.6·10^7 keys (beyond the direct table) and
    // 3.5·10^16 (beyond 2^53). The search must still fill its budget with distinct states and
    // return a state that its reversed path solves.
    for (const [size, boxes, budget] of [[12, 3, 3000], [64, 4, 20_000]]) {
      const room = new Uint8Array(size * size)
      for (let r = 1; r < size - 1; r++) for (let c = 1; c < size - 1; c++) room[r * size + c] = 1
      const targets = Array.from({ length: boxes }, (_, i) => size + 2 + 2 * i)
      const result = reversePlay({
        rows: size, cols: size, room, targets, player: size + 1, searchDepth: 300, stateBudget: budget, swapCounting: 'pulls',
      })
      expect(result.explored).toBe(budget)
      expect(result.score).toBeGreaterThan(0)
      const fixed = new Uint8Array(size * size)
      for (let i = 0; i < fixed.length; i++) fixed[i] = room[i] === 1 ? FLOOR : WALL
      for (const t of targets) fixed[t] = GOAL
      const level: Level = { rows: size, cols: size, fixed, start: { player: result.player, boxes: [...result.boxes].sort((a, b) => a - b) } }
      const forward = [...result.path].reverse().map((d) => (d === 1 ? 2 : d === 2 ? 1 : d === 3 ? 4 : 3))
      expect(isSolved(level, replay(level, forward))).toBe(true)
    }
  })

  it('non-square rooms keep rows and columns apart', () => {
    const config = { rows: 5, cols: 12, boxes: 2 }
    for (const g of generateLevels(config, 4, 5)) {
      expectValid(g, config)
      expect(serializeXsb(g.level).split('\n').map((row) => row.length)).toEqual([12, 12, 12, 12, 12])
    }
  })

  it('without the player walk, the player never starts on a target and mostly starts beside a box', () => {
    // A state with the player on a target scores 0 (environments.md §4.1). Plain moves change the
    // score only by stepping off a target, so the best state usually comes right after a pull.
    let pushFirst = 0
    const levels = generateLevels({ rows: 7, cols: 7, boxes: 2, playerWalk: false }, 8, 40)
    for (const g of levels) {
      expect(g.level.fixed[g.level.start.player]).toBe(FLOOR)
      if (applyMove(g.level, g.level.start, g.reverseMoves[0]).pushedFrom !== null) pushFirst++
    }
    expect(pushFirst).toBeGreaterThanOrEqual(30)
  })

  it('the player walk moves only the player, at most 3 steps, and moves it in about half the levels or more', () => {
    let moved = 0
    for (let i = 0; i < 60; i++) {
      const walked = generateLevel({ ...SIX_TWO, playerWalk: true }, 2, i)
      const still = generateLevel({ ...SIX_TWO, playerWalk: false }, 2, i)
      expect(walked.level.fixed).toEqual(still.level.fixed)
      expect(walked.level.start.boxes).toEqual(still.level.start.boxes)
      const [a, b] = [walked.level.start.player, still.level.start.player]
      const steps = Math.abs(Math.floor(a / 6) - Math.floor(b / 6)) + Math.abs((a % 6) - (b % 6))
      expect(steps).toBeLessThanOrEqual(3)
      expect(walked.reverseMoves.length - still.reverseMoves.length).toBeLessThanOrEqual(3)
      if (a !== b) moved++
    }
    expect(moved).toBeGreaterThanOrEqual(20)
    expect(moved).toBeLessThanOrEqual(55)
  })
})

describe('reverse play: gym-sokoban semantics on a corridor', () => {
  // "#######" / "# .$@ #"-style corridor: target at column 2, player at column 3, free cells 1-5.
  // Pulling right twice gives box 4, player 5: 2 pulls × displacement 2 = score 4, the maximum.
  const rows = 3
  const cols = 7
  const room = new Uint8Array(rows * cols)
  for (let c = 1; c <= 5; c++) room[cols + c] = 1
  const base = { rows, cols, room, targets: [cols + 2], player: cols + 3, stateBudget: 1000, swapCounting: 'pulls' as const }

  it('finds the two-pull state, with its path as player moves', () => {
    const result = reversePlay({ ...base, searchDepth: 300 })
    expect(result).toMatchObject({ score: 4, displacement: 2, player: cols + 5, boxes: [cols + 4] })
    expect(result.path).toEqual([RIGHT, RIGHT])
    // Start, one pull, two pulls, the player stepping right of the once-pulled box, and the
    // player stepping right (then right again) without pulling.
    expect(result.explored).toBe(6)
  })

  it('searchDepth is gym\'s TTL: depth 3 reaches one action, depth 4 two', () => {
    expect(reversePlay({ ...base, searchDepth: 3 })).toMatchObject({ score: 1, path: [RIGHT] })
    expect(reversePlay({ ...base, searchDepth: 4 })).toMatchObject({ score: 4, path: [RIGHT, RIGHT] })
  })

  it('stateBudget caps distinct states: a budget of 2 stops after the first pull', () => {
    expect(reversePlay({ ...base, searchDepth: 300, stateBudget: 2 })).toMatchObject({ score: 1, explored: 2 })
  })

  it('"pulls" counts every pull (gym\'s code); "box-changes" counts changes of pulled box (RAGEN)', () => {
    expect(reversePlay({ ...base, searchDepth: 300, swapCounting: 'box-changes' })).toMatchObject({ score: 2 })
  })

  it('scores pulls × displacement: three pulls to the left score 3 × 3 = 9', () => {
    const left = reversePlay({ ...base, targets: [cols + 5], player: cols + 4, searchDepth: 300 })
    expect(left).toMatchObject({ score: 9, displacement: 3, player: cols + 1, boxes: [cols + 2], path: [LEFT, LEFT, LEFT] })
  })

  it('a start with no possible pull scores 0', () => {
    // Boxes on 2 and 4, player on 3 between them: the player can neither step nor pull.
    const stuck = reversePlay({ ...base, targets: [cols + 2, cols + 4], player: cols + 3, searchDepth: 300 })
    expect(stuck).toMatchObject({ score: 0, explored: 1, path: [] })
  })
})

describe('topology and placement', () => {
  it('[§4.1] the default walk length is ⌊1.7 · (rows + cols)⌋', () => {
    expect([5, 6, 7, 8, 9, 10].map((n) => defaultWalkSteps(n, n))).toEqual([17, 20, 23, 27, 30, 34])
  })

  it('carved rooms are walled, 4-connected and at most 4 cells per walk step', () => {
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 20 }), fc.integer({ min: 3, max: 20 }), fc.integer({ min: 1, max: 60 }), fc.nat(), (rows, cols, steps, seed) => {
        const room = carveRoom(rows, cols, steps, rngFor(seed))
        const floor = [...room.keys()].filter((i) => room[i] === 1)
        for (const i of floor) {
          const r = Math.floor(i / cols)
          const c = i % cols
          expect(r > 0 && r < rows - 1 && c > 0 && c < cols - 1).toBe(true)
        }
        expect(floor.length).toBeLessThanOrEqual(4 * steps)
        if (floor.length === 0) return
        const seen = new Set([floor[0]])
        const stack = [floor[0]]
        while (stack.length > 0) {
          const i = stack.pop() as number
          for (const d of [1, 2, 3, 4] as const) {
            const n = i + cellDelta(d, cols)
            if (room[n] === 1 && !seen.has(n)) {
              seen.add(n)
              stack.push(n)
            }
          }
        }
        expect(seen.size).toBe(floor.length)
      }),
      { numRuns: 200 },
    )
  })

  it('placement puts the player and targets on distinct floor cells, or refuses with < boxes + 2 cells', () => {
    const room = new Uint8Array(16)
    room[5] = room[6] = room[9] = 1
    expect(placePlayerAndTargets(room, 16, 2, rngFor(1))).toBeNull()
    const placed = placePlayerAndTargets(room, 16, 1, rngFor(1))
    expect(placed).not.toBeNull()
    const cells = [placed!.player, ...placed!.targets]
    expect(new Set(cells).size).toBe(2)
    for (const c of cells) expect(room[c]).toBe(1)
  })
})

describe('state set', () => {
  it('keeps exact integer keys below 2^53 in both the direct and the hashed table', () => {
    const set = new StateSet()
    for (const space of [1000, 2 ** 40]) {
      set.reset(space)
      const keys = Array.from({ length: 600 }, (_, i) => (space === 1000 ? (i * 7) % 1000 : i * 1_000_003 + 2 ** 39))
      for (const k of keys) expect(set.add(k)).toBe(true)
      for (const k of keys) expect(set.add(k)).toBe(false)
      expect(set.size).toBe(600)
      // After a reset the same keys are new again; the hashed table grew past its first size.
      set.reset(space)
      for (const k of keys.slice(0, 10)) expect(set.add(k)).toBe(true)
    }
    set.reset(2 ** 52)
    for (let i = 0; i < 20_000; i++) set.add(Number.MAX_SAFE_INTEGER - i)
    expect(set.size).toBe(20_000)
    expect(set.add(Number.MAX_SAFE_INTEGER - 19_999)).toBe(false)
  })
})

describe('difficulty filters use the move-optimal BFS', () => {
  it('computeOptimal reports the BFS optimum, never above the reverse plan', () => {
    for (const g of generateLevels({ ...SIX_TWO, computeOptimal: true }, 21, 15)) {
      const bfs = solveBfs(g.level)
      expect(bfs.status).toBe('solved')
      expect(g.optimalMoves).toBe(bfs.plan.length)
      expect(g.optimalMoves!).toBeLessThanOrEqual(g.reverseMoves.length)
    }
  })

  it('minOptimalMoves and maxOptimalMoves hold for every level', () => {
    for (const g of generateLevels({ ...SIX_TWO, minOptimalMoves: 10 }, 3, 8)) {
      expect(g.optimalMoves!).toBeGreaterThanOrEqual(10)
      expect(solveBfs(g.level).plan.length).toBe(g.optimalMoves)
    }
    for (const g of generateLevels({ rows: 7, cols: 7, boxes: 1, maxOptimalMoves: 6 }, 3, 8)) {
      expect(g.optimalMoves!).toBeLessThanOrEqual(6)
      expect(solveBfs(g.level).plan.length).toBe(g.optimalMoves)
    }
    for (const g of generateLevels({ rows: 6, cols: 6, boxes: 1, minOptimalMoves: 5, maxOptimalMoves: 5 }, 3, 5)) {
      expect(solveBfs(g.level).plan.length).toBe(5)
    }
  })

  it('rejectTrivial drops levels solvable in at most one move per box', () => {
    const config = { rows: 6, cols: 6, boxes: 1, playerWalk: false }
    const plain = generateLevels({ ...config, computeOptimal: true }, 4, 60)
    expect(plain.some((g) => g.optimalMoves! <= 1)).toBe(true)
    for (const g of generateLevels({ ...config, rejectTrivial: true }, 4, 60)) {
      expect(g.optimalMoves!).toBeGreaterThan(1)
    }
  })
})

describe('configs and failures', () => {
  it('fills gym-sokoban\'s defaults', () => {
    expect(validateGeneratorConfig({ rows: 10, cols: 10, boxes: 3 })).toMatchObject({
      walkSteps: 34,
      searchDepth: DEFAULT_SEARCH_DEPTH,
      stateBudget: DEFAULT_STATE_BUDGET,
      playerWalk: true,
      swapCounting: 'pulls',
    })
    expect([DEFAULT_SEARCH_DEPTH, DEFAULT_STATE_BUDGET]).toEqual([300, 300_000])
  })

  it('[§11] 4×4 with 3 boxes fails at once, saying why', () => {
    expect(() => generateLevel({ rows: 4, cols: 4, boxes: 3 }, 0, 0)).toThrow(
      /4×4 with 3 boxes has at most 4 interior cells; need ≥ boxes \+ 2 = 5 floor cells/,
    )
  })

  it.each([
    [{ rows: 2, cols: 6, boxes: 1 }, /rows must be an integer from 3 to 64; got 2/],
    [{ rows: 6, cols: 65, boxes: 1 }, /cols must be an integer from 3 to 64; got 65/],
    [{ rows: 6, cols: 6, boxes: 0 }, /boxes must be an integer from 1/],
    [{ rows: 6, cols: 6, boxes: 1.5 }, /boxes must be an integer/],
    [{ rows: 6, cols: 6, boxes: 1, searchDepth: 2 }, /searchDepth must be an integer from 3/],
    [{ rows: 6, cols: 6, boxes: 1, stateBudget: 0 }, /stateBudget must be an integer from 1/],
    [{ rows: 6, cols: 6, boxes: 1, maxAttempts: 0 }, /maxAttempts must be an integer from 1/],
    [{ rows: 20, cols: 20, boxes: 3, walkSteps: 1 }, /walkSteps 1 carves at most 4 floor cells, but 20×20 with 3 boxes needs ≥ 5/],
    [{ rows: 6, cols: 6, boxes: 1, minOptimalMoves: 9, maxOptimalMoves: 4 }, /minOptimalMoves \(9\) is above maxOptimalMoves \(4\)/],
  ] as [GeneratorConfig, RegExp][])('rejects %o', (config, message) => {
    expect(() => validateGeneratorConfig(config)).toThrow(GenerationError)
    expect(() => validateGeneratorConfig(config)).toThrow(message)
  })

  it('an unreachable filter ends after maxAttempts with the reasons counted', () => {
    const config = { rows: 6, cols: 6, boxes: 1, minOptimalMoves: 200, maxAttempts: 7 }
    let error: unknown
    try {
      generateLevel(config, 1, 0)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(GenerationError)
    const failure = error as GenerationError
    expect(failure.message).toMatch(/Could not generate level 0 \(seed 1\) for 6×6 with 1 box: all 7 attempts failed/)
    expect(failure.message).toMatch(/minOptimalMoves/)
    expect(Object.values(failure.rejections).reduce((a, b) => a + (b ?? 0), 0)).toBe(7)
    expect(failure.config).toBe(config)
  })

  it('rejects bad seeds, indices and counts', () => {
    expect(() => generateLevel(SIX_TWO, 1.5, 0)).toThrow(/seed must be a safe integer/)
    expect(() => generateLevel(SIX_TWO, 1, -1)).toThrow(/index must be a non-negative/)
    expect(() => generateLevels(SIX_TWO, 1, -2)).toThrow(/count must be a non-negative integer/)
    expect(generateLevels(SIX_TWO, 1, 0)).toEqual([])
  })
})
