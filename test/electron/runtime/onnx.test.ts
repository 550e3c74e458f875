// @vitest-environment node
// Session creation beyond provider choice (providers.test.ts): the new-position outputs added to a
// decoder's graph (present.N = Concat(past, new) gets present.N.new = new), loading such an edited
// graph with its weights in an external file, and sessions on the native binding, whose synchronous
// run gives the same results as the public one.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import {
  DEFAULT_SESSION_SETTINGS,
  createSession,
  makeTensor,
  newPositionGraph,
  newPositionsOutput,
  releaseSession,
  sessionMode,
  type OrtSession,
  type OrtTensor,
} from '../../../electron/runtime/onnx.ts'
import { FIXTURE, FLOAT, encodeProto, onnxModel, valueInfo, type ProtoField } from './fixture.ts'

const MODEL = path.join(FIXTURE, 'onnx/model.onnx')
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sftbench-onnx-'))
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }))

/** An int64 varint, negative values in ten bytes as protobuf writes them. */
function int64Varint(value: bigint): number[] {
  let v = BigInt.asUintN(64, value)
  const out: number[] = []
  while (v >= 128n) {
    out.push(Number(v & 127n) | 128)
    v >>= 7n
  }
  out.push(Number(v))
  return out
}

/** A NodeProto; `axis` is written as an INT attribute. */
function node(op: string, inputs: string[], output: string, axis?: bigint): ProtoField[] {
  const fields: ProtoField[] = [...inputs.map((i) => [1, i] as const), [2, output], [4, op]]
  if (axis !== undefined) {
    const attribute = Uint8Array.from([...encodeProto([[1, 'axis']]), 3 * 8, ...int64Varint(axis), ...encodeProto([[20, 2]])])
    fields.push([5, attribute])
  }
  return fields
}

const dims = (s: string): (number | string)[] => [1, 2, s, 4]

/**
 * `present = Concat(past, Neg(x))` along `axis`, plus `other = Concat(Neg(x), past)` (whose first
 * input is not a graph input), written to a file.
 */
function concatModel(file: string, axis: bigint): string {
  const model = onnxModel({
    inputs: [valueInfo('past', FLOAT, dims('p')), valueInfo('x', FLOAT, dims('s'))],
    outputs: [valueInfo('present', FLOAT, dims('t')), valueInfo('other', FLOAT, dims('t'))],
    nodes: [node('Neg', ['x'], 'nx'), node('Concat', ['past', 'nx'], 'present', axis), node('Concat', ['nx', 'past'], 'other', axis)],
  })
  const out = path.join(tmp, file)
  fs.writeFileSync(out, model)
  return out
}

function floats(n: number, from: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => from + i)
}

async function withSession<T>(file: string, use: (session: OrtSession) => Promise<T>, newPositionOutputs = true): Promise<T> {
  const { session } = await createSession(file, 'cpu', { ...DEFAULT_SESSION_SETTINGS, intraOpThreads: 1, newPositionOutputs })
  try {
    return await use(session)
  } finally {
    await releaseSession(session)
  }
}

describe('new-position outputs', () => {
  it("the fixture gets present.N.key/value.new for all of its 4 layers, and keeps every original output", async () => {
    const original = await withSession(MODEL, async (s) => [...s.outputNames], false)
    const edited = await withSession(MODEL, async (s) => [...s.outputNames])
    const presents = original.filter((n) => n.startsWith('present.'))
    expect(presents).toHaveLength(8)
    expect(edited).toEqual([...original, ...presents.map(newPositionsOutput)])
    expect(newPositionsOutput('present.3.value')).toBe('present.3.value.new')
  })

  it('present.new is the second input of the Concat; present itself is unchanged', async () => {
    const file = concatModel('axis2.onnx', 2n)
    const past = floats(2 * 3 * 4, 1)
    const x = floats(2 * 1 * 4, 100)
    const feeds = {
      past: makeTensor('float32', past, [1, 2, 3, 4]),
      x: makeTensor('float32', x, [1, 2, 1, 4]),
    }
    await withSession(file, async (session) => {
      expect(session.outputNames).toEqual(['present', 'other', 'present.new'])
      const out = (await session.run(feeds)) as Record<string, OrtTensor>
      expect(out['present.new'].dims).toEqual([1, 2, 1, 4])
      expect(Array.from(out['present.new'].data as Float32Array)).toEqual(Array.from(x, (v) => -v))
      // Head 0: its three past positions, then the new one.
      const present = out.present.data as Float32Array
      expect(out.present.dims).toEqual([1, 2, 4, 4])
      expect(Array.from(present.subarray(0, 12))).toEqual(Array.from(past.subarray(0, 12)))
      expect(Array.from(present.subarray(12, 16))).toEqual([-100, -101, -102, -103])
    })
  })

  it('a negative axis (-2) is the same axis; Concats along another axis, or not after a graph input, get none', async () => {
    await withSession(concatModel('axis-2.onnx', -2n), async (s) => expect(s.outputNames).toContain('present.new'))
    await withSession(concatModel('axis1.onnx', 1n), async (s) => expect(s.outputNames).toEqual(['present', 'other']))
    expect(newPositionGraph(fs.readFileSync(concatModel('axis3.onnx', 3n)))).toBeNull()
  })

  it('a graph that already has a value of the added name is left as it is', () => {
    const model = onnxModel({
      inputs: [valueInfo('past', FLOAT, dims('p')), valueInfo('x', FLOAT, dims('s'))],
      outputs: [valueInfo('present', FLOAT, dims('t')), valueInfo('present.new', FLOAT, dims('s'))],
      nodes: [node('Neg', ['x'], 'present.new'), node('Concat', ['past', 'present.new'], 'present', 2n)],
    })
    expect(newPositionGraph(model)).toBeNull()
  })

  it('an edited graph is loaded from memory and still finds its weights in an external file', async () => {
    // present = Concat(past, Add(x, w)) with w stored in w.bin beside the model.
    const w = floats(2 * 1 * 4, 0.5)
    fs.writeFileSync(path.join(tmp, 'w.bin'), new Uint8Array(w.buffer))
    const entry = (key: string, value: string): ProtoField => [13, [[1, key], [2, value]]]
    const initializer: ProtoField[] = [
      [1, 1], [1, 2], [1, 1], [1, 4],
      [2, FLOAT],
      [8, 'w'],
      entry('location', 'w.bin'),
      entry('offset', '0'),
      entry('length', String(w.byteLength)),
      [14, 1],
    ]
    const model = onnxModel({
      inputs: [valueInfo('past', FLOAT, dims('p')), valueInfo('x', FLOAT, [1, 2, 1, 4])],
      outputs: [valueInfo('present', FLOAT, dims('t'))],
      initializers: [initializer],
      nodes: [node('Add', ['x', 'w'], 'xw'), node('Concat', ['past', 'xw'], 'present', 2n)],
    })
    const file = path.join(tmp, 'external.onnx')
    fs.writeFileSync(file, model)
    await withSession(file, async (session) => {
      expect(session.outputNames).toEqual(['present', 'present.new'])
      const x = floats(8, 10)
      const out = (await session.run({
        past: makeTensor('float32', new Float32Array(0), [1, 2, 0, 4]),
        x: makeTensor('float32', x, [1, 2, 1, 4]),
      })) as Record<string, OrtTensor>
      expect(Array.from(out['present.new'].data as Float32Array)).toEqual(Array.from(x, (v, i) => v + w[i]))
    })
  })
})

describe('sessions on the native binding', () => {
  it('onnxruntime-node 1.30 offers the binding, so sessions run synchronously (unless the public API is asked for)', async () => {
    expect(sessionMode()).toEqual({ mode: 'sync', reason: '' })
    await withSession(MODEL, async (s) => expect(typeof s.runSync).toBe('function'))
    const { session } = await createSession(MODEL, 'cpu', undefined, { publicApi: true })
    try {
      expect(session.runSync).toBeUndefined()
      expect(session.outputNames).toContain('present.0.key.new')
    } finally {
      await releaseSession(session)
    }
  })

  it('runSync and run give the same logits; fetches pick outputs; a missing input is reported by name', async () => {
    await withSession(MODEL, async (session) => {
      const meta = session.inputMetadata.find((m) => m.name === 'past_key_values.0.key')
      expect(meta).toMatchObject({ isTensor: true, type: 'float32', shape: ['batch_size', 2, 'past_sequence_length', 32] })
      const feeds: Record<string, OrtTensor> = {
        input_ids: makeTensor('int64', BigInt64Array.of(1n, 5n, 9n), [1, 3]),
        attention_mask: makeTensor('int64', BigInt64Array.of(1n, 1n, 1n), [1, 3]),
        position_ids: makeTensor('int64', BigInt64Array.of(0n, 1n, 2n), [1, 3]),
      }
      for (const name of session.inputNames) {
        if (name.startsWith('past_key_values.')) feeds[name] = makeTensor('float32', new Float32Array(0), [1, 2, 0, 32])
      }
      const now = session.runSync?.(feeds, ['logits', 'present.0.key']) as Record<string, OrtTensor>
      expect(Object.keys(now)).toEqual(['logits', 'present.0.key'])
      const later = (await session.run(feeds, ['logits'])) as Record<string, OrtTensor>
      expect(Object.keys(later)).toEqual(['logits'])
      expect(Array.from(later.logits.data as Float32Array)).toEqual(Array.from(now.logits.data as Float32Array))
      const all = (await session.run(feeds)) as Record<string, OrtTensor>
      expect(Object.keys(all)).toEqual([...session.outputNames])
      const { input_ids: _, ...missing } = feeds
      await expect(session.run(missing)).rejects.toThrow(/input 'input_ids' is missing/)
    })
  })
})
