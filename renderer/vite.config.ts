/**
 * Vite build of the renderer. The output in `dist/renderer` is what both the desktop window (loaded
 * from `file://`, hence the relative `base`) and `sftbench serve` deliver.
 */
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import react from '@vitejs/plugin-react'
import { build, defineConfig, type Plugin, type Rolldown } from 'vite'

const here = path.dirname(fileURLToPath(import.meta.url))

/**
 * Modules loaded with import() whose chunks (and the chunks they import) the page starts fetching as
 * it loads: `<link rel="modulepreload">` lets the browser download and compile them on a background
 * thread while the app's own chunk runs, so a template cell finds its code compiled and only has to
 * evaluate it. Nothing is evaluated until the app imports it. Low fetch priority: the app's own
 * chunk arrives (and is compiled) first. (Monaco itself is a classic script: `classicMonaco`.)
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

/**
 * Monaco as one classic script (see `src/editor/monaco-classic.ts` for why), built by a second
 * Vite build when this one starts: an IIFE (`assets/monaco-editor-[hash].js`) that sets the global
 * `sftbenchMonaco`, its stylesheet and the icon font, all with hashed names in `assets/`. The app
 * finds their names in the virtual module `virtual:monaco-classic`, and the page preloads the
 * script and the stylesheet (low priority, like the lazy chunks), so Chromium fetches and compiles
 * the script, or takes it from its code cache, on a background thread before a template cell asks
 * for it.
 */
const CLASSIC_MONACO = { entry: 'src/editor/monaco-classic.ts', global: 'sftbenchMonaco', module: 'virtual:monaco-classic' }

function classicMonaco(): Plugin {
  const resolvedId = `\0${CLASSIC_MONACO.module}`
  let files: { script: string; style: string | null } | null = null
  return {
    name: 'sftbench:classic-monaco',
    apply: 'build',
    async buildStart() {
      const built = await build({
        configFile: false,
        root: here,
        base: './',
        logLevel: 'warn',
        plugins: [editDependencies(DEPENDENCY_EDITS)],
        build: {
          write: false,
          target: 'es2022',
          sourcemap: false,
          cssCodeSplit: false,
          chunkSizeWarningLimit: 5000,
          rolldownOptions: {
            input: path.resolve(here, CLASSIC_MONACO.entry),
            // A classic script has no `import.meta`. Monaco reads it only on paths this app never
            // takes: the editor worker's default location (MonacoEnvironment.getWorker gives it) and
            // an optional external diff module (with Vite's preload helper for that import()).
            transform: { define: { 'import.meta': '{}' } },
            // Keep the entry's exports (an app build drops them): they become the global's value.
            preserveEntrySignatures: 'strict',
            output: {
              format: 'iife',
              name: CLASSIC_MONACO.global,
              entryFileNames: 'assets/monaco-editor-[hash].js',
              // Its stylesheet is named after the script; the icon font keeps its own name.
              assetFileNames: (asset) => (asset.names.some((n) => n.endsWith('.css')) ? 'assets/monaco-editor-[hash][extname]' : 'assets/[name]-[hash][extname]'),
            },
          },
        },
      })
      const outputs: (Rolldown.OutputChunk | Rolldown.OutputAsset)[] = (Array.isArray(built) ? built : [built]).flatMap((b) => ('output' in b ? b.output : []))
      const scripts = outputs.filter((o) => o.type === 'chunk')
      if (scripts.length !== 1) throw new Error(`The classic build of Monaco gave ${scripts.length} scripts; it must give one (no dynamic imports).`)
      for (const o of outputs) this.emitFile({ type: 'asset', fileName: o.fileName, source: o.type === 'chunk' ? o.code : o.source })
      const style = outputs.find((o) => o.fileName.endsWith('.css'))
      files = { script: path.posix.basename(scripts[0].fileName), style: style === undefined ? null : path.posix.basename(style.fileName) }
    },
    resolveId(id) {
      return id === CLASSIC_MONACO.module ? resolvedId : null
    },
    load(id) {
      if (id !== resolvedId) return null
      if (files === null) throw new Error('The classic build of Monaco has not run.')
      // Relative to the chunk that imports this module, which is in `assets/` too.
      return [
        `export const MONACO_SCRIPT = ${JSON.stringify(`./${files.script}`)}`,
        `export const MONACO_STYLE = ${JSON.stringify(files.style === null ? null : `./${files.style}`)}`,
        `export const MONACO_GLOBAL = ${JSON.stringify(CLASSIC_MONACO.global)}`,
      ].join('\n')
    },
    transformIndexHtml() {
      if (files === null) return []
      const link = (as: string, file: string) => ({ tag: 'link', attrs: { rel: 'preload', as, fetchpriority: 'low', href: `./assets/${file}` }, injectTo: 'head' as const })
      return [link('script', files.script), ...(files.style === null ? [] : [link('style', files.style)])]
    },
  }
}

export default defineConfig({
  root: here,
  base: './',
  plugins: [react(), classicMonaco(), preloadLazyChunks(PRELOADED_MODULES)],
  build: {
    outDir: path.resolve(here, '../dist/renderer'),
    emptyOutDir: true,
    target: 'es2022',
    // Plotly (about 4.8 MB minified) is loaded with import() when the first plot appears, so it is its
    // own chunk and may exceed the default warning size; the main chunk stays small.
    chunkSizeWarningLimit: 5000,
    sourcemap: false,
    rolldownOptions: {
      // No notice that a plugin took much of the build: `classicMonaco`'s nested build does, by design.
      checks: { bundlerTimings: false },
      output: {
        // React in a chunk of its own: the page's two big scripts then compile in parallel, on two
        // background threads, instead of one after the other.
        codeSplitting: { groups: [{ name: 'react', test: /[\\/]node_modules[\\/](react|react-dom|scheduler)[\\/]/ }] },
      },
    },
  },
  server: { host: '127.0.0.1', strictPort: true },
})
