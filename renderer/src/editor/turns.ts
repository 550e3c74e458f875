/**
 * Turns for building editors one at a time, each once the one before has painted. Building an
 * editor is a long task, and a notebook with several template cells would otherwise build all of
 * them in one task before the first appears.
 */

/** How long a turn waits for a paint before it passes anyway (a hidden page paints no frames). */
export const TURN_FALLBACK_MS = 100

/**
 * A queue of turns. `afterNextPaint` runs its function once the next frame has been painted. Each
 * call of the result resolves, in call order, with the function to call once this editor is built
 * (or will not be): it lets the next turn go after the next paint.
 */
export function createTurns(afterNextPaint: (fn: () => void) => void): () => Promise<() => void> {
  let lastTurn: Promise<void> = Promise.resolve()
  return () => {
    let done!: () => void
    const finished = new Promise<void>((resolve) => (done = resolve))
    const previous = lastTurn
    lastTurn = finished
    let released = false
    const release = (): void => {
      if (released) return
      released = true
      let passed = false
      const pass = (): void => {
        if (passed) return
        passed = true
        done()
      }
      afterNextPaint(pass)
      setTimeout(pass, TURN_FALLBACK_MS)
    }
    return previous.then(() => release)
  }
}
