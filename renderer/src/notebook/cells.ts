/**
 * New cells: the default content of each kind, and the cells above that it reads by default.
 */
import { addCell, defaultReads, type NewCell } from '../../../core/notebook/graph.ts'
import type { Cell, CellKind, NotebookDocument } from '../../../core/notebook/schema.ts'

/**
 * The ids a new cell of `kind` at `index` reads: core's default (the nearest cell of each kind it
 * needs), except that a sweep reads every template cell between its task cell and itself.
 */
export function readsForNewCell(cells: readonly Cell[], index: number, kind: CellKind): string[] {
  const reads = defaultReads(cells, index, kind)
  if (kind !== 'sweep') return reads
  const above = cells.slice(0, index)
  let from = 0
  for (let i = above.length - 1; i >= 0; i--) {
    if (above[i].kind === 'task') {
      from = i + 1
      break
    }
  }
  const templates = above.slice(from).filter((c) => c.kind === 'template').map((c) => c.id)
  const kindOf = (id: string): CellKind | undefined => above.find((c) => c.id === id)?.kind
  return [...reads.filter((id) => kindOf(id) !== 'template'), ...templates]
}

/** The content of a new cell of `kind` (without id and reads). */
function blank(kind: CellKind, cells: readonly Cell[], index: number): NewCell {
  const task = [...cells.slice(0, index)].reverse().find((c) => c.kind === 'task')
  const taskName = task?.kind === 'task' ? task.task : 'sokoban'
  switch (kind) {
    case 'markdown':
      return { kind, source: '' }
    case 'task':
      return { kind, task: 'sokoban', difficulty: 'simple', seedScheme: { kind: 'seeded', seed: 0 }, count: 8 }
    case 'template':
      return { kind, variant: taskName === 'gp' ? 'gp-test-all_10' : 'sokoban-eval-base' }
    case 'model':
      return { kind, dir: 'models/model', provider: 'auto', sampling: { temperature: 0, maxNewTokens: 64 } }
    case 'probe':
      return { kind, instance: 0, summary: null }
    case 'sweep':
      return { kind, overrides: { instances: 4, repeats: 1 }, runDir: null }
    case 'plot': {
      const sweep = [...cells.slice(0, index)].reverse().find((c) => c.kind === 'sweep')
      return { kind, source: sweep?.id ?? 'cell-1', x: 'difficultyValue', y: 'successRate' }
    }
  }
}

/** Whether a cell of `kind` can go at `index` (a plot needs a sweep cell above it to draw). */
export function canInsert(cells: readonly Cell[], index: number, kind: CellKind): boolean {
  return kind !== 'plot' || cells.slice(0, index).some((c) => c.kind === 'sweep')
}

/** The document with a new cell of `kind` inserted at `index`, and the new cell's id. */
export function insertCell(doc: NotebookDocument, index: number, kind: CellKind): { document: NotebookDocument; id: string } {
  return addCell(doc, { ...blank(kind, doc.cells, index), reads: readsForNewCell(doc.cells, index, kind) }, index)
}

/** An empty notebook. */
export function emptyNotebook(): NotebookDocument {
  return { format: 1, title: 'Untitled', nextId: 2, cells: [{ id: 'cell-1', kind: 'markdown', reads: [], source: '# Notes\n' }] }
}

/** Short label of a kind for headers and menus. */
export const KIND_LABELS: Readonly<Record<CellKind, string>> = {
  markdown: 'Notes',
  task: 'Task',
  template: 'Template',
  model: 'Model',
  probe: 'Probe',
  sweep: 'Sweep',
  plot: 'Plot',
}
