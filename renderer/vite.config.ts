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

export default defineConfig({
  root: here,
  base: './',
  plugins: [react(), preloadLazyChunks(PRELOADED_MODULES)],
  build: {
    outDir: path.resolve(here, '../dist/renderer'),
    emptyOutDir: true,
    target: 'es2022',
    // Plotly (about 4.8 MB minified) is loaded with import() when the first plot appears, so it is its
    // own chunk and may exceed the default warning size; the main chunk stays small.
    chunkSizeWarningLimit: 5000,
    sourcemap: false,
  },
  server: { host: '127.0.0.1', strictPort: true },
})
