import { describe, expect, it } from 'vitest'
import { httpTransport, takeToken, type HttpEnvironment } from '../../../renderer/src/transport/http.ts'

/** A fake WebSocket the test drives by hand. */
class FakeSocket {
  static all: FakeSocket[] = []
  onopen: (() => void) | null = null
  onmessage: ((m: { data: unknown }) => void) | null = null
  onclose: (() => void) | null = null
  closed = false
  constructor(readonly url: string) {
    FakeSocket.all.push(this)
  }
  close(): void {
    this.closed = true
    this.onclose?.()
  }
  open(): void {
    this.onopen?.()
  }
  send(data: unknown): void {
    this.onmessage?.({ data })
  }
}

interface Call {
  url: string
  init: { method?: string; headers?: Record<string, string>; body?: string }
}

function env(respond: (call: Call) => Promise<{ status: number; body: string }>): { env: HttpEnvironment; calls: Call[]; timers: { fn: () => void; ms: number }[] } {
  const calls: Call[] = []
  const timers: { fn: () => void; ms: number }[] = []
  FakeSocket.all = []
  return {
    calls,
    timers,
    env: {
      fetch: (async (url: string, init: Call['init']) => {
        const call = { url, init }
        calls.push(call)
        const r = await respond(call)
        return { status: r.status, text: async () => r.body }
      }) as unknown as typeof fetch,
      WebSocket: FakeSocket as unknown as HttpEnvironment['WebSocket'],
      setTimeout: (fn, ms) => timers.push({ fn, ms }),
      clearTimeout: () => undefined,
    },
  }
}

/** Runs queued timers (and the ones they queue) until none is left. */
function runTimers(timers: { fn: () => void; ms: number }[]): void {
  for (let guard = 0; timers.length > 0 && guard < 100_000; guard++) timers.shift()?.fn()
}

const ok = (value: unknown) => async () => ({ status: 200, body: JSON.stringify({ ok: true, value }) })

describe('HTTP + WebSocket transport', () => {
  it('posts the JSON payload to /api/<channel> with the bearer token and returns the Result', async () => {
    const e = env(ok({ state: 'none' }))
    const t = httpTransport({ origin: 'http://127.0.0.1:4000', token: 'abc', env: e.env })
    const r = await t.request('wb:models.status', {})
    expect(r).toEqual({ ok: true, value: { state: 'none' } })
    expect(e.calls[0].url).toBe('http://127.0.0.1:4000/api/wb:models.status')
    expect(e.calls[0].init.method).toBe('POST')
    expect(e.calls[0].init.headers?.authorization).toBe('Bearer abc')
    expect(JSON.parse(e.calls[0].init.body ?? '')).toEqual({})
    expect(FakeSocket.all[0].url).toBe('ws://127.0.0.1:4000/api/ws?token=abc')
    t.close()
  })

  it('without a token it relies on the cookie: no Authorization header, no token in the socket URL', async () => {
    const e = env(ok(null))
    const t = httpTransport({ origin: 'https://host:9', token: null, env: e.env })
    await t.request('wb:app.info', {})
    expect(e.calls[0].init.headers?.authorization).toBeUndefined()
    expect(FakeSocket.all[0].url).toBe('wss://host:9/api/ws')
    t.close()
  })

  it('a 403 without a JSON body becomes a forbidden Result that says how to get in', async () => {
    const e = env(async () => ({ status: 403, body: 'Forbidden' }))
    const t = httpTransport({ origin: 'http://127.0.0.1:1', token: null, env: e.env })
    const r = await t.request('wb:app.info', {})
    expect(r.ok).toBe(false)
    if (!r.ok) {
      expect(r.error.code).toBe('forbidden')
      expect(r.error.message).toContain('sftbench serve')
    }
    t.close()
  })

  it('a network failure becomes an unavailable Result, not a rejection', async () => {
    const e = env(async () => {
      throw new TypeError('Failed to fetch')
    })
    const t = httpTransport({ origin: 'http://127.0.0.1:1', token: null, env: e.env })
    const r = await t.request('wb:app.info', {})
    expect(r).toMatchObject({ ok: false, error: { code: 'unavailable' } })
    t.close()
  })

  it('delivers events to the listeners of their channel until unsubscribed', () => {
    const e = env(ok(null))
    const t = httpTransport({ origin: 'http://h', token: null, env: e.env })
    const got: unknown[] = []
    const stop = t.subscribe('wb:models.changed', (p) => got.push(p))
    const socket = FakeSocket.all[0]
    socket.open()
    socket.send(JSON.stringify({ type: 'event', channel: 'wb:models.changed', payload: { state: 'ready' } }))
    socket.send(JSON.stringify({ type: 'event', channel: 'wb:sweeps.status', payload: 1 }))
    socket.send('not json')
    // Delivery happens in a task of its own, not inside the socket's message handler.
    expect(got).toEqual([])
    runTimers(e.timers)
    expect(got).toEqual([{ state: 'ready' }])
    stop()
    socket.send(JSON.stringify({ type: 'event', channel: 'wb:models.changed', payload: { state: 'none' } }))
    runTimers(e.timers)
    expect(got).toEqual([{ state: 'ready' }])
    t.close()
  })

  it('delivers a burst of 5,000 events completely and in order', () => {
    const e = env(ok(null))
    const t = httpTransport({ origin: 'http://h', token: null, env: e.env })
    const got: number[] = []
    t.subscribe('wb:sweeps.status', (p) => got.push(p as unknown as number))
    const socket = FakeSocket.all[0]
    socket.open()
    for (let i = 0; i < 5000; i++) socket.send(JSON.stringify({ type: 'event', channel: 'wb:sweeps.status', payload: i }))
    runTimers(e.timers)
    expect(got).toEqual(Array.from({ length: 5000 }, (_, i) => i))
    t.close()
  })

  it('reconnects after the socket closes, doubling the wait up to the cap, and reports its state', () => {
    const e = env(ok(null))
    const t = httpTransport({ origin: 'http://h', token: null, env: e.env, backoffMs: 1000 })
    const states: string[] = []
    t.onConnection((s) => states.push(s))
    FakeSocket.all[0].open()
    for (let i = 0; i < 4; i++) {
      FakeSocket.all.at(-1)?.onclose?.()
      e.timers.at(-1)?.fn()
    }
    expect(e.timers.map((x) => x.ms)).toEqual([1000, 2000, 4000, 5000])
    expect(FakeSocket.all.length).toBe(5)
    FakeSocket.all.at(-1)?.open()
    FakeSocket.all.at(-1)?.onclose?.()
    // A successful open resets the backoff.
    expect(e.timers.at(-1)?.ms).toBe(1000)
    expect(states.slice(0, 3)).toEqual(['open', 'closed', 'connecting'])
    t.close()
    expect(t.connection()).toBe('closed')
  })

  it('takes the token out of the page URL', () => {
    expect(takeToken('http://127.0.0.1:5/?token=T0k#nb=a')).toEqual({ token: 'T0k', clean: 'http://127.0.0.1:5/#nb=a' })
    expect(takeToken('http://127.0.0.1:5/')).toEqual({ token: null, clean: 'http://127.0.0.1:5/' })
  })
})
