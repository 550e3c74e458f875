import { describe, expect, it } from 'vitest'
import { parseNotebook, serializeNotebook } from '../../../core/notebook/parse.ts'
import type { NotebookDocumentInput } from '../../../core/notebook/schema.ts'

/** A sweep and a plot reading it; `chart` is set per test. */
function docWithPlot(plot: Record<string, unknown>): string {
  const doc = {
    format: 1,
    nextId: 4,
    cells: [
      { id: 'cell-1', kind: 'task', task: 'sokoban', difficulty: 'simple', count: 5 },
      { id: 'cell-2', kind: 'sweep', reads: ['cell-1'] },
      { id: 'cell-3', kind: 'plot', reads: ['cell-2'], source: 'cell-2', ...plot },
    ],
  }
  return JSON.stringify(doc)
}

describe('plot cell chart field', () => {
  it('a plot without chart (a file written before the field existed) stays valid and unchanged on save', () => {
    const parsed = parseNotebook(docWithPlot({}))
    if (!parsed.ok) throw new Error(parsed.problem.message)
    const plot = parsed.document.cells[2]
    expect(plot).toEqual({ id: 'cell-3', kind: 'plot', reads: ['cell-2'], source: 'cell-2', x: 'difficultyValue', y: 'successRate' })
    expect(serializeNotebook(parsed.document)).not.toContain('"chart"')
  })

  it.each(['lines', 'heatmap', 'failures'])('accepts chart "%s" and keeps it through a save', (chart) => {
    const parsed = parseNotebook(docWithPlot({ chart }))
    if (!parsed.ok) throw new Error(parsed.problem.message)
    expect(parsed.document.cells[2]).toMatchObject({ kind: 'plot', chart })
    const again = parseNotebook(serializeNotebook(parsed.document as NotebookDocumentInput))
    expect(again.ok && again.document.cells[2]).toMatchObject({ chart })
  })

  it('rejects an unknown chart with the path of the field', () => {
    const parsed = parseNotebook(docWithPlot({ chart: 'pie' }))
    expect(parsed.ok).toBe(false)
    if (!parsed.ok) {
      expect(parsed.problem.kind).toBe('schema')
      expect(parsed.problem.message).toContain('cells[2].chart')
    }
  })
})
