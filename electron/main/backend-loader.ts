/**
 * @module electron/main/backend-loader
 * Loads the backend services (`electron/app/backend.ts`) into the main process from their
 * TypeScript sources, through tsx's loader, exactly as `sftbench serve` runs them.
 *
 * Why not bundle them into `main.mjs`: the model runtime starts its worker thread from
 * `electron/runtime/worker.ts`, and the backend loads the evaluation service lazily, both found
 * relative to their own module URLs. Bundled, those URLs would point into `dist/` and the model
 * worker would not start. Loading the sources keeps one code path for both transports, and the
 * model still runs in its worker thread, off this process's event loop.
 */
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { BackendFactory, DesktopBackend } from './main.ts'

/** The backend's source module, relative to the root. */
export const BACKEND_MODULE = 'electron/app/backend.ts'

type BackendModule = typeof import('../app/backend.ts')

/**
 * Creates the desktop backend from `module` (the backend's module, already loaded): desktop mode
 * with the native file dialog, and every request tagged as coming over IPC.
 */
export async function createDesktopBackend(
  module: Pick<BackendModule, 'createBackend'>,
  options: Parameters<BackendFactory>[0],
): Promise<DesktopBackend> {
  const backend = await module.createBackend({
    workspace: options.workspace,
    defaultModel: options.defaultModel,
    mode: 'desktop',
    pickPath: options.pickPath,
  })
  return {
    handle: (channel, payload) => backend.handle(channel, payload, { transport: 'ipc' }),
    events: (listener) => backend.events(listener),
    dispose: () => backend.dispose(),
  }
}

/** Registers tsx and creates the backend from `<root>/electron/app/backend.ts`. */
export async function loadDesktopBackend(root: string, options: Parameters<BackendFactory>[0]): Promise<DesktopBackend> {
  const { register } = await import('tsx/esm/api')
  register()
  const url = pathToFileURL(path.join(root, BACKEND_MODULE)).href
  const module = (await import(/* @vite-ignore */ url)) as BackendModule
  return createDesktopBackend(module, options)
}
