// @vitest-environment node
/**
 * The probe cell in a real browser against a real `sftbench serve` with the tiny fixture model:
 * tokens stream coloured by probability (the colour of each token is the scale's colour for its
 * probability, and darker means less likely), hovering shows the top 5 alternatives, clicking one
 * forks a second stream beside the original (and a fork of the fork a third), and the Sokoban
 * episode runs to the end and shows its turns. Screenshots go to test-artifacts/e2e/.
 */
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Locator, Page } from 'playwright-core'
import { probabilityColor, relativeLuminance } from '../../renderer/src/probe/colors.ts'
import {
  ARTIFACTS_DIR,
  E2E_TIMEOUT_MS,
  e2eUnavailable,
  sampleNotebookOnFixture,
  screenshot,
  waitShowing,
  watchErrors,
} from './harness.ts'
import { e2eEnv } from './env.ts'

const unavailable = e2eUnavailable()
const NOTEBOOK = 'notebooks/paper-experiment.sftnb'
const PROBE = 'cell-7'
/** The sample notebook's model cell asks for 24 new tokens. */
const BUDGET = 24

const cell = (page: Page, id: string) => page.locator(`[data-cell-id="${id}"]`)

/** A screenshot of one element as it is on screen now (no scrolling, so a hover stays). */
async function shoot(target: Locator, name: string): Promise<void> {
  fs.mkdirSync(ARTIFACTS_DIR, { recursive: true })
  await target.screenshot({ path: path.join(ARTIFACTS_DIR, `${name}.png`) })
}

function rgb(css: string): [number, number, number] {
  const m = /rgba?\((\d+), (\d+), (\d+)/.exec(css)
  if (m === null) throw new Error(`not an rgb() colour: ${css}`)
  return [Number(m[1]), Number(m[2]), Number(m[3])]
}

function hexOf([r, g, b]: [number, number, number]): string {
  return `#${[r, g, b].map((v) => v.toString(16).padStart(2, '0')).join('')}`
}

/** Each token's probability (data-p) and its rendered background colour. */
async function tokenColours(stream: Locator): Promise<{ p: number; background: [number, number, number] }[]> {
  const list = await stream.locator('[data-testid="token"]').evaluateAll((els) =>
    els.map((el) => {
      // The tests compile without the DOM's types; these are the two DOM calls needed.
      const node = el as unknown as { getAttribute(name: string): string | null }
      const page = globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }
      return { p: Number(node.getAttribute('data-p')), background: page.getComputedStyle(el).backgroundColor }
    }),
  )
  return list.map((t) => ({ p: t.p, background: rgb(t.background) }))
}

describe.skipIf(unavailable !== null)(unavailable === null ? 'probe cell in Chromium (e2e)' : `e2e skipped: ${unavailable}`, () => {
  const env = e2eEnv({ prefix: 'sftbench-e2e-probe-', prepare: sampleNotebookOnFixture })

  it(
    'streams coloured tokens, shows alternatives on hover, forks beside the original, and runs a Sokoban episode',
    async () => {
      const context = await env.browser.newContext({ viewport: { width: 1280, height: 1000 } })
      const page = await context.newPage()
      const errors = watchErrors(page)
      await page.goto(`${env.server.url}#nb=${encodeURIComponent(NOTEBOOK)}`)
      const probe = cell(page, PROBE)
      await probe.waitFor()

      // Probe: the model loads from the model cell, then the original streams to the end.
      await probe.getByTestId('probe-run').click()
      const root = probe.locator('[data-testid="probe-stream"][data-stream="root"]')
      await root.and(page.locator('[data-status="done"]')).waitFor({ timeout: 120_000 })
      await probe.getByTestId('probe-meta').getByText(/\d+ tokens · (length|eos|stop) · cpu · [\d.]+ tokens\/s · \d+ ms to first token/).waitFor()
      await probe.getByTestId('probability-legend').waitFor()

      // Each token wears the scale's colour for its probability; less likely tokens are darker.
      const colours = await tokenColours(root)
      expect(colours.length).toBeGreaterThan(3)
      expect(colours.length).toBeLessThanOrEqual(BUDGET)
      for (const { p, background } of colours) {
        const hex = probabilityColor(p)
        const expected = [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16))
        background.forEach((v, k) => expect(Math.abs(v - expected[k])).toBeLessThanOrEqual(2))
      }
      const sorted = [...colours].sort((a, b) => a.p - b.p)
      for (let i = 1; i < sorted.length; i++) {
        if (sorted[i].p - sorted[i - 1].p > 0.01) {
          expect(relativeLuminance(hexOf(sorted[i].background))).toBeGreaterThan(relativeLuminance(hexOf(sorted[i - 1].background)))
        }
      }

      // Hover: the top 5 alternatives with their probabilities, best first; the produced one cannot be taken.
      const at = 2
      await root.locator(`[data-testid="token"][data-index="${at}"]`).hover()
      const popover = root.getByTestId('alternatives')
      await popover.waitFor()
      const alternatives = popover.getByTestId('alternative')
      expect(await alternatives.count()).toBe(5)
      const shown = (await popover.locator('.probe-p').allTextContents()).map((t) => Number(t.replace(/[<>]/g, '')))
      expect([...shown].sort((a, b) => b - a)).toEqual(shown)
      expect(await popover.locator('button:disabled').count()).toBe(1)
      await shoot(probe, 'probe-hover')
      await screenshot(page, 'probe-hover-page')
      // The page screenshot scrolled the page under the mouse; point at the token again.
      await page.mouse.move(0, 0)
      await root.locator(`[data-testid="token"][data-index="${at}"]`).hover()
      await popover.waitFor()

      // Click an alternative: a fork streams beside the original, starting with the chosen token.
      const choice = popover.locator('button:not(:disabled)').first()
      const choiceText = (await choice.locator('.probe-token').textContent()) ?? ''
      await choice.click()
      const fork = probe.locator('[data-testid="probe-stream"][data-stream^="fork-"]')
      await fork.and(page.locator('[data-status="done"]')).first().waitFor({ timeout: 60_000 })
      expect(await fork.count()).toBe(1)
      expect((await fork.getByTestId('fork-choice').textContent())?.trim()).toBe(choiceText.trim())
      expect(await fork.locator('.probe-stream-title').textContent()).toMatch(new RegExp(`^Fork 1 at token ${at + 1}: `))
      // The fork continues for what is left of the budget after the tokens it starts from.
      expect(await fork.locator('[data-testid="token"]').count()).toBeLessThanOrEqual(BUDGET - (at + 1))
      const rootBox = await root.boundingBox()
      const forkBox = await fork.boundingBox()
      expect(rootBox && forkBox && forkBox.x > rootBox.x + rootBox.width - 1 && Math.abs(forkBox.y - rootBox.y) < 2).toBe(true)

      // A fork of the fork: a third stream; the original is unchanged.
      const before = await root.locator('[data-testid="token"]').allTextContents()
      await fork.locator('[data-testid="token"][data-index="1"]').hover()
      await fork.getByTestId('alternatives').locator('button:not(:disabled)').first().click()
      await probe.locator('[data-testid="probe-stream"][data-stream^="fork-"][data-status="done"]').nth(1).waitFor({ timeout: 60_000 })
      expect(await probe.getByTestId('probe-stream').count()).toBe(3)
      expect(await root.locator('[data-testid="token"]').allTextContents()).toEqual(before)
      await page.mouse.move(0, 0)
      await shoot(probe, 'probe-forks')

      // Sokoban: the whole closed-loop episode with the loaded model, then its turns in the viewer.
      await probe.getByTestId('episode-run').click()
      const episode = probe.getByTestId('episode')
      await episode.and(page.locator('[data-status="done"]')).waitFor({ timeout: 120_000 })
      const meta = (await episode.getByTestId('episode-meta').textContent()) ?? ''
      const turns = Number(/(\d+) turns/.exec(meta)?.[1])
      expect(turns).toBeGreaterThan(0)
      expect(meta).toMatch(/· cpu ·/)
      const player = episode.getByTestId('episode-player')
      if ((await player.count()) > 0) {
        await player.locator('svg').first().waitFor({ timeout: 30_000 })
      } else {
        expect(await episode.locator('[data-testid="episode-turns"] tbody tr').count()).toBeGreaterThanOrEqual(turns)
      }
      await shoot(probe, 'probe-episode')
      await screenshot(page, 'probe-page')
      expect(errors).toEqual([])
      await context.close()
    },
    E2E_TIMEOUT_MS,
  )

  // After the test above the model is loaded and warm, so the runner's whole generation can start
  // and end between two of the run store's coalesced updates: the cell must still show it (it once
  // waited for a "running" state it never saw).
  it(
    "the cell's Generate button streams coloured tokens into the same view",
    async () => {
      const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 } })
      const page = await context.newPage()
      const errors = watchErrors(page)
      await page.goto(`${env.server.url}#nb=${encodeURIComponent(NOTEBOOK)}`)
      const probe = cell(page, PROBE)
      await probe.waitFor()
      await probe.getByTestId('run-cell').click()
      const root = probe.locator('[data-testid="probe-stream"][data-stream="root"]')
      await waitShowing(root.and(page.locator('[data-status="done"]')), probe, 60_000, () => `Server stderr:\n${env.server.stderr()}\nPage errors: ${JSON.stringify(errors)}`)
      expect(await root.locator('[data-testid="token"]').count()).toBeGreaterThan(3)
      await probe.getByTestId('probe-meta').getByText(/\d+ tokens · (length|eos|stop) · cpu/).waitFor()
      expect(errors).toEqual([])
      await context.close()
    },
    E2E_TIMEOUT_MS,
  )
})
