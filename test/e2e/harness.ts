/**
 * @module test/e2e/harness
 * The end-to-end harness: builds the renderer when it is missing or older than its sources, starts a
 * real `sftbench serve` as a child process on a free loopback port, and drives Debian's Chromium
 * through playwright-core. The benchmark section `ui` uses the same pieces.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core'

/** The repository root. */
export const REPO_ROOT = path.resolve(import.meta.dirname, '../..')

/** Where Debian's `chromium` package installs the browser. */
export const CHROMIUM_PATH = '/usr/bin/chromium'

/** Screenshots land here (CI keeps the folder as a test artifact). */
export const ARTIFACTS_DIR = path.join(REPO_ROOT, 'test-artifacts', 'e2e')

/**
 * Flags for a headless Chromium on a CI machine: no sandbox (CI runs as root), no GPU, no /dev/shm,
 * none of the background services that try to reach the network, and no omnibox popup. Chromium
 * builds that popup (a page of its own UI) when it starts, headless too, and on a 2-core machine it
 * took as much CPU as the app's page during the page's first second; the desktop window has no
 * omnibox, and a user's browser built it when it started. Puppeteer leaves it out for the same reason.
 */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup',
]

/** Generous per-test timeout: the machine is shared and a cold server start compiles TypeScript. */
export const E2E_TIMEOUT_MS = 240_000

/** How long one browser step (a click, a wait for an element) may take on a busy machine. */
export const STEP_TIMEOUT_MS = 90_000

/** Why the end-to-end tests cannot run here, or null when they can. */
export function e2eUnavailable(): string | null {
  if (!fs.existsSync(CHROMIUM_PATH)) return `Chromium is not installed at ${CHROMIUM_PATH} (apt-get install chromium)`
  return null
}

const RENDERER_SOURCES = ['renderer', 'core']
const RENDERER_OUT = path.join(REPO_ROOT, 'dist', 'renderer')

function newestMtime(dir: string): number {
  let newest = 0
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(full))
    else if (entry.isFile() && !entry.name.endsWith('.md')) newest = Math.max(newest, fs.statSync(full).mtimeMs)
  }
  return newest
}

/** Whether `dist/renderer` is missing or older than any renderer (or core) source file. */
export function rendererIsStale(): boolean {
  const built = path.join(RENDERER_OUT, 'index.html')
  if (!fs.existsSync(built)) return true
  const builtAt = fs.statSync(built).mtimeMs
  return RENDERER_SOURCES.some((d) => newestMtime(path.join(REPO_ROOT, d)) > builtAt)
}

/**
 * Builds the renderer with Vite unless it is up to date. Test files run in parallel workers, so a
 * lock folder makes one of them build while the others wait for it.
 */
export async function ensureRendererBuilt(): Promise<void> {
  const lock = path.join(REPO_ROOT, 'dist', '.renderer-build.lock')
  fs.mkdirSync(path.dirname(lock), { recursive: true })
  const deadline = Date.now() + 150_000
  for (;;) {
    try {
      fs.mkdirSync(lock)
      break
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
      // A lock older than the deadline belongs to a build that died; take it over.
      if (Date.now() - fs.statSync(lock).mtimeMs > 150_000) fs.rmSync(lock, { recursive: true, force: true })
      if (Date.now() > deadline) throw new Error(`Timed out waiting for another renderer build (remove ${lock}).`, { cause: e })
      await new Promise((r) => setTimeout(r, 250))
    }
  }
  try {
    if (!rendererIsStale()) return
    const vite = path.join(REPO_ROOT, 'node_modules', 'vite', 'bin', 'vite.js')
    const r = spawnSync(process.execPath, [vite, 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      // vitest sets NODE_ENV=test, which would give React's development build: the tests and the
      // benchmarks that share this build must see what users get.
      env: { ...process.env, NODE_ENV: 'production' },
    })
    if (r.status !== 0) throw new Error(`The renderer build failed (npm run build:web):\n${r.stdout}\n${r.stderr}`)
  } finally {
    fs.rmSync(lock, { recursive: true, force: true })
  }
}

/** A running `sftbench serve`. */
export interface ServerHandle {
  /** The URL it printed, with the token: `http://127.0.0.1:P/?token=T`. */
  readonly url: string
  /** `http://127.0.0.1:P`. */
  readonly origin: string
  readonly token: string
  readonly child: ChildProcess
  /** Everything it wrote to stderr so far (for failure messages). */
  stderr(): string
  /** Ends the server (SIGTERM, then SIGKILL after a grace period) and waits for it to exit. */
  stop(signal?: NodeJS.Signals): Promise<void>
}

export interface ServeOptions {
  readonly workspace: string
  /** More arguments after `serve --port 0 --workspace W`, e.g. `['--no-model']`. */
  readonly args?: readonly string[]
  readonly timeoutMs?: number
  /**
   * The cache folder (`XDG_CACHE_HOME`), default `<workspace>/.cache`: generations cached by earlier
   * runs on this machine would otherwise make a repeated sweep finish instantly.
   */
  readonly cacheHome?: string
}

const URL_LINE = /^sftbench serving at (http:\/\/[^\s/]+)\/\?token=([0-9a-zA-Z_-]+)\s*$/m

/** Starts `node electron/cli/bin.mjs serve --port 0 ...` and resolves once it printed its URL. */
export function startServer(options: ServeOptions): Promise<ServerHandle> {
  const args = ['electron/cli/bin.mjs', 'serve', '--port', '0', '--workspace', options.workspace, ...(options.args ?? [])]
  const env = { ...process.env, XDG_CACHE_HOME: options.cacheHome ?? path.join(options.workspace, '.cache') }
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  let err = ''
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const stop = async (signal: NodeJS.Signals = 'SIGTERM'): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return
    child.kill(signal)
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
    await exited
    clearTimeout(timer)
  }
  return new Promise<ServerHandle>((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop('SIGKILL')
      reject(new Error(`sftbench serve printed no URL within ${options.timeoutMs ?? 60_000} ms.\nstdout: ${out}\nstderr: ${err}`))
    }, options.timeoutMs ?? 60_000)
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d
      const m = URL_LINE.exec(out)
      if (m === null) return
      clearTimeout(timer)
      resolve({ url: `${m[1]}/?token=${m[2]}`, origin: m[1], token: m[2], child, stderr: () => err, stop })
    })
    child.once('exit', (code, signal) => {
      clearTimeout(timer)
      reject(new Error(`sftbench serve exited (${signal ?? code}) before printing its URL.\nstdout: ${out}\nstderr: ${err}`))
    })
  })
}

/** Launches headless Chromium with {@link CHROMIUM_ARGS}. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: [...CHROMIUM_ARGS] })
}

/**
 * Chromium with a profile on disk in `userDataDir`, as the desktop app and a user's browser run
 * (`launchBrowser`'s contexts are in memory, like incognito windows).
 */
export function launchProfile(userDataDir: string, viewport = { width: 1280, height: 1000 }): Promise<BrowserContext> {
  return chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM_PATH, headless: true, args: [...CHROMIUM_ARGS], viewport })
}

/**
 * Waits for `target` like `locator.waitFor`, but a timeout reports what `context` (the cell, say)
 * showed instead, and whatever `more` adds (server output, page errors), so a failure on a busy CI
 * machine can be told apart from a hang.
 */
export async function waitShowing(target: Locator, context: Locator, timeout: number, more: () => string = () => ''): Promise<void> {
  try {
    await target.waitFor({ timeout })
  } catch (e) {
    const shown = await context.innerText({ timeout: 5000 }).catch(() => '(could not be read)')
    throw new Error(`Waited ${timeout} ms in vain; it showed:\n${shown}\n${more()}`, { cause: e })
  }
}

/** A new page in a fresh context (its own cookies), with {@link STEP_TIMEOUT_MS} for every step. */
export async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
  context.setDefaultTimeout(STEP_TIMEOUT_MS)
  return context.newPage()
}

/** The test fixture model (random weights, fast), relative to the workspace (and to the repository). */
export const SAMPLE_MODEL = 'test/fixtures/tiny-llama'
/** The model the sample notebook names: the bundled sample model. */
export const NOTEBOOK_MODEL = 'samples/models/frozen'

/**
 * A temporary workspace holding a copy of `samples/notebooks`, of the fixture model and of the sample
 * notebook's model at the paths they have in the repository, so the notebook runs as it would there
 * (removed by the returned function).
 */
export function makeWorkspace(prefix = 'sftbench-e2e-'): { dir: string; remove(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix))
  fs.cpSync(path.join(REPO_ROOT, 'samples', 'notebooks'), path.join(dir, 'notebooks'), { recursive: true })
  // Only what loading needs: no goldens, training logs, cards or charts.
  const modelFiles = (source: string): boolean => !/(golden\.json|train-log\.jsonl|\.md|\.svg|\.csv)$/.test(source)
  for (const model of [SAMPLE_MODEL, NOTEBOOK_MODEL]) {
    fs.cpSync(path.join(REPO_ROOT, model), path.join(dir, model), { recursive: true, filter: modelFiles })
  }
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) }
}

/**
 * Points the workspace's copy of the sample notebook at the fixture model, as the cell mechanics
 * tests expect: a random-weight model that writes long, varied streams (forks, alternatives) fast,
 * the paper's base and cardinal prompts, 24 new tokens and 5 turns per sweep episode.
 */
export function sampleNotebookOnFixture(workspaceDir: string): void {
  const file = path.join(workspaceDir, 'notebooks', 'paper-experiment.sftnb')
  const doc = JSON.parse(fs.readFileSync(file, 'utf8')) as { cells: Record<string, unknown>[] }
  const byId = (id: string): Record<string, unknown> => {
    const found = doc.cells.find((c) => c.id === id)
    if (found === undefined) throw new Error(`the sample notebook has no ${id}`)
    return found
  }
  Object.assign(byId('cell-4'), { variant: 'sokoban-eval-base' })
  Object.assign(byId('cell-5'), { variant: 'sokoban-eval-cardinal' })
  Object.assign(byId('cell-6'), { dir: SAMPLE_MODEL, sampling: { temperature: 0, maxNewTokens: 24 } })
  Object.assign(byId('cell-9'), { overrides: { name: 'paper-sample', instances: 4, repeats: 1, protocol: { maxTurns: 5, maxSteps: 5 } } })
  fs.writeFileSync(file, JSON.stringify(doc, null, 2))
}

/** Saves a full-page screenshot to `test-artifacts/e2e/<name>.png`. */
export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(ARTIFACTS_DIR, { recursive: true })
  const file = path.join(ARTIFACTS_DIR, `${name}.png`)
  // From the top, so the sticky toolbar sits where a user sees it.
  await page.evaluate('window.scrollTo(0, 0)')
  await page.screenshot({ path: file, fullPage: true })
  return file
}

/** Collects console errors and uncaught page errors, so a test can assert there were none. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = []
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text())
  })
  page.on('pageerror', (e) => errors.push(e.message))
  return errors
}
