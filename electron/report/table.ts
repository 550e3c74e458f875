/**
 * @module electron/report/table
 * The summary table `sftbench eval` prints at the end and `sftbench report` prints from a run
 * folder: one row per (model, variant, difficulty) with the success rate and its Wilson 95%
 * interval, the paper's validity metric, mean reward and mean turns, and the number of cells.
 */
import type { Aggregate } from '../../core/eval/types.ts'

const HEADER = ['model', 'variant', 'difficulty', 'n', 'success', '95% CI', 'validity', 'reward', 'turns'] as const
/** Columns aligned to the right (numbers). */
const NUMERIC = new Set([3, 4, 5, 6, 7, 8])

/** A rate as a percentage with one decimal, e.g. `0.4567` -> `45.7%`. */
export function formatPercent(rate: number): string {
  return `${(rate * 100).toFixed(1)}%`
}

/**
 * The aggregates as a plain-text table, in the order given, ending with a newline. Columns are
 * separated by two spaces, numbers right-aligned, so it reads in any terminal and pastes into
 * notes. An empty list gives a one-line message instead of an empty table.
 */
export function formatSummaryTable(aggregates: readonly Aggregate[]): string {
  if (aggregates.length === 0) return 'No finished cells yet.\n'
  const rows: string[][] = [
    [...HEADER],
    ...aggregates.map((a) => [
      a.model,
      a.variant,
      a.difficulty,
      String(a.n),
      a.n === 0 ? '-' : formatPercent(a.successRate),
      a.n === 0 ? '-' : `${(a.successCi.low * 100).toFixed(1)}-${(a.successCi.high * 100).toFixed(1)}`,
      a.n === 0 ? '-' : formatPercent(a.validity),
      a.n === 0 ? '-' : a.meanReward.toFixed(2),
      a.n === 0 ? '-' : a.meanTurns.toFixed(1),
    ]),
  ]
  const widths = HEADER.map((_, i) => Math.max(...rows.map((r) => r[i].length)))
  const line = (r: readonly string[]): string =>
    r
      .map((cell, i) => (NUMERIC.has(i) ? cell.padStart(widths[i]) : cell.padEnd(widths[i])))
      .join('  ')
      .trimEnd()
  const rule = widths.map((w) => '-'.repeat(w)).join('  ')
  return [line(rows[0]), rule, ...rows.slice(1).map(line), ''].join('\n')
}
