// runEval with scripted models in place of real ones (no model to load, so these run in
// milliseconds): a General Points sweep through the whole store, and a model that breaks half way,
// which fails the run with its reason while keeping every finished cell.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { oracleClient } from '../../../core/eval/scripted.ts'
import { allSolutions } from '../../../core/gp/solver.ts'
import type { ModelClient } from '../../../core/model/client.ts'
import type { OpenedModel, openModels } from '../../../electron/eval/backends.ts'
import { promptHash, runEval } from '../../../electron/eval/eval-service.ts'
import { readRun } from '../../../electron/eval/run-folder.ts'

const temps: string[] = []
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sftbench-eval-scripted-'))
  temps.push(dir)
  return dir
}
afterAll(() => temps.forEach((d) => fs.rmSync(d, { recursive: true, force: true })))

/** Card values of the two face-card rules (paper-tasks.md §6.2). */
const ALL_10: Record<string, number> = { A: 1, J: 10, Q: 10, K: 10 }
const REGULAR: Record<string, number> = { A: 1, J: 11, Q: 12, K: 13 }

/** An opener that hands every model of the sweep the given client, with a made-up record. */
function scriptedOpen(client: () => ModelClient): typeof openModels {
  return async (spec) => {
    const models = new Map<string, OpenedModel>()
    for (const model of spec.models) {
      const c = client()
      models.set(model.name, {
        spec: model,
        client: c,
        info: await c.info(),
        record: { name: model.name, backend: model.backend, location: 'scripted', provider: 'script', files: [], modelHash: 'c0ffee'.repeat(10) + 'abcd' },
      })
    }
    return models
  }
}

describe('runEval with scripted models', () => {
  it('records a General Points sweep: the oracle is right exactly on the hands that have a solution', async () => {
    const dir = path.join(tempDir(), 'gp')
    const outcome = await runEval({
      spec: {
        version: 1,
        name: 'gp-oracle',
        task: 'gp',
        seed: 9,
        variants: ['gp-test-all_10', 'gp-test-regular'],
        difficulties: [{ name: 'id', preset: 'gp_l_id' }],
        instances: 5,
        models: [{ name: 'oracle', backend: { kind: 'onnx', path: 'unused' } }],
      },
      outDir: dir,
      cacheDir: tempDir(),
      open: scriptedOpen(() => oracleClient()),
    })
    expect(outcome).toMatchObject({ status: 'completed', done: 10, total: 10 })
    const run = await readRun(dir)
    expect(run.results).toHaveLength(10)
    for (const r of run.results) {
      expect(r.task).toBe('gp')
      expect(r.gp?.output).toContain('"formula"')
      expect(run.prompts.has(r.gp?.promptHash ?? '')).toBe(true)
    }
    // gp_l_id's hands are dealt solvable with J/Q/K = 10, so the oracle solves all of them there;
    // with J/Q/K = 11/12/13 it fails exactly on the hands that have no solution under those values.
    for (const r of run.results) {
      const values = r.gp?.cards.map((c) => (r.variant === 'gp-test-all_10' ? ALL_10 : REGULAR)[c] ?? Number(c)) ?? []
      const solvable = allSolutions(values, 24).solutions.length > 0
      expect(r.success, `${r.id} ${values.join(' ')}`).toBe(solvable)
      if (!solvable) expect(r.failure).toBe('wrong-value')
    }
    expect(run.summary?.aggregates.find((a) => a.variant === 'gp-test-all_10')?.successes).toBe(5)
  })

  it('a model that stops answering fails the run with its reason and keeps the finished cells', async () => {
    const dir = path.join(tempDir(), 'broken')
    let generations = 0
    const broken = (): ModelClient => {
      const inner = oracleClient()
      let dead = false
      return {
        ...inner,
        info: () => (dead ? Promise.reject(new Error('the model process died')) : inner.info()),
        generate: (request, onEvent, signal) => {
          if (++generations > 12) dead = true
          return dead ? Promise.reject(new Error('the model process died')) : inner.generate(request, onEvent, signal)
        },
        generateBatch: inner.generateBatch.bind(inner),
        score: inner.score.bind(inner),
        cancel: inner.cancel.bind(inner),
        dispose: inner.dispose.bind(inner),
      }
    }
    const spec = {
      version: 1,
      name: 'broken',
      task: 'sokoban',
      seed: 4,
      variants: ['sokoban-eval-base'],
      difficulties: [{ name: '6x6', difficulty: 'simple' }],
      instances: 20,
      models: [{ name: 'oracle', backend: { kind: 'onnx', path: 'unused' } }],
      concurrency: 1,
    }
    await expect(runEval({ spec, outDir: dir, cacheDir: tempDir(), open: scriptedOpen(broken) })).rejects.toThrow(
      /the model process died/,
    )
    const run = await readRun(dir)
    expect(run.manifest?.status).toBe('failed')
    expect(run.manifest?.error).toContain('the model process died')
    expect(run.summary).toBeNull()
    expect(run.results.length).toBeGreaterThan(0)
    expect(run.results.length).toBeLessThan(20)
    expect(run.results.every((r) => r.success && r.failure === null)).toBe(true)
    expect(run.manifest?.cells.done).toBe(run.results.length)
  })
})

describe('promptHash', () => {
  it('is sha256 of the UTF-8 text, its first 16 hex digits (FIPS 180-2 "abc"; a paper cell with U+221A)', () => {
    expect(promptHash('abc')).toBe('ba7816bf8f01cfea')
    expect(promptHash(' X \t \u221A \t')).toBe('24f4fb9274fbc340')
  })
})
