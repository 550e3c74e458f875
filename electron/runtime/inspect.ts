/**
 * @module electron/runtime/inspect
 * Everything a user needs to know about a model folder before loading it, read without loading it
 * (no onnxruntime): architecture and cache shape, every graph variant, the chosen graph's inputs and
 * outputs and whether each is supported, the chat template, special tokens and generation defaults,
 * the providers available here, estimated memory, and every problem with its fix.
 */
import os from 'node:os'
import { ModelFolderError, errorIssue, type FolderIssue } from './issues.ts'
import {
  estimateMemory,
  formatBytes,
  inspectVariant,
  pickVariant,
  readModelFolder,
  type GenerationDefaults,
  type ModelConfig,
  type SpecialToken,
} from './model-folder.ts'
import { availableProviders, providerPlan, type ProviderAvailability } from './providers.ts'
import type { IoCheck } from './signature.ts'

/** One graph file of the folder. */
export interface VariantSummary {
  readonly file: string
  readonly dtype: string
  /** The `.onnx` file plus its external data. */
  readonly bytes: number
  /** What the weights are, read from the graph (null when the file cannot be read). */
  readonly weightFormat: string | null
  readonly kvDtype: string | null
  /** Whether the graph is a supported KV-cached decoder. */
  readonly supported: boolean
}

/** The report of `inspectModel`. */
export interface InspectReport {
  readonly dir: string
  readonly name: string
  /** Null when the folder's files could not be read at all. */
  readonly config: ModelConfig | null
  readonly tokenizerVocab: number | null
  readonly variants: readonly VariantSummary[]
  /** The graph `load` would pick (or the one asked for). */
  readonly chosen: string | null
  readonly layers: number | null
  readonly kvHeads: number | null
  readonly headDim: number | null
  readonly kvDtype: string | null
  readonly io: readonly IoCheck[]
  readonly chatTemplate: string | null
  readonly special: { readonly bos: SpecialToken | null; readonly eos: SpecialToken | null; readonly pad: SpecialToken | null }
  readonly generation: GenerationDefaults | null
  readonly providers: readonly ProviderAvailability[]
  readonly memory: {
    readonly weights: number
    readonly kvPerToken: number
    readonly contextTokens: number
    readonly total: number
    readonly free: number
  } | null
  readonly issues: readonly FolderIssue[]
  /** True when there are no errors: `load` would succeed (given the memory). */
  readonly loadable: boolean
}

/** Options of `inspectModel`. */
export interface InspectOptions {
  /** The dtype or file to report on in detail (default: the one `load` picks on the CPU). */
  readonly variant?: string
  /** Prefer fp16 graphs, as a GPU load would. */
  readonly preferFp16?: boolean
  /** Free memory in bytes (default `os.freemem()`). */
  readonly freeMemory?: number
}

/** Inspects the model folder `dir`. Never throws for a broken folder: problems are in `issues`. */
export function inspectModel(dir: string, options: InspectOptions = {}): InspectReport {
  // The providers `auto` would try on this platform (CUDA and the CPU on Linux).
  const plan = providerPlan('auto', process.platform)
  const providers = availableProviders().filter((p) => plan.includes(p.name))
  let folder
  try {
    folder = readModelFolder(dir)
  } catch (error) {
    if (!(error instanceof ModelFolderError)) throw error
    return {
      dir: error.dir,
      name: error.dir.split(/[\\/]/).pop() ?? dir,
      config: null,
      tokenizerVocab: null,
      variants: [],
      chosen: null,
      layers: null,
      kvHeads: null,
      headDim: null,
      kvDtype: null,
      io: [],
      chatTemplate: null,
      special: { bos: null, eos: null, pad: null },
      generation: null,
      providers,
      memory: null,
      issues: error.issues,
      loadable: false,
    }
  }
  const issues: FolderIssue[] = [...folder.issues]
  const variants: VariantSummary[] = folder.variants.map((variant) => {
    try {
      const r = inspectVariant(folder, variant)
      return {
        file: variant.file,
        dtype: variant.dtype,
        bytes: r.totalBytes,
        weightFormat: r.weightFormat,
        kvDtype: r.analysis.signature?.kvDtype ?? null,
        supported: r.issues.every((i) => i.severity !== 'error'),
      }
    } catch (error) {
      // An unreadable graph is listed as unsupported; its issue is reported if it is the chosen one.
      if (!(error instanceof ModelFolderError)) throw error
      return { file: variant.file, dtype: variant.dtype, bytes: variant.bytes, weightFormat: null, kvDtype: null, supported: false }
    }
  })
  let chosenReport = null
  let chosen: string | null = null
  try {
    const variant = pickVariant(folder, options.variant, options.preferFp16)
    chosen = variant.file
    chosenReport = inspectVariant(folder, variant)
    issues.push(...chosenReport.issues)
  } catch (error) {
    if (!(error instanceof ModelFolderError)) throw error
    issues.push(...error.issues)
  }
  const signature = chosenReport?.analysis.signature ?? null
  const free = options.freeMemory ?? os.freemem()
  const context = Math.min(4096, folder.config.maxContext ?? 4096)
  let memory = null
  if (chosenReport) {
    const estimate = estimateMemory(chosenReport.totalBytes, signature, context)
    memory = { ...estimate, free }
    if (estimate.total > free) {
      issues.push(
        errorIssue(
          chosenReport.variant.file,
          `the model needs about ${formatBytes(estimate.total)} but only ${formatBytes(free)} of memory is free`,
          'close other programs, pick a smaller graph (e.g. --dtype q4 or int8), or pass --ignore-memory to try anyway',
        ),
      )
    }
  }
  return {
    dir: folder.dir,
    name: folder.name,
    config: folder.config,
    tokenizerVocab: folder.tokenizerVocab,
    variants,
    chosen,
    layers: signature?.layers ?? folder.config.layers,
    kvHeads: signature?.kvHeads ?? folder.config.kvHeads,
    headDim: signature?.headDim ?? folder.config.headDim,
    kvDtype: signature?.kvDtype ?? null,
    io: chosenReport?.analysis.io ?? [],
    chatTemplate: folder.chatTemplate,
    special: { bos: folder.bos, eos: folder.eos, pad: folder.pad },
    generation: folder.generation,
    providers,
    memory,
    issues,
    loadable: issues.every((i) => i.severity !== 'error'),
  }
}
