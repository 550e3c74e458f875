/**
 * @module core/gp/deal
 * Seeded General Points deals (paper-tasks.md §6.1, environments.md §10).
 *
 * Two ways to deal:
 * - `with-replacement` (the paper and SFTvsRL): each rank uniform in 1..largestRank, duplicates
 *   unlimited. With `ood`, one card is forced into a range (`face`: 11..min(13, largest), at least
 *   one J, Q or K; `high`: 14..largest), the others are uniform, and the hand is shuffled.
 * - `deck`: a real deck (4 suits × ranks 1..largestRank; 52 cards for the default 13), dealt
 *   without replacement. `ood` forces one card from the range in the same way.
 *
 * With `requireSolvable`, a hand whose verifier values cannot make the target is redrawn, at most
 * `maxRedraws` times (the paper redraws up to 50 times). Hand i depends only on (seed, i): every
 * draw for it comes from `rngFor(seed, 'gp-deal', i)`. This is sftbench's own stream, not the
 * paper's Python `random` sequence.
 */
import { rngFor, type Rng } from '../rng/index.ts'
import { isFaceRank, rankValue, MAX_RANK, SUITS, suitColor, type Card, type Suit } from './cards.ts'
import { REGULAR, scoredRule, shownRule, type FaceRule, type RuleSetting } from './rules.ts'
import { isSolvable } from './solver.ts'

/** Which card, if any, the deal forces into an out-of-distribution range. */
export type OodMode = 'none' | 'face' | 'high'

/** How cards are drawn. */
export type DealMode = 'with-replacement' | 'deck'

/** Everything that decides a deal besides the seed and the hand index. */
export interface DealSettings {
  /** Cards per hand, 2..6. */
  readonly numCards: number
  /** The number to make; any safe integer (the paper always uses 24). */
  readonly target: number
  /** Ranks run 1..largestRank, 1..19 (13 is a standard deck). */
  readonly largestRank: number
  readonly ood: OodMode
  readonly mode: DealMode
  /** The face-card rule, or a fake rule whose shown and scored values differ. */
  readonly rule: RuleSetting
  /** Redraw until the verifier's values can make the target. */
  readonly requireSolvable: boolean
  /** Redraws allowed after the first draw before giving up with an error. */
  readonly maxRedraws: number
  /** With replacement: also draw a suit per card (a deck always has suits). */
  readonly suits: boolean
  /** SFTvsRL's `face_cards_color`: J, Q and K only in suits of this colour (implies suits). */
  readonly faceCardColor?: 'red' | 'black'
}

/** A dealt hand. */
export interface Hand {
  readonly cards: Card[]
  /** The values the verifier scores with (the scored rule's face values). */
  readonly values: number[]
  /** The values the prompt's rule gives (differs from `values` only under a fake rule). */
  readonly shownValues: number[]
  readonly target: number
  /** Draws rejected as unsolvable before this one. */
  readonly redraws: number
}

/** The paper's defaults: 4 cards, target 24, ranks 1..13, J/Q/K = 11/12/13, solvable, 50 redraws. */
export const DEFAULT_DEAL_SETTINGS: DealSettings = Object.freeze({
  numCards: 4,
  target: 24,
  largestRank: 13,
  ood: 'none',
  mode: 'with-replacement',
  rule: REGULAR,
  requireSolvable: true,
  maxRedraws: 50,
  suits: false,
})

/** Fills the defaults in and validates; throws an `Error` naming the first bad field. */
export function dealSettings(partial: Partial<DealSettings> = {}): DealSettings {
  const settings: DealSettings = { ...DEFAULT_DEAL_SETTINGS, ...partial }
  validateSettings(settings)
  return settings
}

function fail(field: string, message: string): never {
  throw new Error(`deal settings: ${field} ${message}`)
}

function validateRule(rule: FaceRule, field: string): void {
  for (const key of ['jack', 'queen', 'king'] as const) {
    if (!Number.isInteger(rule[key]) || rule[key] < 0) {
      fail(`${field}.${key}`, `must be a non-negative integer, got ${rule[key]}`)
    }
  }
}

/** Throws an `Error` naming the first invalid field of `settings`, and how to fix it. */
export function validateSettings(settings: DealSettings): void {
  const { numCards, target, largestRank, ood, mode, maxRedraws } = settings
  if (!Number.isInteger(numCards) || numCards < 2 || numCards > 6) fail('numCards', `must be 2 to 6, got ${numCards}`)
  if (!Number.isSafeInteger(target)) fail('target', `must be a safe integer, got ${target}`)
  if (!Number.isInteger(largestRank) || largestRank < 1 || largestRank > MAX_RANK) {
    fail('largestRank', `must be 1 to ${MAX_RANK}, got ${largestRank}`)
  }
  if (ood !== 'none' && ood !== 'face' && ood !== 'high') fail('ood', `must be 'none', 'face' or 'high', got ${ood}`)
  if (ood === 'face' && largestRank < 11) {
    fail('ood', `'face' needs largestRank >= 11 (a J, Q or K), got ${largestRank}`)
  }
  if (ood === 'high' && largestRank < 14) {
    fail('ood', `'high' needs largestRank >= 14 (a card above K), got ${largestRank}; use ood 'face' for J/Q/K`)
  }
  if (mode !== 'with-replacement' && mode !== 'deck') fail('mode', `must be 'with-replacement' or 'deck', got ${mode}`)
  if (!Number.isInteger(maxRedraws) || maxRedraws < 0) {
    fail('maxRedraws', `must be a non-negative integer, got ${maxRedraws}`)
  }
  validateRule(shownRule(settings.rule), 'rule.shown')
  validateRule(scoredRule(settings.rule), 'rule.scored')
  if (mode === 'deck' && deckCards(settings).length < numCards) {
    fail('numCards', `${numCards} exceeds the ${deckCards(settings).length} cards of the deck`)
  }
}

/** The forced rank range [lo, hi] of an ood mode, or null. */
function forcedRange(settings: DealSettings): [number, number] | null {
  if (settings.ood === 'face') return [11, Math.min(13, settings.largestRank)]
  if (settings.ood === 'high') return [14, settings.largestRank]
  return null
}

function suitAllowed(rank: number, suit: Suit, color: 'red' | 'black' | undefined): boolean {
  return color === undefined || !isFaceRank(rank) || suitColor(suit) === color
}

/** The deck of a deck deal: every rank 1..largestRank in every allowed suit. */
function deckCards(settings: DealSettings): Card[] {
  const cards: Card[] = []
  for (let rank = 1; rank <= settings.largestRank; rank++) {
    for (const suit of SUITS) if (suitAllowed(rank, suit, settings.faceCardColor)) cards.push({ rank, suit })
  }
  return cards
}

function drawWithReplacement(settings: DealSettings, rng: Rng, attempt: number): Card[] {
  const range = forcedRange(settings)
  const ranks: number[] = []
  const free = range === null ? settings.numCards : settings.numCards - 1
  for (let k = 0; k < free; k++) ranks.push(rng.intBetween(1, settings.largestRank))
  if (range !== null) {
    ranks.push(rng.intBetween(range[0], range[1]))
    rng.shuffle(ranks)
  }
  if (!settings.suits && settings.faceCardColor === undefined) return ranks.map((rank) => ({ rank }))
  // Suits come from a separate stream, so the ranks do not depend on whether suits are drawn.
  const suitRng = rng.fork('suits', attempt)
  const suitFor = (rank: number): Suit => suitRng.pick(SUITS.filter((s) => suitAllowed(rank, s, settings.faceCardColor)))
  return ranks.map((rank) => ({ rank, suit: suitFor(rank) }))
}

function drawFromDeck(settings: DealSettings, rng: Rng): Card[] {
  const deck = deckCards(settings)
  const range = forcedRange(settings)
  const hand: Card[] = []
  if (range !== null) {
    const eligible = deck.filter((c) => c.rank >= range[0] && c.rank <= range[1])
    const forced = rng.pick(eligible)
    hand.push(forced)
    deck.splice(deck.indexOf(forced), 1)
  }
  // Partial Fisher-Yates: the first cards of a shuffled deck, without shuffling all of it.
  while (hand.length < settings.numCards) {
    const k = rng.below(deck.length)
    hand.push(deck[k])
    deck[k] = deck[deck.length - 1]
    deck.pop()
  }
  return range === null ? hand : rng.shuffle(hand)
}

/**
 * Deals hand `index` for `seed`. Throws an `Error` when `requireSolvable` finds no solvable hand
 * within `maxRedraws` redraws; the message says whether no hand of these settings can be solved
 * (checked exhaustively when the settings allow few enough hands) or more redraws might help.
 */
export function dealHand(settings: DealSettings, seed: number, index: number): Hand {
  validateSettings(settings)
  const rng = rngFor(seed, 'gp-deal', index)
  const scored = scoredRule(settings.rule)
  const shown = shownRule(settings.rule)
  for (let attempt = 0; attempt <= settings.maxRedraws; attempt++) {
    const cards = settings.mode === 'deck' ? drawFromDeck(settings, rng) : drawWithReplacement(settings, rng, attempt)
    const values = cards.map((c) => rankValue(c.rank, scored))
    if (!settings.requireSolvable || isSolvable(values, settings.target)) {
      const shownValues = cards.map((c) => rankValue(c.rank, shown))
      return { cards, values, shownValues, target: settings.target, redraws: attempt }
    }
  }
  throw new Error(unsolvableMessage(settings, seed, index))
}

/** Largest number of rank multisets checked exhaustively to explain a failed deal. */
const EXHAUSTIVE_LIMIT = 2000

function unsolvableMessage(settings: DealSettings, seed: number, index: number): string {
  const draws = settings.maxRedraws + 1
  const what = `${settings.numCards} cards of ranks 1..${settings.largestRank}`
    + (settings.ood === 'none' ? '' : ` (ood '${settings.ood}')`)
    + ` with J/Q/K scored as ${describeRule(scoredRule(settings.rule))}`
  const anySolvable = existsSolvableHand(settings)
  if (anySolvable === false) {
    return `no hand of ${what} can make ${settings.target}: choose another target, more cards or larger ranks`
  }
  return `none of ${draws} draws of ${what} made ${settings.target} (hand ${index}, seed ${seed}): `
    + 'raise maxRedraws or relax the settings'
}

function describeRule(rule: FaceRule): string {
  return `${rule.jack}/${rule.queen}/${rule.king}`
}

/**
 * Whether any hand these settings can deal is solvable, by checking every rank multiset; null
 * when there are too many multisets to check quickly.
 */
function existsSolvableHand(settings: DealSettings): boolean | null {
  const { numCards: n, largestRank: top } = settings
  let size = 1
  for (let k = 1; k <= n; k++) size = (size * (top + k - 1)) / k
  if (size > EXHAUSTIVE_LIMIT) return null
  const range = forcedRange(settings)
  const copies = (rank: number): number => {
    if (settings.mode !== 'deck') return n
    return SUITS.filter((s) => suitAllowed(rank, s, settings.faceCardColor)).length
  }
  const scored = scoredRule(settings.rule)
  const ranks: number[] = []
  const search = (from: number): boolean => {
    if (ranks.length === n) {
      if (range !== null && !ranks.some((r) => r >= range[0] && r <= range[1])) return false
      return isSolvable(ranks.map((r) => rankValue(r, scored)), settings.target)
    }
    for (let rank = from; rank <= top; rank++) {
      const used = ranks.filter((r) => r === rank).length
      if (used >= copies(rank)) continue
      ranks.push(rank)
      const found = search(rank)
      ranks.pop()
      if (found) return true
    }
    return false
  }
  return search(1)
}
