/**
 * @module electron/eval/eval-service
 * `runEval`: the one entry point that runs a sweep end to end, for the CLI and the app alike. It
 * reads the sweep, opens (or resumes) the run folder, opens the models, puts the generation cache in
 * front of them, runs the sweep with the run folder as its sink, and closes everything:
 *
 *     const outcome = await runEval({ sweepFile: 'samples/sweeps/smoke.json', onEvent: console.log })
 *
 * Resume (`resumeDir`) runs only the cells missing from the folder, including a folder killed before
 * its manifest or its first result was written (then the sweep must be given). Cancelling through
 * `signal` keeps every finished cell and writes the summary with status `cancelled`.
 */
import { createHash, hash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { CachingModelClient } from '../../core/eval/cache.ts'
import { countCells } from '../../core/eval/cells.ts'
import { runSweep } from '../../core/eval/runner.ts'
import { parseSweepSpec, type SweepSpec } from '../../core/eval/spec.ts'
import type { Aggregate, SweepEvent } from '../../core/eval/types.ts'
import type { ModelClient } from '../../core/model/client.ts'
import { SpecError } from '../../core/experiment/schema.ts'
import { closeModels, openModels, type OpenModelsOptions, type OpenedModel } from './backends.ts'
import { DiskGenerationCache, defaultCacheDir } from './generation-cache.ts'
import { createRun, openRunForResume, prepareRunDir, resumeRun, type RunModel, type RunWriter } from './run-folder.ts'

/** What to run. Give `spec` or `sweepFile` (with `resumeDir`, neither: the folder's manifest has it). */
export interface EvalOptions {
  /** A sweep spec object (validated here). Relative model paths resolve against `cwd`. */
  readonly spec?: unknown
  /** A sweep JSON file; relative model paths resolve against its folder. */
  readonly sweepFile?: string
  /** The folder relative paths are resolved against (default `process.cwd()`). */
  readonly cwd?: string
  /** The new run's folder (default `runs/<sweep name>-<date>-<time>`); not with `resumeDir`. */
  readonly outDir?: string
  /** A run folder to resume. */
  readonly resumeDir?: string
  /** The sftbench cache folder (default `defaultCacheDir()`): generations and model-file hashes. */
  readonly cacheDir?: string
  /** Do not read or write the generation cache (every generation goes to the model). */
  readonly noCache?: boolean
  /** Overrides the spec's `concurrency`. */
  readonly concurrency?: number
  /** Run only these of the sweep's models (by name); not with `resumeDir`, whose run already chose. */
  readonly models?: readonly string[]
  readonly onEvent?: (event: SweepEvent) => void
  /** Called before each model is opened (loading takes seconds). */
  readonly onOpening?: OpenModelsOptions['onOpening']
  readonly signal?: AbortSignal
  /** How models are opened (default `openModels`); tests wrap it to count generations. */
  readonly open?: typeof openModels
  /** The time used for the default folder name (default now). */
  readonly now?: Date
}

/** Generations answered from the cache and by the models, over this invocation. */
export interface CacheCounts {
  readonly hits: number
  readonly misses: number
}

/** How a run ended. */
export interface EvalOutcome {
  readonly dir: string
  readonly status: 'completed' | 'cancelled'
  /** Cells in the folder, earlier runs included. */
  readonly done: number
  readonly total: number
  /** Cells that finished in this invocation. */
  readonly ranNow: number
  readonly aggregates: readonly Aggregate[]
  readonly models: readonly RunModel[]
  /** Null with `noCache`. */
  readonly cache: CacheCounts | null
  /** Torn lines cut off when resuming (0 for a new run). */
  readonly tornLinesRemoved: number
  readonly spec: SweepSpec
}

/** A usage problem of `runEval` (bad combination of options, unreadable sweep file). */
export class EvalOptionsError extends Error {
  override name = 'EvalOptionsError'
}

/**
 * The prompt hash the run folder uses: sha256 of the UTF-8 text, first 16 hex characters. The
 * one-shot `crypto.hash` gives the same digest as `createHash` without a Hash object per prompt.
 */
export function promptHash(text: string): string {
  return hash('sha256', text).slice(0, 16)
}

/** Reads and validates a sweep file; the error names the file and the field. */
export async function loadSweepFile(file: string): Promise<SweepSpec> {
  let text: string
  try {
    text = await fs.promises.readFile(file, 'utf8')
  } catch (error) {
    throw new EvalOptionsError(`Cannot read the sweep file ${file}: ${(error as Error).message}`, { cause: error })
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw new EvalOptionsError(`${file} is not valid JSON: ${(error as Error).message}`, { cause: error })
  }
  try {
    return parseSweepSpec(value)
  } catch (error) {
    if (error instanceof SpecError) throw new EvalOptionsError(`${file}: ${error.message}`, { cause: error })
    throw error
  }
}

/** The default folder of a new run: `<cwd>/runs/<name>-YYYYMMDD-HHMMSS` (local time). */
export function defaultRunDir(spec: SweepSpec, cwd: string, now: Date = new Date()): string {
  const pad = (n: number): string => String(n).padStart(2, '0')
  const stamp =
    `${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}-` +
    `${pad(now.getHours())}${pad(now.getMinutes())}${pad(now.getSeconds())}`
  return path.join(cwd, 'runs', `${spec.name}-${stamp}`)
}

/** Runs (or resumes) a sweep into a run folder; see the module comment. */
/** The sweep with only the named models; an unknown name is an error that lists the sweep's models. */
function onlyModels(spec: SweepSpec, names: readonly string[]): SweepSpec {
  const known = spec.models.map((m) => m.name)
  const unknown = names.filter((n) => !known.includes(n))
  if (unknown.length > 0) {
    throw new EvalOptionsError(`The sweep has no model named ${unknown.map((n) => `"${n}"`).join(', ')}; its models are ${known.join(', ')}.`)
  }
  return { ...spec, models: spec.models.filter((m) => names.includes(m.name)) }
}

export async function runEval(options: EvalOptions): Promise<EvalOutcome> {
  const cwd = options.cwd ?? process.cwd()
  if (options.spec !== undefined && options.sweepFile !== undefined) {
    throw new EvalOptionsError('Give a sweep spec or a sweep file, not both.')
  }
  if (options.outDir !== undefined && options.resumeDir !== undefined) {
    throw new EvalOptionsError('A resumed run stays in its folder: give --resume DIR or --out DIR, not both.')
  }
  const sweepFile = options.sweepFile === undefined ? null : path.resolve(cwd, options.sweepFile)
  let given: SweepSpec | undefined
  if (sweepFile !== null) given = await loadSweepFile(sweepFile)
  else if (options.spec !== undefined) {
    try {
      given = parseSweepSpec(options.spec)
    } catch (error) {
      if (error instanceof SpecError) throw new EvalOptionsError(error.message, { cause: error })
      throw error
    }
  }
  if (given === undefined && options.resumeDir === undefined) {
    throw new EvalOptionsError('Give a sweep (a SWEEP.json file), or --resume DIR to continue a run.')
  }

  if (options.models !== undefined && given !== undefined) {
    if (options.resumeDir !== undefined) throw new EvalOptionsError('A resumed run keeps its models: drop --model.')
    given = onlyModels(given, options.models)
  }
  const resumable = options.resumeDir === undefined ? null : await openRunForResume(path.resolve(cwd, options.resumeDir), given)
  let spec = resumable?.spec ?? (given as SweepSpec)
  if (options.concurrency !== undefined) spec = { ...spec, concurrency: options.concurrency }
  // Relative model paths: against the sweep file's folder (this one's, else the one the run began with).
  const recordedFile = resumable?.manifest?.sweepFile ?? null
  const baseFile = sweepFile ?? recordedFile
  const sweepDir = baseFile === null ? cwd : path.dirname(baseFile)
  const dir = resumable?.dir ?? path.resolve(cwd, options.outDir ?? defaultRunDir(spec, cwd, options.now))

  if (resumable === null) await prepareRunDir(dir)
  const cacheDir = options.cacheDir === undefined ? defaultCacheDir() : path.resolve(cwd, options.cacheDir)
  const open = options.open ?? openModels
  const models = await open(spec, sweepDir, { cacheDir, onOpening: options.onOpening })
  const caches: DiskGenerationCache[] = []
  let writer: RunWriter | undefined
  try {
    const wrapped = new Map<string, ModelClient>()
    const caching: CachingModelClient[] = []
    for (const [name, model] of models) wrapped.set(name, options.noCache ? model.client : withCache(model, cacheDir, caches, caching))
    const records = [...models.values()].map((m) => m.record)
    const total = countCells(spec)
    const start = { spec, models: records, total, sweepFile: baseFile }
    writer = resumable === null ? await createRun(dir, start) : await resumeRun(resumable, start)
    const before = writer.done

    let outcome
    try {
      outcome = await runSweep(spec, {
        clients: wrapped,
        clock: { now: () => performance.now() },
        hash: promptHash,
        sink: writer,
        previous: resumable?.results() ?? [],
        ...(options.signal === undefined ? {} : { signal: options.signal }),
        ...(options.onEvent === undefined ? {} : { onEvent: options.onEvent }),
      })
    } catch (error) {
      await writer.finish({ status: 'failed', total, error: (error as Error).message })
      throw error
    }
    await writer.finish({ status: outcome.status, total, aggregates: outcome.aggregates })
    return {
      dir,
      status: outcome.status,
      done: writer.done,
      total,
      ranNow: writer.done - before,
      aggregates: outcome.aggregates,
      models: records,
      cache: options.noCache
        ? null
        : { hits: sum(caching.map((c) => c.hits)), misses: sum(caching.map((c) => c.misses)) },
      tornLinesRemoved: resumable?.tornLinesRemoved ?? 0,
      spec,
    }
  } finally {
    writer?.close()
    for (const cache of caches) cache.close()
    await closeModels(models)
  }
}

function withCache(
  model: OpenedModel,
  cacheDir: string,
  caches: DiskGenerationCache[],
  caching: CachingModelClient[],
): CachingModelClient {
  const cache = DiskGenerationCache.forModel(cacheDir, model.record.modelHash)
  caches.push(cache)
  const client = new CachingModelClient(
    model.client,
    cache,
    { modelHash: model.record.modelHash, provider: model.record.provider },
    (text) => createHash('sha256').update(text).digest('hex'),
  )
  caching.push(client)
  return client
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0)
}
