/**
 * @module electron/runtime/decoder
 * The KV-cached `DecoderBackend` over an onnxruntime session.
 *
 * Layout. Sequences that run together live in a *group*: one `[batch, kv_heads, capacity, head_dim]`
 * tensor per cache input, with a validity mask per row. Rows are left-padded, so every row's newest
 * token is in the last column of its prompt and one `logits[:, -1]` serves the whole batch. When the
 * set of slots changes (a request joins or leaves) the rows are gathered into a new, compact group:
 * one pass over the cache, once per change rather than once per step.
 *
 * Decoding one row feeds back exactly the `present.*` the graph returned (the cache grows by one
 * column a step), so a single stream runs the computation of any other client of the graph, bit for
 * bit. With the new-position outputs (see below) the row keeps that cache compact in arrays of its
 * own and fetches only the new column: each step moves every head one column along, in place, and
 * writes the new key and value at its end, one pass over the cache instead of onnxruntime-node
 * allocating, clearing and filling a fresh copy of it. Decoding a batch instead keeps the cache in arrays of its own with
 * spare columns at the end (masked out): each step feeds the same arrays, fetches only the new
 * positions' keys and values (the outputs `createSession` adds; without them, the last column of
 * `present.*`) and copies them into the first spare column. When the spare columns run out the group
 * is gathered again, with new room. Fetching `present.*` would make onnxruntime-node copy the whole
 * cache into fresh JavaScript buffers every step, which for sixteen rows costs as much as the
 * weights: the copies, the page faults of memory that is new every step, and the garbage collections
 * that the external memory sets off. The step's inputs are built once per group and rewritten.
 *
 * Runs. With a session that has `runSync` the graph runs at once and the decoder gives the event
 * loop a turn itself every `YIELD_MS`, instead of once per step (see electron/runtime/onnx.ts).
 *
 * Masks and positions. `attention_mask` is the group's validity mask plus a 1 for each new token;
 * `position_ids` count each row's valid tokens, so a padded row gets exactly the positions it would
 * get alone. Padding may sit in the middle of a row (a cached shared prefix, then padding, then the
 * row's own tokens): the mask hides it and the positions skip it.
 *
 * First step. The first prefill feeds an empty past (`past_sequence_length` 0), as transformers.js
 * does; graphs with Optimum's `use_cache_branch` get `false` then.
 *
 * Long prompts are prefilled in chunks, so the `[batch, chunk, vocab]` logits the graph returns for
 * every position stay within a memory budget.
 *
 * Shared prefixes. A prefill row with a `sharedPrefix` hint starts from a cached KV of that prefix
 * (computed once, kept in a small LRU) and runs only its own remaining tokens.
 */
import type { DecodeRow, DecoderBackend, PrefillRow } from '../../core/model/backend.ts'
import { makeTensor, newPositionsOutput, type OrtSession, type OrtTensor } from './onnx.ts'
import type { DecoderSignature } from './signature.ts'

type KvData = Float32Array | Uint16Array
type IntArray = BigInt64Array | Int32Array

/** Options of `OrtDecoder`. */
export interface DecoderOptions {
  /** Slots, i.e. the largest batch (default 16). */
  readonly maxBatch?: number
  /** Prefill chunk length in tokens; default: what keeps one chunk's logits under 256 MB. */
  readonly prefillChunkTokens?: number
  /** Shared-prefix KV caches kept (default 4; 0 turns reuse off). */
  readonly prefixCacheEntries?: number
  /** The id fed at padded positions (any valid id; it is masked). */
  readonly padTokenId?: number
  /**
   * Spare cache columns a batch gets when it is (re)gathered for in-place decoding, as a fraction of
   * its length (default 0.125, at least 8 columns). More means fewer gathers but more masked columns
   * in every step; 1/8 was the fastest of 1/16, 1/8 and 1/4 for sixteen rows of the 30M benchmark model.
   */
  readonly spareFraction?: number
}

/** Counters for tests and benchmarks. */
export interface DecoderStats {
  /** Groups holding live rows or cached prefixes. */
  readonly groups: number
  readonly liveSlots: number
  readonly cachedPrefixes: number
  /** Bytes of KV cache held. */
  readonly kvBytes: number
  /** Gathers (compactions) done so far. */
  readonly gathers: number
  /** Prefill rows that started from a cached prefix. */
  readonly prefixHits: number
  readonly runs: number
}

interface Group {
  /** Row -> slot, -1 for a row that left (or a prefix-cache row). */
  readonly slots: number[]
  /**
   * One `[rows, kv_heads, capacity, head_dim]` tensor per cache input, in signature order: layer 0
   * key, layer 0 value, layer 1 key, ...
   */
  kv: OrtTensor[]
  /** Columns of the cache tensors: the past length the graph sees. */
  capacity: number
  /** Columns written so far; those from `length` to `capacity` are spare (masked out, in-place groups only). */
  length: number
  /** `rows * capacity`, 1 where a row holds a real token; null when every column does (then length = capacity). */
  valid: Uint8Array | null
  /** Real tokens per row (the next position id). */
  readonly lens: number[]
  live: number
  /** Prefix-cache groups are freed by the cache, not when their (absent) slots leave. */
  readonly pinned: boolean
  /** False when `kv` belongs to another group (a batch-1 view of a cached prefix). */
  readonly owned: boolean
  /** Set for a batch decoded in place (see the module comment). */
  readonly inPlace: InPlaceStep | null
  /** Set for a single row whose cache is kept compact in arrays of its own (see the module comment). */
  compact: CompactRow | null
}

/** A single row's own cache arrays: `[kv_heads, length, head_dim]` at the start of each, room after. */
interface CompactRow {
  readonly buffers: KvData[]
  /** Columns the arrays have room for. */
  readonly room: number
}

/** The reusable inputs of an in-place group's decode step. */
interface InPlaceStep {
  /** The arrays behind `kv`, written one column per step. */
  readonly buffers: KvData[]
  readonly ids: IntArray
  readonly positions: IntArray
  /** `rows * (capacity + 1)`: the validity of each column, then 1 for the new token. */
  readonly mask: IntArray
  readonly feeds: Record<string, OrtTensor>
}

/** Reusable `[rows, 1]` token and position inputs of a one-column decode step. */
interface StepInputs {
  readonly ids: IntArray
  readonly positions: IntArray
  readonly idsTensor: OrtTensor
  readonly positionsTensor: OrtTensor
}

interface PrefixEntry {
  readonly ids: readonly number[]
  readonly group: Group
}

const LOGITS_BUDGET_BYTES = 256 * 1024 * 1024
/** The fewest spare columns an in-place batch gets. */
const MIN_SPARE_COLUMNS = 8
/** How long synchronous runs may keep the event loop waiting. */
const YIELD_MS = 5
const HALF_TABLE = halfToFloatTable()

/** Float32 values of all 65536 float16 bit patterns. */
function halfToFloatTable(): Float32Array {
  const table = new Float32Array(65536)
  for (let h = 0; h < 65536; h++) {
    const sign = h & 0x8000 ? -1 : 1
    const exp = (h >> 10) & 0x1f
    const frac = h & 0x3ff
    if (exp === 0) table[h] = sign * frac * 2 ** -24
    else if (exp === 31) table[h] = frac ? NaN : sign * Infinity
    else table[h] = sign * (1 + frac / 1024) * 2 ** (exp - 15)
  }
  return table
}

/** KV-cached decoding over slots; see the module comment. */
export class OrtDecoder implements DecoderBackend {
  readonly maxBatch: number
  private readonly slotRows = new Map<number, { group: Group; row: number }>()
  private readonly groups = new Set<Group>()
  private readonly prefixes = new Map<string, PrefixEntry>()
  private readonly kvNames: string[]
  private readonly presentNames: string[]
  private readonly elemBytes: number
  private readonly rowWidth: number
  private readonly prefixCacheEntries: number
  private readonly padTokenId: number
  private readonly prefillChunkTokens: number | undefined
  private readonly spareFraction: number
  /** In-place batches need explicit position ids: a graph that derives them from the past length would see the spare columns. */
  private readonly inPlaceBatches: boolean
  private counters = { gathers: 0, prefixHits: 0, runs: 0 }
  private lastYield = 0
  private ones: IntArray = new BigInt64Array(0)
  private readonly stepInputsByRows = new Map<number, StepInputs>()
  private readonly cacheOutputs: ReadonlySet<string>
  /** `newPositionsOutput` of each cache output, when the session has them; in-place steps fetch these. */
  private readonly newPositionNames: string[] | null
  private readonly growingFetches: string[]
  private readonly inPlaceFetches: string[]
  /** What a compact single-row step fetches; null without new-position outputs. */
  private readonly compactFetches: string[] | null
  private disposed = false

  constructor(
    private readonly session: OrtSession,
    private readonly signature: DecoderSignature,
    readonly vocabSize: number,
    options: DecoderOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 16
    if (!Number.isInteger(this.maxBatch) || this.maxBatch < 1) {
      throw new RangeError(`maxBatch must be a positive whole number; got ${this.maxBatch}.`)
    }
    this.kvNames = signature.past.flatMap((p) => [p.key, p.value])
    this.presentNames = signature.present.flatMap((p) => [p.key, p.value])
    this.cacheOutputs = new Set(this.presentNames)
    this.elemBytes = signature.kvDtype === 'float16' ? 2 : 4
    this.rowWidth = signature.kvHeads * signature.headDim
    this.prefixCacheEntries = options.prefixCacheEntries ?? 4
    this.padTokenId = options.padTokenId ?? 0
    this.prefillChunkTokens = options.prefillChunkTokens
    this.spareFraction = options.spareFraction ?? 0.125
    if (!(this.spareFraction >= 0 && this.spareFraction < Infinity)) {
      throw new RangeError(`spareFraction must be a non-negative number; got ${this.spareFraction}.`)
    }
    this.inPlaceBatches = signature.positionIds !== null
    const outputs = new Set(session.outputNames)
    const newNames = this.presentNames.map(newPositionsOutput)
    this.newPositionNames = newNames.every((n) => outputs.has(n)) ? newNames : null
    this.growingFetches = [signature.logits, ...this.presentNames]
    this.inPlaceFetches = [signature.logits, ...(this.newPositionNames ?? this.presentNames)]
    this.compactFetches = this.newPositionNames ? [signature.logits, ...this.newPositionNames] : null
  }

  /** Runs each row's prompt into its (free) slot and returns each row's last-position logits. */
  async prefill(rows: readonly PrefillRow[]): Promise<Float32Array[]> {
    this.assertOpen()
    for (const row of rows) {
      if (this.slotRows.has(row.slot)) throw new Error(`Slot ${row.slot} is in use; release it before prefilling.`)
      if (row.slot < 0 || row.slot >= this.maxBatch) throw new RangeError(`Slot ${row.slot} is outside [0, ${this.maxBatch}).`)
    }
    // Every row runs in one batch: rows with a cached shared prefix start from its KV (gathered,
    // left-padded), the others from an empty past.
    const prefixes = await this.prefixesFor(rows)
    const hits = prefixes.filter((p) => p !== null).length
    this.counters.prefixHits += hits
    const past =
      hits === 0
        ? this.emptyGroup(rows.length)
        : rows.length === 1
          ? this.view(prefixes[0] as PrefixEntry)
          : this.gather(
              prefixes.map((p) => (p ? { group: p.group, row: 0 } : null)),
              new Array<number>(rows.length).fill(-1),
              false,
            )
    const out = await this.runPrompt(
      past,
      rows.map((r, i) => r.tokenIds.slice(prefixes[i]?.ids.length ?? 0)),
      rows.map((r) => r.slot),
      true,
    )
    return out.logits
  }

  /** Appends one token to each row's slot; returns the next-token logits in row order. */
  async decode(rows: readonly DecodeRow[]): Promise<Float32Array[]> {
    this.assertOpen()
    const slots = rows.map((r) => r.slot)
    if (rows.length > 1 && this.inPlaceBatches) {
      let group = this.groupOf(slots, true)
      if (group.inPlace === null || group.length === group.capacity) group = this.regather(group)
      return this.decodeInPlace(group, rows)
    }
    return this.decodeGrowing(this.groupOf(slots, false), rows)
  }

  /** Frees a slot's cache. */
  release(slot: number): void {
    const at = this.slotRows.get(slot)
    if (!at) return
    this.slotRows.delete(slot)
    at.group.slots[at.row] = -1
    at.group.live--
    if (at.group.live === 0 && !at.group.pinned) this.dropGroup(at.group)
  }

  /** Counters and memory held, for tests and benchmarks. */
  stats(): DecoderStats {
    let kvBytes = 0
    for (const g of this.groups) if (g.owned) kvBytes += this.groupBytes(g)
    return {
      groups: this.groups.size,
      liveSlots: this.slotRows.size,
      cachedPrefixes: this.prefixes.size,
      kvBytes,
      ...this.counters,
    }
  }

  /** Frees every cache; the decoder is unusable afterwards (the session is the owner's to release). */
  dispose(): void {
    for (const g of [...this.groups]) this.dropGroup(g)
    this.prefixes.clear()
    this.slotRows.clear()
    this.stepInputsByRows.clear()
    this.disposed = true
  }

  private assertOpen(): void {
    if (this.disposed) throw new Error('The decoder was disposed; load the model again.')
  }

  /**
   * One step of a group whose cache is the graph's last output: feeds it back and takes the new
   * `present.*` as the cache, one column longer. The group object stays (slots keep pointing at it).
   */
  private async decodeGrowing(group: Group, rows: readonly DecodeRow[]): Promise<Float32Array[]> {
    if (group.inPlace !== null || group.length !== group.capacity) {
      throw new Error('Internal error: a growing decode step got a group with spare columns.')
    }
    const b = rows.length
    const { capacity } = group
    const { signature } = this
    const step = this.stepInputs(b)
    for (let r = 0; r < b; r++) {
      setInt(step.ids, r, rows[r].tokenId)
      setInt(step.positions, r, group.lens[r])
    }
    const mask = makeTensor(signature.maskType, this.maskArray(group.valid, b, capacity, 1), [b, capacity + 1])
    const feeds = this.feeds(group, step.idsTensor, mask, step.positionsTensor)
    if (b === 1 && group.valid === null && this.compactFetches !== null) {
      const compact = group.compact ?? this.compactRow(group, capacity + 1)
      const outputs = await this.run(feeds, this.compactFetches)
      group.compact = this.appendCompact(group, compact, outputs)
      return this.lastLogits(outputs[signature.logits], b)
    }
    const outputs = await this.run(feeds, this.growingFetches)
    const old = group.valid
    if (old !== null) {
      const valid = new Uint8Array(b * (capacity + 1))
      for (let r = 0; r < b; r++) {
        valid.set(old.subarray(r * capacity, (r + 1) * capacity), r * (capacity + 1))
        valid[r * (capacity + 1) + capacity] = 1
      }
      group.valid = valid
    }
    if (group.owned) for (const t of group.kv) t.dispose()
    group.kv = this.takePresents(outputs)
    group.capacity = group.length = capacity + 1
    for (let r = 0; r < b; r++) group.lens[r]++
    return this.lastLogits(outputs[signature.logits], b)
  }

  /**
   * A single row's cache copied into arrays of its own with room for `columns` columns or more (the
   * layout is the graph's: heads one after the other, each `length` columns long).
   */
  private compactRow(group: Group, columns: number): CompactRow {
    const room = columns + Math.max(16, Math.ceil(columns / 2))
    const buffers = group.kv.map((t) => {
      const data = this.kvArray(this.rowWidth * room)
      data.set(t.data as KvData)
      return data
    })
    return { buffers, room }
  }

  /**
   * Appends the new column of a compact single-row step: moves each head one column further along
   * (from the last head back, so nothing is overwritten before it is moved) and writes the new
   * key or value at each head's end. The cache the next step feeds is then exactly the `present.*`
   * the graph returned, without onnxruntime-node copying it into new buffers.
   */
  private appendCompact(group: Group, compact: CompactRow, outputs: Record<string, OrtTensor>): CompactRow {
    const { kvHeads, headDim } = this.signature
    const length = group.capacity
    const next = length + 1 > compact.room ? this.compactRow(group, length + 1) : compact
    const names = this.compactFetches as string[]
    for (const name of names.slice(1)) {
      const positions = outputs[name].dims[2]
      if (positions !== 1) throw new Error(`The graph returned ${positions} positions in ${name}; expected 1.`)
    }
    for (let t = 0; t < next.buffers.length; t++) {
      const fresh = outputs[names[t + 1]]
      const src = fresh.data as KvData
      const dst = next.buffers[t]
      for (let h = kvHeads - 1; h > 0; h--) dst.copyWithin(h * (length + 1) * headDim, h * length * headDim, (h + 1) * length * headDim)
      for (let h = 0; h < kvHeads; h++) dst.set(src.subarray(h * headDim, (h + 1) * headDim), (h * (length + 1) + length) * headDim)
      fresh.dispose()
    }
    if (group.owned) for (const t of group.kv) t.dispose()
    const dims = [1, kvHeads, length + 1, headDim]
    group.kv = next.buffers.map((data) => makeTensor(this.signature.kvDtype, data.subarray(0, this.rowWidth * (length + 1)), dims))
    group.capacity = group.length = length + 1
    group.lens[0]++
    return next
  }

  /**
   * One step of an in-place group: the same inputs every step, rewritten; the new token's key and
   * value are copied into the first spare column, from the new-position outputs when the session has
   * them (else from the last column of `present.*`).
   */
  private async decodeInPlace(group: Group, rows: readonly DecodeRow[]): Promise<Float32Array[]> {
    const step = group.inPlace as InPlaceStep
    const b = rows.length
    const { capacity, length: at } = group
    for (let r = 0; r < b; r++) {
      setInt(step.ids, r, rows[r].tokenId)
      setInt(step.positions, r, group.lens[r])
    }
    const outputs = await this.run(step.feeds, this.inPlaceFetches)
    const { kvHeads, headDim } = this.signature
    const heads = b * kvHeads
    // The new column is alone in a new-position output, and last in a present output.
    const columns = this.newPositionNames ? 1 : capacity + 1
    for (let t = 0; t < step.buffers.length; t++) {
      const name = this.inPlaceFetches[t + 1]
      const tensor = outputs[name]
      if (tensor.dims[2] !== columns) {
        throw new Error(`The graph returned ${tensor.dims[2]} positions in ${name}; expected ${columns}.`)
      }
      const src = tensor.data as KvData
      const dst = step.buffers[t]
      for (let h = 0; h < heads; h++) {
        const from = (h * columns + columns - 1) * headDim
        const to = (h * capacity + at) * headDim
        for (let j = 0; j < headDim; j++) dst[to + j] = src[from + j]
      }
      tensor.dispose()
    }
    const valid = group.valid as Uint8Array
    for (let r = 0; r < b; r++) {
      valid[r * capacity + at] = 1
      setInt(step.mask, r * (capacity + 1) + at, 1)
      group.lens[r]++
    }
    group.length = at + 1
    return this.lastLogits(outputs[this.signature.logits], b)
  }

  /** Reusable `[b, 1]` id and position inputs (a run is over before the next one starts). */
  private stepInputs(b: number): StepInputs {
    let inputs = this.stepInputsByRows.get(b)
    if (!inputs) {
      const { signature: s } = this
      const ids = this.intArray(s.idsType, b)
      const positions = this.intArray(s.positionType, b)
      inputs = {
        ids,
        positions,
        idsTensor: makeTensor(s.idsType, ids, [b, 1]),
        positionsTensor: makeTensor(s.positionType, positions, [b, 1]),
      }
      this.stepInputsByRows.set(b, inputs)
    }
    return inputs
  }

  /**
   * The cached prefix each row can start from (null for none), computing the prefixes not cached
   * yet in one batched run.
   */
  private async prefixesFor(rows: readonly PrefillRow[]): Promise<(PrefixEntry | null)[]> {
    const wanted = rows.map((row) => {
      const hint = row.sharedPrefix
      if (!hint || this.prefixCacheEntries <= 0 || hint.length < 1 || hint.length >= row.tokenIds.length) return null
      return { key: hint.key, ids: row.tokenIds.slice(0, hint.length) }
    })
    const missing = new Map<string, readonly number[]>()
    for (const w of wanted) if (w && !this.prefixes.has(w.key) && !missing.has(w.key)) missing.set(w.key, w.ids)
    const fresh = [...missing.entries()].slice(0, this.prefixCacheEntries)
    if (fresh.length > 0) {
      const out = await this.runPrompt(this.emptyGroup(fresh.length), fresh.map(([, ids]) => ids), [], false)
      // One small group per prefix, so that each can leave the cache on its own.
      fresh.forEach(([key, ids], row) => {
        const group = this.gather([{ group: out.group, row }], [], false, true)
        this.remember(key, { ids, group })
      })
      this.dropGroup(out.group)
    }
    return wanted.map((w) => {
      const entry = w ? this.prefixes.get(w.key) : undefined
      if (!w || !entry || !sameIds(entry.ids, w.ids)) return null // not cached, or a hash collision
      this.prefixes.delete(w.key) // refresh its place in the LRU order
      this.prefixes.set(w.key, entry)
      return entry
    })
  }

  private remember(key: string, entry: PrefixEntry): void {
    this.prefixes.set(key, entry)
    while (this.prefixes.size > this.prefixCacheEntries) {
      const [oldest, old] = this.prefixes.entries().next().value as [string, PrefixEntry]
      this.prefixes.delete(oldest)
      this.dropGroup(old.group)
    }
  }

  /**
   * Runs `tokens` (one list per row, left-padded against each other) after `past`, in chunks, and
   * makes the result a group for `slots` (pinned when `register` is false: a prefix cache entry).
   */
  private async runPrompt(
    past: Group,
    tokens: readonly (readonly number[])[],
    slots: readonly number[],
    register: boolean,
  ): Promise<{ logits: Float32Array[]; group: Group }> {
    const b = tokens.length
    const width = Math.max(...tokens.map((t) => t.length))
    const chunk = this.chunkTokens(b)
    const { signature } = this
    let group = past
    let lastOutputs: Record<string, OrtTensor> | undefined
    for (let c0 = 0; c0 < width; c0 += chunk) {
      const w = Math.min(chunk, width - c0)
      const length = group.capacity
      const total = length + w
      const ids = this.intArray(signature.idsType, b * w)
      const positions = this.intArray(signature.positionType, b * w)
      const valid = new Uint8Array(b * total)
      const lens: number[] = []
      for (let r = 0; r < b; r++) {
        const own = tokens[r]
        const start = width - own.length // first real column of this row in the padded block
        if (group.valid) valid.set(group.valid.subarray(r * length, (r + 1) * length), r * total)
        else valid.fill(1, r * total, r * total + length)
        let n = group.lens[r]
        for (let j = 0; j < w; j++) {
          const col = c0 + j
          const real = col >= start
          setInt(ids, r * w + j, real ? own[col - start] : this.padTokenId)
          setInt(positions, r * w + j, real ? n++ : 1)
          if (real) valid[r * total + length + j] = 1
        }
        lens.push(n)
      }
      const dense = valid.every((v) => v === 1)
      const mask = this.maskArray(dense ? null : valid, b, total, 0)
      const outputs = await this.run(
        this.feeds(
          group,
          makeTensor(signature.idsType, ids, [b, w]),
          makeTensor(signature.maskType, mask, [b, total]),
          makeTensor(signature.positionType, positions, [b, w]),
        ),
        this.growingFetches,
      )
      const last = c0 + w >= width
      group = this.adopt(group, outputs, register ? slots : [], total, dense ? null : valid, lens, !register && last)
      if (last) lastOutputs = outputs
      else outputs[signature.logits].dispose()
    }
    if (!lastOutputs) throw new Error('A prefill row has no tokens; every prompt needs at least one.')
    return { logits: this.lastLogits(lastOutputs[signature.logits], b), group }
  }

  /** The `present.*` outputs in cache order; every other output except the logits is disposed. */
  private takePresents(outputs: Record<string, OrtTensor>): OrtTensor[] {
    for (const name in outputs) {
      if (name !== this.signature.logits && !this.cacheOutputs.has(name)) outputs[name].dispose()
    }
    return this.presentNames.map((name) => outputs[name])
  }

  /**
   * Makes the outputs of a run on `group` the new group for `slots`, and frees `group` (whose rows
   * all moved). With no slots the new group is kept alive by the caller (prefix cache or next chunk).
   */
  private adopt(
    group: Group,
    outputs: Record<string, OrtTensor>,
    slots: readonly number[],
    length: number,
    valid: Uint8Array | null,
    lens: number[],
    pinned = false,
  ): Group {
    const next: Group = {
      slots: [...slots],
      kv: this.takePresents(outputs),
      capacity: length,
      length,
      valid,
      lens,
      live: slots.filter((s) => s >= 0).length,
      pinned,
      owned: true,
      inPlace: null,
      compact: null,
    }
    this.groups.add(next)
    next.slots.forEach((slot, row) => {
      if (slot >= 0) this.slotRows.set(slot, { group: next, row })
    })
    if (!group.pinned) this.dropGroup(group)
    return next
  }

  /**
   * The group holding exactly `slots` in this order, gathering rows into a new one when needed (an
   * in-place group with spare columns when `inPlace`).
   */
  private groupOf(slots: readonly number[], inPlace: boolean): Group {
    const first = this.slotRows.get(slots[0])
    if (!first) throw new Error(`Slot ${slots[0]} has no cache; prefill it first.`)
    const g = first.group
    if (g.slots.length === slots.length && slots.every((s, i) => g.slots[i] === s)) return g
    const sources = slots.map((slot) => {
      const at = this.slotRows.get(slot)
      if (!at) throw new Error(`Slot ${slot} has no cache; prefill it first.`)
      return at
    })
    return this.moveRows(sources, slots, inPlace)
  }

  /** Gathers an in-place group's rows again, with new spare columns (its own are used up). */
  private regather(group: Group): Group {
    return this.moveRows(
      group.slots.map((_, row) => ({ group, row })),
      group.slots,
      true,
    )
  }

  /** Gathers `sources` into a new group for `slots`, and frees the groups they leave empty. */
  private moveRows(sources: readonly { group: Group; row: number }[], slots: readonly number[], inPlace: boolean): Group {
    const gathered = this.gather(sources, [...slots], true, false, inPlace)
    for (const at of sources) {
      at.group.slots[at.row] = -1
      at.group.live--
    }
    for (const at of new Set(sources.map((s) => s.group))) if (at.live === 0 && !at.pinned) this.dropGroup(at)
    gathered.slots.forEach((slot, row) => this.slotRows.set(slot, { group: gathered, row }))
    return gathered
  }

  /** A cached prefix as the past of a one-row prefill: its tensors, read directly (onnxruntime does not write to inputs). */
  private view(prefix: PrefixEntry): Group {
    return { ...prefix.group, slots: [-1], live: 0, pinned: false, owned: false, compact: null }
  }

  /**
   * Copies rows of existing groups into a new left-padded group: each row's valid positions, in
   * order, end at the last written column; padding is zero. A null source is an empty row. With
   * `inPlace`, the new group gets spare columns after that and is set up for in-place steps.
   */
  private gather(
    sources: readonly ({ group: Group; row: number } | null)[],
    slots: number[],
    register: boolean,
    pinned = false,
    inPlace = false,
  ): Group {
    this.counters.gathers++
    const b = sources.length
    const lens = sources.map((s) => (s ? s.group.lens[s.row] : 0))
    const length = Math.max(0, ...lens)
    const capacity = inPlace ? length + Math.max(MIN_SPARE_COLUMNS, Math.ceil(length * this.spareFraction)) : length
    const runs = sources.map((s) => (s ? validRuns(s.group, s.row) : []))
    const { kvHeads, headDim } = this.signature
    const buffers = this.kvNames.map((_, t) => {
      const data = this.kvArray(b * kvHeads * capacity * headDim)
      for (let r = 0; r < b; r++) {
        const source = sources[r]
        if (!source) continue
        const { group, row } = source
        const src = group.kv[t].data as KvData
        const srcCapacity = group.capacity
        for (let h = 0; h < kvHeads; h++) {
          let dst = ((r * kvHeads + h) * capacity + (length - lens[r])) * headDim
          const base = (row * kvHeads + h) * srcCapacity
          for (const [from, to] of runs[r]) {
            data.set(src.subarray((base + from) * headDim, (base + to) * headDim), dst)
            dst += (to - from) * headDim
          }
        }
      }
      return data
    })
    const kv = buffers.map((data) => makeTensor(this.signature.kvDtype, data, [b, kvHeads, capacity, headDim]))
    let valid: Uint8Array | null = null
    if (capacity !== length || lens.some((n) => n !== length)) {
      valid = new Uint8Array(b * capacity)
      for (let r = 0; r < b; r++) valid.fill(1, r * capacity + length - lens[r], r * capacity + length)
    }
    const group: Group = {
      slots,
      kv,
      capacity,
      length,
      valid,
      lens,
      live: register ? slots.length : 0,
      pinned,
      owned: true,
      inPlace: inPlace ? this.inPlaceStep(buffers, kv, valid as Uint8Array, b, capacity) : null,
      compact: null,
    }
    if (register || pinned) this.groups.add(group)
    return group
  }

  /** The inputs of an in-place group's steps, over its arrays. */
  private inPlaceStep(buffers: KvData[], kv: OrtTensor[], valid: Uint8Array, b: number, capacity: number): InPlaceStep {
    const s = this.signature
    const ids = this.intArray(s.idsType, b)
    const positions = this.intArray(s.positionType, b)
    const mask = this.intArray(s.maskType, b * (capacity + 1))
    for (let r = 0; r < b; r++) {
      for (let j = 0; j < capacity; j++) if (valid[r * capacity + j] === 1) setInt(mask, r * (capacity + 1) + j, 1)
      setInt(mask, r * (capacity + 1) + capacity, 1)
    }
    const feeds: Record<string, OrtTensor> = {
      [s.inputIds]: makeTensor(s.idsType, ids, [b, 1]),
      [s.attentionMask]: makeTensor(s.maskType, mask, [b, capacity + 1]),
    }
    if (s.positionIds) feeds[s.positionIds] = makeTensor(s.positionType, positions, [b, 1])
    if (s.useCacheBranch) feeds[s.useCacheBranch] = makeTensor('bool', Uint8Array.of(1), [1])
    this.kvNames.forEach((name, t) => {
      feeds[name] = kv[t]
    })
    return { buffers, ids, positions, mask, feeds }
  }

  private emptyGroup(b: number): Group {
    const { kvHeads, headDim } = this.signature
    const kv = this.kvNames.map(() => makeTensor(this.signature.kvDtype, this.kvArray(0), [b, kvHeads, 0, headDim]))
    return {
      slots: [],
      kv,
      capacity: 0,
      length: 0,
      valid: null,
      lens: new Array<number>(b).fill(0),
      live: 0,
      pinned: false,
      owned: true,
      inPlace: null,
      compact: null,
    }
  }

  /** The inputs of a run after `group`'s cache. */
  private feeds(group: Group, ids: OrtTensor, mask: OrtTensor, positions: OrtTensor): Record<string, OrtTensor> {
    const s = this.signature
    const feeds: Record<string, OrtTensor> = { [s.inputIds]: ids, [s.attentionMask]: mask }
    if (s.positionIds) feeds[s.positionIds] = positions
    if (s.useCacheBranch) feeds[s.useCacheBranch] = makeTensor('bool', Uint8Array.of(group.capacity > 0 ? 1 : 0), [1])
    this.kvNames.forEach((name, t) => {
      feeds[name] = group.kv[t]
    })
    return feeds
  }

  /**
   * One run of the graph, fetching only `fetches` (onnxruntime copies every fetched output into a new
   * buffer). Inputs need no disposal: CPU tensors hold no native memory of their own.
   *
   * With a synchronous session the run happens at once, and the event loop gets a turn only every
   * `YIELD_MS`, so that messages (a cancellation, say) are still handled promptly.
   */
  private async run(feeds: Record<string, OrtTensor>, fetches: readonly string[]): Promise<Record<string, OrtTensor>> {
    this.counters.runs++
    const { runSync } = this.session
    if (runSync === undefined) return (await this.session.run(feeds, fetches)) as Record<string, OrtTensor>
    if (performance.now() - this.lastYield >= YIELD_MS) {
      await new Promise<void>((resolve) => setImmediate(resolve))
      this.lastYield = performance.now()
    }
    return runSync(feeds, fetches)
  }

  /** The last position's logits of each row, as float32 rows. */
  private lastLogits(tensor: OrtTensor, b: number): Float32Array[] {
    const dims = tensor.dims
    const seq = dims.length === 3 ? dims[1] : 1
    const vocab = dims[dims.length - 1]
    if (vocab !== this.vocabSize) {
      throw new Error(`The graph returned ${vocab} logits per token; the model's vocabulary has ${this.vocabSize}.`)
    }
    const out: Float32Array[] = []
    if (tensor.type === 'float16') {
      const data = tensor.data as Uint16Array
      for (let r = 0; r < b; r++) {
        const row = new Float32Array(vocab)
        const base = (r * seq + seq - 1) * vocab
        for (let i = 0; i < vocab; i++) row[i] = HALF_TABLE[data[base + i]]
        out.push(row)
      }
      tensor.dispose()
      return out
    }
    const data = tensor.data as Float32Array
    for (let r = 0; r < b; r++) {
      const base = (r * seq + seq - 1) * vocab
      out.push(data.subarray(base, base + vocab))
    }
    return out
  }

  private chunkTokens(b: number): number {
    if (this.prefillChunkTokens !== undefined) return Math.max(1, this.prefillChunkTokens)
    return Math.max(16, Math.floor(LOGITS_BUDGET_BYTES / (b * this.vocabSize * 4)))
  }

  /**
   * The attention mask for `b` rows: each row's `length` validity flags, then `extra` ones for the
   * new tokens. Filled with ones first, since rows are mostly valid (BigInt writes are slow).
   */
  private maskArray(valid: Uint8Array | null, b: number, length: number, extra: number): IntArray {
    const width = length + extra
    if (valid === null) return this.onesView(b * width)
    const mask = this.signature.maskType === 'int64' ? new BigInt64Array(b * width).fill(1n) : new Int32Array(b * width).fill(1)
    for (let r = 0; r < b; r++) {
      for (let j = 0; j < length; j++) {
        if (valid[r * length + j] === 0) {
          if (mask instanceof BigInt64Array) mask[r * width + j] = 0n
          else mask[r * width + j] = 0
        }
      }
    }
    return mask
  }

  /** `n` ones, as a view of a reused buffer (onnxruntime does not write to its inputs). */
  private onesView(n: number): IntArray {
    if (this.ones.length < n) {
      const size = Math.max(n, this.ones.length * 2, 1024)
      this.ones = this.signature.maskType === 'int64' ? new BigInt64Array(size).fill(1n) : new Int32Array(size).fill(1)
    }
    return this.ones.subarray(0, n)
  }

  private intArray(kind: 'int64' | 'int32', n: number): IntArray {
    return kind === 'int64' ? new BigInt64Array(n) : new Int32Array(n)
  }

  private kvArray(n: number): KvData {
    return this.signature.kvDtype === 'float16' ? new Uint16Array(n) : new Float32Array(n)
  }

  private groupBytes(g: Group): number {
    const columns = g.compact ? g.compact.room : g.capacity
    return g.kv.length * g.lens.length * columns * this.rowWidth * this.elemBytes
  }

  private dropGroup(g: Group): void {
    if (!this.groups.delete(g) && !g.owned) return
    if (g.owned) for (const t of g.kv) t.dispose()
    for (const [slot, at] of this.slotRows) if (at.group === g) this.slotRows.delete(slot)
  }
}

function setInt(array: IntArray, i: number, value: number): void {
  if (array instanceof BigInt64Array) array[i] = BigInt(value)
  else array[i] = value
}

/** The [from, to) column runs where a group's row holds real tokens. */
function validRuns(group: Group, row: number): [number, number][] {
  const runs: [number, number][] = []
  if (group.valid === null) return group.length > 0 ? [[0, group.length]] : []
  const valid = group.valid
  const base = row * group.capacity
  let from = -1
  for (let j = 0; j <= group.length; j++) {
    const on = j < group.length && valid[base + j] === 1
    if (on && from < 0) from = j
    if (!on && from >= 0) {
      runs.push([from, j])
      from = -1
    }
  }
  return runs
}

function sameIds(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i])
}
