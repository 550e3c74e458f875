/**
 * @module electron/openai/server
 * An OpenAI-compatible HTTP server over any `ModelClient` (node:http, no framework):
 *
 *     GET  /v1/models                 the one model served
 *     POST /v1/completions            raw text; `echo` + `logprobs` (with `max_tokens: 0`) scores a prompt
 *     POST /v1/chat/completions       messages through the model's chat template
 *     GET  /health                    200 while the server is up
 *
 * Both generation routes take `max_tokens`, `temperature`, `top_p`, `top_k`, `min_p`, `seed`, `stop`,
 * `ignore_eos`, `logprobs` (an integer for completions; a boolean plus `top_logprobs` for chat),
 * `stream` (server-sent events ending with `data: [DONE]`, with `stream_options.include_usage`).
 * A field left out takes the model's default (generation_config.json, then greedy with 256 new
 * tokens); a request without `seed` gets a random one, as with OpenAI. A bad field is a 400 in
 * OpenAI's error shape naming it; features the runtime does not have (penalties, `n` > 1, tools)
 * are refused the same way rather than ignored.
 *
 * Concurrent requests are forwarded as they come: the runtime's scheduler batches them. A request
 * whose connection closes before it is answered is cancelled in the runtime (`client.cancel(id)`).
 * The server binds 127.0.0.1 unless told otherwise and does not check API keys.
 */
import { randomInt, randomUUID } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import type {
  GenerateEvent,
  GeneratePrompt,
  GenerateResult,
  ModelClient,
  ModelInfo,
  TokenInfo,
} from '../../core/model/client.ts'
import { MAX_TOP_LOGPROBS, resolveSamplingParams, type SamplingParamsInput } from '../../core/model/params.ts'
import { SpecError } from '../../core/experiment/schema.ts'
import { SSE_DONE, sseData } from './sse.ts'
import {
  textOffsets,
  tokenBytes,
  type ApiErrorBody,
  type ApiFinishReason,
  type ApiModel,
  type ApiUsage,
  type ChatLogprobs,
  type ChatResponse,
  type CompletionLogprobs,
  type CompletionResponse,
} from './wire.ts'

/** How to serve a model. */
export interface OpenAiServerOptions {
  /** The model; echo scoring needs its optional `tokenize`. */
  readonly client: ModelClient
  /** The model id clients see and name (default: the model's name from `client.info()`). */
  readonly modelName?: string
  /** The address to bind (default 127.0.0.1). Anything else exposes the model without authentication. */
  readonly host?: string
  /** The port (default 8000; 0 picks a free one). */
  readonly port?: number
  /** The largest request body in bytes (default 16 MiB). */
  readonly maxBodyBytes?: number
}

/** A running server. */
export interface OpenAiServer {
  /** The API's base URL, e.g. `http://127.0.0.1:8000/v1`. */
  readonly url: string
  readonly host: string
  readonly port: number
  /** The model id served. */
  readonly model: string
  /** HTTP requests being answered now. */
  inFlight(): number
  /** Stops accepting requests, cancels generations in flight and closes connections. The client stays open. */
  close(): Promise<void>
}

/** The default port, vLLM's, so a base URL written for one works with the other. */
export const DEFAULT_PORT = 8000
const DEFAULT_MAX_BODY = 16 * 1024 * 1024

/** An error answered with an HTTP status and OpenAI's error body. */
class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly param: string | null = null,
    readonly type = 'invalid_request_error',
    readonly code: string | null = null,
  ) {
    super(message)
  }
}

/** A 400 naming the field. */
function badField(param: string, problem: string): ApiError {
  return new ApiError(400, `${param}: ${problem}`, param)
}

/** Shows a received value in an error message. */
function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value)
  return text.length > 60 ? `${text.slice(0, 57)}...` : text
}

/** Typed reads of the request body's fields; absent and null both read as undefined. */
class Fields {
  constructor(readonly body: Record<string, unknown>) {}

  has(name: string): boolean {
    return this.body[name] !== undefined && this.body[name] !== null
  }

  number(name: string, min: number, max: number, opts: { integer?: boolean; minOpen?: boolean } = {}): number | undefined {
    if (!this.has(name)) return undefined
    const value = this.body[name]
    const range = `${opts.minOpen ? '(' : '['}${min}, ${max}]`
    const what = opts.integer ? 'an integer' : 'a number'
    if (typeof value !== 'number' || !Number.isFinite(value) || (opts.integer && !Number.isInteger(value))) {
      throw badField(name, `must be ${what} in ${range}; got ${shown(value)}`)
    }
    if (value < min || value > max || (opts.minOpen && value === min)) {
      throw badField(name, `must be ${what} in ${range}; got ${value}`)
    }
    return value
  }

  boolean(name: string): boolean | undefined {
    if (!this.has(name)) return undefined
    const value = this.body[name]
    if (typeof value !== 'boolean') throw badField(name, `must be true or false; got ${shown(value)}`)
    return value
  }

  /** A field the runtime cannot honour unless it has its neutral value. */
  neutral(name: string, isNeutral: (value: unknown) => boolean, why: string): void {
    if (this.has(name) && !isNeutral(this.body[name])) throw badField(name, why)
  }
}

/** What a generation request asks for, common to both routes. */
interface Sampling {
  readonly params: SamplingParamsInput
  readonly stream: boolean
  readonly includeUsage: boolean
  /** Alternatives per token, or undefined when log-probabilities were not asked for. */
  readonly logprobs: number | undefined
}

const PARAM_NAMES: Readonly<Record<string, string>> = {
  maxNewTokens: 'max_tokens',
  temperature: 'temperature',
  topP: 'top_p',
  topK: 'top_k',
  minP: 'min_p',
  stop: 'stop',
  seed: 'seed',
  topLogprobs: 'logprobs',
  stopOnEos: 'ignore_eos',
}

/** Reads the sampling fields shared by both routes. */
function readSampling(f: Fields, route: 'completions' | 'chat'): Sampling {
  const params: { -readonly [K in keyof SamplingParamsInput]: SamplingParamsInput[K] } = {}
  const maxName = route === 'chat' && f.has('max_completion_tokens') ? 'max_completion_tokens' : 'max_tokens'
  const maxTokens = f.number(maxName, route === 'chat' ? 1 : 0, Number.MAX_SAFE_INTEGER, { integer: true })
  if (maxTokens !== undefined && maxTokens > 0) params.maxNewTokens = maxTokens
  const temperature = f.number('temperature', 0, 100)
  if (temperature !== undefined) params.temperature = temperature
  const topP = f.number('top_p', 0, 1, { minOpen: true })
  if (topP !== undefined) params.topP = topP
  // vLLM spells "no top-k" as -1; the runtime as 0.
  const topK = f.number('top_k', -1, Number.MAX_SAFE_INTEGER, { integer: true })
  if (topK !== undefined) params.topK = Math.max(0, topK)
  const minP = f.number('min_p', 0, 1)
  if (minP !== undefined) params.minP = minP
  params.seed = f.number('seed', Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, { integer: true }) ?? randomInt(2 ** 31)
  const stop = readStop(f)
  if (stop !== undefined) params.stop = stop
  if (f.boolean('ignore_eos') === true) params.stopOnEos = false

  let logprobs: number | undefined
  if (route === 'completions') {
    logprobs = f.number('logprobs', 0, MAX_TOP_LOGPROBS, { integer: true })
  } else {
    const wanted = f.boolean('logprobs') === true
    const top = f.number('top_logprobs', 0, MAX_TOP_LOGPROBS, { integer: true })
    if (top !== undefined && !wanted) throw badField('top_logprobs', 'needs "logprobs": true')
    logprobs = wanted ? (top ?? 0) : undefined
  }
  if (logprobs !== undefined && logprobs > 0) params.topLogprobs = logprobs

  f.neutral('n', (v) => v === 1, 'only 1 choice per prompt is supported; send the request again for more samples')
  f.neutral('best_of', (v) => v === 1, 'only 1 is supported')
  for (const name of ['presence_penalty', 'frequency_penalty']) {
    f.neutral(name, (v) => v === 0, 'penalties are not supported by this runtime; leave it out or 0')
  }
  f.neutral('repetition_penalty', (v) => v === 1, 'penalties are not supported by this runtime; leave it out or 1')
  f.neutral('logit_bias', (v) => typeof v === 'object' && Object.keys(v as object).length === 0, 'logit_bias is not supported')

  const stream = f.boolean('stream') ?? false
  let includeUsage = false
  if (f.has('stream_options')) {
    const options = f.body.stream_options
    if (!stream) throw badField('stream_options', 'is only allowed with "stream": true')
    if (typeof options !== 'object' || Array.isArray(options)) throw badField('stream_options', 'must be an object')
    includeUsage = new Fields(options as Record<string, unknown>).boolean('include_usage') ?? false
  }

  // The runtime's own checks, as a safety net, reported with the API's field names.
  try {
    resolveSamplingParams(params)
  } catch (error) {
    if (!(error instanceof SpecError)) throw error
    const problem = error.problems[0]
    const field = problem?.path.replace(/^params\./, '') ?? ''
    const name = PARAM_NAMES[field] ?? field
    throw badField(name, problem?.message ?? error.message)
  }
  return { params, stream, includeUsage, logprobs }
}

function readStop(f: Fields): string[] | undefined {
  if (!f.has('stop')) return undefined
  const value = f.body.stop
  const list = typeof value === 'string' ? [value] : value
  if (!Array.isArray(list) || !list.every((s) => typeof s === 'string')) {
    throw badField('stop', `must be a string or an array of strings; got ${shown(value)}`)
  }
  if (list.some((s) => s === '')) throw badField('stop', 'stop strings must not be empty')
  return list as string[]
}

function readPrompts(f: Fields): string[] {
  const value = f.body.prompt
  if (typeof value === 'string') return [value]
  if (Array.isArray(value) && value.length > 0 && value.every((p) => typeof p === 'string')) return value as string[]
  if (Array.isArray(value) && value.length > 0 && value.every((p) => typeof p === 'number' || Array.isArray(p))) {
    throw badField('prompt', 'token id arrays are not supported; send the prompt as text')
  }
  throw badField('prompt', `must be a string or a non-empty array of strings; got ${shown(value)}`)
}

function readMessages(f: Fields): { role: string; content: string }[] {
  const value = f.body.messages
  if (!Array.isArray(value) || value.length === 0) {
    throw badField('messages', `must be a non-empty array of {role, content}; got ${shown(value)}`)
  }
  return value.map((m: unknown, i) => {
    const where = `messages[${i}]`
    if (typeof m !== 'object' || m === null) throw badField(where, 'must be an object with role and content')
    const { role, content } = m as { role?: unknown; content?: unknown }
    if (typeof role !== 'string' || role === '') throw badField(`${where}.role`, `must be a non-empty string; got ${shown(role)}`)
    if (typeof content === 'string') return { role, content }
    // The content-parts form: only text parts, joined.
    if (Array.isArray(content)) {
      const texts = content.map((part: unknown, j) => {
        const p = part as { type?: unknown; text?: unknown } | null
        if (p?.type !== 'text' || typeof p.text !== 'string') {
          throw badField(`${where}.content[${j}]`, 'only {"type": "text", "text": ...} parts are supported')
        }
        return p.text
      })
      return { role, content: texts.join('') }
    }
    throw badField(`${where}.content`, `must be a string or an array of text parts; got ${shown(content)}`)
  })
}

/** The token-level log-probabilities of a prompt, for `echo`. The first token(s) have none. */
interface PromptScore {
  readonly texts: readonly string[]
  readonly logprobs: readonly (number | null)[]
  readonly tokens: number
}

/**
 * Scores every token of `prompt` after the first. `ModelClient.score` takes text, so the prompt is
 * cut after the shortest head that encodes to a proper prefix of the prompt's own ids (usually its
 * first token, or a BOS token with an empty head) and the rest is scored as the continuation.
 */
async function scorePrompt(client: ModelClient, prompt: string): Promise<PromptScore> {
  if (!client.tokenize) {
    throw new ApiError(400, 'echo: this model client cannot tokenize, so the prompt cannot be scored', 'echo')
  }
  const ids = await client.tokenize(prompt)
  if (ids.length <= 1) return { texts: ids.length === 1 ? [prompt] : [], logprobs: ids.map(() => null), tokens: ids.length }
  const limit = Math.min(prompt.length, 256)
  for (let n = 0; n <= limit; n++) {
    const head = await client.tokenize(prompt.slice(0, n))
    if (head.length === 0 || head.length >= ids.length || !head.every((t, i) => ids[i] === t)) continue
    const scored = await client.score({ prompt: prompt.slice(0, n), continuation: prompt.slice(n) })
    return {
      texts: [prompt.slice(0, n), ...head.slice(1).map(() => ''), ...scored.tokens.map((t) => t.text)],
      logprobs: [...head.map(() => null), ...scored.tokens.map((t) => t.logprob)],
      tokens: head.length + scored.tokens.length,
    }
  }
  throw new ApiError(500, `echo: could not find where the prompt's first token ends within ${limit} characters`, 'prompt', 'server_error')
}

function finishReason(result: GenerateResult): ApiFinishReason {
  if (result.finishReason === 'length') return 'length'
  if (result.finishReason === 'cancelled') return 'abort'
  return 'stop'
}

function completionTop(token: TokenInfo, k: number): Record<string, number> {
  // Alternatives come best first; two that read the same keep the better one.
  const out: Record<string, number> = {}
  for (const alt of token.top.slice(0, k)) if (!(alt.text in out)) out[alt.text] = alt.logprob
  return out
}

/** Completions log-probabilities of generated tokens, after an optional echoed prompt. */
function completionLogprobs(
  tokens: readonly TokenInfo[],
  k: number,
  text: string,
  prompt?: { score: PromptScore | undefined; length: number },
): CompletionLogprobs {
  const echo = prompt?.score
  const texts = [...(echo?.texts ?? []), ...tokens.map((t) => t.text)]
  const promptOffsets = echo ? textOffsets(text.slice(0, prompt.length), echo.texts) : []
  return {
    tokens: texts,
    token_logprobs: [...(echo?.logprobs ?? []), ...tokens.map((t) => t.logprob)],
    top_logprobs: k > 0 ? [...(echo?.texts.map(() => null) ?? []), ...tokens.map((t) => completionTop(t, k))] : null,
    text_offset: [...promptOffsets, ...textOffsets(text, tokens.map((t) => t.text), prompt?.length ?? 0)],
  }
}

function chatLogprobs(tokens: readonly TokenInfo[], k: number): ChatLogprobs {
  return {
    content: tokens.map((t) => ({
      token: t.text,
      logprob: t.logprob,
      bytes: tokenBytes(t.text),
      top_logprobs: t.top.slice(0, k).map((a) => ({ token: a.text, logprob: a.logprob, bytes: tokenBytes(a.text) })),
    })),
  }
}

function usageOf(promptTokens: number, completionTokens: number): ApiUsage {
  return { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens }
}

function sumUsage(parts: readonly ApiUsage[]): ApiUsage {
  return usageOf(
    parts.reduce((s, u) => s + u.prompt_tokens, 0),
    parts.reduce((s, u) => s + u.completion_tokens, 0),
  )
}

/**
 * An error thrown by the runtime for the request itself (the scheduler's checks: an empty prompt,
 * one longer than the context, ...) rather than a fault; those messages start with `Request "<id>"`.
 */
function isRequestError(error: unknown): boolean {
  return error instanceof Error && (/^Request "[^"]*"[: ]/.test(error.message) || error.name === 'TemplateError')
}

/** One HTTP exchange: writes, and the generation ids to cancel if the connection closes first. */
class Exchange {
  readonly ids = new Set<string>()
  gone = false

  constructor(
    readonly res: http.ServerResponse,
    private readonly client: ModelClient,
  ) {
    res.on('close', () => {
      if (res.writableFinished) return
      this.gone = true
      for (const id of this.ids) this.client.cancel(id)
    })
  }

  json(status: number, body: unknown, headers: Record<string, string> = {}): void {
    if (this.gone || this.res.headersSent) return
    const text = JSON.stringify(body)
    this.res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...headers })
    this.res.end(text)
  }

  /**
   * Writes one server-sent event. The stream's headers go with the first event, so a request that
   * fails before producing anything (a prompt longer than the context, say) still gets a status.
   */
  event(payload: unknown): void {
    if (this.gone || this.res.writableEnded) return
    this.streamHeaders()
    this.res.write(sseData(payload))
  }

  endStream(): void {
    if (this.gone || this.res.writableEnded) return
    this.streamHeaders()
    this.res.end(sseData(SSE_DONE))
  }

  private streamHeaders(): void {
    if (this.res.headersSent) return
    this.res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' })
  }

  /** Runs one generation, tracked for cancellation. */
  async generate(id: string, prompt: GeneratePrompt, params: SamplingParamsInput, onEvent?: (e: GenerateEvent) => void): Promise<GenerateResult> {
    this.ids.add(id)
    try {
      return await this.client.generate({ id, prompt, params }, onEvent)
    } finally {
      this.ids.delete(id)
    }
  }
}

function errorBody(error: ApiError): ApiErrorBody {
  return { error: { message: error.message, type: error.type, param: error.param, code: error.code } }
}

/** Serves the API over `client`; resolves once listening. */
export async function startOpenAiServer(options: OpenAiServerOptions): Promise<OpenAiServer> {
  const { client } = options
  const info = await client.info()
  const model = options.modelName ?? info.name
  const host = options.host ?? '127.0.0.1'
  const created = Math.floor(Date.now() / 1000)
  const api = new Api(client, info, model, created, options.maxBodyBytes ?? DEFAULT_MAX_BODY)
  const server = http.createServer((req, res) => api.serve(req, res))
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? DEFAULT_PORT, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const port = (server.address() as AddressInfo).port
  const urlHost = host.includes(':') ? `[${host}]` : host
  let closing: Promise<void> | undefined
  return {
    url: `http://${urlHost}:${port}/v1`,
    host,
    port,
    model,
    inFlight: () => api.active.size,
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()))
        for (const exchange of api.active) for (const id of exchange.ids) client.cancel(id)
        server.closeIdleConnections()
        await Promise.allSettled([...api.pending])
        server.closeAllConnections()
        await stopped
      })()
      return closing
    },
  }
}

/** The routes. */
class Api {
  readonly active = new Set<Exchange>()
  readonly pending = new Set<Promise<void>>()
  private nextId = 0

  constructor(
    private readonly client: ModelClient,
    private readonly info: ModelInfo,
    private readonly model: string,
    private readonly created: number,
    private readonly maxBody: number,
  ) {}

  serve(req: http.IncomingMessage, res: http.ServerResponse): void {
    const exchange = new Exchange(res, this.client)
    this.active.add(exchange)
    const work = this.route(req, exchange)
      .catch((error: unknown) => this.fail(exchange, error))
      .finally(() => {
        this.active.delete(exchange)
        this.pending.delete(work)
      })
    this.pending.add(work)
  }

  private fail(exchange: Exchange, error: unknown): void {
    const api =
      error instanceof ApiError
        ? error
        : new ApiError(500, `The model failed: ${error instanceof Error ? error.message : String(error)}`, null, 'server_error')
    if (exchange.res.headersSent) {
      // Mid-stream: the error travels as an event, then the stream ends as usual.
      exchange.event(errorBody(api))
      exchange.endStream()
    } else {
      exchange.json(api.status, errorBody(api))
    }
  }

  private async route(req: http.IncomingMessage, exchange: Exchange): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname.replace(/\/+$/, '') || '/'
    const method = req.method ?? 'GET'
    const allow = (methods: string): void => {
      if (!methods.split(', ').includes(method)) {
        throw new ApiError(405, `${method} ${path} is not allowed; use ${methods}`, null, 'invalid_request_error', 'method_not_allowed')
      }
    }
    if (path === '/v1/models') {
      allow('GET')
      return exchange.json(200, { object: 'list', data: [this.modelEntry()] })
    }
    if (path.startsWith('/v1/models/')) {
      allow('GET')
      const id = decodeURIComponent(path.slice('/v1/models/'.length))
      if (id !== this.model) throw this.unknownModel(id)
      return exchange.json(200, this.modelEntry())
    }
    if (path === '/health') {
      allow('GET')
      return exchange.json(200, { status: 'ok' })
    }
    if (path === '/v1/completions' || path === '/v1/chat/completions') {
      allow('POST')
      const fields = new Fields(await this.readBody(req))
      this.checkModel(fields)
      if (path === '/v1/completions') await this.completions(fields, exchange)
      else await this.chat(fields, exchange)
      return
    }
    throw new ApiError(404, `No route ${method} ${path}; this server has /v1/models, /v1/completions and /v1/chat/completions`, null, 'invalid_request_error', 'not_found')
  }

  private modelEntry(): ApiModel {
    return {
      id: this.model,
      object: 'model',
      created: this.created,
      owned_by: 'sftbench',
      ...(this.info.maxContext > 0 ? { max_model_len: this.info.maxContext } : {}),
    }
  }

  private unknownModel(id: string): ApiError {
    return new ApiError(404, `model: "${id}" is not served here; this server serves "${this.model}"`, 'model', 'invalid_request_error', 'model_not_found')
  }

  private checkModel(f: Fields): void {
    if (!f.has('model')) return
    const model = f.body.model
    if (typeof model !== 'string') throw badField('model', `must be a string; got ${shown(model)}`)
    if (model !== this.model) throw this.unknownModel(model)
  }

  private async readBody(req: http.IncomingMessage): Promise<Record<string, unknown>> {
    const chunks: Buffer[] = []
    let size = 0
    for await (const chunk of req) {
      size += (chunk as Buffer).length
      if (size > this.maxBody) throw new ApiError(413, `The request body is larger than ${this.maxBody} bytes`)
      chunks.push(chunk as Buffer)
    }
    let body: unknown
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'))
    } catch (error) {
      throw new ApiError(400, `The request body is not valid JSON: ${(error as Error).message}`)
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new ApiError(400, 'The request body must be a JSON object')
    }
    return body as Record<string, unknown>
  }

  private newId(prefix: string): string {
    return `${prefix}-${randomUUID().replaceAll('-', '')}-${++this.nextId}`
  }

  private async completions(f: Fields, exchange: Exchange): Promise<void> {
    const prompts = readPrompts(f)
    const sampling = readSampling(f, 'completions')
    const echo = f.boolean('echo') ?? false
    f.neutral('suffix', (v) => v === '', 'suffix is not supported')
    const maxTokens = f.body.max_tokens
    if (maxTokens === 0 && !echo) throw badField('max_tokens', 'must be at least 1 (0 is allowed only with "echo": true, to score the prompt)')
    const scoreOnly = maxTokens === 0
    const id = this.newId('cmpl')
    const k = sampling.logprobs ?? 0
    const envelope = { id, object: 'text_completion' as const, created: Math.floor(Date.now() / 1000), model: this.model }

    const choices = await Promise.all(
      prompts.map(async (prompt, index) => {
        const score = echo && sampling.logprobs !== undefined ? await scorePrompt(this.client, prompt) : undefined
        const echoed = echo ? prompt : ''
        if (sampling.stream && echo) {
          const logprobs = score ? completionLogprobs([], k, echoed, { score, length: echoed.length }) : null
          exchange.event({ ...envelope, choices: [{ index, text: echoed, logprobs, finish_reason: null }] })
        }
        if (scoreOnly) {
          const promptTokens = score?.tokens ?? (await this.client.tokenize?.(prompt))?.length ?? 0
          const logprobs = score ? completionLogprobs([], k, echoed, { score, length: echoed.length }) : null
          if (sampling.stream) exchange.event({ ...envelope, choices: [{ index, text: '', logprobs: null, finish_reason: 'length', stop_reason: null }] })
          return { choice: { index, text: echoed, logprobs, finish_reason: 'length' as const, stop_reason: null }, usage: usageOf(promptTokens, 0) }
        }
        if (exchange.gone) return undefined
        let emitted = 0
        const onEvent = sampling.stream
          ? (e: GenerateEvent): void => {
              if (e.type !== 'token') return
              if (e.delta === '' && sampling.logprobs === undefined) return
              const offset = echoed.length + emitted
              emitted += e.delta.length
              const logprobs: CompletionLogprobs | null =
                sampling.logprobs === undefined
                  ? null
                  : { tokens: [e.token.text], token_logprobs: [e.token.logprob], top_logprobs: k > 0 ? [completionTop(e.token, k)] : null, text_offset: [offset] }
              exchange.event({ ...envelope, choices: [{ index, text: e.delta, logprobs, finish_reason: null }] })
            }
          : undefined
        let result: GenerateResult
        try {
          result = await exchange.generate(`${id}-${index}`, prompt, sampling.params, onEvent)
        } catch (error) {
          if (isRequestError(error)) throw badField('prompt', (error as Error).message)
          throw error
        }
        const text = echoed + result.text
        const finish = finishReason(result)
        const stopReason = result.stopString ?? null
        if (sampling.stream) {
          // The deltas add up to the text; a cut-short request may hold back a tail.
          const tail = result.text.slice(emitted)
          exchange.event({ ...envelope, choices: [{ index, text: tail, logprobs: null, finish_reason: finish, stop_reason: stopReason }] })
        }
        const logprobs = sampling.logprobs === undefined ? null : completionLogprobs(result.tokens, k, text, { score, length: echoed.length })
        return {
          choice: { index, text, logprobs, finish_reason: finish, stop_reason: stopReason },
          usage: usageOf(result.promptTokens, result.tokens.length),
        }
      }),
    )
    if (exchange.gone) return
    const done = choices.filter((c) => c !== undefined)
    const usage = sumUsage(done.map((c) => c.usage))
    if (sampling.stream) {
      if (sampling.includeUsage) exchange.event({ ...envelope, choices: [], usage })
      exchange.endStream()
      return
    }
    const response: CompletionResponse = { ...envelope, choices: done.map((c) => c.choice), usage }
    exchange.json(200, response)
  }

  private async chat(f: Fields, exchange: Exchange): Promise<void> {
    const messages = readMessages(f)
    const sampling = readSampling(f, 'chat')
    for (const name of ['tools', 'functions']) {
      f.neutral(name, (v) => Array.isArray(v) && v.length === 0, 'tool calling is not supported')
    }
    f.neutral('tool_choice', (v) => v === 'none', 'tool calling is not supported')
    f.neutral('response_format', (v) => (v as { type?: unknown }).type === 'text', 'only {"type": "text"} is supported')
    if (!this.info.chatTemplate) {
      throw badField('messages', `${this.model} has no chat template; send raw text to /v1/completions instead`)
    }
    const id = this.newId('chatcmpl')
    const k = sampling.logprobs ?? 0
    const created = Math.floor(Date.now() / 1000)
    const chunk = { id, object: 'chat.completion.chunk' as const, created, model: this.model }

    let onEvent: ((e: GenerateEvent) => void) | undefined
    let emitted = ''
    // The role chunk opens the stream when the first token (or the end) is there to follow it.
    let begun = false
    const begin = (): void => {
      if (begun) return
      begun = true
      exchange.event({ ...chunk, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }] })
    }
    if (sampling.stream) {
      onEvent = (e) => {
        if (e.type !== 'token') return
        if (e.delta === '' && sampling.logprobs === undefined) return
        begin()
        emitted += e.delta
        const logprobs = sampling.logprobs === undefined ? null : chatLogprobs([e.token], k)
        exchange.event({ ...chunk, choices: [{ index: 0, delta: { content: e.delta }, logprobs, finish_reason: null }] })
      }
    }
    let result: GenerateResult
    try {
      result = await exchange.generate(`${id}-0`, { messages }, sampling.params, onEvent)
    } catch (error) {
      if (isRequestError(error)) throw badField('messages', (error as Error).message)
      throw error
    }
    const finish = finishReason(result)
    const stopReason = result.stopString ?? null
    const usage = usageOf(result.promptTokens, result.tokens.length)
    if (sampling.stream) {
      begin()
      const tail = result.text.startsWith(emitted) ? result.text.slice(emitted.length) : ''
      exchange.event({
        ...chunk,
        choices: [{ index: 0, delta: tail === '' ? {} : { content: tail }, logprobs: null, finish_reason: finish, stop_reason: stopReason }],
      })
      if (sampling.includeUsage) exchange.event({ ...chunk, choices: [], usage })
      exchange.endStream()
      return
    }
    const response: ChatResponse = {
      id,
      object: 'chat.completion',
      created,
      model: this.model,
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: result.text },
          logprobs: sampling.logprobs === undefined ? null : chatLogprobs(result.tokens, k),
          finish_reason: finish,
          stop_reason: stopReason,
        },
      ],
      usage,
    }
    exchange.json(200, response)
  }
}
