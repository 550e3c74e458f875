// @vitest-environment node
// The model in a worker thread behind `WorkerModelClient`: same results as in-thread, streaming
// across the thread boundary, cancellation by AbortSignal, errors that keep their class, and
// disposal that stops the worker.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { GenerateEvent } from '../../../core/model/client.ts'
import { startModelWorker, type WorkerModelClient } from '../../../electron/runtime/client.ts'
import { ModelFolderError } from '../../../electron/runtime/issues.ts'
import { ProviderUnavailableError, platformFacts, providerAvailability } from '../../../electron/runtime/providers.ts'
import { FIXTURE, copyFixture, readGolden, removeDir } from './fixture.ts'

const golden = readGolden()
let client: WorkerModelClient

beforeAll(async () => {
  client = await startModelWorker({ dir: FIXTURE, provider: 'auto', session: { intraOpThreads: 1 } })
})
afterAll(async () => {
  await client.dispose()
})

describe('WorkerModelClient', () => {
  it('loads in the worker and reports the provider that bound', async () => {
    expect(client.report?.file).toBe('onnx/model.onnx')
    expect(client.report?.attempts.at(-1)).toMatchObject({ outcome: 'bound' })
    const info = await client.info()
    expect(info).toMatchObject({ name: 'tiny-llama', layers: 4, kvHeads: 2, headDim: 32, vocabSize: 512 })
    expect(info.provider).toBe(client.report?.provider)
  })

  it('streams the golden greedy tokens from the worker', async () => {
    const p = golden.prompts[0]
    const events: GenerateEvent[] = []
    const r = await client.generate(
      { prompt: { messages: p.messages ?? [] }, params: { maxNewTokens: 40, stopOnEos: false } },
      (e) => events.push(e),
    )
    expect(r.tokens.map((t) => t.id)).toEqual(p.generated_ids)
    const deltas = events.flatMap((e) => (e.type === 'token' ? [e.delta] : []))
    expect(deltas).toHaveLength(40)
    expect(deltas.join('')).toBe(r.text)
    expect(r.timings.tokensPerSecond).toBeGreaterThan(0)
  })

  it('batches in the worker with the golden results', async () => {
    const rs = await client.generateBatch(golden.prompts.map((p) => ({ prompt: p.text, params: { maxNewTokens: 40, stopOnEos: false } })))
    rs.forEach((r, i) => expect(r.tokens.map((t) => t.id)).toEqual(golden.prompts[i].generated_ids))
  })

  it('an AbortSignal on the main thread cancels the request in the worker', async () => {
    const controller = new AbortController()
    let seen = 0
    const r = await client.generate(
      { prompt: 'Sokoban', params: { maxNewTokens: 2000, stopOnEos: false } },
      (e) => {
        if (e.type === 'token' && ++seen === 3) controller.abort()
      },
      controller.signal,
    )
    expect(r.finishReason).toBe('cancelled')
    expect(r.tokens.length).toBeGreaterThanOrEqual(3)
    expect(r.tokens.length).toBeLessThan(2000)
  })

  it('scores in the worker', async () => {
    const s = await client.score({ prompt: golden.prompts[3].text, continuation: ' the' })
    expect(s.tokens.length).toBeGreaterThan(0)
    expect(s.totalLogprob).toBeLessThan(0)
  })

  it('a listener that throws fails its call', async () => {
    await expect(
      client.generate({ prompt: 'hi', params: { maxNewTokens: 50 } }, () => {
        throw new Error('listener broke')
      }),
    ).rejects.toThrow('listener broke')
  })
})

describe('errors from the worker keep their class', () => {
  it('a broken folder is a ModelFolderError naming the file', async () => {
    const dir = copyFixture()
    try {
      fs.rmSync(path.join(dir, 'tokenizer.json'))
      const error = await startModelWorker({ dir }).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(ModelFolderError)
      expect((error as ModelFolderError).issues[0]).toMatchObject({ file: 'tokenizer.json', severity: 'error' })
      expect((error as Error).message).toContain('tokenizer.json is missing')
    } finally {
      removeDir(dir)
    }
  })

  it.skipIf(providerAvailability('cuda', platformFacts()).available)(
    'an explicit cuda without CUDA is a ProviderUnavailableError with the install command',
    async () => {
      const error = await startModelWorker({ dir: FIXTURE, provider: 'cuda' }).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(ProviderUnavailableError)
      expect((error as Error).message).toContain('ONNXRUNTIME_NODE_INSTALL=cuda12 npm rebuild onnxruntime-node')
    },
  )

  it('after dispose, calls reject', async () => {
    const other = await startModelWorker({ dir: FIXTURE, provider: 'cpu' })
    await other.dispose()
    await expect(other.info()).rejects.toThrow(/disposed/)
  })
})
