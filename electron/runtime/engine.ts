/**
 * @module electron/runtime/engine
 * A loaded model on the current thread: folder checks, the session on the bound provider, the
 * tokenizer, the KV-cached decoder and core's continuous-batching scheduler, behind core's
 * `ModelClient` interface.
 *
 * `session.run` blocks the thread it runs on, so the app and the CLI use this through the worker
 * (`client.ts`); tests and benchmarks may use it directly.
 */
import type {
  AbortSignalLike,
  GenerateEvent,
  GeneratePrompt,
  GenerateRequest,
  GenerateResult,
  ModelClient,
  ModelInfo,
  ScoreRequest,
  ScoreResult,
} from '../../core/model/client.ts'
import { resolveSamplingParams, type SamplingParamsInput } from '../../core/model/params.ts'
import { BatchScheduler, type SchedulerRequest } from '../../core/model/scheduler.ts'
import { OrtDecoder, type DecoderStats } from './decoder.ts'
import { ModelFolderError, warningIssue, type FolderIssue } from './issues.ts'
import { prepareModel, type ModelFolder, type PreparedModel } from './model-folder.ts'
import {
  DEFAULT_SESSION_SETTINGS,
  createSession,
  releaseSession,
  sessionGraph,
  type OrtSession,
  type ProviderAttempt,
  type SessionSettings,
} from './onnx.ts'
import type { DeviceChoice } from './providers.ts'
import { analyzeSignature } from './signature.ts'
import { loadTokenizer, type TextTokenizer } from './tokenizer.ts'

/** How to load a model. Plain data, so it can be posted to the worker. */
export interface LoadOptions {
  /** The model folder. */
  readonly dir: string
  /** The execution provider; `auto` (default) tries CUDA, DirectML / CoreML, then the CPU. */
  readonly provider?: DeviceChoice
  /** A dtype (fp32, fp16, q8, int8, q4, ...) or a graph file relative to the folder. */
  readonly variant?: string
  /** Session settings over `DEFAULT_SESSION_SETTINGS`. */
  readonly session?: Partial<SessionSettings>
  /** The largest batch (default 16). */
  readonly maxBatch?: number
  /** Prefill chunk length in tokens (default: by a logits memory budget). */
  readonly prefillChunkTokens?: number
  /** Shared-prefix KV caches kept (default 4; 0 turns reuse off). */
  readonly prefixCacheEntries?: number
  /** Shortest shared prompt prefix worth caching, in tokens (default 32; 0 turns reuse off). */
  readonly minSharedPrefix?: number
  /** Skip the free-memory check. */
  readonly ignoreMemory?: boolean
  /** Free memory to check against, in bytes (default `os.freemem()`); for tests. */
  readonly freeMemory?: number
}

/** What loading did: the provider that bound, the graph, and the warnings. */
export interface LoadReport {
  readonly provider: string
  readonly attempts: readonly ProviderAttempt[]
  /** The graph file, relative to the folder. */
  readonly file: string
  readonly weightFormat: string
  readonly warnings: readonly FolderIssue[]
  readonly loadMs: number
  readonly settings: SessionSettings
}

/** The sampling defaults of `generation_config.json`, with Hugging Face's semantics. */
export function generationDefaults(folder: ModelFolder): SamplingParamsInput {
  const g = folder.generation
  const out: { -readonly [K in keyof SamplingParamsInput]: SamplingParamsInput[K] } = {}
  if (g.doSample) {
    // transformers samples with temperature 1 and top_k 50 unless the config says otherwise.
    out.temperature = g.temperature ?? 1
    out.topK = g.topK ?? 50
    if (g.topP !== null) out.topP = g.topP
    if (g.minP !== null) out.minP = g.minP
  } else {
    out.temperature = 0
  }
  if (g.maxNewTokens !== null) out.maxNewTokens = g.maxNewTokens
  return out
}

/** Loads a model folder on the current thread. Throws `ModelFolderError` or `ProviderUnavailableError`. */
export async function loadModel(options: LoadOptions): Promise<LocalModelClient> {
  const started = performance.now()
  const choice = options.provider ?? 'auto'
  // GPU providers get the fp16 graph when there is one, the CPU the fp32 one (unless one is named).
  const preparedFor = memo((gpu: boolean) =>
    prepareModel(options.dir, {
      variant: options.variant,
      preferFp16: gpu,
      ignoreMemory: options.ignoreMemory,
      freeMemory: options.freeMemory,
    }),
  )
  const settingsFor = (prepared: PreparedModel): SessionSettings => {
    const configEntries: Record<string, string> = {}
    if (prepared.report.weightFormat.startsWith('int8 (DequantizeLinear)')) {
      // onnxruntime fuses DequantizeLinear + MatMul into an 8-bit MatMulNBits whose default accuracy
      // level quantizes activations too; level 1 keeps them in float, as the graph specifies.
      configEntries['session.qdq_matmulnbits_accuracy_level'] = '1'
    }
    return {
      ...DEFAULT_SESSION_SETTINGS,
      ...options.session,
      configEntries: { ...configEntries, ...options.session?.configEntries },
    }
  }
  // Read and check the folder before trying any provider, so folder errors come first.
  const first = preparedFor(choice !== 'cpu' && choice !== 'auto')
  const bound = await createSession(first.report.variant.path, choice, settingsFor(first), {
    perProvider: (provider) => {
      const p = preparedFor(provider !== 'cpu')
      return { modelPath: p.report.variant.path, settings: settingsFor(p) }
    },
  })
  const prepared = preparedFor(bound.provider !== 'cpu')
  const settings = settingsFor(prepared)
  try {
    // The loaded session's own metadata is authoritative (the file was read without onnxruntime).
    const graph = sessionGraph(bound.session)
    const { config } = prepared.folder
    const checked = analyzeSignature(prepared.report.variant.file, graph.inputs, graph.outputs, {
      layers: config.layers ?? undefined,
      kvHeads: config.kvHeads ?? undefined,
      headDim: config.headDim ?? undefined,
    })
    if (!checked.signature) throw new ModelFolderError(prepared.folder.dir, checked.issues)
    const tokenizer = loadTokenizer(prepared.folder)
    const warnings = [...prepared.warnings]
    let defaults = generationDefaults(prepared.folder)
    try {
      resolveSamplingParams({}, defaults)
    } catch (error) {
      warnings.push(
        warningIssue(
          'generation_config.json',
          `its sampling settings are out of range (${(error as Error).message}); greedy decoding is the default`,
          'fix temperature, top_k, top_p or min_p in generation_config.json',
        ),
      )
      defaults = { temperature: 0 }
    }
    const report: LoadReport = {
      provider: bound.provider,
      attempts: bound.attempts,
      file: prepared.report.variant.file,
      weightFormat: prepared.report.weightFormat,
      warnings,
      loadMs: performance.now() - started,
      settings,
    }
    return new LocalModelClient(bound.session, { ...prepared, signature: checked.signature }, tokenizer, defaults, report, options)
  } catch (error) {
    await releaseSession(bound.session)
    throw error
  }
}

/** Calls `fn` once per argument value. */
function memo<A, R>(fn: (arg: A) => R): (arg: A) => R {
  const cache = new Map<A, R>()
  return (arg) => {
    if (!cache.has(arg)) cache.set(arg, fn(arg))
    return cache.get(arg) as R
  }
}

let nextRequest = 0

/** A model loaded on this thread, as a `ModelClient`. */
export class LocalModelClient implements ModelClient {
  private readonly decoder: OrtDecoder
  private readonly scheduler: BatchScheduler
  private disposed = false

  constructor(
    private readonly session: OrtSession,
    private readonly prepared: PreparedModel,
    readonly tokenizer: TextTokenizer,
    private readonly defaults: SamplingParamsInput,
    readonly report: LoadReport,
    options: Pick<LoadOptions, 'maxBatch' | 'prefillChunkTokens' | 'prefixCacheEntries' | 'minSharedPrefix'>,
  ) {
    const { folder, signature } = prepared
    const vocab = signature.vocabSize ?? folder.config.vocabSize ?? folder.tokenizerVocab
    this.decoder = new OrtDecoder(session, signature, vocab, {
      maxBatch: options.maxBatch,
      prefillChunkTokens: options.prefillChunkTokens,
      prefixCacheEntries: options.prefixCacheEntries,
      padTokenId: folder.pad?.id ?? folder.config.padId ?? folder.generation.eosIds[0] ?? 0,
    })
    this.scheduler = new BatchScheduler(this.decoder, {
      codec: tokenizer,
      eosTokenIds: folder.generation.eosIds,
      clock: { now: () => performance.now() },
      provider: report.provider,
      ...(folder.config.maxContext !== null ? { maxContext: folder.config.maxContext } : {}),
      minSharedPrefix: options.minSharedPrefix ?? 32,
    })
  }

  /** The model's description. */
  async info(): Promise<ModelInfo> {
    const { folder, signature } = this.prepared
    return {
      name: folder.name,
      provider: this.report.provider,
      architecture: folder.config.architecture !== 'unknown' ? folder.config.architecture : folder.config.modelType,
      layers: signature.layers,
      kvHeads: signature.kvHeads,
      headDim: signature.headDim,
      kvDtype: signature.kvDtype,
      vocabSize: this.decoder.vocabSize,
      chatTemplate: this.tokenizer.hasChatTemplate,
      maxContext: folder.config.maxContext ?? 0,
    }
  }

  /** The prompt's token ids: raw text as the tokenizer encodes it, messages through the chat template. */
  encodePrompt(prompt: GeneratePrompt): number[] {
    if (typeof prompt === 'string') return this.tokenizer.encode(prompt)
    return this.tokenizer.encodeRendered(this.tokenizer.renderChat(prompt.messages))
  }

  /** The prompt's token ids, as `generate` would feed them to the model (see `encodePrompt`). */
  async tokenize(prompt: GeneratePrompt): Promise<number[]> {
    this.assertOpen()
    return this.encodePrompt(prompt)
  }

  /** The sampling defaults taken from generation_config.json. */
  samplingDefaults(): SamplingParamsInput {
    return { ...this.defaults }
  }

  generate(
    request: GenerateRequest,
    onEvent?: (event: GenerateEvent) => void,
    signal?: AbortSignalLike,
  ): Promise<GenerateResult> {
    try {
      return this.scheduler.submit(this.toScheduler(request), { onEvent, signal })
    } catch (error) {
      return Promise.reject(error)
    }
  }

  generateBatch(
    requests: readonly GenerateRequest[],
    onEvent?: (event: GenerateEvent) => void,
    signal?: AbortSignalLike,
  ): Promise<GenerateResult[]> {
    try {
      const prepared = requests.map((r) => this.toScheduler(r))
      return Promise.all(this.scheduler.submitMany(prepared, { onEvent, signal }))
    } catch (error) {
      return Promise.reject(error)
    }
  }

  async score(request: ScoreRequest): Promise<ScoreResult> {
    this.assertOpen()
    const context = this.encodePrompt(request.prompt)
    const promptText = typeof request.prompt === 'string' ? request.prompt : this.tokenizer.renderChat(request.prompt.messages)
    // Tokenize prompt + continuation together (as the model would see them) and score the tokens after
    // the prompt's; if the join merges across the boundary, fall back to tokenizing the continuation alone.
    const whole =
      typeof request.prompt === 'string'
        ? this.tokenizer.encode(promptText + request.continuation)
        : this.tokenizer.encodeRendered(promptText + request.continuation)
    const joined = whole.length > context.length && context.every((t, i) => whole[i] === t)
    const continuation = joined ? whole.slice(context.length) : this.tokenizer.encodeRendered(request.continuation)
    return this.scheduler.score(`score-${++nextRequest}`, context, continuation)
  }

  cancel(id?: string): void {
    this.scheduler.cancel(id)
  }

  /** The decoder's counters (cache memory, gathers, prefix hits). */
  decoderStats(): DecoderStats {
    return this.decoder.stats()
  }

  async dispose(): Promise<void> {
    if (this.disposed) return
    this.disposed = true
    this.scheduler.cancel()
    await this.scheduler.idle()
    this.decoder.dispose()
    await releaseSession(this.session)
  }

  private assertOpen(): void {
    if (this.disposed) throw new Error('The model was disposed; load it again.')
  }

  private toScheduler(request: GenerateRequest): SchedulerRequest {
    this.assertOpen()
    const id = request.id ?? `req-${++nextRequest}`
    const params = resolveSamplingParams(request.params ?? {}, this.defaults)
    const promptIds = this.encodePrompt(request.prompt)
    const prefix = request.prefixTokenIds
    if (prefix === undefined || prefix.length === 0) return { id, promptIds, params }
    this.checkPrefix(prefix)
    // The scheduler sees one longer prompt; its detokenizer decodes the new tokens after the prefix's
    // last ones, so their text comes out as it would inside the whole sequence.
    return { id, promptIds: [...promptIds, ...prefix], params }
  }

  /** Throws when a fork's prefix holds something that is not a token id of this model. */
  private checkPrefix(prefix: readonly number[]): void {
    const vocab = this.decoder.vocabSize
    for (let i = 0; i < prefix.length; i++) {
      const id = prefix[i]
      if (!Number.isInteger(id) || id < 0 || id >= vocab) {
        throw new RangeError(
          `prefixTokenIds[${i}] is ${String(id)}, which is not a token id of this model (whole numbers 0-${vocab - 1}); ` +
            'pass ids taken from this model\'s own tokens (a result\'s tokens or their top alternatives).',
        )
      }
    }
  }
}

