/**
 * @module electron/openai/sse
 * Server-sent events as the OpenAI API streams them: each event is `data: <json>` and a blank
 * line, and the stream ends with `data: [DONE]`. The parser follows the SSE specification's line
 * rules (LF, CRLF or CR endings; multi-line data joined with LF; comments and other fields
 * ignored), fed with arbitrary chunks of the byte stream.
 */

/** The marker that ends an OpenAI stream. */
export const SSE_DONE = '[DONE]'

/** One `data:` event, ready to write. */
export function sseData(payload: unknown): string {
  return `data: ${typeof payload === 'string' ? payload : JSON.stringify(payload)}\n\n`
}

/** Splits a text stream into SSE events and hands each event's data to a callback. */
export class SseParser {
  private buffer = ''
  private data: string[] = []
  /** A CR ended the last chunk; an LF at the start of the next one belongs to it. */
  private pendingCr = false

  constructor(private readonly onData: (data: string) => void) {}

  /** Feeds decoded text. */
  push(text: string): void {
    let input = text
    if (this.pendingCr && input.startsWith('\n')) input = input.slice(1)
    this.pendingCr = false
    this.buffer += input
    for (;;) {
      const match = /\r\n|\r|\n/.exec(this.buffer)
      if (!match) break
      // A trailing CR may be the first half of a CRLF split across chunks.
      if (match[0] === '\r' && match.index === this.buffer.length - 1) this.pendingCr = true
      const line = this.buffer.slice(0, match.index)
      this.buffer = this.buffer.slice(match.index + match[0].length)
      this.line(line)
    }
  }

  /** Ends the stream: an event not yet closed by a blank line is dispatched. */
  end(): void {
    if (this.buffer !== '') this.line(this.buffer)
    this.buffer = ''
    this.line('')
  }

  private line(line: string): void {
    if (line === '') {
      if (this.data.length > 0) {
        const data = this.data.join('\n')
        this.data = []
        this.onData(data)
      }
      return
    }
    if (line.startsWith(':')) return
    const colon = line.indexOf(':')
    const field = colon < 0 ? line : line.slice(0, colon)
    let value = colon < 0 ? '' : line.slice(colon + 1)
    if (value.startsWith(' ')) value = value.slice(1)
    if (field === 'data') this.data.push(value)
  }
}
