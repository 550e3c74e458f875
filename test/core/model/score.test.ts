import { describe, expect, it } from 'vitest'
import { splitContinuation } from '../../../core/model/score.ts'

describe('splitContinuation (lm-evaluation-harness style)', () => {
  it('splits the joined encoding after the prompt encoding\'s length', () => {
    expect(splitContinuation([1, 2, 3], [1, 2, 3, 4, 5])).toEqual({ promptIds: [1, 2, 3], continuationIds: [4, 5] })
  })

  it('keeps the joined encoding when a merge crosses the boundary', () => {
    // "ab" + "c" encoded alone is [a, b] + [c]; joined, "bc" merges into one token 9.
    expect(splitContinuation([1, 2], [1, 9])).toEqual({ promptIds: [1], continuationIds: [9] })
    expect(splitContinuation([1, 2, 3], [1, 2, 9, 5])).toEqual({ promptIds: [1, 2, 9], continuationIds: [5] })
  })

  it('returns no continuation tokens for an empty continuation', () => {
    expect(splitContinuation([1, 2], [1, 2], true)).toEqual({ promptIds: [1, 2], continuationIds: [] })
  })

  it('refuses a pair too short to score', () => {
    expect(() => splitContinuation([1], [1])).toThrow(/encode to 1 token\(s\)/)
    expect(() => splitContinuation([], [4, 5])).toThrow(/at least one prompt token/)
  })
})
