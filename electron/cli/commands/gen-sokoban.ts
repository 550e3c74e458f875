/**
 * @module electron/cli/commands/gen-sokoban
 * `sftbench gen sokoban --size 6x6 --boxes 1 --count N --seed S [...]`: generates seeded Sokoban
 * levels with the reverse-play generator (environments.md §4). Level i depends only on
 * (seed, i), so `--start` picks up any slice of a run.
 */
import {
  GenerationError,
  generateLevel,
  validateGeneratorConfig,
  type GeneratedLevel,
  type GeneratorConfig,
  type ResolvedGeneratorConfig,
} from '../../../core/sokoban/generate.ts'
import { serializeXsb, serializeXsbFile } from '../../../core/sokoban/xsb.ts'
import { renderPaperGrid } from '../../../core/sokoban/text.ts'
import { toLurd } from '../../../core/sokoban/solve/index.ts'
import {
  CliFailure,
  EXIT_OK,
  JSON_OPTION,
  UsageError,
  choiceOpt,
  flag,
  intOpt,
  optionalIntOpt,
  printJson,
  stringOpt,
  type Command,
} from '../command.ts'
import { startProgress } from '../progress.ts'

/** Runs of at least this many levels get a progress bar on stderr. */
const PROGRESS_FROM = 50

const FORMATS = ['xsb', 'paper', 'json'] as const

/** One level as `--format json` prints it. */
interface LevelRecord {
  index: number
  seed: number
  /** The board in XSB, rows joined by "\n", without the title. */
  xsb: string
  rows: number
  cols: number
  boxes: number
  /** Move-optimal solution length, or null when the BFS ran out of its state budget. */
  optimalMoves: number | null
  /** A solution in LURD notation (capitals push): the reverse-play path replayed forwards. */
  reverseMoves: string
}

/** Reads `--size`: `RxC` (rows × columns) or a single number for a square room. */
function parseSize(raw: string | undefined): { rows: number; cols: number } {
  if (raw === undefined) return { rows: 6, cols: 6 }
  const m = /^\s*(\d+)\s*(?:[x×]\s*(\d+))?\s*$/i.exec(raw)
  if (m === null) throw new UsageError(`--size must look like 6x6 (rows x columns) or 6; got "${raw}".`)
  return { rows: Number(m[1]), cols: Number(m[2] ?? m[1]) }
}

function record(made: GeneratedLevel, seed: number, index: number, cfg: ResolvedGeneratorConfig): LevelRecord {
  return {
    index,
    seed,
    xsb: serializeXsb(made.level),
    rows: cfg.rows,
    cols: cfg.cols,
    boxes: cfg.boxes,
    optimalMoves: made.optimalMoves ?? null,
    reverseMoves: toLurd(made.level, made.reverseMoves),
  }
}

/** `sftbench gen sokoban`: seeded levels from the reverse-play generator. */
export const genSokobanCommand: Command = {
  name: 'gen sokoban',
  summary: 'Generate seeded Sokoban levels by reverse play (gym-sokoban style).',
  usage: 'gen sokoban [--size 6x6] [--boxes 1] [--count N] [--seed S] [options]',
  description: [
    'Carves a room by random walk, puts the boxes on their targets and plays backwards (pulls and',
    'moves, as gym-sokoban), keeping the best-scoring state; the player then wanders 1-3 steps (RAGEN).',
    'Each level is the best of --candidates such rooms. Every level is solvable: its reverse plan',
    'solves it. Formats: xsb (a multi-level XSB file titled "; <seed>-<i>"), paper (the paper\'s',
    'tab-separated text grid, levels separated by a blank line) or json (with the optimal move count).',
    '',
    'Example: sftbench gen sokoban --size 10x10 --boxes 3 --count 20 --seed 7 --min-moves 20',
  ].join('\n'),
  options: {
    size: { type: 'string', value: 'RxC', help: 'Room size, rows x columns, 3 to 64 each (default 6x6).' },
    boxes: { type: 'string', value: 'N', help: 'Boxes per level (default 1).' },
    count: { type: 'string', value: 'N', help: 'How many levels (default 10).' },
    seed: { type: 'string', value: 'S', help: 'Seed (default 0).' },
    start: { type: 'string', value: 'I', help: 'Index of the first level (default 0).' },
    format: { type: 'string', value: 'FMT', help: 'xsb, paper or json (default xsb).' },
    'search-depth': { type: 'string', value: 'D', help: 'Reverse-search TTL as in gym-sokoban (default 300; the paper uses 30).' },
    'state-budget': { type: 'string', value: 'B', help: 'Distinct states each reverse search may explore (default 300000).' },
    'walk-steps': { type: 'string', value: 'W', help: 'Random-walk steps that carve the room (default 1.7 x (rows + cols)).' },
    candidates: { type: 'string', value: 'K', help: 'Rooms tried per level; the best-scoring one is kept (default 3; gym-sokoban is 1).' },
    'min-moves': { type: 'string', value: 'A', help: 'Keep only levels whose optimal solution has at least A moves.' },
    'max-moves': { type: 'string', value: 'B', help: 'Keep only levels whose optimal solution has at most B moves.' },
    'reject-trivial': { type: 'boolean', help: 'Drop levels solvable in at most one move per box.' },
    'max-attempts': { type: 'string', value: 'N', help: 'Attempts per level before failing (default 100).' },
    'no-player-walk': { type: 'boolean', help: 'Leave the player where the reverse search ended (gym-sokoban).' },
    json: { ...JSON_OPTION, help: 'Same as --format json.' },
  },
  run(args, io) {
    const { rows, cols } = parseSize(stringOpt(args, 'size'))
    const count = intOpt(args, 'count', 10, 1, 10_000_000)
    const seed = intOpt(args, 'seed', 0, 0, Number.MAX_SAFE_INTEGER)
    const start = intOpt(args, 'start', 0, 0, Number.MAX_SAFE_INTEGER - count)
    const format = flag(args, 'json') ? 'json' : choiceOpt(args, 'format', FORMATS, 'xsb')
    if (flag(args, 'json') && stringOpt(args, 'format') !== undefined && stringOpt(args, 'format') !== 'json') {
      throw new UsageError(`--json contradicts --format ${stringOpt(args, 'format')}; give one of them.`)
    }
    // Options left out stay undefined, so the generator fills in its own defaults.
    const config: GeneratorConfig = {
      rows,
      cols,
      boxes: intOpt(args, 'boxes', 1, 1, 1000),
      playerWalk: !flag(args, 'no-player-walk'),
      rejectTrivial: flag(args, 'reject-trivial'),
      computeOptimal: format === 'json',
      searchDepth: optionalIntOpt(args, 'search-depth', 3, 100_000),
      stateBudget: optionalIntOpt(args, 'state-budget', 1, 5_000_000),
      walkSteps: optionalIntOpt(args, 'walk-steps', 1, 100_000),
      candidates: optionalIntOpt(args, 'candidates', 1, 64),
      maxAttempts: optionalIntOpt(args, 'max-attempts', 1, 1_000_000),
      minOptimalMoves: optionalIntOpt(args, 'min-moves', 0, 100_000),
      maxOptimalMoves: optionalIntOpt(args, 'max-moves', 1, 100_000),
    }
    let cfg: ResolvedGeneratorConfig
    try {
      cfg = validateGeneratorConfig(config)
    } catch (error) {
      if (error instanceof GenerationError) throw new UsageError(error.message.replace(/^Generator config: /, ''))
      throw error
    }

    const records: LevelRecord[] = []
    const progress = startProgress(io, 'generating', count, count >= PROGRESS_FROM)
    for (let k = 0; k < count; k++) {
      const index = start + k
      let made: GeneratedLevel
      try {
        made = generateLevel(config, seed, index)
      } catch (error) {
        if (error instanceof GenerationError) throw new CliFailure(`gen sokoban: ${error.message}`)
        throw error
      }
      if (format === 'json') records.push(record(made, seed, index, cfg))
      else if (format === 'xsb') io.stdout((k > 0 ? '\n' : '') + serializeXsbFile([made.level]))
      else io.stdout(`${k > 0 ? '\n\n' : ''}${renderPaperGrid(made.level, made.level.start)}`)
      progress.update(k + 1)
    }
    progress.finish()
    if (format === 'json') printJson(io, records)
    else if (format === 'paper') io.stdout('\n')
    return EXIT_OK
  },
}
