/**
 * @module core/notebook/graph
 * The dependency graph of a notebook. A cell reads only cells above it (its `reads`, plus a plot's
 * `source`), so document order is already a topological order. Editing a cell makes every cell
 * that reads it, directly or through other cells, stale, as in marimo.
 */
import type { Cell, CellKind, NotebookDocument } from './schema.ts'

/** The kinds of cell each kind reads by default (the nearest one above of each). */
export const CELL_NEEDS: Readonly<Record<CellKind, readonly CellKind[]>> = Object.freeze({
  markdown: [],
  task: [],
  template: ['task'],
  model: [],
  probe: ['task', 'template', 'model'],
  sweep: ['task', 'template', 'model'],
  plot: ['sweep'],
})

/** A bad reference in a notebook. */
export interface ReadProblem {
  readonly cellId: string
  /** The field, e.g. `cells[3].reads[1]`. */
  readonly field: string
  readonly message: string
}

/** The ids a cell depends on: its `reads` and, for a plot, its `source`. */
export function readsOf(cell: Cell): string[] {
  const ids = [...cell.reads]
  if (cell.kind === 'plot' && !ids.includes(cell.source)) ids.push(cell.source)
  return ids
}

/** The default `reads` of a cell of `kind` placed at `index`: the nearest cell above of each kind it needs. */
export function defaultReads(cells: readonly Cell[], index: number, kind: CellKind): string[] {
  const out: string[] = []
  for (const needed of CELL_NEEDS[kind]) {
    for (let i = Math.min(index, cells.length) - 1; i >= 0; i--) {
      if (cells[i].kind === needed) {
        out.push(cells[i].id)
        break
      }
    }
  }
  return out
}

/** Every reference that names an unknown cell, the cell itself, or a cell below it. */
export function validateReads(document: NotebookDocument): ReadProblem[] {
  const position = new Map(document.cells.map((cell, i) => [cell.id, i]))
  const problems: ReadProblem[] = []
  for (const [i, cell] of document.cells.entries()) {
    const check = (id: string, field: string): void => {
      const at = position.get(id)
      let message: string | null = null
      if (at === undefined) message = `reads "${id}", which is not a cell of this notebook`
      else if (at === i) message = 'a cell cannot read itself'
      else if (at > i) message = `reads "${id}", which is below it; a cell may only read cells above it`
      if (message !== null) problems.push({ cellId: cell.id, field, message })
    }
    cell.reads.forEach((id, j) => check(id, `cells[${i}].reads[${j}]`))
    if (cell.kind === 'plot') {
      check(cell.source, `cells[${i}].source`)
      const source = document.cells[position.get(cell.source) ?? -1]
      if (source !== undefined && source.kind !== 'sweep') {
        problems.push({ cellId: cell.id, field: `cells[${i}].source`, message: `"${cell.source}" is a ${source.kind} cell, not a sweep cell` })
      }
    }
  }
  return problems
}

/** For each cell id, the ids of the cells that read it directly. */
export function dependents(document: NotebookDocument): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>(document.cells.map((cell) => [cell.id, new Set<string>()]))
  for (const cell of document.cells) {
    for (const id of readsOf(cell)) out.get(id)?.add(cell.id)
  }
  return out
}

/**
 * The cells that become stale when `editedId` changes: every cell that reads it, directly or
 * through other cells (not the edited cell itself). Throws when no cell has that id.
 */
export function staleAfterEdit(document: NotebookDocument, editedId: string): Set<string> {
  const graph = dependents(document)
  if (!graph.has(editedId)) throw new Error(`No cell "${editedId}" in this notebook.`)
  const stale = new Set<string>()
  const queue = [editedId]
  while (queue.length > 0) {
    const id = queue.pop() as string
    for (const next of graph.get(id) ?? []) {
      if (next !== editedId && !stale.has(next)) {
        stale.add(next)
        queue.push(next)
      }
    }
  }
  return stale
}

/** The document with the dependents of `editedId` flagged `stale: true` (a new object; the input is unchanged). */
export function markStale(document: NotebookDocument, editedId: string): NotebookDocument {
  const stale = staleAfterEdit(document, editedId)
  return { ...document, cells: document.cells.map((cell) => (stale.has(cell.id) ? { ...cell, stale: true } : cell)) }
}

/** The document with `ranId`'s stale flag cleared (after it ran). */
export function clearStale(document: NotebookDocument, ranId: string): NotebookDocument {
  return {
    ...document,
    cells: document.cells.map((cell) => {
      if (cell.id !== ranId || cell.stale === undefined) return cell
      const { stale: _stale, ...rest } = cell
      return rest as Cell
    }),
  }
}

/** A cell without the fields `addCell` fills in. */
export type NewCell = Cell extends infer C ? (C extends Cell ? Omit<C, 'id' | 'reads'> & { reads?: string[] } : never) : never

/**
 * Inserts `cell` at `index` (default: the end) with the next id from the document's counter and,
 * unless given, the default `reads`. Returns the new document and the id.
 */
export function addCell(document: NotebookDocument, cell: NewCell, index = document.cells.length): { document: NotebookDocument; id: string } {
  const at = Math.max(0, Math.min(index, document.cells.length))
  let n = document.nextId
  const taken = new Set(document.cells.map((c) => c.id))
  while (taken.has(`cell-${n}`)) n++
  const id = `cell-${n}`
  const reads = cell.reads ?? defaultReads(document.cells, at, cell.kind)
  const made = { ...cell, id, reads } as Cell
  const cells = [...document.cells.slice(0, at), made, ...document.cells.slice(at)]
  return { document: { ...document, nextId: n + 1, cells }, id }
}
