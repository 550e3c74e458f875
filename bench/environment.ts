/**
 * The benchmark sections' view of their surroundings: files in the repository and in the shared
 * data folder beside it, the section options on the command line, and the Python reference
 * scripts run in the same command.
 */
import { spawnSync } from 'node:child_process'
import path from 'node:path'

/** The repository root. */
export const REPO_ROOT = path.resolve(import.meta.dirname, '..')

/** The absolute path of a file given relative to the repository root. */
export function repoPath(relative: string): string {
  return path.join(REPO_ROOT, relative)
}

/** The absolute path of a shared file or folder given relative to `../shared/data`. */
export function sharedDataPath(relative: string): string {
  return path.resolve(REPO_ROOT, '../shared/data', relative)
}

/**
 * Reads `--name=N` from the command line (the bench runner takes every bare word for a section
 * name), or `fallback` when it is absent. `whole` accepts only whole numbers; `number` also
 * decimals. Throws an Error naming the option when the value is not such a number.
 */
export function numberOption(name: string, fallback: number, kind: 'whole' | 'number' = 'whole'): number {
  const prefix = `--${name}=`
  const arg = process.argv.find((a) => a.startsWith(prefix))
  if (arg === undefined) return fallback
  const raw = arg.slice(prefix.length)
  const value = Number(raw)
  const valid = kind === 'whole' ? /^\d+$/.test(raw) && Number.isSafeInteger(value) : /^\d+(\.\d+)?$/.test(raw)
  if (!valid) {
    const what = kind === 'whole' ? 'a whole number, e.g. 30' : 'a number, e.g. 2.5'
    throw new Error(`${prefix}${raw}: give ${what}.`)
  }
  return value
}

/** Reads `--name=TEXT` from the command line, or undefined when it is absent; an empty TEXT is an error. */
export function stringOption(name: string): string | undefined {
  const prefix = `--${name}=`
  const arg = process.argv.find((a) => a.startsWith(prefix))
  if (arg === undefined) return undefined
  const value = arg.slice(prefix.length)
  if (value === '') throw new Error(`${prefix}: give a value.`)
  return value
}

/** Whether the bare flag `--name` is on the command line. */
export function flagOption(name: string): boolean {
  return process.argv.includes(`--${name}`)
}

/** The JSON a reference script printed last, or why it could not run. */
export type PythonOutcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly why: string }

/**
 * Runs `python3 SCRIPT ...args` (SCRIPT relative to the repository root) and parses the last line
 * it printed as JSON. A missing `python3`, a non-zero exit or a missing numpy is reported as
 * `why`, so a section can go on with TypeScript figures only.
 */
export function runPythonJson<T>(script: string, args: readonly string[], maxBuffer = 1 << 20): PythonOutcome<T> {
  const result = spawnSync('python3', [repoPath(script), ...args], { encoding: 'utf8', maxBuffer })
  if (result.error) return { ok: false, why: `python3 could not be started (${result.error.message})` }
  if (result.status !== 0) {
    const stderr = result.stderr.trim()
    const detail = /No module named 'numpy'/.test(stderr) ? 'numpy is not installed for python3' : `exit ${result.status}: ${stderr}`
    return { ok: false, why: `python3 ${script} failed (${detail})` }
  }
  return { ok: true, value: JSON.parse(result.stdout.trim().split('\n').pop() as string) as T }
}
