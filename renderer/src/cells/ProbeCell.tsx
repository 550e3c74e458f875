/**
 * Probe: runs the loaded model on one instance's prompt (the task and template cells it reads) and
 * streams the output as tokens coloured by probability, with the top 5 alternatives of each token;
 * clicking an alternative forks the generation there, beside the original. For Sokoban it also runs
 * the whole closed-loop episode and shows it in the episode player.
 *
 * The cell's Generate button (the notebook runner) streams here too; the in-cell Probe button asks
 * for the alternatives that forking needs.
 */
import { useEffect, useState } from 'react'
import type { ModelCell, ProbeCell as ProbeCellT, ProbeSummary, TaskCell, TemplateCell } from '../../../core/notebook/schema.ts'
import { useProbeView, useWorkbench } from '../app/context.ts'
import { probeSampling, SUMMARY_CHARS } from '../app/runner.ts'
import { NumberField } from '../components/fields.tsx'
import { readCells } from '../notebook/state.ts'
import { variantOfTemplateCell } from '../notebook/sweep-spec.ts'
import { EpisodeView } from '../probe/EpisodeView.tsx'
import { ProbabilityLegend } from '../probe/ProbabilityLegend.tsx'
import { TokenStream } from '../probe/TokenStream.tsx'
import { speedText, type ProbeStream } from '../probe/streams.ts'
import { useEpisode, type EpisodeRequest } from '../probe/useEpisode.ts'
import { useProbe, type ProbeBase } from '../probe/useProbe.ts'
import '../probe/probe.css'
import type { CellEditorProps } from './types.ts'

/** Instances per request in the contract's instance sources. */
const MAX_SOURCE_COUNT = 200

interface Inputs {
  readonly task: TaskCell | undefined
  readonly template: TemplateCell | undefined
  readonly model: ModelCell | undefined
}

function inputsOf(cells: ReturnType<typeof readCells>): Inputs {
  return {
    task: cells.find((c): c is TaskCell => c.kind === 'task'),
    template: cells.find((c): c is TemplateCell => c.kind === 'template'),
    model: cells.find((c): c is ModelCell => c.kind === 'model'),
  }
}

function missing(inputs: Inputs): string | null {
  const absent = (['task', 'template', 'model'] as const).filter((k) => inputs[k] === undefined)
  return absent.length === 0 ? null : `This probe reads no ${absent.join(', no ')} cell; add one above it.`
}

/** The prompt and sampling of instance `index` (the runner renders it the same way). */
async function probeBase(task: TaskCell, template: TemplateCell, model: ModelCell, index: number): Promise<ProbeBase> {
  const { renderPrompt } = await import('../notebook/prompts.ts')
  const rendered = renderPrompt(task, template, index)
  return { prompt: rendered.prompt, params: probeSampling(model.sampling) }
}

/**
 * The task cell's instances as a contract source, and the index of `instance` in it. A window of at
 * most 200 instances (the contract's limit per request) that holds the instance.
 */
function sourceOf(task: TaskCell, instance: number): { source: EpisodeRequest['source']; index: number } {
  const base = {
    ...(task.preset !== undefined ? { preset: task.preset } : { difficulty: task.difficulty }),
    ...(task.seedScheme !== undefined ? { seedScheme: task.seedScheme } : {}),
    ...(task.rule !== undefined ? { rule: task.rule } : {}),
  }
  const start = task.start ?? 0
  if (task.count <= MAX_SOURCE_COUNT) return { source: { ...base, start, count: task.count }, index: instance }
  const offset = Math.floor(instance / MAX_SOURCE_COUNT) * MAX_SOURCE_COUNT
  const count = Math.min(MAX_SOURCE_COUNT, task.count - offset)
  return { source: { ...base, start: start + offset, count }, index: instance - offset }
}

/** Makes sure the model cell's model is loaded (as the runner does before a probe). */
async function ensureModel(transport: ReturnType<typeof useWorkbench>['transport'], model: ModelCell): Promise<string | null> {
  const status = await transport.request('wb:models.status', {})
  if (status.ok && status.value.state === 'ready') return null
  const loaded = await transport.request('wb:models.load', {
    dir: model.dir,
    provider: model.provider,
    ...(model.variant !== undefined ? { variant: model.variant } : {}),
  })
  if (!loaded.ok) return loaded.error.message
  return loaded.value.state === 'ready' ? null : (loaded.value.error ?? 'The model failed to load.')
}

function streamTitle(stream: ProbeStream, forks: readonly ProbeStream[]): string {
  if (stream.fork === null) return 'Original'
  const n = forks.indexOf(stream) + 1
  const { index, original, chosen, parentKey } = stream.fork
  const parent = forks.findIndex((f) => f.key === parentKey)
  const of = parent >= 0 ? ` of fork ${parent + 1}` : ''
  return `Fork ${n}${of} at token ${index + 1}: ${JSON.stringify(original.text)} → ${JSON.stringify(chosen.text)}`
}

export function ProbeCell({ cell, doc, edit, readOnly }: CellEditorProps<ProbeCellT>) {
  const { transport } = useWorkbench()
  const view = useProbeView(cell.id)
  const inputs = inputsOf(readCells(doc, cell))
  const { task, template, model } = inputs
  const probe = useProbe(transport, cell.id)
  const episode = useEpisode(transport, cell.id)
  const [error, setError] = useState<string | null>(null)
  const count = task?.count
  const summary = cell.summary

  // A generation the notebook runner started for this cell (its Generate button) streams here too.
  // It is adopted whether or not it still runs: the run store coalesces changes, so a short
  // generation can start and end between two renders, and its buffered events then hold the result.
  const { adopt } = probe
  useEffect(() => {
    if (view.requestId === null || !task || !template || !model) return
    adopt(view.requestId, () => probeBase(task, template, model, cell.instance))
    // Adopted once per request (not again when the inputs change); a fork renders the prompt then.
  }, [view.requestId, adopt])

  const runProbe = async (): Promise<void> => {
    setError(null)
    const why = missing(inputs)
    if (why !== null || !task || !template || !model) return setError(why)
    try {
      const loadError = await ensureModel(transport, model)
      if (loadError !== null) return setError(loadError)
      const result = await probe.start(await probeBase(task, template, model, cell.instance))
      if (result === null) return
      const next: ProbeSummary = {
        text: result.text.slice(0, SUMMARY_CHARS),
        truncated: result.text.length > SUMMARY_CHARS,
        tokens: result.tokens.length,
        finishReason: result.finishReason,
        success: null,
        provider: result.provider,
      }
      edit((c) => ({ ...c, summary: next }))
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e))
    }
  }

  const runEpisode = async (): Promise<void> => {
    setError(null)
    const why = missing(inputs)
    if (why !== null || !task || !template || !model) return setError(why)
    try {
      const loadError = await ensureModel(transport, model)
      if (loadError !== null) return setError(loadError)
      const { source, index } = sourceOf(task, cell.instance)
      const { seed, ...params } = model.sampling
      const variant = variantOfTemplateCell(template)
      await episode.run({ source, index, variant: variant as EpisodeRequest['variant'], params, seed: seed ?? 0 })
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e))
    }
  }

  const forks = probe.streams.filter((s) => s.fork !== null)
  const root = probe.streams.find((s) => s.fork === null)
  const busy = probe.running || view.running
  const sokoban = task?.task === 'sokoban'
  const metaText = root?.result
    ? `${root.result.tokens.length} tokens · ${root.result.finishReason} · ${root.result.provider} · ${speedText(root.result)}`
    : busy
      ? `Generating… ${root?.tokens.length ?? view.tokens} tokens`
      : summary
        ? `${summary.tokens} tokens · ${summary.finishReason} · ${summary.provider}${summary.truncated ? ' · output truncated in the notebook' : ''}`
        : 'Probe to generate with the loaded model: tokens are coloured by probability; hover one for its alternatives.'
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
        <button className="small" data-testid="probe-run" disabled={busy || readOnly} onClick={() => void runProbe()} title={`Generate with the top ${probeSampling(model?.sampling ?? {}).topLogprobs} alternatives of each token`}>
          ▶ Probe
        </button>
        {sokoban ? (
          <button className="small" data-testid="episode-run" disabled={episode.state.status === 'running' || readOnly} onClick={() => void runEpisode()} title="Run the whole closed-loop episode (the sweep protocol) with the loaded model">
            ▶ Run episode
          </button>
        ) : null}
        <div className="grow" />
        {busy ? (
          <button className="small" onClick={probe.cancel}>
            Stop
          </button>
        ) : null}
        {episode.state.status === 'running' ? (
          <button className="small" onClick={episode.cancel}>
            Stop episode
          </button>
        ) : null}
      </div>
      {error !== null ? (
        <div className="cell-error" role="alert">
          {error}
        </div>
      ) : null}
      {probe.streams.length > 0 ? (
        <>
          <div className="probe-streams" data-testid="probe-output" aria-live="polite">
            {probe.streams.map((s) => (
              <TokenStream
                key={s.key}
                stream={s}
                title={streamTitle(s, forks)}
                onFork={(index, alternativeId) => probe.fork(s.key, index, alternativeId)}
                showMeta={s.fork !== null}
                {...(s.fork !== null ? { onClose: () => probe.close(s.key) } : {})}
              />
            ))}
          </div>
          <ProbabilityLegend />
        </>
      ) : view.requestId !== null || summary ? (
        <pre className="output" data-testid="probe-output">
          {view.requestId !== null ? view.text : (summary?.text ?? '')}
        </pre>
      ) : null}
      <div className="meta" data-testid="probe-meta">
        {metaText}
      </div>
      {episode.state.status !== 'idle' ? <EpisodeView state={episode.state} onClose={episode.clear} /> : null}
    </>
  )
}
