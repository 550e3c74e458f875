/**
 * The open notebook as the UI holds it: the document, where it lives on disk, whether it has unsaved
 * edits, and whether it may be saved in place. A pure reducer, so every edit is one plain action.
 *
 * Two kinds of change: `edit` is the user changing a cell's inputs, which marks every cell that
 * reads it stale (marimo's rule); `update` records what running a cell produced (a run folder, a
 * probe summary), which changes the document but invalidates nothing.
 */
import type { OpenedNotebook } from '../../../core/contract/api.ts'
import { clearStale, markStale, readsOf, validateReads } from '../../../core/notebook/graph.ts'
import type { Cell, CellKind, NotebookDocument } from '../../../core/notebook/schema.ts'
import type { NotebookProblem } from '../../../core/notebook/problem.ts'
import { canInsert, insertCell, readsForNewCell } from './cells.ts'

export interface NotebookState {
  readonly doc: NotebookDocument | null
  /** The file (absolute), or null for a notebook never saved. */
  readonly path: string | null
  /** The revision of the file as last opened or saved (for conflict detection). */
  readonly revision: string | null
  /** Why the file did not open as a document, if it did not. */
  readonly problem: NotebookProblem | null
  /** Saving in place is refused (a corrupt or newer file): only "Save as" works. */
  readonly readOnly: boolean
  /** Number of changes since opening; `savedVersion` is the version last saved. */
  readonly version: number
  readonly savedVersion: number
  readonly migratedFrom: number | null
}

export type NotebookAction =
  | { readonly type: 'opened'; readonly opened: OpenedNotebook }
  | { readonly type: 'new'; readonly doc: NotebookDocument }
  /** Replaces the document with unsaved work (a recovery file); it counts as an edit. */
  | { readonly type: 'restore'; readonly doc: NotebookDocument }
  | { readonly type: 'edit'; readonly id: string; readonly change: (cell: Cell) => Cell }
  | { readonly type: 'update'; readonly id: string; readonly change: (cell: Cell) => Cell }
  | { readonly type: 'ran'; readonly id: string }
  | { readonly type: 'insert'; readonly index: number; readonly kind: CellKind }
  | { readonly type: 'delete'; readonly id: string }
  | { readonly type: 'move'; readonly id: string; readonly delta: -1 | 1 }
  | { readonly type: 'title'; readonly title: string }
  | { readonly type: 'saved'; readonly path: string; readonly revision: string; readonly version: number }

/** The state before anything is open. */
export const INITIAL_STATE: NotebookState = {
  doc: null,
  path: null,
  revision: null,
  problem: null,
  readOnly: false,
  version: 0,
  savedVersion: 0,
  migratedFrom: null,
}

/** Whether there are edits not yet saved. */
export function isDirty(state: NotebookState): boolean {
  return state.version !== state.savedVersion
}

function withDoc(state: NotebookState, doc: NotebookDocument): NotebookState {
  return { ...state, doc, version: state.version + 1 }
}

function mapCell(doc: NotebookDocument, id: string, change: (cell: Cell) => Cell): NotebookDocument {
  return { ...doc, cells: doc.cells.map((c) => (c.id === id ? change(c) : c)) }
}

/**
 * After cells moved or were deleted, a cell may read one that is gone or now below it: such a cell
 * goes back to its default reads (and is stale, since its inputs changed).
 */
function repairReads(doc: NotebookDocument): NotebookDocument {
  const broken = new Set(validateReads(doc).map((p) => p.cellId))
  if (broken.size === 0) return doc
  const cells = doc.cells.map((cell, i) => {
    if (!broken.has(cell.id)) return cell
    const reads = readsForNewCell(doc.cells, i, cell.kind)
    const repaired = { ...cell, reads, stale: true } as Cell
    if (repaired.kind === 'plot' && !reads.includes(repaired.source)) {
      const sweep = reads.find((id) => doc.cells.find((c) => c.id === id)?.kind === 'sweep')
      return sweep ? { ...repaired, source: sweep } : repaired
    }
    return repaired
  })
  return { ...doc, cells }
}

/** The notebook reducer. */
export function notebookReducer(state: NotebookState, action: NotebookAction): NotebookState {
  switch (action.type) {
    case 'opened': {
      const o = action.opened
      return {
        doc: o.document,
        path: o.path,
        revision: o.revision,
        problem: o.problem,
        readOnly: o.readOnly,
        version: 0,
        savedVersion: 0,
        migratedFrom: o.migratedFrom,
      }
    }
    case 'new':
      return { ...INITIAL_STATE, doc: action.doc }
    case 'restore':
      return withDoc(state, action.doc)
    case 'saved':
      return { ...state, path: action.path, revision: action.revision, readOnly: false, problem: null, savedVersion: action.version }
  }
  const doc = state.doc
  if (doc === null) return state
  switch (action.type) {
    case 'edit':
      return withDoc(state, markStale(mapCell(doc, action.id, action.change), action.id))
    case 'update':
      return withDoc(state, mapCell(doc, action.id, action.change))
    case 'ran':
      return doc.cells.some((c) => c.id === action.id && c.stale) ? withDoc(state, clearStale(doc, action.id)) : state
    case 'insert':
      if (!canInsert(doc.cells, action.index, action.kind)) return state
      return withDoc(state, insertCell(doc, action.index, action.kind).document)
    case 'delete': {
      if (!doc.cells.some((c) => c.id === action.id)) return state
      const marked = markStale(doc, action.id)
      const cells = marked.cells
        .filter((c) => c.id !== action.id)
        .map((c) => (c.reads.includes(action.id) ? { ...c, reads: c.reads.filter((r) => r !== action.id) } : c))
      return withDoc(state, repairReads({ ...marked, cells }))
    }
    case 'move': {
      const i = doc.cells.findIndex((c) => c.id === action.id)
      const j = i + action.delta
      if (i < 0 || j < 0 || j >= doc.cells.length) return state
      const cells = [...doc.cells]
      ;[cells[i], cells[j]] = [cells[j], cells[i]]
      return withDoc(state, repairReads({ ...doc, cells }))
    }
    case 'title':
      return withDoc(state, { ...doc, title: action.title })
  }
}

/** The cells `cell` reads, resolved (missing ids are skipped). */
export function readCells(doc: NotebookDocument, cell: Cell): Cell[] {
  const ids = readsOf(cell)
  return ids.map((id) => doc.cells.find((c) => c.id === id)).filter((c): c is Cell => c !== undefined)
}
