/**
 * @module core/notebook/migrate
 * Moves a notebook's JSON forward, one format at a time, through a registry of migrations
 * (format n -> n + 1). Format 1 is the first public format, so the built-in registry is empty; the
 * registry is a parameter so the mechanism is tested with made-up older formats, and the next
 * format change only adds an entry here.
 */
import type { JsonValue } from './schema.ts'
import { NOTEBOOK_FORMAT } from './schema.ts'

/** One step: a document of format `from` becomes one of format `from + 1`. */
export interface NotebookMigration {
  readonly from: number
  /** What changed, for the release notes and the open message. */
  readonly description: string
  /** Returns the migrated object (with `format` set to `from + 1`); must not mutate its argument. */
  migrate(document: { readonly [key: string]: JsonValue }): { [key: string]: JsonValue }
}

/** The built-in migrations (none yet: format 1 is the first). */
export const NOTEBOOK_MIGRATIONS: readonly NotebookMigration[] = Object.freeze([])

/** Why a document could not be migrated. */
export class MigrationError extends Error {
  override name = 'MigrationError'
  constructor(
    message: string,
    /** `newer`: the format is newer than this version reads; `format`: no usable format field; `step`: a step is missing or failed. */
    readonly reason: 'newer' | 'format' | 'step',
    /** The document's format (NaN when it has none). */
    readonly format: number,
  ) {
    super(message)
  }
}

/** Options of `migrateNotebook` (for tests; the defaults are the real registry and format). */
export interface MigrateOptions {
  readonly migrations?: readonly NotebookMigration[]
  /** The format to migrate to. */
  readonly format?: number
}

/** The migrated JSON and the format it started at (null when it was already current). */
export interface Migrated {
  readonly value: { [key: string]: JsonValue }
  readonly migratedFrom: number | null
}

function isRecord(value: unknown): value is { [key: string]: JsonValue } {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

/**
 * Migrates parsed notebook JSON to the current format. Throws `MigrationError` when the value is
 * not an object with an integer `format`, when the format is newer than `options.format`, or when
 * a step is missing or throws.
 */
export function migrateNotebook(json: unknown, options: MigrateOptions = {}): Migrated {
  const migrations = options.migrations ?? NOTEBOOK_MIGRATIONS
  const current = options.format ?? NOTEBOOK_FORMAT
  if (!isRecord(json)) {
    throw new MigrationError('A notebook file holds a JSON object; this file holds something else.', 'format', NaN)
  }
  const format = json.format
  if (typeof format !== 'number' || !Number.isInteger(format) || format < 0) {
    throw new MigrationError(
      `The notebook has no valid "format" field (found ${JSON.stringify(format) ?? 'nothing'}); ` +
        `a notebook starts with "format": ${current}.`,
      'format',
      NaN,
    )
  }
  if (format > current) {
    throw new MigrationError(
      `This notebook has format ${format}, newer than this version of sftbench reads (format ${current}). ` +
        'Open it with a newer sftbench; it was not changed, and saving over it is refused.',
      'newer',
      format,
    )
  }
  let value: { [key: string]: JsonValue } = json
  for (let n = format; n < current; n++) {
    const step = migrations.find((m) => m.from === n)
    if (step === undefined) {
      throw new MigrationError(
        `No migration from notebook format ${n} to ${n + 1}; this version of sftbench cannot open format ${format}.`,
        'step',
        format,
      )
    }
    try {
      value = step.migrate(value)
    } catch (error) {
      throw new MigrationError(
        `Migrating the notebook from format ${n} to ${n + 1} (${step.description}) failed: ${(error as Error).message}`,
        'step',
        format,
      )
    }
    if (value.format !== n + 1) {
      throw new MigrationError(`The migration from format ${n} did not set "format": ${n + 1}.`, 'step', format)
    }
  }
  return { value, migratedFrom: format === current ? null : format }
}
