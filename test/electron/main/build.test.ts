// The desktop bundles, built for real into a temporary app root: the preload is one CommonJS file
// that works where a sandboxed preload runs (a `require` that knows only `electron`); the main
// bundle leaves electron, Node built-ins and npm packages as imports; and the main bundle, run by
// plain Node with a stand-in `electron` module, starts the app: it loads the backend from its
// sources through tsx, serves the page with the CSP, and answers IPC from the window only.
import { spawn } from 'node:child_process'
import { mkdir, mkdtemp, readFile, realpath, rm, symlink, writeFile } from 'node:fs/promises'
import { builtinModules } from 'node:module'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import vm from 'node:vm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { REQUEST_CHANNELS } from '../../../core/contract/api.ts'
import { buildDesktop, isMainExternal } from '../../../electron/main/build.ts'

const root = path.resolve(import.meta.dirname, '../../..')
/** A temporary app root: our sources and packages linked in, bundles built into its dist/electron. */
let appRoot: string
let mainPath: string
let mainCode: string
let preloadCode: string

beforeAll(async () => {
  appRoot = await realpath(await mkdtemp(path.join(tmpdir(), 'sftbench-desktop-build-')))
  for (const name of ['electron', 'core', 'node_modules', 'package.json']) {
    await symlink(path.join(root, name), path.join(appRoot, name))
  }
  await mkdir(path.join(appRoot, 'dist', 'renderer'), { recursive: true })
  await writeFile(path.join(appRoot, 'dist', 'renderer', 'index.html'), '<!doctype html><title>sftbench</title>')
  const outDir = path.join(appRoot, 'dist', 'electron')
  const built = await buildDesktop(root, { outDir, logLevel: 'silent' })
  expect(built).toEqual({ mainPath: path.join(outDir, 'main.mjs'), preloadPath: path.join(outDir, 'preload.cjs') })
  mainPath = built.mainPath
  mainCode = await readFile(built.mainPath, 'utf8')
  preloadCode = await readFile(built.preloadPath, 'utf8')
}, 120_000)
afterAll(async () => {
  await rm(appRoot, { recursive: true, force: true })
})

/** Runs the preload the way Electron runs a sandboxed one, and returns what it exposed. */
function runSandboxedPreload(code: string) {
  const exposed: Record<string, unknown> = {}
  const invoked: string[] = []
  const required: string[] = []
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => void (exposed[key] = api) },
    ipcRenderer: {
      invoke: async (channel: string) => {
        invoked.push(channel)
        return { ok: true, value: channel }
      },
      on: () => {},
      removeListener: () => {},
    },
  }
  const sandboxRequire = (id: string): unknown => {
    required.push(id)
    if (id === 'electron') return electron
    throw new Error(`Cannot find module '${id}' (a sandboxed preload can only require electron)`)
  }
  const wrapper = vm.runInNewContext(
    `(function (require, process, Buffer, global, setImmediate, clearImmediate, exports, module) {${code}\n})`,
    {},
    { filename: 'preload.cjs' },
  ) as (...args: unknown[]) => void
  const module = { exports: {} }
  wrapper(sandboxRequire, { platform: 'linux' }, undefined, {}, setImmediate, clearImmediate, module.exports, module)
  return { exposed, invoked, required }
}

describe('buildDesktop', () => {
  it('the preload runs with a require that knows only electron, and exposes a working bridge', async () => {
    const { exposed, invoked, required } = runSandboxedPreload(preloadCode)
    expect(required).toEqual(['electron'])
    expect(Object.keys(exposed)).toEqual(['workbench'])
    const bridge = exposed.workbench as { request(c: string, p: unknown): Promise<{ ok: boolean }> }
    expect(await bridge.request(REQUEST_CHANNELS[0], {})).toEqual({ ok: true, value: REQUEST_CHANNELS[0] })
    expect((await bridge.request('wb:nope', {})).ok).toBe(false)
    expect(invoked).toEqual([REQUEST_CHANNELS[0]])
  })

  it('the main bundle imports only electron, Node built-ins and installed packages', async () => {
    const specifiers = [...mainCode.matchAll(/(?:^|\n)\s*import\s[^'"]*?from\s+"([^"]+)"|import\("([^"]+)"\)/g)].map((m) => m[1] ?? m[2])
    expect(specifiers).toContain('electron')
    const pkg = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }
    for (const specifier of specifiers) {
      const name = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]
      const ok = specifier === 'electron' || specifier.startsWith('node:') || builtinModules.includes(specifier) || name in pkg.dependencies
      expect(ok, specifier).toBe(true)
    }
  })

  it('the main bundle keeps our own modules inside (no relative imports left)', () => {
    expect(mainCode).not.toMatch(/from\s+"\.\.?\//)
    expect(isMainExternal('./window.ts')).toBe(false)
    expect(isMainExternal('/abs/core/contract/api.ts')).toBe(false)
    expect(isMainExternal('zod')).toBe(true)
    expect(isMainExternal('node:fs')).toBe(true)
    expect(isMainExternal('electron')).toBe(true)
  })
})

/**
 * A stand-in for the `electron` module, enough for the main bundle to start: it records what the
 * app does, then drives the window's page and IPC the way the renderer would and quits. Each step
 * is one JSON line on stdout.
 */
const FAKE_ELECTRON = `
import { EventEmitter } from 'node:events'
const out = (step, value) => process.stdout.write(JSON.stringify({ step, value }) + '\\n')
const handlers = new Map()
const appEvents = new EventEmitter()
let serve = null
export const app = {
  isPackaged: false,
  requestSingleInstanceLock: () => true,
  on: (event, listener) => { appEvents.on(event, listener); return app },
  whenReady: async () => {},
  isReady: () => true,
  quit: () => { appEvents.emit('will-quit'); setTimeout(() => process.exit(0), 300) },
  exit: (code) => process.exit(code),
}
export const protocol = {
  registerSchemesAsPrivileged: (schemes) => out('privileged', schemes.map((s) => s.scheme)),
  handle: (scheme, handler) => { serve = handler },
}
export const session = { defaultSession: { webRequest: { onHeadersReceived: () => out('csp-hook', true) } } }
export const ipcMain = { handle: (c, h) => handlers.set(c, h), removeHandler: (c) => handlers.delete(c) }
export const dialog = { showErrorBox: (title, message) => out('error', message) }
export const shell = { openExternal: async () => {} }
class WebContents extends EventEmitter {
  id = 1
  session = { setPermissionRequestHandler() {}, setPermissionCheckHandler() {} }
  mainFrame = { processId: 1, routingId: 1, parent: null, origin: 'sftbench://app', url: 'sftbench://app/index.html' }
  setWindowOpenHandler(handler) { this.openHandler = handler }
  isDestroyed() { return false }
  send(channel) { out('event', channel) }
}
export class BrowserWindow extends EventEmitter {
  static getAllWindows() { return [] }
  constructor(options) { super(); this.webContents = new WebContents(); out('window', options.webPreferences) }
  show() {}
  async loadURL(url) { out('loadURL', url); setTimeout(() => drive(this).catch((e) => { out('error', String(e)); process.exit(3) }), 0) }
}
async function drive(win) {
  const page = await serve(new Request('sftbench://app/index.html'))
  out('page', { status: page.status, csp: page.headers.get('content-security-policy') })
  const handle = handlers.get('wb:app.info')
  out('app.info', await handle({ sender: win.webContents, senderFrame: win.webContents.mainFrame }, {}))
  const forged = { ...win.webContents.mainFrame, origin: 'file://' }
  out('forged', await handle({ sender: win.webContents, senderFrame: forged }, {}))
  out('window.open', win.webContents.openHandler({ url: 'https://example.org/' }))
  app.quit()
}
`

const HOOKS = `
export async function resolve(specifier, context, next) {
  if (specifier === 'electron') return { url: new URL('./fake-electron.mjs', import.meta.url).href, shortCircuit: true }
  return next(specifier, context)
}
`

function runNode(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()))
    child.once('error', reject)
    child.once('exit', (code) => resolve({ code, out, err }))
  })
}

describe('the main bundle, started with a stand-in electron', () => {
  it('loads the backend from source, serves the page with the CSP, and answers only the app window', async () => {
    const fakes = path.join(appRoot, 'fakes')
    await mkdir(fakes)
    await writeFile(path.join(fakes, 'fake-electron.mjs'), FAKE_ELECTRON)
    await writeFile(path.join(fakes, 'hooks.mjs'), HOOKS)
    await writeFile(path.join(fakes, 'register.mjs'), `import { register } from 'node:module'\nregister('./hooks.mjs', import.meta.url)\n`)
    const workspace = path.join(appRoot, 'workspace')
    await mkdir(workspace)

    const run = await runNode(['--import', pathToFileURL(path.join(fakes, 'register.mjs')).href, mainPath, '--workspace', workspace, '--no-model'])
    expect(run.err).toBe('')
    expect(run.code).toBe(0)
    const steps = new Map(run.out.trim().split('\n').map((line) => {
      const { step, value } = JSON.parse(line) as { step: string; value: unknown }
      return [step, value] as const
    }))
    expect(steps.get('privileged')).toEqual(['sftbench'])
    expect(steps.get('window')).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false, preload: path.join(appRoot, 'dist', 'electron', 'preload.cjs') })
    expect(steps.get('loadURL')).toBe('sftbench://app/index.html')
    expect(steps.get('page')).toMatchObject({ status: 200, csp: expect.stringContaining("default-src 'none'") })
    expect(steps.get('app.info')).toMatchObject({ ok: true, value: { mode: 'desktop', workspace, defaultModel: null } })
    expect(steps.get('forged')).toMatchObject({ ok: false, error: { code: 'forbidden' } })
    expect(steps.get('window.open')).toEqual({ action: 'deny' })
  }, 60_000)
})
