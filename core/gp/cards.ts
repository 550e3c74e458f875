/**
 * @module core/gp/cards
 * Playing cards for General Points (paper-tasks.md §6.1, environments.md §10). A card is a rank
 * with an optional suit. Ranks 1-13 are A, 2-10, J, Q, K; the paper's harder "large" split also
 * deals ranks 14-19, which are written as numbers. A card's value is its rank, except that the
 * face cards J, Q and K take their value from a face-card rule.
 */
import type { FaceRule } from './rules.ts'

/** Suits, as letters: spades, hearts, diamonds, clubs. */
export type Suit = 'S' | 'H' | 'D' | 'C'

/** A card: a rank in 1..MAX_RANK and, in deck deals, a suit. */
export interface Card {
  readonly rank: number
  readonly suit?: Suit
}

/** The largest rank any deal uses (the paper's `gp_l_large` deals up to 19). */
export const MAX_RANK = 19
/** The face-card ranks J, Q, K. */
export const JACK = 11
export const QUEEN = 12
export const KING = 13

/** The suits in deck order. */
export const SUITS: readonly Suit[] = ['S', 'H', 'D', 'C']

/** The Unicode symbol of each suit. */
export const SUIT_SYMBOLS: Readonly<Record<Suit, string>> = { S: '♠', H: '♥', D: '♦', C: '♣' }

/** Hearts and diamonds are red; spades and clubs are black (SFTvsRL's face-card colour). */
export function suitColor(suit: Suit): 'red' | 'black' {
  return suit === 'H' || suit === 'D' ? 'red' : 'black'
}

/** True for J, Q and K. */
export function isFaceRank(rank: number): boolean {
  return rank === JACK || rank === QUEEN || rank === KING
}

/** The paper's card string: 1 → `A`, 11 → `J`, 12 → `Q`, 13 → `K`, any other rank in decimal. */
export function cardString(rank: number): string {
  switch (rank) {
    case 1: return 'A'
    case JACK: return 'J'
    case QUEEN: return 'Q'
    case KING: return 'K'
    default: return String(rank)
  }
}

/** A card with its suit letter appended when it has one: `Q`, `QH`, `10S`. */
export function cardLabel(card: Card, symbols = false): string {
  if (card.suit === undefined) return cardString(card.rank)
  return cardString(card.rank) + (symbols ? SUIT_SYMBOLS[card.suit] : card.suit)
}

const SUIT_OF_SYMBOL: Readonly<Record<string, Suit>> = {
  S: 'S', H: 'H', D: 'D', C: 'C', '♠': 'S', '♥': 'H', '♦': 'D', '♣': 'C', '♤': 'S', '♡': 'H', '♢': 'D', '♧': 'C',
}

/**
 * Parses a card: a rank (`A`, `2`..`19`, `J`, `Q`, `K`, letters in either case) optionally
 * followed by a suit (`S H D C` or `♠ ♥ ♦ ♣`), e.g. `Q`, `10h`, `K♠`. Throws an `Error` naming
 * the text and the accepted forms when it is not a card.
 */
export function parseCard(text: string): Card {
  const trimmed = text.trim()
  const m = /^(A|J|Q|K|\d{1,2})(S|H|D|C|♠|♥|♦|♣|♤|♡|♢|♧)?$/iu.exec(trimmed)
  if (m !== null) {
    const rank = rankOf(m[1].toUpperCase())
    if (rank >= 1 && rank <= MAX_RANK && !/^0/.test(m[1])) {
      return m[2] === undefined ? { rank } : { rank, suit: SUIT_OF_SYMBOL[m[2].toUpperCase()] }
    }
  }
  throw new Error(
    `"${text}" is not a card: write a rank A, 2-${MAX_RANK}, J, Q or K, optionally followed by a suit `
    + 'S, H, D, C (or ♠ ♥ ♦ ♣), e.g. "Q", "10H", "K♠"',
  )
}

function rankOf(symbol: string): number {
  switch (symbol) {
    case 'A': return 1
    case 'J': return JACK
    case 'Q': return QUEEN
    case 'K': return KING
    default: return Number(symbol)
  }
}

/** The value of a rank under a face-card rule: A = 1, numerals their rank, J/Q/K from the rule. */
export function rankValue(rank: number, rule: FaceRule): number {
  switch (rank) {
    case JACK: return rule.jack
    case QUEEN: return rule.queen
    case KING: return rule.king
    default: return rank
  }
}

/** The value of a card under a face-card rule (see `rankValue`). */
export function cardValue(card: Card, rule: FaceRule): number {
  return rankValue(card.rank, rule)
}
