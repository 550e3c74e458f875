/**
 * Vite build of the renderer. The output in `dist/renderer` is what both the desktop window (loaded
 * from `file://`, hence the relative `base`) and `sftbench serve` deliver.
 */
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

const here = path.dirname(fileURLToPath(import.meta.url))

export default defineConfig({
  root: here,
  base: './',
  plugins: [react()],
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
