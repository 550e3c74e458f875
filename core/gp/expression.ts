/**
 * @module core/gp/expression
 * Infix arithmetic over integer literals, the language of 24-game answers: a parser to a
 * position-carrying tree, an exact evaluator over rationals, Python's float evaluation (what the
 * paper's verifier computes), and a printer with minimal parentheses.
 *
 * Grammar (spaces between tokens are skipped; nothing else is):
 *
 *     expression := term (("+" | "-") term)*
 *     term       := factor (("*" | "/") factor)*
 *     factor     := number | "(" expression ")"
 *     number     := [0-9]+
 *
 * Two limits follow CPython, so that a formula of digits, operators and parentheses parses here
 * exactly when Python's `eval` parses it:
 * a literal with a leading zero and a non-zero digit (`01`, `007`) is rejected while `0` and `00`
 * are accepted, and parentheses nest at most 200 deep. There is no unary minus and no implicit
 * multiplication. Offsets are 0-based UTF-16 indices into the parsed text; messages say
 * "column" for offset + 1.
 */
import { pyApply } from './python-number.ts'
import type { PyArithmeticError, PyNumber, PyResult } from './python-number.ts'
import { add, div, fromInt, mul, sub } from './rational.ts'
import type { Rational } from './rational.ts'

/** The four binary operators of the 24 game. */
export type Operator = '+' | '-' | '*' | '/'

/** An integer literal. */
export interface NumberNode {
  readonly kind: 'number'
  /** The literal's digits (ASCII; without the spaces `joinDigitsAcrossSpaces` skips). */
  readonly text: string
  /** Its value; not exact above 2^53 - 1 (`evaluateExact` reports that as out of range). */
  readonly value: number
  /** Offset of the first digit. */
  readonly start: number
  /** Offset just past the last digit. */
  readonly end: number
}

/** A binary operation. Its span covers both operands but not parentheses around the whole. */
export interface BinaryNode {
  readonly kind: 'binary'
  readonly op: Operator
  readonly left: Expr
  readonly right: Expr
  /** Offset of the operator character. */
  readonly opOffset: number
  readonly start: number
  readonly end: number
}

/** An expression tree. */
export type Expr = NumberNode | BinaryNode

/** Why a text is not an expression. */
export type ExpressionErrorKind = 'illegal-character' | 'unexpected-token' | 'leading-zero' | 'too-deep'

/** A located parse error. */
export interface ExpressionError {
  readonly kind: ExpressionErrorKind
  /** 0-based offset of the offending character (the text's length at its end). */
  readonly offset: number
  /** offset + 1, as used in `message`. */
  readonly column: number
  /** What was found there: a quoted token, or `the end of the formula`. */
  readonly found: string
  /** What the grammar allowed there, when the error is a misplaced token. */
  readonly expected?: string
  /** E.g. `expected a number or "(" at column 5, found "*"`. */
  readonly message: string
}

/** The result of `parseExpression`. */
export type ParseResult =
  | { readonly ok: true; readonly expr: Expr }
  | { readonly ok: false; readonly error: ExpressionError }

/** Options of `parseExpression`. */
export interface ParseOptions {
  /** Deepest parenthesis nesting accepted; CPython's limit, 200, by default. */
  readonly maxDepth?: number
  /**
   * Read digits separated only by spaces as one number (`1 2` is 12), as the paper's verifier
   * does by deleting every space first. Off by default: `1 2` is then a syntax error.
   */
  readonly joinDigitsAcrossSpaces?: boolean
}

/** CPython's tokenizer refuses to open a 201st nested parenthesis. */
export const PYTHON_MAX_PAREN_DEPTH = 200

const END = 'the end of the formula'

interface Token {
  readonly type: 'number' | 'op' | '(' | ')' | 'end'
  /** The token's text; for a number, its digits only. */
  readonly text: string
  readonly offset: number
  /** Offset just past the token. */
  readonly end: number
}

function quote(text: string): string {
  return JSON.stringify(text)
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57
}

class Parser {
  private pos = 0
  private depth = 0
  private current: Token
  constructor(
    private readonly text: string,
    private readonly maxDepth: number,
    private readonly joinDigits: boolean,
  ) {
    this.current = this.scan()
  }

  /** Reads the token at `pos`, skipping spaces. Throws a ParseFailure on a character outside the grammar. */
  private scan(): Token {
    const text = this.text
    while (this.pos < text.length && text.charCodeAt(this.pos) === 32) this.pos++
    const offset = this.pos
    if (offset >= text.length) return { type: 'end', text: '', offset, end: offset }
    const code = text.charCodeAt(offset)
    if (isDigit(code)) {
      let digits = ''
      let end = offset
      for (;;) {
        const runStart = end
        while (end < text.length && isDigit(text.charCodeAt(end))) end++
        digits += text.slice(runStart, end)
        if (!this.joinDigits) break
        let next = end
        while (next < text.length && text.charCodeAt(next) === 32) next++
        if (next === end || next >= text.length || !isDigit(text.charCodeAt(next))) break
        end = next
      }
      this.pos = end
      return { type: 'number', text: digits, offset, end }
    }
    const ch = text[offset]
    if (ch === '+' || ch === '-' || ch === '*' || ch === '/' || ch === '(' || ch === ')') {
      this.pos = offset + 1
      return { type: ch === '(' || ch === ')' ? ch : 'op', text: ch, offset, end: offset + 1 }
    }
    const found = String.fromCodePoint(text.codePointAt(offset) ?? code)
    throw new ParseFailure({
      kind: 'illegal-character',
      offset,
      column: offset + 1,
      found: quote(found),
      message:
        `unexpected character ${quote(found)} at column ${offset + 1}; ` +
        'a formula may contain only digits, + - * / and parentheses',
    })
  }

  private advance(): Token {
    const token = this.current
    this.current = this.scan()
    return token
  }

  private unexpected(expected: string, note = ''): ParseFailure {
    const token = this.current
    const found = token.type === 'end' ? END : quote(token.text)
    return new ParseFailure({
      kind: 'unexpected-token',
      offset: token.offset,
      column: token.offset + 1,
      found,
      expected,
      message: `expected ${expected} at column ${token.offset + 1}, found ${found}${note}`,
    })
  }

  parse(): Expr {
    const expr = this.expression()
    if (this.current.type !== 'end') {
      const note = this.current.type === ')' ? ' (no "(" is open)' : ''
      throw this.unexpected('an operator or the end of the formula', note)
    }
    return expr
  }

  private expression(): Expr {
    let left = this.term()
    while (this.current.type === 'op' && (this.current.text === '+' || this.current.text === '-')) {
      const op = this.advance()
      const right = this.term()
      left = binary(op, left, right)
    }
    return left
  }

  private term(): Expr {
    let left = this.factor()
    while (this.current.type === 'op' && (this.current.text === '*' || this.current.text === '/')) {
      const op = this.advance()
      const right = this.factor()
      left = binary(op, left, right)
    }
    return left
  }

  private factor(): Expr {
    const token = this.current
    if (token.type === 'number') {
      if (token.text.length > 1 && token.text[0] === '0' && /[1-9]/.test(token.text)) {
        const stripped = token.text.replace(/^0+/, '')
        throw new ParseFailure({
          kind: 'leading-zero',
          offset: token.offset,
          column: token.offset + 1,
          found: quote(token.text),
          message:
            `number ${quote(token.text)} at column ${token.offset + 1} has a leading zero; ` +
            `write it as ${stripped}`,
        })
      }
      this.advance()
      return { kind: 'number', text: token.text, value: Number(token.text), start: token.offset, end: token.end }
    }
    if (token.type === '(') {
      if (this.depth >= this.maxDepth) {
        throw new ParseFailure({
          kind: 'too-deep',
          offset: token.offset,
          column: token.offset + 1,
          found: '"("',
          message: `parentheses nest deeper than ${this.maxDepth} levels at column ${token.offset + 1}`,
        })
      }
      this.depth++
      this.advance()
      const inner = this.expression()
      if (this.current.type !== ')') {
        throw this.unexpected('an operator or ")"', ` (the "(" at column ${token.offset + 1} is not closed)`)
      }
      this.advance()
      this.depth--
      return inner
    }
    throw this.unexpected('a number or "("')
  }
}

/** Internal carrier of a parse error out of the recursive descent. */
class ParseFailure extends Error {
  constructor(readonly error: ExpressionError) {
    super(error.message)
  }
}

function binary(op: Token, left: Expr, right: Expr): BinaryNode {
  const operator = op.text as Operator
  return { kind: 'binary', op: operator, left, right, opOffset: op.offset, start: left.start, end: right.end }
}

/**
 * Parses an infix expression of non-negative integer literals, `+ - * /` and parentheses.
 * Returns the tree, or the first error in reading order with its offset and what was expected.
 */
export function parseExpression(text: string, options: ParseOptions = {}): ParseResult {
  const maxDepth = options.maxDepth ?? PYTHON_MAX_PAREN_DEPTH
  try {
    return { ok: true, expr: new Parser(text, maxDepth, options.joinDigitsAcrossSpaces ?? false).parse() }
  } catch (e) {
    if (e instanceof ParseFailure) return { ok: false, error: e.error }
    throw e
  }
}

/**
 * Folds a tree bottom-up, left operand before right, without recursion (a chain such as
 * 1+1+...+1 makes a tree as deep as it is long).
 */
export function foldExpression<T>(
  root: Expr,
  leaf: (node: NumberNode) => T,
  combine: (node: BinaryNode, left: T, right: T) => T,
): T {
  const stack: { node: Expr; expanded: boolean }[] = [{ node: root, expanded: false }]
  const values: T[] = []
  while (stack.length > 0) {
    const top = stack.pop() as { node: Expr; expanded: boolean }
    const node = top.node
    if (node.kind === 'number') {
      values.push(leaf(node))
    } else if (!top.expanded) {
      // Pushed right first so the left operand is evaluated first, as Python does.
      stack.push({ node, expanded: true }, { node: node.right, expanded: false })
      stack.push({ node: node.left, expanded: false })
    } else {
      const right = values.pop() as T
      const left = values.pop() as T
      values.push(combine(node, left, right))
    }
  }
  return values[0]
}

/** The integer literals of a tree, left to right. */
export function literalsOf(expr: Expr): NumberNode[] {
  const out: NumberNode[] = []
  foldExpression(
    expr,
    (node) => {
      out.push(node)
      return 0
    },
    () => 0,
  )
  return out
}

/** Why exact evaluation failed. */
export interface ExactEvaluationError {
  readonly kind: 'division-by-zero' | 'out-of-range'
  /** Offset of the offending `/` (division by zero) or of the node that left the range. */
  readonly offset: number
  readonly message: string
}

/** The result of `evaluateExact`. */
export type ExactEvaluation =
  | { readonly ok: true; readonly value: Rational }
  | { readonly ok: false; readonly error: ExactEvaluationError }

/**
 * The exact rational value of a tree. Division by zero is a typed error at its `/`; a literal or
 * an intermediate value beyond the safe-integer range of `Rational` is `out-of-range`.
 */
export function evaluateExact(expr: Expr): ExactEvaluation {
  return foldExpression<ExactEvaluation>(
    expr,
    (node) => {
      if (!Number.isSafeInteger(node.value)) {
        const message = `number ${node.text} at column ${node.start + 1} exceeds ${Number.MAX_SAFE_INTEGER}`
        return outOfRange(node.start, message)
      }
      return { ok: true, value: fromInt(node.value) }
    },
    (node, left, right) => {
      if (!left.ok) return left
      if (!right.ok) return right
      try {
        switch (node.op) {
          case '+':
            return { ok: true, value: add(left.value, right.value) }
          case '-':
            return { ok: true, value: sub(left.value, right.value) }
          case '*':
            return { ok: true, value: mul(left.value, right.value) }
          case '/': {
            const q = div(left.value, right.value)
            if (q === null) {
              return {
                ok: false,
                error: {
                  kind: 'division-by-zero',
                  offset: node.opOffset,
                  message: `division by zero at column ${node.opOffset + 1}`,
                },
              }
            }
            return { ok: true, value: q }
          }
        }
      } catch (e) {
        // Rational arithmetic signals a result beyond its safe-integer range with a RangeError;
        // report it as a typed result at the operator instead of failing the caller.
        if (e instanceof RangeError) {
          return outOfRange(node.opOffset, `${e.message} (operator at column ${node.opOffset + 1})`)
        }
        throw e
      }
    },
  )
}

function outOfRange(offset: number, message: string): ExactEvaluation {
  return { ok: false, error: { kind: 'out-of-range', offset, message } }
}

/** A Python exception raised while evaluating, located at its operator. */
export interface FloatEvaluationError extends PyArithmeticError {
  readonly offset: number
}

/** The result of `evaluateFloat`. */
export type FloatEvaluation =
  | { readonly ok: true; readonly value: PyNumber }
  | { readonly ok: false; readonly error: FloatEvaluationError }

/**
 * What CPython's `eval` computes for the tree: exact ints for + - *, a correctly rounded float
 * from every `/`, IEEE double arithmetic once a float is involved, operands evaluated left to
 * right. `8/(3-8/3)` gives the float 23.99999999999999. Exceptions are typed results.
 */
export function evaluateFloat(expr: Expr): FloatEvaluation {
  return foldExpression<FloatEvaluation>(
    expr,
    (node) => ({ ok: true, value: { type: 'int', value: BigInt(node.text) } }),
    (node, left, right) => {
      if (!left.ok) return left
      if (!right.ok) return right
      const result: PyResult = pyApply(node.op, left.value, right.value)
      return result.ok ? result : { ok: false, error: { ...result.error, offset: node.opOffset } }
    },
  )
}

const PRECEDENCE: Record<Operator, number> = { '+': 1, '-': 1, '*': 2, '/': 2 }

/** Options of `printExpression`. */
export interface PrintOptions {
  /**
   * Keep every parenthesis the tree shape needs, so the output parses back to the same tree:
   * `a+(b+c)` stays as is. By default parentheses that cannot change the exact value are dropped
   * too: `a+(b+c)` prints `a+b+c` and `a*(b/c)` prints `a*b/c`, while `a-(b-c)` and `a/(b*c)`
   * keep theirs because - and / are not associative.
   */
  readonly keepShape?: boolean
  /** Put a space around each operator (`(10 / 2 + 7) * 2`); none by default, as in the paper. */
  readonly spaces?: boolean
}

/** Prints a tree with minimal parentheses (see `PrintOptions`). */
export function printExpression(expr: Expr, options: PrintOptions = {}): string {
  const keepShape = options.keepShape ?? false
  const sep = options.spaces ? ' ' : ''
  return foldExpression<{ text: string; prec: number }>(
    expr,
    (node) => ({ text: node.text, prec: 3 }),
    (node, left, right) => {
      const prec = PRECEDENCE[node.op]
      const leftText = left.prec < prec ? `(${left.text})` : left.text
      const sameLevelNeedsParens = keepShape || node.op === '-' || node.op === '/'
      const rightNeedsParens = right.prec < prec || (right.prec === prec && sameLevelNeedsParens)
      const rightText = rightNeedsParens ? `(${right.text})` : right.text
      return { text: `${leftText}${sep}${node.op}${sep}${rightText}`, prec }
    },
  ).text
}

/** The tree's shape as a fully parenthesised string (`((10/2)+7)*2`), for comparing trees. */
export function shapeOf(expr: Expr): string {
  return foldExpression(
    expr,
    (node) => node.text,
    (node, left, right) => `(${left}${node.op}${right})`,
  )
}
