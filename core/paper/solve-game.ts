/**
 * @module core/paper/solve-game
 * The paper's General Points enumerator `solve_game` (`debunk_sft/utils/dataset/gp_l/
 * create_test_dataset.py`, a Rosetta-code style brute force), reproduced with its exact solution
 * list: same solutions, same duplicates, same order. The paper stores `random.choice(solutions)` as
 * the answer-only SFT target, so reproducing that target needs this list element for element; the
 * enumeration also shuffles with the shared CPython generator, so it must consume the same draws.
 *
 * This is deliberately NOT sftbench's solver (`core/gp/solver.ts`, complete and exact): the
 * reference tries only a fixed bracket list, which misses some 5-card solutions (paper-tasks.md
 * §11.4), and it keeps duplicates.
 *
 * The enumeration, in order:
 * 1. `sorted(set(permutations(values)))`: distinct orderings of the values, lexicographic by number,
 *    then `random.shuffle` of that list (draws even when no solution exists).
 * 2. For each ordering, each operator tuple of `itertools.product` over + - * / (repeat n - 1),
 *    each bracket pattern: tokens `[d0, o0, d1, ..., d(n-1), '']`, brackets inserted one after
 *    another with `list.insert` at the pattern's indices; the text is evaluated (Python
 *    precedence, exact Fractions when a `/` occurs, ints otherwise; a division by zero anywhere
 *    skips the expression) and kept when it equals the target. The solution string is the tokens
 *    joined with no spaces.
 *
 * Bracket patterns: none; every single pair (x, y) with x in range(0, 2n-1, 2), y in
 * range(x+4, 2n+1, 2), except the one around the whole expression; and the hard-coded
 * (0, 4, 6, 10), which reads `(a?b)?(c?d)` for 4 cards and `(a?b)?(c?d)?e` for 5.
 *
 * Speed: every (operator tuple, pattern) is compiled once per card count into a shared expression
 * DAG, so for each ordering every distinct subexpression is computed once. Values are exact
 * numerator/denominator pairs in doubles (never reduced; `checkRange` proves they stay below 2^53).
 */
import type { PyRandom } from './py-random.ts'

/** The card counts the enumerator supports (the paper uses 4 and 5). */
export const PAPER_SOLVER_MIN_CARDS = 3
export const PAPER_SOLVER_MAX_CARDS = 6

const OPERATORS = ['+', '-', '*', '/'] as const

/** The reference's bracket patterns for `numCards` cards, in list order (insertion indices). */
export function paperBracketPatterns(numCards: number): number[][] {
  checkCardCount(numCards)
  const exprlen = 2 * numCards - 1
  const patterns: number[][] = [[]]
  for (let x = 0; x < exprlen; x += 2) {
    for (let y = x + 4; y < exprlen + 2; y += 2) if (!(x === 0 && y === exprlen + 1)) patterns.push([x, y])
  }
  patterns.push([0, 4, 6, 10])
  return patterns
}

/**
 * The token sequence of one expression template: `d<i>` is the i-th value of the ordering, `o<i>`
 * the i-th operator, plus `(`, `)` and the trailing empty string of `zip_longest`.
 */
export function paperTemplateTokens(numCards: number, pattern: readonly number[]): string[] {
  const tokens: string[] = []
  for (let i = 0; i < numCards; i++) tokens.push(`d${i}`, i < numCards - 1 ? `o${i}` : '')
  pattern.forEach((at, k) => {
    // Python's list.insert appends when the index is past the end; splice does the same.
    tokens.splice(at, 0, k % 2 === 0 ? '(' : ')')
  })
  return tokens
}

/** The distinct orderings of `values`, sorted lexicographically by number (`sorted(set(permutations(v)))`). */
export function distinctSortedPermutations(values: readonly number[]): number[][] {
  const a = [...values].sort((x, y) => x - y)
  const out: number[][] = [a.slice()]
  // Next lexicographic permutation of a multiset, starting from the sorted one: each distinct
  // ordering exactly once, in increasing order.
  for (;;) {
    let i = a.length - 2
    while (i >= 0 && a[i] >= a[i + 1]) i--
    if (i < 0) return out
    let j = a.length - 1
    while (a[j] <= a[i]) j--
    ;[a[i], a[j]] = [a[j], a[i]]
    for (let l = i + 1, r = a.length - 1; l < r; l++, r--) [a[l], a[r]] = [a[r], a[l]]
    out.push(a.slice())
  }
}

/** All (operator tuple, pattern) expressions for one card count, compiled into a DAG. */
interface Compiled {
  /** Node count; nodes 0..n-1 are the leaves (the ordering's values). */
  readonly size: number
  /** Per inner node (index - n): operator code 0-3 and child node ids; children come first. */
  readonly op: Uint8Array
  readonly left: Int32Array
  readonly right: Int32Array
  /** Per expression, in enumeration order (operator tuple outer, pattern inner): its root node. */
  readonly roots: Int32Array
  /** The distinct root nodes, checked first: most orderings have no solution at all. */
  readonly distinctRoots: Int32Array
  /** Per expression: its tokens with `d<i>` replaced by the slot number i, operators resolved. */
  readonly pieces: readonly (readonly (string | number)[])[]
}

const compiledByCount = new Map<number, Compiled>()

// '(' has the lowest precedence, so operator popping stops at it.
const PRECEDENCE: Readonly<Record<string, number>> = { '(': 0, '+': 1, '-': 1, '*': 2, '/': 2 }

function compile(numCards: number): Compiled {
  const cached = compiledByCount.get(numCards)
  if (cached !== undefined) return cached
  const patterns = paperBracketPatterns(numCards).map((p) => paperTemplateTokens(numCards, p))
  const ops: number[] = []
  const lefts: number[] = []
  const rights: number[] = []
  const ids = new Map<string, number>()
  const node = (op: number, l: number, r: number): number => {
    const key = `${op},${l},${r}`
    let id = ids.get(key)
    if (id === undefined) {
      id = numCards + ops.length
      ids.set(key, id)
      ops.push(op)
      lefts.push(l)
      rights.push(r)
    }
    return id
  }
  const tupleCount = 4 ** (numCards - 1)
  const roots: number[] = []
  const pieces: (string | number)[][] = []
  for (let t = 0; t < tupleCount; t++) {
    // itertools.product order: the first operator varies slowest.
    const tuple = Array.from({ length: numCards - 1 }, (_, i) => Math.floor(t / 4 ** (numCards - 2 - i)) % 4)
    for (const template of patterns) {
      const resolved = template.map((tok): string | number => {
        if (tok.startsWith('d')) return Number(tok.slice(1))
        if (tok.startsWith('o')) return OPERATORS[tuple[Number(tok.slice(1))]]
        return tok
      })
      roots.push(parse(resolved, node))
      pieces.push(resolved.filter((p) => p !== ''))
    }
  }
  const compiled: Compiled = {
    size: numCards + ops.length,
    op: Uint8Array.from(ops),
    left: Int32Array.from(lefts),
    right: Int32Array.from(rights),
    roots: Int32Array.from(roots),
    distinctRoots: Int32Array.from(new Set(roots)),
    pieces,
  }
  compiledByCount.set(numCards, compiled)
  return compiled
}

/** Shunting-yard with Python's precedence (* and / over + and -, all left-associative). */
function parse(
  tokens: readonly (string | number)[],
  node: (op: number, l: number, r: number) => number,
): number {
  const out: number[] = []
  const stack: string[] = []
  const reduce = (op: string): void => {
    const r = out.pop() as number
    const l = out.pop() as number
    out.push(node(OPERATORS.indexOf(op as (typeof OPERATORS)[number]), l, r))
  }
  for (const tok of tokens) {
    if (typeof tok === 'number') out.push(tok)
    else if (tok === '(') stack.push(tok)
    else if (tok === ')') {
      while (stack[stack.length - 1] !== '(') reduce(stack.pop() as string)
      stack.pop()
    } else if (tok !== '') {
      // Pop operators of higher or equal precedence: all four are left-associative.
      while (stack.length > 0 && PRECEDENCE[stack[stack.length - 1]] >= PRECEDENCE[tok]) {
        reduce(stack.pop() as string)
      }
      stack.push(tok)
    }
  }
  while (stack.length > 0) reduce(stack.pop() as string)
  if (out.length !== 1) throw new Error(`internal: template ${tokens.join('')} did not parse to one expression`)
  return out[0]
}

function checkCardCount(numCards: number): void {
  if (!Number.isInteger(numCards) || numCards < PAPER_SOLVER_MIN_CARDS || numCards > PAPER_SOLVER_MAX_CARDS) {
    throw new RangeError(
      `solve_game supports ${PAPER_SOLVER_MIN_CARDS}-${PAPER_SOLVER_MAX_CARDS} cards, got ${numCards}` +
        ' (with 2 cards the reference builds "(a?b)()" and raises TypeError)',
    )
  }
}

/**
 * Every unreduced numerator and denominator is at most 2^(n-1) · max|v|^n in magnitude (each
 * operation at most doubles the product of its operands' bounds), and the final comparison
 * multiplies by the target; refuse inputs for which that could exceed 2^53.
 */
function checkRange(values: readonly number[], target: number): void {
  const max = Math.max(1, ...values.map(Math.abs))
  const bound = 2 ** (values.length - 1) * max ** values.length * Math.max(1, Math.abs(target))
  if (!values.every(Number.isSafeInteger) || !Number.isSafeInteger(target) || bound > Number.MAX_SAFE_INTEGER) {
    throw new RangeError(
      `solve_game: values ${JSON.stringify(values)} with target ${target} are too large for exact double arithmetic`,
    )
  }
}

/**
 * `solve_game(values, target)` with the global CPython generator `py`: shuffles the distinct
 * orderings (consuming m - 1 `_randbelow` calls for m orderings) and returns every solution string
 * in the reference's order, duplicates included.
 */
export function paperSolveGame(values: readonly number[], target: number, py: PyRandom): string[] {
  checkCardCount(values.length)
  checkRange(values, target)
  const perms = py.shuffle(distinctSortedPermutations(values))
  const { op, left, right, roots, distinctRoots, pieces } = compile(values.length)
  const n = values.length
  const inner = op.length
  const num = new Float64Array(n + inner)
  const den = new Float64Array(n + inner)
  const solutions: string[] = []
  for (const perm of perms) {
    for (let i = 0; i < n; i++) {
      num[i] = perm[i]
      den[i] = 1
    }
    for (let k = 0, id = n; k < inner; k++, id++) {
      const l = left[k]
      const r = right[k]
      const b = den[l]
      const y = den[r]
      // A division by zero poisons the node and everything above it (den = 0 marks it).
      if (b === 0 || y === 0) {
        den[id] = 0
        continue
      }
      const a = num[l]
      const x = num[r]
      const code = op[k]
      if (code === 0) {
        num[id] = a * y + x * b
        den[id] = b * y
      } else if (code === 1) {
        num[id] = a * y - x * b
        den[id] = b * y
      } else if (code === 2) {
        num[id] = a * x
        den[id] = b * y
      } else {
        // x = 0 leaves den = 0: Python raises ZeroDivisionError and the reference skips the text.
        num[id] = a * y
        den[id] = b * x
      }
    }
    let anyHit = false
    for (let e = 0; e < distinctRoots.length && !anyHit; e++) {
      const d = den[distinctRoots[e]]
      anyHit = d !== 0 && num[distinctRoots[e]] === target * d
    }
    if (!anyHit) continue
    for (let e = 0; e < roots.length; e++) {
      const root = roots[e]
      const d = den[root]
      if (d !== 0 && num[root] === target * d) {
        solutions.push(pieces[e].map((p) => (typeof p === 'number' ? String(perm[p]) : p)).join(''))
      }
    }
  }
  return solutions
}
