/**
 * @module electron/main/main
 * The desktop app's main process: lifecycle, the app protocol, the backend and its window.
 *
 * - One instance: a second launch focuses the first window and exits.
 * - Before the first window: the `sftbench://app` scheme serves `dist/renderer` with the CSP, and
 *   the session adds the CSP to any other response.
 * - The backend is the same one `sftbench serve` uses, created with the workspace and the default
 *   model; the model itself loads in a worker thread (`electron/runtime/client.ts`), so neither
 *   this process nor the window waits on inference.
 * - Quits when the last window closes, except on macOS, where the app stays in the dock and
 *   `activate` opens a new window.
 */
import { existsSync } from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { fileURLToPath } from 'node:url'
import { BrowserWindow, app, dialog, protocol, session } from 'electron'
import type { OpenDialogOptions, SaveDialogOptions } from 'electron'
import type { PickRequest } from '../app/backend.ts'
import {
  APP_ENTRY_URL,
  APP_SCHEME,
  APP_SCHEME_PRIVILEGES,
  createAppProtocolHandler,
} from './app-protocol.ts'
import { installCspHeader } from './csp.ts'
import { registerIpc } from './ipc.ts'
import type { EventSource, RequestHandler } from './ipc.ts'
import { createAppWindow } from './window.ts'

//#region Paths and arguments

/** Where the desktop app finds its parts, all absolute. */
export interface DesktopPaths {
  /** The repository (or unpacked app) root. */
  readonly root: string
  /** The built renderer, served as `sftbench://app/`. */
  readonly rendererDir: string
  /** The bundled preload (`dist/electron/preload.cjs`). */
  readonly preloadPath: string
}

/** The paths, from the URL of the main bundle (`<root>/dist/electron/main.mjs`). */
export function desktopPaths(mainBundleUrl: string): DesktopPaths {
  const bundleDir = path.dirname(fileURLToPath(mainBundleUrl))
  const root = path.resolve(bundleDir, '..', '..')
  return {
    root,
    rendererDir: path.join(root, 'dist', 'renderer'),
    preloadPath: path.join(bundleDir, 'preload.cjs'),
  }
}

/** The bundled sample model that solves 6x6 Sokoban (relative to the root; samples/models/). */
export const DEFAULT_MODEL_DIR = 'samples/models/frozen'

/** What the command line chose. */
export interface DesktopArgs {
  readonly workspace: string
  /** The model to load at start, or null for none (`--no-model`). */
  readonly model: string | null
}

/**
 * Reads `--workspace DIR`, `--model DIR` and `--no-model` from the app's own arguments (after the
 * executable and, unpackaged, the main script). Anything else, such as Chromium switches, is left
 * alone. Relative paths are resolved against `cwd`; the workspace defaults to `cwd`, the model to
 * the fixture model.
 */
export function parseDesktopArgs(argv: readonly string[], cwd: string, root: string): DesktopArgs {
  const { values } = parseArgs({
    args: [...argv],
    options: { workspace: { type: 'string' }, model: { type: 'string' }, 'no-model': { type: 'boolean' } },
    strict: false,
    allowPositionals: true,
  })
  const workspace = typeof values.workspace === 'string' ? path.resolve(cwd, values.workspace) : cwd
  let model: string | null = path.join(root, DEFAULT_MODEL_DIR)
  if (values['no-model'] === true) model = null
  else if (typeof values.model === 'string') model = path.resolve(cwd, values.model)
  return { workspace, model }
}

//#endregion

//#region Backend

/** What the main process needs from the backend. */
export interface DesktopBackend {
  readonly handle: RequestHandler
  readonly events: EventSource
  dispose(): Promise<void>
}

/** Creates the backend for the desktop app. */
export type BackendFactory = (options: {
  readonly workspace: string
  readonly defaultModel: string | null
  /** Shows the native dialog for `wb:files.pick`; resolves with the chosen path or null. */
  readonly pickPath: (request: PickRequest) => Promise<string | null>
}) => Promise<DesktopBackend>

/** Shows the native open / save / folder dialog over `window`. */
export async function showPickDialog(window: BrowserWindow | null, request: PickRequest): Promise<string | null> {
  const filters = request.filters?.map((f) => ({ name: f.name, extensions: [...f.extensions] }))
  if (request.kind === 'save') {
    const options: SaveDialogOptions = { title: request.title, filters }
    const result = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options)
    return result.canceled || !result.filePath ? null : result.filePath
  }
  const options: OpenDialogOptions = {
    title: request.title,
    filters,
    properties: request.kind === 'folder' ? ['openDirectory', 'createDirectory'] : ['openFile'],
  }
  const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options)
  return result.canceled || result.filePaths.length === 0 ? null : result.filePaths[0]
}

//#endregion

//#region Lifecycle

/** What `startDesktopApp` needs. */
export interface DesktopOptions {
  readonly paths: DesktopPaths
  readonly args: DesktopArgs
  readonly createBackend: BackendFactory
  /** The platform, for the macOS rule on closing the last window. */
  readonly platform?: NodeJS.Platform
  /** Whether the built renderer is in its folder (default: `index.html` exists there). */
  readonly rendererExists?: (rendererDir: string) => boolean
}

/**
 * Runs the desktop app. Must be called before the app is ready (the scheme is registered as
 * privileged then). Resolves once the first window is loading, or at once when another instance
 * already runs (this one quits).
 */
export async function startDesktopApp(options: DesktopOptions): Promise<void> {
  const platform = options.platform ?? process.platform
  protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES])
  if (!app.requestSingleInstanceLock()) {
    app.quit()
    return
  }

  let window: BrowserWindow | null = null
  let backend: DesktopBackend | null = null

  const openWindow = (): BrowserWindow => {
    if (backend === null) throw new Error('The backend must exist before a window opens.')
    const current = createAppWindow({ preloadPath: options.paths.preloadPath })
    const stopIpc = registerIpc({ contents: current.webContents, handle: backend.handle, events: backend.events })
    current.on('closed', () => {
      stopIpc()
      if (window === current) window = null
    })
    window = current
    current.loadURL(APP_ENTRY_URL).catch((error: unknown) => {
      const message = `Could not load ${APP_ENTRY_URL}: ${error instanceof Error ? error.message : String(error)}`
      console.error(message)
      dialog.showErrorBox('sftbench could not show its window', message)
    })
    return current
  }

  app.on('second-instance', () => {
    if (window === null) return
    if (window.isMinimized()) window.restore()
    window.focus()
  })
  app.on('window-all-closed', () => {
    if (platform !== 'darwin') app.quit()
  })
  app.on('activate', () => {
    if (backend !== null && BrowserWindow.getAllWindows().length === 0) openWindow()
  })
  app.on('will-quit', () => {
    backend?.dispose().catch((error: unknown) => {
      console.error(`Stopping the backend failed: ${error instanceof Error ? error.message : String(error)}`)
    })
  })

  await app.whenReady()
  const rendererExists = options.rendererExists ?? ((dir: string) => existsSync(path.join(dir, 'index.html')))
  if (!rendererExists(options.paths.rendererDir)) {
    throw new Error(
      `The renderer is not built: ${path.join(options.paths.rendererDir, 'index.html')} is missing. ` +
        'Run "npm run build", or start the app with "npm start", which builds it.',
    )
  }
  protocol.handle(APP_SCHEME, createAppProtocolHandler(options.paths.rendererDir))
  installCspHeader(session.defaultSession)
  backend = await options.createBackend({
    workspace: options.args.workspace,
    defaultModel: options.args.model,
    pickPath: (request) => showPickDialog(window, request),
  })
  openWindow()
}

//#endregion
