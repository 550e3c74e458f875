// @vitest-environment node
/**
 * The results panels in a real browser against a real `sftbench serve`, at scale: a run folder of
 * 20,000 synthetic but valid results (2 variants × 1 difficulty × 2,500 instances × 4 repeats,
 * written through the run store) behind a notebook's sweep cell. Its plot cell's heatmap cell lists
 * the 10,000 samples of one variant in the virtualised table: only a window of rows is in the DOM,
 * the last row is reachable by scrolling, a header sorts, the CSV export has the header and 10,000
 * records, a row opens the episode player. "Compare variants" shows the flip table counted by hand
 * from the fixture's rules, and a bin lists exactly its cells (checked through its CSV).
 */
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Download, Locator } from 'playwright-core'
import {
  E2E_TIMEOUT_MS,
  e2eUnavailable,
  newPage,
  SAMPLE_MODEL,
  screenshot,
  watchErrors,
} from './harness.ts'
import { e2eEnv } from './env.ts'
import { pick } from './plotly.ts'
import { SOKOBAN_DIFFICULTIES, SOKOBAN_VARIANTS, syntheticSuccess, writeGpRun, writeSokobanRun } from '../renderer/results/fixture.ts'

const unavailable = e2eUnavailable()
const NOTEBOOK = 'results.sftnb'
const SWEEP = 'cell-5'
const PLOT = 'cell-6'
const GP_SWEEP = 'cell-7'
const GP_PLOT = 'cell-8'
const GP_INSTANCES = 3
const INSTANCES = 2500
const REPEATS = 4
const PER_VARIANT = INSTANCES * REPEATS
const [A, B] = SOKOBAN_VARIANTS
const DIFFICULTY = SOKOBAN_DIFFICULTIES[0]
const HEADER = 'key,model,variant,difficulty,instance,repeat,success,failure,turns,steps,tokens'

function notebook(runDir: string, gpRunDir: string): object {
  return {
    format: 1,
    title: 'Results e2e',
    nextId: 9,
    cells: [
      { id: 'cell-1', kind: 'task', task: 'sokoban', difficulty: 'simple', seedScheme: { kind: 'seeded', seed: 5 }, count: 3 },
      { id: 'cell-2', kind: 'template', reads: ['cell-1'], variant: A },
      { id: 'cell-3', kind: 'template', reads: ['cell-1'], variant: B },
      { id: 'cell-4', kind: 'model', dir: SAMPLE_MODEL, provider: 'cpu', sampling: { temperature: 0, maxNewTokens: 8 } },
      { id: SWEEP, kind: 'sweep', reads: ['cell-1', 'cell-2', 'cell-3', 'cell-4'], overrides: { name: 'results-e2e', instances: 3 }, runDir },
      { id: PLOT, kind: 'plot', title: 'Results', reads: [SWEEP], source: SWEEP, chart: 'heatmap' },
      // A General Points run shown through a second sweep cell (only its run folder is read).
      { id: GP_SWEEP, kind: 'sweep', reads: ['cell-1', 'cell-2', 'cell-4'], overrides: { name: 'results-gp' }, runDir: gpRunDir },
      { id: GP_PLOT, kind: 'plot', title: 'Hands', reads: [GP_SWEEP], source: GP_SWEEP, chart: 'heatmap' },
    ],
  }
}

async function csvOf(download: Download): Promise<string[]> {
  const text = fs.readFileSync(await download.path(), 'utf8')
  expect(text.endsWith('\r\n')).toBe(true)
  return text.slice(0, -2).split('\r\n')
}

/** What the tests touch of the scrolling element (the tests' tsconfig has no DOM types). */
interface Scroller {
  scrollTop: number
  readonly scrollHeight: number
}

/** Scrolls the table body to `top` px (`Infinity`: the end). */
async function scrollTo(body: Locator, top: number): Promise<void> {
  await body.evaluate((el: Scroller, y: number) => {
    el.scrollTop = y < 0 ? el.scrollHeight : y
  }, Number.isFinite(top) ? top : -1)
}

/**
 * Scrolls the body `step` px per animation frame for `frames` frames and returns each frame's time
 * (the gap between two frames), as the page measured them.
 */
function scrollFrames(body: Locator, step: number, frames: number): Promise<number[]> {
  return body.evaluate(
    (el: Scroller, [px, count]: number[]) =>
      new Promise<number[]>((resolve) => {
        const raf = (globalThis as unknown as { requestAnimationFrame(cb: (t: number) => void): number }).requestAnimationFrame
        const times: number[] = []
        let last = -1
        const frame = (t: number) => {
          if (last >= 0) times.push(t - last)
          last = t
          el.scrollTop += px
          if (times.length < count) raf(frame)
          else resolve(times)
        }
        raf(frame)
      }),
    [step, frames],
  )
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]
}

/** The rows of a samples table that are in the DOM. */
function domRows(panel: Locator): Locator {
  return panel.getByTestId('samples-table-body').locator('[role="row"]')
}

describe.skipIf(unavailable !== null)(unavailable === null ? 'results panels in Chromium (e2e)' : `e2e skipped: ${unavailable}`, () => {
  const env = e2eEnv({
    prefix: 'sftbench-e2e-results-',
    prepare: async (dir) => {
      const runDir = path.join(dir, 'runs', 'synthetic')
      await writeSokobanRun(runDir, INSTANCES, { repeats: REPEATS, difficulties: [DIFFICULTY] })
      const gpRunDir = path.join(dir, 'runs', 'hands')
      await writeGpRun(gpRunDir, GP_INSTANCES)
      fs.writeFileSync(path.join(dir, NOTEBOOK), JSON.stringify(notebook(runDir, gpRunDir), null, 2))
    },
  })

  it(
    '10,000 samples: windowed rows, last row reachable, sort, CSV, viewer; flip table and a bin\'s exact cells',
    async () => {
      const page = await newPage(env.browser)
      const errors = watchErrors(page)
      await page.goto(`${env.server.url}#nb=${encodeURIComponent(NOTEBOOK)}`)
      const plot = page.locator(`[data-cell-id="${PLOT}"]`)
      await plot.waitFor()
      await page.getByTestId('connection').getByText('connected').waitFor()

      // The heatmap of the finished run: 2 variants × 1 difficulty; the top cell is variant A.
      const chart = plot.getByTestId('plot-chart')
      await chart.locator('.js-plotly-plot .heatmaplayer .hm').waitFor({ timeout: 60_000 })
      await pick(page, plot, chart.locator('.js-plotly-plot .nsewdrag').first(), A, 0.5, 0.25)
      const samples = plot.getByTestId('samples-panel').first()
      await samples.getByTestId('samples-count').getByText(`${PER_VARIANT} samples`).waitFor({ timeout: 60_000 })

      // Only a window of the 10,000 rows is in the DOM, starting at the first.
      const body = samples.getByTestId('samples-table-body')
      const atTop = await domRows(samples).count()
      expect(atTop).toBeGreaterThan(5)
      expect(atTop).toBeLessThan(60)
      expect(await domRows(samples).first().getAttribute('data-row')).toBe('0')
      expect(await domRows(samples).first().locator('[role="cell"]').first().textContent()).toBe(`${A}/${DIFFICULTY}/0/0`)
      await screenshot(page, 'results-table-top')

      // Scrolled to the end: the last row (in file order) is there, and still only a window.
      await scrollTo(body, Infinity)
      const last = body.locator(`[data-row="${PER_VARIANT - 1}"]`)
      await last.waitFor()
      expect(await last.locator('[role="cell"]').first().textContent()).toBe(`${A}/${DIFFICULTY}/${INSTANCES - 1}/${REPEATS - 1}`)
      expect(await domRows(samples).count()).toBeLessThan(60)
      // Half-way: the rows in view are those around row 5,000.
      await scrollTo(body, (PER_VARIANT / 2) * 26)
      await body.locator(`[data-row="${PER_VARIANT / 2}"]`).waitFor()
      await screenshot(page, 'results-table-scrolled')

      // The whole table scrolled through, 1,000 px a frame: the frame times (reported, not asserted:
      // timings belong to benchmarks), and still only a window of rows in the DOM.
      await scrollTo(body, 0)
      const figures = (frames: number[]) =>
        `median ${percentile(frames, 50).toFixed(1)} ms, p95 ${percentile(frames, 95).toFixed(1)} ms, max ${Math.max(...frames).toFixed(1)} ms`
      // The same page not scrolling, for reference: what this machine's Chromium gives anyway.
      const idle = await scrollFrames(body, 0, 120)
      const wheel = await scrollFrames(body, 100, 240)
      const fling = await scrollFrames(body, 1000, 240)
      console.log(
        `results table, 10,000 rows, frame times: scrolling 100 px per frame ${figures(wheel)}; ` +
          `1,000 px per frame ${figures(fling)}; idle ${figures(idle)}`,
      )
      expect(await domRows(samples).count()).toBeLessThan(60)

      // The keyboard: Home, then ↓ twice puts the cursor on row 2; End reaches the last row.
      await body.focus()
      await page.keyboard.press('End')
      await expect.poll(() => body.locator(`[data-row="${PER_VARIANT - 1}"]`).getAttribute('class')).toContain('cursor')
      await page.keyboard.press('Home')
      await page.keyboard.press('ArrowDown')
      await page.keyboard.press('ArrowDown')
      await expect.poll(() => body.locator('[data-row="2"]').getAttribute('class')).toContain('cursor')

      // Sorting by tokens (7 + instance mod 11): ascending starts at 7 with instance 0, descending at 17.
      const tokensHeader = samples.locator('[role="columnheader"][data-column="tokens"]')
      await tokensHeader.click()
      await scrollTo(body, 0)
      const firstTokens = () => domRows(samples).first().locator('[role="cell"]').last().textContent()
      await expect.poll(firstTokens).toBe('7')
      await tokensHeader.click()
      await expect.poll(firstTokens).toBe('17')
      await tokensHeader.click()

      // CSV of the table: the header and one record per sample.
      const [csv] = await Promise.all([page.waitForEvent('download'), samples.getByTestId('samples-csv').click()])
      expect(csv.suggestedFilename()).toMatch(/^samples-.*\.csv$/)
      const lines = await csvOf(csv)
      expect(lines[0]).toBe(HEADER)
      expect(lines).toHaveLength(PER_VARIANT + 1)
      expect(lines[1]).toBe(`${A}/${DIFFICULTY}/0/0,m,${A},${DIFFICULTY},0,0,false,deadlock,1,1,7`)

      // Enter opens the cursor's row in the episode player; a click opens another.
      await body.focus()
      await page.keyboard.press('Enter')
      const viewer = samples.getByTestId('sample-viewer')
      await viewer.getByTestId('episode-player').waitFor({ timeout: 30_000 })
      expect(await viewer.getByTestId('sample-viewer-title').textContent()).toBe(`m/${A}/${DIFFICULTY}/0/2: deadlock`)
      await domRows(samples).nth(5).click()
      await expect.poll(() => viewer.getByTestId('sample-viewer-title').textContent()).toBe(`m/${A}/${DIFFICULTY}/1/1: success`)
      await viewer.getByTestId('episode-player').waitFor({ timeout: 30_000 })
      await screenshot(page, 'results-viewer')
      await samples.getByTestId('samples-close').click()

      // The flip table, counted from the fixture's rules over instance × repeat.
      const expected = { both: 0, aOnly: 0, bOnly: 0, neither: 0 }
      const bOnlyKeys: string[] = []
      for (let i = 0; i < INSTANCES; i++) {
        const a = syntheticSuccess(A, i)
        const b = syntheticSuccess(B, i)
        const bin = a ? (b ? 'both' : 'aOnly') : b ? 'bOnly' : 'neither'
        expected[bin] += REPEATS
        if (bin === 'bOnly') for (let r = 0; r < REPEATS; r++) bOnlyKeys.push(`${A}/${DIFFICULTY}/${i}/${r}`, `${B}/${DIFFICULTY}/${i}/${r}`)
      }
      expect(expected.bOnly).toBe(1668)
      await plot.locator('.plot-compare > summary').click()
      const compare = plot.getByTestId('compare-panel')
      await compare.getByTestId('flip-table').waitFor({ timeout: 60_000 })
      for (const [bin, count] of Object.entries(expected)) expect(await compare.getByTestId(`flip-${bin}`).textContent()).toBe(String(count))
      // 3,332 A only against 1,668 B only: far beyond chance.
      expect(await compare.getByTestId('compare-p').textContent()).toContain(`${PER_VARIANT} pairs; McNemar exact p = < 1e-6`)

      // The B-only bin lists exactly its cells: both sides of each of its pairs.
      await compare.getByTestId('flip-bOnly').click()
      const bin = compare.getByTestId('samples-panel')
      await bin.getByTestId('samples-count').getByText(`${bOnlyKeys.length} samples`).waitFor({ timeout: 60_000 })
      expect(await bin.getByTestId('samples-title').textContent()).toContain('B only')
      await screenshot(page, 'results-compare-bin')
      const [binCsv] = await Promise.all([page.waitForEvent('download'), bin.getByTestId('samples-csv').click()])
      const binKeys = (await csvOf(binCsv)).slice(1).map((line) => line.split(',')[0])
      expect(binKeys.sort()).toEqual(bOnlyKeys.sort())
      expect(errors).toEqual([])
      await page.context().close()
    },
    E2E_TIMEOUT_MS,
  )

  it(
    'a General Points sample opens the hand with both verifiers\' verdicts',
    async () => {
      const page = await newPage(env.browser)
      const errors = watchErrors(page)
      await page.goto(`${env.server.url}#nb=${encodeURIComponent(NOTEBOOK)}`)
      const plot = page.locator(`[data-cell-id="${GP_PLOT}"]`)
      await plot.waitFor()
      const chart = plot.getByTestId('plot-chart')
      await chart.locator('.js-plotly-plot .heatmaplayer .hm').waitFor({ timeout: 60_000 })
      await pick(page, plot, chart.locator('.js-plotly-plot .nsewdrag').first(), 'gp-test-', 0.5, 0.25)
      const samples = plot.getByTestId('samples-panel').first()
      await samples.getByTestId('samples-count').getByText(`${GP_INSTANCES} samples`).waitFor({ timeout: 60_000 })
      await domRows(samples).first().click()
      const viewer = samples.getByTestId('sample-viewer')
      await viewer.getByTestId('verdict-panel').waitFor({ timeout: 30_000 })
      // gp-id hands hold at least one face card; the hand is drawn with one card per rank.
      expect(await viewer.getByTestId('card-hand').locator('li').count()).toBe(4)
      expect(await viewer.getByTestId('sample-viewer-title').textContent()).toMatch(/: no-formula$/)
      await screenshot(page, 'results-gp-viewer')
      expect(errors).toEqual([])
      await page.context().close()
    },
    E2E_TIMEOUT_MS,
  )
})
