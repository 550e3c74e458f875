// Expected values: paper-rng §6 for "123", "452" and the chain 452 -> 1548594421 -> 1136020095; the
// others were printed by CPython 3.11 run with PYTHONHASHSEED=0 (`hash(s)`), covering empty, short,
// exactly-one-block and longer strings and the 1-, 2- and 4-byte string kinds.
import { describe, expect, it } from 'vitest'
import { pythonStrHash, retrySeed } from '../../../core/paper/siphash13.ts'

describe('CPython 3.11 str hash under PYTHONHASHSEED=0', () => {
  it('[paper-rng §6] hash("123") = -720260156515788369 and hash("452") = 1042263516314971381', () => {
    expect(pythonStrHash('123')).toBe(-720260156515788369n)
    expect(pythonStrHash('452')).toBe(1042263516314971381n)
  })

  it('[paper-rng §6] retry seeds: 123 -> 3606947409; 452 -> 1548594421 -> 1136020095', () => {
    expect(retrySeed(123)).toBe(3606947409)
    expect(retrySeed(452)).toBe(1548594421)
    expect(retrySeed(1548594421)).toBe(1136020095)
  })

  it('matches CPython across block lengths and string kinds', () => {
    const cases: [string, bigint][] = [
      ['', 0n],
      ['a', 4644417185603328019n],
      ['0', 5313149338359954478n],
      ['-7', 1751014535502488156n],
      ['abcdefgh', 4574395652268504554n],
      ['abcdefghi', -532774252720507163n],
      ['é', 6047309291227476195n],
      ['€uro', 7542247858446192590n],
      ['😀x', -8926728262118538918n],
    ]
    for (const [s, h] of cases) expect(pythonStrHash(s), JSON.stringify(s)).toBe(h)
    expect(retrySeed(-7)).toBe(1496048220)
  })
})
