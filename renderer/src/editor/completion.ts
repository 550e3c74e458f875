/**
 * What the template editor offers as you type, as plain data: where the cursor is (template text, a
 * comment, or code inside `{{ }}` / `{% %}`, and whether a filter or a test name is being typed), the
 * task's declared variables with their docs, the filters the template engine has, and the
 * identifier under the mouse for hover previews. The Monaco providers in `monaco.ts` only translate
 * these into Monaco's shapes.
 */
import type { TaskTemplateSchema, TemplateVariable } from '../../../core/prompt/schemas.ts'

/** Where an offset of a template lies. */
export type CodeContext =
  | { readonly kind: 'text' }
  | { readonly kind: 'comment' }
  | {
      readonly kind: 'code'
      readonly tag: 'expression' | 'statement'
      /** What the word being typed names: a value, a filter (after `|`), a test (after `is`), an attribute (after `.`). */
      readonly slot: 'value' | 'filter' | 'test' | 'attribute'
      /** The identifier characters before the offset. */
      readonly prefix: string
      /** Offset where `prefix` starts. */
      readonly prefixStart: number
      /** Inside a string literal (nothing is completed there). */
      readonly inString: boolean
    }

const IDENT = /[A-Za-z0-9_]/

/**
 * Scans `source` up to `offset` and says where it lies. Strings inside tags are skipped, so a `}}`
 * inside quotes does not close the tag (as in Jinja's lexer).
 */
export function codeContextAt(source: string, offset: number): CodeContext {
  const end = Math.max(0, Math.min(offset, source.length))
  let state: 'text' | 'comment' | 'raw' | 'expression' | 'statement' = 'text'
  let tagStart = 0
  let quote: string | null = null
  let i = 0
  while (i < end) {
    const two = source.slice(i, i + 2)
    if (state === 'text') {
      if (two === '{#') {
        state = 'comment'
        i += 2
      } else if (two === '{{' || two === '{%') {
        const raw = /^\{%[-+]?\s*raw\s*[-+]?%\}/.exec(source.slice(i, end))
        if (raw !== null) {
          state = 'raw'
          i += raw[0].length
          continue
        }
        state = two === '{{' ? 'expression' : 'statement'
        i += 2
        if (source[i] === '-' || source[i] === '+') i++
        tagStart = i
      } else {
        i++
      }
    } else if (state === 'comment') {
      if (two === '#}') state = 'text'
      i += two === '#}' ? 2 : 1
    } else if (state === 'raw') {
      const close = /^\{%[-+]?\s*endraw\s*[-+]?%\}/.exec(source.slice(i, end))
      if (close !== null) {
        state = 'text'
        i += close[0].length
      } else {
        i++
      }
    } else {
      const ch = source[i]
      if (quote !== null) {
        if (ch === '\\') i++
        else if (ch === quote) quote = null
        i++
        continue
      }
      if (ch === '"' || ch === "'") {
        quote = ch
        i++
        continue
      }
      const closer = state === 'expression' ? '}}' : '%}'
      const closes = two === closer || ((ch === '-' || ch === '+') && source.slice(i + 1, i + 3) === closer)
      if (closes) {
        i += ch === '-' || ch === '+' ? 3 : 2
        state = 'text'
        quote = null
        continue
      }
      i++
    }
  }
  if (state === 'text' || state === 'raw') return { kind: 'text' }
  if (state === 'comment') return { kind: 'comment' }
  let prefixStart = end
  while (prefixStart > tagStart && IDENT.test(source[prefixStart - 1])) prefixStart--
  const prefix = source.slice(prefixStart, end)
  let before = prefixStart
  while (before > tagStart && /\s/.test(source[before - 1])) before--
  const previous = source[before - 1]
  let slot: 'value' | 'filter' | 'test' | 'attribute' = 'value'
  if (previous === '|') slot = 'filter'
  else if (previous === '.' && before === prefixStart) slot = 'attribute'
  else if (/(^|[^A-Za-z0-9_])is(\s+not)?$/.test(source.slice(tagStart, before)) && before < prefixStart) slot = 'test'
  return { kind: 'code', tag: state, slot, prefix, prefixStart, inString: quote !== null }
}

/** One completion, before Monaco's shapes. */
export interface CompletionEntry {
  readonly label: string
  readonly kind: 'variable' | 'filter' | 'test' | 'keyword'
  /** A short line beside the label (the type, or the filter's signature). */
  readonly detail: string
  /** Markdown shown in the details pane. */
  readonly documentation: string
  readonly insertText: string
}

/** The value of an example, as Jinja would print it for `{{ name }}` (Python's str), for docs. */
function exampleText(example: unknown): string {
  if (typeof example === 'string') return example
  if (Array.isArray(example)) {
    return `[${example.map((x) => (typeof x === 'string' ? `'${x.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'` : String(x))).join(', ')}]`
  }
  return JSON.stringify(example) ?? String(example)
}

/** A Markdown code block that no backtick run inside `text` can close. */
export function fenced(text: string, language = 'text'): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length))
  const fence = '`'.repeat(longest + 1)
  return `${fence}${language}\n${text}\n${fence}`
}

/** The Markdown docs of a declared variable: its type, meaning and example. */
export function variableDocumentation(variable: TemplateVariable): string {
  const lines = [`**${variable.name}** \`${variable.type}\``, '', variable.doc]
  if (variable.example !== undefined) lines.push('', 'Example:', fenced(exampleText(variable.example)))
  return lines.join('\n')
}

/** The task's declared variables as completions. */
export function variableCompletions(schema: TaskTemplateSchema): CompletionEntry[] {
  return schema.variables.map((v) => ({
    label: v.name,
    kind: 'variable',
    detail: v.type,
    documentation: variableDocumentation(v),
    insertText: v.name,
  }))
}

/** Filters of the template engine (`@huggingface/jinja`), with what they do. */
export const JINJA_FILTERS: readonly { readonly name: string; readonly signature: string; readonly doc: string }[] = [
  { name: 'default', signature: 'default(value)', doc: 'The value when the variable is absent (the strict renderer allows absent values here).' },
  { name: 'join', signature: 'join(separator)', doc: 'The items of a list joined into one string, e.g. `action_names | join(", ")`.' },
  { name: 'length', signature: 'length', doc: 'The number of items of a list, or characters of a string.' },
  { name: 'upper', signature: 'upper', doc: 'The string in upper case.' },
  { name: 'lower', signature: 'lower', doc: 'The string in lower case.' },
  { name: 'title', signature: 'title', doc: 'Each word capitalised.' },
  { name: 'capitalize', signature: 'capitalize', doc: 'The first character upper case, the rest lower case.' },
  { name: 'trim', signature: 'trim', doc: 'The string without leading and trailing whitespace.' },
  { name: 'replace', signature: 'replace(old, new)', doc: 'Every `old` replaced by `new`.' },
  { name: 'indent', signature: 'indent(width=4, first=false)', doc: 'Each line after the first indented by `width` spaces.' },
  { name: 'first', signature: 'first', doc: 'The first item of a list.' },
  { name: 'last', signature: 'last', doc: 'The last item of a list.' },
  { name: 'reverse', signature: 'reverse', doc: 'The list (or string) in reverse order.' },
  { name: 'sort', signature: 'sort', doc: 'The list sorted.' },
  { name: 'unique', signature: 'unique', doc: 'The list without repeated items.' },
  { name: 'list', signature: 'list', doc: 'The value as a list.' },
  { name: 'string', signature: 'string', doc: 'The value as a string.' },
  { name: 'int', signature: 'int', doc: 'The value as an integer.' },
  { name: 'float', signature: 'float', doc: 'The value as a float.' },
  { name: 'abs', signature: 'abs', doc: 'The absolute value.' },
  { name: 'tojson', signature: 'tojson', doc: 'The value as JSON text.' },
  { name: 'map', signature: 'map(attribute=name)', doc: 'The attribute of each item, or a filter applied to each item.' },
]

/** The tests `is ...` can use. */
export const JINJA_TESTS: readonly string[] = ['defined', 'undefined', 'none', 'string', 'number', 'integer', 'iterable', 'mapping', 'even', 'odd', 'true', 'false']

const STATEMENT_KEYWORDS = ['if', 'elif', 'else', 'endif', 'for', 'endfor', 'set', 'endset', 'macro', 'endmacro', 'raw', 'endraw']

/**
 * The completions at `offset`: declared variables where a value goes, filters after `|`, tests after
 * `is`, and also statement keywords at the start of a `{% %}` tag. Nothing in text, comments,
 * strings or after a `.`.
 */
export function completionsAt(source: string, offset: number, schema: TaskTemplateSchema): CompletionEntry[] {
  const context = codeContextAt(source, offset)
  if (context.kind !== 'code' || context.inString) return []
  if (context.slot === 'attribute') return []
  if (context.slot === 'filter') {
    return JINJA_FILTERS.map((f) => ({ label: f.name, kind: 'filter', detail: f.signature, documentation: f.doc, insertText: f.name }))
  }
  if (context.slot === 'test') {
    return JINJA_TESTS.map((t) => ({ label: t, kind: 'test', detail: 'test', documentation: `\`x is ${t}\``, insertText: t }))
  }
  const entries = variableCompletions(schema)
  if (context.tag === 'statement' && /^\s*[-+]?\s*$/.test(leadingPart(source, context.prefixStart))) {
    for (const k of STATEMENT_KEYWORDS) entries.push({ label: k, kind: 'keyword', detail: 'statement', documentation: `\`{% ${k} %}\``, insertText: k })
  }
  return entries
}

/** The tag's text between its opening delimiter and `at`. */
function leadingPart(source: string, at: number): string {
  const open = source.lastIndexOf('{%', at)
  return open === -1 ? '' : source.slice(open + 2, at)
}

/** A declared variable named at an offset, with the range of the name. */
export interface VariableAt {
  readonly variable: TemplateVariable
  readonly start: number
  readonly end: number
}

/**
 * The declared variable whose name is under `offset` inside a tag (for hover previews). Names after
 * a `.` (attributes) and names in text, comments and strings are not variables.
 */
export function variableAt(source: string, offset: number, schema: TaskTemplateSchema): VariableAt | null {
  let start = offset
  while (start > 0 && IDENT.test(source[start - 1])) start--
  let end = offset
  while (end < source.length && IDENT.test(source[end])) end++
  if (start === end) return null
  const name = source.slice(start, end)
  const variable = schema.variables.find((v) => v.name === name)
  if (variable === undefined) return null
  const context = codeContextAt(source, end)
  if (context.kind !== 'code' || context.inString || context.slot !== 'value' || context.prefixStart !== start) return null
  return { variable, start, end }
}
