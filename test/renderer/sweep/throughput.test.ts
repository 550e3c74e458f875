import { describe, expect, it } from 'vitest'
import type { EventChannel, EventOf, ModelStatus, Transport } from '../../../core/contract/api.ts'
import type { GenerateResult } from '../../../core/model/client.ts'
import { SpeedTracker } from '../../../renderer/src/sweep/throughput.ts'

/** A transport whose events the test emits and whose requests answer from `answers`. */
function fakeTransport(status: ModelStatus, generated?: GenerateResult) {
  const listeners = new Map<string, Set<(p: unknown) => void>>()
  const requests: { channel: string; payload: unknown }[] = []
  const transport = {
    request: (channel: string, payload: unknown) => {
      requests.push({ channel, payload })
      if (channel === 'wb:models.status') return Promise.resolve({ ok: true, value: status })
      if (channel === 'wb:generate.start' && generated) return Promise.resolve({ ok: true, value: generated })
      return Promise.resolve({ ok: false, error: { code: 'internal', message: `no ${channel}` } })
    },
    subscribe: (channel: string, listener: (p: unknown) => void) => {
      const set = listeners.get(channel) ?? new Set()
      listeners.set(channel, set)
      set.add(listener)
      return () => set.delete(listener)
    },
  } as unknown as Transport
  const emit = <E extends EventChannel>(channel: E, payload: EventOf<E>): void => {
    for (const l of listeners.get(channel) ?? []) l(payload)
  }
  return { transport, emit, requests }
}

const ready = (dir: string): ModelStatus => ({
  state: 'ready',
  dir,
  requested: 'cpu',
  provider: 'cpu',
  variant: null,
  file: null,
  info: null,
  loadMs: 10,
  warnings: [],
  error: null,
})

function result(tokens: number, tokensPerSecond: number, timeToFirstTokenMs: number): GenerateResult {
  const token = { id: 1, text: 'a', logprob: -1, top: [] }
  return {
    id: 'r',
    text: 'a'.repeat(tokens),
    tokens: Array.from({ length: tokens }, () => token),
    finishReason: 'length',
    promptTokens: 50,
    timings: { tokensPerSecond, timeToFirstTokenMs, totalMs: 100 },
    provider: 'cpu',
  }
}

const flush = () => new Promise((r) => setTimeout(r, 0))

describe('SpeedTracker', () => {
  it("keeps the last finished generation's speed of the loaded model", async () => {
    const { transport, emit } = fakeTransport(ready('/w/models/a'))
    const tracker = new SpeedTracker(transport)
    await flush()
    expect(tracker.get()).toEqual({ status: ready('/w/models/a'), speed: null })
    emit('wb:generate.event', { requestId: 'p1', event: { type: 'done', result: result(20, 120, 35) } })
    expect(tracker.get().speed).toEqual({ tokensPerSecond: 120, timeToFirstTokenMs: 35 })
    emit('wb:generate.event', { requestId: 'p2', event: { type: 'done', result: result(20, 90, 40) } })
    expect(tracker.get().speed).toEqual({ tokensPerSecond: 90, timeToFirstTokenMs: 40 })
  })

  it('a generation of fewer than 2 tokens says nothing about decoding', async () => {
    const { transport, emit } = fakeTransport(ready('/w/m'))
    const tracker = new SpeedTracker(transport)
    await flush()
    emit('wb:generate.event', { requestId: 'p', event: { type: 'done', result: result(1, 500, 10) } })
    expect(tracker.get().speed).toBeNull()
  })

  it('forgets the speed when another model loads, keeps it when the same one reports ready again', async () => {
    const { transport, emit } = fakeTransport(ready('/w/a'))
    const tracker = new SpeedTracker(transport)
    await flush()
    emit('wb:generate.event', { requestId: 'p', event: { type: 'done', result: result(10, 100, 20) } })
    emit('wb:models.changed', ready('/w/a'))
    expect(tracker.get().speed).not.toBeNull()
    emit('wb:models.changed', { ...ready('/w/b'), state: 'loading' })
    expect(tracker.get().speed).toBeNull()
    expect(tracker.get().status?.dir).toBe('/w/b')
  })

  it('measures with exactly the asked number of tokens (no stop strings, no EOS stop)', async () => {
    const { transport, requests } = fakeTransport(ready('/w/a'), result(32, 200, 15))
    const tracker = new SpeedTracker(transport)
    await tracker.measure('prompt', { temperature: 0.5, stop: ['</answer>'] }, 32)
    const start = requests.find((r) => r.channel === 'wb:generate.start')
    expect(start?.payload).toMatchObject({ prompt: 'prompt', params: { temperature: 0.5, maxNewTokens: 32, stop: [], stopOnEos: false } })
    expect(tracker.get().speed).toEqual({ tokensPerSecond: 200, timeToFirstTokenMs: 15 })
  })
})
