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
