import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseXsb, parseXsbLevel, serializeXsb } from '../../../core/sokoban/xsb.ts'
import {
  MAX_SIDE,
  applyTool,
  checkGrid,
  emptyGrid,
  gridFromLevel,
  resizeGrid,
  type EditorCell,
  type EditorGrid,
} from '../../../renderer/src/viewers/board-editor.ts'

const TUTORIAL = parseXsb(fs.readFileSync(path.resolve(import.meta.dirname, '../../../samples/levels/tutorial.xsb'), 'utf8'))

function text(g: EditorGrid): string {
  const rows: string[] = []
  for (let r = 0; r < g.rows; r++) rows.push(g.cells.slice(r * g.cols, (r + 1) * g.cols).join(''))
  return rows.join('\n')
}

function grid(rows: readonly string[]): EditorGrid {
  const cols = Math.max(...rows.map((r) => r.length))
  return { rows: rows.length, cols, cells: rows.flatMap((r) => [...r.padEnd(cols, ' ')] as EditorCell[]) }
}

const at = (g: EditorGrid, r: number, c: number): number => r * g.cols + c

describe('editor tools', () => {
  it('a new board is a walled room', () => {
    expect(text(emptyGrid(4, 5))).toBe('#####\n#   #\n#   #\n#####')
  })

  it('goals and boxes combine into box-on-goal; the player on a goal is "+"', () => {
    let g = emptyGrid(4, 6)
    g = applyTool(g, at(g, 1, 1), 'goal')
    g = applyTool(g, at(g, 1, 1), 'box')
    g = applyTool(g, at(g, 1, 2), 'box')
    g = applyTool(g, at(g, 1, 2), 'goal')
    g = applyTool(g, at(g, 2, 1), 'goal')
    g = applyTool(g, at(g, 2, 1), 'player')
    expect(text(g)).toBe('######\n#**  #\n#+   #\n######')
  })

  it('there is one player: placing it again moves it, leaving a goal behind', () => {
    let g = applyTool(emptyGrid(4, 6), 6 + 1, 'goal')
    g = applyTool(g, 7, 'player')
    g = applyTool(g, 6 + 4, 'player')
    expect(text(g)).toBe('######\n#.  @#\n#    #\n######')
  })

  it('a click toggles a goal or box off; a drag never does', () => {
    let g = applyTool(emptyGrid(4, 5), 6, 'box')
    g = applyTool(g, 6, 'goal')
    expect(g.cells[6]).toBe('*')
    expect(applyTool(g, 6, 'goal', true).cells[6]).toBe('$')
    expect(applyTool(g, 6, 'box', true).cells[6]).toBe('.')
    expect(applyTool(g, 6, 'box', false).cells[6]).toBe('*')
    expect(applyTool(g, 0, 'wall', true).cells[0]).toBe(' ')
  })

  it('erase removes the top-most thing: the box or player before the goal under it', () => {
    const g = grid(['######', '#*+$.#', '######'])
    const erased = [7, 8, 9, 10].reduce((acc, cell) => applyTool(acc, cell, 'erase'), g)
    expect(text(erased)).toBe('######\n#..  #\n######')
  })

  it('resizing keeps the top-left part, pads with floor and clamps to the limits', () => {
    const g = resizeGrid(emptyGrid(3, 3), 4, 5)
    expect(text(g)).toBe('###  \n# #  \n###  \n     ')
    expect(resizeGrid(g, 1, 99)).toMatchObject({ rows: 3, cols: MAX_SIDE })
  })
})

describe('checkGrid (core/sokoban level checks)', () => {
  it('a valid board gives its level and XSB text', () => {
    let g = emptyGrid(3, 6)
    g = applyTool(g, 7, 'player')
    g = applyTool(g, 8, 'box')
    g = applyTool(g, 10, 'goal')
    const check = checkGrid(g)
    expect(check).toMatchObject({ ok: true, xsb: '######\n#@$ .#\n######', boxes: 1 })
  })

  it('the title goes on its own line before the board and reads back as the title', () => {
    const check = checkGrid(grid(['#####', '#@$.#', '#####']), 'First push')
    if (!check.ok) throw new Error(check.message)
    expect(check.xsb).toBe('First push\n#####\n#@$.#\n#####')
    expect(parseXsbLevel(check.xsb).title).toBe('First push')
  })

  it.each(TUTORIAL.map((l, i) => [i + 1, l] as const))('tutorial level %i reads back unchanged through the editor', (_, level) => {
    const check = checkGrid(gridFromLevel(level))
    expect(check.ok && check.xsb).toBe(serializeXsb(level))
  })

  it('an empty board says what to draw', () => {
    expect(checkGrid(resizeGrid({ rows: 3, cols: 3, cells: Array(9).fill(' ') }, 5, 5))).toMatchObject({
      ok: false,
      cell: null,
      message: expect.stringMatching(/empty/),
    })
  })

  it('no player, or boxes and goals that do not match: a message without a cell', () => {
    expect(checkGrid(grid(['#####', '# $.#', '#####']))).toMatchObject({ ok: false, cell: null, message: expect.stringMatching(/no player/) })
    const counts = checkGrid(grid(['######', '#@$..#', '######']))
    expect(counts).toMatchObject({ ok: false, cell: null })
    if (!counts.ok) expect(counts.message).toMatch(/1 box .* but 2 goals/)
  })

  it('a gap in the walls points at the piece that leaks, in editor rows and columns', () => {
    // The room sits one row down and two columns right; its left wall has a gap beside the box, and the
    // first leaking piece in reading order is the player above the box.
    const g = grid(['         ', '  ######', '  #@  .#', '   $   #', '  ######'])
    const check = checkGrid(g)
    expect(check.ok).toBe(false)
    if (check.ok) return
    expect(check.cell).toBe(at(g, 2, 3))
    expect(check.message).toMatch(/^The player at row 3, column 4 can be reached from outside/)
  })

  it('a second player is pointed at', () => {
    const g = grid(['######', '#@$.@#', '######'])
    const check = checkGrid(g)
    expect(check).toMatchObject({ ok: false, cell: at(g, 1, 4) })
    if (!check.ok) expect(check.message).toMatch(/^The board has 2 players; the second is at row 2, column 5/)
  })
})
