/**
 * @module core/prompt/library
 * A named collection of templates: the paper's (built in, see `paper-templates.ts`) and any the
 * user adds. Lookups of unknown names fail with the list of near names.
 */
import { PAPER_TEMPLATES, type TemplateTask } from './paper-templates.ts'
import { schemaForTask } from './schemas.ts'
import { compileTemplate, type CompiledTemplate } from './template.ts'

/** One named template. */
export interface TemplateLibraryEntry {
  readonly name: string
  readonly task: TemplateTask
  readonly description: string
  readonly source: string
  /** Where the text comes from (the paper's file, or the user). */
  readonly provenance?: string
}

/** Templates by name. */
export interface TemplateLibrary {
  /** The entry called `name`; throws with the known names when there is none. */
  get(name: string): TemplateLibraryEntry
  has(name: string): boolean
  list(): TemplateLibraryEntry[]
  /** The entry compiled against its task's schema (cached). */
  compiled(name: string): CompiledTemplate
}

const NAME_PATTERN = /^[a-z0-9][a-z0-9._-]*$/

/**
 * Builds a library. Names must be unique and use lower-case letters, digits, `.`, `_` and `-`.
 * Every template is compiled once here, so a broken template fails when the library is built.
 */
export function createTemplateLibrary(entries: readonly TemplateLibraryEntry[]): TemplateLibrary {
  const byName = new Map<string, TemplateLibraryEntry>()
  for (const entry of entries) {
    if (!NAME_PATTERN.test(entry.name)) {
      throw new Error(
        `Template name "${entry.name}" is invalid: use lower-case letters, digits, ".", "_" and "-", starting ` +
          'with a letter or digit (e.g. "my-sokoban").',
      )
    }
    if (byName.has(entry.name)) throw new Error(`Template "${entry.name}" is defined twice; rename one of them.`)
    byName.set(entry.name, Object.freeze({ ...entry }))
  }
  const compiled = new Map<string, CompiledTemplate>()
  for (const entry of byName.values()) {
    compiled.set(entry.name, compileTemplate(entry.name, entry.source, schemaForTask(entry.task)))
  }
  const get = (name: string): TemplateLibraryEntry => {
    const entry = byName.get(name)
    if (entry === undefined) {
      throw new Error(`Unknown template "${name}". Known templates: ${[...byName.keys()].join(', ')}.`)
    }
    return entry
  }
  return Object.freeze({
    get,
    has: (name: string) => byName.has(name),
    list: () => [...byName.values()],
    compiled: (name: string) => {
      get(name)
      return compiled.get(name) as CompiledTemplate
    },
  })
}

/** The library of the paper's templates alone (`sokoban-eval`, `gp-test`, `qwen-instruct`, ...). */
export function paperTemplateLibrary(): TemplateLibrary {
  return createTemplateLibrary(
    PAPER_TEMPLATES.map((t) => ({
      name: t.name,
      task: t.task,
      description: t.description,
      source: t.source,
      provenance: t.provenance,
    })),
  )
}
