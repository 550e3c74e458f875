/**
 * @module core/model
 * The model runtime's pure half: sampling parameters and sampling, stop strings, streaming
 * detokenization, the continuous-batching scheduler and the `ModelClient` contract. Named
 * re-exports only.
 */
export type { SamplingParams, SamplingParamsInput } from './params.ts'
export {
  DEFAULT_SAMPLING_PARAMS,
  MAX_TOP_LOGPROBS,
  SamplingParamsSchema,
  isGreedy,
  resolveSamplingParams,
} from './params.ts'
export type { IdLogprob, SampledToken, SamplingFilters } from './sampling.ts'
export {
  argmax,
  logSoftmax,
  logSumExp,
  sampleToken,
  samplingDistribution,
  topKIds,
  topKLogprobs,
} from './sampling.ts'
export type { StopPush } from './stop.ts'
export { StopMatcher } from './stop.ts'
export { IncrementalDecoder } from './detokenize.ts'
export type {
  AbortSignalLike,
  Clock,
  FinishReason,
  GeneratePrompt,
  GenerateEvent,
  GenerateRequest,
  GenerateResult,
  GenerateTimings,
  ModelClient,
  ModelInfo,
  ScoreRequest,
  ScoreResult,
  TokenInfo,
  TokenLogprob,
} from './client.ts'
export type { DecodeRow, DecoderBackend, PrefillRow, SharedPrefixHint, TokenCodec } from './backend.ts'
export type { SchedulerOptions, SchedulerRequest, SchedulerStats, SubmitOptions } from './scheduler.ts'
export { BatchScheduler, samplingRng } from './scheduler.ts'
export { SharedPrefixTracker, commonPrefixLength, prefixKey } from './prefix.ts'
export type { ScoringSplit } from './score.ts'
export { splitContinuation } from './score.ts'
