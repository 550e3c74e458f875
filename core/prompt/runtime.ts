/**
 * @module core/prompt/runtime
 * Running a parsed template on `@huggingface/jinja`'s interpreter, with two changes: reading an
 * absent value is an error at its position (unless the template tests it with `is defined` or
 * gives a `default`), and printed values follow Python's `str`, as in Jinja2.
 */
import { Environment, Interpreter } from '@huggingface/jinja'
import { firstOffset, type AstNode, type ParsedTemplate } from './analysis.ts'
import { TemplateError, templateErrorAt } from './errors.ts'
import { pyNumberRepr, pyStrRepr } from './python-repr.ts'

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
  /** The nodes an error passed through, innermost first (cleared when an error is handled). */
  failedPath: AstNode[] = []

  constructor(
    env: Environment,
    private readonly template: ParsedTemplate,
    private readonly options: RunOptions,
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
      if (node !== undefined) this.failedPath.push(node)
      throw error
    }
    // A normal return means any error below was handled (e.g. a loop's break).
    if (this.failedPath.length > 0) this.failedPath = []
    if (node === undefined) return value
    if (
      this.options.strict &&
      value.type === 'UndefinedValue' &&
      (node.type === 'Identifier' || node.type === 'MemberExpression') &&
      !this.mayBeUndefined.has(node)
    ) {
      throw this.undefinedError(node)
    }
    if (this.options.pythonPrinting && this.template.positions.printed.has(node) && value.type !== 'StringValue') {
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

/** How `runProgram` differs from `@huggingface/jinja`'s own rendering. */
export interface RunOptions {
  /** Reading an absent value is an error. */
  readonly strict: boolean
  /** Printed values follow Python's `str` (`True`, `None`, `['a']`) instead of JavaScript's. */
  readonly pythonPrinting: boolean
}

/** Runs a parsed template. Failures are `TemplateError`s located at the failing expression. */
export function runProgram(
  template: ParsedTemplate,
  vars: Readonly<Record<string, unknown>>,
  options: RunOptions,
): string {
  const env = new Environment()
  setupGlobalsLike(env)
  for (const [key, value] of Object.entries(vars)) if (value !== undefined) env.set(key, value)
  const interpreter = new StrictInterpreter(env, template, options)
  try {
    const result = interpreter.run(template.program)
    return String(result.value)
  } catch (error) {
    if (error instanceof TemplateError) throw error
    const table = template.positions.identifiers
    const offset = interpreter.failedPath.map((n) => firstOffset(n, table)).find((o) => o !== undefined)
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
