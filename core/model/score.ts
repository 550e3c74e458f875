/**
 * @module core/model/score
 * Tokenizing a prompt and a continuation for scoring. Byte-level BPE merges across the boundary, so
 * `encode(prompt) + encode(continuation)` is not how the model would see the joined text. As in
 * lm-evaluation-harness, the joined text is encoded once and split where the prompt's own encoding
 * ends.
 */

/** The prompt and continuation ids to score, from the encodings of the prompt and of prompt + continuation. */
export interface ScoringSplit {
  readonly promptIds: readonly number[]
  readonly continuationIds: readonly number[]
}

/**
 * Splits `wholeIds` (the encoding of prompt + continuation) after as many tokens as `promptIds` (the
 * prompt's own encoding) has, keeping at least one continuation token when the continuation is not
 * empty.
 */
export function splitContinuation(
  promptIds: readonly number[],
  wholeIds: readonly number[],
  continuationEmpty = false,
): ScoringSplit {
  if (continuationEmpty) return { promptIds: [...promptIds], continuationIds: [] }
  const cut = Math.min(promptIds.length, wholeIds.length - 1)
  if (cut < 1) {
    throw new Error(
      `Cannot score: the prompt and continuation together encode to ${wholeIds.length} token(s); ` +
        'at least one prompt token and one continuation token are needed.',
    )
  }
  return { promptIds: wholeIds.slice(0, cut), continuationIds: wholeIds.slice(cut) }
}
