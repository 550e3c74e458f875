// Expected values: bracket and template counts from environments.md §9 and paper-tasks.md §6.1; the
// gp_l_id task-0 draw counts from paper-rng.md §6; solvable-multiset counts (1362 / 1236 of 1820)
// and the missed 5-card hands from environments.md §9 and paper-tasks.md §11.4. Solutions are
// re-evaluated by a small recursive-descent evaluator below, independent of the module's DAG.
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import {
  distinctSortedPermutations,
  paperBracketPatterns,
  paperSolveGame,
  paperTemplateTokens,
} from '../../../core/paper/solve-game.ts'
import { PyRandom } from '../../../core/paper/py-random.ts'
import { isSolvable } from '../../../core/gp/solver.ts'

/** Exact value of an expression with integers, + - * / and brackets (Python precedence), or null on x/0. */
function evaluate(text: string): { n: bigint; d: bigint } | null {
  let pos = 0
  const norm = (n: bigint, d: bigint) => (d < 0n ? { n: -n, d: -d } : { n, d })
  const atom = (): { n: bigint; d: bigint } | null => {
    if (text[pos] === '(') {
      pos++
      const v = sum()
      pos++ // ')'
      return v
    }
    const m = /^\d+/.exec(text.slice(pos)) as RegExpExecArray
    pos += m[0].length
    return { n: BigInt(m[0]), d: 1n }
  }
  const product = (): { n: bigint; d: bigint } | null => {
    let v = atom()
    while (text[pos] === '*' || text[pos] === '/') {
      const op = text[pos++]
      const r = atom()
      if (v === null || r === null) v = null
      else if (op === '*') v = norm(v.n * r.n, v.d * r.d)
      else v = r.n === 0n ? null : norm(v.n * r.d, v.d * r.n)
    }
    return v
  }
  const sum = (): { n: bigint; d: bigint } | null => {
    let v = product()
    while (text[pos] === '+' || text[pos] === '-') {
      const op = text[pos++]
      const r = product()
      if (v === null || r === null) v = null
      else v = norm(op === '+' ? v.n * r.d + r.n * v.d : v.n * r.d - r.n * v.d, v.d * r.d)
    }
    return v
  }
  const v = sum()
  expect(pos, `parsed all of ${text}`).toBe(text.length)
  return v
}

function equals24(text: string): boolean {
  const v = evaluate(text)
  return v !== null && v.n === 24n * v.d
}

function multisets(n: number, lo: number, hi: number): number[][] {
  if (n === 0) return [[]]
  const out: number[][] = []
  for (let v = lo; v <= hi; v++) for (const rest of multisets(n - 1, v, hi)) out.push([v, ...rest])
  return out
}

describe('bracket patterns and templates', () => {
  it('[§6.1] 4 cards: none, five single pairs, and (a?b)?(c?d) -> 7 patterns, 448 templates', () => {
    const patterns = paperBracketPatterns(4)
    expect(patterns).toEqual([[], [0, 4], [0, 6], [2, 6], [2, 8], [4, 8], [0, 4, 6, 10]])
    expect(patterns.length * 4 ** 3).toBe(448)
    expect(patterns.map((p) => paperTemplateTokens(4, p).join(' ').trim())).toEqual([
      'd0 o0 d1 o1 d2 o2 d3',
      '( d0 o0 d1 ) o1 d2 o2 d3',
      '( d0 o0 d1 o1 d2 ) o2 d3',
      'd0 o0 ( d1 o1 d2 ) o2 d3',
      'd0 o0 ( d1 o1 d2 o2 d3 )',
      'd0 o0 d1 o1 ( d2 o2 d3 )',
      '( d0 o0 d1 ) o1 ( d2 o2 d3 )',
    ])
  })

  it('[§11.4] 5 cards: 11 patterns (2816 templates), the double one reads (a?b)?(c?d)?e', () => {
    const patterns = paperBracketPatterns(5)
    expect(patterns.length).toBe(11)
    expect(patterns.length * 4 ** 4).toBe(2816)
    expect(paperTemplateTokens(5, [0, 4, 6, 10]).join('')).toBe('(d0o0d1)o1(d2o2d3)o3d4')
    // No pattern wraps the whole expression.
    expect(patterns).not.toContainEqual([0, 10])
  })

  it('rejects card counts the reference cannot handle', () => {
    expect(() => paperBracketPatterns(2)).toThrow(/TypeError/)
    expect(() => paperSolveGame([1, 2, 3, 4, 5, 6, 7], 24, new PyRandom(1))).toThrow(/3-6 cards/)
  })
})

describe('distinct sorted permutations', () => {
  it('[paper-rng §3.2] counts n!/prod(mult!) and sorts numerically, not as strings', () => {
    expect(distinctSortedPermutations([2, 10, 10, 1])).toHaveLength(12)
    expect(distinctSortedPermutations([1, 2, 3, 4])).toHaveLength(24)
    expect(distinctSortedPermutations([5, 5, 5, 2])).toHaveLength(4)
    expect(distinctSortedPermutations([7, 7, 7, 7])).toEqual([[7, 7, 7, 7]])
    expect(distinctSortedPermutations([10, 2, 1]).map((p) => p.join(','))).toEqual([
      '1,2,10', '1,10,2', '2,1,10', '2,10,1', '10,1,2', '10,2,1',
    ])
  })

  it('lists every distinct ordering once, in increasing lexicographic order', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 13 }), { minLength: 1, maxLength: 5 }), (values) => {
        const perms = distinctSortedPermutations(values)
        const keys = perms.map((p) => p.join(','))
        const sorted = [...values].sort((a, b) => a - b).join(',')
        for (let i = 1; i < perms.length; i++) {
          const a = perms[i - 1]
          const b = perms[i]
          const k = a.findIndex((v, j) => v !== b[j])
          if (k < 0 || a[k] >= b[k]) return false
        }
        const sameMultiset = perms.every((p) => [...p].sort((x, y) => x - y).join(',') === sorted)
        return new Set(keys).size === keys.length && sameMultiset
      }),
      { numRuns: 200 },
    )
  })
})

describe('solve_game', () => {
  it('[paper-rng §6] an unsolvable hand still shuffles its 12 orderings: randbelow(12) ... randbelow(2)', () => {
    const py = new PyRandom(42)
    const twin = new PyRandom(42)
    expect(paperSolveGame([2, 10, 10, 1], 24, py)).toEqual([])
    for (let m = 12; m >= 2; m--) twin.randbelow(m)
    expect(py.mt.outputs).toBe(twin.mt.outputs)
    expect(py.random()).toBe(twin.random())
  })

  it('[paper-rng §6] the final gp_l_id task-0 hand [2, 7, 10, 2] lists 4 solutions', () => {
    const solutions = paperSolveGame([2, 7, 10, 2], 24, new PyRandom(0))
    expect(solutions).toHaveLength(4)
    expect(solutions).toContain('(10/2+7)*2')
  })

  it('keeps duplicates and writes solutions without spaces or "=24"', () => {
    const solutions = paperSolveGame([6, 6, 6, 6], 24, new PyRandom(3))
    // One ordering; 6+6+6+6 is found by every bracket pattern that keeps it a sum.
    expect(solutions.filter((s) => s.replace(/[()]/g, '') === '6+6+6+6').length).toBeGreaterThan(1)
    expect(solutions.every((s) => /^[\d+\-*/()]+$/.test(s))).toBe(true)
  })

  it('every listed solution equals 24 exactly and uses the hand', () => {
    const hands = fc.array(fc.integer({ min: 1, max: 13 }), { minLength: 4, maxLength: 4 })
    fc.assert(
      fc.property(hands, fc.nat(1000), (hand, seed) => {
        const solutions = paperSolveGame(hand, 24, new PyRandom(seed))
        const sorted = [...hand].sort((a, b) => a - b).join(',')
        return solutions.every((s) => {
          const nums = (s.match(/\d+/g) as string[]).map(Number).sort((a, b) => a - b).join(',')
          return nums === sorted && equals24(s)
        })
      }),
      { numRuns: 60 },
    )
  })

  it('[env §9] complete for 4 cards: 1362 of 1820 rank multisets with J/Q/K = 11/12/13, 1236 with 10', () => {
    let regular = 0
    let tens = 0
    const py = new PyRandom(0)
    for (const ranks of multisets(4, 1, 13)) {
      const a = paperSolveGame(ranks, 24, py).length > 0
      const values = ranks.map((r) => (r > 10 ? 10 : r))
      const b = paperSolveGame(values, 24, py).length > 0
      expect(a, `ranks ${ranks}`).toBe(isSolvable(ranks, 24))
      if (a) regular++
      if (b) tens++
    }
    expect([regular, tens]).toEqual([1362, 1236])
  })

  it('[§11.4] incomplete for 5 cards: misses hands such as 1,1,1,1,7 = (1+1+1)*(7+1)', () => {
    const missed = [
      [1, 1, 1, 1, 7], [1, 1, 1, 1, 9], [1, 1, 1, 1, 10], [1, 1, 1, 7, 7], [1, 1, 7, 7, 13],
      [1, 1, 9, 9, 11], [1, 1, 9, 9, 13], [1, 1, 9, 10, 11], [1, 1, 10, 10, 11], [1, 1, 10, 11, 11],
      [1, 5, 7, 7, 7], [1, 7, 7, 7, 8], [1, 7, 7, 7, 9],
    ]
    const py = new PyRandom(0)
    for (const hand of missed) {
      expect(isSolvable(hand, 24), `${hand} is solvable`).toBe(true)
      expect(paperSolveGame(hand, 24, py), `${hand}`).toEqual([])
    }
    expect(paperSolveGame([1, 2, 3, 4, 5], 24, py).length).toBeGreaterThan(0)
  })
})
