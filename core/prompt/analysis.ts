/**
 * @module core/prompt/analysis
 * Parsing with positions and the static checks of a template. `@huggingface/jinja` parses tokens
 * into an AST that carries no positions; here identifiers are renamed with their token index before
 * parsing and restored afterwards, which maps every variable node back to its place in the source.
 * A parse failure is located at the last token the parser looked at.
 */
import { parse } from '@huggingface/jinja'
import { editDistance } from './edit-distance.ts'
import { locate, templateErrorAt } from './errors.ts'
import { lexTemplate, LexError, type JinjaToken, type WhitespaceOptions } from './lexer.ts'

/** The AST `@huggingface/jinja` parses a template into. */
export type JinjaProgram = ReturnType<typeof parse>

// AST nodes are plain objects with a `type`; `@huggingface/jinja` does not export their classes.
export interface AstNode {
  readonly type: string
  [key: string]: unknown
}

/** Where nodes came from, and which ones print. */
export interface PositionTable {
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
        const where = keyword === 'elif' ? '{% if %}' : '{% if %} or {% for %}'
        fail(offsets[i + 1], `"{% ${keyword} %}" outside ${where}`)
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
      for (const statement of block) {
        if (isNode(statement) && !STATEMENT_TYPES.has(statement.type)) printed.add(statement)
      }
    }
  }
  for (const child of children(node)) markPrinted(child, printed)
}

/** The first source offset of any identifier in a subtree, if it has one. */
export function firstOffset(node: AstNode, table: WeakMap<object, number>): number | undefined {
  let best = table.get(node)
  for (const child of children(node)) {
    const o = firstOffset(child, table)
    if (o !== undefined && (best === undefined || o < best)) best = o
  }
  return best
}

/** A variable read from the template's inputs, and where. */
export interface FreeUse {
  readonly name: string
  readonly offset: number | undefined
}

// Collects the variables a program reads from its inputs (names not bound by set, for, macro).
export function freeVariables(program: AstNode, table: WeakMap<object, number>): FreeUse[] {
  const uses: FreeUse[] = []
  const declare = (target: unknown, scope: Set<string>): void => {
    if (isNode(target) && target.type === 'Identifier') scope.add(String(target.value))
    else if (isNode(target) && target.type === 'TupleLiteral') {
      for (const t of target.value as unknown[]) declare(t, scope)
    }
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

/** The declared names closest to `name` (for "did you mean" hints). */
export function nearNames(name: string, names: readonly string[]): string[] {
  const scored = names.map((n) => ({ n, d: editDistance(name.toLowerCase(), n.toLowerCase()) }))
  const limit = Math.max(2, Math.floor(name.length / 3))
  return scored
    .filter((s) => s.d <= limit)
    .sort((a, b) => a.d - b.d)
    .map((s) => s.n)
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

/** A parsed template with positions. */
export interface ParsedTemplate {
  readonly name: string
  readonly source: string
  readonly program: JinjaProgram
  readonly positions: PositionTable
}

/** Parses a template with positions, for both task templates and chat templates. */
export function parseTemplate(
  name: string,
  source: string,
  whitespace: WhitespaceOptions,
): ParsedTemplate {
  let lexed
  try {
    lexed = lexTemplate(source, whitespace)
  } catch (error) {
    if (error instanceof LexError) throw templateErrorAt(name, source, error.offset, `syntax error: ${error.message}`)
    throw error
  }
  const { tokens, offsets, end } = lexed
  checkStructure(name, source, tokens, offsets)
  const renamed = tokens.map((t, i): JinjaToken =>
    t.type === 'Identifier' && !KEYWORDS.has(t.value) ? { ...t, value: `${t.value}${MANGLE}${i}` } : t,
  )
  const program = parseLocated(name, source, renamed, offsets, end)
  const identifiers = new WeakMap<object, number>()
  const printed = new WeakSet<object>()
  restoreIdentifiers(program as unknown as AstNode, offsets, identifiers)
  markPrinted(program as unknown as AstNode, printed)
  return { name, source, program, positions: { identifiers, printed } }
}
