/**
 * @module electron/launch
 * What `npm start` runs (through `scripts/start.mjs`): build what is missing, then start the
 * desktop app, or browser mode when Electron cannot run here.
 *
 * 1. Look for an Electron binary without loading the `electron` package: from Electron 42 on,
 *    `require('electron')` downloads the binary on first use and throws on an offline machine.
 *    The binary is `node_modules/electron/dist/<exe>`, or `<exe>` in `ELECTRON_OVERRIDE_DIST_PATH`
 *    (the variable the package itself reads). On Linux a display is needed as well.
 * 2. Build the renderer (`dist/renderer`) when it is missing or older than its sources.
 * 3. With Electron: bundle main + preload (`dist/electron`) and start Electron on them.
 *    Without: print one line saying why, and run `sftbench serve`, which prints its URL.
 *
 * `npm start -- ARGS` passes ARGS on: to the desktop app (`--workspace DIR`, `--model DIR`,
 * `--no-model`) or to `sftbench serve` (which also takes `--port`, `--host`, `--open`).
 * `--build-only` builds the renderer and the desktop bundles and exits (`npm run build`).
 */
import { spawn } from 'node:child_process'
import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs'
import { readdir, stat } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { CliIo } from './cli/io.ts'
import type { DesktopBuild } from './main/build.ts'

/** Where Electron's executable lies inside its dist folder, per platform (as its installer has it). */
export function electronExecutableName(platform: NodeJS.Platform): string {
  switch (platform) {
    case 'darwin':
      return 'Electron.app/Contents/MacOS/Electron'
    case 'win32':
      return 'electron.exe'
    default:
      return 'electron'
  }
}

/** The outcome of looking for Electron: its binary, or why it cannot run here. */
export type ElectronProbe = { readonly found: true; readonly binary: string } | { readonly found: false; readonly reason: string }

/** The file-system and environment view the probe needs, injectable for tests. */
export interface ProbeEnvironment {
  readonly root: string
  readonly env: Readonly<Record<string, string | undefined>>
  readonly platform: NodeJS.Platform
  exists(file: string): boolean
  isExecutable(file: string): boolean
  readText(file: string): string | undefined
}

/** The probe environment of this process. */
export function processProbeEnvironment(root: string): ProbeEnvironment {
  return {
    root,
    env: process.env,
    platform: process.platform,
    exists: (file) => existsSync(file),
    isExecutable: (file) => {
      try {
        if (!statSync(file).isFile()) return false
        if (process.platform !== 'win32') accessSync(file, constants.X_OK)
        return true
      } catch {
        return false
      }
    },
    readText: (file) => (existsSync(file) ? readFileSync(file, 'utf8') : undefined),
  }
}

/**
 * Finds a runnable Electron binary, never loading the `electron` package. The reason, when there
 * is none, is short enough to sit inside one line of output.
 */
export function probeElectron(probe: ProbeEnvironment): ElectronProbe {
  const packageDir = path.join(probe.root, 'node_modules', 'electron')
  // The installer records the executable's path inside dist in path.txt; without it, use the
  // platform's default, as the package's own index.js does.
  const executable = probe.readText(path.join(packageDir, 'path.txt'))?.trim() || electronExecutableName(probe.platform)
  const override = probe.env.ELECTRON_OVERRIDE_DIST_PATH
  let binary: string
  if (override) {
    binary = path.join(override, executable)
    if (!probe.isExecutable(binary)) {
      return { found: false, reason: `ELECTRON_OVERRIDE_DIST_PATH is set but ${binary} is not an executable file` }
    }
  } else {
    if (!probe.exists(packageDir)) return { found: false, reason: 'the electron package is not installed; run npm ci' }
    binary = path.join(packageDir, 'dist', executable)
    if (!probe.isExecutable(binary)) {
      return {
        found: false,
        reason: `no binary at ${path.relative(probe.root, binary)}; set ELECTRON_OVERRIDE_DIST_PATH to an unpacked Electron build`,
      }
    }
  }
  if (probe.platform === 'linux' && !probe.env.DISPLAY && !probe.env.WAYLAND_DISPLAY) {
    return { found: false, reason: 'no display: DISPLAY and WAYLAND_DISPLAY are not set' }
  }
  return { found: true, binary }
}

/** The one line printed when the desktop app cannot start. */
export function browserModeNotice(reason: string): string {
  return `Electron is not available on this machine (${reason}); starting browser mode instead.\n`
}

/** Sources whose changes make `dist/renderer` stale: the renderer's own files and the core it imports. */
export const RENDERER_SOURCE_DIRS = ['renderer', 'core'] as const
/** The file whose age stands for the whole renderer build. */
export const RENDERER_BUILD_MARKER = 'dist/renderer/index.html'

/** The newest modification time (ms) of any file under `dir`, skipping `node_modules`; 0 if none. */
async function newestMtime(dir: string): Promise<number> {
  let newest = 0
  let entries
  try {
    entries = await readdir(dir, { withFileTypes: true })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0
    throw error
  }
  for (const entry of entries) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) newest = Math.max(newest, await newestMtime(full))
    else if (entry.isFile()) newest = Math.max(newest, (await stat(full)).mtimeMs)
  }
  return newest
}

/** Why `dist/renderer` needs building, or null when it is up to date with its sources. */
export async function rendererStaleness(root: string): Promise<string | null> {
  let built: number
  try {
    built = (await stat(path.join(root, RENDERER_BUILD_MARKER))).mtimeMs
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return `${RENDERER_BUILD_MARKER} is missing`
    throw error
  }
  for (const dir of RENDERER_SOURCE_DIRS) {
    if ((await newestMtime(path.join(root, dir))) > built) return `${dir}/ changed since the last build`
  }
  return null
}

/** Builds the renderer with its own Vite config, quietly (errors still print). */
export async function buildRenderer(root: string): Promise<void> {
  const { build } = await import('vite')
  await build({ configFile: path.join(root, 'renderer', 'vite.config.ts'), logLevel: 'error' })
}

/** Starts Electron on the main bundle and resolves with its exit code; rejects if it cannot start. */
export function spawnElectron(binary: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    // ELECTRON_RUN_AS_NODE would make the binary a plain Node and ignore the app.
    const childEnv = { ...env }
    delete childEnv.ELECTRON_RUN_AS_NODE
    const child = spawn(binary, [...args], { stdio: 'inherit', env: childEnv })
    child.once('error', reject)
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)))
  })
}

/** Everything `launch` does to the outside world, injectable for tests. */
export interface LaunchDeps {
  readonly root: string
  readonly io: CliIo
  probeElectron(): ElectronProbe
  rendererStaleness(): Promise<string | null>
  buildRenderer(): Promise<void>
  buildDesktop(): Promise<DesktopBuild>
  /** Starts Electron; resolves with its exit code, rejects when the process cannot be started. */
  spawnElectron(binary: string, args: readonly string[]): Promise<number>
  /** Runs `sftbench serve ARGS` until it stops; resolves with its exit code. */
  runServe(args: readonly string[]): Promise<number>
}

/** The real dependencies, for `scripts/start.mjs`. */
export function processLaunchDeps(root: string, io: CliIo): LaunchDeps {
  return {
    root,
    io,
    probeElectron: () => probeElectron(processProbeEnvironment(root)),
    rendererStaleness: () => rendererStaleness(root),
    buildRenderer: () => buildRenderer(root),
    buildDesktop: async () => {
      const { buildDesktop } = await import('./main/build.ts')
      return buildDesktop(root, { logLevel: 'error' })
    },
    spawnElectron: (binary, args) => spawnElectron(binary, args, process.env),
    runServe: async (args) => {
      const { main } = await import('./cli/main.ts')
      return main(['serve', ...args], io)
    },
  }
}

async function ensureRenderer(deps: LaunchDeps, force: boolean): Promise<void> {
  const stale = force ? 'a full build was asked for' : await deps.rendererStaleness()
  if (stale === null) return
  deps.io.stderr(`Building the renderer (${stale})…\n`)
  await deps.buildRenderer()
}

/**
 * `npm start`: the desktop app when Electron can run here, otherwise browser mode, announced by
 * exactly one line on stderr before `sftbench serve` prints its URL. Returns the exit code.
 */
export async function launch(argv: readonly string[], deps: LaunchDeps): Promise<number> {
  if (argv.includes('--build-only')) {
    await ensureRenderer(deps, true)
    await deps.buildDesktop()
    return 0
  }
  const args = argv.filter((arg) => arg !== '--')
  const electron = deps.probeElectron()
  if (electron.found) {
    await ensureRenderer(deps, false)
    const bundles = await deps.buildDesktop()
    try {
      return await deps.spawnElectron(electron.binary, [bundles.mainPath, ...args])
    } catch (error) {
      deps.io.stderr(browserModeNotice(`${electron.binary} could not be started: ${(error as Error).message}`))
    }
  } else {
    deps.io.stderr(browserModeNotice(electron.reason))
    await ensureRenderer(deps, false)
  }
  return deps.runServe(args)
}

/** The repository root, two levels above this file. */
export function repoRootFrom(moduleUrl: string): string {
  return path.resolve(path.dirname(fileURLToPath(moduleUrl)), '..')
}
