// `sftbench import`, run in-process, on files written by `sftbench export`.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../../harness/cli.ts'
import { encodeVerlParquet } from '../../../electron/services/parquet.ts'

let root: string
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'sftbench-cli-import-'))
})
afterAll(async () => {
  await rm(root, { recursive: true, force: true })
})

describe('sftbench import', () => {
  it('summarises an exported Sokoban SFT file: puzzles, plans, the variant', async () => {
    const dir = join(root, 'sokoban')
    expect((await runCli(['export', '--preset', 'sokoban_6x6_1horizon_train', '--count', '3', '--kinds', 'sft', '--formats', 'parquet', '--out', dir])).code).toBe(0)
    const { code, out } = await runCli(['import', join(dir, 'sft', 'train.parquet')])
    expect(code).toBe(0)
    expect(out).toContain('10 rows, Sokoban SFT (verl layout sokoban-sft)')
    expect(out).toContain('  instances: 3 puzzles (consecutive one-step rows joined), plans 2-5 moves, 10 labels in all')
    expect(out).toContain('    rows 0-1: ######/#@$ .#/#    #/######/######/######  plan RR')
    expect(out).toContain('    imported-1: template sokoban-single-action, chat raw qwen-instruct, shown base, accepted shown, parser training-reward')
    expect(out).toContain('  problems: 0')
  })

  it('--json lists General Points hands with their rules', async () => {
    const dir = join(root, 'gp')
    expect((await runCli(['export', '--preset', 'gp_l_all_5_fake', '--count', '3', '--kinds', 'rl', '--formats', 'parquet', '--out', dir])).code).toBe(0)
    const { code, out } = await runCli(['import', join(dir, 'rl', 'train.parquet'), '--json'])
    expect(code).toBe(0)
    const doc = JSON.parse(out)
    expect(doc).toMatchObject({ task: 'gp', kind: 'rl', layout: 'gp-rl', rows: 3, columns: ['data_source', 'question', 'extra_info'] })
    expect(doc.instances[0]).toMatchObject({ task: 'gp', rule: { shown: 'all_5', scored: 'all_10' }, target: 24 })
  })

  it("[§7.5] names the paper's per-row word draw as the shown vocabulary of a diverse export", async () => {
    const dir = join(root, 'words')
    const args = ['export', '--preset', 'sokoban_6x6_1horizon_train', '--count', '2', '--vocabulary', 'paper-words']
    expect((await runCli([...args, '--kinds', 'sft', '--formats', 'parquet', '--out', dir])).code).toBe(0)
    const { code, out } = await runCli(['import', join(dir, 'sft', 'train.parquet')])
    expect(code).toBe(0)
    expect(out).toContain("shown paper-words (the paper's per-row draw), accepted shown")
  })

  it('a parquet file none of whose rows can be read exits 1 and lists each row', async () => {
    const path = join(root, 'unreadable.parquet')
    const row = {
      data_source: 'sokoban',
      prompt: 'Write a poem about boxes.',
      response: '<answer>Up</answer>',
      ability: 'bfs',
      reward_model: { style: 'rule', ground_truth: [1] },
      extra_info: { split: 'train', index: 0 },
    }
    await writeFile(path, encodeVerlParquet([row, { ...row, extra_info: { split: 'train', index: 1 } }], 'sokoban-sft'))
    const { code, out } = await runCli(['import', path])
    expect(code).toBe(1)
    expect(out).toContain('  problems: 2\n')
    expect(out).toMatch(/row 0: .*not a Sokoban prompt/)
    expect(out).toMatch(/row 1: .*not a Sokoban prompt/)
  })

  it('a file that is not parquet exits 1 naming it; no file exits 2', async () => {
    const path = join(root, 'not.parquet')
    await writeFile(path, 'plain text')
    const bad = await runCli(['import', path])
    expect(bad.code).toBe(1)
    expect(bad.err).toMatch(/not\.parquet is not a readable parquet file/)
    expect((await runCli(['import'])).code).toBe(2)
  })
})
