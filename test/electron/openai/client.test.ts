// @vitest-environment node
// The HTTP client's transport against scripted servers: what it sends, retries with seeded
// backoff on 503 / 429 (honouring Retry-After) and network errors, no retry on 400, timeouts,
// the per-endpoint concurrency limit, skipping a failing endpoint, cancellation, reading servers
// that omit vLLM's extensions, and API keys from the environment.
import type http from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import type { OpenAiBackendSpec } from '../../../core/eval/spec.ts'
import { createOpenAiClient, type OpenAiClientOptions } from '../../../electron/openai/client.ts'
import { sseData } from '../../../electron/openai/sse.ts'
import { apiError, completion, fakeServer, recordingSleep, sendJson, type FakeServer } from './helpers.ts'

const servers: FakeServer[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
})

async function serve(handler: Parameters<typeof fakeServer>[0]): Promise<FakeServer> {
  const s = await fakeServer(handler)
  servers.push(s)
  return s
}

function spec(urls: string[], extra: Partial<OpenAiBackendSpec> = {}): OpenAiBackendSpec {
  return { kind: 'openai', api: 'completions', model: 'm', endpoints: urls.map((url) => ({ url })), ...extra }
}

function client(urls: string[], extra: Partial<OpenAiBackendSpec> = {}, options: OpenAiClientOptions = {}) {
  return createOpenAiClient(spec(urls, extra), { sleep: recordingSleep().sleep, ...options })
}

/** A server that answers 503 to its first `failures` requests, then a completion. */
function failingFirst(failures: number, headers: Record<string, string> = {}, status = 503) {
  return (req: { n: number }, res: http.ServerResponse) => {
    if (req.n <= failures) sendJson(res, status, apiError('busy, try later'), headers)
    else sendJson(res, 200, completion('ok'))
  }
}

describe('request mapping', () => {
  it('sends every sampling parameter under the API\'s names', async () => {
    const s = await serve((_, res) => sendJson(res, 200, completion('x')))
    await client([`${s.url}/`]).generate({
      prompt: 'Solve',
      params: { temperature: 0.7, topP: 0.9, topK: 20, minP: 0.05, seed: 3, stop: ['</answer>'], maxNewTokens: 9, topLogprobs: 2, stopOnEos: false },
    })
    expect(s.seen[0].url).toBe('/v1/completions')
    expect(s.seen[0].body).toEqual({
      model: 'm', prompt: 'Solve', logprobs: 2, max_tokens: 9, temperature: 0.7, top_p: 0.9, seed: 3,
      top_k: 20, min_p: 0.05, stop: ['</answer>'], ignore_eos: true,
    })
  })

  it('fills the runtime\'s defaults (greedy, 256 tokens, seed 0) and leaves extensions out when unset', async () => {
    const s = await serve((_, res) => sendJson(res, 200, { choices: [{ message: { content: 'hi' }, finish_reason: 'stop' }] }))
    const c = createOpenAiClient({ ...spec([s.url]), api: 'chat' })
    await c.generate({ prompt: { messages: [{ role: 'user', content: 'Hi' }] } })
    expect(s.seen[0].url).toBe('/v1/chat/completions')
    expect(s.seen[0].body).toEqual({
      model: 'm', messages: [{ role: 'user', content: 'Hi' }], logprobs: true, max_tokens: 256, temperature: 0, top_p: 1, seed: 0,
    })
  })

  it('rejects bad sampling parameters before sending anything', async () => {
    const s = await serve((_, res) => sendJson(res, 200, completion('x')))
    await expect(client([s.url]).generate({ prompt: 'x', params: { topP: 2 } })).rejects.toThrow(/params\.topP/)
    expect(s.seen).toHaveLength(0)
  })

  it('refuses a fork (prefixTokenIds) instead of silently dropping the forced tokens', async () => {
    const s = await serve((_, res) => sendJson(res, 200, completion('x')))
    await expect(client([s.url]).generate({ prompt: 'x', prefixTokenIds: [3] })).rejects.toThrow(/prefixTokenIds/)
    expect(s.seen).toHaveLength(0)
  })
})

describe('reading responses', () => {
  it('tells a stop string from EOS by vLLM\'s stop_reason, or by tokens running into a stop string', async () => {
    const responses = [
      completion('a', { finish_reason: 'stop', stop_reason: '</answer>' }),
      completion('a', { finish_reason: 'stop', stop_reason: null }),
      completion('ab', { finish_reason: 'stop', logprobs: { tokens: ['a', 'b</', 'answer>'], token_logprobs: [-1, -2, -3], top_logprobs: null, text_offset: [0, 1, 3] } }),
      completion('a', { finish_reason: 'length' }),
    ]
    const s = await serve((req, res) => sendJson(res, 200, responses[req.n - 1]))
    const c = client([s.url])
    const results = []
    for (let i = 0; i < responses.length; i++) results.push(await c.generate({ prompt: 'x', params: { stop: ['</answer>'] } }))
    expect(results.map((r) => [r.finishReason, r.stopString])).toEqual([
      ['stop', '</answer>'],
      ['eos', undefined],
      ['stop', '</answer>'],
      ['length', undefined],
    ])
    expect(results[2].tokens.map((t) => [t.id, t.text, t.logprob])).toEqual([[-1, 'a', -1], [-1, 'b</', -2], [-1, 'answer>', -3]])
  })

  it('a server without logprobs gives one placeholder token per completion token it counts', async () => {
    const s = await serve((_, res) => sendJson(res, 200, completion('two tokens', {}, { prompt_tokens: 4, completion_tokens: 2 })))
    const r = await client([s.url]).generate({ prompt: 'x' })
    expect(r.text).toBe('two tokens')
    expect(r.promptTokens).toBe(4)
    expect(r.tokens).toHaveLength(2)
    expect(r.tokens.every((t) => t.id === -1 && Number.isNaN(t.logprob))).toBe(true)
  })

  it('sorts completions alternatives best first', async () => {
    const s = await serve((_, res) =>
      sendJson(res, 200, completion('a', { logprobs: { tokens: ['a'], token_logprobs: [-0.5], top_logprobs: [{ '7': -3, a: -0.5, b: -1 }], text_offset: [0] } })),
    )
    const r = await client([s.url]).generate({ prompt: 'x', params: { topLogprobs: 3 } })
    expect(r.tokens[0].top.map((t) => t.text)).toEqual(['a', 'b', '7'])
  })

  it('streams: the chunk text goes with its last token, and an error event mid-stream fails the request', async () => {
    const s = await serve((req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/event-stream' })
      const chunk = (text: string, tokens: string[]) =>
        sseData({ choices: [{ index: 0, text, logprobs: { tokens, token_logprobs: tokens.map(() => -1), top_logprobs: null, text_offset: [] }, finish_reason: null }] })
      if (req.n === 1) {
        res.write(chunk('He', ['H', 'e']))
        res.write(chunk('llo', ['llo']))
        res.write(sseData({ choices: [{ index: 0, text: '', finish_reason: 'length' }] }))
        res.write(sseData({ choices: [], usage: { prompt_tokens: 7, completion_tokens: 3 } }))
        res.end(sseData('[DONE]'))
      } else {
        res.write(chunk('He', ['He']))
        res.end(sseData({ error: { message: 'the engine died', type: 'server_error' } }))
      }
    })
    const c = client([s.url])
    const deltas: string[] = []
    const r = await c.generate({ prompt: 'x' }, (e) => (e.type === 'token' ? deltas.push(e.delta) : undefined))
    expect(deltas).toEqual(['', 'He', 'llo'])
    expect(r).toMatchObject({ text: 'Hello', finishReason: 'length', promptTokens: 7 })
    expect(r.tokens.map((t) => t.text)).toEqual(['H', 'e', 'llo'])
    await expect(c.generate({ prompt: 'x' }, () => undefined)).rejects.toThrow(/the engine died/)
    expect(s.seen).toHaveLength(2)
  })
})

describe('retries', () => {
  it('retries 503 with exponential backoff and seeded jitter, then succeeds', async () => {
    const s = await serve(failingFirst(3))
    const { sleep, waits } = recordingSleep()
    const r = await createOpenAiClient(spec([s.url]), { sleep, seed: 1 }).generate({ prompt: 'x' })
    expect(r.text).toBe('ok')
    expect(s.seen).toHaveLength(4)
    expect(waits).toHaveLength(3)
    // Attempt n waits between half and all of 500 ms * 2^n.
    waits.forEach((w, n) => {
      expect(w).toBeGreaterThanOrEqual(250 * 2 ** n)
      expect(w).toBeLessThanOrEqual(500 * 2 ** n)
    })

    const again = await serve(failingFirst(3))
    const second = recordingSleep()
    await createOpenAiClient(spec([again.url]), { sleep: second.sleep, seed: 1 }).generate({ prompt: 'x' })
    expect(second.waits).toEqual(waits)
    const other = await serve(failingFirst(3))
    const third = recordingSleep()
    await createOpenAiClient(spec([other.url]), { sleep: third.sleep, seed: 2 }).generate({ prompt: 'x' })
    expect(third.waits).not.toEqual(waits)
  })

  it('gives up after `retries` retries with the server\'s message', async () => {
    const s = await serve(failingFirst(100))
    const c = client([s.url], { retries: 2 })
    await expect(c.generate({ prompt: 'x' })).rejects.toThrow(/failed after 3 attempt\(s\).*HTTP 503: busy, try later/)
    expect(s.seen).toHaveLength(3)
  })

  it('honours Retry-After on 429', async () => {
    const s = await serve(failingFirst(1, { 'Retry-After': '7' }, 429))
    const { sleep, waits } = recordingSleep()
    const r = await createOpenAiClient(spec([s.url]), { sleep }).generate({ prompt: 'x' })
    expect(r.text).toBe('ok')
    expect(waits).toEqual([7000])
  })

  it('does not retry a 400, and reports the field the server named', async () => {
    const s = await serve((_, res) => sendJson(res, 400, apiError('temperature: must be a number', 'temperature')))
    await expect(client([s.url]).generate({ prompt: 'x' })).rejects.toThrow(/HTTP 400: temperature: must be a number \(param temperature\)/)
    expect(s.seen).toHaveLength(1)
  })

  it('retries a stream that broke before its first token, but not one that broke after', async () => {
    const s = await serve((req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/event-stream' })
      if (req.n === 1) {
        res.destroy()
        return
      }
      res.write(sseData({ choices: [{ index: 0, text: 'A', finish_reason: null }] }))
      if (req.n === 2) {
        res.end(sseData({ choices: [{ index: 0, text: '', finish_reason: 'length' }] }) + sseData('[DONE]'))
        return
      }
      setTimeout(() => res.destroy(), 20)
    })
    const c = client([s.url])
    const r = await c.generate({ prompt: 'x' }, () => undefined)
    expect(r.text).toBe('A')
    expect(s.seen).toHaveLength(2)
    await expect(c.generate({ prompt: 'x' }, () => undefined)).rejects.toThrow(/failed after 1 attempt/)
    expect(s.seen).toHaveLength(3)
  })

  it('times out an attempt that gets no answer, and retries it', async () => {
    const s = await serve(() => undefined) // never answers
    const c = client([s.url], { retries: 1, timeoutMs: 100 })
    await expect(c.generate({ prompt: 'x' })).rejects.toThrow(/failed after 2 attempt\(s\): no answer within 100 ms/)
    expect(s.seen).toHaveLength(2)
  })
})

describe('endpoints', () => {
  it('keeps each endpoint under its concurrency limit', async () => {
    const hold = (limit: number) => (_: unknown, res: http.ServerResponse, state: { inFlight: number }) => {
      // Hold each request until `limit` are open (or a while has passed), then a little longer, so
      // requests a client sent over its limit would arrive while these are still open.
      const started = Date.now()
      const tick = (): void => {
        if (state.inFlight >= limit || Date.now() - started > 300) setTimeout(() => sendJson(res, 200, completion('ok')), 40)
        else setTimeout(tick, 5)
      }
      tick()
    }
    const s = await serve(hold(2))
    const c = createOpenAiClient({ ...spec([]), endpoints: [{ url: s.url, maxConcurrency: 2 }] })
    await Promise.all(Array.from({ length: 7 }, () => c.generate({ prompt: 'x' })))
    expect(s.seen).toHaveLength(7)
    expect(s.maxInFlight()).toBe(2)

    const one = await serve(hold(1))
    const two = await serve(hold(1))
    const spread = createOpenAiClient({ ...spec([]), endpoints: [one.url, two.url].map((url) => ({ url, maxConcurrency: 1 })) })
    await Promise.all(Array.from({ length: 6 }, () => spread.generate({ prompt: 'x' })))
    expect([one.seen.length, two.seen.length]).toEqual([3, 3])
    expect([one.maxInFlight(), two.maxInFlight()]).toEqual([1, 1])
  })

  it('skips an endpoint that refuses connections once it has failed', async () => {
    const dead = await serve(() => undefined)
    const deadUrl = dead.url
    await dead.close()
    servers.splice(servers.indexOf(dead), 1)
    const live = await serve((_, res) => sendJson(res, 200, completion('ok')))
    // A clock that stands still keeps the failed endpoint in its cool-down however slow the machine.
    const c = client([deadUrl, live.url], {}, { now: () => 0 })
    for (let i = 0; i < 6; i++) expect((await c.generate({ prompt: 'x' })).text).toBe('ok')
    expect(live.seen).toHaveLength(6)
    const [deadStats] = c.endpointStats()
    expect(deadStats).toMatchObject({ url: deadUrl, requests: 1, failures: 1 })
  })

  it('sends the API key named by apiKeyEnv, and refuses to start without it', async () => {
    const s = await serve((_, res) => sendJson(res, 200, completion('ok')))
    const withKey = createOpenAiClient({ ...spec([]), endpoints: [{ url: s.url, apiKeyEnv: 'TEST_KEY' }] }, { env: { TEST_KEY: 'sk-123' } })
    await withKey.generate({ prompt: 'x' })
    expect(s.seen[0].headers.authorization).toBe('Bearer sk-123')
    expect(() => createOpenAiClient({ ...spec([]), endpoints: [{ url: s.url, apiKeyEnv: 'TEST_KEY' }] }, { env: {} })).toThrow(
      /endpoints\[0\]\.apiKeyEnv: the environment variable TEST_KEY is not set/,
    )
  })
})

describe('cancellation', () => {
  /** Streams a token every 10 ms until the client goes away. */
  const endless = (_: unknown, res: http.ServerResponse) => {
    res.writeHead(200, { 'Content-Type': 'text/event-stream' })
    const timer = setInterval(() => res.write(sseData({ choices: [{ index: 0, text: 'ab', finish_reason: null }] })), 10)
    res.on('close', () => clearInterval(timer))
  }

  it('cancel(id) ends the request with the text so far and closes the connection', async () => {
    const s = await serve(endless)
    const c = client([s.url])
    let n = 0
    const r = await c.generate({ id: 'r1', prompt: 'x' }, (e) => {
      if (e.type === 'token' && ++n === 3) c.cancel('r1')
    })
    expect(r.finishReason).toBe('cancelled')
    expect(r.text.startsWith('ababab')).toBe(true)
    expect(r.tokens.length).toBe(r.text.length / 2)
    await expect.poll(() => s.aborted()).toBe(1)
  })

  it('an abort signal or cancel() frees a request still waiting for a slot, without sending it', async () => {
    const s = await serve(endless)
    const c = createOpenAiClient({ ...spec([]), endpoints: [{ url: s.url, maxConcurrency: 1 }] })
    const first = c.generate({ prompt: 'x' }, () => undefined)
    const controller = new AbortController()
    const queued = c.generate({ prompt: 'y' }, undefined, controller.signal)
    await expect.poll(() => s.seen.length).toBe(1)
    controller.abort()
    expect(await queued).toMatchObject({ finishReason: 'cancelled', text: '', tokens: [] })
    c.cancel()
    expect((await first).finishReason).toBe('cancelled')
    expect(s.seen).toHaveLength(1)
  })

  it('a cancel during the backoff wait stops the retries', async () => {
    const s = await serve(failingFirst(100))
    // The wait never ends by itself: only the cancel it issues can end the request.
    const c = createOpenAiClient(spec([s.url]), {
      sleep: () => {
        c.cancel('slow')
        return new Promise(() => undefined)
      },
    })
    const r = await c.generate({ id: 'slow', prompt: 'x' })
    expect(r.finishReason).toBe('cancelled')
    expect(s.seen).toHaveLength(1)
  })
})
