/**
 * @module electron/openai/wire
 * The JSON shapes of the OpenAI-compatible API that the server writes and the client reads:
 * `/v1/models`, `/v1/completions` and `/v1/chat/completions`, whole and streamed, with their
 * log-probabilities, usage and error bodies. Field names are the API's (snake_case). vLLM's
 * `stop_reason` extension is included: it tells an end-of-sequence token from a stop string.
 */

/** An error response: `{ error: { message, type, param, code } }`. */
export interface ApiErrorBody {
  readonly error: {
    readonly message: string
    readonly type: string
    /** The request field that is wrong, when one is. */
    readonly param: string | null
    readonly code: string | null
  }
}

/** One entry of `GET /v1/models`. */
export interface ApiModel {
  readonly id: string
  readonly object: 'model'
  readonly created: number
  readonly owned_by: string
  /** The model's context length (vLLM's field); absent when unknown. */
  readonly max_model_len?: number
}

/** `GET /v1/models`. */
export interface ApiModelList {
  readonly object: 'list'
  readonly data: readonly ApiModel[]
}

/** Token counts of one response. */
export interface ApiUsage {
  readonly prompt_tokens: number
  readonly completion_tokens: number
  readonly total_tokens: number
}

/**
 * Legacy completions log-probabilities: parallel arrays, one entry per token. The first prompt
 * token of an echoed prompt has a null log-probability (nothing precedes it). `top_logprobs` maps
 * token text to log-probability, so alternatives that decode to the same text share one entry.
 */
export interface CompletionLogprobs {
  readonly tokens: readonly string[]
  readonly token_logprobs: readonly (number | null)[]
  readonly top_logprobs: readonly (Readonly<Record<string, number>> | null)[] | null
  /** Where each token starts in the choice's `text`, in UTF-16 code units. */
  readonly text_offset: readonly number[]
}

/** Why a choice ended: OpenAI's `stop` / `length`, or vLLM's `abort` for a request cut short. */
export type ApiFinishReason = 'stop' | 'length' | 'abort'

/** One choice of a completions response, or of a streamed chunk (`finish_reason` null until the last). */
export interface CompletionChoice {
  readonly index: number
  readonly text: string
  readonly logprobs: CompletionLogprobs | null
  readonly finish_reason: ApiFinishReason | null
  /** The stop string that ended the choice; null for an end-of-sequence token or the length limit. */
  readonly stop_reason?: string | number | null
}

/** `POST /v1/completions` (and its streamed chunks, with `object` the same). */
export interface CompletionResponse {
  readonly id: string
  readonly object: 'text_completion'
  readonly created: number
  readonly model: string
  readonly choices: readonly CompletionChoice[]
  readonly usage?: ApiUsage | null
}

/** An alternative of a chat token's log-probability. */
export interface ChatTopLogprob {
  readonly token: string
  readonly logprob: number
  /** The token's UTF-8 bytes; null when its text is not whole characters (shown with U+FFFD). */
  readonly bytes: readonly number[] | null
}

/** One token of a chat choice with its alternatives. */
export interface ChatTokenLogprob extends ChatTopLogprob {
  readonly top_logprobs: readonly ChatTopLogprob[]
}

/** Chat log-probabilities. */
export interface ChatLogprobs {
  readonly content: readonly ChatTokenLogprob[] | null
}

/** A chat message as the API carries it. */
export interface ApiChatMessage {
  readonly role: string
  readonly content: string
}

/** One choice of a chat response. */
export interface ChatChoice {
  readonly index: number
  readonly message: ApiChatMessage
  readonly logprobs: ChatLogprobs | null
  readonly finish_reason: ApiFinishReason
  readonly stop_reason?: string | number | null
}

/** `POST /v1/chat/completions`. */
export interface ChatResponse {
  readonly id: string
  readonly object: 'chat.completion'
  readonly created: number
  readonly model: string
  readonly choices: readonly ChatChoice[]
  readonly usage: ApiUsage
}

/** One choice of a streamed chat chunk. */
export interface ChatChunkChoice {
  readonly index: number
  readonly delta: { readonly role?: 'assistant'; readonly content?: string }
  readonly logprobs: ChatLogprobs | null
  readonly finish_reason: ApiFinishReason | null
  readonly stop_reason?: string | number | null
}

/** A streamed chat chunk. */
export interface ChatChunk {
  readonly id: string
  readonly object: 'chat.completion.chunk'
  readonly created: number
  readonly model: string
  readonly choices: readonly ChatChunkChoice[]
  readonly usage?: ApiUsage | null
}

/** The UTF-8 bytes of a token's text, or null when the text stands for a partial character. */
export function tokenBytes(text: string): number[] | null {
  return text.includes('\uFFFD') ? null : [...new TextEncoder().encode(text)]
}

/**
 * Where each token starts in `text` (from `start`). Tokens are decoded one by one, so a token that
 * holds part of a multi-byte character reads as U+FFFD and a skipped special token as ''; such a
 * token is placed at the current position, and the next readable token is searched for forward.
 */
export function textOffsets(text: string, tokens: readonly string[], start = 0): number[] {
  const offsets: number[] = []
  let cursor = start
  for (const token of tokens) {
    if (token === '' || token.includes('\uFFFD')) {
      offsets.push(cursor)
      continue
    }
    const at = text.startsWith(token, cursor) ? cursor : text.indexOf(token, cursor)
    if (at < 0) {
      offsets.push(cursor)
      continue
    }
    offsets.push(at)
    cursor = at + token.length
  }
  return offsets
}
