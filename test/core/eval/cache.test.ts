import { describe, expect, it } from 'vitest'
import {
  CachingModelClient,
  canonicalJson,
  generationKey,
  servedFromCache,
  type GenerationCache,
} from '../../../core/eval/cache.ts'
import { oracleClient, randomClient } from '../../../core/eval/scripted.ts'
import { resolveSamplingParams } from '../../../core/model/params.ts'
import type { GeneratePrompt, GenerateRequest, GenerateResult, ModelClient } from '../../../core/model/client.ts'
import { byId, hash, run, sweep } from './helpers.ts'

class MemoryCache implements GenerationCache {
  readonly entries = new Map<string, GenerateResult>()
  async get(key: string): Promise<GenerateResult | undefined> {
    return this.entries.get(key)
  }
  async put(key: string, result: GenerateResult): Promise<void> {
    this.entries.set(key, result)
  }
}

const identity = { modelHash: 'f00d', provider: 'cpu' }

function cached(inner: ModelClient, cache: GenerationCache): CachingModelClient {
  return new CachingModelClient(inner, cache, identity, hash)
}

function spec(overrides: Record<string, unknown> = {}) {
  return sweep('sokoban', {
    instances: 6,
    protocol: { maxTurns: 10 },
    models: [{ name: 'm', backend: { kind: 'onnx', path: 'm' }, sampling: { temperature: 0.5 } }],
    ...overrides,
  })
}

describe('CachingModelClient in a sweep', () => {
  it('a rerun is answered from the cache, with identical results', async () => {
    const cache = new MemoryCache()
    const first = cached(randomClient(2), cache)
    const one = await run(spec(), first)
    expect(first.hits).toBe(0)
    expect(first.misses).toBeGreaterThan(0)
    expect(cache.entries.size).toBe(first.misses)

    const second = cached(randomClient(2), cache)
    const two = await run(spec(), second)
    expect(second.misses).toBe(0)
    expect(second.hits).toBe(first.misses)
    expect(byId(two.sink.results)).toEqual(byId(one.sink.results))
    for (const result of two.sink.results) expect(result.timing.cachedGenerations).toBe(result.timing.generations)
    for (const result of one.sink.results) expect(result.timing.cachedGenerations).toBe(0)
  })

  it('misses when the sweep seed changes (every turn seed changes)', async () => {
    const cache = new MemoryCache()
    await run(spec(), cached(randomClient(2), cache))
    const again = cached(randomClient(2), cache)
    await run(spec({ seed: 12 }), again)
    expect(again.hits).toBe(0)
  })

  it('misses when a sampling parameter changes', async () => {
    const cache = new MemoryCache()
    await run(spec(), cached(randomClient(2), cache))
    const again = cached(randomClient(2), cache)
    const model = { name: 'm', backend: { kind: 'onnx', path: 'm' }, sampling: { temperature: 0.7 } }
    const changed = spec({ models: [model] })
    await run(changed, again)
    expect(again.hits).toBe(0)
  })

  it('greedy generations ignore the seed, so a greedy repeat hits', async () => {
    const cache = new MemoryCache()
    const client = cached(oracleClient(), cache)
    // One cell at a time: two identical requests in flight together would both miss.
    const greedy = spec({
      repeats: 2,
      concurrency: 1,
      models: [{ name: 'm', backend: { kind: 'onnx', path: 'm' }, sampling: { temperature: 0 } }],
    })
    const { sink } = await run(greedy, client)
    const generations = sink.results.reduce((n, r) => n + r.timing.generations, 0)
    expect(client.hits).toBe(generations / 2)
  })
})

describe('CachingModelClient alone', () => {
  /** A client that counts calls, answers "out", and can tokenize (the prompt's text as char codes). */
  function counting(finishReason: GenerateResult['finishReason'] = 'stop') {
    let calls = 0
    const client: ModelClient & { calls(): number } = {
      calls: () => calls,
      info: () => Promise.reject(new Error('unused')),
      generate: async (request: GenerateRequest) => {
        calls++
        return {
          id: request.id ?? 'x',
          text: 'out',
          tokens: [],
          finishReason,
          promptTokens: 0,
          timings: { timeToFirstTokenMs: 0, tokensPerSecond: 0, totalMs: 1 },
          provider: 'cpu',
        }
      },
      generateBatch: async (requests) => Promise.all(requests.map((r) => client.generate(r))),
      score: () => Promise.reject(new Error('unused')),
      cancel: () => {},
      dispose: async () => {},
      tokenize: async (prompt: GeneratePrompt) => {
        const text = typeof prompt === 'string' ? prompt : prompt.messages.map((m) => m.content).join('')
        return [...text].map((c) => c.charCodeAt(0))
      },
    }
    return client
  }

  it('keys on token ids when the client can tokenize: two prompts with the same tokens share an entry', async () => {
    const inner = counting()
    const client = cached(inner, new MemoryCache())
    expect(client.tokenize).toBeDefined()
    const first = await client.generate({ prompt: 'ab', params: { seed: 1, temperature: 1 } })
    const messages = [{ role: 'user', content: 'ab' }]
    const second = await client.generate({ prompt: { messages }, params: { seed: 1, temperature: 1 } })
    expect(inner.calls()).toBe(1)
    expect(servedFromCache(first)).toBe(false)
    expect(servedFromCache(second)).toBe(true)
    expect(second.text).toBe('out')
  })

  it('does not store cancelled generations', async () => {
    const cache = new MemoryCache()
    const client = cached(counting('cancelled'), cache)
    await client.generate({ prompt: 'ab' })
    expect(cache.entries.size).toBe(0)
  })

  it('batches: hits come from the cache, misses go to the model in one batch, in request order', async () => {
    const inner = counting()
    const client = cached(inner, new MemoryCache())
    await client.generate({ prompt: 'b', params: { temperature: 1, seed: 2 } })
    const results = await client.generateBatch([
      { id: 'r1', prompt: 'a', params: { temperature: 1, seed: 2 } },
      { id: 'r2', prompt: 'b', params: { temperature: 1, seed: 2 } },
      { id: 'r3', prompt: 'c', params: { temperature: 1, seed: 2 } },
    ])
    expect(results.map((r) => r.id)).toEqual(['r1', 'r2', 'r3'])
    expect(results.map(servedFromCache)).toEqual([false, true, false])
    expect(inner.calls()).toBe(3)
  })
})

describe('generationKey', () => {
  const params = resolveSamplingParams({ temperature: 0.5, seed: 3 })

  it('does not depend on the order of object keys (canonical JSON)', () => {
    const reordered = Object.fromEntries(Object.entries(params).reverse()) as typeof params
    expect(generationKey({ ...identity, prompt: 'p', params: reordered }, hash)).toBe(
      generationKey({ ...identity, prompt: 'p', params }, hash),
    )
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: 3 }] })).toBe('{"a":[{"c":3,"d":2}],"b":1}')
  })

  it('changes with the model hash, the provider, the prompt, each parameter and the seed', () => {
    const base = generationKey({ ...identity, prompt: 'p', params }, hash)
    const variants = [
      generationKey({ ...identity, modelHash: 'beef', prompt: 'p', params }, hash),
      generationKey({ ...identity, provider: 'cuda', prompt: 'p', params }, hash),
      generationKey({ ...identity, prompt: 'q', params }, hash),
      generationKey({ ...identity, prompt: [112], params }, hash),
      generationKey({ ...identity, prompt: { messages: [{ role: 'user', content: 'p' }] }, params }, hash),
      generationKey({ ...identity, prompt: 'p', params: { ...params, seed: 4 } }, hash),
      generationKey({ ...identity, prompt: 'p', params: { ...params, topP: 0.9 } }, hash),
      generationKey({ ...identity, prompt: 'p', params: { ...params, maxNewTokens: 10 } }, hash),
      generationKey({ ...identity, prompt: 'p', prefixTokenIds: [7], params }, hash),
      generationKey({ ...identity, prompt: 'p', prefixTokenIds: [7, 8], params }, hash),
    ]
    expect(new Set([base, ...variants]).size).toBe(variants.length + 1)
  })

  it('a fork (prefixTokenIds) has its own key; an empty prefix is a plain generation', () => {
    const plain = generationKey({ ...identity, prompt: 'p', params }, hash)
    expect(generationKey({ ...identity, prompt: 'p', prefixTokenIds: [], params }, hash)).toBe(plain)
    expect(generationKey({ ...identity, prompt: 'p', prefixTokenIds: [5], params }, hash)).not.toBe(plain)
  })

  it('greedy keys ignore the seed', () => {
    const greedy = resolveSamplingParams({ temperature: 0, seed: 3 })
    expect(generationKey({ ...identity, prompt: 'p', params: greedy }, hash)).toBe(
      generationKey({ ...identity, prompt: 'p', params: { ...greedy, seed: 99 } }, hash),
    )
  })
})
