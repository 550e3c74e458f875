// The on-disk generation cache: entries survive a new process (a new instance), a torn last line
// from a kill is skipped and the next append starts on its own line, and the default location
// follows XDG.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { GenerateResult } from '../../../core/model/client.ts'
import {
  DiskGenerationCache,
  defaultCacheDir,
  generationCacheFile,
} from '../../../electron/eval/generation-cache.ts'

const temps: string[] = []
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sftbench-gencache-'))
  temps.push(dir)
  return dir
}
afterAll(() => temps.forEach((d) => fs.rmSync(d, { recursive: true, force: true })))

const HASH = 'ab12'.repeat(16)

function result(text: string): GenerateResult {
  return {
    id: `r-${text}`,
    text,
    tokens: [{ id: 7, text: 'x', logprob: -0.5, top: [{ id: 7, text: 'x', logprob: -0.5 }] }],
    finishReason: 'eos',
    promptTokens: 12,
    timings: { timeToFirstTokenMs: 3, tokensPerSecond: 100, totalMs: 4 },
    provider: 'cpu',
  }
}

describe('DiskGenerationCache', () => {
  it('answers a put key with the same result, also from a fresh instance on the same file', async () => {
    const dir = tempDir()
    const cache = DiskGenerationCache.forModel(dir, HASH)
    expect(await cache.get('k1')).toBeUndefined()
    await cache.put('k1', result('Up'))
    await cache.put('k2', result('Left ünïcode'))
    expect(await cache.get('k1')).toEqual(result('Up'))
    cache.close()
    expect(cache.file).toBe(path.join(dir, 'generations', `${HASH}.jsonl`))
    const again = DiskGenerationCache.forModel(dir, HASH)
    expect(await again.get('k2')).toEqual(result('Left ünïcode'))
    expect(await again.get('k3')).toBeUndefined()
    expect(again.entries).toBe(2)
    expect(fs.readFileSync(cache.file, 'utf8').trim().split('\n')).toHaveLength(2)
    again.close()
  })

  it('keeps the first result of a key (one line per key)', async () => {
    const cache = DiskGenerationCache.forModel(tempDir(), HASH)
    await cache.put('k', result('first'))
    await cache.put('k', result('second'))
    expect((await cache.get('k'))?.text).toBe('first')
    expect(fs.readFileSync(cache.file, 'utf8').trim().split('\n')).toHaveLength(1)
    cache.close()
  })

  it('skips a torn last line, and the next append starts on a new line', async () => {
    const dir = tempDir()
    const cache = DiskGenerationCache.forModel(dir, HASH)
    await cache.put('a', result('A'))
    cache.close()
    fs.appendFileSync(cache.file, '{"k":"b","r":{"id":"r-B","te')
    const reopened = DiskGenerationCache.forModel(dir, HASH)
    expect(await reopened.get('b')).toBeUndefined()
    expect(reopened.skippedLines).toBe(1)
    await reopened.put('c', result('C'))
    reopened.close()
    const third = DiskGenerationCache.forModel(dir, HASH)
    expect((await third.get('a'))?.text).toBe('A')
    expect((await third.get('c'))?.text).toBe('C')
    expect(third.skippedLines).toBe(1)
    third.close()
  })

  it('rejects a model hash that is not hex (it becomes a file name)', () => {
    expect(() => generationCacheFile('/tmp', '../etc')).toThrow(/must be hex/)
  })
})

describe('defaultCacheDir', () => {
  it('uses $XDG_CACHE_HOME/sftbench, else ~/.cache/sftbench', () => {
    expect(defaultCacheDir({ XDG_CACHE_HOME: '/x/cache' }, '/home/u')).toBe(path.join('/x/cache', 'sftbench'))
    expect(defaultCacheDir({}, '/home/u')).toBe(path.join('/home/u', '.cache', 'sftbench'))
    expect(defaultCacheDir({ XDG_CACHE_HOME: '' }, '/home/u')).toBe(path.join('/home/u', '.cache', 'sftbench'))
  })
})
