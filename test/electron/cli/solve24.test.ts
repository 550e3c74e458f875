// `sftbench solve24`, run in-process: output lines, --all, --json, --target, --rule, and exit codes.
import { describe, expect, it } from 'vitest'
import { runCli, type CliRun } from '../../harness/cli.ts'

function run(...argv: string[]): Promise<CliRun> {
  return runCli(['solve24', ...argv])
}

describe('sftbench solve24', () => {
  it('prints 8/(3-8/3) for 3 3 8 8 and exits 0', async () => {
    expect(await run('3', '3', '8', '8')).toEqual({ code: 0, out: '8/(3-8/3)\n', err: '' })
  })

  it('prints "no solution" for 1 1 1 1 and still exits 0', async () => {
    expect(await run('1', '1', '1', '1')).toMatchObject({ code: 0, out: 'no solution\n' })
    expect(await run('1', '1', '1', '1', '--all')).toMatchObject({ code: 0, out: 'no solution\n' })
  })

  it('--all prints every distinct solution on its own line', async () => {
    const { code, out } = await run('1', '2', '3', '--all', '--target', '6')
    expect(code).toBe(0)
    expect(out).toBe('3*2*1\n3*2/1\n3+2+1\n')
  })

  it('--json prints solvable and solutions (and count with --all)', async () => {
    const one = JSON.parse((await run('3', '3', '8', '8', '--json')).out)
    expect(one).toMatchObject({ solvable: true, solutions: ['8/(3-8/3)'] })
    expect(one.count).toBeUndefined()
    const none = JSON.parse((await run('1', '1', '1', '1', '--json', '--all')).out)
    expect(none).toMatchObject({ solvable: false, solutions: [], count: 0 })
  })

  it('reads A/J/Q/K with the rule (default J/Q/K = 11/12/13) and numbers as values', async () => {
    // K Q with 11/12/13: 13 and 12; 13+12-1 = 24 needs an A.
    expect(JSON.parse((await run('K', 'Q', 'A', '--json')).out).values).toEqual([13, 12, 1])
    expect(JSON.parse((await run('k', 'q', 'j', '--rule', 'all_10', '--json')).out).values).toEqual([10, 10, 10])
    expect(JSON.parse((await run('J', '11', '--rule', '5', '--json')).out).values).toEqual([5, 11])
    expect((await run('Q', 'Q', '--rule', 'all_12')).out).toBe('12+12\n')
  })

  it('uses --target, including a negative one written --target=-5', async () => {
    expect((await run('2', '7', '--target', '14')).out).toBe('7*2\n')
    expect((await run('2', '7', '--target=-5')).out).toBe('2-7\n')
  })

  it('exits 2 on one card, seven cards, a non-card or a bad option value', async () => {
    expect((await run('5')).code).toBe(2)
    expect((await run('1', '2', '3', '4', '5', '6', '7')).code).toBe(2)
    const z = await run('1', '2', 'Z', '4')
    expect(z.code).toBe(2)
    expect(z.err).toMatch(/card 3 \("Z"\) is not a card/)
    expect((await run('1', '2', '--rule', 'bogus')).code).toBe(2)
    expect((await run('1', '2', '--target', 'x')).code).toBe(2)
    expect((await run('1', '2', '--frob')).code).toBe(2)
  })
})
