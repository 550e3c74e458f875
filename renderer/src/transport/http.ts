/**
 * The browser transport for `sftbench serve`: requests are `POST /api/<channel>` with a JSON body and
 * answer a `Result`; events arrive over one WebSocket at `/api/ws`, which reconnects with backoff
 * when the server goes away. The access token comes from the page URL the server printed
 * (`?token=T`); the server also sets an HttpOnly cookie, so after the first load the token is
 * removed from the address bar and later requests and reloads ride on the cookie.
 */
import type { EventChannel, EventOf, RequestChannel, RequestOf, ResponseOf, Result, Transport, WsServerMessage } from '../../../core/contract/api.ts'
import { API_PATH_PREFIX, TOKEN_QUERY, WS_PATH } from '../../../core/contract/http-paths.ts'

/** The WebSocket's state, for the status line. */
export type ConnectionState = 'connecting' | 'open' | 'closed'

/** What `httpTransport` needs from the page (injectable for tests). */
export interface HttpEnvironment {
  readonly fetch: typeof fetch
  readonly WebSocket: new (url: string) => WebSocket
  readonly setTimeout: (fn: () => void, ms: number) => unknown
  readonly clearTimeout: (handle: unknown) => void
}

export interface HttpTransportOptions {
  /** The server's origin, e.g. `http://127.0.0.1:8080`. */
  readonly origin: string
  /** The access token, when the page URL carried one (otherwise the cookie authenticates). */
  readonly token: string | null
  readonly env?: HttpEnvironment
  /** First reconnect delay; it doubles up to {@link MAX_BACKOFF_MS}. */
  readonly backoffMs?: number
}

/** The longest wait between two reconnection attempts. */
export const MAX_BACKOFF_MS = 5000

/** The longest stretch spent delivering queued events before yielding to the page. */
export const SLICE_MS = 8

/** A transport over HTTP + WebSocket, with its connection state. */
export interface HttpTransport extends Transport {
  readonly connection: () => ConnectionState
  /** Listens to connection changes; returns the function that stops listening. */
  onConnection(listener: (state: ConnectionState) => void): () => void
  /** Closes the socket for good. */
  close(): void
}

function defaultEnv(): HttpEnvironment {
  return {
    fetch: (input, init) => fetch(input, init),
    WebSocket,
    setTimeout: (fn, ms) => setTimeout(fn, ms),
    clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
  }
}

/** Reads a Result from a response, or describes why there is none. */
async function resultOf(response: Response, channel: string): Promise<Result<unknown>> {
  const text = await response.text()
  try {
    const body = JSON.parse(text) as Result<unknown>
    if (body && typeof body === 'object' && typeof body.ok === 'boolean') return body
  } catch {
    // Not JSON: fall through to a message built from the status.
  }
  if (response.status === 403) {
    const message = 'The server refused the request: the access token is missing or wrong. Open the URL that `sftbench serve` printed.'
    return { ok: false, error: { code: 'forbidden', message } }
  }
  const snippet = text.length > 200 ? `${text.slice(0, 200)}…` : text
  return { ok: false, error: { code: 'internal', message: `${channel}: HTTP ${response.status} ${snippet}`.trim() } }
}

/** A transport to the `sftbench serve` at `origin`. */
export function httpTransport(options: HttpTransportOptions): HttpTransport {
  const env = options.env ?? defaultEnv()
  const listeners = new Map<string, Set<(payload: unknown) => void>>()
  const connectionListeners = new Set<(state: ConnectionState) => void>()
  let state: ConnectionState = 'connecting'
  let socket: WebSocket | null = null
  let closed = false
  let backoff = options.backoffMs ?? 250
  let timer: unknown = null

  const setState = (next: ConnectionState): void => {
    if (next === state) return
    state = next
    for (const l of connectionListeners) l(next)
  }

  const wsUrl = (): string => {
    const url = new URL(WS_PATH, options.origin)
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:'
    if (options.token) url.searchParams.set(TOKEN_QUERY, options.token)
    return url.toString()
  }

  // Events are parsed and delivered in slices of at most SLICE_MS, in order, each slice in a task of
  // its own: the browser may hand over thousands of socket messages at once (a sweep's burst), and
  // parsing them all in one go would hold the main thread.
  const inbox: string[] = []
  let head = 0
  let draining = false
  const deliver = (text: string): void => {
    let parsed: WsServerMessage
    try {
      parsed = JSON.parse(text) as WsServerMessage
    } catch {
      return
    }
    if (parsed.type !== 'event') return
    const set = listeners.get(parsed.channel)
    if (set) for (const l of [...set]) l(parsed.payload)
  }
  const drain = (): void => {
    const until = performance.now() + SLICE_MS
    while (head < inbox.length && performance.now() < until) deliver(inbox[head++])
    if (head < inbox.length) return void env.setTimeout(drain, 0)
    inbox.length = 0
    head = 0
    draining = false
  }
  const scheduleDrain = (): void => {
    if (draining) return
    draining = true
    env.setTimeout(drain, 0)
  }

  const connect = (): void => {
    if (closed) return
    setState('connecting')
    const ws = new env.WebSocket(wsUrl())
    socket = ws
    ws.onopen = () => {
      backoff = options.backoffMs ?? 250
      setState('open')
    }
    ws.onmessage = (message: MessageEvent) => {
      if (typeof message.data !== 'string') return
      inbox.push(message.data)
      scheduleDrain()
    }
    ws.onclose = () => {
      if (socket !== ws) return
      socket = null
      setState('closed')
      if (closed) return
      timer = env.setTimeout(connect, backoff)
      backoff = Math.min(backoff * 2, MAX_BACKOFF_MS)
    }
  }
  connect()

  const headers: Record<string, string> = { 'content-type': 'application/json' }
  if (options.token) headers.authorization = `Bearer ${options.token}`

  return {
    async request<C extends RequestChannel>(channel: C, payload: RequestOf<C>): Promise<Result<ResponseOf<C>>> {
      let response: Response
      try {
        response = await env.fetch(new URL(`${API_PATH_PREFIX}${channel}`, options.origin).toString(), {
          method: 'POST',
          headers,
          body: JSON.stringify(payload ?? {}),
          credentials: 'same-origin',
        })
      } catch (e) {
        const why = e instanceof Error ? e.message : String(e)
        const message = `The sftbench server at ${options.origin} cannot be reached (${why}). Is \`sftbench serve\` still running?`
        return { ok: false, error: { code: 'unavailable', message } }
      }
      return (await resultOf(response, channel)) as Result<ResponseOf<C>>
    },
    subscribe<E extends EventChannel>(channel: E, listener: (payload: EventOf<E>) => void): () => void {
      const set = listeners.get(channel) ?? new Set()
      listeners.set(channel, set)
      const wrapped = (payload: unknown): void => listener(payload as EventOf<E>)
      set.add(wrapped)
      return () => set.delete(wrapped)
    },
    connection: () => state,
    onConnection(listener) {
      connectionListeners.add(listener)
      return () => connectionListeners.delete(listener)
    },
    close() {
      closed = true
      if (timer !== null) env.clearTimeout(timer)
      socket?.close()
      socket = null
      setState('closed')
    },
  }
}

/**
 * The token in a page URL (`?token=T`), and the same URL without it. The app replaces the address
 * with the clean URL so the token does not linger in history or screenshots; the cookie the server
 * set on that first load authenticates reloads.
 */
export function takeToken(href: string): { token: string | null; clean: string } {
  const url = new URL(href)
  const token = url.searchParams.get(TOKEN_QUERY)
  url.searchParams.delete(TOKEN_QUERY)
  return { token: token && token.length > 0 ? token : null, clean: url.toString() }
}
