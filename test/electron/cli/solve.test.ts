// `sftbench solve`, run in-process: printed plans must actually solve their levels, and the exit
// codes follow the CLI contract (0 all solved or proved, 1 gave up / unreadable, 2 usage).
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { main } from '../../../electron/cli/main.ts'
import { captureIo } from '../../../electron/cli/io.ts'
import { parseXsb } from '../../../core/sokoban/xsb.ts'
import { applyMove } from '../../../core/sokoban/rules.ts'
import { isSolved, type Level } from '../../../core/sokoban/level.ts'
import { parseLurd } from '../../../core/sokoban/solve/index.ts'

const dir = mkdtempSync(path.join(tmpdir(), 'sftbench-solve-'))

function file(name: string, text: string): string {
  const full = path.join(dir, name)
  writeFileSync(full, text)
  return full
}

/** Replays LURD text on a level and says whether it ends solved, with its push count. */
function replay(level: Level, lurd: string): { solved: boolean; pushes: number } {
  let state = level.start
  let pushes = 0
  for (const move of parseLurd(lurd)) {
    const outcome = applyMove(level, state, move)
    if (outcome.pushedFrom !== null) pushes++
    state = outcome.state
  }
  return { solved: isSolved(level, state), pushes }
}

const TWO_LEVELS = [
  '; first',
  '#######',
  '#     #',
  '#.@$  #',
  '#     #',
  '#######',
  '',
  '; second',
  '######',
  '#  . #',
  '#    #',
  '#  $ #',
  '#@   #',
  '######',
  '',
].join('\n')

const UNSOLVABLE = ['; stuck', '#####', '#$ .#', '#  @#', '#####', ''].join('\n')

// Three boxes in an open room: easy, but more than one expansion.
const HARDER = ['; harder', '########', '#      #', '# $$$  #', '#   @  #', '# ...  #', '########', ''].join('\n')

describe('sftbench solve', () => {
  it('prints a LURD plan per level that solves it, with counts and search effort; exit 0', async () => {
    const io = captureIo()
    const levelFile = file('two.xsb', TWO_LEVELS)
    expect(await main(['solve', levelFile], io)).toBe(0)
    const levels = parseXsb(TWO_LEVELS)
    const plans = [...io.out.matchAll(/^ {2}([udlrUDLR]+)$/gm)].map((m) => m[1])
    expect(plans).toHaveLength(2)
    plans.forEach((plan, i) => expect(replay(levels[i], plan).solved, plan).toBe(true))
    expect(io.out).toMatch(/Level 1 \(; first\): solved in 6 moves, 2 pushes/)
    expect(io.out).toMatch(/Level 2 \(; second\): solved in 4 moves, 2 pushes/)
    expect(io.out).toContain('rrUU')
    expect(io.out).toMatch(/search: \d+ expanded, \d+ generated, \d+ deadlocks pruned, [\d.]+ m?s/)
    expect(io.out).toContain('2 levels: 2 solved, 0 proved unsolvable, 0 gave up')
  })

  it('solves only --level N, and --optimal moves gives the fewest moves', async () => {
    const io = captureIo()
    expect(await main(['solve', file('two.xsb', TWO_LEVELS), '--level', '1', '--optimal', 'moves'], io)).toBe(0)
    expect(io.out).toMatch(/^Level 1 \(; first\): solved in 6 moves, 2 pushes\n {2}urrdLL\n/)
    expect(io.out).not.toContain('Level 2')
  })

  it('says "no solution" for a proved-unsolvable level and still exits 0', async () => {
    const io = captureIo()
    expect(await main(['solve', file('stuck.xsb', UNSOLVABLE)], io)).toBe(0)
    expect(io.out).toContain('Level 1 (; stuck): no solution (proved)')
  })

  it('says "gave up (node limit …)" and exits 1 when the node limit is hit', async () => {
    const io = captureIo()
    expect(await main(['solve', file('harder.xsb', HARDER), '--max-nodes', '1'], io)).toBe(1)
    expect(io.out).toMatch(/Level 1 \(; harder\): gave up \(node limit/)
  })

  it('prints one JSON document with --json', async () => {
    const io = captureIo()
    const levelFile = file('mixed.xsb', `${TWO_LEVELS}\n${UNSOLVABLE}`)
    expect(await main(['solve', levelFile, '--json'], io)).toBe(0)
    const doc = JSON.parse(io.out)
    expect(doc.optimal).toBe('pushes')
    expect(doc.summary).toEqual({ levels: 3, solved: 2, unsolvable: 1, gaveUp: 0 })
    expect(doc.levels.map((l: { status: string }) => l.status)).toEqual(['solved', 'solved', 'unsolvable'])
    expect(doc.levels[1]).toMatchObject({ level: 2, title: '; second', lurd: 'rrUU', moveCount: 4, pushCount: 2 })
    expect(doc.levels[0].stats.expanded).toBeGreaterThan(0)
    const levels = parseXsb(TWO_LEVELS)
    expect(replay(levels[0], doc.levels[0].lurd)).toEqual({ solved: true, pushes: 2 })
  })

  it('shows progress on stderr for files with many levels, never on stdout', async () => {
    const io = captureIo()
    const many = Array.from({ length: 6 }, (_, i) => TWO_LEVELS.replace('; first', `; n${i}`)).join('\n')
    expect(await main(['solve', file('many.xsb', many), '--json'], io)).toBe(0)
    expect(JSON.parse(io.out).summary.solved).toBe(12)
    expect(io.err).toContain('12/12 solved')
  })

  it('exits 1 with line:column when the file does not parse, and when it cannot be read', async () => {
    const io = captureIo()
    const bad = file('bad.xsb', '#####\n#@$.#\n#####\n#x  #\n')
    expect(await main(['solve', bad], io)).toBe(1)
    expect(io.err).toMatch(/bad\.xsb:\d+:\d+: /)
    const missing = captureIo()
    expect(await main(['solve', path.join(dir, 'no-such-file.xsb')], missing)).toBe(1)
    expect(missing.err).toMatch(/cannot read .*no-such-file\.xsb: ENOENT/)
  })

  it('exits 2 on usage errors', async () => {
    const levelFile = file('two.xsb', TWO_LEVELS)
    const cases: string[][] = [
      ['solve'],
      ['solve', levelFile, levelFile],
      ['solve', levelFile, '--optimal', 'boxes'],
      ['solve', levelFile, '--level', '3'],
      ['solve', levelFile, '--level', 'x'],
      ['solve', levelFile, '--max-nodes', '0'],
      ['solve', levelFile, '--time-limit', 'soon'],
      ['solve', levelFile, '--time-limit', '-1'],
    ]
    for (const argv of cases) {
      const io = captureIo()
      expect(await main(argv, io), argv.join(' ')).toBe(2)
      expect(io.err, argv.join(' ')).toContain('Usage: sftbench solve')
    }
  })
})
