/**
 * Prompt template: a named variant (vocabulary, face-card rule, template and chat mode) and, when
 * edited, the template text that replaces the variant's. Running renders instance 0 of the task.
 */
import { VARIANTS } from '../../../core/experiment/variant.ts'
import type { TemplateCell as TemplateCellT } from '../../../core/notebook/schema.ts'
import { SelectField } from '../components/fields.tsx'
import { readCells } from '../notebook/state.ts'
import type { CellEditorProps } from './types.ts'

export function TemplateCell({ cell, doc, edit, readOnly, run }: CellEditorProps<TemplateCellT>) {
  const task = readCells(doc, cell).find((c) => c.kind === 'task')
  const taskName = task?.kind === 'task' ? task.task : undefined
  const name = typeof cell.variant === 'string' ? cell.variant : cell.variant.name
  const known = VARIANTS.filter((v) => taskName === undefined || v.task === taskName)
  const options: [string, string][] = known.map((v) => [v.name, v.name])
  if (!options.some(([n]) => n === name)) options.unshift([name, typeof cell.variant === 'string' ? `${name} (unknown)` : `${name} (inline)`])
  const description = typeof cell.variant === 'string' ? VARIANTS.find((v) => v.name === name)?.description : cell.variant.description
  return (
    <>
      <div className="form">
        <SelectField
          label="Variant"
          value={name}
          disabled={readOnly || typeof cell.variant !== 'string'}
          options={options}
          onChange={(variant) => edit((c) => ({ ...c, variant }))}
        />
        <div className="field wide">
          <span>Description</span>
          <div className="meta">{description ?? '—'}</div>
        </div>
      </div>
      <div className="row">
        {cell.source === undefined ? (
          <button className="small" disabled={readOnly} onClick={() => edit((c) => ({ ...c, source: '' }))}>
            Replace the template text
          </button>
        ) : (
          <button
            className="small"
            disabled={readOnly}
            onClick={() =>
              edit((c) => {
                const { source: _s, ...rest } = c
                return rest
              })
            }
          >
            Use the variant's template
          </button>
        )}
      </div>
      {cell.source !== undefined ? (
        <textarea
          className="mono"
          aria-label="Template source (Jinja)"
          rows={Math.max(6, cell.source.split('\n').length + 1)}
          value={cell.source}
          readOnly={readOnly}
          spellCheck={false}
          onChange={(e) => {
            const source = e.target.value
            edit((c) => ({ ...c, source }))
          }}
        />
      ) : null}
      {run.output?.kind === 'prompt' ? (
        <>
          <div className="meta" style={{ marginTop: 6 }}>
            Prompt for {run.output.instanceId}
            {run.output.chat === 'model' ? " (user message; the model's chat template wraps it)" : ''}
          </div>
          <pre className="output" data-testid="prompt">{run.output.text}</pre>
        </>
      ) : null}
    </>
  )
}
