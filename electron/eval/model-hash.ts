/**
 * @module electron/eval/model-hash
 * A content hash of a model: sha256 of every file the model loads from (config, generation config,
 * tokenizer files, chat template, the ONNX graph and its external weight files), and one model hash
 * over the sorted `path:sha256` list. Two folders with the same files have the same hash wherever
 * they live, so a generation cached for one is valid for the other.
 *
 * Hashing a multi-gigabyte graph takes seconds, so file hashes are remembered in
 * `<cacheDir>/model-hashes.json`, keyed on the file's absolute path, size and modification time.
 */
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { inspectVariant, readModelFolder } from '../runtime/model-folder.ts'
import { writeFileAtomic } from '../services/atomic.ts'

/** The memo file's name inside the cache folder. */
export const MODEL_HASHES_FILE = 'model-hashes.json'

/** The JSON files of a model folder the runtime reads, when present. */
const FOLDER_FILES = [
  'config.json',
  'generation_config.json',
  'tokenizer.json',
  'tokenizer_config.json',
  'special_tokens_map.json',
  'chat_template.jinja',
]

/** One file a model loaded from: its path relative to the model folder (forward slashes), size and sha256. */
export interface ModelFileRecord {
  readonly path: string
  readonly bytes: number
  readonly sha256: string
}

/** A model's files with their hashes, and the model hash over them. */
export interface ModelHash {
  /** Sorted by path. */
  readonly files: readonly ModelFileRecord[]
  readonly modelHash: string
}

/** One memo entry. */
interface MemoEntry {
  readonly bytes: number
  readonly mtimeMs: number
  readonly sha256: string
}

/**
 * The files (relative to `dir`, forward slashes) a model loads when it runs the graph `graphFile`:
 * the folder's JSON files and chat template that exist, the graph, and its external data files.
 */
export function modelFiles(dir: string, graphFile: string): string[] {
  const files = FOLDER_FILES.filter((f) => fs.existsSync(path.join(dir, f)))
  const folder = readModelFolder(dir)
  const variant = folder.variants.find((v) => v.file === graphFile)
  if (variant === undefined) {
    throw new Error(`${path.join(dir, graphFile)}: the model's graph is not among the folder's ONNX files; was it moved?`)
  }
  const report = inspectVariant(folder, variant)
  return [...new Set([...files, variant.file, ...report.externalFiles])].sort()
}

/** The sha256 (hex) of a file, streamed. */
export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

/** The model hash of a sorted file list: sha256 over `path:sha256` lines. */
export function combineFileHashes(files: readonly ModelFileRecord[]): string {
  const lines = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)).map((f) => `${f.path}:${f.sha256}\n`)
  return createHash('sha256').update(lines.join('')).digest('hex')
}

/**
 * Hashes `files` (relative to `dir`) and combines them into the model hash. With a `cacheDir`, file
 * hashes whose path, size and modification time are unchanged are taken from the memo, and new ones
 * are added to it.
 */
export async function hashModelFiles(dir: string, files: readonly string[], cacheDir?: string): Promise<ModelHash> {
  const memoFile = cacheDir === undefined ? null : path.join(cacheDir, MODEL_HASHES_FILE)
  const memo = memoFile === null ? {} : await readMemo(memoFile)
  let changed = false
  const records: ModelFileRecord[] = []
  for (const file of [...files].sort()) {
    const full = path.resolve(dir, file)
    const stat = await fs.promises.stat(full)
    const known = memo[full]
    let sha256: string
    if (known !== undefined && known.bytes === stat.size && known.mtimeMs === stat.mtimeMs) {
      sha256 = known.sha256
    } else {
      sha256 = await sha256File(full)
      memo[full] = { bytes: stat.size, mtimeMs: stat.mtimeMs, sha256 }
      changed = true
    }
    records.push({ path: file.split(path.sep).join('/'), bytes: stat.size, sha256 })
  }
  if (changed && memoFile !== null) {
    await fs.promises.mkdir(path.dirname(memoFile), { recursive: true })
    await writeFileAtomic(memoFile, `${JSON.stringify(memo, null, 1)}\n`)
  }
  return { files: records, modelHash: combineFileHashes(records) }
}

/** Hashes the files a model folder loads for `graphFile` (see `modelFiles`). */
export async function hashModelFolder(dir: string, graphFile: string, cacheDir?: string): Promise<ModelHash> {
  return hashModelFiles(dir, modelFiles(dir, graphFile), cacheDir)
}

/**
 * The memo, or an empty one when it is absent or unreadable: it only saves time, and a damaged memo
 * is rebuilt by the next write rather than stopping a run.
 */
async function readMemo(file: string): Promise<Record<string, MemoEntry>> {
  let text: string
  try {
    text = await fs.promises.readFile(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {}
    throw error
  }
  try {
    const value = JSON.parse(text) as unknown
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return {}
    const out: Record<string, MemoEntry> = {}
    for (const [key, entry] of Object.entries(value as Record<string, unknown>)) {
      const e = entry as Partial<MemoEntry> | null
      if (e && typeof e.bytes === 'number' && typeof e.mtimeMs === 'number' && typeof e.sha256 === 'string') {
        out[key] = { bytes: e.bytes, mtimeMs: e.mtimeMs, sha256: e.sha256 }
      }
    }
    return out
  } catch {
    // A memo torn by a crash of an older writer: start afresh (atomic writes make this rare).
    return {}
  }
}
