/**
 * @module core/dataset/options
 * The settings of a dataset export, as a zod schema: plain JSON in (from the CLI or the API), every
 * default filled in out. The resolved object is written verbatim into the manifest, so an export
 * can be rebuilt from its manifest alone.
 */
import { z } from 'zod'
import { JSONL_STYLES, type JsonlStyle } from './jsonl.ts'
import { fieldPath } from '../experiment/schema.ts'

/** What an export writes: answer-only SFT, solver-written CoT SFT, RL prompts. */
export const DATASET_KINDS = ['sft', 'cot', 'rl'] as const
export type DatasetKind = (typeof DATASET_KINDS)[number]

/** File formats: the paper's verl parquet, and JSON Lines for TRL-style trainers. */
export const DATASET_FORMATS = ['parquet', 'jsonl'] as const
export type DatasetFormat = (typeof DATASET_FORMATS)[number]

/**
 * Sokoban examples: `one-step` is the paper's form (§4.4: one example per state along the BFS
 * plan, label = the next move); `whole-plan` gives one example per puzzle whose target is the whole
 * plan, prompted with the multi-action template.
 */
export const SOKOBAN_EXAMPLE_FORMS = ['one-step', 'whole-plan'] as const
export type SokobanExampleForm = (typeof SOKOBAN_EXAMPLE_FORMS)[number]

/**
 * Per-row action vocabularies (Sokoban prompt diversity, §7.5):
 * - `variant`: what the variant shows (the preset `sokoban_super_random_train` already draws the
 *   paper's words per row);
 * - `paper-words`: the paper's draw, row r seeded `np.random.seed(42 + r)`, from the 210-word pool;
 * - `seeded-words`: sftbench's own draw from `wordPool` (default the paper's pool), row r from
 *   (`seed`, r), so other seeds give other words.
 */
export const VOCABULARY_MODES = ['variant', 'paper-words', 'seeded-words'] as const
export type VocabularyMode = (typeof VOCABULARY_MODES)[number]

const Name = z.string().min(1)

/** The export settings as given; see `resolveExportOptions` for the defaults. */
export const ExportOptionsSchema = z
  .object({
    /** The preset whose instances are exported (e.g. `sokoban_6x6_1horizon_train`). */
    preset: Name,
    /** How many instances of the preset to use (default all; with `rules`, rules x perRule). */
    count: z.int().min(1).optional(),
    /** The first instance of the preset (default 0). */
    start: z.int().min(0).optional(),
    /** Seed of every choice sftbench makes: seeded words, the variant mixture, the held-out split. */
    seed: z.int().min(0).max(Number.MAX_SAFE_INTEGER).default(42),
    kinds: z.array(z.enum(DATASET_KINDS)).min(1).default(['sft', 'cot', 'rl']),
    formats: z.array(z.enum(DATASET_FORMATS)).min(1).default(['parquet', 'jsonl']),
    jsonlStyle: z.enum(JSONL_STYLES as [JsonlStyle, ...JsonlStyle[]]).default('messages'),
    sokobanExamples: z.enum(SOKOBAN_EXAMPLE_FORMS).default('one-step'),
    vocabulary: z.enum(VOCABULARY_MODES).default('variant'),
    /** The pool `seeded-words` draws from (default the paper's 210 words); at least 4 distinct words. */
    wordPool: z.array(z.string().min(1)).min(4).optional(),
    /**
     * A mixture of named variants (`sftbench presets` lists them): each example row draws one, from
     * (`seed`, row). Default: the preset's own variant only.
     */
    variants: z.array(Name).min(1).optional(),
    /**
     * General Points: a face-card rule mixture for the training hands (mapping names such as
     * `all_8`, `mixed_8_9_10`), in blocks of `perRule` hands as the paper's generator does (§6.3).
     */
    rules: z.array(Name).min(1).optional(),
    /** Hands per rule of `rules` (default the preset's block size, else 1250). */
    perRule: z.int().min(1).optional(),
    /**
     * Held-out instances (puzzles or hands, never part of one): a fraction in (0, 1) or a count >= 1,
     * chosen from (`seed`). They go to the `test` split. Default 0.
     */
    heldOut: z.number().min(0).default(0),
    /** `data_source` of every row (default the paper's naming, e.g. `sokoban_6x6_1horizon`). */
    dataSource: Name.optional(),
  })
  .strict()
  .superRefine((o, ctx) => {
    if (o.heldOut >= 1 && !Number.isInteger(o.heldOut)) {
      ctx.addIssue({ code: 'custom', message: 'a held-out count must be a whole number (or give a fraction below 1)', path: ['heldOut'] })
    }
    if (o.wordPool !== undefined && o.vocabulary !== 'seeded-words') {
      ctx.addIssue({ code: 'custom', message: 'wordPool is only used with vocabulary "seeded-words"', path: ['wordPool'] })
    }
    if (o.wordPool !== undefined && new Set(o.wordPool).size < 4) {
      ctx.addIssue({ code: 'custom', message: 'the word pool needs at least 4 distinct words', path: ['wordPool'] })
    }
    if (o.perRule !== undefined && o.rules === undefined) {
      ctx.addIssue({ code: 'custom', message: 'perRule needs rules', path: ['perRule'] })
    }
    if (o.kinds.includes('cot') && o.sokobanExamples === 'whole-plan') {
      ctx.addIssue({
        code: 'custom',
        message: 'CoT targets answer the next move (one-step); drop "cot" from kinds or use one-step examples',
        path: ['kinds'],
      })
    }
    for (const key of ['kinds', 'formats', 'variants', 'rules'] as const) {
      const list = o[key] as readonly string[] | undefined
      if (list !== undefined && new Set(list).size !== list.length) {
        ctx.addIssue({ code: 'custom', message: `${key} lists a name twice`, path: [key] })
      }
    }
  })

/** Export settings as given (defaults optional). */
export type ExportOptionsInput = z.input<typeof ExportOptionsSchema>

/** Export settings with every default filled in. */
export type ExportOptions = z.output<typeof ExportOptionsSchema>

/** Export settings that cannot be honoured (a bad field, an unknown preset, a wrong combination). */
export class DatasetSettingsError extends Error {
  override name = 'DatasetSettingsError'
}

/** Runs `step`, turning any error it throws into a `DatasetSettingsError` with the same message. */
export function asSettingsError<T>(step: () => T): T {
  try {
    return step()
  } catch (error) {
    if (error instanceof DatasetSettingsError) throw error
    throw new DatasetSettingsError((error as Error).message, { cause: error })
  }
}

/**
 * Validates export settings and fills in defaults; throws a `DatasetSettingsError` listing each bad
 * field as `options.<field>: …`.
 */
export function resolveExportOptions(input: unknown): ExportOptions {
  const result = ExportOptionsSchema.safeParse(input)
  if (result.success) return result.data
  const lines = result.error.issues.map((issue) => `  ${fieldPath('options', issue.path)}: ${issue.message}`)
  throw new DatasetSettingsError(`Invalid export settings:\n${lines.join('\n')}`)
}
