/**
 * @module renderer/src/results/rows
 * The samples table's rows: the columns a results table shows, sorting by a column, and the table as
 * CSV (RFC 4180, as `sftbench report --csv` writes it: a header line, CRLF line ends, a field quoted
 * exactly when it holds a comma, a quote, CR or LF, inner quotes doubled, null as an empty field).
 */
import type { ResultRow } from '../../../core/contract/api.ts'

/** One sample as the table lists it: a row of `wb:runs.results` (a result without its turns). */
export type SampleRow = ResultRow

/** The table's columns, in order (also the CSV's header, so pandas reads stable names). */
export const SAMPLE_COLUMNS = [
  'key',
  'model',
  'variant',
  'difficulty',
  'instance',
  'repeat',
  'success',
  'failure',
  'turns',
  'steps',
  'tokens',
] as const

export type SampleColumn = (typeof SAMPLE_COLUMNS)[number]

/** A value of a cell of the table. */
export function cellValue(row: SampleRow, column: SampleColumn): string | number | boolean | null {
  return row[column]
}

/** A sort of the table: a column, ascending or descending. */
export interface SampleSort {
  readonly column: SampleColumn
  readonly descending: boolean
}

function compareValues(a: string | number | boolean | null, b: string | number | boolean | null): number {
  // Nulls (a success's failure kind) sort first ascending, like an empty string.
  if (a === b) return 0
  if (a === null) return -1
  if (b === null) return 1
  if (typeof a === 'number' && typeof b === 'number') return a - b
  if (typeof a === 'boolean' && typeof b === 'boolean') return a ? 1 : -1
  return String(a).localeCompare(String(b), 'en', { numeric: true })
}

/** The rows sorted by `sort` (stable: ties keep file order); a new array. */
export function sortRows(rows: readonly SampleRow[], sort: SampleSort | null): SampleRow[] {
  if (sort === null) return rows.slice()
  const sign = sort.descending ? -1 : 1
  const indexed = rows.map((row, i) => ({ row, i }))
  indexed.sort((x, y) => sign * compareValues(cellValue(x.row, sort.column), cellValue(y.row, sort.column)) || x.i - y.i)
  return indexed.map((x) => x.row)
}

/** The next sort when a header is clicked: ascending, then descending, then none. */
export function nextSort(current: SampleSort | null, column: SampleColumn): SampleSort | null {
  if (current === null || current.column !== column) return { column, descending: false }
  return current.descending ? null : { column, descending: true }
}

/** One CSV field, quoted when RFC 4180 requires it. */
export function csvField(value: string | number | boolean | null): string {
  if (value === null) return ''
  const text = String(value)
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/** The rows as a CSV document: the header, then one CRLF-ended record per row, in table order. */
export function samplesCsv(rows: readonly SampleRow[]): string {
  const lines = [SAMPLE_COLUMNS.join(',')]
  for (const row of rows) lines.push(SAMPLE_COLUMNS.map((c) => csvField(cellValue(row, c))).join(','))
  return `${lines.join('\r\n')}\r\n`
}

/** A file name for a table's CSV from its title: `samples-<title>.csv`, letters, digits, `-` and `_` only. */
export function csvFileName(title: string): string {
  const slug = title
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '')
  return slug === '' ? 'samples.csv' : `samples-${slug}.csv`
}
