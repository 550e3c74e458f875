/**
 * @module electron/eval/generation-cache
 * The generation cache on disk: one append-only JSON Lines file per model hash,
 * `<cacheDir>/generations/<modelHash>.jsonl`, each line `{"k": key, "r": GenerateResult}`. The
 * index (key -> where the line is) is built from the file on first use; only the index stays in
 * memory, and a hit reads its one line back.
 *
 * Appends are single writes, so a killed process leaves at most a torn last line; such lines (and
 * any other line that does not parse) are skipped and counted, since a cache entry can always be
 * generated again. The next append starts on a fresh line.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { GenerationCache } from '../../core/eval/cache.ts'
import type { GenerateResult } from '../../core/model/client.ts'

/** The sftbench cache folder: `$XDG_CACHE_HOME/sftbench`, else `~/.cache/sftbench`. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env, home: string = os.homedir()): string {
  const xdg = env.XDG_CACHE_HOME
  return path.join(xdg !== undefined && xdg !== '' ? xdg : path.join(home, '.cache'), 'sftbench')
}

/** The cache file of one model inside a cache folder. */
export function generationCacheFile(cacheDir: string, modelHash: string): string {
  if (!/^[0-9a-f]{8,}$/i.test(modelHash)) throw new Error(`A model hash must be hex; got "${modelHash}".`)
  return path.join(cacheDir, 'generations', `${modelHash}.jsonl`)
}

/** Where a cached line is in the file. */
interface Entry {
  readonly offset: number
  readonly length: number
}

/** A `GenerationCache` over one model's append-only file. */
export class DiskGenerationCache implements GenerationCache {
  private index: Map<string, Entry> | null = null
  private fd = -1
  private size = 0
  /** Lines that did not parse while the index was built (torn by a kill, or damaged). */
  skippedLines = 0

  constructor(readonly file: string) {}

  /** The cache of `modelHash` in `cacheDir`. */
  static forModel(cacheDir: string, modelHash: string): DiskGenerationCache {
    return new DiskGenerationCache(generationCacheFile(cacheDir, modelHash))
  }

  /** Number of cached generations. */
  get entries(): number {
    return this.open().size
  }

  async get(key: string): Promise<GenerateResult | undefined> {
    const entry = this.open().get(key)
    if (entry === undefined) return undefined
    const bytes = Buffer.alloc(entry.length)
    let read = 0
    while (read < entry.length) {
      const n = fs.readSync(this.fd, bytes, read, entry.length - read, entry.offset + read)
      if (n === 0) break
      read += n
    }
    try {
      return (JSON.parse(bytes.toString('utf8', 0, read)) as { r: GenerateResult }).r
    } catch (error) {
      throw new Error(
        `${this.file}: the entry at byte ${entry.offset} changed after it was indexed (${(error as Error).message}); ` +
          'another program rewrote the cache file. Delete it to start the cache afresh.',
        { cause: error },
      )
    }
  }

  async put(key: string, result: GenerateResult): Promise<void> {
    const index = this.open()
    if (index.has(key)) return
    const line = Buffer.from(`${JSON.stringify({ k: key, r: result })}\n`, 'utf8')
    let written = 0
    while (written < line.length) written += fs.writeSync(this.fd, line, written, line.length - written)
    index.set(key, { offset: this.size, length: line.length - 1 })
    this.size += line.length
  }

  /** Closes the file; a later call reopens it and rebuilds the index. */
  close(): void {
    if (this.fd >= 0) fs.closeSync(this.fd)
    this.fd = -1
    this.index = null
  }

  /** Opens the file and builds the index on first use. */
  private open(): Map<string, Entry> {
    if (this.index !== null) return this.index
    fs.mkdirSync(path.dirname(this.file), { recursive: true })
    this.fd = fs.openSync(this.file, 'a+')
    const index = new Map<string, Entry>()
    const chunk = Buffer.alloc(1 << 20)
    let carry = Buffer.alloc(0)
    let carryOffset = 0
    let position = 0
    for (;;) {
      const n = fs.readSync(this.fd, chunk, 0, chunk.length, position)
      if (n === 0) break
      position += n
      const data = carry.length > 0 ? Buffer.concat([carry, chunk.subarray(0, n)]) : chunk.subarray(0, n)
      let start = 0
      for (let nl = data.indexOf(10, start); nl >= 0; nl = data.indexOf(10, start)) {
        this.indexLine(index, data, start, nl, carryOffset)
        start = nl + 1
      }
      carryOffset += start
      carry = Buffer.from(data.subarray(start))
    }
    this.size = position
    if (carry.length > 0) {
      // A torn last line: skip it, and end it so the next append starts a line of its own.
      this.skippedLines++
      fs.writeSync(this.fd, '\n')
      this.size += 1
    }
    this.index = index
    return index
  }

  private indexLine(index: Map<string, Entry>, data: Buffer, start: number, end: number, base: number): void {
    if (end === start) return
    try {
      const record = JSON.parse(data.toString('utf8', start, end)) as { k?: unknown; r?: unknown }
      if (typeof record.k === 'string' && typeof record.r === 'object' && record.r !== null) {
        index.set(record.k, { offset: base + start, length: end - start })
        return
      }
    } catch {
      // Counted below: a damaged cache line only costs a regeneration.
    }
    this.skippedLines++
  }
}
