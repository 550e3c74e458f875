/**
 * @module electron/cli/command
 * How a subcommand is declared: its name, help text, options and a run function. Parsing, help
 * and exit codes are handled once, in `main.ts`.
 */
import type { CliIo } from './io.ts'

/** Exit codes: 0 success, 1 the work failed, 2 the command line was wrong. */
export const EXIT_OK = 0
export const EXIT_FAILURE = 1
export const EXIT_USAGE = 2

/** One option, in the shape `node:util` `parseArgs` takes, plus its help line. */
export interface OptionSpec {
  readonly type: 'string' | 'boolean'
  readonly short?: string
  readonly multiple?: boolean
  /** Help text; mention the default here. */
  readonly help: string
  /** Placeholder shown in help, e.g. `N` or `FILE`. */
  readonly value?: string
}

/** The parsed command line handed to a command. */
export interface ParsedArgs {
  readonly values: Record<string, string | boolean | (string | boolean)[] | undefined>
  readonly positionals: string[]
}

/** A subcommand such as `solve` or `gen sokoban`. */
export interface Command {
  /** One or two words, e.g. `solve` or `gen sokoban`. */
  readonly name: string
  /** One line for the command list. */
  readonly summary: string
  /** The usage line after `sftbench`, e.g. `solve FILE.xsb [options]`. */
  readonly usage: string
  /** Longer help: what it does, with an example. */
  readonly description?: string
  readonly options: Readonly<Record<string, OptionSpec>>
  /** Whether positional arguments are allowed (they are listed in `usage`). */
  readonly allowPositionals?: boolean
  run(args: ParsedArgs, io: CliIo): Promise<number> | number
}

/** A command-line mistake: printed with the command's usage, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError'
}

/** A failure of the work itself, printed without a stack trace, exit code 1. */
export class CliFailure extends Error {
  override name = 'CliFailure'
}

/** The common `--json` option. */
export const JSON_OPTION: OptionSpec = { type: 'boolean', help: 'Print one JSON document on stdout instead of text.' }

/** Reads a string option. */
export function stringOpt(args: ParsedArgs, name: string): string | undefined {
  const v = args.values[name]
  return typeof v === 'string' ? v : undefined
}

/** Reads a boolean option. */
export function flag(args: ParsedArgs, name: string): boolean {
  return args.values[name] === true
}

/** Reads an integer option, with bounds, or a default when it is absent. */
export function intOpt(args: ParsedArgs, name: string, fallback: number, min = -Infinity, max = Infinity): number {
  const raw = stringOpt(args, name)
  if (raw === undefined) return fallback
  if (!/^-?\d+$/.test(raw.trim())) throw new UsageError(`--${name} must be an integer; got "${raw}".`)
  const value = Number(raw)
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new UsageError(`--${name} must be between ${min} and ${max}; got ${raw}.`)
  }
  return value
}

/** Reads an integer option with bounds, or undefined when it is absent (no default applies). */
export function optionalIntOpt(args: ParsedArgs, name: string, min: number, max: number): number | undefined {
  return stringOpt(args, name) === undefined ? undefined : intOpt(args, name, 0, min, max)
}

/** Reads a choice option, or a default when it is absent. */
export function choiceOpt<T extends string>(args: ParsedArgs, name: string, choices: readonly T[], fallback: T): T {
  const raw = stringOpt(args, name)
  if (raw === undefined) return fallback
  if (!(choices as readonly string[]).includes(raw)) {
    throw new UsageError(`--${name} must be one of ${choices.join(', ')}; got "${raw}".`)
  }
  return raw as T
}

/** Writes a JSON document followed by a newline. */
export function printJson(io: CliIo, value: unknown): void {
  io.stdout(`${JSON.stringify(value, null, 2)}\n`)
}
