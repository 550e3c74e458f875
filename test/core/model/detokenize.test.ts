// A fake byte-level tokenizer: each token is an arbitrary run of UTF-8 bytes, and decoding joins the
// bytes and decodes them with the WHATWG decoder (which shows an incomplete sequence as U+FFFD, as
// Hugging Face's ByteLevel decoder does).
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { IncrementalDecoder } from '../../../core/model/detokenize.ts'

const utf8 = new TextEncoder()
const utf8Decoder = new TextDecoder('utf-8')

/** A vocabulary built on the fly: token id -> bytes. */
function byteTokenizer(): { tokenize: (chunks: Uint8Array[]) => number[]; decode: (ids: readonly number[]) => string } {
  const vocab: Uint8Array[] = []
  return {
    tokenize: (chunks) =>
      chunks.map((c) => {
        vocab.push(c)
        return vocab.length - 1
      }),
    decode: (ids) => {
      const bytes = ids.flatMap((id) => Array.from(vocab[id]))
      return utf8Decoder.decode(Uint8Array.from(bytes))
    },
  }
}

/** Splits `bytes` at the given offsets into chunks (one token each). */
function split(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const bounds = [...new Set([0, ...cuts.filter((c) => c > 0 && c < bytes.length), bytes.length])].sort((a, b) => a - b)
  return bounds.slice(1).map((end, i) => bytes.slice(bounds[i], end))
}

function stream(text: string, cuts: number[]): { deltas: string[]; flushed: string; whole: string } {
  const tk = byteTokenizer()
  const ids = tk.tokenize(split(utf8.encode(text), cuts))
  const dec = new IncrementalDecoder(tk.decode)
  const deltas = ids.map((id) => dec.push(id))
  return { deltas, flushed: dec.flush(), whole: tk.decode(ids) }
}

describe('IncrementalDecoder', () => {
  it('holds "√" (3 bytes) and "😀" (4 bytes) until their last byte, one byte per token', () => {
    const bytes = utf8.encode('a√b😀c')
    const { deltas, flushed } = stream('a√b😀c', Array.from({ length: bytes.length }, (_, i) => i))
    expect(deltas).toEqual(['a', '', '', '√', 'b', '', '', '', '😀', 'c'])
    expect(flushed).toBe('')
  })

  it('releases a token that ends mid-character only with the token that completes it', () => {
    // "x√y" = 78 E2 88 9A 79, tokens [78 E2] [88] [9A 79]: the first token decodes to "x\uFFFD",
    // so its "x" waits (the method works at token granularity) and comes out with "√y".
    const { deltas } = stream('x√y', [2, 3])
    expect(deltas).toEqual(['', '', 'x√y'])
  })

  it('flushes an incomplete trailing character as U+FFFD, as decoding everything does', () => {
    const tk = byteTokenizer()
    const ids = tk.tokenize([utf8.encode('ok'), Uint8Array.from([0xf0, 0x9f])])
    const dec = new IncrementalDecoder(tk.decode)
    expect(ids.map((id) => dec.push(id))).toEqual(['ok', ''])
    const rest = dec.flush()
    expect('ok' + rest).toBe(tk.decode(ids))
    expect(rest).toBe('\uFFFD')
  })

  it('uses prompt context so context-dependent decoders keep a leading space', () => {
    // A SentencePiece-like decoder: "▁" is a space, and the decoded text drops one leading space.
    const pieces = ['▁Hello', '▁world', '!']
    const decode = (ids: readonly number[]): string => ids.map((i) => pieces[i]).join('').replace(/▁/g, ' ').replace(/^ /, '')
    const withContext = new IncrementalDecoder(decode, [0])
    expect([withContext.push(1), withContext.push(2)]).toEqual([' world', '!'])
    const without = new IncrementalDecoder(decode)
    expect(without.push(1)).toBe('world')
  })

  it('never emits U+FFFD and concatenates to the decoded text, for any text and split (property)', () => {
    // Characters of 1 to 4 UTF-8 bytes: a few fixed ones and any code point outside the surrogates
    // (U+FFFD itself left out, since it is the marker the decoder looks for).
    const codePoint = fc
      .integer({ min: 0, max: 0x10ffff })
      .filter((c) => (c < 0xd800 || c > 0xdfff) && c !== 0xfffd)
      .map((c) => String.fromCodePoint(c))
    const unit = fc.oneof(fc.constantFrom('a', ' ', '√', 'é', '中', '😀'), codePoint)
    const noReplacement = fc.string({ unit, maxLength: 30 })
    fc.assert(
      fc.property(noReplacement, fc.array(fc.integer({ min: 0, max: 120 }), { maxLength: 40 }), (text, cuts) => {
        const { deltas, flushed, whole } = stream(text, cuts)
        expect(whole).toBe(text)
        for (const d of deltas) expect(d.includes('\uFFFD'), JSON.stringify(d)).toBe(false)
        expect(deltas.join('') + flushed).toBe(text)
        expect(flushed).toBe('')
      }),
      { numRuns: 300 },
    )
  })
})
