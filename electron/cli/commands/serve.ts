/**
 * @module electron/cli/commands/serve
 * `sftbench serve [--port P] [--host H] [--workspace DIR] [--model DIR | --no-model] [--web DIR]`: the app in a
 * browser, like Jupyter on a remote GPU box. It serves the built renderer and the app's API over
 * HTTP + WebSocket on 127.0.0.1, behind a random token, and prints the URL to open as its first
 * line on stdout:
 *
 *     sftbench serving at http://127.0.0.1:8765/?token=4fJ0…
 *
 * It starts whether or not a model is available: the default model loads in the background, and a
 * failure becomes the model status the page shows. Ctrl-C or SIGTERM stops it cleanly (sweeps are
 * cancelled with their finished cells kept, the model is unloaded).
 */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ModelStatus } from '../../../core/contract/api.ts'
import { createBackend, type Backend } from '../../app/backend.ts'
import { startServer, type RunningServer } from '../../server/server.ts'
import { CliFailure, EXIT_OK, UsageError, flag, intOpt, stringOpt, type Command, type ParsedArgs } from '../command.ts'
import type { CliIo } from '../io.ts'
import { isLoopbackHost, untilStopSignal } from '../serving.ts'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')

/** The port `serve` listens on when none is given. */
export const DEFAULT_SERVE_PORT = 8765
/** The model loaded when none is named: the bundled sample model that solves 6x6 Sokoban (samples/models/). */
export const DEFAULT_MODEL_DIR = path.join(ROOT, 'samples', 'models', 'frozen')
/** The built renderer. */
export const RENDERER_DIR = path.join(ROOT, 'dist', 'renderer')

/** What `serve` runs with, after the command line is read. */
export interface ServeSettings {
  readonly port: number
  readonly host: string
  readonly workspace: string
  readonly model: string | null
  readonly rendererDir: string
}

/** Reads the command line (relative paths against `io.cwd`). */
export function serveSettings(args: ParsedArgs, io: CliIo): ServeSettings {
  const port = intOpt(args, 'port', DEFAULT_SERVE_PORT, 0, 65535)
  const host = stringOpt(args, 'host') ?? '127.0.0.1'
  if (host.trim() === '') throw new UsageError('--host must not be empty.')
  const named = stringOpt(args, 'model')
  if (named !== undefined && flag(args, 'no-model')) throw new UsageError('give --model DIR or --no-model, not both.')
  const model = flag(args, 'no-model') ? null : named === undefined ? DEFAULT_MODEL_DIR : path.resolve(io.cwd, named)
  const workspace = path.resolve(io.cwd, stringOpt(args, 'workspace') ?? '.')
  const web = stringOpt(args, 'web')
  return { port, host, workspace, model, rendererDir: web === undefined ? RENDERER_DIR : path.resolve(io.cwd, web) }
}

function describeStatus(status: ModelStatus): string | null {
  switch (status.state) {
    case 'loading':
      return `model: loading ${status.dir}`
    case 'ready': {
      const took = status.loadMs === null ? '' : ` in ${(status.loadMs / 1000).toFixed(2)} s`
      return `model: ${status.info?.name ?? status.dir} ready on ${status.provider}${took}`
    }
    case 'failed':
      return `model: ${status.dir} did not load: ${status.error}`
    case 'none':
      return null
  }
}

/**
 * Serves until `stop` resolves (with the signal's name), then shuts down. Prints the URL first on
 * stdout; everything else goes to stderr.
 */
export async function serve(settings: ServeSettings, io: CliIo, stop: Promise<string>): Promise<number> {
  if (!fs.existsSync(settings.workspace) || !fs.statSync(settings.workspace).isDirectory()) {
    throw new CliFailure(`The workspace ${settings.workspace} is not a folder; create it or pass another with --workspace DIR.`)
  }
  const log = (message: string): void => io.stderr(`${message}\n`)
  const backend: Backend = await createBackend({ workspace: settings.workspace, defaultModel: settings.model, log })
  const stopModelLog = backend.events((channel, payload) => {
    if (channel !== 'wb:models.changed') return
    const line = describeStatus(payload as ModelStatus)
    if (line !== null) log(line)
  })
  let server: RunningServer
  try {
    server = await startServer({ backend, rendererDir: settings.rendererDir, host: settings.host, port: settings.port, log })
  } catch (error) {
    stopModelLog()
    await backend.dispose()
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'EADDRINUSE') {
      throw new CliFailure(`Port ${settings.port} on ${settings.host} is already in use; pick another with --port (0 picks a free one).`)
    }
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
      throw new CliFailure(`Cannot listen on ${settings.host}: it is not an address of this machine.`)
    }
    throw error
  }
  io.stdout(`sftbench serving at ${server.url}\n`)
  log(`workspace: ${backend.workspace}`)
  if (settings.model === null) log('model: none (load one from the page)')
  if (!fs.existsSync(path.join(settings.rendererDir, 'index.html'))) {
    log(
      settings.rendererDir === RENDERER_DIR
        ? `The web app is not built (${settings.rendererDir} has no index.html); run "npm run build:web". The page says so until then.`
        : `${settings.rendererDir} has no index.html: --web must name a built web app (the output of "npm run build:web"). The page says so until then.`,
    )
  }
  if (!isLoopbackHost(settings.host)) {
    log(
      `warning: listening on ${settings.host}, so other machines can reach this server. Anyone with the URL's token ` +
        'can run models and read and write files in the workspace. Prefer 127.0.0.1 with an SSH tunnel.',
    )
  }
  const signal = await stop
  log(`${signal}: stopping the server.`)
  try {
    await server.close()
  } finally {
    stopModelLog()
    await backend.dispose()
  }
  return EXIT_OK
}

/** `sftbench serve`: see the module comment. */
export const serveCommand: Command = {
  name: 'serve',
  summary: 'Serve the app to a browser (HTTP + WebSocket, token-protected, 127.0.0.1 by default).',
  usage: 'serve [--port P] [--host H] [--workspace DIR] [--model DIR | --no-model] [--web DIR]',
  description: [
    'Serves the notebook app and its API to a browser. The first line on stdout is the URL to open; it',
    'carries a random access token, and requests without it (or the cookie it sets) are refused.',
    'Files the app reads and writes stay inside the workspace folder. The model loads in the background;',
    'the server starts even when it cannot load. Ctrl-C stops it.',
    '',
    'Example: sftbench serve --workspace ~/experiments',
    '         ssh -L 8765:127.0.0.1:8765 gpu-box   # then open the printed URL locally',
  ].join('\n'),
  options: {
    port: { type: 'string', value: 'P', help: `The port (default ${DEFAULT_SERVE_PORT}; 0 picks a free one).` },
    host: { type: 'string', value: 'H', help: 'The address to listen on (default 127.0.0.1; others print a warning).' },
    workspace: { type: 'string', value: 'DIR', help: 'The folder notebooks and runs live in (default: the current folder).' },
    model: { type: 'string', value: 'DIR', help: 'The model folder to load at start (default: the bundled sample model).' },
    'no-model': { type: 'boolean', help: 'Start without loading a model.' },
    web: { type: 'string', value: 'DIR', help: 'Serve the web app built in DIR (default: dist/renderer), e.g. a copy of an earlier build to compare.' },
  },
  run(args, io) {
    return serve(serveSettings(args, io), io, untilStopSignal())
  },
}
