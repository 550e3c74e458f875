/**
 * @module electron/cli/commands/solve
 * `sftbench solve FILE.xsb [--optimal moves|pushes] [--level N] [--max-nodes N] [--time-limit S] [--json]`:
 * solves every level of an XSB file (or one) optimally and prints, per level, the plan in LURD
 * notation, its move and push counts and the search effort. Exit 0 when every level was solved
 * or proved unsolvable, 1 when any search gave up or the file cannot be read or parsed.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { Level } from '../../../core/sokoban/level.ts'
import { LevelParseError, parseXsb } from '../../../core/sokoban/xsb.ts'
import { SOLVE_DEFAULT_MAX_NODES, solve, type SolveResult } from '../../../core/sokoban/solve/index.ts'
import {
  CliFailure,
  EXIT_FAILURE,
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
import type { CliIo } from '../io.ts'
import { startProgress } from '../progress.ts'

/** Files with at least this many levels to solve get a progress bar on stderr. */
const PROGRESS_FROM = 5

/** One solved (or not) level, as printed by --json. */
interface LevelReport {
  /** 1-based position of the level in the file. */
  readonly level: number
  readonly title?: string
  readonly status: SolveResult['status']
  readonly reason?: string
  readonly lurd: string
  readonly moveCount: number
  readonly pushCount: number
  readonly stats: SolveResult['stats']
}

function readLevels(file: string, io: CliIo): Level[] {
  const fullPath = path.resolve(io.cwd, file)
  let text: string
  try {
    text = readFileSync(fullPath, 'utf8')
  } catch (error) {
    throw new CliFailure(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`)
  }
  try {
    return parseXsb(text)
  } catch (error) {
    if (error instanceof LevelParseError) {
      throw new CliFailure(`${file}:${error.line}:${error.column}: ${error.message}`)
    }
    throw error
  }
}

function timeLimitOption(raw: string | undefined): number {
  if (raw === undefined) return Infinity
  const seconds = Number(raw)
  if (raw.trim() === '' || !Number.isFinite(seconds) || seconds <= 0) {
    throw new UsageError(`--time-limit must be a positive number of seconds; got "${raw}".`)
  }
  return seconds * 1000
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`
}

function counted(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`
}

function formatReport(report: LevelReport): string {
  const name = `Level ${report.level}${report.title ? ` (${report.title})` : ''}`
  const { expanded, generated, deadlocksPruned, elapsedMs } = report.stats
  const effort =
    `  search: ${expanded} expanded, ${generated} generated, ${deadlocksPruned} deadlocks pruned, ` +
    formatMs(elapsedMs)
  if (report.status === 'solved') {
    const counts = `${counted(report.moveCount, 'move', 'moves')}, ${counted(report.pushCount, 'push', 'pushes')}`
    return `${name}: solved in ${counts}\n  ${report.lurd || '(already solved)'}\n${effort}\n`
  }
  if (report.status === 'unsolvable') return `${name}: no solution (proved)\n${effort}\n`
  return `${name}: gave up (${report.reason})\n${effort}\n`
}

/** `sftbench solve`: optimal solutions of the levels of an XSB file. */
export const solveCommand: Command = {
  name: 'solve',
  summary: 'Solve Sokoban levels from an XSB file optimally (fewest pushes or fewest moves).',
  usage: 'solve FILE.xsb [options]',
  description: [
    'Solves each level of the file (or only --level N, counting from 1) with A*: fewest pushes by default,',
    'or fewest moves with --optimal moves. Prints the plan in LURD notation (capitals are pushes), its move',
    'and push counts, and the search effort. A level can end "solved", "no solution (proved)" or',
    '"gave up (node limit / time limit)". Exit 0 when every level was solved or proved unsolvable, 1 when a',
    'search gave up or the file cannot be read or parsed.',
    '',
    'Example: sftbench solve levels.xsb --level 3 --time-limit 10',
  ].join('\n'),
  options: {
    optimal: { type: 'string', value: 'WHAT', help: 'What to minimise: pushes (default) or moves.' },
    level: { type: 'string', value: 'N', help: 'Solve only the N-th level of the file (1-based).' },
    'max-nodes': {
      type: 'string',
      value: 'N',
      help: `Give up on a level after expanding N search nodes (default ${SOLVE_DEFAULT_MAX_NODES}).`,
    },
    'time-limit': { type: 'string', value: 'S', help: 'Give up on a level after S seconds (default: no limit).' },
    json: JSON_OPTION,
  },
  allowPositionals: true,
  run(args, io) {
    if (args.positionals.length !== 1) {
      throw new UsageError(`give exactly one level file; got ${args.positionals.length} arguments.`)
    }
    const file = args.positionals[0]
    const optimal = choiceOpt(args, 'optimal', ['pushes', 'moves'] as const, 'pushes')
    const maxNodes = intOpt(args, 'max-nodes', SOLVE_DEFAULT_MAX_NODES, 1, 2 ** 31 - 1)
    const timeLimitMs = timeLimitOption(stringOpt(args, 'time-limit'))
    const json = flag(args, 'json')
    const levels = readLevels(file, io)
    const only = optionalIntOpt(args, 'level', 1, levels.length)
    const chosen =
      only === undefined ? levels.map((level, i) => [i + 1, level] as const) : [[only, levels[only - 1]] as const]

    const progress = startProgress(io, 'solving', chosen.length, chosen.length >= PROGRESS_FROM)
    const reports: LevelReport[] = []
    for (const [number, level] of chosen) {
      const result = solve(level, { optimal, maxNodes, timeLimitMs, clock: () => performance.now() })
      const report: LevelReport = {
        level: number,
        ...(level.title === undefined ? {} : { title: level.title }),
        status: result.status,
        ...(result.reason === undefined ? {} : { reason: result.reason }),
        lurd: result.lurd,
        moveCount: result.moveCount,
        pushCount: result.pushCount,
        stats: result.stats,
      }
      reports.push(report)
      if (!json) io.stdout(formatReport(report))
      progress.update(reports.length)
    }
    const count = (status: SolveResult['status']): number => reports.filter((r) => r.status === status).length
    const summary = {
      levels: reports.length,
      solved: count('solved'),
      unsolvable: count('unsolvable'),
      gaveUp: count('gave-up'),
    }
    progress.finish(`${summary.solved}/${summary.levels} solved`)
    if (json) {
      const timeLimitSeconds = Number.isFinite(timeLimitMs) ? timeLimitMs / 1000 : null
      printJson(io, { file, optimal, maxNodes, timeLimitSeconds, levels: reports, summary })
    } else if (reports.length > 1) {
      const { levels: total, solved, unsolvable, gaveUp } = summary
      io.stdout(`${total} levels: ${solved} solved, ${unsolvable} proved unsolvable, ${gaveUp} gave up\n`)
    }
    return summary.gaveUp > 0 ? EXIT_FAILURE : EXIT_OK
  },
}
