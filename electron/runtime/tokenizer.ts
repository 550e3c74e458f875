/**
 * @module electron/runtime/tokenizer
 * The model folder's tokenizer (`tokenizer.json` through `@huggingface/tokenizers`) and chat
 * template (through core's `applyChatTemplate`), with the behaviour of Python `transformers`:
 * raw prompts are encoded with the tokenizer's own special tokens (`add_special_tokens=True`), and
 * rendered chat text without them, since the template already wrote them.
 */
import { Tokenizer } from '@huggingface/tokenizers'
import { applyChatTemplate, type ChatMessage } from '../../core/prompt/chat.ts'
import type { TokenCodec } from '../../core/model/backend.ts'
import type { ModelFolder } from './model-folder.ts'

/** Text <-> token ids for one model, plus its chat template. */
export interface TextTokenizer extends TokenCodec {
  /** Encodes raw text, adding the tokenizer's special tokens as `transformers` does by default. */
  encode(text: string): number[]
  /** Encodes text that already holds its special tokens (a rendered chat template). */
  encodeRendered(text: string): number[]
  /** Decodes ids; `skipSpecial` false keeps special tokens' text. */
  decodeWith(ids: readonly number[], skipSpecial: boolean): string
  /** Whether the model has a chat template. */
  readonly hasChatTemplate: boolean
  /** Renders messages with the chat template and the generation prompt. Throws without a template. */
  renderChat(messages: readonly ChatMessage[]): string
  /** Ids of special tokens (skipped by `decode`). */
  readonly specialIds: ReadonlySet<number>
}

/** GPT-2's byte -> printable character table, inverted: character code -> byte. */
function unicodeToBytes(): Map<number, number> {
  const printable = (b: number): boolean => (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff)
  const table = new Map<number, number>()
  let shifted = 0
  for (let b = 0; b < 256; b++) table.set(printable(b) ? b : 256 + shifted++, b)
  return table
}

/**
 * A fast decoder for byte-level BPE tokenizers (GPT-2, Qwen, Llama 3, SmolLM), with the output of
 * `@huggingface/tokenizers`' `decode`: byte runs between added tokens decoded as UTF-8 with
 * replacement characters, added tokens as their text, special tokens skipped on request, and the
 * optional `clean_up_tokenization_spaces` pass. Streaming decodes a few ids per token twice, and
 * the library's general path costs tens of microseconds per call; this one precomputes every
 * token's bytes. Returns null when the tokenizer is of another kind; its result is null for ids it
 * does not know, and the caller then uses the library.
 */
function byteLevelDecoder(folder: ModelFolder): ((ids: readonly number[], skipSpecial: boolean) => string | null) | null {
  const json = folder.tokenizerJson
  const decoder = json.decoder as { type?: unknown } | null | undefined
  const model = json.model as { type?: unknown; vocab?: unknown } | undefined
  if (decoder?.type !== 'ByteLevel' || model?.type !== 'BPE' || !model.vocab || typeof model.vocab !== 'object') return null
  const toByte = unicodeToBytes()
  const bytes: (Uint8Array | undefined)[] = []
  for (const [token, id] of Object.entries(model.vocab as Record<string, number>)) {
    const out = new Uint8Array(token.length)
    for (let i = 0; i < token.length; i++) {
      const b = toByte.get(token.charCodeAt(i))
      if (b === undefined) return null // not a byte-level vocabulary after all
      out[i] = b
    }
    bytes[id] = out
  }
  // Added tokens are emitted as text, not as bytes; special ones can be skipped.
  const added = new Map<number, string>()
  const special = new Set<number>()
  const byContent = new Map<string, number>()
  for (const t of Array.isArray(json.added_tokens) ? json.added_tokens : []) {
    const entry = t as { id?: unknown; content?: unknown; special?: unknown }
    if (typeof entry.id !== 'number' || typeof entry.content !== 'string') continue
    added.set(entry.id, entry.content)
    byContent.set(entry.content, entry.id)
    if (entry.special === true) special.add(entry.id)
  }
  const extra = folder.tokenizerConfig.additional_special_tokens
  for (const text of Array.isArray(extra) ? extra : []) {
    const id = typeof text === 'string' ? (byContent.get(text) ?? (model.vocab as Record<string, number>)[text]) : undefined
    if (typeof id === 'number') special.add(id)
  }
  const cleanUp = folder.tokenizerConfig.clean_up_tokenization_spaces !== false
  const utf8 = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true })
  let buffer = new Uint8Array(256)
  return (ids, skipSpecial) => {
    let text = ''
    let used = 0
    let ascii = true
    const flush = (): void => {
      if (used === 0) return
      // Short plain-ASCII runs (the common streaming case) skip TextDecoder, which costs microseconds
      // per call; long runs go through it, as spreading them could exceed the argument limit.
      const run = buffer.subarray(0, used)
      text += ascii && used <= 1024 ? String.fromCharCode(...run) : utf8.decode(run)
      used = 0
      ascii = true
    }
    for (const id of ids) {
      if (skipSpecial && special.has(id)) continue
      const content = added.get(id)
      if (content !== undefined) {
        flush()
        text += content
        continue
      }
      const b = bytes[id]
      if (b === undefined) return null
      if (used + b.length > buffer.length) {
        const grown = new Uint8Array(Math.max(buffer.length * 2, used + b.length))
        grown.set(buffer.subarray(0, used))
        buffer = grown
      }
      buffer.set(b, used)
      used += b.length
      if (ascii) for (let i = 0; i < b.length; i++) if (b[i] >= 0x80) ascii = false
    }
    flush()
    return cleanUp ? cleanUpSpaces(text) : text
  }
}

/** `clean_up_tokenization_spaces`: the spaces `transformers` removes before punctuation and contractions. */
function cleanUpSpaces(text: string): string {
  return text
    .replace(/ \./g, '.')
    .replace(/ \?/g, '?')
    .replace(/ !/g, '!')
    .replace(/ ,/g, ',')
    .replace(/ ' /g, "'")
    .replace(/ n't/g, "n't")
    .replace(/ 'm/g, "'m")
    .replace(/ 's/g, "'s")
    .replace(/ 've/g, "'ve")
    .replace(/ 're/g, "'re")
}

/** Builds the tokenizer of a model folder read by `readModelFolder`. */
export function loadTokenizer(folder: ModelFolder): TextTokenizer {
  const tokenizer = new Tokenizer(folder.tokenizerJson, folder.tokenizerConfig)
  const specialIds = new Set<number>()
  for (const t of Array.isArray(folder.tokenizerJson.added_tokens) ? folder.tokenizerJson.added_tokens : []) {
    const entry = t as { id?: unknown; special?: unknown }
    if (entry.special === true && typeof entry.id === 'number') specialIds.add(entry.id)
  }
  const tokenTexts = new Map<number, string>()
  const template = folder.chatTemplate
  const extras: Record<string, unknown> = {}
  for (const key of ['pad_token', 'unk_token']) {
    const value = folder.tokenizerConfig[key]
    const text = typeof value === 'string' ? value : (value as { content?: unknown } | null)?.content
    if (typeof text === 'string') extras[key] = text
  }

  const fast = byteLevelDecoder(folder)
  const decodeWith = (ids: readonly number[], skipSpecial: boolean): string => {
    if (ids.length === 0) return ''
    return fast?.(ids, skipSpecial) ?? tokenizer.decode([...ids], { skip_special_tokens: skipSpecial })
  }

  return {
    encode: (text) => tokenizer.encode(text, { add_special_tokens: true }).ids,
    encodeRendered: (text) => tokenizer.encode(text, { add_special_tokens: false }).ids,
    decode: (ids) => decodeWith(ids, true),
    decodeWith,
    tokenText(id) {
      let text = tokenTexts.get(id)
      if (text === undefined) {
        text = decodeWith([id], false)
        tokenTexts.set(id, text)
      }
      return text
    },
    hasChatTemplate: template !== null,
    renderChat(messages) {
      if (template === null) {
        throw new Error(
          `${folder.name} has no chat_template in tokenizer_config.json; pass the prompt as raw text instead.`,
        )
      }
      return applyChatTemplate(template, messages, {
        addGenerationPrompt: true,
        ...(folder.bos ? { bosToken: folder.bos.text } : {}),
        ...(folder.eos ? { eosToken: folder.eos.text } : {}),
        extra: extras,
      })
    },
    specialIds,
  }
}
