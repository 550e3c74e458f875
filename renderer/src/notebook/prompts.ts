/**
 * Prompts for one instance, computed in the page with the same core code the backend runs: the task
 * cell's instance set, the template cell's variant, the instance's rendered prompt. Loaded with
 * import() by the cells that need it, so the generators and template engine stay out of the main chunk.
 */
import { PAPER_DIFFICULTIES } from '../../../core/experiment/difficulty.ts'
import { instanceAt, parseInstanceSetSpec, type Instance, type InstanceSetSpec } from '../../../core/experiment/instance-set.ts'
import { presetByName } from '../../../core/experiment/presets.ts'
import { defaultTemplateLibrary, renderInstanceBody, renderInstancePrompt } from '../../../core/experiment/render.ts'
import { parseVariantSpec, variantByName, type VariantSpec } from '../../../core/experiment/variant.ts'
import type { TaskCell, TemplateCell } from '../../../core/notebook/schema.ts'
import { variantOfTemplateCell } from './sweep-spec.ts'

/** The instance set a task cell describes (throws an Error naming the bad field). */
export function instanceSetOfTaskCell(task: TaskCell): InstanceSetSpec {
  if (task.preset !== undefined) {
    const preset = presetByName(task.preset)
    return parseInstanceSetSpec({ ...preset.instanceSet, count: task.count, start: task.start ?? preset.instanceSet.start })
  }
  const d = task.difficulty
  const difficulty = typeof d === 'string' ? PAPER_DIFFICULTIES[d] : d
  if (difficulty === undefined) {
    throw new Error(`Unknown difficulty "${String(d)}"; use one of ${Object.keys(PAPER_DIFFICULTIES).join(', ')}.`)
  }
  return parseInstanceSetSpec({
    task: task.task,
    difficulty,
    seedScheme: task.seedScheme ?? { kind: 'seeded', seed: 0 },
    count: task.count,
    ...(task.start !== undefined ? { start: task.start } : {}),
    ...(task.rule !== undefined ? { rule: task.rule } : {}),
  })
}

/** The variant a template cell stands for, resolved to a full spec. */
export function resolvedVariant(template: TemplateCell): VariantSpec {
  const v = variantOfTemplateCell(template)
  return typeof v === 'string' ? variantByName(v) : parseVariantSpec(v)
}

/** The prompt as the model receives it: raw text, or chat messages for the model's own chat template. */
export type ProbePrompt = string | { readonly messages: readonly { readonly role: string; readonly content: string }[] }

/** An instance's prompt under a template cell. */
export interface RenderedPrompt {
  readonly instance: Instance
  readonly variant: VariantSpec
  readonly prompt: ProbePrompt
  /** The text to show: the full prompt, or the user message when the model's chat template wraps it. */
  readonly display: string
  readonly chat: 'model' | 'raw' | 'none'
}

/** Renders instance `index` of `task` with `template`'s variant. */
export function renderPrompt(task: TaskCell, template: TemplateCell, index: number): RenderedPrompt {
  const set = instanceSetOfTaskCell(task)
  if (index >= set.count) throw new Error(`Instance ${index} is outside the task's ${set.count} instances (0-${set.count - 1}).`)
  const instance = instanceAt(set, index)
  const variant = resolvedVariant(template)
  // The instance's index is its data row, as in the backend's renders and in sweeps: per-row
  // vocabularies (`paper-words`) draw that row's words.
  const options = { row: instance.index }
  if (variant.chat.mode === 'model') {
    const content = renderInstanceBody(instance, variant, defaultTemplateLibrary(), options)
    return { instance, variant, prompt: { messages: [{ role: 'user', content }] }, display: content, chat: 'model' }
  }
  const text = renderInstancePrompt(instance, variant, defaultTemplateLibrary(), options)
  return { instance, variant, prompt: text, display: text, chat: variant.chat.mode }
}
