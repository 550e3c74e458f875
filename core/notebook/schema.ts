/**
 * @module core/notebook/schema
 * The `.sftnb` notebook document, format 1: an ordered list of typed cells holding *inputs* and
 * references to run folders, never bulky outputs, so a notebook stays small and diffs well.
 *
 * ```jsonc
 * {
 *   "format": 1,
 *   "title": "Paper experiment",          // optional
 *   "nextId": 4,                          // the next cell gets id `cell-4`; ids are never reused
 *   "cells": [
 *     { "id": "cell-1", "kind": "markdown", "reads": [], "source": "# Sokoban" },
 *     { "id": "cell-2", "kind": "task", "reads": [], "task": "sokoban", "difficulty": "simple",
 *       "seedScheme": { "kind": "seeded", "seed": 7 }, "count": 20 },
 *     { "id": "cell-3", "kind": "template", "reads": ["cell-2"], "variant": "sokoban-base" }
 *   ]
 * }
 * ```
 *
 * Cell kinds and their fields (every cell also has `id`, `kind`, `reads`, and optional `title` and
 * `stale`):
 * - `markdown`: `source`.
 * - `task`: `task` (`sokoban` | `gp`), then either `preset` (a preset name, see `sftbench presets`)
 *   or `difficulty` (a paper difficulty name such as `simple`, or a difficulty object) with an
 *   optional `seedScheme` (default `{kind: 'seeded', seed: 0}`) and `rule` (General Points);
 *   `count` instances from `start` (default 0). Sokoban only: optional `levels`, levels imported or
 *   drawn in the task cell (XSB text, one level each), shown in its gallery beside the generated ones.
 * - `template`: `variant` (a named variant or an inline variant spec) and an optional `source`
 *   (template text that replaces the variant's prompt template).
 * - `model`: `dir` (model folder), `provider` (`auto`, `cpu`, `cuda`, `dml`, `coreml`), optional
 *   `variant` (graph dtype or file), `sampling` (sampling parameters; missing ones take the
 *   model's defaults).
 * - `probe`: `instance` (index into the task cell's set) and `summary` (the last run's short
 *   outcome, or null).
 * - `sweep`: `overrides` of the sweep spec built from the cells it reads (`name`, `seed`,
 *   `variants`, `difficulties`, `instances`, `repeats`, `concurrency`, `protocol`) and `runDir`,
 *   the run folder of its last run (null before the first run). A `difficulties` item is a sweep
 *   difficulty entry, or a shorthand name (`7x7-2boxes`, `simple`, `gp-id.all_5`) that takes the
 *   task cell's seed scheme and start (see `renderer/src/sweep/difficulties.ts`).
 * - `plot`: `source` (a sweep cell id), `x` and `y` (aggregate fields), and an optional `chart`
 *   (`lines`, the default when absent, `heatmap` or `failures`).
 *
 * `reads` lists the ids of cells *above* this one whose values it uses; editing a cell marks every
 * cell that reads it, directly or through others, stale (`core/notebook/graph.ts`).
 */
import { z } from 'zod'
import { DifficultySpecSchema } from '../experiment/difficulty.ts'
import { RuleSettingSchema, VariantSpecSchema } from '../experiment/variant.ts'
import { SeedSchemeSchema } from '../experiment/instance-set.ts'
import { SamplingParamsPatchSchema } from './sampling-patch.ts'
import { LevelParseError, parseXsbLevel } from '../sokoban/xsb.ts'

/** The format this version of sftbench writes. Older formats are migrated forward on open. */
export const NOTEBOOK_FORMAT = 1

/** The file extension of notebooks. */
export const NOTEBOOK_EXTENSION = '.sftnb'

/** Any JSON value (for fields validated later by the code that uses them). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue }

/** Schema of any JSON value. */
export const JsonValueSchema: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([
    z.string(),
    z.number(),
    z.boolean(),
    z.null(),
    z.array(JsonValueSchema),
    z.record(z.string(), JsonValueSchema),
  ]),
)

/** A cell id: letters, digits, `-` and `_` (new cells get `cell-<n>` from the document's counter). */
export const CellIdSchema = z
  .string({ error: 'a cell id must be a string' })
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'a cell id is 1-64 letters, digits, "-" or "_"')

/** Execution providers a model cell may ask for. */
export const PROVIDER_CHOICES = ['auto', 'cpu', 'cuda', 'dml', 'coreml'] as const
export const ProviderChoiceSchema = z.enum(PROVIDER_CHOICES)
export type ProviderChoice = z.infer<typeof ProviderChoiceSchema>

// Every cell has these; `id` and `kind` come first in saved files (zod keeps the shape's key order).
const head = { id: CellIdSchema }
const common = {
  reads: z.array(CellIdSchema).default([]),
  title: z.string().max(200).optional(),
  /** Set when a cell this one reads was edited after this one last ran. */
  stale: z.boolean().optional(),
}

export const MarkdownCellSchema = z.object({ ...head, kind: z.literal('markdown'), ...common, source: z.string() }).strict()

/** The most levels a task cell keeps inline (imported or drawn by hand). */
export const MAX_TASK_LEVELS = 1000

/** One Sokoban level in XSB text (a title line allowed), checked by the XSB parser. */
const XsbLevelSchema = z
  .string()
  .max(20_000, 'a level is at most 20,000 characters of XSB text')
  .superRefine((text, ctx) => {
    try {
      parseXsbLevel(text)
    } catch (e) {
      if (!(e instanceof LevelParseError)) throw e
      // The parser's message says what is wrong and where (line and column within this level's text).
      ctx.addIssue({ code: 'custom', message: e.message })
    }
  })

export const TaskCellSchema = z
  .object({
    ...head,
    kind: z.literal('task'),
    ...common,
    task: z.enum(['sokoban', 'gp']),
    preset: z.string().min(1).optional(),
    difficulty: z.union([z.string().min(1), DifficultySpecSchema]).optional(),
    seedScheme: SeedSchemeSchema.optional(),
    rule: z.union([RuleSettingSchema, z.array(RuleSettingSchema).min(1)]).optional(),
    count: z.int().min(1).max(100_000),
    start: z.int().min(0).optional(),
    levels: z.array(XsbLevelSchema).max(MAX_TASK_LEVELS).optional(),
  })
  .strict()
  .refine((c) => (c.preset === undefined) !== (c.difficulty === undefined), {
    message: 'a task cell names either a preset or a difficulty (exactly one of them)',
    path: ['difficulty'],
  })
  .refine((c) => c.levels === undefined || c.task === 'sokoban', {
    message: 'levels belong to Sokoban task cells only; remove them or set task to "sokoban"',
    path: ['levels'],
  })

export const TemplateCellSchema = z
  .object({
    ...head,
    kind: z.literal('template'),
    ...common,
    variant: z.union([z.string().min(1), VariantSpecSchema]),
    source: z.string().optional(),
  })
  .strict()

export const ModelCellSchema = z
  .object({
    ...head,
    kind: z.literal('model'),
    ...common,
    dir: z.string().min(1, 'dir must name a model folder'),
    provider: ProviderChoiceSchema.default('auto'),
    variant: z.string().min(1).optional(),
    sampling: SamplingParamsPatchSchema.default({}),
  })
  .strict()

/** The short outcome of a probe's last run (the full output is not kept in the notebook). */
export const ProbeSummarySchema = z
  .object({
    /** The start of the output, at most 2,000 characters. */
    text: z.string().max(2000),
    truncated: z.boolean(),
    tokens: z.int().min(0),
    finishReason: z.enum(['stop', 'eos', 'length', 'cancelled']),
    /** Whether the answer solved the instance (null when not scored). */
    success: z.boolean().nullable(),
    provider: z.string(),
  })
  .strict()
export type ProbeSummary = z.infer<typeof ProbeSummarySchema>

export const ProbeCellSchema = z
  .object({
    ...head,
    kind: z.literal('probe'),
    ...common,
    instance: z.int().min(0),
    summary: ProbeSummarySchema.nullable().default(null),
  })
  .strict()

/** Overrides of the sweep spec the cell builds from the cells it reads; checked when it runs. */
export const SweepOverridesSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9._-]+$/, 'a sweep name is letters, digits, ".", "_" or "-"').optional(),
    seed: z.int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
    variants: z.array(z.union([z.string().min(1), VariantSpecSchema])).min(1).optional(),
    // A shorthand name (`7x7-2boxes`, `gp-id.all_5`) or a whole difficulty entry of the sweep spec. An
    // empty list is kept (the form shows "choose a difficulty") rather than refused on open.
    difficulties: z.array(z.union([z.string().min(1).max(100), z.record(z.string(), JsonValueSchema)])).optional(),
    instances: z.int().min(1).optional(),
    repeats: z.int().min(1).optional(),
    concurrency: z.int().min(1).optional(),
    protocol: z.record(z.string(), JsonValueSchema).optional(),
  })
  .strict()

export const SweepCellSchema = z
  .object({
    ...head,
    kind: z.literal('sweep'),
    ...common,
    overrides: SweepOverridesSchema.default({}),
    runDir: z.string().min(1).nullable().default(null),
  })
  .strict()

/** Aggregate fields a plot can put on its axes. */
export const PLOT_X = ['difficultyValue', 'difficulty'] as const
export const PLOT_Y = ['successRate', 'validity', 'meanReward', 'meanTurns', 'meanSteps', 'tokens'] as const
/**
 * What a plot cell draws: `lines` (y against x with 95% CI bands, one line per variant), `heatmap`
 * (variant × difficulty) or `failures` (stacked failure taxonomy). Optional with no default filled in,
 * so files written before it existed stay valid and unchanged; readers take absent as `lines`.
 */
export const PLOT_CHARTS = ['lines', 'heatmap', 'failures'] as const
export type PlotChart = (typeof PLOT_CHARTS)[number]

export const PlotCellSchema = z
  .object({
    ...head,
    kind: z.literal('plot'),
    ...common,
    source: CellIdSchema,
    x: z.enum(PLOT_X).default('difficultyValue'),
    y: z.enum(PLOT_Y).default('successRate'),
    chart: z.enum(PLOT_CHARTS).optional(),
  })
  .strict()

export const CellSchema = z.discriminatedUnion('kind', [
  MarkdownCellSchema,
  TaskCellSchema,
  TemplateCellSchema,
  ModelCellSchema,
  ProbeCellSchema,
  SweepCellSchema,
  PlotCellSchema,
])

/** The cell kinds, in the order the UI offers them. */
export const CELL_KINDS = ['markdown', 'task', 'template', 'model', 'probe', 'sweep', 'plot'] as const

/** A notebook document of the current format. */
export const NotebookSchema = z
  .object({
    format: z.literal(NOTEBOOK_FORMAT),
    title: z.string().max(200).optional(),
    nextId: z.int().min(1),
    cells: z.array(CellSchema),
    metadata: z.record(z.string(), JsonValueSchema).optional(),
  })
  .strict()
  .superRefine((doc, ctx) => {
    const seen = new Set<string>()
    for (const [i, cell] of doc.cells.entries()) {
      if (seen.has(cell.id)) {
        ctx.addIssue({ code: 'custom', message: `duplicate cell id "${cell.id}"`, path: ['cells', i, 'id'] })
      }
      seen.add(cell.id)
    }
  })

export type Cell = z.infer<typeof CellSchema>
export type CellKind = Cell['kind']
export type MarkdownCell = z.infer<typeof MarkdownCellSchema>
export type TaskCell = z.infer<typeof TaskCellSchema>
export type TemplateCell = z.infer<typeof TemplateCellSchema>
export type ModelCell = z.infer<typeof ModelCellSchema>
export type ProbeCell = z.infer<typeof ProbeCellSchema>
export type SweepCell = z.infer<typeof SweepCellSchema>
export type PlotCell = z.infer<typeof PlotCellSchema>
export type SweepOverrides = z.infer<typeof SweepOverridesSchema>
/** A validated notebook (defaults filled in). */
export type NotebookDocument = z.infer<typeof NotebookSchema>
/** A notebook as a writer may give it (fields with defaults optional). */
export type NotebookDocumentInput = z.input<typeof NotebookSchema>
