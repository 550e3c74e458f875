/**
 * @module test/harness/cli
 * Runs the `sftbench` command line in-process, the way a user's shell would, and captures what
 * it printed.
 */
import { main } from '../../electron/cli/main.ts'
import { captureIo } from '../../electron/cli/io.ts'

/** The exit code and the captured output of one CLI run. */
export interface CliRun {
  readonly code: number
  readonly out: string
  readonly err: string
}

/** Runs `sftbench ...argv` in-process with a captured terminal. */
export async function runCli(argv: readonly string[]): Promise<CliRun> {
  const io = captureIo()
  const code = await main([...argv], io)
  return { code, out: io.out, err: io.err }
}
