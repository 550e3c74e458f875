/**
 * @module core/gp/solver
 * A complete, exact solver for the 24 game and its generalisations (any number of cards, any
 * integer target). Rules (environments.md §9): every value used exactly once; binary + - * /;
 * any parenthesisation; exact rational arithmetic; no unary minus; division by zero is a dead end.
 *
 * Completeness: the search combines any two of the current values with any operator (both
 * orders for - and /) and recurses on the smaller multiset. Every binary expression tree can be
 * built bottom-up this way, so no solution is missed; the paper's fixed bracketing list misses
 * hands such as 1,1,1,1,7 = (1+1+1)*(7+1) (paper-tasks.md §11.4).
 *
 * Speed: values live as numerator/denominator doubles in preallocated typed arrays, one row per
 * search depth, so the search loop allocates nothing. Operands are kept below 2^26 in magnitude
 * so every product and sum is exact in doubles; a hand that leaves that range (huge user values)
 * is redone with BigInt arithmetic. Equal values are combined once per multiset (choosing the
 * first of two equal slots gives the same remaining multiset), a - b and a / b are tried once
 * when a = b, and the last pair is checked by cross-multiplication without building the result.
 * For five or more values, deciding memoises per call the intermediate multisets (of three or
 * more values) already shown to fail. Enumerating solutions first decides each subtree and skips
 * those whose values cannot make the target at all.
 *
 * Distinct solutions: see `canonicalSolution` for the equivalence used to deduplicate.
 */
import { bigGcd, gcd } from './rational.ts'

/** A solution expression tree: a leaf is a card value. */
export type SolutionTree = number | SolutionNode

/** An operator node of a solution tree. */
export interface SolutionNode {
  readonly op: '+' | '-' | '*' | '/'
  readonly left: SolutionTree
  readonly right: SolutionTree
}

/** All distinct solutions of a hand (see `canonicalSolution` for what "distinct" means). */
export interface SolutionSet {
  readonly count: number
  /** Canonical solution strings, shortest first, then in code-point order. */
  readonly solutions: string[]
}

// Operator codes of the search: a+b, a-b, b-a, a*b, a/b, b/a.
const ADD = 0
const SUB = 1
const RSUB = 2
const MUL = 3
const DIV = 4
const RDIV = 5
const OPS = 6

/** Operands at or above this magnitude could make a product inexact in doubles. */
const EXACT_LIMIT = 67108864 // 2^26

// Search scratch. Row `level` of width `width` holds the values left at that depth.
let width = 0
let nums = new Float64Array(0)
let dens = new Float64Array(0)
/** Original card index for a leaf slot, -1 for a combined value (enumeration only). */
let leafOf = new Int32Array(0)
/** The slot of the previous row a value was copied from; -1 for the newly combined value. */
let source = new Int32Array(0)
/** Per row: the pair (i, j) and operator combined to make the next row. */
let trace = new Int32Array(0)
let target = 24
let overflow = false
/** Failed multisets by key, per decision (cleared on every top-level call). */
const failed = new Set<string>()
let memoLevels = 0

function ensureCapacity(n: number): void {
  if (n <= width) return
  width = n
  nums = new Float64Array(n * n)
  dens = new Float64Array(n * n)
  leafOf = new Int32Array(n * n)
  source = new Int32Array(n * n)
  trace = new Int32Array(n * 3)
}

/**
 * Writes op(a, b) into slot `at`, normalised. Returns false for a division by zero, or (setting
 * `overflow`) when an operand is too large for exact double arithmetic.
 */
function combine(an: number, ad: number, bn: number, bd: number, op: number, at: number): boolean {
  if (an >= EXACT_LIMIT || an <= -EXACT_LIMIT || bn >= EXACT_LIMIT || bn <= -EXACT_LIMIT
    || ad >= EXACT_LIMIT || bd >= EXACT_LIMIT) {
    overflow = true
    return false
  }
  let n: number
  let d: number
  switch (op) {
    case ADD:
      if (ad === 1 && bd === 1) {
        nums[at] = an + bn
        dens[at] = 1
        return true
      }
      n = an * bd + bn * ad
      d = ad * bd
      break
    case SUB:
      if (ad === 1 && bd === 1) {
        nums[at] = an - bn
        dens[at] = 1
        return true
      }
      n = an * bd - bn * ad
      d = ad * bd
      break
    case RSUB:
      if (ad === 1 && bd === 1) {
        nums[at] = bn - an
        dens[at] = 1
        return true
      }
      n = bn * ad - an * bd
      d = ad * bd
      break
    case MUL:
      n = an * bn
      d = ad * bd
      if (d === 1) {
        nums[at] = n
        dens[at] = 1
        return true
      }
      break
    case DIV:
      if (bn === 0) return false
      n = an * bd
      d = ad * bn
      break
    default: // RDIV
      if (an === 0) return false
      n = bn * ad
      d = bd * an
  }
  if (d < 0) {
    n = -n
    d = -d
  }
  if (n === 0) {
    nums[at] = 0
    dens[at] = 1
    return true
  }
  const g = gcd(n, d)
  nums[at] = n / g
  dens[at] = d / g
  return true
}

/** True when slots lo..hi-1 of the row at `base` hold a value equal to (n, d). */
function occursIn(base: number, lo: number, hi: number, n: number, d: number): boolean {
  for (let k = lo; k < hi; k++) if (nums[base + k] === n && dens[base + k] === d) return true
  return false
}

/** A key for the multiset in a row (sorted, so the order of slots does not matter). */
function rowKey(base: number, count: number): string {
  const parts: string[] = []
  for (let k = 0; k < count; k++) parts.push(`${nums[base + k]}/${dens[base + k]}`)
  parts.sort()
  return parts.join(',')
}

/**
 * True when some op(a, b) equals the target, by cross-multiplication (no gcd). Operands below
 * 2^26 keep every product of two exact; `target * d` may round only when its true magnitude
 * exceeds 2^53, and then it cannot equal the exact left-hand side, so no false match arises.
 */
function pairMakesTarget(an: number, ad: number, bn: number, bd: number): boolean {
  if (an >= EXACT_LIMIT || an <= -EXACT_LIMIT || bn >= EXACT_LIMIT || bn <= -EXACT_LIMIT
    || ad >= EXACT_LIMIT || bd >= EXACT_LIMIT) {
    overflow = true
    return false
  }
  const t = target
  if (ad === 1 && bd === 1) {
    return an + bn === t || an - bn === t || bn - an === t || an * bn === t
      || (bn !== 0 && an === t * bn) || (an !== 0 && bn === t * an)
  }
  const x = an * bd
  const y = bn * ad
  const d = t * (ad * bd)
  return x + y === d || x - y === d || y - x === d || an * bn === d
    || (bn !== 0 && x === t * (ad * bn)) || (an !== 0 && y === t * (bd * an))
}

/** Decides whether the `count` values in row `level` can make the target. */
function decide(level: number, count: number): boolean {
  const base = level * width
  if (count === 1) return dens[base] === 1 && nums[base] === target
  const next = base + width
  const at = next + count - 2
  if (count === 2) return pairMakesTarget(nums[base], dens[base], nums[base + 1], dens[base + 1])
  let key = ''
  if (level >= 1 && level < memoLevels) {
    key = rowKey(base, count)
    if (failed.has(key)) return false
  }
  for (let i = 0; i < count - 1; i++) {
    const an = nums[base + i]
    const ad = dens[base + i]
    if (occursIn(base, 0, i, an, ad)) continue
    for (let j = i + 1; j < count; j++) {
      const bn = nums[base + j]
      const bd = dens[base + j]
      if (occursIn(base, i + 1, j, bn, bd)) continue
      let k = 0
      for (let s = 0; s < count; s++) {
        if (s === i || s === j) continue
        nums[next + k] = nums[base + s]
        dens[next + k] = dens[base + s]
        k++
      }
      const same = an === bn && ad === bd
      for (let op = 0; op < OPS; op++) {
        if (same && (op === RSUB || op === RDIV)) continue
        if (!combine(an, ad, bn, bd, op, at)) {
          if (overflow) return false
          continue
        }
        if (decide(level + 1, count - 1)) return true
        if (overflow) return false
      }
    }
  }
  if (key !== '') failed.add(key)
  return false
}

/** Called with the depth of the last row when the search finds a solution; true stops it. */
type OnSolution = (level: number, op: number) => boolean

/** Enumerates solutions of row `level`, tracking where each slot came from. True = stopped. */
function enumerate(level: number, count: number, onSolution: OnSolution): boolean {
  const base = level * width
  if (count === 1) return dens[base] === 1 && nums[base] === target && onSolution(level, -1)
  // Skip subtrees whose values cannot make the target at all: deciding needs no tracking and
  // memoises failures, so this prunes most of the tree. (Deciding only writes rows below this
  // one, which the loop below rewrites before using.) On overflow, stop for the BigInt rerun.
  if (count >= 3 && !decide(level, count)) return overflow
  const next = base + width
  const at = next + count - 2
  for (let i = 0; i < count - 1; i++) {
    const an = nums[base + i]
    const ad = dens[base + i]
    // Two leaves of equal value are interchangeable: pair the first of them only.
    if (leafOf[base + i] >= 0 && sameLeafBefore(base, 0, i, an)) continue
    for (let j = i + 1; j < count; j++) {
      const bn = nums[base + j]
      const bd = dens[base + j]
      if (leafOf[base + j] >= 0 && sameLeafBefore(base, i + 1, j, bn)) continue
      let k = 0
      for (let s = 0; s < count; s++) {
        if (s === i || s === j) continue
        nums[next + k] = nums[base + s]
        dens[next + k] = dens[base + s]
        leafOf[next + k] = leafOf[base + s]
        source[next + k] = s
        k++
      }
      leafOf[at] = -1
      source[at] = -1
      trace[level * 3] = i
      trace[level * 3 + 1] = j
      for (let op = 0; op < OPS; op++) {
        if (!combine(an, ad, bn, bd, op, at)) {
          if (overflow) return true
          continue
        }
        trace[level * 3 + 2] = op
        if (count === 2) {
          if (dens[at] === 1 && nums[at] === target && onSolution(level, op)) return true
        } else if (enumerate(level + 1, count - 1, onSolution)) {
          return true
        }
        if (overflow) return true
      }
    }
  }
  return false
}

function sameLeafBefore(base: number, lo: number, hi: number, n: number): boolean {
  for (let k = lo; k < hi; k++) if (leafOf[base + k] >= 0 && nums[base + k] === n) return true
  return false
}

function node(op: number, a: SolutionTree, b: SolutionTree): SolutionNode {
  switch (op) {
    case ADD: return { op: '+', left: a, right: b }
    case SUB: return { op: '-', left: a, right: b }
    case RSUB: return { op: '-', left: b, right: a }
    case MUL: return { op: '*', left: a, right: b }
    case DIV: return { op: '/', left: a, right: b }
    default: return { op: '/', left: b, right: a }
  }
}

/** Rebuilds the tree of slot `slot` in row `level` from the trace. */
function treeOf(values: readonly number[], level: number, slot: number): SolutionTree {
  const at = level * width + slot
  if (leafOf[at] >= 0) return values[leafOf[at]]
  if (source[at] >= 0) return treeOf(values, level - 1, source[at])
  const t = (level - 1) * 3
  return node(trace[t + 2], treeOf(values, level - 1, trace[t]), treeOf(values, level - 1, trace[t + 1]))
}

/** The tree of the solution just found (row `level` holds the last two values). */
function solutionTree(values: readonly number[], level: number, op: number): SolutionTree {
  if (op < 0) return treeOf(values, level, 0)
  return node(op, treeOf(values, level, 0), treeOf(values, level, 1))
}

function validate(values: readonly number[], goal: number): void {
  if (values.length === 0) throw new RangeError('the solver needs at least one value')
  for (const [i, v] of values.entries()) {
    if (!Number.isSafeInteger(v) || v < 0) {
      throw new RangeError(`value ${i + 1} must be a non-negative safe integer, got ${v}`)
    }
  }
  if (!Number.isSafeInteger(goal)) throw new RangeError(`the target must be a safe integer, got ${goal}`)
}

/** Loads the values into the first row and resets the per-call state. */
function loadRow(values: readonly number[], goal: number): void {
  ensureCapacity(values.length)
  target = goal
  overflow = false
  // Memoising the top row is useless (it is visited once) and rows of two are cheaper to redo.
  memoLevels = values.length >= 5 ? values.length - 2 : 0
  failed.clear()
  for (let k = 0; k < values.length; k++) {
    nums[k] = values[k]
    dens[k] = 1
    leafOf[k] = k
    source[k] = -1
  }
}

/** True when the values can make `target` (each used once, + - * /, any brackets, exact). */
export function isSolvable(values: readonly number[], target = 24): boolean {
  validate(values, target)
  loadRow(values, target)
  const found = decide(0, values.length)
  failed.clear()
  if (!overflow) return found
  let solved = false
  bigSearch(values, target, () => {
    solved = true
    return true
  })
  return solved
}

/** One solution in canonical form (see `canonicalSolution`), or null when there is none. */
export function findSolution(values: readonly number[], target = 24): string | null {
  validate(values, target)
  let found: string | null = null
  const stop = (tree: SolutionTree): boolean => {
    found = canonicalSolution(tree)
    return true
  }
  loadRow(values, target)
  enumerate(0, values.length, (level, op) => stop(solutionTree(values, level, op)))
  failed.clear()
  if (overflow) {
    found = null
    bigSearch(values, target, stop)
  }
  return found
}

/**
 * Every distinct solution, in canonical form (see `canonicalSolution`), shortest first. The
 * search is exhaustive: a few milliseconds for four cards, up to about a second for six.
 */
export function allSolutions(values: readonly number[], target = 24): SolutionSet {
  validate(values, target)
  const seen = new Set<string>()
  const collect = (tree: SolutionTree): boolean => {
    seen.add(canonicalSolution(tree))
    return false
  }
  loadRow(values, target)
  enumerate(0, values.length, (level, op) => collect(solutionTree(values, level, op)))
  failed.clear()
  if (overflow) {
    seen.clear()
    bigSearch(values, target, collect)
  }
  const solutions = [...seen].sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0))
  return { count: solutions.length, solutions }
}

// ---------------------------------------------------------------------------------------------
// BigInt fallback: the same complete search, for hands whose intermediate values leave the
// range where doubles are exact. Slow, allocating, and only used for such hands.

interface BigItem {
  readonly n: bigint
  readonly d: bigint
  readonly tree: SolutionTree
}

function bigCombine(a: BigItem, b: BigItem, op: number): BigItem | null {
  let n: bigint
  let d: bigint
  switch (op) {
    case ADD: n = a.n * b.d + b.n * a.d; d = a.d * b.d; break
    case SUB: n = a.n * b.d - b.n * a.d; d = a.d * b.d; break
    case RSUB: n = b.n * a.d - a.n * b.d; d = a.d * b.d; break
    case MUL: n = a.n * b.n; d = a.d * b.d; break
    case DIV: if (b.n === 0n) return null; n = a.n * b.d; d = a.d * b.n; break
    default: if (a.n === 0n) return null; n = b.n * a.d; d = b.d * a.n
  }
  if (d < 0n) {
    n = -n
    d = -d
  }
  const g = n === 0n ? d : bigGcd(n, d)
  return { n: n / g, d: d / g, tree: node(op, a.tree, b.tree) }
}

function bigSearch(values: readonly number[], goal: number, onSolution: (tree: SolutionTree) => boolean): void {
  const t = BigInt(goal)
  const recurse = (items: BigItem[]): boolean => {
    if (items.length === 1) return items[0].d === 1n && items[0].n === t && onSolution(items[0].tree)
    for (let i = 0; i < items.length - 1; i++) {
      for (let j = i + 1; j < items.length; j++) {
        const rest = items.filter((_, s) => s !== i && s !== j)
        for (let op = 0; op < OPS; op++) {
          const r = bigCombine(items[i], items[j], op)
          if (r !== null && recurse([...rest, r])) return true
        }
      }
    }
    return false
  }
  recurse(values.map((v) => ({ n: BigInt(v), d: 1n, tree: v })))
}

// ---------------------------------------------------------------------------------------------
// Canonical form.

interface Canon {
  /** 0 leaf, 1 sum, 2 product. */
  readonly kind: 0 | 1 | 2
  readonly value: number
  readonly text: string
}

const LEAF = 0
const SUM = 1
const PRODUCT = 2

/** Compound terms first (by text), then leaves from the largest value down. */
function compareCanon(a: Canon, b: Canon): number {
  if (a.kind === LEAF || b.kind === LEAF) {
    if (a.kind !== LEAF) return -1
    if (b.kind !== LEAF) return 1
    return b.value - a.value
  }
  return a.text < b.text ? -1 : a.text > b.text ? 1 : 0
}

function gather(tree: SolutionTree, positive: boolean, additive: boolean, plus: Canon[], minus: Canon[]): void {
  if (typeof tree !== 'number') {
    const sameFamily = additive ? tree.op === '+' || tree.op === '-' : tree.op === '*' || tree.op === '/'
    if (sameFamily) {
      const inverse = tree.op === '-' || tree.op === '/'
      gather(tree.left, positive, additive, plus, minus)
      gather(tree.right, inverse ? !positive : positive, additive, plus, minus)
      return
    }
  }
  ;(positive ? plus : minus).push(canonical(tree))
}

function canonical(tree: SolutionTree): Canon {
  if (typeof tree === 'number') return { kind: LEAF, value: tree, text: String(tree) }
  const additive = tree.op === '+' || tree.op === '-'
  const plus: Canon[] = []
  const minus: Canon[] = []
  gather(tree, true, additive, plus, minus)
  plus.sort(compareCanon)
  minus.sort(compareCanon)
  if (additive) {
    // Terms of a sum are leaves or products, which bind tighter than + and -: no brackets.
    const text = plus.map((c) => c.text).join('+') + minus.map((c) => `-${c.text}`).join('')
    return { kind: SUM, value: 0, text }
  }
  // Factors of a product are leaves or sums; a sum needs brackets.
  const factor = (c: Canon): string => (c.kind === SUM ? `(${c.text})` : c.text)
  const text = plus.map(factor).join('*') + minus.map((c) => `/${factor(c)}`).join('')
  return { kind: PRODUCT, value: 0, text }
}

/**
 * The canonical string of a solution tree, used both to print solutions and to tell them apart.
 *
 * Equivalence: chains of + and - are flattened into one sum of added and subtracted terms, and
 * chains of * and / into one product of multiplied and divided factors; the terms (factors) of
 * each group are sorted. So `(a+b)+c`, `a+(b+c)` and `c+(a+b)` are one solution; so are
 * `a-(b-c)` and `a+c-b`, `a-b-c` and `a-(b+c)`, `a/b/c` and `a/(b*c)`, `a/(b/c)` and `a*c/b`.
 * Nothing else is identified: `(a-b)*(c-d)` and `(b-a)*(d-c)` stay distinct, as do `x*1` and
 * `x/1`, `x+0` and `x-0`, and `a-b` and its negation `b-a`.
 *
 * Printing: compound terms first (in text order), then numbers from the largest down; added
 * terms before subtracted ones; minimal brackets, no spaces (`8/(3-8/3)`, `(10-4)*4`).
 */
export function canonicalSolution(tree: SolutionTree): string {
  return canonical(tree).text
}
