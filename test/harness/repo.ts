/**
 * @module test/harness/repo
 * Paths inside the repository, resolved from this file rather than the working directory, so a
 * test reads the same files whichever folder vitest was started from.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'

/** The repository root. */
export const REPO_ROOT = path.resolve(import.meta.dirname, '../..')

/** The absolute path of a file or folder given relative to the repository root. */
export function repoPath(...segments: string[]): string {
  return path.join(REPO_ROOT, ...segments)
}

/** The UTF-8 text of a file given relative to the repository root. */
export function readRepoText(...segments: string[]): string {
  return readFileSync(repoPath(...segments), 'utf8')
}
