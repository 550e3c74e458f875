import { describe, expect, it } from 'vitest'
import { parseNotebook, serializeNotebook } from '../../../core/notebook/parse.ts'
import { MAX_TASK_LEVELS } from '../../../core/notebook/schema.ts'
import { parseXsbLevel, serializeXsb } from '../../../core/sokoban/xsb.ts'

const LEVEL = "'First push'\n#####\n#@$.#\n#####"

function notebook(task: Record<string, unknown>): string {
  return JSON.stringify({
    format: 1,
    nextId: 2,
    cells: [{ id: 'cell-1', kind: 'task', task: 'sokoban', difficulty: 'simple', count: 4, ...task }],
  })
}

describe('task cell levels (inline XSB levels)', () => {
  it('keep their text, title line included, through a save and reload', () => {
    const parsed = parseNotebook(notebook({ levels: [LEVEL, '####\n#@*#\n####'] }))
    if (!parsed.ok) throw new Error(parsed.problem.message)
    const cell = parsed.document.cells[0]
    expect(cell.kind === 'task' ? cell.levels : null).toEqual([LEVEL, '####\n#@*#\n####'])
    const again = parseNotebook(serializeNotebook(parsed.document))
    expect(again.ok && serializeNotebook(again.document)).toBe(serializeNotebook(parsed.document))
    expect(serializeXsb(parseXsbLevel(LEVEL))).toBe('#####\n#@$.#\n#####')
  })

  it('are optional: a task cell without them has none', () => {
    const parsed = parseNotebook(notebook({}))
    expect(parsed.ok && parsed.document.cells[0].kind === 'task' && parsed.document.cells[0].levels).toBeUndefined()
  })

  it('a level the XSB parser rejects is a schema problem at that level, with the parser message', () => {
    const parsed = parseNotebook(notebook({ levels: [LEVEL, '#####\n#@$$.#\n#####'] }))
    expect(parsed).toMatchObject({ ok: false, problem: { kind: 'schema', field: 'cells[0].levels[1]' } })
    if (!parsed.ok) expect(parsed.problem.message).toMatch(/2 boxes .* but 1 goal/)
  })

  it('two levels in one string are refused (one level per entry)', () => {
    const parsed = parseNotebook(notebook({ levels: [`${LEVEL}\n\n${LEVEL}`] }))
    expect(parsed).toMatchObject({ ok: false, problem: { kind: 'schema', field: 'cells[0].levels[0]' } })
  })

  it('only Sokoban task cells take levels', () => {
    const parsed = parseNotebook(notebook({ task: 'gp', difficulty: 'gp-id', levels: [LEVEL] }))
    expect(parsed).toMatchObject({ ok: false, problem: { kind: 'schema', field: 'cells[0].levels' } })
  })

  it(`at most ${MAX_TASK_LEVELS} levels`, () => {
    expect(parseNotebook(notebook({ levels: Array(MAX_TASK_LEVELS).fill(LEVEL) })).ok).toBe(true)
    expect(parseNotebook(notebook({ levels: Array(MAX_TASK_LEVELS + 1).fill(LEVEL) })).ok).toBe(false)
  })
})
