/**
 * The set-up every browser test block shares: the renderer built, a temporary workspace, a
 * `sftbench serve` on it and headless Chromium, started before the block's tests and removed after.
 * Kept apart from harness.ts, which the benchmarks import outside the test runner.
 */
import { afterAll, beforeAll } from 'vitest'
import type { Browser } from 'playwright-core'
import { ensureRendererBuilt, launchBrowser, makeWorkspace, startServer, type ServerHandle } from './harness.ts'

export interface E2eEnvOptions {
  /** The workspace folder's name prefix (it names the run in leftover temp folders). */
  readonly prefix?: string
  /** Fills the workspace (notebooks, run folders) before the server starts. */
  readonly prepare?: (dir: string) => void | Promise<void>
  /** The server's arguments (default: no model, so tests load what their notebook names). */
  readonly serverArgs?: (dir: string) => string[]
}

/** What a block's tests use; each field is there once the block's `beforeAll` has run. */
export interface E2eEnv {
  /** The workspace folder. */
  readonly dir: string
  readonly server: ServerHandle
  readonly browser: Browser
  /** Stops the server and starts a new one on the same workspace (the app closed and reopened). */
  restartServer(): Promise<ServerHandle>
}

function started<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`The e2e ${what} is not started yet: use it inside a test or hook of the block.`)
  return value
}

/** Registers the block's `beforeAll` and `afterAll`, and returns their handles. Call it in a `describe`. */
export function e2eEnv(options: E2eEnvOptions = {}): E2eEnv {
  let workspace: { dir: string; remove(): void } | undefined
  let server: ServerHandle | undefined
  let browser: Browser | undefined
  const serverArgs = options.serverArgs ?? (() => ['--no-model'])
  const start = (dir: string): Promise<ServerHandle> => startServer({ workspace: dir, args: serverArgs(dir) })

  beforeAll(async () => {
    await ensureRendererBuilt()
    workspace = makeWorkspace(options.prefix)
    await options.prepare?.(workspace.dir)
    server = await start(workspace.dir)
    browser = await launchBrowser()
  }, 240_000)

  afterAll(async () => {
    await browser?.close()
    await server?.stop()
    workspace?.remove()
  }, 60_000)

  return {
    get dir() {
      return started(workspace, 'workspace').dir
    },
    get server() {
      return started(server, 'server')
    },
    get browser() {
      return started(browser, 'browser')
    },
    async restartServer() {
      const dir = started(workspace, 'workspace').dir
      await server?.stop()
      server = undefined
      server = await start(dir)
      return server
    },
  }
}
