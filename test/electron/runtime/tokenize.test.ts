// @vitest-environment node
// `tokenize`: the ids a prompt is fed to the model as, on this thread and through the worker,
// equal to Python `transformers`' prompt ids in golden.json (raw text, and chat messages through
// the model's chat template).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startModelWorker, type WorkerModelClient } from '../../../electron/runtime/client.ts'
import { loadModel, type LocalModelClient } from '../../../electron/runtime/engine.ts'
import { FIXTURE, readGolden } from './fixture.ts'

const golden = readGolden()
let local: LocalModelClient
let worker: WorkerModelClient

beforeAll(async () => {
  local = await loadModel({ dir: FIXTURE, provider: 'cpu', session: { intraOpThreads: 1 } })
  worker = await startModelWorker({ dir: FIXTURE, provider: 'cpu', session: { intraOpThreads: 1 } })
})
afterAll(async () => {
  await local.dispose()
  await worker.dispose()
})

describe('tokenize', () => {
  for (const p of golden.prompts) {
    it(`${p.name}: the golden text's ids, on this thread and in the worker`, async () => {
      expect(await local.tokenize(p.text)).toEqual(p.prompt_ids)
      expect(await worker.tokenize(p.text)).toEqual(p.prompt_ids)
    })
    if (p.messages) {
      it(`${p.name}: chat messages through the template give the golden ids`, async () => {
        const messages = p.messages ?? []
        expect(await local.tokenize({ messages })).toEqual(p.prompt_ids)
        expect(await worker.tokenize({ messages })).toEqual(p.prompt_ids)
      })
    }
  }

  it('matches the prompt length generation reports', async () => {
    const r = await worker.generate({ prompt: 'Sokoban', params: { maxNewTokens: 1 } })
    expect((await worker.tokenize('Sokoban')).length).toBe(r.promptTokens)
  })

  it('a disposed client refuses to tokenize', async () => {
    const other = await loadModel({ dir: FIXTURE, provider: 'cpu', session: { intraOpThreads: 1 } })
    await other.dispose()
    await expect(other.tokenize('hi')).rejects.toThrow(/disposed/)
  })
})
