/**
 * @module electron/cli/commands
 * The list of subcommands, in the order `sftbench --help` shows them. Each is loaded only when it
 * runs (or for help), so a light command such as `solve24` does not pay for the modules of `serve`
 * or `export` at start-up.
 */
import type { Command } from '../command.ts'

/** A subcommand's name (one or two words) and how to load it. */
export interface CommandEntry {
  readonly name: string
  load(): Promise<Command>
}

export const COMMANDS: readonly CommandEntry[] = [
  { name: 'compare', load: async () => (await import('./compare.ts')).compareCommand },
  { name: 'contamination', load: async () => (await import('./contamination.ts')).contaminationCommand },
  { name: 'eval', load: async () => (await import('./eval.ts')).evalCommand },
  { name: 'export', load: async () => (await import('./export.ts')).exportCommand },
  { name: 'gen gp', load: async () => (await import('./gen-gp.ts')).genGpCommand },
  { name: 'gen sokoban', load: async () => (await import('./gen-sokoban.ts')).genSokobanCommand },
  { name: 'generate', load: async () => (await import('./generate.ts')).generateCommand },
  { name: 'import', load: async () => (await import('./import.ts')).importCommand },
  { name: 'inspect', load: async () => (await import('./inspect.ts')).inspectCommand },
  { name: 'presets', load: async () => (await import('./presets.ts')).presetsCommand },
  { name: 'prompt', load: async () => (await import('./prompt.ts')).promptCommand },
  { name: 'report', load: async () => (await import('./report.ts')).reportCommand },
  { name: 'serve', load: async () => (await import('./serve.ts')).serveCommand },
  { name: 'serve-model', load: async () => (await import('./serve-model.ts')).serveModelCommand },
  { name: 'solve24', load: async () => (await import('./solve24.ts')).solve24Command },
  { name: 'solve', load: async () => (await import('./solve.ts')).solveCommand },
]
