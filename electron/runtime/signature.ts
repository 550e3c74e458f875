/**
 * @module electron/runtime/signature
 * Decides whether a graph is a KV-cached causal decoder sftbench can drive, from its inputs and
 * outputs (Optimum / transformers.js / onnxruntime-genai naming):
 *
 * - inputs `input_ids`, `attention_mask`, optional `position_ids`, optional `use_cache_branch`
 *   (Optimum's merged decoders), and `past_key_values.{i}.key` / `.value`
 *   `[batch, kv_heads, past_sequence_length, head_dim]`;
 * - outputs `logits` `[batch, sequence_length, vocab]` and `present.{i}.key` / `.value`.
 *
 * Layers, KV heads, head size and the KV dtype come from these; the config fills in dimensions the
 * graph leaves symbolic.
 */
import type { GraphValue } from './onnx-proto.ts'
import { errorIssue, type FolderIssue } from './issues.ts'

/** A pair of cache tensor names for one layer. */
export interface KvNames {
  readonly key: string
  readonly value: string
}

/** How to feed and read a supported decoder graph. */
export interface DecoderSignature {
  readonly inputIds: string
  readonly attentionMask: string
  readonly positionIds: string | null
  /** Element types of the integer inputs (Optimum uses int64; some builders int32). */
  readonly idsType: 'int64' | 'int32'
  readonly maskType: 'int64' | 'int32'
  readonly positionType: 'int64' | 'int32'
  readonly useCacheBranch: string | null
  readonly past: readonly KvNames[]
  readonly present: readonly KvNames[]
  readonly logits: string
  readonly logitsDtype: 'float32' | 'float16'
  readonly layers: number
  readonly kvHeads: number
  readonly headDim: number
  readonly kvDtype: 'float32' | 'float16'
  /** The logits width when the graph states it, else null. */
  readonly vocabSize: number | null
}

/** One graph input or output with the role sftbench gives it. */
export interface IoCheck extends GraphValue {
  readonly direction: 'input' | 'output'
  /** `input_ids`, `attention_mask`, `position_ids`, `use_cache_branch`, `past key`, `logits`, ... */
  readonly role: string
  readonly supported: boolean
  /** Why it is not supported; empty when it is. */
  readonly note: string
}

/** Dimensions the config states, used where the graph's are symbolic. */
export interface SignatureHints {
  readonly layers?: number
  readonly kvHeads?: number
  readonly headDim?: number
}

/** The result of `analyzeSignature`: a signature when there are no errors. */
export interface SignatureAnalysis {
  readonly signature: DecoderSignature | null
  readonly io: readonly IoCheck[]
  readonly issues: readonly FolderIssue[]
}

const PAST = /^past_key_values\.(\d+)\.(key|value)$/
const PRESENT = /^present\.(\d+)\.(key|value)$/
const ENCODER = /encoder/
const FLOAT_KV = new Set(['float32', 'float16'])
const INT_IDS = new Set(['int64', 'int32'])

const EXPORT_FIX =
  're-export the model as a decoder with a KV cache: `optimum-cli export onnx --model CHECKPOINT ' +
  '--task text-generation-with-past OUT` (see docs/runtime.md)'

/** The key and value tensors of each layer's KV cache, by layer index. */
type KvSlots = Map<number, { key?: GraphValue; value?: GraphValue }>

/** Files `v` under its layer (`match[1]`) as that layer's key or value (`match[2]`). */
function addKv(slots: KvSlots, match: RegExpExecArray, v: GraphValue): void {
  const layer = Number(match[1])
  slots.set(layer, { ...slots.get(layer), [match[2] as 'key' | 'value']: v })
}

/** Classifies every input and output of `file`'s graph and derives the decoder signature. */
export function analyzeSignature(
  file: string,
  inputs: readonly GraphValue[],
  outputs: readonly GraphValue[],
  hints: SignatureHints = {},
): SignatureAnalysis {
  const issues: FolderIssue[] = []
  const io: IoCheck[] = []
  const past: KvSlots = new Map()
  const present: KvSlots = new Map()
  const byName = new Map(inputs.map((v) => [v.name, v]))
  const isEncoderDecoder = [...inputs, ...outputs].some(
    (v) => v.name === 'encoder_hidden_states' || v.name === 'encoder_attention_mask' || /\.encoder\./.test(v.name),
  )
  if (isEncoderDecoder) {
    issues.push(
      errorIssue(
        file,
        'this is an encoder-decoder graph (it takes encoder_hidden_states or encoder KV); sftbench runs decoder-only ' +
          'causal language models',
        'use a decoder-only checkpoint (Qwen2/2.5/3, Llama 3.x, SmolLM, ...) exported with ' +
          '--task text-generation-with-past',
      ),
    )
  }

  for (const v of inputs) {
    const m = PAST.exec(v.name)
    if (m) addKv(past, m, v)
    const { role, note } = m ? { role: `past ${m[2]}`, note: kvNote(v) } : inputRole(v)
    io.push({ ...v, direction: 'input', role, supported: note === '', note })
  }
  for (const v of outputs) {
    const m = PRESENT.exec(v.name)
    if (m) addKv(present, m, v)
    const { role, note } = m
      ? { role: `present ${m[2]}`, note: kvNote(v) }
      : v.name === 'logits'
        ? { role: 'logits', note: FLOAT_KV.has(v.elemType) ? '' : `element type ${v.elemType}, expected float32 or float16` }
        : // Extra outputs (e.g. hidden states) are harmless: the decoder does not read them.
          { role: 'extra output', note: '' }
    io.push({ ...v, direction: 'output', role, supported: note === '', note })
  }

  for (const bad of io.filter((c) => !c.supported)) {
    issues.push(
      errorIssue(file, `${bad.direction} "${bad.name}" (${bad.role}): ${bad.note}`, EXPORT_FIX),
    )
  }
  if (!byName.has('input_ids')) {
    issues.push(errorIssue(file, 'the graph has no "input_ids" input', EXPORT_FIX))
  }
  if (!byName.has('attention_mask')) {
    issues.push(errorIssue(file, 'the graph has no "attention_mask" input, so batches cannot be padded', EXPORT_FIX))
  }
  if (!outputs.some((o) => o.name === 'logits')) {
    issues.push(errorIssue(file, 'the graph has no "logits" output', EXPORT_FIX))
  }
  if (past.size === 0 || present.size === 0) {
    issues.push(
      errorIssue(
        file,
        `the graph has no KV cache ${past.size === 0 ? 'inputs (past_key_values.N.key/value)' : ''}` +
          `${past.size === 0 && present.size === 0 ? ' or ' : ''}` +
          `${present.size === 0 ? 'outputs (present.N.key/value)' : ''}; without them every token recomputes the ` +
          'whole sequence',
        EXPORT_FIX,
      ),
    )
  }
  const layers = Math.max(past.size, present.size)
  for (let i = 0; i < layers; i++) {
    for (const kind of ['key', 'value'] as const) {
      if (!past.get(i)?.[kind]) issues.push(errorIssue(file, `input past_key_values.${i}.${kind} is missing`, EXPORT_FIX))
      if (!present.get(i)?.[kind]) issues.push(errorIssue(file, `output present.${i}.${kind} is missing`, EXPORT_FIX))
    }
  }
  if (hints.layers !== undefined && layers > 0 && hints.layers !== layers) {
    issues.push(
      errorIssue(
        'config.json',
        `num_hidden_layers is ${hints.layers} but ${file} has a KV cache for ${layers} layers`,
        'use the config.json the graph was exported with',
      ),
    )
  }

  const first = past.get(0)?.key
  const kvHeads = dimOr(first?.dims[1], hints.kvHeads)
  const headDim = dimOr(first?.dims[3], hints.headDim)
  if (first && first.dims.length !== 4) {
    issues.push(
      errorIssue(
        file,
        `past_key_values.0.key has ${first.dims.length} dimensions; sftbench needs [batch, kv_heads, past_length, head_dim]`,
        EXPORT_FIX,
      ),
    )
  }
  if (first && (kvHeads === null || headDim === null)) {
    issues.push(
      errorIssue(
        'config.json',
        `the graph leaves the KV heads or head size symbolic and config.json does not state them`,
        'add num_key_value_heads and head_dim (or hidden_size and num_attention_heads) to config.json',
      ),
    )
  }
  const graphKvHeads = typeof first?.dims[1] === 'number' ? first.dims[1] : null
  if (graphKvHeads !== null && hints.kvHeads !== undefined && graphKvHeads !== hints.kvHeads) {
    issues.push(
      errorIssue(
        'config.json',
        `num_key_value_heads is ${hints.kvHeads} but ${file}'s KV cache has ${graphKvHeads} heads`,
        'use the config.json the graph was exported with',
      ),
    )
  }
  const kvTypes = new Set([...past.values(), ...present.values()].flatMap((p) => [p.key?.elemType, p.value?.elemType]))
  kvTypes.delete(undefined)
  if (kvTypes.size > 1) {
    issues.push(errorIssue(file, `the KV cache mixes element types (${[...kvTypes].join(', ')})`, EXPORT_FIX))
  }
  const logits = outputs.find((o) => o.name === 'logits')
  const last = logits?.dims[logits.dims.length - 1]
  if (issues.some((i) => i.severity === 'error') || !first || !logits) return { signature: null, io, issues }
  const signature: DecoderSignature = {
    inputIds: 'input_ids',
    attentionMask: 'attention_mask',
    positionIds: byName.has('position_ids') ? 'position_ids' : null,
    idsType: intType(byName.get('input_ids')),
    maskType: intType(byName.get('attention_mask')),
    positionType: intType(byName.get('position_ids')),
    useCacheBranch: byName.has('use_cache_branch') ? 'use_cache_branch' : null,
    past: range(layers).map((i) => ({ key: `past_key_values.${i}.key`, value: `past_key_values.${i}.value` })),
    present: range(layers).map((i) => ({ key: `present.${i}.key`, value: `present.${i}.value` })),
    logits: 'logits',
    logitsDtype: logits.elemType as 'float32' | 'float16',
    layers,
    kvHeads: kvHeads as number,
    headDim: headDim as number,
    kvDtype: first.elemType as 'float32' | 'float16',
    vocabSize: typeof last === 'number' ? last : null,
  }
  return { signature, io, issues }
}

/** The role of a non-cache input, and why it is unsupported (empty when it is supported). */
function inputRole(v: GraphValue): { role: string; note: string } {
  const intNote = INT_IDS.has(v.elemType) ? '' : `element type ${v.elemType}, expected int64 or int32`
  switch (v.name) {
    case 'input_ids':
    case 'attention_mask':
    case 'position_ids':
      return { role: v.name, note: intNote }
    case 'use_cache_branch':
      return { role: v.name, note: v.elemType === 'bool' ? '' : `element type ${v.elemType}, expected bool` }
    default:
      return { role: 'unknown', note: ENCODER.test(v.name) ? 'an encoder input' : 'not an input sftbench knows how to feed' }
  }
}

function kvNote(v: GraphValue): string {
  if (!FLOAT_KV.has(v.elemType)) return `element type ${v.elemType}; sftbench supports float32 and float16 caches`
  if (v.dims.length !== 4) return `${v.dims.length} dimensions; expected [batch, kv_heads, length, head_dim]`
  return ''
}

function intType(v: GraphValue | undefined): 'int64' | 'int32' {
  return v?.elemType === 'int32' ? 'int32' : 'int64'
}

function dimOr(dim: number | string | null | undefined, fallback: number | undefined): number | null {
  if (typeof dim === 'number' && dim > 0) return dim
  return fallback ?? null
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i)
}
