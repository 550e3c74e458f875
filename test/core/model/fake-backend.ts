// A deterministic stand-in for a KV-cached decoder. The logits of a slot depend only on that slot's
// token history (prompt plus fed tokens), through a hash, so any correct scheduler must give every
// request the same tokens whatever else shares the batch. The fake also checks the slot contract:
// prefill only into free slots, decode only live ones, rows in increasing slot order, at most
// maxBatch rows per call, no overlapping calls.
import { rngFor } from '../../../core/rng/index.ts'
import type { DecodeRow, DecoderBackend, PrefillRow, TokenCodec } from '../../../core/model/backend.ts'
import type { Clock } from '../../../core/model/client.ts'

/** Token texts of the fake vocabulary; `null` marks a raw byte token, given by FAKE_BYTES. */
const PIECES: (string | null)[] = [
  '<pad>', '<eos>',
  ...'abcdefghijklmnopqrstuvwxyz'.split(''),
  ' ', '\n', '</', 'end>',
  null, null, null, // E2 88 9A: the three bytes of "√"
  'ab', 'STOP', '.', 'xy',
]
/** Ids of the special tokens (skipped by `decode`). */
export const PAD = 0
export const EOS = 1
export const VOCAB = PIECES.length
/** The ids of the three bytes of "√", in order. */
export const ROOT_BYTES = [32, 33, 34] as const
const FAKE_BYTES = new Map<number, number>([
  [32, 0xe2],
  [33, 0x88],
  [34, 0x9a],
])

const encoder = new TextEncoder()
const decoder = new TextDecoder('utf-8')

function bytesOf(id: number): number[] {
  const b = FAKE_BYTES.get(id)
  if (b !== undefined) return [b]
  return Array.from(encoder.encode(PIECES[id] as string))
}

/** A byte-level codec over the fake vocabulary. */
export const fakeCodec: TokenCodec = {
  decode(ids) {
    const bytes: number[] = []
    for (const id of ids) if (id !== PAD && id !== EOS) bytes.push(...bytesOf(id))
    return decoder.decode(Uint8Array.from(bytes))
  },
  tokenText(id) {
    return id === PAD || id === EOS ? (PIECES[id] as string) : decoder.decode(Uint8Array.from(bytesOf(id)))
  },
}

/** Encodes text made of single letters and the other pieces, greedily longest first (tests only). */
export function fakeEncode(text: string): number[] {
  const ids: number[] = []
  let i = 0
  outer: while (i < text.length) {
    for (let id = PIECES.length - 1; id >= 2; id--) {
      const p = PIECES[id]
      if (p !== null && text.startsWith(p, i)) {
        ids.push(id)
        i += p.length
        continue outer
      }
    }
    throw new Error(`fakeEncode: cannot encode ${JSON.stringify(text.slice(i))}`)
  }
  return ids
}

/** The fake model: next-token logits for a history, from a hash of it. */
export function fakeLogits(history: readonly number[]): Float32Array {
  let h = 0x811c9dc5
  for (const t of history) h = Math.imul(h ^ t, 0x01000193) >>> 0
  const rng = rngFor('fake-model', h, history.length)
  const out = new Float32Array(VOCAB)
  for (let i = 0; i < VOCAB; i++) out[i] = (rng.nextFloat() - 0.5) * 6
  out[PAD] = -Infinity
  // Keep "√" mostly whole: after its first byte the second is likely, then the third.
  const last = history[history.length - 1]
  if (last === ROOT_BYTES[0]) out[ROOT_BYTES[1]] += 8
  if (last === ROOT_BYTES[1]) out[ROOT_BYTES[2]] += 8
  return out
}

/** One backend call, as the fake saw it. */
export interface FakeCall {
  readonly kind: 'prefill' | 'decode'
  readonly slots: readonly number[]
}

/** The fake backend, with hooks for tests. */
export class FakeBackend implements DecoderBackend {
  readonly vocabSize = VOCAB
  readonly calls: FakeCall[] = []
  readonly prefillRows: PrefillRow[] = []
  /** Live slots and their histories. */
  readonly live = new Map<number, number[]>()
  /** Runs at the start of every call (after the contract checks); may throw to fail the call. */
  beforeCall: ((call: FakeCall, index: number) => void | Promise<void>) | undefined
  private busy = false

  constructor(
    readonly maxBatch: number,
    private readonly clock?: FakeClock,
    private readonly msPerCall = 10,
  ) {}

  async prefill(rows: readonly PrefillRow[]): Promise<Float32Array[]> {
    this.enter('prefill', rows)
    try {
      for (const r of rows) {
        if (this.live.has(r.slot)) throw new Error(`contract: prefill into live slot ${r.slot}`)
        if (r.tokenIds.length === 0) throw new Error('contract: empty prefill row')
        if (r.sharedPrefix !== undefined && r.sharedPrefix.length >= r.tokenIds.length) {
          throw new Error('contract: shared prefix as long as the row')
        }
      }
      // The slots are taken from the start of the call, so a failed call still needs release().
      for (const r of rows) this.live.set(r.slot, [...r.tokenIds])
      await this.hook('prefill', rows)
      this.prefillRows.push(...rows)
      return rows.map((r) => fakeLogits(this.live.get(r.slot) as number[]))
    } finally {
      this.leave()
    }
  }

  async decode(rows: readonly DecodeRow[]): Promise<Float32Array[]> {
    this.enter('decode', rows)
    try {
      for (const r of rows) if (!this.live.has(r.slot)) throw new Error(`contract: decode of free slot ${r.slot}`)
      await this.hook('decode', rows)
      return rows.map((r) => {
        const history = this.live.get(r.slot) as number[]
        history.push(r.tokenId)
        return fakeLogits(history)
      })
    } finally {
      this.leave()
    }
  }

  release(slot: number): void {
    if (this.busy) throw new Error(`contract: release(${slot}) during a call`)
    if (!this.live.delete(slot)) throw new Error(`contract: release of free slot ${slot}`)
  }

  /** The largest number of rows in any call. */
  get peakRows(): number {
    return Math.max(0, ...this.calls.map((c) => c.slots.length))
  }

  private enter(kind: FakeCall['kind'], rows: readonly { slot: number }[]): void {
    if (this.busy) throw new Error('contract: overlapping calls')
    if (rows.length === 0) throw new Error(`contract: empty ${kind}`)
    if (rows.length > this.maxBatch) throw new Error(`contract: ${rows.length} rows > maxBatch ${this.maxBatch}`)
    for (let i = 0; i < rows.length; i++) {
      const s = rows[i].slot
      if (!Number.isInteger(s) || s < 0 || s >= this.maxBatch) throw new Error(`contract: slot ${s} out of range`)
      if (i > 0 && rows[i - 1].slot >= s) throw new Error('contract: rows not in increasing slot order')
    }
    this.busy = true
    this.calls.push({ kind, slots: rows.map((r) => r.slot) })
  }

  private async hook(kind: FakeCall['kind'], rows: readonly { slot: number }[]): Promise<void> {
    if (this.clock !== undefined) this.clock.t += this.msPerCall
    await this.beforeCall?.({ kind, slots: rows.map((r) => r.slot) }, this.calls.length - 1)
  }

  private leave(): void {
    this.busy = false
  }
}

/** A clock the test moves by hand (the fake backend adds `msPerCall` per call). */
export class FakeClock implements Clock {
  t = 0
  now(): number {
    return this.t
  }
}
