/**
 * @module electron/eval/backends
 * Opens the models of a sweep: a local ONNX folder runs in a worker thread (`startModelWorker`), an
 * OpenAI-compatible server is reached over HTTP. Each opened model comes with what the run folder
 * records about it: where it was loaded from, the provider that actually bound, its files with
 * their sha256, and the model hash that keys the generation cache.
 */
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import type { ModelSpec, OnnxBackendSpec, OpenAiBackendSpec, SweepSpec } from '../../core/eval/spec.ts'
import type { ModelClient, ModelInfo } from '../../core/model/client.ts'
import { createOpenAiClient } from '../openai/client.ts'
import { startModelWorker } from '../runtime/client.ts'
import { ModelFolderError } from '../runtime/issues.ts'
import { ProviderUnavailableError } from '../runtime/providers.ts'
import { hashModelFolder } from './model-hash.ts'
import type { RunModel } from './run-folder.ts'

/** A model of the sweep, loaded, with its record for the manifest. */
export interface OpenedModel {
  readonly spec: ModelSpec
  readonly client: ModelClient
  readonly info: ModelInfo
  readonly record: RunModel
}

/** Options of `openModels`. */
export interface OpenModelsOptions {
  /** Where file hashes are memoized (`model-hashes.json`); none when absent. */
  readonly cacheDir?: string
  /** Called before each model is opened, e.g. to print "loading ...". */
  readonly onOpening?: (model: ModelSpec) => void
}

/** A model that could not be opened; the message names the model and the fix. */
export class BackendError extends Error {
  override name = 'BackendError'
}

/** Largest batch the local runtime forms: as many as the sweep keeps in flight, within reason. */
const MAX_LOCAL_BATCH = 64

/**
 * Opens every model of `spec` (relative ONNX paths resolve against `sweepDir`), in spec order. If
 * one fails, the ones already open are disposed and the error (a `BackendError`) names the model.
 */
export async function openModels(
  spec: SweepSpec,
  sweepDir: string,
  options: OpenModelsOptions = {},
): Promise<Map<string, OpenedModel>> {
  const opened = new Map<string, OpenedModel>()
  try {
    for (const model of spec.models) {
      options.onOpening?.(model)
      const backend = model.backend
      const open =
        backend.kind === 'onnx'
          ? openOnnx(model, backend, sweepDir, Math.min(MAX_LOCAL_BATCH, spec.concurrency), options)
          : openOpenAi(model, backend)
      opened.set(model.name, await open)
    }
  } catch (error) {
    await closeModels(opened)
    throw error
  }
  return opened
}

/** Disposes every opened model, even when some disposals fail (the first failure is rethrown). */
export async function closeModels(models: ReadonlyMap<string, OpenedModel>): Promise<void> {
  const outcomes = await Promise.allSettled([...models.values()].map((m) => m.client.dispose()))
  const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected')
  if (failed) throw failed.reason
}

async function openOnnx(
  model: ModelSpec,
  backend: OnnxBackendSpec,
  sweepDir: string,
  maxBatch: number,
  options: OpenModelsOptions,
): Promise<OpenedModel> {
  const dir = path.resolve(sweepDir, backend.path)
  if (!fs.existsSync(dir)) {
    throw new BackendError(
      `Model "${model.name}": the folder ${dir} does not exist (backend.path "${backend.path}" is relative to the ` +
        'sweep file). Fix the path in the sweep file.',
    )
  }
  let client
  try {
    client = await startModelWorker({
      dir,
      provider: backend.provider ?? 'auto',
      ...(backend.variant === undefined ? {} : { variant: backend.variant }),
      maxBatch,
    })
  } catch (error) {
    if (error instanceof ModelFolderError || error instanceof ProviderUnavailableError) {
      throw new BackendError(`Model "${model.name}" (${dir}): ${error.message}`, { cause: error })
    }
    throw error
  }
  try {
    const info = await client.info()
    const report = client.report
    if (report === undefined) throw new Error(`Model "${model.name}": the worker loaded ${dir} but sent no load report.`)
    const hash = await hashModelFolder(dir, report.file, options.cacheDir)
    return {
      spec: model,
      client,
      info,
      record: {
        name: model.name,
        backend,
        location: dir,
        provider: report.provider,
        files: hash.files,
        modelHash: hash.modelHash,
      },
    }
  } catch (error) {
    await client.dispose()
    throw error
  }
}

async function openOpenAi(model: ModelSpec, backend: OpenAiBackendSpec): Promise<OpenedModel> {
  const where = backend.endpoints.map((e) => e.url).join(', ')
  let client
  try {
    client = createOpenAiClient(backend)
  } catch (error) {
    // An unset apiKeyEnv, say: the message names the field and the fix.
    throw new BackendError(`Model "${model.name}" (${where}): ${(error as Error).message}`, { cause: error })
  }
  try {
    const info = await client.info()
    // No files to hash: the served model's name stands for it (a server that swaps weights under
    // the same name should be given a new name, or run with --no-cache).
    const modelHash = createHash('sha256')
      .update(JSON.stringify({ kind: 'openai', api: backend.api, model: backend.model }))
      .digest('hex')
    return {
      spec: model,
      client,
      info,
      record: {
        name: model.name,
        backend,
        location: backend.endpoints.map((e) => e.url).join(' '),
        provider: info.provider,
        files: [],
        modelHash,
      },
    }
  } catch (error) {
    await client.dispose()
    throw new BackendError(`Model "${model.name}" (${where}): ${(error as Error).message}`, { cause: error })
  }
}
