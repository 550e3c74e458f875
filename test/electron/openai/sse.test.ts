// @vitest-environment node
// The SSE parser on OpenAI streams: events however the bytes are split (property test), line
// endings of the SSE specification, comments and other fields, multi-line data, and a last event
// without its blank line.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { SseParser, sseData } from '../../../electron/openai/sse.ts'

function parse(chunks: readonly string[], end = true): string[] {
  const out: string[] = []
  const parser = new SseParser((d) => out.push(d))
  for (const c of chunks) parser.push(c)
  if (end) parser.end()
  return out
}

const stream =
  ': keep-alive comment\n' +
  'data: {"a":1}\n\n' +
  'event: message\r\ndata: {"b":"x y"}\r\n\r\n' +
  'id: 7\rdata:no-space\r\r' +
  'data: line one\ndata: line two\n\n' +
  'data: [DONE]\n\n'
const expected = ['{"a":1}', '{"b":"x y"}', 'no-space', 'line one\nline two', '[DONE]']

describe('SseParser', () => {
  it('reads LF, CRLF and CR line endings, skips comments and other fields, joins multi-line data', () => {
    expect(parse([stream])).toEqual(expected)
  })

  it('gives the same events however the stream is split into chunks', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: stream.length }), { maxLength: 12 }), (cuts) => {
        const points = [...new Set(cuts)].sort((x, y) => x - y)
        const chunks: string[] = []
        let at = 0
        for (const p of points) {
          chunks.push(stream.slice(at, p))
          at = p
        }
        chunks.push(stream.slice(at))
        expect(parse(chunks)).toEqual(expected)
      }),
    )
  })

  it('dispatches an event left open at the end of the stream only when it ends', () => {
    expect(parse(['data: tail'], false)).toEqual([])
    expect(parse(['data: tail'])).toEqual(['tail'])
  })

  it('sseData writes what the parser reads', () => {
    const payload = { text: 'two\nlines', n: 1 }
    expect(parse([sseData(payload), sseData('[DONE]')])).toEqual([JSON.stringify(payload), '[DONE]'])
  })
})
