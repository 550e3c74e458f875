/**
 * @module core/gp
 * The General Points (24-game) engine's public door: named re-exports only.
 */
export {
  ZERO,
  ONE,
  gcd,
  fromInt,
  rational,
  add,
  sub,
  mul,
  div,
  neg,
  equals,
  compare,
  isInteger,
  toNumber,
  toString,
  parseRational,
} from './rational.ts'
export type { Rational } from './rational.ts'
export {
  MAX_RANK,
  JACK,
  QUEEN,
  KING,
  SUITS,
  SUIT_SYMBOLS,
  suitColor,
  isFaceRank,
  cardString,
  cardLabel,
  parseCard,
  rankValue,
  cardValue,
} from './cards.ts'
export type { Suit, Card } from './cards.ts'
export {
  UNIFORM_RULES,
  NON_UNIFORM_RULES,
  FACE_RULES,
  ALL_10,
  REGULAR,
  TRAINING_PRESETS,
  FAKE_REGULAR,
  FAKE_ALL_5,
  MAX_FACE_VALUE,
  customFaceRule,
  parseFaceRule,
  isUniform,
  isFakeRule,
  shownRule,
  scoredRule,
  faceCardMessage,
} from './rules.ts'
export type { FaceRule, FakeRule, RuleSetting, MessageStyle } from './rules.ts'
export { DEFAULT_DEAL_SETTINGS, dealSettings, validateSettings, dealHand } from './deal.ts'
export type { OodMode, DealMode, DealSettings, Hand } from './deal.ts'
export { isSolvable, findSolution, allSolutions, canonicalSolution } from './solver.ts'
export type { SolutionTree, SolutionNode, SolutionSet } from './solver.ts'
