/**
 * @module core/sokoban/solve/matching
 * Minimum-cost assignment of boxes to distinct goals (the Hungarian algorithm, O(n²m)), the
 * searches' lower bound: every box must end on its own goal and needs at least its push
 * distance to get there, so the cheapest perfect matching never overestimates the pushes left.
 */
import { UNREACHABLE } from './board.ts'

/** A reusable assignment solver for up to `maxRows` rows and `maxCols` columns (rows ≤ columns). */
export class Matcher {
  /** Row-major costs of the current problem, `cost[i * cols + j]`; filled by the caller. */
  readonly cost: Int32Array
  private readonly u: Float64Array
  private readonly v: Float64Array
  private readonly minv: Float64Array
  private readonly p: Int32Array
  private readonly way: Int32Array
  private readonly used: Uint8Array

  constructor(maxRows: number, maxCols: number) {
    this.cost = new Int32Array(Math.max(1, maxRows * maxCols))
    this.u = new Float64Array(maxRows + 1)
    this.v = new Float64Array(maxCols + 1)
    this.minv = new Float64Array(maxCols + 1)
    this.p = new Int32Array(maxCols + 1)
    this.way = new Int32Array(maxCols + 1)
    this.used = new Uint8Array(maxCols + 1)
  }

  /**
   * The minimum total cost of giving each of `rows` rows its own column among `cols`, or
   * UNREACHABLE when every assignment uses an UNREACHABLE cell. Needs rows ≤ cols.
   */
  solve(rows: number, cols: number): number {
    const { cost, u, v, minv, p, way, used } = this
    if (rows === 0) return 0
    if (rows > cols) return UNREACHABLE
    u.fill(0, 0, rows + 1)
    v.fill(0, 0, cols + 1)
    p.fill(0, 0, cols + 1)
    for (let i = 1; i <= rows; i++) {
      p[0] = i
      let j0 = 0
      minv.fill(Infinity, 0, cols + 1)
      used.fill(0, 0, cols + 1)
      do {
        used[j0] = 1
        const i0 = p[j0]
        const rowBase = (i0 - 1) * cols - 1
        let delta = Infinity
        let j1 = 0
        for (let j = 1; j <= cols; j++) {
          if (used[j]) continue
          const cur = cost[rowBase + j] - u[i0] - v[j]
          if (cur < minv[j]) {
            minv[j] = cur
            way[j] = j0
          }
          if (minv[j] < delta) {
            delta = minv[j]
            j1 = j
          }
        }
        for (let j = 0; j <= cols; j++) {
          if (used[j]) {
            u[p[j]] += delta
            v[j] -= delta
          } else {
            minv[j] -= delta
          }
        }
        j0 = j1
      } while (p[j0] !== 0)
      do {
        const j1 = way[j0]
        p[j0] = p[j1]
        j0 = j1
      } while (j0 !== 0)
    }
    let total = 0
    for (let j = 1; j <= cols; j++) {
      if (p[j] === 0) continue
      const c = cost[(p[j] - 1) * cols + j - 1]
      if (c >= UNREACHABLE) return UNREACHABLE
      total += c
    }
    return total
  }
}
