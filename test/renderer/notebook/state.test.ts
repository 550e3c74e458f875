import { describe, expect, it } from 'vitest'
import type { OpenedNotebook } from '../../../core/contract/api.ts'
import { validateReads } from '../../../core/notebook/graph.ts'
import { NotebookSchema, type NotebookDocument } from '../../../core/notebook/schema.ts'
import { INITIAL_STATE, isDirty, notebookReducer, type NotebookState } from '../../../renderer/src/notebook/state.ts'

/** task <- template <- probe; task <- sweep (with template, model) <- plot; an unrelated note. */
function doc(): NotebookDocument {
  return NotebookSchema.parse({
    format: 1,
    nextId: 8,
    cells: [
      { id: 'cell-1', kind: 'task', task: 'sokoban', difficulty: 'simple', count: 4 },
      { id: 'cell-2', kind: 'template', reads: ['cell-1'], variant: 'sokoban-eval-base' },
      { id: 'cell-3', kind: 'model', dir: 'm' },
      { id: 'cell-4', kind: 'probe', reads: ['cell-1', 'cell-2', 'cell-3'], instance: 0 },
      { id: 'cell-5', kind: 'sweep', reads: ['cell-1', 'cell-2', 'cell-3'] },
      { id: 'cell-6', kind: 'plot', reads: ['cell-5'], source: 'cell-5' },
      { id: 'cell-7', kind: 'markdown', source: 'note' },
    ],
  })
}

function opened(d: NotebookDocument): NotebookState {
  const o: OpenedNotebook = {
    path: '/w/a.sftnb',
    revision: 'r1',
    document: d,
    problem: null,
    migratedFrom: null,
    readOnly: false,
    recovery: null,
  }
  return notebookReducer(INITIAL_STATE, { type: 'opened', opened: o })
}

const staleIds = (s: NotebookState): string[] => (s.doc?.cells ?? []).filter((c) => c.stale).map((c) => c.id)

describe('notebook state', () => {
  it('opens clean and becomes dirty on an edit, clean again when that version is saved', () => {
    let s = opened(doc())
    expect(isDirty(s)).toBe(false)
    s = notebookReducer(s, { type: 'edit', id: 'cell-7', change: (c) => ({ ...c, source: 'changed' }) as typeof c })
    expect(isDirty(s)).toBe(true)
    s = notebookReducer(s, { type: 'saved', path: '/w/a.sftnb', revision: 'r2', version: s.version })
    expect(isDirty(s)).toBe(false)
    expect(s.revision).toBe('r2')
  })

  it('a save of an older version leaves later edits unsaved', () => {
    let s = opened(doc())
    s = notebookReducer(s, { type: 'title', title: 'one' })
    const sentVersion = s.version
    s = notebookReducer(s, { type: 'title', title: 'two' })
    s = notebookReducer(s, { type: 'saved', path: '/w/a.sftnb', revision: 'r2', version: sentVersion })
    expect(isDirty(s)).toBe(true)
  })

  it('editing the task cell marks every transitive reader stale, not the note or the model (marimo rule)', () => {
    const s = notebookReducer(opened(doc()), { type: 'edit', id: 'cell-1', change: (c) => ({ ...c, count: 9 }) as typeof c })
    expect(staleIds(s)).toEqual(['cell-2', 'cell-4', 'cell-5', 'cell-6'])
  })

  it('an update (a run recorded its run folder) marks nothing stale but still needs saving', () => {
    const s = notebookReducer(opened(doc()), { type: 'update', id: 'cell-5', change: (c) => ({ ...c, runDir: '/w/runs/x' }) as typeof c })
    expect(staleIds(s)).toEqual([])
    expect(isDirty(s)).toBe(true)
  })

  it('running a stale cell clears its badge only', () => {
    let s = notebookReducer(opened(doc()), { type: 'edit', id: 'cell-3', change: (c) => ({ ...c, dir: 'other' }) as typeof c })
    expect(staleIds(s)).toEqual(['cell-4', 'cell-5', 'cell-6'])
    s = notebookReducer(s, { type: 'ran', id: 'cell-5' })
    expect(staleIds(s)).toEqual(['cell-4', 'cell-6'])
  })

  it('inserts a sweep with reads of every template cell after the task, and the next counter id', () => {
    const base = doc()
    const withSecond = NotebookSchema.parse({
      ...base,
      cells: [...base.cells.slice(0, 2), { id: 'cell-9', kind: 'template', reads: ['cell-1'], variant: 'sokoban-eval-cardinal' }, ...base.cells.slice(2)],
      nextId: 10,
    })
    const s = notebookReducer(opened(withSecond), { type: 'insert', index: withSecond.cells.length, kind: 'sweep' })
    const added = s.doc?.cells.at(-1)
    expect(added?.id).toBe('cell-10')
    expect(added?.reads).toEqual(['cell-1', 'cell-3', 'cell-2', 'cell-9'])
    expect(s.doc?.nextId).toBe(11)
  })

  it('moving a cell above what it reads repairs its reads so the document stays valid', () => {
    let s = opened(doc())
    s = notebookReducer(s, { type: 'move', id: 'cell-2', delta: -1 })
    const d = s.doc as NotebookDocument
    expect(d.cells.map((c) => c.id).slice(0, 2)).toEqual(['cell-2', 'cell-1'])
    expect(validateReads(d)).toEqual([])
    expect(d.cells[0].reads).toEqual([])
    expect(d.cells[0].stale).toBe(true)
  })

  it('deleting a read cell drops the reference and marks its readers stale', () => {
    const s = notebookReducer(opened(doc()), { type: 'delete', id: 'cell-2' })
    const d = s.doc as NotebookDocument
    expect(d.cells.some((c) => c.id === 'cell-2')).toBe(false)
    expect(validateReads(d)).toEqual([])
    expect(d.cells.find((c) => c.id === 'cell-4')?.reads).toEqual(['cell-1', 'cell-3'])
    expect(staleIds(s)).toEqual(['cell-4', 'cell-5', 'cell-6'])
  })

  it('refuses a plot where no sweep cell is above to draw from', () => {
    const s = opened(doc())
    expect(notebookReducer(s, { type: 'insert', index: 2, kind: 'plot' })).toBe(s)
    expect(notebookReducer(s, { type: 'insert', index: 5, kind: 'plot' }).doc?.cells[5]).toMatchObject({ kind: 'plot', source: 'cell-5' })
  })

  it('every state it produces still passes the notebook schema', () => {
    let s = opened(doc())
    for (const kind of ['markdown', 'task', 'template', 'model', 'probe', 'sweep', 'plot'] as const) {
      s = notebookReducer(s, { type: 'insert', index: 3, kind })
    }
    s = notebookReducer(s, { type: 'move', id: 'cell-6', delta: -1 })
    s = notebookReducer(s, { type: 'delete', id: 'cell-5' })
    expect(NotebookSchema.safeParse(s.doc).success).toBe(true)
    expect(validateReads(s.doc as NotebookDocument)).toEqual([])
  })
})
