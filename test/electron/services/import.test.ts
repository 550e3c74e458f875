import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { brotliCompressSync, gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { importedInstanceKey, type ImportedGpInstance, type ImportedSokobanInstance } from '../../../core/dataset/import.ts'
import type { SokobanSftRow } from '../../../core/dataset/verl.ts'
import { instanceKey, instancesOf, type GpInstance, type SokobanInstance } from '../../../core/experiment/index.ts'
import { serializeXsb } from '../../../core/sokoban/xsb.ts'
import { exportDataset } from '../../../electron/services/export.ts'
import { importPaperParquet } from '../../../electron/services/import.ts'
import { encodeVerlParquet, readParquetRows } from '../../../electron/services/parquet.ts'

let root: string
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'sftbench-import-'))
})
afterAll(async () => {
  await rm(root, { recursive: true, force: true })
})

function sameSokoban(imported: readonly unknown[], original: readonly SokobanInstance[]): void {
  expect(imported).toHaveLength(original.length)
  imported.forEach((x, i) => {
    const got = x as ImportedSokobanInstance
    expect(serializeXsb(got.level)).toBe(serializeXsb(original[i].level))
    expect(got.optimalPlan).toEqual(original[i].optimalPlan)
    expect(importedInstanceKey(got)).toBe(instanceKey(original[i]))
  })
}

describe('round trip: export, then import [§9.1]', () => {
  it('Sokoban one-step SFT and RL files give back the puzzles, their plans and the variant', async () => {
    const dir = join(root, 'sokoban')
    const { built } = await exportDataset({ preset: 'sokoban_6x6_1horizon_train', count: 30, kinds: ['sft', 'rl'], formats: ['parquet'] }, dir)
    const original = instancesOf(built.instanceSet) as SokobanInstance[]
    for (const file of ['sft/train.parquet', 'rl/train.parquet']) {
      const { dataset } = await importPaperParquet(join(dir, file))
      expect(dataset).toMatchObject({ task: 'sokoban', problems: [], rows: built.counts.examplesBySplit.train })
      sameSokoban(dataset.instances, original)
      expect(dataset.variants).toEqual([
        {
          name: 'imported-1',
          task: 'sokoban',
          template: 'sokoban-single-action',
          chat: { mode: 'raw', wrapper: 'qwen-instruct' },
          vocabulary: { shown: 'base', accepted: 'shown' },
          renderer: 'paper',
          parser: 'training-reward',
        },
      ])
      expect(dataset.kind).toBe(file.startsWith('sft') ? 'sft' : 'rl')
    }
  })

  it('[§7.5] the diverse set is recognised as the paper\'s per-row word draw', async () => {
    const dir = join(root, 'words')
    const { built } = await exportDataset({ preset: 'sokoban_super_random_train', count: 12, kinds: ['sft'], formats: ['parquet'] }, dir)
    const { dataset } = await importPaperParquet(join(dir, 'sft/train.parquet'))
    sameSokoban(dataset.instances, instancesOf(built.instanceSet) as SokobanInstance[])
    expect(dataset.variants.map((v) => v.task === 'sokoban' && v.vocabulary.shown)).toEqual([{ kind: 'paper-words' }])
    expect(dataset.notes[0]).toMatch(/^All \d+ rows with their own word vocabulary show the paper's per-row draw/)
  })

  it('[§7.1][§11.2] eval prompts come back with the eval template (stray backslash) and their vocabulary', async () => {
    const dir = join(root, 'eval')
    const { built } = await exportDataset({ preset: 'SimpleSokobanNumerical', count: 5, kinds: ['rl'], formats: ['parquet'] }, dir)
    const { dataset } = await importPaperParquet(join(dir, 'rl/train.parquet'))
    sameSokoban(dataset.instances, instancesOf(built.instanceSet) as SokobanInstance[])
    expect(dataset.variants).toHaveLength(1)
    expect(dataset.variants[0]).toMatchObject({ template: 'sokoban-eval', vocabulary: { shown: 'numerical' }, parser: 'paper-eval' })
  })

  it('whole-plan rows come back as one puzzle each, with the multi-action template', async () => {
    const dir = join(root, 'plan')
    const { built } = await exportDataset(
      { preset: 'sokoban_6x6_1horizon_train', count: 8, kinds: ['sft'], formats: ['parquet'], sokobanExamples: 'whole-plan' },
      dir,
    )
    const { dataset } = await importPaperParquet(join(dir, 'sft/train.parquet'))
    sameSokoban(dataset.instances, instancesOf(built.instanceSet) as SokobanInstance[])
    expect(new Set(dataset.variants.map((v) => v.template))).toEqual(new Set(['sokoban-multi-action']))
  })

  it('[§6.1][§6.3] General Points hands come back with cards, rules, values and the stored solutions', async () => {
    const dir = join(root, 'gp')
    const { built } = await exportDataset({ preset: 'gp_l_train_mixed', rules: ['all_8', 'mixed_8_9_10'], perRule: 6, kinds: ['sft', 'rl'], formats: ['parquet'] }, dir)
    const original = instancesOf(built.instanceSet) as GpInstance[]
    for (const file of ['sft/train.parquet', 'rl/train.parquet']) {
      const { dataset } = await importPaperParquet(join(dir, file))
      expect(dataset.problems).toEqual([])
      expect(dataset.instances).toHaveLength(12)
      dataset.instances.forEach((x, i) => {
        const got = x as ImportedGpInstance
        const want = original[i]
        expect({ ranks: got.ranks, cards: got.cards, values: got.values, shownValues: got.shownValues, target: got.target })
          .toEqual({ ranks: want.ranks, cards: want.cards, values: want.values, shownValues: want.shownValues, target: want.target })
        expect(got.rule.shown.name).toBe(want.rule.shown.name)
        expect(got.rule.scored.name).toBe(want.rule.scored.name)
        expect(got.meta.paperSolutions).toEqual(want.meta.paperSolutions)
        expect(got.solutionCount).toBe(want.solutionCount)
        if (file.startsWith('sft')) expect(got.solution).toBe(want.solution)
        expect(importedInstanceKey(got)).toBe(instanceKey(want))
      })
      expect(dataset.variants.map((v) => v.task === 'gp' && v.rule)).toEqual([
        { shown: 'all_8', scored: 'all_8' },
        { shown: 'mixed_8_9_10', scored: 'mixed_8_9_10' },
      ])
      expect(dataset.variants.every((v) => v.template === 'gp-train')).toBe(true)
    }
  })

  it('[§6.3] a fake split shows one rule and is scored with another (J/Q/K = 10)', async () => {
    const dir = join(root, 'fake')
    await exportDataset({ preset: 'gp_l_fake', count: 10, kinds: ['rl'], formats: ['parquet'] }, dir)
    const { dataset } = await importPaperParquet(join(dir, 'rl/train.parquet'))
    expect(dataset.variants).toEqual([
      { name: 'imported-1', task: 'gp', template: 'gp-test', chat: { mode: 'model' }, rule: { shown: 'mixed_11_12_13', scored: 'all_10' }, message: 'paper', verifier: 'paper' },
    ])
    expect(dataset.dataSources).toEqual({ gp_l_fake: 10 })
  })
})

describe('files from other writers and bad rows', () => {
  it('reads GZIP and BROTLI parquet through hyparquet-compressors', async () => {
    const dir = join(root, 'codecs')
    await exportDataset({ preset: 'sokoban_6x6_1horizon_train', count: 3, kinds: ['sft'], formats: ['parquet'] }, dir)
    const rows = (await readParquetRows(join(dir, 'sft/train.parquet'))).rows as unknown as SokobanSftRow[]
    const gzip = encodeVerlParquet(rows, 'sokoban-sft', { codec: 'GZIP', compressors: { GZIP: (b) => gzipSync(b) } })
    const brotli = encodeVerlParquet(rows, 'sokoban-sft', { codec: 'BROTLI', compressors: { BROTLI: (b) => brotliCompressSync(b) } })
    for (const [name, bytes] of [['gzip.parquet', gzip], ['brotli.parquet', brotli]] as const) {
      await writeFile(join(dir, name), bytes)
      const read = await readParquetRows(join(dir, name))
      expect(read.rows).toEqual(rows)
      expect((await importPaperParquet(join(dir, name))).dataset.instances).toHaveLength(3)
    }
  })

  it('lists unreadable rows with their number and reason, and keeps the rest', async () => {
    const dir = join(root, 'bad')
    await exportDataset({ preset: 'sokoban_6x6_1horizon_train', count: 3, kinds: ['sft'], formats: ['parquet'] }, dir)
    const rows = (await readParquetRows(join(dir, 'sft/train.parquet'))).rows as unknown as SokobanSftRow[]
    const broken: SokobanSftRow[] = [
      rows[0],
      { ...rows[1], prompt: rows[1].prompt.replace(' P \t', ' Z \t') },
      { ...rows[2], prompt: 'Hello' },
      { ...rows[3], reward_model: { style: 'rule', ground_truth: [7] } },
      ...rows.slice(4),
    ]
    const path = join(dir, 'broken.parquet')
    await writeFile(path, encodeVerlParquet(broken, 'sokoban-sft'))
    const { dataset } = await importPaperParquet(path)
    expect(dataset.problems.map((p) => p.row)).toEqual([1, 2, 3])
    expect(dataset.problems[0].message).toMatch(/^the grid cannot be read: Grid row \d+, column \d+: unexpected "Z"/)
    expect(dataset.problems[1].message).toMatch(/not a Sokoban prompt/)
    expect(dataset.problems[2].message).toMatch(/move codes 1-4/)
    expect(dataset.rows).toBe(rows.length)
  })

  it('rejects a file with neither prompt nor question columns, naming it', async () => {
    const path = join(root, 'other.parquet')
    const { parquetWriteBuffer } = await import('hyparquet-writer')
    await writeFile(path, new Uint8Array(parquetWriteBuffer({ columnData: [{ name: 'text', data: ['a'], type: 'STRING' }] })))
    await expect(importPaperParquet(path)).rejects.toThrow(/other\.parquet: the columns \(text\) have neither "prompt"/)
  })
})
