/**
 * @module electron/report/table
 * The summary table `sftbench eval` prints at the end and `sftbench report` prints from a run
 * folder: one row per (model, variant, difficulty) with the success rate and its Wilson 95%
 * interval, the paper's validity metric, mean reward and mean turns, and the number of cells.
 */
import type { Aggregate } from '../../core/eval/types.ts'

const HEADER = ['model', 'variant', 'difficulty', 'n', 'success', '95% CI', 'validity', 'reward', 'turns']
/** Columns aligned to the right (numbers). */
const NUMERIC = new Set([3, 4, 5, 6, 7, 8])

/**
 * Rows of cells as aligned text lines under a header and a rule of dashes: columns separated by
 * two spaces, those in `numeric` right-aligned, trailing spaces trimmed. Ends with a newline.
 */
export function formatColumns(header: readonly string[], rows: readonly (readonly string[])[], numeric: ReadonlySet<number>): string {
  const all = [header, ...rows]
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)))
  const line = (r: readonly string[]): string =>
    widths
      .map((w, i) => (numeric.has(i) ? (r[i] ?? '').padStart(w) : (r[i] ?? '').padEnd(w)))
      .join('  ')
      .trimEnd()
  const rule = widths.map((w) => '-'.repeat(w)).join('  ')
  return [line(header), rule, ...rows.map(line), ''].join('\n')
}

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
  const rows = aggregates.map((a) => [
    a.model,
    a.variant,
    a.difficulty,
    String(a.n),
    a.n === 0 ? '-' : formatPercent(a.successRate),
    a.n === 0 ? '-' : `${(a.successCi.low * 100).toFixed(1)}-${(a.successCi.high * 100).toFixed(1)}`,
    a.n === 0 ? '-' : formatPercent(a.validity),
    a.n === 0 ? '-' : a.meanReward.toFixed(2),
    a.n === 0 ? '-' : a.meanTurns.toFixed(1),
  ])
  return formatColumns(HEADER, rows, NUMERIC)
}

/** Escapes a table cell for Markdown (a `|` would end the cell). */
function markdownCell(text: string): string {
  return text.replace(/\|/g, '\\|')
}

/**
 * The aggregates as a GitHub-flavoured Markdown table (model cards, notes, papers), in the order
 * given: success with its Wilson 95% interval, validity and cells per row. Ends with a newline.
 */
export function formatMarkdownTable(aggregates: readonly Aggregate[]): string {
  const done = aggregates.filter((a) => a.n > 0)
  if (done.length === 0) return 'No finished cells yet.\n'
  const lines = ['| model | variant | difficulty | n | success | 95% CI | validity |', '|---|---|---|---:|---:|---:|---:|']
  for (const a of done) {
    const ci = `${(a.successCi.low * 100).toFixed(1)}-${(a.successCi.high * 100).toFixed(1)}%`
    lines.push(
      `| ${markdownCell(a.model)} | ${markdownCell(a.variant)} | ${markdownCell(a.difficulty)} | ${a.n} | ` +
        `${formatPercent(a.successRate)} | ${ci} | ${formatPercent(a.validity)} |`,
    )
  }
  return `${lines.join('\n')}\n`
}
