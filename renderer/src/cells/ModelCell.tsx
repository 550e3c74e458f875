/** Model settings: the model folder, execution provider, graph variant and sampling. Running loads it. */
import { PROVIDER_CHOICES, type ModelCell as ModelCellT, type ProviderChoice } from '../../../core/notebook/schema.ts'
import { NumberField, SelectField, TextField } from '../components/fields.tsx'
import type { CellEditorProps } from './types.ts'

export function ModelCell({ cell, edit, readOnly, run }: CellEditorProps<ModelCellT>) {
  const s = cell.sampling
  const setSampling = (patch: Partial<ModelCellT['sampling']>): void =>
    edit((c) => {
      const sampling: Record<string, unknown> = { ...c.sampling, ...patch }
      for (const k of Object.keys(sampling)) if (sampling[k] === undefined) delete sampling[k]
      return { ...c, sampling: sampling as ModelCellT['sampling'] }
    })
  const status = run.output?.kind === 'model' ? run.output.status : null
  return (
    <>
      <div className="form">
        <TextField label="Model folder" wide mono value={cell.dir} disabled={readOnly} list="model-folders" onChange={(dir) => edit((c) => ({ ...c, dir }))} />
        <SelectField<ProviderChoice>
          label="Provider"
          value={cell.provider}
          disabled={readOnly}
          options={PROVIDER_CHOICES.map((p) => [p, p])}
          onChange={(provider) => edit((c) => ({ ...c, provider }))}
        />
        <TextField
          label="Graph variant"
          mono
          value={cell.variant ?? ''}
          placeholder="default"
          disabled={readOnly}
          onChange={(v) =>
            edit((c) => {
              const { variant: _v, ...rest } = c
              return v.trim() === '' ? rest : { ...rest, variant: v.trim() }
            })
          }
        />
        <NumberField label="Temperature" min={0} max={100} optional placeholder="model default" value={s.temperature} disabled={readOnly} onChange={(temperature) => setSampling({ temperature })} />
        <NumberField label="Top-p" min={0} max={1} optional placeholder="model default" value={s.topP} disabled={readOnly} onChange={(topP) => setSampling({ topP })} />
        <NumberField label="Top-k" integer min={0} optional placeholder="model default" value={s.topK} disabled={readOnly} onChange={(topK) => setSampling({ topK })} />
        <NumberField label="Max new tokens" integer min={1} optional placeholder="model default" value={s.maxNewTokens} disabled={readOnly} onChange={(maxNewTokens) => setSampling({ maxNewTokens })} />
        <NumberField label="Seed" integer optional placeholder="0" value={s.seed} disabled={readOnly} onChange={(seed) => setSampling({ seed })} />
      </div>
      {status ? (
        <div className="meta" style={{ marginTop: 6 }} data-testid="model-status">
          {status.state === 'ready'
            ? `Loaded ${status.info?.name ?? status.dir} on ${status.provider}${status.file ? ` (${status.file})` : ''}${status.loadMs !== null ? ` in ${Math.round(status.loadMs)} ms` : ''}.`
            : `Model ${status.state}.`}
          {status.warnings.map((w) => (
            <div key={w}>{w}</div>
          ))}
        </div>
      ) : null}
    </>
  )
}
