// The IPC wrapper, against a mocked `electron`: one handler per contract channel; unknown
// channels, foreign senders and invalid payloads are refused with a Result before the backend sees
// them; valid requests get the backend's Result; backend events reach the window.
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { EVENT_CHANNELS, REQUEST_CHANNELS } from '../../../core/contract/api.ts'
import type { EventChannel, RequestChannel, Result } from '../../../core/contract/api.ts'

const electron = vi.hoisted(() => ({
  handlers: new Map<string, (event: unknown, payload: unknown) => Promise<unknown>>(),
}))

vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, handler: (event: unknown, payload: unknown) => Promise<unknown>) => {
      if (electron.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`)
      electron.handlers.set(channel, handler)
    },
    removeHandler: (channel: string) => {
      electron.handlers.delete(channel)
    },
  },
}))

const { handleIpcRequest, registerIpc } = await import('../../../electron/main/ipc.ts')
type IpcOptions = Parameters<typeof registerIpc>[0]

interface FakeFrame {
  processId: number
  routingId: number
  parent: FakeFrame | null
  origin: string
  url: string
}

function mainFrame(): FakeFrame {
  return { processId: 3, routingId: 1, parent: null, origin: 'sftbench://app', url: 'sftbench://app/index.html' }
}

function fakeContents(id = 7) {
  return { id, mainFrame: mainFrame(), destroyed: false, isDestroyed() { return this.destroyed }, send: vi.fn() }
}

type Emit = (channel: EventChannel | string, payload: unknown) => void

function setup() {
  const contents = fakeContents()
  const handle = vi.fn(async (channel: RequestChannel, payload: unknown): Promise<Result<unknown>> => ({
    ok: true,
    value: { answered: channel, payload },
  }))
  let emit: Emit = () => {
    throw new Error('no event listener registered')
  }
  const stopped = vi.fn()
  const log = vi.fn()
  const options = {
    contents,
    handle,
    events: (listener: Emit) => {
      emit = listener
      return stopped
    },
    log,
  } as unknown as IpcOptions
  const dispose = registerIpc(options)
  /** Invokes a registered handler the way ipcMain would. */
  async function invoke(channel: string, payload: unknown, event = { sender: contents, senderFrame: contents.mainFrame as FakeFrame | null }) {
    const handler = electron.handlers.get(channel)
    if (!handler) throw new Error(`No handler registered for '${channel}'`)
    return (await handler(event, payload)) as Result<unknown>
  }
  return { contents, handle, options, dispose, invoke, emit: (c: string, p: unknown) => emit(c, p), stopped, log }
}

type Ipc = ReturnType<typeof setup>
let ipc: Ipc

beforeEach(() => {
  electron.handlers.clear()
  ipc = setup()
})

function expectError(result: Result<unknown>, code: string, message: RegExp): void {
  expect(result.ok).toBe(false)
  if (!result.ok) {
    expect(result.error.code).toBe(code)
    expect(result.error.message).toMatch(message)
  }
}

describe('registerIpc', () => {
  it('registers one handler per request channel of the contract, and only those', () => {
    expect([...electron.handlers.keys()].sort()).toEqual([...REQUEST_CHANNELS].sort())
  })

  it('a valid request reaches the backend and its Result comes back unchanged', async () => {
    const result = { ok: true, value: { state: 'ready' } } as const
    ipc.handle.mockResolvedValueOnce(result)
    expect(await ipc.invoke('wb:models.load', { dir: 'models/tiny' })).toBe(result)
    expect(ipc.handle).toHaveBeenCalledWith('wb:models.load', { dir: 'models/tiny' })
  })

  it("a backend's failure Result comes back unchanged too", async () => {
    const result = { ok: false, error: { code: 'no-model', message: 'Load a model first.' } } as const
    ipc.handle.mockResolvedValueOnce(result)
    expect(await ipc.invoke('wb:generate.start', { requestId: 'r1', prompt: 'Hi' })).toBe(result)
  })

  it('removes its handlers and stops forwarding events when disposed', () => {
    ipc.dispose()
    expect(electron.handlers.size).toBe(0)
    expect(ipc.stopped).toHaveBeenCalledOnce()
  })
})

describe('IPC: invalid payloads', () => {
  it.each([
    ['wb:models.load', { dir: 42 }, /payload\.dir/],
    ['wb:models.load', {}, /payload\.dir/],
    ['wb:models.load', { dir: 'm', provider: 'tpu' }, /payload\.provider/],
    ['wb:runs.read', { dir: 'runs/a', limit: -1 }, /payload\.limit/],
    ['wb:sweeps.cancel', { runId: 'r', extra: true }, /extra/],
    ['wb:notebooks.open', 'notebook.sftnb', /payload/],
  ])('%s %j is refused naming the field, and the backend is not called', async (channel, payload, field) => {
    expectError(await ipc.invoke(channel, payload), 'invalid-request', field)
    expect(ipc.handle).not.toHaveBeenCalled()
  })
})

describe('IPC: foreign senders', () => {
  const cases: [string, (c: ReturnType<typeof fakeContents>) => { sender: unknown; senderFrame: FakeFrame | null }, RegExp][] = [
    ['another window', () => { const other = fakeContents(8); return { sender: other, senderFrame: other.mainFrame } }, /another window/],
    ['a subframe', (c) => ({ sender: c, senderFrame: { ...mainFrame(), routingId: 5, parent: c.mainFrame } }), /subframe/],
    ['another frame object with a different routing id', (c) => ({ sender: c, senderFrame: { ...mainFrame(), routingId: 2 } }), /subframe/],
    ['a file:// page', (c) => ({ sender: c, senderFrame: { ...c.mainFrame, origin: 'file://' } }), /origin "file:\/\/"/],
    ['an opaque origin', (c) => ({ sender: c, senderFrame: { ...c.mainFrame, origin: 'null' } }), /origin "null"/],
    ['a web page', (c) => ({ sender: c, senderFrame: { ...c.mainFrame, origin: 'https://evil.example' } }), /evil\.example/],
    ['a frame that is gone', (c) => ({ sender: c, senderFrame: null }), /no longer exists/],
  ]

  it.each(cases)('refuses a request from %s as forbidden, before the backend', async (_name, makeEvent, reason) => {
    const event = makeEvent(ipc.contents)
    expectError(await ipc.invoke('wb:app.info', {}, event as never), 'forbidden', reason)
    expect(ipc.handle).not.toHaveBeenCalled()
  })

  it('checks the sender before the payload, so a foreign sender learns nothing about the schema', async () => {
    const other = fakeContents(9)
    expectError(await ipc.invoke('wb:models.load', { dir: 42 }, { sender: other, senderFrame: other.mainFrame }), 'forbidden', /Refused wb:models\.load/)
  })
})

describe('IPC: unknown channels and backend failures', () => {
  it.each(['wb:nope', 'wb:sweeps.event', 'ELECTRON_BROWSER_REQUIRE', '__proto__', 7])('refuses channel %s', async (channel) => {
    const event = { sender: ipc.contents, senderFrame: ipc.contents.mainFrame }
    expectError(await handleIpcRequest(channel, event as never, {}, ipc.options), 'invalid-request', /Unknown channel/)
    expect(ipc.handle).not.toHaveBeenCalled()
  })

  it('a backend that throws becomes an internal Result with the message, and is logged', async () => {
    ipc.handle.mockRejectedValueOnce(new Error('disk full'))
    expect(await ipc.invoke('wb:app.info', {})).toEqual({ ok: false, error: { code: 'internal', message: 'wb:app.info failed: disk full' } })
    expect(ipc.log).toHaveBeenCalledOnce()
    expect(String(ipc.log.mock.calls[0][0])).toContain('disk full')
  })
})

describe('IPC: events', () => {
  it('forwards each contract event to the window with webContents.send', () => {
    const payload = { runId: 'r1', dir: '/w/runs/r1', notebookCellId: null, event: { type: 'progress' } }
    for (const channel of EVENT_CHANNELS) ipc.emit(channel, { channel, payload })
    expect(ipc.contents.send.mock.calls).toEqual(EVENT_CHANNELS.map((channel) => [channel, { channel, payload }]))
    expect(ipc.contents.send.mock.calls.map(([channel]) => channel)).toContain('wb:sweeps.event')
  })

  it('sends nothing for a channel outside the contract, or to a destroyed window', () => {
    ipc.emit('wb:secret', { token: 'x' })
    ipc.contents.destroyed = true
    ipc.emit('wb:sweeps.event', {})
    expect(ipc.contents.send).not.toHaveBeenCalled()
  })
})
