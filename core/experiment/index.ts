/**
 * @module core/experiment
 * Experimental material: difficulties, variants, instance sets and the paper's presets, and how an
 * instance becomes a prompt, an answer-only target and a contamination key. Named re-exports only.
 */
export {
  MAX_ROOM_SIDE,
  SokobanDifficultySchema,
  GpDifficultySchema,
  DifficultySpecSchema,
  PAPER_DIFFICULTIES,
  describeDifficulty,
} from './difficulty.ts'
export type { SokobanDifficulty, GpDifficulty, DifficultySpec } from './difficulty.ts'
export { SpecError, fieldPath, parseSpec } from './schema.ts'
export {
  PAPER_VOCABULARIES,
  VocabularyRefSchema,
  TemplateRefSchema,
  ChatSpecSchema,
  RendererSchema,
  SOKOBAN_PARSERS,
  SokobanVariantSchema,
  RuleRefSchema,
  RuleSettingSchema,
  GpVariantSchema,
  VariantSpecSchema,
  parseVariantSpec,
  resolveVocabulary,
  resolveRule,
  VARIANTS,
  variantByName,
  suggestionText,
  nearNames,
} from './variant.ts'
export type {
  PaperVocabularyId,
  VocabularyRef,
  TemplateRef,
  ChatSpec,
  RendererSpec,
  RuleRef,
  RuleSettingSpec,
  SokobanVariantSpec,
  GpVariantSpec,
  VariantSpec,
} from './variant.ts'
export {
  SeedSchemeSchema,
  InstanceSetSpecSchema,
  parseInstanceSetSpec,
  instanceAt,
  instancesOf,
  oneStepRowOffset,
} from './instance-set.ts'
export type {
  SeedScheme,
  InstanceSetSpec,
  SokobanInstanceMeta,
  SokobanInstance,
  GpInstanceMeta,
  GpInstance,
  Instance,
} from './instance-set.ts'
export {
  PAPER_GP_TRAIN_BASE_SEED,
  PAPER_GP_TRAIN_TASKS_PER_MAPPING,
  PAPER_GP_TRAIN_SETTINGS,
  paperGpTrainHand,
} from './paper-gp-train.ts'
export type { PaperGpTrainSettings, PaperGpTrainHand } from './paper-gp-train.ts'
export {
  PAPER_WORD_POOL,
  PAPER_WORD_POOL_DUPLICATES,
  PAPER_WORDS_BASE_SEED,
  npChoiceWithoutReplacement,
  paperRowWords,
  paperRowVocabulary,
} from './word-pool.ts'
export {
  defaultTemplateLibrary,
  renderInstancePrompt,
  renderInstanceBody,
  variantVocabularies,
  planFrom,
  planPositions,
  gpScoredHand,
  optimalAnswer,
  optimalAnswerOrNull,
  instanceKey,
  sokobanStateKey,
} from './render.ts'
export type { RenderInstanceOptions, OptimalAnswerOptions } from './render.ts'
export { PRESETS, presetByName, describeSeedScheme } from './presets.ts'
export type { PresetRole, NonReproducibleItem, Preset } from './presets.ts'
