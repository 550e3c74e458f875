// @vitest-environment node
// Forks (`prefixTokenIds`): the model continues after the prompt plus the given ids. On the committed
// fixture, greedy decoding from the first k tokens of the PyTorch golden must give exactly the rest
// of the golden, in-thread and through the worker, and ids outside the vocabulary are refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { GenerateEvent, GeneratePrompt } from '../../../core/model/client.ts'
import { startModelWorker, type WorkerModelClient } from '../../../electron/runtime/client.ts'
import { loadModel, type LocalModelClient } from '../../../electron/runtime/engine.ts'
import { FIXTURE, readGolden, type GoldenPrompt } from './fixture.ts'

const golden = readGolden()
const N = golden.generation.max_new_tokens
let model: LocalModelClient

beforeAll(async () => {
  model = await loadModel({ dir: FIXTURE, provider: 'cpu', session: { intraOpThreads: 1 } })
})
afterAll(async () => {
  await model.dispose()
})

function promptOf(p: GoldenPrompt): GeneratePrompt {
  return p.kind === 'chat' && p.messages ? { messages: p.messages } : p.text
}

const greedy = { stopOnEos: false, temperature: 0 } as const

describe('prefixTokenIds on the local engine', () => {
  const cases = golden.prompts.flatMap((p) => [1, 7, 25].map((k) => [p.name, k, p] as const))
  it.each(cases)('%s, k=%i: greedy after the first k golden tokens gives the remaining golden tokens', async (_, k, p) => {
    const prefix = p.generated_ids.slice(0, k)
    const result = await model.generate({
      prompt: promptOf(p),
      prefixTokenIds: prefix,
      params: { ...greedy, maxNewTokens: N - k },
    })
    expect(result.tokens.map((t) => t.id)).toEqual(p.generated_ids.slice(k))
    // Log-probabilities are those of the golden's later steps, not of a different context.
    result.tokens.forEach((t, i) => expect(Math.abs(t.logprob - p.step_logprobs[k + i])).toBeLessThan(1e-4))
    expect(result.promptTokens).toBe(p.prompt_ids.length + k)
    expect(result.finishReason).toBe('length')
  })

  it('the fork streams the text the unforked run shows after the prefix', async () => {
    const p = golden.prompts[0]
    const k = 10
    const deltas: string[] = []
    const whole = await model.generate({ prompt: promptOf(p), params: { ...greedy, maxNewTokens: N } }, (e: GenerateEvent) => {
      if (e.type === 'token') deltas.push(e.delta)
    })
    expect(deltas.join('')).toBe(whole.text)
    const forked: string[] = []
    const fork = await model.generate(
      { prompt: promptOf(p), prefixTokenIds: p.generated_ids.slice(0, k), params: { ...greedy, maxNewTokens: N - k } },
      (e) => {
        if (e.type === 'token') forked.push(e.delta)
      },
    )
    expect(fork.text).toBe(deltas.slice(k).join(''))
    expect(forked.join('')).toBe(fork.text)
  })

  it('a fork on an alternative differs from the original from that point on', async () => {
    const p = golden.prompts[1]
    const original = await model.generate({ prompt: promptOf(p), params: { ...greedy, maxNewTokens: 12, topLogprobs: 3 } })
    const at = 4
    const alternative = original.tokens[at].top[1].id
    expect(alternative).not.toBe(p.generated_ids[at])
    const prefix = [...p.generated_ids.slice(0, at), alternative]
    const fork = await model.generate({ prompt: promptOf(p), prefixTokenIds: prefix, params: { ...greedy, maxNewTokens: 8 } })
    // Forking again one token further along the fork continues it exactly (the prefix is real context).
    const rerun = await model.generate({
      prompt: promptOf(p),
      prefixTokenIds: [...prefix, fork.tokens[0].id],
      params: { ...greedy, maxNewTokens: 7 },
    })
    expect(rerun.tokens.map((t) => t.id)).toEqual(fork.tokens.slice(1).map((t) => t.id))
    expect(fork.tokens).toHaveLength(8)
  })

  it('an empty prefix is the same as none', async () => {
    const p = golden.prompts[0]
    const r = await model.generate({ prompt: promptOf(p), prefixTokenIds: [], params: { ...greedy, maxNewTokens: 5 } })
    expect(r.tokens.map((t) => t.id)).toEqual(p.generated_ids.slice(0, 5))
  })

  it.each([
    [[3, -1], 'prefixTokenIds[1] is -1'],
    [[512], 'prefixTokenIds[0] is 512'],
    [[2, 4, 1.5], 'prefixTokenIds[2] is 1.5'],
  ])('refuses ids outside the vocabulary of 512: %j', async (prefix, message) => {
    await expect(model.generate({ prompt: 'Hello', prefixTokenIds: prefix })).rejects.toThrow(message)
    await expect(model.generate({ prompt: 'Hello', prefixTokenIds: prefix })).rejects.toThrow('0-511')
  })

  it('batched requests fork independently', async () => {
    const [a, b] = golden.prompts
    const results = await model.generateBatch([
      { prompt: promptOf(a), prefixTokenIds: a.generated_ids.slice(0, 3), params: { ...greedy, maxNewTokens: 10 } },
      { prompt: promptOf(b), params: { ...greedy, maxNewTokens: 10 } },
    ])
    expect(results[0].tokens.map((t) => t.id)).toEqual(a.generated_ids.slice(3, 13))
    expect(results[1].tokens.map((t) => t.id)).toEqual(b.generated_ids.slice(0, 10))
  })
})

describe('prefixTokenIds through the model worker', () => {
  let client: WorkerModelClient
  beforeAll(async () => {
    client = await startModelWorker({ dir: FIXTURE, provider: 'cpu', session: { intraOpThreads: 1 } })
  })
  afterAll(async () => {
    await client.dispose()
  })

  it('crosses the thread boundary: same remaining golden tokens, and the range error keeps its message', async () => {
    const p = golden.prompts[0]
    const r = await client.generate({ prompt: promptOf(p), prefixTokenIds: p.generated_ids.slice(0, 5), params: { ...greedy, maxNewTokens: 8 } })
    expect(r.tokens.map((t) => t.id)).toEqual(p.generated_ids.slice(5, 13))
    await expect(client.generate({ prompt: 'x', prefixTokenIds: [100000] })).rejects.toThrow('prefixTokenIds[0] is 100000')
  })
})
