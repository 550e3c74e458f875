/**
 * @module electron/services/atomic
 * Atomic file writes: the content goes to a temporary file in the target's folder, is flushed to
 * disk (fsync), and only then renamed over the target. A reader therefore sees either the old file
 * or the complete new one, never a partial file, even when the writer throws or the process dies
 * half way. The temporary file is removed when writing fails.
 */
import { randomBytes } from 'node:crypto'
import { open, rename, rm } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'

/** What a content producer writes to. */
export interface AtomicSink {
  /** Appends a chunk (strings are written as UTF-8). */
  write(chunk: Uint8Array | string): Promise<void>
}

/** Writes chunks into an atomic sink; throwing abandons the write and leaves the target as it was. */
export type AtomicProducer = (sink: AtomicSink) => Promise<void> | void

/** Suffix of the temporary files this module creates (left behind only if the process is killed). */
const TEMP_SUFFIX = '.tmp'

/** The temporary name next to `target`: hidden, unique per call, and recognisable by its suffix. */
function temporaryPath(target: string): string {
  return join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`)
}

/**
 * Writes `content` to `path` atomically. `content` is the whole file, or a producer that writes it
 * in chunks; if the producer throws, the error propagates, the temporary file is removed and
 * `path` keeps its previous content (or stays absent). The folder must exist.
 */
export async function writeFileAtomic(path: string, content: Uint8Array | string | AtomicProducer): Promise<void> {
  const temp = temporaryPath(path)
  const handle = await open(temp, 'wx')
  let closed = false
  let committed = false
  try {
    const sink: AtomicSink = {
      async write(chunk) {
        const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk
        let offset = 0
        while (offset < bytes.byteLength) {
          const { bytesWritten } = await handle.write(bytes, offset, bytes.byteLength - offset)
          offset += bytesWritten
        }
      },
    }
    if (typeof content === 'function') await content(sink)
    else await sink.write(content)
    await handle.sync()
    closed = true
    await handle.close()
    await rename(temp, path)
    committed = true
    await syncFolder(dirname(path))
  } finally {
    if (!committed) {
      if (!closed) await handle.close()
      await rm(temp, { force: true })
    }
  }
}

/**
 * Flushes the folder entry of a rename to disk. Windows cannot open folders for syncing, and there
 * the rename is already durable through the file system's journal, so it is skipped there.
 */
async function syncFolder(folder: string): Promise<void> {
  if (process.platform === 'win32') return
  const handle = await open(folder, 'r')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}
