/**
 * @module core/eval/spec
 * The sweep spec: one JSON file, shared by the app and the command line, that says what to evaluate
 * (paper-tasks.md §5, §6.4-§6.5, §9.3): a task, variants × difficulties × N instances × R repeats,
 * one or more models (each with a backend and sampling parameters), the Sokoban protocol and a seed.
 *
 *     { "version": 1, "name": "smoke", "task": "sokoban", "seed": 7,
 *       "variants": ["sokoban-eval-base"],
 *       "difficulties": [{ "name": "6x6-1", "difficulty": "simple" }],
 *       "instances": 20, "repeats": 1,
 *       "protocol": { "mode": "closed-loop", "maxTurns": 30, "maxSteps": 30 },
 *       "models": [{ "name": "tiny", "backend": { "kind": "onnx", "path": "models/tiny" },
 *                    "sampling": { "temperature": 0.5 } }],
 *       "concurrency": 16 }
 *
 * `parseSweepSpec` validates with zod and throws a `SpecError` whose message names every bad field
 * (`sweep.difficulties[1].difficulty.rows: ...`). The parsed spec keeps what the file says (named
 * variants stay names, sampling stays partial), so a run folder's manifest shows the file as written;
 * `sweepVariants`, `sweepInstanceSet`, `difficultyValue` and `sweepProtocol` resolve it.
 */
import { z } from 'zod'
import { DifficultySpecSchema, PAPER_DIFFICULTIES, type DifficultySpec } from '../experiment/difficulty.ts'
import { InstanceSetSpecSchema, SeedSchemeSchema, type InstanceSetSpec } from '../experiment/instance-set.ts'
import {
  RuleSettingSchema,
  VARIANTS,
  VariantSpecSchema,
  suggestionText,
  type RuleSettingSpec,
  type VariantSpec,
} from '../experiment/variant.ts'
import { PRESETS } from '../experiment/presets.ts'
import { parseSpec } from '../experiment/schema.ts'
import { SamplingParamsSchema, type SamplingParamsInput } from '../model/params.ts'
import { PAPER_MAX_STEPS, PAPER_MAX_TURNS } from '../sokoban/episode.ts'
import { deriveSeed } from '../rng/index.ts'

/** The sweep file format version this module reads. */
export const SWEEP_SPEC_VERSION = 1

/** Names that appear in cell ids (`model/variant/difficulty/instance/repeat`): no `/`, no spaces. */
const NAME_RE = /^[A-Za-z0-9._-]+$/
const NameSchema = z
  .string()
  .regex(NAME_RE, 'use only letters, digits, ".", "_" and "-" (names become part of cell ids)')

/** Execution providers of the local runtime (`auto` tries the GPUs, then the CPU). */
export const ONNX_PROVIDERS = ['auto', 'cpu', 'cuda', 'dml', 'coreml'] as const

/** A model folder run by sftbench's own ONNX runtime. A relative `path` is relative to the sweep file. */
export const OnnxBackendSchema = z
  .object({
    kind: z.literal('onnx'),
    path: z.string().min(1, 'path must name the model folder'),
    provider: z.enum(ONNX_PROVIDERS).optional(),
    /** A dtype (`fp32`, `fp16`, `q4`, ...) or a graph file relative to the folder. */
    variant: z.string().min(1).optional(),
  })
  .strict()
export type OnnxBackendSpec = z.infer<typeof OnnxBackendSchema>

const EndpointSchema = z
  .object({
    url: z
      .string()
      .regex(/^https?:\/\/\S+$/, 'url must be an http:// or https:// URL, e.g. http://127.0.0.1:8000/v1'),
    /** The environment variable holding the API key (the key itself never goes in a sweep file). */
    apiKeyEnv: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'apiKeyEnv must be an environment variable name')
      .optional(),
    maxConcurrency: z.int().min(1).optional(),
  })
  .strict()

/**
 * An OpenAI-compatible HTTP server (vLLM, llama.cpp, Ollama, `sftbench serve-model`), used round-robin
 * over its endpoints.
 */
export const OpenAiBackendSchema = z
  .object({
    kind: z.literal('openai'),
    api: z.enum(['chat', 'completions']),
    model: z.string().min(1, 'model must name the served model'),
    endpoints: z.array(EndpointSchema).min(1, 'give at least one endpoint'),
    retries: z.int().min(0).optional(),
    timeoutMs: z.int().min(1).optional(),
  })
  .strict()
export type OpenAiBackendSpec = z.infer<typeof OpenAiBackendSchema>

/** A model's backend, told apart by `kind`. */
export const ModelBackendSchema = z.discriminatedUnion('kind', [OnnxBackendSchema, OpenAiBackendSchema])
export type ModelBackendSpec = z.infer<typeof ModelBackendSchema>

// Sampling as written: every field optional and no defaults filled in (the runtime fills them, and
// a manifest should show what the file said). Each field keeps the validation of SamplingParamsSchema.
const samplingShape = Object.fromEntries(
  Object.entries(SamplingParamsSchema.shape).map(([key, field]) => [key, field.unwrap().optional()]),
)
const SamplingInputSchema = z
  .object(samplingShape)
  .strict()
  .superRefine((value, ctx) => {
    if (value.seed !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['seed'],
        message: 'sampling seeds come from the sweep seed (each cell and turn derives its own); remove seed',
      })
    }
  }) as unknown as z.ZodType<SamplingParamsInput>

/** One model of a sweep: a name (part of cell ids), a backend and its sampling parameters. */
export const ModelSpecSchema = z
  .object({
    name: NameSchema,
    backend: ModelBackendSchema,
    sampling: SamplingInputSchema.optional(),
  })
  .strict()
export type ModelSpec = z.infer<typeof ModelSpecSchema>

/**
 * Accepts a known name or an inline spec. A union would report "Invalid input" at the item; this
 * reports the unknown name with suggestions, or the inline spec's own field errors.
 */
function nameOrSpec<S extends z.ZodType>(schema: S, known: () => readonly string[], what: string) {
  return z
    .unknown()
    .superRefine((value, ctx) => {
      if (typeof value === 'string') {
        const names = known()
        if (!names.includes(value)) {
          const message = `unknown ${what} "${value}". ${suggestionText(value, names)}`
          ctx.addIssue({ code: 'custom', message, continue: false })
        }
        return
      }
      const result = schema.safeParse(value)
      if (!result.success) {
        // `continue: false` keeps the sweep's cross-field checks from reporting the same problem again.
        for (const issue of result.error.issues) {
          ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path, continue: false })
        }
      }
    })
    .transform((value) => (typeof value === 'string' ? value : schema.parse(value)) as string | z.output<S>)
}

const VariantEntrySchema = nameOrSpec(VariantSpecSchema, () => VARIANTS.map((v) => v.name), 'variant')

const DifficultyRefSchema = nameOrSpec(DifficultySpecSchema, () => Object.keys(PAPER_DIFFICULTIES), 'difficulty')

/**
 * One difficulty: a paper difficulty name or an inline difficulty (instances from sftbench's seeded
 * generators unless `seedScheme` says otherwise), or a preset's instance set. `value` places it on
 * plots' x axis (default: its 1-based position).
 */
export const DifficultyEntrySchema = z
  .object({
    name: NameSchema,
    difficulty: DifficultyRefSchema.optional(),
    preset: z.string().min(1).optional(),
    value: z.number().refine(Number.isFinite, 'value must be a finite number').optional(),
    seedScheme: SeedSchemeSchema.optional(),
    start: z.int().min(0).optional(),
    rule: z.union([RuleSettingSchema, z.array(RuleSettingSchema).min(1)]).optional(),
  })
  .strict()
export type DifficultyEntry = z.infer<typeof DifficultyEntrySchema>

/** Sokoban's protocol: closed loop (the paper's, §5.1) or open loop (one whole-plan answer). */
export const ProtocolSchema = z
  .object({
    mode: z.enum(['closed-loop', 'open-loop']).default('closed-loop'),
    maxTurns: z.int().min(1).default(PAPER_MAX_TURNS),
    maxSteps: z.int().min(1).default(PAPER_MAX_STEPS),
  })
  .strict()
export type ProtocolSpec = z.infer<typeof ProtocolSchema>

/** The paper's protocol: closed loop, 30 turns, 30 env steps. */
export const PAPER_PROTOCOL: ProtocolSpec = Object.freeze({
  mode: 'closed-loop',
  maxTurns: PAPER_MAX_TURNS,
  maxSteps: PAPER_MAX_STEPS,
})

/** The General Points rule a seeded hand is dealt under when a difficulty names none (the paper's J/Q/K = 10). */
export const DEFAULT_GP_RULE: RuleSettingSpec = Object.freeze({ shown: 'all_10', scored: 'all_10' })

const SweepObjectSchema = z
  .object({
    version: z.literal(SWEEP_SPEC_VERSION, `version must be ${SWEEP_SPEC_VERSION}`),
    name: NameSchema,
    description: z.string().optional(),
    task: z.enum(['sokoban', 'gp']),
    seed: z.int().min(0).max(Number.MAX_SAFE_INTEGER),
    variants: z.array(VariantEntrySchema).min(1, 'give at least one variant'),
    difficulties: z.array(DifficultyEntrySchema).min(1, 'give at least one difficulty'),
    instances: z.int().min(1),
    repeats: z.int().min(1).default(1),
    protocol: ProtocolSchema.optional(),
    models: z.array(ModelSpecSchema).min(1, 'give at least one model'),
    concurrency: z.int().min(1).max(4096).default(16),
  })
  .strict()

/** A validated sweep (see the module comment). */
export type SweepSpec = z.infer<typeof SweepObjectSchema>

type Issue = { path: (string | number)[]; message: string }

function duplicates(names: readonly string[], field: string, what: string): Issue[] {
  const issues: Issue[] = []
  const seen = new Map<string, number>()
  names.forEach((name, i) => {
    const first = seen.get(name)
    if (first === undefined) seen.set(name, i)
    else {
      const message = `${what} name "${name}" is already used by ${field}[${first}]`
      issues.push({ path: [field, i, 'name'], message })
    }
  })
  return issues
}

/** The variant an entry stands for (named variants resolve to the paper's definitions). */
function variantOfEntry(entry: string | VariantSpec): VariantSpec | undefined {
  return typeof entry === 'string' ? VARIANTS.find((v) => v.name === entry) : entry
}

function crossFieldIssues(spec: SweepSpec): Issue[] {
  const issues: Issue[] = []
  spec.variants.forEach((entry, i) => {
    const variant = variantOfEntry(entry)
    if (variant === undefined) return
    if (typeof entry !== 'string' && !NAME_RE.test(variant.name)) {
      const message = 'use only letters, digits, ".", "_" and "-" in variant names (they become part of cell ids)'
      issues.push({ path: ['variants', i, 'name'], message })
    }
    if (variant.task !== spec.task) {
      const path = typeof entry === 'string' ? ['variants', i] : ['variants', i, 'task']
      const message = `variant "${variant.name}" is for ${variant.task}, but the sweep's task is ${spec.task}`
      issues.push({ path, message })
    }
  })
  // A repeated named variant is reported at the entry itself (it has no name field).
  const repeated = duplicates(spec.variants.map(variantName), 'variants', 'variant')
  for (const issue of repeated) {
    const i = issue.path[1] as number
    issues.push(typeof spec.variants[i] === 'string' ? { ...issue, path: ['variants', i] } : issue)
  }
  issues.push(...duplicates(spec.difficulties.map((d) => d.name), 'difficulties', 'difficulty'))
  issues.push(...duplicates(spec.models.map((m) => m.name), 'models', 'model'))
  spec.difficulties.forEach((entry, i) => issues.push(...difficultyIssues(spec, entry, i)))
  return issues
}

function difficultyIssues(spec: SweepSpec, entry: DifficultyEntry, i: number): Issue[] {
  const at = (...path: (string | number)[]): (string | number)[] => ['difficulties', i, ...path]
  const hasDifficulty = entry.difficulty !== undefined
  const hasPreset = entry.preset !== undefined
  if (hasDifficulty === hasPreset) {
    const message = hasPreset
      ? 'give either difficulty or preset, not both'
      : 'give a difficulty (a name such as "simple", or {"task": ..., ...}) or a preset'
    return [{ path: at(hasPreset ? 'preset' : 'difficulty'), message }]
  }
  if (hasPreset) {
    const preset = PRESETS.find((p) => p.name === entry.preset)
    if (preset === undefined) {
      const names = PRESETS.map((p) => p.name)
      const message = `unknown preset "${entry.preset}". ${suggestionText(entry.preset ?? '', names)}`
      return [{ path: at('preset'), message }]
    }
    if (preset.task !== spec.task) {
      const message = `preset "${preset.name}" is a ${preset.task} preset, but the sweep's task is ${spec.task}`
      return [{ path: at('preset'), message }]
    }
    const fixed = (['seedScheme', 'rule'] as const).filter((k) => entry[k] !== undefined)
    if (fixed.length > 0) {
      const message = `a preset fixes its own ${fixed[0]}; remove it or use a difficulty instead`
      return [{ path: at(fixed[0]), message }]
    }
  } else {
    const d = resolveDifficulty(entry.difficulty as string | DifficultySpec)
    if (d === undefined) return []
    if (d.task !== spec.task) {
      const message = `the difficulty is for ${d.task}, but the sweep's task is ${spec.task}`
      return [{ path: at('difficulty'), message }]
    }
  }
  const set = instanceSetOfEntry(spec, entry)
  const result = InstanceSetSpecSchema.safeParse(set)
  if (result.success) return []
  return result.error.issues.map((issue) => ({
    path: instanceSetPath(entry, i, issue.path),
    message: issue.message,
  }))
}

/** Maps a problem in the instance set built from a difficulty entry back to the field a user wrote. */
function instanceSetPath(entry: DifficultyEntry, i: number, path: readonly PropertyKey[]): (string | number)[] {
  const rest = path.slice(1).map((k) => (typeof k === 'number' ? k : String(k)))
  switch (path[0]) {
    case 'count':
      return ['instances']
    case 'task':
      return ['task']
    case 'difficulty':
      return entry.preset !== undefined || typeof entry.difficulty === 'string'
        ? ['difficulties', i, entry.preset !== undefined ? 'preset' : 'difficulty']
        : ['difficulties', i, 'difficulty', ...rest]
    case 'seedScheme':
      return entry.seedScheme === undefined ? ['difficulties', i] : ['difficulties', i, 'seedScheme', ...rest]
    default:
      return ['difficulties', i, String(path[0] ?? ''), ...rest]
  }
}

function resolveDifficulty(ref: string | DifficultySpec): DifficultySpec | undefined {
  return typeof ref === 'string' ? PAPER_DIFFICULTIES[ref] : ref
}

function instanceSetOfEntry(spec: SweepSpec, entry: DifficultyEntry): InstanceSetSpec {
  if (entry.preset !== undefined) {
    const preset = PRESETS.find((p) => p.name === entry.preset)
    if (preset === undefined) throw new Error(`Unknown preset "${entry.preset}".`)
    const start = entry.start ?? preset.instanceSet.start
    return { ...preset.instanceSet, count: spec.instances, ...(start === undefined ? {} : { start }) }
  }
  const difficulty = resolveDifficulty(entry.difficulty as string | DifficultySpec)
  if (difficulty === undefined) throw new Error(`Unknown difficulty ${JSON.stringify(entry.difficulty)}.`)
  const seedScheme = entry.seedScheme ?? {
    kind: 'seeded' as const,
    seed: deriveSeed(spec.seed, 'instances', entry.name),
  }
  const seededGp = difficulty.task === 'gp' && seedScheme.kind === 'seeded'
  const rule = entry.rule ?? (seededGp ? DEFAULT_GP_RULE : undefined)
  return {
    task: difficulty.task,
    difficulty,
    seedScheme,
    count: spec.instances,
    ...(entry.start === undefined ? {} : { start: entry.start }),
    ...(rule === undefined ? {} : { rule }),
  }
}

/** The sweep schema: field checks, then the checks across fields (unique names, tasks, instance sets). */
export const SweepSpecSchema = SweepObjectSchema.superRefine((spec, ctx) => {
  if (spec.task === 'gp' && spec.protocol !== undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['protocol'],
      message: 'protocol applies to Sokoban sweeps only (General Points is single-turn); remove it',
    })
  }
  for (const issue of crossFieldIssues(spec)) ctx.addIssue({ code: 'custom', ...issue })
})

/**
 * Validates a sweep (e.g. read from JSON). Throws a `SpecError` listing every problem as
 * `sweep.<field>: <what is wrong>`.
 */
export function parseSweepSpec(input: unknown): SweepSpec {
  return parseSpec(SweepSpecSchema, input, 'sweep')
}

/** The variant a sweep entry names (or defines inline). */
export function variantOf(entry: string | VariantSpec): VariantSpec {
  const variant = variantOfEntry(entry)
  if (variant === undefined) {
    const names = VARIANTS.map((v) => v.name)
    throw new Error(`Unknown variant "${String(entry)}". ${suggestionText(String(entry), names)}`)
  }
  return variant
}

/** The name of a sweep's variant entry. */
export function variantName(entry: string | VariantSpec): string {
  return typeof entry === 'string' ? entry : entry.name
}

/** Every variant of the sweep, resolved, in spec order. */
export function sweepVariants(spec: SweepSpec): VariantSpec[] {
  return spec.variants.map(variantOf)
}

/** The instance set of difficulty `index` (N = `spec.instances` items). */
export function sweepInstanceSet(spec: SweepSpec, index: number): InstanceSetSpec {
  const entry = spec.difficulties[index]
  if (entry === undefined) {
    throw new RangeError(`The sweep has ${spec.difficulties.length} difficulties; index ${index} is out of range.`)
  }
  return instanceSetOfEntry(spec, entry)
}

/** The plot value of difficulty `index`: its `value`, or its 1-based position. */
export function difficultyValue(spec: SweepSpec, index: number): number {
  return spec.difficulties[index]?.value ?? index + 1
}

/** The Sokoban protocol with defaults filled in (the paper's when the spec gives none). */
export function sweepProtocol(spec: SweepSpec): ProtocolSpec {
  return spec.protocol ?? PAPER_PROTOCOL
}
