/**
 * @module electron/runtime/issues
 * Problems found in a model folder, each naming the file, what is wrong and how to fix it. The
 * loader throws on errors; `inspect` lists errors and warnings alike.
 */

/** One problem with a model folder. */
export interface FolderIssue {
  /** `error` stops loading; `warning` is reported and a fallback is used. */
  readonly severity: 'error' | 'warning'
  /** The file concerned, relative to the model folder (e.g. `tokenizer_config.json`). */
  readonly file: string
  readonly problem: string
  readonly fix: string
}

/** The model folder cannot be loaded; `issues` holds every error found (and the warnings). */
export class ModelFolderError extends Error {
  override name = 'ModelFolderError'
  constructor(
    readonly dir: string,
    readonly issues: readonly FolderIssue[],
  ) {
    super(formatIssues(dir, issues.filter((i) => i.severity === 'error')))
  }
}

/** One line per issue: `file: problem. Fix: fix.` */
export function formatIssue(issue: FolderIssue): string {
  return `${issue.file}: ${issue.problem}. Fix: ${issue.fix}.`
}

function formatIssues(dir: string, errors: readonly FolderIssue[]): string {
  const head = `Cannot load the model in ${dir}:`
  return [head, ...errors.map((e) => `  - ${formatIssue(e)}`)].join('\n')
}

/** Builds an error issue. */
export function errorIssue(file: string, problem: string, fix: string): FolderIssue {
  return { severity: 'error', file, problem, fix }
}

/** Builds a warning issue. */
export function warningIssue(file: string, problem: string, fix: string): FolderIssue {
  return { severity: 'warning', file, problem, fix }
}
