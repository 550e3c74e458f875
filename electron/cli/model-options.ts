/**
 * @module electron/cli/model-options
 * What the commands that load a local model (`generate`, `serve-model`) share: the options that say
 * how to load it, the checks that fail fast on this thread (a missing provider, a wrong folder)
 * before a worker starts, and starting the worker with the runtime's errors turned into CLI failures.
 */
import path from 'node:path'
import { startModelWorker, type WorkerModelClient } from '../runtime/client.ts'
import { ModelFolderError } from '../runtime/issues.ts'
import { prepareModel, type PreparedModel } from '../runtime/model-folder.ts'
import {
  DEVICE_CHOICES,
  ProviderUnavailableError,
  availableProviders,
  platformFacts,
  providerAvailability,
  providerLabel,
  type DeviceChoice,
} from '../runtime/providers.ts'
import { CliFailure, UsageError, choiceOpt, flag, optionalIntOpt, stringOpt, type OptionSpec, type ParsedArgs } from './command.ts'
import type { CliIo } from './io.ts'

/** The options of a command that loads a model folder (spread into its `options`). */
export const MODEL_LOAD_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  provider: { type: 'string', value: 'P', help: `Execution provider: ${DEVICE_CHOICES.join(', ')} (default auto).` },
  dtype: { type: 'string', value: 'D', help: 'Graph to load: fp32, fp16, q8, int8, q4, ... or a file (default: by provider).' },
  threads: { type: 'string', value: 'N', help: 'Intra-op threads (default: one per core).' },
  'ignore-memory': { type: 'boolean', help: 'Load even if the model looks larger than the free memory.' },
}

/** How to load the model, read from the command line and checked. */
export interface ModelLoad {
  readonly dir: string
  readonly provider: DeviceChoice
  /** The graph to load (`--dtype`), or undefined for the provider's default. */
  readonly variant: string | undefined
  readonly threads: number | undefined
  readonly ignoreMemory: boolean
  /** The folder as checked on this thread (its warnings, chat template, files). */
  readonly prepared: PreparedModel
}

/**
 * Reads the model options for the folder `dirArg` and checks them on this thread, so that a missing
 * provider or a wrong folder fails at once, with its fix, before a worker thread starts.
 * `aliases` lets a command keep older names of `--dtype` (serve-model's `--variant`).
 */
export function readModelLoad(args: ParsedArgs, io: CliIo, dirArg: string, aliases: readonly string[] = []): ModelLoad {
  const provider = choiceOpt<DeviceChoice>(args, 'provider', DEVICE_CHOICES, 'auto')
  const threads = optionalIntOpt(args, 'threads', 1, 1024)
  const given = [stringOpt(args, 'dtype'), ...aliases.map((a) => stringOpt(args, a))].filter((v) => v !== undefined)
  if (given.length > 1) throw new UsageError(`give the graph once, with --dtype (got ${given.join(' and ')}).`)
  const variant = given[0]
  const ignoreMemory = flag(args, 'ignore-memory')
  const dir = path.resolve(io.cwd, dirArg)
  if (provider !== 'auto') {
    const availability = providerAvailability(provider, platformFacts())
    if (!availability.available) {
      throw new CliFailure(`${providerLabel(provider)} was requested, but ${availability.reason}.\nTo fix: ${availability.fix}.`)
    }
  }
  // With a GPU provider in play, fp16 graphs are preferred when the folder has them.
  const gpu = provider !== 'cpu' && (provider !== 'auto' || availableProviders().some((p) => p.available && p.name !== 'cpu'))
  try {
    const prepared = prepareModel(dir, { variant, preferFp16: gpu, ignoreMemory })
    return { dir, provider, variant, threads, ignoreMemory, prepared }
  } catch (error) {
    if (error instanceof ModelFolderError) throw new CliFailure(error.message)
    throw error
  }
}

/** Starts the model's worker thread; a folder or provider problem becomes a CLI failure with its fix. */
export async function startModelFor(load: ModelLoad, maxBatch?: number): Promise<WorkerModelClient> {
  try {
    return await startModelWorker({
      dir: load.dir,
      provider: load.provider,
      variant: load.variant,
      ignoreMemory: load.ignoreMemory,
      ...(maxBatch !== undefined ? { maxBatch } : {}),
      ...(load.threads !== undefined ? { session: { intraOpThreads: load.threads } } : {}),
    })
  } catch (error) {
    if (error instanceof ModelFolderError || error instanceof ProviderUnavailableError) throw new CliFailure(error.message)
    throw error
  }
}
