// The backend behind both transports: contract validation (the field is named), app info, level and
// hand generation checked against the game rules, the model lifecycle with a scripted client,
// streaming generation with cancel, the browser-mode picker, sweeps through an injected runEval, and
// run folders read back.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createBackend, type Backend, type BackendOptions } from '../../../electron/app/backend.ts'
import type { LoadedModel } from '../../../electron/app/models.ts'
import type { RunEvalFn, RunEvalOptions } from '../../../electron/app/sweeps.ts'
import type { EventChannel } from '../../../core/contract/api.ts'
import type { GenerateEvent, GenerateRequest, GenerateResult, TokenInfo } from '../../../core/model/client.ts'
import { parseXsbLevel } from '../../../core/sokoban/xsb.ts'
import { applyMove } from '../../../core/sokoban/rules.ts'
import { isSolved } from '../../../core/sokoban/level.ts'
import { DOWN, LEFT, RIGHT, UP, type Direction } from '../../../core/sokoban/directions.ts'
import { evaluateExact, literalsOf, parseExpression } from '../../../core/gp/expression.ts'
import { equals, fromInt } from '../../../core/gp/rational.ts'
import { parseSweepSpec } from '../../../core/eval/spec.ts'
import type { CellResult } from '../../../core/eval/types.ts'
import { createRun } from '../../../electron/eval/run-folder.ts'

const temps: string[] = []
afterAll(() => temps.forEach((d) => fs.rmSync(d, { recursive: true, force: true })))
function tempWorkspace(): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'sftbench-backend-')))
  temps.push(dir)
  return dir
}

/** A model folder the fake starter accepts (the real loader is not involved). */
function modelFolder(ws: string, name = 'tiny'): string {
  const dir = path.join(ws, 'models', name)
  fs.mkdirSync(dir, { recursive: true })
  fs.writeFileSync(path.join(dir, 'config.json'), '{}')
  fs.writeFileSync(path.join(dir, 'tokenizer.json'), '{}')
  return dir
}

/** A client that streams one token per tick ("t0 t1 ..."), honouring cancel by id. */
function scriptedModel(): LoadedModel & { disposed: boolean } {
  const cancelled = new Set<string>()
  const token = (i: number): TokenInfo => ({ id: i, text: `t${i} `, logprob: -0.5, top: [{ id: i, text: `t${i} `, logprob: -0.5 }] })
  const model = {
    disposed: false,
    report: undefined,
    async info() {
      return { name: 'scripted', provider: 'cpu', architecture: 'llama', layers: 1, kvHeads: 1, headDim: 4, kvDtype: 'float32' as const, vocabSize: 10, chatTemplate: false, maxContext: 64 }
    },
    async generate(request: GenerateRequest, onEvent?: (event: GenerateEvent) => void): Promise<GenerateResult> {
      const id = request.id ?? 'x'
      const max = request.params?.maxNewTokens ?? 3
      const tokens: TokenInfo[] = []
      let finishReason: GenerateResult['finishReason'] = 'length'
      for (let i = 0; i < max; i++) {
        await new Promise((resolve) => setImmediate(resolve))
        if (cancelled.has(id)) {
          finishReason = 'cancelled'
          break
        }
        tokens.push(token(i))
        onEvent?.({ type: 'token', id, token: token(i), delta: token(i).text })
      }
      const result: GenerateResult = {
        id,
        text: tokens.map((t) => t.text).join(''),
        tokens,
        finishReason,
        promptTokens: 1,
        timings: { timeToFirstTokenMs: 1, tokensPerSecond: 1, totalMs: 1 },
        provider: 'cpu',
      }
      onEvent?.({ type: 'done', result })
      return result
    },
    generateBatch: () => Promise.reject(new Error('not used')),
    async score() {
      return { tokens: [], totalLogprob: -1.5, greedy: false, promptTokens: 1 }
    },
    cancel(id?: string) {
      if (id !== undefined) cancelled.add(id)
    },
    async dispose() {
      model.disposed = true
    },
  }
  return model
}

async function backendWith(options: Partial<BackendOptions> = {}): Promise<{ backend: Backend; ws: string; events: [EventChannel, unknown][] }> {
  const ws = options.workspace ?? tempWorkspace()
  const backend = await createBackend({ workspace: ws, log: () => {}, ...options })
  const events: [EventChannel, unknown][] = []
  backend.events((channel, payload) => events.push([channel, payload]))
  return { backend, ws, events }
}

async function value<T>(promise: Promise<{ ok: true; value: T } | { ok: false; error: { code: string; message: string } }>): Promise<T> {
  const result = await promise
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`)
  return result.value
}

describe('requests are validated against the contract', () => {
  it('names the bad field of an invalid payload', async () => {
    const { backend } = await backendWith()
    const result = await backend.handle('wb:levels.generate', { difficulty: 'simple', count: 'three' })
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-request' } })
    if (!result.ok) expect(result.error.message).toContain('payload.count')
  })

  it('refuses unknown channels and non-object payloads', async () => {
    const { backend } = await backendWith()
    expect(await backend.handle('wb:fs.read', {})).toMatchObject({ ok: false, error: { code: 'invalid-request' } })
    expect(await backend.handle('wb:app.info', 'x')).toMatchObject({ ok: false, error: { code: 'invalid-request' } })
  })

  it('answers app info', async () => {
    const { backend, ws } = await backendWith()
    const info = await value(backend.request('wb:app.info', {}))
    expect(info).toMatchObject({ workspace: ws, mode: 'browser', defaultModel: null, runsDir: path.join(ws, 'runs') })
    expect(info.version).toMatch(/^\d+\.\d+\.\d+/)
  })
})

describe('levels and hands', () => {
  const LETTER: Record<string, Direction> = { U: UP, D: DOWN, L: LEFT, R: RIGHT }

  it('levels come with a plan that solves them under the game rules', async () => {
    const { backend } = await backendWith()
    const levels = await value(backend.request('wb:levels.generate', { difficulty: 'simple', seed: 5, count: 3 }))
    expect(levels.map((l) => l.index)).toEqual([0, 1, 2])
    for (const view of levels) {
      expect([view.rows, view.cols, view.boxes]).toEqual([6, 6, 1])
      const level = parseXsbLevel(view.xsb)
      let state = level.start
      for (const letter of view.plan) state = applyMove(level, state, LETTER[letter]).state
      expect(isSolved(level, state)).toBe(true)
      expect(view.optimalMoves).toBe(view.plan.length)
    }
  })

  it('item i depends only on (seed, i): start pages through the same set', async () => {
    const { backend } = await backendWith()
    const all = await value(backend.request('wb:levels.generate', { difficulty: 'simple', seed: 9, count: 4 }))
    const tail = await value(backend.request('wb:levels.generate', { difficulty: 'simple', seed: 9, start: 2, count: 2 }))
    expect(tail.map((l) => l.xsb)).toEqual(all.slice(2).map((l) => l.xsb))
  })

  it('hands come with a solution that uses the scored values and makes the target exactly', async () => {
    const { backend } = await backendWith()
    const hands = await value(backend.request('wb:hands.generate', { difficulty: 'gp-id', seed: 1, count: 5 }))
    for (const hand of hands) {
      expect(hand.cards).toHaveLength(4)
      expect(hand.cards.some((c) => ['J', 'Q', 'K'].includes(c))).toBe(true)
      const parsed = parseExpression(hand.solution as string)
      if (!parsed.ok) throw new Error(`unparsable solution ${hand.solution}`)
      const exact = evaluateExact(parsed.expr)
      expect(exact.ok && equals(exact.value, fromInt(24))).toBe(true)
      expect(literalsOf(parsed.expr).map((n) => n.value).sort((a, b) => a - b)).toEqual([...hand.values].sort((a, b) => a - b))
    }
  })

  it('an unknown difficulty or a task mismatch is an invalid request with the reason', async () => {
    const { backend } = await backendWith()
    const wrong = await backend.request('wb:hands.generate', { difficulty: 'simple', count: 1 })
    expect(wrong).toMatchObject({ ok: false, error: { code: 'invalid-request' } })
    if (!wrong.ok) expect(wrong.error.message).toContain('a gp one is needed')
    expect(await backend.request('wb:levels.generate', { preset: 'NoSuchPreset', count: 1 })).toMatchObject({ ok: false, error: { code: 'invalid-request' } })
  })
})

describe('models and generation', () => {
  it('without a model, generate answers no-model', async () => {
    const { backend } = await backendWith()
    expect(await backend.request('wb:generate.start', { requestId: 'r', prompt: 'hi' })).toMatchObject({ ok: false, error: { code: 'no-model' } })
    expect(await value(backend.request('wb:models.status', {}))).toMatchObject({ state: 'none' })
  })

  it('loads the default model in the background and broadcasts loading, then ready', async () => {
    const ws = tempWorkspace()
    const dir = modelFolder(ws)
    const model = scriptedModel()
    const { backend, events } = await backendWith({ workspace: ws, defaultModel: dir, startModel: async () => model })
    await expect.poll(async () => (await value(backend.request('wb:models.status', {}))).state).toBe('ready')
    const states = events.filter(([c]) => c === 'wb:models.changed').map(([, p]) => (p as { state: string }).state)
    expect(states).toEqual(['loading', 'ready'])
    const status = await value(backend.request('wb:models.status', {}))
    expect(status).toMatchObject({ dir, provider: 'cpu', requested: 'auto', info: { name: 'scripted' } })
    expect(await value(backend.request('wb:models.list', {}))).toEqual([{ dir, name: 'tiny', source: 'default' }])
  })

  it('a default model that cannot load becomes a failed status, not a crash', async () => {
    const ws = tempWorkspace()
    const { backend } = await backendWith({ workspace: ws, defaultModel: path.join(ws, 'missing-model'), startModel: () => Promise.reject(new Error('unused')) })
    await expect.poll(async () => (await value(backend.request('wb:models.status', {}))).state).toBe('failed')
    expect((await value(backend.request('wb:models.status', {}))).error).toContain('does not exist')
  })

  it('streams token events with logprobs and answers the final result', async () => {
    const ws = tempWorkspace()
    const dir = modelFolder(ws)
    const { backend, events } = await backendWith({ workspace: ws, startModel: async () => scriptedModel() })
    await value(backend.request('wb:models.load', { dir: 'models/tiny' }))
    const result = await value(backend.request('wb:generate.start', { requestId: 'g1', prompt: 'hello', params: { maxNewTokens: 3 } }))
    expect(result.text).toBe('t0 t1 t2 ')
    const streamed = events.filter(([c]) => c === 'wb:generate.event').map(([, p]) => p as { requestId: string; event: GenerateEvent })
    expect(streamed.map((e) => e.event.type)).toEqual(['token', 'token', 'token', 'done'])
    expect(streamed.every((e) => e.requestId === 'g1')).toBe(true)
    const first = streamed[0].event
    expect(first.type === 'token' && first.token.top[0].logprob).toBe(-0.5)
    expect(dir).toContain('tiny')
  })

  it('cancel stops a generation by its request id and the partial result comes back', async () => {
    const ws = tempWorkspace()
    modelFolder(ws)
    const { backend, events } = await backendWith({ workspace: ws, startModel: async () => scriptedModel() })
    await value(backend.request('wb:models.load', { dir: 'models/tiny' }))
    const running = backend.request('wb:generate.start', { requestId: 'long', prompt: 'x', params: { maxNewTokens: 100000 } })
    await expect.poll(() => events.filter(([c]) => c === 'wb:generate.event').length).toBeGreaterThan(2)
    expect(await value(backend.request('wb:generate.cancel', { requestId: 'long' }))).toEqual({ cancelled: true })
    const result = await value(running)
    expect(result.finishReason).toBe('cancelled')
    expect(result.tokens.length).toBeLessThan(100000)
    expect(await value(backend.request('wb:generate.cancel', { requestId: 'long' }))).toEqual({ cancelled: false })
  })

  it('a requestId already running is a conflict', async () => {
    const ws = tempWorkspace()
    modelFolder(ws)
    const { backend } = await backendWith({ workspace: ws, startModel: async () => scriptedModel() })
    await value(backend.request('wb:models.load', { dir: 'models/tiny' }))
    const first = backend.request('wb:generate.start', { requestId: 'same', prompt: 'x', params: { maxNewTokens: 50 } })
    expect(await backend.request('wb:generate.start', { requestId: 'same', prompt: 'x' })).toMatchObject({ ok: false, error: { code: 'conflict' } })
    await backend.request('wb:generate.cancel', { requestId: 'same' })
    await first
  })

  it('loading a model outside the workspace is forbidden; unload disposes the client', async () => {
    const ws = tempWorkspace()
    modelFolder(ws)
    const model = scriptedModel()
    const { backend } = await backendWith({ workspace: ws, startModel: async () => model })
    expect(await backend.request('wb:models.load', { dir: '../elsewhere' })).toMatchObject({ ok: false, error: { code: 'forbidden' } })
    await value(backend.request('wb:models.load', { dir: 'models/tiny' }))
    expect(await value(backend.request('wb:score', { prompt: 'a', continuation: 'b' }))).toMatchObject({ totalLogprob: -1.5 })
    expect(await value(backend.request('wb:models.unload', {}))).toMatchObject({ state: 'none' })
    expect(model.disposed).toBe(true)
  })

  it('lists model folders of the workspace', async () => {
    const ws = tempWorkspace()
    const a = modelFolder(ws, 'a')
    const b = modelFolder(ws, 'b')
    fs.mkdirSync(path.join(ws, 'models', 'not-a-model'))
    const { backend } = await backendWith({ workspace: ws })
    expect(await value(backend.request('wb:models.list', {}))).toEqual([
      { dir: a, name: 'a', source: 'workspace' },
      { dir: b, name: 'b', source: 'workspace' },
    ])
  })
})

describe('file picker', () => {
  it('browser mode takes the UI-chosen path, inside the workspace only', async () => {
    const { backend, ws } = await backendWith()
    fs.writeFileSync(path.join(ws, 'n.sftnb'), '{}')
    expect(await value(backend.request('wb:files.pick', { kind: 'open', path: 'n.sftnb' }))).toEqual({ path: path.join(ws, 'n.sftnb') })
    expect(await backend.request('wb:files.pick', { kind: 'open', path: '/etc/passwd' })).toMatchObject({ ok: false, error: { code: 'forbidden' } })
    expect(await backend.request('wb:files.pick', { kind: 'open' })).toMatchObject({ ok: false, error: { code: 'unavailable' } })
  })

  it('desktop mode: a natively picked file outside the workspace becomes usable, exactly', async () => {
    const outside = tempWorkspace()
    const picked = path.join(outside, 'mine.sftnb')
    const { backend } = await backendWith({ pickPath: async () => picked })
    expect((await value(backend.request('wb:app.info', {}))).mode).toBe('desktop')
    expect(await backend.request('wb:notebooks.save', { path: picked, document: { format: 1, nextId: 1, cells: [] } })).toMatchObject({ ok: false, error: { code: 'forbidden' } })
    expect(await value(backend.request('wb:files.pick', { kind: 'save' }))).toEqual({ path: picked })
    expect((await backend.request('wb:notebooks.save', { path: picked, document: { format: 1, nextId: 1, cells: [] } })).ok).toBe(true)
    expect(await backend.request('wb:notebooks.save', { path: path.join(outside, 'other.sftnb'), document: { format: 1, nextId: 1, cells: [] } })).toMatchObject({ ok: false, error: { code: 'forbidden' } })
  })
})

const SPEC = {
  version: 1,
  name: 'app-test',
  task: 'sokoban',
  seed: 3,
  variants: ['sokoban-eval-base'],
  difficulties: [{ name: '6x6-1', difficulty: 'simple' }],
  instances: 2,
  repeats: 1,
  models: [{ name: 'm', backend: { kind: 'onnx', path: 'models/tiny' } }],
}

describe('sweeps', () => {
  /** A runEval that reports two cells and waits for `release` or the abort signal. */
  function fakeRunEval(calls: RunEvalOptions[], release: Promise<void>): RunEvalFn {
    return async (options) => {
      calls.push(options)
      options.onEvent?.({ type: 'sweep-started', total: 2, alreadyDone: 0 })
      await Promise.race([release, new Promise((resolve) => options.signal?.addEventListener('abort', resolve))])
      const cancelled = options.signal?.aborted ?? false
      options.onEvent?.({ type: 'sweep-finished', status: cancelled ? 'cancelled' : 'completed', done: cancelled ? 0 : 2, total: 2, aggregates: [] })
      return { dir: options.outDir ?? options.resumeDir ?? '', status: cancelled ? 'cancelled' : 'completed', done: cancelled ? 0 : 2, total: 2 }
    }
  }

  it('starts a sweep in a fresh folder under runs/, forwards its events and announces its end', async () => {
    const ws = tempWorkspace()
    modelFolder(ws)
    const calls: RunEvalOptions[] = []
    let release = (): void => {}
    const released = new Promise<void>((resolve) => (release = resolve))
    const { backend, events } = await backendWith({ workspace: ws, runEval: fakeRunEval(calls, released), now: () => new Date(2031, 0, 2, 3, 4, 5) })
    const handle = await value(backend.request('wb:sweeps.start', { spec: SPEC, notebookCellId: 'cell-7' }))
    expect(handle.dir).toBe(path.join(ws, 'runs', 'app-test-20310102-030405'))
    expect(calls[0]).toMatchObject({ outDir: handle.dir, cwd: ws, noCache: false })
    release()
    await expect.poll(async () => (await value(backend.request('wb:sweeps.active', {})))[0].status).toBe('completed')
    const sweepEvents = events.filter(([c]) => c === 'wb:sweeps.event').map(([, p]) => p as { runId: string; notebookCellId: string; event: { type: string } })
    expect(sweepEvents.map((e) => e.event.type)).toEqual(['sweep-started', 'sweep-finished'])
    expect(sweepEvents.every((e) => e.runId === handle.runId && e.notebookCellId === 'cell-7')).toBe(true)
    const statuses = events.filter(([c]) => c === 'wb:sweeps.status').map(([, p]) => (p as { status: string }).status)
    expect(statuses).toEqual(['running', 'completed'])
  })

  it('cancel aborts the run; the state says cancelled', async () => {
    const ws = tempWorkspace()
    modelFolder(ws)
    const { backend } = await backendWith({ workspace: ws, runEval: fakeRunEval([], new Promise(() => {})) })
    const { runId } = await value(backend.request('wb:sweeps.start', { spec: SPEC }))
    expect(await value(backend.request('wb:sweeps.cancel', { runId }))).toEqual({ cancelled: true })
    await expect.poll(async () => (await value(backend.request('wb:sweeps.active', {})))[0].status).toBe('cancelled')
    expect(await backend.request('wb:sweeps.cancel', { runId: 'nope' })).toMatchObject({ ok: false, error: { code: 'not-found' } })
  })

  it('a failing run becomes a failed status with the message', async () => {
    const ws = tempWorkspace()
    modelFolder(ws)
    const { backend, events } = await backendWith({ workspace: ws, runEval: () => Promise.reject(new Error('model exploded')) })
    await value(backend.request('wb:sweeps.start', { spec: SPEC }))
    await expect.poll(() => events.some(([c, p]) => c === 'wb:sweeps.status' && (p as { status: string }).status === 'failed')).toBe(true)
    expect((await value(backend.request('wb:sweeps.active', {})))[0].error).toBe('model exploded')
  })

  it('an invalid spec is refused naming the field, before anything runs', async () => {
    const calls: RunEvalOptions[] = []
    const { backend } = await backendWith({ runEval: fakeRunEval(calls, Promise.resolve()) })
    const result = await backend.request('wb:sweeps.start', { spec: { ...SPEC, instances: 0 } })
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-request' } })
    if (!result.ok) expect(result.error.message).toContain('instances')
    expect(calls).toEqual([])
  })

  it("a spec whose model folder is outside the workspace is forbidden", async () => {
    const { backend } = await backendWith({ runEval: fakeRunEval([], Promise.resolve()) })
    const spec = { ...SPEC, models: [{ name: 'm', backend: { kind: 'onnx', path: '/etc' } }] }
    const result = await backend.request('wb:sweeps.start', { spec })
    expect(result).toMatchObject({ ok: false, error: { code: 'forbidden' } })
    if (!result.ok) expect(result.error.message).toContain('spec.models[0].backend.path')
  })

  it('resume runs the folder again (only the missing cells, by runEval) and refuses a second writer', async () => {
    const ws = tempWorkspace()
    const dir = path.join(ws, 'runs', 'old')
    fs.mkdirSync(dir, { recursive: true })
    const calls: RunEvalOptions[] = []
    const { backend } = await backendWith({ workspace: ws, runEval: fakeRunEval(calls, new Promise(() => {})) })
    const handle = await value(backend.request('wb:sweeps.resume', { dir: 'runs/old' }))
    expect(calls[0]).toMatchObject({ resumeDir: dir })
    expect(handle.dir).toBe(dir)
    expect(await backend.request('wb:sweeps.resume', { dir: 'runs/old' })).toMatchObject({ ok: false, error: { code: 'conflict' } })
    await backend.dispose()
    expect((await value(backend.request('wb:sweeps.active', {})))[0].status).toBe('cancelled')
  })
})

describe('runs', () => {
  function result(instance: number, success: boolean): CellResult {
    const key = `sokoban-eval-base/6x6-1/${instance}/0`
    return {
      v: 1, id: `m/${key}`, key, model: 'm', variant: 'sokoban-eval-base', difficulty: '6x6-1', instance, repeat: 0, seed: instance,
      task: 'sokoban', success, validity: 1, reward: success ? 10 : -1, turns: 1, steps: 1, tokens: 4, failure: success ? null : 'out-of-turns',
      error: null, sokoban: null, gp: null, timing: { startedMs: 0, totalMs: 1, cachedGenerations: 0, generations: 1 },
    }
  }

  it('lists run folders and reads one with aggregates over all results and a page of them', async () => {
    const ws = tempWorkspace()
    const dir = path.join(ws, 'runs', 'r1')
    const spec = parseSweepSpec({ ...SPEC, instances: 3 })
    const writer = await createRun(dir, {
      spec,
      models: [{ name: 'm', backend: spec.models[0].backend, location: 'models/tiny', provider: 'cpu', files: [], modelHash: 'abc' }],
      total: 3,
      sweepFile: null,
    })
    for (const [i, ok] of [true, false, true].entries()) await writer.result(result(i, ok))
    writer.close()
    const { backend } = await backendWith({ workspace: ws })
    const list = await value(backend.request('wb:runs.list', {}))
    expect(list).toMatchObject([{ dir, name: 'r1', status: 'running', task: 'sokoban' }])
    const view = await value(backend.request('wb:runs.read', { dir: 'runs/r1', offset: 1, limit: 1 }))
    expect(view.resultCount).toBe(3)
    expect(view.results.map((r) => r.instance)).toEqual([1])
    expect(view.aggregates).toHaveLength(1)
    expect(view.aggregates[0]).toMatchObject({ n: 3, successes: 2 })
    expect(view.models).toEqual([{ name: 'm', provider: 'cpu', modelHash: 'abc' }])
  })

  it('an empty workspace has no runs; a folder that is not a run is an invalid request', async () => {
    const { backend, ws } = await backendWith()
    expect(await value(backend.request('wb:runs.list', {}))).toEqual([])
    fs.mkdirSync(path.join(ws, 'plain'))
    expect(await backend.request('wb:runs.read', { dir: 'plain' })).toMatchObject({ ok: false, error: { code: 'invalid-request' } })
  })
})
