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
import { Environment, Interpreter, parse } from '@huggingface/jinja'
import { lexTemplate, LexError, type JinjaToken, type WhitespaceOptions } from './lexer.ts'
import { pyNumberRepr, pyStrRepr } from './python-repr.ts'
import type { TaskTemplateSchema, TemplateVariable, VariableType } from './schemas.ts'

export type { WhitespaceOptions } from './lexer.ts'

/** The whitespace defaults: keep the final newline, no `trim_blocks`, no `lstrip_blocks`. */
export const DEFAULT_WHITESPACE: WhitespaceOptions = Object.freeze({
  keepTrailingNewline: true,
  trimBlocks: false,
  lstripBlocks: false,
})

/** A template problem at a 1-based line and column (columns count Unicode code points). */
export class TemplateError extends Error {
  constructor(
    message: string,
    readonly templateName: string,
    readonly line: number,
    readonly column: number,
    /** 0-based UTF-16 offset into the source. */
    readonly offset: number,
    /** The problem alone, without the location prefix and the excerpt. */
    readonly reason: string,
  ) {
    super(message)
    this.name = 'TemplateError'
  }
}

/** A non-fatal finding of a render. */
export interface TemplateWarning {
  readonly kind: 'unused-variable' | 'undeclared-input'
  readonly name: string
  readonly message: string
}

/** A parsed, checked template. */
export interface CompiledTemplate {
  readonly name: string
  readonly source: string
  readonly schema: TaskTemplateSchema
  readonly whitespace: WhitespaceOptions
  /** The schema variables the template reads, in order of first use. */
  readonly variables: readonly string[]
  /** Source offset of each variable's first use. */
  readonly firstUse: ReadonlyMap<string, number>
  /** @internal parsed program and positions */
  readonly program: JinjaProgram
  /** @internal */
  readonly positions: PositionTable
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

type JinjaProgram = ReturnType<typeof parse>

// AST nodes are plain objects with a `type`; `@huggingface/jinja` does not export their classes.
interface AstNode {
  readonly type: string
  [key: string]: unknown
}

interface PositionTable {
  /** Source offset of each identifier node that came from the source. */
  readonly identifiers: WeakMap<object, number>
  /** Nodes whose value is printed (expression statements of a block). */
  readonly printed: WeakSet<object>
}

// Names the parser reads as keywords; they are never renamed for position tracking.
const KEYWORDS: ReadonlySet<string> = new Set([
  'set',
  'endset',
  'if',
  'elif',
  'else',
  'endif',
  'for',
  'endfor',
  'in',
  'not',
  'and',
  'or',
  'is',
  'macro',
  'endmacro',
  'call',
  'endcall',
  'filter',
  'endfilter',
  'break',
  'continue',
])

// Names the runtime defines.
const GLOBALS: ReadonlySet<string> = new Set([
  'true',
  'false',
  'none',
  'True',
  'False',
  'None',
  'range',
  'namespace',
  'raise_exception',
])

const STATEMENT_TYPES: ReadonlySet<string> = new Set([
  'Set',
  'If',
  'For',
  'Macro',
  'CallStatement',
  'FilterStatement',
  'Break',
  'Continue',
  'Comment',
])

const BLOCK_OPENERS: Readonly<Record<string, string>> = {
  if: 'endif',
  for: 'endfor',
  macro: 'endmacro',
  call: 'endcall',
  filter: 'endfilter',
  set: 'endset',
}
const KNOWN_STATEMENTS = ['set', 'if', 'elif', 'else', 'for', 'macro', 'call', 'filter', 'break', 'continue']

const MANGLE = '\u0000'

/** Line (1-based), column (1-based, code points) and the line's text at a source offset. */
function locate(source: string, offset: number): { line: number; column: number; text: string } {
  const at = Math.max(0, Math.min(offset, source.length))
  const before = source.slice(0, at)
  const line = before.split('\n').length
  const lineStart = before.lastIndexOf('\n') + 1
  const lineEnd = source.indexOf('\n', lineStart)
  const text = source.slice(lineStart, lineEnd === -1 ? source.length : lineEnd)
  const column = Array.from(source.slice(lineStart, at)).length + 1
  return { line, column, text }
}

function visible(text: string): string {
  return text.replace(/\t/g, ' ').replace(/\r/g, '')
}

/** Builds a `TemplateError` whose message carries the location and a caret excerpt. */
export function templateErrorAt(name: string, source: string, offset: number, reason: string): TemplateError {
  const { line, column, text } = locate(source, offset)
  const gutter = String(line)
  const excerpt =
    `\n  ${gutter} | ${visible(text)}\n` + `  ${' '.repeat(gutter.length)} | ${' '.repeat(Math.max(0, column - 1))}^`
  const message = `Template "${name}", line ${line}, column ${column}: ${reason}${excerpt}`
  return new TemplateError(message, name, line, column, offset, reason)
}

function describeToken(token: JinjaToken | undefined): string {
  if (token === undefined) return 'the end of the template'
  switch (token.type) {
    case 'Text':
      return 'text'
    case 'StringLiteral':
      return `string ${JSON.stringify(token.value)}`
    case 'Identifier':
      return `"${token.value.split(MANGLE)[0]}"`
    default:
      return `"${token.value}"`
  }
}

// Checks that every block tag is closed by its own end tag, and every {{ by }}, so that the most
// common mistakes are reported at the opening tag rather than at the end of the template.
function checkStructure(name: string, source: string, tokens: JinjaToken[], offsets: number[]): void {
  const stack: { keyword: string; offset: number }[] = []
  const fail = (offset: number, reason: string): never => {
    throw templateErrorAt(name, source, offset, reason)
  }
  let inside: { close: string; offset: number } | null = null
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]
    if (token.type === 'OpenExpression' || token.type === 'OpenStatement') {
      if (inside !== null) {
        const where = locate(source, inside.offset)
        fail(
          offsets[i],
          `found "${token.value}" inside the tag opened at line ${where.line}, column ${where.column}; ` +
            `close that tag first with "${inside.close}"`,
        )
      }
      inside = { close: token.type === 'OpenExpression' ? '}}' : '%}', offset: offsets[i] }
    } else if (token.type === 'CloseExpression' || token.type === 'CloseStatement') {
      if (inside === null || inside.close !== token.value) fail(offsets[i], `"${token.value}" has no opening tag`)
      inside = null
    }
    if (token.type !== 'OpenStatement') continue
    const head = tokens[i + 1]
    if (head === undefined || head.type !== 'Identifier') {
      fail(offsets[i + 1] ?? offsets[i], `expected a statement name after "{%", found ${describeToken(head)}`)
    }
    const keyword = head.value
    const end = BLOCK_OPENERS[keyword]
    if (end !== undefined) {
      let block = true
      if (keyword === 'set') {
        for (let j = i + 2; j < tokens.length && tokens[j].type !== 'CloseStatement'; j++) {
          if (tokens[j].type === 'Equals') block = false
        }
      }
      if (block) stack.push({ keyword, offset: offsets[i] })
      continue
    }
    if (keyword === 'elif' || keyword === 'else') {
      const top = stack.at(-1)
      const allowed = keyword === 'elif' ? ['if'] : ['if', 'for']
      if (top === undefined || !allowed.includes(top.keyword)) {
        fail(offsets[i + 1], `"{% ${keyword} %}" outside ${keyword === 'elif' ? '{% if %}' : '{% if %} or {% for %}'}`)
      }
      continue
    }
    if (keyword.startsWith('end')) {
      const opener = keyword.slice(3)
      if (BLOCK_OPENERS[opener] === undefined) {
        fail(offsets[i + 1], `unknown statement "${keyword}"`)
      }
      const top = stack.pop()
      if (top === undefined) fail(offsets[i + 1], `"{% ${keyword} %}" has no matching "{% ${opener} %}"`)
      else if (top.keyword !== opener) {
        const where = locate(source, top.offset)
        fail(
          offsets[i + 1],
          `"{% ${keyword} %}" does not match "{% ${top.keyword} %}" opened at line ${where.line}, column ` +
            `${where.column}; close that one first with "{% ${BLOCK_OPENERS[top.keyword]} %}"`,
        )
      }
      continue
    }
    if (!KNOWN_STATEMENTS.includes(keyword)) {
      fail(offsets[i + 1], `unknown statement "${keyword}"; known statements: ${KNOWN_STATEMENTS.join(', ')}`)
    }
  }
  if (inside !== null) fail(inside.offset, `this tag is never closed; add "${inside.close}"`)
  const open = stack.pop()
  if (open !== undefined) {
    fail(open.offset, `"{% ${open.keyword} %}" is never closed; add "{% ${BLOCK_OPENERS[open.keyword]} %}"`)
  }
}

function isNode(value: unknown): value is AstNode {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string'
}

// Every child node of a node, in property order (arrays and Map keys/values included).
function children(node: AstNode): AstNode[] {
  const out: AstNode[] = []
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(visit)
    else if (v instanceof Map) {
      for (const [k, x] of v) {
        visit(k)
        visit(x)
      }
    } else if (isNode(v)) out.push(v)
  }
  // `operator` holds a lexer token ({ type, value }), not a node.
  for (const key of Object.keys(node)) if (key !== 'type' && key !== 'operator') visit(node[key])
  return out
}

// Restores renamed identifiers and records where each came from.
function restoreIdentifiers(node: AstNode, offsets: number[], table: WeakMap<object, number>): void {
  if (node.type === 'Identifier' && typeof node.value === 'string' && node.value.includes(MANGLE)) {
    const [name, index] = node.value.split(MANGLE)
    node.value = name
    table.set(node, offsets[Number(index)])
  }
  for (const child of children(node)) restoreIdentifiers(child, offsets, table)
}

const BLOCK_KEYS = ['body', 'alternate', 'defaultBlock'] as const

function markPrinted(node: AstNode, printed: WeakSet<object>): void {
  for (const key of BLOCK_KEYS) {
    const block = node[key]
    if (Array.isArray(block)) {
      for (const statement of block) if (isNode(statement) && !STATEMENT_TYPES.has(statement.type)) printed.add(statement)
    }
  }
  for (const child of children(node)) markPrinted(child, printed)
}

/** The first source offset of any identifier in a subtree, if it has one. */
function firstOffset(node: AstNode, table: WeakMap<object, number>): number | undefined {
  let best = table.get(node)
  for (const child of children(node)) {
    const o = firstOffset(child, table)
    if (o !== undefined && (best === undefined || o < best)) best = o
  }
  return best
}

interface FreeUse {
  readonly name: string
  readonly offset: number | undefined
}

// Collects the variables a program reads from its inputs (names not bound by set, for, macro).
function freeVariables(program: AstNode, table: WeakMap<object, number>): FreeUse[] {
  const uses: FreeUse[] = []
  const declare = (target: unknown, scope: Set<string>): void => {
    if (isNode(target) && target.type === 'Identifier') scope.add(String(target.value))
    else if (isNode(target) && target.type === 'TupleLiteral') (target.value as unknown[]).forEach((t) => declare(t, scope))
  }
  const block = (statements: unknown, scope: Set<string>): void => {
    if (Array.isArray(statements)) for (const s of statements) if (isNode(s)) walk(s, scope)
  }
  const params = (list: unknown, outer: Set<string>, inner: Set<string>): void => {
    if (!Array.isArray(list)) return
    for (const p of list) {
      if (!isNode(p)) continue
      if (p.type === 'Identifier') inner.add(String(p.value))
      else if (p.type === 'KeywordArgumentExpression') {
        declare(p.key, inner)
        walk(p.value as AstNode, outer)
      }
    }
  }
  const walk = (node: AstNode | undefined | null, scope: Set<string>): void => {
    if (!isNode(node)) return
    switch (node.type) {
      case 'Identifier': {
        const name = String(node.value)
        if (!scope.has(name) && !GLOBALS.has(name)) uses.push({ name, offset: table.get(node) })
        return
      }
      case 'MemberExpression':
        walk(node.object as AstNode, scope)
        if (node.computed) walk(node.property as AstNode, scope)
        return
      case 'KeywordArgumentExpression':
        walk(node.value as AstNode, scope)
        return
      case 'FilterExpression': {
        walk(node.operand as AstNode, scope)
        const filter = node.filter as AstNode
        if (filter.type === 'CallExpression') for (const a of filter.args as AstNode[]) walk(a, scope)
        return
      }
      case 'FilterStatement': {
        const filter = node.filter as AstNode
        if (filter.type === 'CallExpression') for (const a of filter.args as AstNode[]) walk(a, scope)
        block(node.body, scope)
        return
      }
      case 'TestExpression':
        walk(node.operand as AstNode, scope)
        return
      case 'Set': {
        const assignee = node.assignee as AstNode
        if (node.value) walk(node.value as AstNode, scope)
        else block(node.body, scope)
        if (assignee.type === 'MemberExpression') walk(assignee.object as AstNode, scope)
        else declare(assignee, scope)
        return
      }
      case 'For': {
        const inner = new Set(scope)
        inner.add('loop')
        declare(node.loopvar, inner)
        const iterable = node.iterable as AstNode
        if (iterable.type === 'SelectExpression') {
          walk(iterable.lhs as AstNode, scope)
          walk(iterable.test as AstNode, inner)
        } else walk(iterable, scope)
        block(node.body, inner)
        block(node.defaultBlock, scope)
        return
      }
      case 'Macro': {
        declare(node.name, scope)
        const inner = new Set(scope)
        for (const n of ['varargs', 'kwargs', 'caller']) inner.add(n)
        params(node.args, scope, inner)
        block(node.body, inner)
        return
      }
      case 'CallStatement': {
        walk(node.call as AstNode, scope)
        const inner = new Set(scope)
        params(node.callerArgs, scope, inner)
        block(node.body, inner)
        return
      }
      default:
        for (const child of children(node)) walk(child, scope)
    }
  }
  walk(program, new Set())
  return uses
}

function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)])
  for (let j = 1; j <= b.length; j++) d[0][j] = j
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1))
    }
  }
  return d[a.length][b.length]
}

/** The declared names closest to `name` (for "did you mean" hints). */
function nearNames(name: string, names: readonly string[]): string[] {
  const scored = names.map((n) => ({ n, d: editDistance(name.toLowerCase(), n.toLowerCase()) }))
  const limit = Math.max(2, Math.floor(name.length / 3))
  return scored
    .filter((s) => s.d <= limit)
    .sort((a, b) => a.d - b.d)
    .map((s) => s.n)
}

function resolveWhitespace(options: Partial<WhitespaceOptions> | undefined): WhitespaceOptions {
  return { ...DEFAULT_WHITESPACE, ...options }
}

/** Parses tokens with `@huggingface/jinja`, locating a parse failure at the token it stopped on. */
function parseLocated(
  name: string,
  source: string,
  tokens: JinjaToken[],
  offsets: number[],
  end: number,
): JinjaProgram {
  let last = -1
  const watched = new Proxy(tokens, {
    get(target, prop, receiver) {
      if (typeof prop === 'string' && /^\d+$/.test(prop)) last = Number(prop)
      return Reflect.get(target, prop, receiver)
    },
  })
  try {
    return parse(watched)
  } catch (error) {
    const token = last >= 0 && last < tokens.length ? tokens[last] : undefined
    const offset = token === undefined ? end : offsets[last]
    const detail = error instanceof Error ? error.message : String(error)
    // The library's messages read "Parser Error: Expected X. A !== B."; keep the useful part.
    const cleaned = detail
      .replace(/^Parser Error: /, '')
      .replace(/\. \w+ !== \w+\.$/, '')
      .replace(/^Cannot read properties of undefined.*$/, 'the template ends in the middle of a tag')
    throw templateErrorAt(name, source, offset, `syntax error at ${describeToken(token)}: ${cleaned}`)
  }
}

/** Parses a template with positions, for both task templates and chat templates. */
export function parseTemplate(
  name: string,
  source: string,
  whitespace: WhitespaceOptions,
): { program: JinjaProgram; positions: PositionTable } {
  let lexed
  try {
    lexed = lexTemplate(source, whitespace)
  } catch (error) {
    if (error instanceof LexError) throw templateErrorAt(name, source, error.offset, `syntax error: ${error.message}`)
    throw error
  }
  const { tokens, offsets, end } = lexed
  checkStructure(name, source, tokens, offsets)
  const renamed = tokens.map((t, i) =>
    t.type === 'Identifier' && !KEYWORDS.has(t.value) ? ({ type: t.type, value: `${t.value}${MANGLE}${i}` } as JinjaToken) : t,
  )
  const program = parseLocated(name, source, renamed, offsets, end)
  const identifiers = new WeakMap<object, number>()
  const printed = new WeakSet<object>()
  restoreIdentifiers(program as unknown as AstNode, offsets, identifiers)
  markPrinted(program as unknown as AstNode, printed)
  return { program, positions: { identifiers, printed } }
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
  const unknown = uses.filter((u) => !declared.includes(u.name))
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
  for (const u of uses) if (u.offset !== undefined && !firstUse.has(u.name)) firstUse.set(u.name, u.offset)
  const variables = [...new Set(uses.map((u) => u.name))]
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

interface RuntimeLike {
  readonly type: string
  readonly value: unknown
}

// Python's repr of a runtime value (strings quoted), for printing containers.
function runtimeRepr(v: RuntimeLike): string {
  switch (v.type) {
    case 'StringValue':
      return pyStrRepr(v.value as string)
    case 'IntegerValue':
      return pyNumberRepr(v.value as number, false)
    case 'FloatValue':
      return pyNumberRepr(v.value as number, true)
    case 'BooleanValue':
      return v.value ? 'True' : 'False'
    case 'NullValue':
    case 'UndefinedValue':
      return 'None'
    case 'TupleValue': {
      const items = (v.value as RuntimeLike[]).map(runtimeRepr)
      return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`
    }
    case 'ArrayValue':
      return `[${(v.value as RuntimeLike[]).map(runtimeRepr).join(', ')}]`
    case 'ObjectValue':
    case 'KeywordArgumentsValue': {
      const entries = [...(v.value as Map<string, RuntimeLike>)]
      return `{${entries.map(([k, x]) => `${pyStrRepr(k)}: ${runtimeRepr(x)}`).join(', ')}}`
    }
    case 'NamespaceValue': {
      const entries = [...(v.value as Map<string, RuntimeLike>)]
      return `<Namespace {${entries.map(([k, x]) => `${pyStrRepr(k)}: ${runtimeRepr(x)}`).join(', ')}}>`
    }
    default:
      return `<${v.type}>`
  }
}

type Evaluated = ReturnType<Interpreter['evaluate']>
type StatementNode = Parameters<Interpreter['evaluate']>[0]

// The runtime's string class is not exported; take it from a value it creates.
const StringValueClass = new Interpreter()
  .evaluate({ type: 'StringLiteral', value: '' } as unknown as StatementNode, new Environment())
  .constructor as new (value: string) => Evaluated

const UNDEFINED_TESTS: ReadonlySet<string> = new Set(['defined', 'undefined'])
const DEFAULT_FILTERS: ReadonlySet<string> = new Set(['default', 'd'])

/** Fails on reads of absent values and prints values the way Python's `str` does. */
class StrictInterpreter extends Interpreter {
  private readonly mayBeUndefined = new WeakSet<object>()
  /** The innermost node that was evaluating when an error was thrown. */
  failedNode: AstNode | undefined

  constructor(
    env: Environment,
    private readonly template: CompiledTemplate,
    private readonly strict: boolean,
  ) {
    super(env)
  }

  override evaluate(statement: StatementNode, environment: Environment): Evaluated {
    const node = statement as unknown as AstNode | undefined
    if (node?.type === 'TestExpression' && UNDEFINED_TESTS.has(String((node.test as AstNode).value))) {
      this.mayBeUndefined.add(node.operand as object)
    }
    if (node?.type === 'FilterExpression') {
      const filter = node.filter as AstNode
      const filterName = filter.type === 'CallExpression' ? (filter.callee as AstNode).value : filter.value
      if (DEFAULT_FILTERS.has(String(filterName))) this.mayBeUndefined.add(node.operand as object)
    }
    let value: Evaluated
    try {
      value = super.evaluate(statement, environment)
    } catch (error) {
      this.failedNode ??= node
      throw error
    }
    // A normal return means any error below was handled (e.g. a loop's break).
    this.failedNode = undefined
    if (node === undefined) return value
    if (
      this.strict &&
      value.type === 'UndefinedValue' &&
      (node.type === 'Identifier' || node.type === 'MemberExpression') &&
      !this.mayBeUndefined.has(node)
    ) {
      throw this.undefinedError(node)
    }
    if (this.template.positions.printed.has(node) && value.type !== 'StringValue') {
      if (value.type === 'UndefinedValue') return value
      return new StringValueClass(runtimeRepr(value as unknown as RuntimeLike))
    }
    return value
  }

  private undefinedError(node: AstNode): TemplateError {
    const { name, source } = this.template
    const table = this.template.positions.identifiers
    if (node.type === 'Identifier') {
      const variable = String(node.value)
      const offset = table.get(node) ?? firstOffset(node, table) ?? 0
      return templateErrorAt(
        name,
        source,
        offset,
        `variable "${variable}" is undefined: no value was given for it. Pass a value, or guard its use with ` +
          `{% if ${variable} is defined %}.`,
      )
    }
    const property = node.property as AstNode
    const offset = table.get(property) ?? firstOffset(node, table) ?? 0
    const what = node.computed ? 'index or key' : `attribute "${String(property.value)}"`
    return templateErrorAt(name, source, offset, `${what} is undefined on this value`)
  }
}

/** Checks input values against the schema; returns warnings for inputs it does not declare. */
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
  const text = runProgram(template, vars, true)
  return { text, warnings }
}

/** Runs a parsed program; `strict` turns reads of absent values into errors. */
export function runProgram(template: CompiledTemplate, vars: Readonly<Record<string, unknown>>, strict: boolean): string {
  const env = new Environment()
  setupGlobalsLike(env)
  for (const [key, value] of Object.entries(vars)) if (value !== undefined) env.set(key, value)
  const interpreter = new StrictInterpreter(env, template, strict)
  try {
    const result = interpreter.run(template.program)
    return String(result.value)
  } catch (error) {
    if (error instanceof TemplateError) throw error
    const node = interpreter.failedNode
    const offset = node === undefined ? undefined : firstOffset(node, template.positions.identifiers)
    const detail = error instanceof Error ? error.message : String(error)
    throw templateErrorAt(template.name, template.source, offset ?? 0, `render error: ${detail}`)
  }
}

// `setupGlobals` is not exported by the package index; these are the same globals.
function setupGlobalsLike(env: Environment): void {
  env.set('false', false)
  env.set('true', true)
  env.set('none', null)
  env.set('True', true)
  env.set('False', false)
  env.set('None', null)
  env.set('raise_exception', (message: string) => {
    throw new Error(message)
  })
  env.set('range', (start: number, stop?: number, step = 1): number[] => {
    const [from, to] = stop === undefined ? [0, start] : [start, stop]
    const out: number[] = []
    if (step > 0) for (let i = from; i < to; i += step) out.push(i)
    else if (step < 0) for (let i = from; i > to; i += step) out.push(i)
    return out
  })
}
