// @vitest-environment node
/**
 * The template cell in a real browser against a real `sftbench serve` with the tiny fixture model:
 * Monaco loads from the server alone (every page request is recorded), the Jinja tokenizer colours
 * the template, typing a variable offers it with its doc, a syntax error is marked on its line, the
 * rendered prompt and its token count follow the edits, a hover previews a variable's value, the
 * diff view shows the changed vocabulary between two variants, and an edited variant is saved in the
 * cell; the first load fills Monaco's code cache in a hidden frame, and the next does not again. A
 * template cell whose code cannot be downloaded says so in place, and the notebook goes on working.
 * Screenshots go to test-artifacts/e2e/.
 */
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Locator, Page } from 'playwright-core'
import {
  E2E_TIMEOUT_MS,
  SAMPLE_MODEL,
  e2eUnavailable,
  screenshot,
  watchErrors,
} from './harness.ts'
import { e2eEnv } from './env.ts'

const unavailable = e2eUnavailable()
const NOTEBOOK = 'notebooks/template.sftnb'

/** A task cell and two template cells: the paper's evaluation prompt with two vocabularies. */
const notebook = {
  format: 1,
  title: 'Template editing',
  nextId: 4,
  cells: [
    { id: 'cell-1', kind: 'task', reads: [], task: 'sokoban', difficulty: 'simple', seedScheme: { kind: 'seeded', seed: 7 }, count: 8 },
    { id: 'cell-2', kind: 'template', reads: ['cell-1'], variant: 'sokoban-eval-base' },
    { id: 'cell-3', kind: 'template', reads: ['cell-1'], variant: 'sokoban-eval-cardinal' },
  ],
}

const cell = (page: Page, id: string): Locator => page.locator(`[data-cell-id="${id}"]`)

/** The number in "N tokens". */
async function tokenCount(c: Locator): Promise<number> {
  const text = (await c.getByTestId('token-count').textContent()) ?? ''
  const m = /^(\d+) tokens$/.exec(text.trim())
  if (m === null) throw new Error(`unexpected token count text "${text}"`)
  return Number(m[1])
}

/** Replaces the editor's whole text (pasted in one input event, so no brackets are auto-closed). */
async function replaceText(page: Page, editor: Locator, text: string): Promise<void> {
  await editor.locator('.view-lines').click()
  await page.keyboard.press('Control+A')
  await page.keyboard.insertText(text)
}

describe.skipIf(unavailable !== null)(
  unavailable === null ? 'template cell in Chromium (e2e)' : `e2e skipped: ${unavailable}`,
  () => {
    const env = e2eEnv({
      prefix: 'sftbench-e2e-template-',
      prepare: (dir) => fs.writeFileSync(path.join(dir, NOTEBOOK), `${JSON.stringify(notebook, null, 2)}\n`),
      serverArgs: (dir) => ['--model', path.join(dir, SAMPLE_MODEL)],
    })

    it(
      'edits a Jinja template in Monaco: completion with docs, a located error, live prompt and token count, hover, diff',
      async () => {
        const context = await env.browser.newContext({ viewport: { width: 1280, height: 1000 } })
        const requests: string[] = []
        // Which frame fetched Monaco's script: the page, or the frame that fills the code cache.
        const monacoScript = /\/assets\/monaco-editor-[\w-]+\.js$/
        const monacoFetches: ('page' | 'frame')[] = []
        context.on('request', (r) => {
          requests.push(r.url())
          if (monacoScript.test(r.url())) monacoFetches.push(r.frame().parentFrame() === null ? 'page' : 'frame')
        })
        // Content Security Policy violations, which the page may not log (a library that tries
        // eval and catches the refusal, say).
        await context.addInitScript({
          content: `window.__violations = []; document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI))`,
        })
        const page = await context.newPage()
        const errors = watchErrors(page)
        await page.goto(`${env.server.url}#nb=${encodeURIComponent(NOTEBOOK)}`)

        // Monaco is loaded and the template tokenized: the variable inside {{ }} is coloured unlike the text.
        const base = cell(page, 'cell-2')
        const editor = base.locator('.monaco-editor').first()
        await editor.locator('.view-lines').waitFor({ timeout: 60_000 })
        await expect.poll(() => page.evaluate("performance.getEntriesByName('sftbench:monaco-ready').length"), { timeout: 30_000 }).toBe(1)
        const classOf = (text: string) => editor.locator('.view-line span span', { hasText: text }).first().getAttribute('class')
        const textClass = await classOf('You are a Sokoban solver.')
        expect(await classOf('answers_block')).not.toBe(textClass)
        expect(await classOf('{{')).not.toBe(textClass)

        // The prompt beside it, with its token count once the default model is ready.
        await base.getByTestId('token-count').waitFor({ timeout: 90_000 })
        const before = await tokenCount(base)
        expect(before).toBeGreaterThan(100)
        expect(await base.getByTestId('prompt').textContent()).toContain('<answer> Up </answer>')

        // Typing a variable offers it, with its doc in the details pane.
        await editor.locator('.view-lines').click()
        await page.keyboard.press('Control+End')
        await page.keyboard.press('Enter')
        await page.keyboard.type('{{ boa')
        const suggest = editor.locator('.suggest-widget.visible')
        await suggest.waitFor({ timeout: 15_000 })
        await suggest.locator('.monaco-list-row', { hasText: 'board_xsb' }).waitFor()
        const first = suggest.locator('.monaco-list-row').first()
        expect(await first.getAttribute('aria-label')).toMatch(/^board\b/)
        await page.keyboard.press('Control+Space')
        const details = editor.locator('.suggest-details')
        await details.getByText("The current position in the variant's renderer", { exact: false }).waitFor({ timeout: 10_000 })
        await screenshot(page, 'template-completion')
        await page.keyboard.press('Enter')
        // The accepted name completes the typed prefix: the template now reads `board` on two lines.
        const boardLines = async (): Promise<number> =>
          (await editor.locator('.view-line').allTextContents()).filter((t) => /^\{\{\s+board(\s+\}\})?\s*$/.test(t)).length
        await expect.poll(boardLines).toBe(2)

        // A syntax error is marked on its line and listed with its line and column.
        await replaceText(page, editor, 'Board:\n{{ board }}\nRows: {{ rows + }}\n')
        const problems = base.getByTestId('template-problems')
        await problems.waitFor({ timeout: 15_000 })
        expect(await problems.textContent()).toMatch(/line 3, column \d+/)
        const squiggly = editor.locator('.squiggly-error').first()
        await squiggly.waitFor({ timeout: 15_000 })
        const squigglyBox = await squiggly.boundingBox()
        const line3Box = await editor.locator('.view-line', { hasText: 'Rows:' }).boundingBox()
        expect(squigglyBox).not.toBeNull()
        expect(line3Box).not.toBeNull()
        expect(Math.abs((squigglyBox?.y ?? NaN) - (line3Box?.y ?? NaN))).toBeLessThan(4)
        await screenshot(page, 'template-error')

        // Fixed: the prompt and its token count follow the new text.
        await replaceText(page, editor, 'Board:\n{{ board }}\nRows: {{ rows }}\n')
        await problems.waitFor({ state: 'detached', timeout: 15_000 })
        await base.getByTestId('prompt').getByText('Rows: 6').waitFor({ timeout: 30_000 })
        await expect.poll(() => tokenCount(base), { timeout: 30_000 }).toBeLessThan(before)
        expect(await base.getByTestId('prompt').textContent()).not.toContain('Sokoban Quick Guide')

        // Hovering a variable previews its value for the selected instance.
        await editor.locator('.view-line span span', { hasText: /^rows$/ }).first().hover()
        const hover = page.locator('.monaco-hover:not(.hidden)', { hasText: 'Value for' })
        await hover.waitFor({ timeout: 15_000 })
        expect(await hover.textContent()).toMatch(/rows.*number[\s\S]*Value for[\s\S]*6/)

        // The diff view: the cardinal cell against the base variant differs in the shown names.
        const cardinal = cell(page, 'cell-3')
        await cardinal.getByLabel('Compare with').selectOption({ label: 'sokoban-eval-base' })
        const diff = cardinal.getByTestId('prompt-diff')
        await diff.locator('.modified-in-monaco-diff-editor .view-lines').getByText('North', { exact: false }).waitFor({ timeout: 30_000 })
        await diff.locator('.original-in-monaco-diff-editor .view-lines').getByText('<answer> Up </answer>', { exact: false }).waitFor()
        await diff.locator('.char-insert').first().waitFor({ timeout: 15_000 })
        expect(await diff.locator('.char-delete').count()).toBeGreaterThan(0)
        await cardinal.scrollIntoViewIfNeeded()
        await screenshot(page, 'template-diff')

        // Editing the variant saves it in the cell under its own name.
        await cardinal.getByLabel('Shown vocabulary').selectOption('emoji')
        await cardinal.getByTestId('prompt').getByText('⬆️', { exact: false }).waitFor({ timeout: 30_000 })
        await page.keyboard.press('Control+s')
        await page.getByTestId('dirty').waitFor({ state: 'detached', timeout: 15_000 })
        const saved = JSON.parse(fs.readFileSync(path.join(env.dir, NOTEBOOK), 'utf8')) as { cells: { id: string; variant?: unknown; source?: string }[] }
        expect(saved.cells.find((c) => c.id === 'cell-3')?.variant).toMatchObject({
          name: 'sokoban-eval-cardinal-custom',
          vocabulary: { shown: 'emoji', accepted: 'cardinal' },
        })
        expect(saved.cells.find((c) => c.id === 'cell-2')?.source).toBe('Board:\n{{ board }}\nRows: {{ rows }}\n')

        // Everything came from the server itself: no CDN, no other origin.
        const foreign = requests.filter((u) => !u.startsWith(`${env.server.origin}/`) && !u.startsWith('data:') && !u.startsWith('blob:'))
        expect(foreign).toEqual([])
        expect(requests.some((u) => /editor\.worker/.test(u))).toBe(true)
        // Monaco came as the classic script the page preloads, fetched once by the page: the preload
        // was used.
        expect(monacoFetches.filter((f) => f === 'page')).toHaveLength(1)
        const scripts = (await page.evaluate('[...document.scripts].map((s) => [s.src, s.type])')) as [string, string][]
        expect(scripts.filter(([src]) => monacoScript.test(src))).toEqual([[expect.any(String), '']])
        expect(await page.locator('link[rel="preload"][as="script"][href*="/monaco-editor-"]').count()).toBe(1)
        // This first load in the profile ran Monaco's script once more in a hidden frame (to fill the
        // browser's code cache for the next load), then removed the frame and recorded the script.
        const monacoUrl = scripts.find(([src]) => monacoScript.test(src))?.[0]
        await page.waitForFunction(`localStorage.getItem('sftbench:monaco-code-cache') === ${JSON.stringify(monacoUrl)}`, undefined, { timeout: 30_000 })
        expect(await page.locator('iframe').count()).toBe(0)
        expect(monacoFetches).toEqual(['page', 'frame'])
        // No errors and no policy violations, the frame's included.
        expect(errors).toEqual([])
        expect(await page.evaluate('window.__violations')).toEqual([])
        // The next load reads that cache and does not run the script a second time.
        await page.reload()
        await cell(page, 'cell-2').locator('[data-testid="template-editor"][data-ready="true"]').waitFor({ timeout: 60_000 })
        await page.evaluate('new Promise((resolve) => requestIdleCallback(() => setTimeout(resolve, 1000), { timeout: 5000 }))')
        expect(monacoFetches).toEqual(['page', 'frame', 'page'])
        expect(await page.locator('iframe').count()).toBe(0)
        await context.close()
      },
      E2E_TIMEOUT_MS,
    )

    it(
      "says so in the cell when the template editor's code cannot be downloaded, and the rest of the notebook still works",
      async () => {
        const context = await env.browser.newContext({ viewport: { width: 1280, height: 1000 } })
        // The template cell's own chunk fails, as after the server was updated under an open page.
        await context.route(/\/assets\/TemplateCellView-[\w-]+\.js$/, (route) => route.abort('connectionrefused'))
        const page = await context.newPage()
        await page.goto(`${env.server.url}#nb=${encodeURIComponent(NOTEBOOK)}`)

        for (const id of ['cell-2', 'cell-3']) {
          const alert = cell(page, id).getByRole('alert')
          await alert.waitFor({ timeout: 60_000 })
          expect(await alert.textContent()).toMatch(/^The template editor did not load \(.+\): reload the page/)
        }
        // The task cell beside them is drawn and answers: its import panel opens, its count can be edited.
        const importLevels = cell(page, 'cell-1').getByTestId('import-levels')
        await importLevels.click()
        expect(await importLevels.getAttribute('aria-expanded')).toBe('true')
        await cell(page, 'cell-1').getByLabel('Count').fill('5')
        await page.getByTestId('dirty').waitFor({ timeout: 15_000 })
        await screenshot(page, 'template-chunk-failed')
        await context.close()
      },
      E2E_TIMEOUT_MS,
    )
  },
)
