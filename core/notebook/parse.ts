/**
 * @module core/notebook/parse
 * Reads and writes `.sftnb` text. Opening never throws: a file that is not valid JSON, has a newer
 * format, or breaks the schema comes back as a `NotebookProblem` whose message says what is wrong
 * and where (line and column, or the field), so the UI can show it and refuse to overwrite the file.
 */
import { fieldPath } from '../experiment/schema.ts'
import { locateJsonError } from './json-locate.ts'
import { MigrationError, migrateNotebook, type MigrateOptions } from './migrate.ts'
import type { NotebookProblem } from './problem.ts'
import { NotebookSchema, type NotebookDocument, type NotebookDocumentInput } from './schema.ts'

/** The outcome of reading notebook text. */
export type ParsedNotebook =
  | { readonly ok: true; readonly document: NotebookDocument; readonly migratedFrom: number | null }
  | { readonly ok: false; readonly problem: NotebookProblem }

/** Parses, migrates and validates notebook text. */
export function parseNotebook(text: string, options: MigrateOptions = {}): ParsedNotebook {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  let json: unknown
  try {
    json = JSON.parse(body)
  } catch (error) {
    const found = locateJsonError(text)
    if (found === null) throw error // JSON.parse and the scanner disagree: a bug worth seeing
    return {
      ok: false,
      problem: {
        kind: 'syntax',
        message: `The notebook is not valid JSON: ${found.message} at line ${found.line}, column ${found.column}.`,
        line: found.line,
        column: found.column,
      },
    }
  }
  let migrated
  try {
    migrated = migrateNotebook(json, options)
  } catch (error) {
    if (!(error instanceof MigrationError)) throw error
    if (error.reason === 'newer') {
      return { ok: false, problem: { kind: 'newer', message: error.message, format: error.format } }
    }
    if (error.reason === 'format') {
      return { ok: false, problem: { kind: 'schema', message: error.message, field: 'format' } }
    }
    return { ok: false, problem: { kind: 'migration', message: error.message, from: error.format } }
  }
  const checked = validateNotebook(migrated.value)
  if (!checked.ok) return checked
  return { ok: true, document: checked.document, migratedFrom: migrated.migratedFrom }
}

/** Validates a document of the current format (e.g. one the UI built). */
export function validateNotebook(
  value: unknown,
): { ok: true; document: NotebookDocument } | { ok: false; problem: NotebookProblem } {
  const result = NotebookSchema.safeParse(value)
  if (result.success) return { ok: true, document: result.data }
  const problems = result.error.issues.map((issue) => ({ field: fieldPath('', issue.path).replace(/^\./, ''), message: issue.message }))
  const first = problems[0]
  const lines = problems.map((p) => `${p.field || '(document)'}: ${p.message}`)
  return {
    ok: false,
    problem: { kind: 'schema', message: `The notebook does not match format 1: ${lines.join('; ')}.`, field: first.field },
  }
}

/**
 * The file text of a document: validated, keys in schema order, two-space indented with a final
 * newline, so saved notebooks diff line by line.
 */
export function serializeNotebook(document: NotebookDocumentInput): string {
  const checked = validateNotebook(document)
  if (!checked.ok) throw new Error(checked.problem.message)
  return `${JSON.stringify(checked.document, null, 2)}\n`
}

/** An empty notebook. */
export function newNotebook(title?: string): NotebookDocument {
  return { format: 1, ...(title === undefined ? {} : { title }), nextId: 1, cells: [] }
}
