import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { addCell, clearStale, defaultReads, markStale, staleAfterEdit, validateReads } from '../../../core/notebook/graph.ts'
import { NotebookSchema, type NotebookDocument } from '../../../core/notebook/schema.ts'
import { newNotebook } from '../../../core/notebook/parse.ts'

/** markdown, task, template(task), model, probe(task, template, model), sweep(...), plot(sweep), markdown */
function paperLike(): NotebookDocument {
  let doc = newNotebook()
  doc = addCell(doc, { kind: 'markdown', source: '# intro' }).document
  doc = addCell(doc, { kind: 'task', task: 'sokoban', difficulty: 'simple', count: 4 }).document
  doc = addCell(doc, { kind: 'template', variant: 'sokoban-base' }).document
  doc = addCell(doc, { kind: 'model', dir: 'm', provider: 'auto', sampling: {} }).document
  doc = addCell(doc, { kind: 'probe', instance: 0, summary: null }).document
  doc = addCell(doc, { kind: 'sweep', overrides: {}, runDir: null }).document
  doc = addCell(doc, { kind: 'plot', source: 'cell-6', x: 'difficultyValue', y: 'successRate' }).document
  doc = addCell(doc, { kind: 'markdown', source: 'end' }).document
  return NotebookSchema.parse(doc)
}

describe('addCell', () => {
  it('numbers cells from the document counter and gives default reads (nearest cell of each needed kind)', () => {
    const doc = paperLike()
    expect(doc.cells.map((c) => [c.id, c.reads])).toEqual([
      ['cell-1', []],
      ['cell-2', []],
      ['cell-3', ['cell-2']],
      ['cell-4', []],
      ['cell-5', ['cell-2', 'cell-3', 'cell-4']],
      ['cell-6', ['cell-2', 'cell-3', 'cell-4']],
      ['cell-7', ['cell-6']],
      ['cell-8', []],
    ])
    expect(doc.nextId).toBe(9)
  })

  it('never reuses the id of a deleted cell', () => {
    const doc = paperLike()
    const without = { ...doc, cells: doc.cells.filter((c) => c.id !== 'cell-8') }
    expect(addCell(without, { kind: 'markdown', source: '' }).id).toBe('cell-9')
  })

  it('picks the nearest cell above the insertion point', () => {
    const doc = paperLike()
    const second = addCell(doc, { kind: 'task', task: 'gp', difficulty: 'gp-id', count: 2 }, 4).document
    expect(defaultReads(second.cells, 5, 'template')).toEqual(['cell-9'])
    expect(defaultReads(second.cells, 3, 'template')).toEqual(['cell-2'])
  })
})

describe('staleAfterEdit', () => {
  it('editing the task marks everything that reads it, directly or not', () => {
    expect([...staleAfterEdit(paperLike(), 'cell-2')].sort()).toEqual(['cell-3', 'cell-5', 'cell-6', 'cell-7'])
  })

  it('editing the model marks probe, sweep and plot but not the template', () => {
    expect([...staleAfterEdit(paperLike(), 'cell-4')].sort()).toEqual(['cell-5', 'cell-6', 'cell-7'])
  })

  it('editing a markdown cell or a leaf marks nothing', () => {
    expect(staleAfterEdit(paperLike(), 'cell-1').size).toBe(0)
    expect(staleAfterEdit(paperLike(), 'cell-7').size).toBe(0)
  })

  it("a plot's source counts as a read even when reads is empty", () => {
    const doc = paperLike()
    const plot = doc.cells[6]
    const cells = doc.cells.map((c) => (c === plot ? { ...plot, reads: [] } : c))
    expect(staleAfterEdit({ ...doc, cells }, 'cell-6')).toEqual(new Set(['cell-7']))
  })

  it('throws for an unknown cell', () => {
    expect(() => staleAfterEdit(paperLike(), 'nope')).toThrow('No cell "nope"')
  })

  it('markStale flags the dependents; clearStale unflags a cell after it ran', () => {
    const marked = markStale(paperLike(), 'cell-4')
    expect(marked.cells.filter((c) => c.stale).map((c) => c.id)).toEqual(['cell-5', 'cell-6', 'cell-7'])
    const cleared = clearStale(marked, 'cell-6')
    expect(cleared.cells.filter((c) => c.stale).map((c) => c.id)).toEqual(['cell-5', 'cell-7'])
    expect(cleared.cells[5]).not.toHaveProperty('stale')
  })

  it('equals reachability by fixpoint iteration on random notebooks (reads point upward)', () => {
    const arb = fc.array(fc.array(fc.nat(), { maxLength: 4 }), { minLength: 1, maxLength: 25 })
    fc.assert(
      fc.property(arb, fc.nat(), (readLists, pick) => {
        const cells = readLists.map((reads, i) => ({
          id: `c${i}`,
          kind: 'markdown' as const,
          source: '',
          reads: i === 0 ? [] : [...new Set(reads.map((r) => `c${r % i}`))],
        }))
        const doc: NotebookDocument = { format: 1, nextId: cells.length + 1, cells }
        const edited = `c${pick % cells.length}`
        // Independent expectation: grow the set until no cell reading a member is missing.
        const expected = new Set<string>()
        let changed = true
        while (changed) {
          changed = false
          for (const cell of cells) {
            if (expected.has(cell.id) || cell.id === edited) continue
            if (cell.reads.some((r) => r === edited || expected.has(r))) {
              expected.add(cell.id)
              changed = true
            }
          }
        }
        expect(staleAfterEdit(doc, edited)).toEqual(expected)
      }),
    )
  })
})

describe('validateReads', () => {
  it('accepts the default reads', () => {
    expect(validateReads(paperLike())).toEqual([])
  })

  it('refuses reads of cells below, of the cell itself and of unknown cells, naming the field', () => {
    const doc = paperLike()
    const cells = doc.cells.map((c) => (c.id === 'cell-3' ? { ...c, reads: ['cell-5', 'cell-3', 'ghost'] } : c))
    expect(validateReads({ ...doc, cells })).toEqual([
      { cellId: 'cell-3', field: 'cells[2].reads[0]', message: 'reads "cell-5", which is below it; a cell may only read cells above it' },
      { cellId: 'cell-3', field: 'cells[2].reads[1]', message: 'a cell cannot read itself' },
      { cellId: 'cell-3', field: 'cells[2].reads[2]', message: 'reads "ghost", which is not a cell of this notebook' },
    ])
  })

  it("refuses a plot whose source is not a sweep cell", () => {
    const doc = paperLike()
    const cells = doc.cells.map((c) => (c.kind === 'plot' ? { ...c, source: 'cell-5', reads: ['cell-5'] } : c))
    expect(validateReads({ ...doc, cells })).toEqual([
      { cellId: 'cell-7', field: 'cells[6].source', message: '"cell-5" is a probe cell, not a sweep cell' },
    ])
  })
})
