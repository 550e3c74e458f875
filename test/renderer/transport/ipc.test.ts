import { describe, expect, it } from 'vitest'
import type { Result, WorkbenchBridge } from '../../../core/contract/api.ts'
import { findBridge, ipcTransport } from '../../../renderer/src/transport/ipc.ts'

function bridge(answer: (channel: string, payload: unknown) => Promise<Result<unknown>>): WorkbenchBridge & { listeners: Map<string, (p: unknown) => void> } {
  const listeners = new Map<string, (p: unknown) => void>()
  return {
    listeners,
    request: answer,
    subscribe(channel, listener) {
      listeners.set(channel, listener)
      return () => listeners.delete(channel)
    },
  }
}

describe('IPC transport over window.workbench', () => {
  it('passes requests through and returns the Result unchanged', async () => {
    const seen: unknown[] = []
    const t = ipcTransport(
      bridge(async (channel, payload) => {
        seen.push([channel, payload])
        return { ok: false, error: { code: 'no-model', message: 'No model is loaded.' } }
      }),
    )
    expect(await t.request('wb:generate.cancel', { requestId: 'r' })).toEqual({ ok: false, error: { code: 'no-model', message: 'No model is loaded.' } })
    expect(seen).toEqual([['wb:generate.cancel', { requestId: 'r' }]])
  })

  it('turns a rejected IPC call into an internal Result with its message', async () => {
    const t = ipcTransport(bridge(async () => Promise.reject(new Error('The main process is shutting down'))))
    expect(await t.request('wb:app.info', {})).toEqual({ ok: false, error: { code: 'internal', message: 'The main process is shutting down' } })
  })

  it('subscribes through the bridge and unsubscribes with the returned function', () => {
    const b = bridge(async () => ({ ok: true, value: null }))
    const got: unknown[] = []
    const stop = ipcTransport(b).subscribe('wb:models.changed', (p) => got.push(p))
    b.listeners.get('wb:models.changed')?.({ state: 'ready' })
    stop()
    expect(got).toEqual([{ state: 'ready' }])
    expect(b.listeners.size).toBe(0)
  })

  it('finds the bridge only when it has request and subscribe functions', () => {
    expect(findBridge({})).toBeNull()
    expect(findBridge({ workbench: { request: 1, subscribe: () => undefined } })).toBeNull()
    const b = bridge(async () => ({ ok: true, value: null }))
    expect(findBridge({ workbench: b })).toBe(b)
  })
})
