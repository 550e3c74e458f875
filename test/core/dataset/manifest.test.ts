import { describe, expect, it } from 'vitest'
import {
  MANIFEST_FILE_NAME,
  buildManifest,
  parseManifest,
  serializeManifest,
  type ManifestInput,
} from '../../../core/dataset/manifest.ts'

const input: ManifestInput = {
  sftbenchVersion: '0.1.0',
  task: 'sokoban',
  preset: 'sokoban-train',
  seed: 42,
  settings: { examples: 'one-step', kinds: ['sft', 'rl'] },
  counts: {
    instances: 200,
    instancesBySplit: { train: 200 },
    examplesBySplit: { train: 771 },
    cotBySplit: { train: 771 },
    skipped: [],
  },
  files: [
    { path: 'train-sft.parquet', kind: 'sft', split: 'train', format: 'parquet', layout: 'sokoban-sft', rows: 771, bytes: 1000, sha256: 'a'.repeat(64) },
    { path: 'train-sft.jsonl', kind: 'sft', split: 'train', format: 'jsonl', rows: 771, bytes: 900, sha256: 'b'.repeat(64) },
  ],
}

describe('dataset manifest', () => {
  it('round-trips through its JSON text, which ends with a newline', () => {
    const manifest = buildManifest(input)
    const text = serializeManifest(manifest)
    expect(text.endsWith('}\n')).toBe(true)
    expect(parseManifest(text, 'manifest.json')).toEqual(manifest)
    expect(manifest).toMatchObject({ format: 'sftbench-dataset', formatVersion: 1, notes: [] })
  })

  it('is byte-identical for identical settings (no timestamp)', () => {
    expect(serializeManifest(buildManifest(input))).toBe(serializeManifest(buildManifest(structuredClone(input))))
  })

  it('names the bad field of an invalid manifest', () => {
    const bad = structuredClone(buildManifest(input)) as unknown as { files: { sha256: string }[] }
    bad.files[1].sha256 = 'XYZ'
    expect(() => parseManifest(JSON.stringify(bad), 'out/manifest.json')).toThrow(
      /out\/manifest\.json is not a valid sftbench dataset manifest:\n {2}manifest\.files\[1\]\.sha256: must be 64/,
    )
  })

  it('rejects paths outside the folder, a parquet file without layout, duplicates and itself', () => {
    const entry = input.files[0]
    const cases: [unknown, RegExp][] = [
      [{ ...entry, path: '../escape.parquet' }, /files\[0\]\.path: must be a relative path/],
      [{ ...entry, layout: undefined }, /files\[0\]\.layout: a parquet file needs its verl layout/],
      [{ ...entry, path: MANIFEST_FILE_NAME }, /cannot list itself/],
    ]
    for (const [file, message] of cases) {
      expect(() => buildManifest({ ...input, files: [file as typeof entry] })).toThrow(message)
    }
    expect(() => buildManifest({ ...input, files: [entry, entry] })).toThrow(/files\[1\]\.path: file "train-sft\.parquet" is listed twice/)
  })

  it('reports text that is not JSON', () => {
    expect(() => parseManifest('{"format": ', 'x/manifest.json')).toThrow(/x\/manifest\.json is not valid JSON/)
  })
})
