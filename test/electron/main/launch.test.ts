// `npm start`'s launcher: finding an Electron binary without loading the package, choosing the
// desktop app or browser mode, and what it prints. The file system, builds, Electron and the
// server are injected; nothing here starts a process.
import { chmod, mkdir, mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import {
  electronExecutableName,
  launch,
  probeElectron,
  rendererStaleness,
  spawnElectron,
  type ElectronProbe,
  type LaunchDeps,
  type ProbeEnvironment,
} from '../../../electron/launch.ts'

const ROOT = '/repo'
const NOTICE = /^Electron is not available on this machine \((.+)\); starting browser mode instead\.$/
const URL_LINE = 'sftbench serving at http://127.0.0.1:4321/?token=0123456789abcdef0123456789abcdef'

/** A probe environment over a set of existing files (all executable). */
function probeEnv(files: string[], env: Record<string, string> = { DISPLAY: ':0' }, platform: NodeJS.Platform = 'linux', texts: Record<string, string> = {}): ProbeEnvironment {
  const set = new Set(files)
  return {
    root: ROOT,
    env,
    platform,
    exists: (file) => set.has(file) || [...set].some((f) => f.startsWith(`${file}/`)),
    isExecutable: (file) => set.has(file),
    readText: (file) => texts[file],
  }
}

describe('probeElectron', () => {
  it('finds the binary the package would run, in node_modules/electron/dist', () => {
    expect(probeElectron(probeEnv(['/repo/node_modules/electron/dist/electron']))).toEqual({
      found: true,
      binary: '/repo/node_modules/electron/dist/electron',
    })
  })

  it('reports the missing binary when only the package (types, no dist) is installed', () => {
    const probe = probeElectron(probeEnv(['/repo/node_modules/electron/package.json']))
    expect(probe.found).toBe(false)
    expect(!probe.found && probe.reason).toContain('node_modules/electron/dist/electron')
  })

  it('reports a missing package', () => {
    const probe = probeElectron(probeEnv([]))
    expect(!probe.found && probe.reason).toMatch(/electron package is not installed/)
  })

  it('uses ELECTRON_OVERRIDE_DIST_PATH, as the package does, and says when it holds no binary', () => {
    const env = { DISPLAY: ':0', ELECTRON_OVERRIDE_DIST_PATH: '/opt/electron-45' }
    expect(probeElectron(probeEnv(['/opt/electron-45/electron'], env))).toEqual({ found: true, binary: '/opt/electron-45/electron' })
    const missing = probeElectron(probeEnv(['/repo/node_modules/electron/dist/electron'], env))
    expect(missing.found).toBe(false)
    expect(!missing.found && missing.reason).toContain('ELECTRON_OVERRIDE_DIST_PATH')
  })

  it("follows the installer's path.txt, and the platform's executable name without it", () => {
    const texts = { '/repo/node_modules/electron/path.txt': 'custom/bin' }
    expect(probeElectron(probeEnv(['/repo/node_modules/electron/dist/custom/bin'], undefined, 'linux', texts)).found).toBe(true)
    const mac = '/repo/node_modules/electron/dist/Electron.app/Contents/MacOS/Electron'
    expect(probeElectron(probeEnv([mac], {}, 'darwin'))).toEqual({ found: true, binary: mac })
    expect(electronExecutableName('win32')).toBe('electron.exe')
  })

  it('on Linux without a display, a present binary is still unusable', () => {
    const probe = probeElectron(probeEnv(['/repo/node_modules/electron/dist/electron'], {}))
    expect(!probe.found && probe.reason).toMatch(/DISPLAY/)
    expect(probeElectron(probeEnv(['/repo/node_modules/electron/dist/electron'], { WAYLAND_DISPLAY: 'wayland-0' })).found).toBe(true)
  })
})

/** Fake launch dependencies; stdout and stderr go to one log, in order. */
function fakeDeps(probe: ElectronProbe, options: { stale?: string | null; spawnError?: Error } = {}) {
  const log: string[] = []
  const calls: string[] = []
  const deps: LaunchDeps = {
    root: ROOT,
    io: { stdout: (t) => void log.push(t), stderr: (t) => void log.push(t), stderrIsTty: false, cwd: ROOT },
    probeElectron: () => probe,
    rendererStaleness: async () => options.stale ?? null,
    buildRenderer: vi.fn(async () => void calls.push('buildRenderer')),
    buildDesktop: vi.fn(async () => {
      calls.push('buildDesktop')
      return { mainPath: '/repo/dist/electron/main.mjs', preloadPath: '/repo/dist/electron/preload.cjs' }
    }),
    spawnElectron: vi.fn(async (binary: string, args: readonly string[]) => {
      calls.push(`spawn ${binary} ${args.join(' ')}`)
      if (options.spawnError) throw options.spawnError
      return 0
    }),
    runServe: vi.fn(async (args: readonly string[]) => {
      calls.push(`serve ${args.join(' ')}`)
      deps.io.stdout(`${URL_LINE}\n`)
      return 0
    }),
  }
  return { deps, log, calls, lines: () => log.join('').split('\n').filter((l) => l !== '') }
}

const NO_BINARY: ElectronProbe = { found: false, reason: 'no binary at node_modules/electron/dist/electron' }
const BINARY: ElectronProbe = { found: true, binary: '/opt/electron/electron' }

describe('launch', () => {
  it('without Electron: exactly one line, then the serve URL, and no desktop build', async () => {
    const run = fakeDeps(NO_BINARY)
    expect(await launch(['--workspace', 'w'], run.deps)).toBe(0)
    expect(run.lines()).toHaveLength(2)
    const [notice, url] = run.lines()
    expect(notice).toMatch(NOTICE)
    expect(notice.match(NOTICE)?.[1]).toBe('no binary at node_modules/electron/dist/electron')
    expect(url).toBe(URL_LINE)
    expect(run.calls).toEqual(['serve --workspace w'])
  })

  it('an installed package without its binary (as after npm ci offline) means browser mode', async () => {
    const run = fakeDeps(NO_BINARY)
    const deps = { ...run.deps, probeElectron: () => probeElectron(probeEnv(['/repo/node_modules/electron/index.js'])) }
    await launch([], deps)
    expect(run.lines()).toEqual([
      'Electron is not available on this machine (no binary at node_modules/electron/dist/electron; set ' +
        'ELECTRON_OVERRIDE_DIST_PATH to an unpacked Electron build); starting browser mode instead.',
      URL_LINE,
    ])
    expect(run.calls).toEqual(['serve '])
  })

  it('without Electron and with a stale renderer: builds it before serving', async () => {
    const run = fakeDeps(NO_BINARY, { stale: 'renderer/ changed since the last build' })
    await launch([], run.deps)
    expect(run.calls).toEqual(['buildRenderer', 'serve '])
    expect(run.lines()[0]).toMatch(NOTICE)
    expect(run.lines().at(-1)).toBe(URL_LINE)
  })

  it('with Electron: builds main + preload and starts Electron on the main bundle, printing nothing', async () => {
    const run = fakeDeps(BINARY)
    expect(await launch(['--', '--model', 'm'], run.deps)).toBe(0)
    expect(run.calls).toEqual(['buildDesktop', 'spawn /opt/electron/electron /repo/dist/electron/main.mjs --model m'])
    expect(run.log).toEqual([])
  })

  it('with Electron and a missing renderer: builds the renderer first', async () => {
    const run = fakeDeps(BINARY, { stale: 'dist/renderer/index.html is missing' })
    await launch([], run.deps)
    expect(run.calls.slice(0, 2)).toEqual(['buildRenderer', 'buildDesktop'])
  })

  it('falls back to browser mode, with the reason, when the binary cannot be started', async () => {
    const run = fakeDeps(BINARY, { spawnError: new Error('spawn EACCES') })
    expect(await launch([], run.deps)).toBe(0)
    const [notice, url] = run.lines()
    expect(notice.match(NOTICE)?.[1]).toBe('/opt/electron/electron could not be started: spawn EACCES')
    expect(url).toBe(URL_LINE)
  })

  it('--build-only builds the renderer and the desktop bundles, and starts nothing', async () => {
    const run = fakeDeps(NO_BINARY)
    expect(await launch(['--build-only'], run.deps)).toBe(0)
    expect(run.calls).toEqual(['buildRenderer', 'buildDesktop'])
  })
})

describe('rendererStaleness', () => {
  let root: string
  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'sftbench-launch-'))
    await mkdir(path.join(root, 'renderer', 'src'), { recursive: true })
    await mkdir(path.join(root, 'core', 'contract'), { recursive: true })
    await writeFile(path.join(root, 'renderer', 'src', 'main.tsx'), '')
    await writeFile(path.join(root, 'core', 'contract', 'api.ts'), '')
  })
  afterAll(async () => {
    await rm(root, { recursive: true, force: true })
  })

  async function setTime(relative: string, seconds: number): Promise<void> {
    await utimes(path.join(root, relative), seconds, seconds)
  }

  it('is stale while dist/renderer/index.html is missing', async () => {
    expect(await rendererStaleness(root)).toBe('dist/renderer/index.html is missing')
  })

  it('is fresh when the build is newer than every source, stale when a renderer or core file is newer', async () => {
    await mkdir(path.join(root, 'dist', 'renderer'), { recursive: true })
    await writeFile(path.join(root, 'dist', 'renderer', 'index.html'), '')
    await setTime('renderer/src/main.tsx', 1_000)
    await setTime('core/contract/api.ts', 1_000)
    await setTime('dist/renderer/index.html', 2_000)
    expect(await rendererStaleness(root)).toBeNull()
    await setTime('core/contract/api.ts', 3_000)
    expect(await rendererStaleness(root)).toBe('core/ changed since the last build')
    await setTime('renderer/src/main.tsx', 3_000)
    expect(await rendererStaleness(root)).toBe('renderer/ changed since the last build')
  })
})

describe('spawnElectron', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'sftbench-spawn-'))
  })
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it.skipIf(process.platform === 'win32')('passes the arguments, drops ELECTRON_RUN_AS_NODE, and resolves with the exit code', async () => {
    const binary = path.join(dir, 'electron')
    const report = path.join(dir, 'report.txt')
    await writeFile(binary, `#!/bin/sh\nprintf '%s|%s' "$*" "\${ELECTRON_RUN_AS_NODE-unset}" > '${report}'\nexit 7\n`)
    await chmod(binary, 0o755)
    const code = await spawnElectron(binary, ['/repo/dist/electron/main.mjs', '--no-model'], { ...process.env, ELECTRON_RUN_AS_NODE: '1' })
    expect(code).toBe(7)
    expect(await readFile(report, 'utf8')).toBe('/repo/dist/electron/main.mjs --no-model|unset')
  })

  it('rejects when the binary cannot be started', async () => {
    await expect(spawnElectron(path.join(dir, 'missing'), [], process.env)).rejects.toThrow(/ENOENT/)
  })
})
