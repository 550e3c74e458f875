/**
 * @module electron/cli/commands
 * The list of subcommands, in the order `sftbench --help` shows them.
 */
import type { Command } from '../command.ts'

export const COMMANDS: readonly Command[] = []
