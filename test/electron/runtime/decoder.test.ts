// @vitest-environment node
// The decoder's two step kinds on the fixture, driven greedily without the scheduler: one row grows
// its cache output by output; a batch decodes in place with spare columns, gathered again when they
// run out or when a row leaves. Both must give the PyTorch golden tokens, with the new-position
// outputs and without them (then the new column comes from present.*). Also: synchronous runs still
// give the event loop a turn.
import { afterAll, describe, expect, it } from 'vitest'
import { argmax } from '../../../core/model/sampling.ts'
import { OrtDecoder } from '../../../electron/runtime/decoder.ts'
import { loadModel } from '../../../electron/runtime/engine.ts'
import { prepareModel } from '../../../electron/runtime/model-folder.ts'
import { DEFAULT_SESSION_SETTINGS, createSession, releaseSession, sessionGraph, type OrtSession } from '../../../electron/runtime/onnx.ts'
import { analyzeSignature } from '../../../electron/runtime/signature.ts'
import { FIXTURE, readGolden } from './fixture.ts'

const golden = readGolden()
const N = golden.generation.max_new_tokens
const sessions: OrtSession[] = []
afterAll(async () => {
  for (const s of sessions) await releaseSession(s)
})

async function decoderFor(newPositionOutputs: boolean, spareFraction = 0, variant?: string, publicApi = false): Promise<OrtDecoder> {
  const prepared = prepareModel(FIXTURE, { variant })
  const settings = { ...DEFAULT_SESSION_SETTINGS, intraOpThreads: 1, newPositionOutputs }
  const { session } = await createSession(prepared.report.variant.path, 'cpu', settings, { publicApi })
  sessions.push(session)
  const graph = sessionGraph(session)
  const signature = analyzeSignature('model.onnx', graph.inputs, graph.outputs).signature
  if (!signature) throw new Error('the fixture has no decoder signature')
  return new OrtDecoder(session, signature, 512, { maxBatch: 4, spareFraction })
}

/** Greedy tokens of `slots` (prefilled with the golden prompts), `steps` tokens each. */
async function greedy(decoder: OrtDecoder, slots: number[], steps: number, leaveAfter?: { slot: number; step: number }): Promise<number[][]> {
  const out = slots.map(() => [] as number[])
  const logits = await decoder.prefill(slots.map((slot) => ({ slot, tokenIds: golden.prompts[slot].prompt_ids })))
  let live = slots.map((slot, i) => ({ slot, i, next: argmax(logits[i]) }))
  for (const r of live) out[r.i].push(r.next)
  for (let step = 1; step < steps; step++) {
    if (leaveAfter && step === leaveAfter.step) {
      decoder.release(leaveAfter.slot)
      live = live.filter((r) => r.slot !== leaveAfter.slot)
    }
    const next = await decoder.decode(live.map((r) => ({ slot: r.slot, tokenId: r.next })))
    live.forEach((r, k) => {
      r.next = argmax(next[k])
      out[r.i].push(r.next)
    })
  }
  for (const r of live) decoder.release(r.slot)
  return out
}

describe('OrtDecoder steps', () => {
  it.each([true, false])(
    'a batch decoded in place over several regathers gives the golden tokens (new-position outputs: %s)',
    async (newPositions) => {
      const decoder = await decoderFor(newPositions)
      const tokens = await greedy(decoder, [0, 1, 2, 3], N)
      tokens.forEach((t, i) => expect(t).toEqual(golden.prompts[i].generated_ids))
      // 8 spare columns (spareFraction 0): the first decode step gathers, then every 8 steps again.
      expect(decoder.stats().gathers).toBe(1 + Math.floor((N - 2) / 8))
      expect(decoder.stats()).toMatchObject({ groups: 0, liveSlots: 0, kvBytes: 0 })
    },
  )

  it('a row leaving mid-batch moves the others to a new group; they keep their golden tokens', async () => {
    const decoder = await decoderFor(true, 0.25)
    const tokens = await greedy(decoder, [0, 1, 2, 3], N, { slot: 2, step: 10 })
    expect(tokens[2]).toEqual(golden.prompts[2].generated_ids.slice(0, 10))
    for (const i of [0, 1, 3]) expect(tokens[i]).toEqual(golden.prompts[i].generated_ids)
    expect(decoder.stats().gathers).toBeGreaterThanOrEqual(2)
  })

  it('a float16 cache decodes in place too: the golden tokens wherever the fp32 margins are large', async () => {
    const decoder = await decoderFor(true, 0, 'fp16')
    const tokens = await greedy(decoder, [0, 1, 2, 3], 20)
    expect(decoder.stats().gathers).toBe(3)
    tokens.forEach((t, i) => {
      const p = golden.prompts[i]
      // As in variants.test.ts: fp16 logits are within ~0.05 of fp32, so only clear choices must agree.
      for (let k = 0; k < t.length && p.step_margins[k] > 0.1; k++) expect(t[k]).toBe(p.generated_ids[k])
      expect(p.step_margins[0]).toBeGreaterThan(0.1)
    })
  })

  it('a session made through the public API (no runSync) gives the same golden tokens, batched and alone', async () => {
    const decoder = await decoderFor(true, 0, undefined, true)
    const batch = await greedy(decoder, [0, 1, 2, 3], N)
    batch.forEach((t, i) => expect(t).toEqual(golden.prompts[i].generated_ids))
    const [alone] = await greedy(decoder, [2], N)
    expect(alone).toEqual(golden.prompts[2].generated_ids)
  })

  it.each([true, false])(
    'one row feeds back exactly the cache the graph returned, with no gathers (new-position outputs: %s)',
    async (newPositions) => {
      const decoder = await decoderFor(newPositions)
      for (const slot of [0, 1]) {
        const [tokens] = await greedy(decoder, [slot], N)
        expect(tokens).toEqual(golden.prompts[slot].generated_ids)
      }
      expect(decoder.stats()).toMatchObject({ gathers: 0, runs: 2 * N, kvBytes: 0 })
    },
  )

  it('a compact row gives the same logits, bit for bit, as feeding back present.* (its arrays move several times)', async () => {
    const compact = await decoderFor(true)
    const plain = await decoderFor(false)
    // A 3-token prompt: room for 4 + 16 columns at first, so 80 steps outgrow it several times.
    const prompt = golden.prompts[0].prompt_ids.slice(0, 3)
    let [a] = await compact.prefill([{ slot: 0, tokenIds: prompt }])
    let [b] = await plain.prefill([{ slot: 0, tokenIds: prompt }])
    for (let step = 0; step < 80; step++) {
      expect(Array.from(a)).toEqual(Array.from(b))
      const tokenId = argmax(a)
      ;[a] = await compact.decode([{ slot: 0, tokenId }])
      ;[b] = await plain.decode([{ slot: 0, tokenId }])
    }
    expect(compact.stats().kvBytes).toBeGreaterThan(plain.stats().kvBytes) // the compact arrays keep room
    compact.release(0)
    plain.release(0)
  })
})

describe('synchronous runs', () => {
  it('give the event loop a turn during a long generation (a timer fires before it ends)', async () => {
    const model = await loadModel({ dir: FIXTURE, provider: 'cpu', session: { intraOpThreads: 1 } })
    try {
      let tokens = 0
      let tokensWhenTimerFired = -1
      setTimeout(() => {
        tokensWhenTimerFired = tokens
      }, 0)
      const result = await model.generate({ prompt: 'Hello', params: { maxNewTokens: 300, stopOnEos: false } }, (e) => {
        if (e.type === 'token') tokens++
      })
      expect(result.tokens).toHaveLength(300)
      expect(tokensWhenTimerFired).toBeGreaterThanOrEqual(0)
      expect(tokensWhenTimerFired).toBeLessThan(300)
    } finally {
      await model.dispose()
    }
  })
})
