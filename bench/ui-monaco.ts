/**
 * Benchmark section `ui-monaco`: how soon the template editor is usable after the page first paints,
 * measured in Chromium (playwright-core) with the Performance API.
 *
 * A fresh browser context (empty cache) opens a notebook with a task cell and two template cells
 * from `sftbench serve --no-model`. "Monaco ready" is the `sftbench:monaco-ready` mark the editor sets
 * once its model is attached and tokenized and the frame showing it has painted (renderer/src/editor/
 * monaco.ts). It is reported from first contentful paint (the target: under 1 s), with, for context,
 * navigation -> first contentful paint, first contentful paint -> the notebook's first cell (the
 * app's own start-up, measured on the same page, which the editor cannot beat) and -> the
 * `sftbench:monaco-loaded` mark (Monaco's module downloaded and evaluated).
 *
 * Median of `--runs=N` (default 3) page loads.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Browser } from 'playwright-core'
import { e2eUnavailable, ensureRendererBuilt, launchBrowser, startServer, type ServerHandle } from '../test/e2e/harness.ts'
import { numberOption } from './environment.ts'
import type { BenchSection } from './sections.ts'
import { median, passFail, printTable } from './stats.ts'

const TARGET_MS = 1000
const READY_MARK = 'sftbench:monaco-ready'
const LOADED_MARK = 'sftbench:monaco-loaded'

const NOTEBOOK = {
  format: 1,
  title: 'Monaco bench',
  nextId: 4,
  cells: [
    { id: 'cell-1', kind: 'task', reads: [], task: 'sokoban', difficulty: 'simple', seedScheme: { kind: 'seeded', seed: 7 }, count: 8 },
    { id: 'cell-2', kind: 'template', reads: ['cell-1'], variant: 'sokoban-eval-base' },
    { id: 'cell-3', kind: 'template', reads: ['cell-1'], variant: 'gp-test-all_10' },
  ],
}

/** Installed before the page's scripts: when the first cell appears (the app's own first render). */
const MONITOR = `
  window.__cellAt = null
  new MutationObserver((_, observer) => {
    if (document.querySelector('[data-cell-id]')) { window.__cellAt = performance.now(); observer.disconnect() }
  }).observe(document, { childList: true, subtree: true })
`

interface LoadFigures {
  readonly fcpMs: number
  readonly cellMs: number
  /** FCP to Monaco's module evaluated (downloaded, compiled, run). */
  readonly loadedMs: number
  readonly readyMs: number
}

async function loadOnce(browser: Browser, server: ServerHandle): Promise<LoadFigures> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } })
  await context.addInitScript({ content: MONITOR })
  const page = await context.newPage()
  try {
    await page.goto(`${server.url}#nb=bench.sftnb`, { waitUntil: 'commit' })
    const ready = (await page.evaluate(
      `new Promise((resolve) => new PerformanceObserver((list, observer) => {
         const entry = list.getEntriesByName('${READY_MARK}')[0]
         if (entry) { observer.disconnect(); resolve(entry.startTime) }
       }).observe({ type: 'mark', buffered: true }))`,
    )) as number
    const fcp = (await page.evaluate(
      `performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN`,
    )) as number
    const loaded = (await page.evaluate(`performance.getEntriesByName('${LOADED_MARK}')[0]?.startTime ?? NaN`)) as number
    const cell = (await page.evaluate('window.__cellAt')) as number | null
    if (!Number.isFinite(fcp)) throw new Error('The page reported no first contentful paint.')
    return { fcpMs: fcp, cellMs: (cell ?? NaN) - fcp, loadedMs: loaded - fcp, readyMs: ready - fcp }
  } finally {
    await context.close()
  }
}

async function run(): Promise<void> {
  const unavailable = e2eUnavailable()
  if (unavailable !== null) {
    console.log(`skipped: ${unavailable}`)
    return
  }
  const runs = numberOption('runs', 3)
  await ensureRendererBuilt()
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'sftbench-bench-monaco-'))
  fs.writeFileSync(path.join(workspace, 'bench.sftnb'), JSON.stringify(NOTEBOOK, null, 2))
  const server = await startServer({ workspace, args: ['--no-model'] })
  const browser = await launchBrowser()
  try {
    console.log(`Chromium ${browser.version()}, ${runs} page loads, each in a fresh context (empty cache)`)
    const loads: LoadFigures[] = []
    for (let r = 0; r < runs; r++) loads.push(await loadOnce(browser, server))
    const ms = (x: number): number | string => (Number.isFinite(x) ? Math.round(x) : '—')
    printTable(
      ['run', 'navigation -> FCP ms', 'FCP -> first cell ms (app start-up)', 'FCP -> Monaco evaluated ms', 'FCP -> Monaco ready ms'],
      loads.map((l, i) => [i + 1, ms(l.fcpMs), ms(l.cellMs), ms(l.loadedMs), ms(l.readyMs)]),
    )
    const ready = median(loads.map((l) => l.readyMs))
    const cell = median(loads.map((l) => l.cellMs))
    const loaded = median(loads.map((l) => l.loadedMs))
    console.log(
      `medians: the app's own start-up (FCP -> first cell) ${Math.round(cell)} ms; Monaco downloaded and evaluated ` +
        `${Math.round(loaded - cell)} ms after that; editors created, tokenized and painted ${Math.round(ready - loaded)} ms after that`,
    )
    console.log(
      `target: Monaco ready under ${TARGET_MS} ms after first paint: median ${Math.round(ready)} ms ` +
        `(ratio ${(ready / TARGET_MS).toFixed(2)} of the target) -> ${passFail(ready < TARGET_MS)}`,
    )
  } finally {
    await browser.close()
    await server.stop()
    fs.rmSync(workspace, { recursive: true, force: true })
  }
}

/** The `ui-monaco` section. */
export const uiMonacoSection: BenchSection = {
  name: 'ui-monaco',
  title: 'template editor in Chromium: Monaco ready (model attached, tokenized, painted) after first paint (target < 1 s)',
  run,
}
