/**
 * @module electron/cli/commands/contamination
 * `sftbench contamination EXPORT_DIR --preset NAME [--json]`: how many instances of an evaluation
 * preset also occur in an export's training data, and which, compared by content (paper-tasks.md
 * §4.5, §11.3).
 */
import { resolve } from 'node:path'
import { exportContamination, type ContaminationReport } from '../../../core/dataset/contamination.ts'
import { instanceKey, instancesOf, presetByName, type Preset } from '../../../core/experiment/index.ts'
import { readExport, readInstanceRecords } from '../../services/export.ts'
import {
  CliFailure,
  JSON_OPTION,
  UsageError,
  choiceOpt,
  flag,
  intOpt,
  printJson,
  stringOpt,
  type Command,
} from '../command.ts'

const SPLIT_CHOICES = ['train', 'test', 'all'] as const

function percent(part: number, whole: number): string {
  return whole === 0 ? '0%' : `${((100 * part) / whole).toFixed(1)}%`
}

function textReport(dir: string, exportPreset: string, splits: readonly string[], preset: Preset, report: ContaminationReport, listed: number): string {
  const lines = [
    `${preset.name}: ${report.overlap} of ${report.total} eval instances (${percent(report.overlap, report.total)}) ` +
      `occur in the ${splits.join(' + ')} data of ${dir} (preset ${exportPreset}, ${report.trainItems} positions or hands shown, ` +
      `${report.trainKeys} distinct).`,
  ]
  if (report.overlap > 0) {
    const shown = report.matches.slice(0, listed)
    for (const m of shown) {
      const more = m.trainCount > m.trainIds.length ? ` (+${m.trainCount - m.trainIds.length} more)` : ''
      lines.push(`  ${m.evalId} = ${m.trainIds.join(', ')}${more}`)
    }
    if (report.matches.length > shown.length) {
      lines.push(`  … ${report.matches.length - shown.length} more (use --list N or --json for all)`)
    }
  }
  return `${lines.join('\n')}\n`
}

export const contaminationCommand: Command = {
  name: 'contamination',
  summary: 'Report which instances of an eval preset also occur in an exported training set.',
  usage: 'contamination EXPORT_DIR --preset NAME [--json]',
  allowPositionals: true,
  description: [
    "Compares the positions and hands an export's rows show (its instances.jsonl, checked against the",
    "manifest's hashes) with the instances of an evaluation preset, by content: Sokoban by the position in",
    'XSB, General Points by the cards, target and face-card values. Seeds and names play no part, so an',
    'eval level made from a training seed is found. Each overlapping eval id is listed with the training',
    'rows that show it (<instance id>@<step>, step 0 being a puzzle\'s start).',
    '',
    "Example: the paper's SimpleSokoban eval (seeds 123-222) lies inside its training seeds 42-241:",
    '  sftbench export --preset sokoban_6x6_1horizon_train --kinds rl --out data/train',
    '  sftbench contamination data/train --preset SimpleSokoban        (100 of 100)',
  ].join('\n'),
  options: {
    preset: { type: 'string', value: 'NAME', help: 'The evaluation preset to check (see "sftbench presets"). Required.' },
    split: { type: 'string', value: 'SPLIT', help: 'Training split to compare against: train, test or all (default all).' },
    list: { type: 'string', value: 'N', help: 'Overlapping ids listed in text output (default 20).' },
    'fail-on-overlap': { type: 'boolean', help: 'Exit with code 1 when any eval instance overlaps.' },
    json: JSON_OPTION,
  },
  async run(args, io) {
    if (args.positionals.length !== 1) throw new UsageError('Give exactly one EXPORT_DIR (a folder written by "sftbench export").')
    const presetName = stringOpt(args, 'preset')
    if (presetName === undefined) throw new UsageError('--preset NAME is required (see "sftbench presets").')
    const split = choiceOpt(args, 'split', SPLIT_CHOICES, 'all')
    const listed = intOpt(args, 'list', 20, 0)
    let preset: Preset
    try {
      preset = presetByName(presetName)
    } catch (error) {
      throw new UsageError((error as Error).message)
    }
    let report: ContaminationReport
    let dir: string
    let exportPreset: string
    let splits: string[]
    try {
      const loaded = await readExport(resolve(io.cwd, args.positionals[0]))
      dir = loaded.dir
      exportPreset = loaded.manifest.preset
      if (loaded.manifest.task !== preset.task) {
        throw new UsageError(
          `The export holds ${loaded.manifest.task === 'gp' ? 'General Points' : 'Sokoban'} data but preset ${preset.name} ` +
            `is ${preset.task === 'gp' ? 'General Points' : 'Sokoban'}; choose a preset of the same task.`,
        )
      }
      const records = await readInstanceRecords(loaded)
      const present: string[] = [...new Set(records.map((r) => r.split))]
      if (split !== 'all' && !present.includes(split)) {
        throw new UsageError(`The export has no ${split} split (it has ${present.join(', ')}).`)
      }
      splits = split === 'all' ? present : [split]
      const evalItems = instancesOf(preset.instanceSet).map((instance) => ({ id: instance.id, key: instanceKey(instance) }))
      report = exportContamination(records, evalItems, { splits })
    } catch (error) {
      if (error instanceof UsageError) throw error
      throw new CliFailure((error as Error).message)
    }
    if (flag(args, 'json')) {
      printJson(io, { export: dir, exportPreset, preset: preset.name, splits, ...report })
    } else {
      io.stdout(textReport(dir, exportPreset, splits, preset, report, listed))
    }
    return flag(args, 'fail-on-overlap') && report.overlap > 0 ? 1 : 0
  },
}
