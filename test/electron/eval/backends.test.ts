// @vitest-environment node
// Opening a sweep's models: the ONNX record (resolved folder, provider that bound, file hashes),
// the errors that name the model, and a whole sweep over the OpenAI-compatible backend, served by
// sftbench's own server over the tiny fixture model.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseSweepSpec } from '../../../core/eval/spec.ts'
import { BackendError, closeModels, openModels } from '../../../electron/eval/backends.ts'
import { runEval } from '../../../electron/eval/eval-service.ts'
import { readRun } from '../../../electron/eval/run-folder.ts'
import { startOpenAiServer, type OpenAiServer } from '../../../electron/openai/server.ts'
import { startModelWorker, type WorkerModelClient } from '../../../electron/runtime/client.ts'
import { FIXTURE } from '../runtime/fixture.ts'

function sweep(models: unknown[], extra: Record<string, unknown> = {}): ReturnType<typeof parseSweepSpec> {
  return parseSweepSpec({
    version: 1,
    name: 'backends',
    task: 'sokoban',
    seed: 1,
    variants: ['sokoban-eval-base'],
    difficulties: [{ name: '6x6', difficulty: 'simple' }],
    instances: 2,
    protocol: { mode: 'closed-loop', maxTurns: 2, maxSteps: 30 },
    models,
    ...extra,
  })
}

let root = ''
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'sftbench-backends-'))
})
afterAll(() => fs.rmSync(root, { recursive: true, force: true }))

describe('openModels (onnx)', () => {
  it('resolves a relative path against the sweep folder and records provider, files and model hash', async () => {
    const sweepDir = path.join(path.dirname(FIXTURE), 'somewhere')
    const spec = sweep([{ name: 'tiny', backend: { kind: 'onnx', path: '../tiny-llama', provider: 'cpu', variant: 'q4' } }])
    const models = await openModels(spec, sweepDir)
    try {
      const record = models.get('tiny')?.record
      expect(record?.location).toBe(FIXTURE)
      expect(record?.provider).toBe('cpu')
      // The q4 graph was loaded, and its sha256 is the fixture's published one.
      expect(record?.files.find((f) => f.path.startsWith('onnx/'))).toEqual({
        path: 'onnx/model_q4.onnx',
        bytes: 1_099_382,
        sha256: '6add5fba7c5d623611d876e82bd43db7e1edd4d32ab415a9944bd09d846b7c3a',
      })
      expect(models.get('tiny')?.info.provider).toBe('cpu')
    } finally {
      await closeModels(models)
    }
  })

  it('names the model and the folder when the folder is missing', async () => {
    const spec = sweep([{ name: 'lost', backend: { kind: 'onnx', path: 'no/such/model' } }])
    const error = await openModels(spec, root).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(BackendError)
    expect((error as Error).message).toContain(`Model "lost": the folder ${path.join(root, 'no/such/model')} does not exist`)
  })

  it('names the model when an openai endpoint needs an API key that is not set', async () => {
    const spec = sweep([
      {
        name: 'remote',
        backend: {
          kind: 'openai',
          api: 'completions',
          model: 'm',
          endpoints: [{ url: 'http://127.0.0.1:9/v1', apiKeyEnv: 'SFTBENCH_TEST_KEY_THAT_IS_NOT_SET' }],
        },
      },
    ])
    await expect(openModels(spec, root)).rejects.toThrow(/Model "remote" \(http:\/\/127\.0\.0\.1:9\/v1\): .*SFTBENCH_TEST_KEY_THAT_IS_NOT_SET/)
  })
})

describe('a sweep over the OpenAI-compatible backend', () => {
  let worker: WorkerModelClient
  let server: OpenAiServer
  beforeAll(async () => {
    worker = await startModelWorker({ dir: FIXTURE, provider: 'cpu' })
    server = await startOpenAiServer({ client: worker, port: 0, modelName: 'tiny-served' })
  })
  afterAll(async () => {
    await server?.close()
    await worker?.dispose()
  })

  it('runs every cell through the server and records the HTTP model', async () => {
    const spec = sweep([
      {
        name: 'served',
        backend: { kind: 'openai', api: 'completions', model: 'tiny-served', endpoints: [{ url: server.url, maxConcurrency: 2 }] },
        sampling: { temperature: 0.5, maxNewTokens: 4 },
      },
    ])
    const dir = path.join(root, 'http-run')
    const outcome = await runEval({ spec, outDir: dir, cacheDir: path.join(root, 'cache') })
    expect(outcome).toMatchObject({ status: 'completed', done: 2, total: 2 })
    const run = await readRun(dir)
    expect(run.manifest?.models[0]).toMatchObject({ name: 'served', provider: 'http', files: [], location: server.url })
    expect(run.results.map((r) => r.id).sort()).toEqual(['served/sokoban-eval-base/6x6/0/0', 'served/sokoban-eval-base/6x6/1/0'])
    // Every cell ran its turns on the model (none failed at the HTTP layer).
    expect(run.results.every((r) => r.failure !== 'backend-error' && r.turns >= 1)).toBe(true)
  })
})
