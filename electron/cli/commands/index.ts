/**
 * @module electron/cli/commands
 * The list of subcommands, in the order `sftbench --help` shows them.
 */
import type { Command } from '../command.ts'
import { solve24Command } from './solve24.ts'
import { genGpCommand } from './gen-gp.ts'
import { genSokobanCommand } from './gen-sokoban.ts'
import { solveCommand } from './solve.ts'
import { presetsCommand } from './presets.ts'
import { promptCommand } from './prompt.ts'
import { contaminationCommand } from './contamination.ts'
import { exportCommand } from './export.ts'
import { importCommand } from './import.ts'
import { generateCommand } from './generate.ts'
import { inspectCommand } from './inspect.ts'
import { evalCommand } from './eval.ts'
import { serveModelCommand } from './serve-model.ts'
import { serveCommand } from './serve.ts'
import { reportCommand } from './report.ts'
import { compareCommand } from './compare.ts'

export const COMMANDS: readonly Command[] = [
  compareCommand,
  contaminationCommand,
  evalCommand,
  exportCommand,
  genGpCommand,
  genSokobanCommand,
  generateCommand,
  importCommand,
  inspectCommand,
  presetsCommand,
  promptCommand,
  reportCommand,
  serveCommand,
  serveModelCommand,
  solve24Command,
  solveCommand,
]
