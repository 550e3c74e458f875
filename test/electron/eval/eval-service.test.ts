// @vitest-environment node
// runEval end to end on the tiny fixture model (onnxruntime in a worker thread): a 2 variants x 2
// difficulties sweep fills a complete run folder; a re-run with the cache generates nothing and
// --no-cache generates again; resume after a simulated kill (torn results line, manifest and
// summary deleted; an empty folder) runs only the missing cells and ends equal to an uninterrupted
// run; an abort keeps the finished cells. Generations are counted on the model client itself.
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CellResult, SweepEvent } from '../../../core/eval/types.ts'
import type { ModelClient } from '../../../core/model/client.ts'
import { openModels } from '../../../electron/eval/backends.ts'
import { runEval, type EvalOutcome } from '../../../electron/eval/eval-service.ts'
import {
  MANIFEST_FILE,
  PROMPTS_FILE,
  RESULTS_FILE,
  SUMMARY_FILE,
  readRun,
  type RunData,
} from '../../../electron/eval/run-folder.ts'
import { FIXTURE } from '../runtime/fixture.ts'

const VARIANTS = ['sokoban-eval-base', 'sokoban-eval-cardinal']
const DIFFICULTIES = ['d1', 'd2']
const INSTANCES = 1

const SPEC = {
  version: 1,
  name: 'e2e',
  task: 'sokoban',
  seed: 5,
  variants: VARIANTS,
  difficulties: [
    { name: 'd1', difficulty: 'simple' },
    { name: 'd2', difficulty: 'two-boxes', value: 4 },
  ],
  instances: INSTANCES,
  repeats: 1,
  protocol: { mode: 'closed-loop', maxTurns: 2, maxSteps: 30 },
  models: [
    {
      name: 'tiny',
      backend: { kind: 'onnx', path: FIXTURE, provider: 'cpu', variant: 'fp32' },
      sampling: { temperature: 0.5, maxNewTokens: 6 },
    },
  ],
  concurrency: 8,
}

/** The ids the sweep must produce, written out from the id rule `model/variant/difficulty/instance/repeat`. */
const EXPECTED_IDS = VARIANTS.flatMap((v) =>
  DIFFICULTIES.flatMap((d) => Array.from({ length: INSTANCES }, (_, i) => `tiny/${v}/${d}/${i}/0`)),
).sort()

let root = ''
let cacheDir = ''
let sweepFile = ''
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'sftbench-eval-'))
  cacheDir = path.join(root, 'cache')
  sweepFile = path.join(root, 'sweep.json')
  fs.writeFileSync(sweepFile, JSON.stringify(SPEC, null, 2))
})
afterAll(() => fs.rmSync(root, { recursive: true, force: true }))

/** Generation requests that reached the model, and the cells the runner started. */
interface Counts {
  generations: number
  started: string[]
}

/** `openModels`, with each client wrapped to count the generation requests that reach the model. */
function countingOpen(counts: Counts): typeof openModels {
  return async (spec, dir, options) => {
    const models = await openModels(spec, dir, options)
    for (const [name, model] of models) {
      const inner = model.client
      const client: ModelClient = {
        info: () => inner.info(),
        generate: (request, onEvent, signal) => {
          counts.generations++
          return inner.generate(request, onEvent, signal)
        },
        generateBatch: (requests, onEvent, signal) => {
          counts.generations += requests.length
          return inner.generateBatch(requests, onEvent, signal)
        },
        score: (request) => inner.score(request),
        cancel: (id) => inner.cancel(id),
        dispose: () => inner.dispose(),
        ...(inner.tokenize === undefined ? {} : { tokenize: (prompt) => (inner.tokenize as NonNullable<ModelClient['tokenize']>).call(inner, prompt) }),
      }
      models.set(name, { ...model, client })
    }
    return models
  }
}

async function run(
  options: Parameters<typeof runEval>[0],
  onEvent?: (event: SweepEvent, counts: Counts) => void,
): Promise<{ outcome: EvalOutcome; counts: Counts }> {
  const counts: Counts = { generations: 0, started: [] }
  const outcome = await runEval({
    cacheDir,
    ...options,
    open: countingOpen(counts),
    onEvent: (event) => {
      if (event.type === 'cell-started') counts.started.push(event.cell.id)
      onEvent?.(event, counts)
    },
  })
  return { outcome, counts }
}

/** A result without its timing (wall-clock times differ between runs). */
function content(result: CellResult): Omit<CellResult, 'timing'> {
  const { timing, ...rest } = result
  void timing
  return rest
}

function byId(run: RunData): Omit<CellResult, 'timing'>[] {
  return [...run.results].sort((a, b) => (a.id < b.id ? -1 : 1)).map(content)
}

function turnsOf(results: readonly CellResult[]): number {
  return results.reduce((sum, r) => sum + r.turns, 0)
}

let first: { outcome: EvalOutcome; counts: Counts; data: RunData; dir: string }

describe('runEval on the tiny model', () => {
  it('runs 2 variants x 2 difficulties and leaves a complete run folder', async () => {
    const dir = path.join(root, 'first')
    const { outcome, counts } = await run({ sweepFile, outDir: dir })
    const data = await readRun(dir)
    first = { outcome, counts, data, dir }

    expect(outcome).toMatchObject({ status: 'completed', done: 4, total: 4, ranNow: 4 })
    expect(fs.readdirSync(dir).sort()).toEqual([MANIFEST_FILE, PROMPTS_FILE, RESULTS_FILE, SUMMARY_FILE].sort())

    const manifest = data.manifest
    expect(manifest?.status).toBe('completed')
    expect(manifest?.cells).toEqual({ total: 4, done: 4 })
    expect(manifest?.sweepFile).toBe(sweepFile)
    expect(manifest?.models[0].provider).toBe('cpu')
    expect(manifest?.models[0].location).toBe(FIXTURE)
    // The published sha256 of the fixture's files (test/fixtures/README.md).
    expect(manifest?.models[0].files.find((f) => f.path === 'config.json')?.sha256).toBe(
      'add2e9e9024918e16dfaf580d1e1ede674b1f9dbf9a9962f48516e118c1da606',
    )
    expect(manifest?.models[0].files.find((f) => f.path === 'onnx/model.onnx')?.sha256).toBe(
      '5cead35cadd8dab22ecd5bd84e586f1c02aaf1ff70e2e1b33ec40ae062bf0ebe',
    )
    expect(manifest?.models[0].modelHash).toMatch(/^[0-9a-f]{64}$/)
    expect(manifest?.versions.onnxruntimeNode).toMatch(/^\d+\.\d+/)
    expect(Date.parse(manifest?.endedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(manifest?.startedAt ?? ''))

    // One line per cell, each with its top-level id.
    const lines = fs.readFileSync(path.join(dir, RESULTS_FILE), 'utf8').trim().split('\n')
    expect(lines.map((l) => JSON.parse(l).id).sort()).toEqual(EXPECTED_IDS)
    expect(data.results.every((r) => r.sokoban !== null && r.turns >= 1 && r.turns <= 2)).toBe(true)

    // Prompts: once per hash, the hash is the text's sha256 prefix, and every turn's prompt is there.
    const promptLines = fs.readFileSync(path.join(dir, PROMPTS_FILE), 'utf8').trim().split('\n').map((l) => JSON.parse(l))
    expect(new Set(promptLines.map((p) => p.hash)).size).toBe(promptLines.length)
    for (const p of promptLines) expect(p.hash).toBe(createHash('sha256').update(p.text).digest('hex').slice(0, 16))
    const referenced = new Set(data.results.flatMap((r) => r.sokoban?.turns.map((t) => t.promptHash) ?? []))
    expect([...referenced].every((h) => data.prompts.has(h))).toBe(true)
    // Both variants render the same boards differently, so there are at least 2 prompts per instance.
    expect(promptLines.length).toBeGreaterThanOrEqual(VARIANTS.length * DIFFICULTIES.length * INSTANCES)

    expect(data.summary?.status).toBe('completed')
    expect(data.summary?.aggregates.map((a) => [a.variant, a.difficulty, a.n, a.difficultyValue])).toEqual([
      ['sokoban-eval-base', 'd1', 1, 1],
      ['sokoban-eval-base', 'd2', 1, 4],
      ['sokoban-eval-cardinal', 'd1', 1, 1],
      ['sokoban-eval-cardinal', 'd2', 1, 4],
    ])
    // Every turn reached the model exactly once (the cache was empty).
    expect(counts.generations).toBe(turnsOf(data.results))
    expect(outcome.cache).toEqual({ hits: 0, misses: counts.generations })
  })

  it('re-running with the cache makes no generation and gives the same results; --no-cache generates again', async () => {
    const cached = await run({ sweepFile, outDir: path.join(root, 'cached') })
    expect(cached.counts.generations).toBe(0)
    expect(cached.outcome.cache?.hits).toBe(turnsOf(first.data.results))
    const cachedData = await readRun(path.join(root, 'cached'))
    expect(byId(cachedData)).toEqual(byId(first.data))
    expect(cachedData.results.every((r) => r.timing.cachedGenerations === r.turns)).toBe(true)

    // An empty folder (killed before anything was written) resumes from the sweep file: every cell runs.
    const empty = path.join(root, 'empty')
    fs.mkdirSync(empty)
    const fresh = await run({ sweepFile, resumeDir: empty, noCache: true })
    expect(fresh.outcome.cache).toBeNull()
    expect(fresh.counts.generations).toBe(turnsOf(first.data.results))
    expect(fresh.counts.started.sort()).toEqual(EXPECTED_IDS)
    expect(byId(await readRun(empty))).toEqual(byId(first.data))
  })

  it('resumes a killed run (torn results line, no manifest, no summary): only the missing cells run', async () => {
    const dir = path.join(root, 'killed')
    fs.cpSync(first.dir, dir, { recursive: true })
    const file = path.join(dir, RESULTS_FILE)
    const lines = fs.readFileSync(file, 'utf8').split('\n')
    // One whole line and half of the second, as a kill in the middle of an append leaves it.
    fs.writeFileSync(file, `${lines[0]}\n${lines[1].slice(0, lines[1].length >> 1)}`)
    fs.rmSync(path.join(dir, MANIFEST_FILE))
    fs.rmSync(path.join(dir, SUMMARY_FILE))
    const kept = JSON.parse(lines[0]) as CellResult
    const missing = first.data.results.filter((r) => r.id !== kept.id)

    await expect(runEval({ resumeDir: dir, cacheDir, open: countingOpen({ generations: 0, started: [] }) })).rejects.toThrow(
      /manifest\.json is missing/,
    )
    const resumed = await run({ sweepFile, resumeDir: dir, noCache: true })
    expect(resumed.outcome).toMatchObject({ status: 'completed', done: 4, total: 4, ranNow: 3, tornLinesRemoved: 1 })
    expect(resumed.counts.started.sort()).toEqual(missing.map((r) => r.id).sort())
    expect(resumed.counts.generations).toBe(turnsOf(missing))
    const data = await readRun(dir)
    expect(data.tornLine).toBe(false)
    expect(byId(data)).toEqual(byId(first.data))
    // The aggregates count the earlier cells too (sums may differ in the last bit, by order).
    const counted = (run: RunData): unknown =>
      run.summary?.aggregates.map((a) => [a.variant, a.difficulty, a.n, a.successes, a.tokens, a.failures])
    expect(counted(data)).toEqual(counted(first.data))
    expect(data.manifest?.status).toBe('completed')
  })

  it('an abort keeps every finished cell, and a resume completes the run', async () => {
    const dir = path.join(root, 'aborted')
    const controller = new AbortController()
    const spec = { ...SPEC, concurrency: 1 }
    const { outcome } = await run({ spec, outDir: dir, noCache: true, signal: controller.signal }, (event) => {
      if (event.type === 'cell-finished') controller.abort()
    })
    expect(outcome.status).toBe('cancelled')
    expect(outcome.done).toBeGreaterThanOrEqual(1)
    expect(outcome.done).toBeLessThan(4)
    const data = await readRun(dir)
    expect(data.results).toHaveLength(outcome.done)
    expect(data.summary).toMatchObject({ status: 'cancelled', done: outcome.done, total: 4 })
    expect(data.manifest?.status).toBe('cancelled')

    const resumed = await run({ resumeDir: dir, cacheDir })
    expect(resumed.outcome).toMatchObject({ status: 'completed', done: 4, ranNow: 4 - outcome.done })
    expect((await readRun(dir)).results.map((r) => r.id).sort()).toEqual(EXPECTED_IDS)
  })
})
