/**
 * @module core/gp/verify-strict
 * The sound General Points verifier: the paper's rules with exact rational arithmetic
 * (paper-tasks.md §11.1, corrected mode), and a typed, located reason for every rejection.
 *
 * Specification, step by step (positions are 0-based offsets into the extracted formula):
 *
 * 1. Extraction. First exactly the paper's (`extractPaperFormula`): whole-response JSON, then the
 *    first `"formula": "(.*?)"`. Only when that finds nothing, a lenient fallback takes the first
 *    `'formula': '…'`, `"formula":"…"` or similar (`extractLenientFormula`); the option
 *    `paperExtraction: true` turns the fallback off. Whenever the paper finds a formula this
 *    verifier judges the same text, so extraction only ever adds answers. A non-string JSON
 *    `"formula"` (where the paper crashes) and a response with no formula are `no-formula`.
 * 2. Normalisation, as the paper: the text before the first `=`; ASCII spaces are ignored, so a
 *    space inside a number joins its digits (`1 2` reads 12), exactly as the paper's removal.
 * 3. With `acceptCommonNotations`, `×` and `÷`, the Unicode minus U+2212, and `x` or `X` between
 *    two operands (`3x8`, `(1+2) x 8`) are read as `*`, `/`, `-` and `*`.
 * 4. `illegal-token`: any character other than ASCII digits, `+ - * / ( )` and spaces. Unlike the
 *    paper's `\d`, non-ASCII digits are refused here (the paper only rejects them later, at eval).
 * 5. `syntax`: the grammar of `parseExpression` (no unary minus, no implicit multiplication,
 *    balanced parentheses, no leading zeros such as `01`, at most 200 nested parentheses).
 * 6. `wrong-numbers`: the literals must be the card values as a multiset; the verdict lists the
 *    card values left unused (`missing`) and the literals that are not cards or used too often
 *    (`extra`).
 * 7. Exact evaluation: `division-by-zero` (at its `/`), `out-of-range` (a value beyond the
 *    safe-integer range of `Rational`, only reachable with huge card values), `wrong-value`
 *    (with the exact value, e.g. `47/2`), or `correct`.
 */
import { evaluateExact, literalsOf, parseExpression, printExpression } from './expression.ts'
import type { ExpressionError } from './expression.ts'
import { extractLenientFormula, extractPaperFormula, pyJsonRepr } from './json-extract.ts'
import { fromInt, toString as rationalToString, equals } from './rational.ts'

/** The task as the strict verifier sees it. */
export interface StrictTask {
  /** The card values every answer must use exactly once. */
  readonly values: readonly number[]
  readonly target: number
}

/** Options of `verifyStrict`. */
export interface StrictOptions {
  /** Read `×`, `÷`, U+2212 and `x` between operands as operators (default false). */
  readonly acceptCommonNotations?: boolean
  /** Use only the paper's extraction, without the lenient fallback (default false). */
  readonly paperExtraction?: boolean
}

/** Why the strict verifier accepted or rejected an answer. */
export type StrictReason =
  | 'no-formula'
  | 'illegal-token'
  | 'syntax'
  | 'wrong-numbers'
  | 'division-by-zero'
  | 'out-of-range'
  | 'wrong-value'
  | 'correct'

/** Where the strict verifier found the formula. */
export type StrictSource = 'json' | 'regex' | 'lenient' | 'none'

interface StrictBase {
  readonly source: StrictSource
  /** The formula as extracted; null when there is none. */
  readonly formula: string | null
  /** One sentence saying why, with columns (offset + 1) into `formula`. */
  readonly detail: string
}

/** No usable formula in the response. */
export interface StrictNoFormula extends StrictBase {
  readonly ok: false
  readonly reason: 'no-formula'
}

/** A character outside the formula alphabet. */
export interface StrictIllegalToken extends StrictBase {
  readonly ok: false
  readonly reason: 'illegal-token'
  readonly formula: string
  readonly position: number
  /** The offending character. */
  readonly found: string
}

/** The formula does not parse. */
export interface StrictSyntax extends StrictBase {
  readonly ok: false
  readonly reason: 'syntax'
  readonly formula: string
  readonly position: number
  readonly error: ExpressionError
}

/** The literals are not the card values. */
export interface StrictWrongNumbers extends StrictBase {
  readonly ok: false
  readonly reason: 'wrong-numbers'
  readonly formula: string
  /** Card values the formula does not use (once per missing copy), ascending. */
  readonly missing: number[]
  /** Literals that are not cards or repeat a card too often (once per extra copy), ascending. */
  readonly extra: number[]
}

/** A division by zero, at its `/`. */
export interface StrictDivisionByZero extends StrictBase {
  readonly ok: false
  readonly reason: 'division-by-zero'
  readonly formula: string
  readonly position: number
}

/** A value beyond the exact range (huge card values only). */
export interface StrictOutOfRange extends StrictBase {
  readonly ok: false
  readonly reason: 'out-of-range'
  readonly formula: string
  readonly position: number
}

/** A well-formed formula with the right cards and another value. */
export interface StrictWrongValue extends StrictBase {
  readonly ok: false
  readonly reason: 'wrong-value'
  readonly formula: string
  /** The exact value, `num/den` or an integer. */
  readonly value: string
}

/** A correct answer. */
export interface StrictCorrect extends StrictBase {
  readonly ok: true
  readonly reason: 'correct'
  readonly formula: string
  readonly value: string
  /** The formula printed with minimal parentheses, as in the paper (`(10/2+7)*2`). */
  readonly expression: string
}

/** The strict verifier's result for one response. */
export type StrictVerdict =
  | StrictNoFormula
  | StrictIllegalToken
  | StrictSyntax
  | StrictWrongNumbers
  | StrictDivisionByZero
  | StrictOutOfRange
  | StrictWrongValue
  | StrictCorrect

const NOTATIONS: Record<string, string> = { '×': '*', '÷': '/', '\u2212': '-' }
const ALLOWED = /^[0-9+\-*/() ]$/

function isOperandEnd(ch: string | undefined): boolean {
  return ch !== undefined && (ch === ')' || (ch >= '0' && ch <= '9'))
}

function isOperandStart(ch: string | undefined): boolean {
  return ch !== undefined && (ch === '(' || (ch >= '0' && ch <= '9'))
}

/** Rewrites the common notations one UTF-16 unit for one, so offsets stay valid. */
function rewriteNotations(text: string): string {
  const chars = text.split('')
  const neighbour = (from: number, step: number): string | undefined => {
    let i = from + step
    while (i >= 0 && i < chars.length && chars[i] === ' ') i += step
    return chars[i]
  }
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]
    if (NOTATIONS[ch] !== undefined) chars[i] = NOTATIONS[ch]
    else if ((ch === 'x' || ch === 'X') && isOperandEnd(neighbour(i, -1)) && isOperandStart(neighbour(i, 1))) {
      chars[i] = '*'
    }
  }
  return chars.join('')
}

function checkTask(task: StrictTask): void {
  if (task.values.length === 0) {
    throw new Error('verifyStrict: values is empty; give the value of every card of the hand')
  }
  for (const [i, v] of task.values.entries()) {
    if (!Number.isSafeInteger(v)) {
      throw new Error(`verifyStrict: values[${i}] = ${v} is not an integer; card values are integers`)
    }
  }
  if (!Number.isSafeInteger(task.target)) throw new Error(`verifyStrict: target ${task.target} is not an integer`)
}

/** Multiset difference of `a` minus `b`, ascending. */
function multisetMinus(a: readonly number[], b: readonly number[]): number[] {
  const counts = new Map<number, number>()
  for (const x of b) counts.set(x, (counts.get(x) ?? 0) + 1)
  const out: number[] = []
  for (const x of a) {
    const c = counts.get(x) ?? 0
    if (c > 0) counts.set(x, c - 1)
    else out.push(x)
  }
  return out.sort((x, y) => x - y)
}

/**
 * Judges a response with exact arithmetic (see the module comment for the full rules). Throws
 * only for an invalid task (no cards, non-integer values).
 */
export function verifyStrict(response: string, task: StrictTask, options: StrictOptions = {}): StrictVerdict {
  checkTask(task)
  const paper = extractPaperFormula(response)
  let source: StrictSource
  let formula: string
  if (paper.kind === 'non-string') {
    const repr = pyJsonRepr(paper.value)
    const detail = `the JSON "formula" is ${repr}, not a string`
    return { ok: false, reason: 'no-formula', source: 'json', formula: null, detail }
  } else if (paper.source !== 'none') {
    source = paper.source
    formula = paper.formula
  } else {
    const lenient = options.paperExtraction ? null : extractLenientFormula(response)
    if (lenient === null) {
      const how = options.paperExtraction ? '"formula": "…"' : 'a "formula" member'
      return { ok: false, reason: 'no-formula', source: 'none', formula: null, detail: `the response has no ${how}` }
    }
    source = 'lenient'
    formula = lenient.formula
  }
  const base = { source, formula }

  const equalsAt = formula.indexOf('=')
  let text = equalsAt < 0 ? formula : formula.slice(0, equalsAt)
  if (options.acceptCommonNotations) text = rewriteNotations(text)

  for (let i = 0; i < text.length; i++) {
    if (ALLOWED.test(text[i])) continue
    const found = String.fromCodePoint(text.codePointAt(i) as number)
    const notation = !options.acceptCommonNotations && /^[×÷\u2212xX]$/.test(found)
    const hint = notation ? ' (acceptCommonNotations reads it as an operator)' : ''
    return {
      ...base,
      ok: false,
      reason: 'illegal-token',
      position: i,
      found,
      detail:
        `character ${JSON.stringify(found)} at column ${i + 1} is not allowed: ` +
        `use digits, + - * / and parentheses${hint}`,
    }
  }

  const parsed = parseExpression(text, { joinDigitsAcrossSpaces: true })
  if (!parsed.ok) {
    const { error } = parsed
    return { ...base, ok: false, reason: 'syntax', position: error.offset, error, detail: error.message }
  }
  const expr = parsed.expr

  const literals = literalsOf(expr).map((n) => n.value)
  const missing = multisetMinus(task.values, literals)
  const extra = multisetMinus(literals, task.values)
  if (missing.length > 0 || extra.length > 0) {
    const parts: string[] = []
    if (missing.length > 0) parts.push(`does not use ${missing.join(', ')}`)
    if (extra.length > 0) parts.push(`uses ${extra.join(', ')} beyond the cards`)
    const detail = `the formula ${parts.join(' and ')} (cards: ${task.values.join(' ')})`
    return { ...base, ok: false, reason: 'wrong-numbers', missing, extra, detail }
  }

  const value = evaluateExact(expr)
  if (!value.ok) {
    const { kind, offset, message } = value.error
    return { ...base, ok: false, reason: kind, position: offset, detail: message }
  }
  const exact = rationalToString(value.value)
  if (!equals(value.value, fromInt(task.target))) {
    const detail = `the formula equals ${exact}, not ${task.target}`
    return { ...base, ok: false, reason: 'wrong-value', value: exact, detail }
  }
  const detail = `the formula equals ${task.target} exactly`
  return { ...base, ok: true, reason: 'correct', value: exact, expression: printExpression(expr), detail }
}
