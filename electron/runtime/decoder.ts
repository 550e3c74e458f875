/**
 * @module electron/runtime/decoder
 * The KV-cached `DecoderBackend` over an onnxruntime session.
 *
 * Layout. Sequences that run together live in a *group*: one `[batch, kv_heads, length, head_dim]`
 * tensor per cache input, with a validity mask per row. Rows are left-padded, so every row's newest
 * token is in the last column and one `logits[:, -1]` serves the whole batch. A decode step feeds a
 * group's `present.*` outputs straight back as `past_key_values.*` (no copy); only when the set of
 * slots changes (a request joins or leaves) are the rows gathered into a new, compact group. That
 * copy costs one pass over the cache, once per change rather than once per step.
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
import { makeTensor, type OrtSession, type OrtTensor } from './onnx.ts'
import type { DecoderSignature } from './signature.ts'

type KvData = Float32Array | Uint16Array

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
  /** One tensor per cache input, in signature order: layer 0 key, layer 0 value, layer 1 key, ... */
  readonly kv: OrtTensor[]
  readonly length: number
  /** `rows * length`, 1 where a row holds a real token; null when every position does (no padding). */
  readonly valid: Uint8Array | null
  /** Real tokens per row (the next position id). */
  readonly lens: number[]
  live: number
  /** Prefix-cache groups are freed by the cache, not when their (absent) slots leave. */
  readonly pinned: boolean
  /** False when `kv` belongs to another group (a batch-1 view of a cached prefix). */
  readonly owned: boolean
}

interface PrefixEntry {
  readonly ids: readonly number[]
  readonly group: Group
}

const LOGITS_BUDGET_BYTES = 256 * 1024 * 1024
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
  private counters = { gathers: 0, prefixHits: 0, runs: 0 }
  private ones: BigInt64Array | Int32Array = new BigInt64Array(0)
  private readonly cacheInputs: ReadonlySet<string>
  private readonly cacheOutputs: ReadonlySet<string>
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
    this.cacheInputs = new Set(this.kvNames)
    this.cacheOutputs = new Set(this.presentNames)
    this.elemBytes = signature.kvDtype === 'float16' ? 2 : 4
    this.rowWidth = signature.kvHeads * signature.headDim
    this.prefixCacheEntries = options.prefixCacheEntries ?? 4
    this.padTokenId = options.padTokenId ?? 0
    this.prefillChunkTokens = options.prefillChunkTokens
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
    const group = this.groupOf(slots)
    const b = rows.length
    const { length } = group
    const { signature } = this
    const ids = this.intArray(signature.idsType, b)
    const positions = this.intArray(signature.positionType, b)
    const mask = this.maskArray(group.valid, b, length, 1)
    for (let r = 0; r < b; r++) {
      setInt(ids, r, rows[r].tokenId)
      setInt(positions, r, group.lens[r])
    }
    const feeds = this.feeds(group, [ids, [b, 1]], [mask, [b, length + 1]], [positions, [b, 1]])
    const outputs = await this.run(feeds)
    let valid: Uint8Array | null = null
    const old = group.valid
    if (old !== null) {
      valid = new Uint8Array(b * (length + 1))
      for (let r = 0; r < b; r++) {
        valid.set(old.subarray(r * length, (r + 1) * length), r * (length + 1))
        valid[r * (length + 1) + length] = 1
      }
    }
    this.adopt(group, outputs, slots, length + 1, valid, group.lens.map((n) => n + 1))
    return this.lastLogits(outputs[signature.logits], b)
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
    this.disposed = true
  }

  private assertOpen(): void {
    if (this.disposed) throw new Error('The decoder was disposed; load the model again.')
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
      const length = group.length
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
      const outputs = await this.run(this.feeds(group, [ids, [b, w]], [mask, [b, total]], [positions, [b, w]]))
      const last = c0 + w >= width
      group = this.adopt(group, outputs, register ? slots : [], total, dense ? null : valid, lens, !register && last)
      if (last) lastOutputs = outputs
      else outputs[signature.logits].dispose()
    }
    if (!lastOutputs) throw new Error('A prefill row has no tokens; every prompt needs at least one.')
    return { logits: this.lastLogits(lastOutputs[signature.logits], b), group }
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
    const kv = this.presentNames.map((name) => outputs[name])
    for (const name in outputs) {
      if (name !== this.signature.logits && !this.cacheOutputs.has(name)) outputs[name].dispose()
    }
    const next: Group = {
      slots: [...slots],
      kv,
      length,
      valid,
      lens,
      live: slots.filter((s) => s >= 0).length,
      pinned,
      owned: true,
    }
    this.groups.add(next)
    next.slots.forEach((slot, row) => {
      if (slot >= 0) this.slotRows.set(slot, { group: next, row })
    })
    if (!group.pinned) this.dropGroup(group)
    return next
  }

  /** The group holding exactly `slots` in this order, gathering rows into a new one when needed. */
  private groupOf(slots: readonly number[]): Group {
    const first = this.slotRows.get(slots[0])
    if (!first) throw new Error(`Slot ${slots[0]} has no cache; prefill it first.`)
    const g = first.group
    if (g.slots.length === slots.length && slots.every((s, i) => g.slots[i] === s)) return g
    const sources = slots.map((slot) => {
      const at = this.slotRows.get(slot)
      if (!at) throw new Error(`Slot ${slot} has no cache; prefill it first.`)
      return at
    })
    const gathered = this.gather(sources, [...slots], true)
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
    return { ...prefix.group, slots: [-1], live: 0, pinned: false, owned: false }
  }

  /**
   * Copies rows of existing groups into a new left-padded group: each row's valid positions, in
   * order, end at the last column; padding is zero. A null source is an empty row.
   */
  private gather(
    sources: readonly ({ group: Group; row: number } | null)[],
    slots: number[],
    register: boolean,
    pinned = false,
  ): Group {
    this.counters.gathers++
    const b = sources.length
    const lens = sources.map((s) => (s ? s.group.lens[s.row] : 0))
    const length = Math.max(0, ...lens)
    const runs = sources.map((s) => (s ? validRuns(s.group, s.row) : []))
    const { kvHeads, headDim } = this.signature
    const kv = this.kvNames.map((_, t) => {
      const data = this.kvArray(b * kvHeads * length * headDim)
      for (let r = 0; r < b; r++) {
        const source = sources[r]
        if (!source) continue
        const { group, row } = source
        const src = group.kv[t].data as KvData
        const srcLen = group.length
        for (let h = 0; h < kvHeads; h++) {
          let dst = ((r * kvHeads + h) * length + (length - lens[r])) * headDim
          const base = (row * kvHeads + h) * srcLen
          for (const [from, to] of runs[r]) {
            data.set(src.subarray((base + from) * headDim, (base + to) * headDim), dst)
            dst += (to - from) * headDim
          }
        }
      }
      return makeTensor(this.signature.kvDtype, data, [b, kvHeads, length, headDim])
    })
    let valid: Uint8Array | null = null
    if (lens.some((n) => n !== length)) {
      valid = new Uint8Array(b * length)
      for (let r = 0; r < b; r++) valid.fill(1, r * length + length - lens[r], (r + 1) * length)
    }
    const group: Group = {
      slots,
      kv,
      length,
      valid,
      lens,
      live: register ? slots.length : 0,
      pinned,
      owned: true,
    }
    if (register || pinned) this.groups.add(group)
    return group
  }

  private emptyGroup(b: number): Group {
    const { kvHeads, headDim } = this.signature
    const kv = this.kvNames.map(() => makeTensor(this.signature.kvDtype, this.kvArray(0), [b, kvHeads, 0, headDim]))
    return { slots: [], kv, length: 0, valid: null, lens: new Array<number>(b).fill(0), live: 0, pinned: false, owned: true }
  }

  private feeds(
    group: Group,
    ids: [BigInt64Array | Int32Array, number[]],
    mask: [BigInt64Array | Int32Array, number[]],
    positions: [BigInt64Array | Int32Array, number[]],
  ): Record<string, OrtTensor> {
    const s = this.signature
    const feeds: Record<string, OrtTensor> = {
      [s.inputIds]: makeTensor(s.idsType, ids[0], ids[1]),
      [s.attentionMask]: makeTensor(s.maskType, mask[0], mask[1]),
    }
    if (s.positionIds) feeds[s.positionIds] = makeTensor(s.positionType, positions[0], positions[1])
    if (s.useCacheBranch) feeds[s.useCacheBranch] = makeTensor('bool', Uint8Array.of(group.length > 0 ? 1 : 0), [1])
    this.kvNames.forEach((name, t) => {
      feeds[name] = group.kv[t]
    })
    return feeds
  }

  private async run(feeds: Record<string, OrtTensor>): Promise<Record<string, OrtTensor>> {
    this.counters.runs++
    const outputs = (await this.session.run(feeds)) as Record<string, OrtTensor>
    // Inputs built for this run (ids, mask, positions) are done; cache inputs belong to groups.
    for (const name in feeds) if (!this.cacheInputs.has(name)) feeds[name].dispose()
    return outputs
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
  private maskArray(valid: Uint8Array | null, b: number, length: number, extra: number): BigInt64Array | Int32Array {
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
  private onesView(n: number): BigInt64Array | Int32Array {
    if (this.ones.length < n) {
      const size = Math.max(n, this.ones.length * 2, 1024)
      this.ones = this.signature.maskType === 'int64' ? new BigInt64Array(size).fill(1n) : new Int32Array(size).fill(1)
    }
    return this.ones.subarray(0, n)
  }

  private intArray(kind: 'int64' | 'int32', n: number): BigInt64Array | Int32Array {
    return kind === 'int64' ? new BigInt64Array(n) : new Int32Array(n)
  }

  private kvArray(n: number): KvData {
    return this.signature.kvDtype === 'float16' ? new Uint16Array(n) : new Float32Array(n)
  }

  private groupBytes(g: Group): number {
    return g.kv.length * g.lens.length * g.length * this.rowWidth * this.elemBytes
  }

  private dropGroup(g: Group): void {
    if (!this.groups.delete(g) && !g.owned) return
    if (g.owned) for (const t of g.kv) t.dispose()
    for (const [slot, at] of this.slotRows) if (at.group === g) this.slotRows.delete(slot)
  }
}

function setInt(array: BigInt64Array | Int32Array, i: number, value: number): void {
  if (array instanceof BigInt64Array) array[i] = BigInt(value)
  else array[i] = value
}

/** The [from, to) column runs where a group's row holds real tokens. */
function validRuns(group: Group, row: number): [number, number][] {
  const runs: [number, number][] = []
  if (group.valid === null) return group.length > 0 ? [[0, group.length]] : []
  const valid = group.valid
  const base = row * group.length
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
