/**
 * Section `sample-model`: what a user waits for in the app before the default model has solved a
 * level. Through the app's own backend (`createBackend`, the model in its worker thread, as
 * `npm start` and `sftbench serve` run it): load `samples/models/frozen`, then run one closed-loop
 * episode of the paper's protocol on a 6x6 one-box level with the compact prompt it was trained on.
 * A fresh backend per run, so every load is cold for the runtime (the OS file cache stays warm).
 * Target: load + episode under 1 s on CPU.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { EpisodeRecord, Result } from '../core/contract/api.ts'
import { createBackend } from '../electron/app/backend.ts'
import type { BenchSection } from './sections.ts'
import { median, printTable } from './stats.ts'

const ROOT = path.resolve(import.meta.dirname, '..')
const MODEL = path.join(ROOT, 'samples', 'models', 'frozen')
const RUNS = 5
const TARGET_MS = 1000

function unwrap<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`)
  return result.value
}

interface Run {
  readonly loadMs: number
  readonly episodeMs: number
  readonly solved: boolean
  readonly turns: number
}

/** One cold load and one episode on level `index` of the seeded 6x6 set. */
async function oneRun(index: number): Promise<Run> {
  const workspace = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'sftbench-bench-sample-')))
  const backend = await createBackend({ workspace, defaultModel: MODEL, loadDefaultModel: false, log: () => {} })
  try {
    const t0 = performance.now()
    const status = unwrap(await backend.request('wb:models.load', { dir: MODEL, provider: 'cpu' }))
    if (status.state !== 'ready') throw new Error(`the model did not load: ${status.state}`)
    const t1 = performance.now()
    const record: EpisodeRecord = unwrap(
      await backend.request('wb:episodes.run', {
        episodeId: `bench-${index}`,
        source: { difficulty: 'simple', seed: 2026, count: RUNS },
        index,
        variant: 'sokoban-compact-base',
        params: { temperature: 0, maxNewTokens: 40 },
        seed: 0,
        protocol: { mode: 'closed-loop', maxTurns: 30, maxSteps: 30 },
      }),
    )
    const t2 = performance.now()
    return { loadMs: t1 - t0, episodeMs: t2 - t1, solved: record.success, turns: record.turns }
  } finally {
    await backend.dispose()
    fs.rmSync(workspace, { recursive: true, force: true })
  }
}

export const sampleModelSection: BenchSection = {
  name: 'sample-model',
  title: 'default sample model in the app: cold load + one closed-loop 6x6 episode (target < 1 s on CPU)',
  async run() {
    await oneRun(0) // warm-up: the OS file cache and the module graph, not measured
    const runs: Run[] = []
    for (let i = 0; i < RUNS; i++) runs.push(await oneRun(i))
    printTable(
      ['level', 'load ms', 'episode ms', 'total ms', 'turns', 'solved'],
      runs.map((r, i) => [i, r.loadMs.toFixed(0), r.episodeMs.toFixed(0), (r.loadMs + r.episodeMs).toFixed(0), r.turns, r.solved ? 'yes' : 'no']),
    )
    const total = median(runs.map((r) => r.loadMs + r.episodeMs))
    console.log(
      `median load ${median(runs.map((r) => r.loadMs)).toFixed(0)} ms + episode ${median(runs.map((r) => r.episodeMs)).toFixed(0)} ms; ` +
        `total ${total.toFixed(0)} ms = ${(total / TARGET_MS).toFixed(2)} of the 1 s target -> ${total < TARGET_MS ? 'PASS' : 'FAIL'}; ` +
        `load average ${os.loadavg()[0].toFixed(1)}`,
    )
  },
}
