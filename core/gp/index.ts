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
export {
  PYTHON_MAX_PAREN_DEPTH,
  parseExpression,
  foldExpression,
  literalsOf,
  evaluateExact,
  evaluateFloat,
  printExpression,
  shapeOf,
} from './expression.ts'
export type {
  Operator,
  NumberNode,
  BinaryNode,
  Expr,
  ExpressionErrorKind,
  ExpressionError,
  ParseResult,
  ParseOptions,
  ExactEvaluationError,
  ExactEvaluation,
  FloatEvaluationError,
  FloatEvaluation,
  PrintOptions,
} from './expression.ts'
export { ratioToDouble, pyApply, pyEqualsInteger, pyRepr, pyFloatRepr } from './python-number.ts'
export type { PyInt, PyFloat, PyNumber, PyArithmeticError, PyResult } from './python-number.ts'
export {
  PYTHON_JSON_MAX_DEPTH,
  pythonJsonLoads,
  pyJsonRepr,
  extractPaperFormula,
  extractLenientFormula,
} from './json-extract.ts'
export type {
  PyJson,
  PyJsonStr,
  PyJsonInt,
  PyJsonFloat,
  PyJsonBool,
  PyJsonNone,
  PyJsonList,
  PyJsonDict,
  PyJsonError,
  PyJsonResult,
  PaperFormulaSource,
  PaperFormulaText,
  PaperFormulaNonString,
  PaperFormulaExtraction,
  LenientFormula,
} from './json-extract.ts'
export { verifyPaper, pythonDigitValue } from './verify-paper.ts'
export type { PaperReward, PaperOutcome, PaperTask, PaperCrash, PaperEvalError, PaperVerdict } from './verify-paper.ts'
export { verifyStrict } from './verify-strict.ts'
export type {
  StrictTask,
  StrictOptions,
  StrictReason,
  StrictSource,
  StrictNoFormula,
  StrictIllegalToken,
  StrictSyntax,
  StrictWrongNumbers,
  StrictDivisionByZero,
  StrictOutOfRange,
  StrictWrongValue,
  StrictCorrect,
  StrictVerdict,
} from './verify-strict.ts'
export { compareVerifiers } from './verdict.ts'
export type { GpVerifyTask, DisagreementKind, VerifierComparison } from './verdict.ts'
export { gpCot, gpAnswerJson } from './cot.ts'
export type { CotHand } from './cot.ts'
