// Cards: the paper's card strings (paper-tasks.md §6.1), parsing with and without suits, suit
// colours (environments.md §10) and values under a face-card rule.
import { describe, expect, it } from 'vitest'
import { cardLabel, cardString, cardValue, isFaceRank, parseCard, rankValue, suitColor } from '../../../core/gp/cards.ts'
import { ALL_10, REGULAR, customFaceRule } from '../../../core/gp/rules.ts'

describe('cards', () => {
  it('[§6.1] writes 1 as A, 11/12/13 as J/Q/K and every other rank in decimal', () => {
    const strings = Array.from({ length: 19 }, (_, i) => cardString(i + 1))
    expect(strings).toEqual(['A', '2', '3', '4', '5', '6', '7', '8', '9', '10', 'J', 'Q', 'K', '14', '15', '16', '17', '18', '19'])
  })

  it('parses ranks, letters in either case and optional suits', () => {
    expect(parseCard('A')).toEqual({ rank: 1 })
    expect(parseCard('q')).toEqual({ rank: 12 })
    expect(parseCard('10')).toEqual({ rank: 10 })
    expect(parseCard('19')).toEqual({ rank: 19 })
    expect(parseCard('10h')).toEqual({ rank: 10, suit: 'H' })
    expect(parseCard('K♠')).toEqual({ rank: 13, suit: 'S' })
    expect(parseCard(' JD ')).toEqual({ rank: 11, suit: 'D' })
  })

  it('round-trips every rank and suit through its label', () => {
    for (let rank = 1; rank <= 19; rank++) {
      expect(parseCard(cardString(rank))).toEqual({ rank })
      for (const suit of ['S', 'H', 'D', 'C'] as const) {
        expect(parseCard(cardLabel({ rank, suit }))).toEqual({ rank, suit })
        expect(parseCard(cardLabel({ rank, suit }, true))).toEqual({ rank, suit })
      }
    }
  })

  it('rejects non-cards with a message that shows the accepted forms', () => {
    for (const bad of ['Z', '0', '20', '01', '', 'KK', '1.5', 'QX', '-3']) {
      expect(() => parseCard(bad), bad).toThrow(/is not a card: write a rank A, 2-19, J, Q or K/)
    }
  })

  it('[env §10] hearts and diamonds are red, spades and clubs black', () => {
    expect(['S', 'H', 'D', 'C'].map((s) => suitColor(s as 'S'))).toEqual(['black', 'red', 'red', 'black'])
  })

  it('[§6.1] values: A = 1, numerals and ranks above K as themselves, J/Q/K from the rule', () => {
    expect([1, 2, 10, 11, 12, 13, 14, 19].map((r) => rankValue(r, REGULAR))).toEqual([1, 2, 10, 11, 12, 13, 14, 19])
    expect([1, 2, 10, 11, 12, 13, 14, 19].map((r) => rankValue(r, ALL_10))).toEqual([1, 2, 10, 10, 10, 10, 14, 19])
    expect(cardValue({ rank: 12, suit: 'H' }, customFaceRule(4, 5, 6))).toBe(5)
    expect([10, 11, 12, 13, 14].map(isFaceRank)).toEqual([false, true, true, true, false])
  })
})
