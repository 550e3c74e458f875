/**
 * @module core/dataset/build
 * Builds a training dataset from a preset: the rows of every file (verl parquet layouts and JSONL
 * records), one record per exported instance, and the counts for the manifest. Pure: encoding,
 * hashing and writing happen in `electron/services/export.ts`.
 *
 * Sokoban (paper-tasks.md §4.4, §7.5, §8): by default one example per state along the instance's
 * stored BFS plan, labelled with the next move of that plan (the paper's one-step data; the plan is
 * computed once per puzzle, as the reference does). Row r of a split is the r-th example in instance
 * order; per-row vocabularies are drawn from r, as the paper's diverse data draws from
 * `np.random.seed(42 + r)`. The answer-only response continues the prompt's open `<think>`:
 * `</think> <answer> {word} </answer>\n`. CoT responses come from `sokobanCot` (the solver-written
 * trace); the paper's CoT was sampled from a model and kept only when it matched the label, so a
 * trace is always checked against the label.
 *
 * General Points (§6.1-§6.3): one example per hand, the question rendered by the variant, the
 * answer the paper's JSON with the stored formula, the CoT `<think>\n{trace}\n</think>\n\n{JSON}`.
 */
import {
  PAPER_WORD_POOL,
  defaultTemplateLibrary,
  gpScoredHand,
  instanceAt,
  instanceKey,
  optimalAnswer,
  paperRowVocabulary,
  parseInstanceSetSpec,
  planPositions,
  presetByName,
  renderInstancePrompt,
  sokobanStateKey,
  variantByName,
  variantVocabularies,
} from '../experiment/index.ts'
import type {
  GpInstance,
  GpVariantSpec,
  Instance,
  InstanceSetSpec,
  Preset,
  SokobanInstance,
  SokobanVariantSpec,
  VariantSpec,
} from '../experiment/index.ts'
import type { TemplateLibrary } from '../prompt/library.ts'
import { SOKOBAN_MULTI_ACTION_TEMPLATE } from '../prompt/paper-templates.ts'
import { rngFor } from '../rng/rng.ts'
import { serializeXsb } from '../sokoban/xsb.ts'
import { LURD, type Direction } from '../sokoban/directions.ts'
import type { SokobanState } from '../sokoban/level.ts'
import { PAPER_MAX_DEPTH } from '../sokoban/solve/bfs.ts'
import { sokobanCot } from '../sokoban/cot.ts'
import { randomWordVocabulary, type ActionVocabulary } from '../sokoban/vocab.ts'
import { gpCot } from '../gp/cot.ts'
import { rankValue } from '../gp/cards.ts'
import { rlRecord, sftRecord, type ExampleText, type PromptChat } from './jsonl.ts'
import type { DatasetFileKind, ManifestCounts } from './manifest.ts'
import { DatasetSettingsError, asSettingsError, resolveExportOptions, type DatasetKind, type ExportOptions } from './options.ts'
import type { GpExtraInfo, GpRlRow, GpSftRow, SokobanRlRow, SokobanSftRow, VerlLayout, VerlRow } from './verl.ts'

/** The two splits of an export. */
export type DatasetSplit = 'train' | 'test'

/** The instance-set file of an export, one JSON line per exported instance. */
export const INSTANCES_FILE = 'instances.jsonl'

/** One line of `instances.jsonl`: an exported instance, its content keys and where its rows are. */
export interface InstanceRecord {
  readonly id: string
  readonly split: DatasetSplit
  /** Position in the preset's instance set. */
  readonly index: number
  readonly task: 'sokoban' | 'gp'
  /** `instanceKey` of the instance. */
  readonly key: string
  /** The key of every position or hand a training row shows (Sokoban: one per one-step example). */
  readonly exampleKeys: readonly string[]
  /** Row numbers of this instance's examples in its split's files. */
  readonly rows: readonly number[]
  /** Sokoban: the start position in XSB and the stored plan in LURD letters. */
  readonly xsb?: string
  readonly plan?: string
  /** General Points: cards, scored values, the rule names and the stored formula. */
  readonly cards?: readonly string[]
  readonly values?: readonly number[]
  readonly rule?: { readonly shown: string; readonly scored: string }
  readonly target?: number
  readonly solution?: string | null
}

/** The content of one file, before encoding. */
export interface DatasetFileContent {
  /** Path inside the export folder, `/` separated: `sft/train.parquet`, `instances.jsonl`, … */
  readonly path: string
  readonly kind: DatasetFileKind
  readonly split: DatasetSplit | 'all'
  readonly format: 'parquet' | 'jsonl'
  readonly layout?: VerlLayout
  readonly rows: readonly VerlRow[] | readonly Record<string, unknown>[]
}

/** What `buildDataset` returns. */
export interface BuiltDataset {
  readonly options: ExportOptions
  readonly preset: Preset
  readonly task: 'sokoban' | 'gp'
  /** The instance set actually drawn (the preset's, with count, start and rules applied). */
  readonly instanceSet: InstanceSetSpec
  readonly files: readonly DatasetFileContent[]
  readonly instances: readonly InstanceRecord[]
  readonly counts: ManifestCounts
  readonly notes: readonly string[]
}

/** Hooks of `buildDataset`. */
export interface BuildHooks {
  /** Called after each instance with (instances done, total). */
  readonly onProgress?: (done: number, total: number) => void
  /** Template library (default the paper's templates). */
  readonly library?: TemplateLibrary
}

/** One example before it becomes rows. */
interface Example {
  readonly id: string
  readonly row: number
  readonly variant: VariantSpec
  readonly text: ExampleText
  readonly answer: string
  readonly cot: string | null
  /** Sokoban: move codes of the target; General Points: unused. */
  readonly groundTruth: readonly number[]
  readonly gp?: GpExtraInfo
  readonly dataSource: string
}

/** The instance set the options select from the preset. */
export function exportInstanceSet(preset: Preset, options: ExportOptions): InstanceSetSpec {
  const base = preset.instanceSet
  let spec: Record<string, unknown> = { ...base }
  if (options.rules !== undefined) {
    if (preset.task !== 'gp') throw new Error(`rules applies to General Points presets; "${preset.name}" is a Sokoban preset.`)
    const scheme = base.seedScheme
    if (scheme.kind === 'paper-gp-train') {
      const perMapping = options.perRule ?? scheme.perMapping
      spec = { ...spec, seedScheme: { ...scheme, mappings: options.rules, perMapping }, count: options.rules.length * perMapping }
    } else if (scheme.kind === 'seeded') {
      spec = { ...spec, rule: options.rules.map((r) => ({ shown: r, scored: r })) }
    } else {
      throw new Error(
        `rules needs a training preset (paper-gp-train or seeded hands); "${preset.name}" uses the fixed test split ` +
          `"${scheme.kind === 'paper-gp' ? scheme.split : scheme.kind}". Use variants to show and score other rules.`,
      )
    }
  }
  const skip = options.start ?? 0
  const available = (spec.count as number) - skip
  if (available < 1) throw new Error(`start ${skip} leaves no instance of preset "${preset.name}" (it has ${spec.count as number}).`)
  const start = (base.start ?? 0) + skip
  spec = { ...spec, count: options.count ?? available }
  if (start > 0) spec.start = start
  return parseInstanceSetSpec(spec)
}

/** Splits positions 0..n-1 into train and held-out (test), keeping order; the choice depends on (seed, n). */
export function heldOutSplit(n: number, heldOut: number, seed: number): { train: number[]; test: number[] } {
  const testCount = heldOut <= 0 ? 0 : heldOut < 1 ? Math.round(heldOut * n) : heldOut
  if (testCount >= n && testCount > 0) {
    throw new Error(`A held-out split of ${testCount} leaves no training instance out of ${n}; hold out fewer.`)
  }
  const order = Array.from({ length: n }, (_, i) => i)
  rngFor(seed, 'held-out', n).shuffle(order)
  const test = new Set(order.slice(0, testCount))
  const train: number[] = []
  const testList: number[] = []
  for (let i = 0; i < n; i++) (test.has(i) ? testList : train).push(i)
  return { train, test: testList }
}

function chatOf(variant: VariantSpec): PromptChat {
  return variant.chat.mode
}

/** How the answer-only target of a variant starts: continuing `<think>`, continuing `<answer>`, or bare. */
function answerForm(answer: string): 'think' | 'answer' | 'plain' {
  if (answer.startsWith('</think> ')) return 'think'
  if (answer.startsWith('<answer> ')) return 'plain'
  return 'answer'
}

function checkVariant(variant: VariantSpec, task: 'sokoban' | 'gp', where: string): void {
  if (variant.task !== task) throw new Error(`${where}: variant "${variant.name}" is for ${variant.task}, but the preset is ${task}.`)
}

/** The variant a row uses, with the per-row vocabulary applied (see `VocabularyMode`). */
function rowVariant(variants: readonly VariantSpec[], options: ExportOptions, row: number): VariantSpec {
  if (variants.length === 1) return variants[0]
  return variants[rngFor(options.seed, 'variant', row).below(variants.length)]
}

function rowVocabulary(options: ExportOptions, row: number): ActionVocabulary | undefined {
  if (options.vocabulary === 'paper-words') return paperRowVocabulary(row)
  if (options.vocabulary === 'seeded-words') return randomWordVocabulary(options.wordPool ?? PAPER_WORD_POOL, rngFor(options.seed, 'words', row))
  return undefined
}

/**
 * With per-row words, rows answer in the words they show, as the paper's diverse data does (its
 * labels are converted to the words), whatever the variant accepts.
 */
function acceptShown(variant: SokobanVariantSpec, vocabulary: ActionVocabulary | undefined): SokobanVariantSpec {
  if (vocabulary === undefined || variant.vocabulary.accepted === 'shown') return variant
  return { ...variant, vocabulary: { shown: variant.vocabulary.shown ?? 'base', accepted: 'shown' } }
}

/** The multi-action prompt for a whole-plan example, when the variant uses a paper single-step template. */
function wholePlanVariant(variant: SokobanVariantSpec, moves: number): SokobanVariantSpec {
  if (variant.template !== 'sokoban-single-action' && variant.template !== 'sokoban-eval') return variant
  const source = SOKOBAN_MULTI_ACTION_TEMPLATE.replace('{{ len_horizon }}', String(moves))
  return { ...variant, template: { name: 'sokoban-multi-action', source } }
}

function sokobanDataSource(instance: SokobanInstance, options: ExportOptions, variant: VariantSpec, mixed: boolean): string {
  if (options.dataSource !== undefined) return options.dataSource
  const { rows, cols } = instance.level
  const horizon = options.sokobanExamples === 'one-step' ? '1horizon' : 'plan'
  const words = options.vocabulary !== 'variant' ||
    (variant.task === 'sokoban' && typeof variant.vocabulary.shown === 'object' && variant.vocabulary.shown?.kind === 'paper-words')
  return `sokoban_${cols}x${rows}_${horizon}${words ? '_random' : ''}${mixed ? `_${variant.name}` : ''}`
}

function gpDataSource(preset: Preset, options: ExportOptions, shownRule: string, variant: VariantSpec, mixed: boolean): string {
  if (options.dataSource !== undefined) return options.dataSource
  const base = preset.role === 'train' ? `gp-l-${shownRule}` : preset.name
  return mixed ? `${base}_${variant.name}` : base
}

interface InstanceExamples {
  readonly examples: Example[]
  readonly record: Omit<InstanceRecord, 'split' | 'rows'>
}

function sokobanExamples(
  instance: SokobanInstance,
  firstRow: number,
  variants: readonly VariantSpec[],
  options: ExportOptions,
  library: TemplateLibrary,
): InstanceExamples | string {
  const plan = instance.optimalPlan
  if (plan.length === 0) return `no plan of at most ${PAPER_MAX_DEPTH} moves (the paper skips such puzzles)`
  const mixed = variants.length > 1
  const wantCot = options.kinds.includes('cot')
  const positions: { state: SokobanState; rest: readonly Direction[] }[] =
    options.sokobanExamples === 'one-step'
      ? planPositions(instance.level, plan).map((p, j) => ({ state: p.state, rest: plan.slice(j) }))
      : [{ state: instance.level.start, rest: plan }]
  const examples: Example[] = positions.map(({ state, rest }, j) => {
    const row = firstRow + j
    const vocabulary = rowVocabulary(options, row)
    let variant = acceptShown(rowVariant(variants, options, row) as SokobanVariantSpec, vocabulary)
    if (options.sokobanExamples === 'whole-plan') variant = wholePlanVariant(variant, rest.length)
    // The position as an instance of its own, carrying the rest of the stored plan: the label is the
    // reference's (computed once per puzzle), not a fresh search from this position.
    const at: SokobanInstance = { ...instance, level: { ...instance.level, start: state }, optimalPlan: rest }
    const renderOptions = {
      row,
      ...(vocabulary === undefined ? {} : { vocabulary }),
      form: options.sokobanExamples === 'one-step' ? ('next-action' as const) : ('whole-plan' as const),
      library,
    }
    const prompt = renderInstancePrompt(at, variant, library, renderOptions)
    const answer = optimalAnswer(at, variant, renderOptions)
    const groundTruth = options.sokobanExamples === 'one-step' ? [rest[0]] : rest.slice()
    let cot: string | null = null
    if (wantCot) cot = sokobanCotResponse(at, variant, renderOptions, answer, rest[0], instance.id)
    return {
      id: options.sokobanExamples === 'one-step' ? `${instance.id}@${j}` : instance.id,
      row,
      variant,
      text: { chat: chatOf(variant), prompt, response: answer },
      answer,
      cot,
      groundTruth,
      dataSource: sokobanDataSource(instance, options, variant, mixed),
    }
  })
  return {
    examples,
    record: {
      id: instance.id,
      index: instance.index,
      task: 'sokoban',
      key: instanceKey(instance),
      exampleKeys: positions.map((p) => sokobanStateKey(instance.level, p.state)),
      xsb: serializeXsb(instance.level),
      plan: plan.map((d) => LURD[d]).join(''),
    },
  }
}

function sokobanCotResponse(
  at: SokobanInstance,
  variant: SokobanVariantSpec,
  renderOptions: { row: number; vocabulary?: ActionVocabulary },
  answer: string,
  label: Direction,
  instanceId: string,
): string {
  const form = answerForm(answer)
  if (form === 'answer') {
    throw new DatasetSettingsError(
      `Variant "${variant.name}" ends its prompt inside <answer>, which leaves no room for a chain of thought; ` +
        'drop "cot" from kinds or use a wrapper that ends with <think>.',
    )
  }
  const { accepted } = variantVocabularies(variant, renderOptions)
  const cot = sokobanCot(at.level, at.level.start, accepted, { maxDepth: PAPER_MAX_DEPTH })
  const word = accepted.names[label - 1]
  if (!cot.endsWith(`</think> <answer> ${word} </answer>`)) {
    // The solver's first shortest plan from a position on the stored plan is that plan's rest, so the
    // trace always names the label; a mismatch means the instance's plan is not the solver's.
    throw new Error(`Instance ${instanceId}: the CoT trace does not answer the stored label "${word}".`)
  }
  return form === 'think' ? cot : `<think>${cot}`
}

function gpCotResponse(cards: readonly string[], values: readonly number[], target: number, solution: string): string {
  const trace = gpCot({ cards, values, target }, solution)
  const at = trace.lastIndexOf('\n\n{')
  if (at < 0) throw new Error('internal: the General Points trace has no JSON answer.')
  return `<think>\n${trace.slice(0, at)}\n</think>\n\n${trace.slice(at + 2)}`
}

function gpExamples(
  instance: GpInstance,
  row: number,
  preset: Preset,
  variants: readonly VariantSpec[],
  options: ExportOptions,
  library: TemplateLibrary,
): InstanceExamples | string {
  const variant = rowVariant(variants, options, row) as GpVariantSpec
  const scored = gpScoredHand(instance, variant)
  if (scored.solution === null) {
    const r = scored.rule.scored
    return `no solution under variant "${variant.name}" (J/Q/K = ${r.jack}/${r.queen}/${r.king})`
  }
  const prompt = renderInstancePrompt(instance, variant, library)
  const answer = optimalAnswer(instance, variant, { library })
  const cot = options.kinds.includes('cot') ? gpCotResponse(instance.cards, scored.values, instance.target, scored.solution) : null
  const sameRule = scored.rule.scored.name === instance.rule.scored.name
  const solutions = sameRule && instance.meta.paperSolutions !== undefined ? instance.meta.paperSolutions : [scored.solution]
  const gp: GpExtraInfo = {
    index: row,
    cards: instance.cards.slice(),
    display_cards: scored.values.slice(),
    solution: solutions.slice(),
    target: instance.target,
    face_card_mapping: scored.rule.shown.name,
  }
  const example: Example = {
    id: instance.id,
    row,
    variant,
    text: { chat: chatOf(variant), prompt, response: answer },
    answer,
    cot,
    groundTruth: [],
    gp,
    dataSource: gpDataSource(preset, options, scored.rule.shown.name, variant, variants.length > 1),
  }
  return {
    examples: [example],
    record: {
      id: instance.id,
      index: instance.index,
      task: 'gp',
      key: instanceKey(instance),
      // The hand as this row shows and scores it (a variant may put it under another rule).
      exampleKeys: [
        instanceKey({
          ...instance,
          rule: scored.rule,
          values: scored.values,
          shownValues: instance.ranks.map((r) => rankValue(r, scored.rule.shown)),
        }),
      ],
      cards: instance.cards.slice(),
      values: scored.values.slice(),
      rule: { shown: scored.rule.shown.name, scored: scored.rule.scored.name },
      target: instance.target,
      solution: scored.solution,
    },
  }
}

function sokobanRows(examples: readonly Example[], split: DatasetSplit, kind: DatasetKind): VerlRow[] {
  if (kind === 'rl') {
    return examples.map((e): SokobanRlRow => ({
      data_source: e.dataSource,
      prompt: [{ role: 'user', content: e.text.prompt }],
      ability: 'bfs',
      reward_model: { style: 'rule', ground_truth: e.groundTruth.slice() },
      extra_info: { split, index: e.row },
      id: `${split}_${e.row}`,
    }))
  }
  return examples
    .filter((e) => kind === 'sft' || e.cot !== null)
    .map((e): SokobanSftRow => ({
      data_source: e.dataSource,
      prompt: e.text.prompt,
      response: kind === 'sft' ? e.answer : (e.cot as string),
      ability: 'bfs',
      reward_model: { style: 'rule', ground_truth: e.groundTruth.slice() },
      extra_info: { split, index: e.row },
    }))
}

function gpRows(examples: readonly Example[], kind: DatasetKind): VerlRow[] {
  if (kind === 'rl') {
    return examples.map((e): GpRlRow => ({
      data_source: e.dataSource,
      question: [{ role: 'user', content: e.text.prompt }],
      extra_info: e.gp as GpExtraInfo,
    }))
  }
  return examples
    .filter((e) => kind === 'sft' || e.cot !== null)
    .map((e): GpSftRow => ({
      data_source: e.dataSource,
      question: e.text.prompt,
      answer: kind === 'sft' ? e.answer : (e.cot as string),
      extra_info: e.gp as GpExtraInfo,
    }))
}

function jsonlRows(examples: readonly Example[], split: DatasetSplit, kind: DatasetKind, options: ExportOptions): Record<string, unknown>[] {
  return examples
    .filter((e) => kind !== 'cot' || e.cot !== null)
    .map((e) => {
      const extra: Record<string, unknown> = { id: e.id, data_source: e.dataSource, split, index: e.row }
      if (e.gp === undefined) extra.ground_truth = e.groundTruth.slice()
      else Object.assign(extra, { cards: e.gp.cards, display_cards: e.gp.display_cards, target: e.gp.target })
      if (kind === 'rl') return rlRecord(e.text, options.jsonlStyle, extra)
      const response = kind === 'sft' ? e.answer : (e.cot as string)
      return sftRecord({ ...e.text, response }, options.jsonlStyle, extra)
    })
}

const LAYOUTS: Readonly<Record<'sokoban' | 'gp', Readonly<Record<DatasetKind, VerlLayout>>>> = {
  sokoban: { sft: 'sokoban-sft', cot: 'sokoban-sft', rl: 'sokoban-rl' },
  gp: { sft: 'gp-sft', cot: 'gp-sft', rl: 'gp-rl' },
}

/**
 * Builds every file of an export from settings (validated with `resolveExportOptions`). Throws a
 * `DatasetSettingsError` for an unknown preset or variant, a variant of the other task, or settings
 * the preset cannot honour.
 */
export function buildDataset(input: unknown, hooks: BuildHooks = {}): BuiltDataset {
  const options = resolveExportOptions(input)
  const library = hooks.library ?? defaultTemplateLibrary()
  const { preset, variants, instanceSet, split } = asSettingsError(() => {
    const preset = presetByName(options.preset)
    const variants = options.variants === undefined ? [preset.variant] : options.variants.map(variantByName)
    variants.forEach((v) => checkVariant(v, preset.task, 'variants'))
    if (preset.task === 'gp' && (options.vocabulary !== 'variant' || options.sokobanExamples !== 'one-step')) {
      throw new Error('vocabulary and sokobanExamples apply to Sokoban presets; leave them at their defaults for General Points.')
    }
    const instanceSet = exportInstanceSet(preset, options)
    return { preset, variants, instanceSet, split: heldOutSplit(instanceSet.count, options.heldOut, options.seed) }
  })
  const task = preset.task
  const splitOf = new Map<number, DatasetSplit>()
  split.train.forEach((i) => splitOf.set(i, 'train'))
  split.test.forEach((i) => splitOf.set(i, 'test'))

  const examples: Record<DatasetSplit, Example[]> = { train: [], test: [] }
  const records: InstanceRecord[] = []
  const skipped: { id: string; reason: string }[] = []
  const instancesBySplit: Record<DatasetSplit, number> = { train: 0, test: 0 }
  const nonReproducible: string[] = []
  const skip = options.start ?? 0
  for (let i = 0; i < instanceSet.count; i++) {
    const instance: Instance = instanceAt(instanceSet, i)
    const s = splitOf.get(i) as DatasetSplit
    const firstRow = examples[s].length
    const made =
      instance.task === 'sokoban'
        ? sokobanExamples(instance, firstRow, variants, options, library)
        : gpExamples(instance, firstRow, preset, variants, options, library)
    if (typeof made === 'string') {
      skipped.push({ id: instance.id, reason: made })
    } else {
      examples[s].push(...made.examples)
      records.push({ ...made.record, split: s, rows: made.examples.map((e) => e.row) })
      instancesBySplit[s]++
      const flagged = preset.nonReproducible.find((item) => item.index === skip + i)
      if (flagged !== undefined && preset.instanceSet.seedScheme.kind === instanceSet.seedScheme.kind) {
        nonReproducible.push(`${instance.id} (seed ${flagged.seed}): ${flagged.reason}`)
      }
    }
    hooks.onProgress?.(i + 1, instanceSet.count)
  }

  const splits: DatasetSplit[] = split.test.length > 0 ? ['train', 'test'] : ['train']
  const files: DatasetFileContent[] = []
  for (const kind of options.kinds) {
    for (const s of splits) {
      for (const format of options.formats) {
        const path = `${kind}/${s}.${format}`
        if (format === 'parquet') {
          const rows = task === 'sokoban' ? sokobanRows(examples[s], s, kind) : gpRows(examples[s], kind)
          files.push({ path, kind, split: s, format, layout: LAYOUTS[task][kind], rows })
        } else {
          files.push({ path, kind, split: s, format, rows: jsonlRows(examples[s], s, kind, options) })
        }
      }
    }
  }
  files.push({ path: INSTANCES_FILE, kind: 'instances', split: 'all', format: 'jsonl', rows: records as unknown as Record<string, unknown>[] })

  const count = (s: DatasetSplit, f: (e: Example) => boolean): number => examples[s].filter(f).length
  const bySplit = (f: (e: Example) => boolean): Record<string, number> =>
    Object.fromEntries(splits.map((s) => [s, count(s, f)]))
  const counts: ManifestCounts = {
    instances: instanceSet.count,
    instancesBySplit: Object.fromEntries(splits.map((s) => [s, instancesBySplit[s]])),
    examplesBySplit: bySplit(() => true),
    cotBySplit: options.kinds.includes('cot') ? bySplit((e) => e.cot !== null) : {},
    skipped,
  }
  const notes = [
    ...preset.notes,
    ...nonReproducible.map((text) => `Not reproducible by the reference: ${text}`),
  ]
  return { options, preset, task, instanceSet, files, instances: records, counts, notes }
}
