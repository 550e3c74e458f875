// `sftbench contamination`, run in-process: the paper's own train/eval overlap, a General Points
// check, and exit codes.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../../harness/cli.ts'

let root: string
let train: string
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'sftbench-cli-contamination-'))
  train = join(root, 'train')
  const run = await runCli(['export', '--preset', 'sokoban_6x6_1horizon_train', '--kinds', 'rl', '--formats', 'parquet', '--out', train])
  if (run.code !== 0) throw new Error(run.err)
})
afterAll(async () => {
  await rm(root, { recursive: true, force: true })
})

describe('sftbench contamination', () => {
  it('[§4.5][§11.3] SimpleSokoban (seeds 123-222) is 100 of 100 inside the training set (seeds 42-241)', async () => {
    const { code, out } = await runCli(['contamination', train, '--preset', 'SimpleSokoban', '--json'])
    expect(code).toBe(0)
    const report = JSON.parse(out)
    expect(report).toMatchObject({ preset: 'SimpleSokoban', exportPreset: 'sokoban_6x6_1horizon_train', total: 100, overlap: 100 })
    expect(report.ids).toEqual(Array.from({ length: 100 }, (_, i) => `SimpleSokoban/${i}`))
    // Eval level i is seed 123 + i, the start of training puzzle seed 123 + i.
    report.matches.forEach((m: { evalId: string; trainIds: string[] }, i: number) => {
      expect(m.trainIds).toContain(`paper-seed/${123 + i}/6x6-1@0`)
    })
    const text = await runCli(['contamination', train, '--preset', 'SimpleSokoban', '--list', '2'])
    expect(text.out).toMatch(/^SimpleSokoban: 100 of 100 eval instances \(100\.0%\) occur in the train data of /)
    expect(text.out).toContain('  SimpleSokoban/0 = paper-seed/123/6x6-1@0\n')
    expect(text.out).toContain('  … 98 more')
  })

  it('the difficulty tags do not overlap the 6x6 one-box training set', async () => {
    for (const preset of ['LargerSokoban', 'TwoBoxesSokoban']) {
      const report = JSON.parse((await runCli(['contamination', train, '--preset', preset, '--json'])).out)
      expect(report).toMatchObject({ total: 100, overlap: 0, ids: [] })
    }
  })

  it('--fail-on-overlap exits 1 when something overlaps', async () => {
    expect((await runCli(['contamination', train, '--preset', 'SimpleSokoban', '--fail-on-overlap'])).code).toBe(1)
    expect((await runCli(['contamination', train, '--preset', 'LargerSokoban', '--fail-on-overlap'])).code).toBe(0)
  })

  it('General Points: the same hands under another face-card rule are not the same problem', async () => {
    const gp = join(root, 'gp')
    expect((await runCli(['export', '--preset', 'gp_l_id', '--count', '20', '--kinds', 'rl', '--formats', 'parquet', '--out', gp])).code).toBe(0)
    const same = JSON.parse((await runCli(['contamination', gp, '--preset', 'gp_l_id', '--json'])).out)
    expect(same.total).toBe(500)
    for (let i = 0; i < 20; i++) expect(same.ids).toContain(`gp_l_id/${i}`)
    // gp_l_fake deals the same ranks for most tasks but shows J/Q/K as 11/12/13 and scores 10.
    const fake = JSON.parse((await runCli(['contamination', gp, '--preset', 'gp_l_fake', '--json'])).out)
    expect(fake).toMatchObject({ total: 500, overlap: 0 })
  })

  it('mistakes: task mismatch and missing arguments exit 2; a broken export exits 1 naming the file', async () => {
    const mismatch = await runCli(['contamination', train, '--preset', 'gp_l_id'])
    expect(mismatch.code).toBe(2)
    expect(mismatch.err).toMatch(/The export holds Sokoban data but preset gp_l_id is General Points/)
    expect((await runCli(['contamination', '--preset', 'SimpleSokoban'])).code).toBe(2)
    expect((await runCli(['contamination', train])).code).toBe(2)
    const noTest = await runCli(['contamination', train, '--preset', 'SimpleSokoban', '--split', 'test'])
    expect(noTest.code).toBe(2)
    expect(noTest.err).toMatch(/The export has no test split \(it has train\)/)
    const badSplit = await runCli(['contamination', train, '--preset', 'SimpleSokoban', '--split', 'eval'])
    expect(badSplit.code).toBe(2)
    expect(badSplit.err).toMatch(/--split must be one of train, test, all; got "eval"/)
    const missing = await runCli(['contamination', join(root, 'absent'), '--preset', 'SimpleSokoban'])
    expect(missing.code).toBe(1)
    expect(missing.err).toMatch(/Export folder not found/)
    const path = join(train, 'instances.jsonl')
    const original = await readFile(path, 'utf8')
    await writeFile(path, original.replace('paper-seed/42/', 'paper-seed/43/'))
    const tampered = await runCli(['contamination', train, '--preset', 'SimpleSokoban'])
    expect(tampered.code).toBe(1)
    expect(tampered.err).toMatch(/instances\.jsonl does not match the manifest/)
    await writeFile(path, original)
  })
})
