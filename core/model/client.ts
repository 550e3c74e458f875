/**
 * @module core/model/client
 * The asynchronous model interface the rest of sftbench talks to. The implementation lives on the
 * Node side (onnxruntime in a worker thread); core defines only the shapes, so sweeps, probes and the
 * UI run unchanged against a fake client in tests.
 */
import type { ChatMessage } from '../prompt/chat.ts'
import type { SamplingParamsInput } from './params.ts'

/** What to generate from: raw prompt text, or chat messages rendered with the model's chat template. */
export type GeneratePrompt = string | { readonly messages: readonly ChatMessage[] }

/** One generation request. */
export interface GenerateRequest {
  readonly prompt: GeneratePrompt
  /** Sampling parameters; missing fields take the model's defaults, then the built-in ones. */
  readonly params?: SamplingParamsInput
  /** A caller-chosen id (unique among requests in flight); the client assigns one when absent. */
  readonly id?: string
  /**
   * Forks a generation: the model continues after the prompt's token ids followed by these ids (a
   * probe takes the tokens before a position plus a chosen alternative). They are context, not
   * output: the result's `tokens` and `text` start after them, `maxNewTokens` counts only new
   * tokens, `promptTokens` counts them with the prompt, and an EOS id or stop string among them ends
   * nothing. Each id must be in the model's vocabulary (the local runtime throws a `RangeError`
   * naming the first bad one). A client that cannot feed token ids (a remote API) must refuse such a
   * request rather than ignore it, and a caching client must key on them.
   */
  readonly prefixTokenIds?: readonly number[]
}

/** A token and its log-probability under the model's unmodified distribution. */
export interface TokenLogprob {
  readonly id: number
  /** The token's own text (decoded alone; a token holding part of a UTF-8 character shows U+FFFD). */
  readonly text: string
  /** Natural-log probability under log-softmax of the raw logits (before temperature and filters). */
  readonly logprob: number
}

/** One generated token with its most likely alternatives (best first, `topLogprobs` of them). */
export interface TokenInfo extends TokenLogprob {
  readonly top: readonly TokenLogprob[]
}

/**
 * Why generation ended: a stop string was produced (`stop`), the end-of-sequence token was sampled
 * (`eos`), `maxNewTokens` or the context was used up (`length`), or the request was cancelled.
 */
export type FinishReason = 'stop' | 'eos' | 'length' | 'cancelled'

/** Timings of one request, from when it was submitted. */
export interface GenerateTimings {
  /** Submission to the first generated token; NaN when no token was generated. */
  readonly timeToFirstTokenMs: number
  /**
   * Decoding speed: tokens after the first, per second since the first (so prefill and queueing
   * are excluded); with a single token, that token over the whole request (1000 / totalMs); 0 when
   * no token was generated or no time passed.
   */
  readonly tokensPerSecond: number
  /** Submission to completion. */
  readonly totalMs: number
}

/** The outcome of one request. */
export interface GenerateResult {
  readonly id: string
  /** The completion, cut before a stop string; never contains the EOS token's text. */
  readonly text: string
  /** Every generated token, including the EOS token or the token that completed a stop string. */
  readonly tokens: readonly TokenInfo[]
  readonly finishReason: FinishReason
  /** Which stop string ended generation, when `finishReason` is `stop`. */
  readonly stopString?: string
  readonly promptTokens: number
  readonly timings: GenerateTimings
  /** The execution provider that ran the model, in lower case (`cpu`, `cuda`, ...). */
  readonly provider: string
}

/**
 * Streaming events. `token` carries the text it adds to the completion (`delta`, possibly empty
 * while a multi-byte character or a possible stop string is incomplete); `done` carries the result.
 * The deltas of a request concatenate to `result.text`, except that a cancelled request's result
 * also holds the text that was being held back.
 */
export type GenerateEvent =
  | { readonly type: 'token'; readonly id: string; readonly token: TokenInfo; readonly delta: string }
  | { readonly type: 'done'; readonly result: GenerateResult }

/** Scoring: the log-probability of `continuation` after `prompt`, teacher-forced, with no sampling. */
export interface ScoreRequest {
  readonly prompt: GeneratePrompt
  readonly continuation: string
}

/** The continuation's tokens with their log-probabilities, and their sum. */
export interface ScoreResult {
  readonly tokens: readonly TokenLogprob[]
  readonly totalLogprob: number
  /** True when every continuation token was as likely as the most likely one (greedy would pick it). */
  readonly greedy: boolean
  readonly promptTokens: number
}

/** What a loaded model is, as far as running it is concerned. */
export interface ModelInfo {
  readonly name: string
  readonly provider: string
  readonly architecture: string
  readonly layers: number
  readonly kvHeads: number
  readonly headDim: number
  readonly kvDtype: 'float32' | 'float16'
  readonly vocabSize: number
  readonly chatTemplate: boolean
  readonly maxContext: number
}

/** The part of the DOM `AbortSignal` that cancellation needs (core has no DOM types). */
export interface AbortSignalLike {
  readonly aborted: boolean
  addEventListener(type: 'abort', listener: () => void): void
  removeEventListener?(type: 'abort', listener: () => void): void
}

/** A loaded model. All methods may be called concurrently; generation requests share batches. */
export interface ModelClient {
  info(): Promise<ModelInfo>
  generate(
    request: GenerateRequest,
    onEvent?: (event: GenerateEvent) => void,
    signal?: AbortSignalLike,
  ): Promise<GenerateResult>
  /** Results in the order of `requests`; they run batched, as slots allow. */
  generateBatch(
    requests: readonly GenerateRequest[],
    onEvent?: (event: GenerateEvent) => void,
    signal?: AbortSignalLike,
  ): Promise<GenerateResult[]>
  score(request: ScoreRequest): Promise<ScoreResult>
  /**
   * The token ids the model would be given for `prompt` (chat messages rendered with the model's
   * chat template first), as `generate` sees them. Optional: clients that cannot tokenize (a remote
   * API) leave it out, and callers fall back to the prompt text (e.g. for cache keys).
   */
  tokenize?(prompt: GeneratePrompt): Promise<number[]>
  /** Cancels one request by id, or every request when `id` is omitted. Cancelled requests resolve. */
  cancel(id?: string): void
  /** Frees sessions and buffers; the client is unusable afterwards. */
  dispose(): Promise<void>
}

/** A monotonic clock in milliseconds (injected, since core reads no wall clock). */
export interface Clock {
  now(): number
}
