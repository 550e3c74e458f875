// Expected values: the worked trace of paper-rng.md §6 (SimpleSokoban seed 123: its Py and Np draws,
// the level and its BFS labels), the retry chain of seed 452 (paper-rng §6), the paper's text grid
// of paper-tasks.md §3.1, and structural facts stated in paper-tasks.md §3.1 / paper-rng §2.3.
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { generateRoom, defaultNumSteps, ragenReset, roomToLevel } from '../../../core/paper/ragen-generate.ts'
import { PyRandom } from '../../../core/paper/py-random.ts'
import { NpRandomState } from '../../../core/paper/np-random.ts'
import { serializeXsb } from '../../../core/sokoban/xsb.ts'
import { renderPaperGrid } from '../../../core/sokoban/text.ts'
import { GOAL, WALL } from '../../../core/sokoban/level.ts'
import { PAPER_MAX_DEPTH, paperLabels, solveBfs } from '../../../core/sokoban/solve/bfs.ts'

const SIMPLE = { rows: 6, cols: 6, numBoxes: 1 }
const TWO_BOXES = { rows: 6, cols: 6, numBoxes: 2 }

describe('generate_room draw map', () => {
  it('[paper-rng §2.1] num_gen_steps = int(1.7 * (rows + cols)): 20 for 6x6, 34 for 10x10', () => {
    expect([5, 6, 7, 8, 9, 10].map((n) => defaultNumSteps(n, n))).toEqual([17, 20, 23, 27, 30, 34])
  })

  it('[paper-rng §6] seed 123 trace: the Py and Np draws the trace lists', () => {
    // Step A reads CPython's stream from its start.
    const py = new PyRandom(123)
    expect(py.randbelow(4)).toBe(0)
    expect(1 + py.randbelow(5)).toBe(3)
    expect(1 + py.randbelow(5)).toBe(1)
    expect(String(py.random())).toMatch(/^0\.76895/)
    expect(py.randbelow(5)).toBe(2)
    expect(String(py.random())).toMatch(/^0\.10770/)
    const before = py.mt.outputs
    expect(py.randbelow(4)).toBe(0)
    expect(py.mt.outputs - before).toBe(3)
    expect(py.randbelow(5)).toBe(3)
    // Step B reads numpy's stream from its start.
    const np = new NpRandomState(123)
    expect([np.randint(5), np.randint(4)]).toEqual([2, 0])
  })

  it('[paper-rng §6] seed 123 makes the traced level, with the player walk of step F', () => {
    const py = new PyRandom(123)
    const np = new NpRandomState(123)
    const attempt = generateRoom(py, np, SIMPLE)
    expect(attempt.ok).toBe(true)
    if (!attempt.ok) return
    expect(attempt.room.tries).toBe(1)
    expect(attempt.room.playerSteps).toBe(2)
    // Placement read numpy's stream for exactly randint(5) and randint(4).
    const npTwin = new NpRandomState(123)
    expect([npTwin.randint(5), npTwin.randint(4)]).toEqual([2, 0])
    expect(np.mt.outputs).toBe(npTwin.mt.outputs)
    // Step F used the last 8 words: random() 0.52060…, randbelow(1), random() 0.37452…, randbelow(1),
    // random() 0.84734… (two words per random(), one per accepted randbelow(1)).
    const twin = new PyRandom(123)
    for (let i = 0; i < py.mt.outputs - 8; i++) twin.mt.nextUint32()
    expect(String(twin.random())).toMatch(/^0\.52060/)
    expect(twin.randbelow(1)).toBe(0)
    expect(String(twin.random())).toMatch(/^0\.37452/)
    expect(twin.randbelow(1)).toBe(0)
    expect(String(twin.random())).toMatch(/^0\.84734/)
    const level = roomToLevel(attempt.room)
    expect(serializeXsb(level)).toBe(['######', '######', '#.####', '#$@###', '#  ###', '######'].join('\n'))
    expect(paperLabels(solveBfs(level, { maxDepth: PAPER_MAX_DEPTH }))).toEqual([2, 3, 1])
  })

  it('[§3.1] seed 123 renders as the paper\'s text grid', () => {
    const { level } = ragenReset(123, SIMPLE)
    expect(renderPaperGrid(level, level.start)).toBe(
      ' # \t # \t # \t # \t # \t # \t\n # \t # \t # \t # \t # \t # \t\n # \t O \t # \t # \t # \t # \t\n' +
        ' # \t X \t P \t # \t # \t # \t\n # \t _ \t _ \t # \t # \t # \t\n # \t # \t # \t # \t # \t # \t',
    )
  })

  it('[paper-rng §6] seed 452 (TwoBoxes) fails twice and is made from 1136020095', () => {
    const made = ragenReset(452, TWO_BOXES)
    expect(made.seedChain).toEqual([452, 1548594421, 1136020095])
    expect(made.failures).toHaveLength(2)
    const direct = generateRoom(new PyRandom(1136020095), new NpRandomState(1136020095), TWO_BOXES)
    expect(direct.ok && serializeXsb(roomToLevel(direct.room))).toBe(serializeXsb(made.level))
  })

  it('reports the failure the reference raises instead of throwing it', () => {
    const tiny = generateRoom(new PyRandom(1), new NpRandomState(1), { rows: 3, cols: 3, numBoxes: 1 })
    expect(tiny).toMatchObject({ ok: false, reason: 'too-few-floor-cells' })
    expect(() => ragenReset(1, { rows: 3, cols: 3, numBoxes: 1 })).toThrow(/64 seeds in a row failed/)
    expect(() => ragenReset(1, { rows: 6, cols: 6, numBoxes: 0 })).toThrow(/numBoxes must be an integer >= 1/)
  })
})

describe('generated levels', () => {
  it('[§3.1] walled border, one goal per box, no box on a goal, player on a free cell, deterministic', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000 }), fc.constantFrom(SIMPLE, TWO_BOXES), (seed, params) => {
        const { level, seedChain } = ragenReset(seed, params)
        const { rows, cols, fixed, start } = level
        for (let r = 0; r < rows; r++) {
          for (let c = 0; c < cols; c++) {
            if ((r === 0 || c === 0 || r === rows - 1 || c === cols - 1) && fixed[r * cols + c] !== WALL) return false
          }
        }
        const goals = [...fixed].filter((v) => v === GOAL).length
        const again = ragenReset(seed, params)
        return (
          goals === params.numBoxes &&
          start.boxes.length === params.numBoxes &&
          start.boxes.every((b) => fixed[b] !== GOAL && fixed[b] !== WALL && b !== start.player) &&
          fixed[start.player] !== WALL &&
          seedChain[0] === seed &&
          serializeXsb(again.level) === serializeXsb(level)
        )
      }),
      { numRuns: 40 },
    )
  })

  it('[§4.2] the reverse search leaves every box displaced and its score positive', () => {
    const made = ragenReset(300, { rows: 10, cols: 10, numBoxes: 2 })
    expect(made.room.displacement).toBeGreaterThan(0)
    const targets = [...made.room.structure.keys()].filter((i) => made.room.structure[i] === 2)
    expect(made.room.boxMapping.map((m) => m.target)).toEqual(targets)
    expect(made.room.exploredStates).toBeLessThanOrEqual(300_000)
  })
})
