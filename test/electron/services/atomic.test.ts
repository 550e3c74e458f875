import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { writeFileAtomic } from '../../../electron/services/atomic.ts'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sftbench-atomic-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('writeFileAtomic', () => {
  it('writes strings and bytes, replacing an existing file', async () => {
    const path = join(dir, 'a.txt')
    await writeFileAtomic(path, 'first √\n')
    expect(await readFile(path, 'utf8')).toBe('first √\n')
    await writeFileAtomic(path, new Uint8Array([1, 2, 3]))
    expect([...(await readFile(path))]).toEqual([1, 2, 3])
    expect(await readdir(dir)).toEqual(['a.txt'])
  })

  it('writes a producer\'s chunks in order', async () => {
    const path = join(dir, 'rows.jsonl')
    await writeFileAtomic(path, async (sink) => {
      for (let i = 0; i < 3; i++) await sink.write(`{"i":${i}}\n`)
    })
    expect(await readFile(path, 'utf8')).toBe('{"i":0}\n{"i":1}\n{"i":2}\n')
  })

  it('leaves no partial file when the producer throws mid-write (new file)', async () => {
    const path = join(dir, 'new.parquet')
    const failing = writeFileAtomic(path, async (sink) => {
      await sink.write('half of the rows\n')
      throw new Error('disk pulled out')
    })
    await expect(failing).rejects.toThrow('disk pulled out')
    expect(await readdir(dir)).toEqual([])
  })

  it('keeps the previous content when the producer throws mid-write (existing file)', async () => {
    const path = join(dir, 'manifest.json')
    await writeFile(path, '{"old":true}\n')
    await expect(
      writeFileAtomic(path, async (sink) => {
        await sink.write('{"new":')
        throw new Error('interrupted')
      }),
    ).rejects.toThrow('interrupted')
    expect(await readFile(path, 'utf8')).toBe('{"old":true}\n')
    expect(await readdir(dir)).toEqual(['manifest.json'])
  })

  it('fails clearly when the folder does not exist, creating nothing', async () => {
    await expect(writeFileAtomic(join(dir, 'missing', 'x.txt'), 'x')).rejects.toThrow(/ENOENT/)
    expect(await readdir(dir)).toEqual([])
  })
})
