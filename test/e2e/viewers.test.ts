// @vitest-environment node
/**
 * The task cell's viewers in Chromium against a real `sftbench serve`: a Sokoban gallery whose boards
 * open the step-through (keyboard, labels, overlays, playback, play by hand); levels imported from
 * pasted XSB (a located error, then two levels solved in the worker); the board editor (live checks
 * with the problem's cell outlined, solvability with the optimal plan, saving into the notebook); a
 * General Points hand in the card viewer with both verifiers side by side. Screenshots go to
 * test-artifacts/e2e/.
 */
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Locator, Page } from 'playwright-core'
import {
  E2E_TIMEOUT_MS,
  REPO_ROOT,
  e2eUnavailable,
  screenshot,
  watchErrors,
} from './harness.ts'
import { e2eEnv } from './env.ts'

const unavailable = e2eUnavailable()
const NOTEBOOK = 'notebooks/viewers.sftnb'

const VIEWERS_NOTEBOOK = {
  format: 1,
  title: 'Viewers',
  nextId: 3,
  cells: [
    { id: 'cell-1', kind: 'task', reads: [], task: 'sokoban', difficulty: 'simple', seedScheme: { kind: 'seeded', seed: 7 }, count: 4 },
    { id: 'cell-2', kind: 'task', reads: [], task: 'gp', difficulty: 'gp-id', seedScheme: { kind: 'seeded', seed: 3 }, count: 4 },
  ],
}

// Levels 1 and 2 of samples/levels/tutorial.xsb; their optimal solutions take 1 and 7 moves (its README).
const TWO_LEVELS = "'First push'\n#####\n#@$.#\n#####\n\n'Around the corner'\n######\n#    #\n# $  #\n#  #.#\n#@ ###\n####\n"

const cell = (page: Page, id: string): Locator => page.locator(`[data-cell-id="${id}"]`)

/** Arrow key of a move name in a step label. */
const KEY_OF: Record<string, string> = { Up: 'ArrowUp', Down: 'ArrowDown', Left: 'ArrowLeft', Right: 'ArrowRight' }

describe.skipIf(unavailable !== null)(unavailable === null ? 'task cell viewers in Chromium (e2e)' : `e2e skipped: ${unavailable}`, () => {
  const env = e2eEnv({
    prefix: 'sftbench-e2e-viewers-',
    prepare: (dir) => fs.writeFileSync(path.join(dir, NOTEBOOK), JSON.stringify(VIEWERS_NOTEBOOK, null, 2) + '\n'),
  })

  async function openNotebook(): Promise<{ page: Page; errors: string[] }> {
    const context = await env.browser.newContext({ viewport: { width: 1280, height: 1000 } })
    const page = await context.newPage()
    const errors = watchErrors(page)
    await page.goto(`${env.server.url}#nb=${encodeURIComponent(NOTEBOOK)}`)
    await cell(page, 'cell-1').waitFor()
    return { page, errors }
  }

  it(
    'opens a generated level in the step-through: keyboard stepping, labels, overlays, playback, play by hand',
    async () => {
      const { page, errors } = await openNotebook()
      const task = cell(page, 'cell-1')
      await task.getByTestId('run-cell').click()
      await task.getByTestId('gallery').waitFor({ timeout: 60_000 })
      const figures = task.locator('[data-testid="gallery"] figure')
      expect(await figures.count()).toBe(4)
      expect(await task.locator('[data-testid="gallery"] svg[data-testid="sokoban-board"]').count()).toBe(4)
      const caption = (await figures.first().locator('.caption').textContent()) ?? ''
      const optimal = Number(/optimal (\d+) moves/.exec(caption)?.[1])
      expect(optimal).toBeGreaterThan(0)

      await figures.first().locator('button.open').click()
      const player = task.getByTestId('episode-player')
      await player.waitFor()
      const counter = player.getByTestId('step-counter')
      expect(await counter.textContent()).toBe(`step 0 / ${optimal}`)
      const board = player.locator('svg[data-testid="sokoban-board"]')
      const startPlayer = await board.getAttribute('data-player')

      // → steps through the plan, one label per move; each move is drawn as the plan's arrow.
      await player.focus()
      const moves: string[] = []
      for (let i = 0; i < optimal; i++) {
        const label = (await player.getByTestId('step-label').textContent()) ?? ''
        const move = /^Plan move: (Up|Down|Left|Right)/.exec(label)?.[1]
        expect(move, label).toBeDefined()
        expect(await player.locator('[data-overlay="plan"]').getAttribute('data-move')).toBe(move)
        moves.push(move as string)
        await page.keyboard.press('ArrowRight')
        await expect.poll(() => counter.textContent()).toBe(`step ${i + 1} / ${optimal}`)
      }
      expect(await player.getByTestId('step-label').textContent()).toBe('Final position: solved.')
      expect(await player.getByTestId('boxes-on-goals').textContent()).toBe('1/1 boxes on goals')
      expect(await board.locator('[data-on-goal="true"]').count()).toBe(1)
      expect(await player.locator('[data-overlay="plan"]').count()).toBe(0)
      await screenshot(page, 'viewers-plan-end')

      // ← steps back, Home jumps to the start, Space plays to the end.
      await page.keyboard.press('ArrowLeft')
      await expect.poll(() => counter.textContent()).toBe(`step ${optimal - 1} / ${optimal}`)
      await page.keyboard.press('Home')
      await expect.poll(() => counter.textContent()).toBe(`step 0 / ${optimal}`)
      expect(await board.getAttribute('data-player')).toBe(startPlayer)
      await page.keyboard.press('Space')
      await expect.poll(() => counter.textContent(), { timeout: 15_000 }).toBe(`step ${optimal} / ${optimal}`)
      await expect.poll(() => player.getByTestId('play').textContent()).toContain('Play')

      // Play by hand: the arrow keys of the plan solve the level; U takes the last move back.
      await player.getByTestId('hand-mode').click()
      await player.focus()
      for (const move of moves) await page.keyboard.press(KEY_OF[move])
      await expect.poll(() => player.getByTestId('hand-status').textContent()).toMatch(new RegExp(`^${optimal} moves, \\d+ pushes, 1/1 boxes on goals · solved$`))
      await screenshot(page, 'viewers-hand-solved')
      await page.keyboard.press('u')
      await expect.poll(() => player.getByTestId('hand-status').textContent()).toMatch(new RegExp(`^${optimal - 1} moves, .*0/1 boxes on goals$`))
      expect(errors).toEqual([])
      await page.context().close()
    },
    E2E_TIMEOUT_MS,
  )

  it(
    'imports pasted XSB (a located error first), solves the levels in the worker, edits a board with live checks and saves it',
    async () => {
      const { page, errors } = await openNotebook()
      const task = cell(page, 'cell-1')
      await task.getByTestId('import-levels').click()
      const text = task.getByTestId('import-text')
      await text.fill('#####\n#@$.#\n#@x #\n#####')
      const error = task.getByTestId('import-error')
      await error.waitFor()
      expect(await error.textContent()).toMatch(/^Line 3, column 3: .*unknown character 'x'/)
      expect(await error.locator('pre').textContent()).toBe('#@x #\n  ^')

      await text.fill(TWO_LEVELS)
      expect(await task.getByTestId('import-found').textContent()).toBe('2 levels found')
      await task.getByTestId('import-add').click()
      expect(await task.getByTestId('own-level-count').textContent()).toBe('2 levels')
      // From a file: the run-length copy of level 2 (samples/levels/tutorial-rle.xsb) reads as the same board.
      await task.getByTestId('import-levels').click()
      await task.getByTestId('import-file').setInputFiles(path.join(REPO_ROOT, 'samples/levels/tutorial-rle.xsb'))
      await expect.poll(() => task.getByTestId('import-found').textContent()).toBe('1 level found')
      await task.getByTestId('import-add').click()
      expect(await task.getByTestId('own-level-count').textContent()).toBe('3 levels')
      const captions = task.getByTestId('own-level-caption')
      await expect.poll(() => captions.allTextContents(), { timeout: 30_000 }).toEqual([
        "L1 · 'First push' · optimal 1 moves",
        "L2 · 'Around the corner' · optimal 7 moves",
        "L3 · 'Around the corner' · optimal 7 moves",
      ])

      // The second level opens with the worker's optimal plan.
      await task.locator('[data-own-level="1"] button.open').click()
      await expect.poll(() => task.getByTestId('own-level-solve').textContent()).toMatch(/^optimal 7 moves \(\d+ pushes/)
      expect(await task.getByTestId('episode-player').getByTestId('step-counter').textContent()).toBe('step 0 / 7')

      // A new level in the editor: a 7×7 room to fill in; every edit is checked at once.
      await task.getByTestId('new-level').click()
      const editor = task.getByTestId('board-editor')
      const check = editor.getByTestId('editor-check')
      const solved = editor.getByTestId('editor-solve')
      const grid = editor.getByTestId('editor-grid')
      expect(await check.getAttribute('data-valid')).toBe('false')
      expect(await check.textContent()).toMatch(/no player/)
      const px = Number(await grid.getAttribute('width')) / 7
      const place = async (tool: string, r: number, c: number): Promise<void> => {
        await editor.locator(`button[data-tool="${tool}"]`).click()
        await grid.click({ position: { x: c * px + px / 2, y: r * px + px / 2 } })
      }
      // Player at (1,1), box at (2,2), goal at (2,4): down, then two pushes right.
      await place('player', 1, 1)
      await place('box', 2, 2)
      await place('goal', 2, 4)
      await expect.poll(() => check.textContent()).toBe('Valid level: 1 box.')
      await expect.poll(() => solved.textContent(), { timeout: 30_000 }).toBe('Solvable: optimal 3 moves (2 pushes).')

      // A gap in the wall: the check points at the first piece that leaks.
      await place('erase', 0, 3)
      await expect.poll(() => check.textContent()).toMatch(/^The player at row 2, column 2 can be reached from outside/)
      expect(await editor.getByTestId('editor-error-cell').count()).toBe(1)
      expect(await solved.getAttribute('data-state')).toBe('invalid')
      await screenshot(page, 'viewers-editor-error')
      await place('wall', 0, 3)
      await expect.poll(() => check.getAttribute('data-valid')).toBe('true')

      // The box in a corner: unsolvable.
      await place('erase', 2, 2)
      await place('box', 5, 5)
      await expect.poll(() => solved.getAttribute('data-state'), { timeout: 30_000 }).toBe('unsolvable')
      await place('erase', 5, 5)
      await place('box', 2, 2)
      await expect.poll(() => solved.textContent(), { timeout: 30_000 }).toBe('Solvable: optimal 3 moves (2 pushes).')
      await editor.getByTestId('editor-view').click()
      expect(await editor.getByTestId('episode-player').getByTestId('step-counter').textContent()).toBe('step 0 / 3')
      await screenshot(page, 'viewers-editor')

      await editor.getByTestId('editor-title').fill('Two pushes')
      await editor.getByTestId('editor-save').click()
      expect(await task.getByTestId('own-level-count').textContent()).toBe('4 levels')
      await expect.poll(() => captions.nth(3).textContent(), { timeout: 30_000 }).toBe('L4 · Two pushes · optimal 3 moves')

      // Saved in the notebook as XSB text on the task cell.
      await page.keyboard.press('Control+s')
      await page.getByTestId('dirty').waitFor({ state: 'detached' })
      const saved = JSON.parse(fs.readFileSync(path.join(env.dir, NOTEBOOK), 'utf8')) as { cells: { levels?: string[] }[] }
      expect(saved.cells[0].levels).toEqual([
        "'First push'\n#####\n#@$.#\n#####",
        "'Around the corner'\n######\n#    #\n# $  #\n#  #.#\n#@ ###\n####",
        "'Around the corner'\n######\n#    #\n# $  #\n#  #.#\n#@ ###\n####",
        'Two pushes\n#######\n#@    #\n# $ . #\n#     #\n#     #\n#     #\n#######',
      ])
      expect(errors).toEqual([])
      await page.context().close()
    },
    E2E_TIMEOUT_MS,
  )

  it(
    'shows a General Points hand with both verifiers side by side and the formula tree',
    async () => {
      const { page, errors } = await openNotebook()
      const task = cell(page, 'cell-2')
      await task.getByTestId('run-cell').click()
      await task.getByTestId('gallery').waitFor({ timeout: 60_000 })
      const first = task.locator('[data-testid="gallery"] figure').first()
      const solution = ((await first.locator('.meta.mono').textContent()) ?? '').trim()
      expect(solution).toMatch(/^[\d+\-*/() ]+$/)
      await first.locator('button.open').click()

      const viewer = task.getByTestId('card-viewer')
      await viewer.waitFor()
      expect(await viewer.getByTestId('face-rule').textContent()).toBe("rule: 'J', 'Q', and 'K' all count as '10'")
      expect(await viewer.locator('[data-testid="card-hand"] li').count()).toBe(4)
      // The stored solution, as the paper's JSON answer: both verifiers accept; the tree's root is 24.
      expect(await viewer.getByTestId('paper-verdict').locator('.verdict-badge').textContent()).toBe('+5')
      expect(await viewer.getByTestId('strict-verdict').locator('.verdict-badge').textContent()).toBe('accept')
      expect(await viewer.getByTestId('verdict-agreement').getAttribute('data-agree')).toBe('true')
      expect(await viewer.locator('[data-testid="formula-tree"] g[data-node]').first().getAttribute('data-value')).toBe('24')
      await expect.poll(() => viewer.getByTestId('gp-solutions').textContent(), { timeout: 30_000 }).toMatch(/^\d+ distinct solutions?/)
      await screenshot(page, 'viewers-gp-accept')

      // Single quotes: the paper's extraction finds no formula, the strict verifier's lenient one does.
      const answer = viewer.getByTestId('gp-answer')
      await answer.fill(`{'formula': '${solution}'}`)
      await expect.poll(() => viewer.getByTestId('verdict-agreement').getAttribute('data-agree')).toBe('false')
      expect(await viewer.getByTestId('verdict-agreement').textContent()).toContain('extraction-variant')
      expect(await viewer.getByTestId('paper-outcome').textContent()).toBe('illegal-formula')
      expect(await viewer.getByTestId('strict-reason').textContent()).toBe('correct')
      await screenshot(page, 'viewers-gp-disagree')

      // Numbers that are not the cards: both reject; the tree marks the extra literal.
      await answer.fill('{"formula": "99+1"}')
      await expect.poll(() => viewer.getByTestId('strict-reason').textContent()).toBe('wrong-numbers')
      expect(await viewer.locator('[data-testid="formula-tree"] g[data-card="extra"]').count()).toBeGreaterThan(0)
      expect(errors).toEqual([])
      await page.context().close()
    },
    E2E_TIMEOUT_MS,
  )
})
