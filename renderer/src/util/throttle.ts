/**
 * Coalesces calls so that `fn` runs at most once per `intervalMs`, always with the latest arguments:
 * a burst of 1,000 updates becomes about ten redraws a second, and the last state is never dropped.
 */
export interface Throttled<A extends unknown[]> {
  (...args: A): void
  /** Runs a pending call now. */
  flush(): void
  /** Drops a pending call (e.g. on unmount). */
  cancel(): void
}

/**
 * A throttled `fn`: at most one call per interval, always with the latest arguments. Calls run in a
 * task of their own (a timer), never inside the caller's, so expensive work such as a chart redraw
 * does not add to the task that asked for it.
 */
export function throttle<A extends unknown[]>(fn: (...args: A) => void, intervalMs: number): Throttled<A> {
  let last = -Infinity
  let timer: ReturnType<typeof setTimeout> | null = null
  let pending: A | null = null
  const run = (): void => {
    timer = null
    if (pending === null) return
    const args = pending
    pending = null
    last = performance.now()
    fn(...args)
  }
  const throttled = (...args: A): void => {
    pending = args
    if (timer !== null) return
    timer = setTimeout(run, Math.max(0, last + intervalMs - performance.now()))
  }
  throttled.flush = (): void => {
    if (timer !== null) clearTimeout(timer)
    run()
  }
  throttled.cancel = (): void => {
    if (timer !== null) clearTimeout(timer)
    timer = null
    pending = null
  }
  return throttled
}
