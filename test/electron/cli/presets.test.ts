// `sftbench presets`, run in-process: the table, --task, --json and exit codes.
import { describe, expect, it } from 'vitest'
import { runCli } from '../../harness/cli.ts'

describe('sftbench presets', () => {
  it('prints a table with a header and one row per preset', async () => {
    const { code, out } = await runCli(['presets'])
    expect(code).toBe(0)
    const lines = out.trimEnd().split('\n')
    expect(lines[0].split(/\s{2,}/)).toEqual(['NAME', 'TASK', 'ROLE', 'DIFFICULTY', 'SIZE', 'SEEDS', 'VARIANT'])
    const simple = lines.find((l) => l.startsWith('SimpleSokoban '))
    expect(simple?.split(/\s{2,}/)).toEqual([
      'SimpleSokoban',
      'sokoban',
      'eval',
      '6x6, 1 box',
      '100',
      'paper eval seeds 123-222 (final list)',
      'sokoban-eval-base',
    ])
    const id = lines.find((l) => l.startsWith('gp_l_id '))
    expect(id?.split(/\s{2,}/)).toEqual([
      'gp_l_id',
      'gp',
      'test',
      '4 cards, ranks 1-13, >=1 J/Q/K, target 24',
      '500',
      'paper test seeds 42-541',
      'gp-test-all_10',
    ])
    // [§11.5] TwoBoxesSokoban holds levels the reference cannot rebuild: marked "!".
    expect(lines.find((l) => l.startsWith('TwoBoxesSokoban '))).toMatch(/ 100! /)
  })

  it('--task filters by task', async () => {
    const sokoban = (await runCli(['presets', '--task', 'sokoban'])).out.trimEnd().split('\n').slice(1)
    const gp = (await runCli(['presets', '--task', 'gp'])).out.trimEnd().split('\n').slice(1)
    expect(sokoban.every((l) => l.split(/\s{2,}/)[1] === 'sokoban')).toBe(true)
    expect(gp.every((l) => l.split(/\s{2,}/)[1] === 'gp')).toBe(true)
    expect(sokoban.length).toBe(22)
    expect(gp.length).toBe(12)
  })

  it('--json lists every preset with its difficulty, size, seed scheme and non-reproducible items', async () => {
    const { code, out } = await runCli(['presets', '--json'])
    expect(code).toBe(0)
    const list = JSON.parse(out) as Record<string, unknown>[]
    expect(list).toHaveLength(34)
    const two = list.find((p) => p.name === 'TwoBoxesSokoban')
    expect(two).toMatchObject({
      task: 'sokoban',
      size: 100,
      difficulty: { task: 'sokoban', rows: 6, cols: 6, boxes: 2 },
      seedScheme: { kind: 'paper-sokoban', tag: 'TwoBoxesSokoban', list: 'final' },
      variant: 'sokoban-eval-base',
    })
    expect((two?.nonReproducible as { index: number; seed: number }[]).map((x) => [x.index, x.seed])).toEqual([
      [29, 452],
      [50, 473],
      [51, 474],
      [87, 510],
      [98, 521],
    ])
  })

  it('an unknown --task is a usage error (exit 2)', async () => {
    const { code, err } = await runCli(['presets', '--task', 'chess'])
    expect(code).toBe(2)
    expect(err).toMatch(/--task must be one of/)
  })
})
