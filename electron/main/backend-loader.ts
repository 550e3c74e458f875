/**
 * @module electron/main/backend-loader
 * Loads the backend services (`electron/app/backend.ts`) into the main process from their
 * TypeScript sources, through tsx's loader, exactly as `sftbench serve` runs them.
 *
 * Why not bundle them into `main.mjs`: the model runtime starts its worker thread from
 * `electron/runtime/worker.ts`, found relative to its own module URL and compiled by tsx inside
 * the worker. Bundled, that URL would point into `dist/` and the worker would not start. Loading
 * the sources keeps one code path for both transports.
 */
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { BackendFactory, DesktopBackend } from './main.ts'

/** The backend's source module, relative to the root. */
export const BACKEND_MODULE = 'electron/app/backend.ts'

/** Registers tsx (once) and creates the backend from `<root>/electron/app/backend.ts`. */
export async function loadDesktopBackend(root: string, _options: Parameters<BackendFactory>[0]): Promise<DesktopBackend> {
  const { register } = await import('tsx/esm/api')
  register()
  const url = pathToFileURL(path.join(root, BACKEND_MODULE)).href
  const module: unknown = await import(/* @vite-ignore */ url)
  throw new Error(`The backend module ${url} was loaded (${typeof module}) but is not wired to the desktop app yet.`)
}
