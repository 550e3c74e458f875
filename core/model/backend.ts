/**
 * @module core/model/backend
 * What the batch scheduler needs from a model: a stepper over numbered KV-cache slots, and a way to
 * turn token ids into text. The Node side implements both over onnxruntime and a tokenizer; tests
 * implement them with deterministic fakes.
 *
 * Left padding, attention masks, position ids and the KV-cache layout are the backend's business:
 * the scheduler only says which slot gets which tokens.
 */

/** A hint that the first `length` tokens of a prefill row are shared with other requests. */
export interface SharedPrefixHint {
  /**
   * Identifies the prefix's token ids (`length` plus a hash of them). Equal keys mean equal ids up to
   * hash collisions, so a backend that reuses a cached KV for the key must also compare the ids.
   */
  readonly key: string
  /** How many leading tokens of the row are shared; always less than the row's length. */
  readonly length: number
}

/** One request's prompt, to run through the model into an empty slot. */
export interface PrefillRow {
  /** The slot, in `[0, maxBatch)`; it is free (never used, or released since). */
  readonly slot: number
  /** The whole prompt, at least one token. */
  readonly tokenIds: readonly number[]
  /** Present when the scheduler saw other requests share a long prefix of this prompt. */
  readonly sharedPrefix?: SharedPrefixHint
}

/** One decoding step of an active slot: the token sampled last, to append to its sequence. */
export interface DecodeRow {
  readonly slot: number
  readonly tokenId: number
}

/**
 * A KV-cached decoder run in batches over slots. Calls never overlap: the scheduler awaits each one
 * before the next. Rows come in increasing slot order, each slot at most once per call.
 */
export interface DecoderBackend {
  /** The number of slots (the largest batch); slots are `0 .. maxBatch - 1`. */
  readonly maxBatch: number
  /** Vocabulary size: the length of every logits row. */
  readonly vocabSize: number
  /**
   * Runs each row's prompt into its slot's fresh cache and returns the logits of each row's last
   * position, in row order (`vocabSize` values each; views into one buffer are fine, but they must
   * stay valid until the next call).
   */
  prefill(rows: readonly PrefillRow[]): Promise<Float32Array[]>
  /** Appends one token to each row's slot and returns the next-token logits, in row order. */
  decode(rows: readonly DecodeRow[]): Promise<Float32Array[]>
  /**
   * Frees a slot's cache; the slot may be given to a new request by the next `prefill`. Also called
   * for the slots of a `prefill` or `decode` that threw, so it must cope with a half-written slot.
   */
  release(slot: number): void
}

/** Token ids to text, for streaming, stop strings and the text of each token. */
export interface TokenCodec {
  /** The text of a sequence of ids, skipping special tokens (as `decode(ids, skip_special_tokens=True)`). */
  decode(ids: readonly number[]): string
  /** One token's text on its own, special tokens included (for token lists and alternatives). */
  tokenText(id: number): string
}
