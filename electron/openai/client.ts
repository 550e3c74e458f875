/**
 * @module electron/openai/client
 * `createOpenAiClient`: core's `ModelClient` over an OpenAI-compatible HTTP API (vLLM, llama.cpp's
 * server, Ollama, `sftbench serve-model`), so a sweep can evaluate a model served anywhere.
 *
 *     const client = createOpenAiClient({ kind: 'openai', api: 'completions', model: 'Qwen/Qwen2.5-7B',
 *       endpoints: [{ url: 'http://10.0.0.5:8000/v1', maxConcurrency: 16 }, { url: 'http://10.0.0.6:8000/v1' }] })
 *     const result = await client.generate({ prompt: 'Solve 3 3 8 8', params: { temperature: 0.5, seed: 7 } })
 *
 * - `api: 'completions'` sends raw text to `/completions`; `api: 'chat'` sends messages to
 *   `/chat/completions`, where the server applies the model's chat template. Each refuses the
 *   other kind of prompt rather than silently reformatting it.
 * - Every sampling parameter is sent explicitly (the runtime's defaults fill the gaps), so servers
 *   with other defaults (OpenAI's temperature 1, vLLM's 16 completion tokens) sample the same way.
 *   `top_k`, `min_p` and `ignore_eos` are vLLM / llama.cpp extensions, sent only when set.
 * - Tokens come with log-probabilities and alternatives when the server returns them; their ids
 *   are -1 (the API carries text, not ids). A server that returns no log-probabilities gives
 *   placeholder tokens with a NaN log-probability, one per completion token it reports.
 * - Requests are spread round-robin over the endpoints, each with its own concurrency limit; an
 *   endpoint that failed is skipped for a cool-down while others are healthy. 429, 408, 5xx,
 *   network errors and timeouts are retried (`retries` times, default 4) with exponential backoff
 *   and seeded jitter, or after the server's `Retry-After`; a retry goes to another endpoint when
 *   there is one. A streamed request is retried only before its first event reached the caller.
 * - `timeoutMs` (default 120 s) bounds each attempt; a streamed attempt times out when no data
 *   arrives for that long.
 * - `cancel(id)`, `cancel()` and an abort signal close the connection (the server then stops
 *   generating); the request resolves with finish reason `cancelled` and the text streamed so far.
 * - `score` uses completions with `echo`, `max_tokens: 0` and `logprobs` (as lm-evaluation-harness
 *   does): the server returns the log-probability of every token of prompt + continuation, and the
 *   tokens from the one holding the prompt's end onward are the continuation's.
 */
import type {
  AbortSignalLike,
  FinishReason,
  GenerateEvent,
  GeneratePrompt,
  GenerateRequest,
  GenerateResult,
  ModelClient,
  ModelInfo,
  ScoreRequest,
  ScoreResult,
  TokenInfo,
  TokenLogprob,
} from '../../core/model/client.ts'
import type { OpenAiBackendSpec } from '../../core/eval/spec.ts'
import { resolveSamplingParams, type SamplingParams } from '../../core/model/params.ts'
import { rngFor, type Rng } from '../../core/rng/rng.ts'
import {
  AbortedError,
  DEFAULT_BACKOFF,
  Semaphore,
  abortableSleep,
  backoffDelay,
  parseRetryAfter,
  type BackoffOptions,
} from './limits.ts'
import { SSE_DONE, SseParser } from './sse.ts'
import {
  textOffsets,
  type ApiErrorBody,
  type ApiModelList,
  type ChatLogprobs,
  type ChatTokenLogprob,
  type CompletionLogprobs,
} from './wire.ts'

/** Injected services and tuning; every field has a default. */
export interface OpenAiClientOptions {
  /** The fetch implementation (default: the global one). */
  readonly fetch?: typeof fetch
  /** Waits between retries (default: a timer). Tests pass one that records and returns at once. */
  readonly sleep?: (ms: number) => Promise<void>
  /** Seed of the retry jitter (default 0). */
  readonly seed?: number
  /** Where `apiKeyEnv` names are looked up (default `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>
  /** A monotonic clock in ms for timings and cool-downs (default `performance.now`). */
  readonly now?: () => number
  /** Stream every request, for first-token timings (default: only when `onEvent` is given). */
  readonly stream?: boolean
  readonly backoff?: BackoffOptions
}

/** Defaults of the spec's optional fields. */
export const OPENAI_CLIENT_DEFAULTS = { retries: 4, timeoutMs: 120_000, maxConcurrency: 8 } as const

/** What `GenerateResult.provider` and `ModelInfo.provider` say for a model behind HTTP. */
export const HTTP_PROVIDER = 'http'

/** An HTTP or network failure of one request. `status` is 0 for a network error or a timeout. */
export class OpenAiHttpError extends Error {
  override name = 'OpenAiHttpError'
  constructor(
    message: string,
    readonly status: number,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
  ) {
    super(message)
  }
}

/** One endpoint's state. */
interface Endpoint {
  readonly url: string
  readonly headers: Readonly<Record<string, string>>
  readonly slots: Semaphore
  requests: number
  failures: number
  /** Skipped until this time (ms on the client's clock) after a failure. */
  downUntil: number
}

/** Per-endpoint counters, for progress displays and tests. */
export interface EndpointStats {
  readonly url: string
  readonly requests: number
  readonly inFlight: number
  readonly failures: number
}

/** What one attempt hands back to the retry loop when it cannot go on. */
interface AttemptContext {
  readonly endpoint: Endpoint
  readonly signal: AbortSignal
  /** Restarts the attempt's timeout (streams call it as data arrives). */
  readonly alive: () => void
}

/** A request's own state: its abort controller and whether the caller cancelled it. */
interface Flight {
  readonly controller: AbortController
  cancelled: boolean
}

/** The parts of a choice the result is built from. */
interface ChoiceOutcome {
  text: string
  tokens: TokenInfo[]
  finish: string | null
  stopReason: unknown
  promptTokens: number | undefined
  completionTokens: number | undefined
  logprobsSeen: boolean
}

/** Creates the client. Throws when an endpoint's `apiKeyEnv` names an unset variable. */
export function createOpenAiClient(spec: OpenAiBackendSpec, options: OpenAiClientOptions = {}): OpenAiModelClient {
  return new OpenAiModelClient(spec, options)
}

let nextRequest = 0

/** A `ModelClient` whose model is served over HTTP. See the module comment. */
export class OpenAiModelClient implements ModelClient {
  private readonly endpoints: Endpoint[]
  private readonly fetchImpl: typeof fetch
  private readonly sleep: (ms: number) => Promise<void>
  private readonly now: () => number
  private readonly rng: Rng
  private readonly retries: number
  private readonly timeoutMs: number
  private readonly flights = new Map<string, Flight>()
  private cursor = 0
  private disposed = false

  constructor(
    readonly spec: OpenAiBackendSpec,
    private readonly options: OpenAiClientOptions = {},
  ) {
    const env = options.env ?? process.env
    this.endpoints = spec.endpoints.map((e, i) => {
      const headers: Record<string, string> = { 'Content-Type': 'application/json' }
      if (e.apiKeyEnv !== undefined) {
        const key = env[e.apiKeyEnv]
        if (key === undefined || key === '') {
          throw new Error(`endpoints[${i}].apiKeyEnv: the environment variable ${e.apiKeyEnv} is not set; export it with the API key.`)
        }
        headers.Authorization = `Bearer ${key}`
      }
      return {
        url: e.url.replace(/\/+$/, ''),
        headers,
        slots: new Semaphore(e.maxConcurrency ?? OPENAI_CLIENT_DEFAULTS.maxConcurrency),
        requests: 0,
        failures: 0,
        downUntil: -Infinity,
      }
    })
    if (this.endpoints.length === 0) throw new Error('endpoints: give at least one endpoint.')
    this.fetchImpl = options.fetch ?? globalThis.fetch
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)))
    this.now = options.now ?? (() => performance.now())
    this.rng = rngFor(options.seed ?? 0, 'openai-retry-jitter')
    this.retries = spec.retries ?? OPENAI_CLIENT_DEFAULTS.retries
    this.timeoutMs = spec.timeoutMs ?? OPENAI_CLIENT_DEFAULTS.timeoutMs
  }

  /** The served model, from `/models` of the first endpoint that answers. */
  async info(): Promise<ModelInfo> {
    this.assertOpen()
    const controller = new AbortController()
    const list = (await this.withRetries('GET', '/models', controller.signal, () => true, async (ctx) => {
      const response = await this.send(ctx, 'GET', '/models', undefined)
      return readJson(response, `GET ${ctx.endpoint.url}/models`)
    })) as Partial<ApiModelList>
    const models = Array.isArray(list.data) ? list.data : []
    const entry = models.find((m) => m?.id === this.spec.model)
    if (!entry) {
      const names = models.map((m) => m?.id).filter((id) => typeof id === 'string')
      throw new Error(
        `model: "${this.spec.model}" is not served at ${this.endpoints[0].url}; it serves ${names.length ? names.map((n) => `"${n}"`).join(', ') : 'no models'}.`,
      )
    }
    return {
      name: this.spec.model,
      provider: HTTP_PROVIDER,
      architecture: 'unknown',
      layers: 0,
      kvHeads: 0,
      headDim: 0,
      kvDtype: 'float32',
      vocabSize: 0,
      chatTemplate: this.spec.api === 'chat',
      maxContext: typeof entry.max_model_len === 'number' ? entry.max_model_len : 0,
    }
  }

  async generate(
    request: GenerateRequest,
    onEvent?: (event: GenerateEvent) => void,
    signal?: AbortSignalLike,
  ): Promise<GenerateResult> {
    this.assertOpen()
    if (request.prefixTokenIds !== undefined && request.prefixTokenIds.length > 0) {
      // An OpenAI-compatible API takes text, not token ids, so a fork cannot be continued exactly.
      throw new Error('prefixTokenIds (forks) need a local model: OpenAI-compatible servers take text prompts, not token ids.')
    }
    const id = request.id ?? `http-${++nextRequest}`
    if (this.flights.has(id)) throw new Error(`Request id "${id}" is already in flight; give each concurrent request its own id.`)
    const params = resolveSamplingParams(request.params ?? {})
    const stream = onEvent !== undefined || this.options.stream === true
    const path = this.spec.api === 'chat' ? '/chat/completions' : '/completions'
    const body = this.requestBody(request.prompt, params, stream)

    const flight: Flight = { controller: new AbortController(), cancelled: false }
    this.flights.set(id, flight)
    const onAbort = (): void => this.cancel(id)
    signal?.addEventListener('abort', onAbort)
    if (signal?.aborted) this.cancel(id)

    const started = this.now()
    let firstTokenAt = NaN
    let lastTokenAt = NaN
    const outcome: ChoiceOutcome = emptyOutcome()
    let emitted = false
    const emit = (token: TokenInfo, delta: string): void => {
      const t = this.now()
      if (Number.isNaN(firstTokenAt)) firstTokenAt = t
      lastTokenAt = t
      outcome.tokens.push(token)
      outcome.text += delta
      emitted = true
      onEvent?.({ type: 'token', id, token, delta })
    }
    const finish = (): GenerateResult => {
      const totalMs = this.now() - started
      const tokens = padTokens(outcome)
      const reason = flight.cancelled ? { finishReason: 'cancelled' as const } : finishOf(outcome, params.stop)
      // Without streaming the first token is seen only with the whole response.
      const ttft = stream ? firstTokenAt - started : tokens.length > 0 ? totalMs : NaN
      const result: GenerateResult = {
        id,
        text: outcome.text,
        tokens,
        ...reason,
        promptTokens: outcome.promptTokens ?? 0,
        timings: {
          timeToFirstTokenMs: ttft,
          tokensPerSecond: tokensPerSecond(tokens.length, stream ? lastTokenAt - firstTokenAt : NaN, totalMs),
          totalMs,
        },
        provider: HTTP_PROVIDER,
      }
      onEvent?.({ type: 'done', result })
      return result
    }

    try {
      await this.withRetries('POST', path, flight.controller.signal, () => !emitted, async (ctx) => {
        // A retry starts over.
        Object.assign(outcome, emptyOutcome())
        const response = await this.send(ctx, 'POST', path, body)
        if (stream) {
          await this.readStream(response, ctx, `POST ${ctx.endpoint.url}${path}`, outcome, emit)
        } else {
          readChoice(await readJson(response, `POST ${ctx.endpoint.url}${path}`), outcome)
        }
      })
      return finish()
    } catch (error) {
      if (flight.cancelled) return finish()
      throw error
    } finally {
      this.flights.delete(id)
      signal?.removeEventListener?.('abort', onAbort)
    }
  }

  generateBatch(
    requests: readonly GenerateRequest[],
    onEvent?: (event: GenerateEvent) => void,
    signal?: AbortSignalLike,
  ): Promise<GenerateResult[]> {
    // Each request travels alone; the server batches what arrives together.
    return Promise.all(requests.map((r) => this.generate(r, onEvent, signal)))
  }

  async score(request: ScoreRequest): Promise<ScoreResult> {
    this.assertOpen()
    if (this.spec.api !== 'completions') {
      throw new Error(
        `score needs api "completions" (it reads the prompt's log-probabilities with echo); model "${this.spec.model}" uses api "${this.spec.api}".`,
      )
    }
    if (typeof request.prompt !== 'string') {
      throw new Error('score over HTTP takes a text prompt; render chat messages to text first (the completions API has no chat template).')
    }
    const prompt = request.prompt
    const whole = prompt + request.continuation
    const body = { model: this.spec.model, prompt: whole, echo: true, max_tokens: 0, logprobs: 1, temperature: 0 }
    const controller = new AbortController()
    const doc = await this.withRetries('POST', '/completions', controller.signal, () => true, async (ctx) =>
      readJson(await this.send(ctx, 'POST', '/completions', body), `POST ${ctx.endpoint.url}/completions`),
    )
    const lp = (doc as { choices?: { logprobs?: Partial<CompletionLogprobs> | null }[] }).choices?.[0]?.logprobs
    if (!lp || !Array.isArray(lp.tokens) || !Array.isArray(lp.token_logprobs)) {
      throw new Error('The server returned no log-probabilities for the echoed prompt; it may not support echo with logprobs.')
    }
    const texts = lp.tokens.map(String)
    const offsets = Array.isArray(lp.text_offset) && lp.text_offset.length === texts.length ? lp.text_offset : textOffsets(whole, texts)
    if (request.continuation === '') return { tokens: [], totalLogprob: 0, greedy: true, promptTokens: texts.length }
    const start = continuationStart(offsets, texts, prompt.length)
    // A server that generated a token anyway (max_tokens 0 read as 1) has it past the text: drop it.
    let end = texts.length
    while (end > start && offsets[end - 1] >= whole.length) end--
    const tokens: TokenLogprob[] = []
    let greedy = true
    for (let i = start; i < end; i++) {
      const logprob = lp.token_logprobs[i]
      if (typeof logprob !== 'number') {
        throw new Error(`The server gave no log-probability for token ${i} ("${texts[i]}"); give a non-empty prompt before the continuation.`)
      }
      tokens.push({ id: -1, text: texts[i], logprob })
      const top = lp.top_logprobs?.[i]
      const best = top ? Math.max(...Object.values(top)) : NaN
      // Unknown alternatives cannot show the token was the most likely one.
      if (!(logprob >= best - 1e-6)) greedy = false
    }
    if (tokens.length === 0) throw new Error('The continuation covers no token of the echoed text; check that the server echoes the prompt.')
    return { tokens, totalLogprob: tokens.reduce((s, t) => s + t.logprob, 0), greedy, promptTokens: start }
  }

  cancel(id?: string): void {
    const flights = id === undefined ? [...this.flights.values()] : [this.flights.get(id)].filter((f) => f !== undefined)
    for (const flight of flights) {
      flight.cancelled = true
      flight.controller.abort()
    }
  }

  async dispose(): Promise<void> {
    this.cancel()
    this.disposed = true
  }

  /** Requests sent, in flight and failed, per endpoint. */
  endpointStats(): EndpointStats[] {
    return this.endpoints.map((e) => ({ url: e.url, requests: e.requests, inFlight: e.slots.inUse, failures: e.failures }))
  }

  private assertOpen(): void {
    if (this.disposed) throw new Error('The HTTP model client was disposed; create a new one with createOpenAiClient.')
  }

  private requestBody(prompt: GeneratePrompt, params: SamplingParams, stream: boolean): Record<string, unknown> {
    const body: Record<string, unknown> = { model: this.spec.model }
    if (this.spec.api === 'chat') {
      if (typeof prompt === 'string') {
        throw new Error(
          `model "${this.spec.model}" uses api "chat", which takes chat messages; this prompt is raw text. ` +
            'Use api "completions" for raw prompts, or a variant that renders messages.',
        )
      }
      body.messages = prompt.messages.map((m) => ({ role: m.role, content: m.content }))
      body.logprobs = true
      if (params.topLogprobs > 0) body.top_logprobs = params.topLogprobs
    } else {
      if (typeof prompt !== 'string') {
        throw new Error(
          `model "${this.spec.model}" uses api "completions", which takes raw text; this prompt is chat messages. ` +
            'Use api "chat" so the server applies the chat template.',
        )
      }
      body.prompt = prompt
      body.logprobs = params.topLogprobs
    }
    body.max_tokens = params.maxNewTokens
    body.temperature = params.temperature
    body.top_p = params.topP
    body.seed = params.seed
    if (params.topK > 0) body.top_k = params.topK
    if (params.minP > 0) body.min_p = params.minP
    if (params.stop.length > 0) body.stop = params.stop
    if (!params.stopOnEos) body.ignore_eos = true
    if (stream) {
      body.stream = true
      body.stream_options = { include_usage: true }
    }
    return body
  }

  /** The next endpoint in turn: healthy ones first, then one with a free slot, avoiding `previous` when it can. */
  private pick(previous: Endpoint | undefined): Endpoint {
    const n = this.endpoints.length
    const order = Array.from({ length: n }, (_, i) => this.endpoints[(this.cursor + i) % n])
    this.cursor = (this.cursor + 1) % n
    const now = this.now()
    const healthy = order.filter((e) => e.downUntil <= now)
    // With every endpoint failing, try the one whose cool-down ends first.
    const pool = healthy.length > 0 ? healthy : [...order].sort((a, b) => a.downUntil - b.downUntil)
    const others = pool.length > 1 && previous !== undefined ? pool.filter((e) => e !== previous) : pool
    return others.find((e) => e.slots.free) ?? others[0]
  }

  /** Runs `attempt` on endpoints in turn until it succeeds, fails for good, or retries run out. */
  private async withRetries<T>(
    method: string,
    path: string,
    signal: AbortSignal,
    mayRetry: () => boolean,
    attempt: (ctx: AttemptContext) => Promise<T>,
  ): Promise<T> {
    let endpoint: Endpoint | undefined
    for (let tried = 0; ; tried++) {
      endpoint = this.pick(endpoint)
      const release = await endpoint.slots.acquire(signal)
      let delay: number
      try {
        const value = await this.timed(endpoint, signal, attempt)
        endpoint.failures = 0
        endpoint.downUntil = -Infinity
        return value
      } catch (error) {
        if (signal.aborted) throw new AbortedError()
        if (!(error instanceof OpenAiHttpError) || !error.retryable) throw error
        endpoint.failures++
        delay = error.retryAfterMs ?? backoffDelay(tried, this.rng, this.options.backoff ?? DEFAULT_BACKOFF)
        endpoint.downUntil = this.now() + Math.max(delay, backoffDelay(endpoint.failures - 1, this.rng, this.options.backoff ?? DEFAULT_BACKOFF))
        if (tried >= this.retries || !mayRetry()) {
          throw new OpenAiHttpError(
            `${method} ${endpoint.url}${path} failed after ${tried + 1} attempt(s): ${error.message}`,
            error.status,
            false,
          )
        }
      } finally {
        release()
      }
      await abortableSleep(this.sleep, delay, signal)
    }
  }

  /** One attempt under the timeout; a timeout becomes a retryable error. */
  private async timed<T>(endpoint: Endpoint, outer: AbortSignal, attempt: (ctx: AttemptContext) => Promise<T>): Promise<T> {
    const controller = new AbortController()
    const onOuter = (): void => controller.abort()
    outer.addEventListener('abort', onOuter)
    let timedOut = false
    let timer: ReturnType<typeof setTimeout> | undefined
    const alive = (): void => {
      clearTimeout(timer)
      timer = setTimeout(() => {
        timedOut = true
        controller.abort()
      }, this.timeoutMs)
    }
    alive()
    endpoint.requests++
    try {
      return await attempt({ endpoint, signal: controller.signal, alive })
    } catch (error) {
      if (timedOut) throw new OpenAiHttpError(`no answer within ${this.timeoutMs} ms (timeoutMs)`, 0, true)
      if (outer.aborted) throw new AbortedError()
      if (error instanceof OpenAiHttpError) throw error
      // fetch rejects with a TypeError on refused or reset connections: worth retrying.
      const cause = (error as { cause?: { code?: string; message?: string } }).cause
      const detail = [(error as Error).message, cause?.code ?? cause?.message].filter(Boolean).join(': ')
      throw new OpenAiHttpError(`network error: ${detail}`, 0, true)
    } finally {
      clearTimeout(timer)
      outer.removeEventListener('abort', onOuter)
    }
  }

  /** Sends one request; a non-2xx status becomes an `OpenAiHttpError` with the server's message. */
  private async send(ctx: AttemptContext, method: string, path: string, body: unknown): Promise<Response> {
    const url = `${ctx.endpoint.url}${path}`
    const response = await this.fetchImpl(url, {
      method,
      headers: ctx.endpoint.headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: ctx.signal,
    })
    if (response.ok) return response
    const text = await response.text().catch(() => '')
    let message = text.slice(0, 300)
    try {
      const parsed = JSON.parse(text) as Partial<ApiErrorBody> & { message?: unknown; detail?: unknown }
      const e = parsed.error as { message?: unknown; param?: unknown } | string | undefined
      if (typeof e === 'string') message = e
      else if (e && typeof e.message === 'string') message = e.param ? `${e.message} (param ${String(e.param)})` : e.message
      else if (typeof parsed.message === 'string') message = parsed.message
      else if (typeof parsed.detail === 'string') message = parsed.detail
    } catch {
      // Not JSON (a proxy's HTML page, say): the start of the text is the message.
    }
    const status = response.status
    const retryable = status === 408 || status === 429 || status >= 500
    const retryAfter = parseRetryAfter(response.headers.get('retry-after'), Date.now())
    throw new OpenAiHttpError(`${method} ${url}: HTTP ${status}: ${message}`, status, retryable, retryable ? retryAfter : undefined)
  }

  /** Reads a streamed choice, emitting token events as chunks arrive. */
  private async readStream(
    response: Response,
    ctx: AttemptContext,
    where: string,
    outcome: ChoiceOutcome,
    emit: (token: TokenInfo, delta: string) => void,
  ): Promise<void> {
    if (!response.body) throw new OpenAiHttpError(`${where}: the response has no body`, 0, true)
    let done = false
    let failure: Error | undefined
    const parser = new SseParser((data) => {
      if (done || failure) return
      if (data === SSE_DONE) {
        done = true
        return
      }
      try {
        readChunk(JSON.parse(data) as unknown, outcome, emit)
      } catch (error) {
        failure = error instanceof Error ? error : new Error(String(error))
      }
    })
    const decoder = new TextDecoder()
    const reader = response.body.getReader()
    try {
      while (!done && !failure) {
        const { value, done: ended } = await reader.read()
        if (ended) break
        ctx.alive()
        parser.push(decoder.decode(value, { stream: true }))
      }
      if (!done && !failure) parser.end()
    } finally {
      if (!done || failure) await reader.cancel().catch(() => undefined)
    }
    if (failure) throw failure
    if (!done && outcome.finish === null) throw new OpenAiHttpError(`${where}: the stream ended before [DONE]`, 0, true)
  }
}

function emptyOutcome(): ChoiceOutcome {
  return { text: '', tokens: [], finish: null, stopReason: null, promptTokens: undefined, completionTokens: undefined, logprobsSeen: false }
}

async function readJson(response: Response, where: string): Promise<unknown> {
  const text = await response.text()
  try {
    return JSON.parse(text) as unknown
  } catch {
    throw new OpenAiHttpError(`${where}: the response is not JSON: ${text.slice(0, 200)}`, response.status, false)
  }
}

/** An error the server sent in place of a result (in a 200 body or mid-stream). */
function serverError(doc: unknown): Error | undefined {
  const e = (doc as { error?: { message?: unknown } | string } | null)?.error
  if (e === undefined || e === null) return undefined
  const message = typeof e === 'string' ? e : typeof e.message === 'string' ? e.message : JSON.stringify(e)
  return new Error(`The server reported an error: ${message}`)
}

function topFromRecord(top: Readonly<Record<string, number>> | null | undefined): TokenLogprob[] {
  if (!top) return []
  return Object.entries(top)
    .sort((a, b) => b[1] - a[1])
    .map(([text, logprob]) => ({ id: -1, text, logprob }))
}

function completionTokens(lp: Partial<CompletionLogprobs>): TokenInfo[] {
  const texts = Array.isArray(lp.tokens) ? lp.tokens : []
  return texts.map((text, i) => ({
    id: -1,
    text: String(text),
    logprob: typeof lp.token_logprobs?.[i] === 'number' ? (lp.token_logprobs[i] as number) : NaN,
    top: topFromRecord(lp.top_logprobs?.[i]),
  }))
}

function chatTokens(lp: Partial<ChatLogprobs>): TokenInfo[] {
  const content: readonly ChatTokenLogprob[] = Array.isArray(lp.content) ? lp.content : []
  return content.map((t) => ({
    id: -1,
    text: String(t.token),
    logprob: typeof t.logprob === 'number' ? t.logprob : NaN,
    top: (t.top_logprobs ?? []).map((a) => ({ id: -1, text: String(a.token), logprob: a.logprob })),
  }))
}

interface WireChoice {
  text?: unknown
  message?: { content?: unknown }
  delta?: { content?: unknown }
  logprobs?: (Partial<CompletionLogprobs> & Partial<ChatLogprobs>) | null
  finish_reason?: unknown
  stop_reason?: unknown
}

function tokensOf(choice: WireChoice): TokenInfo[] | undefined {
  const lp = choice.logprobs
  if (!lp) return undefined
  if (Array.isArray(lp.content)) return chatTokens(lp)
  if (Array.isArray(lp.tokens)) return completionTokens(lp)
  return undefined
}

function readUsage(doc: { usage?: { prompt_tokens?: unknown; completion_tokens?: unknown } | null }, outcome: ChoiceOutcome): void {
  if (typeof doc.usage?.prompt_tokens === 'number') outcome.promptTokens = doc.usage.prompt_tokens
  if (typeof doc.usage?.completion_tokens === 'number') outcome.completionTokens = doc.usage.completion_tokens
}

/** Reads a whole (non-streamed) response into `outcome`. */
function readChoice(doc: unknown, outcome: ChoiceOutcome): void {
  const error = serverError(doc)
  if (error) throw error
  const choice = (doc as { choices?: WireChoice[] }).choices?.[0]
  if (!choice) throw new Error(`The server's response has no choices: ${JSON.stringify(doc).slice(0, 200)}`)
  const text = choice.message !== undefined ? choice.message.content : choice.text
  outcome.text = typeof text === 'string' ? text : ''
  const tokens = tokensOf(choice)
  outcome.tokens = tokens ?? []
  outcome.logprobsSeen = tokens !== undefined
  outcome.finish = typeof choice.finish_reason === 'string' ? choice.finish_reason : 'stop'
  outcome.stopReason = choice.stop_reason ?? null
  readUsage(doc as Parameters<typeof readUsage>[0], outcome)
}

/** Reads one streamed chunk: its tokens become events; the delta goes with the chunk's last token. */
function readChunk(doc: unknown, outcome: ChoiceOutcome, emit: (token: TokenInfo, delta: string) => void): void {
  const error = serverError(doc)
  if (error) throw error
  readUsage(doc as Parameters<typeof readUsage>[0], outcome)
  for (const choice of (doc as { choices?: WireChoice[] }).choices ?? []) {
    const raw = choice.delta !== undefined ? choice.delta.content : choice.text
    const delta = typeof raw === 'string' ? raw : ''
    const tokens = tokensOf(choice)
    if (tokens !== undefined) outcome.logprobsSeen = true
    if (tokens && tokens.length > 0) {
      tokens.forEach((t, i) => emit(t, i === tokens.length - 1 ? delta : ''))
    } else if (delta !== '' && outcome.logprobsSeen) {
      // Text without a token (a cut-short request's held-back tail): it belongs to the result only.
      outcome.text += delta
    } else if (delta !== '') {
      emit({ id: -1, text: delta, logprob: NaN, top: [] }, delta)
    }
    if (typeof choice.finish_reason === 'string') {
      outcome.finish = choice.finish_reason
      outcome.stopReason = choice.stop_reason ?? null
    }
  }
}

/** Tokens, padded with placeholders up to the server's count when it sent no log-probabilities. */
function padTokens(outcome: ChoiceOutcome): TokenInfo[] {
  const count = outcome.completionTokens
  if (outcome.logprobsSeen || count === undefined || count <= outcome.tokens.length) return outcome.tokens
  const pad = Array.from({ length: count - outcome.tokens.length }, () => ({ id: -1, text: '', logprob: NaN, top: [] }))
  return [...outcome.tokens, ...pad]
}

/**
 * The finish reason in core's terms. OpenAI says `stop` for both an end-of-sequence token and a
 * stop string; vLLM's `stop_reason` names the string. Without it, a stop string is recognised when
 * the generated tokens run on past the text into one.
 */
function finishOf(outcome: ChoiceOutcome, stops: readonly string[]): { finishReason: FinishReason; stopString?: string } {
  if (outcome.finish === 'length') return { finishReason: 'length' }
  if (outcome.finish === 'abort') return { finishReason: 'cancelled' }
  if (typeof outcome.stopReason === 'string' && outcome.stopReason !== '') return { finishReason: 'stop', stopString: outcome.stopReason }
  if (stops.length > 0 && outcome.logprobsSeen) {
    const joined = outcome.tokens.map((t) => t.text).join('')
    if (joined.startsWith(outcome.text)) {
      const rest = joined.slice(outcome.text.length)
      const hit = stops.find((s) => rest.startsWith(s))
      if (hit !== undefined) return { finishReason: 'stop', stopString: hit }
    }
  }
  return { finishReason: 'eos' }
}

/** Core's tokens/s: tokens after the first over the time since the first; else over the whole request. */
function tokensPerSecond(tokens: number, decodeMs: number, totalMs: number): number {
  if (tokens === 0) return 0
  if (tokens > 1 && decodeMs > 0) return ((tokens - 1) * 1000) / decodeMs
  return totalMs > 0 ? (tokens * 1000) / totalMs : 0
}

/**
 * The index of the first continuation token: the token holding the prompt's end (the first token
 * at or after it, or the one before that when it straddles the boundary).
 */
function continuationStart(offsets: readonly number[], texts: readonly string[], promptLength: number): number {
  let start = offsets.findIndex((o) => o >= promptLength)
  if (start < 0) start = offsets.length
  if (start > 0 && offsets[start - 1] < promptLength && offsets[start - 1] + texts[start - 1].length > promptLength) start--
  return start
}
