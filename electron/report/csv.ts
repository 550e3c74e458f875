/**
 * @module electron/report/csv
 * CSV exports of a run for pandas and spreadsheets: one row per aggregate (model, variant,
 * difficulty) and one row per finished cell.
 *
 * The format is RFC 4180: one header line, CRLF line ends, a field quoted (with inner quotes
 * doubled) exactly when it holds a comma, a quote, CR or LF. Column names are snake_case and stable,
 * so `pd.read_csv(path)` gives typed columns: numbers as numbers, `true`/`false` as booleans, and a
 * missing value (null) as an empty field, which pandas reads as NaN.
 */
import { FAILURE_KINDS, type Aggregate, type CellResult } from '../../core/eval/types.ts'

/** Every failure kind, in the order of the `failures_*` columns (core's list). */
export { FAILURE_KINDS }

/** A CSV field value: null is written as an empty field. */
export type CsvValue = string | number | boolean | null

/** One field, quoted when RFC 4180 requires it. */
export function csvField(value: CsvValue): string {
  if (value === null) return ''
  const text = typeof value === 'string' ? value : String(value)
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/** One record, ending in CRLF. */
export function csvLine(values: readonly CsvValue[]): string {
  return `${values.map(csvField).join(',')}\r\n`
}

/** The aggregate columns, in order. */
export const AGGREGATE_CSV_COLUMNS: readonly string[] = [
  'model',
  'variant',
  'difficulty',
  'difficulty_value',
  'n',
  'successes',
  'success_rate',
  'success_ci_low',
  'success_ci_high',
  'validity',
  'validity_ci_low',
  'validity_ci_high',
  'mean_reward',
  'mean_turns',
  'mean_steps',
  'tokens',
  'float_exact_disagreements',
  ...FAILURE_KINDS.map((k) => `failures_${k.replace(/-/g, '_')}`),
]

function aggregateRow(a: Aggregate): CsvValue[] {
  return [
    a.model,
    a.variant,
    a.difficulty,
    a.difficultyValue,
    a.n,
    a.successes,
    a.successRate,
    a.successCi.low,
    a.successCi.high,
    a.validity,
    a.validityCi?.low ?? null,
    a.validityCi?.high ?? null,
    a.meanReward,
    a.meanTurns,
    a.meanSteps,
    a.tokens,
    a.floatExactDisagreements,
    ...FAILURE_KINDS.map((k) => a.failures[k] ?? 0),
  ]
}

/** The aggregates as a CSV document (header line included). */
export function formatAggregatesCsv(aggregates: Iterable<Aggregate>): string {
  let out = csvLine(AGGREGATE_CSV_COLUMNS)
  for (const a of aggregates) out += csvLine(aggregateRow(a))
  return out
}

/** The per-cell columns, in order. `output` is the last model output of the cell. */
export const CELL_CSV_COLUMNS: readonly string[] = [
  'id',
  'key',
  'model',
  'variant',
  'difficulty',
  'instance',
  'repeat',
  'seed',
  'task',
  'success',
  'validity',
  'reward',
  'turns',
  'steps',
  'tokens',
  'failure',
  'error',
  'sokoban_end',
  'sokoban_action_is_valid',
  'sokoban_action_is_effective',
  'sokoban_first_deadlock_turn',
  'sokoban_optimal_moves',
  'gp_cards',
  'gp_target',
  'gp_formula',
  'gp_paper_reward',
  'gp_strict_ok',
  'gp_strict_reason',
  'gp_float_exact_disagree',
  'gp_scorer',
  'total_ms',
  'generations',
  'cached_generations',
  'output',
]

function cellRow(r: CellResult): CsvValue[] {
  const s = r.sokoban
  const g = r.gp
  const lastTurn = s && s.turns.length > 0 ? s.turns[s.turns.length - 1] : null
  return [
    r.id,
    r.key,
    r.model,
    r.variant,
    r.difficulty,
    r.instance,
    r.repeat,
    r.seed,
    r.task,
    r.success,
    r.validity,
    r.reward,
    r.turns,
    r.steps,
    r.tokens,
    r.failure,
    r.error,
    s?.end ?? null,
    s?.actionIsValid ?? null,
    s?.actionIsEffective ?? null,
    s?.firstDeadlockTurn ?? null,
    s?.optimalMoves ?? null,
    g ? g.cards.join(' ') : null,
    g?.target ?? null,
    g?.formula ?? null,
    g?.paperReward ?? null,
    g?.strictOk ?? null,
    g?.strictReason ?? null,
    g?.floatExactDisagree ?? null,
    g?.scorer ?? null,
    r.timing.totalMs,
    r.timing.generations,
    r.timing.cachedGenerations,
    g?.output ?? lastTurn?.output ?? null,
  ]
}

/**
 * The cells as CSV, one string per line (the header first), so that a caller can stream a large
 * run to disk without holding the whole document.
 */
export function* cellCsvLines(results: Iterable<CellResult>): Generator<string> {
  yield csvLine(CELL_CSV_COLUMNS)
  for (const r of results) yield csvLine(cellRow(r))
}

/** The cells as one CSV document (header line included). */
export function formatCellsCsv(results: Iterable<CellResult>): string {
  let out = ''
  for (const line of cellCsvLines(results)) out += line
  return out
}
