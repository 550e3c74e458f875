// @vitest-environment node
// Generation on the committed fixture, in-thread: greedy output token-identical to the PyTorch
// golden (logits within 1e-4), tokenization identical to Python, every sampling option actually
// applied, batches equal to one-by-one runs, stop strings, EOS, streaming, cancellation, scoring
// and shared-prefix reuse.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { GenerateEvent, GenerateResult } from '../../../core/model/client.ts'
import { loadModel, type LocalModelClient } from '../../../electron/runtime/engine.ts'
import { OrtDecoder } from '../../../electron/runtime/decoder.ts'
import { createSession, releaseSession, sessionGraph } from '../../../electron/runtime/onnx.ts'
import { prepareModel } from '../../../electron/runtime/model-folder.ts'
import { analyzeSignature } from '../../../electron/runtime/signature.ts'
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

function ids(result: GenerateResult): number[] {
  return result.tokens.map((t) => t.id)
}

function promptOf(p: GoldenPrompt): string | { messages: { role: string; content: string }[] } {
  return p.kind === 'chat' && p.messages ? { messages: p.messages } : p.text
}

const greedyAll = { maxNewTokens: N, stopOnEos: false } as const

describe('tokenizer parity with Python', () => {
  it.each(golden.prompts.map((p) => [p.name, p] as const))('%s: prompt ids and rendered chat text', (_, p) => {
    expect(model.encodePrompt(promptOf(p))).toEqual(p.prompt_ids)
    if (p.messages) expect(model.tokenizer.renderChat(p.messages)).toBe(p.text)
    expect(model.tokenizer.decodeWith(p.generated_ids, false)).toBe(p.generated_text)
  })
})

describe('greedy decoding equals the PyTorch golden', () => {
  it.each(golden.prompts.map((p) => [p.name, p] as const))('%s: 40 token ids and their log-probs', async (_, p) => {
    const result = await model.generate({ prompt: promptOf(p), params: { ...greedyAll, topLogprobs: 5 } })
    expect(ids(result)).toEqual(p.generated_ids)
    expect(result.finishReason).toBe('length')
    result.tokens.forEach((t, i) => expect(Math.abs(t.logprob - p.step_logprobs[i])).toBeLessThan(1e-4))
    const top = result.tokens[0].top
    expect(top.map((t) => t.id)).toEqual(p.first_step.top5.map((t) => t.id))
    top.forEach((t, i) => expect(Math.abs(t.logprob - p.first_step.top5[i].logprob)).toBeLessThan(1e-4))
  })

  it('first-step raw logits within 1e-4, through the decoder directly', async () => {
    const prepared = prepareModel(FIXTURE)
    const { session } = await createSession(prepared.report.variant.path, 'cpu')
    try {
      const graph = sessionGraph(session)
      const signature = analyzeSignature('model.onnx', graph.inputs, graph.outputs).signature
      if (!signature) throw new Error('fixture signature')
      const decoder = new OrtDecoder(session, signature, 512, { maxBatch: 4 })
      const logits = await decoder.prefill(golden.prompts.map((p, slot) => ({ slot, tokenIds: p.prompt_ids })))
      golden.prompts.forEach((p, i) => {
        const head = Array.from(logits[i].subarray(0, 16))
        head.forEach((x, j) => expect(Math.abs(x - p.first_step.logits_head[j])).toBeLessThan(1e-4))
      })
      decoder.dispose()
      expect(decoder.stats().kvBytes).toBe(0)
    } finally {
      await releaseSession(session)
    }
  })

  it('stops at EOS from generation_config.json (sokoban golden: EOS at index 12)', async () => {
    const p = golden.prompts.find((q) => q.first_eos_index !== null) as GoldenPrompt
    const eosAt = p.first_eos_index as number
    const result = await model.generate({ prompt: promptOf(p), params: { maxNewTokens: N } })
    expect(result.finishReason).toBe('eos')
    expect(ids(result)).toEqual(p.generated_ids.slice(0, eosAt + 1))
    expect(result.text).toBe(model.tokenizer.decode(p.generated_ids.slice(0, eosAt)))
    expect(result.text).not.toContain('<|im_end|>')
  })
})

describe('batched generation', () => {
  it('a left-padded batch of all golden prompts equals the golden one-by-one results', async () => {
    const results = await model.generateBatch(golden.prompts.map((p) => ({ prompt: promptOf(p), params: greedyAll })))
    results.forEach((r, i) => expect(ids(r)).toEqual(golden.prompts[i].generated_ids))
  })

  it('per-row stopping and requests joining as others finish (2 slots, 4 requests)', async () => {
    const small = await loadModel({ dir: FIXTURE, provider: 'cpu', maxBatch: 2, session: { intraOpThreads: 1 } })
    try {
      const lengths = [5, 40, 12, 25]
      const results = await small.generateBatch(
        golden.prompts.map((p, i) => ({ prompt: promptOf(p), params: { maxNewTokens: lengths[i], stopOnEos: false } })),
      )
      results.forEach((r, i) => expect(ids(r)).toEqual(golden.prompts[i].generated_ids.slice(0, lengths[i])))
      expect(small.decoderStats().gathers).toBeGreaterThan(0)
      expect(small.decoderStats().liveSlots).toBe(0)
    } finally {
      await small.dispose()
    }
  })

  it('sampled rows do not depend on what else is in the batch (per-request RNG)', async () => {
    const params = { maxNewTokens: 20, temperature: 1, seed: 7, stopOnEos: false }
    const alone = await model.generate({ prompt: promptOf(golden.prompts[0]), params })
    const batch = await model.generateBatch([
      { prompt: promptOf(golden.prompts[2]), params: { ...params, seed: 99 } },
      { prompt: promptOf(golden.prompts[0]), params },
      { prompt: promptOf(golden.prompts[3]), params: { ...params, temperature: 0.5 } },
    ])
    expect(ids(batch[1])).toEqual(ids(alone))
  })

  it('a shared prompt prefix is computed once and reused, with unchanged results', async () => {
    const base = golden.prompts[1].text // the Sokoban prompt: 341 tokens
    const prompts = [' Left', ' Right', ' Up'].map((s) => base + s)
    const oneByOne: number[][] = []
    for (const prompt of prompts) oneByOne.push(ids(await model.generate({ prompt, params: { maxNewTokens: 10, stopOnEos: false } })))
    const hitsBefore = model.decoderStats().prefixHits
    const batch = await model.generateBatch(prompts.map((prompt) => ({ prompt, params: { maxNewTokens: 10, stopOnEos: false } })))
    expect(batch.map(ids)).toEqual(oneByOne)
    expect(model.decoderStats().prefixHits - hitsBefore).toBe(3)
    expect(model.decoderStats().cachedPrefixes).toBeGreaterThan(0)
  })

  it('rows with different cached prefixes (and none) share one prefill and keep their results', async () => {
    // Prompts seen before get a prefix hint each (their own text minus the last token), so this batch
    // mixes three different cached prefixes of different lengths with a row that has none.
    const fresh = await loadModel({ dir: FIXTURE, provider: 'cpu', session: { intraOpThreads: 1 } })
    try {
      const seen = [golden.prompts[0].text, golden.prompts[2].text, golden.prompts[3].text]
      const params = { maxNewTokens: 12, stopOnEos: false }
      const alone: number[][] = []
      for (const prompt of seen) alone.push(ids(await fresh.generate({ prompt, params })))
      const other = 'A prompt nobody has seen before.'
      const otherAlone = ids(await fresh.generate({ prompt: other, params }))
      const before = fresh.decoderStats()
      const batch = await fresh.generateBatch([...seen, other].map((prompt) => ({ prompt, params })))
      expect(batch.map(ids)).toEqual([...alone, otherAlone])
      const after = fresh.decoderStats()
      expect(after.prefixHits - before.prefixHits).toBe(3)
      // One run computes the three new prefixes, one runs the four rows' remaining tokens.
      expect(after.runs - before.runs).toBe(2 + 11)
    } finally {
      await fresh.dispose()
    }
  })
})

describe('sampling options are applied', () => {
  const prompt = promptOf(golden.prompts[0])
  const run = (params: Record<string, number | boolean>) =>
    model.generate({ prompt, params: { maxNewTokens: 30, stopOnEos: false, ...params } })

  it('temperature 0 is greedy whatever the other filters say', async () => {
    const r = await run({ temperature: 0, topK: 3, topP: 0.5, minP: 0.2, seed: 5 })
    expect(ids(r)).toEqual(golden.prompts[0].generated_ids.slice(0, 30))
  })

  it('a seed reproduces a sample; another seed gives another', async () => {
    const a = await run({ temperature: 1, seed: 1 })
    const b = await run({ temperature: 1, seed: 1 })
    const c = await run({ temperature: 1, seed: 2 })
    expect(ids(a)).toEqual(ids(b))
    expect(ids(c)).not.toEqual(ids(a))
    expect(ids(a)).not.toEqual(golden.prompts[0].generated_ids.slice(0, 30))
  })

  it('top-k 1 is greedy; top-k 3 samples only among the 3 most likely', async () => {
    expect(ids(await run({ temperature: 1.5, topK: 1, seed: 3 }))).toEqual(golden.prompts[0].generated_ids.slice(0, 30))
    for (const seed of [1, 2, 3]) {
      const r = await run({ temperature: 2, topK: 3, topLogprobs: 3, seed })
      for (const t of r.tokens) expect(t.top.map((x) => x.id)).toContain(t.id)
    }
  })

  it('top-p keeps sampled tokens inside the nucleus', async () => {
    for (const seed of [1, 2, 3]) {
      const r = await run({ temperature: 1, topP: 0.5, topLogprobs: 20, seed })
      for (const t of r.tokens) {
        // The mass of strictly more likely tokens must be below p for t to be in the nucleus.
        const before = t.top.filter((x) => x.logprob > t.logprob).reduce((a, x) => a + Math.exp(x.logprob), 0)
        expect(before).toBeLessThan(0.5)
      }
    }
  })

  it('min-p keeps sampled tokens at least min_p times as likely as the best', async () => {
    for (const seed of [1, 2, 3]) {
      const r = await run({ temperature: 1, minP: 0.3, topLogprobs: 1, seed })
      for (const t of r.tokens) expect(t.logprob).toBeGreaterThanOrEqual(t.top[0].logprob + Math.log(0.3) - 1e-9)
    }
  })

  it('higher temperature picks less likely tokens on average', async () => {
    const mean = (r: GenerateResult) => r.tokens.reduce((a, t) => a + t.logprob, 0) / r.tokens.length
    let cold = 0
    let hot = 0
    for (const seed of [1, 2, 3, 4]) {
      cold += mean(await run({ temperature: 0.3, seed }))
      hot += mean(await run({ temperature: 3, seed }))
    }
    expect(hot).toBeLessThan(cold)
  })

  it('rejects out-of-range parameters with the field name', async () => {
    await expect(run({ topP: 1.5 })).rejects.toThrow(/topP/)
  })
})

describe('stop strings, streaming and cancellation', () => {
  const p = golden.prompts[2]

  it('a stop string ends generation and is cut from the text', async () => {
    const full = await model.generate({ prompt: promptOf(p), params: greedyAll })
    const stop = full.text.slice(12, 16)
    const cut = full.text.indexOf(stop)
    const r = await model.generate({ prompt: promptOf(p), params: { ...greedyAll, stop: [stop] } })
    expect(r.finishReason).toBe('stop')
    expect(r.stopString).toBe(stop)
    expect(r.text).toBe(full.text.slice(0, cut))
    expect(r.tokens.length).toBeLessThan(N)
  })

  it('streams one event per token whose deltas add up to the text, then done', async () => {
    const events: GenerateEvent[] = []
    const r = await model.generate({ prompt: promptOf(p), params: greedyAll }, (e) => events.push(e))
    const tokens = events.filter((e) => e.type === 'token')
    expect(tokens).toHaveLength(N)
    expect(tokens.map((e) => (e.type === 'token' ? e.delta : '')).join('')).toBe(r.text)
    expect(events.at(-1)).toEqual({ type: 'done', result: r })
    // No delta ends inside a surrogate pair.
    for (const e of tokens) if (e.type === 'token' && e.delta) expect(/[\uD800-\uDBFF]$/.test(e.delta)).toBe(false)
  })

  it('cancel(id) stops one request promptly and keeps its tokens; others go on', async () => {
    let seen = 0
    const long = { maxNewTokens: 500, stopOnEos: false }
    const results = model.generateBatch(
      [
        { id: 'keep', prompt: promptOf(p), params: { maxNewTokens: 30, stopOnEos: false } },
        { id: 'stop-me', prompt: promptOf(p), params: long },
      ],
      (e) => {
        if (e.type === 'token' && e.id === 'stop-me' && ++seen === 5) model.cancel('stop-me')
      },
    )
    const [keep, stopped] = await results
    expect(stopped.finishReason).toBe('cancelled')
    expect(stopped.tokens.length).toBe(5)
    expect(keep.finishReason).toBe('length')
    expect(keep.tokens).toHaveLength(30)
  })

  it('an AbortSignal cancels, and cancel() with no id cancels everything', async () => {
    const controller = new AbortController()
    const pending = model.generate({ prompt: promptOf(p), params: { maxNewTokens: 500, stopOnEos: false } }, (e) => {
      if (e.type === 'token' && e.token && controller.signal.aborted === false) controller.abort()
    }, controller.signal)
    expect((await pending).finishReason).toBe('cancelled')
    const all = model.generateBatch([1, 2].map(() => ({ prompt: promptOf(p), params: { maxNewTokens: 500 } })))
    model.cancel()
    expect((await all).map((r) => r.finishReason)).toEqual(['cancelled', 'cancelled'])
  })
})

describe('scoring', () => {
  it('the greedy continuation scores as greedy, with the generation log-probs', async () => {
    // The chat golden's first two tokens (' _', '\x05') round-trip through text, so they can be scored
    // as text; the third is part of a UTF-8 character.
    const p = golden.prompts[0]
    const r = await model.generate({ prompt: promptOf(p), params: { maxNewTokens: 2, stopOnEos: false } })
    expect(ids(r)).toEqual(p.generated_ids.slice(0, 2))
    const s = await model.score({ prompt: promptOf(p), continuation: r.text })
    expect(s.tokens.map((t) => t.id)).toEqual(ids(r))
    expect(s.greedy).toBe(true)
    s.tokens.forEach((t, i) => expect(t.logprob).toBeCloseTo(r.tokens[i].logprob, 6))
    expect(s.totalLogprob).toBeCloseTo(r.tokens.reduce((a, t) => a + t.logprob, 0), 6)
    expect(s.promptTokens).toBe(p.prompt_ids.length)
  })

  it('a different continuation is not greedy and scores lower', async () => {
    const p = golden.prompts[0]
    const greedy = await model.generate({ prompt: promptOf(p), params: { maxNewTokens: 3, stopOnEos: false } })
    const s = await model.score({ prompt: promptOf(p), continuation: ' Paris.' })
    expect(s.greedy).toBe(false)
    expect(s.totalLogprob).toBeLessThan(greedy.tokens.reduce((a, t) => a + t.logprob, 0))
  })
})

describe('model info', () => {
  it('describes the fixture', async () => {
    expect(await model.info()).toEqual({
      name: 'tiny-llama',
      provider: 'cpu',
      architecture: 'LlamaForCausalLM',
      layers: 4,
      kvHeads: 2,
      headDim: 32,
      kvDtype: 'float32',
      vocabSize: 512,
      chatTemplate: true,
      maxContext: 2048,
    })
    expect(model.report.attempts).toEqual([{ provider: 'cpu', outcome: 'bound', reason: '' }])
  })
})
