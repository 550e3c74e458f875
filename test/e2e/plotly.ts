/**
 * Picking a point of a plotly chart in the e2e tests: plotly reads clicks from its drag layer, not
 * from the element drawn, so the mouse clicks at the element's coordinates.
 */
import { expect } from 'vitest'
import type { Locator, Page } from 'playwright-core'

/** Clicks `target` with the mouse at the fraction (`fx`, `fy`) of its box, its middle by default. */
export async function clickAt(page: Page, target: Locator, fx = 0.5, fy = 0.5): Promise<void> {
  // Mouse coordinates are the viewport's: bring the target into view first.
  await target.scrollIntoViewIfNeeded()
  const box = await target.boundingBox()
  if (!box) throw new Error('The element to click has no box (not rendered).')
  await page.mouse.move(box.x + box.width * fx, box.y + box.height * fy)
  await page.mouse.click(box.x + box.width * fx, box.y + box.height * fy)
}

/** How long a pick may take to list its samples before the click is tried again, and how often it is. */
const PICK_WAIT_MS = 10_000
const PICK_TRIES = 3

/**
 * Clicks `target` in `plot` (a plot cell) until its samples panel's title contains `title`. Plotly
 * drops a click now and then on a loaded machine: the cover its mouse-down lays over the chart ends
 * the hover, and a mouse-up within its 50 ms hover throttle then finds no hovered point, so no
 * `plotly_click` is emitted. A second click, seconds later, is no double click (plotly's limit is
 * 300 ms). The last try waits as long as any step.
 */
export async function pick(page: Page, plot: Locator, target: Locator, title: string, fx = 0.5, fy = 0.5): Promise<void> {
  const shown = async (): Promise<string> =>
    (await plot.getByTestId('samples-title').first().textContent({ timeout: 1_000 }).catch(() => null)) ?? ''
  for (let tries = 1; ; tries++) {
    await clickAt(page, target, fx, fy)
    const last = tries === PICK_TRIES
    try {
      await expect.poll(shown, { timeout: last ? 60_000 : PICK_WAIT_MS }).toContain(title)
      return
    } catch (e) {
      if (last) throw e
    }
  }
}
