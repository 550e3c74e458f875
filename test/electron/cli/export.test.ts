// `sftbench export`, run in-process: the paper's training set, JSON output, settings files, and exit codes.
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../../harness/cli.ts'

let root: string
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'sftbench-cli-export-'))
})
afterAll(async () => {
  await rm(root, { recursive: true, force: true })
})

describe('sftbench export', () => {
  it('[§4.4] exports the paper\'s Sokoban training set: 200 puzzles, 771 one-step rows', async () => {
    const out = join(root, 'train')
    const { code, out: text, err } = await runCli(['export', '--preset', 'sokoban_6x6_1horizon_train', '--out', out, '--kinds', 'sft,rl'])
    expect(err).toContain('export ')
    expect(code).toBe(0)
    expect(text).toContain(`Exported preset sokoban_6x6_1horizon_train (sokoban) to ${out}`)
    expect(text).toContain('  instances: 200 (train 200)\n  examples: train 771\n')
    expect(text).toMatch(/ {4}sft\/train\.parquet +771 rows/)
    const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8'))
    expect(manifest.counts.examplesBySplit).toEqual({ train: 771 })
    expect(manifest.files.map((f: { path: string }) => f.path)).toEqual([
      'sft/train.parquet', 'sft/train.jsonl', 'rl/train.parquet', 'rl/train.jsonl', 'instances.jsonl',
    ])
  })

  it('--json prints the folder and the manifest', async () => {
    const out = join(root, 'json')
    const { code, out: text } = await runCli([
      'export', '--preset', 'gp_l_train_mixed', '--count', '4', '--kinds', 'sft', '--formats', 'jsonl', '--out', out, '--json',
    ])
    expect(code).toBe(0)
    const doc = JSON.parse(text)
    expect(doc.dir).toBe(out)
    expect(doc.manifest).toMatchObject({ task: 'gp', preset: 'gp_l_train_mixed', counts: { examplesBySplit: { train: 4 } } })
    const lines = (await readFile(join(out, 'sft', 'train.jsonl'), 'utf8')).trimEnd().split('\n')
    expect(lines).toHaveLength(4)
    const first = JSON.parse(lines[0])
    expect(first.messages.map((m: { role: string }) => m.role)).toEqual(['user', 'assistant'])
    expect(first.messages[0].content.startsWith('\n[Task Description]\n')).toBe(true)
  })

  it('--settings with an export\'s manifest.json exports the same files again', async () => {
    const first = join(root, 'first')
    const second = join(root, 'second')
    expect((await runCli(['export', '--preset', 'sokoban_super_random_train', '--count', '5', '--held-out', '1', '--out', first])).code).toBe(0)
    const { code } = await runCli(['export', '--settings', join(first, 'manifest.json'), '--out', second])
    expect(code).toBe(0)
    expect(await readFile(join(second, 'manifest.json'), 'utf8')).toBe(await readFile(join(first, 'manifest.json'), 'utf8'))
  })

  it('usage mistakes exit 2 with the field named', async () => {
    const out = join(root, 'never')
    const cases: [string[], RegExp][] = [
      [['--out', out], /--preset NAME is required/],
      [['--preset', 'sokoban_6x6_1horizon_train'], /--out DIR is required/],
      [['--preset', 'SimpleSokobn', '--out', out], /Unknown preset "SimpleSokobn"\. Did you mean "SimpleSokoban"/],
      [['--preset', 'SimpleSokoban', '--kinds', 'sft,dpo', '--out', out], /options\.kinds\[1\]: Invalid option/],
      [['--preset', 'SimpleSokoban', '--held-out', 'some', '--out', out], /--held-out must be a number/],
      [['--preset', 'SimpleSokoban', '--count=2.5', '--out', out], /--count must be a whole number/],
      [['--preset', 'gp_l_id', '--rules', 'all_5', '--out', out], /rules needs a training preset/],
    ]
    for (const [args, message] of cases) {
      const run = await runCli(['export', ...args])
      expect(run.code, args.join(' ')).toBe(2)
      expect(run.err).toMatch(message)
      expect(run.err).toContain('Usage: sftbench export --preset NAME --out DIR [options]')
    }
  })

  it('an existing export is kept unless --force (exit 1 with the reason)', async () => {
    const out = join(root, 'keep')
    const args = ['export', '--preset', 'SimpleSokoban', '--count', '2', '--kinds', 'rl', '--out', out]
    expect((await runCli(args)).code).toBe(0)
    const again = await runCli(args)
    expect(again.code).toBe(1)
    expect(again.err).toMatch(/already holds an export \(manifest\.json\); pass force \(--force\)/)
    expect((await runCli([...args, '--force'])).code).toBe(0)
  })
})
