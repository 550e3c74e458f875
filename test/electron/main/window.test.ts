// The window factory's locked-down defaults, against a mocked `electron` (no binary is needed):
// web preferences, hidden until ready, new windows denied, navigation kept on the app's page,
// webviews and permissions refused.
import { EventEmitter } from 'node:events'
import { beforeEach, describe, expect, it, vi } from 'vitest'

const electron = vi.hoisted(() => {
  interface PreventableEvent {
    url?: string
    isMainFrame?: boolean
    defaultPrevented: boolean
    preventDefault(): void
  }
  function preventable(fields: { url?: string; isMainFrame?: boolean }): PreventableEvent {
    return {
      ...fields,
      defaultPrevented: false,
      preventDefault() {
        this.defaultPrevented = true
      },
    }
  }
  const windows: unknown[] = []
  const openExternal = vi.fn(async (_url: string) => undefined)
  return { windows, openExternal, preventable }
})

vi.mock('electron', async () => {
  const { EventEmitter } = await import('node:events')
  class FakeSession {
    permissionRequestHandler: ((c: unknown, p: string, cb: (granted: boolean) => void) => void) | null = null
    permissionCheckHandler: ((...args: unknown[]) => boolean) | null = null
    setPermissionRequestHandler(handler: FakeSession['permissionRequestHandler']) {
      this.permissionRequestHandler = handler
    }
    setPermissionCheckHandler(handler: FakeSession['permissionCheckHandler']) {
      this.permissionCheckHandler = handler
    }
  }
  class FakeWebContents extends EventEmitter {
    session = new FakeSession()
    windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null
    setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
      this.windowOpenHandler = handler
    }
  }
  class BrowserWindow extends EventEmitter {
    readonly webContents = new FakeWebContents()
    visible = false
    constructor(readonly options: Record<string, unknown>) {
      super()
      electron.windows.push(this)
    }
    show() {
      this.visible = true
    }
  }
  return { BrowserWindow, shell: { openExternal: electron.openExternal } }
})

const { createAppWindow, isExternalLink } = await import('../../../electron/main/window.ts')

interface FakeContents extends EventEmitter {
  windowOpenHandler: (details: { url: string }) => { action: string }
  session: {
    permissionRequestHandler: (c: unknown, p: string, cb: (granted: boolean) => void) => void
    permissionCheckHandler: (...args: unknown[]) => boolean
  }
}
interface FakeWindow extends EventEmitter {
  options: { show: boolean; webPreferences: Record<string, unknown> }
  webContents: FakeContents
  visible: boolean
}

function newWindow(): FakeWindow {
  const window = createAppWindow({ preloadPath: '/app/dist/electron/preload.cjs' }) as unknown as FakeWindow
  expect(electron.windows.at(-1)).toBe(window)
  return window
}

/** Emits a navigation-type event and says whether the window's guard prevented it. */
function prevented(window: FakeWindow, name: string, url: string, isMainFrame = true): boolean {
  const event = electron.preventable({ url, isMainFrame })
  window.webContents.emit(name, event)
  return event.defaultPrevented
}

beforeEach(() => {
  electron.openExternal.mockClear()
})

describe('createAppWindow: web preferences', () => {
  it('sandboxes the renderer, isolates the context, and keeps Node out of page, workers and frames', () => {
    const prefs = newWindow().options.webPreferences
    expect(prefs).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      preload: '/app/dist/electron/preload.cjs',
    })
  })

  it('is created hidden and shown once, at ready-to-show', () => {
    const window = newWindow()
    expect(window.options.show).toBe(false)
    expect(window.visible).toBe(false)
    window.emit('ready-to-show')
    expect(window.visible).toBe(true)
    expect(window.listenerCount('ready-to-show')).toBe(0)
  })
})

describe('createAppWindow: new windows', () => {
  it.each([
    'https://example.org/paper',
    'http://127.0.0.1:8000/',
    'sftbench://app/index.html',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'about:blank',
  ])('denies window.open(%s)', (url) => {
    expect(newWindow().webContents.windowOpenHandler({ url })).toEqual({ action: 'deny' })
  })

  it('sends plain web links to the system browser, and nothing else', () => {
    const window = newWindow()
    for (const url of ['https://example.org/a', 'file:///etc/passwd', 'sftbench://app/x', 'https://u:p@example.org/']) {
      window.webContents.windowOpenHandler({ url })
    }
    expect(electron.openExternal.mock.calls).toEqual([['https://example.org/a']])
  })

  it('isExternalLink accepts http(s) only, without credentials', () => {
    expect(isExternalLink('https://arxiv.org/abs/2510.00237')).toBe(true)
    expect(isExternalLink('mailto:someone@example.org')).toBe(false)
    expect(isExternalLink('not a url')).toBe(false)
  })
})

describe('createAppWindow: navigation', () => {
  it.each([
    'https://evil.example/',
    'http://127.0.0.1:1234/?token=x',
    'file:///home/user/.ssh/id_rsa',
    'sftbench://app/other.html',
    'sftbench://evil/index.html',
    'data:text/html,<script>alert(1)</script>',
    'javascript:alert(1)',
  ])('prevents will-navigate and will-redirect to %s', (url) => {
    const window = newWindow()
    expect(prevented(window, 'will-navigate', url)).toBe(true)
    expect(prevented(window, 'will-redirect', url)).toBe(true)
    expect(prevented(window, 'will-frame-navigate', url)).toBe(true)
  })

  it("lets the main frame reload the app's own page (with a hash or query)", () => {
    const window = newWindow()
    for (const url of ['sftbench://app/index.html', 'sftbench://app/index.html#/notebook', 'sftbench://app/index.html?x=1']) {
      expect(prevented(window, 'will-navigate', url)).toBe(false)
      expect(prevented(window, 'will-frame-navigate', url)).toBe(false)
    }
  })

  it("prevents a subframe from navigating, even to the app's page", () => {
    expect(prevented(newWindow(), 'will-frame-navigate', 'sftbench://app/index.html', false)).toBe(true)
    expect(prevented(newWindow(), 'will-frame-navigate', 'https://evil.example/', false)).toBe(true)
    expect(prevented(newWindow(), 'will-frame-navigate', 'about:blank', false)).toBe(true)
  })

  it('lets a subframe hold a document the page wrote (srcdoc), but not the main frame', () => {
    expect(prevented(newWindow(), 'will-frame-navigate', 'about:srcdoc', false)).toBe(false)
    expect(prevented(newWindow(), 'will-frame-navigate', 'about:srcdoc', true)).toBe(true)
    expect(prevented(newWindow(), 'will-navigate', 'about:srcdoc')).toBe(true)
  })

  it('refuses to attach a webview', () => {
    expect(prevented(newWindow(), 'will-attach-webview', 'sftbench://app/index.html')).toBe(true)
  })
})

describe('createAppWindow: permissions', () => {
  it('denies every permission request and check', () => {
    const { session } = newWindow().webContents
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      const callback = vi.fn()
      session.permissionRequestHandler({}, permission, callback)
      expect(callback).toHaveBeenCalledWith(false)
      expect(session.permissionCheckHandler({}, permission, 'sftbench://app', {})).toBe(false)
    }
  })
})
