// The main process's lifecycle against a mocked `electron`: one instance, the app scheme and CSP
// before the window, the backend created with the workspace and default model, IPC wired to the
// window, and the quit rule (all platforms but macOS quit when the last window closes).
import path from 'node:path'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { REQUEST_CHANNELS } from '../../../core/contract/api.ts'

const electron = vi.hoisted(() => {
  const state = {
    log: [] as string[],
    lock: true,
    appListeners: new Map<string, ((...args: unknown[]) => void)[]>(),
    windows: [] as unknown[],
    handlers: new Map<string, unknown>(),
    protocolHandlers: new Map<string, unknown>(),
  }
  return state
})

vi.mock('electron', async () => {
  const { EventEmitter } = await import('node:events')
  class FakeWebContents extends EventEmitter {
    id = electron.windows.length + 1
    session = { setPermissionRequestHandler: () => {}, setPermissionCheckHandler: () => {} }
    mainFrame = { processId: 1, routingId: 1, parent: null, origin: 'sftbench://app' }
    setWindowOpenHandler() {}
    isDestroyed() {
      return false
    }
    send() {}
  }
  class BrowserWindow extends EventEmitter {
    static getAllWindows() {
      return electron.windows.filter((w) => !(w as { closed: boolean }).closed)
    }
    readonly webContents = new FakeWebContents()
    closed = false
    focused = false
    loaded: string[] = []
    constructor(readonly options: unknown) {
      super()
      electron.windows.push(this)
      electron.log.push('new BrowserWindow')
    }
    async loadURL(url: string) {
      this.loaded.push(url)
      electron.log.push(`loadURL ${url}`)
    }
    show() {}
    isMinimized() {
      return false
    }
    restore() {}
    focus() {
      this.focused = true
    }
    close() {
      this.closed = true
      this.emit('closed')
    }
  }
  const app = {
    requestSingleInstanceLock: () => electron.lock,
    quit: vi.fn(() => electron.log.push('quit')),
    on: (event: string, listener: (...args: unknown[]) => void) => {
      electron.appListeners.set(event, [...(electron.appListeners.get(event) ?? []), listener])
      return app
    },
    whenReady: async () => {
      electron.log.push('ready')
    },
  }
  return {
    app,
    BrowserWindow,
    shell: { openExternal: async () => {} },
    dialog: {},
    protocol: {
      registerSchemesAsPrivileged: (schemes: { scheme: string; privileges: Record<string, boolean> }[]) => {
        electron.log.push(`privileged ${schemes.map((s) => `${s.scheme}:${Object.keys(s.privileges).filter((k) => s.privileges[k]).join(',')}`).join(' ')}`)
      },
      handle: (scheme: string, handler: unknown) => {
        electron.protocolHandlers.set(scheme, handler)
        electron.log.push(`protocol.handle ${scheme}`)
      },
    },
    session: { defaultSession: { webRequest: { onHeadersReceived: () => electron.log.push('csp installed') } } },
    ipcMain: {
      handle: (channel: string, handler: unknown) => {
        if (electron.handlers.has(channel)) throw new Error(`second handler for ${channel}`)
        electron.handlers.set(channel, handler)
      },
      removeHandler: (channel: string) => electron.handlers.delete(channel),
    },
  }
})

const { desktopPaths, parseDesktopArgs, startDesktopApp } = await import('../../../electron/main/main.ts')
type Options = Parameters<typeof startDesktopApp>[0]

const paths = desktopPaths('file:///repo/dist/electron/main.mjs')

function emitApp(event: string, ...args: unknown[]): void {
  for (const listener of electron.appListeners.get(event) ?? []) listener(...args)
}

interface FakeWindow {
  closed: boolean
  focused: boolean
  loaded: string[]
  options: { webPreferences: { preload: string; sandbox: boolean } }
  close(): void
}

function fakeBackend() {
  const dispose = vi.fn(async () => {})
  const createBackend = vi.fn(async (_options: Parameters<Options['createBackend']>[0]) => {
    electron.log.push('backend')
    return { handle: vi.fn(async () => ({ ok: true as const, value: null })), events: () => () => {}, dispose }
  })
  return { createBackend, dispose }
}

beforeEach(() => {
  electron.log.length = 0
  electron.lock = true
  electron.appListeners.clear()
  electron.windows.length = 0
  electron.handlers.clear()
  electron.protocolHandlers.clear()
})

describe('startDesktopApp', () => {
  it('a second instance quits at once and creates nothing', async () => {
    electron.lock = false
    const { createBackend } = fakeBackend()
    await startDesktopApp({ rendererExists: () => true, paths, args: { workspace: '/w', model: null }, createBackend })
    expect(electron.log).toContain('quit')
    expect(createBackend).not.toHaveBeenCalled()
    expect(electron.windows).toHaveLength(0)
  })

  it('registers the app scheme before ready, then serves it and the CSP before the window loads the app page', async () => {
    const { createBackend } = fakeBackend()
    await startDesktopApp({ rendererExists: () => true, paths, args: { workspace: '/w', model: '/repo/test/fixtures/tiny-llama' }, createBackend })
    expect(electron.log).toEqual([
      'privileged sftbench:standard,secure,supportFetchAPI,codeCache',
      'ready',
      'protocol.handle sftbench',
      'csp installed',
      'backend',
      'new BrowserWindow',
      'loadURL sftbench://app/index.html',
    ])
    expect(createBackend.mock.calls[0][0]).toMatchObject({ workspace: '/w', defaultModel: '/repo/test/fixtures/tiny-llama' })
    const window = electron.windows[0] as FakeWindow
    expect(window.options.webPreferences).toMatchObject({ sandbox: true, preload: path.resolve('/repo/dist/electron/preload.cjs') })
  })

  it("wires the contract's channels to the window, and unwires them when it closes", async () => {
    await startDesktopApp({ rendererExists: () => true, paths, args: { workspace: '/w', model: null }, createBackend: fakeBackend().createBackend })
    expect([...electron.handlers.keys()].sort()).toEqual([...REQUEST_CHANNELS].sort())
    ;(electron.windows[0] as FakeWindow).close()
    expect(electron.handlers.size).toBe(0)
  })

  it('quits when the last window closes on Linux and Windows, not on macOS, where activate reopens one', async () => {
    await startDesktopApp({ rendererExists: () => true, paths, args: { workspace: '/w', model: null }, createBackend: fakeBackend().createBackend, platform: 'linux' })
    ;(electron.windows[0] as FakeWindow).close()
    emitApp('window-all-closed')
    expect(electron.log.at(-1)).toBe('quit')

    electron.appListeners.clear()
    electron.windows.length = 0
    electron.log.length = 0
    await startDesktopApp({ rendererExists: () => true, paths, args: { workspace: '/w', model: null }, createBackend: fakeBackend().createBackend, platform: 'darwin' })
    ;(electron.windows[0] as FakeWindow).close()
    emitApp('window-all-closed')
    expect(electron.log).not.toContain('quit')
    emitApp('activate')
    expect(electron.windows).toHaveLength(2)
    expect((electron.windows[1] as FakeWindow).loaded).toEqual(['sftbench://app/index.html'])
    expect([...electron.handlers.keys()]).toHaveLength(REQUEST_CHANNELS.length)
  })

  it('a second launch focuses the existing window', async () => {
    await startDesktopApp({ rendererExists: () => true, paths, args: { workspace: '/w', model: null }, createBackend: fakeBackend().createBackend })
    emitApp('second-instance')
    expect((electron.windows[0] as FakeWindow).focused).toBe(true)
    expect(electron.windows).toHaveLength(1)
  })

  it('refuses to start without a built renderer, saying how to build it, before any backend or window', async () => {
    const { createBackend } = fakeBackend()
    await expect(
      startDesktopApp({ rendererExists: () => false, paths, args: { workspace: '/w', model: null }, createBackend }),
    ).rejects.toThrow(/dist\/renderer\/index\.html is missing\. Run "npm run build"/)
    expect(createBackend).not.toHaveBeenCalled()
    expect(electron.windows).toHaveLength(0)
  })

  it('stops the backend when the app quits', async () => {
    const { createBackend, dispose } = fakeBackend()
    await startDesktopApp({ rendererExists: () => true, paths, args: { workspace: '/w', model: null }, createBackend })
    emitApp('will-quit')
    expect(dispose).toHaveBeenCalledOnce()
  })
})

describe('desktopPaths and parseDesktopArgs', () => {
  it('finds the renderer and preload from the main bundle at <root>/dist/electron/main.mjs', () => {
    expect(paths).toEqual({
      root: path.resolve('/repo'),
      rendererDir: path.resolve('/repo/dist/renderer'),
      preloadPath: path.resolve('/repo/dist/electron/preload.cjs'),
    })
  })

  it('defaults to the working folder as workspace and the fixture model', () => {
    expect(parseDesktopArgs([], '/home/me', '/repo')).toEqual({ workspace: '/home/me', model: path.join('/repo', 'samples/models/frozen') })
  })

  it('reads --workspace, --model and --no-model, relative to the working folder, ignoring Chromium switches', () => {
    expect(parseDesktopArgs(['--no-sandbox', '--workspace', 'ws', '--model=models/m', '--enable-logging'], '/home/me', '/repo')).toEqual({
      workspace: path.resolve('/home/me/ws'),
      model: path.resolve('/home/me/models/m'),
    })
    expect(parseDesktopArgs(['--no-model'], '/home/me', '/repo').model).toBeNull()
  })
})
