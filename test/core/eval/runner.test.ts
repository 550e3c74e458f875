import { describe, expect, it } from 'vitest'
import type {
  GenerateRequest,
  GenerateResult,
  ModelClient,
  ModelInfo,
  ScoreResult,
} from '../../../core/model/client.ts'
import { oracleClient, randomClient } from '../../../core/eval/scripted.ts'
import { runSweep } from '../../../core/eval/runner.ts'
import { aggregateResults } from '../../../core/eval/metrics.ts'
import { countCells } from '../../../core/eval/cells.ts'
import type { CellResult } from '../../../core/eval/types.ts'
import { byId, hash, run, sweep, tickClock, timeless } from './helpers.ts'

/**
 * Wraps a client: each generation waits a random 0-2 ms (so cells finish in a shuffled order),
 * `cancel(id)` ends a waiting generation at once as cancelled, and `hook` sees every request.
 */
class JitterClient implements ModelClient {
  readonly cancelled: string[] = []
  generated = 0
  private readonly waiting = new Map<string, () => void>()

  constructor(
    private readonly inner: ModelClient,
    private readonly hook: (request: GenerateRequest, n: number) => void = () => {},
  ) {}

  info(): Promise<ModelInfo> {
    return this.inner.info()
  }

  async generate(request: GenerateRequest): Promise<GenerateResult> {
    this.hook(request, ++this.generated)
    const id = request.id as string
    const finished = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(true), Math.floor(Math.random() * 3))
      this.waiting.set(id, () => {
        clearTimeout(timer)
        resolve(false)
      })
    })
    this.waiting.delete(id)
    const result = await this.inner.generate(request)
    return finished ? result : { ...result, text: '', tokens: [], finishReason: 'cancelled' }
  }

  async generateBatch(requests: readonly GenerateRequest[]): Promise<GenerateResult[]> {
    return Promise.all(requests.map((r) => this.generate(r)))
  }

  score(): Promise<ScoreResult> {
    return Promise.reject(new Error('no scoring'))
  }

  cancel(id?: string): void {
    if (id === undefined) return
    this.cancelled.push(id)
    this.waiting.get(id)?.()
  }

  dispose(): Promise<void> {
    return this.inner.dispose()
  }
}

function sokobanSpec(overrides: Record<string, unknown> = {}) {
  return sweep('sokoban', {
    variants: ['sokoban-eval-base', 'sokoban-eval-cardinal'],
    difficulties: [
      { name: '6x6-1', difficulty: 'simple' },
      { name: '6x6-2', difficulty: 'two-boxes' },
    ],
    instances: 4,
    repeats: 2,
    protocol: { maxTurns: 12 },
    models: [
      { name: 'a', backend: { kind: 'onnx', path: 'a' } },
      { name: 'b', backend: { kind: 'onnx', path: 'b' } },
    ],
    ...overrides,
  })
}

function clients(make: () => ModelClient): Map<string, ModelClient> {
  return new Map([
    ['a', make()],
    ['b', make()],
  ])
}

describe('runSweep: determinism', () => {
  it('identical results with concurrency 1 and 7, whatever order cells finish in', async () => {
    const one = await run(sokobanSpec({ concurrency: 1 }), clients(() => randomClient(5)))
    const seven = await run(sokobanSpec({ concurrency: 7 }), clients(() => new JitterClient(randomClient(5))))
    expect(one.sink.results).toHaveLength(64)
    expect(byId(seven.sink.results)).toEqual(byId(one.sink.results))
    expect(seven.outcome.aggregates).toEqual(one.outcome.aggregates)
    // The sampled outputs vary between cells (the seeds differ), so the equality above is not vacuous.
    const outputs = new Set(one.sink.results.map((r) => r.sokoban?.turns.map((t) => t.output).join('|')))
    expect(outputs.size).toBeGreaterThan(10)
  })

  it('each turn samples with its own seed, and both models see the same seeds', async () => {
    const seeds = new Map<string, number[]>()
    const record = (request: GenerateRequest): void => {
      const [model, ...key] = (request.id as string).split('/')
      const list = seeds.get(`${key.join('/')}@${model}`) ?? []
      list.push(request.params?.seed as number)
      seeds.set(`${key.join('/')}@${model}`, list)
    }
    await run(sokobanSpec({ instances: 1, repeats: 1 }), clients(() => new JitterClient(randomClient(5), record)))
    const a = [...seeds].filter(([k]) => k.endsWith('@a'))
    for (const [key, list] of a) {
      expect(new Set(list).size).toBe(list.length)
      expect(seeds.get(key.replace(/@a$/, '@b'))).toEqual(list)
    }
  })
})

describe('runSweep: resume and cancel', () => {
  it('resume with previous runs only the missing ids; the aggregates equal a one-shot run', async () => {
    const full = await run(sokobanSpec(), clients(() => randomClient(5)))
    const previous = full.sink.results.filter((_, i) => i % 3 !== 1)
    const resumed = await run(sokobanSpec(), clients(() => randomClient(5)), { previous })
    const missing = full.sink.results.filter((_, i) => i % 3 === 1).map((r) => r.id)
    expect(resumed.sink.results.map((r) => r.id).sort()).toEqual([...missing].sort())
    expect(resumed.outcome.done).toBe(64)
    expect(resumed.outcome.aggregates).toEqual(full.outcome.aggregates)
    expect(resumed.events[0]).toEqual({ type: 'sweep-started', total: 64, alreadyDone: previous.length })
    expect(aggregateResults([...previous, ...resumed.sink.results], sokobanSpec())).toEqual(full.outcome.aggregates)
  })

  it('previous results of another sweep or listed twice are ignored', async () => {
    const other = await run(sokobanSpec({ seed: 99 }), clients(() => randomClient(5)))
    const mine = await run(sokobanSpec(), clients(() => randomClient(5)))
    const resumed = await run(sokobanSpec(), clients(() => randomClient(5)), {
      previous: [...other.sink.results, mine.sink.results[0], mine.sink.results[0]],
    })
    expect(resumed.sink.results).toHaveLength(63)
    expect(resumed.outcome.aggregates).toEqual(mine.outcome.aggregates)
  })

  it('cancel mid-sweep keeps every finished cell and none that was interrupted; resume completes it', async () => {
    const oneShot = byId((await run(sokobanSpec(), clients(() => randomClient(5)))).sink.results)
    const controller = new AbortController()
    const made: JitterClient[] = []
    const cancelling = () => {
      const client = new JitterClient(randomClient(5), (_request, n) => {
        if (n === 60) controller.abort()
      })
      made.push(client)
      return client
    }
    const first = await run(sokobanSpec({ concurrency: 6 }), clients(cancelling), { signal: controller.signal })
    expect(first.outcome.status).toBe('cancelled')
    const kept = first.sink.results
    expect(first.outcome.done).toBe(kept.length)
    expect(kept.length).toBeLessThan(64)
    // Every kept cell is exactly the cell a full run produces: no episode was cut short.
    for (const result of kept) expect(timeless(result)).toEqual(oneShot.get(result.id))
    const started = first.events.filter((e) => e.type === 'cell-started').map((e) => e.cell.id)
    const interrupted = started.filter((id) => !kept.some((r) => r.id === id))
    expect(interrupted.length).toBeGreaterThan(0)
    expect(made.flatMap((c) => c.cancelled).length).toBeGreaterThan(0)
    const last = first.events.at(-1)
    expect(last?.type === 'sweep-finished' && last.status).toBe('cancelled')

    const second = await run(sokobanSpec({ concurrency: 6 }), clients(() => new JitterClient(randomClient(5))), {
      previous: kept,
    })
    expect(second.outcome.status).toBe('completed')
    expect(second.sink.results.length + kept.length).toBe(64)
    expect(byId([...kept, ...second.sink.results])).toEqual(oneShot)
  })

  it('an already-aborted signal runs nothing', async () => {
    const controller = new AbortController()
    controller.abort()
    const { signal } = controller
    const { outcome, sink } = await run(sokobanSpec(), clients(() => randomClient(5)), { signal })
    expect(outcome).toMatchObject({ status: 'cancelled', done: 0, total: 64 })
    expect(sink.results).toHaveLength(0)
  })
})

describe('runSweep: errors', () => {
  it('a failing request while the client still answers: that cell is a backend-error, the rest run', async () => {
    const failing = (): ModelClient =>
      new JitterClient(randomClient(5), (request) => {
        const id = request.id as string
        if (id.startsWith('a/sokoban-eval-base/6x6-1/2/0#')) throw new Error('HTTP 500 from the server')
      })
    const oneShot = byId((await run(sokobanSpec(), clients(() => randomClient(5)))).sink.results)
    const { sink, outcome } = await run(sokobanSpec(), clients(failing))
    expect(outcome.status).toBe('completed')
    expect(sink.results).toHaveLength(64)
    for (const result of sink.results) {
      if (result.id === 'a/sokoban-eval-base/6x6-1/2/0') {
        expect(result.failure).toBe('backend-error')
        expect(result.error).toBe('HTTP 500 from the server')
        expect(result.success).toBe(false)
      } else {
        expect(timeless(result)).toEqual(oneShot.get(result.id))
      }
    }
    const group = outcome.aggregates.find(
      (a) => a.model === 'a' && a.variant === 'sokoban-eval-base' && a.difficulty === '6x6-1',
    )
    expect(group?.failures['backend-error']).toBe(1)
  })

  it('a client that stops answering stops the sweep with a clear error; finished cells are kept', async () => {
    const oneShot = byId((await run(sokobanSpec(), clients(() => randomClient(5)))).sink.results)
    let broken = false
    const breaking = (): ModelClient => {
      const inner = new JitterClient(randomClient(5), (_request, n) => {
        if (n === 150) broken = true
        if (broken) throw new Error('worker exited')
      })
      return Object.assign(Object.create(inner) as JitterClient, {
        info: () => (broken ? Promise.reject(new Error('worker exited')) : inner.info()),
      })
    }
    const sinkResults: CellResult[] = []
    const spec = sokobanSpec({ concurrency: 4 })
    const attempt = runSweep(spec, {
      clients: clients(breaking),
      clock: tickClock(),
      hash,
      sink: { prompt: () => {}, result: (r) => void sinkResults.push(r) },
    })
    await expect(attempt).rejects.toThrow(/Model "a" failed \(worker exited\) and no longer answers/)
    expect(sinkResults.length).toBeGreaterThan(0)
    for (const result of sinkResults) expect(timeless(result)).toEqual(oneShot.get(result.id))
  })

  it('refuses to start without a client for every model', async () => {
    await expect(
      runSweep(sokobanSpec(), { clients: new Map([['a', randomClient(1)]]), clock: tickClock(), hash }),
    ).rejects.toThrow('no client for model(s) "b"')
  })

  it('a failing sink stops the sweep and rejects with its error', async () => {
    const attempt = runSweep(sokobanSpec(), {
      clients: clients(() => randomClient(5)),
      clock: tickClock(),
      hash,
      sink: {
        prompt: () => {},
        result: () => Promise.reject(new Error('disk full')),
      },
    })
    await expect(attempt).rejects.toThrow('disk full')
  })
})

describe('runSweep: events and prompts', () => {
  it('announces every distinct prompt exactly once over a long sweep, whatever the hash looks like', async () => {
    // A random policy over 80 levels x 2 repeats x 2 models: repeats, models and duplicate levels
    // share prompts, and over 1,000 distinct prompts make the announced set grow twice (at 512 and 1,024).
    const models = ['a', 'b'].map((name) => ({ name, backend: { kind: 'onnx', path: 'm' } }))
    const spec = sweep('sokoban', { instances: 80, repeats: 2, models })
    const hashes: [string, (text: string) => string][] = [
      ['16 hex digits', hash],
      ['other', (text) => `h:${hash(text).toUpperCase()}`],
    ]
    for (const [name, hashOf] of hashes) {
      const texts = new Map<string, string>()
      const repeated: string[] = []
      const used = new Set<string>()
      await runSweep(spec, {
        clients: clients(() => randomClient(4)),
        clock: tickClock(),
        hash: hashOf,
        sink: {
          prompt: (h, text) => {
            if (texts.has(h)) repeated.push(h)
            texts.set(h, text)
          },
          result: (r) => {
            for (const t of r.sokoban?.turns ?? []) used.add(t.promptHash)
          },
        },
      })
      expect(repeated, name).toEqual([])
      expect([...texts.keys()].sort(), name).toEqual([...used].sort())
      for (const [h, text] of texts) expect(hashOf(text), name).toBe(h)
      expect(texts.size, name).toBeGreaterThan(1_000)
    }
  })

  it('streams started, turns, finished and aggregates; announces each prompt once, before its result', async () => {
    const spec = sokobanSpec({ instances: 2, repeats: 1 })
    const log: string[] = []
    const announced = new Set<string>()
    const seenTwice: string[] = []
    const events: string[] = []
    let turns = 0
    const outcome = await runSweep(spec, {
      clients: clients(() => new JitterClient(oracleClient())),
      clock: tickClock(),
      hash,
      sink: {
        prompt: (h) => {
          if (announced.has(h)) seenTwice.push(h)
          announced.add(h)
          log.push(`p:${h}`)
        },
        result: (r) => {
          for (const t of r.sokoban?.turns ?? []) expect(announced.has(t.promptHash)).toBe(true)
          log.push(`r:${r.id}`)
        },
      },
      onEvent: (event) => {
        events.push(event.type)
        if (event.type === 'turn') turns++
      },
    })
    expect(seenTwice).toEqual([])
    expect(events[0]).toBe('sweep-started')
    expect(events.at(-1)).toBe('sweep-finished')
    const total = countCells(spec)
    expect(events.filter((e) => e === 'cell-started')).toHaveLength(total)
    expect(events.filter((e) => e === 'cell-finished')).toHaveLength(total)
    // An aggregate follows every finished cell.
    events.forEach((e, i) => {
      if (e === 'cell-finished') expect(events[i + 1]).toBe('aggregate')
    })
    expect(outcome.aggregates.reduce((n, a) => n + a.meanTurns * a.n, 0)).toBeCloseTo(turns, 9)
    expect(log.filter((l) => l.startsWith('r:'))).toHaveLength(total)
  })

  it('chat mode "model" sends the prompt as one user message; raw mode sends the string', async () => {
    const sent: unknown[] = []
    const spy = new JitterClient(oracleClient(), (request) => sent.push(request.prompt))
    const chatVariant = {
      name: 'chat',
      task: 'sokoban',
      template: 'sokoban-eval',
      chat: { mode: 'model' },
      vocabulary: { shown: 'base', accepted: 'base' },
      renderer: 'paper',
      parser: 'paper-eval',
    }
    const spec = sweep('sokoban', { variants: ['sokoban-eval-base', chatVariant], instances: 1 })
    const { sink } = await run(spec, spy)
    expect(sink.results.every((r) => r.success)).toBe(true)
    expect(sent.some((p) => typeof p === 'string' && p.startsWith('<|im_start|>user\n'))).toBe(true)
    const message = sent.find((p) => typeof p !== 'string') as { messages: { role: string; content: string }[] }
    expect(message.messages).toHaveLength(1)
    expect(message.messages[0].role).toBe('user')
    expect(message.messages[0].content.startsWith('You are a Sokoban solver.')).toBe(true)
  })

  it('passes the model’s sampling parameters with each turn’s seed', async () => {
    const params: unknown[] = []
    const spec = sweep('sokoban', {
      instances: 1,
      models: [
        { name: 'm', backend: { kind: 'onnx', path: 'm' }, sampling: { temperature: 0.5, maxNewTokens: 64 } },
      ],
    })
    await run(spec, new JitterClient(oracleClient(), (request) => params.push(request.params)))
    expect(params.length).toBeGreaterThan(0)
    for (const p of params) {
      expect(p).toMatchObject({ temperature: 0.5, maxNewTokens: 64, seed: expect.any(Number) })
    }
  })
})
