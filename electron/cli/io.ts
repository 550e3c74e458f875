/**
 * @module electron/cli/io
 * The CLI's view of the terminal, injected so commands can be run and tested in-process.
 */

/** Where a command writes. `stdout` carries results only; progress and messages go to `stderr`. */
export interface CliIo {
  stdout(text: string): void
  stderr(text: string): void
  /** True when stderr is an interactive terminal (progress bars redraw in place). */
  readonly stderrIsTty: boolean
  /** The folder relative paths are resolved against. */
  readonly cwd: string
}

/** The process's own terminal. */
export function processIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    stderrIsTty: Boolean(process.stderr.isTTY),
    cwd: process.cwd(),
  }
}

/** An in-memory terminal for tests. */
export function captureIo(cwd = process.cwd()): CliIo & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    stderrIsTty: false,
    cwd,
    stdout(text: string) {
      io.out += text
    },
    stderr(text: string) {
      io.err += text
    },
  }
  return io
}
