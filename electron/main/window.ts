/**
 * @module electron/main/window
 * The one window factory. Every window of the app is built here, with locked-down defaults: a
 * sandboxed renderer without Node, isolated from the preload, that cannot open windows, navigate
 * away from the app's page, attach webviews or be granted permissions.
 */
import { BrowserWindow, shell } from 'electron'
import type { WebContents, WebPreferences } from 'electron'
import { isAppEntryUrl } from './app-protocol.ts'

/** What a window needs besides the fixed security settings. */
export interface AppWindowOptions {
  /** Absolute path of the bundled preload script (`dist/electron/preload.cjs`). */
  readonly preloadPath: string
  readonly title?: string
  readonly width?: number
  readonly height?: number
}

/**
 * The renderer's web preferences. Nothing here is optional: `sandbox` keeps Node and the file
 * system out of the renderer process, `contextIsolation` keeps the page's JavaScript away from
 * the preload's, and the rest close the remaining ways to load code or content the app did not
 * ship.
 */
export function secureWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    sandbox: true,
    contextIsolation: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
  }
}

/**
 * Whether a link the page tried to open in a new window may go to the system browser instead:
 * plain web links only, never `file:`, custom schemes or links carrying credentials.
 */
export function isExternalLink(url: string): boolean {
  try {
    const parsed = new URL(url)
    return (parsed.protocol === 'https:' || parsed.protocol === 'http:') && parsed.username === '' && parsed.password === ''
  } catch {
    return false
  }
}

/**
 * What a frame whose document the page wrote itself (`srcdoc`) navigates to. Such a frame shares the
 * page's origin and content security policy; the page uses one, hidden, to run Monaco's script once
 * more so that its code cache is filled (renderer/src/editor/code-cache.ts).
 */
const SRCDOC_URL = 'about:srcdoc'

/**
 * Guards a window's contents: new windows are denied (web links go to the system browser),
 * navigation and redirects anywhere but the app's page are prevented (a subframe may only hold a
 * document the page wrote itself), webviews are refused, and every permission request or check is
 * denied.
 */
export function guardWebContents(contents: WebContents): void {
  contents.setWindowOpenHandler(({ url }) => {
    if (isExternalLink(url)) {
      shell.openExternal(url).catch((error: unknown) => {
        console.error(`Could not open ${url} in the system browser: ${String(error)}`)
      })
    }
    return { action: 'deny' }
  })
  contents.on('will-navigate', (event) => {
    if (!isAppEntryUrl(event.url)) event.preventDefault()
  })
  contents.on('will-frame-navigate', (event) => {
    if (event.isMainFrame ? !isAppEntryUrl(event.url) : event.url !== SRCDOC_URL) event.preventDefault()
  })
  contents.on('will-redirect', (event) => {
    if (!isAppEntryUrl(event.url)) event.preventDefault()
  })
  contents.on('will-attach-webview', (event) => {
    event.preventDefault()
  })
  contents.session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
  contents.session.setPermissionCheckHandler(() => false)
}

/**
 * Creates a window with the locked-down defaults, hidden until its first paint is ready (no white
 * flash). The caller loads the app's page into it.
 */
export function createAppWindow(options: AppWindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    show: false,
    title: options.title ?? 'sftbench',
    width: options.width ?? 1280,
    height: options.height ?? 860,
    minWidth: 640,
    minHeight: 480,
    backgroundColor: '#ffffff',
    webPreferences: secureWebPreferences(options.preloadPath),
  })
  guardWebContents(window.webContents)
  window.once('ready-to-show', () => window.show())
  return window
}
