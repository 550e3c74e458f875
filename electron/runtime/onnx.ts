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
 *
 * Synchronous runs. That `setImmediate` is a trip through the event loop before every step, about a
 * tenth of a step for a small model. Sessions are therefore created on onnxruntime-node's native
 * binding directly (`onnxruntime-node/dist/binding.js`, what its own session handler wraps) and offer
 * `runSync`; the decoder yields to the event loop itself, every few milliseconds. The binding is not
 * a public API: when it is missing or looks different (another onnxruntime-node version), sessions
 * are created through the public API as before, without `runSync`, and `sessionMode()` says why.
 *
 * New-position outputs. A Hugging Face decoder returns each layer's whole KV cache every step
 * (`present.N.key = Concat(past_key_values.N.key, new key)`), and onnxruntime-node copies every
 * output into a fresh JavaScript buffer. For a batch that is the whole cache, copied and allocated
 * anew each step. So when a graph has that Concat, the session gets one more output per cache
 * tensor, `newPositionsOutput(present)`: the Concat's second input, the keys or values of the new
 * positions only. The graph is otherwise unchanged. The outputs are added by appending a second
 * `graph` field to the model bytes, which protobuf parsers merge into the first.
 */
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
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

/** A tensor passed to or returned from `OrtSession.run`. */
export type OrtTensor = ort.Tensor
/** A loaded ONNX graph; `runSync` is there when it was created on the native binding. */
export type OrtSession = ort.InferenceSession & {
  /** Runs the graph now, on this thread, fetching `fetches`. */
  readonly runSync?: (feeds: Readonly<Record<string, OrtTensor>>, fetches: readonly string[]) => Record<string, OrtTensor>
}
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
  /**
   * Memory-pattern planning, onnxruntime's own default (transformers.js keeps it too). On by default:
   * although decoding changes shapes every step, it made steps 7-16 % faster on the benchmark models,
   * with identical results.
   */
  readonly memPattern: boolean
  /** Session config entries (`session.*`, `optimization.*`), e.g. `session.intra_op.allow_spinning`. */
  readonly configEntries: Readonly<Record<string, string>>
  /** The GPU for CUDA and DirectML. */
  readonly deviceId: number
  /** Add the new-position outputs (see the module comment) when the graph allows; default true. */
  readonly newPositionOutputs?: boolean
}

/** Defaults: one intra-op thread per core, full graph optimisation, the CPU arena and memory patterns on. */
export const DEFAULT_SESSION_SETTINGS: SessionSettings = Object.freeze({
  intraOpThreads: 0,
  interOpThreads: 0,
  graphOptimization: 'all',
  cpuMemArena: true,
  memPattern: true,
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
  /** Create the session through the public API even where the native binding is there (no `runSync`). */
  readonly publicApi?: boolean
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
      const session = await openGraph(target.modelPath, provider, target.settings, options.publicApi === true)
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

/** The graphs above this size are loaded as they are: editing them needs the file in memory. */
const EDIT_LIMIT_BYTES = 1024 * 1024 * 1024
/** Room left after the graph for the added field (about 150 bytes per cache tensor). */
const EDIT_ROOM_BYTES = 64 * 1024

/** Reads the first `size` bytes of `file` into `buffer`. */
function readInto(file: string, buffer: Uint8Array, size: number): void {
  const fd = fs.openSync(file, 'r')
  try {
    let done = 0
    while (done < size) {
      const n = fs.readSync(fd, buffer, done, size - done, done)
      if (n === 0) throw new Error(`${file} ended after ${done} of its ${size} bytes while it was being read; is it still being written?`)
      done += n
    }
  } finally {
    fs.closeSync(fd)
  }
}

/** Creates a session for one graph, with the new-position outputs when they can be added. */
async function openGraph(
  modelPath: string,
  provider: ProviderName,
  settings: SessionSettings,
  publicApi: boolean,
): Promise<OrtSession> {
  let source: string | Uint8Array = modelPath
  let options = sessionOptions(provider, settings)
  const size = fs.statSync(modelPath).size
  if (settings.newPositionOutputs !== false && size <= EDIT_LIMIT_BYTES) {
    // Read into a buffer with room for the added field, so that the graph is held in memory once.
    let buffer = new Uint8Array(size + EDIT_ROOM_BYTES)
    readInto(modelPath, buffer, size)
    const extra = newPositionGraph(buffer.subarray(0, size))
    if (extra !== null) {
      if (extra.length > EDIT_ROOM_BYTES) {
        const grown = new Uint8Array(size + extra.length)
        grown.set(buffer.subarray(0, size))
        buffer = grown
      }
      buffer.set(extra, size)
      source = buffer.subarray(0, size + extra.length)
      // Loaded from memory, the graph's external weight files are found through this entry.
      const groups = (options.extra ?? {}) as Record<string, Record<string, string>>
      const folder = path.dirname(path.resolve(modelPath))
      options = { ...options, extra: { ...groups, session: { ...groups.session, model_external_initializers_file_folder_path: folder } } }
    }
  }
  const native = publicApi ? null : nativeBinding()
  if (native === null) {
    return typeof source === 'string' ? ort.InferenceSession.create(source, options) : ort.InferenceSession.create(source, options)
  }
  native.initOrt()
  const handle = new native.binding.InferenceSession()
  if (typeof source === 'string') handle.loadModel(source, options)
  else handle.loadModel(source.buffer, source.byteOffset, source.byteLength, options)
  return new NativeSession(handle)
}

/** What the native binding offers (onnxruntime-node 1.30's `dist/binding.js`). */
interface NativeBinding {
  readonly binding: { readonly InferenceSession: new () => NativeHandle }
  readonly initOrt: () => void
}

/** A native session of the binding. */
interface NativeHandle {
  loadModel(path: string, options: object): void
  loadModel(buffer: ArrayBufferLike, byteOffset: number, byteLength: number, options: object): void
  readonly inputMetadata: readonly RawValueMetadata[]
  readonly outputMetadata: readonly RawValueMetadata[]
  run(feeds: object, fetches: Record<string, OrtTensor | null>, options: object): Record<string, OrtTensor>
  dispose(): void
  endProfiling(): void
}

/** Input or output metadata as the binding reports it: an element type code, -1 for a symbolic dimension. */
interface RawValueMetadata {
  readonly name: string
  readonly isTensor: boolean
  readonly type: number
  readonly shape: readonly number[]
  readonly symbolicDimensions: readonly string[]
}

let binding: { readonly value: NativeBinding | null; readonly reason: string } | undefined

function nativeBinding(): NativeBinding | null {
  if (binding === undefined) {
    try {
      const loaded = createRequire(import.meta.url)('onnxruntime-node/dist/binding.js') as Partial<NativeBinding>
      const usable = typeof loaded.initOrt === 'function' && typeof loaded.binding?.InferenceSession === 'function'
      binding = usable
        ? { value: loaded as NativeBinding, reason: '' }
        : { value: null, reason: 'onnxruntime-node/dist/binding.js has no InferenceSession or initOrt' }
    } catch (error) {
      // Not an error for the caller: sessions are then created through the public API.
      binding = { value: null, reason: `onnxruntime-node/dist/binding.js did not load: ${(error as Error).message}` }
    }
  }
  return binding.value
}

/** How sessions run here: `sync` on the native binding, or `async` through the public API and why. */
export function sessionMode(): { readonly mode: 'sync' | 'async'; readonly reason: string } {
  const native = nativeBinding()
  return native ? { mode: 'sync', reason: '' } : { mode: 'async', reason: binding?.reason ?? '' }
}

/** onnxruntime's element type codes, as the public API spells them. */
const TENSOR_TYPES: Readonly<Record<number, ort.Tensor.Type>> = {
  1: 'float32',
  2: 'uint8',
  3: 'int8',
  4: 'uint16',
  5: 'int16',
  6: 'int32',
  7: 'int64',
  8: 'string',
  9: 'bool',
  10: 'float16',
  11: 'float64',
  12: 'uint32',
  13: 'uint64',
  21: 'uint4',
  22: 'int4',
}

function valueMetadata(raw: RawValueMetadata): ort.InferenceSession.ValueMetadata {
  if (!raw.isTensor) return { name: raw.name, isTensor: false }
  const type = TENSOR_TYPES[raw.type]
  if (type === undefined) throw new Error(`"${raw.name}" has element type code ${raw.type}, which onnxruntime-node does not support.`)
  const shape = raw.shape.map((d, i) => (d === -1 ? raw.symbolicDimensions[i] : d))
  return { name: raw.name, isTensor: true, type, shape }
}

/** A session on the native binding: the public session interface plus `runSync`. */
class NativeSession implements OrtSession {
  readonly inputMetadata: readonly ort.InferenceSession.ValueMetadata[]
  readonly outputMetadata: readonly ort.InferenceSession.ValueMetadata[]
  readonly inputNames: readonly string[]
  readonly outputNames: readonly string[]

  constructor(private readonly handle: NativeHandle) {
    this.inputMetadata = handle.inputMetadata.map(valueMetadata)
    this.outputMetadata = handle.outputMetadata.map(valueMetadata)
    this.inputNames = this.inputMetadata.map((m) => m.name)
    this.outputNames = this.outputMetadata.map((m) => m.name)
  }

  readonly runSync = (feeds: Readonly<Record<string, OrtTensor>>, fetches: readonly string[]): Record<string, OrtTensor> => {
    const wanted: Record<string, null> = {}
    for (const name of fetches) wanted[name] = null
    return this.handle.run(feeds, wanted, {})
  }

  run(feeds: ort.InferenceSession.FeedsType, options?: ort.InferenceSession.RunOptions): Promise<ort.InferenceSession.ReturnType>
  run(
    feeds: ort.InferenceSession.FeedsType,
    fetches: ort.InferenceSession.FetchesType,
    options?: ort.InferenceSession.RunOptions,
  ): Promise<ort.InferenceSession.ReturnType>
  /** As the public API: on the next turn of the event loop; `fetches` as output names or a map. */
  run(
    feeds: ort.InferenceSession.FeedsType,
    fetches?: ort.InferenceSession.FetchesType | ort.InferenceSession.RunOptions,
  ): Promise<ort.InferenceSession.ReturnType> {
    for (const name of this.inputNames) {
      if (feeds[name] === undefined) return Promise.reject(new Error(`input '${name}' is missing in 'feeds'.`))
    }
    let wanted: Record<string, OrtTensor | null> = {}
    if (Array.isArray(fetches)) for (const name of fetches as readonly string[]) wanted[name] = null
    else if (fetches && this.outputNames.some((n) => n in fetches)) wanted = fetches as Record<string, OrtTensor | null>
    else for (const name of this.outputNames) wanted[name] = null
    return new Promise((resolve, reject) => {
      setImmediate(() => {
        try {
          resolve(this.handle.run(feeds, wanted, {}))
        } catch (error) {
          reject(error)
        }
      })
    })
  }

  async release(): Promise<void> {
    this.handle.dispose()
  }

  startProfiling(): void {}

  endProfiling(): void {
    this.handle.endProfiling()
  }
}

/** The output `createSession` adds for the new positions of the cache output `present`. */
export function newPositionsOutput(present: string): string {
  return `${present}.new`
}

/**
 * The bytes of a `graph` field that, appended to the model, adds `newPositionsOutput(O)` for every
 * graph output `O = Concat(graph input, X)` along axis 2 (an Identity of X); null when there is none.
 */
export function newPositionGraph(model: Uint8Array): Uint8Array | null {
  const nodes: Uint8Array[] = []
  const outputs: Uint8Array[] = []
  for (const graph of protoFields(model, 0, model.length)) {
    if (graph.num !== 7 || graph.wire !== 2) continue
    const inputs = new Set<string>()
    const graphOutputs = new Set<string>()
    /** Every value name, so that an added name never collides with one the graph has. */
    const taken = new Set<string>()
    const concats: { inputs: string[]; output: string; axis: bigint | null }[] = []
    for (const f of protoFields(model, graph.start, graph.end)) {
      if (f.wire !== 2) continue
      if (f.num === 11 || f.num === 12) {
        const name = firstString(model, f.start, f.end, 1)
        if (name !== null) (f.num === 11 ? inputs : graphOutputs).add(name)
        if (name !== null) taken.add(name)
      } else if (f.num === 1) {
        const node = readNode(model, f.start, f.end)
        for (const name of node.outputs) taken.add(name)
        if (node.opType === 'Concat' && node.domain === '' && node.outputs.length === 1) {
          concats.push({ inputs: node.inputs, output: node.outputs[0], axis: node.axis })
        }
      }
    }
    for (const c of concats) {
      if (!graphOutputs.has(c.output) || c.inputs.length !== 2 || !inputs.has(c.inputs[0])) continue
      if (c.axis !== 2n && c.axis !== -2n) continue
      const name = newPositionsOutput(c.output)
      if (taken.has(name)) continue
      nodes.push(
        protoBytes(1, [
          protoString(1, c.inputs[1]),
          protoString(2, name),
          protoString(3, `sftbench_new_positions_${nodes.length}`),
          protoString(4, 'Identity'),
        ]),
      )
      outputs.push(protoBytes(12, [protoString(1, name)]))
    }
  }
  return nodes.length === 0 ? null : protoBytes(7, [...nodes, ...outputs])
}

interface ProtoField {
  readonly num: number
  readonly wire: number
  /** The value's bytes (length-delimited fields) or where the varint starts (wire 0). */
  readonly start: number
  readonly end: number
}

function readVarint(bytes: Uint8Array, pos: number): { value: bigint; next: number } {
  let value = 0n
  let shift = 0n
  for (let i = pos; i < bytes.length && i < pos + 10; i++) {
    value |= BigInt(bytes[i] & 0x7f) << shift
    shift += 7n
    if (bytes[i] < 0x80) return { value, next: i + 1 }
  }
  throw new Error(`The model is not a readable ONNX file (an unterminated varint at byte ${pos}).`)
}

function* protoFields(bytes: Uint8Array, start: number, end: number): Generator<ProtoField> {
  let pos = start
  while (pos < end) {
    const tag = readVarint(bytes, pos)
    const num = Number(tag.value >> 3n)
    const wire = Number(tag.value & 7n)
    pos = tag.next
    if (wire === 0) {
      const v = readVarint(bytes, pos)
      yield { num, wire, start: pos, end: v.next }
      pos = v.next
    } else if (wire === 2) {
      const len = readVarint(bytes, pos)
      const valueEnd = len.next + Number(len.value)
      if (valueEnd > end) throw new Error(`The model is not a readable ONNX file (a field overruns its message at byte ${pos}).`)
      yield { num, wire, start: len.next, end: valueEnd }
      pos = valueEnd
    } else if (wire === 1 || wire === 5) {
      pos += wire === 1 ? 8 : 4
    } else {
      throw new Error(`The model is not a readable ONNX file (protobuf wire type ${wire} at byte ${pos}).`)
    }
  }
}

const utf8 = new TextDecoder()

function firstString(bytes: Uint8Array, start: number, end: number, num: number): string | null {
  for (const f of protoFields(bytes, start, end)) if (f.num === num && f.wire === 2) return utf8.decode(bytes.subarray(f.start, f.end))
  return null
}

/** What `newPositionGraph` reads of a NodeProto. */
interface NodeFields {
  opType: string
  /** '' for the default domain. */
  domain: string
  readonly inputs: string[]
  readonly outputs: string[]
  /** The integer `axis` attribute, if any. */
  axis: bigint | null
}

function readNode(bytes: Uint8Array, start: number, end: number): NodeFields {
  const node: NodeFields = { opType: '', domain: '', inputs: [], outputs: [], axis: null }
  for (const f of protoFields(bytes, start, end)) {
    if (f.wire !== 2) continue
    const text = (): string => utf8.decode(bytes.subarray(f.start, f.end))
    if (f.num === 1) node.inputs.push(text())
    else if (f.num === 2) node.outputs.push(text())
    else if (f.num === 4) node.opType = text()
    else if (f.num === 7) node.domain = text() === 'ai.onnx' ? '' : text()
    else if (f.num === 5 && firstString(bytes, f.start, f.end, 1) === 'axis') {
      for (const a of protoFields(bytes, f.start, f.end)) {
        if (a.num === 3 && a.wire === 0) node.axis = BigInt.asIntN(64, readVarint(bytes, a.start).value)
      }
    }
  }
  return node
}

const utf8Encoder = new TextEncoder()

function protoString(num: number, text: string): Uint8Array {
  return protoBytes(num, [utf8Encoder.encode(text)])
}

/** A length-delimited field `num` holding the concatenation of `parts`. */
function protoBytes(num: number, parts: readonly Uint8Array[]): Uint8Array {
  const length = parts.reduce((a, p) => a + p.length, 0)
  const head = [num * 8 + 2]
  for (let n = length; ; n = Math.floor(n / 128)) {
    if (n < 128) {
      head.push(n)
      break
    }
    head.push((n % 128) | 0x80)
  }
  const out = new Uint8Array(head.length + length)
  out.set(head)
  let at = head.length
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
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
