// The assignment bound must be the true minimum (a larger value would make A* inadmissible), so it
// is checked against brute force over every assignment.
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { Matcher } from '../../../../core/sokoban/solve/matching.ts'
import { UNREACHABLE } from '../../../../core/sokoban/solve/board.ts'

function bruteForce(cost: number[][], cols: number): number {
  let best = UNREACHABLE
  const used = new Array<boolean>(cols).fill(false)
  const go = (row: number, total: number): void => {
    if (row === cost.length) {
      best = Math.min(best, total)
      return
    }
    for (let j = 0; j < cols; j++) {
      if (used[j] || cost[row][j] >= UNREACHABLE) continue
      used[j] = true
      go(row + 1, total + cost[row][j])
      used[j] = false
    }
  }
  go(0, 0)
  return best
}

describe('Matcher', () => {
  it('finds the minimum-cost assignment of rows to distinct columns (brute force)', () => {
    const problem = fc
      .record({ rows: fc.integer({ min: 1, max: 5 }), extra: fc.integer({ min: 0, max: 2 }) })
      .chain(({ rows, extra }) =>
        fc.array(
          fc.array(fc.oneof(fc.integer({ min: 0, max: 30 }), fc.constant(UNREACHABLE)), {
            minLength: rows + extra,
            maxLength: rows + extra,
          }),
          { minLength: rows, maxLength: rows },
        ),
      )
    const matcher = new Matcher(5, 7)
    fc.assert(
      fc.property(problem, (cost) => {
        const rows = cost.length
        const cols = cost[0].length
        cost.forEach((row, i) => row.forEach((c, j) => (matcher.cost[i * cols + j] = c)))
        expect(matcher.solve(rows, cols)).toBe(bruteForce(cost, cols))
      }),
      { numRuns: 400 },
    )
  })

  it('prefers the global optimum to the greedy choice', () => {
    // Greedy takes row 0 -> column 0 (cost 1) and pays 100 for row 1; the optimum is 2 + 3.
    const matcher = new Matcher(2, 2)
    matcher.cost.set([1, 2, 3, 100])
    expect(matcher.solve(2, 2)).toBe(5)
  })

  it('reports UNREACHABLE when two rows can only use the same column, and 0 for no rows', () => {
    const matcher = new Matcher(2, 2)
    matcher.cost.set([4, UNREACHABLE, 7, UNREACHABLE])
    expect(matcher.solve(2, 2)).toBe(UNREACHABLE)
    expect(matcher.solve(0, 2)).toBe(0)
  })
})
