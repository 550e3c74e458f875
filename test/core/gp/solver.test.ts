// The complete exact solver: ground-truth counts (environments.md §9), hands the paper's fixed
// bracketing list misses (paper-tasks.md §11.4), solutions checked by an independent evaluator,
// decisions cross-checked against a naive independent search, and the documented equivalence
// used to count distinct solutions.
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { allSolutions, canonicalSolution, findSolution, isSolvable } from '../../../core/gp/solver.ts'
import { multisets } from './multisets.ts'

// --- Independent reference code (BigInt fractions, nothing shared with the solver) ---------

interface Frac { n: bigint; d: bigint }

function frac(n: bigint, d: bigint): Frac {
  if (d < 0n) { n = -n; d = -d }
  let a = n < 0n ? -n : n
  let b = d
  while (b !== 0n) [a, b] = [b, a % b]
  return { n: n / a, d: d / a }
}

/** Evaluates a formula of non-negative integers, + - * / and brackets; null on any error. */
function evaluate(text: string): Frac | null {
  const tokens = text.match(/\d+|[-+*/()]|./g) ?? []
  let pos = 0
  const expr = (): Frac | null => {
    let left = term()
    while (left !== null && (tokens[pos] === '+' || tokens[pos] === '-')) {
      const op = tokens[pos++]
      const right = term()
      if (right === null) return null
      left = frac(op === '+' ? left.n * right.d + right.n * left.d : left.n * right.d - right.n * left.d, left.d * right.d)
    }
    return left
  }
  const term = (): Frac | null => {
    let left = factor()
    while (left !== null && (tokens[pos] === '*' || tokens[pos] === '/')) {
      const op = tokens[pos++]
      const right = factor()
      if (right === null) return null
      if (op === '/' && right.n === 0n) return null
      left = op === '*' ? frac(left.n * right.n, left.d * right.d) : frac(left.n * right.d, left.d * right.n)
    }
    return left
  }
  const factor = (): Frac | null => {
    const t = tokens[pos++]
    if (t === '(') {
      const inner = expr()
      return tokens[pos++] === ')' ? inner : null
    }
    return t !== undefined && /^\d+$/.test(t) ? { n: BigInt(t), d: 1n } : null
  }
  const value = expr()
  return pos === tokens.length ? value : null
}

/** Checks a printed solution: grammar, every value used once, exact value = target. */
function expectValidSolution(solution: string, values: readonly number[], target: number): void {
  expect(solution, solution).toMatch(/^[0-9+\-*/()]+$/)
  const used = (solution.match(/\d+/g) ?? []).map(Number).sort((a, b) => a - b)
  expect(used, solution).toEqual([...values].sort((a, b) => a - b))
  expect(evaluate(solution), solution).toEqual({ n: BigInt(target), d: 1n })
}

/** The plainest possible complete search: every pair, every operator, no pruning. */
function naiveSolvable(values: readonly number[], target: number): boolean {
  const goal = BigInt(target)
  const search = (items: Frac[]): boolean => {
    if (items.length === 1) return items[0].d === 1n && items[0].n === goal
    for (let i = 0; i < items.length; i++) {
      for (let j = 0; j < items.length; j++) {
        if (i === j) continue
        const a = items[i], b = items[j]
        const rest = items.filter((_, k) => k !== i && k !== j)
        const results = [frac(a.n * b.d + b.n * a.d, a.d * b.d), frac(a.n * b.d - b.n * a.d, a.d * b.d), frac(a.n * b.n, a.d * b.d)]
        if (b.n !== 0n) results.push(frac(a.n * b.d, a.d * b.n))
        if (results.some((r) => search([...rest, r]))) return true
      }
    }
    return false
  }
  return search(values.map((v) => ({ n: BigInt(v), d: 1n })))
}

const face10 = (rank: number): number => Math.min(rank, 10)

// --- Ground truth ----------------------------------------------------------------------------

describe('solver: ground truth (environments.md §9)', () => {
  const four = multisets(4, 1, 13)
  const five = multisets(5, 1, 13)

  it('[§9] 1362 of the 1820 four-card rank multisets make 24 (1236 with J/Q/K = 10)', () => {
    expect(four).toHaveLength(1820)
    expect(four.filter((h) => isSolvable(h)).length).toBe(1362)
    expect(four.filter((h) => isSolvable(h.map(face10))).length).toBe(1236)
  })

  it('[§9] 6104 of the 6188 five-card rank multisets make 24 (5870 with J/Q/K = 10)', () => {
    expect(five).toHaveLength(6188)
    expect(five.filter((h) => isSolvable(h)).length).toBe(6104)
    expect(five.filter((h) => isSolvable(h.map(face10))).length).toBe(5870)
  })

  it('[§9] 566 of 715 four-value and 1961 of 2002 five-value multisets from 1..10', () => {
    const v4 = multisets(4, 1, 10)
    const v5 = multisets(5, 1, 10)
    expect([v4.length, v4.filter((h) => isSolvable(h)).length]).toEqual([715, 566])
    expect([v5.length, v5.filter((h) => isSolvable(h)).length]).toEqual([2002, 1961])
  })

  it('[§11.4] solves the five-card hands the paper\'s bracketing list misses', () => {
    const missedRegular = ['1,1,1,1,7', '1,1,1,1,9', '1,1,1,1,10', '1,1,1,7,7', '1,1,7,7,13', '1,1,9,9,11', '1,1,9,9,13',
      '1,1,9,10,11', '1,1,10,10,11', '1,1,10,11,11']
    const missedFace10 = ['1,1,1,1,11', '1,1,1,1,12', '1,1,1,1,13', '1,5,7,7,7', '1,7,7,7,8', '1,7,7,7,9']
    for (const hand of missedRegular) {
      const values = hand.split(',').map(Number)
      expectValidSolution(findSolution(values) as string, values, 24)
    }
    for (const hand of missedFace10) {
      const values = hand.split(',').map(Number).map(face10)
      expectValidSolution(findSolution(values) as string, values, 24)
    }
    expect(allSolutions([1, 1, 1, 1, 7]).solutions).toContain('(1+1+1)*(7+1)')
  })

  it('[§11.1] 3 3 8 8 has exactly one solution, 8/(3-8/3); 1 1 1 1 has none', () => {
    expect(findSolution([3, 3, 8, 8])).toBe('8/(3-8/3)')
    expect(allSolutions([8, 3, 8, 3])).toEqual({ count: 1, solutions: ['8/(3-8/3)'] })
    expect(isSolvable([1, 1, 1, 1])).toBe(false)
    expect(findSolution([1, 1, 1, 1])).toBeNull()
    expect(allSolutions([1, 1, 1, 1])).toEqual({ count: 0, solutions: [] })
  })
})

// --- Solutions are correct -------------------------------------------------------------------

describe('solver: printed solutions', () => {
  it('finds a valid solution for exactly the solvable four-card hands', () => {
    for (const hand of multisets(4, 1, 13)) {
      const found = findSolution(hand)
      expect(found !== null, hand.join(' ')).toBe(isSolvable(hand))
      if (found !== null) expectValidSolution(found, hand, 24)
    }
  })

  it('lists only valid, distinct solutions, shortest first', () => {
    for (const hand of multisets(4, 1, 13).filter((_, k) => k % 23 === 0)) {
      const { count, solutions } = allSolutions(hand)
      expect(count).toBe(solutions.length)
      expect(new Set(solutions).size).toBe(count)
      for (const s of solutions) expectValidSolution(s, hand, 24)
      for (let k = 1; k < solutions.length; k++) expect(solutions[k - 1].length).toBeLessThanOrEqual(solutions[k].length)
      expect(count > 0).toBe(isSolvable(hand))
    }
  })

  it('agrees with a naive search on random hands and targets (property)', () => {
    fc.assert(fc.property(
      fc.array(fc.integer({ min: 0, max: 13 }), { minLength: 1, maxLength: 4 }),
      fc.integer({ min: -40, max: 200 }),
      (values, target) => {
        const expected = naiveSolvable(values, target)
        expect(isSolvable(values, target)).toBe(expected)
        const found = findSolution(values, target)
        expect(found !== null).toBe(expected)
        if (found !== null) expectValidSolution(found, values, target)
      },
    ), { numRuns: 300 })
  })

  it('solves six-card hands and hands of one or two values', () => {
    expectValidSolution(findSolution([1, 2, 3, 4, 5, 6], 720) as string, [1, 2, 3, 4, 5, 6], 720)
    // Six 1s reach at most (1+1+1)*(1+1+1) = 9.
    expect(isSolvable([1, 1, 1, 1, 1, 1], 9)).toBe(true)
    expect(isSolvable([1, 1, 1, 1, 1, 1], 10)).toBe(false)
    expect(findSolution([24])).toBe('24')
    expect(isSolvable([23])).toBe(false)
    expect(findSolution([6, 4])).toBe('6*4')
    expect(isSolvable([0, 24])).toBe(true)
  })

  it('falls back to exact BigInt arithmetic for values beyond 2^26', () => {
    expect(isSolvable([100_000_000, 10_000_000], 1e15)).toBe(true)
    expect(findSolution([100_000_000, 10_000_000], 1e15)).toBe('100000000*10000000')
    expect(isSolvable([2 ** 30, 2 ** 30, 2 ** 30], 2 ** 30 + 1)).toBe(true)
    expect(isSolvable([2 ** 30, 2 ** 30, 3], 5)).toBe(false)
    expect(allSolutions([2 ** 30, 2 ** 30, 2 ** 30], 2 ** 30 + 1).solutions).toEqual([`${2 ** 30}/${2 ** 30}+${2 ** 30}`])
  })

  it('rejects empty hands, negative or fractional values and unsafe targets', () => {
    expect(() => isSolvable([])).toThrow(/at least one value/)
    expect(() => isSolvable([1, -2, 3])).toThrow(/value 2 must be a non-negative safe integer, got -2/)
    expect(() => findSolution([1.5, 2])).toThrow(/value 1 must be/)
    expect(() => allSolutions([1, 2], 2 ** 60)).toThrow(/target must be a safe integer/)
  })
})

// --- The equivalence used for distinct solutions -----------------------------------------------

describe('solver: distinct solutions up to commutativity and associativity', () => {
  it('(a+b)+c, a+(b+c) and c+(a+b) are one solution: 1 2 3 make 6 in exactly three ways', () => {
    // By hand: 1+2+3, 1*2*3 and 3*2/1 (= 3/(1/2) = 2/1*3 ...); nothing else makes 6.
    expect(allSolutions([1, 2, 3], 6).solutions).toEqual(['3*2*1', '3*2/1', '3+2+1'])
  })

  it('a-b-c and a-(b+c) are one solution, distinct from its negation b+c-a', () => {
    expect(allSolutions([5, 3, 2], 0).solutions).toEqual(['3+2-5', '5-3-2'])
  })

  it('a/b/c and a/(b*c) are one solution; a/(b+c) and a/b-c are others', () => {
    expect(allSolutions([8, 2, 2], 2).solutions).toEqual(['8/2-2', '8/2/2', '8/(2+2)'])
  })

  it('counts small hands exactly', () => {
    expect(allSolutions([1, 1, 1, 1], 4).solutions).toEqual(['1+1+1+1', '(1+1)*(1+1)'])
    expect(allSolutions([2, 2], 4).solutions).toEqual(['2*2', '2+2'])
    expect(allSolutions([1, 1], 1).solutions).toEqual(['1*1', '1/1'])
  })

  it('prints equivalent trees identically, with minimal brackets', () => {
    const a = 4, b = 6, c = 9
    const sums = [
      { op: '+', left: { op: '+', left: a, right: b }, right: c },
      { op: '+', left: a, right: { op: '+', left: b, right: c } },
      { op: '+', left: c, right: { op: '+', left: a, right: b } },
    ] as const
    expect(sums.map(canonicalSolution)).toEqual(['9+6+4', '9+6+4', '9+6+4'])
    // a-(b-c) = a+c-b; a/(b/c) = a*c/b
    expect(canonicalSolution({ op: '-', left: a, right: { op: '-', left: b, right: c } })).toBe('9+4-6')
    expect(canonicalSolution({ op: '/', left: a, right: { op: '/', left: b, right: c } })).toBe('9*4/6')
    expect(canonicalSolution({ op: '*', left: { op: '-', left: 10, right: 4 }, right: 4 })).toBe('(10-4)*4')
    expect(canonicalSolution({ op: '-', left: { op: '*', left: 10, right: 4 }, right: 4 })).toBe('10*4-4')
  })
})
