/**
 * Builds the sweep spec a sweep cell runs, from the cells it reads: the task cell gives the task and
 * the instance set, the template cells the variants, the model cell the model; the sweep cell's own
 * `overrides` win over all of them. The backend validates the result with the sweep parser, whose
 * messages name the field; this module only reports what is missing from the notebook itself and
 * difficulty shorthands it cannot read (`renderer/src/sweep/difficulties.ts`).
 */
import type { JsonValue, ModelCell, NotebookDocument, SweepCell, TaskCell, TemplateCell } from '../../../core/notebook/schema.ts'
import { variantByName, type VariantSpec } from '../../../core/experiment/variant.ts'
import { expandDifficulties, taskDefaults } from '../sweep/difficulties.ts'
import { readCells } from './state.ts'

/** The spec, or what the notebook lacks to build one. */
export type BuiltSpec = { readonly ok: true; readonly spec: { [key: string]: JsonValue } } | { readonly ok: false; readonly message: string }

const NAME_RE = /[^A-Za-z0-9._-]+/g

/** A name usable in cell ids (`model/variant/difficulty/…`): letters, digits, `.`, `_`, `-`. */
export function safeName(text: string, fallback: string): string {
  const cleaned = text.replace(NAME_RE, '-').replace(/^-+|-+$/g, '')
  return cleaned.length > 0 ? cleaned : fallback
}

/** The variant a template cell stands for: its named or inline variant, with an edited template if it has one. */
export function variantOfTemplateCell(cell: TemplateCell): string | VariantSpec {
  if (cell.source === undefined) return cell.variant
  // An edited copy of a named variant cannot keep the name: it is a different experiment.
  const base = typeof cell.variant === 'string' ? { ...variantByName(cell.variant), name: `${cell.variant}-${cell.id}` } : cell.variant
  return { ...base, template: { source: cell.source } }
}

/** The sweep's difficulty entry for a task cell. */
export function difficultyOfTaskCell(task: TaskCell): { [key: string]: JsonValue } {
  const entry: { [key: string]: JsonValue } = {}
  if (task.preset !== undefined) {
    entry.name = safeName(task.preset, 'preset')
    entry.preset = task.preset
  } else {
    const d = task.difficulty
    entry.name = typeof d === 'string' ? safeName(d, 'difficulty') : safeName(describe(d), 'custom')
    entry.difficulty = d as JsonValue
    if (task.seedScheme !== undefined) entry.seedScheme = task.seedScheme as JsonValue
    if (task.rule !== undefined) entry.rule = task.rule as JsonValue
  }
  if (task.start !== undefined) entry.start = task.start
  return entry
}

function describe(d: TaskCell['difficulty']): string {
  if (d === undefined || typeof d === 'string') return d ?? ''
  return d.task === 'sokoban' ? `${d.rows}x${d.cols}-${d.boxes}` : `gp-${d.cards}c-${d.largest}`
}

/** The sweep's model entry for a model cell. */
export function modelOfModelCell(model: ModelCell): { [key: string]: JsonValue } {
  const backend: { [key: string]: JsonValue } = { kind: 'onnx', path: model.dir, provider: model.provider }
  if (model.variant !== undefined) backend.variant = model.variant
  const { seed: _seed, ...sampling } = model.sampling
  const name = safeName(model.dir.split(/[\\/]/).filter(Boolean).pop() ?? '', 'model')
  return { name, backend, sampling: sampling as { [key: string]: JsonValue } }
}

/** The spec of `sweep` in `doc`. */
export function buildSweepSpec(doc: NotebookDocument, sweep: SweepCell): BuiltSpec {
  const read = readCells(doc, sweep)
  const task = read.find((c): c is TaskCell => c.kind === 'task')
  const templates = read.filter((c): c is TemplateCell => c.kind === 'template')
  const model = read.find((c): c is ModelCell => c.kind === 'model')
  const o = sweep.overrides
  const missing: string[] = []
  if (!task && !o.difficulties) missing.push('task cell')
  if (templates.length === 0 && !o.variants) missing.push('template cell')
  if (!model) missing.push('model cell')
  if (missing.length > 0 || !model) {
    return { ok: false, message: `This sweep reads no ${missing.join(' and no ')} above it; add one, or list it in the sweep's reads.` }
  }
  const seedScheme = task?.seedScheme
  const taskName = task?.task ?? 'sokoban'
  // Shorthand difficulties (`7x7-2boxes`) expand with the task cell's seed scheme; whole entries pass as they are.
  const difficulties = o.difficulties === undefined ? null : expandDifficulties(o.difficulties, task ? taskDefaults(task) : { task: taskName })
  if (difficulties !== null && !difficulties.ok) return { ok: false, message: difficulties.message }
  const spec: { [key: string]: JsonValue } = {
    version: 1,
    name: o.name ?? safeName(`${doc.title ?? 'notebook'}-${sweep.id}`, sweep.id),
    task: taskName,
    seed: o.seed ?? (seedScheme?.kind === 'seeded' ? seedScheme.seed : 0),
    variants: (o.variants ?? templates.map(variantOfTemplateCell)) as JsonValue,
    difficulties: difficulties !== null ? difficulties.entries : task ? [difficultyOfTaskCell(task)] : [],
    instances: o.instances ?? task?.count ?? 1,
    repeats: o.repeats ?? 1,
    models: [modelOfModelCell(model)],
  }
  if (o.protocol !== undefined) spec.protocol = o.protocol
  if (o.concurrency !== undefined) spec.concurrency = o.concurrency
  return { ok: true, spec }
}
