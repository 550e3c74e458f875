// @vitest-environment node
// Flow control of the HTTP client: backoff bounds and seeded jitter, Retry-After in both of its
// forms (RFC 9110 §10.2.3), and the semaphore's order and abortable waits.
import { describe, expect, it } from 'vitest'
import { rngFor } from '../../../core/rng/rng.ts'
import { MAX_RETRY_AFTER_MS, Semaphore, backoffDelay, parseRetryAfter } from '../../../electron/openai/limits.ts'

describe('backoffDelay', () => {
  it('doubles from 500 ms up to 30 s, each wait between half and all of its ceiling', () => {
    const rng = rngFor(3, 'test')
    const ceilings = [500, 1000, 2000, 4000, 8000, 16000, 30000, 30000]
    ceilings.forEach((c, n) => {
      const d = backoffDelay(n, rng)
      expect(d).toBeGreaterThanOrEqual(c / 2)
      expect(d).toBeLessThanOrEqual(c)
    })
  })

  it('is reproducible from the seed, and another seed jitters otherwise', () => {
    const waits = (seed: number): number[] => {
      const rng = rngFor(seed, 'jitter')
      return [0, 1, 2, 3].map((n) => backoffDelay(n, rng))
    }
    expect(waits(9)).toEqual(waits(9))
    expect(waits(10)).not.toEqual(waits(9))
  })
})

describe('parseRetryAfter', () => {
  it('reads delay-seconds and HTTP dates, and ignores what is neither', () => {
    const now = Date.parse('Wed, 21 Oct 2015 07:28:00 GMT')
    expect(parseRetryAfter('120', now)).toBe(120_000)
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:30 GMT', now)).toBe(30_000)
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:27:00 GMT', now)).toBe(0)
    expect(parseRetryAfter('soon', now)).toBeUndefined()
    expect(parseRetryAfter(null, now)).toBeUndefined()
    expect(parseRetryAfter('999999', now)).toBe(MAX_RETRY_AFTER_MS)
  })
})

describe('Semaphore', () => {
  it('hands out at most `limit` permits, then serves waiters in order', async () => {
    const s = new Semaphore(2)
    const order: number[] = []
    const r1 = await s.acquire()
    await s.acquire()
    const waiting = [3, 4].map((n) => s.acquire().then((release) => (order.push(n), release)))
    expect(s.inUse).toBe(2)
    r1()
    r1() // releasing twice frees one permit only
    await waiting[0]
    expect(order).toEqual([3])
    expect(s.inUse).toBe(2)
  })

  it('an aborted wait leaves the queue', async () => {
    const s = new Semaphore(1)
    const release = await s.acquire()
    const controller = new AbortController()
    const aborted = s.acquire(controller.signal)
    const next = s.acquire()
    controller.abort()
    await expect(aborted).rejects.toThrow(/aborted/)
    release()
    await next
    expect(s.inUse).toBe(1)
  })

  it('refuses a limit below 1', () => {
    expect(() => new Semaphore(0)).toThrow(/whole number >= 1/)
  })
})
