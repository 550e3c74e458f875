/**
 * @module electron/main/build
 * Bundles the Electron main process and the preload with Vite (library mode):
 *
 * - `dist/electron/main.mjs`: an ES module for Electron's Node side. Only our own modules are
 *   bundled; `electron`, Node built-ins and npm packages stay imports, resolved at run time.
 * - `dist/electron/preload.cjs`: one self-contained CommonJS script. A sandboxed preload cannot
 *   import modules at run time (its `require` knows only `electron` and a few polyfills), so
 *   everything it uses, the contract's channel list included, is inlined.
 *
 * The renderer has its own Vite config (`renderer/vite.config.ts`); the backend services are not
 * bundled either (see `main.ts` for why).
 */
import { builtinModules } from 'node:module'
import path from 'node:path'
import { build } from 'vite'
import type { InlineConfig } from 'vite'

/** Where the bundles go, relative to the repository root. */
export const DESKTOP_OUT_DIR = 'dist/electron'
/** The main-process entry, relative to the repository root. */
export const MAIN_ENTRY = 'electron/main/entry.ts'
/** The preload entry, relative to the repository root. */
export const PRELOAD_ENTRY = 'electron/main/preload.ts'
export const MAIN_BUNDLE = 'main.mjs'
export const PRELOAD_BUNDLE = 'preload.cjs'

/** The files a desktop build produced, as absolute paths. */
export interface DesktopBuild {
  readonly mainPath: string
  readonly preloadPath: string
}

/** Options for `buildDesktop`. */
export interface DesktopBuildOptions {
  /** Vite's log level; the launcher keeps it at `error` so `npm start` stays quiet. */
  readonly logLevel?: 'info' | 'warn' | 'error' | 'silent'
  /** Output folder, relative to the root or absolute (tests build into a temporary folder). */
  readonly outDir?: string
}

const NODE_BUILTINS = new Set(builtinModules)

/**
 * Whether the main bundle leaves `id` as an import: `electron`, Node built-ins (`node:fs`, `fs`)
 * and every bare package name. Relative and absolute paths (our sources) are bundled.
 */
export function isMainExternal(id: string): boolean {
  if (id.startsWith('node:') || NODE_BUILTINS.has(id)) return true
  return isBareSpecifier(id)
}

/** Whether the preload leaves `id` as a `require`: only `electron`, which the sandbox provides. */
export function isPreloadExternal(id: string): boolean {
  return id === 'electron'
}

function isBareSpecifier(id: string): boolean {
  return !id.startsWith('.') && !path.isAbsolute(id) && !id.startsWith('\0') && !/^[a-zA-Z]:[\\/]/.test(id)
}

function commonConfig(root: string, options: DesktopBuildOptions): InlineConfig {
  return {
    configFile: false,
    root,
    logLevel: options.logLevel ?? 'warn',
    publicDir: false,
    // The bundles read no environment variables at build time; keep NODE_ENV for any library code.
    define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  }
}

/** Bundles main and preload into `dist/electron/` (or `options.outDir`) and returns their paths. */
export async function buildDesktop(root: string, options: DesktopBuildOptions = {}): Promise<DesktopBuild> {
  const outDir = path.resolve(root, options.outDir ?? DESKTOP_OUT_DIR)
  await build({
    ...commonConfig(root, options),
    build: {
      // An SSR build targets Node; its entry and file name are set through rolldown's options.
      ssr: path.resolve(root, MAIN_ENTRY),
      target: 'node22',
      outDir,
      emptyOutDir: false,
      copyPublicDir: false,
      minify: false,
      sourcemap: true,
      reportCompressedSize: false,
      rolldownOptions: { external: isMainExternal, output: { format: 'es', entryFileNames: MAIN_BUNDLE } },
    },
  })
  await build({
    ...commonConfig(root, options),
    build: {
      ssr: false,
      target: 'chrome140',
      outDir,
      emptyOutDir: false,
      copyPublicDir: false,
      minify: false,
      sourcemap: true,
      reportCompressedSize: false,
      lib: { entry: path.resolve(root, PRELOAD_ENTRY), formats: ['cjs'], fileName: () => PRELOAD_BUNDLE },
      rolldownOptions: { external: isPreloadExternal },
    },
  })
  return { mainPath: path.join(outDir, MAIN_BUNDLE), preloadPath: path.join(outDir, PRELOAD_BUNDLE) }
}
