// The model hash: which files a model loads, their sha256 (checked against the fixture's published
// table in test/fixtures/README.md), the combined hash's independence from where the folder lives,
// and the (path, size, mtime) memo.
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { MODEL_HASHES_FILE, hashModelFiles, hashModelFolder, modelFiles } from '../../../electron/eval/model-hash.ts'
import { FIXTURE, copyFixture, removeDir } from '../runtime/fixture.ts'

/** sha256 of the fixture's files, from the table in test/fixtures/README.md. */
const PUBLISHED: Record<string, string> = {
  'config.json': 'add2e9e9024918e16dfaf580d1e1ede674b1f9dbf9a9962f48516e118c1da606',
  'generation_config.json': 'd49a937b757db17f7a837fad969ca3acdc0cf576c07160f807a1fdddfe0e55bf',
  'special_tokens_map.json': '33f5feb945937360dc9a380164de7053587c726e650c44f66ea92ccae3ea6d3d',
  'tokenizer.json': 'c9428ba9b718515c6d862b233d8b4a085604da95230b2341af924113a01dee84',
  'tokenizer_config.json': 'd5d68cda6bd4fd36df2b465a9380c2f98513484abd043a1dd317fbc59ac778e5',
  'onnx/model.onnx': '5cead35cadd8dab22ecd5bd84e586f1c02aaf1ff70e2e1b33ec40ae062bf0ebe',
  'onnx/model_q4.onnx': '6add5fba7c5d623611d876e82bd43db7e1edd4d32ab415a9944bd09d846b7c3a',
}

const temps: string[] = []
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sftbench-hash-'))
  temps.push(dir)
  return dir
}
afterAll(() => temps.forEach(removeDir))

describe('modelFiles', () => {
  it('lists the JSON files the runtime reads and the one graph, not golden.json or the other graphs', () => {
    expect(modelFiles(FIXTURE, 'onnx/model.onnx')).toEqual([
      'config.json',
      'generation_config.json',
      'onnx/model.onnx',
      'special_tokens_map.json',
      'tokenizer.json',
      'tokenizer_config.json',
    ])
    expect(modelFiles(FIXTURE, 'onnx/model_q4.onnx')).toContain('onnx/model_q4.onnx')
    expect(modelFiles(FIXTURE, 'onnx/model_q4.onnx')).not.toContain('onnx/model.onnx')
  })

  it('names the graph when it is not in the folder', () => {
    expect(() => modelFiles(FIXTURE, 'onnx/model_gone.onnx')).toThrow(/model_gone\.onnx.*not among the folder's ONNX files/)
  })
})

describe('hashModelFolder', () => {
  it("gives each file the sha256 of the fixture's published table, and the model hash over sorted path:sha256 lines", async () => {
    const hash = await hashModelFolder(FIXTURE, 'onnx/model.onnx')
    for (const file of hash.files) expect(file.sha256, file.path).toBe(PUBLISHED[file.path])
    expect(hash.files.find((f) => f.path === 'onnx/model.onnx')?.bytes).toBe(4_640_074)
    const lines = Object.keys(PUBLISHED)
      .filter((p) => p !== 'onnx/model_q4.onnx')
      .sort()
      .map((p) => `${p}:${PUBLISHED[p]}\n`)
      .join('')
    expect(hash.modelHash).toBe(createHash('sha256').update(lines).digest('hex'))
  })

  it('is the same for a copy elsewhere, and changes when one byte of a file changes or the graph differs', async () => {
    const original = await hashModelFolder(FIXTURE, 'onnx/model.onnx')
    const copy = copyFixture(['onnx/model.onnx', 'onnx/model_q4.onnx'])
    temps.push(copy)
    expect((await hashModelFolder(copy, 'onnx/model.onnx')).modelHash).toBe(original.modelHash)
    expect((await hashModelFolder(copy, 'onnx/model_q4.onnx')).modelHash).not.toBe(original.modelHash)
    const config = path.join(copy, 'generation_config.json')
    fs.writeFileSync(config, fs.readFileSync(config, 'utf8').replace('511', '510'))
    expect((await hashModelFolder(copy, 'onnx/model.onnx')).modelHash).not.toBe(original.modelHash)
  })
})

describe('the memo in <cacheDir>/model-hashes.json', () => {
  it('reuses a hash while path, size and mtime are unchanged, and rehashes a file whose mtime changed', async () => {
    const dir = tempDir()
    const cache = tempDir()
    fs.writeFileSync(path.join(dir, 'a.txt'), 'alpha')
    const first = await hashModelFiles(dir, ['a.txt'], cache)
    expect(first.files[0].sha256).toBe(createHash('sha256').update('alpha').digest('hex'))
    const memoFile = path.join(cache, MODEL_HASHES_FILE)
    const memo = JSON.parse(fs.readFileSync(memoFile, 'utf8')) as Record<string, { sha256: string }>
    const key = path.join(dir, 'a.txt')
    expect(memo[key].sha256).toBe(first.files[0].sha256)

    // A planted value proves the memo is read rather than the file.
    memo[key].sha256 = 'f'.repeat(64)
    fs.writeFileSync(memoFile, JSON.stringify(memo))
    expect((await hashModelFiles(dir, ['a.txt'], cache)).files[0].sha256).toBe('f'.repeat(64))

    const later = new Date(Date.now() + 5000)
    fs.utimesSync(key, later, later)
    expect((await hashModelFiles(dir, ['a.txt'], cache)).files[0].sha256).toBe(first.files[0].sha256)
  })

  it('starts afresh from a memo that is not JSON', async () => {
    const dir = tempDir()
    const cache = tempDir()
    fs.writeFileSync(path.join(dir, 'b.txt'), 'beta')
    fs.writeFileSync(path.join(cache, MODEL_HASHES_FILE), '{"torn": ')
    const hash = await hashModelFiles(dir, ['b.txt'], cache)
    expect(hash.files[0].sha256).toBe(createHash('sha256').update('beta').digest('hex'))
    expect(Object.keys(JSON.parse(fs.readFileSync(path.join(cache, MODEL_HASHES_FILE), 'utf8')))).toEqual([path.join(dir, 'b.txt')])
  })
})
