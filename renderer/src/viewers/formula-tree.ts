/**
 * A General Points formula as a tree for display: each node with its exact value (core/gp's parser
 * and rational arithmetic, read as the strict verifier reads it: the text before the first `=`,
 * digits split by spaces joined), each literal matched against the hand's cards, and a layout
 * (leaves left to right, a parent centred over its operands).
 */
import { foldExpression, parseExpression, type ExpressionError } from '../../../core/gp/expression.ts'
import { add, div, equals, fromInt, mul, sub, toString as rationalText, type Rational } from '../../../core/gp/rational.ts'

export interface FormulaNode {
  readonly kind: 'number' | 'binary'
  /** The literal's digits or the operator. */
  readonly label: string
  /** The exact value (`7`, `-3/2`), or null when it cannot be computed (see `error`). */
  readonly value: string | null
  /** Why there is no value: a division by zero here or below, or a value beyond the exact range. */
  readonly error: string | null
  /** Literals: whether a card of the hand accounts for it. Null for operators or when no hand is given. */
  readonly card: 'card' | 'extra' | null
  /** Offsets into the formula text (the operator's for a binary node). */
  readonly start: number
  readonly end: number
  readonly children: readonly FormulaNode[]
  /** Layout: column (leaves are 0, 1, 2, ...; a parent sits midway over its operands) and depth (root 0). */
  readonly x: number
  readonly depth: number
}

export type FormulaTree =
  | {
      readonly ok: true
      /** The text that was parsed (before any `=`). */
      readonly text: string
      readonly root: FormulaNode
      readonly leaves: number
      readonly depth: number
      /** The root's value equals the target (null when no target was given or there is no value). */
      readonly hitsTarget: boolean | null
      /** Card values the formula does not use, ascending (empty without a hand). */
      readonly unused: readonly number[]
    }
  | { readonly ok: false; readonly text: string; readonly error: ExpressionError }

interface Built {
  readonly node: Omit<FormulaNode, 'x' | 'depth' | 'children'> & { readonly children: Built[] }
  readonly rational: Rational | null
}

function combine(op: string, a: Rational, b: Rational): Rational | null {
  switch (op) {
    case '+':
      return add(a, b)
    case '-':
      return sub(a, b)
    case '*':
      return mul(a, b)
    default:
      return div(a, b)
  }
}

function layout(b: Built, depth: number, nextLeaf: { n: number }, maxDepth: { d: number }): FormulaNode {
  maxDepth.d = Math.max(maxDepth.d, depth)
  if (b.node.children.length === 0) {
    return { ...b.node, children: [], x: nextLeaf.n++, depth }
  }
  const children = b.node.children.map((c) => layout(c, depth + 1, nextLeaf, maxDepth))
  const x = (children[0].x + children[children.length - 1].x) / 2
  return { ...b.node, children, x, depth }
}

/**
 * The tree of `formula` with node values. `values` (the hand's card values) marks each literal as a
 * card or an extra number, left to right, each card used once; `target` says whether the root hits it.
 */
export function formulaTree(formula: string, values?: readonly number[], target?: number): FormulaTree {
  const equalsAt = formula.indexOf('=')
  const text = equalsAt < 0 ? formula : formula.slice(0, equalsAt)
  const parsed = parseExpression(text, { joinDigitsAcrossSpaces: true })
  if (!parsed.ok) return { ok: false, text, error: parsed.error }
  const left = new Map<number, number>()
  for (const v of values ?? []) left.set(v, (left.get(v) ?? 0) + 1)
  const built = foldExpression<Built>(
    parsed.expr,
    (n) => {
      let card: 'card' | 'extra' | null = null
      if (values !== undefined) {
        const k = left.get(n.value) ?? 0
        card = k > 0 ? 'card' : 'extra'
        if (k > 0) left.set(n.value, k - 1)
      }
      const safe = Number.isSafeInteger(n.value)
      return {
        node: {
          kind: 'number',
          label: n.text,
          value: safe ? String(n.value) : null,
          error: safe ? null : 'beyond the exact range',
          card,
          start: n.start,
          end: n.end,
          children: [],
        },
        rational: safe ? fromInt(n.value) : null,
      }
    },
    (n, l, r) => {
      let rational: Rational | null = null
      let error: string | null = null
      if (l.rational === null || r.rational === null) {
        error = 'no value: an operand has none'
      } else {
        try {
          rational = combine(n.op, l.rational, r.rational)
          if (rational === null) error = `division by zero at column ${n.opOffset + 1}`
        } catch (e) {
          // Rational arithmetic signals a value beyond its safe-integer range with a RangeError.
          if (!(e instanceof RangeError)) throw e
          error = 'beyond the exact range'
        }
      }
      return {
        node: {
          kind: 'binary',
          label: n.op,
          value: rational === null ? null : rationalText(rational),
          error,
          card: null,
          start: n.opOffset,
          end: n.opOffset + 1,
          children: [l, r],
        },
        rational,
      }
    },
  )
  const next = { n: 0 }
  const deepest = { d: 0 }
  const root = layout(built, 0, next, deepest)
  const unused: number[] = []
  for (const [v, k] of left) for (let i = 0; i < k; i++) unused.push(v)
  unused.sort((a, b) => a - b)
  const hitsTarget = target === undefined || built.rational === null ? null : equals(built.rational, fromInt(target))
  return { ok: true, text, root, leaves: next.n, depth: deepest.d, hitsTarget, unused }
}
