import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { editDistance } from '../../../core/prompt/edit-distance.ts'

describe('editDistance', () => {
  it('gives the textbook Levenshtein distances', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3)
    expect(editDistance('flaw', 'lawn')).toBe(2)
    expect(editDistance('', 'abc')).toBe(3)
    expect(editDistance('abc', '')).toBe(3)
    expect(editDistance('SimpleSokobn', 'SimpleSokoban')).toBe(1)
    expect(editDistance('same', 'same')).toBe(0)
  })

  it('is symmetric and bounded by the longer length', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), (a, b) => {
        const d = editDistance(a, b)
        expect(editDistance(b, a)).toBe(d)
        expect(d).toBeLessThanOrEqual(Math.max(a.length, b.length))
        expect(d).toBeGreaterThanOrEqual(Math.abs(a.length - b.length))
      }),
    )
  })
})
