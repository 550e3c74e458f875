// The notebook runner's probe (the cell header's Generate): it asks the backend for each token's top
// alternatives, so hovering the streamed tokens shows them, keeps the model cell's sampling, and
// renders per-row vocabularies with the instance's row.
import { describe, expect, it } from 'vitest'
import type { ModelStatus, Result, Transport } from '../../../core/contract/api.ts'
import { paperRowWords } from '../../../core/experiment/word-pool.ts'
import { NotebookSchema, type NotebookDocument } from '../../../core/notebook/schema.ts'
import { RunStore } from '../../../renderer/src/app/run-store.ts'
import { runCell, type CellRun, type RunContext } from '../../../renderer/src/app/runner.ts'

interface Sent {
  readonly channel: string
  readonly payload: { readonly prompt?: unknown; readonly params?: Record<string, unknown> }
}

function notebook(sampling: Record<string, unknown>, variant = 'sokoban-eval-base'): NotebookDocument {
  return NotebookSchema.parse({
    format: 1,
    title: 'runner',
    nextId: 5,
    cells: [
      { id: 'cell-1', kind: 'task', task: 'sokoban', difficulty: 'simple', seedScheme: { kind: 'seeded', seed: 3 }, count: 4 },
      { id: 'cell-2', kind: 'template', reads: ['cell-1'], variant },
      { id: 'cell-3', kind: 'model', dir: 'models/tiny', provider: 'cpu', sampling },
      { id: 'cell-4', kind: 'probe', reads: ['cell-1', 'cell-2', 'cell-3'], instance: 2 },
    ],
  })
}

async function probe(doc: NotebookDocument): Promise<{ sent: Sent[]; run: CellRun | undefined }> {
  const sent: Sent[] = []
  const runs = new Map<string, CellRun>()
  const transport = {
    request(channel: string, payload: unknown): Promise<Result<unknown>> {
      sent.push({ channel, payload: payload as Sent['payload'] })
      const value = {
        id: 'g1',
        text: 'Left',
        tokens: [],
        finishReason: 'stop',
        promptTokens: 10,
        timings: {},
        provider: 'cpu',
      }
      return Promise.resolve({ ok: true, value })
    },
    subscribe: () => () => {},
  } as unknown as Transport
  const ctx: RunContext = {
    transport,
    store: new RunStore(() => {}),
    doc: () => doc,
    dispatch: () => {},
    setRun: (id, run) => runs.set(id, run),
    modelStatus: () => ({ state: 'ready' }) as unknown as ModelStatus,
    nextRequestNumber: () => 1,
  }
  await runCell(ctx, 'cell-4')
  return { sent, run: runs.get('cell-4') }
}

describe('runCell on a probe cell', () => {
  it('asks for the top 5 alternatives of each token, with the model cell’s sampling', async () => {
    const { sent, run } = await probe(notebook({ temperature: 0.7, seed: 9 }))
    expect(run?.status).toBe('done')
    const generate = sent.filter((s) => s.channel === 'wb:generate.start')
    expect(generate).toHaveLength(1)
    expect(generate[0].payload.params).toEqual({ temperature: 0.7, seed: 9, topLogprobs: 5 })
  })

  it('keeps a number of alternatives the model cell sets itself', async () => {
    const { sent } = await probe(notebook({ topLogprobs: 2 }))
    expect(sent.find((s) => s.channel === 'wb:generate.start')?.payload.params).toEqual({ topLogprobs: 2 })
  })

  it('[§7.5] renders a paper-words prompt with the instance’s own row', async () => {
    const { sent, run } = await probe(notebook({}, 'sokoban-train-words'))
    expect(run?.error ?? null).toBeNull()
    const prompt = String(sent.find((s) => s.channel === 'wb:generate.start')?.payload.prompt)
    for (const word of paperRowWords(2)) expect(prompt).toContain(word)
  })
})
