/**
 * Benchmark section `ui-viewer`: the Sokoban step-through's playback rate in Chromium (playwright-core)
 * on a 10×10 board (the paper's `larger` difficulty), measured with requestAnimationFrame.
 *
 * The notebook runs against a real `sftbench serve`; its task cell's first level is opened in the
 * viewer, set to advance one step per displayed frame with loop on, and played for `--seconds=S`
 * (default 3). An in-page monitor records every animation frame and the step it shows, so the figure
 * is steps painted per second: a frame that shows the same step as the one before (the page could not
 * keep up) does not count. Also the frame-time distribution while playing (median, 95th percentile,
 * longest interval between frames, and the share of intervals over 1.5 paused frames: dropped
 * frames). For reference, the same page's animation-frame rate and intervals while the viewer is
 * open and paused are measured in the same run, before and after playing: the display rate the
 * step-through can reach at most on this machine at this moment.
 * The monitor also counts DOM mutations outside the viewer during playback (stepping must not
 * re-render the rest of the notebook: 0 expected) and long tasks (over 50 ms).
 *
 * Median of `--runs=N` (default 3) runs, each in a fresh page, on a production build of the renderer
 * (a development build left by the e2e tests is rebuilt first). Target: 60 steps per second.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Browser, CDPSession, Page } from 'playwright-core'
import { e2eUnavailable, ensureRendererBuilt, launchBrowser, startServer, type ServerHandle } from '../test/e2e/harness.ts'
import { REPO_ROOT, numberOption } from './environment.ts'
import type { BenchSection } from './sections.ts'
import { median, passFail, printTable, quantile } from './stats.ts'

const TARGET_STEPS_PER_S = 60
/** A 60 Hz display gives 59-61 frames per second in a second of wall time; allow that jitter. */
const TARGET_TOLERANCE = 0.95

const NOTEBOOK = {
  format: 1,
  title: 'Viewer bench',
  nextId: 2,
  cells: [{ id: 'cell-1', kind: 'task', reads: [], task: 'sokoban', difficulty: 'larger', seedScheme: { kind: 'seeded', seed: 11 }, count: 1 }],
}

/**
 * Installed in the page once the viewer is open: samples every animation frame (its time and the
 * step the viewer shows) while `window.__bench.on` is true, counts DOM mutations outside the viewer,
 * and records long tasks.
 */
const MONITOR = `(() => {
  const player = document.querySelector('[data-cell-id="cell-1"] [data-testid="episode-player"]')
  const b = (window.__bench = { on: false, stamps: [], steps: [], outside: 0, longtasks: 0 })
  new MutationObserver((list) => {
    if (!b.on) return
    for (const m of list) if (!player.contains(m.target)) b.outside++
  }).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true })
  new PerformanceObserver((list) => { if (b.on) b.longtasks += list.getEntries().length }).observe({ type: 'longtask' })
  const tick = (t) => {
    if (!b.on) return
    b.stamps.push(t)
    b.steps.push(player.querySelector('[data-testid="step-label"]')?.getAttribute('data-frame') ?? '')
    requestAnimationFrame(tick)
  }
  b.start = () => { b.on = true; b.stamps = []; b.steps = []; b.outside = 0; b.longtasks = 0; requestAnimationFrame(tick) }
  b.stop = () => { b.on = false }
})()`

interface Sample {
  readonly stamps: number[]
  readonly steps: string[]
  readonly outside: number
  readonly longtasks: number
}

interface RunFigures {
  /** Animation frames per second with the viewer open and paused (the reference), before and after playing. */
  readonly idleFps: number
  /** The paused page's median and 95th-percentile time between two frames. */
  readonly idleMedianGapMs: number
  readonly idleP95GapMs: number
  /** The median time between two frames while playing. */
  readonly medianGapMs: number
  /** Share of the intervals between frames while playing that are longer than 1.5 frames of the paused page (a dropped frame). */
  readonly droppedShare: number
  /** Steps painted per second while playing. */
  readonly stepsPerS: number
  /** Animation frames per second while playing. */
  readonly playFps: number
  /** 95th percentile and longest time between two frames while playing. */
  readonly p95GapMs: number
  readonly maxGapMs: number
  readonly outside: number
  readonly longtasks: number
  readonly planLength: number
  /** Main-thread time per painted step (Chrome's Performance.getMetrics): script, style and layout, all tasks. */
  readonly scriptMsPerStep: number
  readonly renderMsPerStep: number
  readonly taskMsPerStep: number
}

/** Chrome's cumulative page metrics (seconds for the durations). */
async function metrics(cdp: CDPSession): Promise<Map<string, number>> {
  const { metrics: list } = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] }
  return new Map(list.map((m) => [m.name, m.value]))
}

async function sample(page: Page, seconds: number): Promise<Sample> {
  await page.evaluate('window.__bench.start()')
  await page.waitForTimeout(seconds * 1000)
  await page.evaluate('window.__bench.stop()')
  return (await page.evaluate('({ stamps: window.__bench.stamps, steps: window.__bench.steps, outside: window.__bench.outside, longtasks: window.__bench.longtasks })')) as Sample
}

function intervals(stamps: readonly number[]): number[] {
  return stamps.slice(1).map((t, i) => t - stamps[i])
}

function rate(stamps: readonly number[]): number {
  if (stamps.length < 2) return 0
  return ((stamps.length - 1) * 1000) / (stamps[stamps.length - 1] - stamps[0])
}

async function oneRun(browser: Browser, server: ServerHandle, seconds: number): Promise<RunFigures> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } })
  try {
    const page = await context.newPage()
    await page.goto(`${server.url}#nb=bench.sftnb`)
    const task = page.locator('[data-cell-id="cell-1"]')
    await task.getByTestId('run-cell').click()
    await task.getByTestId('gallery').waitFor({ timeout: 60_000 })
    await task.locator('[data-testid="gallery"] figure button.open').first().click()
    const player = task.getByTestId('episode-player')
    await player.waitFor()
    const board = player.locator('svg[data-testid="sokoban-board"]')
    const viewBox = (await board.getAttribute('viewBox')) ?? ''
    if (viewBox !== '0 0 10 10') throw new Error(`The bench level is not 10x10 (viewBox ${viewBox}).`)
    const planLength = Number(/\/ (\d+)$/.exec((await player.getByTestId('step-counter').textContent()) ?? '')?.[1])
    if (!(planLength > 1)) throw new Error('The bench level has no plan to play.')
    await player.getByTestId('speed').selectOption('0')
    await player.getByTestId('loop').check()
    await page.evaluate(MONITOR)

    const idleBefore = await sample(page, Math.min(seconds, 2))
    const cdp = await context.newCDPSession(page)
    await cdp.send('Performance.enable')
    await player.getByTestId('play').click()
    const before = await metrics(cdp)
    const play = await sample(page, seconds)
    const after = await metrics(cdp)
    await player.getByTestId('play').click()
    // The reference again after playing, so a change in the machine's load during the run shows.
    const idleAfter = await sample(page, Math.min(seconds, 2))

    const per = (name: string): number => ((after.get(name) ?? 0) - (before.get(name) ?? 0)) * 1000
    let changes = 0
    for (let i = 1; i < play.steps.length; i++) if (play.steps[i] !== play.steps[i - 1]) changes++
    const span = (play.stamps[play.stamps.length - 1] - play.stamps[0]) / 1000
    const gaps = intervals(play.stamps)
    const idleGaps = [...intervals(idleBefore.stamps), ...intervals(idleAfter.stamps)]
    const idleMedian = median(idleGaps)
    return {
      idleFps: (rate(idleBefore.stamps) + rate(idleAfter.stamps)) / 2,
      idleMedianGapMs: idleMedian,
      idleP95GapMs: quantile(idleGaps, 0.95),
      medianGapMs: median(gaps),
      droppedShare: gaps.length > 0 ? gaps.filter((g) => g > idleMedian * 1.5).length / gaps.length : 0,
      stepsPerS: span > 0 ? changes / span : 0,
      playFps: rate(play.stamps),
      p95GapMs: quantile(gaps, 0.95),
      maxGapMs: Math.max(0, ...gaps),
      outside: play.outside,
      longtasks: play.longtasks,
      planLength,
      scriptMsPerStep: changes > 0 ? per('ScriptDuration') / changes : 0,
      renderMsPerStep: changes > 0 ? (per('LayoutDuration') + per('RecalcStyleDuration')) / changes : 0,
      taskMsPerStep: changes > 0 ? per('TaskDuration') / changes : 0,
    }
  } finally {
    await context.close()
  }
}

const f1 = (x: number): string => x.toFixed(1)

const RENDERER_DIR = path.join(REPO_ROOT, 'dist', 'renderer')

/**
 * Whether dist/renderer holds React's development build. A build started under vitest (the e2e
 * harness; vitest sets NODE_ENV=test) is one, and it is several times slower: a step-through measured
 * on it says little about the product.
 */
function isDevelopmentBuild(): boolean {
  const assets = path.join(RENDERER_DIR, 'assets')
  if (!fs.existsSync(path.join(RENDERER_DIR, 'index.html')) || !fs.existsSync(assets)) return false
  return fs
    .readdirSync(assets)
    .filter((f) => /^index-.*\.js$/.test(f))
    .some((f) => fs.readFileSync(path.join(assets, f), 'utf8').includes('jsxDEV'))
}

/** Builds the renderer for production unless an up-to-date production build is there. */
async function ensureProductionBuild(): Promise<void> {
  const before = process.env.NODE_ENV
  process.env.NODE_ENV = 'production'
  try {
    if (isDevelopmentBuild()) {
      console.log('dist/renderer is a development build (made under vitest); rebuilding it for production')
      // Removing the page marks the build stale for ensureRendererBuilt, which builds under its lock.
      fs.rmSync(path.join(RENDERER_DIR, 'index.html'), { force: true })
    }
    await ensureRendererBuilt()
  } finally {
    if (before === undefined) delete process.env.NODE_ENV
    else process.env.NODE_ENV = before
  }
  if (isDevelopmentBuild()) throw new Error('dist/renderer is still a development build; run `npm run build:web` and retry.')
}

function loadAverage(): string {
  return os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')
}

async function run(): Promise<void> {
  const unavailable = e2eUnavailable()
  if (unavailable !== null) {
    console.log(`skipped: ${unavailable}`)
    return
  }
  const runs = numberOption('runs', 3)
  const seconds = numberOption('seconds', 3)
  if (runs < 1 || seconds < 1) throw new Error('--runs and --seconds must be at least 1.')
  await ensureProductionBuild()
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'sftbench-bench-viewer-'))
  fs.writeFileSync(path.join(workspace, 'bench.sftnb'), JSON.stringify(NOTEBOOK, null, 2) + '\n')
  const server = await startServer({ workspace, args: ['--no-model'] })
  const browser = await launchBrowser()
  try {
    console.log(`Chromium ${browser.version()}, ${runs} runs of ${seconds} s, 10x10 board, one step per animation frame, loop on`)
    console.log(`load average before: ${loadAverage()} (${os.cpus().length} CPUs; frame rates drop with it)`)
    const figures: RunFigures[] = []
    for (let r = 0; r < runs; r++) figures.push(await oneRun(browser, server, seconds))
    printTable(
      ['run', 'plan moves', 'paused fps (reference)', 'paused gap ms median/p95', 'steps/s playing', 'fps playing', 'playing gap ms median/p95/max', 'dropped frames', 'script ms/step', 'style+layout ms/step', 'main thread ms/step', 'mutations outside viewer', 'long tasks'],
      figures.map((f, i) => [
        i + 1,
        f.planLength,
        f1(f.idleFps),
        `${f1(f.idleMedianGapMs)}/${f1(f.idleP95GapMs)}`,
        f1(f.stepsPerS),
        f1(f.playFps),
        `${f1(f.medianGapMs)}/${f1(f.p95GapMs)}/${f1(f.maxGapMs)}`,
        `${(f.droppedShare * 100).toFixed(1)} %`,
        f.scriptMsPerStep.toFixed(2),
        f.renderMsPerStep.toFixed(2),
        f.taskMsPerStep.toFixed(2),
        f.outside,
        f.longtasks,
      ]),
    )
    console.log(`load average after: ${loadAverage()}`)
    const steps = median(figures.map((f) => f.stepsPerS))
    const idle = median(figures.map((f) => f.idleFps))
    console.log(`median: ${f1(steps)} steps/s while playing; the paused page draws ${f1(idle)} frames/s (ratio ${(steps / idle).toFixed(2)})`)
    console.log(
      `target: ${TARGET_STEPS_PER_S} steps/s (at least ${Math.round(TARGET_STEPS_PER_S * TARGET_TOLERANCE)} for a 60 Hz display's jitter): ` +
        `median ${f1(steps)} -> ${passFail(steps >= TARGET_STEPS_PER_S * TARGET_TOLERANCE)}`,
    )
  } finally {
    await browser.close()
    await server.stop()
    fs.rmSync(workspace, { recursive: true, force: true })
  }
}

/** The `ui-viewer` section. */
export const uiViewerSection: BenchSection = {
  name: 'ui-viewer',
  title: 'Sokoban step-through in Chromium: steps painted per second on a 10x10 board, one step per frame (target 60)',
  run,
}
