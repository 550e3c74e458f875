import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parquetMetadata, parquetReadObjects } from 'hyparquet'
import type { GpRlRow, GpSftRow, SokobanRlRow, SokobanSftRow } from '../../../core/dataset/verl.ts'
import {
  encodeVerlParquet,
  readParquetRows,
  writeVerlParquet,
} from '../../../electron/services/parquet.ts'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sftbench-parquet-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

const sokobanRl: SokobanRlRow[] = [
  {
    data_source: 'sokoban_6x6_1horizon',
    prompt: [{ role: 'user', content: '<|im_start|>user\nGrid √ ⬆️\n<|im_start|>assistant\n<think>' }],
    ability: 'bfs',
    reward_model: { style: 'rule', ground_truth: [2] },
    extra_info: { split: 'train', index: 0 },
    id: 'train_0',
  },
  {
    data_source: 'sokoban_6x6_1horizon',
    prompt: [{ role: 'user', content: 'second' }],
    ability: 'bfs',
    reward_model: { style: 'rule', ground_truth: [3, 1, 4] },
    extra_info: { split: 'train', index: 1 },
    id: 'train_1',
  },
]

const sokobanSft: SokobanSftRow[] = [
  {
    data_source: 'sokoban_6x6_1horizon_random',
    prompt: 'prompt text ending <think>',
    response: '</think> <answer> tree </answer>\n',
    ability: 'bfs',
    reward_model: { style: 'rule', ground_truth: [1] },
    extra_info: { split: 'train', index: 7 },
  },
]

const gpExtra = {
  index: 0,
  cards: ['2', '7', 'Q', '2'],
  display_cards: [2, 7, 10, 2],
  solution: ['(10/2+7)*2', '2*(7+10/2)'],
  target: 24,
  face_card_mapping: 'all_10',
}
const gpSft: GpSftRow[] = [
  { data_source: 'gp-l-all_10', question: '\n[Task Description]\n...', answer: '{\n"cards": ["2"]\n}', extra_info: gpExtra },
]
const gpRl: GpRlRow[] = [
  { data_source: 'gp_l_id', question: [{ role: 'user', content: '\n[Task Description]\n...' }], extra_info: gpExtra },
]

function arrayBufferOf(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer
}

/** Leaf columns as "dotted.path TYPE", read straight from the footer metadata. */
function rawLeaves(bytes: Uint8Array): string[] {
  const md = parquetMetadata(arrayBufferOf(bytes))
  return md.row_groups[0].columns.map((c) => `${c.meta_data?.path_in_schema.join('.')} ${c.meta_data?.type}`)
}

describe('verl parquet layouts [§9.1]', () => {
  it('[§9.1] Sokoban RL: nested prompt list<struct<content, role>> and INT64 ground truth, in the raw footer', () => {
    const bytes = encodeVerlParquet(sokobanRl, 'sokoban-rl')
    expect(new TextDecoder().decode(bytes.subarray(0, 4))).toBe('PAR1')
    expect(new TextDecoder().decode(bytes.subarray(bytes.length - 4))).toBe('PAR1')
    expect(rawLeaves(bytes)).toEqual([
      'data_source BYTE_ARRAY',
      'prompt.list.element.content BYTE_ARRAY',
      'prompt.list.element.role BYTE_ARRAY',
      'ability BYTE_ARRAY',
      'reward_model.ground_truth.list.element INT64',
      'reward_model.style BYTE_ARRAY',
      'extra_info.index INT64',
      'extra_info.split BYTE_ARRAY',
      'id BYTE_ARRAY',
    ])
    const md = parquetMetadata(arrayBufferOf(bytes))
    expect(md.num_rows).toBe(2n)
    const prompt = md.schema.find((e) => e.name === 'prompt')
    expect(prompt?.converted_type).toBe('LIST')
    const content = md.schema.find((e) => e.name === 'content')
    expect(content?.converted_type).toBe('UTF8')
  })

  it('[§9.1] the independent reader sees INT64 as BigInt and the original nested objects', async () => {
    const bytes = encodeVerlParquet(sokobanRl, 'sokoban-rl')
    const rows = await parquetReadObjects({ file: arrayBufferOf(bytes) })
    expect(rows).toHaveLength(2)
    expect(rows[1].reward_model.ground_truth).toEqual([3n, 1n, 4n])
    expect(typeof rows[0].extra_info.index).toBe('bigint')
    expect(rows[0].prompt).toEqual([{ content: sokobanRl[0].prompt[0].content, role: 'user' }])
    expect(() => JSON.stringify(rows)).toThrow(/BigInt/)
  })

  it('readParquetRows returns plain numbers, so rows serialise to JSON and equal what was written', async () => {
    const path = join(dir, 'rl.parquet')
    await writeVerlParquet(path, sokobanRl, 'sokoban-rl')
    const read = await readParquetRows(path)
    expect(read.columns).toEqual(['data_source', 'prompt', 'ability', 'reward_model', 'extra_info', 'id'])
    expect(read.rows).toEqual(sokobanRl)
    expect(JSON.parse(JSON.stringify(read.rows))).toEqual(sokobanRl)
    expect(read.leaves.find((l) => l.path === 'extra_info.index')).toEqual({ path: 'extra_info.index', type: 'INT64' })
  })

  it('[§9.1] Sokoban SFT: prompt is a plain string column, plus response', async () => {
    const bytes = encodeVerlParquet(sokobanSft, 'sokoban-sft')
    expect(rawLeaves(bytes)).toEqual([
      'data_source BYTE_ARRAY',
      'prompt BYTE_ARRAY',
      'response BYTE_ARRAY',
      'ability BYTE_ARRAY',
      'reward_model.ground_truth.list.element INT64',
      'reward_model.style BYTE_ARRAY',
      'extra_info.index INT64',
      'extra_info.split BYTE_ARRAY',
    ])
    const path = join(dir, 'sft.parquet')
    await writeFile(path, bytes)
    expect((await readParquetRows(path)).rows).toEqual(sokobanSft)
  })

  it('[§9.1] GP SFT and GP RL: extra_info with card lists, INT64 values and the mapping name', async () => {
    const sft = encodeVerlParquet(gpSft, 'gp-sft')
    const extraLeaves = [
      'extra_info.cards.list.element BYTE_ARRAY',
      'extra_info.display_cards.list.element INT64',
      'extra_info.face_card_mapping BYTE_ARRAY',
      'extra_info.index INT64',
      'extra_info.solution.list.element BYTE_ARRAY',
      'extra_info.target INT64',
    ]
    expect(rawLeaves(sft)).toEqual(['data_source BYTE_ARRAY', 'question BYTE_ARRAY', 'answer BYTE_ARRAY', ...extraLeaves])
    const rl = encodeVerlParquet(gpRl, 'gp-rl')
    expect(rawLeaves(rl)).toEqual([
      'data_source BYTE_ARRAY',
      'question.list.element.content BYTE_ARRAY',
      'question.list.element.role BYTE_ARRAY',
      ...extraLeaves,
    ])
    await writeFile(join(dir, 'gp-sft.parquet'), sft)
    await writeFile(join(dir, 'gp-rl.parquet'), rl)
    expect((await readParquetRows(join(dir, 'gp-sft.parquet'))).rows).toEqual(gpSft)
    expect((await readParquetRows(join(dir, 'gp-rl.parquet'))).rows).toEqual(gpRl)
  })

  it('an empty row list still writes a readable file with the full schema', async () => {
    const bytes = encodeVerlParquet([], 'sokoban-rl')
    const path = join(dir, 'empty.parquet')
    await writeFile(path, bytes)
    const read = await readParquetRows(path)
    expect(read.rows).toEqual([])
    expect(read.columns).toEqual(['data_source', 'prompt', 'ability', 'reward_model', 'extra_info', 'id'])
  })
})

describe('bad rows and bad files', () => {
  it('names the row and field of a value that does not fit the schema', () => {
    const bad = [{ ...sokobanRl[0], reward_model: { style: 'rule', ground_truth: [1.5] } }]
    expect(() => encodeVerlParquet(bad, 'sokoban-rl')).toThrow(/row 0 reward_model\.ground_truth\[0\].*safe integer/)
    const extra = [{ ...sokobanRl[0], surprise: 1 }] as unknown as SokobanRlRow[]
    expect(() => encodeVerlParquet(extra, 'sokoban-rl')).toThrow(/Row 0 has column "surprise"/)
  })

  it('reports a missing file, a folder and a corrupt file by name', async () => {
    await expect(readParquetRows(join(dir, 'absent.parquet'))).rejects.toThrow(/not found: .*absent\.parquet/)
    await expect(readParquetRows(dir)).rejects.toThrow(/is a folder/)
    const corrupt = join(dir, 'corrupt.parquet')
    await writeFile(corrupt, 'this is not parquet at all')
    await expect(readParquetRows(corrupt)).rejects.toThrow(/corrupt\.parquet is not a readable parquet file/)
    const good = encodeVerlParquet(sokobanRl, 'sokoban-rl')
    const truncated = join(dir, 'truncated.parquet')
    await writeFile(truncated, good.subarray(0, good.length - 10))
    await expect(readParquetRows(truncated)).rejects.toThrow(/truncated\.parquet is not a readable parquet file/)
    expect((await readFile(truncated)).length).toBe(good.length - 10)
  })
})
