/**
 * Vite build of the renderer. The output in `dist/renderer` is what both the desktop window (loaded
 * from `file://`, hence the relative `base`) and `sftbench serve` deliver.
 */
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import react from '@vitejs/plugin-react'
import { defineConfig, type Plugin } from 'vite'

const here = path.dirname(fileURLToPath(import.meta.url))

/**
 * Modules loaded with import() whose chunks (and the chunks they import) the page starts fetching as
 * it loads: `<link rel="modulepreload">` lets the browser download and compile them on a background
 * thread while the app's own chunk runs, so a template cell finds Monaco compiled and only has to
 * evaluate it. Nothing is evaluated until the app imports it. Low fetch priority: the app's own
 * chunk arrives (and is compiled) first.
 */
const PRELOADED_MODULES = ['src/editor/monaco.ts', 'src/editor/TemplateCellView.tsx']

function preloadLazyChunks(modules: readonly string[]): Plugin {
  const wanted = new Set(modules.map((m) => path.resolve(here, m)))
  return {
    name: 'sftbench:preload-lazy-chunks',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(_html, context) {
        const bundle = context.bundle
        if (bundle === undefined) return []
        const chunks = Object.values(bundle).flatMap((c) => (c.type === 'chunk' ? [c] : []))
        const entry = chunks.find((c) => c.isEntry)
        const loaded = new Set([entry?.fileName, ...(entry?.imports ?? [])])
        const files: string[] = []
        const styles: string[] = []
        const visit = (fileName: string): void => {
          if (loaded.has(fileName)) return
          loaded.add(fileName)
          const chunk = chunks.find((c) => c.fileName === fileName)
          if (chunk === undefined) return
          chunk.imports.forEach(visit)
          files.push(fileName)
          styles.push(...(chunk.viteMetadata?.importedCss ?? []))
        }
        for (const chunk of chunks) if (chunk.facadeModuleId !== null && wanted.has(chunk.facadeModuleId)) visit(chunk.fileName)
        return [
          ...files.map((f) => ({ tag: 'link', attrs: { rel: 'modulepreload', crossorigin: true, fetchpriority: 'low', href: `./${f}` }, injectTo: 'head' as const })),
          ...styles.map((f) => ({ tag: 'link', attrs: { rel: 'preload', as: 'style', crossorigin: true, fetchpriority: 'low', href: `./${f}` }, injectTo: 'head' as const })),
        ]
      },
    },
  }
}

/**
 * Source edits of dependencies, each checked: the build fails if its text is no longer there (a new
 * version changed the file), so the edit is never silently lost.
 *
 * Monaco's context-key parser creates an Error at module evaluation as a sentinel it throws and
 * catches by identity. Creating an Error records a stack trace, and for a frame in Monaco's 3 MB
 * module V8 then has to work out source positions by parsing that whole module again: about 180 ms
 * of the template editor's start-up. An object with Error's prototype is the same sentinel without
 * a stack.
 */
const DEPENDENCY_EDITS: readonly { readonly file: string; readonly find: string; readonly replace: string }[] = [
  {
    file: 'monaco-editor/esm/vs/platform/contextkey/common/contextkey.js',
    find: 'static { this._parseError = new Error(); }',
    replace: 'static { this._parseError = Object.create(Error.prototype); }',
  },
]

function editDependencies(edits: typeof DEPENDENCY_EDITS): Plugin {
  const applied = new Set<string>()
  return {
    name: 'sftbench:edit-dependencies',
    apply: 'build',
    buildStart() {
      applied.clear()
    },
    transform(code, id) {
      const edit = edits.find((e) => id.split(path.sep).join('/').endsWith(`node_modules/${e.file}`))
      if (edit === undefined) return null
      if (!code.includes(edit.find)) {
        throw new Error(`${edit.file} no longer contains ${JSON.stringify(edit.find)}; update DEPENDENCY_EDITS in renderer/vite.config.ts.`)
      }
      applied.add(edit.file)
      return { code: code.replace(edit.find, edit.replace), map: null }
    },
    buildEnd(error) {
      const missed = edits.filter((e) => !applied.has(e.file)).map((e) => e.file)
      if (error === undefined && missed.length > 0) {
        throw new Error(`The build no longer includes ${missed.join(', ')}; remove the edit from DEPENDENCY_EDITS in renderer/vite.config.ts.`)
      }
    },
  }
}

export default defineConfig({
  root: here,
  base: './',
  plugins: [react(), preloadLazyChunks(PRELOADED_MODULES), editDependencies(DEPENDENCY_EDITS)],
  build: {
    outDir: path.resolve(here, '../dist/renderer'),
    emptyOutDir: true,
    target: 'es2022',
    // Plotly (about 4.8 MB minified) is loaded with import() when the first plot appears, so it is its
    // own chunk and may exceed the default warning size; the main chunk stays small.
    chunkSizeWarningLimit: 5000,
    sourcemap: false,
    rolldownOptions: {
      output: {
        // React in a chunk of its own: the page's two big scripts then compile in parallel, on two
        // background threads, instead of one after the other.
        codeSplitting: { groups: [{ name: 'react', test: /[\\/]node_modules[\\/](react|react-dom|scheduler)[\\/]/ }] },
      },
    },
  },
  server: { host: '127.0.0.1', strictPort: true },
})
