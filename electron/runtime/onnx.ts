/**
 * @module electron/runtime/onnx
 * The only module that imports onnxruntime-node: session creation on the best execution provider
 * with an explicit fallback, session settings, tensor construction and session release.
 *
 * Why the fallback is written here: onnxruntime-node 1.30 throws when a requested provider cannot
 * be loaded (`['cuda', 'cpu']` fails outright on a machine without the CUDA library) instead of
 * running on the CPU. `auto` therefore tries each provider of the plan on its own and records the
 * one that bound.
 *
 * Concurrency: `InferenceSession.run` executes synchronously on the calling JS thread (the promise
 * only defers the start by one `setImmediate`). Run sessions in a worker thread, and never run two
 * calls on one session at once; sessions on different threads are independent.
 */
import * as ort from 'onnxruntime-node'
import {
  ProviderUnavailableError,
  platformFacts,
  providerAvailability,
  providerLabel,
  providerPlan,
  type DeviceChoice,
  type PlatformFacts,
  type ProviderAvailability,
  type ProviderName,
} from './providers.ts'
import type { GraphValue } from './onnx-proto.ts'

/** A loaded ONNX graph. */
export type OrtSession = ort.InferenceSession
/** A tensor passed to or returned from `OrtSession.run`. */
export type OrtTensor = ort.Tensor
/** The element types the runtime builds tensors of. */
export type TensorKind = 'float32' | 'float16' | 'int64' | 'int32' | 'bool'

/** Session settings; every field has a default in `DEFAULT_SESSION_SETTINGS`. */
export interface SessionSettings {
  /** Threads inside one operator; 0 lets onnxruntime pick (one per physical core). */
  readonly intraOpThreads: number
  /** Threads across operators (only used in parallel execution mode); 0 = onnxruntime's default. */
  readonly interOpThreads: number
  readonly graphOptimization: 'disabled' | 'basic' | 'extended' | 'all'
  /** The CPU memory arena: faster allocation, but memory is kept until the session is released. */
  readonly cpuMemArena: boolean
  /** Memory-pattern planning; only helps when shapes repeat, so off by default for decoding. */
  readonly memPattern: boolean
  /** Session config entries (`session.*`, `optimization.*`), e.g. `session.intra_op.allow_spinning`. */
  readonly configEntries: Readonly<Record<string, string>>
  /** The GPU for CUDA and DirectML. */
  readonly deviceId: number
}

/** Defaults: one intra-op thread per core, full graph optimisation, the CPU arena on. */
export const DEFAULT_SESSION_SETTINGS: SessionSettings = Object.freeze({
  intraOpThreads: 0,
  interOpThreads: 0,
  graphOptimization: 'all',
  cpuMemArena: true,
  memPattern: false,
  configEntries: Object.freeze({}),
  deviceId: 0,
})

/** One provider tried while creating a session, and why it did not bind. */
export interface ProviderAttempt {
  readonly provider: ProviderName
  /** `skipped` when it is not installed here, `failed` when onnxruntime refused it. */
  readonly outcome: 'bound' | 'skipped' | 'failed'
  readonly reason: string
}

/** A created session and the provider it runs on. */
export interface BoundSession {
  readonly session: OrtSession
  readonly provider: ProviderName
  readonly attempts: readonly ProviderAttempt[]
}

/** Options of `createSession` beyond the settings; tests override the platform facts. */
export interface CreateSessionOptions {
  readonly facts?: PlatformFacts
  /** Replaces the availability check (tests use it to make onnxruntime itself refuse a provider). */
  readonly availability?: (name: ProviderName) => ProviderAvailability
  /**
   * The graph and settings to try on each provider, when they differ (an fp16 graph for a GPU, the
   * fp32 one for the CPU); `modelPath` and `settings` are used for providers it does not cover.
   */
  readonly perProvider?: (name: ProviderName) => { readonly modelPath: string; readonly settings: SessionSettings }
}

let logLevelSet = false

/** The onnxruntime-node version that is loaded. */
export function ortVersion(): string {
  return ort.env.versions.common ?? 'unknown'
}

function sessionOptions(provider: ProviderName, settings: SessionSettings): ort.InferenceSession.SessionOptions {
  const providers: ort.InferenceSession.ExecutionProviderConfig[] =
    provider === 'cpu'
      ? ['cpu']
      : provider === 'cuda' || provider === 'dml'
        ? [{ name: provider, deviceId: settings.deviceId }, 'cpu']
        : [provider, 'cpu']
  const extra: Record<string, Record<string, string>> = {}
  for (const [key, value] of Object.entries(settings.configEntries)) {
    // The binding takes nested objects and joins the keys with dots.
    const dot = key.indexOf('.')
    if (dot <= 0) throw new Error(`Session config entry "${key}" must look like "session.name" or "optimization.name".`)
    const group = key.slice(0, dot)
    extra[group] = { ...extra[group], [key.slice(dot + 1)]: value }
  }
  return {
    executionProviders: providers,
    ...(settings.intraOpThreads > 0 ? { intraOpNumThreads: settings.intraOpThreads } : {}),
    ...(settings.interOpThreads > 0 ? { interOpNumThreads: settings.interOpThreads } : {}),
    graphOptimizationLevel: settings.graphOptimization,
    enableCpuMemArena: settings.cpuMemArena,
    enableMemPattern: settings.memPattern,
    logSeverityLevel: 4,
    extra,
  }
}

/**
 * Creates a session for `modelPath` on the provider `choice` selects. `auto` tries the plan of
 * `providerPlan` in order, skipping providers that are not installed and falling back when
 * onnxruntime refuses one, and ends on the CPU. An explicit choice that is not installed throws a
 * `ProviderUnavailableError` naming the provider and the fix, without trying; one that onnxruntime
 * refuses throws with onnxruntime's reason.
 */
export async function createSession(
  modelPath: string,
  choice: DeviceChoice,
  settings: SessionSettings = DEFAULT_SESSION_SETTINGS,
  options: CreateSessionOptions = {},
): Promise<BoundSession> {
  if (!logLevelSet) {
    // Provider load failures print to stderr before throwing; the error we throw says it better.
    ort.env.logLevel = 'fatal'
    logLevelSet = true
  }
  const facts = options.facts ?? platformFacts()
  const check = options.availability ?? ((name: ProviderName) => providerAvailability(name, facts))
  const attempts: ProviderAttempt[] = []
  const plan = providerPlan(choice, facts.platform)
  for (const provider of plan) {
    const availability = check(provider)
    if (!availability.available) {
      if (choice !== 'auto') {
        throw new ProviderUnavailableError(
          provider,
          `${providerLabel(provider)} was requested, but ${availability.reason}. To fix: ${availability.fix}.`,
        )
      }
      attempts.push({ provider, outcome: 'skipped', reason: availability.reason })
      continue
    }
    try {
      const target = options.perProvider?.(provider) ?? { modelPath, settings }
      const session = await ort.InferenceSession.create(target.modelPath, sessionOptions(provider, target.settings))
      attempts.push({ provider, outcome: 'bound', reason: '' })
      return { session, provider, attempts }
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error)
      if (choice !== 'auto' || provider === 'cpu') {
        if (provider === 'cpu') throw error
        throw new ProviderUnavailableError(
          provider,
          `${providerLabel(provider)} was requested, but onnxruntime could not start it: ${reason}` +
            (provider === 'cuda'
              ? ' Check that CUDA 12 and cuDNN 9 are installed and on the library path, or use --provider cpu.'
              : ' Use --provider cpu.'),
        )
      }
      attempts.push({ provider, outcome: 'failed', reason })
    }
  }
  // `auto` always ends with the CPU, which either binds or throws above.
  throw new Error(`No execution provider could be created for ${modelPath}.`)
}

/** Builds a tensor; `data` must hold exactly the product of `dims` elements. */
export function makeTensor(
  kind: TensorKind,
  data: Float32Array | Uint16Array | BigInt64Array | Int32Array | Uint8Array,
  dims: readonly number[],
): OrtTensor {
  if (kind === 'int32') return new ort.Tensor('int32', data as Int32Array, dims)
  if (kind === 'bool') return new ort.Tensor('bool', data as Uint8Array, dims)
  if (kind === 'int64') return new ort.Tensor('int64', data as BigInt64Array, dims)
  if (kind === 'float16') return new ort.Tensor('float16', data as Uint16Array, dims)
  return new ort.Tensor('float32', data as Float32Array, dims)
}

/** A session's inputs and outputs in the shape `readOnnxSummary` gives them. */
export function sessionGraph(session: OrtSession): { inputs: GraphValue[]; outputs: GraphValue[] } {
  const convert = (m: ort.InferenceSession.ValueMetadata): GraphValue =>
    m.isTensor ? { name: m.name, elemType: m.type, dims: [...m.shape] } : { name: m.name, elemType: 'non-tensor', dims: [] }
  return { inputs: session.inputMetadata.map(convert), outputs: session.outputMetadata.map(convert) }
}

/** Releases a session's native memory; the session is unusable afterwards. */
export async function releaseSession(session: OrtSession): Promise<void> {
  await session.release()
}
