/**
 * Benchmark section `ui-monaco`: how soon the template editor is usable after the page first paints,
 * measured in Chromium (playwright-core) with the Performance API.
 *
 * A notebook with a task cell and two template cells is opened from `sftbench serve --no-model`.
 * "Monaco ready" is the `sftbench:monaco-ready` mark the editor sets once its model is attached and
 * tokenized and the frame showing it has painted (renderer/src/editor/monaco.ts), reported from first
 * contentful paint (the target: under 1 s). Each run starts Chromium on a new profile on disk (empty
 * HTTP cache, as the desktop app's and a user's browser profile are on disk), loads the page three
 * times in it with about:blank between, then closes Chromium and loads it once more:
 * - cold: the first load, everything fetched and compiled;
 * - warm: the second load, the built files from the HTTP cache;
 * - hot: the third load, the same, once more;
 * - restart: Chromium closed and started again on the same profile, then one load: what reopening
 *   the app costs.
 * Monaco is a classic script, whose compiled code Chromium keeps in its code cache on disk from the
 * second time it runs, also across restarts; the first load runs it a second time in a hidden frame
 * once the editor is ready (renderer/src/editor/code-cache.ts), so the warm load reads that cache
 * rather than writing it. Each load is left open for SETTLE_MS before the next.
 * For context: navigation -> first contentful paint, first contentful paint -> the notebook's first
 * cell (the app's own start-up, which the editor cannot beat), -> the `sftbench:monaco-loaded` mark
 * (Monaco's script downloaded and evaluated), and the bytes of Monaco's scripts that came over the
 * network (0 when the cache served it).
 *
 * Chromium runs with the end-to-end tests' flags (test/e2e/harness.ts), which leave out its omnibox
 * popup: a page of Chromium's own UI that it builds when it starts and that, on 2 cores, took as much
 * CPU as the app during the first second of the cold and restart loads. The desktop window has no
 * omnibox, so with it the figures measured Chromium rather than the app.
 *
 * Median of `--runs=N` (default 3) runs for each kind of load.
 *
 * `--reference=DIR` compares with another build of the web app (a copy of an earlier `dist/renderer`,
 * served by a second `sftbench serve --web DIR`): each run measures both builds, in alternating
 * order, and the medians of this build are quoted as ratios of the reference's, so a change is
 * judged against a reference measured on the same machine at the same time.
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { BrowserContext, Page } from 'playwright-core'
import { CHROMIUM_PATH, e2eUnavailable, ensureRendererBuilt, launchProfile, startServer, type ServerHandle } from '../test/e2e/harness.ts'
import { numberOption, stringOption } from './environment.ts'
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
  /** Bytes of Monaco's scripts (its own and the app's set-up chunk) transferred over the network (0 from the cache). */
  readonly monacoBytes: number
}

const KINDS = ['cold', 'warm', 'hot', 'restart'] as const
type LoadKind = (typeof KINDS)[number]

/**
 * How long each load is left open once measured, as a user looks at the page, before the next: the
 * app's work after the editor is ready (filling Monaco's code cache on a first load) has this long.
 */
const SETTLE_MS = 2000

async function loadOnce(page: Page, server: ServerHandle): Promise<LoadFigures> {
  await page.goto('about:blank')
  await page.goto(`${server.url}#nb=bench.sftnb`, { waitUntil: 'commit' })
  const ready = (await page.evaluate(
    `new Promise((resolve) => new PerformanceObserver((list, observer) => {
       const entry = list.getEntriesByName('${READY_MARK}')[0]
       if (entry) { observer.disconnect(); resolve(entry.startTime) }
     }).observe({ type: 'mark', buffered: true }))`,
  )) as number
  const fcp = (await page.evaluate(`performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN`)) as number
  const loaded = (await page.evaluate(`performance.getEntriesByName('${LOADED_MARK}')[0]?.startTime ?? NaN`)) as number
  const cell = (await page.evaluate('window.__cellAt')) as number | null
  const monacoBytes = (await page.evaluate(
    `performance.getEntriesByType('resource').filter((e) => /\\/assets\\/monaco-[^/]*\\.js$/.test(e.name)).reduce((n, e) => n + e.transferSize, 0)`,
  )) as number
  if (!Number.isFinite(fcp)) throw new Error('The page reported no first contentful paint.')
  await page.waitForTimeout(SETTLE_MS)
  return { fcpMs: fcp, cellMs: (cell ?? NaN) - fcp, loadedMs: loaded - fcp, readyMs: ready - fcp, monacoBytes }
}

function chromiumVersion(): string {
  const r = spawnSync(CHROMIUM_PATH, ['--version'], { encoding: 'utf8' })
  return r.status === 0 ? r.stdout.trim() : 'Chromium (version unknown)'
}

function loadAverage(): string {
  return os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')
}

/** One run: Chromium on a new profile, the page loaded cold, warm and hot in it; then Chromium restarted. */
async function oneRun(server: ServerHandle): Promise<Record<LoadKind, LoadFigures>> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'sftbench-bench-profile-'))
  const open = async (): Promise<{ context: BrowserContext; page: Page }> => {
    const context = await launchProfile(profile)
    await context.addInitScript({ content: MONITOR })
    return { context, page: context.pages()[0] ?? (await context.newPage()) }
  }
  try {
    const first = await open()
    let loads: Omit<Record<LoadKind, LoadFigures>, 'restart'>
    try {
      const cold = await loadOnce(first.page, server)
      const warm = await loadOnce(first.page, server)
      const hot = await loadOnce(first.page, server)
      loads = { cold, warm, hot }
    } finally {
      await first.context.close()
    }
    const again = await open()
    try {
      return { ...loads, restart: await loadOnce(again.page, server) }
    } finally {
      await again.context.close()
    }
  } finally {
    fs.rmSync(profile, { recursive: true, force: true })
  }
}

/** The medians, from first paint, of one build's loads of one kind. */
function medians(loads: readonly LoadFigures[]): { cell: number; loaded: number; ready: number } {
  return { cell: median(loads.map((l) => l.cellMs)), loaded: median(loads.map((l) => l.loadedMs)), ready: median(loads.map((l) => l.readyMs)) }
}

async function run(): Promise<void> {
  const unavailable = e2eUnavailable()
  if (unavailable !== null) {
    console.log(`skipped: ${unavailable}`)
    return
  }
  const runs = numberOption('runs', 3)
  const referenceDir = stringOption('reference')
  if (referenceDir !== undefined && !fs.existsSync(path.join(referenceDir, 'index.html'))) {
    throw new Error(`--reference=${referenceDir}: that folder holds no built web app (index.html); give a copy of an earlier dist/renderer.`)
  }
  await ensureRendererBuilt()
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'sftbench-bench-monaco-'))
  fs.writeFileSync(path.join(workspace, 'bench.sftnb'), JSON.stringify(NOTEBOOK, null, 2))
  const builds: { name: string; server: ServerHandle; results: Record<LoadKind, LoadFigures>[] }[] = []
  try {
    builds.push({ name: 'this build', server: await startServer({ workspace, args: ['--no-model'] }), results: [] })
    if (referenceDir !== undefined) {
      const server = await startServer({ workspace, args: ['--no-model', '--web', path.resolve(referenceDir)] })
      builds.push({ name: 'reference', server, results: [] })
      console.log(`reference: the build in ${path.resolve(referenceDir)}, measured in the same runs (alternating which build goes first)`)
    }
    console.log(`${chromiumVersion()}, ${runs} runs, each Chromium on a new profile loading the page cold, warm and hot, then restarted for one more load`)
    console.log(`load average before: ${loadAverage()} (${os.cpus().length} CPUs; page timings stretch with it)`)
    for (let r = 0; r < runs; r++) {
      const order = r % 2 === 0 ? builds : [...builds].reverse()
      for (const build of order) build.results.push(await oneRun(build.server))
    }
    const ms = (x: number): number | string => (Number.isFinite(x) ? Math.round(x) : '—')
    printTable(
      ['build', 'run', 'load', 'navigation -> FCP ms', 'FCP -> first cell ms (app start-up)', 'FCP -> Monaco evaluated ms', 'FCP -> Monaco ready ms', 'Monaco bytes over the network'],
      builds.flatMap((build) =>
        build.results.flatMap((loads, i) =>
          KINDS.map((k) => [build.name, i + 1, k, ms(loads[k].fcpMs), ms(loads[k].cellMs), ms(loads[k].loadedMs), ms(loads[k].readyMs), loads[k].monacoBytes]),
        ),
      ),
    )
    console.log(`load average after: ${loadAverage()}`)
    const [current, reference] = builds
    for (const kind of KINDS) {
      const m = medians(current.results.map((l) => l[kind]))
      const ref = reference === undefined ? null : medians(reference.results.map((l) => l[kind]))
      const against = ref === null ? '' : ` (the reference ${Math.round(ref.ready)} ms: ratio ${(m.ready / ref.ready).toFixed(2)})`
      console.log(
        `${kind}: medians from first paint: the first cell ${Math.round(m.cell)} ms, Monaco evaluated ${Math.round(m.loaded)} ms, ` +
          `Monaco ready ${Math.round(m.ready)} ms${against}; ratio ${(m.ready / TARGET_MS).toFixed(2)} of the ${TARGET_MS} ms target -> ${passFail(m.ready < TARGET_MS)}`,
      )
    }
  } finally {
    for (const build of builds) await build.server.stop()
    fs.rmSync(workspace, { recursive: true, force: true })
  }
}

/** The `ui-monaco` section. */
export const uiMonacoSection: BenchSection = {
  name: 'ui-monaco',
  title: 'template editor in Chromium: Monaco ready (model attached, tokenized, painted) after first paint, cold, warm, hot and after a restart (target < 1 s)',
  run,
}
