/**
 * @module core/experiment/variant
 * Variants: how an instance is put to a model and how its answer is judged (paper-tasks.md §3.3,
 * §3.4, §6.2-§6.4, §7). A variant is plain data (JSON in, JSON out) and names:
 *
 * - the template (a library name such as `sokoban-eval`, or inline Jinja source) and the chat
 *   formatting (`raw`: a named wrapper string, as the paper does for Sokoban; `model`: the model's own
 *   chat template, as the paper does for General Points; `none`: the bare prompt);
 * - Sokoban: the vocabulary the prompt shows and the one the scorer accepts (they differ in the
 *   paper's "Fake" splits), the board renderer, and the answer parser;
 * - General Points: the face-card rule the prompt shows and the one the verifier scores with (they
 *   differ in `gp_l_fake` / `gp_l_all_5_fake`), the message wording, and the verifier.
 *
 * `VARIANTS` lists the named variants the paper's splits use; users write their own as JSON and
 * check them with `parseVariantSpec`, whose errors name the bad field.
 */
import { z } from 'zod'
import {
  ALPHABETICAL_VOCABULARY,
  BASE_VOCABULARY,
  CARDINAL_VOCABULARY,
  EMOJI_VOCABULARY,
  NUMERICAL_VOCABULARY,
  RANDOM_VOCABULARY,
  defineVocabulary,
  vocabularyErrors,
  type ActionVocabulary,
} from '../sokoban/vocab.ts'
import { validateSymbolSet, type GridLayout, type SymbolSet } from '../sokoban/text.ts'
import { MAX_FACE_VALUE, customFaceRule, parseFaceRule, type FaceRule } from '../gp/rules.ts'
import { parseSpec } from './schema.ts'
import { deepFreeze } from './deep-freeze.ts'
import { editDistance } from '../prompt/edit-distance.ts'
import { paperRowVocabulary } from './word-pool.ts'
import { SOKOBAN_COMPACT_TEMPLATE } from '../prompt/sample-templates.ts'

/** The paper's fixed vocabularies by id (§3.3). */
export const PAPER_VOCABULARIES: Readonly<Record<PaperVocabularyId, ActionVocabulary>> = Object.freeze({
  base: BASE_VOCABULARY,
  cardinal: CARDINAL_VOCABULARY,
  emoji: EMOJI_VOCABULARY,
  numerical: NUMERICAL_VOCABULARY,
  alphabetical: ALPHABETICAL_VOCABULARY,
  random: RANDOM_VOCABULARY,
})

const PAPER_VOCABULARY_IDS = ['base', 'cardinal', 'emoji', 'numerical', 'alphabetical', 'random'] as const
/** Names of the paper's fixed vocabularies. */
export type PaperVocabularyId = (typeof PAPER_VOCABULARY_IDS)[number]

const CustomVocabularySchema = z
  .object({
    kind: z.literal('custom'),
    id: z.string().min(1).optional(),
    names: z.tuple([z.string(), z.string(), z.string(), z.string()]),
    explain: z.boolean().optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    for (const message of vocabularyErrors(v.names)) ctx.addIssue({ code: 'custom', message, path: ['names'] })
  })

/**
 * A vocabulary: a paper id, `{kind: 'paper-words'}` (a fresh 4-word draw from the paper's 210-word
 * pool per data row, §7.5), or `{kind: 'custom', names: [up, down, left, right]}`.
 */
export const VocabularyRefSchema = z.union([
  z.enum(PAPER_VOCABULARY_IDS),
  z.object({ kind: z.literal('paper-words') }).strict(),
  CustomVocabularySchema,
])
export type VocabularyRef = z.infer<typeof VocabularyRefSchema>

/** A template: a library entry's name, or inline Jinja source (with an optional name for messages). */
export const TemplateRefSchema = z.union([
  z.string().min(1),
  z.object({ name: z.string().min(1).optional(), source: z.string() }).strict(),
])
export type TemplateRef = z.infer<typeof TemplateRefSchema>

/**
 * Chat formatting. `raw`: the prompt goes into a named wrapper template (`qwen-instruct`,
 * `qwen-instruct-answer-only`, `base`) and that string is sent verbatim, whatever the model. `model`:
 * the prompt is one user message for the model's own chat template. `none`: the bare prompt.
 */
export const ChatSpecSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('raw'), wrapper: z.string().min(1) }).strict(),
  z.object({ mode: z.literal('model') }).strict(),
  z.object({ mode: z.literal('none') }).strict(),
])
export type ChatSpec = z.infer<typeof ChatSpecSchema>

const SymbolSetSchema = z
  .object({
    wall: z.string().min(1),
    floor: z.string().min(1),
    goal: z.string().min(1),
    box: z.string().min(1),
    boxOnGoal: z.string().min(1),
    player: z.string().min(1),
    playerOnGoal: z.string().min(1),
    void: z.string().min(1).optional(),
  })
  .strict()

const GridLayoutSchema = z
  .object({
    cellPrefix: z.string().optional(),
    cellSuffix: z.string().optional(),
    rowSeparator: z.string().min(1).optional(),
  })
  .strict()

/**
 * How the board is drawn: `paper` (the §3.1 text grid), `xsb` (standard XSB rows), or a custom
 * symbol set with an optional layout (checked to be readable back).
 */
export const RendererSchema = z.union([
  z.enum(['paper', 'xsb']),
  z
    .object({ symbols: SymbolSetSchema, layout: GridLayoutSchema.optional() })
    .strict()
    .superRefine((r, ctx) => {
      try {
        validateSymbolSet(r.symbols as SymbolSet, r.layout as GridLayout | undefined)
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message, path: ['symbols'] })
      }
    }),
])
export type RendererSpec = z.infer<typeof RendererSchema>

/**
 * Answer parsers: `paper-eval` (the evaluator of §5.1: first answer tag, exactly one accepted name),
 * `training-reward` (the diverse-prompt scorer of §5.3), `lenient` (sftbench's forgiving parser).
 */
export const SOKOBAN_PARSERS = ['paper-eval', 'training-reward', 'lenient'] as const

export const SokobanVariantSchema = z
  .object({
    name: z.string().min(1),
    task: z.literal('sokoban'),
    description: z.string().optional(),
    template: TemplateRefSchema,
    chat: ChatSpecSchema,
    vocabulary: z
      .object({
        /** null: no Answers block at all (the `empty` env type). */
        shown: VocabularyRefSchema.nullable(),
        /** `shown`: accept exactly what the prompt shows (per row, for paper-words). */
        accepted: z.union([z.literal('shown'), VocabularyRefSchema]),
      })
      .strict(),
    renderer: RendererSchema,
    parser: z.enum(SOKOBAN_PARSERS),
  })
  .strict()
  .superRefine((v, ctx) => {
    const { shown, accepted } = v.vocabulary
    if (accepted === 'shown' && shown === null) {
      ctx.addIssue({
        code: 'custom',
        message: 'accepted is "shown" but the prompt shows no vocabulary; name the accepted vocabulary',
        path: ['vocabulary', 'accepted'],
      })
    }
    if (typeof accepted === 'object' && accepted.kind === 'paper-words') {
      ctx.addIssue({
        code: 'custom',
        message: 'paper-words change per row; use accepted "shown" so the scorer accepts the words the prompt shows',
        path: ['vocabulary', 'accepted'],
      })
    }
  })

const FaceValueSchema = z.int().min(1).max(MAX_FACE_VALUE)

/**
 * A face-card rule: a mapping name (`all_10`, `mixed_8_9_10`, …), `regular` (11/12/13), one value
 * `"v"`, three values `"j,q,k"`, or `{jack, queen, king}`.
 */
export const RuleRefSchema = z.union([
  z.string().superRefine((text, ctx) => {
    try {
      parseFaceRule(text)
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message })
    }
  }),
  z.object({ jack: FaceValueSchema, queen: FaceValueSchema, king: FaceValueSchema }).strict(),
])
export type RuleRef = z.infer<typeof RuleRefSchema>

/** A shown / scored pair of rules (equal for honest variants). */
export const RuleSettingSchema = z.object({ shown: RuleRefSchema, scored: RuleRefSchema }).strict()
export type RuleSettingSpec = z.infer<typeof RuleSettingSchema>

export const GpVariantSchema = z
  .object({
    name: z.string().min(1),
    task: z.literal('gp'),
    description: z.string().optional(),
    template: TemplateRefSchema,
    chat: ChatSpecSchema,
    /** `instance`: show and score the rule each instance was dealt under (training mixtures). */
    rule: z.union([z.literal('instance'), RuleSettingSchema]),
    /** `paper`: the dataset scripts' face-card sentence; `env`: the env-based wording (§6.2). */
    message: z.enum(['paper', 'env']),
    verifier: z.enum(['paper', 'strict']),
  })
  .strict()

/** A variant of either task, told apart by `task`. */
export const VariantSpecSchema = z.discriminatedUnion('task', [SokobanVariantSchema, GpVariantSchema])

export type SokobanVariantSpec = z.infer<typeof SokobanVariantSchema>
export type GpVariantSpec = z.infer<typeof GpVariantSchema>
export type VariantSpec = z.infer<typeof VariantSpecSchema>

/** Validates a variant (e.g. read from JSON); throws a `SpecError` naming each bad field. */
export function parseVariantSpec(input: unknown): VariantSpec {
  return parseSpec(VariantSpecSchema, input, 'variant')
}

/**
 * The vocabulary a reference stands for. `paper-words` needs the data row (`row`), because each row
 * draws its own words; `custom` is built with `defineVocabulary` (its default for `explain`).
 */
export function resolveVocabulary(ref: VocabularyRef, row?: number): ActionVocabulary {
  if (typeof ref === 'string') return PAPER_VOCABULARIES[ref]
  if (ref.kind === 'paper-words') {
    if (row === undefined) {
      throw new Error(
        'The paper-words vocabulary changes per data row: pass the row index (or an explicit vocabulary) to render it.',
      )
    }
    return paperRowVocabulary(row)
  }
  const options = ref.explain === undefined ? {} : { explain: ref.explain }
  return defineVocabulary(ref.id ?? `custom:${ref.names.join('/')}`, ref.names, options)
}

/** The rule a reference stands for (named mappings resolve to the paper's own objects). */
export function resolveRule(ref: RuleRef): FaceRule {
  if (typeof ref === 'string') return parseFaceRule(ref)
  return customFaceRule(ref.jack, ref.queen, ref.king)
}

function sokobanEval(name: string, shown: PaperVocabularyId | null, accepted: PaperVocabularyId, description: string) {
  return variant({
    name,
    task: 'sokoban',
    description,
    template: 'sokoban-eval',
    chat: { mode: 'raw', wrapper: 'qwen-instruct' },
    vocabulary: { shown, accepted },
    renderer: 'paper',
    parser: 'paper-eval',
  })
}

function gpTest(name: string, shown: string, scored: string, description: string) {
  return variant({
    name,
    task: 'gp',
    description,
    template: 'gp-test',
    chat: { mode: 'model' },
    rule: { shown, scored },
    message: 'paper',
    verifier: 'paper',
  })
}

/**
 * The board of the compact prompt: the paper's symbols (§3.1) without the paper's spaces and tabs,
 * one row per line, so a 6x6 board is 41 characters instead of 149.
 */
export const COMPACT_RENDERER: RendererSpec = Object.freeze({
  symbols: Object.freeze({ wall: '#', floor: '_', goal: 'O', box: 'X', boxOnGoal: '\u221A', player: 'P', playerOnGoal: 'S' }),
  layout: Object.freeze({ cellPrefix: '', cellSuffix: '', rowSeparator: '\n' }),
})

/**
 * A variant of the compact prompt (`sokoban-compact`, carried inline so it renders without a
 * library): the model's own chat template, the compact board, the paper's evaluation parser. The
 * answer-only target is then `<answer> X </answer>`.
 */
export function compactSokobanVariant(
  name: string,
  shown: VocabularyRef,
  accepted: VocabularyRef | 'shown',
  description: string,
): SokobanVariantSpec {
  return variant({
    name,
    task: 'sokoban',
    description,
    template: { name: 'sokoban-compact', source: SOKOBAN_COMPACT_TEMPLATE },
    chat: { mode: 'model' },
    vocabulary: { shown, accepted },
    renderer: COMPACT_RENDERER,
    parser: 'paper-eval',
  }) as SokobanVariantSpec
}

/**
 * A named variant as written: not parsed at load, since the app and the CLI build the whole list at
 * start-up (the tests check each one is exactly what `parseVariantSpec` gives back).
 */
function variant(spec: VariantSpec): VariantSpec {
  return deepFreeze(spec)
}

/**
 * The named variants of the paper's splits and training data. Sokoban eval variants use the eval
 * template (stray backslash, §11.2) in the raw `qwen-instruct` string and the evaluation parser;
 * training variants use the dataset template and the training reward. General Points test variants
 * use the test template through the model's chat template and the paper's float verifier.
 */
export const VARIANTS: readonly VariantSpec[] = Object.freeze([
  sokobanEval(
    'sokoban-eval-base',
    'base',
    'base',
    'Up/Down/Left/Right shown and accepted (SimpleSokoban and the difficulty tags).',
  ),
  sokobanEval('sokoban-eval-cardinal', 'cardinal', 'cardinal', 'North/South/West/East shown and accepted.'),
  sokobanEval(
    'sokoban-eval-fake-cardinal',
    'cardinal',
    'base',
    'North/South/West/East shown; only Up/Down/Left/Right accepted.',
  ),
  sokobanEval('sokoban-eval-emoji', 'emoji', 'emoji', 'Arrow emoji (with U+FE0F) shown and accepted.'),
  sokobanEval('sokoban-eval-fake-emoji', 'emoji', 'base', 'Arrow emoji shown; only Up/Down/Left/Right accepted.'),
  sokobanEval('sokoban-eval-empty', null, 'base', 'No Answers block; Up/Down/Left/Right accepted.'),
  sokobanEval('sokoban-eval-numerical', 'numerical', 'numerical', '1/2/3/4 shown (with a "where" line) and accepted.'),
  sokobanEval('sokoban-eval-fake-numerical', 'numerical', 'base', '1/2/3/4 shown; only Up/Down/Left/Right accepted.'),
  sokobanEval('sokoban-eval-alphabetical', 'alphabetical', 'alphabetical', 'A/B/C/D shown and accepted.'),
  sokobanEval('sokoban-eval-random', 'random', 'random', '* & 1 M shown and accepted (1 means Left).'),
  variant({
    name: 'sokoban-train-base',
    task: 'sokoban',
    description: 'The training-data prompt (no trailing backslash), Up/Down/Left/Right, scored by the training reward.',
    template: 'sokoban-single-action',
    chat: { mode: 'raw', wrapper: 'qwen-instruct' },
    vocabulary: { shown: 'base', accepted: 'base' },
    renderer: 'paper',
    parser: 'training-reward',
  }),
  variant({
    name: 'sokoban-train-words',
    task: 'sokoban',
    description: 'The diverse ("super random") training prompt: 4 words from the 210-word pool per data row (§7.5).',
    template: 'sokoban-single-action',
    chat: { mode: 'raw', wrapper: 'qwen-instruct' },
    vocabulary: { shown: { kind: 'paper-words' }, accepted: 'shown' },
    renderer: 'paper',
    parser: 'training-reward',
  }),
  compactSokobanVariant(
    'sokoban-compact-base',
    'base',
    'shown',
    'The compact prompt of the sample models (sokoban-compact), Up/Down/Left/Right shown and accepted.',
  ),
  compactSokobanVariant(
    'sokoban-compact-words',
    { kind: 'paper-words' },
    'shown',
    "The compact prompt with 4 words from the paper's 210-word pool per data row (§7.5), shown and accepted.",
  ),
  gpTest('gp-test-all_10', 'all_10', 'all_10', "J/Q/K all count as '10' (gp_l_id, gp_l_large, gp_l_5cards)."),
  gpTest('gp-test-all_5', 'all_5', 'all_5', "J/Q/K all count as '5'."),
  gpTest('gp-test-all_7', 'all_7', 'all_7', "J/Q/K all count as '7'."),
  gpTest('gp-test-all_12', 'all_12', 'all_12', "J/Q/K all count as '12'."),
  gpTest('gp-test-regular', 'regular', 'regular', 'J/Q/K count as 11/12/13.'),
  gpTest('gp-test-fake-regular', 'regular', 'all_10', 'J/Q/K shown as 11/12/13; scored as 10 (gp_l_fake).'),
  gpTest('gp-test-fake-all_5', 'all_5', 'all_10', "J/Q/K shown as '5'; scored as 10 (gp_l_all_5_fake)."),
  variant({
    name: 'gp-train',
    task: 'gp',
    description: "The training prompt (one newline less at the end); each hand's own rule is shown and scored.",
    template: 'gp-train',
    chat: { mode: 'model' },
    rule: 'instance',
    message: 'paper',
    verifier: 'paper',
  }),
])

/** A named variant; throws with the list of names (closest first) when there is none. */
export function variantByName(name: string): VariantSpec {
  const found = VARIANTS.find((v) => v.name === name)
  if (found !== undefined) return found
  throw new Error(`Unknown variant "${name}". ${suggestionText(name, VARIANTS.map((v) => v.name))}`)
}

/** "Did you mean …? Known: …" for an unknown name, nearest names first. */
export function suggestionText(name: string, known: readonly string[]): string {
  const near = nearNames(name, known)
  const hint = near.length > 0 ? `Did you mean ${near.map((n) => `"${n}"`).join(' or ')}? ` : ''
  return `${hint}Known names: ${known.join(', ')}.`
}

/**
 * Up to three known names close to `name`: case-insensitive Levenshtein distance at most a third of
 * the name's length (at least 2), or one name containing the other.
 */
export function nearNames(name: string, known: readonly string[]): string[] {
  const wanted = name.toLowerCase()
  const limit = Math.max(2, Math.floor(wanted.length / 3))
  return known
    .map((k) => ({ k, d: editDistance(wanted, k.toLowerCase()) }))
    .filter(({ k, d }) => d <= limit || (wanted.length >= 3 && k.toLowerCase().includes(wanted)))
    .sort((a, b) => a.d - b.d || a.k.localeCompare(b.k))
    .slice(0, 3)
    .map(({ k }) => k)
}

