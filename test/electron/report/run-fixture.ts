// Real run folders for the report and compare command tests: a sweep run by the engine with
// scripted clients (an oracle that solves every level, a random policy) into the run store.
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { countCells } from '../../../core/eval/cells.ts'
import { runSweep } from '../../../core/eval/runner.ts'
import { parseSweepSpec, type SweepSpec } from '../../../core/eval/spec.ts'
import type { ModelClient } from '../../../core/model/client.ts'
import { createRun } from '../../../electron/eval/run-folder.ts'

/** A Sokoban sweep over one model: 2 variants x 1 difficulty x `instances` instances. */
export function sokobanSweep(model: string, instances = 3): SweepSpec {
  return parseSweepSpec({
    version: 1,
    name: 'report-test',
    description: 'A sweep for the <report> tests',
    task: 'sokoban',
    seed: 5,
    variants: ['sokoban-eval-base', 'sokoban-eval-cardinal'],
    difficulties: [{ name: '6x6-1box', difficulty: 'simple', value: 1 }],
    instances,
    protocol: { mode: 'closed-loop', maxTurns: 8, maxSteps: 30 },
    models: [{ name: model, backend: { kind: 'onnx', path: 'models/none' }, sampling: { temperature: 0.5 } }],
    concurrency: 4,
  })
}

/** Runs `spec` with the given clients into a new run folder and returns the folder. */
export async function makeRun(parent: string, name: string, spec: SweepSpec, clients: Map<string, ModelClient>): Promise<string> {
  const dir = path.join(parent, name)
  const writer = await createRun(dir, {
    spec,
    models: spec.models.map((m) => ({
      name: m.name,
      backend: m.backend,
      location: 'scripted',
      provider: 'cpu',
      files: [],
      modelHash: 'c'.repeat(64),
    })),
    total: countCells(spec),
  })
  const outcome = await runSweep(spec, {
    clients,
    clock: { now: () => performance.now() },
    hash: (text) => createHash('sha256').update(text).digest('hex').slice(0, 16),
    sink: writer,
  })
  await writer.finish({ status: outcome.status, total: outcome.total, aggregates: outcome.aggregates })
  return dir
}

/** A temporary folder removed by the returned cleanup. */
export function tempFolder(prefix: string): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix))
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) }
}

/** The parsed lines of a run folder's results.jsonl, read directly (not through readRun). */
export function resultLines(dir: string): { id: string; key: string; success: boolean; variant: string }[] {
  return fs
    .readFileSync(path.join(dir, 'results.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as { id: string; key: string; success: boolean; variant: string })
}
