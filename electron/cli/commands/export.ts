/**
 * @module electron/cli/commands/export
 * `sftbench export --preset NAME --out DIR [options]`: writes a training dataset (answer-only SFT,
 * CoT SFT and RL sets, as verl parquet and JSONL) and its manifest.
 */
import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { MANIFEST_FILE_NAME, type DatasetManifest } from '../../../core/dataset/manifest.ts'
import {
  DatasetSettingsError,
  DATASET_FORMATS,
  DATASET_KINDS,
  SOKOBAN_EXAMPLE_FORMS,
  VOCABULARY_MODES,
} from '../../../core/dataset/options.ts'
import { JSONL_STYLES } from '../../../core/dataset/jsonl.ts'
import { exportDataset } from '../../services/export.ts'
import { CliFailure, JSON_OPTION, UsageError, flag, printJson, stringOpt, type Command, type ParsedArgs } from '../command.ts'
import type { CliIo } from '../io.ts'
import { startProgress } from '../progress.ts'

function list(raw: string): string[] {
  return raw.split(',').map((s) => s.trim()).filter((s) => s !== '')
}

function integer(name: string, raw: string): number {
  if (!/^\d+$/.test(raw.trim())) throw new UsageError(`--${name} must be a whole number; got "${raw}".`)
  return Number(raw)
}

/** Reads `--settings FILE`: an export-settings JSON object, or a manifest whose settings are reused. */
async function settingsFile(io: CliIo, raw: string): Promise<Record<string, unknown>> {
  const path = resolve(io.cwd, raw)
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    throw new CliFailure(`Cannot read --settings ${path}: ${(error as Error).message}`)
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw new CliFailure(`--settings ${path} is not valid JSON: ${(error as Error).message}`)
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CliFailure(`--settings ${path} must hold a JSON object of export settings (or an export's ${MANIFEST_FILE_NAME}).`)
  }
  const record = value as Record<string, unknown>
  if (record.format === 'sftbench-dataset' && typeof record.settings === 'object' && record.settings !== null) {
    // A manifest: its settings, without the derived instance set.
    const { instanceSet: _instanceSet, ...settings } = record.settings as Record<string, unknown>
    return settings
  }
  return record
}

/** The settings object from the command line (flags override `--settings`). */
async function settingsOf(args: ParsedArgs, io: CliIo): Promise<Record<string, unknown>> {
  const file = stringOpt(args, 'settings')
  const settings: Record<string, unknown> = file === undefined ? {} : await settingsFile(io, file)
  const set = (key: string, value: unknown): void => {
    if (value !== undefined) settings[key] = value
  }
  const str = (name: string): string | undefined => stringOpt(args, name)
  const parsed = <T>(name: string, parse: (raw: string) => T): T | undefined => {
    const raw = str(name)
    return raw === undefined ? undefined : parse(raw)
  }
  const whole = (name: string): number | undefined => parsed(name, (raw) => integer(name, raw))
  set('preset', str('preset'))
  set('count', whole('count'))
  set('start', whole('start'))
  set('seed', whole('seed'))
  set('kinds', parsed('kinds', list))
  set('formats', parsed('formats', list))
  set('jsonlStyle', str('jsonl-style'))
  set('sokobanExamples', str('examples'))
  set('vocabulary', str('vocabulary'))
  set('wordPool', parsed('word-pool', list))
  set('variants', parsed('variants', list))
  set('rules', parsed('rules', list))
  set('perRule', whole('per-rule'))
  const heldOut = str('held-out')
  if (heldOut !== undefined) {
    const value = Number(heldOut)
    if (heldOut.trim() === '' || !Number.isFinite(value)) throw new UsageError(`--held-out must be a number; got "${heldOut}".`)
    settings.heldOut = value
  }
  set('dataSource', str('data-source'))
  if (settings.preset === undefined) throw new UsageError('--preset NAME is required (see "sftbench presets").')
  return settings
}

function kilobytes(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} kB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`
}

function splitCounts(counts: Readonly<Record<string, number>>): string {
  return Object.entries(counts).map(([split, n]) => `${split} ${n}`).join(', ')
}

function report(dir: string, manifest: DatasetManifest): string {
  const lines = [
    `Exported preset ${manifest.preset} (${manifest.task}) to ${dir}`,
    `  instances: ${manifest.counts.instances} (${splitCounts(manifest.counts.instancesBySplit)})`,
    `  examples: ${splitCounts(manifest.counts.examplesBySplit)}`,
  ]
  if (Object.keys(manifest.counts.cotBySplit).length > 0) lines.push(`  CoT rows: ${splitCounts(manifest.counts.cotBySplit)}`)
  if (manifest.counts.skipped.length > 0) {
    lines.push(`  skipped: ${manifest.counts.skipped.length} instance(s), e.g. ${manifest.counts.skipped[0].id}: ${manifest.counts.skipped[0].reason}`)
  }
  const width = Math.max(...manifest.files.map((f) => f.path.length))
  lines.push('  files:')
  for (const f of manifest.files) {
    lines.push(`    ${f.path.padEnd(width)}  ${String(f.rows).padStart(6)} rows  ${kilobytes(f.bytes).padStart(9)}  sha256 ${f.sha256.slice(0, 12)}`)
  }
  lines.push(`  manifest: ${MANIFEST_FILE_NAME} (settings, seed ${manifest.seed}, counts, sftbench ${manifest.sftbenchVersion}, hashes)`)
  for (const note of manifest.notes) lines.push(`  note: ${note}`)
  return `${lines.join('\n')}\n`
}

export const exportCommand: Command = {
  name: 'export',
  summary: 'Write a training dataset (SFT, CoT, RL; verl parquet and JSONL) from a preset, with a manifest.',
  usage: 'export --preset NAME --out DIR [options]',
  description: [
    "Writes the preset's instances as training data into DIR: sft/, cot/ and rl/ hold train (and test,",
    'with --held-out) files in the paper\'s verl parquet layouts and as JSONL chat records; instances.jsonl',
    'lists each instance with its content keys (for "sftbench contamination"); manifest.json records every',
    'setting, the seed, the counts, the sftbench version and a SHA-256 of each file. Files are written',
    'atomically. Sokoban rows are one-step examples along the BFS plan (the paper\'s form) unless',
    '--examples whole-plan; answer-only responses read "</think> <answer> X </answer>\\n" after the',
    "prompt's <think>. CoT targets are solver-written traces (sokobanCot, gpCot).",
    '',
    'Examples:',
    '  sftbench export --preset sokoban_6x6_1horizon_train --out data/sokoban   (771 rows, as the paper)',
    '  sftbench export --preset sokoban_6x6_1horizon_train --vocabulary paper-words --out data/diverse',
    '  sftbench export --preset gp_l_train_mixed --count 2000 --kinds sft,rl --held-out 0.1 --out data/gp',
  ].join('\n'),
  options: {
    preset: { type: 'string', value: 'NAME', help: 'The preset to export (see "sftbench presets"). Required.' },
    out: { type: 'string', value: 'DIR', help: 'Folder to write (created if missing). Required.' },
    count: { type: 'string', value: 'N', help: "Instances to use (default all of the preset's)." },
    start: { type: 'string', value: 'I', help: 'First instance of the preset (default 0).' },
    seed: { type: 'string', value: 'S', help: 'Seed of seeded words, variant mixture and held-out split (default 42).' },
    kinds: { type: 'string', value: 'LIST', help: `What to write, from ${DATASET_KINDS.join(',')} (default all).` },
    formats: { type: 'string', value: 'LIST', help: `File formats, from ${DATASET_FORMATS.join(',')} (default both).` },
    'jsonl-style': { type: 'string', value: 'STYLE', help: `JSONL records: ${JSONL_STYLES.join(' or ')} (default messages).` },
    examples: { type: 'string', value: 'FORM', help: `Sokoban examples: ${SOKOBAN_EXAMPLE_FORMS.join(' or ')} (default one-step).` },
    vocabulary: {
      type: 'string',
      value: 'MODE',
      help: `Sokoban per-row words: ${VOCABULARY_MODES.join(', ')} (default variant: what the preset shows).`,
    },
    'word-pool': { type: 'string', value: 'LIST', help: "Words for --vocabulary seeded-words (default the paper's 210)." },
    variants: { type: 'string', value: 'LIST', help: 'Mixture of named variants, one drawn per row (default the preset\'s).' },
    rules: { type: 'string', value: 'LIST', help: 'General Points face-card rule mixture, e.g. all_8,mixed_8_9_10.' },
    'per-rule': { type: 'string', value: 'N', help: 'Hands per rule of --rules (default the preset\'s block, 1250).' },
    'held-out': { type: 'string', value: 'X', help: 'Held-out instances for the test split: a fraction < 1 or a count (default 0).' },
    'data-source': { type: 'string', value: 'NAME', help: 'data_source of every row (default the paper\'s naming).' },
    settings: { type: 'string', value: 'FILE', help: "Settings JSON, or an export's manifest.json to export again; flags override it." },
    force: { type: 'boolean', help: 'Replace an existing export in DIR (or write into a non-empty folder).' },
    json: JSON_OPTION,
  },
  async run(args, io) {
    const out = stringOpt(args, 'out')
    if (out === undefined) throw new UsageError('--out DIR is required.')
    const settings = await settingsOf(args, io)
    const json = flag(args, 'json')
    let progress: ReturnType<typeof startProgress> | undefined
    try {
      const result = await exportDataset(settings, resolve(io.cwd, out), {
        force: flag(args, 'force'),
        onProgress(done, total) {
          progress ??= startProgress(io, 'export', total)
          progress.update(done)
        },
      })
      progress?.finish(`${result.built.instanceSet.count} instances`)
      if (json) printJson(io, { dir: result.dir, manifest: result.manifest })
      else io.stdout(report(result.dir, result.manifest))
      return 0
    } catch (error) {
      progress?.finish()
      if (error instanceof UsageError || error instanceof CliFailure) throw error
      // Settings mistakes are usage errors; everything else (files, folders) is a failure.
      if (error instanceof DatasetSettingsError) throw new UsageError(error.message)
      throw new CliFailure((error as Error).message)
    }
  },
}
