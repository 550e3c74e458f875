/**
 * @module electron/services/parquet
 * Parquet files in the paper's verl layouts (paper-tasks.md §9.1), written with hyparquet-writer
 * and read with hyparquet.
 *
 * Nested columns (`prompt: list<struct<content, role>>`, `reward_model: struct<...>`) need an
 * explicit schema: the writer's type detection covers flat columns only. The schema written here is
 * the one pyarrow gives the reference's Python dicts (standard three-level lists
 * `prompt/list/element`, every field optional, Python ints as INT64), so verl and pandas read the
 * files exactly like the reference's own. INT64 values come back from hyparquet as BigInt, which
 * `JSON.stringify` rejects; the reader turns them back into numbers (and refuses values beyond
 * 2^53, which no sftbench file holds).
 */
import { readFile } from 'node:fs/promises'
import { parquetMetadata, parquetReadObjects } from 'hyparquet'
import type { FileMetaData } from 'hyparquet'
import { compressors } from 'hyparquet-compressors'
import { parquetWriteBuffer } from 'hyparquet-writer'
import type { ParquetWriteOptions, SchemaElement as WriterSchemaElement } from 'hyparquet-writer'
import type { VerlLayout, VerlRowOf } from '../../core/dataset/verl.ts'
import { writeFileAtomic } from './atomic.ts'

/** A field of a parquet schema, as a tree. */
export type ParquetField =
  | { readonly name: string; readonly kind: 'string' }
  | { readonly name: string; readonly kind: 'int64' }
  | { readonly name: string; readonly kind: 'struct'; readonly fields: readonly ParquetField[] }
  | { readonly name: string; readonly kind: 'list'; readonly element: ParquetElement }

/** The element of a list: a leaf or a struct (its name is always `element`). */
export type ParquetElement =
  | { readonly kind: 'string' }
  | { readonly kind: 'int64' }
  | { readonly kind: 'struct'; readonly fields: readonly ParquetField[] }

const str = (name: string): ParquetField => ({ name, kind: 'string' })
const int64 = (name: string): ParquetField => ({ name, kind: 'int64' })
const struct = (name: string, fields: readonly ParquetField[]): ParquetField => ({ name, kind: 'struct', fields })
const list = (name: string, element: ParquetElement): ParquetField => ({ name, kind: 'list', element })

const MESSAGE: ParquetElement = { kind: 'struct', fields: [str('content'), str('role')] }
const SOKOBAN_REWARD = struct('reward_model', [list('ground_truth', { kind: 'int64' }), str('style')])
const SOKOBAN_EXTRA = struct('extra_info', [int64('index'), str('split')])
const GP_EXTRA = struct('extra_info', [
  list('cards', { kind: 'string' }),
  list('display_cards', { kind: 'int64' }),
  str('face_card_mapping'),
  int64('index'),
  list('solution', { kind: 'string' }),
  int64('target'),
])

/**
 * The columns of each layout, top-level columns in the reference's order. Struct fields are sorted
 * by name, the order the reference's files have once the HF `datasets` library has written them
 * (`reward_model: struct<ground_truth, style>`).
 */
export const VERL_SCHEMAS: Readonly<Record<VerlLayout, readonly ParquetField[]>> = Object.freeze({
  'sokoban-rl': [str('data_source'), list('prompt', MESSAGE), str('ability'), SOKOBAN_REWARD, SOKOBAN_EXTRA, str('id')],
  'sokoban-sft': [str('data_source'), str('prompt'), str('response'), str('ability'), SOKOBAN_REWARD, SOKOBAN_EXTRA],
  'gp-sft': [str('data_source'), str('question'), str('answer'), GP_EXTRA],
  'gp-rl': [str('data_source'), list('question', MESSAGE), GP_EXTRA],
})

function leafElement(name: string, kind: 'string' | 'int64'): WriterSchemaElement {
  return kind === 'string'
    ? { name, type: 'BYTE_ARRAY', converted_type: 'UTF8', logical_type: { type: 'STRING' }, repetition_type: 'OPTIONAL' }
    : { name, type: 'INT64', repetition_type: 'OPTIONAL' }
}

function flattenField(field: ParquetField, out: WriterSchemaElement[]): void {
  if (field.kind === 'string' || field.kind === 'int64') {
    out.push(leafElement(field.name, field.kind))
  } else if (field.kind === 'struct') {
    out.push({ name: field.name, repetition_type: 'OPTIONAL', num_children: field.fields.length })
    for (const child of field.fields) flattenField(child, out)
  } else {
    out.push({ name: field.name, repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 })
    out.push({ name: 'list', repetition_type: 'REPEATED', num_children: 1 })
    const element = field.element
    if (element.kind === 'struct') {
      out.push({ name: 'element', repetition_type: 'OPTIONAL', num_children: element.fields.length })
      for (const child of element.fields) flattenField(child, out)
    } else {
      out.push(leafElement('element', element.kind))
    }
  }
}

/** The flat parquet schema (root first, depth-first) of a list of top-level fields. */
export function parquetSchemaOf(fields: readonly ParquetField[]): WriterSchemaElement[] {
  const out: WriterSchemaElement[] = [{ name: 'root', num_children: fields.length }]
  for (const field of fields) flattenField(field, out)
  return out
}

/** Why a value does not fit its field: the dotted path of the value and what was expected. */
function mismatch(path: string, expected: string, value: unknown): Error {
  const got = value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value
  return new Error(`Row value at ${path} must be ${expected}; got ${got}. Fix the row builder that produced it.`)
}

/** Converts one value to what the writer expects for its field: INT64 as BigInt, checked shapes. */
function toParquetValue(value: unknown, field: ParquetField | ParquetElement, path: string): unknown {
  if (value === null || value === undefined) return null
  switch (field.kind) {
    case 'string':
      if (typeof value !== 'string') throw mismatch(path, 'a string', value)
      return value
    case 'int64':
      if (typeof value === 'bigint') return value
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw mismatch(path, 'a safe integer', value)
      return BigInt(value)
    case 'struct': {
      if (typeof value !== 'object' || Array.isArray(value)) throw mismatch(path, 'an object', value)
      const record = value as Record<string, unknown>
      const known = new Set(field.fields.map((f) => f.name))
      const extra = Object.keys(record).find((k) => !known.has(k))
      if (extra !== undefined) {
        throw new Error(`Row value at ${path} has field "${extra}", which the schema lacks (fields: ${[...known].join(', ')}).`)
      }
      const out: Record<string, unknown> = {}
      for (const child of field.fields) out[child.name] = toParquetValue(record[child.name], child, `${path}.${child.name}`)
      return out
    }
    case 'list': {
      if (!Array.isArray(value)) throw mismatch(path, 'an array', value)
      return value.map((item, i) => toParquetValue(item, field.element, `${path}[${i}]`))
    }
  }
}

/** Compression of a written file: the writer's default SNAPPY, or another codec with its compressor. */
export interface ParquetEncodeOptions {
  readonly codec?: ParquetWriteOptions['codec']
  readonly compressors?: ParquetWriteOptions['compressors']
}

/** Encodes rows as a parquet file with the given top-level fields. Rows must not carry other columns. */
export function encodeParquet(
  rows: readonly Readonly<Record<string, unknown>>[],
  fields: readonly ParquetField[],
  options: ParquetEncodeOptions = {},
): Uint8Array {
  const names = new Set(fields.map((f) => f.name))
  rows.forEach((row, i) => {
    const extra = Object.keys(row).find((k) => !names.has(k))
    if (extra !== undefined) {
      throw new Error(`Row ${i} has column "${extra}", which the schema lacks (columns: ${[...names].join(', ')}).`)
    }
  })
  const columnData = fields.map((field) => ({
    name: field.name,
    data: rows.map((row, i) => toParquetValue(row[field.name], field, `row ${i} ${field.name}`)),
  }))
  const buffer = parquetWriteBuffer({ columnData, schema: parquetSchemaOf(fields), createdBy: 'sftbench', ...options })
  return new Uint8Array(buffer)
}

/** Encodes rows in one of the paper's verl layouts. */
export function encodeVerlParquet<L extends VerlLayout>(
  rows: readonly VerlRowOf[L][],
  layout: L,
  options: ParquetEncodeOptions = {},
): Uint8Array {
  const fields = VERL_SCHEMAS[layout]
  if (fields === undefined) throw new Error(`Unknown verl layout "${String(layout)}".`)
  return encodeParquet(rows as unknown as readonly Record<string, unknown>[], fields, options)
}

/** Writes rows in a verl layout to `path`, atomically (see `writeFileAtomic`). */
export async function writeVerlParquet<L extends VerlLayout>(path: string, rows: readonly VerlRowOf[L][], layout: L): Promise<void> {
  await writeFileAtomic(path, encodeVerlParquet(rows, layout))
}

/** One leaf column of a parquet file: its dotted path and physical type. */
export interface ParquetColumnInfo {
  /** Path in the schema, e.g. `prompt.list.element.content`. */
  readonly path: string
  /** Physical type: BYTE_ARRAY, INT64, ... */
  readonly type: string
  /** Logical or converted annotation when there is one (STRING, UTF8, ...). */
  readonly annotation?: string
}

/** What `readParquetRows` returns. */
export interface ParquetContents {
  /** The rows, with INT64 values as numbers. */
  readonly rows: Record<string, unknown>[]
  /** Top-level column names in file order. */
  readonly columns: string[]
  /** Every leaf column with its type. */
  readonly leaves: ParquetColumnInfo[]
  /** The `created_by` field of the footer, when set. */
  readonly createdBy?: string
}

/** The schema of a file as top-level names and leaf columns, by one walk of the flat schema list. */
export function describeSchema(metadata: FileMetaData): { columns: string[]; leaves: ParquetColumnInfo[] } {
  const columns: string[] = []
  const leaves: ParquetColumnInfo[] = []
  let i = 1
  function walk(prefix: readonly string[]): void {
    const element = metadata.schema[i++]
    if (element === undefined) throw new Error('Parquet schema ends early; the file is damaged.')
    const path = [...prefix, element.name]
    if (prefix.length === 0) columns.push(element.name)
    const children = element.num_children ?? 0
    if (children > 0) {
      for (let k = 0; k < children; k++) walk(path)
      return
    }
    const annotation = element.logical_type?.type ?? element.converted_type
    const leaf = { path: path.join('.'), type: element.type ?? 'UNKNOWN' }
    leaves.push(annotation === undefined ? leaf : { ...leaf, annotation })
  }
  const rootChildren = metadata.schema[0]?.num_children ?? 0
  for (let k = 0; k < rootChildren; k++) walk([])
  return { columns, leaves }
}

/** Turns INT64 BigInts back into numbers, everywhere in a decoded value. */
export function fromParquetValue(value: unknown, path: string): unknown {
  if (typeof value === 'bigint') {
    if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
      throw new Error(`Integer ${value} at ${path} is beyond 2^53 and cannot be read as a number.`)
    }
    return Number(value)
  }
  if (Array.isArray(value)) return value.map((v, i) => fromParquetValue(v, `${path}[${i}]`))
  if (value !== null && typeof value === 'object' && !(value instanceof Uint8Array) && !(value instanceof Date)) {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) out[k] = fromParquetValue(v, `${path}.${k}`)
    return out
  }
  return value
}

/** Decodes a parquet file held in memory; `label` names it in errors. */
export async function decodeParquet(bytes: Uint8Array, label: string): Promise<ParquetContents> {
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer
  let metadata: FileMetaData
  let raw: Record<string, unknown>[]
  try {
    metadata = parquetMetadata(buffer)
    raw = await parquetReadObjects({ file: buffer, metadata, compressors })
  } catch (error) {
    throw new Error(`${label} is not a readable parquet file: ${(error as Error).message}.`, { cause: error })
  }
  const { columns, leaves } = describeSchema(metadata)
  const rows = raw.map((row, r) => fromParquetValue({ ...row }, `${label} row ${r}`) as Record<string, unknown>)
  return metadata.created_by === undefined ? { rows, columns, leaves } : { rows, columns, leaves, createdBy: metadata.created_by }
}

/** Reads a parquet file from disk, including files written by other programs (any standard codec). */
export async function readParquetRows(path: string): Promise<ParquetContents> {
  let bytes: Uint8Array
  try {
    bytes = await readFile(path)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') throw new Error(`Parquet file not found: ${path}. Check the path.`, { cause: error })
    if (code === 'EISDIR') throw new Error(`${path} is a folder; give a .parquet file inside it.`, { cause: error })
    throw error
  }
  return decodeParquet(bytes, path)
}
