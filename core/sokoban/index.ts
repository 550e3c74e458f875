/**
 * @module core/sokoban
 * The Sokoban engine's public door: named re-exports only.
 */
export {
  WALL,
  FLOOR,
  GOAL,
  VOID,
  rowOf,
  colOf,
  cellAt,
  goalsOf,
  isSolved,
  boxesOnGoals,
  sameState,
  sortedBoxes,
} from './level.ts'
export type { FixedCell, SokobanState, Level } from './level.ts'
export {
  UP,
  DOWN,
  LEFT,
  RIGHT,
  DIRECTIONS,
  ROW_DELTA,
  COL_DELTA,
  LURD,
  DIRECTION_NAMES,
  cellDelta,
  opposite,
} from './directions.ts'
export type { Direction } from './directions.ts'
export { applyMove } from './rules.ts'
export type { MoveOutcome } from './rules.ts'
export { LevelParseError, parseXsb, parseXsbLevel, serializeXsb, serializeXsbFile } from './xsb.ts'
export type { XsbWriteOptions } from './xsb.ts'
export {
  XSB_SYMBOLS,
  PAPER_SYMBOLS,
  REASONING_GYM_SYMBOLS,
  PAPER_LAYOUT,
  validateSymbolSet,
  renderGrid,
  renderPaperGrid,
  parseGrid,
  parsePaperGrid,
} from './text.ts'
export type { SymbolSet, GridLayout } from './text.ts'
export {
  PAPER_ENV_CONFIG,
  STEP_PENALTY,
  BOX_ON_GOAL_REWARD,
  BOX_OFF_GOAL_PENALTY,
  SOLVED_REWARD,
  validateEnvConfig,
  initialState,
  isFinished,
  stepReward,
  observe,
  step,
  SokobanEnv,
} from './env.ts'
export type {
  SokobanEnvConfig,
  EnvState,
  SokobanObservation,
  StepInfo,
  StepResult,
  ResetInfo,
  ResetResult,
} from './env.ts'
export {
  DEFAULT_SEARCH_DEPTH,
  DEFAULT_STATE_BUDGET,
  DEFAULT_MAX_ATTEMPTS,
  DEFAULT_CANDIDATES,
  DEFAULT_SOLVER_STATE_BUDGET,
  GenerationError,
  defaultWalkSteps,
  validateGeneratorConfig,
  generateLevel,
  generateLevels,
} from './generate.ts'
export type { GeneratorConfig, ResolvedGeneratorConfig, GeneratedLevel, RejectReason, SwapCounting } from './generate.ts'
export {
  PAPER_MAX_DEPTH,
  BFS_DEFAULT_MAX_STATES,
  SOLVE_DEFAULT_MAX_NODES,
  optimalNextMove,
  paperLabels,
  solveBfs,
  solve,
  toLurd,
  parseLurd,
} from './solve/index.ts'
export type { BfsOptions, BfsResult, SolveOptions, SolveResult, SolveStats } from './solve/index.ts'
export {
  BASE_VOCABULARY,
  CARDINAL_VOCABULARY,
  EMOJI_VOCABULARY,
  NUMERICAL_VOCABULARY,
  ALPHABETICAL_VOCABULARY,
  RANDOM_VOCABULARY,
  PAPER_ENV_TYPE_VOCABULARIES,
  PAPER_EVAL_TAGS,
  PAPER_FINAL_EVAL_TAGS,
  SPECIAL_STRINGS,
  paperEvalTag,
  vocabularyErrors,
  vocabularyWarnings,
  defineVocabulary,
  randomWordVocabulary,
  actionName,
  directionOfName,
  answersBlock,
} from './vocab.ts'
export type { ActionVocabulary, VariantVocabulary, PaperEnvType, PaperEvalTag } from './vocab.ts'
export {
  extractEvalAnswer,
  parseEvalAnswer,
  parseTrainingReward,
  computeScoreWithActionSequence,
  parseLenientAnswer,
} from './parse-answer.ts'
export type {
  ParseFailureReason,
  ParseSuccess,
  ParseFailure,
  ParseResult,
  TrainingRewardReason,
  TrainingRewardResult,
  LenientParseOptions,
} from './parse-answer.ts'
export {
  SOKOBAN_EVAL_ENDING,
  SOKOBAN_TRAIN_ENDING,
  QWEN_INSTRUCT_TEMPLATE,
  sokobanPromptBody,
  wrapQwenInstruct,
  paperEvalPrompt,
  paperTrainPrompt,
} from './prompt.ts'
export type { SokobanPromptForm } from './prompt.ts'
export { PAPER_MAX_TURNS, PAPER_MAX_STEPS, runEpisode } from './episode.ts'
export type { EpisodeMode, PolicyContext, Policy, EpisodeOptions, TurnRecord, EpisodeEnd, EpisodeResult } from './episode.ts'
export { sokobanCot } from './cot.ts'
export type { SokobanCotOptions } from './cot.ts'
