/**
 * Hover previews: the value a declared variable has for the selected instance, computed in the page
 * with core's renderer (the same code the backend and the sweeps run), shown as `{{ name }}` prints
 * it. Loaded with import() by the template cell, so core's generators stay out of the main chunk.
 */
import { instanceAt, type Instance } from '../../../core/experiment/instance-set.ts'
import { renderInstanceBody } from '../../../core/experiment/render.ts'
import type { VariantSpec } from '../../../core/experiment/variant.ts'
import type { TaskCell } from '../../../core/notebook/schema.ts'
import { TemplateError } from '../../../core/prompt/errors.ts'
import type { TemplateVariable } from '../../../core/prompt/schemas.ts'
import { instanceSetOfTaskCell } from '../notebook/prompts.ts'
import { fenced } from './completion.ts'

/** A variable's value for one instance: the text `{{ name }}` prints, or why it has none. */
export interface VariablePreview {
  readonly name: string
  readonly text: string | null
  readonly note: string | null
}

/** Instance `index` of the task cell's set (throws an Error naming the problem). */
export function instanceOfTaskCell(task: TaskCell, index: number): Instance {
  const set = instanceSetOfTaskCell(task)
  if (index >= set.count) throw new Error(`Instance ${index} is outside the task's ${set.count} instances (0-${set.count - 1}).`)
  return instanceAt(set, index)
}

/**
 * What `{{ name }}` prints for `instance` under `variant` (its vocabulary, symbols or face-card rule
 * decide the value). Variables only training targets fill (`cot`) have no value here.
 */
export function previewVariable(instance: Instance, variant: VariantSpec, name: string): VariablePreview {
  if (!/^[A-Za-z_]\w*$/.test(name)) throw new Error(`"${name}" is not a variable name.`)
  const probe = { ...variant, template: { name: 'preview', source: `{{ ${name} }}` } } as VariantSpec
  try {
    return { name, text: renderInstanceBody(instance, probe, undefined, { row: instance.index }), note: null }
  } catch (error) {
    if (error instanceof TemplateError) return { name, text: null, note: error.reason }
    throw error
  }
}

/** The hover's Markdown: the variable's type and docs, then its value for the instance. */
export function hoverMarkdown(variable: TemplateVariable, preview: VariablePreview | null, instanceId: string | null): string {
  const head = `**${variable.name}** \`${variable.type}\` — ${variable.doc}`
  if (preview === null || instanceId === null) return `${head}\n\n_Add a task cell above to preview its value._`
  if (preview.text === null) return `${head}\n\nNo value for ${instanceId}: ${preview.note ?? 'not set'}`
  return `${head}\n\nValue for \`${instanceId}\`:\n\n${fenced(preview.text)}`
}
