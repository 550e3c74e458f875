/**
 * @module electron/cli/commands/presets
 * `sftbench presets [--task sokoban|gp] [--json]`: lists the paper's splits as presets, with task,
 * role, difficulty, size, seed scheme and the variant each one uses.
 */
import { PRESETS, describeSeedScheme, type Preset } from '../../../core/experiment/presets.ts'
import { describeDifficulty } from '../../../core/experiment/difficulty.ts'
import { JSON_OPTION, choiceOpt, flag, printJson, type Command } from '../command.ts'

/** One preset as `--json` prints it. */
interface PresetRecord {
  name: string
  task: string
  role: string
  description: string
  difficulty: Preset['instanceSet']['difficulty']
  difficultyText: string
  size: number
  seedScheme: Preset['instanceSet']['seedScheme']
  seeds: string
  variant: string
  source: string
  notes: readonly string[]
  nonReproducible: Preset['nonReproducible']
}

function record(p: Preset): PresetRecord {
  return {
    name: p.name,
    task: p.task,
    role: p.role,
    description: p.description,
    difficulty: p.instanceSet.difficulty,
    difficultyText: describeDifficulty(p.instanceSet.difficulty),
    size: p.instanceSet.count,
    seedScheme: p.instanceSet.seedScheme,
    seeds: describeSeedScheme(p.instanceSet),
    variant: p.variant.name,
    source: p.source,
    notes: p.notes,
    nonReproducible: p.nonReproducible,
  }
}

/** Left-aligned columns separated by two spaces; the last column is not padded. */
function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)))
  const line = (cells: readonly string[]): string =>
    cells.map((cell, c) => (c === cells.length - 1 ? cell : cell.padEnd(widths[c]))).join('  ')
  return [line(header), ...rows.map(line)].join('\n') + '\n'
}

export const presetsCommand: Command = {
  name: 'presets',
  summary: "List the paper's splits as presets (eval tags, test splits, training data).",
  usage: 'presets [--task sokoban|gp] [--json]',
  description: [
    'Each preset is an instance set (which puzzles or hands, from which seeds) and the variant the paper',
    'used for it. Use a name with "sftbench prompt --preset NAME". A "!" after the size marks presets with',
    "levels the paper's own code cannot rebuild (salted-hash retry path); --json lists them with the reason.",
    '',
    'Example: sftbench presets --task sokoban',
  ].join('\n'),
  options: {
    task: { type: 'string', value: 'TASK', help: 'Only presets of this task: sokoban or gp (default both).' },
    json: JSON_OPTION,
  },
  run(args, io) {
    const task = choiceOpt(args, 'task', ['all', 'sokoban', 'gp'] as const, 'all')
    const chosen = PRESETS.filter((p) => task === 'all' || p.task === task)
    if (flag(args, 'json')) {
      printJson(io, chosen.map(record))
      return 0
    }
    const rows = chosen.map((p) => [
      p.name,
      p.task,
      p.role,
      describeDifficulty(p.instanceSet.difficulty),
      `${p.instanceSet.count}${p.nonReproducible.length > 0 ? '!' : ''}`,
      describeSeedScheme(p.instanceSet),
      p.variant.name,
    ])
    io.stdout(table(['NAME', 'TASK', 'ROLE', 'DIFFICULTY', 'SIZE', 'SEEDS', 'VARIANT'], rows))
    return 0
  },
}
