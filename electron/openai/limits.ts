/**
 * @module electron/openai/limits
 * The HTTP client's flow control: a counting semaphore (per-endpoint concurrency), abortable
 * waits, exponential backoff with seeded jitter, and `Retry-After` parsing.
 */
import type { Rng } from '../../core/rng/rng.ts'

/** Thrown when a wait is interrupted by its signal. */
export class AbortedError extends Error {
  override name = 'AbortError'
  constructor(message = 'The operation was aborted.') {
    super(message)
  }
}

/** A counting semaphore whose waiters are served first come, first served. */
export class Semaphore {
  private active = 0
  private readonly waiters: (() => void)[] = []

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`A concurrency limit must be a whole number >= 1; got ${limit}.`)
  }

  /** Permits in use. */
  get inUse(): number {
    return this.active
  }

  /** Whether a permit is free now. */
  get free(): boolean {
    return this.active < this.limit
  }

  /** Waits for a permit; resolves with the function that gives it back (call it once). */
  acquire(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(new AbortedError())
    if (this.active < this.limit) {
      this.active++
      return Promise.resolve(this.releaser())
    }
    return new Promise((resolve, reject) => {
      const grant = (): void => {
        signal?.removeEventListener('abort', onAbort)
        this.active++
        resolve(this.releaser())
      }
      const onAbort = (): void => {
        const at = this.waiters.indexOf(grant)
        if (at >= 0) this.waiters.splice(at, 1)
        reject(new AbortedError())
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      this.waiters.push(grant)
    })
  }

  private releaser(): () => void {
    let released = false
    return () => {
      if (released) return
      released = true
      this.active--
      this.waiters.shift()?.()
    }
  }
}

/** Waits `ms` with `sleep`, or rejects with `AbortedError` as soon as `signal` aborts. */
export function abortableSleep(sleep: (ms: number) => Promise<void>, ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(new AbortedError())
  return new Promise((resolve, reject) => {
    const onAbort = (): void => reject(new AbortedError())
    signal.addEventListener('abort', onAbort, { once: true })
    sleep(ms).then(
      () => {
        signal.removeEventListener('abort', onAbort)
        resolve()
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort)
        reject(error instanceof Error ? error : new Error(String(error)))
      },
    )
  })
}

/** Backoff settings: attempt `n` (0-based) waits about `baseMs * 2^n`, at most `maxMs`. */
export interface BackoffOptions {
  readonly baseMs: number
  readonly maxMs: number
}

/** The default backoff: 0.5 s, 1 s, 2 s, ... up to 30 s. */
export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, maxMs: 30_000 }

/**
 * The wait before retry `attempt` (0-based): exponential, with "equal jitter" (half fixed, half
 * uniform from `rng`), so clients that failed together do not retry together.
 */
export function backoffDelay(attempt: number, rng: Rng, options: BackoffOptions = DEFAULT_BACKOFF): number {
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** attempt)
  return ceiling / 2 + rng.nextFloat() * (ceiling / 2)
}

/** The longest `Retry-After` honoured (10 minutes), so a bad header cannot stall a sweep for hours. */
export const MAX_RETRY_AFTER_MS = 600_000

/**
 * A `Retry-After` header in milliseconds: delta-seconds or an HTTP date (relative to `nowMs`, the
 * wall clock). Undefined when absent or unreadable.
 */
export function parseRetryAfter(header: string | null, nowMs: number): number | undefined {
  if (header === null) return undefined
  const text = header.trim()
  let ms: number
  if (/^\d+(\.\d+)?$/.test(text)) {
    ms = Number(text) * 1000
  } else {
    const date = Date.parse(text)
    if (Number.isNaN(date)) return undefined
    ms = date - nowMs
  }
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, ms))
}
