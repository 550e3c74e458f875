// Probe episodes and forks through the backend: wb:episodes.run with the tiny fixture model gives the
// turns core/eval's runSokobanCell gives when run directly with the same client, seed and instance
// (prompts rendered here by the full Jinja path, hashes by the run folder's function); an oracle
// model solves its level; turns stream; cancel and bad requests answer their codes; forks through
// wb:generate.start continue the golden greedy run.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EpisodeEventPayload, EpisodeRecord, Result } from '../../../core/contract/api.ts'
import { createBackend, type Backend } from '../../../electron/app/backend.ts'
import { loadModel, type LocalModelClient } from '../../../electron/runtime/engine.ts'
import { instanceAt, type SokobanInstance } from '../../../core/experiment/instance-set.ts'
import { instanceSetOf } from '../../../core/notebook/instances.ts'
import { renderInstancePrompt, variantVocabularies } from '../../../core/experiment/render.ts'
import { variantByName, type SokobanVariantSpec } from '../../../core/experiment/variant.ts'
import { SokobanLevelFacts, runSokobanCell } from '../../../core/eval/sokoban-protocol.ts'
import { turnSeed } from '../../../core/eval/cells.ts'
import { oracleClient } from '../../../core/eval/scripted.ts'
import { promptHash } from '../../../electron/eval/eval-service.ts'
import { repoPath } from '../../harness/repo.ts'

const MODEL = repoPath('test/fixtures/tiny-llama')
const SOURCE = { difficulty: 'simple', seed: 3, count: 4 }
const VARIANT = 'sokoban-eval-base'

function unwrap<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`)
  return result.value
}

function workspace(): string {
  return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'sftbench-episodes-')))
}

describe('wb:episodes.run with the tiny fixture model', () => {
  let ws: string
  let backend: Backend
  let client: LocalModelClient | undefined
  const events: EpisodeEventPayload[] = []

  beforeAll(async () => {
    ws = workspace()
    backend = await createBackend({
      workspace: ws,
      defaultModel: MODEL,
      loadDefaultModel: false,
      log: () => {},
      // In-thread, so the test can run the same client directly.
      startModel: async (options) => (client = await loadModel({ ...options, session: { intraOpThreads: 1 } })),
    })
    backend.events((channel, payload) => {
      if (channel === 'wb:episodes.event') events.push(payload as EpisodeEventPayload)
    })
    expect(unwrap(await backend.request('wb:models.load', { dir: MODEL })).state).toBe('ready')
  })
  afterAll(async () => {
    await backend.dispose()
    fs.rmSync(ws, { recursive: true, force: true })
  })

  it('records the same turns as runSokobanCell run directly with the same client, seed and instance', async () => {
    const params = { temperature: 1, topK: 40, maxNewTokens: 6 }
    const seed = 17
    const protocol = { mode: 'closed-loop', maxTurns: 3, maxSteps: 3 } as const
    const record = unwrap(
      await backend.request('wb:episodes.run', { episodeId: 'e1', source: SOURCE, index: 2, variant: VARIANT, params, seed, protocol }),
    )
    // The same cell, assembled here from its parts.
    const instance = instanceAt(instanceSetOf('sokoban', SOURCE), 2) as SokobanInstance
    const variant = variantByName(VARIANT) as SokobanVariantSpec
    const direct = await runSokobanCell({
      facts: new SokobanLevelFacts(instance),
      variant,
      accepted: variantVocabularies(variant, { row: 2 }).accepted,
      protocol,
      prompt: (state) => {
        const text = renderInstancePrompt(instance, variant, undefined, { state, row: 2 })
        return { text, hash: promptHash(text) }
      },
      generate: async (prompt, turn) => {
        const r = await (client as LocalModelClient).generate({ prompt: prompt.text, params: { ...params, seed: turnSeed(seed, turn) } })
        return { text: r.text, tokens: r.tokens.length, finishReason: r.finishReason }
      },
    })
    expect(record.sokoban.turns).toHaveLength(3)
    expect(record.sokoban.turns).toEqual(direct.sokoban?.turns)
    expect(record).toMatchObject({
      episodeId: 'e1',
      instanceId: instance.id,
      variant: VARIANT,
      seed,
      provider: 'cpu',
      success: direct.success,
      validity: direct.validity,
      reward: direct.reward,
      turns: direct.turns,
      steps: direct.steps,
      tokens: direct.tokens,
      failure: direct.failure,
    })
    expect(record.sokoban.level).toBe(direct.sokoban?.level)
    // Every turn's prompt is in the record under its hash.
    for (const turn of record.sokoban.turns) expect(promptHash(record.prompts[turn.promptHash])).toBe(turn.promptHash)

    const mine = events.filter((e) => e.episodeId === 'e1').map((e) => e.event)
    expect(mine[0]).toMatchObject({ type: 'started', instanceId: instance.id, level: record.sokoban.level, maxTurns: 3 })
    const turns = mine.filter((e) => e.type === 'turn')
    expect(turns.map((e) => e.output)).toEqual(record.sokoban.turns.map((t) => t.output))
    expect(turns.map((e) => e.promptHash)).toEqual(record.sokoban.turns.map((t) => t.promptHash))
    expect(mine.at(-1)).toEqual({ type: 'finished', status: 'completed', error: null })
  }, 60_000)

  it('a different seed samples different outputs (the seed reaches the turns)', async () => {
    const base = { episodeId: 'e2', source: SOURCE, index: 2, variant: VARIANT, params: { temperature: 1, maxNewTokens: 6 }, protocol: { maxTurns: 2 } }
    const a = unwrap(await backend.request('wb:episodes.run', { ...base, seed: 1 }))
    const b = unwrap(await backend.request('wb:episodes.run', { ...base, episodeId: 'e3', seed: 2 }))
    expect(a.sokoban.turns.map((t) => t.output)).not.toEqual(b.sokoban.turns.map((t) => t.output))
  }, 60_000)

  it('cancel stops a running episode: the request answers cancelled, the stream ends with cancelled', async () => {
    const running = backend.request('wb:episodes.run', {
      episodeId: 'long',
      source: SOURCE,
      variant: VARIANT,
      params: { maxNewTokens: 40, stopOnEos: false },
      protocol: { maxTurns: 30, maxSteps: 30 },
    })
    await expect.poll(() => events.some((e) => e.episodeId === 'long' && e.event.type === 'turn'), { timeout: 30_000 }).toBe(true)
    expect(unwrap(await backend.request('wb:episodes.cancel', { episodeId: 'long' }))).toEqual({ cancelled: true })
    const result = await running
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.error.code).toBe('cancelled')
    const mine = events.filter((e) => e.episodeId === 'long').map((e) => e.event)
    expect(mine.at(-1)).toEqual({ type: 'finished', status: 'cancelled', error: null })
    expect(mine.filter((e) => e.type === 'turn').length).toBeLessThan(30)
    expect(unwrap(await backend.request('wb:episodes.cancel', { episodeId: 'long' }))).toEqual({ cancelled: false })
  }, 60_000)

  it.each([
    [{ variant: 'gp-test-all_10' }, 'invalid-request', 'gp variant'],
    [{ variant: 'no-such-variant' }, 'invalid-request', 'Unknown variant'],
    [{ index: 4 }, 'invalid-request', 'index: 4 is outside'],
    [{ source: { difficulty: 'gp-id', count: 1 } }, 'invalid-request', 'sokoban one is needed'],
    [{ protocol: { maxTurns: 0 } }, 'invalid-request', 'maxTurns'],
  ])('refuses %j with %s', async (change, code, message) => {
    const result = await backend.request('wb:episodes.run', { episodeId: 'bad', source: SOURCE, variant: VARIANT, ...change })
    expect(result.ok).toBe(false)
    if (!result.ok) {
      expect(result.error.code).toBe(code)
      expect(result.error.message).toContain(message)
    }
  })

  it('forks through wb:generate.start: greedy after k golden tokens gives the rest; unknown ids are invalid-request', async () => {
    const golden = JSON.parse(fs.readFileSync(path.join(MODEL, 'golden.json'), 'utf8')) as {
      prompts: { kind: string; text: string; messages?: { role: string; content: string }[]; generated_ids: number[] }[]
    }
    const p = golden.prompts[0]
    const prompt = p.kind === 'chat' && p.messages ? { messages: p.messages } : p.text
    const r = unwrap(
      await backend.request('wb:generate.start', {
        requestId: 'fork',
        prompt,
        prefixTokenIds: p.generated_ids.slice(0, 6),
        params: { temperature: 0, maxNewTokens: 10, stopOnEos: false },
      }),
    )
    expect(r.tokens.map((t) => t.id)).toEqual(p.generated_ids.slice(6, 16))
    const bad = await backend.request('wb:generate.start', { requestId: 'fork2', prompt, prefixTokenIds: [1, 512] })
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-request' } })
    if (!bad.ok) expect(bad.error.message).toContain('prefixTokenIds[1] is 512')
    const negative = await backend.request('wb:generate.start', { requestId: 'fork3', prompt, prefixTokenIds: [-1] })
    expect(negative).toMatchObject({ ok: false, error: { code: 'invalid-request' } })
  }, 30_000)
})

describe('wb:episodes.run with an oracle model', () => {
  let ws: string
  let backend: Backend

  beforeAll(async () => {
    ws = workspace()
    backend = await createBackend({ workspace: ws, log: () => {}, startModel: async () => oracleClient() })
    expect(unwrap(await backend.request('wb:models.load', { dir: ws })).state).toBe('ready')
  })
  afterAll(async () => {
    await backend.dispose()
    fs.rmSync(ws, { recursive: true, force: true })
  })

  it('solves the level in its optimal number of moves, every turn the optimal move', async () => {
    const record: EpisodeRecord = unwrap(await backend.request('wb:episodes.run', { episodeId: 'o', source: SOURCE, index: 1, variant: VARIANT }))
    const levels = unwrap(await backend.request('wb:levels.generate', SOURCE))
    expect(record.success).toBe(true)
    expect(record.failure).toBeNull()
    expect(record.sokoban.level).toBe(levels[1].xsb)
    expect(record.sokoban.optimalMoves).toBe(levels[1].optimalMoves)
    expect(record.steps).toBe(levels[1].optimalMoves)
    expect(record.sokoban.turns.map((t) => 'UDLR'[(t.action as number) - 1]).join('')).toBe(levels[1].plan)
    for (const t of record.sokoban.turns) expect(t.action).toBe(t.optimal)
  })

  it('answers no-model when no model is loaded', async () => {
    unwrap(await backend.request('wb:models.unload', {}))
    const result = await backend.request('wb:episodes.run', { episodeId: 'n', source: SOURCE, variant: VARIANT })
    expect(result).toMatchObject({ ok: false, error: { code: 'no-model' } })
  })
})
