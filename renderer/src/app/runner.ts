/**
 * What "run" means for each kind of cell. Each runner reads the latest document (cells it reads may
 * have changed while it waited), talks to the backend through the transport, and reports its outcome
 * as the cell's run state; sweeps and probes also stream into the RunStore.
 */
import type { HandView, LevelView, ModelStatus, Result, Transport } from '../../../core/contract/api.ts'
import type {
  Cell,
  ModelCell,
  NotebookDocument,
  ProbeCell,
  ProbeSummary,
  SweepCell,
  TaskCell,
  TemplateCell,
} from '../../../core/notebook/schema.ts'
import type { SamplingParamsPatch } from '../../../core/notebook/sampling-patch.ts'
import { buildSweepSpec } from '../notebook/sweep-spec.ts'
import { readCells, type NotebookAction } from '../notebook/state.ts'
import type { RunStore } from './run-store.ts'

/** What a cell's last run showed (not saved in the notebook). */
export type CellOutput =
  | { readonly kind: 'levels'; readonly levels: readonly LevelView[] }
  | { readonly kind: 'hands'; readonly hands: readonly HandView[] }
  | { readonly kind: 'prompt'; readonly text: string; readonly instanceId: string; readonly chat: string }
  | { readonly kind: 'model'; readonly status: ModelStatus }

export interface CellRun {
  readonly status: 'idle' | 'running' | 'done' | 'error'
  readonly error: string | null
  readonly output: CellOutput | null
}

export const IDLE_RUN: CellRun = { status: 'idle', error: null, output: null }

/** How many instances a task cell shows in its gallery. */
export const GALLERY_SIZE = 8

export interface RunContext {
  readonly transport: Transport
  readonly store: RunStore
  /** The document as it is now. */
  doc(): NotebookDocument | null
  dispatch(action: NotebookAction): void
  setRun(id: string, run: CellRun): void
  modelStatus(): ModelStatus | null
  /** A number unique within this page, for request ids. */
  nextRequestNumber(): number
}

class CellError extends Error {}

function unwrap<T>(result: Result<T>): T {
  if (!result.ok) throw new CellError(result.error.message)
  return result.value
}

function find<K extends Cell['kind']>(doc: NotebookDocument, cell: Cell, kind: K): Extract<Cell, { kind: K }> {
  const found = readCells(doc, cell).find((c) => c.kind === kind)
  if (!found) throw new CellError(`This cell reads no ${kind} cell; add one above it.`)
  return found as Extract<Cell, { kind: K }>
}

async function runTask(ctx: RunContext, cell: TaskCell): Promise<CellOutput> {
  const source = {
    ...(cell.preset !== undefined ? { preset: cell.preset } : { difficulty: cell.difficulty }),
    ...(cell.seedScheme !== undefined ? { seedScheme: cell.seedScheme } : {}),
    ...(cell.rule !== undefined ? { rule: cell.rule } : {}),
    start: cell.start ?? 0,
    count: Math.min(cell.count, GALLERY_SIZE),
  }
  if (cell.task === 'sokoban') return { kind: 'levels', levels: unwrap(await ctx.transport.request('wb:levels.generate', source)) }
  return { kind: 'hands', hands: unwrap(await ctx.transport.request('wb:hands.generate', source)) }
}

async function runTemplate(doc: NotebookDocument, cell: TemplateCell): Promise<CellOutput> {
  const task = find(doc, cell, 'task')
  const { renderPrompt } = await import('../notebook/prompts.ts')
  const rendered = renderPrompt(task, cell, 0)
  return { kind: 'prompt', text: rendered.display, instanceId: rendered.instance.id, chat: rendered.chat }
}

async function runModel(ctx: RunContext, cell: ModelCell): Promise<CellOutput> {
  const status = unwrap(
    await ctx.transport.request('wb:models.load', {
      dir: cell.dir,
      provider: cell.provider,
      ...(cell.variant !== undefined ? { variant: cell.variant } : {}),
    }),
  )
  if (status.state === 'failed') throw new CellError(status.error ?? 'The model failed to load.')
  return { kind: 'model', status }
}

/** How much of a probe's output the notebook keeps (its summary). */
export const SUMMARY_CHARS = 2000

/** Alternatives a probe asks for per token, so hovering a token shows them (as the probe cell's own run does). */
export const PROBE_TOP_LOGPROBS = 5

/** A probe's sampling: the model cell's parameters, with the top alternatives unless the cell sets its own number. */
export function probeSampling(sampling: SamplingParamsPatch): SamplingParamsPatch {
  return { ...sampling, topLogprobs: sampling.topLogprobs ?? PROBE_TOP_LOGPROBS }
}

async function runProbe(ctx: RunContext, doc: NotebookDocument, cell: ProbeCell): Promise<void> {
  const task = find(doc, cell, 'task')
  const template = find(doc, cell, 'template')
  const model = find(doc, cell, 'model')
  if (ctx.modelStatus()?.state !== 'ready') await runCell(ctx, model.id)
  const { renderPrompt } = await import('../notebook/prompts.ts')
  const rendered = renderPrompt(task, template, cell.instance)
  const requestId = `${cell.id}-${ctx.nextRequestNumber()}`
  ctx.store.probeStarted(cell.id, requestId)
  let text: string | null = null
  try {
    const result = unwrap(
      await ctx.transport.request('wb:generate.start', {
        requestId,
        prompt: rendered.prompt as string | { messages: { role: string; content: string }[] },
        params: probeSampling(model.sampling),
      }),
    )
    text = result.text
    const summary: ProbeSummary = {
      text: result.text.slice(0, SUMMARY_CHARS),
      truncated: result.text.length > SUMMARY_CHARS,
      tokens: result.tokens.length,
      finishReason: result.finishReason,
      success: null,
      provider: result.provider,
    }
    ctx.dispatch({ type: 'update', id: cell.id, change: (c) => (c.kind === 'probe' ? { ...c, summary } : c) })
  } finally {
    ctx.store.probeEnded(cell.id, text)
  }
}

/** Resolves when the sweep cell's run stops (completed, cancelled, failed or interrupted). */
function sweepSettled(store: RunStore, cellId: string): Promise<void> {
  return new Promise((resolve) => {
    const check = (): boolean => {
      const s = store.sweep(cellId).status
      if (s === 'running' || s === 'starting') return false
      stop()
      resolve()
      return true
    }
    const stop = store.subscribe(check)
    check()
  })
}

async function runSweep(ctx: RunContext, doc: NotebookDocument, cell: SweepCell, resume: boolean): Promise<void> {
  ctx.store.sweepStarting(cell.id, !resume)
  let handle
  try {
    if (resume) {
      if (!cell.runDir) throw new CellError('This sweep has no run folder to resume yet; run it first.')
      handle = unwrap(await ctx.transport.request('wb:sweeps.resume', { dir: cell.runDir, notebookCellId: cell.id }))
    } else {
      const built = buildSweepSpec(doc, cell)
      if (!built.ok) throw new CellError(built.message)
      handle = unwrap(await ctx.transport.request('wb:sweeps.start', { spec: built.spec, notebookCellId: cell.id }))
    }
  } catch (e) {
    ctx.store.sweepFailed(cell.id, e instanceof Error ? e.message : String(e))
    throw e
  }
  ctx.store.sweepStarted(cell.id, handle.runId, handle.dir)
  const dir = handle.dir
  ctx.dispatch({ type: 'update', id: cell.id, change: (c) => (c.kind === 'sweep' ? { ...c, runDir: dir } : c) })
  await sweepSettled(ctx.store, cell.id)
  const view = ctx.store.sweep(cell.id)
  if (view.status === 'failed') throw new CellError(view.error ?? 'The sweep failed.')
  // Plots of this sweep redraw as results arrive, so they are as fresh as the sweep now.
  for (const plot of ctx.doc()?.cells ?? []) {
    if (plot.kind === 'plot' && plot.source === cell.id && plot.stale) ctx.dispatch({ type: 'ran', id: plot.id })
  }
}

async function loadPlotSource(ctx: RunContext, doc: NotebookDocument, cell: Cell): Promise<void> {
  if (cell.kind !== 'plot') return
  const source = doc.cells.find((c) => c.id === cell.source)
  if (!source || source.kind !== 'sweep') throw new CellError(`The plot's source "${cell.source}" is not a sweep cell.`)
  if (ctx.store.sweep(source.id).status !== 'idle' || !source.runDir) return
  const run = unwrap(await ctx.transport.request('wb:runs.read', { dir: source.runDir, limit: 0 }))
  ctx.store.sweepLoaded(source.id, run)
}

/**
 * Runs one cell; `resume` applies to sweep cells. Resolves true when it succeeded (the error is shown
 * on the cell otherwise, and the promise still resolves, so Run All can stop cleanly).
 */
export async function runCell(ctx: RunContext, id: string, options: { resume?: boolean } = {}): Promise<boolean> {
  const doc = ctx.doc()
  const cell = doc?.cells.find((c) => c.id === id)
  if (!doc || !cell) return false
  ctx.setRun(id, { status: 'running', error: null, output: null })
  try {
    let output: CellOutput | null = null
    switch (cell.kind) {
      case 'markdown':
        break
      case 'task':
        output = await runTask(ctx, cell)
        break
      case 'template':
        output = await runTemplate(doc, cell)
        break
      case 'model':
        output = await runModel(ctx, cell)
        break
      case 'probe':
        await runProbe(ctx, doc, cell)
        break
      case 'sweep':
        await runSweep(ctx, doc, cell, options.resume === true)
        break
      case 'plot':
        await loadPlotSource(ctx, doc, cell)
        break
    }
    ctx.setRun(id, { status: 'done', error: null, output })
    ctx.dispatch({ type: 'ran', id })
    return true
  } catch (e) {
    ctx.setRun(id, { status: 'error', error: e instanceof Error ? e.message : String(e), output: null })
    return false
  }
}

/**
 * Loads what a reopened notebook's sweep cells ran before (their run folders), so plots and tables
 * show it. `doc` is passed in because a notebook just opened is not yet the rendered one.
 */
export async function loadSavedRuns(ctx: RunContext, doc: NotebookDocument | null): Promise<void> {
  if (!doc) return
  const active = await ctx.transport.request('wb:sweeps.active', {})
  const running = new Map((active.ok ? active.value : []).filter((s) => s.status === 'running').map((s) => [s.dir, s]))
  for (const cell of doc.cells) {
    if (cell.kind !== 'sweep' || !cell.runDir) continue
    const live = running.get(cell.runDir)
    if (live) {
      ctx.store.sweepStarting(cell.id, false)
      ctx.store.sweepStarted(cell.id, live.runId, live.dir)
      ctx.store.onSweepStatus(live)
      continue
    }
    const run = await ctx.transport.request('wb:runs.read', { dir: cell.runDir, limit: 0 })
    if (run.ok) ctx.store.sweepLoaded(cell.id, run.value)
  }
}
