/**
 * @module core/eval
 * The evaluation engine's public door: sweep specs, cells, the runner, protocols, metrics, the
 * generation cache and scripted clients. Named re-exports only.
 */
export { RESULT_FORMAT_VERSION } from './types.ts'
export type {
  CellRef,
  SokobanFailure,
  GpFailure,
  RunFailure,
  FailureKind,
  StoredTurn,
  SokobanOutcome,
  GpOutcome,
  CellTiming,
  CellResult,
  Interval,
  Aggregate,
  SweepEvent,
} from './types.ts'
export {
  SWEEP_SPEC_VERSION,
  ONNX_PROVIDERS,
  OnnxBackendSchema,
  OpenAiBackendSchema,
  ModelBackendSchema,
  ModelSpecSchema,
  DifficultyEntrySchema,
  ProtocolSchema,
  PAPER_PROTOCOL,
  DEFAULT_GP_RULE,
  SweepSpecSchema,
  parseSweepSpec,
  variantOf,
  variantName,
  sweepVariants,
  sweepInstanceSet,
  difficultyValue,
  sweepProtocol,
} from './spec.ts'
export type {
  OnnxBackendSpec,
  OpenAiBackendSpec,
  ModelBackendSpec,
  ModelSpec,
  DifficultyEntry,
  ProtocolSpec,
  SweepSpec,
} from './spec.ts'
export { cellKey, cellSeed, turnSeed, countCells, cellsOf, cellRef, cellProblem, belongsToSweep } from './cells.ts'
export { runSweep } from './runner.ts'
export type { RunSink, SweepDeps, SweepOutcome } from './runner.ts'
export {
  AggregateTracker,
  ExactSum,
  aggregateResults,
  sokobanFailure,
  paperFailure,
  strictFailure,
  strictReward,
} from './metrics.ts'
export type { SokobanEpisodeFacts } from './metrics.ts'
export { canonicalJson, generationKey, servedFromCache, CachingModelClient } from './cache.ts'
export type { GenerationCache, ModelIdentity, GenerationKeyParts } from './cache.ts'
export { Z95, wilsonInterval, mcnemarExact, flipTable } from './stats.ts'
export type { FlipTable } from './stats.ts'
export { SokobanPrompter } from './prompts.ts'
export type { SokobanPromptRenderer } from './prompts.ts'
export { SokobanLevelFacts, positionKey, runSokobanCell } from './sokoban-protocol.ts'
export type { SokobanCellInput } from './sokoban-protocol.ts'
export { runGpCell, scoredValues } from './gp-protocol.ts'
export type { GpCellInput } from './gp-protocol.ts'
export type { TurnPrompt, TurnGeneration, GenerateTurn, TurnListener, CellOutcome } from './turns.ts'
export { oracleClient, randomClient, formatBreakerClient } from './scripted.ts'
export type { OracleOptions } from './scripted.ts'
