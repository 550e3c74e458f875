// @vitest-environment node
// The OpenAI-compatible server seen through raw HTTP: response and chunk shapes of the OpenAI
// API, echo scoring, 400s in OpenAI's error shape naming the bad field, 404/405, cancellation
// when the client disconnects, concurrent requests, and shutdown with a stream in flight.
import http from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { GenerateResult, ModelClient, ModelInfo } from '../../../core/model/client.ts'
import { startOpenAiServer, type OpenAiServer } from '../../../electron/openai/server.ts'
import { startModelWorker, type WorkerModelClient } from '../../../electron/runtime/client.ts'
import { FIXTURE, readGolden } from '../runtime/fixture.ts'
import { countingClient, eventually, type CountingClient } from './helpers.ts'

const golden = readGolden()
const plain = golden.prompts.find((p) => p.name === 'plain') ?? golden.prompts[3]
const chatPrompt = golden.prompts[0]

let worker: WorkerModelClient
let counting: CountingClient
let server: OpenAiServer

beforeAll(async () => {
  worker = await startModelWorker({ dir: FIXTURE, provider: 'cpu', session: { intraOpThreads: 1 } })
  counting = countingClient(worker)
  server = await startOpenAiServer({ client: counting, port: 0 })
})
afterAll(async () => {
  await server?.close()
  await worker?.dispose()
})

async function post(path: string, body: unknown, base = server.url): Promise<{ status: number; json: Record<string, unknown>; text: string }> {
  const response = await fetch(`${base}${path}`, { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body) })
  const text = await response.text()
  let json: Record<string, unknown> = {}
  try {
    json = JSON.parse(text) as Record<string, unknown>
  } catch {
    // a stream
  }
  return { status: response.status, json, text }
}

/** The `data:` payloads of an SSE body. */
function events(text: string): string[] {
  expect(text.endsWith('\n\n')).toBe(true)
  return text
    .split('\n\n')
    .filter((block) => block !== '')
    .map((block) => {
      expect(block.startsWith('data: ')).toBe(true)
      return block.slice('data: '.length)
    })
}

describe('serve-model routes', () => {
  it('binds 127.0.0.1 by default and lists the model at /v1/models', async () => {
    expect(server.host).toBe('127.0.0.1')
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/v1`)
    const list = await (await fetch(`${server.url}/models`)).json()
    expect(list).toMatchObject({ object: 'list', data: [{ id: 'tiny-llama', object: 'model', owned_by: 'sftbench', max_model_len: 2048 }] })
    expect(await (await fetch(`${server.url}/models/tiny-llama`)).json()).toMatchObject({ id: 'tiny-llama' })
    const missing = await fetch(`${server.url}/models/other`)
    expect(missing.status).toBe(404)
    expect(((await missing.json()) as { error: unknown }).error).toMatchObject({ code: 'model_not_found', param: 'model' })
  })

  it('unknown routes are 404 and wrong methods 405, in the error shape', async () => {
    const r404 = await post('/embeddings', { input: 'x' })
    expect(r404.status).toBe(404)
    expect(r404.json.error).toMatchObject({ type: 'invalid_request_error', code: 'not_found', param: null })
    const r405 = await fetch(`${server.url}/completions`)
    expect(r405.status).toBe(405)
  })

  it('a completion has the OpenAI shape, with integer logprobs as parallel arrays and usage', async () => {
    const { status, json } = await post('/completions', { model: 'tiny-llama', prompt: plain.text, max_tokens: 5, logprobs: 2, temperature: 0 })
    expect(status).toBe(200)
    expect(json).toMatchObject({ object: 'text_completion', model: 'tiny-llama', usage: { prompt_tokens: plain.prompt_ids.length, completion_tokens: 5, total_tokens: plain.prompt_ids.length + 5 } })
    expect(String(json.id)).toMatch(/^cmpl-/)
    const choice = (json.choices as Record<string, unknown>[])[0]
    expect(choice).toMatchObject({ index: 0, finish_reason: 'length', stop_reason: null })
    const lp = choice.logprobs as { tokens: string[]; token_logprobs: number[]; top_logprobs: Record<string, number>[]; text_offset: number[] }
    expect(lp.tokens).toHaveLength(5)
    expect(lp.token_logprobs[0]).toBeCloseTo(plain.step_logprobs[0], 4)
    expect(lp.top_logprobs[0]).toHaveProperty([lp.tokens[0]])
    expect(Object.keys(lp.top_logprobs[1]).length).toBeLessThanOrEqual(2)
    expect(lp.text_offset[0]).toBe(0)
  })

  it('echo with max_tokens 0 scores the prompt: its tokens, null for the first, and no completion', async () => {
    const prompt = 'Push the box onto the target.'
    const { status, json } = await post('/completions', { prompt, echo: true, max_tokens: 0, logprobs: 1 })
    expect(status).toBe(200)
    const choice = (json.choices as Record<string, unknown>[])[0]
    expect(choice.text).toBe(prompt)
    const lp = choice.logprobs as { tokens: string[]; token_logprobs: (number | null)[]; text_offset: number[] }
    const ids = await worker.tokenize(prompt)
    expect(lp.tokens).toHaveLength(ids.length)
    expect(lp.tokens.join('')).toBe(prompt)
    expect(lp.token_logprobs[0]).toBeNull()
    expect(lp.token_logprobs.slice(1).every((x) => typeof x === 'number' && x < 0)).toBe(true)
    // Offsets are where each token's text starts.
    lp.tokens.forEach((t, i) => expect(prompt.slice(lp.text_offset[i], lp.text_offset[i] + t.length)).toBe(t))
    expect(json.usage).toEqual({ prompt_tokens: ids.length, completion_tokens: 0, total_tokens: ids.length })
    // The scores are the model's: the second token's log-probability after the first.
    const direct = await worker.score({ prompt: lp.tokens[0], continuation: prompt.slice(lp.tokens[0].length) })
    expect(lp.token_logprobs[1]).toBeCloseTo(direct.tokens[0].logprob, 6)
  })

  it('echo with generation returns the prompt followed by the completion', async () => {
    const plainRun = await post('/completions', { prompt: 'Sokoban', max_tokens: 4 })
    const echoed = await post('/completions', { prompt: 'Sokoban', max_tokens: 4, echo: true })
    const text = (r: typeof plainRun) => (r.json.choices as { text: string }[])[0].text
    expect(text(echoed)).toBe(`Sokoban${text(plainRun)}`)
  })

  it('an array of prompts gives one choice each, in order', async () => {
    const { json } = await post('/completions', { prompt: ['Sokoban', plain.text], max_tokens: 3 })
    const choices = json.choices as { index: number; text: string }[]
    expect(choices.map((c) => c.index)).toEqual([0, 1])
    const single = await post('/completions', { prompt: plain.text, max_tokens: 3 })
    expect(choices[1].text).toBe((single.json.choices as { text: string }[])[0].text)
  })

  it('a chat completion has the OpenAI shape with per-token logprobs and top_logprobs', async () => {
    const { status, json } = await post('/chat/completions', {
      messages: chatPrompt.messages, max_tokens: 6, logprobs: true, top_logprobs: 3, ignore_eos: true,
    })
    expect(status).toBe(200)
    expect(json).toMatchObject({ object: 'chat.completion', usage: { prompt_tokens: chatPrompt.prompt_ids.length, completion_tokens: 6 } })
    const choice = (json.choices as Record<string, unknown>[])[0]
    expect(choice).toMatchObject({ index: 0, finish_reason: 'length', message: { role: 'assistant' } })
    const content = (choice.logprobs as { content: { token: string; logprob: number; top_logprobs: unknown[] }[] }).content
    expect(content).toHaveLength(6)
    expect(content.every((c) => c.top_logprobs.length === 3)).toBe(true)
    expect(content[0].logprob).toBeCloseTo(chatPrompt.step_logprobs[0], 4)
    expect(content[1].logprob).toBeCloseTo(chatPrompt.step_logprobs[1], 4)
  })

  it('content given as text parts is joined', async () => {
    const whole = await post('/chat/completions', { messages: [{ role: 'user', content: 'Solve 3 3 8 8' }], max_tokens: 5 })
    const parts = await post('/chat/completions', {
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Solve 3 ' }, { type: 'text', text: '3 8 8' }] }], max_tokens: 5,
    })
    expect(parts.json.choices).toEqual(whole.json.choices)
  })

  it('completions stream: text_completion chunks, a final finish_reason, a usage chunk, then [DONE]', async () => {
    const { status, text } = await post('/completions', {
      prompt: plain.text, max_tokens: 6, stream: true, stream_options: { include_usage: true }, logprobs: 1,
    })
    expect(status).toBe(200)
    const data = events(text)
    expect(data.at(-1)).toBe('[DONE]')
    const chunks = data.slice(0, -1).map((d) => JSON.parse(d) as Record<string, unknown>)
    expect(chunks.every((c) => c.object === 'text_completion')).toBe(true)
    const usage = chunks.at(-1) as { choices: unknown[]; usage: { completion_tokens: number } }
    expect(usage.choices).toEqual([])
    expect(usage.usage.completion_tokens).toBe(6)
    const choices = chunks.slice(0, -1).map((c) => (c.choices as { text: string; finish_reason: string | null }[])[0])
    expect(choices.at(-1)?.finish_reason).toBe('length')
    expect(choices.slice(0, -1).every((c) => c.finish_reason === null)).toBe(true)
    const whole = await post('/completions', { prompt: plain.text, max_tokens: 6 })
    expect(choices.map((c) => c.text).join('')).toBe((whole.json.choices as { text: string }[])[0].text)
  })

  it('chat stream: a role chunk first, content deltas, a finish chunk, then [DONE]', async () => {
    const { text } = await post('/chat/completions', { messages: chatPrompt.messages, max_tokens: 6, stream: true })
    const data = events(text)
    expect(data.at(-1)).toBe('[DONE]')
    const chunks = data.slice(0, -1).map((d) => JSON.parse(d) as { object: string; choices: { delta: { role?: string; content?: string }; finish_reason: string | null }[] })
    expect(chunks.every((c) => c.object === 'chat.completion.chunk')).toBe(true)
    expect(chunks[0].choices[0].delta).toEqual({ role: 'assistant', content: '' })
    expect(chunks.at(-1)?.choices[0].finish_reason).toBe('length')
    const whole = await post('/chat/completions', { messages: chatPrompt.messages, max_tokens: 6 })
    const content = chunks.map((c) => c.choices[0].delta.content ?? '').join('')
    expect(content).toBe((whole.json.choices as { message: { content: string } }[])[0].message.content)
  })

  it('a stop string ends the choice with finish_reason stop and names it in stop_reason', async () => {
    const { json } = await post('/completions', { prompt: plain.text, max_tokens: 40, stop: 'assistant,' })
    const choice = (json.choices as Record<string, unknown>[])[0]
    expect(choice).toMatchObject({ finish_reason: 'stop', stop_reason: 'assistant,' })
    expect(choice.text).toBe(plain.generated_text.slice(0, plain.generated_text.indexOf('assistant,')))
  })

  it('concurrent requests are all answered, each as when sent alone', async () => {
    const prompts = ['Sokoban', 'Box', 'Target', plain.text, 'Wall', 'Player']
    const alone = []
    for (const p of prompts) alone.push(await post('/completions', { prompt: p, max_tokens: 8 }))
    const together = await Promise.all(prompts.map((p) => post('/completions', { prompt: p, max_tokens: 8 })))
    expect(together.map((r) => r.json.choices)).toEqual(alone.map((r) => r.json.choices))
  })

  it.each([
    ['/completions', { prompt: 'x', temperature: 'hot' }, 'temperature'],
    ['/completions', { prompt: 'x', temperature: -1 }, 'temperature'],
    ['/completions', { prompt: 'x', top_p: 0 }, 'top_p'],
    ['/completions', { prompt: 'x', top_k: 2.5 }, 'top_k'],
    ['/completions', { prompt: 'x', min_p: 1.5 }, 'min_p'],
    ['/completions', { prompt: 'x', seed: 0.5 }, 'seed'],
    ['/completions', { prompt: 'x', max_tokens: 0 }, 'max_tokens'],
    ['/completions', { prompt: 'x', max_tokens: -3 }, 'max_tokens'],
    ['/completions', { prompt: 'x', stop: [''] }, 'stop'],
    ['/completions', { prompt: 'x', stop: 7 }, 'stop'],
    ['/completions', { prompt: 'x', logprobs: 21 }, 'logprobs'],
    ['/completions', { prompt: 'x', logprobs: true }, 'logprobs'],
    ['/completions', { prompt: 'x', echo: 'yes' }, 'echo'],
    ['/completions', { prompt: 'x', n: 2 }, 'n'],
    ['/completions', { prompt: 'x', presence_penalty: 0.5 }, 'presence_penalty'],
    ['/completions', { prompt: 'x', stream: 'yes' }, 'stream'],
    ['/completions', { prompt: 'x', stream_options: { include_usage: true } }, 'stream_options'],
    ['/completions', { prompt: 'x', model: 7 }, 'model'],
    ['/completions', {}, 'prompt'],
    ['/completions', { prompt: [1, 2, 3] }, 'prompt'],
    ['/chat/completions', { messages: [] }, 'messages'],
    ['/chat/completions', { messages: [{ content: 'hi' }] }, 'messages[0].role'],
    ['/chat/completions', { messages: [{ role: 'user', content: 5 }] }, 'messages[0].content'],
    ['/chat/completions', { messages: [{ role: 'user', content: 'x' }], top_logprobs: 2 }, 'top_logprobs'],
    ['/chat/completions', { messages: [{ role: 'user', content: 'x' }], max_tokens: 0 }, 'max_tokens'],
    ['/chat/completions', { messages: [{ role: 'user', content: 'x' }], tools: [{ type: 'function' }] }, 'tools'],
  ] as const)('POST %s %j is a 400 naming %s', async (path, body, param) => {
    const { status, json } = await post(path, body)
    expect(status).toBe(400)
    const error = json.error as { message: string; type: string; param: string }
    expect(error.type).toBe('invalid_request_error')
    expect(error.param).toBe(param)
    expect(error.message.startsWith(`${param}: `)).toBe(true)
  })

  it('a body that is not a JSON object is a 400, and another model name a 404', async () => {
    expect((await post('/completions', '{"prompt": ')).status).toBe(400)
    expect((await post('/completions', '[1]')).status).toBe(400)
    const other = await post('/completions', { prompt: 'x', model: 'gpt-4o' })
    expect(other.status).toBe(404)
    expect(other.json.error).toMatchObject({ param: 'model', code: 'model_not_found' })
  })

  it('a client that disconnects mid-stream has its generation cancelled in the model', async () => {
    const before = counting.requests.length
    await new Promise<void>((resolve, reject) => {
      const req = http.request(`${server.url}/completions`, { method: 'POST' }, (res) => {
        res.once('data', () => {
          req.destroy()
          resolve()
        })
      })
      req.on('error', (e) => (e.message.includes('aborted') || e.message.includes('socket hang up') ? undefined : reject(e)))
      req.end(JSON.stringify({ prompt: 'Sokoban', max_tokens: 1500, ignore_eos: true, stream: true }))
    })
    await eventually(() => counting.requests.length > before)
    const id = counting.requests[before].id ?? ''
    await eventually(() => counting.cancelled.includes(id))
    const result = await counting.results.get(id)
    expect(result?.finishReason).toBe('cancelled')
    expect(result?.tokens.length).toBeLessThan(1500)
    await eventually(() => server.inFlight() === 0)
  })

  it('close() cancels a stream in flight and stops listening; the client stays usable', async () => {
    const other = await startOpenAiServer({ client: counting, port: 0 })
    const before = counting.requests.length
    const response = fetch(`${other.url}/completions`, {
      method: 'POST',
      body: JSON.stringify({ prompt: 'Sokoban', max_tokens: 1500, ignore_eos: true, stream: true }),
    }).then((r) => r.text()).catch(() => '')
    await eventually(() => counting.requests.length > before)
    await other.close()
    await response
    const result = await counting.results.get(counting.requests[before].id ?? '')
    expect(result?.finishReason).toBe('cancelled')
    await expect(fetch(`${other.url}/models`)).rejects.toThrow()
    expect((await worker.generate({ prompt: 'x', params: { maxNewTokens: 1 } })).tokens).toHaveLength(1)
  })
})

describe('serve-model over a scripted client', () => {
  /** A model client with no chat template whose generate fails as told. */
  function scripted(fail: Error): ModelClient {
    const info: ModelInfo = {
      name: 'scripted', provider: 'cpu', architecture: 'none', layers: 1, kvHeads: 1, headDim: 1,
      kvDtype: 'float32', vocabSize: 10, chatTemplate: false, maxContext: 8,
    }
    return {
      info: async () => info,
      generate: async (): Promise<GenerateResult> => {
        throw fail
      },
      generateBatch: async () => [],
      score: async () => ({ tokens: [], totalLogprob: 0, greedy: true, promptTokens: 0 }),
      cancel: () => undefined,
      dispose: async () => undefined,
    }
  }

  it('chat to a model without a chat template is a 400 on messages', async () => {
    const s = await startOpenAiServer({ client: scripted(new Error('unused')), port: 0 })
    try {
      const { status, json } = await post('/chat/completions', { messages: [{ role: 'user', content: 'x' }] }, s.url)
      expect(status).toBe(400)
      expect(json.error).toMatchObject({ param: 'messages' })
      expect((json.error as { message: string }).message).toContain('no chat template')
    } finally {
      await s.close()
    }
  })

  it('the runtime refusing the request (prompt too long) is a 400 on prompt; a fault is a 500 server_error', async () => {
    const tooLong = await startOpenAiServer({
      client: scripted(new Error('Request "r1": the prompt has 9 tokens but the model\'s context is 8; shorten the prompt.')),
      port: 0,
    })
    const broken = await startOpenAiServer({ client: scripted(new Error('onnxruntime: out of memory')), port: 0 })
    try {
      const a = await post('/completions', { prompt: 'x' }, tooLong.url)
      expect(a.status).toBe(400)
      expect(a.json.error).toMatchObject({ param: 'prompt' })
      expect((a.json.error as { message: string }).message).toContain('context is 8')
      // Streamed or not: nothing was sent before the refusal, so it still gets its status.
      const streamed = await post('/completions', { prompt: 'x', stream: true }, tooLong.url)
      expect(streamed.status).toBe(400)
      expect(streamed.json.error).toMatchObject({ param: 'prompt' })
      expect((streamed.json.error as { message: string }).message).toContain('context is 8')
      const b = await post('/completions', { prompt: 'x' }, broken.url)
      expect(b.status).toBe(500)
      expect(b.json.error).toMatchObject({ type: 'server_error' })
      expect((b.json.error as { message: string }).message).toContain('out of memory')
    } finally {
      await tooLong.close()
      await broken.close()
    }
  })

  it('echo scoring needs a client that can tokenize', async () => {
    const s = await startOpenAiServer({ client: scripted(new Error('unused')), port: 0 })
    try {
      const { status, json } = await post('/completions', { prompt: 'x', echo: true, max_tokens: 0, logprobs: 0 }, s.url)
      expect(status).toBe(400)
      expect(json.error).toMatchObject({ param: 'echo' })
    } finally {
      await s.close()
    }
  })
})
