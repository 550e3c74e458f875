// The scheduler against a fake model whose logits depend only on each row's own history. The
// reference for a batch is always the same requests run one at a time (maxBatch 1), and greedy runs
// are also checked against an argmax chain computed directly from the fake model.
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { BatchScheduler } from '../../../core/model/scheduler.ts'
import type { SchedulerOptions, SchedulerRequest } from '../../../core/model/scheduler.ts'
import { resolveSamplingParams } from '../../../core/model/params.ts'
import type { SamplingParamsInput } from '../../../core/model/params.ts'
import type { AbortSignalLike, GenerateEvent, GenerateResult } from '../../../core/model/client.ts'
import { prefixKey } from '../../../core/model/prefix.ts'
import { EOS, FakeBackend, FakeClock, ROOT_BYTES, VOCAB, fakeCodec, fakeEncode, fakeLogits } from './fake-backend.ts'

function setup(maxBatch: number, options: Partial<SchedulerOptions> = {}) {
  const clock = new FakeClock()
  const backend = new FakeBackend(maxBatch, clock)
  const scheduler = new BatchScheduler(backend, {
    codec: fakeCodec,
    eosTokenIds: [EOS],
    clock,
    provider: 'fake',
    ...options,
  })
  return { clock, backend, scheduler }
}

function request(id: string, prompt: string | number[], params: SamplingParamsInput = {}): SchedulerRequest {
  return {
    id,
    promptIds: typeof prompt === 'string' ? fakeEncode(prompt) : prompt,
    params: resolveSamplingParams(params),
  }
}

/** A result without its timings (which depend on scheduling by design). */
function essence(r: GenerateResult): Omit<GenerateResult, 'timings'> {
  const { timings: _timings, ...rest } = r
  return rest
}

/** Runs requests one at a time on a fresh single-slot scheduler: the reference for batches. */
async function solo(requests: readonly SchedulerRequest[]): Promise<GenerateResult[]> {
  const { scheduler } = setup(1)
  const out: GenerateResult[] = []
  for (const r of requests) out.push(await scheduler.submit(r))
  return out
}

/** Collects events per request id. */
function recorder(): { onEvent: (e: GenerateEvent) => void; events: Map<string, GenerateEvent[]> } {
  const events = new Map<string, GenerateEvent[]>()
  return {
    events,
    onEvent: (e) => {
      const id = e.type === 'token' ? e.id : e.result.id
      events.set(id, [...(events.get(id) ?? []), e])
    },
  }
}

function logSoftmaxAt(logits: Float32Array, id: number): number {
  let max = -Infinity
  for (const x of logits) max = Math.max(max, x)
  let sum = 0
  for (const x of logits) sum += Math.exp(x - max)
  return logits[id] - max - Math.log(sum)
}

function argmaxOf(logits: Float32Array): number {
  let best = 0
  for (let i = 1; i < logits.length; i++) if (logits[i] > logits[best]) best = i
  return best
}

/** A varied set of requests: greedy and sampled, with stop strings, EOS on and off, alternatives. */
function mixedRequests(): SchedulerRequest[] {
  const prompts = ['hello', 'the cat', 'ab ab', 'z', 'sokoban ', 'xy.', 'q\nr', 'abc', 'mn', 'pq ab', 'w', 'end']
  const settings: SamplingParamsInput[] = [
    {},
    { temperature: 1, seed: 1 },
    { temperature: 0.7, topK: 5, seed: 2, topLogprobs: 3 },
    { temperature: 1.2, topP: 0.8, seed: 3, stop: ['ab'] },
    { temperature: 1, minP: 0.2, seed: 4, stop: ['\n', 'end>'] },
    { temperature: 0, maxNewTokens: 7, topLogprobs: 2 },
    { temperature: 0.9, topK: 8, topP: 0.9, minP: 0.05, seed: 5, maxNewTokens: 40 },
    { temperature: 1, seed: 6, stopOnEos: false, maxNewTokens: 12 },
    { temperature: 2, seed: 7, stop: ['a', 'b', 'c'] },
    { temperature: 1, seed: 8, maxNewTokens: 1 },
    { temperature: 0.5, seed: 9, stop: ['√'] },
    { temperature: 1, seed: 10, topLogprobs: 20 },
  ]
  return prompts.map((p, i) => request(`r${i}`, p, { maxNewTokens: 25, ...settings[i] }))
}

describe('BatchScheduler: results', () => {
  it('greedy output is the argmax chain of the model, with log-softmax logprobs and alternatives', async () => {
    const { scheduler } = setup(2)
    const prompt = fakeEncode('hello')
    const result = await scheduler.submit(request('g', prompt, { maxNewTokens: 20, topLogprobs: 3 }))
    const history = [...prompt]
    const expected: number[] = []
    for (let i = 0; i < 20; i++) {
      const logits = fakeLogits(history)
      const id = argmaxOf(logits)
      expected.push(id)
      history.push(id)
      const t = result.tokens[i]
      expect(t.logprob).toBeCloseTo(logSoftmaxAt(logits, id), 5)
      expect(t.top.map((a) => a.id)[0]).toBe(id)
      expect(t.top).toHaveLength(3)
      expect(t.top[1].logprob).toBeLessThanOrEqual(t.top[0].logprob)
      expect(t.text).toBe(fakeCodec.tokenText(id))
      if (id === EOS) break
    }
    expect(result.tokens.map((t) => t.id)).toEqual(expected)
    const last = expected[expected.length - 1]
    expect(result.finishReason).toBe(last === EOS ? 'eos' : 'length')
    expect(result.text).toBe(fakeCodec.decode(expected))
    expect(result.promptTokens).toBe(prompt.length)
    expect(result.provider).toBe('fake')
  })

  it('batch results equal one-by-one results (12 mixed requests, 4 slots)', async () => {
    const requests = mixedRequests()
    const expected = await solo(requests)
    const { backend, scheduler } = setup(4)
    const results = await Promise.all(scheduler.submitMany(requests))
    expect(results.map(essence)).toEqual(expected.map(essence))
    expect(backend.peakRows).toBe(4)
    // Continuous batching: some prefill happened while other slots were live and decoding.
    const mixed = backend.calls.findIndex((c, i) => c.kind === 'prefill' && i > 0)
    expect(mixed).toBeGreaterThan(0)
    expect(new Set(results.map((r) => r.finishReason))).toEqual(new Set(['stop', 'eos', 'length']))
    expect(backend.live.size).toBe(0)
  })

  it('batch results equal one-by-one results for any batch size and arrival times (property)', async () => {
    const spec = fc.record({
      prompt: fc.array(fc.integer({ min: 2, max: VOCAB - 1 }), { minLength: 1, maxLength: 8 }),
      temperature: fc.constantFrom(0, 0.7, 1.3),
      topK: fc.constantFrom(0, 5),
      topP: fc.constantFrom(1, 0.8),
      minP: fc.constantFrom(0, 0.1),
      stop: fc.constantFrom<string[]>([], ['ab'], ['\n', 'end>'], ['e']),
      maxNewTokens: fc.integer({ min: 1, max: 20 }),
      seed: fc.integer({ min: 0, max: 1000 }),
      topLogprobs: fc.integer({ min: 0, max: 3 }),
      stopOnEos: fc.boolean(),
      arrival: fc.integer({ min: 0, max: 12 }),
    })
    await fc.assert(
      fc.asyncProperty(fc.array(spec, { minLength: 1, maxLength: 8 }), fc.integer({ min: 1, max: 5 }), async (specs, maxBatch) => {
        const requests = specs.map(({ prompt, arrival: _a, ...p }, i) => request(`p${i}`, prompt, p))
        const expected = await solo(requests)
        const { backend, scheduler } = setup(maxBatch)
        const pending: Promise<GenerateResult>[] = new Array(requests.length)
        const submitted = new Set<number>()
        const submitDue = (call: number): void => {
          specs.forEach((s, i) => {
            if (!submitted.has(i) && s.arrival <= call) {
              submitted.add(i)
              pending[i] = scheduler.submit(requests[i])
            }
          })
        }
        backend.beforeCall = (_c, index) => submitDue(index + 1)
        submitDue(0)
        // Requests due after the work ran out arrive now.
        while (submitted.size < requests.length) {
          await scheduler.idle()
          submitDue(Infinity)
        }
        const results = await Promise.all(pending)
        expect(results.map(essence)).toEqual(expected.map(essence))
        expect(backend.live.size).toBe(0)
      }),
      { numRuns: 40 },
    )
  })

  it('admits a request mid-flight into a free slot while another keeps decoding', async () => {
    const a = request('a', 'the cat', { maxNewTokens: 15, stopOnEos: false })
    const b = request('b', 'xy', { maxNewTokens: 6, temperature: 1, seed: 3, stopOnEos: false })
    const [soloA, soloB] = await solo([a, b])
    const { backend, scheduler } = setup(2)
    let pendingB: Promise<GenerateResult> | undefined
    const resultA = await scheduler.submit(a, {
      onEvent: (e) => {
        // After A's third token (three backend calls), B arrives.
        if (e.type === 'token' && pendingB === undefined && backend.calls.length >= 3) pendingB = scheduler.submit(b)
      },
    })
    const resultB = await (pendingB as Promise<GenerateResult>)
    expect(essence(resultA)).toEqual(essence(soloA))
    expect(essence(resultB)).toEqual(essence(soloB))
    const calls = backend.calls.map((c) => `${c.kind}:${c.slots.join(',')}`)
    expect(calls.slice(0, 3)).toEqual(['prefill:0', 'decode:0', 'decode:0'])
    expect(calls).toContain('prefill:1')
    expect(calls).toContain('decode:0,1')
  })

  it('two requests with the same seed and prompt sample the same tokens; rngStream separates them', async () => {
    const { scheduler } = setup(3)
    const p = { temperature: 1.5, seed: 42, maxNewTokens: 15, stopOnEos: false }
    const [x, y, z] = await Promise.all([
      scheduler.submit(request('x', 'abc', p)),
      scheduler.submit(request('y', 'abc', p)),
      scheduler.submit({ ...request('z', 'abc', p), rngStream: [1] }),
    ])
    expect(y.tokens).toEqual(x.tokens)
    expect(z.tokens.map((t) => t.id)).not.toEqual(x.tokens.map((t) => t.id))
  })
})

describe('BatchScheduler: stopping', () => {
  it('cuts at a stop string that spans tokens and stops on the token that completes it', async () => {
    const base = request('s', 'hello', { temperature: 1, seed: 11, maxNewTokens: 30, stopOnEos: false })
    const [free] = await solo([base])
    // Pick a stop string that straddles the boundary between tokens 3 and 4.
    const ids = free.tokens.map((t) => t.id)
    const upTo3 = fakeCodec.decode(ids.slice(0, 4))
    const stop = upTo3.slice(-1) + fakeCodec.decode(ids.slice(4, 5)).slice(0, 1)
    const first = free.text.indexOf(stop)
    const { scheduler } = setup(1)
    const r = await scheduler.submit({ ...base, params: resolveSamplingParams({ ...base.params, stop: [stop] }) })
    expect(r.finishReason).toBe('stop')
    expect(r.stopString).toBe(stop)
    expect(r.text).toBe(free.text.slice(0, first))
    // The tokens are a prefix of the free run, ending with the first token whose text completes it.
    const n = r.tokens.length
    expect(r.tokens).toEqual(free.tokens.slice(0, n))
    expect(fakeCodec.decode(ids.slice(0, n)).includes(stop)).toBe(true)
    expect(fakeCodec.decode(ids.slice(0, n - 1)).includes(stop)).toBe(false)
  })

  it('ends at EOS without its text, or runs past it when stopOnEos is off', async () => {
    // Find a greedy prompt whose completion ends in EOS.
    let prompt: number[] | undefined
    let eosRun: GenerateResult | undefined
    for (let a = 2; a < VOCAB && prompt === undefined; a++) {
      const [r] = await solo([request('e', [a], { maxNewTokens: 30 })])
      if (r.finishReason === 'eos') {
        prompt = [a]
        eosRun = r
      }
    }
    if (prompt === undefined || eosRun === undefined) throw new Error('no prompt of the fake model ends in EOS')
    expect(eosRun.tokens[eosRun.tokens.length - 1].id).toBe(EOS)
    expect(eosRun.text).toBe(fakeCodec.decode(eosRun.tokens.slice(0, -1).map((t) => t.id)))
    const [on] = await solo([request('o', prompt, { maxNewTokens: 30, stopOnEos: false })])
    expect(on.finishReason).toBe('length')
    expect(on.tokens).toHaveLength(30)
    expect(on.tokens.slice(0, eosRun.tokens.length)).toEqual(eosRun.tokens)
    expect(on.text.startsWith(eosRun.text)).toBe(true)
  })

  it('stops at the context limit and refuses prompts that fill it', async () => {
    const { scheduler } = setup(1, { maxContext: 8 })
    const r = await scheduler.submit(request('c', [2, 3, 4, 5, 6], { stopOnEos: false, maxNewTokens: 50 }))
    expect(r.tokens).toHaveLength(3)
    expect(r.finishReason).toBe('length')
    await expect(scheduler.submit(request('d', [2, 3, 4, 5, 6, 7, 8, 9]))).rejects.toThrow(/prompt has 8 tokens but the model's context is 8/)
  })

  it('streams deltas that concatenate to the text, which is the decoded tokens cut at the stop', async () => {
    const requests = mixedRequests()
    const { scheduler } = setup(3)
    const rec = recorder()
    const results = await Promise.all(scheduler.submitMany(requests, { onEvent: rec.onEvent }))
    for (const r of results) {
      const events = rec.events.get(r.id) ?? []
      const tokens = events.filter((e) => e.type === 'token')
      expect(tokens).toHaveLength(r.tokens.length)
      expect(events[events.length - 1]).toEqual({ type: 'done', result: r })
      const deltas = tokens.map((e) => (e.type === 'token' ? e.delta : ''))
      expect(deltas.join('')).toBe(r.text)
      const decoded = fakeCodec.decode(r.tokens.map((t) => t.id))
      if (r.finishReason === 'stop') expect(decoded.indexOf(r.stopString as string)).toBe(r.text.length)
      else expect(r.text).toBe(decoded)
    }
  })

  it('streams "√", written as three byte tokens, in one piece', async () => {
    const { scheduler } = setup(1)
    for (let seed = 0; seed < 300; seed++) {
      const rec = recorder()
      const r = await scheduler.submit(
        request(`s${seed}`, 'hello', { temperature: 1.5, seed, maxNewTokens: 30, stopOnEos: false }),
        { onEvent: rec.onEvent },
      )
      const ids = r.tokens.map((t) => t.id)
      const at = ids.findIndex((id, i) => id === ROOT_BYTES[0] && ids[i + 1] === ROOT_BYTES[1] && ids[i + 2] === ROOT_BYTES[2])
      if (at < 0) continue
      const deltas = (rec.events.get(r.id) ?? []).flatMap((e) => (e.type === 'token' ? [e.delta] : []))
      expect(deltas[at]).toBe('')
      expect(deltas[at + 1]).toBe('')
      expect(deltas[at + 2].startsWith('√')).toBe(true)
      expect(r.tokens[at].text).toBe('\uFFFD')
      return
    }
    throw new Error('the fake model never wrote "√" in 300 seeds')
  })
})

describe('BatchScheduler: cancellation', () => {
  it('cancels one request mid-flight; it keeps its tokens, the others are untouched', async () => {
    const requests = mixedRequests().slice(0, 4)
    const target = requests[1].id
    requests[1] = { ...requests[1], params: { ...requests[1].params, stopOnEos: false } }
    const expected = await solo(requests)
    const { backend, scheduler } = setup(2)
    let count = 0
    const pending = scheduler.submitMany(requests, {
      onEvent: (e) => {
        // Cancel the target right after its third token.
        if (e.type === 'token' && e.id === target && ++count === 3) expect(scheduler.cancel(target)).toBe(1)
      },
    })
    const results = await Promise.all(pending)
    const r = results[1]
    expect(r.finishReason).toBe('cancelled')
    expect(r.tokens).toEqual(expected[1].tokens.slice(0, 3))
    expect(expected[1].text.startsWith(r.text)).toBe(true)
    expect(r.text).toBe(fakeCodec.decode(r.tokens.map((t) => t.id)))
    for (const i of [0, 2, 3]) expect(essence(results[i])).toEqual(essence(expected[i]))
    expect(backend.live.size).toBe(0)
  })

  it('cancel() resolves everything at once, queued requests with no tokens', async () => {
    const { backend, scheduler } = setup(2)
    const requests = mixedRequests().slice(0, 6).map((r) => ({ ...r, params: { ...r.params, stopOnEos: false } }))
    backend.beforeCall = (_c, index) => {
      if (index === 3) expect(scheduler.cancel()).toBe(6)
    }
    const results = await Promise.all(scheduler.submitMany(requests))
    expect(results.map((r) => r.finishReason)).toEqual(new Array(6).fill('cancelled'))
    expect(results.slice(2).map((r) => r.tokens.length)).toEqual([0, 0, 0, 0])
    expect(Number.isNaN(results[5].timings.timeToFirstTokenMs)).toBe(true)
    await scheduler.idle()
    expect(backend.live.size).toBe(0)
    expect(backend.calls).toHaveLength(4) // nothing ran after the cancelled call
  })

  it('resolves a cancelled request before the backend call in flight returns', async () => {
    const { backend, scheduler } = setup(1)
    let open: () => void = () => {}
    const gate = new Promise<void>((resolve) => {
      open = resolve
    })
    const promise = scheduler.submit(request('slow', 'abc', { stopOnEos: false, maxNewTokens: 50 }))
    backend.beforeCall = (_c, index) => {
      if (index !== 2) return
      scheduler.cancel('slow')
      return gate // the third call blocks until the test opens the gate
    }
    const r = await promise
    expect(r.finishReason).toBe('cancelled')
    expect(r.tokens).toHaveLength(2)
    // The call is still in flight, so the slot is still held; it is released once the call returns.
    expect(backend.live.size).toBe(1)
    open()
    await scheduler.idle()
    expect(backend.live.size).toBe(0)
    expect(backend.calls).toHaveLength(3)
  })

  it('honours an AbortSignal, including one aborted before submission', async () => {
    class FakeSignal implements AbortSignalLike {
      aborted = false
      private listeners: (() => void)[] = []
      addEventListener(_type: 'abort', fn: () => void): void {
        this.listeners.push(fn)
      }
      removeEventListener(_type: 'abort', fn: () => void): void {
        this.listeners = this.listeners.filter((l) => l !== fn)
      }
      abort(): void {
        this.aborted = true
        for (const l of this.listeners) l()
      }
      get listenerCount(): number {
        return this.listeners.length
      }
    }
    const { backend, scheduler } = setup(2)
    const early = new FakeSignal()
    early.abort()
    const r0 = await scheduler.submit(request('early', 'abc'), { signal: early })
    expect(r0.finishReason).toBe('cancelled')
    expect(backend.calls).toHaveLength(0)

    const late = new FakeSignal()
    backend.beforeCall = (_c, index) => {
      if (index === 4) late.abort()
    }
    const r1 = await scheduler.submit(request('late', 'abc', { stopOnEos: false, maxNewTokens: 50 }), { signal: late })
    expect(r1.finishReason).toBe('cancelled')
    expect(r1.tokens).toHaveLength(4)
    expect(late.listenerCount).toBe(0)
    expect(scheduler.cancel('late')).toBe(0)
  })
})

describe('BatchScheduler: failures', () => {
  it('rejects the requests of a failed backend call and keeps serving later ones', async () => {
    const { backend, scheduler } = setup(2)
    backend.beforeCall = (_c, index) => {
      if (index === 3) throw new Error('device lost')
    }
    const requests = mixedRequests().slice(0, 2).map((r) => ({ ...r, params: { ...r.params, stopOnEos: false } }))
    const settled = await Promise.allSettled(scheduler.submitMany(requests))
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected'])
    expect(String((settled[0] as PromiseRejectedResult).reason)).toMatch(/device lost/)
    backend.beforeCall = undefined
    const again = await scheduler.submit(requests[0])
    const [expected] = await solo([requests[0]])
    expect(essence(again)).toEqual(essence(expected))
    expect(backend.live.size).toBe(0)
  })

  it('a throwing listener fails only its own request', async () => {
    const { scheduler } = setup(2)
    const [a, b] = mixedRequests()
    const bad = scheduler.submit(a, {
      onEvent: () => {
        throw new Error('listener broke')
      },
    })
    const good = scheduler.submit(b)
    await expect(bad).rejects.toThrow(/listener broke/)
    const [expected] = await solo([b])
    expect(essence(await good)).toEqual(essence(expected))
  })

  it('rejects bad requests with a message that says what to fix', async () => {
    const { scheduler } = setup(2)
    const first = scheduler.submit(request('dup', 'abc'))
    await expect(scheduler.submit(request('dup', 'xyz'))).rejects.toThrow(/"dup" is already in flight/)
    await first
    await expect(scheduler.submit(request('empty', []))).rejects.toThrow(/empty prompt/)
    await expect(scheduler.submit(request('oov', [3, VOCAB]))).rejects.toThrow(
      `prompt token 1 is ${VOCAB}, outside the vocabulary [0, ${VOCAB})`,
    )
  })

  it('rejects a logits row of the wrong size', async () => {
    const { backend, scheduler } = setup(1)
    backend.prefill = async (rows) => {
      for (const r of rows) backend.live.set(r.slot, [])
      return [new Float32Array(3)]
    }
    await expect(scheduler.submit(request('w', 'abc'))).rejects.toThrow(`logits row has 3 values; the vocabulary has ${VOCAB}`)
  })
})

describe('BatchScheduler: timings, scoring, shared prefixes', () => {
  it('times from submission with the injected clock', async () => {
    // Every backend call advances the fake clock by 10 ms: prefill gives token 1 at 10 ms,
    // then one decode per token.
    const { scheduler } = setup(1)
    const r = await scheduler.submit(request('t', 'abc', { maxNewTokens: 5, stopOnEos: false }))
    expect(r.timings).toEqual({ timeToFirstTokenMs: 10, tokensPerSecond: 100, totalMs: 50 })
  })

  it('scores a continuation as the sum of teacher-forced log-softmax values', async () => {
    const { scheduler } = setup(3)
    const prompt = fakeEncode('the cat')
    const continuation = fakeEncode('sat ab.')
    let expectedTotal = 0
    const history = [...prompt]
    for (const id of continuation) {
      expectedTotal += logSoftmaxAt(fakeLogits(history), id)
      history.push(id)
    }
    const s = await scheduler.score('sc', prompt, continuation)
    expect(s.tokens.map((t) => t.id)).toEqual(continuation)
    expect(s.totalLogprob).toBeCloseTo(expectedTotal, 4)
    expect(s.promptTokens).toBe(prompt.length)
    expect(s.tokens.map((t) => t.text).join('')).toBe('sat ab.')
  })

  it('a greedy continuation scores as greedy with the logprobs generation reported', async () => {
    const { scheduler } = setup(2)
    const prompt = fakeEncode('hello')
    const gen = await scheduler.submit(request('g', prompt, { maxNewTokens: 8, stopOnEos: false }))
    const s = await scheduler.score('s', prompt, gen.tokens.map((t) => t.id))
    expect(s.greedy).toBe(true)
    expect(s.totalLogprob).toBeCloseTo(gen.tokens.reduce((a, t) => a + t.logprob, 0), 6)
    const other = await scheduler.score('s2', prompt, [...gen.tokens.slice(0, 2).map((t) => t.id), 2])
    const third = fakeLogits([...prompt, gen.tokens[0].id, gen.tokens[1].id])
    expect(other.greedy).toBe(argmaxOf(third) === 2)
    expect((await scheduler.score('e', prompt, [])).totalLogprob).toBe(0)
  })

  it('hints the shared prefix of a group, and of repeated prompts, to the backend', async () => {
    const { backend, scheduler } = setup(3)
    const shared = Array.from({ length: 40 }, (_, i) => 2 + (i % 26))
    const group = ['x', 'yz', 'q.'].map((tail, i) => request(`g${i}`, [...shared, ...fakeEncode(tail)], { maxNewTokens: 2 }))
    await Promise.all(scheduler.submitMany(group))
    const hints = backend.prefillRows.map((r) => r.sharedPrefix)
    expect(hints).toEqual(new Array(3).fill({ key: prefixKey(shared, 40), length: 40 }))

    // Identical prompts (pass@k sampling): the hint covers all but the last token.
    const same = setup(4)
    const prompt = [...shared, 5]
    await Promise.all(same.scheduler.submitMany([0, 1, 2].map((i) => request(`s${i}`, prompt, { temperature: 1, seed: i, maxNewTokens: 2 }))))
    expect(same.backend.prefillRows.map((r) => r.sharedPrefix?.length)).toEqual([40, 40, 40])

    // A short shared prefix gets no hint, and neither does anything with hints turned off.
    const short = setup(2)
    await Promise.all(short.scheduler.submitMany(['ab', 'ac'].map((p, i) => request(`h${i}`, p, { maxNewTokens: 1 }))))
    expect(short.backend.prefillRows.map((r) => r.sharedPrefix)).toEqual([undefined, undefined])
    const off = setup(2, { minSharedPrefix: 0 })
    await Promise.all(off.scheduler.submitMany(group))
    expect(off.backend.prefillRows.every((r) => r.sharedPrefix === undefined)).toBe(true)
  })

  it('learns a shared prefix from requests submitted one by one and keeps its key', async () => {
    const { backend, scheduler } = setup(1)
    const instruction = Array.from({ length: 40 }, (_, i) => 2 + (i % 26))
    const boards = [[25], [26], [26, 27]]
    for (const [i, b] of boards.entries()) {
      await scheduler.submit(request(`b${i}`, [...instruction, ...b], { maxNewTokens: 1 }))
    }
    const hints = backend.prefillRows.map((r) => r.sharedPrefix)
    expect(hints[0]).toBeUndefined()
    // The second shares the 40-token instruction with the first; the third shares 41 tokens with the
    // second but reuses the instruction's anchor, so the key stays the same.
    expect(hints[1]).toEqual({ key: prefixKey(instruction, 40), length: 40 })
    expect(hints[2]).toEqual(hints[1])
  })
})

describe('BatchScheduler: backend faults outside a request', () => {
  it('fails everything and refuses new work when release() throws', async () => {
    const { backend, scheduler } = setup(1)
    backend.release = () => {
      throw new Error('release failed')
    }
    await expect(scheduler.submit(request('a', 'abc', { maxNewTokens: 2 }))).resolves.toMatchObject({ finishReason: 'length' })
    await scheduler.idle()
    await expect(scheduler.submit(request('b', 'abc'))).rejects.toThrow(
      /stopped after a backend fault \(release failed\); load the model again/,
    )
  })
})
