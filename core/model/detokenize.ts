/**
 * @module core/model/detokenize
 * Streaming detokenization. A byte-level tokenizer can split one UTF-8 character (an emoji, `√`)
 * across tokens, and decoding a token alone would then show U+FFFD. `IncrementalDecoder` uses the
 * "prefix offset / read offset" method of text-generation-inference: it decodes a short window of
 * recent tokens twice (with and without the unread ones) and releases the difference only when the
 * decoded text does not end in U+FFFD, i.e. when the pending bytes form whole characters. Decoding a
 * window rather than single tokens also keeps context-dependent decoders (SentencePiece's leading
 * space) right.
 */

/** Replacement character that decoders emit for an incomplete UTF-8 sequence. */
const REPLACEMENT = '\uFFFD'

/** Turns a growing list of token ids into text deltas that never split a character. */
export class IncrementalDecoder {
  private readonly ids: number[]
  private prefixOffset: number
  private readOffset: number

  /**
   * `decode` maps ids to text. `context` is the tail of the prompt (a few ids), decoded with the
   * first generated tokens so that their text comes out as it would inside the whole sequence; it is
   * never emitted itself.
   */
  constructor(
    private readonly decode: (ids: readonly number[]) => string,
    context: readonly number[] = [],
  ) {
    this.ids = [...context]
    this.prefixOffset = 0
    this.readOffset = this.ids.length
  }

  /** Appends one token and returns the text that is now complete ('' while a character is split). */
  push(id: number): string {
    this.ids.push(id)
    const prefixText = this.decode(this.ids.slice(this.prefixOffset, this.readOffset))
    const newText = this.decode(this.ids.slice(this.prefixOffset))
    if (newText.length > prefixText.length && !newText.endsWith(REPLACEMENT)) {
      this.prefixOffset = this.readOffset
      this.readOffset = this.ids.length
      return newText.slice(prefixText.length)
    }
    return ''
  }

  /**
   * Returns whatever is still unread, even if it ends in an incomplete character (shown as U+FFFD,
   * as decoding the whole sequence would show it). Call once, when generation ends.
   */
  flush(): string {
    if (this.readOffset === this.ids.length) return ''
    const prefixText = this.decode(this.ids.slice(this.prefixOffset, this.readOffset))
    const newText = this.decode(this.ids.slice(this.prefixOffset))
    this.prefixOffset = this.readOffset
    this.readOffset = this.ids.length
    return newText.length > prefixText.length ? newText.slice(prefixText.length) : ''
  }
}
