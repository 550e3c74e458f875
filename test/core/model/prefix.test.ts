import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { SharedPrefixTracker, commonPrefixLength, prefixKey } from '../../../core/model/prefix.ts'

describe('shared prefixes', () => {
  it('measures the common prefix of two id lists', () => {
    expect(commonPrefixLength([1, 2, 3], [1, 2, 4])).toBe(2)
    expect(commonPrefixLength([1, 2], [1, 2, 3])).toBe(2)
    expect(commonPrefixLength([], [1])).toBe(0)
  })

  it('keys a prefix by its length and ids, ignoring what follows', () => {
    expect(prefixKey([5, 6, 7, 8], 3)).toBe(prefixKey([5, 6, 7, 9], 3))
    expect(prefixKey([5, 6, 7], 3)).not.toBe(prefixKey([5, 6, 8], 3))
    expect(prefixKey([5, 6, 7], 3)).toMatch(/^3-[0-9a-f]{16}$/)
    // Order matters, and a token id is not confused with its bytes spread over several ids.
    expect(prefixKey([1, 2], 2)).not.toBe(prefixKey([2, 1], 2))
    expect(prefixKey([256], 1)).not.toBe(prefixKey([0], 1))
  })

  it('gives distinct keys to distinct prefixes of the same length (property)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.array(fc.integer({ min: 0, max: 200_000 }), { minLength: 8, maxLength: 8 }), {
          minLength: 2,
          maxLength: 50,
          selector: (a) => a.join(','),
        }),
        (lists) => {
          expect(new Set(lists.map((l) => prefixKey(l, 8))).size).toBe(lists.length)
        },
      ),
    )
  })

  it('takes a group anchor only when the group shares at least minLength tokens', () => {
    const t = new SharedPrefixTracker(4)
    t.addGroup([
      [1, 2, 3, 9],
      [1, 2, 3, 8],
    ])
    expect(t.hintFor([1, 2, 3, 7])).toBeUndefined() // only 3 shared
    const u = new SharedPrefixTracker(3)
    u.addGroup([
      [1, 2, 3, 9],
      [1, 2, 3, 8],
    ])
    expect(u.hintFor([1, 2, 3, 7])).toEqual({ key: prefixKey([1, 2, 3], 3), length: 3 })
    // A prompt that is the anchor itself cannot use it (one token must be left to run), and the two
    // tokens it could share are under minLength.
    expect(u.hintFor([1, 2, 3])).toBeUndefined()
  })

  it('prefers the longest matching anchor and forgets old prompts', () => {
    const t = new SharedPrefixTracker(2, 16, 1)
    expect(t.hintFor([1, 2, 3, 4])).toBeUndefined()
    expect(t.hintFor([9, 9, 9])).toBeUndefined()
    // [1, 2, 3, 4] fell out of the one-prompt memory, so nothing is learned from it.
    expect(t.hintFor([1, 2, 3, 5])).toBeUndefined()
    expect(t.hintFor([1, 2, 3, 6])?.length).toBe(3)
    t.addGroup([
      [1, 2, 3, 6, 7, 1],
      [1, 2, 3, 6, 7, 2],
    ])
    // The group shares 5 tokens, at least minLength more than the anchor of 3: a new anchor.
    expect(t.hintFor([1, 2, 3, 6, 7, 3])?.length).toBe(5)
    expect(t.hintFor([1, 2, 3, 0])?.length).toBe(3)
    // Sharing 4 with the last prompt is only 1 more than the anchor of 3: the anchor is kept.
    expect(t.hintFor([1, 2, 3, 0, 5])?.length).toBe(3)
    // Sharing 5 with the last prompt is minLength more than the anchor of 3: a new anchor of 5.
    expect(t.hintFor([1, 2, 3, 0, 5, 6, 7])?.length).toBe(5)
    // The same prompt again could share 6 (all but its last token), only 1 more: the anchor of 5 stays.
    expect(t.hintFor([1, 2, 3, 0, 5, 6, 7])?.length).toBe(5)
  })

  it('gives no hints when turned off', () => {
    const t = new SharedPrefixTracker(0)
    t.addGroup([
      [1, 2, 3, 4],
      [1, 2, 3, 5],
    ])
    expect(t.hintFor([1, 2, 3, 4])).toBeUndefined()
    expect(t.hintFor([1, 2, 3, 4])).toBeUndefined()
  })
})
