// The HTTP + WebSocket transport over real sockets on an ephemeral port: the token (query, Bearer,
// cookie) is required for every request, static file and WebSocket upgrade; the API answers
// Results; events reach connected browsers; static files are served inside their folder only.
import fs from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { createBackend, type Backend } from '../../../electron/app/backend.ts'
import { startServer, type RunningServer } from '../../../electron/server/server.ts'
import { tokensEqual } from '../../../electron/server/auth.ts'

let base: string
let backend: Backend
let server: RunningServer
let rendererDir: string

beforeAll(async () => {
  base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'sftbench-server-')))
  const ws = path.join(base, 'ws')
  rendererDir = path.join(base, 'renderer')
  fs.mkdirSync(ws)
  fs.mkdirSync(path.join(rendererDir, 'assets'), { recursive: true })
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>sftbench</title><script type="module" src="./assets/app.js"></script>')
  fs.writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'console.log("app")')
  fs.writeFileSync(path.join(base, 'secret.txt'), 'secret')
  fs.symlinkSync(path.join(base, 'secret.txt'), path.join(rendererDir, 'leak.txt'))
  backend = await createBackend({ workspace: ws, log: () => {} })
  server = await startServer({ backend, rendererDir, port: 0, log: () => {} })
})
afterAll(async () => {
  await server.close()
  await backend.dispose()
  fs.rmSync(base, { recursive: true, force: true })
})

/** A raw request (fetch would normalise `..` in paths and forbids some headers). */
function raw(pathname: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: server.port, path: pathname, method: options.method ?? 'GET', headers: options.headers }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => (body += chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
    })
    req.on('error', reject)
    req.end(options.body)
  })
}

const bearer = (): Record<string, string> => ({ authorization: `Bearer ${server.token}` })
const json = { 'content-type': 'application/json' }

function post(channel: string, payload: unknown, headers: Record<string, string> = bearer()): ReturnType<typeof raw> {
  return raw(`/api/${channel}`, { method: 'POST', headers: { ...json, ...headers }, body: JSON.stringify(payload) })
}

describe('the access token', () => {
  it('is 128 random bits in the printed URL, on loopback', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`)
    expect(Buffer.from(server.token, 'base64url')).toHaveLength(16)
    expect(server.port).toBeGreaterThan(0)
  })

  it('without it, pages, files and the API are refused with 403', async () => {
    for (const p of ['/', '/index.html', '/assets/app.js', '/nope']) expect((await raw(p)).status).toBe(403)
    expect((await post('wb:app.info', {}, {})).status).toBe(403)
  })

  it('a wrong token is refused in every place it can be given', async () => {
    const wrong = `${server.token.slice(0, -1)}${server.token.endsWith('A') ? 'B' : 'A'}`
    expect((await raw(`/?token=${wrong}`)).status).toBe(403)
    expect((await post('wb:app.info', {}, { authorization: `Bearer ${wrong}` })).status).toBe(403)
    expect((await raw('/', { headers: { cookie: `sftbench_token_${server.port}=${wrong}` } })).status).toBe(403)
  })

  it("another server's cookie (another port) does not open this one", async () => {
    expect((await raw('/', { headers: { cookie: `sftbench_token_${server.port + 1}=${server.token}` } })).status).toBe(403)
  })

  it('GET /?token=T answers 200 with the app and sets an HttpOnly SameSite=Strict cookie', async () => {
    const page = await raw(`/?token=${server.token}`)
    expect(page.status).toBe(200)
    expect(page.body).toContain('<title>sftbench</title>')
    const cookie = String(page.headers['set-cookie'])
    expect(cookie).toContain(`sftbench_token_${server.port}=${server.token}`)
    expect(cookie).toMatch(/HttpOnly/)
    expect(cookie).toMatch(/SameSite=Strict/)
    // The cookie alone now opens files and the API.
    const cookieHeader = { cookie: cookie.split(';')[0] }
    expect((await raw('/assets/app.js', { headers: cookieHeader })).status).toBe(200)
    expect((await post('wb:app.info', {}, cookieHeader)).status).toBe(200)
  })

  it('compares tokens by value only', () => {
    expect(tokensEqual('abc', 'abc')).toBe(true)
    expect(tokensEqual('abc', 'abd')).toBe(false)
    expect(tokensEqual('abc', 'abcd')).toBe(false)
    expect(tokensEqual('', 'abc')).toBe(false)
  })
})

describe('the API over HTTP', () => {
  it('answers a request with its Result', async () => {
    const response = await post('wb:app.info', {})
    expect(response.status).toBe(200)
    expect(response.headers['content-type']).toMatch(/application\/json/)
    expect(JSON.parse(response.body)).toMatchObject({ ok: true, value: { mode: 'browser', workspace: path.join(base, 'ws') } })
  })

  it('an invalid payload is an invalid-request Result naming the field', async () => {
    const body = JSON.parse((await post('wb:levels.generate', { difficulty: 'simple', count: 0 })).body)
    expect(body).toMatchObject({ ok: false, error: { code: 'invalid-request' } })
    expect(body.error.message).toContain('payload.count')
  })

  it('a path outside the workspace is forbidden through the API too', async () => {
    const body = JSON.parse((await post('wb:files.list', { dir: '..' })).body)
    expect(body).toMatchObject({ ok: false, error: { code: 'forbidden' } })
  })

  it('refuses an unknown channel (404), a body that is not JSON (400), GET (405) and other content types (415)', async () => {
    expect((await post('wb:nope', {})).status).toBe(404)
    const bad = await raw('/api/wb:app.info', { method: 'POST', headers: { ...json, ...bearer() }, body: '{oops' })
    expect(bad.status).toBe(400)
    expect(JSON.parse(bad.body)).toMatchObject({ ok: false, error: { code: 'invalid-request' } })
    expect((await raw('/api/wb:app.info', { headers: bearer() })).status).toBe(405)
    expect((await raw('/api/wb:app.info', { method: 'POST', headers: { ...bearer(), 'content-type': 'text/plain' }, body: '{}' })).status).toBe(415)
  })

  it('an empty body is an empty payload', async () => {
    const response = await raw('/api/wb:app.info', { method: 'POST', headers: { ...json, ...bearer() } })
    expect(JSON.parse(response.body)).toMatchObject({ ok: true })
  })
})

describe('static files', () => {
  it('serves files with a strict CSP and no-referrer', async () => {
    const file = await raw('/assets/app.js', { headers: bearer() })
    expect(file.status).toBe(200)
    expect(file.headers['content-type']).toMatch(/text\/javascript/)
    const csp = String(file.headers['content-security-policy'])
    expect(csp).toContain("default-src 'none'")
    const scriptSrc = csp.split(';').find((d) => d.trim().startsWith('script-src')) ?? ''
    expect(scriptSrc.trim()).toBe("script-src 'self'")
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${server.port}`)
    expect(file.headers['referrer-policy']).toBe('no-referrer')
    expect(file.headers['x-content-type-options']).toBe('nosniff')
  })

  it('does not serve anything outside its folder: encoded ../ and symlinks out are 404', async () => {
    expect((await raw('/%2e%2e/secret.txt', { headers: bearer() })).status).toBe(404)
    expect((await raw('/assets/..%2f..%2fsecret.txt', { headers: bearer() })).status).toBe(404)
    expect((await raw('/leak.txt', { headers: bearer() })).status).toBe(404)
    expect((await raw('/missing.js', { headers: bearer() })).status).toBe(404)
  })

  it('without a build, answers 503 with how to build it (after the token check)', async () => {
    const bare = await startServer({ backend, rendererDir: path.join(base, 'no-build'), port: 0, log: () => {} })
    try {
      const denied = await fetch(`${bare.origin}/`)
      expect(denied.status).toBe(403)
      const page = await fetch(bare.url)
      expect(page.status).toBe(503)
      expect(await page.text()).toContain('npm run build:web')
    } finally {
      await bare.close()
    }
  })
})

describe('the WebSocket', () => {
  const wsUrl = (query = ''): string => `ws://127.0.0.1:${server.port}/api/ws${query}`

  function opened(socket: WebSocket): Promise<void> {
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve())
      socket.once('error', reject)
    })
  }

  function refusal(socket: WebSocket): Promise<number> {
    return new Promise((resolve, reject) => {
      socket.once('unexpected-response', (_req, res) => {
        resolve(res.statusCode ?? 0)
        socket.terminate()
      })
      socket.once('error', (error) => {
        const status = /(\d{3})/.exec(error.message)
        if (status) resolve(Number(status[1]))
        else reject(error)
      })
      socket.once('open', () => reject(new Error('the socket opened')))
    })
  }

  it('is refused without the token, with a wrong one, and from another origin', async () => {
    expect(await refusal(new WebSocket(wsUrl()))).toBe(403)
    expect(await refusal(new WebSocket(wsUrl('?token=wrong')))).toBe(403)
    const foreign = new WebSocket(wsUrl(`?token=${server.token}`), { origin: 'http://evil.example' })
    expect(await refusal(foreign)).toBe(403)
  })

  it('opens with the token in the query or the cookie', async () => {
    const byQuery = new WebSocket(wsUrl(`?token=${server.token}`))
    await opened(byQuery)
    byQuery.close()
    const byCookie = new WebSocket(wsUrl(), { headers: { cookie: `sftbench_token_${server.port}=${server.token}` }, origin: server.origin })
    await opened(byCookie)
    byCookie.close()
  })

  it('carries backend events to the page', async () => {
    const socket = new WebSocket(wsUrl(`?token=${server.token}`))
    await opened(socket)
    const received = new Promise<{ type: string; channel: string; payload: { state: string } }>((resolve) => {
      socket.on('message', (data) => {
        const message = JSON.parse(data.toString())
        if (message.type === 'event' && message.channel === 'wb:models.changed' && message.payload.state === 'failed') resolve(message)
      })
    })
    // Loading a folder that is not there fails, and the failure is broadcast as a status event.
    const load = JSON.parse((await post('wb:models.load', { dir: 'no-such-model' })).body)
    expect(load).toMatchObject({ ok: false, error: { code: 'not-found' } })
    expect((await received).payload).toMatchObject({ state: 'failed', error: expect.stringContaining('does not exist') })
    socket.close()
  })

  it('answers requests sent over the socket, by id', async () => {
    const socket = new WebSocket(wsUrl(`?token=${server.token}`))
    await opened(socket)
    const answers: { type: string; id: number; result: { ok: boolean } }[] = []
    const done = new Promise<void>((resolve) => {
      socket.on('message', (data) => {
        const message = JSON.parse(data.toString())
        if (message.type === 'response') answers.push(message)
        if (answers.length === 3) resolve()
      })
    })
    socket.send(JSON.stringify({ type: 'request', id: 7, channel: 'wb:app.info', payload: {} }))
    socket.send(JSON.stringify({ type: 'request', id: 8, channel: 'wb:levels.generate', payload: { count: 0 } }))
    socket.send('not json')
    await done
    const byId = new Map(answers.map((a) => [a.id, a.result.ok]))
    expect(byId.get(7)).toBe(true)
    expect(byId.get(8)).toBe(false)
    expect(byId.get(-1)).toBe(false)
    socket.close()
  })
})
