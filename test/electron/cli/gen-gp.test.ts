// `sftbench gen gp`, run in-process: text and JSON output, seeding, options, and exit codes.
import { describe, expect, it } from 'vitest'
import { runCli, type CliRun } from '../../harness/cli.ts'

function run(...argv: string[]): Promise<CliRun> {
  return runCli(['gen', 'gp', ...argv])
}

const CARD = '(A|[2-9]|1[0-9]|J|Q|K)'

describe('sftbench gen gp', () => {
  it('prints one hand per line as "2 7 Q 2  -> values 2 7 10 2"', async () => {
    const { code, out } = await run('--cards', '4', '--count', '5', '--seed', '3', '--rule', 'all_10', '--ood', 'face')
    expect(code).toBe(0)
    const lines = out.trimEnd().split('\n')
    expect(lines).toHaveLength(5)
    for (const line of lines) {
      const m = new RegExp(`^(${CARD}(?: ${CARD}){3})  -> values (\\d+(?: \\d+){3})$`).exec(line)
      expect(m, line).not.toBeNull()
      const cards = m![1].split(' ')
      const values = m![m!.length - 1].split(' ').map(Number)
      expect(cards.some((c) => ['J', 'Q', 'K'].includes(c))).toBe(true)
      cards.forEach((c, k) => expect(values[k]).toBe(c === 'A' ? 1 : ['J', 'Q', 'K'].includes(c) ? 10 : Number(c)))
    }
  })

  it('is deterministic per seed, and --start continues the same sequence', async () => {
    const a = (await run('--count', '6', '--seed', '42')).out.split('\n')
    const b = (await run('--count', '6', '--seed', '42')).out.split('\n')
    const tail = (await run('--count', '3', '--seed', '42', '--start', '3')).out.split('\n')
    expect(b).toEqual(a)
    expect(tail.slice(0, 3)).toEqual(a.slice(3, 6))
    expect((await run('--count', '6', '--seed', '43')).out).not.toBe(a.join('\n'))
  })

  it('--json gives cards, values, target, a solution and the solution count', async () => {
    const { code, out } = await run('--cards', '4', '--count', '3', '--seed', '1', '--target', '10', '--json')
    expect(code).toBe(0)
    const hands = JSON.parse(out)
    expect(hands).toHaveLength(3)
    for (const h of hands) {
      expect(h).toMatchObject({ target: 10 })
      expect(h.cards).toHaveLength(4)
      expect(h.values).toHaveLength(4)
      expect(typeof h.solution).toBe('string')
      expect(h.solutionCount).toBeGreaterThanOrEqual(1)
      expect(h.solution.match(/\d+/g).map(Number).sort((x: number, y: number) => x - y))
        .toEqual([...h.values].sort((x: number, y: number) => x - y))
    }
  })

  it('--deck deals suited cards without repeats; --largest and --ood high deal ranks above K', async () => {
    const deck = JSON.parse((await run('--deck', '--cards', '5', '--count', '3', '--json')).out)
    for (const h of deck) {
      expect(h.suits).toHaveLength(5)
      expect(new Set(h.cards.map((c: string, k: number) => c + h.suits[k])).size).toBe(5)
    }
    const high = (await run('--ood', 'high', '--largest', '19', '--rule', 'all_10', '--count', '5')).out
    for (const line of high.trimEnd().split('\n')) expect(line).toMatch(/(^| )1[4-9] /)
  })

  it('exits 2 on bad settings and 1 when no solvable hand exists', async () => {
    expect((await run('--cards', '7')).code).toBe(2)
    const high = await run('--ood', 'high')
    expect(high.code).toBe(2)
    expect(high.err).toMatch(/'high' needs largestRank >= 14/)
    expect((await run('--ood', 'weird')).code).toBe(2)
    const impossible = await run('--cards', '2', '--target', '1000')
    expect(impossible.code).toBe(1)
    expect(impossible.err).toMatch(/no hand of 2 cards .* can make 1000/)
  })
})
