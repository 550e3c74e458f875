/**
 * The probe's token streams as plain data: the original generation and its forks. A fork replaces
 * the token at one position of a stream with one of its alternatives and lets the model continue
 * from there (`prefixTokenIds` = the stream's own prefix, its tokens before that position, and the
 * alternative), so forks of forks work the same way. Pure functions, so the rules are unit-tested.
 */
import type { GenerateEvent, GenerateResult, TokenInfo, TokenLogprob } from '../../../core/model/client.ts'

/** Where a fork branched off. */
export interface ForkPoint {
  /** The stream it branched from. */
  readonly parentKey: string
  /** The position (in the parent's tokens) whose token was replaced. */
  readonly index: number
  /** The token the parent generated there. */
  readonly original: TokenLogprob
  /** The alternative taken instead (with its probability under the parent's context). */
  readonly chosen: TokenLogprob
}

export type StreamStatus = 'running' | 'done' | 'cancelled' | 'error'

/** One generation of the probe. */
export interface ProbeStream {
  /** `root` for the original, `fork-<n>` for forks. */
  readonly key: string
  readonly requestId: string
  /** Token ids fed after the prompt before this stream's first token (empty for the original). */
  readonly prefixIds: readonly number[]
  /** Tokens of the parent before the fork point, shown dimmed as context (empty for the original). */
  readonly context: readonly ContextToken[]
  readonly fork: ForkPoint | null
  readonly tokens: readonly TokenInfo[]
  /** The text each token added to the completion ('' while held back, see `GenerateEvent`). */
  readonly deltas: readonly string[]
  readonly status: StreamStatus
  readonly result: GenerateResult | null
  readonly error: string | null
}

/** A token of the context before a fork point. */
export interface ContextToken {
  readonly id: number
  readonly text: string
}

/** A new stream, waiting for its first token. */
export function newStream(
  key: string,
  requestId: string,
  options: { prefixIds?: readonly number[]; context?: readonly ContextToken[]; fork?: ForkPoint | null } = {},
): ProbeStream {
  return {
    key,
    requestId,
    prefixIds: options.prefixIds ?? [],
    context: options.context ?? [],
    fork: options.fork ?? null,
    tokens: [],
    deltas: [],
    status: 'running',
    result: null,
    error: null,
  }
}

/** The stream after one of its generation events. */
export function applyEvent(stream: ProbeStream, event: GenerateEvent): ProbeStream {
  if (event.type === 'token') {
    return { ...stream, tokens: [...stream.tokens, event.token], deltas: [...stream.deltas, event.delta] }
  }
  return finish(stream, event.result)
}

/** The stream after several events (one render for a burst of tokens). */
export function applyEvents(stream: ProbeStream, events: readonly GenerateEvent[]): ProbeStream {
  const tokens = [...stream.tokens]
  const deltas = [...stream.deltas]
  let result: GenerateResult | null = null
  for (const e of events) {
    if (e.type === 'token') {
      tokens.push(e.token)
      deltas.push(e.delta)
    } else {
      result = e.result
    }
  }
  const next = { ...stream, tokens, deltas }
  return result === null ? next : finish(next, result)
}

/**
 * The stream with its final result. The result is authoritative: its tokens replace the streamed
 * ones when they differ (a listener that joined late), and a cancelled request's held-back text is
 * added to the last token.
 */
export function finish(stream: ProbeStream, result: GenerateResult): ProbeStream {
  const status: StreamStatus = result.finishReason === 'cancelled' ? 'cancelled' : 'done'
  let { tokens, deltas } = stream
  if (tokens.length !== result.tokens.length) {
    tokens = result.tokens
    deltas = result.tokens.map((t) => t.text)
  }
  const shown = deltas.join('')
  if (result.text.length > shown.length && result.text.startsWith(shown) && deltas.length > 0) {
    deltas = [...deltas.slice(0, -1), deltas[deltas.length - 1] + result.text.slice(shown.length)]
  }
  return { ...stream, tokens, deltas, status, result }
}

/** The stream after its request failed. */
export function failed(stream: ProbeStream, message: string): ProbeStream {
  return { ...stream, status: 'error', error: message }
}

/** What a fork sends with `wb:generate.start` besides the prompt. */
export interface ForkRequest {
  readonly prefixTokenIds: number[]
  /** New tokens to generate: what is left of the original's budget (undefined: the model's default). */
  readonly maxNewTokens: number | undefined
  readonly fork: ForkPoint
  readonly context: ContextToken[]
}

/**
 * The request that forks `parent` at `index` with the alternative `alternativeId` (one of the
 * token's `top` alternatives). `budget` is the original's `maxNewTokens`: the fork gets what is left
 * of it after the tokens it starts from, at least 1, so forks end where the original would.
 */
export function forkRequest(parent: ProbeStream, index: number, alternativeId: number, budget: number | undefined): ForkRequest {
  const token = parent.tokens[index]
  if (token === undefined) {
    throw new RangeError(`Cannot fork at token ${index}: the stream has ${parent.tokens.length} tokens.`)
  }
  const chosen = token.top.find((t) => t.id === alternativeId) ?? (token.id === alternativeId ? token : undefined)
  if (chosen === undefined) {
    throw new RangeError(`Token ${alternativeId} is not among the alternatives at position ${index}; fork from one of them.`)
  }
  const before = parent.tokens.slice(0, index)
  const prefixTokenIds = [...parent.prefixIds, ...before.map((t) => t.id), alternativeId]
  // Everything the fork shares with its parent, as text: the parent's own context and chosen token,
  // then its tokens before the position (their ids are the prefix less the alternative).
  const context: ContextToken[] = [
    ...parent.context,
    ...(parent.fork === null ? [] : [{ id: parent.fork.chosen.id, text: parent.fork.chosen.text }]),
    ...before.map((t, i) => ({ id: t.id, text: parent.deltas[i] ?? t.text })),
  ]
  return {
    prefixTokenIds,
    maxNewTokens: budget === undefined ? undefined : Math.max(1, budget - prefixTokenIds.length),
    fork: {
      parentKey: parent.key,
      index,
      original: { id: token.id, text: token.text, logprob: token.logprob },
      chosen: { id: chosen.id, text: chosen.text, logprob: chosen.logprob },
    },
    context,
  }
}

/**
 * Text made visible, since a probe is about exact tokens: a line break shows as ↵ (and still
 * breaks the line), a tab as ⇥, and every other control character as its Unicode control picture
 * (U+240D ␍ for a carriage return), so none is invisible or moves the layout.
 */
export function visibleText(text: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is replaced
  return text.replace(/[\u0000-\u001f\u007f]/g, (c) => {
    if (c === '\n') return '↵\n'
    if (c === '\t') return '⇥'
    return c === '\u007f' ? '\u2421' : String.fromCharCode(0x2400 + c.charCodeAt(0))
  })
}

/** Decoding speed and latency of a finished stream, for the meta line. */
export function speedText(result: GenerateResult): string {
  const { tokensPerSecond, timeToFirstTokenMs } = result.timings
  const ttft = Number.isFinite(timeToFirstTokenMs) ? `${Math.round(timeToFirstTokenMs)} ms to first token` : 'no token'
  return `${tokensPerSecond.toFixed(1)} tokens/s · ${ttft}`
}
