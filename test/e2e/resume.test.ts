// @vitest-environment node
/**
 * Sweeps survive interruption: Escape then I cancels a running sweep and keeps its finished cells;
 * the server killed mid-sweep (SIGKILL, no chance to clean up) and started again offers Resume, which
 * runs only the missing cells, keeping every result written before the kill.
 */
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import {
  E2E_TIMEOUT_MS,
  e2eUnavailable,
  sampleNotebookOnFixture,
  newPage,
  screenshot,
} from './harness.ts'
import { e2eEnv } from './env.ts'

const unavailable = e2eUnavailable()
const NOTEBOOK = 'notebooks/paper-experiment.sftnb'
/**
 * Instances x 2 variants: enough cells (a fraction of a second each) that the kill lands mid-sweep
 * even when a busy CI machine holds this test process back for seconds; with 32, a resumed sweep
 * once finished before the kill.
 */
const TOTAL = 96

/** Complete result lines of a run folder (a line torn by the kill is not one). */
function resultIds(runDir: string): string[] {
  const file = path.join(runDir, 'results.jsonl')
  if (!fs.existsSync(file)) return []
  const ids: string[] = []
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    try {
      ids.push((JSON.parse(line) as { id: string }).id)
    } catch {
      // empty or torn line
    }
  }
  return ids
}

async function progress(page: Page): Promise<{ done: number; total: number; status: string }> {
  const text = (await page.getByTestId('sweep-progress').textContent()) ?? ''
  const m = /(\d+)\/(\d+|\?) · (\w+)/.exec(text)
  return m ? { done: Number(m[1]), total: Number(m[2]) || 0, status: m[3] } : { done: 0, total: 0, status: 'unknown' }
}

async function waitForProgress(page: Page, ok: (p: { done: number; total: number; status: string }) => boolean, timeout: number): Promise<void> {
  // The last progress read shows in the failure message.
  await expect.poll(() => progress(page), { timeout, interval: 100 }).toSatisfy(ok)
}

describe.skipIf(unavailable !== null)(
  unavailable === null ? 'interrupting and resuming sweeps in Chromium (e2e)' : `e2e skipped: ${unavailable}`,
  () => {
    const env = e2eEnv({ prepare: sampleNotebookOnFixture })

    it(
      'Escape then I keeps finished cells; after a kill -9 of the server, Resume runs only the missing cells',
      async () => {
        const page = await newPage(env.browser)
        await page.goto(`${env.server.url}#nb=${encodeURIComponent(NOTEBOOK)}`)
        const sweep = page.locator('[data-cell-id="cell-9"]')
        await sweep.waitFor()
        // One episode at a time, five turns of up to 48 tokens each: a fraction of a second per cell
        // here, so TOTAL cells leave seconds to interrupt and to kill midway. Progress is read from
        // the run folder, which a busy machine cannot make the test miss.
        await page.locator('[data-cell-id="cell-6"]').getByLabel('Max new tokens').fill('48')
        await sweep.getByLabel('Instances (N)').fill(String(TOTAL / 2))
        await sweep.getByLabel('Concurrency').fill('1')

        // Run, then interrupt from the keyboard once a few cells have finished.
        await sweep.getByTestId('run-cell').click()
        await sweep.getByTestId('sweep-dir').waitFor({ timeout: 60_000 })
        const runDir = ((await sweep.getByTestId('sweep-dir').textContent()) ?? '').trim()
        await expect.poll(() => resultIds(runDir).length, { timeout: 120_000, interval: 50 }).toBeGreaterThanOrEqual(2)
        await page.keyboard.press('Escape')
        await page.keyboard.press('i')
        await waitForProgress(page, (p) => p.status === 'cancelled', 60_000)
        const afterInterrupt = resultIds(runDir)
        expect(afterInterrupt.length).toBeGreaterThanOrEqual(2)
        expect(afterInterrupt.length).toBeLessThan(TOTAL)
        expect((await progress(page)).done).toBe(afterInterrupt.length)
        await screenshot(page, 'resume-interrupted')

        // Save (the notebook records the run folder), resume, and kill the server mid-sweep.
        await page.keyboard.press('Control+s')
        await page.getByTestId('dirty').waitFor({ state: 'detached' })
        await sweep.getByTestId('sweep-resume').click()
        await expect
          .poll(() => resultIds(runDir).length, { timeout: 120_000, interval: 50 })
          .toBeGreaterThanOrEqual(afterInterrupt.length + 2)
        await env.server.stop('SIGKILL')
        const beforeKill = resultIds(runDir)
        expect(beforeKill.length).toBeLessThan(TOTAL)
        expect(beforeKill.slice(0, afterInterrupt.length)).toEqual(afterInterrupt)
        await page.getByTestId('banner-connection').waitFor()
        await screenshot(page, 'resume-server-killed')
        await page.context().close()

        // A new server on the same workspace: the notebook shows the interrupted run and resumes it.
        await env.restartServer()
        const again = await newPage(env.browser)
        await again.goto(`${env.server.url}#nb=${encodeURIComponent(NOTEBOOK)}`)
        const resumed = again.locator('[data-cell-id="cell-9"]')
        await waitForProgress(again, (p) => p.status === 'interrupted' && p.done === beforeKill.length, 30_000)
        expect(((await resumed.getByTestId('sweep-dir').textContent()) ?? '').trim()).toBe(runDir)
        await resumed.getByTestId('sweep-resume').click()
        await waitForProgress(again, (p) => p.status === 'completed' && p.done === TOTAL, 180_000)

        const final = resultIds(runDir)
        expect(final.length).toBe(TOTAL)
        expect(new Set(final).size).toBe(TOTAL)
        expect(final.slice(0, beforeKill.length)).toEqual(beforeKill)
        expect(await resumed.locator('[data-testid="aggregates"] tbody tr').count()).toBe(2)
        await screenshot(again, 'resume-completed')
        await again.context().close()
      },
      E2E_TIMEOUT_MS * 2,
    )
  },
)
