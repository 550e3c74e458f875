/**
 * @module electron/cli/commands/import
 * `sftbench import FILE.parquet [--json]`: reads a verl dataset (the paper's published parquet
 * files, or an sftbench export) back into instances and variants and prints a summary.
 */
import { resolve } from 'node:path'
import type { ImportedDataset, ImportedInstance } from '../../../core/dataset/import.ts'
import type { SokobanVariantSpec, VariantSpec } from '../../../core/experiment/index.ts'
import { toLurd } from '../../../core/sokoban/solve/search.ts'
import { serializeXsb } from '../../../core/sokoban/xsb.ts'
import { importPaperParquet, type ParquetImport } from '../../services/import.ts'
import { CliFailure, JSON_OPTION, UsageError, flag, intOpt, printJson, type Command } from '../command.ts'

/** One instance as `--json` prints it. */
function instanceRecord(instance: ImportedInstance): Record<string, unknown> {
  if (instance.task === 'sokoban') {
    return {
      id: instance.id,
      task: 'sokoban',
      rows: instance.meta.rows,
      dataSource: instance.meta.dataSource,
      xsb: serializeXsb(instance.level),
      optimalPlan: toLurd(instance.level, instance.optimalPlan),
      optimalMoves: instance.optimalPlan.length,
    }
  }
  return {
    id: instance.id,
    task: 'gp',
    rows: instance.meta.rows,
    dataSource: instance.meta.dataSource,
    cards: instance.cards,
    values: instance.values,
    rule: { shown: instance.rule.shown.name, scored: instance.rule.scored.name },
    target: instance.target,
    solution: instance.solution,
    solutionCount: instance.solutionCount,
  }
}

/** The vocabulary a Sokoban variant shows, in words. */
function describeShown(shown: SokobanVariantSpec['vocabulary']['shown']): string {
  if (shown === null) return 'none'
  if (typeof shown === 'string') return shown
  if (shown.kind === 'paper-words') return "paper-words (the paper's per-row draw)"
  return `custom ${shown.names.join('/')}`
}

function describeVariant(v: VariantSpec): string {
  const chat = v.chat.mode === 'raw' ? `raw ${v.chat.wrapper}` : v.chat.mode
  const template = typeof v.template === 'string' ? v.template : (v.template.name ?? 'inline')
  if (v.task === 'sokoban') {
    const shown = describeShown(v.vocabulary.shown)
    const accepted = typeof v.vocabulary.accepted === 'string' ? v.vocabulary.accepted : 'custom'
    return `template ${template}, chat ${chat}, shown ${shown}, accepted ${accepted}, parser ${v.parser}`
  }
  const rule = v.rule === 'instance' ? 'per instance' : `shown ${String(v.rule.shown)}, scored ${String(v.rule.scored)}`
  return `template ${template}, chat ${chat}, rule ${rule}, message ${v.message}, verifier ${v.verifier}`
}

function textReport(path: string, d: ImportedDataset, listed: number): string {
  const taskName = d.task === 'sokoban' ? 'Sokoban' : 'General Points'
  const lines = [`${path}: ${d.rows} rows, ${taskName} ${d.kind.toUpperCase()} (verl layout ${d.layout})`]
  lines.push(`  data sources: ${Object.entries(d.dataSources).map(([k, n]) => `${k} (${n})`).join(', ')}`)
  if (d.task === 'sokoban') {
    const plans = d.instances.map((i) => (i.task === 'sokoban' ? i.optimalPlan.length : 0))
    const labels = plans.reduce((a, b) => a + b, 0)
    const range = plans.length === 0 ? '' : `, plans ${Math.min(...plans)}-${Math.max(...plans)} moves, ${labels} labels in all`
    lines.push(`  instances: ${d.instances.length} puzzles (consecutive one-step rows joined)${range}`)
  } else {
    const rules = new Map<string, number>()
    for (const i of d.instances) if (i.task === 'gp') rules.set(i.rule.shown.name, (rules.get(i.rule.shown.name) ?? 0) + 1)
    lines.push(`  instances: ${d.instances.length} hands; shown rules: ${[...rules].map(([r, n]) => `${r} (${n})`).join(', ')}`)
  }
  for (const instance of d.instances.slice(0, listed)) {
    const r = instanceRecord(instance)
    const rows = instance.meta.rows
    const where = rows.length === 1 ? `row ${rows[0]}` : `rows ${rows[0]}-${rows[rows.length - 1]}`
    lines.push(
      instance.task === 'sokoban'
        ? `    ${where}: ${String(r.xsb).split('\n').join('/')}  plan ${String(r.optimalPlan)}`
        : `    ${where}: ${instance.cards.join(' ')} -> ${instance.values.join(' ')}  ${instance.solution ?? '(no solution stored)'}`,
    )
  }
  if (d.instances.length > listed) lines.push(`    … ${d.instances.length - listed} more (use --list N or --json)`)
  lines.push(`  variants: ${d.variants.length}`)
  for (const v of d.variants) lines.push(`    ${v.name}: ${describeVariant(v)}`)
  for (const note of d.notes) lines.push(`  note: ${note}`)
  lines.push(`  problems: ${d.problems.length}`)
  for (const p of d.problems.slice(0, listed)) lines.push(`    row ${p.row}: ${p.message}`)
  return `${lines.join('\n')}\n`
}

export const importCommand: Command = {
  name: 'import',
  summary: "Read a verl parquet dataset (the paper's, or an export) back into instances and variants.",
  usage: 'import FILE.parquet [--json]',
  allowPositionals: true,
  description: [
    "Reads the paper's verl layouts (Sokoban RL/SFT rows with prompt and reward_model, General Points",
    'rows with question and extra_info; any standard parquet codec) and takes each prompt apart: Sokoban',
    'grid, shown vocabulary, template and chat wrapper; General Points cards, target and face-card rule,',
    'with the values the verifier scores (extra_info.display_cards). One-step rows of one puzzle are',
    'joined back into the puzzle and its plan. Rows that cannot be read are listed with the reason; the',
    'exit code is 1 when no row can be read.',
    '',
    'Example: sftbench import data/sokoban/sft/train.parquet --list 5',
  ].join('\n'),
  options: {
    list: { type: 'string', value: 'N', help: 'Instances and problems listed in text output (default 10).' },
    json: JSON_OPTION,
  },
  async run(args, io) {
    if (args.positionals.length !== 1) throw new UsageError('Give exactly one FILE.parquet.')
    const listed = intOpt(args, 'list', 10, 0)
    const path = resolve(io.cwd, args.positionals[0])
    let result: ParquetImport
    try {
      result = await importPaperParquet(path)
    } catch (error) {
      throw new CliFailure((error as Error).message)
    }
    const d = result.dataset
    if (flag(args, 'json')) {
      printJson(io, {
        path,
        columns: result.columns,
        task: d.task,
        kind: d.kind,
        layout: d.layout,
        rows: d.rows,
        dataSources: d.dataSources,
        instances: d.instances.map(instanceRecord),
        variants: d.variants,
        examples: d.examples,
        problems: d.problems,
        notes: d.notes,
      })
    } else {
      io.stdout(textReport(path, d, listed))
    }
    return d.rows > 0 && d.problems.length === d.rows ? 1 : 0
  },
}
