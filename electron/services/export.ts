/**
 * @module electron/services/export
 * Writes a dataset export to disk and reads one back: every file of `buildDataset` (verl parquet,
 * JSONL, `instances.jsonl`) written atomically, then `manifest.json` with a SHA-256 per file. The
 * manifest goes last, so a folder whose files do not match its manifest was interrupted or edited,
 * and `readExport` says which file.
 */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildDataset, INSTANCES_FILE, type BuildHooks, type BuiltDataset, type InstanceRecord } from '../../core/dataset/build.ts'
import { parseJsonl, toJsonl } from '../../core/dataset/jsonl.ts'
import {
  MANIFEST_FILE_NAME,
  buildManifest,
  parseManifest,
  serializeManifest,
  type DatasetManifest,
  type ManifestFileEntry,
} from '../../core/dataset/manifest.ts'
import type { VerlLayout, VerlRow } from '../../core/dataset/verl.ts'
import { writeFileAtomic } from './atomic.ts'
import { encodeParquet, VERL_SCHEMAS } from './parquet.ts'

let cachedVersion: string | undefined

/** sftbench's version, from the repository's package.json. */
export function sftbenchVersion(): string {
  if (cachedVersion === undefined) {
    const path = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'package.json')
    const version = (JSON.parse(readFileSync(path, 'utf8')) as { version?: unknown }).version
    if (typeof version !== 'string') throw new Error(`${path} has no "version" string.`)
    cachedVersion = version
  }
  return cachedVersion
}

/** Lower-case hex SHA-256 of some bytes. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex')
}

/** Options of `exportDataset`. */
export interface ExportDatasetOptions extends BuildHooks {
  /** Replace an existing export (or write into a non-empty folder). */
  readonly force?: boolean
}

/** What `exportDataset` returns. */
export interface ExportResult {
  /** The export folder, absolute. */
  readonly dir: string
  readonly manifest: DatasetManifest
  readonly built: BuiltDataset
}

async function folderEntries(dir: string): Promise<string[] | null> {
  try {
    return await readdir(dir)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') return null
    if (code === 'ENOTDIR') throw new Error(`${dir} is a file, not a folder; choose a folder for the export.`, { cause: error })
    throw error
  }
}

/** Reads the manifest of an old export in `dir`, or null when there is none. */
async function previousManifest(dir: string): Promise<DatasetManifest | null> {
  const path = join(dir, MANIFEST_FILE_NAME)
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw error
  }
  return parseManifest(text, path)
}

function encodeFile(file: BuiltDataset['files'][number]): Uint8Array {
  if (file.format === 'parquet') {
    const layout = file.layout as VerlLayout
    return encodeParquet(file.rows as readonly VerlRow[] as unknown as Record<string, unknown>[], VERL_SCHEMAS[layout])
  }
  return Buffer.from(toJsonl(file.rows), 'utf8')
}

/**
 * Builds the dataset described by `settings` (see `ExportOptionsSchema`) and writes it to `outDir`
 * (created when missing). Refuses a folder that already holds files unless `force` is set; with
 * `force`, files of a previous export that the new one does not write are removed.
 */
export async function exportDataset(settings: unknown, outDir: string, options: ExportDatasetOptions = {}): Promise<ExportResult> {
  const dir = resolve(outDir)
  const entries = await folderEntries(dir)
  const previous = entries === null ? null : await previousManifest(dir)
  if (entries !== null && entries.length > 0 && options.force !== true) {
    throw new Error(
      previous !== null
        ? `${dir} already holds an export (${MANIFEST_FILE_NAME}); pass force (--force) to replace it.`
        : `${dir} is not empty; choose a new or empty folder, or pass force (--force) to write into it.`,
    )
  }
  const built = buildDataset(settings, options)
  await mkdir(dir, { recursive: true })
  const files: ManifestFileEntry[] = []
  for (const file of built.files) {
    const bytes = encodeFile(file)
    const target = join(dir, ...file.path.split('/'))
    await mkdir(dirname(target), { recursive: true })
    await writeFileAtomic(target, bytes)
    files.push({
      path: file.path,
      kind: file.kind,
      split: file.split,
      format: file.format,
      ...(file.layout === undefined ? {} : { layout: file.layout }),
      rows: file.rows.length,
      bytes: bytes.byteLength,
      sha256: sha256Hex(bytes),
    })
  }
  const manifest = buildManifest({
    sftbenchVersion: sftbenchVersion(),
    task: built.task,
    preset: built.preset.name,
    seed: built.options.seed,
    settings: { ...built.options, instanceSet: built.instanceSet },
    counts: built.counts,
    notes: built.notes,
    files,
  })
  await writeFileAtomic(join(dir, MANIFEST_FILE_NAME), serializeManifest(manifest))
  if (previous !== null) {
    const kept = new Set(files.map((f) => f.path))
    for (const old of previous.files) {
      if (!kept.has(old.path)) await rm(join(dir, ...old.path.split('/')), { force: true })
    }
  }
  return { dir, manifest, built }
}

/** A loaded export: its folder and checked manifest. */
export interface LoadedExport {
  readonly dir: string
  readonly manifest: DatasetManifest
}

/**
 * Reads an export folder's manifest and checks every file it lists against its size and SHA-256.
 * Throws with the folder and the first problem: a missing folder or manifest, an invalid manifest,
 * a missing file, or a file whose content does not match (named, with both hashes).
 */
export async function readExport(exportDir: string): Promise<LoadedExport> {
  const dir = resolve(exportDir)
  const info = await stat(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') throw new Error(`Export folder not found: ${dir}. Check the path.`, { cause: error })
    throw error
  })
  if (!info.isDirectory()) throw new Error(`${dir} is not a folder; give the folder that holds ${MANIFEST_FILE_NAME}.`)
  const manifest = await previousManifest(dir)
  if (manifest === null) {
    throw new Error(`${dir} holds no ${MANIFEST_FILE_NAME}; it is not an sftbench export (run "sftbench export" first).`)
  }
  for (const file of manifest.files) {
    const path = join(dir, ...file.path.split('/'))
    let bytes: Uint8Array
    try {
      bytes = await readFile(path)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new Error(`Export ${dir}: ${file.path} is listed in the manifest but missing.`, { cause: error })
      }
      throw error
    }
    const found = sha256Hex(bytes)
    if (found !== file.sha256 || bytes.byteLength !== file.bytes) {
      throw new Error(
        `Export ${dir}: ${file.path} does not match the manifest (sha256 ${file.sha256}, ${file.bytes} bytes expected; ` +
          `found ${found}, ${bytes.byteLength} bytes). It changed after the export; restore it or export again.`,
      )
    }
  }
  return { dir, manifest }
}

/** The instance records of a checked export (`instances.jsonl`). */
export async function readInstanceRecords(loaded: LoadedExport): Promise<InstanceRecord[]> {
  const entry = loaded.manifest.files.find((f) => f.kind === 'instances')
  if (entry === undefined) throw new Error(`Export ${loaded.dir}: the manifest lists no ${INSTANCES_FILE}.`)
  const path = join(loaded.dir, ...entry.path.split('/'))
  const records = parseJsonl(await readFile(path, 'utf8'), path)
  records.forEach((r, i) => {
    const rec = r as Partial<InstanceRecord> | null
    if (rec === null || typeof rec !== 'object' || typeof rec.id !== 'string' || typeof rec.key !== 'string' || !Array.isArray(rec.exampleKeys)) {
      throw new Error(`${path} record ${i + 1} lacks id, key or exampleKeys; the file is not an sftbench instance list.`)
    }
  })
  return records as InstanceRecord[]
}
