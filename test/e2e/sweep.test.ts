// @vitest-environment node
/**
 * The sweep cell in Chromium against a real `sftbench serve` and the committed tiny model: choose two
 * difficulties beside the two variants, see the number of cells and the time estimate (unknown before
 * any run, then from the run's measured rate), see bad input refused with a message, run, cancel
 * (the finished cells stay), resume to the end, save, reload, and find the difficulties in the file
 * and in the form.
 */
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import {
  ARTIFACTS_DIR,
  E2E_TIMEOUT_MS,
  e2eUnavailable,
  sampleNotebookOnFixture,
  newPage,
  screenshot,
  watchErrors,
} from './harness.ts'
import { e2eEnv } from './env.ts'

const unavailable = e2eUnavailable()
const NOTEBOOK = 'notebooks/paper-experiment.sftnb'
/** 2 variants × 2 difficulties × 2 instances. */
const TOTAL = 8

function results(runDir: string): { id: string; difficulty: string }[] {
  const file = path.join(runDir, 'results.jsonl')
  if (!fs.existsSync(file)) return []
  const out: { id: string; difficulty: string }[] = []
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    try {
      out.push(JSON.parse(line) as { id: string; difficulty: string })
    } catch {
      // empty last line
    }
  }
  return out
}

async function progress(page: Page): Promise<{ done: number; total: number; status: string }> {
  const text = (await page.locator('[data-cell-id="cell-9"]').getByTestId('sweep-progress').textContent()) ?? ''
  const m = /(\d+)\/(\d+|\?) · (\w+)/.exec(text)
  return m ? { done: Number(m[1]), total: Number(m[2]) || 0, status: m[3] } : { done: 0, total: 0, status: 'unknown' }
}

describe.skipIf(unavailable !== null)(unavailable === null ? 'sweep cell: variants × difficulties × N in Chromium (e2e)' : `e2e skipped: ${unavailable}`, () => {
  const env = e2eEnv({ prepare: sampleNotebookOnFixture })

  it(
    'two variants × two difficulties: estimate, run, cancel, resume, save and reload',
    async () => {
      const page = await newPage(env.browser)
      const errors = watchErrors(page)
      await page.goto(`${env.server.url}#nb=${encodeURIComponent(NOTEBOOK)}`)
      const sweep = page.locator('[data-cell-id="cell-9"]')
      await sweep.waitFor()

      // Bad input is refused with a message, never a crash.
      await sweep.getByLabel('Instances (N)').fill('0')
      await sweep.getByText('N must be at least 1.').waitFor()
      await sweep.getByLabel('Instances (N)').fill(String(TOTAL / 4))
      expect(await sweep.getByText('N must be at least 1.').count()).toBe(0)
      // One episode at a time, so the run lasts long enough to cancel midway.
      await sweep.getByLabel('Concurrency').fill('1')

      // Several difficulties: the grid starts from the task cell's (6x6, 1 box).
      await sweep.getByLabel('Difficulties').selectOption('several')
      const grid = sweep.getByRole('table', { name: 'Sokoban difficulties' })
      expect(await grid.getByLabel('6x6, 1 box').isChecked()).toBe(true)
      await grid.getByLabel('6x6, 1 box').uncheck()
      await sweep.getByText('Choose at least one difficulty, or sweep the task cell').waitFor()
      await grid.getByLabel('6x6, 1 box').check()
      await grid.getByLabel('7x7, 1 box').check()
      expect(await sweep.getByTestId('sweep-difficulties-chosen').textContent()).toBe('2 difficulties: 6x6, 1 box · 7x7, 1 box')

      // The size and the estimate before any run: nothing measured yet.
      expect(await sweep.getByTestId('sweep-cells').textContent()).toBe(`${TOTAL} cells: 2 variants × 2 difficulties × 2 instances × 1 repeat`)
      expect(await sweep.getByTestId('sweep-time').textContent()).toBe('Time: unknown until the first cells finish')

      // Load the model (its cell) and measure its speed on the sweep's first prompt: the generation
      // time of tokens/s × 5 turns × 24 new tokens per cell.
      await page.locator('[data-cell-id="cell-6"]').getByTestId('run-cell').click()
      await sweep.getByTestId('sweep-measure').click({ timeout: 90_000 })
      await expect
        .poll(() => sweep.getByTestId('sweep-time').textContent(), { timeout: 60_000, interval: 100 })
        .toMatch(/^Time: about .+ of generation \(the loaded model's \d+\.\d tokens\/s after \d+\.\d\d s to the first token, × up to 5 answers of 24 tokens per cell, one at a time;/)
      await screenshot(page, 'sweep-form')
      await sweep.screenshot({ path: path.join(ARTIFACTS_DIR, 'sweep-cell-estimate.png') })

      // Run, then cancel once a few cells have finished: they stay in the run folder.
      await sweep.getByTestId('run-cell').click()
      await sweep.getByTestId('sweep-dir').waitFor({ timeout: 60_000 })
      const runDir = ((await sweep.getByTestId('sweep-dir').textContent()) ?? '').trim()
      await expect.poll(() => results(runDir).length, { timeout: 120_000, interval: 50 }).toBeGreaterThanOrEqual(2)
      // The time left comes from the live rate once a cell of this run has finished.
      await expect
        .poll(() => sweep.getByTestId('sweep-remaining').textContent(), { timeout: 30_000, interval: 100 })
        .toMatch(/^About .+ left \(\d+\.\d\d s per cell at the live rate\)$/)
      await sweep.getByTestId('sweep-cancel').click()
      await expect.poll(() => progress(page), { timeout: 60_000, interval: 100 }).toMatchObject({ status: 'cancelled' })
      const partial = results(runDir)
      expect(partial.length).toBeGreaterThanOrEqual(2)
      expect(partial.length).toBeLessThan(TOTAL)
      expect((await progress(page)).done).toBe(partial.length)
      // The cancelled run's own rate now gives the estimate, for the whole sweep and for what is left.
      expect(await sweep.getByTestId('sweep-time').textContent()).toMatch(/^Time: about .+ \(at this sweep's last run's \d+\.\d\d s per cell( after .+ to start)?\)$/)
      expect(await sweep.getByTestId('sweep-resume-time').textContent()).toMatch(new RegExp(`^Resume: ${TOTAL - partial.length} cells? left, about `))

      // Resume runs only the missing cells, over both difficulties, to the end of the bar.
      await sweep.getByTestId('sweep-resume').click()
      await expect.poll(() => progress(page), { timeout: 150_000, interval: 100 }).toEqual({ done: TOTAL, total: TOTAL, status: 'completed' })
      expect(await sweep.getByRole('progressbar').getAttribute('aria-valuenow')).toBe(String(TOTAL))
      const all = results(runDir)
      expect(all.length).toBe(TOTAL)
      expect(new Set(all.map((r) => r.id)).size).toBe(TOTAL)
      expect(all.slice(0, partial.length)).toEqual(partial)
      expect(new Set(all.map((r) => r.difficulty))).toEqual(new Set(['6x6-1box', '7x7-1box']))
      const rows = sweep.locator('[data-testid="aggregates"] tbody tr')
      expect(await rows.count()).toBe(4)
      await screenshot(page, 'sweep-completed')
      await sweep.screenshot({ path: path.join(ARTIFACTS_DIR, 'sweep-cell-completed.png') })

      // Save: the notebook keeps the difficulties and the run folder.
      await page.keyboard.press('Control+s')
      await page.getByTestId('dirty').waitFor({ state: 'detached' })
      const saved = JSON.parse(fs.readFileSync(path.join(env.dir, NOTEBOOK), 'utf8')) as {
        cells: { id: string; overrides?: { difficulties?: unknown; instances?: number }; runDir?: string }[]
      }
      const cell = saved.cells.find((c) => c.id === 'cell-9')
      expect(cell?.overrides?.difficulties).toEqual(['6x6-1box', '7x7-1box'])
      expect(cell?.overrides?.instances).toBe(TOTAL / 4)
      expect(cell?.runDir).toBe(runDir)

      // Reload: the form shows the difficulties, and the estimate rests on the run folder's timings.
      await page.reload()
      await sweep.waitFor()
      const again = sweep.getByRole('table', { name: 'Sokoban difficulties' })
      expect(await again.getByLabel('6x6, 1 box').isChecked()).toBe(true)
      expect(await again.getByLabel('7x7, 1 box').isChecked()).toBe(true)
      expect(await again.getByLabel('8x8, 1 box').isChecked()).toBe(false)
      await expect.poll(() => progress(page), { timeout: 30_000, interval: 100 }).toEqual({ done: TOTAL, total: TOTAL, status: 'completed' })
      await expect
        .poll(() => sweep.getByTestId('sweep-time').textContent(), { timeout: 30_000, interval: 100 })
        .toMatch(/^Time: about .+ \(at this sweep's last run's \d+\.\d\d s per cell( after .+ to start)?\)$/)
      await screenshot(page, 'sweep-reloaded')
      expect(errors).toEqual([])
      await page.context().close()
    },
    E2E_TIMEOUT_MS,
  )

  it(
    'General Points: difficulties × dealt rules in the form, shorthands in the JSON, and a typo shown with its item',
    async () => {
      const gp = {
        format: 1,
        title: 'GP sweep',
        nextId: 5,
        cells: [
          { id: 'cell-1', kind: 'task', reads: [], task: 'gp', difficulty: 'gp-id', count: 4 },
          { id: 'cell-2', kind: 'template', reads: ['cell-1'], variant: 'gp-train' },
          { id: 'cell-3', kind: 'model', reads: [], dir: 'test/fixtures/tiny-llama', sampling: { maxNewTokens: 16 } },
          { id: 'cell-4', kind: 'sweep', reads: ['cell-1', 'cell-2', 'cell-3'], overrides: { instances: 5 }, runDir: null },
        ],
      }
      fs.writeFileSync(path.join(env.dir, 'notebooks', 'gp.sftnb'), `${JSON.stringify(gp, null, 2)}\n`)
      const page = await newPage(env.browser)
      const errors = watchErrors(page)
      await page.goto(`${env.server.url}#nb=${encodeURIComponent('notebooks/gp.sftnb')}`)
      const sweep = page.locator('[data-cell-id="cell-4"]')
      await sweep.waitFor()
      expect(await sweep.getByTestId('sweep-cells').textContent()).toBe('5 cells: 1 variant × 1 difficulty × 5 instances × 1 repeat')

      await sweep.getByLabel('Difficulties').selectOption('several')
      expect(await sweep.getByRole('checkbox', { name: 'gp-id', exact: true }).isChecked()).toBe(true)
      await sweep.getByRole('checkbox', { name: 'gp-large', exact: true }).check()
      await sweep.getByRole('checkbox', { name: 'all_5', exact: true }).check()
      await sweep.getByRole('checkbox', { name: 'regular', exact: true }).check()
      expect(await sweep.getByTestId('sweep-cells').textContent()).toBe('20 cells: 1 variant × 4 difficulties × 5 instances × 1 repeat')
      expect(await sweep.getByTestId('sweep-difficulties-chosen').textContent()).toBe(
        '4 difficulties: gp-id, dealt all_5 · gp-id, dealt regular · gp-large, dealt all_5 · gp-large, dealt regular',
      )
      await sweep.screenshot({ path: path.join(ARTIFACTS_DIR, 'sweep-cell-gp.png') })

      // The JSON holds the shorthands; a typo there is named with its place, and the form lists the items.
      await sweep.getByText('Overrides (JSON)').click()
      const json = sweep.getByLabel('Sweep overrides JSON')
      expect(JSON.parse(await json.inputValue())).toEqual({ instances: 5, difficulties: ['gp-id.all_5', 'gp-id.regular', 'gp-large.all_5', 'gp-large.regular'] })
      await json.fill('{ "instances": 5, "difficulties": ["gp-id", "gp-hard"] }')
      await sweep.getByTestId('sweep-spec-error').getByText('difficulties[1]: "gp-hard" is not a General Points difficulty').waitFor()
      await sweep.getByTestId('sweep-difficulties-custom').waitFor()
      expect(await sweep.getByTestId('sweep-cells').count()).toBe(0)
      await sweep.screenshot({ path: path.join(ARTIFACTS_DIR, 'sweep-cell-gp-typo.png') })
      expect(errors).toEqual([])
      await page.context().close()
    },
    E2E_TIMEOUT_MS,
  )
})
