/**
 * Helpers of the HTTP tests: a `ModelClient` wrapper that counts what a server asked of the model,
 * small scripted HTTP servers (for failures the real server never produces), and a recording sleep.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import type {
  AbortSignalLike,
  GenerateEvent,
  GeneratePrompt,
  GenerateRequest,
  GenerateResult,
  ModelClient,
  ModelInfo,
  ScoreRequest,
  ScoreResult,
} from '../../../core/model/client.ts'

/** A client that forwards to `inner` and records the requests, results and cancellations. */
export interface CountingClient extends ModelClient {
  readonly requests: GenerateRequest[]
  readonly results: Map<string, Promise<GenerateResult>>
  readonly cancelled: (string | undefined)[]
}

/** Wraps `inner` (not disposed by the wrapper's `dispose`, so several servers can share one model). */
export function countingClient(inner: ModelClient): CountingClient {
  const requests: GenerateRequest[] = []
  const results = new Map<string, Promise<GenerateResult>>()
  const cancelled: (string | undefined)[] = []
  return {
    requests,
    results,
    cancelled,
    info: (): Promise<ModelInfo> => inner.info(),
    generate(request: GenerateRequest, onEvent?: (e: GenerateEvent) => void, signal?: AbortSignalLike) {
      requests.push(request)
      const result = inner.generate(request, onEvent, signal)
      results.set(request.id ?? `#${requests.length}`, result)
      return result
    },
    generateBatch(rs: readonly GenerateRequest[], onEvent?: (e: GenerateEvent) => void, signal?: AbortSignalLike) {
      requests.push(...rs)
      return inner.generateBatch(rs, onEvent, signal)
    },
    score: (r: ScoreRequest): Promise<ScoreResult> => inner.score(r),
    tokenize: (p: GeneratePrompt): Promise<number[]> => {
      if (!inner.tokenize) throw new Error('the inner client cannot tokenize')
      return inner.tokenize(p)
    },
    cancel(id?: string) {
      cancelled.push(id)
      inner.cancel(id)
    },
    dispose: async () => undefined,
  }
}

/** A request a scripted server received. */
export interface SeenRequest {
  readonly method: string
  readonly url: string
  readonly headers: http.IncomingHttpHeaders
  readonly body: Record<string, unknown> | null
  /** 1-based arrival number. */
  readonly n: number
}

/** A scripted HTTP server. */
export interface FakeServer {
  readonly url: string
  readonly seen: SeenRequest[]
  /** The most requests that were open at once. */
  readonly maxInFlight: () => number
  /** Requests whose connection closed before the handler finished. */
  readonly aborted: () => number
  close(): Promise<void>
}

/** Starts a server whose `handler` answers each request (it may hold the response as long as it likes). */
export async function fakeServer(
  handler: (req: SeenRequest, res: http.ServerResponse, state: { inFlight: number }) => void | Promise<void>,
): Promise<FakeServer> {
  const seen: SeenRequest[] = []
  const state = { inFlight: 0 }
  let max = 0
  let aborted = 0
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = []
    for await (const c of req) chunks.push(c as Buffer)
    const text = Buffer.concat(chunks).toString('utf8')
    const request: SeenRequest = {
      method: req.method ?? '',
      url: req.url ?? '',
      headers: req.headers,
      body: text ? (JSON.parse(text) as Record<string, unknown>) : null,
      n: seen.length + 1,
    }
    seen.push(request)
    state.inFlight++
    max = Math.max(max, state.inFlight)
    res.on('close', () => {
      state.inFlight--
      if (!res.writableFinished) aborted++
    })
    await handler(request, res, state)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${port}/v1`,
    seen,
    maxInFlight: () => max,
    aborted: () => aborted,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** Writes a JSON response. */
export function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers })
  res.end(JSON.stringify(body))
}

/** A completions response with one choice. */
export function completion(text: string, extra: Record<string, unknown> = {}, usage = { prompt_tokens: 3, completion_tokens: 2 }): unknown {
  return {
    id: 'cmpl-1',
    object: 'text_completion',
    created: 0,
    model: 'm',
    choices: [{ index: 0, text, logprobs: null, finish_reason: 'length', ...extra }],
    usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
  }
}

/** An OpenAI error body. */
export function apiError(message: string, param: string | null = null): unknown {
  return { error: { message, type: 'invalid_request_error', param, code: null } }
}

/** A sleep that records each wait and returns at once. */
export function recordingSleep(): { sleep: (ms: number) => Promise<void>; waits: number[] } {
  const waits: number[] = []
  return { waits, sleep: async (ms) => void waits.push(ms) }
}

/** Resolves when `check` is true (polling), or rejects after `ms`. */
export async function eventually(check: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time')
    await new Promise((r) => setTimeout(r, 10))
  }
}
