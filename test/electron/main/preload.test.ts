// The preload, against a mocked `electron`: it exposes one object with two functions, passes the
// contract's channels through and refuses every other name, and never hands the IPC event (which
// carries the sender) to the page.
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { EVENT_CHANNELS, REQUEST_CHANNELS } from '../../../core/contract/api.ts'

const electron = vi.hoisted(() => {
  type Listener = (event: unknown, payload: unknown) => void
  const exposed: [string, unknown][] = []
  const listeners = new Map<string, Set<Listener>>()
  const invoke = vi.fn(async (channel: string, payload: unknown): Promise<unknown> => ({ ok: true, value: { channel, payload } }))
  return {
    exposed,
    listeners,
    invoke,
    emit(channel: string, payload: unknown) {
      for (const listener of listeners.get(channel) ?? []) listener({ sender: 'the main process', ports: [] }, payload)
    },
  }
})

vi.mock('electron', () => ({
  contextBridge: {
    exposeInMainWorld: (key: string, api: unknown) => {
      electron.exposed.push([key, api])
    },
  },
  ipcRenderer: {
    invoke: electron.invoke,
    on: (channel: string, listener: (event: unknown, payload: unknown) => void) => {
      if (!electron.listeners.has(channel)) electron.listeners.set(channel, new Set())
      electron.listeners.get(channel)!.add(listener)
    },
    removeListener: (channel: string, listener: (event: unknown, payload: unknown) => void) => {
      electron.listeners.get(channel)?.delete(listener)
    },
  },
}))

interface Bridge {
  request(channel: unknown, payload: unknown): Promise<unknown>
  subscribe(channel: unknown, listener: unknown): () => void
}

let bridge: Bridge
let globalsBefore: string[]
let globalsAfter: string[]

beforeAll(async () => {
  globalsBefore = Object.getOwnPropertyNames(globalThis)
  await import('../../../electron/main/preload.ts')
  globalsAfter = Object.getOwnPropertyNames(globalThis)
  bridge = electron.exposed[0][1] as Bridge
})
beforeEach(() => {
  electron.invoke.mockClear()
})

describe('preload: what it exposes', () => {
  it('exposes exactly one object, window.workbench, with request and subscribe only', () => {
    expect(electron.exposed.map(([key]) => key)).toEqual(['workbench'])
    expect(Object.keys(bridge).sort()).toEqual(['request', 'subscribe'])
    expect(typeof bridge.request).toBe('function')
    expect(typeof bridge.subscribe).toBe('function')
  })

  it('defines no globals of its own (no require, no ipcRenderer, no process)', () => {
    expect(globalsAfter.filter((name) => !globalsBefore.includes(name))).toEqual([])
  })
})

describe('preload: request', () => {
  it('passes every request channel of the contract to ipcRenderer.invoke, payload untouched', async () => {
    for (const channel of REQUEST_CHANNELS) {
      const payload = { marker: channel }
      expect(await bridge.request(channel, payload)).toEqual({ ok: true, value: { channel, payload } })
    }
    expect(electron.invoke.mock.calls.map(([channel]) => channel)).toEqual([...REQUEST_CHANNELS])
  })

  it.each([
    'wb:nope',
    'wb:sweeps.event',
    'fs.readFile',
    'vscode:openWindow',
    '__proto__',
    'constructor',
    'hasOwnProperty',
    '',
    42,
    null,
    { toString: () => 'wb:app.info' },
  ])('refuses %s with an invalid-request result, without touching IPC', async (channel) => {
    const result = (await bridge.request(channel, {})) as { ok: boolean; error: { code: string; message: string } }
    expect(result.ok).toBe(false)
    expect(result.error.code).toBe('invalid-request')
    expect(result.error.message).toMatch(/not a request channel of the contract/)
    expect(electron.invoke).not.toHaveBeenCalled()
  })

  it('turns a failed IPC call into an internal result instead of a rejection', async () => {
    electron.invoke.mockRejectedValueOnce(new Error('the main process is gone'))
    expect(await bridge.request('wb:app.info', {})).toEqual({
      ok: false,
      error: { code: 'internal', message: 'The request wb:app.info did not reach the app: the main process is gone' },
    })
  })
})

describe('preload: subscribe', () => {
  it('forwards the payload of an event channel, never the IPC event, until unsubscribed', () => {
    for (const channel of EVENT_CHANNELS) {
      const received: unknown[] = []
      const stop = bridge.subscribe(channel, (...args: unknown[]) => received.push(args))
      electron.emit(channel, { n: 1 })
      stop()
      electron.emit(channel, { n: 2 })
      expect(received).toEqual([[{ n: 1 }]])
      expect(electron.listeners.get(channel)?.size).toBe(0)
    }
  })

  it.each(['wb:app.info', 'wb:nope', 'ipc-message', 42])('throws for %s, which is not an event channel', (channel) => {
    expect(() => bridge.subscribe(channel, () => {})).toThrow(/not an event channel of the contract/)
  })

  it('throws when the listener is not a function', () => {
    expect(() => bridge.subscribe('wb:sweeps.event', 'alert(1)')).toThrow(/needs a function/)
  })
})
