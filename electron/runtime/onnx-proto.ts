/**
 * @module electron/runtime/onnx-proto
 * Reads what `inspect` and the loader need from an `.onnx` file without loading it: the graph's
 * inputs and outputs with their element types and shapes, the operators used, the opsets, and the
 * initializers' element types, sizes and external-data files.
 *
 * The file is a protobuf `ModelProto` (onnx/onnx.proto3). The reader walks its fields with
 * positional reads and jumps over weight bytes, so a multi-gigabyte model is inspected in
 * milliseconds and in a few kilobytes of memory.
 */
import fs from 'node:fs'

/** One graph input or output. A dimension is a number, a symbolic name, or null when unknown. */
export interface GraphValue {
  readonly name: string
  /** The element type in onnxruntime's spelling (`float32`, `float16`, `int64`, ...). */
  readonly elemType: string
  readonly dims: readonly (number | string | null)[]
}

/** An initializer's element type and size; external ones name their data file. */
export interface InitializerInfo {
  readonly name: string
  readonly elemType: string
  readonly dims: readonly number[]
  readonly bytes: number
  /** The `location` of external data, relative to the model file; absent for inline data. */
  readonly externalFile?: string
}

/** What the reader found in a model file. */
export interface OnnxGraphSummary {
  readonly irVersion: number
  readonly producer: string
  readonly opsets: readonly { readonly domain: string; readonly version: number }[]
  readonly inputs: readonly GraphValue[]
  readonly outputs: readonly GraphValue[]
  /** How many nodes use each operator (`com.microsoft.MatMulNBits` for other domains). */
  readonly opCounts: Readonly<Record<string, number>>
  /** The `bits` attribute of MatMulNBits nodes (4 or 8), when there are any. */
  readonly matMulNBits: readonly number[]
  readonly initializers: readonly InitializerInfo[]
}

/** ONNX TensorProto.DataType codes, in onnxruntime's spelling, with their byte sizes (bits / 8). */
const DATA_TYPES: Readonly<Record<number, { name: string; bits: number }>> = {
  1: { name: 'float32', bits: 32 },
  2: { name: 'uint8', bits: 8 },
  3: { name: 'int8', bits: 8 },
  4: { name: 'uint16', bits: 16 },
  5: { name: 'int16', bits: 16 },
  6: { name: 'int32', bits: 32 },
  7: { name: 'int64', bits: 64 },
  8: { name: 'string', bits: 0 },
  9: { name: 'bool', bits: 8 },
  10: { name: 'float16', bits: 16 },
  11: { name: 'float64', bits: 64 },
  12: { name: 'uint32', bits: 32 },
  13: { name: 'uint64', bits: 64 },
  16: { name: 'bfloat16', bits: 16 },
  17: { name: 'float8e4m3fn', bits: 8 },
  18: { name: 'float8e4m3fnuz', bits: 8 },
  19: { name: 'float8e5m2', bits: 8 },
  20: { name: 'float8e5m2fnuz', bits: 8 },
  21: { name: 'uint4', bits: 4 },
  22: { name: 'int4', bits: 4 },
}

/** The name of an ONNX data-type code. */
export function dataTypeName(code: number): string {
  return DATA_TYPES[code]?.name ?? `type${code}`
}

/** Random access to the bytes of a file, through a small read cache. */
class FileBytes {
  private cacheStart = 0
  private cache = new Uint8Array(0)
  readonly size: number

  constructor(
    private readonly fd: number,
    readonly file: string,
  ) {
    this.size = fs.fstatSync(fd).size
  }

  /** `len` bytes at `pos` (a view into the cache; copy it to keep it). */
  bytes(pos: number, len: number): Uint8Array {
    if (pos < 0 || pos + len > this.size) throw this.corrupt(pos, 'a field runs past the end of the file')
    if (pos >= this.cacheStart && pos + len <= this.cacheStart + this.cache.length) {
      return this.cache.subarray(pos - this.cacheStart, pos - this.cacheStart + len)
    }
    const size = Math.min(Math.max(len, 1 << 16), this.size - pos)
    const buffer = new Uint8Array(size)
    let read = 0
    while (read < size) {
      const n = fs.readSync(this.fd, buffer, read, size - read, pos + read)
      if (n === 0) break
      read += n
    }
    this.cacheStart = pos
    this.cache = buffer.subarray(0, read)
    return this.cache.subarray(0, len)
  }

  corrupt(pos: number, what: string): Error {
    return new Error(
      `${this.file} is not a readable ONNX model (${what} at byte ${pos}). ` +
        'The file may be truncated or a Git LFS pointer: download it again.',
    )
  }
}

/** One protobuf field: its number, wire type, where its value starts, and its value or length. */
interface Field {
  readonly num: number
  readonly wire: number
  /** Start of the value (after the tag and, for length-delimited fields, the length). */
  readonly pos: number
  /** The varint value (wire 0) or the byte length (wire 2). */
  readonly value: number
}

function readVarint(src: FileBytes, pos: number, end: number): { value: number; next: number } {
  const chunk = src.bytes(pos, Math.min(10, end - pos))
  let value = 0
  let scale = 1
  for (let i = 0; i < chunk.length; i++) {
    const byte = chunk[i]
    value += (byte & 0x7f) * scale
    scale *= 128
    if (byte < 0x80) return { value, next: pos + i + 1 }
  }
  throw src.corrupt(pos, 'an unterminated varint')
}

function* fields(src: FileBytes, start: number, end: number): Generator<Field> {
  let pos = start
  while (pos < end) {
    const tag = readVarint(src, pos, end)
    const num = Math.floor(tag.value / 8)
    const wire = tag.value % 8
    pos = tag.next
    if (wire === 0) {
      const v = readVarint(src, pos, end)
      yield { num, wire, pos, value: v.value }
      pos = v.next
    } else if (wire === 2) {
      const len = readVarint(src, pos, end)
      if (len.next + len.value > end) throw src.corrupt(pos, 'a length-delimited field longer than its message')
      yield { num, wire, pos: len.next, value: len.value }
      pos = len.next + len.value
    } else if (wire === 1) {
      yield { num, wire, pos, value: 8 }
      pos += 8
    } else if (wire === 5) {
      yield { num, wire, pos, value: 4 }
      pos += 4
    } else {
      throw src.corrupt(pos, `an unsupported protobuf wire type ${wire}`)
    }
  }
}

const utf8 = new TextDecoder()

function str(src: FileBytes, f: Field): string {
  return utf8.decode(src.bytes(f.pos, f.value))
}

/** Varints of a repeated integer field, packed (wire 2) or not (wire 0). */
function ints(src: FileBytes, f: Field, into: number[]): void {
  if (f.wire === 0) {
    into.push(f.value)
    return
  }
  const end = f.pos + f.value
  let pos = f.pos
  while (pos < end) {
    const v = readVarint(src, pos, end)
    into.push(v.value)
    pos = v.next
  }
}

function parseValueInfo(src: FileBytes, start: number, end: number): GraphValue {
  let name = ''
  let elemType = 'unknown'
  const dims: (number | string | null)[] = []
  for (const f of fields(src, start, end)) {
    if (f.num === 1 && f.wire === 2) name = str(src, f)
    if (f.num !== 2 || f.wire !== 2) continue
    for (const t of fields(src, f.pos, f.pos + f.value)) {
      if (t.num !== 1 || t.wire !== 2) continue // TypeProto.tensor_type
      for (const tt of fields(src, t.pos, t.pos + t.value)) {
        if (tt.num === 1 && tt.wire === 0) elemType = dataTypeName(tt.value)
        if (tt.num !== 2 || tt.wire !== 2) continue // shape
        for (const d of fields(src, tt.pos, tt.pos + tt.value)) {
          if (d.num !== 1 || d.wire !== 2) continue
          let dim: number | string | null = null
          for (const v of fields(src, d.pos, d.pos + d.value)) {
            if (v.num === 1 && v.wire === 0) dim = v.value
            if (v.num === 2 && v.wire === 2) dim = str(src, v)
          }
          dims.push(dim)
        }
      }
    }
  }
  return { name, elemType, dims }
}

function parseInitializer(src: FileBytes, start: number, end: number): InitializerInfo {
  let name = ''
  let code = 0
  const dims: number[] = []
  let dataBytes = 0
  let externalFile: string | undefined
  let externalLength: number | undefined
  for (const f of fields(src, start, end)) {
    if (f.num === 1) ints(src, f, dims)
    else if (f.num === 2 && f.wire === 0) code = f.value
    else if (f.num === 8 && f.wire === 2) name = str(src, f)
    else if (f.wire === 2 && [4, 5, 6, 7, 9, 10, 11].includes(f.num)) dataBytes += f.value
    else if (f.num === 13 && f.wire === 2) {
      let key = ''
      let value = ''
      for (const kv of fields(src, f.pos, f.pos + f.value)) {
        if (kv.num === 1 && kv.wire === 2) key = str(src, kv)
        if (kv.num === 2 && kv.wire === 2) value = str(src, kv)
      }
      if (key === 'location') externalFile = value
      if (key === 'length') externalLength = Number(value)
    }
  }
  const type = DATA_TYPES[code]
  const count = dims.reduce((a, b) => a * b, 1)
  const bytes = type && type.bits > 0 ? Math.ceil((count * type.bits) / 8) : (externalLength ?? dataBytes)
  return { name, elemType: dataTypeName(code), dims, bytes, ...(externalFile ? { externalFile } : {}) }
}

interface NodeInfo {
  opType: string
  domain: string
  bits?: number
}

function parseNode(src: FileBytes, start: number, end: number): NodeInfo {
  const node: NodeInfo = { opType: '', domain: '' }
  for (const f of fields(src, start, end)) {
    if (f.num === 4 && f.wire === 2) node.opType = str(src, f)
    else if (f.num === 7 && f.wire === 2) node.domain = str(src, f)
    else if (f.num === 5 && f.wire === 2) {
      let attrName = ''
      let attrInt: number | undefined
      for (const a of fields(src, f.pos, f.pos + f.value)) {
        if (a.num === 1 && a.wire === 2) attrName = str(src, a)
        if (a.num === 3 && a.wire === 0) attrInt = a.value
      }
      if (attrName === 'bits' && attrInt !== undefined) node.bits = attrInt
    }
  }
  return node
}

/**
 * Reads the summary of the ONNX model at `file`. Throws an Error naming the file when it is not a
 * readable ONNX model (for example a Git LFS pointer or a truncated download).
 */
export function readOnnxSummary(file: string): OnnxGraphSummary {
  const fd = fs.openSync(file, 'r')
  try {
    const src = new FileBytes(fd, file)
    let irVersion = 0
    let producer = ''
    const opsets: { domain: string; version: number }[] = []
    const inputs: GraphValue[] = []
    const outputs: GraphValue[] = []
    const opCounts: Record<string, number> = {}
    const matMulNBits: number[] = []
    const initializers: InitializerInfo[] = []
    let sawGraph = false
    for (const f of fields(src, 0, src.size)) {
      if (f.num === 1 && f.wire === 0) irVersion = f.value
      else if (f.num === 2 && f.wire === 2) producer = str(src, f)
      else if (f.num === 8 && f.wire === 2) {
        let domain = ''
        let version = 0
        for (const o of fields(src, f.pos, f.pos + f.value)) {
          if (o.num === 1 && o.wire === 2) domain = str(src, o)
          if (o.num === 2 && o.wire === 0) version = o.value
        }
        opsets.push({ domain, version })
      } else if (f.num === 7 && f.wire === 2) {
        sawGraph = true
        for (const g of fields(src, f.pos, f.pos + f.value)) {
          if (g.wire !== 2) continue
          const end = g.pos + g.value
          if (g.num === 1) {
            const node = parseNode(src, g.pos, end)
            const key = node.domain && node.domain !== 'ai.onnx' ? `${node.domain}.${node.opType}` : node.opType
            opCounts[key] = (opCounts[key] ?? 0) + 1
            if (node.opType === 'MatMulNBits' && node.bits !== undefined) matMulNBits.push(node.bits)
          } else if (g.num === 5) initializers.push(parseInitializer(src, g.pos, end))
          else if (g.num === 11) inputs.push(parseValueInfo(src, g.pos, end))
          else if (g.num === 12) outputs.push(parseValueInfo(src, g.pos, end))
        }
      }
    }
    if (!sawGraph || irVersion === 0) throw src.corrupt(0, 'no graph or IR version found')
    // Initializers may also be listed as graph inputs (IR < 4); they are weights, not feeds.
    const weightNames = new Set(initializers.map((i) => i.name))
    return {
      irVersion,
      producer,
      opsets,
      inputs: inputs.filter((i) => !weightNames.has(i.name)),
      outputs,
      opCounts,
      matMulNBits: [...new Set(matMulNBits)].sort((a, b) => a - b),
      initializers,
    }
  } finally {
    fs.closeSync(fd)
  }
}
