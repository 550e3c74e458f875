// `sftbench gen sokoban`, run in-process: the three output formats read back to the generator's
// own levels, seeding and --start, filters, and the exit codes of the CLI contract
// (0 ok, 1 generation failed, 2 usage).
import { describe, expect, it } from 'vitest'
import { generateLevel } from '../../../core/sokoban/generate.ts'
import { parseXsb, parseXsbLevel, serializeXsb } from '../../../core/sokoban/xsb.ts'
import { parsePaperGrid } from '../../../core/sokoban/text.ts'
import { applyMove } from '../../../core/sokoban/rules.ts'
import { GOAL, isSolved, type Level } from '../../../core/sokoban/level.ts'
import { parseLurd, solveBfs } from '../../../core/sokoban/solve/index.ts'
import { runCli, type CliRun } from '../../harness/cli.ts'

function run(...argv: string[]): Promise<CliRun> {
  return runCli(['gen', 'sokoban', ...argv])
}

function solves(level: Level, lurd: string): boolean {
  let state = level.start
  for (const move of parseLurd(lurd)) state = applyMove(level, state, move).state
  return isSolved(level, state)
}

describe('sftbench gen sokoban', () => {
  it('writes a multi-level XSB file titled "; <seed>-<i>", the generator\'s levels in order', async () => {
    const { code, out, err } = await run('--size', '7x8', '--boxes', '2', '--count', '4', '--seed', '9')
    expect(code).toBe(0)
    expect(err).toBe('')
    const levels = parseXsb(out)
    expect(levels.map((l) => l.title)).toEqual(['; 9-0', '; 9-1', '; 9-2', '; 9-3'])
    levels.forEach((level, i) => {
      expect(serializeXsb(level)).toBe(serializeXsb(generateLevel({ rows: 7, cols: 8, boxes: 2 }, 9, i).level))
      expect(level.start.boxes).toHaveLength(2)
    })
    expect(out.endsWith('#\n')).toBe(true)
  })

  it('is deterministic, and --start continues the same sequence', async () => {
    const all = parseXsb((await run('--count', '5', '--seed', '3')).out)
    expect(parseXsb((await run('--count', '5', '--seed', '3')).out)).toEqual(all)
    const tail = parseXsb((await run('--count', '2', '--seed', '3', '--start', '3')).out)
    expect(tail).toEqual(all.slice(3))
    const other = (await run('--count', '5', '--seed', '4')).out
    expect(parseXsb(other).map((l) => serializeXsb(l))).not.toEqual(all.map((l) => serializeXsb(l)))
  })

  it('[§3.1] --format paper prints the paper\'s tab-separated grids, separated by a blank line', async () => {
    const { code, out } = await run('--format', 'paper', '--count', '3', '--seed', '2', '--boxes', '2')
    expect(code).toBe(0)
    expect(out.endsWith('\t\n')).toBe(true)
    const blocks = out.slice(0, -1).split('\n\n')
    expect(blocks).toHaveLength(3)
    blocks.forEach((block, i) => {
      for (const row of block.split('\n')) expect(row).toMatch(/^( [#_OX√PS] \t){6}$/)
      const expected = generateLevel({ rows: 6, cols: 6, boxes: 2 }, 2, i).level
      const read = parsePaperGrid(block)
      expect(read.fixed).toEqual(expected.fixed)
      expect(read.start).toEqual(expected.start)
    })
  })

  it('--format json gives the board, the optimal move count and a LURD solution per level', async () => {
    const { code, out } = await run('--size', '8x8', '--boxes', '2', '--count', '3', '--seed', '5', '--start', '10', '--json')
    expect(code).toBe(0)
    const records = JSON.parse(out)
    expect(records).toHaveLength(3)
    records.forEach((r: Record<string, unknown>, k: number) => {
      expect(r).toMatchObject({ index: 10 + k, seed: 5, rows: 8, cols: 8, boxes: 2 })
      const level = parseXsbLevel(r.xsb as string)
      expect(solveBfs(level).plan.length).toBe(r.optimalMoves)
      expect(solves(level, r.reverseMoves as string)).toBe(true)
      expect((r.reverseMoves as string).length).toBeGreaterThanOrEqual(r.optimalMoves as number)
    })
    expect(JSON.parse((await run('--size', '8x8', '--boxes', '2', '--count', '3', '--seed', '5', '--start', '10', '--format', 'json')).out))
      .toEqual(records)
  })

  it('--min-moves and --max-moves filter on the optimal solution length', async () => {
    const hard = JSON.parse((await run('--boxes', '2', '--count', '4', '--min-moves', '9', '--json')).out)
    for (const r of hard) expect(r.optimalMoves).toBeGreaterThanOrEqual(9)
    const easy = JSON.parse((await run('--size', '7x7', '--count', '4', '--max-moves', '5', '--json')).out)
    for (const r of easy) expect(r.optimalMoves).toBeLessThanOrEqual(5)
    // Filters also work without JSON output: the XSB levels are the same ones.
    const text = parseXsb((await run('--boxes', '2', '--count', '4', '--min-moves', '9')).out)
    expect(text.map((l) => serializeXsb(l))).toEqual(hard.map((r: { xsb: string }) => r.xsb))
  })

  it('--no-player-walk, --search-depth, --state-budget, --walk-steps and --candidates reach the generator', async () => {
    const argv = ['--size', '7x7', '--boxes', '2', '--seed', '1', '--count', '3', '--no-player-walk', '--search-depth', '30',
      '--state-budget', '5000', '--walk-steps', '15', '--candidates', '1']
    const levels = parseXsb((await run(...argv)).out)
    const config = { rows: 7, cols: 7, boxes: 2, playerWalk: false, searchDepth: 30, stateBudget: 5000, walkSteps: 15, candidates: 1 }
    levels.forEach((level, i) => {
      expect(serializeXsb(level)).toBe(serializeXsb(generateLevel(config, 1, i).level))
      expect(level.fixed[level.start.player]).not.toBe(GOAL)
    })
  })

  it.each([
    [['--size', '6by6'], /--size must look like 6x6/],
    [['--size', '4x4', '--boxes', '3'], /4×4 with 3 boxes has at most 4 interior cells; need ≥ boxes \+ 2 = 5/],
    [['--size', '70x6'], /rows must be an integer from 3 to 64; got 70/],
    [['--format', 'csv'], /--format must be one of xsb, paper, json/],
    [['--json', '--format', 'paper'], /--json contradicts --format paper/],
    [['--count', '0'], /--count must be between 1/],
    [['--boxes', 'two'], /--boxes must be an integer/],
    [['--min-moves', '9', '--max-moves', '3'], /minOptimalMoves \(9\) is above maxOptimalMoves \(3\)/],
    [['--search-depth', '2'], /--search-depth must be between 3/],
    [['--bogus'], /Unknown option '--bogus'/],
  ])('usage error %j exits 2 with the reason and the usage line', async (argv, message) => {
    const { code, out, err } = await run(...argv)
    expect(code).toBe(2)
    expect(out).toBe('')
    expect(err).toMatch(message)
    expect(err).toMatch(/Usage: sftbench gen sokoban/)
  })

  it('an unreachable filter fails with exit 1, saying how many attempts failed and why', async () => {
    const { code, out, err } = await run('--min-moves', '300', '--max-attempts', '3')
    expect(code).toBe(1)
    expect(out).toBe('')
    expect(err).toMatch(/all 3 attempts failed \(3 were shorter than minOptimalMoves\)/)
  })

  it('shows in the command list and has help', async () => {
    const list = await runCli(['--help'])
    expect(list.code).toBe(0)
    expect(list.out).toMatch(/gen sokoban\s+Generate seeded Sokoban levels/)
    const help = await run('--help')
    expect(help.code).toBe(0)
    expect(help.out).toMatch(/--search-depth D/)
  })
})
