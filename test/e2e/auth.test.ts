// @vitest-environment node
/**
 * `sftbench serve` refuses everything without the token: the page, static files, API requests and
 * the WebSocket; with the token (query, bearer header, or the cookie the first page load sets) the
 * same requests succeed. A browser without the token sees a refusal, not the app.
 */
import { describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import {
  E2E_TIMEOUT_MS,
  e2eUnavailable,
  newPage,
  screenshot,
} from './harness.ts'
import { e2eEnv } from './env.ts'

const unavailable = e2eUnavailable()

/** Whether a WebSocket to `url` opens (true) or is refused, with the HTTP status of the refusal. */
function tryWebSocket(url: string, headers: Record<string, string> = {}): Promise<{ open: boolean; status: number | null }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers })
    ws.on('open', () => {
      ws.close()
      resolve({ open: true, status: null })
    })
    ws.on('unexpected-response', (_req, res) => {
      resolve({ open: false, status: res.statusCode ?? null })
      res.resume()
      ws.terminate()
    })
    ws.on('error', () => resolve({ open: false, status: null }))
  })
}

describe.skipIf(unavailable !== null)(unavailable === null ? 'access token of sftbench serve (e2e)' : `e2e skipped: ${unavailable}`, () => {
  const env = e2eEnv()

  it('the printed URL is loopback with a long random token', () => {
    expect(env.server.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(env.server.token.length).toBeGreaterThanOrEqual(20)
  })

  it('refuses the page, a static file, an API request and the WebSocket without the token', async () => {
    const page = await fetch(`${env.server.origin}/`)
    expect(page.status).toBe(403)
    const html = await fetch(`${env.server.url}`).then((r) => r.text())
    const asset = /src="\.\/(assets\/[^"]+\.js)"/.exec(html)?.[1]
    expect(asset).toBeDefined()
    expect((await fetch(`${env.server.origin}/${asset}`)).status).toBe(403)
    const api = await fetch(`${env.server.origin}/api/wb:app.info`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
    expect(api.status).toBe(403)
    const wrong = await fetch(`${env.server.origin}/api/wb:app.info`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${env.server.token.slice(1)}x` },
      body: '{}',
    })
    expect(wrong.status).toBe(403)
    const ws = await tryWebSocket(`${env.server.origin.replace('http', 'ws')}/api/ws`)
    expect(ws).toEqual({ open: false, status: 403 })
    const wsWrong = await tryWebSocket(`${env.server.origin.replace('http', 'ws')}/api/ws?token=${'0'.repeat(env.server.token.length)}`)
    expect(wsWrong).toEqual({ open: false, status: 403 })
  })

  it('accepts the token as a query, a bearer header, or the cookie set by the first page load', async () => {
    const first = await fetch(env.server.url)
    expect(first.status).toBe(200)
    const cookie = (first.headers.get('set-cookie') ?? '').split(';')[0]
    expect(first.headers.get('set-cookie')).toMatch(/HttpOnly/i)
    expect(first.headers.get('set-cookie')).toMatch(/SameSite=Strict/i)
    const viaCookie = await fetch(`${env.server.origin}/api/wb:app.info`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: '{}' })
    expect(viaCookie.status).toBe(200)
    expect(((await viaCookie.json()) as { ok: boolean }).ok).toBe(true)
    const viaHeader = await fetch(`${env.server.origin}/api/wb:app.info`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${env.server.token}` },
      body: '{}',
    })
    expect(viaHeader.status).toBe(200)
    expect(await tryWebSocket(`${env.server.origin.replace('http', 'ws')}/api/ws?token=${env.server.token}`)).toEqual({ open: true, status: null })
    expect(await tryWebSocket(`${env.server.origin.replace('http', 'ws')}/api/ws`, { cookie })).toEqual({ open: true, status: null })
  })

  it(
    'a browser without the token gets a refusal instead of the app',
    async () => {
      const page = await newPage(env.browser)
      try {
        const response = await page.goto(`${env.server.origin}/`)
        expect(response?.status()).toBe(403)
        expect(await page.locator('#root').count()).toBe(0)
        await screenshot(page, 'auth-refused')
      } finally {
        await page.context().close()
      }
    },
    E2E_TIMEOUT_MS,
  )
})
