// @vitest-environment node
// The HTTP client against the real server over the tiny fixture model: generation through
// HTTP equals generation in the worker (text, token texts, log-probabilities and alternatives),
// for completions and chat, whole and streamed; seeds, stop strings and EOS; scoring by echo;
// round-robin over two servers; cancellation reaching the model.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { GenerateEvent, GenerateResult, TokenInfo } from '../../../core/model/client.ts'
import type { SamplingParamsInput } from '../../../core/model/params.ts'
import type { OpenAiBackendSpec } from '../../../core/eval/spec.ts'
import { createOpenAiClient, type OpenAiModelClient } from '../../../electron/openai/client.ts'
import { startOpenAiServer, type OpenAiServer } from '../../../electron/openai/server.ts'
import { startModelWorker, type WorkerModelClient } from '../../../electron/runtime/client.ts'
import { FIXTURE, readGolden } from '../runtime/fixture.ts'
import { countingClient, eventually, type CountingClient } from './helpers.ts'

const golden = readGolden()
const byName = (name: string) => {
  const p = golden.prompts.find((q) => q.name === name)
  if (!p) throw new Error(`golden prompt ${name} missing`)
  return p
}
const plain = byName('plain')
const sokoban = byName('sokoban')
const chatPrompt = byName('chat')

let worker: WorkerModelClient
let a: CountingClient
let b: CountingClient
let serverA: OpenAiServer
let serverB: OpenAiServer
let completions: OpenAiModelClient
let chat: OpenAiModelClient

function spec(api: 'chat' | 'completions', urls: string[], extra: Partial<OpenAiBackendSpec> = {}): OpenAiBackendSpec {
  return { kind: 'openai', api, model: 'tiny-llama', endpoints: urls.map((url) => ({ url })), ...extra }
}

beforeAll(async () => {
  worker = await startModelWorker({ dir: FIXTURE, provider: 'cpu', session: { intraOpThreads: 1 } })
  a = countingClient(worker)
  b = countingClient(worker)
  serverA = await startOpenAiServer({ client: a, port: 0 })
  serverB = await startOpenAiServer({ client: b, port: 0 })
  completions = createOpenAiClient(spec('completions', [serverA.url]))
  chat = createOpenAiClient(spec('chat', [serverA.url]))
})
afterAll(async () => {
  await serverA?.close()
  await serverB?.close()
  await worker?.dispose()
})

/** Alternatives as the completions API can carry them: keyed by text, so the first of equal texts. */
function uniqueTop(token: TokenInfo): { text: string; logprob: number }[] {
  const seen = new Set<string>()
  return token.top.filter((t) => !seen.has(t.text) && seen.add(t.text)).map((t) => ({ text: t.text, logprob: t.logprob }))
}

function expectSameTokens(http: GenerateResult, direct: GenerateResult, opts: { dedupeTop: boolean }): void {
  expect(http.tokens.map((t) => t.text)).toEqual(direct.tokens.map((t) => t.text))
  http.tokens.forEach((t, i) => {
    expect(t.id).toBe(-1)
    expect(Math.abs(t.logprob - direct.tokens[i].logprob)).toBeLessThan(1e-5)
    const want = opts.dedupeTop ? uniqueTop(direct.tokens[i]) : direct.tokens[i].top.map((x) => ({ text: x.text, logprob: x.logprob }))
    expect(t.top.map((x) => x.text)).toEqual(want.map((x) => x.text))
    t.top.forEach((x, j) => expect(Math.abs(x.logprob - want[j].logprob)).toBeLessThan(1e-5))
  })
}

describe('HTTP client over sftbench serve-model', () => {
  it('info() reads /v1/models', async () => {
    const info = await completions.info()
    expect(info).toMatchObject({ name: 'tiny-llama', provider: 'http', maxContext: 2048, chatTemplate: false })
    expect((await chat.info()).chatTemplate).toBe(true)
    const other = createOpenAiClient({ ...spec('completions', [serverA.url]), model: 'gpt-9' })
    await expect(other.info()).rejects.toThrow(/"gpt-9" is not served .* it serves "tiny-llama"/)
  })

  it.each([plain, sokoban].map((p) => [p.name, p] as const))(
    'greedy completions of the golden "%s" prompt equal direct generation (tokens, logprobs, alternatives)',
    async (_, p) => {
      const params: SamplingParamsInput = { maxNewTokens: 40, stopOnEos: false, temperature: 0, topLogprobs: 4 }
      const direct = await worker.generate({ prompt: p.text, params })
      expect(direct.tokens.map((t) => t.id)).toEqual(p.generated_ids)
      const http = await completions.generate({ prompt: p.text, params })
      expect(http.text).toBe(direct.text)
      expectSameTokens(http, direct, { dedupeTop: true })
      expect(http.finishReason).toBe('length')
      expect(http.promptTokens).toBe(p.prompt_ids.length)
      expect(http.provider).toBe('http')
      http.tokens.forEach((t, i) => expect(Math.abs(t.logprob - p.step_logprobs[i])).toBeLessThan(1e-4))
    },
  )

  it('the plain prompt\'s greedy text over HTTP is the PyTorch golden text', async () => {
    const http = await completions.generate({ prompt: plain.text, params: { maxNewTokens: 40, stopOnEos: false } })
    expect(http.text).toBe(plain.generated_text)
  })

  it('chat completions render the messages with the model template: equal to direct generation', async () => {
    const messages = chatPrompt.messages ?? []
    const params: SamplingParamsInput = { maxNewTokens: 40, stopOnEos: false, topLogprobs: 5 }
    const direct = await worker.generate({ prompt: { messages }, params })
    expect(direct.tokens.map((t) => t.id)).toEqual(chatPrompt.generated_ids)
    const http = await chat.generate({ prompt: { messages }, params })
    expect(http.text).toBe(direct.text)
    expectSameTokens(http, direct, { dedupeTop: false })
    expect(http.promptTokens).toBe(chatPrompt.prompt_ids.length)
  })

  it('streamed deltas concatenate to the final text, one event per token, then done (completions and chat)', async () => {
    const params: SamplingParamsInput = { maxNewTokens: 30, stopOnEos: false, topLogprobs: 2 }
    for (const [client, prompt] of [
      [completions, plain.text],
      [chat, { messages: chatPrompt.messages ?? [] }],
    ] as const) {
      const events: GenerateEvent[] = []
      const streamed = await client.generate({ prompt, params }, (e) => events.push(e))
      const whole = await client.generate({ prompt, params })
      const tokens = events.flatMap((e) => (e.type === 'token' ? [e] : []))
      expect(tokens).toHaveLength(30)
      expect(tokens.map((e) => e.delta).join('')).toBe(streamed.text)
      expect(streamed.text).toBe(whole.text)
      expect(streamed.tokens.map((t) => t.logprob)).toEqual(whole.tokens.map((t) => t.logprob))
      expect(events.at(-1)).toEqual({ type: 'done', result: streamed })
      expect(streamed.timings.timeToFirstTokenMs).toBeGreaterThan(0)
      expect(streamed.promptTokens).toBe(whole.promptTokens)
    }
  })

  it('seeded sampling reproduces, equals direct sampling with the same seed, and another seed differs', async () => {
    const params = (seed: number): SamplingParamsInput => ({ maxNewTokens: 24, temperature: 0.9, topP: 0.95, topK: 40, minP: 0.02, seed, stopOnEos: false })
    const first = await completions.generate({ prompt: plain.text, params: params(11) })
    const again = await completions.generate({ prompt: plain.text, params: params(11) })
    const direct = await worker.generate({ prompt: plain.text, params: params(11) })
    const other = await completions.generate({ prompt: plain.text, params: params(12) })
    expect(again.text).toBe(first.text)
    expect(first.tokens.map((t) => t.text)).toEqual(direct.tokens.map((t) => t.text))
    expect(other.text).not.toBe(first.text)
    const chatFirst = await chat.generate({ prompt: { messages: chatPrompt.messages ?? [] }, params: params(5) })
    const chatDirect = await worker.generate({ prompt: { messages: chatPrompt.messages ?? [] }, params: params(5) })
    expect(chatFirst.text).toBe(chatDirect.text)
  })

  it('stop strings cut the text before the first match and are reported (completions and chat)', async () => {
    // The golden greedy text holds "assistant" twice; only the second is followed by a comma.
    const stop = 'assistant,'
    const cut = plain.generated_text.indexOf(stop)
    expect(cut).toBeGreaterThan(plain.generated_text.indexOf('assistant'))
    const http = await completions.generate({ prompt: plain.text, params: { maxNewTokens: 40, stop: ['zzz', stop] } })
    expect(http.text).toBe(plain.generated_text.slice(0, cut))
    expect(http.finishReason).toBe('stop')
    expect(http.stopString).toBe(stop)

    const messages = chatPrompt.messages ?? []
    const full = await worker.generate({ prompt: { messages }, params: { maxNewTokens: 40, stopOnEos: false } })
    const chatStop = full.text.slice(12, 15)
    expect(chatStop).not.toContain('\uFFFD')
    const direct = await worker.generate({ prompt: { messages }, params: { maxNewTokens: 40, stop: [chatStop] } })
    const viaChat = await chat.generate({ prompt: { messages }, params: { maxNewTokens: 40, stop: [chatStop] } })
    expect(viaChat.text).toBe(full.text.slice(0, full.text.indexOf(chatStop)))
    expect(viaChat.text).toBe(direct.text)
    expect(viaChat).toMatchObject({ finishReason: 'stop', stopString: chatStop })
  })

  it('an end-of-sequence token ends with finish reason eos (the golden sokoban run has EOS at step 12)', async () => {
    const http = await completions.generate({ prompt: sokoban.text, params: { maxNewTokens: 40 } })
    expect(http.finishReason).toBe('eos')
    expect(http.stopString).toBeUndefined()
    expect(http.tokens).toHaveLength((sokoban.first_eos_index ?? -1) + 1)
  })

  it('score (completions echo) equals direct scoring', async () => {
    for (const [prompt, continuation] of [
      [plain.text, ' the box is on the target'],
      [sokoban.text, ' I push the box right.</think> <answer> ➡️ </answer>'],
    ]) {
      const direct = await worker.score({ prompt, continuation })
      const http = await completions.score({ prompt, continuation })
      expect(http.tokens.map((t) => t.text)).toEqual(direct.tokens.map((t) => t.text))
      http.tokens.forEach((t, i) => expect(Math.abs(t.logprob - direct.tokens[i].logprob)).toBeLessThan(1e-5))
      expect(Math.abs(http.totalLogprob - direct.totalLogprob)).toBeLessThan(1e-4)
      expect(http.promptTokens).toBe(direct.promptTokens)
    }
    await expect(chat.score({ prompt: 'a', continuation: 'b' })).rejects.toThrow(/score needs api "completions"/)
  })

  it('generateBatch over HTTP equals the worker\'s batch', async () => {
    const requests = [plain, sokoban].map((p) => ({ prompt: p.text, params: { maxNewTokens: 16, stopOnEos: false } }))
    const http = await completions.generateBatch(requests)
    const direct = await worker.generateBatch(requests)
    expect(http.map((r) => r.text)).toEqual(direct.map((r) => r.text))
  })

  it('round-robin sends requests to two servers in turn, and concurrent ones to both', async () => {
    const rr = createOpenAiClient(spec('completions', [serverA.url, serverB.url]))
    const before = [a.requests.length, b.requests.length]
    for (let i = 0; i < 6; i++) await rr.generate({ prompt: `Sokoban ${i}`, params: { maxNewTokens: 2 } })
    expect([a.requests.length - before[0], b.requests.length - before[1]]).toEqual([3, 3])

    const limited = createOpenAiClient({
      ...spec('completions', []),
      endpoints: [serverA.url, serverB.url].map((url) => ({ url, maxConcurrency: 1 })),
    })
    const mid = [a.requests.length, b.requests.length]
    await Promise.all(Array.from({ length: 8 }, (_, i) => limited.generate({ prompt: `Box ${i}`, params: { maxNewTokens: 3 } })))
    expect([a.requests.length - mid[0], b.requests.length - mid[1]]).toEqual([4, 4])
    expect(limited.endpointStats().map((s) => s.requests)).toEqual([4, 4])
  })

  it('cancel(id) closes the stream, the server cancels the generation in the model, and the result keeps the text so far', async () => {
    const started = a.requests.length
    let seen = 0
    let streamed = ''
    const result = await completions.generate(
      { id: 'long-one', prompt: 'Sokoban', params: { maxNewTokens: 1500, stopOnEos: false } },
      (e) => {
        if (e.type !== 'token') return
        streamed += e.delta
        if (++seen === 3) completions.cancel('long-one')
      },
    )
    expect(result.finishReason).toBe('cancelled')
    expect(result.tokens.length).toBeGreaterThanOrEqual(3)
    expect(result.tokens.length).toBeLessThan(1500)
    expect(result.text).toBe(streamed)
    // The server saw the connection close and cancelled its generation in the worker.
    const serverId = a.requests[started].id ?? ''
    await eventually(() => a.cancelled.includes(serverId))
    const inModel = await a.results.get(serverId)
    expect(inModel?.finishReason).toBe('cancelled')
    expect(inModel?.tokens.length).toBeLessThan(1500)
  })

  it('an abort signal cancels too, also before the request was sent', async () => {
    const controller = new AbortController()
    controller.abort()
    const early = await chat.generate({ prompt: { messages: [{ role: 'user', content: 'hi' }] }, params: { maxNewTokens: 5 } }, undefined, controller.signal)
    expect(early).toMatchObject({ finishReason: 'cancelled', text: '', tokens: [] })
  })

  it('refuses the wrong kind of prompt for its api, and works no more once disposed', async () => {
    await expect(chat.generate({ prompt: 'raw text' })).rejects.toThrow(/api "chat", which takes chat messages/)
    await expect(completions.generate({ prompt: { messages: [{ role: 'user', content: 'x' }] } })).rejects.toThrow(
      /api "completions", which takes raw text/,
    )
    const gone = createOpenAiClient(spec('completions', [serverA.url]))
    await gone.dispose()
    await expect(gone.generate({ prompt: 'x' })).rejects.toThrow(/disposed/)
  })
})
