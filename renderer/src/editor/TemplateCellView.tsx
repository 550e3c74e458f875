/**
 * The template cell: the variant (named, or edited and saved in the cell), the Jinja template in
 * Monaco with live error markers, and beside it the prompt of the selected instance as the model
 * is fed it (through the variant's chat formatting) with its token count under the loaded
 * tokenizer, rendered by the backend (`wb:prompts.render`) shortly after each edit. A second
 * variant (another template cell, or a named variant) can be compared in a diff view on the same
 * instance.
 *
 * Loaded with import() by `cells/TemplateCell.tsx`, so the template engine and the generators stay
 * out of the notebook's first chunk.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import type { PromptRender, RequestOf, Result } from '../../../core/contract/api.ts'
import type { Instance } from '../../../core/experiment/instance-set.ts'
import { VARIANTS, type VariantSpec } from '../../../core/experiment/variant.ts'
import type { TaskCell, TemplateCell } from '../../../core/notebook/schema.ts'
import { schemaForTask, type TemplateVariable } from '../../../core/prompt/schemas.ts'
import { useWorkbench } from '../app/context.ts'
import type { CellEditorProps } from '../cells/types.ts'
import { NumberField, SelectField } from '../components/fields.tsx'
import { readCells } from '../notebook/state.ts'
import { checkTemplate, problemOf, type TemplateProblem } from './diagnostics.ts'
import { PromptDiff } from './PromptDiff.tsx'
import { hoverMarkdown, instanceOfTaskCell, previewVariable } from './preview.ts'
import { TemplateEditor } from './TemplateEditor.tsx'
import { resolveVariant, templateSourceOf } from './variant-form.ts'
import { VariantForm } from './VariantForm.tsx'
import './editor.css'

type RenderPayload = RequestOf<'wb:prompts.render'>

/** How long the editor waits after a keystroke before asking the backend to render. */
const RENDER_DEBOUNCE_MS = 250

/** The request that renders `variant` (with edited `source`, if any) for instance `index` of `task`. */
export function renderPayload(task: TaskCell, variant: string | VariantSpec, source: string | undefined, index: number): RenderPayload {
  return {
    instance: {
      task: task.task,
      ...(task.preset !== undefined ? { preset: task.preset } : { difficulty: task.difficulty }),
      ...(task.seedScheme !== undefined ? { seedScheme: task.seedScheme } : {}),
      ...(task.rule !== undefined ? { rule: task.rule } : {}),
      start: task.start ?? 0,
      index,
    },
    variant,
    ...(source !== undefined ? { template: source } : {}),
  } as RenderPayload
}

/** Renders `payload` shortly after it last changed (and again when `refresh` changes). */
function useRendered(payload: RenderPayload | null, refresh: number): { key: string; result: Result<PromptRender> } | null {
  const { transport } = useWorkbench()
  const [state, setState] = useState<{ key: string; result: Result<PromptRender> } | null>(null)
  const key = payload === null ? '' : JSON.stringify(payload)
  useEffect(() => {
    if (payload === null) return
    let live = true
    const timer = setTimeout(() => {
      void transport.request('wb:prompts.render', payload).then((result) => {
        if (live) setState({ key, result })
      })
    }, RENDER_DEBOUNCE_MS)
    return () => {
      live = false
      clearTimeout(timer)
    }
    // `key` stands for the payload's content, so an equal payload in a new object does not re-render.
  }, [key, refresh, transport])
  return state
}

/** The text a render shows: what the model reads, else the user message. */
function shownText(render: PromptRender): string {
  return render.kind === 'rendered' ? (render.text ?? render.body) : ''
}

function chatLabel(render: Extract<PromptRender, { kind: 'rendered' }>, variant: VariantSpec): string {
  const chat = variant.chat
  if (render.chat === 'raw' && chat.mode === 'raw') return `raw string: ${chat.wrapper}`
  if (render.chat === 'model') return render.text === null ? "user message (the model's chat template wraps it)" : "through the model's chat template"
  return 'the bare prompt'
}

export function TemplateCellView({ cell, doc, edit, readOnly, run, actions }: CellEditorProps<TemplateCell>) {
  const { transport } = useWorkbench()
  const taskCell = readCells(doc, cell).find((c): c is TaskCell => c.kind === 'task')
  let spec: VariantSpec | null = null
  let specError: string | null = null
  try {
    spec = resolveVariant(cell.variant)
  } catch (e) {
    specError = e instanceof Error ? e.message : String(e)
  }
  const task = taskCell?.task ?? spec?.task ?? 'sokoban'
  const schema = schemaForTask(task)
  const variantSource = spec === null ? '' : templateSourceOf(spec)
  const source = cell.source ?? variantSource
  const edited = cell.source !== undefined && cell.source !== variantSource

  const [index, setIndex] = useState(0)
  const count = taskCell?.count
  const safeIndex = count !== undefined ? Math.min(index, count - 1) : index
  const [compare, setCompare] = useState('')

  // The model's state and the cell's runs ask for a fresh render (a token count may appear).
  const [refresh, setRefresh] = useState(0)
  useEffect(() => transport.subscribe('wb:models.changed', () => setRefresh((n) => n + 1)), [transport])
  useEffect(() => {
    if (run.status === 'done') setRefresh((n) => n + 1)
  }, [run.status])

  const syntax = useMemo(() => checkTemplate(source, task), [source, task])
  const taskMismatch = spec !== null && taskCell !== undefined && spec.task !== taskCell.task
  const payload = useMemo(
    () => (taskCell && spec && !taskMismatch && syntax === null ? renderPayload(taskCell, cell.variant, cell.source, safeIndex) : null),
    [JSON.stringify(taskCell), JSON.stringify(cell.variant), cell.source, safeIndex, syntax === null, taskMismatch],
  )
  const rendered = useRendered(payload, refresh)
  const current = rendered !== null && payload !== null && rendered.key === JSON.stringify(payload)

  // Compare with another template cell of this notebook, or a named variant.
  const others = doc.cells.filter((c): c is TemplateCell => c.kind === 'template' && c.id !== cell.id)
  const compareOptions: [string, string][] = [
    ['', 'nothing'],
    ...others.map((c): [string, string] => [`cell:${c.id}`, `cell ${c.id}${c.title ? ` (${c.title})` : ''}: ${typeof c.variant === 'string' ? c.variant : c.variant.name}`]),
    ...VARIANTS.filter((v) => v.task === task).map((v): [string, string] => [`variant:${v.name}`, v.name]),
  ]
  const otherPayload = useMemo(() => {
    if (!taskCell || compare === '') return null
    if (compare.startsWith('cell:')) {
      const other = others.find((c) => `cell:${c.id}` === compare)
      return other ? renderPayload(taskCell, other.variant, other.source, safeIndex) : null
    }
    return renderPayload(taskCell, compare.slice('variant:'.length), undefined, safeIndex)
  }, [JSON.stringify(taskCell), compare, safeIndex, JSON.stringify(others)])
  const otherRendered = useRendered(otherPayload, refresh)

  // Problems: the local compile (at once), else the backend's render error in this template.
  const problems: TemplateProblem[] = []
  if (syntax !== null) problems.push(syntax)
  else if (current && rendered.result.ok && rendered.result.value.kind === 'template-error' && rendered.result.value.error.where === 'template') {
    problems.push(problemOf(source, rendered.result.value.error, 'render'))
  }

  // Hover previews compute the instance in the page, once per instance.
  const instances = useRef(new Map<string, Instance>())
  const hover = useCallback(
    async (variable: TemplateVariable): Promise<string> => {
      if (!taskCell || !spec || taskMismatch) return hoverMarkdown(variable, null, null)
      const key = `${JSON.stringify(taskCell)}#${safeIndex}`
      let instance = instances.current.get(key)
      if (instance === undefined) {
        instance = instanceOfTaskCell(taskCell, safeIndex)
        instances.current.set(key, instance)
      }
      return hoverMarkdown(variable, previewVariable(instance, spec, variable.name), instance.id)
    },
    [taskCell, spec, taskMismatch, safeIndex],
  )

  const setSource = (text: string): void => edit((c) => ({ ...c, source: text }))
  const resetSource = (): void =>
    edit((c) => {
      const { source: _source, ...rest } = c
      return rest
    })

  return (
    <div className="template-cell">
      <VariantForm variant={cell.variant} task={task} readOnly={readOnly} onChange={(variant) => edit((c) => ({ ...c, variant }))} />
      {specError !== null ? <div className="variant-error" role="alert">{specError}</div> : null}
      {taskCell === undefined ? <div className="hint">This cell reads no task cell, so there is no instance to render; add one above it.</div> : null}
      {taskMismatch && spec ? (
        <div className="variant-error" role="alert">
          The variant is for {spec.task === 'gp' ? 'General Points' : 'Sokoban'}, but the task cell deals {task === 'gp' ? 'General Points hands' : 'Sokoban levels'}; pick a {task} variant.
        </div>
      ) : null}
      <div className="template-grid">
        <section className="template-pane" aria-label="Template">
          <div className="pane-head">
            <span className="pane-title">Template (Jinja)</span>
            {edited ? <span className="badge">edited</span> : null}
            <span className="grow" />
            {cell.source !== undefined ? (
              <button className="small" disabled={readOnly} onClick={resetSource}>
                Use the variant's template
              </button>
            ) : null}
          </div>
          <TemplateEditor
            value={source}
            onChange={setSource}
            readOnly={readOnly}
            schema={schema}
            problems={problems}
            hover={hover}
            onRun={actions.run}
          />
          {problems.length > 0 ? (
            <ul className="template-problems" data-testid="template-problems">
              {problems.map((p) => (
                <li key={`${p.line}:${p.column}:${p.message}`}>
                  <span className="where">
                    line {p.line}, column {p.column}
                  </span>{' '}
                  {p.message}
                </li>
              ))}
            </ul>
          ) : null}
        </section>
        <section className="template-pane" aria-label="Rendered prompt">
          <div className="pane-head">
            <div style={{ width: 130 }}>
              <NumberField
                label={count !== undefined ? `Instance (0-${count - 1})` : 'Instance'}
                integer
                min={0}
                max={count !== undefined ? count - 1 : undefined}
                value={safeIndex}
                onChange={(i) => setIndex(i ?? 0)}
              />
            </div>
            <span className="grow" />
            {syntax !== null && rendered !== null ? (
              <span className="hint">the template has a problem: this is the last prompt that rendered</span>
            ) : rendered !== null && !current ? (
              <span className="hint">updating…</span>
            ) : null}
          </div>
          <div className={syntax !== null ? 'prompt-stale' : undefined}>
            <PromptPanel rendered={rendered?.result ?? null} spec={spec} blocked={syntax !== null} />
          </div>
        </section>
      </div>
      <div className="row compare-row">
        <div style={{ minWidth: 280 }}>
          <SelectField label="Compare with" value={compare} options={compareOptions} onChange={setCompare} />
        </div>
        {compare !== '' && otherRendered?.result.ok === false ? <span className="variant-error">{otherRendered.result.error.message}</span> : null}
        {compare !== '' && otherRendered?.result.ok && otherRendered.result.value.kind === 'template-error' ? (
          <span className="variant-error">The other prompt fails: {otherRendered.result.value.error.reason}</span>
        ) : null}
      </div>
      {compare !== '' && rendered?.result.ok && otherRendered?.result.ok ? (
        <PromptDiff
          original={shownText(otherRendered.result.value)}
          modified={shownText(rendered.result.value)}
          originalLabel={compareOptions.find(([v]) => v === compare)?.[1] ?? compare}
          modifiedLabel={`this cell: ${spec?.name ?? ''}${edited ? ' (edited template)' : ''}`}
        />
      ) : null}
    </div>
  )
}

function PromptPanel({ rendered, spec, blocked }: { rendered: Result<PromptRender> | null; spec: VariantSpec | null; blocked: boolean }) {
  if (blocked && rendered === null) return <div className="hint">Fix the template's problem to see the prompt.</div>
  if (rendered === null) return <div className="hint">Rendering…</div>
  if (!rendered.ok) {
    return (
      <div className="variant-error" role="alert" data-testid="prompt-error">
        {rendered.error.message}
      </div>
    )
  }
  const r = rendered.value
  if (r.kind === 'template-error') {
    const where = r.error.where === 'template' ? 'The template' : r.error.where === 'wrapper' ? 'The chat wrapper' : "The model's chat template"
    return (
      <>
        <div className="meta">{r.instanceId}</div>
        <pre className="output prompt-error" data-testid="prompt-error">
          {where} failed: {r.error.message}
        </pre>
      </>
    )
  }
  return (
    <>
      <div className="meta prompt-meta" data-testid="prompt-meta">
        <span>{r.instanceId}</span>
        <span>{spec ? chatLabel(r, spec) : r.chat}</span>
        {r.tokens !== null ? (
          <span title={`Token ids: ${r.tokens.ids.join(' ')}`}>
            <strong data-testid="token-count">{r.tokens.count} tokens</strong> ({r.tokens.model})
          </span>
        ) : null}
      </div>
      <pre className="output prompt-text" data-testid="prompt">
        {r.text ?? r.body}
      </pre>
      {r.note !== null ? (
        <div className="hint" data-testid="prompt-note">
          {r.note}
        </div>
      ) : null}
    </>
  )
}
