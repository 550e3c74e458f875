/**
 * @module electron/server/server
 * The browser transport of the app: HTTP + WebSocket over the same backend the desktop app uses.
 *
 * - `POST /api/<channel>` with the JSON payload answers the `Result` as JSON (HTTP 200 for every
 *   Result; 404 for an unknown channel, 400 for a body that is not JSON, both with a Result body).
 * - `GET /api/ws` upgrades to a WebSocket that carries every backend event as
 *   `{type: 'event', channel, payload}`, and also answers `{type: 'request', id, channel, payload}`
 *   with `{type: 'response', id, result}`.
 * - Anything else is a file of the built renderer.
 *
 * Every request and upgrade needs the token (`?token=`, `Authorization: Bearer`, or the cookie set
 * when the token was presented); otherwise 403, and the socket is refused.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type WebSocket } from 'ws'
import {
  API_PATH_PREFIX,
  TOKEN_QUERY,
  WS_PATH,
  fail,
  isRequestChannel,
  type Result,
  type WsClientMessage,
  type WsServerMessage,
} from '../../core/contract/api.ts'
import type { Backend } from '../app/backend.ts'
import { authenticate, newToken, tokenCookie } from './auth.ts'
import { securityHeaders, serveStatic } from './static.ts'

/** The largest request body (a notebook with long templates fits many times over). */
export const MAX_BODY_BYTES = 32 * 1024 * 1024
/** A socket whose unsent events exceed this is closed (the page reconnects and reloads its state). */
export const MAX_BUFFERED_BYTES = 64 * 1024 * 1024

/** Options of `startServer`. */
export interface ServerOptions {
  readonly backend: Pick<Backend, 'handle' | 'events'>
  /** Where the built renderer is (`dist/renderer`). */
  readonly rendererDir: string
  /** Default 127.0.0.1. */
  readonly host?: string
  /** Default 0: a free port. */
  readonly port?: number
  /** Default: a fresh random token. */
  readonly token?: string
  readonly log?: (message: string) => void
}

/** A listening server. */
export interface RunningServer {
  /** The URL to open: `http://HOST:PORT/?token=T`. */
  readonly url: string
  /** `http://HOST:PORT`. */
  readonly origin: string
  readonly host: string
  readonly port: number
  readonly token: string
  /** Stops listening, closes the sockets and stops forwarding events. */
  close(): Promise<void>
}

/** The host as it goes in a URL: a wildcard address becomes loopback, IPv6 gets brackets. */
function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1'
  return host.includes(':') ? `[${host}]` : host
}

function sendJson(response: ServerResponse, status: number, headers: Record<string, string>, body: unknown): void {
  const text = JSON.stringify(body)
  response.writeHead(status, {
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'content-length': String(Buffer.byteLength(text)),
  })
  response.end(text)
}

/** Reads the body up to `MAX_BODY_BYTES`; null when it is larger. */
async function readBody(request: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of request) {
    size += (chunk as Buffer).length
    if (size > MAX_BODY_BYTES) return null
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks).toString('utf8')
}

/** True when a browser's `Origin` (if any) is the server's own, so another site's page cannot use a socket. */
function sameOrigin(request: IncomingMessage): boolean {
  const origin = request.headers.origin
  if (origin === undefined) return true
  try {
    return new URL(origin).host === request.headers.host
  } catch {
    return false
  }
}

/** Starts the server; resolves once it listens (with the real port when `port` is 0). */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1'
  const token = options.token ?? newToken()
  const log = options.log ?? ((message: string) => process.stderr.write(`${message}\n`))
  const { backend } = options
  let port = options.port ?? 0

  const sockets = new Set<WebSocket>()
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_BODY_BYTES })

  const sendTo = (socket: WebSocket, message: WsServerMessage | string): void => {
    if (socket.readyState !== socket.OPEN) return
    if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      log('A browser fell too far behind on events; its socket is closed and it will reconnect.')
      socket.close(1013, 'too far behind')
      return
    }
    socket.send(typeof message === 'string' ? message : JSON.stringify(message), (error) => {
      if (error) log(`Sending to a browser failed: ${error.message}`)
    })
  }

  const stopEvents = backend.events((channel, payload) => {
    if (sockets.size === 0) return
    const text = JSON.stringify({ type: 'event', channel, payload } satisfies WsServerMessage)
    for (const socket of sockets) sendTo(socket, text)
  })

  wss.on('connection', (socket: WebSocket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', (error) => log(`A browser socket failed: ${error.message}`))
    socket.on('message', (data, isBinary) => {
      void answerSocket(socket, isBinary ? null : data.toString()).catch((error: unknown) => {
        log(`A socket request failed: ${error instanceof Error ? error.message : String(error)}`)
      })
    })
  })

  const answerSocket = async (socket: WebSocket, text: string | null): Promise<void> => {
    let message: Partial<WsClientMessage>
    try {
      message = JSON.parse(text ?? '') as Partial<WsClientMessage>
    } catch {
      sendTo(socket, { type: 'response', id: -1, result: fail('invalid-request', 'A socket message must be JSON text.') })
      return
    }
    if (message?.type !== 'request' || typeof message.id !== 'number') {
      const id = typeof message?.id === 'number' ? message.id : -1
      sendTo(socket, { type: 'response', id, result: fail('invalid-request', 'Expected {type: "request", id: number, channel, payload}.') })
      return
    }
    const result = await backend.handle(String(message.channel), message.payload, { transport: 'ws' })
    sendTo(socket, { type: 'response', id: message.id, result })
  }

  const answerApi = async (
    request: IncomingMessage,
    response: ServerResponse,
    url: URL,
    headers: Record<string, string>,
  ): Promise<void> => {
    if (url.pathname === WS_PATH) {
      sendJson(response, 426, { ...headers, upgrade: 'websocket' }, fail('invalid-request', `${WS_PATH} is a WebSocket endpoint.`))
      return
    }
    if (request.method !== 'POST') {
      sendJson(response, 405, { ...headers, allow: 'POST' }, fail('invalid-request', 'API requests are POST with a JSON body.'))
      return
    }
    const type = request.headers['content-type'] ?? ''
    if (!/^application\/json\b/i.test(type)) {
      // Browsers send JSON cross-site only after a preflight this server never approves.
      sendJson(response, 415, headers, fail('invalid-request', 'API requests need Content-Type: application/json.'))
      return
    }
    let channel: string
    try {
      channel = decodeURIComponent(url.pathname.slice(API_PATH_PREFIX.length))
    } catch {
      sendJson(response, 404, headers, fail('invalid-request', 'Bad channel encoding in the path.'))
      return
    }
    const body = await readBody(request)
    if (body === null) {
      sendJson(response, 413, headers, fail('invalid-request', `The request body exceeds ${MAX_BODY_BYTES} bytes.`))
      return
    }
    let payload: unknown
    try {
      payload = body.trim() === '' ? undefined : JSON.parse(body)
    } catch (error) {
      sendJson(response, 400, headers, fail('invalid-request', `The request body is not valid JSON: ${(error as Error).message}`))
      return
    }
    const result: Result<unknown> = await backend.handle(channel, payload, { transport: 'http' })
    sendJson(response, isRequestChannel(channel) ? 200 : 404, headers, result)
  }

  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://server.invalid')
    const headers = securityHeaders(request)
    const credential = authenticate(request, url, token, port)
    if (credential === null) {
      const body = 'Forbidden: this sftbench server needs its access token. Open the URL that `sftbench serve` printed.\n'
      response.writeHead(403, { ...headers, 'content-type': 'text/plain; charset=utf-8', 'content-length': String(Buffer.byteLength(body)) })
      response.end(body)
      return
    }
    if (credential === 'query') headers['set-cookie'] = tokenCookie(port, token)
    const work = url.pathname.startsWith(API_PATH_PREFIX)
      ? answerApi(request, response, url, headers)
      : serveStatic(request, response, url, options.rendererDir, headers)
    work.catch((error: unknown) => {
      log(`${request.method} ${url.pathname} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`)
      if (!response.headersSent) sendJson(response, 500, headers, fail('internal', (error as Error).message))
      else response.destroy()
    })
  })

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(request.url ?? '/', 'http://server.invalid')
    const refuse = (status: string): void => {
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
    }
    if (url.pathname !== WS_PATH) return refuse('404 Not Found')
    if (authenticate(request, url, token, port) === null || !sameOrigin(request)) return refuse('403 Forbidden')
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request))
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('The server did not report its port.')
  port = address.port
  const origin = `http://${urlHost(host)}:${port}`

  return {
    url: `${origin}/?${TOKEN_QUERY}=${token}`,
    origin,
    host,
    port,
    token,
    async close() {
      stopEvents()
      for (const socket of sockets) socket.terminate()
      await new Promise<void>((resolve) => wss.close(() => resolve()))
      server.closeAllConnections()
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())))
    },
  }
}
