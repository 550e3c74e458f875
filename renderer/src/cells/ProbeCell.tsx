/** Probe: runs the loaded model on one instance's prompt and streams the output. */
import type { ProbeCell as ProbeCellT } from '../../../core/notebook/schema.ts'
import { useProbeView } from '../app/context.ts'
import { NumberField } from '../components/fields.tsx'
import { readCells } from '../notebook/state.ts'
import type { CellEditorProps } from './types.ts'

export function ProbeCell({ cell, doc, edit, readOnly, actions }: CellEditorProps<ProbeCellT>) {
  const view = useProbeView(cell.id)
  const task = readCells(doc, cell).find((c) => c.kind === 'task')
  const count = task?.kind === 'task' ? task.count : undefined
  const summary = cell.summary
  const text = view.requestId !== null ? view.text : (summary?.text ?? '')
  return (
    <>
      <div className="row" style={{ marginTop: 0 }}>
        <div style={{ width: 170 }}>
          <NumberField
            label={count !== undefined ? `Instance (0-${count - 1})` : 'Instance'}
            integer
            min={0}
            max={count !== undefined ? count - 1 : undefined}
            value={cell.instance}
            disabled={readOnly}
            onChange={(instance) => edit((c) => ({ ...c, instance: instance ?? 0 }))}
          />
        </div>
        <div className="grow" />
        {view.running ? (
          <button className="small" onClick={actions.cancel}>
            Stop
          </button>
        ) : null}
      </div>
      {text !== '' || view.running ? (
        <pre className="output" data-testid="probe-output" aria-live="polite">
          {text}
          {view.running ? '▍' : ''}
        </pre>
      ) : null}
      <div className="meta" data-testid="probe-meta">
        {view.running
          ? `Generating… ${view.tokens} tokens`
          : summary
            ? `${summary.tokens} tokens · ${summary.finishReason} · ${summary.provider}${summary.truncated ? ' · output truncated in the notebook' : ''}`
            : 'Run to generate with the loaded model.'}
      </div>
    </>
  )
}
