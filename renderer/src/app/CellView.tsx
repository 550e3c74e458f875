/** One cell: a header (kind, id, what it reads, stale and run badges, controls) over the kind's editor. */
import { memo } from 'react'
import type { Cell, CellKind, NotebookDocument } from '../../../core/notebook/schema.ts'
import { readsOf } from '../../../core/notebook/graph.ts'
import { MarkdownCell } from '../cells/MarkdownCell.tsx'
import { ModelCell } from '../cells/ModelCell.tsx'
import { PlotCell } from '../cells/PlotCell.tsx'
import { ProbeCell } from '../cells/ProbeCell.tsx'
import { SweepCell } from '../cells/SweepCell.tsx'
import { TaskCell } from '../cells/TaskCell.tsx'
import { TemplateCell } from '../cells/TemplateCell.tsx'
import type { CellActions, CellEditorProps } from '../cells/types.ts'
import { KIND_LABELS } from '../notebook/cells.ts'
import type { CellRun } from './runner.ts'

export interface CellViewProps {
  readonly cell: Cell
  readonly index: number
  readonly count: number
  readonly doc: NotebookDocument
  readonly run: CellRun
  readonly focused: boolean
  readonly readOnly: boolean
  readonly onFocus: (id: string) => void
  readonly onEdit: (id: string, change: (cell: Cell) => Cell) => void
  readonly onRun: (id: string, options?: { resume?: boolean }) => void
  readonly onCancel: (id: string) => void
  readonly onMove: (id: string, delta: -1 | 1) => void
  readonly onDelete: (id: string) => void
}

/** The props of `props` for the editor of `cell`'s own kind. */
function narrow<C extends Cell>(props: CellEditorProps<Cell>, cell: C): CellEditorProps<C> {
  // The cell keeps its kind between renders (ids are never reused), so the edit sees a C.
  return { ...props, cell, edit: (change) => props.edit((c) => (c.kind === cell.kind ? change(c as C) : c)) }
}

function Editor(props: CellEditorProps<Cell>) {
  const c = props.cell
  switch (c.kind) {
    case 'markdown':
      return <MarkdownCell {...narrow(props, c)} />
    case 'task':
      return <TaskCell {...narrow(props, c)} />
    case 'template':
      return <TemplateCell {...narrow(props, c)} />
    case 'model':
      return <ModelCell {...narrow(props, c)} />
    case 'probe':
      return <ProbeCell {...narrow(props, c)} />
    case 'sweep':
      return <SweepCell {...narrow(props, c)} />
    case 'plot':
      return <PlotCell {...narrow(props, c)} />
  }
}

const RUN_LABEL: Record<CellKind, string> = {
  markdown: 'Render',
  task: 'Show instances',
  template: 'Render prompt',
  model: 'Load',
  probe: 'Generate',
  sweep: 'Run sweep',
  plot: 'Refresh',
}

function CellViewImpl(props: CellViewProps) {
  const { cell, run } = props
  const actions: CellActions = {
    run: () => props.onRun(cell.id),
    resume: () => props.onRun(cell.id, { resume: true }),
    cancel: () => props.onCancel(cell.id),
  }
  const reads = readsOf(cell)
  const classes = ['cell', props.focused ? 'focused' : '', cell.stale ? 'stale' : ''].filter(Boolean).join(' ')
  return (
    <section
      className={classes}
      data-cell-id={cell.id}
      data-kind={cell.kind}
      aria-label={`${KIND_LABELS[cell.kind]} cell ${cell.id}`}
      tabIndex={-1}
      onFocusCapture={() => props.onFocus(cell.id)}
      onMouseDown={() => props.onFocus(cell.id)}
    >
      <header className="cell-head">
        <span className="kind">{KIND_LABELS[cell.kind]}</span>
        <span className="id">{cell.id}</span>
        {cell.title ? <span>{cell.title}</span> : null}
        {reads.length > 0 ? <span className="reads" title="Cells this one reads">← {reads.join(', ')}</span> : null}
        {cell.stale ? (
          <span className="badge stale" title="A cell this one reads changed since it last ran" data-testid="stale-badge">
            stale
          </span>
        ) : null}
        {run.status === 'running' ? <span className="badge running">running</span> : null}
        {run.status === 'error' ? <span className="badge error">error</span> : null}
        <span className="grow" />
        <button className="small" onClick={actions.run} disabled={run.status === 'running' || (props.readOnly && cell.kind !== 'markdown')} title={`${RUN_LABEL[cell.kind]} (Shift+Enter)`} data-testid="run-cell">
          ▶ {RUN_LABEL[cell.kind]}
        </button>
        <button className="small icon" aria-label="Move up" title="Move up" disabled={props.readOnly || props.index === 0} onClick={() => props.onMove(cell.id, -1)}>
          ↑
        </button>
        <button className="small icon" aria-label="Move down" title="Move down" disabled={props.readOnly || props.index === props.count - 1} onClick={() => props.onMove(cell.id, 1)}>
          ↓
        </button>
        <button className="small icon" aria-label="Delete cell" title="Delete cell" disabled={props.readOnly} onClick={() => props.onDelete(cell.id)}>
          ✕
        </button>
      </header>
      <div className="cell-body">
        <Editor cell={cell} doc={props.doc} run={run} edit={(change) => props.onEdit(cell.id, change)} readOnly={props.readOnly} actions={actions} />
        {run.status === 'error' && run.error ? <div className="cell-error" role="alert">{run.error}</div> : null}
      </div>
    </section>
  )
}

/** What a cell's editor shows of the rest of the notebook: the cells it reads, and a few lists. */
function outsideInputs(cell: Cell, doc: NotebookDocument): unknown[] {
  const byId = new Map(doc.cells.map((c) => [c.id, c]))
  const inputs: unknown[] = readsOf(cell).map((id) => byId.get(id))
  if (cell.kind === 'plot') inputs.push(...doc.cells.filter((c) => c.kind === 'sweep'))
  if (cell.kind === 'sweep') inputs.push(doc.title)
  return inputs
}

/**
 * Re-render a cell only when its own props change or a cell it reads does: editing one cell, or a
 * run recording its folder, leaves the other cells alone.
 */
function sameProps(prev: CellViewProps, next: CellViewProps): boolean {
  for (const key of Object.keys(next) as (keyof CellViewProps)[]) {
    if (key !== 'doc' && prev[key] !== next[key]) return false
  }
  if (prev.doc === next.doc) return true
  const a = outsideInputs(prev.cell, prev.doc)
  const b = outsideInputs(next.cell, next.doc)
  return a.length === b.length && a.every((x, i) => x === b[i])
}

export const CellView = memo(CellViewImpl, sameProps)
