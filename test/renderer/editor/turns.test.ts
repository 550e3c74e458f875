// @vitest-environment node
// Editors take turns being built: each waits until the one before is built and a frame has painted
// (or, on a page that paints no frames, a short time has passed).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createTurns } from '../../../renderer/src/editor/turns.ts'

let frames: (() => void)[] = []
let editorTurn: () => Promise<() => void>

beforeEach(() => {
  vi.useFakeTimers()
  frames = []
  editorTurn = createTurns((fn) => frames.push(() => setTimeout(fn, 0)))
})
afterEach(() => {
  vi.useRealTimers()
})

/** Runs the pending animation frames, then the timers they set with no delay. */
async function paint(): Promise<void> {
  const now = frames
  frames = []
  for (const fn of now) fn()
  await vi.advanceTimersByTimeAsync(0)
}

describe('createTurns', () => {
  it('gives turns in call order, the next only after the previous is released and a frame painted', async () => {
    const order: string[] = []
    const first = editorTurn().then((release) => (order.push('a'), release))
    const second = editorTurn().then((release) => (order.push('b'), release))
    const third = editorTurn().then((release) => (order.push('c'), release))
    await vi.advanceTimersByTimeAsync(0)
    expect(order).toEqual(['a'])
    await paint()
    expect(order).toEqual(['a'])
    const releaseA = await first
    releaseA()
    expect(order).toEqual(['a'])
    await paint()
    expect(order).toEqual(['a', 'b'])
    const releaseB = await second
    releaseB()
    releaseB()
    await paint()
    expect(order).toEqual(['a', 'b', 'c'])
    ;(await third)()
    await paint()
  })

  it('passes the turn on after a short wait when no frame is painted (a hidden page)', async () => {
    const release = await editorTurn()
    let next = false
    void editorTurn().then((r) => {
      next = true
      r()
    })
    release()
    await vi.advanceTimersByTimeAsync(50)
    expect(next).toBe(false)
    await vi.advanceTimersByTimeAsync(60)
    expect(next).toBe(true)
    await paint()
    await vi.advanceTimersByTimeAsync(200)
  })
})
