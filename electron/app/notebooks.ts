/**
 * @module electron/app/notebooks
 * Opening and saving `.sftnb` notebooks without ever losing work:
 * - saves are atomic (temporary file + rename), so a crash leaves the old file or the new one;
 * - a file that is not valid JSON, has a newer format or breaks the schema opens read-only with
 *   the problem, and saving over it is refused (`conflict`) until the user saves elsewhere;
 * - with `baseRevision`, a save is refused when the file changed on disk since it was opened;
 * - autosave writes unsaved work to a recovery file in `<workspace>/.sftbench/recovery/`, never to
 *   the notebook itself; a successful save removes it, and opening reports a recovery file.
 */
import { createHash } from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import { z } from 'zod'
import type { OpenedNotebook, RecoveryEntry, RecoveryInfo } from '../../core/contract/api.ts'
import { parseNotebook, serializeNotebook } from '../../core/notebook/parse.ts'
import { NOTEBOOK_EXTENSION, type NotebookDocument, type NotebookDocumentInput } from '../../core/notebook/schema.ts'
import { writeFileAtomic } from '../services/atomic.ts'
import { ApiFailure } from './errors.ts'
import type { FileGuard } from './files.ts'
import type { RecentStore } from './workspace.ts'

/** The recovery folder, relative to the workspace. */
export const RECOVERY_FOLDER = path.join('.sftbench', 'recovery')
const RECOVERY_SUFFIX = '.recovery.json'

/** A recovery file: the unsaved document and which notebook it belongs to. */
const RecoveryFileSchema = z.object({
  format: z.literal(1),
  notebookPath: z.string(),
  savedAt: z.string(),
  document: z.unknown(),
})

/** An opaque stamp of a file's content. */
export function revisionOf(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32)
}

async function readIfExists(file: string): Promise<string | null> {
  try {
    return await fs.readFile(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw error
  }
}

/** What the store needs. */
export interface NotebookStoreDeps {
  readonly guard: FileGuard
  readonly recent: RecentStore
  readonly now: () => Date
}

/** Notebook files and their recovery files. */
export class NotebookStore {
  /** Writes per notebook path, run one after another. */
  private writes: Promise<unknown> = Promise.resolve()

  constructor(private readonly deps: NotebookStoreDeps) {}

  private get recoveryDir(): string {
    return path.join(this.deps.guard.root, RECOVERY_FOLDER)
  }

  /** The recovery file of a notebook: named after its path's hash, so any two notebooks differ. */
  recoveryPathOf(notebook: string): string {
    const stem = path.basename(notebook, NOTEBOOK_EXTENSION).replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 60)
    const hash = createHash('sha256').update(notebook).digest('hex').slice(0, 16)
    return path.join(this.recoveryDir, `${stem}-${hash}${RECOVERY_SUFFIX}`)
  }

  private async checkedPath(input: string, mustExist: boolean): Promise<string> {
    if (!input.endsWith(NOTEBOOK_EXTENSION)) {
      throw new ApiFailure('invalid-request', `${input} is not a notebook path; notebooks end in ${NOTEBOOK_EXTENSION}.`)
    }
    return this.deps.guard.resolve(input, { mustExist, kind: 'file' })
  }

  async open(input: string): Promise<OpenedNotebook> {
    const file = await this.checkedPath(input, true)
    const text = await fs.readFile(file, 'utf8')
    const parsed = parseNotebook(text)
    const recovery = await this.recoveryInfo(file)
    await this.deps.recent.touch('notebooks', file)
    return {
      path: file,
      revision: revisionOf(text),
      document: parsed.ok ? parsed.document : null,
      problem: parsed.ok ? null : parsed.problem,
      migratedFrom: parsed.ok ? parsed.migratedFrom : null,
      readOnly: !parsed.ok,
      recovery,
    }
  }

  /**
   * Saves `document` to `input` atomically and removes its recovery file. Refused with `conflict`
   * when the file on disk is not a notebook this version reads (corrupt, newer, invalid), or when
   * `baseRevision` is given and the file changed since.
   */
  async save(input: string, document: NotebookDocumentInput, baseRevision?: string): Promise<{ path: string; revision: string }> {
    const text = serializeNotebook(document)
    return this.inArrivalOrder(async () => {
      const file = await this.checkedPath(input, false)
      const existing = await readIfExists(file)
      if (existing !== null) {
        const parsed = parseNotebook(existing)
        if (!parsed.ok) {
          throw new ApiFailure(
            'conflict',
            `${file} was not overwritten: ${parsed.problem.message} Save the notebook under another name.`,
          )
        }
        if (baseRevision !== undefined && revisionOf(existing) !== baseRevision) {
          throw new ApiFailure(
            'conflict',
            `${file} changed on disk since it was opened; it was not overwritten. Save under another name, or ` +
              'open the file again to see the other changes.',
          )
        }
      } else if (baseRevision !== undefined) {
        throw new ApiFailure('conflict', `${file} was deleted or moved since it was opened; save it again to recreate it.`)
      }
      await fs.mkdir(path.dirname(file), { recursive: true })
      await writeFileAtomic(file, text)
      await fs.rm(this.recoveryPathOf(file), { force: true })
      await this.deps.recent.touch('notebooks', file)
      return { path: file, revision: revisionOf(text) }
    })
  }

  /** Writes unsaved work to the notebook's recovery file (the notebook itself is untouched). */
  async autosave(input: string, document: NotebookDocumentInput): Promise<RecoveryInfo> {
    const text = serializeNotebook(document)
    return this.inArrivalOrder(async () => {
      const file = await this.checkedPath(input, false)
      const recoveryPath = this.recoveryPathOf(file)
      const savedAt = this.deps.now().toISOString()
      await fs.mkdir(this.recoveryDir, { recursive: true })
      const body = `{\n"format": 1,\n"notebookPath": ${JSON.stringify(file)},\n"savedAt": ${JSON.stringify(savedAt)},\n"document": ${text.trimEnd()}\n}\n`
      await writeFileAtomic(recoveryPath, body)
      return { notebookPath: file, recoveryPath, savedAt, newerThanNotebook: await this.newerThan(file, savedAt) }
    })
  }

  /** Recovery files with their documents: all of the workspace's, or the one of `input`. */
  async recover(input?: string): Promise<RecoveryEntry[]> {
    let names: string[]
    try {
      names = (await fs.readdir(this.recoveryDir)).filter((n) => n.endsWith(RECOVERY_SUFFIX)).sort()
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
      throw error
    }
    const only = input === undefined ? null : await this.checkedPath(input, false)
    const out: RecoveryEntry[] = []
    for (const name of names) {
      const recoveryPath = path.join(this.recoveryDir, name)
      if (only !== null && recoveryPath !== this.recoveryPathOf(only)) continue
      const entry = await this.readRecovery(recoveryPath)
      if (entry !== null) out.push(entry)
    }
    return out
  }

  /** Removes the recovery file of a notebook (the user chose to discard the unsaved work). */
  async discardRecovery(input: string): Promise<{ removed: boolean }> {
    const file = await this.checkedPath(input, false)
    const recoveryPath = this.recoveryPathOf(file)
    const existed = (await readIfExists(recoveryPath)) !== null
    await fs.rm(recoveryPath, { force: true })
    return { removed: existed }
  }

  private async readRecovery(recoveryPath: string): Promise<RecoveryEntry | null> {
    const text = await readIfExists(recoveryPath)
    if (text === null) return null
    let raw: z.infer<typeof RecoveryFileSchema>
    try {
      raw = RecoveryFileSchema.parse(JSON.parse(text))
    } catch (error) {
      // A damaged recovery file is still listed, with its problem, so the user can discard it.
      return {
        notebookPath: '',
        recoveryPath,
        savedAt: '',
        newerThanNotebook: false,
        document: null,
        problem: { kind: 'schema', message: `The recovery file is damaged: ${(error as Error).message}`, field: 'document' },
      }
    }
    const parsed = parseNotebook(JSON.stringify(raw.document))
    return {
      notebookPath: raw.notebookPath,
      recoveryPath,
      savedAt: raw.savedAt,
      newerThanNotebook: await this.newerThan(raw.notebookPath, raw.savedAt),
      document: parsed.ok ? (parsed.document as NotebookDocument) : null,
      problem: parsed.ok ? null : parsed.problem,
    }
  }

  private async recoveryInfo(file: string): Promise<RecoveryInfo | null> {
    const entry = await this.readRecovery(this.recoveryPathOf(file))
    if (entry === null) return null
    const { document: _document, problem: _problem, ...info } = entry
    return info
  }

  /** True when `savedAt` is later than the notebook's last change (or the notebook is gone). */
  private async newerThan(notebook: string, savedAt: string): Promise<boolean> {
    try {
      const stat = await fs.stat(notebook)
      return Date.parse(savedAt) > stat.mtimeMs
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true
      throw error
    }
  }

  /**
   * Runs saves and autosaves one at a time in the order they arrived, path resolution included:
   * resolving first and queueing after let a late autosave overtake a save and leave a stale
   * recovery file behind it. Notebook writes are rare, so one queue for all of them costs nothing.
   */
  private inArrivalOrder<T>(work: () => Promise<T>): Promise<T> {
    const next = this.writes.then(work, work)
    this.writes = next.catch(() => undefined)
    return next
  }
}
