/**
 * @module electron/cli/commands/compare
 * `sftbench compare RUN_A RUN_B [--json]`: the paired comparison of two run folders over the cells
 * they share: per (variant, difficulty) and overall, how many cells both got right, A right and B
 * wrong, A wrong and B right, both wrong, and McNemar's exact p-value on the discordant pairs.
 * Cells in only one run are left out, with a warning.
 */
import { compareRuns, formatComparison, type RunComparison } from '../../report/compare.ts'
import type { RunData } from '../../eval/run-folder.ts'
import { CliFailure, EXIT_OK, JSON_OPTION, UsageError, flag, printJson, type Command } from '../command.ts'
import { readRunFolder } from './report.ts'

/** A few names from a list, for messages. */
function examples(names: readonly string[]): string {
  const shown = names.slice(0, 3).join(', ')
  return names.length > 3 ? `${shown}, ...` : shown
}

function describeRun(arg: string, run: RunData): string {
  const models = [...new Set(run.results.map((r) => r.model))]
  return `${arg} (sweep ${run.spec.name}, model${models.length === 1 ? '' : 's'} ${models.join(', ') || 'none'})`
}

function jsonComparison(a: RunData, b: RunData, c: RunComparison): unknown {
  const side = (run: RunData) => ({ dir: run.dir, sweep: run.spec.name, models: [...new Set(run.results.map((r) => r.model))] })
  return {
    a: side(a),
    b: side(b),
    pairing: c.pairing,
    groups: c.groups,
    overall: c.overall,
    onlyInA: c.onlyInA,
    onlyInB: c.onlyInB,
    differentInstances: c.differentInstances,
  }
}

/** `sftbench compare`: see the module comment. */
export const compareCommand: Command = {
  name: 'compare',
  summary: 'Paired comparison of two run folders: flip table and McNemar exact test per variant and difficulty.',
  usage: 'compare RUN_A RUN_B [--json]',
  description: [
    'Pairs the cells of two run folders and counts, per (variant, difficulty) and overall, the cells',
    'both runs got right, right in A and wrong in B (right->wrong), wrong in A and right in B',
    '(wrong->right) and both wrong, with the two-sided McNemar exact p-value of the discordant pairs.',
    'Runs of one model each pair on the cell key (variant/difficulty/instance/repeat), so two',
    'checkpoints run separately on the same sweep compare item by item; otherwise cells pair on their',
    'id (model included). Cells found in only one run are left out, with a warning.',
    '',
    'Example: sftbench compare runs/sft runs/rl',
  ].join('\n'),
  options: { json: JSON_OPTION },
  allowPositionals: true,
  async run(args, io) {
    if (args.positionals.length !== 2) {
      throw new UsageError(`Give two run folders to compare; got ${args.positionals.length}.`)
    }
    const [argA, argB] = args.positionals
    const a = await readRunFolder(argA, io)
    const b = await readRunFolder(argB, io)
    const comparison = compareRuns(a.results, b.results)
    if (comparison.overall.pairs === 0) {
      throw new CliFailure(
        `${argA} and ${argB} share no cells (paired on ${comparison.pairing}: ` +
          `${comparison.pairing === 'key' ? 'variant/difficulty/instance/repeat' : 'model/variant/difficulty/instance/repeat'}). ` +
          'Compare two runs of the same sweep, e.g. one run per model or checkpoint.',
      )
    }
    const { onlyInA, onlyInB, differentInstances } = comparison
    if (onlyInA.length > 0 || onlyInB.length > 0) {
      const parts = [
        ...(onlyInA.length > 0 ? [`${onlyInA.length} only in ${argA} (${examples(onlyInA)})`] : []),
        ...(onlyInB.length > 0 ? [`${onlyInB.length} only in ${argB} (${examples(onlyInB)})`] : []),
      ]
      io.stderr(`Warning: cells in one run only are left out: ${parts.join('; ')}.\n`)
    }
    if (differentInstances.length > 0) {
      io.stderr(
        `Warning: ${differentInstances.length} paired cells hold different instances (${examples(differentInstances)}): ` +
          'the two sweeps differ in seed or difficulties, so these pairs do not compare the same item.\n',
      )
    }
    if (flag(args, 'json')) {
      printJson(io, jsonComparison(a, b, comparison))
      return EXIT_OK
    }
    io.stdout(formatComparison(comparison, { a: describeRun(argA, a), b: describeRun(argB, b) }))
    return EXIT_OK
  },
}
