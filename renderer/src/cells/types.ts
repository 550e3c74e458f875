/** What every cell editor receives. */
import type { Cell, NotebookDocument } from '../../../core/notebook/schema.ts'
import type { CellRun } from '../app/runner.ts'

export interface CellActions {
  /** Runs the cell (a sweep starts a new run). */
  run(): void
  /** Sweep cells: resumes the run folder. */
  resume(): void
  /** Stops what the cell is running (a probe's generation, a sweep). */
  cancel(): void
}

export interface CellEditorProps<C extends Cell> {
  readonly cell: C
  readonly doc: NotebookDocument
  readonly run: CellRun
  /** Applies a user edit (cells that read this one become stale). */
  readonly edit: (change: (cell: C) => C) => void
  readonly readOnly: boolean
  readonly actions: CellActions
}
