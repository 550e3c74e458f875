/**
 * @module electron/app/files
 * The files guard: every path the UI sends is resolved against the workspace, after symlinks
 * (`realpath`), and must stay inside the workspace, or be a path the user picked (exact files, or
 * anything under a picked folder). `..` segments, absolute paths outside, and symlinks that lead
 * outside are refused with `forbidden`. Paths that do not exist yet (a notebook about to be saved)
 * are checked through their nearest existing parent.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import type { FileEntry, FileListing } from '../../core/contract/api.ts'
import { ApiFailure } from './errors.ts'

/** What `resolve` requires of the path. */
export interface ResolveOptions {
  /** The path must exist (default false). */
  readonly mustExist?: boolean
  /** It must be a folder (`dir`) or a file (`file`) when it exists. */
  readonly kind?: 'file' | 'dir'
}

function isInside(root: string, candidate: string): boolean {
  if (candidate === root) return true
  const rel = path.relative(root, candidate)
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel)
}

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | null)?.code
}

/**
 * The real path of `target`; for a missing path, the real path of its nearest existing parent plus
 * the rest. A dangling symlink is followed to where it points, so it cannot smuggle a write outside.
 */
async function realpathLoose(target: string, depth = 0): Promise<{ real: string; exists: boolean }> {
  if (depth > 40) throw new ApiFailure('invalid-request', `Too many levels of symbolic links at ${target}.`)
  try {
    return { real: await fs.realpath(target), exists: true }
  } catch (error) {
    if (errorCode(error) !== 'ENOENT' && errorCode(error) !== 'ENOTDIR') throw error
  }
  try {
    const link = await fs.readlink(target)
    return realpathLoose(path.resolve(path.dirname(target), link), depth + 1)
  } catch (error) {
    // EINVAL: not a symlink; ENOENT / ENOTDIR: nothing there at all.
    if (!['EINVAL', 'ENOENT', 'ENOTDIR'].includes(errorCode(error) ?? '')) throw error
  }
  const parent = path.dirname(target)
  if (parent === target) return { real: target, exists: false }
  const { real } = await realpathLoose(parent, depth + 1)
  return { real: path.join(real, path.basename(target)), exists: false }
}

/** Guards every path that comes from the UI. */
export class FileGuard {
  private readonly pickedFiles = new Set<string>()
  private readonly pickedFolders = new Set<string>()

  private constructor(
    /** The workspace folder (absolute, real). */
    readonly root: string,
  ) {}

  /** A guard over `workspace` (which must exist and be a folder). */
  static async create(workspace: string): Promise<FileGuard> {
    let root: string
    try {
      root = await fs.realpath(path.resolve(workspace))
    } catch (error) {
      throw new Error(`The workspace ${workspace} cannot be opened (${(error as Error).message}); create it or pass another folder.`, { cause: error })
    }
    if (!(await fs.stat(root)).isDirectory()) throw new Error(`The workspace ${workspace} is not a folder.`)
    return new FileGuard(root)
  }

  /**
   * Records a path the user picked (a native dialog, the recent list, the default model): it is
   * allowed from now on, exactly, or with everything under it when `kind` is `dir`. Returns its
   * real path.
   */
  async allow(target: string, kind: 'file' | 'dir'): Promise<string> {
    const { real } = await realpathLoose(path.resolve(this.root, target))
    if (kind === 'dir') this.pickedFolders.add(real)
    else this.pickedFiles.add(real)
    return real
  }

  /** True when the real path `real` is inside the workspace or was picked. */
  permits(real: string): boolean {
    if (isInside(this.root, real) || this.pickedFiles.has(real)) return true
    for (const folder of this.pickedFolders) if (isInside(folder, real)) return true
    return false
  }

  /**
   * The absolute real path of `input` (workspace-relative or absolute). Throws `ApiFailure`:
   * `forbidden` outside the workspace and the picked paths, `not-found` when `mustExist` and it does
   * not exist, `invalid-request` for a file where a folder is needed (or the reverse).
   */
  async resolve(input: string, options: ResolveOptions = {}): Promise<string> {
    if (input.includes('\0')) throw new ApiFailure('invalid-request', 'A path must not contain a NUL character.')
    const absolute = path.resolve(this.root, input)
    const { real, exists } = await realpathLoose(absolute)
    if (!this.permits(real)) {
      const via = real === absolute ? '' : ` (it leads to ${real})`
      throw new ApiFailure(
        'forbidden',
        `${input} is outside the workspace ${this.root}${via}; only files in the workspace or picked with the file ` +
          'picker can be used. Pick it, or move it into the workspace.',
      )
    }
    if (!exists) {
      if (options.mustExist) throw new ApiFailure('not-found', `${input} does not exist (looked for ${absolute}).`)
      return real
    }
    if (options.kind !== undefined) {
      const stat = await fs.stat(real)
      if (options.kind === 'dir' && !stat.isDirectory()) throw new ApiFailure('invalid-request', `${input} is a file, not a folder.`)
      if (options.kind === 'file' && !stat.isFile()) throw new ApiFailure('invalid-request', `${input} is a folder, not a file.`)
    }
    return real
  }

  /** `real` relative to the workspace with `/` separators, or null when it is outside. */
  relative(real: string): string | null {
    if (!isInside(this.root, real)) return null
    return path.relative(this.root, real).split(path.sep).join('/')
  }

  /**
   * Lists a folder (default: the workspace): folders first, then files, by name. Hidden entries and
   * symlinks that lead outside what the guard permits are left out.
   */
  async list(dir?: string): Promise<FileListing> {
    const real = await this.resolve(dir ?? '.', { mustExist: true, kind: 'dir' })
    const names = await fs.readdir(real)
    const entries: FileEntry[] = []
    for (const name of names) {
      if (name.startsWith('.')) continue
      const full = path.join(real, name)
      let stat
      try {
        // A symlink is listed only when it leads somewhere the guard would let the UI open.
        if ((await fs.lstat(full)).isSymbolicLink() && !this.permits(await fs.realpath(full))) continue
        stat = await fs.stat(full)
      } catch (error) {
        // A dangling symlink has nothing to show; anything else is a real failure.
        if (errorCode(error) === 'ENOENT') continue
        throw error
      }
      if (!stat.isDirectory() && !stat.isFile()) continue
      entries.push({ name, path: full, kind: stat.isDirectory() ? 'dir' : 'file', size: stat.size, modifiedMs: stat.mtimeMs })
    }
    entries.sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === 'dir' ? -1 : 1))
    const relative = this.relative(real)
    const parent = real === this.root || !this.permits(path.dirname(real)) ? null : path.dirname(real)
    return { dir: real, relative: relative ?? real, parent, entries }
  }
}
