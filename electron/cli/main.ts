/**
 * @module electron/cli/main
 * The `sftbench` command line: dispatch, help and exit codes. Subcommands live in `commands/`
 * and are listed in `commands/index.ts`.
 */
import { parseArgs } from 'node:util'
import { COMMANDS } from './commands/index.ts'
import { CliFailure, EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError, type Command, type OptionSpec } from './command.ts'
import { processIo, type CliIo } from './io.ts'

const HELP_OPTION: OptionSpec = { type: 'boolean', short: 'h', help: 'Show this help.' }

/** Runs the CLI with `argv` (without the node and script paths) and returns the exit code. */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    io.stdout(topLevelHelp(await Promise.all(COMMANDS.map((c) => c.load()))))
    return argv.length === 0 ? EXIT_USAGE : EXIT_OK
  }
  if (argv[0] === '--version') {
    io.stdout('sftbench 0.1.0\n')
    return EXIT_OK
  }
  const command = await findCommand(argv)
  if (!command) {
    const group = await Promise.all(COMMANDS.filter((c) => c.name.split(' ')[0] === argv[0]).map((c) => c.load()))
    if (group.length > 0) {
      // `sftbench gen --help` lists the group as help; `sftbench gen` or `gen nope` is a usage error.
      const list = `Use one of:\n${group.map((c) => `  sftbench ${c.usage}`).join('\n')}\n`
      const unknown = argv[1] !== undefined && !argv[1].startsWith('-')
      if (!unknown && (argv.includes('--help') || argv.includes('-h'))) {
        io.stdout(list)
        return EXIT_OK
      }
      io.stderr(`${unknown ? `"${argv[0]} ${argv[1]}" is not a command. ` : ''}${list}`)
      return EXIT_USAGE
    }
    io.stderr(`Unknown command "${argv[0]}". Run "sftbench --help" for the list of commands.\n`)
    return EXIT_USAGE
  }
  const rest = argv.slice(command.name.split(' ').length)
  let parsed
  try {
    parsed = parseArgs({
      args: rest,
      options: { ...command.options, help: HELP_OPTION },
      allowPositionals: command.allowPositionals ?? false,
      strict: true,
    })
  } catch (error) {
    const help = `Run "sftbench ${command.name} --help" for details.`
    io.stderr(`${(error as Error).message}\n\nUsage: sftbench ${command.usage}\n${help}\n`)
    return EXIT_USAGE
  }
  if (parsed.values.help) {
    io.stdout(commandHelp(command))
    return EXIT_OK
  }
  try {
    return await command.run({ values: parsed.values, positionals: parsed.positionals }, io)
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`${error.message}\n\nUsage: sftbench ${command.usage}\n`)
      return EXIT_USAGE
    }
    if (error instanceof CliFailure) {
      io.stderr(`${error.message}\n`)
      return EXIT_FAILURE
    }
    io.stderr(`sftbench ${command.name} failed: ${(error as Error).stack ?? String(error)}\n`)
    return EXIT_FAILURE
  }
}

/** Loads only the command named by `argv` (two-word names first), so start-up stays light. */
async function findCommand(argv: string[]): Promise<Command | undefined> {
  const two = `${argv[0]} ${argv[1] ?? ''}`
  const entry = COMMANDS.find((c) => c.name === two) ?? COMMANDS.find((c) => c.name === argv[0])
  return entry?.load()
}

function topLevelHelp(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length))
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`)
  return [
    'sftbench: a workbench for probing language models on Sokoban and General Points.',
    '',
    'Usage: sftbench COMMAND [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Run "sftbench COMMAND --help" for the options of a command.',
    'Exit codes: 0 ok, 1 the work failed, 2 the command line was wrong.',
    '',
  ].join('\n')
}

/** The help text of one command. */
function commandHelp(command: Command): string {
  const options = Object.entries({ ...command.options, help: HELP_OPTION })
  const rendered = options.map(([name, spec]) => {
    const short = spec.short ? `-${spec.short}, ` : ''
    const value = spec.type === 'string' ? ` ${spec.value ?? 'VALUE'}` : ''
    return [`  ${short}--${name}${value}`, spec.help] as const
  })
  const width = Math.max(...rendered.map(([left]) => left.length))
  return [
    `Usage: sftbench ${command.usage}`,
    '',
    command.summary,
    ...(command.description ? ['', command.description] : []),
    '',
    'Options:',
    ...rendered.map(([left, help]) => `${left.padEnd(width)}  ${help}`),
    '',
  ].join('\n')
}
