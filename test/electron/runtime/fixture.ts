/**
 * Shared helpers of the runtime tests: the committed tiny-llama fixture and its PyTorch golden,
 * temporary copies to break, and a minimal protobuf writer for hand-built ONNX files (graphs the
 * reader and the folder checks must accept or reject; onnxruntime never runs them).
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { repoPath } from '../../harness/repo.ts'

/** The committed model fixture. */
export const FIXTURE = repoPath('test/fixtures/tiny-llama')

/** One greedy run of the golden file. */
export interface GoldenRun {
  readonly name: string
  readonly generated_ids: number[]
  readonly first_eos_index: number | null
  readonly first_step: {
    readonly logits_head: number[]
    readonly argmax: number
    readonly logsumexp: number
    readonly top5: { id: number; logprob: number }[]
  }
  readonly step_logprobs: number[]
  readonly step_margins: number[]
}

/** A golden prompt with its PyTorch greedy run. */
export interface GoldenPrompt extends GoldenRun {
  readonly kind: 'chat' | 'raw' | 'text'
  readonly messages?: { role: string; content: string }[]
  readonly text: string
  readonly prompt_ids: number[]
  readonly generated_text: string
}

/** `golden.json`, as far as the tests read it. */
export interface Golden {
  readonly tokens: { bos: number; eos: number; pad: number; im_start: number; im_end: number }
  readonly generation: { max_new_tokens: number }
  readonly prompts: GoldenPrompt[]
  readonly variants: Record<string, { file: string; prompts?: GoldenRun[] }>
}

/** The fixture's golden file. */
export function readGolden(): Golden {
  return JSON.parse(fs.readFileSync(path.join(FIXTURE, 'golden.json'), 'utf8')) as Golden
}

/** A temporary copy of the fixture (JSON files and only the named ONNX files), to break. */
export function copyFixture(onnxFiles: readonly string[] = ['onnx/model.onnx']): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sftbench-model-'))
  for (const name of fs.readdirSync(FIXTURE)) {
    if (name.endsWith('.json')) fs.copyFileSync(path.join(FIXTURE, name), path.join(dir, name))
  }
  fs.mkdirSync(path.join(dir, 'onnx'))
  for (const file of onnxFiles) fs.copyFileSync(path.join(FIXTURE, file), path.join(dir, file))
  return dir
}

/** Reads, edits and writes back a JSON file of a folder. */
export function editJson(dir: string, file: string, edit: (value: Record<string, unknown>) => void): void {
  const full = path.join(dir, file)
  const value = JSON.parse(fs.readFileSync(full, 'utf8')) as Record<string, unknown>
  edit(value)
  fs.writeFileSync(full, JSON.stringify(value, null, 2))
}

/** Removes a temporary folder. */
export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true })
}

/** A protobuf field: a varint, a UTF-8 string, raw bytes, or a nested message. */
export type ProtoField = readonly [number, number | string | Uint8Array | readonly ProtoField[]]

function varint(value: number): number[] {
  const out: number[] = []
  let v = value
  while (v >= 128) {
    out.push((v % 128) | 128)
    v = Math.floor(v / 128)
  }
  out.push(v)
  return out
}

/** Serializes a protobuf message (fields in the given order). */
export function encodeProto(fields: readonly ProtoField[]): Uint8Array {
  const bytes: number[] = []
  for (const [num, value] of fields) {
    if (typeof value === 'number') {
      bytes.push(...varint(num * 8), ...varint(value))
      continue
    }
    const payload =
      typeof value === 'string' ? new TextEncoder().encode(value) : value instanceof Uint8Array ? value : encodeProto(value)
    bytes.push(...varint(num * 8 + 2), ...varint(payload.length), ...payload)
  }
  return Uint8Array.from(bytes)
}

/** ONNX element type codes used below. */
export const FLOAT = 1
export const INT64 = 7
export const FLOAT16 = 10

/** A `ValueInfoProto` of a tensor. */
export function valueInfo(name: string, elemType: number, dims: readonly (number | string)[]): ProtoField[] {
  const dimFields: ProtoField[] = dims.map((d) => [1, typeof d === 'number' ? [[1, d]] : [[2, d]]] as const)
  return [
    [1, name],
    [2, [[1, [[1, elemType], [2, dimFields]]]]],
  ]
}

/** The inputs and outputs of a decoder graph like the fixture's, with `layers` cache layers. */
export function decoderIo(
  layers: number,
  opts: { kvHeads?: number; headDim?: number; vocab?: number; kvType?: number; withPast?: boolean } = {},
): { inputs: ProtoField[][]; outputs: ProtoField[][] } {
  const { kvHeads = 2, headDim = 32, vocab = 512, kvType = FLOAT, withPast = true } = opts
  const inputs = [
    valueInfo('input_ids', INT64, ['batch_size', 'sequence_length']),
    valueInfo('attention_mask', INT64, ['batch_size', 'total_sequence_length']),
    valueInfo('position_ids', INT64, ['batch_size', 'sequence_length']),
  ]
  const outputs = [valueInfo('logits', FLOAT, ['batch_size', 'sequence_length', vocab])]
  if (withPast) {
    for (let i = 0; i < layers; i++) {
      for (const kind of ['key', 'value']) {
        inputs.push(valueInfo(`past_key_values.${i}.${kind}`, kvType, ['batch_size', kvHeads, 'past_sequence_length', headDim]))
        outputs.push(valueInfo(`present.${i}.${kind}`, kvType, ['batch_size', kvHeads, 'total_sequence_length', headDim]))
      }
    }
  }
  return { inputs, outputs }
}

/** A `ModelProto` with the given graph inputs, outputs, initializers and nodes. */
export function onnxModel(parts: {
  inputs: ProtoField[][]
  outputs: ProtoField[][]
  initializers?: ProtoField[][]
  nodes?: ProtoField[][]
}): Uint8Array {
  const graph: ProtoField[] = [
    ...(parts.nodes ?? []).map((n) => [1, n] as const),
    [2, 'hand-built'],
    ...(parts.initializers ?? []).map((t) => [5, t] as const),
    ...parts.inputs.map((v) => [11, v] as const),
    ...parts.outputs.map((v) => [12, v] as const),
  ]
  return encodeProto([
    [1, 8],
    [2, 'sftbench tests'],
    [7, graph],
    [8, [[1, ''], [2, 17]]],
  ])
}
