// @vitest-environment node
// The fixture's fp16, int8 and 4-bit graphs against their PyTorch references in golden.json
// (`variants`: PyTorch with the dequantized weights for int8 and q4; fp16 compared loosely with the
// fp32 golden, as golden.json says), and load/unload cycles that must not leak.
import { describe, expect, it } from 'vitest'
import { loadModel } from '../../../electron/runtime/engine.ts'
import { FIXTURE, readGolden } from './fixture.ts'

const golden = readGolden()
const N = golden.generation.max_new_tokens

async function greedyIds(variant: string): Promise<{ ids: number[][]; firstLogprobs: number[][] }> {
  const model = await loadModel({ dir: FIXTURE, provider: 'cpu', variant, session: { intraOpThreads: 1 } })
  try {
    const results = await model.generateBatch(
      golden.prompts.map((p) => ({ prompt: p.text, params: { maxNewTokens: N, stopOnEos: false, topLogprobs: 5 } })),
    )
    return {
      ids: results.map((r) => r.tokens.map((t) => t.id)),
      firstLogprobs: results.map((r) => r.tokens[0].top.map((t) => t.logprob)),
    }
  } finally {
    await model.dispose()
  }
}

describe('quantized graphs reproduce their PyTorch references', () => {
  it.each(['int8', 'q4'])('%s: greedy ids of every golden prompt', async (variant) => {
    const reference = golden.variants[variant].prompts ?? []
    const { ids, firstLogprobs } = await greedyIds(variant)
    reference.forEach((ref, i) => {
      expect(ids[i]).toEqual(ref.generated_ids)
      ref.first_step.top5.forEach((t, j) => expect(Math.abs(firstLogprobs[i][j] - t.logprob)).toBeLessThan(1e-3))
    })
  })
})

describe('the fp16 graph', () => {
  it('runs with a float16 cache and stays close to the fp32 golden', async () => {
    const model = await loadModel({ dir: FIXTURE, provider: 'cpu', variant: 'fp16', session: { intraOpThreads: 1 } })
    try {
      expect((await model.info()).kvDtype).toBe('float16')
      for (const p of golden.prompts) {
        const r = await model.generate({ prompt: p.text, params: { maxNewTokens: 8, stopOnEos: false, topLogprobs: 5 } })
        // golden.json: logits within ~0.05; ids equal where the fp32 margins are large.
        r.tokens[0].top.forEach((t, j) => expect(Math.abs(t.logprob - p.first_step.top5[j].logprob)).toBeLessThan(0.05))
        for (let i = 0; i < r.tokens.length && p.step_margins[i] > 0.1; i++) expect(r.tokens[i].id).toBe(p.generated_ids[i])
      }
    } finally {
      await model.dispose()
    }
  })
})

describe('load / unload cycles', () => {
  it('20 cycles of load, batch generation and dispose keep the resident memory flat', async () => {
    const cycle = async (): Promise<void> => {
      const model = await loadModel({ dir: FIXTURE, provider: 'cpu', session: { intraOpThreads: 1 } })
      await model.generateBatch([0, 1, 2].map((i) => ({ prompt: golden.prompts[i].text, params: { maxNewTokens: 8 } })))
      expect(model.decoderStats().liveSlots).toBe(0)
      await model.dispose()
      expect(model.decoderStats()).toMatchObject({ groups: 0, kvBytes: 0 })
    }
    for (let i = 0; i < 5; i++) await cycle() // let the allocators reach their working size
    const before = process.memoryUsage().rss
    for (let i = 0; i < 20; i++) await cycle()
    const grown = (process.memoryUsage().rss - before) / 1e6
    // Leaking the session and its caches grows the process by about 8.5 MB per cycle (170 MB here).
    expect(grown).toBeLessThan(60)
  })

  it('a disposed model refuses new work with a clear message', async () => {
    const model = await loadModel({ dir: FIXTURE, provider: 'cpu' })
    await model.dispose()
    await expect(model.generate({ prompt: 'hi' })).rejects.toThrow(/disposed; load it again/)
  })
})
