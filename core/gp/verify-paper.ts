/**
 * @module core/gp/verify-paper
 * The paper's General Points verifier, `score_gp_l_wo_sol` (paper-tasks.md §6.4, §10 items
 * 16-23), reproduced rule for rule, bugs included. Use it to reproduce the paper's numbers; use
 * `verifyStrict` (exact arithmetic) to judge answers.
 *
 * Steps, in the reference's order:
 *
 * 1. Extraction (`extractPaperFormula`): whole-response JSON, else the first
 *    `"formula": "(.*?)"`, else the literal `None`. A non-string JSON `"formula"` makes the
 *    reference raise `AttributeError`: outcome `crash`, reward `null` (the reference returns no
 *    reward at all; the exception propagates to its caller).
 * 2. Normalisation: the text before the first `=`, with ASCII spaces (only) removed.
 * 3. Legality, reward -3: the text must consist of `\d+` runs and `+ - * / ( )`, and the tokens
 *    must follow the reference's order rules. Python's `\d` matches every Unicode decimal digit
 *    (Unicode 14.0 in CPython 3.11), so `３` or `٣` pass this step.
 * 4. Numbers, reward -2 per failed check: the integers (`int()` of each digit run, so `01` is 1
 *    and `٣` is 3) must equal the `display_cards` multiset. The reference adds -2 for an unknown
 *    or over-used number and another -2 for an under-used card, so an answer that swaps one card
 *    for another scores **-4** (paper-tasks.md §6.4 lists only {5, -1, -2, -3}). A digit run
 *    longer than 4300 characters makes `int()` raise `ValueError` (CPython's integer string
 *    limit): outcome `crash`.
 * 5. Value: Python `eval` in floats; equal to the target gives +5; a different value, a
 *    `SyntaxError` (`01`, an unclosed `(`, a trailing operator, a non-ASCII digit, more than 200
 *    nested parentheses) or an arithmetic exception (`ZeroDivisionError`, `OverflowError`) gives
 *    -1. `8/(3-8/3)` evaluates to 23.99999999999999 and scores -1 (§11.1).
 *
 * Not reproduced: CPython raises `RecursionError` while compiling a chain of roughly 1000 or more
 * operands, which needs a hand of that many cards.
 */
import { evaluateFloat, parseExpression } from './expression.ts'
import type { ExpressionError } from './expression.ts'
import { extractPaperFormula, pyJsonRepr } from './json-extract.ts'
import type { PaperFormulaSource } from './json-extract.ts'
import { pyEqualsInteger, pyRepr } from './python-number.ts'

/** The rewards `score_gp_l_wo_sol` returns. -4 arises when both number checks fail. */
export type PaperReward = 5 | -1 | -2 | -3 | -4

/** What the paper's verifier concluded. */
export type PaperOutcome = 'correct' | 'no-solution' | 'wrong-numbers' | 'illegal-formula' | 'crash'

/** The task as the paper's verifier sees it. */
export interface PaperTask {
  /** The verifier's card values (`display_cards`): 10 for J/Q/K in fake splits, and so on. */
  readonly displayValues: readonly number[]
  /** The target, 24 in the paper. */
  readonly target: number
}

/** An exception the reference raises instead of returning a reward. */
export interface PaperCrash {
  readonly type: 'AttributeError' | 'ValueError'
  readonly message: string
}

/** An exception the reference's `eval` raises and catches. */
export interface PaperEvalError {
  readonly type: 'SyntaxError' | 'ZeroDivisionError' | 'OverflowError'
  readonly message: string
}

/** The paper verifier's result for one response. */
export interface PaperVerdict {
  /** The reference's return value; `null` when it raises (`outcome: 'crash'`). */
  readonly reward: PaperReward | null
  readonly outcome: PaperOutcome
  /** Where the formula came from. */
  readonly source: PaperFormulaSource
  /** The formula as extracted (Python's repr of the value when it is not a string). */
  readonly formula: string
  /** What the checks saw: the text before the first `=`, ASCII spaces removed. */
  readonly normalized: string
  /** The value of Python's `eval`, when it ran and returned. */
  readonly floatValue?: number
  /** Python's repr of that value (`23.99999999999999`, `24`, `24.0`). */
  readonly pythonValue?: string
  /** The exception, for `outcome: 'crash'`. */
  readonly crash?: PaperCrash
  /** The exception `eval` raised (the reference catches it and scores -1). */
  readonly evalError?: PaperEvalError
  /** One sentence saying why. */
  readonly detail: string
}

/** Code points of the digit zero of each Unicode 14.0 decimal-digit run (Python's `\d`). */
const DIGIT_ZEROS = [
  0x30, 0x660, 0x6f0, 0x7c0, 0x966, 0x9e6, 0xa66, 0xae6, 0xb66, 0xbe6, 0xc66, 0xce6, 0xd66, 0xde6, 0xe50, 0xed0, 0xf20,
  0x1040, 0x1090, 0x17e0, 0x1810, 0x1946, 0x19d0, 0x1a80, 0x1a90, 0x1b50, 0x1bb0, 0x1c40, 0x1c50, 0xa620, 0xa8d0,
  0xa900, 0xa9d0, 0xa9f0, 0xaa50, 0xabf0, 0xff10, 0x104a0, 0x10d30, 0x11066, 0x110f0, 0x11136, 0x111d0, 0x112f0,
  0x11450, 0x114d0, 0x11650, 0x116c0, 0x11730, 0x118e0, 0x11950, 0x11c50, 0x11d50, 0x11da0, 0x16a60, 0x16ac0,
  0x16b50, 0x1d7ce, 0x1d7d8, 0x1d7e2, 0x1d7ec, 0x1d7f6, 0x1e140, 0x1e2f0, 0x1e950, 0x1fbf0,
]

/** The decimal value of a code point Python's `\d` matches, or -1. */
export function pythonDigitValue(codePoint: number): number {
  // Runs are ten consecutive code points, 0 to 9, and never overlap: find the last zero <= cp.
  let lo = 0
  let hi = DIGIT_ZEROS.length - 1
  if (codePoint < DIGIT_ZEROS[0]) return -1
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1
    if (DIGIT_ZEROS[mid] <= codePoint) lo = mid
    else hi = mid - 1
  }
  const value = codePoint - DIGIT_ZEROS[lo]
  return value < 10 ? value : -1
}

/** CPython's limit on the digits `int()` converts (`sys.get_int_max_str_digits()`, since 3.11). */
const PYTHON_INT_MAX_STR_DIGITS = 4300

type TokenType = 'number' | 'operator' | 'open_paren' | 'close_paren'

interface LegalityFailure {
  readonly detail: string
}

interface FormulaToken {
  readonly type: TokenType
  /** The digits of a number (code points), or the operator / parenthesis. */
  readonly chars: string[]
}

/** Splits into `\d+` runs and single operators, or says which character is outside that alphabet. */
function tokenize(formula: string): FormulaToken[] | LegalityFailure {
  const tokens: FormulaToken[] = []
  let index = 0
  for (const ch of formula) {
    const cp = ch.codePointAt(0) as number
    if (pythonDigitValue(cp) >= 0) {
      const last = tokens[tokens.length - 1]
      if (last !== undefined && last.type === 'number') last.chars.push(ch)
      else tokens.push({ type: 'number', chars: [ch] })
    } else if (ch === '+' || ch === '-' || ch === '*' || ch === '/') {
      tokens.push({ type: 'operator', chars: [ch] })
    } else if (ch === '(' || ch === ')') {
      tokens.push({ type: ch === '(' ? 'open_paren' : 'close_paren', chars: [ch] })
    } else {
      const code = cp.toString(16).toUpperCase().padStart(4, '0')
      const where = `at index ${index} of ${JSON.stringify(formula)}`
      return { detail: `illegal character ${JSON.stringify(ch)} (U+${code}) ${where}` }
    }
    index++
  }
  return tokens
}

/** The reference's token-order rules; an unclosed `(` passes them. */
function checkGrammar(tokens: readonly FormulaToken[]): LegalityFailure | null {
  let prev: TokenType | null = null
  let open = 0
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]
    const afterOperand = prev === 'number' || prev === 'close_paren'
    let ok: boolean
    if (token.type === 'number' || token.type === 'open_paren') ok = !afterOperand
    else ok = afterOperand
    if (token.type === 'close_paren' && ok) {
      if (open === 0) return { detail: `token ${i + 1} ")" has no open "("` }
      open--
    }
    if (!ok) {
      const what = token.type === 'number' ? token.chars.join('') : token.chars[0]
      const after = prev === null ? 'at the start' : `after a ${prev.replace('_', ' ')}`
      return { detail: `token ${i + 1} ${JSON.stringify(what)} may not come ${after}` }
    }
    if (token.type === 'open_paren') open++
    prev = token.type
  }
  return null
}

/** `int()` of a digit run as a canonical decimal string (Unicode digits mapped, zeros stripped). */
function digitKey(chars: readonly string[]): string {
  const ascii = chars.map((ch) => String(pythonDigitValue(ch.codePointAt(0) as number))).join('')
  const stripped = ascii.replace(/^0+/, '')
  return stripped === '' ? '0' : stripped
}

function checkTask(task: PaperTask): void {
  if (task.displayValues.length === 0) {
    throw new Error('verifyPaper: displayValues is empty; give the value of every card of the hand')
  }
  for (const [i, v] of task.displayValues.entries()) {
    if (!Number.isSafeInteger(v)) {
      throw new Error(`verifyPaper: displayValues[${i}] = ${v} is not an integer; card values are integers`)
    }
  }
  if (!Number.isSafeInteger(task.target)) throw new Error(`verifyPaper: target ${task.target} is not an integer`)
}

/** Python's SyntaxError message for a formula our parser rejects (the wording is close to CPython's). */
function pythonSyntaxMessage(error: ExpressionError): string {
  switch (error.kind) {
    case 'leading-zero':
      return 'leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers'
    case 'too-deep':
      return 'too many nested parentheses'
    case 'illegal-character':
      return `invalid character ${error.found}`
    case 'unexpected-token':
      return error.message.includes('is not closed') ? "'(' was never closed" : 'invalid syntax'
  }
}

/**
 * Scores a response exactly as the paper's `score_gp_l_wo_sol(response, {display_cards, target})`
 * does (see the module comment). Throws only for an invalid task (no cards, non-integer values).
 */
export function verifyPaper(response: string, task: PaperTask): PaperVerdict {
  checkTask(task)
  const extraction = extractPaperFormula(response)
  if (extraction.kind === 'non-string') {
    const type = extraction.value.type
    const formula = pyJsonRepr(extraction.value)
    const message = `'${type}' object has no attribute 'replace'`
    return {
      reward: null,
      outcome: 'crash',
      source: 'json',
      formula,
      normalized: '',
      crash: { type: 'AttributeError', message },
      detail: `the JSON "formula" is ${formula}, not a string: the reference raises AttributeError: ${message}`,
    }
  }
  const { source, formula } = extraction
  const normalized = formula.split('=')[0].replaceAll(' ', '')
  const base = { source, formula, normalized }

  const tokens = tokenize(normalized)
  if (!Array.isArray(tokens)) return { ...base, reward: -3, outcome: 'illegal-formula', detail: tokens.detail }
  const grammar = checkGrammar(tokens)
  if (grammar !== null) return { ...base, reward: -3, outcome: 'illegal-formula', detail: grammar.detail }

  const numbers = tokens.filter((t) => t.type === 'number')
  const tooLong = numbers.find((t) => t.chars.length > PYTHON_INT_MAX_STR_DIGITS)
  if (tooLong !== undefined) {
    const message =
      `Exceeds the limit (${PYTHON_INT_MAX_STR_DIGITS} digits) for integer string conversion: ` +
      `value has ${tooLong.chars.length} digits; use sys.set_int_max_str_digits() to increase the limit`
    return {
      ...base,
      reward: null,
      outcome: 'crash',
      crash: { type: 'ValueError', message },
      detail: `a number with ${tooLong.chars.length} digits makes int() raise ValueError: ${message}`,
    }
  }
  const used = countKeys(numbers.map((t) => digitKey(t.chars)))
  const cards = countKeys(task.displayValues.map((v) => String(v)))
  const unknown = [...used.keys()].filter((k) => !cards.has(k))
  const overused = [...used.keys()].filter((k) => (used.get(k) ?? 0) > (cards.get(k) ?? 0))
  const underused = [...cards.keys()].filter((k) => (cards.get(k) ?? 0) > (used.get(k) ?? 0))
  let penalty = 0
  const problems: string[] = []
  if (unknown.length > 0) {
    penalty -= 2
    problems.push(`uses ${unknown.join(', ')}, not among the cards`)
  } else if (overused.length > 0) {
    penalty -= 2
    problems.push(`uses ${overused.join(', ')} more often than dealt`)
  }
  if (underused.length > 0) {
    penalty -= 2
    problems.push(`leaves ${underused.join(', ')} unused`)
  }
  if (penalty !== 0) {
    const detail = `the formula ${problems.join(' and ')}`
    return { ...base, reward: penalty as PaperReward, outcome: 'wrong-numbers', detail }
  }

  // Python's eval: ASCII literals only (a non-ASCII digit is an invalid character).
  const nonAscii = Array.from(normalized).find((ch) => (ch.codePointAt(0) as number) > 0x7f)
  if (nonAscii !== undefined) {
    const cp = (nonAscii.codePointAt(0) as number).toString(16).toUpperCase().padStart(4, '0')
    return evalFailure(base, { type: 'SyntaxError', message: `invalid character '${nonAscii}' (U+${cp})` })
  }
  const parsed = parseExpression(normalized)
  if (!parsed.ok) {
    return evalFailure(base, { type: 'SyntaxError', message: pythonSyntaxMessage(parsed.error) })
  }
  const evaluated = evaluateFloat(parsed.expr)
  if (!evaluated.ok) {
    return evalFailure(base, { type: evaluated.error.type, message: evaluated.error.message })
  }
  const value = evaluated.value
  const pythonValue = pyRepr(value)
  const floatValue = value.type === 'int' ? Number(value.value) : value.value
  const target = BigInt(task.target)
  if (pyEqualsInteger(value, target)) {
    const detail = `eval gives ${pythonValue} == ${task.target}`
    return { ...base, reward: 5, outcome: 'correct', floatValue, pythonValue, detail }
  }
  const detail = `eval gives ${pythonValue}, not ${task.target}`
  return { ...base, reward: -1, outcome: 'no-solution', floatValue, pythonValue, detail }
}

function evalFailure(
  base: Pick<PaperVerdict, 'source' | 'formula' | 'normalized'>,
  evalError: PaperEvalError,
): PaperVerdict {
  const detail = `eval raises ${evalError.type}: ${evalError.message}`
  return { ...base, reward: -1, outcome: 'no-solution', evalError, detail }
}

function countKeys(keys: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>()
  for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1)
  return counts
}
