/**
 * Sweep: variants (the template cells it reads) × difficulties (the task cell's, or several chosen
 * here) × N instances × R repeats on the model cell's model. A form and the overrides as JSON; the
 * number of cells and an estimate of the time from measured throughput; run, cancel and resume; a
 * progress bar with the time left, and a live table of aggregates with 95% intervals.
 */
import { useEffect, useMemo, useState } from 'react'
import {
  SweepOverridesSchema,
  type Cell,
  type ModelCell,
  type SweepCell as SweepCellT,
  type SweepOverrides,
  type TaskCell,
  type TemplateCell,
} from '../../../core/notebook/schema.ts'
import type { Aggregate } from '../../../core/eval/types.ts'
import { useSweepView } from '../app/context.ts'
import { SelectField, TextField } from '../components/fields.tsx'
import { buildSweepSpec } from '../notebook/sweep-spec.ts'
import { readCells } from '../notebook/state.ts'
import { CountField } from '../sweep/CountField.tsx'
import { DifficultyPicker } from '../sweep/DifficultyPicker.tsx'
import { planOf, type SweepPlan } from '../sweep/plan.ts'
import { SweepEstimate, type SpeedProbe } from '../sweep/SweepEstimate.tsx'
import type { CellEditorProps } from './types.ts'

const pct = (x: number): string => `${(100 * x).toFixed(1)}`

function setOverride<K extends keyof SweepOverrides>(o: SweepOverrides, key: K, value: SweepOverrides[K] | undefined): SweepOverrides {
  const next = { ...o }
  if (value === undefined) delete next[key]
  else next[key] = value
  return next
}

export function SweepCell({ cell, doc, edit, readOnly, actions }: CellEditorProps<SweepCellT>) {
  const o = cell.overrides
  const protocol = (o.protocol ?? {}) as { mode?: string; maxTurns?: number; maxSteps?: number }
  const setO = <K extends keyof SweepOverrides>(key: K, value: SweepOverrides[K] | undefined): void =>
    edit((c) => ({ ...c, overrides: setOverride(c.overrides, key, value) }))
  const setProtocol = (patch: Record<string, unknown>): void => {
    const next: Record<string, unknown> = { ...protocol, ...patch }
    for (const k of Object.keys(next)) if (next[k] === undefined) delete next[k]
    setO('protocol', Object.keys(next).length > 0 ? (next as SweepOverrides['protocol']) : undefined)
  }
  // Rebuilt only when the notebook changes, not on every progress update.
  const built = useMemo(() => {
    try {
      return buildSweepSpec(doc, cell)
    } catch (e) {
      return { ok: false as const, message: e instanceof Error ? e.message : String(e) }
    }
  }, [doc, cell])
  // The sweep parser's word on the spec, before Run: a bad value shows here with its field.
  const planned = useMemo(() => (built.ok ? planOf(built.spec) : built), [built])
  const read = useMemo(() => readCells(doc, cell), [doc, cell])
  const taskCell = read.find((c): c is TaskCell => c.kind === 'task') ?? null
  const probe = useMemo(() => speedProbeOf(read), [read])
  return (
    <>
      <div className="form">
        <TextField label="Name" mono value={o.name ?? ''} placeholder="from the notebook" disabled={readOnly} onChange={(name) => setO('name', name.trim() === '' ? undefined : name.trim())} />
        <CountField label="Instances (N)" name="N" placeholder={taskCell ? `${taskCell.count} (task's count)` : "task's count"} value={o.instances} disabled={readOnly} onChange={(v) => setO('instances', v)} />
        <CountField label="Repeats (R)" name="R" placeholder="1" value={o.repeats} disabled={readOnly} onChange={(v) => setO('repeats', v)} />
        <CountField label="Concurrency" name="Concurrency" max={4096} placeholder="16" value={o.concurrency} disabled={readOnly} onChange={(v) => setO('concurrency', v)} />
        <SelectField
          label="Protocol"
          value={(protocol.mode ?? 'closed-loop') as 'closed-loop' | 'open-loop'}
          disabled={readOnly}
          options={[['closed-loop', 'closed loop (paper)'], ['open-loop', 'open loop (whole plan)']]}
          onChange={(mode) => setProtocol({ mode: mode === 'closed-loop' ? undefined : mode })}
        />
        <CountField label="Max turns" name="Max turns" placeholder="30" value={protocol.maxTurns} disabled={readOnly} onChange={(maxTurns) => setProtocol({ maxTurns })} />
        <CountField label="Max steps" name="Max steps" placeholder="30" value={protocol.maxSteps} disabled={readOnly} onChange={(maxSteps) => setProtocol({ maxSteps })} />
      </div>
      <DifficultyPicker
        task={taskCell?.task ?? 'sokoban'}
        taskCell={taskCell}
        items={o.difficulties}
        readOnly={readOnly}
        onChange={(items) => setO('difficulties', items)}
      />
      <OverridesJson overrides={o} readOnly={readOnly} onChange={(overrides) => edit((c) => ({ ...c, overrides }))} />
      <details className="spec">
        <summary className="hint">Sweep spec sent to the backend</summary>
        <pre className="output">{built.ok ? JSON.stringify(built.spec, null, 2) : built.message}</pre>
      </details>
      {!planned.ok && !(o.difficulties?.length === 0) ? (
        <div className="cell-error" data-testid="sweep-spec-error">
          {planned.message}
        </div>
      ) : null}
      <SweepRun cellId={cell.id} runDir={cell.runDir} readOnly={readOnly} actions={actions} plan={planned.ok ? planned.plan : null} probe={probe} />
    </>
  )
}

/** Measuring the model's speed renders the sweep's first prompt (instance 0 of the first template). */
function speedProbeOf(read: readonly Cell[]): SpeedProbe | null {
  const task = read.find((c): c is TaskCell => c.kind === 'task')
  const template = read.find((c): c is TemplateCell => c.kind === 'template')
  const model = read.find((c): c is ModelCell => c.kind === 'model')
  if (!task || !template || !model) return null
  const { seed: _seed, ...params } = model.sampling
  return {
    params,
    prompt: async () => {
      const { renderPrompt } = await import('../notebook/prompts.ts')
      return renderPrompt(task, template, 0).prompt
    },
  }
}

/**
 * Run controls, progress and the live table. Only this part follows the sweep's progress, so the
 * ten updates a second of a streaming sweep do not re-render the form above it.
 */
function SweepRun({
  cellId,
  runDir,
  readOnly,
  actions,
  plan,
  probe,
}: {
  cellId: string
  runDir: string | null
  readOnly: boolean
  actions: CellEditorProps<SweepCellT>['actions']
  plan: SweepPlan | null
  probe: SpeedProbe | null
}) {
  const view = useSweepView(cellId)
  const running = view.status === 'running' || view.status === 'starting'
  const canResume = !running && runDir !== null && view.status !== 'completed' && view.status !== 'elsewhere'
  const progress = view.total > 0 ? view.done / view.total : 0
  return (
    <>
      <div className="row">
        <button className="small" disabled={readOnly || running} onClick={actions.run} title="Start a new run (Shift+Enter)">
          Run
        </button>
        <button className="small" disabled={!running} onClick={actions.cancel} data-testid="sweep-cancel">
          Cancel
        </button>
        <button className="small" disabled={readOnly || !canResume} onClick={actions.resume} data-testid="sweep-resume">
          Resume
        </button>
        <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={view.total} aria-valuenow={view.done}>
          <div style={{ width: `${(100 * progress).toFixed(1)}%` }} />
        </div>
        <span
          className="meta"
          data-testid="sweep-progress"
          title={view.status === 'elsewhere' ? 'Another process (a terminal sftbench eval, say) is writing this run; its progress shows there. Reopen the notebook to see how far it got; once it ends, this cell can resume it.' : undefined}
        >
          {view.done}/{view.total || '?'} · {view.status === 'elsewhere' ? 'running in another process' : view.status}
        </span>
      </div>
      <SweepEstimate cellId={cellId} runDir={runDir} plan={plan} view={view} probe={probe} readOnly={readOnly} />
      {runDir ? (
        <div className="meta mono" data-testid="sweep-dir">
          {runDir}
        </div>
      ) : null}
      {view.error ? <div className="cell-error">{view.error}</div> : null}
      {view.aggregates.length > 0 ? <AggregateTable aggregates={view.aggregates} /> : null}
    </>
  )
}

function OverridesJson({ overrides, readOnly, onChange }: { overrides: SweepOverrides; readOnly: boolean; onChange: (o: SweepOverrides) => void }) {
  const canonical = JSON.stringify(overrides, null, 2)
  const [text, setText] = useState(canonical)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    setText((t) => {
      try {
        return JSON.stringify(JSON.parse(t)) === JSON.stringify(overrides) ? t : canonical
      } catch {
        return t
      }
    })
  }, [overrides, canonical])
  return (
    <details className="spec">
      <summary className="hint">Overrides (JSON)</summary>
      <textarea
        className="mono"
        aria-label="Sweep overrides JSON"
        rows={Math.min(16, Math.max(3, text.split('\n').length))}
        value={text}
        readOnly={readOnly}
        spellCheck={false}
        onChange={(e) => {
          setText(e.target.value)
          let json: unknown
          try {
            json = JSON.parse(e.target.value)
          } catch (err) {
            setError(err instanceof Error ? err.message : String(err))
            return
          }
          const parsed = SweepOverridesSchema.safeParse(json)
          if (!parsed.success) {
            setError(parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '))
            return
          }
          setError(null)
          onChange(parsed.data)
        }}
      />
      {error ? <div className="cell-error">{error}</div> : null}
    </details>
  )
}

/** Aggregates by variant and difficulty, with Wilson 95% intervals. */
export function AggregateTable({ aggregates }: { readonly aggregates: readonly Aggregate[] }) {
  const models = new Set(aggregates.map((a) => a.model))
  return (
    <div className="table-wrap">
      <table className="grid" data-testid="aggregates">
        <thead>
          <tr>
            {models.size > 1 ? <th className="l">model</th> : null}
            <th className="l">variant</th>
            <th className="l">difficulty</th>
            <th>n</th>
            <th>success %</th>
            <th>95% CI</th>
            <th>validity</th>
            <th>mean turns</th>
            <th>tokens</th>
            <th className="l">top failure</th>
          </tr>
        </thead>
        <tbody>
          {aggregates.map((a) => {
            const top = Object.entries(a.failures).sort((x, y) => (y[1] ?? 0) - (x[1] ?? 0))[0]
            return (
              <tr key={`${a.model}/${a.variant}/${a.difficulty}`}>
                {models.size > 1 ? <td className="l">{a.model}</td> : null}
                <td className="l mono">{a.variant}</td>
                <td className="l mono">{a.difficulty}</td>
                <td>{a.n}</td>
                <td>{pct(a.successRate)}</td>
                <td>
                  {pct(a.successCi.low)}–{pct(a.successCi.high)}
                </td>
                <td>{a.validity.toFixed(3)}</td>
                <td>{a.meanTurns.toFixed(1)}</td>
                <td>{a.tokens}</td>
                <td className="l">{top ? `${top[0]} (${top[1]})` : '—'}</td>
              </tr>
            )
          })}
        </tbody>
      </table>
    </div>
  )
}
