/**
 * @module electron/report/compare
 * The paired comparison of two runs on the cells they share: per (variant, difficulty) and overall,
 * the flip table (right -> wrong, wrong -> right) and McNemar's exact p-value.
 *
 * Two runs of one model each pair on the cell `key` (variant/difficulty/instance/repeat), so two
 * checkpoints evaluated in separate runs of the same sweep compare item by item; otherwise cells
 * pair on their full `id`, which includes the model. Since a key names an instance only within its
 * sweep, pairs whose level (or cards and target) differ are reported: such runs came from sweeps
 * with different seeds or difficulties, and their comparison is not paired.
 */
import { flipTable, type FlipTable } from '../../core/eval/stats.ts'
import type { CellResult } from '../../core/eval/types.ts'
import { formatColumns, formatPercent } from './table.ts'

/** The flip table of one group, with each run's success rate over the group's pairs. */
export interface PairedGroup extends FlipTable {
  /** The model, when cells pair on `id` (it is part of the id); null when they pair on `key`. */
  readonly model: string | null
  /** Null for the overall row. */
  readonly variant: string | null
  readonly difficulty: string | null
  readonly aSuccessRate: number
  readonly bSuccessRate: number
}

/** The paired comparison of run A with run B. */
export interface RunComparison {
  readonly pairing: 'key' | 'id'
  readonly groups: readonly PairedGroup[]
  readonly overall: PairedGroup
  /** Pairing names of cells in only one run (not compared). */
  readonly onlyInA: readonly string[]
  readonly onlyInB: readonly string[]
  /** Pairing names of pairs whose instance differs between the runs. */
  readonly differentInstances: readonly string[]
}

/** What identifies the instance a cell played (null when the record does not say). */
function instanceOf(r: CellResult): string | null {
  if (r.sokoban) return r.sokoban.level
  if (r.gp) return `${r.gp.cards.join(',')}=${r.gp.target}`
  return null
}

function withRates(table: FlipTable, model: string | null, variant: string | null, difficulty: string | null): PairedGroup {
  const rate = (right: number): number => (table.pairs === 0 ? 0 : right / table.pairs)
  return {
    ...table,
    model,
    variant,
    difficulty,
    aSuccessRate: rate(table.bothRight + table.rightToWrong),
    bSuccessRate: rate(table.bothRight + table.wrongToRight),
  }
}

/** Pairs the cells of two runs and computes the flip tables and McNemar p-values. */
export function compareRuns(a: readonly CellResult[], b: readonly CellResult[]): RunComparison {
  const single = new Set(a.map((r) => r.model)).size <= 1 && new Set(b.map((r) => r.model)).size <= 1
  const pairing = single ? 'key' : 'id'
  const name = (r: CellResult): string => (single ? r.key : r.id)

  const inB = new Map(b.map((r) => [name(r), r]))
  const groups = new Map<string, { model: string | null; variant: string; difficulty: string; a: CellResult[]; b: CellResult[] }>()
  const onlyInA: string[] = []
  const differentInstances: string[] = []
  const pairedA: { key: string; success: boolean }[] = []
  const pairedB: { key: string; success: boolean }[] = []
  for (const ra of a) {
    const rb = inB.get(name(ra))
    if (rb === undefined) {
      onlyInA.push(name(ra))
      continue
    }
    const ia = instanceOf(ra)
    const ib = instanceOf(rb)
    if (ia !== null && ib !== null && ia !== ib) differentInstances.push(name(ra))
    const model = single ? null : ra.model
    const groupKey = JSON.stringify([model, ra.variant, ra.difficulty])
    let group = groups.get(groupKey)
    if (group === undefined) {
      group = { model, variant: ra.variant, difficulty: ra.difficulty, a: [], b: [] }
      groups.set(groupKey, group)
    }
    group.a.push(ra)
    group.b.push(rb)
    pairedA.push({ key: name(ra), success: ra.success })
    pairedB.push({ key: name(ra), success: rb.success })
  }
  const inA = new Set(a.map(name))
  const onlyInB = b.map(name).filter((n) => !inA.has(n))
  const toItems = (cells: CellResult[]) => cells.map((r) => ({ key: name(r), success: r.success }))
  return {
    pairing,
    groups: [...groups.values()].map((g) => withRates(flipTable(toItems(g.a), toItems(g.b)), g.model, g.variant, g.difficulty)),
    overall: withRates(flipTable(pairedA, pairedB), null, null, null),
    onlyInA,
    onlyInB,
    differentInstances,
  }
}

/** A p-value for reading: three decimals, or one significant digit in exponent form below 0.001. */
export function formatPValue(p: number): string {
  return p >= 0.001 ? p.toFixed(3) : p.toExponential(1)
}

/** The comparison as text: which runs, how cells paired, and one row per group plus overall. */
export function formatComparison(comparison: RunComparison, labels: { readonly a: string; readonly b: string }): string {
  const byId = comparison.pairing === 'id'
  const header = [
    ...(byId ? ['model'] : []),
    'variant',
    'difficulty',
    'pairs',
    'A success',
    'B success',
    'both right',
    'right->wrong',
    'wrong->right',
    'both wrong',
    'p',
  ]
  const row = (g: PairedGroup): string[] => [
    ...(byId ? [g.model ?? ''] : []),
    g.variant ?? 'overall',
    g.difficulty ?? '',
    String(g.pairs),
    g.pairs === 0 ? '-' : formatPercent(g.aSuccessRate),
    g.pairs === 0 ? '-' : formatPercent(g.bSuccessRate),
    String(g.bothRight),
    String(g.rightToWrong),
    String(g.wrongToRight),
    String(g.bothWrong),
    formatPValue(g.pValue),
  ]
  const first = byId ? 3 : 2
  const numeric = new Set(header.map((_, i) => i).filter((i) => i >= first))
  const rows = [...comparison.groups.map(row), row(comparison.overall)]
  return [
    `A: ${labels.a}`,
    `B: ${labels.b}`,
    byId
      ? 'Cells paired on id (model/variant/difficulty/instance/repeat).'
      : 'Cells paired on key (variant/difficulty/instance/repeat).',
    'right->wrong: right in A and wrong in B; p: two-sided McNemar exact test on the discordant pairs.',
    '',
    formatColumns(header, rows, numeric),
  ].join('\n')
}
