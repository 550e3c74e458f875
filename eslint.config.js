// Lint rules that keep the layers apart. The core engine is pure: no platform imports and no
// hidden sources of nondeterminism, so every result follows from its explicit seed.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import globals from 'globals'

const coreBannedImports = [
  { group: ['node:*'], message: 'core/ is pure TypeScript: inject platform services through an interface it defines.' },
  { group: ['fs', 'path', 'os', 'child_process', 'worker_threads', 'crypto', 'util', 'stream'], message: 'core/ must not import Node built-ins.' },
  { group: ['electron', 'electron/*'], message: 'core/ must not import electron.' },
  { group: ['react', 'react-dom', 'react/*', 'react-dom/*'], message: 'core/ must not import react.' },
  { group: ['onnxruntime-*', 'onnxruntime-node'], message: 'Only the runtime adapter imports onnxruntime.' },
  { group: ['**/electron/**', '**/renderer/**', '**/test/**', '**/bench/**'], message: 'core/ imports nothing outside core/.' },
]

const rendererBannedImports = [
  { group: ['node:*'], message: 'renderer/ runs in a browser page: no Node built-ins.' },
  { group: ['electron', 'electron/*', '**/electron/**'], message: 'renderer/ reaches the backend only through core/contract and its transport.' },
  { group: ['onnxruntime-*', 'onnxruntime-node'], message: 'Only the runtime adapter imports onnxruntime.' },
  { group: ['**/test/**', '**/bench/**', '**/scripts/**'], message: 'renderer/ imports core/ and renderer/ only.' },
]

const mainBannedImports = [
  { group: ['**/renderer/**'], message: 'electron/main/ may import core/ and electron/, never renderer/ (the page is a separate, sandboxed world).' },
  { group: ['**/test/**', '**/bench/**'], message: 'electron/main/ imports core/ and electron/ only.' },
]

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'test-artifacts/**', 'bench/out/**', '.tmp/**', '.tmp-*', '**/*.py'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-properties': [
        'error',
        { object: 'describe', property: 'only', message: 'A focused test silences the rest of the suite.' },
        { object: 'it', property: 'only', message: 'A focused test silences the rest of the suite.' },
        { object: 'test', property: 'only', message: 'A focused test silences the rest of the suite.' },
      ],
    },
  },
  {
    files: ['electron/**/*.{ts,mjs,js}', 'test/**/*.ts', 'bench/**/*.{ts,mjs}', 'scripts/**/*.{ts,mjs,js}', '*.js', '*.ts'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['core/**/*.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-imports': ['error', { patterns: coreBannedImports }],
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'Use an Rng from core/rng, seeded explicitly.' },
        { object: 'Date', property: 'now', message: 'Inject a Clock; core/ must not read the wall clock.' },
        { object: 'performance', property: 'now', message: 'Inject a Clock; core/ must not read the wall clock.' },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'window', message: 'core/ has no DOM.' },
        { name: 'document', message: 'core/ has no DOM.' },
        { name: 'process', message: 'core/ has no Node globals.' },
        { name: 'require', message: 'core/ is ESM and pure.' },
        { name: 'fetch', message: 'Inject I/O through an interface defined in core/.' },
        { name: 'setTimeout', message: 'Inject a Clock or scheduler.' },
        { name: 'setInterval', message: 'Inject a Clock or scheduler.' },
        { name: 'console', message: 'core/ reports through return values and events, not the console.' },
      ],
    },
  },
  {
    // The renderer runs in a sandboxed page: DOM only, and it reaches the backend through the contract.
    files: ['renderer/src/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          // Exact names: a pattern like 'util' would also match the renderer's own folders of that name.
          paths: ['fs', 'path', 'os', 'child_process', 'worker_threads', 'crypto', 'util', 'stream'].map((name) => ({
            name,
            message: 'renderer/ runs in a browser page: no Node built-ins.',
          })),
          patterns: rendererBannedImports,
        },
      ],
    },
  },
  { files: ['renderer/vite.config.ts'], languageOptions: { globals: { ...globals.node } } },
  {
    // The Electron main process and preload: core/ and electron/ only.
    files: ['electron/main/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: mainBannedImports }] },
  },
  {
    // The preload runs in a sandboxed renderer: only `electron` and the contract, bundled into one file.
    files: ['electron/main/preload.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['fs', 'path', 'os', 'child_process', 'worker_threads', 'crypto', 'util', 'stream'].map((name) => ({
            name,
            message: 'The sandboxed preload has no Node built-ins.',
          })),
          patterns: [...mainBannedImports, { group: ['node:*'], message: 'The sandboxed preload has no Node built-ins.' }],
        },
      ],
    },
  },
  {
    // Everything else on the Node side runs without an Electron binary (CLI, server, launcher). From
    // Electron 42 on, loading the package tries to download the binary and throws offline.
    files: ['electron/**/*.{ts,mjs}', 'scripts/**/*.{ts,mjs,js}', 'bench/**/*.{ts,mjs}'],
    ignores: ['electron/main/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'Only electron/main/ may load electron; types are fine (import type).', allowTypeImports: true }],
        },
      ],
    },
  },
)
