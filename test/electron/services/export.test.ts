import { createHash } from 'node:crypto'
import { mkdtemp, readFile, readdir, rm, stat, writeFile, unlink } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parquetReadObjects } from 'hyparquet'
import { parseJsonl } from '../../../core/dataset/jsonl.ts'
import { parseManifest } from '../../../core/dataset/manifest.ts'
import type { SokobanRlRow } from '../../../core/dataset/verl.ts'
import { exportDataset, readExport, readInstanceRecords } from '../../../electron/services/export.ts'
import { readParquetRows } from '../../../electron/services/parquet.ts'

let root: string
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'sftbench-export-'))
})
afterAll(async () => {
  await rm(root, { recursive: true, force: true })
})

const small = { preset: 'sokoban_6x6_1horizon_train', count: 6 }

describe('exportDataset', () => {
  it('writes every file with the manifest\'s row counts, sizes and SHA-256 (hashed independently here)', async () => {
    const dir = join(root, 'small')
    const { manifest } = await exportDataset(small, dir)
    expect(manifest.files.map((f) => f.path)).toEqual([
      'sft/train.parquet', 'sft/train.jsonl', 'cot/train.parquet', 'cot/train.jsonl', 'rl/train.parquet', 'rl/train.jsonl', 'instances.jsonl',
    ])
    for (const f of manifest.files) {
      const bytes = await readFile(join(dir, f.path))
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(f.sha256)
      expect((await stat(join(dir, f.path))).size).toBe(f.bytes)
      const rows = f.format === 'parquet' ? (await readParquetRows(join(dir, f.path))).rows.length : parseJsonl(bytes.toString('utf8'), f.path).length
      expect(rows).toBe(f.rows)
    }
    const onDisk = parseManifest(await readFile(join(dir, 'manifest.json'), 'utf8'), 'manifest.json')
    expect(onDisk).toEqual(manifest)
    expect(manifest).toMatchObject({ task: 'sokoban', preset: 'sokoban_6x6_1horizon_train', seed: 42, sftbenchVersion: '0.1.0' })
    expect(manifest.settings).toMatchObject({
      preset: 'sokoban_6x6_1horizon_train', count: 6, seed: 42, kinds: ['sft', 'cot', 'rl'], formats: ['parquet', 'jsonl'],
      jsonlStyle: 'messages', sokobanExamples: 'one-step', vocabulary: 'variant', heldOut: 0,
      instanceSet: { task: 'sokoban', seedScheme: { kind: 'paper-sokoban-seeds', firstSeed: 42 }, count: 6 },
    })
    expect(await readdir(dir)).toEqual(expect.arrayContaining(['cot', 'instances.jsonl', 'manifest.json', 'rl', 'sft']))
  })

  it('[§9.1] the RL parquet reads back through hyparquet with BigInt INT64 and the paper\'s columns', async () => {
    const bytes = await readFile(join(root, 'small', 'rl', 'train.parquet'))
    const rows = await parquetReadObjects({ file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer })
    expect(Object.keys(rows[0])).toEqual(['data_source', 'prompt', 'ability', 'reward_model', 'extra_info', 'id'])
    expect(rows[0].reward_model).toEqual({ ground_truth: [4n], style: 'rule' })
    expect(rows[1].extra_info).toEqual({ index: 1n, split: 'train' })
    const jsonl = parseJsonl(await readFile(join(root, 'small', 'rl', 'train.jsonl'), 'utf8'), 'rl') as { ground_truth: number[] }[]
    expect(jsonl.map((r) => r.ground_truth)).toEqual(rows.map((r) => (r as SokobanRlRow & { reward_model: { ground_truth: bigint[] } }).reward_model.ground_truth.map(Number)))
  })

  it('is deterministic: the same settings give byte-identical files and manifest', async () => {
    const again = join(root, 'again')
    await exportDataset(small, again)
    for (const name of ['manifest.json', 'sft/train.parquet', 'instances.jsonl']) {
      expect(await readFile(join(again, name))).toEqual(await readFile(join(root, 'small', name)))
    }
  })

  it('refuses a folder that holds files, and with force replaces the export, removing files it no longer writes', async () => {
    const dir = join(root, 'replace')
    await exportDataset({ ...small, heldOut: 2, kinds: ['rl'] }, dir)
    expect(await readdir(join(dir, 'rl'))).toEqual(['test.jsonl', 'test.parquet', 'train.jsonl', 'train.parquet'])
    await expect(exportDataset(small, dir)).rejects.toThrow(/already holds an export \(manifest\.json\); pass force/)
    await exportDataset({ ...small, kinds: ['rl'] }, dir, { force: true })
    expect(await readdir(join(dir, 'rl'))).toEqual(['train.jsonl', 'train.parquet'])
    await readExport(dir)
    const other = join(root, 'other')
    await exportDataset(small, join(other, 'nested'))
    await expect(exportDataset(small, other)).rejects.toThrow(/is not empty; choose a new or empty folder/)
  })
})

describe('readExport checks the manifest', () => {
  it('accepts an intact export and lists its instance records', async () => {
    const loaded = await readExport(join(root, 'small'))
    const records = await readInstanceRecords(loaded)
    expect(records).toHaveLength(6)
    expect(records[0]).toMatchObject({ id: 'paper-seed/42/6x6-1', split: 'train', plan: 'rr', rows: [0, 1] })
  })

  it('names the file whose content changed, and a missing file', async () => {
    const dir = join(root, 'tampered')
    await exportDataset(small, dir)
    const path = join(dir, 'sft', 'train.parquet')
    const bytes = await readFile(path)
    bytes[100] ^= 0xff
    await writeFile(path, bytes)
    await expect(readExport(dir)).rejects.toThrow(/sft\/train\.parquet does not match the manifest \(sha256 [0-9a-f]{64}/)
    await unlink(join(dir, 'instances.jsonl'))
    await exportDataset(small, dir, { force: true })
    await unlink(join(dir, 'cot', 'train.jsonl'))
    await expect(readExport(dir)).rejects.toThrow(/cot\/train\.jsonl is listed in the manifest but missing/)
  })

  it('explains a missing folder, a folder without manifest, and a broken manifest', async () => {
    await expect(readExport(join(root, 'nowhere'))).rejects.toThrow(/Export folder not found: .*nowhere/)
    const empty = join(root, 'empty')
    await exportDataset(small, join(empty, 'inner'))
    await expect(readExport(empty)).rejects.toThrow(/holds no manifest\.json; it is not an sftbench export/)
    const broken = join(root, 'broken')
    await exportDataset(small, broken)
    await writeFile(join(broken, 'manifest.json'), '{"format": "sftbench-dataset"}')
    await expect(readExport(broken)).rejects.toThrow(/manifest\.json is not a valid sftbench dataset manifest/)
  })
})
