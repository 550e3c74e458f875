// The desktop bundles, built for real into a temporary folder: the preload is one CommonJS file
// that works where a sandboxed preload runs (a `require` that knows only `electron`), and the main
// bundle leaves electron, Node built-ins and npm packages as imports.
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { builtinModules } from 'node:module'
import { tmpdir } from 'node:os'
import path from 'node:path'
import vm from 'node:vm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { REQUEST_CHANNELS } from '../../../core/contract/api.ts'
import { buildDesktop, isMainExternal } from '../../../electron/main/build.ts'

const root = path.resolve(import.meta.dirname, '../../..')
let out: string
let mainCode: string
let preloadCode: string

beforeAll(async () => {
  out = await mkdtemp(path.join(tmpdir(), 'sftbench-desktop-build-'))
  const built = await buildDesktop(root, { outDir: out, logLevel: 'silent' })
  expect(built).toEqual({ mainPath: path.join(out, 'main.mjs'), preloadPath: path.join(out, 'preload.cjs') })
  mainCode = await readFile(built.mainPath, 'utf8')
  preloadCode = await readFile(built.preloadPath, 'utf8')
}, 120_000)
afterAll(async () => {
  await rm(out, { recursive: true, force: true })
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
