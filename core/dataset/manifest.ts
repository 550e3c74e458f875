/**
 * @module core/dataset/manifest
 * The manifest written next to every export (`manifest.json`): every setting, the seed, the
 * counts, the sftbench version and a SHA-256 of each file, so an export can be reproduced and
 * checked. This module builds and parses the object; hashing and writing happen on the Node side.
 *
 * The manifest holds no timestamp or machine detail on purpose: the same settings give a
 * byte-identical manifest, so two exports can be compared by their manifests alone.
 */
import { z } from 'zod'
import { VERL_LAYOUTS, type VerlLayout } from './verl.ts'
import { fieldPath } from '../experiment/schema.ts'

/** The manifest's file name inside an export folder. */
export const MANIFEST_FILE_NAME = 'manifest.json'

/** The value of the manifest's `format` field. */
export const MANIFEST_FORMAT = 'sftbench-dataset'

/** The manifest layout version; bump it when fields change meaning. */
export const MANIFEST_FORMAT_VERSION = 1

/** What a file of an export holds. */
export type DatasetFileKind = 'sft' | 'cot' | 'rl' | 'instances'

/** One file of an export. */
export interface ManifestFileEntry {
  /** Path relative to the export folder, with `/` separators. */
  readonly path: string
  readonly kind: DatasetFileKind
  /** `train`, or `heldout` for the held-out split. */
  readonly split: string
  readonly format: 'parquet' | 'jsonl'
  /** The verl layout of a parquet file. */
  readonly layout?: VerlLayout
  readonly rows: number
  readonly bytes: number
  /** Lower-case hex SHA-256 of the file's bytes. */
  readonly sha256: string
}

/** Counts of an export. */
export interface ManifestCounts {
  /** Instances (puzzles or hands) drawn from the instance set, before the held-out split. */
  readonly instances: number
  /** Instances per split. */
  readonly instancesBySplit: Readonly<Record<string, number>>
  /** Training examples (rows of the SFT / RL files) per split. */
  readonly examplesBySplit: Readonly<Record<string, number>>
  /** CoT rows per split (fewer than examples when a CoT cannot be written for a position). */
  readonly cotBySplit: Readonly<Record<string, number>>
  /** Instances left out, with the reason (e.g. no plan within the depth limit). */
  readonly skipped: readonly { readonly id: string; readonly reason: string }[]
}

/** The manifest of an export. */
export interface DatasetManifest {
  readonly format: typeof MANIFEST_FORMAT
  readonly formatVersion: typeof MANIFEST_FORMAT_VERSION
  readonly sftbenchVersion: string
  readonly task: 'sokoban' | 'gp'
  readonly preset: string
  readonly seed: number
  /** Every export setting, defaults filled in. */
  readonly settings: Readonly<Record<string, unknown>>
  readonly counts: ManifestCounts
  /** Remarks a reader should know (e.g. levels the reference itself cannot reproduce). */
  readonly notes: readonly string[]
  readonly files: readonly ManifestFileEntry[]
}

/** What `buildManifest` needs. */
export interface ManifestInput {
  readonly sftbenchVersion: string
  readonly task: 'sokoban' | 'gp'
  readonly preset: string
  readonly seed: number
  readonly settings: Readonly<Record<string, unknown>>
  readonly counts: ManifestCounts
  readonly notes?: readonly string[]
  readonly files: readonly ManifestFileEntry[]
}

const SHA256_HEX = /^[0-9a-f]{64}$/

const FileEntrySchema = z
  .object({
    path: z
      .string()
      .min(1)
      .refine((p) => !p.startsWith('/') && !p.split('/').includes('..') && !p.includes('\\'), {
        message: 'must be a relative path inside the export folder, with / separators',
      }),
    kind: z.enum(['sft', 'cot', 'rl', 'instances']),
    split: z.string().min(1),
    format: z.enum(['parquet', 'jsonl']),
    layout: z.enum(VERL_LAYOUTS as [VerlLayout, ...VerlLayout[]]).optional(),
    rows: z.int().min(0),
    bytes: z.int().min(0),
    sha256: z.string().regex(SHA256_HEX, 'must be 64 lower-case hex digits'),
  })
  .strict()

const CountRecord = z.record(z.string(), z.int().min(0))

/** The manifest's schema, for reading one back. */
export const DatasetManifestSchema = z
  .object({
    format: z.literal(MANIFEST_FORMAT),
    formatVersion: z.literal(MANIFEST_FORMAT_VERSION),
    sftbenchVersion: z.string().min(1),
    task: z.enum(['sokoban', 'gp']),
    preset: z.string().min(1),
    seed: z.int(),
    settings: z.record(z.string(), z.unknown()),
    counts: z
      .object({
        instances: z.int().min(0),
        instancesBySplit: CountRecord,
        examplesBySplit: CountRecord,
        cotBySplit: CountRecord,
        skipped: z.array(z.object({ id: z.string(), reason: z.string() }).strict()),
      })
      .strict(),
    notes: z.array(z.string()),
    files: z.array(FileEntrySchema),
  })
  .strict()
  .superRefine((m, ctx) => {
    const seen = new Set<string>()
    m.files.forEach((f, i) => {
      if (seen.has(f.path)) ctx.addIssue({ code: 'custom', message: `file "${f.path}" is listed twice`, path: ['files', i, 'path'] })
      seen.add(f.path)
      if (f.format === 'parquet' && f.layout === undefined) {
        ctx.addIssue({ code: 'custom', message: 'a parquet file needs its verl layout', path: ['files', i, 'layout'] })
      }
      if (f.path === MANIFEST_FILE_NAME) {
        ctx.addIssue({ code: 'custom', message: 'the manifest cannot list itself', path: ['files', i, 'path'] })
      }
    })
  })

/** Builds the manifest object (files in the order given). */
export function buildManifest(input: ManifestInput): DatasetManifest {
  const manifest: DatasetManifest = {
    format: MANIFEST_FORMAT,
    formatVersion: MANIFEST_FORMAT_VERSION,
    sftbenchVersion: input.sftbenchVersion,
    task: input.task,
    preset: input.preset,
    seed: input.seed,
    settings: input.settings,
    counts: input.counts,
    notes: input.notes ?? [],
    files: input.files,
  }
  // Validate what we are about to write, so a bad entry fails here and not when reading it back.
  parseManifestObject(manifest, 'the new manifest')
  return manifest
}

/** The manifest as written to disk: 2-space JSON with a final newline. */
export function serializeManifest(manifest: DatasetManifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`
}

/** Checks a parsed JSON value as a manifest; `label` names its file in errors. */
export function parseManifestObject(value: unknown, label: string): DatasetManifest {
  const result = DatasetManifestSchema.safeParse(value)
  if (result.success) return result.data as DatasetManifest
  const lines = result.error.issues.map((issue) => `  ${fieldPath('manifest', issue.path)}: ${issue.message}`)
  throw new Error(`${label} is not a valid sftbench dataset manifest:\n${lines.join('\n')}`)
}

/** Parses manifest text; `label` names its file in errors. */
export function parseManifest(text: string, label: string): DatasetManifest {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw new Error(`${label} is not valid JSON: ${(error as Error).message}`, { cause: error })
  }
  return parseManifestObject(value, label)
}
