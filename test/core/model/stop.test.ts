import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { StopMatcher } from '../../../core/model/stop.ts'

/** Feeds `pieces` and returns everything released, with the stop string that matched. */
function run(stops: string[], pieces: string[]): { text: string; stop?: string; releases: string[] } {
  const m = new StopMatcher(stops)
  const releases: string[] = []
  for (const p of pieces) {
    const out = m.push(p)
    releases.push(out.text)
    if (out.stop !== undefined) return { text: releases.join(''), stop: out.stop, releases }
  }
  releases.push(m.flush())
  return { text: releases.join(''), releases }
}

describe('StopMatcher', () => {
  it('cuts before a stop string that spans two pieces', () => {
    expect(run(['</answer>'], ['<answer> Up </ans', 'wer> more'])).toMatchObject({
      text: '<answer> Up ',
      stop: '</answer>',
    })
  })

  it('holds back a possible stop prefix and releases it once it cannot match', () => {
    const m = new StopMatcher(['<|end|>'])
    expect(m.push('Hello <|e').text).toBe('Hello ')
    expect(m.held).toBe('<|e')
    expect(m.push('x').text).toBe('<|ex')
    expect(m.held).toBe('')
  })

  it('stops at the earliest occurrence among several stop strings', () => {
    expect(run(['</answer>', '\n\n'], ['a\n', '\nb</answer>'])).toMatchObject({ text: 'a', stop: '\n\n' })
    expect(run(['\n\n', 'b'], ['ab\n\n'])).toMatchObject({ text: 'a', stop: 'b' })
  })

  it('finds a stop string inside a single piece and ignores later input', () => {
    const m = new StopMatcher(['STOP'])
    expect(m.push('xxSTOPyy')).toEqual({ text: 'xx', stop: 'STOP' })
    expect(m.stopped).toBe('STOP')
    expect(m.push('more').text).toBe('')
  })

  it('matches a stop string that begins inside held-back text', () => {
    // "aab": after "aa" the matcher holds "a" (could start "ab"), then "b" completes it.
    expect(run(['ab'], ['aa', 'b'])).toMatchObject({ text: 'a', stop: 'ab' })
  })

  it('with no stop strings releases everything at once', () => {
    expect(run([], ['ab', 'cd']).releases).toEqual(['ab', 'cd', ''])
  })

  it('rejects an empty stop string with its index', () => {
    expect(() => new StopMatcher(['x', ''])).toThrow(/stop\[1\] is empty/)
  })

  it('equals "cut the whole text at the first stop" for any split into pieces (property)', () => {
    const alphabet = fc.constantFrom('a', 'b', '<', '/', '>', '\n')
    const str = (min: number, max: number) => fc.string({ unit: alphabet, minLength: min, maxLength: max })
    fc.assert(
      fc.property(
        fc.array(str(1, 4), { minLength: 0, maxLength: 3 }),
        str(0, 40),
        fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 10 }),
        (stops, whole, cuts) => {
          const bounds = [...new Set([0, ...cuts.filter((c) => c <= whole.length), whole.length])].sort((a, b) => a - b)
          const pieces = bounds.slice(1).map((end, i) => whole.slice(bounds[i], end))
          let first = -1
          for (const s of stops) {
            const i = whole.indexOf(s)
            if (i >= 0 && (first < 0 || i < first)) first = i
          }
          const out = run(stops, pieces)
          expect(out.text).toBe(first < 0 ? whole : whole.slice(0, first))
          expect(out.stop !== undefined).toBe(first >= 0)
          // Nothing is held longer than needed: a release never trails the text by a whole stop string.
          const longest = Math.max(0, ...stops.map((s) => s.length))
          let released = 0
          let seen = 0
          for (let i = 0; i < pieces.length && out.stop === undefined; i++) {
            released += out.releases[i].length
            seen += pieces[i].length
            expect(seen - released).toBeLessThan(Math.max(1, longest))
          }
        },
      ),
      { numRuns: 500 },
    )
  })
})
