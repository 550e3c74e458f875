/**
 * @module core/gp/cot
 * An algorithmic chain of thought for a General Points hand: a short, readable search trace built
 * from the exact solver, ending in the paper's JSON answer (paper-tasks.md §6.1, §8).
 *
 * The paper's CoT targets were sampled from an RL-trained model and filtered by the verifier
 * (§8); their content is unknown. This trace is a transparent, reproducible alternative: it
 * names the card values, shows up to two first moves that the solver proves hopeless (dead ends
 * really checked with `isSolvable` on what is left), then the moves of one solution, one
 * operation at a time, and finally the JSON answer in exactly the §6.1 layout:
 *
 *     {\n"cards": ["2", "7", "Q", "2"],\n "number": [2, 7, 10, 2],\n "formula": "(10/2+7)*2"\n}
 *
 * Which solution: the one passed in, else the first of the solver's canonical solutions whose
 * Python float value is exactly the target, so the paper's float verifier scores the trace +5
 * whenever any solution allows it. Only hands such as 3 3 8 8, whose every solution is
 * fraction-only (`8/(3-8/3)` is 23.99999999999999 in floats), get a formula the paper's
 * verifier scores -1; the strict verifier accepts every trace. Cost: one `findSolution`, a few
 * `isSolvable` calls for the dead ends, and `allSolutions` only when the first solution is not
 * float-exact (rare; about a second for six cards).
 */
import {
  evaluateExact,
  evaluateFloat,
  foldExpression,
  literalsOf,
  parseExpression,
  printExpression,
} from './expression.ts'
import type { Expr, Operator } from './expression.ts'
import { pyEqualsInteger } from './python-number.ts'
import { add, div, equals, fromInt, mul, sub, toString as rationalToString } from './rational.ts'
import type { Rational } from './rational.ts'
import { allSolutions, findSolution, isSolvable } from './solver.ts'

/** What `gpCot` needs of a hand. */
export interface CotHand {
  /** The card strings as the prompt shows them (`A`, `7`, `Q`). */
  readonly cards: readonly string[]
  /** The values the verifier scores with, one per card. */
  readonly values: readonly number[]
  readonly target: number
}

/** How many dead ends a trace shows at most. */
const MAX_DEAD_ENDS = 2

interface Step {
  readonly left: Rational
  readonly op: Operator
  readonly right: Rational
  readonly result: Rational
}

function show(x: Rational): string {
  return rationalToString(x)
}

function checkHand(hand: CotHand): void {
  if (hand.values.length === 0) throw new Error('gpCot: the hand has no cards')
  if (hand.cards.length !== hand.values.length) {
    throw new Error(`gpCot: ${hand.cards.length} cards but ${hand.values.length} values; give one value per card`)
  }
  for (const [i, v] of hand.values.entries()) {
    if (!Number.isSafeInteger(v) || v < 0) throw new Error(`gpCot: values[${i}] = ${v} must be a non-negative integer`)
  }
  if (!Number.isSafeInteger(hand.target)) throw new Error(`gpCot: target ${hand.target} must be an integer`)
}

function isFloatExact(expr: Expr, target: number): boolean {
  const value = evaluateFloat(expr)
  return value.ok && pyEqualsInteger(value.value, BigInt(target))
}

function parseSolution(text: string, where: string): Expr {
  const parsed = parseExpression(text)
  if (!parsed.ok) throw new Error(`gpCot: ${where} ${JSON.stringify(text)} does not parse: ${parsed.error.message}`)
  return parsed.expr
}

/** The solution to narrate: the given one (checked), else the first float-exact canonical one. */
function chooseSolution(hand: CotHand, solution: string | undefined): Expr {
  if (solution !== undefined) {
    const expr = parseSolution(solution, 'the solution')
    const used = literalsOf(expr)
      .map((n) => n.value)
      .sort((a, b) => a - b)
    const dealt = [...hand.values].sort((a, b) => a - b)
    if (used.join(' ') !== dealt.join(' ')) {
      const quoted = JSON.stringify(solution)
      throw new Error(`gpCot: the solution ${quoted} uses ${used.join(' ')}, but the values are ${dealt.join(' ')}`)
    }
    const value = evaluateExact(expr)
    if (!value.ok || !equals(value.value, fromInt(hand.target))) {
      const got = value.ok ? show(value.value) : value.error.message
      throw new Error(`gpCot: the solution ${JSON.stringify(solution)} gives ${got}, not ${hand.target}`)
    }
    return expr
  }
  const first = findSolution(hand.values, hand.target)
  if (first === null) {
    throw new Error(`gpCot: ${hand.values.join(' ')} cannot make ${hand.target}; a trace needs a solvable hand`)
  }
  const firstExpr = parseSolution(first, 'the solver solution')
  if (isFloatExact(firstExpr, hand.target)) return firstExpr
  for (const text of allSolutions(hand.values, hand.target).solutions) {
    const expr = parseSolution(text, 'the solver solution')
    if (isFloatExact(expr, hand.target)) return expr
  }
  return firstExpr
}

/** One exact operation; the chosen solution was checked, so no step divides by zero. */
function apply(op: Operator, a: Rational, b: Rational): Rational {
  switch (op) {
    case '+':
      return add(a, b)
    case '-':
      return sub(a, b)
    case '*':
      return mul(a, b)
    case '/': {
      const q = div(a, b)
      if (q === null) throw new Error(`gpCot: internal error: ${show(a)} / 0 in a checked solution`)
      return q
    }
  }
}

/** The operations of a tree in evaluation order (left operand first). */
function stepsOf(expr: Expr): Step[] {
  const steps: Step[] = []
  foldExpression<Rational>(
    expr,
    (node) => fromInt(node.value),
    (node, left, right) => {
      const result = apply(node.op, left, right)
      steps.push({ left, op: node.op, right, result })
      return result
    },
  )
  return steps
}

/** Removes one occurrence of each operand and puts the result first, as a person would write it. */
function applyStep(pool: readonly Rational[], step: Step): Rational[] {
  const rest = [...pool]
  for (const operand of [step.left, step.right]) {
    const at = rest.findIndex((x) => equals(x, operand))
    if (at < 0) throw new Error(`gpCot: internal error: ${show(operand)} is not among ${rest.map(show).join(' ')}`)
    rest.splice(at, 1)
  }
  return [step.result, ...rest]
}

/** First moves on whole numbers (a - b and a / b only when they stay whole and non-negative). */
function integerFirstMoves(values: readonly number[]): { step: Step; rest: number[] }[] {
  const moves: { step: Step; rest: number[] }[] = []
  const seen = new Set<string>()
  for (let i = 0; i < values.length; i++) {
    for (let j = i + 1; j < values.length; j++) {
      const a = Math.max(values[i], values[j])
      const b = Math.min(values[i], values[j])
      const candidates: [Operator, number | null][] = [
        ['+', a + b],
        ['*', a * b],
        ['-', a - b],
        ['/', b !== 0 && a % b === 0 ? a / b : null],
      ]
      for (const [op, result] of candidates) {
        if (result === null || !Number.isSafeInteger(result)) continue
        const rest = values.filter((_, k) => k !== i && k !== j)
        const key = `${a}${op}${b}|${[...rest].sort((x, y) => x - y).join(',')}`
        if (seen.has(key)) continue
        seen.add(key)
        const step = { left: fromInt(a), op, right: fromInt(b), result: fromInt(result) }
        moves.push({ step, rest: [result, ...rest] })
      }
    }
  }
  return moves
}

function sameStep(a: Step, b: Step): boolean {
  return a.op === b.op && equals(a.result, b.result) && equals(a.left, b.left) && equals(a.right, b.right)
}

/** An operand in a step: fractions in brackets, so `8 / (1/3)` cannot be misread. */
function operand(x: Rational): string {
  return x.den === 1 ? show(x) : `(${show(x)})`
}

function stepText(step: Step): string {
  return `${operand(step.left)} ${step.op} ${operand(step.right)} = ${show(step.result)}`
}

/** The paper's answer JSON (§6.1): newline after `{`, one space before `"number"` and `"formula"`. */
export function gpAnswerJson(cards: readonly string[], values: readonly number[], formula: string): string {
  const cardList = cards.map((c) => JSON.stringify(c)).join(', ')
  return `{\n"cards": [${cardList}],\n "number": [${values.join(', ')}],\n "formula": ${JSON.stringify(formula)}\n}`
}

/**
 * A readable search trace for the hand that ends in the paper's JSON answer (see the module
 * comment). Throws when the hand is unsolvable or the given solution is not a correct answer.
 */
export function gpCot(hand: CotHand, solution?: string): string {
  checkHand(hand)
  const expr = chooseSolution(hand, solution)
  const formula = printExpression(expr, { keepShape: true })
  const steps = stepsOf(expr)
  const lines: string[] = []

  const faces = new Map<string, number>()
  hand.cards.forEach((card, i) => {
    if (card !== String(hand.values[i])) faces.set(card, hand.values[i])
  })
  const faceNote = faces.size > 0 ? ` (${[...faces].map(([c, v]) => `${c} = ${v}`).join(', ')})` : ''
  lines.push(`Cards: ${hand.cards.join(', ')}. Values: ${hand.values.join(' ')}${faceNote}. Target: ${hand.target}.`)
  lines.push('Combine two numbers at a time until one number is left, and look for the target.')

  if (steps.length > 0) {
    let deadEnds = 0
    for (const move of integerFirstMoves(hand.values)) {
      if (deadEnds >= MAX_DEAD_ENDS) break
      if (sameStep(move.step, steps[0]) || isSolvable(move.rest, hand.target)) continue
      const left = move.rest.join(' ')
      lines.push(`Try ${stepText(move.step)}, left: ${left}. ${hand.target} cannot be made from ${left}; back up.`)
      deadEnds++
    }
    let pool = hand.values.map((v) => fromInt(v))
    steps.forEach((step, i) => {
      pool = applyStep(pool, step)
      const prefix = i === 0 ? 'Try ' : ''
      const last = i === steps.length - 1
      const after = last ? ' ✓' : `, left: ${pool.map(show).join(' ')}.`
      lines.push(`${prefix}${stepText(step)}${after}`)
    })
  } else {
    lines.push(`${hand.values[0]} is already ${hand.target} ✓`)
  }
  lines.push(`So ${formula} = ${hand.target}.`)
  return `${lines.join('\n')}\n\n${gpAnswerJson(hand.cards, hand.values, formula)}`
}
