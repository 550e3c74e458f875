// @vitest-environment node
/**
 * The notebook in a real browser against a real `sftbench serve`: open the sample notebook, run cells
 * from the keyboard, see edits mark readers stale, save, reload and find the edit; corrupt and newer
 * files open with the backend's message and are never overwritten; autosave offers recovery.
 */
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import {
  E2E_TIMEOUT_MS,
  e2eUnavailable,
  newPage,
  screenshot,
  watchErrors,
  waitShowing,
} from './harness.ts'
import { e2eEnv } from './env.ts'

const unavailable = e2eUnavailable()
const NOTEBOOK = 'notebooks/paper-experiment.sftnb'

const cell = (page: Page, id: string) => page.locator(`[data-cell-id="${id}"]`)

describe.skipIf(unavailable !== null)(
  unavailable === null ? 'notebook app in Chromium (e2e)' : `e2e skipped: ${unavailable}`,
  () => {
    const env = e2eEnv()

    async function openPage(hash = ''): Promise<{ page: Page; errors: string[] }> {
      const page = await newPage(env.browser)
      const errors = watchErrors(page)
      await page.goto(`${env.server.url}${hash}`)
      return { page, errors }
    }

    it(
      'opens the sample notebook, runs a cell from the keyboard, edits, saves, reloads and keeps the edit',
      async () => {
        const { page, errors } = await openPage()
        // The token leaves the address bar once the page has it (the cookie carries on).
        await expect.poll(() => page.url()).not.toContain('token=')
        await page.getByRole('button', { name: NOTEBOOK }).click()
        await cell(page, 'cell-2').waitFor()
        await page.getByTestId('connection').getByText('connected').waitFor()

        // Shift+Enter in the task cell shows its instances: 8 boards, each with its optimal length.
        await cell(page, 'cell-2').getByLabel('Count').click()
        await page.keyboard.press('Shift+Enter')
        await cell(page, 'cell-2').getByTestId('gallery').waitFor({ timeout: 60_000 })
        const boards = cell(page, 'cell-2').locator('pre.board')
        expect(await boards.count()).toBe(8)
        const board = (await boards.first().textContent()) ?? ''
        expect(board).toMatch(/^#+$/m)
        expect(board).toMatch(/@|\+/)
        expect(await cell(page, 'cell-2').locator('.caption').first().textContent()).toMatch(/optimal \d+ moves/)

        // Ctrl+Enter renders the template's prompt for instance 0.
        await cell(page, 'cell-5').getByLabel('Variant').focus()
        await page.keyboard.press('Control+Enter')
        const prompt = (await cell(page, 'cell-5').getByTestId('prompt').textContent({ timeout: 30_000 })) ?? ''
        // The random-words variant: the mapping line names four words, not the trained Up/Down/Left/Right.
        expect(prompt).toMatch(/^Up: \S+ \| Down: \S+ \| Left: \S+ \| Right: \S+$/m)
        expect(prompt).not.toContain('Up: Up |')

        // Editing the task marks every cell that reads it, directly or not, stale; the notes stay fresh.
        await cell(page, 'cell-2').getByLabel('Count').fill('6')
        const staleCells = await page.locator('[data-cell-id]:has([data-testid="stale-badge"])').all()
        const stale = await Promise.all(staleCells.map((c) => c.getAttribute('data-cell-id')))
        expect(stale).toEqual(['cell-4', 'cell-5', 'cell-7', 'cell-9', 'cell-10'])
        await page.getByTestId('dirty').waitFor()
        await screenshot(page, 'notebook-edited')

        await page.keyboard.press('Control+s')
        await page.getByTestId('dirty').waitFor({ state: 'detached' })
        const saved = JSON.parse(fs.readFileSync(path.join(env.dir, NOTEBOOK), 'utf8')) as {
          cells: { id: string; count?: number; stale?: boolean }[]
        }
        expect(saved.cells.find((c) => c.id === 'cell-2')?.count).toBe(6)
        expect(saved.cells.filter((c) => c.stale).map((c) => c.id)).toEqual(['cell-4', 'cell-5', 'cell-7', 'cell-9', 'cell-10'])

        await page.reload()
        await cell(page, 'cell-2').waitFor()
        expect(await cell(page, 'cell-2').getByLabel('Count').inputValue()).toBe('6')
        expect(await page.locator('[data-testid="stale-badge"]').count()).toBe(5)
        await screenshot(page, 'notebook-reloaded')
        expect(errors).toEqual([])
        await page.context().close()
      },
      E2E_TIMEOUT_MS,
    )

    it(
      'runs the probe with streaming output and a sweep whose table and plot fill in live',
      async () => {
        const { page, errors } = await openPage(`#nb=${encodeURIComponent(NOTEBOOK)}`)
        await cell(page, 'cell-7').waitFor()
        await cell(page, 'cell-7').getByTestId('run-cell').click()
        await waitShowing(cell(page, 'cell-7').getByTestId('probe-output'), cell(page, 'cell-7'), 90_000)
        await waitShowing(cell(page, 'cell-7').getByTestId('probe-meta').getByText(/\d+ tokens · (length|eos|stop) · \w+/), cell(page, 'cell-7'), 90_000)
        expect(await page.getByTestId('model-status-bar').textContent()).toMatch(/frozen|ready|·/)

        await cell(page, 'cell-9').getByTestId('run-cell').click()
        await cell(page, 'cell-9').getByTestId('sweep-progress').getByText('8/8 · completed').waitFor({ timeout: 150_000 })
        const rows = cell(page, 'cell-9').locator('[data-testid="aggregates"] tbody tr')
        expect(await rows.count()).toBe(2)
        expect(await rows.allTextContents()).toEqual([expect.stringContaining('sokoban-compact-base'), expect.stringContaining('sokoban-compact-words')])
        await cell(page, 'cell-10').locator('.main-svg').first().waitFor({ timeout: 60_000 })
        expect(await cell(page, 'cell-10').locator('.legend li:not(.hint)').allTextContents()).toEqual(['sokoban-compact-base', 'sokoban-compact-words'])
        // One band and one line per variant.
        expect(await cell(page, 'cell-10').locator('.scatterlayer .trace').count()).toBe(4)
        await screenshot(page, 'notebook-sweep-plot')
        expect(errors).toEqual([])
        await page.context().close()
      },
      E2E_TIMEOUT_MS,
    )

    it(
      'a notebook that is not valid JSON opens with the line and column, and is never overwritten',
      async () => {
        const file = path.join(env.dir, 'notebooks', 'broken.sftnb')
        const text = '{\n  "format": 1,\n  "cells": [,]\n}\n'
        fs.writeFileSync(file, text)
        const { page } = await openPage(`#nb=${encodeURIComponent('notebooks/broken.sftnb')}`)
        const banner = page.getByTestId('banner-problem')
        await banner.waitFor()
        expect(await banner.textContent()).toMatch(/line 3, column 13/)
        await page.keyboard.press('Control+s')
        await screenshot(page, 'notebook-corrupt')
        expect(fs.readFileSync(file, 'utf8')).toBe(text)
        await page.context().close()
      },
      E2E_TIMEOUT_MS,
    )

    it(
      'a notebook of a newer format opens with the message naming its format, and the file stays untouched',
      async () => {
        const file = path.join(env.dir, 'notebooks', 'future.sftnb')
        const text = `${JSON.stringify({ format: 99, nextId: 1, cells: [] }, null, 2)}\n`
        fs.writeFileSync(file, text)
        const { page } = await openPage(`#nb=${encodeURIComponent('notebooks/future.sftnb')}`)
        const banner = page.getByTestId('banner-problem')
        await banner.waitFor()
        expect(await banner.textContent()).toMatch(/99/)
        expect(await banner.textContent()).toMatch(/newer/i)
        expect(fs.readFileSync(file, 'utf8')).toBe(text)
        await page.context().close()
      },
      E2E_TIMEOUT_MS,
    )

    it(
      'autosave keeps unsaved edits in a recovery file, and opening the notebook again offers them',
      async () => {
        const { page } = await openPage(`#nb=${encodeURIComponent(NOTEBOOK)}`)
        await cell(page, 'cell-3').waitFor()
        await cell(page, 'cell-3').locator('.md-view').dblclick()
        await cell(page, 'cell-3').getByLabel('Markdown source').fill('## Unsaved thoughts')
        const recoveryDir = path.join(env.dir, '.sftbench', 'recovery')
        // An earlier test may have left a recovery file; wait for one holding this edit.
        const recovered = (): boolean =>
          fs.existsSync(recoveryDir) &&
          fs.readdirSync(recoveryDir).some((f) => fs.readFileSync(path.join(recoveryDir, f), 'utf8').includes('Unsaved thoughts'))
        await expect.poll(recovered, { timeout: 15_000 }).toBe(true)
        // The notebook itself is untouched until the user saves.
        expect(fs.readFileSync(path.join(env.dir, NOTEBOOK), 'utf8')).not.toContain('Unsaved thoughts')
        await page.context().close()

        const again = await openPage(`#nb=${encodeURIComponent(NOTEBOOK)}`)
        const banner = again.page.getByTestId('banner-recovery')
        await banner.waitFor()
        await banner.getByRole('button', { name: 'Restore it' }).click()
        await cell(again.page, 'cell-3').getByText('Unsaved thoughts').waitFor()
        await again.page.getByTestId('dirty').waitFor()
        await screenshot(again.page, 'notebook-recovered')
        await again.page.context().close()
      },
      E2E_TIMEOUT_MS,
    )
  },
)
