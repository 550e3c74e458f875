// The backend with the real engine: the tiny fixture model in a worker thread (load, stream, score)
// and a real sweep through runEval into a run folder that runs.read reads back.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createBackend, type Backend } from '../../../electron/app/backend.ts'
import type { EventChannel } from '../../../core/contract/api.ts'
import { repoPath } from '../../harness/repo.ts'

const MODEL = repoPath('test/fixtures/tiny-llama')
let ws: string
let backend: Backend
const events: [EventChannel, unknown][] = []

beforeAll(async () => {
  ws = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'sftbench-engine-')))
  backend = await createBackend({ workspace: ws, defaultModel: MODEL, cacheDir: path.join(ws, '.cache'), log: () => {} })
  backend.events((channel, payload) => events.push([channel, payload]))
})
afterAll(async () => {
  await backend.dispose()
  fs.rmSync(ws, { recursive: true, force: true })
})

async function value<T>(promise: Promise<{ ok: true; value: T } | { ok: false; error: { code: string; message: string } }>): Promise<T> {
  const result = await promise
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`)
  return result.value
}

describe('backend with the tiny fixture model', () => {
  it('loads the default model in a worker and reports the provider that bound', async () => {
    await expect.poll(async () => (await value(backend.request('wb:models.status', {}))).state, { timeout: 30_000 }).toBe('ready')
    const status = await value(backend.request('wb:models.status', {}))
    expect(status.provider).toBe('cpu')
    expect(status.info?.architecture).toBeTruthy()
  })

  it('streams tokens whose deltas add up to the result text, with top-k alternatives', async () => {
    const result = await value(
      backend.request('wb:generate.start', { requestId: 'p1', prompt: 'Hello', params: { maxNewTokens: 6, topLogprobs: 2, stopOnEos: false } }),
    )
    const mine = events
      .filter(([c, p]) => c === 'wb:generate.event' && (p as { requestId: string }).requestId === 'p1')
      .map(([, p]) => (p as { event: { type: string; delta?: string; token?: { top: unknown[] } } }).event)
    const tokens = mine.filter((e) => e.type === 'token')
    expect(tokens).toHaveLength(result.tokens.length)
    expect(tokens.map((e) => e.delta).join('')).toBe(result.text)
    expect(tokens[0].token?.top).toHaveLength(2)
    expect(mine.at(-1)?.type).toBe('done')
  })

  it('runs a sweep with the real engine and reads its run folder back', async () => {
    const spec = {
      version: 1,
      name: 'engine',
      task: 'sokoban',
      seed: 1,
      variants: ['sokoban-eval-base'],
      difficulties: [{ name: '6x6-1', difficulty: 'simple' }],
      instances: 2,
      repeats: 1,
      protocol: { mode: 'closed-loop', maxTurns: 2, maxSteps: 2 },
      models: [{ name: 'tiny', backend: { kind: 'onnx', path: MODEL, provider: 'cpu', variant: 'fp32' }, sampling: { maxNewTokens: 4 } }],
      concurrency: 2,
    }
    const { runId, dir } = await value(backend.request('wb:sweeps.start', { spec, noCache: true }))
    const final = () => events.find(([c, p]) => c === 'wb:sweeps.status' && (p as { runId: string; status: string }).runId === runId && (p as { status: string }).status !== 'running')
    await expect.poll(() => final() !== undefined, { timeout: 60_000 }).toBe(true)
    expect(final()?.[1]).toMatchObject({ status: 'completed', done: 2, total: 2, error: null })
    const finished = events.filter(([c, p]) => c === 'wb:sweeps.event' && (p as { event: { type: string } }).event.type === 'cell-finished')
    expect(finished).toHaveLength(2)
    const view = await value(backend.request('wb:runs.read', { dir }))
    expect(view).toMatchObject({ status: 'completed', resultCount: 2, done: 2, total: 2 })
    expect(view.aggregates[0]).toMatchObject({ model: 'tiny', n: 2 })
  }, 90_000)
})
