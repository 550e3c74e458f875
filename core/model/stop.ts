/**
 * @module core/model/stop
 * Stop strings over streamed text. Text arrives in pieces (one per token, and a stop string may span
 * several); the matcher releases text as soon as it can no longer be part of a stop string, holds
 * back a tail that might still grow into one, and on a match cuts the completion just before the
 * earliest occurrence of any stop string.
 */

/** What one `push` produced. */
export interface StopPush {
  /** Text now safe to show; it never contains any part of a stop string that matched. */
  readonly text: string
  /** The stop string that matched (the earliest occurrence; the longest among those starting there). */
  readonly stop?: string
}

/** Incremental stop-string matcher. After a match it ignores further input. */
export class StopMatcher {
  private readonly stops: readonly string[]
  private pending = ''
  private matched: string | undefined

  /** `stops` must be non-empty strings. */
  constructor(stops: readonly string[]) {
    for (const [i, s] of stops.entries()) {
      if (s.length === 0) throw new RangeError(`stop[${i}] is empty; an empty stop string would end every completion.`)
    }
    this.stops = [...stops]
  }

  /** The stop string that matched, if any. */
  get stopped(): string | undefined {
    return this.matched
  }

  /** Text held back because it might be the start of a stop string. */
  get held(): string {
    return this.pending
  }

  /** Adds the next piece of text and returns what can be released. */
  push(piece: string): StopPush {
    if (this.matched !== undefined) return { text: '' }
    const buffer = this.pending + piece
    if (this.stops.length === 0) return { text: buffer }
    let at = -1
    let which = ''
    for (const s of this.stops) {
      const i = buffer.indexOf(s)
      if (i >= 0 && (at < 0 || i < at || (i === at && s.length > which.length))) {
        at = i
        which = s
      }
    }
    if (at >= 0) {
      this.matched = which
      this.pending = ''
      return { text: buffer.slice(0, at), stop: which }
    }
    const hold = this.holdLength(buffer)
    this.pending = buffer.slice(buffer.length - hold)
    return { text: buffer.slice(0, buffer.length - hold) }
  }

  /** Releases the held-back text (the stream ended without a match). */
  flush(): string {
    const rest = this.pending
    this.pending = ''
    return rest
  }

  /** The length of the longest suffix of `buffer` that is a proper prefix of some stop string. */
  private holdLength(buffer: string): number {
    let best = 0
    for (const s of this.stops) {
      const longest = Math.min(s.length - 1, buffer.length)
      for (let n = longest; n > best; n--) {
        if (buffer.endsWith(s.slice(0, n))) {
          best = n
          break
        }
      }
    }
    return best
  }
}
