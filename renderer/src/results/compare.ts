/**
 * @module renderer/src/results/compare
 * A paired comparison of two variants of one run: the cells of variant A and of variant B that share
 * model, difficulty, instance and repeat are pairs (same level or hand, same seed); core's
 * `flipTable` counts the four outcomes and gives McNemar's exact p-value, and each bin keeps the cell
 * keys of its pairs so the UI can list exactly those samples.
 */
import { flipTable, type FlipTable } from '../../../core/eval/stats.ts'
import type { CellResult } from '../../../core/eval/types.ts'
import type { SampleFilter } from './filter.ts'

/** What pairing needs of a result. */
export type PairableResult = Pick<CellResult, 'key' | 'model' | 'variant' | 'difficulty' | 'instance' | 'repeat' | 'success'>

export type FlipBin = 'both' | 'aOnly' | 'bOnly' | 'neither'

export const FLIP_BINS: readonly FlipBin[] = ['both', 'aOnly', 'bOnly', 'neither']

/** The comparison: core's flip table plus, per bin, the cell keys of both sides of its pairs. */
export interface PairedComparison {
  readonly table: FlipTable
  /** For each bin, the keys of A's and B's cells (A's key then B's key, pair by pair, in A's order). */
  readonly keys: Readonly<Record<FlipBin, readonly string[]>>
  /** Cells of A (or B) with no partner in the other variant (left out of the table). */
  readonly unpairedA: number
  readonly unpairedB: number
}

/** What to compare: two variants, optionally one difficulty and one model. */
export interface CompareChoice {
  readonly a: string
  readonly b: string
  readonly difficulty?: string
  readonly model?: string
}

function pairKey(r: PairableResult): string {
  return `${r.model}\u0000${r.difficulty}\u0000${r.instance}\u0000${r.repeat}`
}

/** Pairs the results of `choice.a` and `choice.b` and counts the flips. */
export function comparePaired(results: Iterable<PairableResult>, choice: CompareChoice): PairedComparison {
  const a: PairableResult[] = []
  const bByPair = new Map<string, PairableResult>()
  const b: PairableResult[] = []
  for (const r of results) {
    if (choice.difficulty !== undefined && r.difficulty !== choice.difficulty) continue
    if (choice.model !== undefined && r.model !== choice.model) continue
    if (r.variant === choice.a) a.push(r)
    else if (r.variant === choice.b) {
      b.push(r)
      bByPair.set(pairKey(r), r)
    }
  }
  // Core counts and tests; the bins' keys are gathered alongside on the same pairing key.
  const table = flipTable(
    a.map((r) => ({ key: pairKey(r), success: r.success })),
    b.map((r) => ({ key: pairKey(r), success: r.success })),
  )
  const keys: Record<FlipBin, string[]> = { both: [], aOnly: [], bOnly: [], neither: [] }
  let paired = 0
  for (const ra of a) {
    const rb = bByPair.get(pairKey(ra))
    if (rb === undefined) continue
    paired++
    const bin: FlipBin = ra.success ? (rb.success ? 'both' : 'aOnly') : rb.success ? 'bOnly' : 'neither'
    keys[bin].push(ra.key, rb.key)
  }
  return { table, keys, unpairedA: a.length - paired, unpairedB: b.length - paired }
}

/** The count of a bin in core's table. */
export function binCount(table: FlipTable, bin: FlipBin): number {
  return { both: table.bothRight, aOnly: table.rightToWrong, bOnly: table.wrongToRight, neither: table.bothWrong }[bin]
}

const BIN_LABEL: Record<FlipBin, string> = { both: 'both succeed', aOnly: 'A only', bOnly: 'B only', neither: 'neither' }

/** The samples filter of a bin: exactly its cells (and the model, since cell keys leave it out). */
export function binFilter(comparison: PairedComparison, choice: CompareChoice, bin: FlipBin): SampleFilter {
  const where = [choice.difficulty, choice.model].filter((x): x is string => x !== undefined)
  const label = `${BIN_LABEL[bin]} (A = ${choice.a}, B = ${choice.b}${where.length > 0 ? `; ${where.join(', ')}` : ''})`
  return { keys: comparison.keys[bin], ...(choice.model !== undefined ? { model: choice.model } : {}), label }
}

/** A p-value for display: 4 decimals (trailing zeros cut), 3 significant digits below 0.001, or `< 1e-6`. */
export function formatP(p: number): string {
  if (p < 1e-6) return '< 1e-6'
  return p >= 0.001 ? p.toFixed(4).replace(/0+$/, '').replace(/\.$/, '') : p.toExponential(2)
}
