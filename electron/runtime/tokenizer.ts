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

  const decodeWith = (ids: readonly number[], skipSpecial: boolean): string =>
    ids.length === 0 ? '' : tokenizer.decode([...ids], { skip_special_tokens: skipSpecial })

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
