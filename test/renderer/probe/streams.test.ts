// The probe's streams and fork requests: the ids a fork sends are the stream's prefix, its tokens
// before the position, and the alternative (so forks of forks chain); the budget left; streaming
// events fold into tokens and text; the final result is authoritative.
import { describe, expect, it } from 'vitest'
import type { GenerateEvent, GenerateResult, TokenInfo } from '../../../core/model/client.ts'
import {
  applyEvent,
  applyEvents,
  finish,
  forkRequest,
  newStream,
  speedText,
  visibleText,
  type ProbeStream,
} from '../../../renderer/src/probe/streams.ts'

function token(id: number, text: string, alternatives: [number, string, number][] = []): TokenInfo {
  return { id, text, logprob: Math.log(0.5), top: alternatives.map(([i, t, p]) => ({ id: i, text: t, logprob: Math.log(p) })) }
}

function result(tokens: TokenInfo[], text: string, finishReason: GenerateResult['finishReason'] = 'length'): GenerateResult {
  return {
    id: 'r',
    text,
    tokens,
    finishReason,
    promptTokens: 10,
    timings: { timeToFirstTokenMs: 41.6, tokensPerSecond: 123.45, totalMs: 90 },
    provider: 'cpu',
  }
}

/** A finished stream with tokens 10 'A', 11 ' b', 12 ' c', 13 '.' (each with alternatives 20+i, 30+i). */
function streamOf(key = 'root', prefixIds: number[] = []): ProbeStream {
  const toks = [10, 11, 12, 13].map((id, i) => token(id, ['A', ' b', ' c', '.'][i], [[id, 'same', 0.5], [20 + i, `x${i}`, 0.3], [30 + i, `y${i}`, 0.1]]))
  let s = newStream(key, `${key}-req`, { prefixIds })
  for (const t of toks) s = applyEvent(s, { type: 'token', id: s.requestId, token: t, delta: t.text })
  return finish(s, result(toks, 'A b c.'))
}

describe('forkRequest', () => {
  it('sends the tokens before the position followed by the alternative', () => {
    const fork = forkRequest(streamOf(), 2, 32, undefined)
    expect(fork.prefixTokenIds).toEqual([10, 11, 32])
    expect(fork.fork).toEqual({
      parentKey: 'root',
      index: 2,
      original: { id: 12, text: ' c', logprob: Math.log(0.5) },
      chosen: { id: 32, text: 'y2', logprob: Math.log(0.1) },
    })
    expect(fork.context.map((c) => c.text).join('')).toBe('A b')
  })

  it('forking at the first token sends only the alternative', () => {
    expect(forkRequest(streamOf(), 0, 20, undefined).prefixTokenIds).toEqual([20])
  })

  it('a fork of a fork starts with the parent fork\'s own prefix', () => {
    const first = forkRequest(streamOf(), 1, 21, undefined)
    const child = { ...streamOf('fork-1', first.prefixTokenIds), context: first.context, fork: first.fork }
    const second = forkRequest(child, 3, 33, undefined)
    // Root tokens [10], the first alternative 21, then the fork's own tokens 10, 11, 12 and the new alternative.
    expect(second.prefixTokenIds).toEqual([10, 21, 10, 11, 12, 33])
    // The context shown is exactly the prefix before the new alternative, the first alternative included.
    expect(second.context.map((c) => c.id)).toEqual([10, 21, 10, 11, 12])
    expect(second.context.map((c) => c.text).join('')).toBe('Ax1A b c')
    expect(first.context.map((c) => c.id)).toEqual(first.prefixTokenIds.slice(0, -1))
  })

  it('gives the fork what is left of the original budget, at least one token', () => {
    expect(forkRequest(streamOf(), 2, 32, 24).maxNewTokens).toBe(21)
    expect(forkRequest(streamOf(), 3, 33, 2).maxNewTokens).toBe(1)
    expect(forkRequest(streamOf(), 3, 33, undefined).maxNewTokens).toBeUndefined()
  })

  it('refuses a position past the stream and an id that is not an alternative there', () => {
    expect(() => forkRequest(streamOf(), 4, 20, undefined)).toThrow('Cannot fork at token 4: the stream has 4 tokens.')
    expect(() => forkRequest(streamOf(), 1, 99, undefined)).toThrow('Token 99 is not among the alternatives at position 1')
  })
})

describe('streams', () => {
  it('folds token events into tokens and per-token text, and the done event into the result', () => {
    let s = newStream('root', 'q')
    const events: GenerateEvent[] = [
      { type: 'token', id: 'q', token: token(1, 'He'), delta: 'He' },
      { type: 'token', id: 'q', token: token(2, '\uFFFD'), delta: '' },
      { type: 'token', id: 'q', token: token(3, '\uFFFD'), delta: 'é!' },
    ]
    s = applyEvents(s, events)
    expect(s.tokens.map((t) => t.id)).toEqual([1, 2, 3])
    expect(s.deltas).toEqual(['He', '', 'é!'])
    expect(s.status).toBe('running')
    s = applyEvent(s, { type: 'done', result: result(s.tokens as TokenInfo[], 'Heé!') })
    expect(s.status).toBe('done')
    expect(s.result?.provider).toBe('cpu')
  })

  it('a cancelled result adds the held-back text to the last token', () => {
    let s = newStream('root', 'q')
    s = applyEvent(s, { type: 'token', id: 'q', token: token(1, 'ab'), delta: 'a' })
    s = finish(s, result(s.tokens as TokenInfo[], 'ab', 'cancelled'))
    expect(s.status).toBe('cancelled')
    expect(s.deltas).toEqual(['ab'])
  })

  it('takes the result\'s tokens when events were missed', () => {
    const toks = [token(1, 'x'), token(2, 'y')]
    const s = applyEvents(newStream('root', 'q'), [{ type: 'done', result: result(toks, 'xy') }])
    expect(s.tokens).toEqual(toks)
    expect(s.deltas).toEqual(['x', 'y'])
  })

  it('shows line breaks, tabs and other control characters (Unicode control pictures)', () => {
    expect(visibleText('a\n\tb')).toBe('a↵\n⇥b')
    expect(visibleText('x\r\u0000\u001b\u007fy')).toBe('x␍␀␛␡y')
    expect(visibleText('plain é ✓')).toBe('plain é ✓')
  })

  it('prints tokens/s and time to first token', () => {
    expect(speedText(result([], ''))).toBe('123.5 tokens/s · 42 ms to first token')
    expect(speedText({ ...result([], ''), timings: { timeToFirstTokenMs: Number.NaN, tokensPerSecond: 0, totalMs: 1 } })).toBe(
      '0.0 tokens/s · no token',
    )
  })
})
