/**
 * @module core/prompt/template
 * Strict Jinja templates for task prompts, on `@huggingface/jinja` (the engine of Hugging Face chat
 * templates).
 *
 * What "strict" means here:
 * - Compiling checks the template against its task schema: a variable the schema does not declare
 *   (a misspelling, usually) is a `TemplateError` with its line and column, before anything renders.
 * - Rendering fails with a position when a variable the template reads has no value, and when a
 *   value has the wrong type for its declared type. `x is defined`, `x is undefined` and
 *   `x | default(...)` may still read an absent value.
 * - Syntax errors name the line and column and show the line with a caret.
 *
 * Whitespace follows Python Jinja2 with `keep_trailing_newline=True`: the source's text is copied
 * byte for byte, including its final newline, so a template file reads exactly like its output.
 * (`@huggingface/jinja`'s `Template` drops one final newline, as Jinja2's default does, and turns on
 * `trim_blocks` and `lstrip_blocks` for chat templates; here both are off unless asked for.)
 * Printed values follow Python's `str`: `{{ cards }}` with `['2', 'K']` prints `['2', 'K']`.
 */
import { freeVariables, nearNames, parseTemplate, type AstNode, type ParsedTemplate } from './analysis.ts'
import { templateErrorAt } from './errors.ts'
import type { WhitespaceOptions } from './lexer.ts'
import { runProgram } from './runtime.ts'
import type { TaskTemplateSchema, TemplateVariable, VariableType } from './schemas.ts'

export type { WhitespaceOptions } from './lexer.ts'

/** The whitespace defaults: keep the final newline, no `trim_blocks`, no `lstrip_blocks`. */
export const DEFAULT_WHITESPACE: WhitespaceOptions = Object.freeze({
  keepTrailingNewline: true,
  trimBlocks: false,
  lstripBlocks: false,
})

/** A non-fatal finding of a render. */
export interface TemplateWarning {
  readonly kind: 'unused-variable' | 'undeclared-input'
  readonly name: string
  readonly message: string
}

/** A parsed, checked template. */
export interface CompiledTemplate extends ParsedTemplate {
  readonly schema: TaskTemplateSchema
  readonly whitespace: WhitespaceOptions
  /** The schema variables the template reads, in order of first use. */
  readonly variables: readonly string[]
  /** Source offset of each variable's first use. */
  readonly firstUse: ReadonlyMap<string, number>
}

/** Options of `compileTemplate`. */
export interface CompileOptions {
  readonly whitespace?: Partial<WhitespaceOptions>
}

/** Options of `renderTemplate`. */
export interface RenderOptions {
  /**
   * Inputs the template is expected to use: each one the template never reads gives an
   * `unused-variable` warning (e.g. `['board']` for a Sokoban variant). Default none.
   */
  readonly expectUsed?: readonly string[]
  /** Check each input against its declared type (default true). */
  readonly checkTypes?: boolean
}

/** The result of a render. */
export interface RenderResult {
  readonly text: string
  readonly warnings: TemplateWarning[]
}

/**
 * Parses and checks a template. Throws `TemplateError` (with line and column) on a syntax error and
 * on a variable that `schema` does not declare.
 */
export function compileTemplate(
  name: string,
  source: string,
  schema: TaskTemplateSchema,
  options: CompileOptions = {},
): CompiledTemplate {
  const whitespace = resolveWhitespace(options.whitespace)
  const { program, positions } = parseTemplate(name, source, whitespace)
  const declared = schema.variables.map((v) => v.name)
  const uses = freeVariables(program as unknown as AstNode, positions.identifiers)
  // Report the earliest in the source first (the walk visits a loop's body before its else block).
  const unknown = uses
    .filter((u) => !declared.includes(u.name))
    .sort((x, y) => (x.offset ?? Infinity) - (y.offset ?? Infinity))
  if (unknown.length > 0) {
    const first = unknown[0]
    const near = nearNames(first.name, declared)
    const others = [...new Set(unknown.slice(1).map((u) => u.name))].filter((n) => n !== first.name)
    const reason =
      `unknown variable "${first.name}"` +
      (near.length > 0 ? `; did you mean "${near[0]}"?` : '.') +
      ` The ${schema.task} schema declares: ${declared.join(', ')}.` +
      (others.length > 0 ? ` Also unknown: ${others.join(', ')}.` : '')
    throw templateErrorAt(name, source, first.offset ?? source.indexOf(first.name), reason)
  }
  const firstUse = new Map<string, number>()
  for (const u of uses) {
    const seen = firstUse.get(u.name)
    if (u.offset !== undefined && (seen === undefined || u.offset < seen)) firstUse.set(u.name, u.offset)
  }
  const variables = [...new Set(uses.map((u) => u.name))].sort(
    (x, y) => (firstUse.get(x) ?? Infinity) - (firstUse.get(y) ?? Infinity),
  )
  return Object.freeze({ name, source, schema, whitespace, variables, firstUse, program, positions })
}

function typeOfValue(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  return typeof value
}

function matchesType(value: unknown, type: VariableType): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string'
    case 'number':
      return typeof value === 'number' && Number.isFinite(value)
    case 'boolean':
      return typeof value === 'boolean'
    case 'string[]':
      return Array.isArray(value) && value.every((x) => typeof x === 'string')
    case 'number[]':
      return Array.isArray(value) && value.every((x) => typeof x === 'number' && Number.isFinite(x))
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value)
  }
}

/** Checks input values against the schema; returns warnings for inputs it does not declare. */
function resolveWhitespace(options: Partial<WhitespaceOptions> | undefined): WhitespaceOptions {
  return { ...DEFAULT_WHITESPACE, ...options }
}

function checkInputs(
  template: CompiledTemplate,
  vars: Readonly<Record<string, unknown>>,
  checkTypes: boolean,
): TemplateWarning[] {
  const warnings: TemplateWarning[] = []
  const byName = new Map<string, TemplateVariable>(template.schema.variables.map((v) => [v.name, v]))
  for (const [key, value] of Object.entries(vars)) {
    const declared = byName.get(key)
    if (declared === undefined) {
      const near = nearNames(key, [...byName.keys()])
      warnings.push({
        kind: 'undeclared-input',
        name: key,
        message:
          `Input "${key}" is not a ${template.schema.task} template variable and cannot be used` +
          (near.length > 0 ? `; did you mean "${near[0]}"?` : '.'),
      })
      continue
    }
    const offset = template.firstUse.get(key)
    if (checkTypes && value !== undefined && offset !== undefined && !matchesType(value, declared.type)) {
      const shown = JSON.stringify(value) ?? String(value)
      throw templateErrorAt(
        template.name,
        template.source,
        offset,
        `input "${key}" must be ${declared.type} (${declared.doc}), got ${typeOfValue(value)} ` +
          `${shown.length > 60 ? `${shown.slice(0, 57)}...` : shown}`,
      )
    }
  }
  return warnings
}

/**
 * Renders a compiled template. Throws `TemplateError` with the line and column of a variable that
 * has no value, of a failing expression, or of the first use of an input of the wrong type.
 */
export function renderTemplate(
  template: CompiledTemplate,
  vars: Readonly<Record<string, unknown>>,
  options: RenderOptions = {},
): RenderResult {
  const warnings = checkInputs(template, vars, options.checkTypes ?? true)
  for (const expected of options.expectUsed ?? []) {
    if (!template.variables.includes(expected)) {
      warnings.push({
        kind: 'unused-variable',
        name: expected,
        message: `Template "${template.name}" never uses "${expected}".`,
      })
    }
  }
  const text = runProgram(template, vars, { strict: true, pythonPrinting: true })
  return { text, warnings }
}
