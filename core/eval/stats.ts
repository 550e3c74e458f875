/**
 * @module core/eval/stats
 * The statistics every report shows: Wilson score intervals on rates, and the paired comparison of
 * two runs on the same items (a flip table and McNemar's exact test).
 *
 * Wilson rather than the normal ("Wald") interval because sweeps often have small N and rates near
 * 0 or 1, where Wald collapses to a zero-width interval (Newcombe 1998, "Two-sided confidence
 * intervals for the single proportion: comparison of seven methods", Statistics in Medicine 17).
 * McNemar's exact (conditional binomial) test because a paired comparison of two variants or models
 * on the same instances only learns from the discordant pairs, and those are few.
 */
import type { Interval } from './types.ts'

/** The two-sided 95% normal quantile, Φ⁻¹(0.975). */
export const Z95 = 1.959963984540054

/**
 * The Wilson score interval for `successes` out of `n` (no continuity correction), clamped to
 * [0, 1]. `n = 0` gives the uninformative {low: 0, high: 1}. Throws when the counts are not
 * integers with 0 <= successes <= n.
 */
export function wilsonInterval(successes: number, n: number, z: number = Z95): Interval {
  if (!Number.isInteger(n) || n < 0) throw new Error(`wilsonInterval: n must be an integer >= 0; got ${n}.`)
  if (!Number.isInteger(successes) || successes < 0 || successes > n) {
    throw new Error(`wilsonInterval: successes must be an integer in [0, n = ${n}]; got ${successes}.`)
  }
  if (!(z > 0) || !Number.isFinite(z)) throw new Error(`wilsonInterval: z must be a positive number; got ${z}.`)
  if (n === 0) return { low: 0, high: 1 }
  const p = successes / n
  const z2 = z * z
  const denominator = 1 + z2 / n
  const center = (p + z2 / (2 * n)) / denominator
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))
  // At 0/n and n/n the exact bound is 0 (or 1); rounding would otherwise leave a 1e-17 residue.
  const low = successes === 0 ? 0 : Math.max(0, center - half)
  const high = successes === n ? 1 : Math.min(1, center + half)
  return { low, high }
}

/**
 * McNemar's exact test: the two-sided p-value of `b` versus `c` discordant pairs under
 * Binomial(b + c, 1/2), computed as min(1, 2 P(X <= min(b, c))). No discordant pairs gives 1.
 * Beyond 1000 discordant pairs the tail is summed in log space, so it stays finite for any count.
 */
export function mcnemarExact(b: number, c: number): number {
  for (const [name, value] of [['b', b], ['c', c]] as const) {
    if (!Number.isInteger(value) || value < 0) {
      throw new Error(`mcnemarExact: ${name} must be an integer >= 0 (a count of discordant pairs); got ${value}.`)
    }
  }
  const n = b + c
  const k = Math.min(b, c)
  if (n === 0 || 2 * k >= n) return 1
  if (n <= 1000) {
    // 2^-n is exact and still a normal double here, so small tables come out exact (0.25, 0.0625).
    let term = 2 ** -n
    let sum = term
    for (let i = 0; i < k; i++) {
      term = (term * (n - i)) / (i + 1)
      sum += term
    }
    return Math.min(1, 2 * sum)
  }
  // For larger n, 2^-n heads for underflow (it is 0 below 2^-1074): sum log P(X = i) for
  // i = 0..k in log space instead. The terms increase with i because k < n / 2, so the last is the largest.
  const logs: number[] = [-n * Math.LN2]
  for (let i = 0; i < k; i++) logs.push(logs[i] + Math.log((n - i) / (i + 1)))
  const max = logs[k]
  let sum = 0
  for (const l of logs) sum += Math.exp(l - max)
  return Math.min(1, 2 * Math.exp(max) * sum)
}

/** The paired outcomes of two runs over the items they share, with McNemar's exact p-value. */
export interface FlipTable {
  /** Items present in both runs. */
  pairs: number
  bothRight: number
  bothWrong: number
  /** Right in the first run, wrong in the second. */
  rightToWrong: number
  /** Wrong in the first run, right in the second. */
  wrongToRight: number
  /** `mcnemarExact(rightToWrong, wrongToRight)`. */
  pValue: number
}

/**
 * Pairs the items of run `a` and run `b` by `key` and counts the four outcomes. Items whose key is
 * in only one run are left out (callers that care count them themselves). Throws when a key occurs
 * twice in one run, since the pairing would then be ambiguous.
 */
export function flipTable(
  a: Iterable<{ key: string; success: boolean }>,
  b: Iterable<{ key: string; success: boolean }>,
): FlipTable {
  const first = new Map<string, boolean>()
  for (const item of a) {
    if (first.has(item.key)) {
      throw new Error(`flipTable: key "${item.key}" occurs twice in the first run; pair on a unique key (e.g. the cell id).`)
    }
    first.set(item.key, item.success)
  }
  const seen = new Set<string>()
  let bothRight = 0
  let bothWrong = 0
  let rightToWrong = 0
  let wrongToRight = 0
  for (const item of b) {
    if (seen.has(item.key)) {
      throw new Error(`flipTable: key "${item.key}" occurs twice in the second run; pair on a unique key (e.g. the cell id).`)
    }
    seen.add(item.key)
    const before = first.get(item.key)
    if (before === undefined) continue
    if (before && item.success) bothRight++
    else if (!before && !item.success) bothWrong++
    else if (before) rightToWrong++
    else wrongToRight++
  }
  const pairs = bothRight + bothWrong + rightToWrong + wrongToRight
  return { pairs, bothRight, bothWrong, rightToWrong, wrongToRight, pValue: mcnemarExact(rightToWrong, wrongToRight) }
}
