// @vitest-environment node
// The ONNX file reader: the fixture's four graphs (names, shapes and types from the export script's
// Optimum naming and the preset: 4 layers, 2 KV heads, head size 32, vocabulary 512), hand-built
// files with external data and quantization nodes, and files that are not ONNX at all.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { readOnnxSummary } from '../../../electron/runtime/onnx-proto.ts'
import { FIXTURE, FLOAT, INT64, decoderIo, encodeProto, onnxModel, valueInfo } from './fixture.ts'

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sftbench-proto-'))
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }))

function write(name: string, bytes: Uint8Array | string): string {
  const file = path.join(tmp, name)
  fs.writeFileSync(file, bytes)
  return file
}

describe('readOnnxSummary on the fixture', () => {
  it('lists the Optimum inputs and outputs with their symbolic and fixed dimensions', () => {
    const s = readOnnxSummary(path.join(FIXTURE, 'onnx/model.onnx'))
    expect(s.inputs.map((i) => i.name)).toEqual([
      'input_ids',
      'attention_mask',
      'position_ids',
      ...[0, 1, 2, 3].flatMap((i) => [`past_key_values.${i}.key`, `past_key_values.${i}.value`]),
    ])
    expect(s.outputs.map((o) => o.name)).toEqual([
      'logits',
      ...[0, 1, 2, 3].flatMap((i) => [`present.${i}.key`, `present.${i}.value`]),
    ])
    expect(s.inputs[0]).toEqual({ name: 'input_ids', elemType: 'int64', dims: ['batch_size', 'sequence_length'] })
    expect(s.inputs[3]).toEqual({
      name: 'past_key_values.0.key',
      elemType: 'float32',
      dims: ['batch_size', 2, 'past_sequence_length', 32],
    })
    expect(s.outputs[0].dims).toEqual(['batch_size', 'sequence_length', 512])
    expect(s.opsets).toEqual([{ domain: '', version: 17 }])
    // The fixture has 1 115 264 parameters, all float32.
    const bytes = s.initializers.filter((i) => i.elemType === 'float32').reduce((a, i) => a + i.bytes, 0)
    expect(bytes).toBeGreaterThanOrEqual(1_115_264 * 4)
    expect(s.initializers.every((i) => i.externalFile === undefined)).toBe(true)
  })

  it('sees float16 caches and logits in the fp16 graph', () => {
    const s = readOnnxSummary(path.join(FIXTURE, 'onnx/model_fp16.onnx'))
    expect(s.inputs.find((i) => i.name === 'past_key_values.3.value')?.elemType).toBe('float16')
    expect(s.outputs.find((o) => o.name === 'logits')?.elemType).toBe('float16')
  })

  it('finds 4-bit MatMulNBits in the q4 graph and int8 weights in the int8 graph', () => {
    const q4 = readOnnxSummary(path.join(FIXTURE, 'onnx/model_q4.onnx'))
    expect(q4.matMulNBits).toEqual([4])
    expect(q4.opCounts['com.microsoft.MatMulNBits']).toBeGreaterThan(0)
    expect(q4.opsets).toContainEqual({ domain: 'com.microsoft', version: 1 })
    const int8 = readOnnxSummary(path.join(FIXTURE, 'onnx/model_int8.onnx'))
    expect(int8.initializers.some((i) => i.elemType === 'int8')).toBe(true)
    expect(int8.opCounts.DequantizeLinear).toBeGreaterThan(0)
  })
})

describe('readOnnxSummary on hand-built files', () => {
  it('reads external-data locations, sizes and the bits attribute', () => {
    const weight = [
      [1, 3],
      [1, 4],
      [2, FLOAT],
      [8, 'w'],
      [13, [[1, 'location'], [2, 'model.onnx_data']]],
      [13, [[1, 'length'], [2, '48']]],
      [14, 1],
    ] as const
    const node = [
      [1, 'x'],
      [2, 'y'],
      [4, 'MatMulNBits'],
      [5, [[1, 'bits'], [3, 8], [20, 2]]],
      [7, 'com.microsoft'],
    ] as const
    const file = write(
      'external.onnx',
      onnxModel({ ...decoderIo(1), initializers: [[...weight]], nodes: [[...node]] }),
    )
    const s = readOnnxSummary(file)
    expect(s.initializers).toEqual([
      { name: 'w', elemType: 'float32', dims: [3, 4], bytes: 48, externalFile: 'model.onnx_data' },
    ])
    expect(s.matMulNBits).toEqual([8])
    expect(s.irVersion).toBe(8)
    expect(s.producer).toBe('sftbench tests')
  })

  it('drops initializers that are also listed as graph inputs (IR < 4 files)', () => {
    const weight = [[1, 2], [2, FLOAT], [8, 'bias'], [9, new Uint8Array(8)]] as const
    const file = write(
      'ir3.onnx',
      onnxModel({
        inputs: [valueInfo('input_ids', INT64, ['b', 's']), valueInfo('bias', FLOAT, [2])],
        outputs: [valueInfo('logits', FLOAT, ['b', 's', 8])],
        initializers: [[...weight]],
      }),
    )
    const s = readOnnxSummary(file)
    expect(s.inputs.map((i) => i.name)).toEqual(['input_ids'])
    expect(s.initializers[0]).toMatchObject({ name: 'bias', bytes: 8 })
  })

  it('rejects a Git LFS pointer with a message naming the file and the fix', () => {
    const file = write(
      'pointer.onnx',
      'version https://git-lfs.github.com/spec/v1\noid sha256:0123\nsize 4640074\n',
    )
    expect(() => readOnnxSummary(file)).toThrow(/pointer\.onnx is not a readable ONNX model.*Git LFS pointer/s)
  })

  it('rejects a truncated model', () => {
    const bytes = onnxModel(decoderIo(2))
    const file = write('truncated.onnx', bytes.subarray(0, bytes.length - 7))
    expect(() => readOnnxSummary(file)).toThrow(/truncated\.onnx is not a readable ONNX model/)
  })

  it('rejects a message without a graph', () => {
    const file = write('nograph.onnx', encodeProto([[1, 8]]))
    expect(() => readOnnxSummary(file)).toThrow(/no graph/)
  })
})
