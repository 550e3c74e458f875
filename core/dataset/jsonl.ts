/**
 * @module core/dataset/jsonl
 * Training examples as JSON Lines for TRL-style trainers, next to the verl parquet files.
 *
 * Two record styles:
 * - `messages` (default): `{"messages": [{"role": "user", ...}, {"role": "assistant", ...}]}` for
 *   SFT and `{"prompt": [{"role": "user", ...}]}` for RL; the trainer applies the model's chat
 *   template.
 * - `prompt-completion`: SFT `{"prompt": ..., "completion": ...}`, RL `{"prompt": ...}`. For a
 *   prompt sent as a raw string (the paper's Sokoban data, chat mode `raw`), both are plain strings,
 *   so the trainer sees the paper's exact text and trains on the completion only; for chat mode
 *   `model` they are one-message lists.
 *
 * A raw string in the ChatML form the paper uses (`<|im_start|>user\n…<|im_end|>\n<|im_start|>
 * assistant\n<think>`) is split back into messages for the `messages` style: the user content is the
 * text between the markers, kept byte for byte (the paper's wrapper leaves a space before
 * `<|im_end|>`), and the open assistant turn's prefix (`<think>`) starts the assistant message, so
 * the Qwen chat template rebuilds the paper's string. Other raw strings become one user message.
 * Extra fields (ids, ground truth) ride along on each record; trainers ignore or pass them on.
 */
import type { ChatMessage } from './verl.ts'

/** The two JSONL record styles. */
export type JsonlStyle = 'messages' | 'prompt-completion'

/** Every JSONL style, for option parsing. */
export const JSONL_STYLES: readonly JsonlStyle[] = Object.freeze(['messages', 'prompt-completion'])

/** How a prompt reaches the model: a verbatim string, a user message for its chat template, or bare. */
export type PromptChat = 'raw' | 'model' | 'none'

/** One example's text, as the exporter renders it. */
export interface ExampleText {
  readonly chat: PromptChat
  /** For `raw`, the whole string sent; otherwise the user message content. */
  readonly prompt: string
  /** The training target (SFT); absent for RL. */
  readonly response?: string
}

const START = '<|im_start|>'
const END = '<|im_end|>'

/**
 * Splits a ChatML string that ends in an open assistant turn into its closed messages and the open
 * turn's prefix, or returns null when the string is not of that form (any text outside the markers,
 * a missing `<|im_end|>`, or no open assistant turn at the end).
 */
export function splitChatMl(text: string): { messages: ChatMessage[]; assistantPrefix: string } | null {
  const messages: ChatMessage[] = []
  let at = 0
  for (;;) {
    if (!text.startsWith(START, at)) return null
    const newline = text.indexOf('\n', at + START.length)
    if (newline < 0) return null
    const role = text.slice(at + START.length, newline)
    if (!/^[a-z_]+$/.test(role)) return null
    const end = text.indexOf(END, newline + 1)
    if (end < 0) {
      if (role !== 'assistant') return null
      const assistantPrefix = text.slice(newline + 1)
      if (assistantPrefix.includes(START)) return null
      return { messages, assistantPrefix }
    }
    messages.push({ role, content: text.slice(newline + 1, end) })
    at = end + END.length
    if (text[at] !== '\n') return null
    at += 1
  }
}

function userOnly(prompt: string): ChatMessage[] {
  return [{ role: 'user', content: prompt }]
}

/** The chat messages of a prompt (no assistant turn), and the prefix the assistant turn starts with. */
export function promptMessages(example: ExampleText): { messages: ChatMessage[]; assistantPrefix: string } {
  if (example.chat === 'raw') {
    const split = splitChatMl(example.prompt)
    if (split !== null && split.messages.length > 0) return split
  }
  return { messages: userOnly(example.prompt), assistantPrefix: '' }
}

/** An SFT record in `style`, with `extra` fields appended. */
export function sftRecord(example: ExampleText, style: JsonlStyle, extra: Readonly<Record<string, unknown>> = {}): Record<string, unknown> {
  const response = example.response
  if (response === undefined) throw new Error('An SFT record needs a response; this example has none.')
  if (style === 'messages') {
    const { messages, assistantPrefix } = promptMessages(example)
    return { messages: [...messages, { role: 'assistant', content: assistantPrefix + response }], ...extra }
  }
  if (example.chat === 'model') {
    return { prompt: userOnly(example.prompt), completion: [{ role: 'assistant', content: response }], ...extra }
  }
  return { prompt: example.prompt, completion: response, ...extra }
}

/** An RL record (prompt only) in `style`, with `extra` fields appended. */
export function rlRecord(example: ExampleText, style: JsonlStyle, extra: Readonly<Record<string, unknown>> = {}): Record<string, unknown> {
  if (style === 'messages') return { prompt: promptMessages(example).messages, ...extra }
  return { prompt: example.chat === 'model' ? userOnly(example.prompt) : example.prompt, ...extra }
}

/** Records as JSON Lines: one compact JSON object per line, each line ending in `\n`. */
export function toJsonl(records: readonly unknown[]): string {
  let out = ''
  for (const record of records) out += `${JSON.stringify(record)}\n`
  return out
}

/** Parses JSON Lines (blank lines skipped); errors name the file and line. */
export function parseJsonl(text: string, label: string): unknown[] {
  const out: unknown[] = []
  const lines = text.split('\n')
  lines.forEach((line, i) => {
    if (line.trim() === '') return
    try {
      out.push(JSON.parse(line))
    } catch (error) {
      throw new Error(`${label} line ${i + 1} is not valid JSON: ${(error as Error).message}`, { cause: error })
    }
  })
  return out
}
