/**
 * @module core/paper
 * Bit-exact reproduction of the paper's evaluation data ("Debunk the Myth of SFT Generalization"):
 * the Sokoban eval levels (RAGEN's generator, seeds 123 + env index, with the salted-hash retry path
 * under PYTHONHASHSEED=0) and the General Points test hands (`create_test_dataset.py`, seeds
 * 42 + task index, with the reference's own enumerator). It ports the reference's random number
 * generators (MT19937 as CPython `random` and numpy's legacy `RandomState` use it, CPython 3.11's
 * str hash) and algorithms draw for draw; see paper-rng.md. sftbench's own generators live in
 * `core/sokoban` and `core/gp` and use `core/rng`.
 */
export { Mt19937 } from './mt19937.ts'
export { PyRandom, pySeedKey } from './py-random.ts'
export { NpRandomState } from './np-random.ts'
export { pythonStrHash, retrySeed, siphash13 } from './siphash13.ts'
export {
  REVERSE_PLAY_STATE_CAP,
  defaultNumSteps,
  generateRoom,
  ragenReset,
  roomToLevel,
} from './ragen-generate.ts'
export type { RagenAttempt, RagenFailure, RagenLevel, RagenRoom, RagenRoomParams } from './ragen-generate.ts'
export {
  PAPER_EVAL_BASE_SEED,
  PAPER_EVAL_LEVELS_PER_TAG,
  PAPER_SOKOBAN_TAG_LISTS,
  paperBfsLabels,
  paperSokobanLevel,
  paperSokobanSeed,
  paperSokobanTagLevels,
} from './paper-sokoban.ts'
export type { PaperSokobanLevel, PaperSokobanTagList } from './paper-sokoban.ts'
export {
  PAPER_SOLVER_MAX_CARDS,
  PAPER_SOLVER_MIN_CARDS,
  distinctSortedPermutations,
  paperBracketPatterns,
  paperSolveGame,
  paperTemplateTokens,
} from './solve-game.ts'
export {
  PAPER_GP_BASE_SEED,
  PAPER_GP_MAX_REDRAWS,
  PAPER_GP_SPLITS,
  PAPER_GP_TARGET,
  PAPER_GP_TASKS_PER_SPLIT,
  paperGpAnswer,
  paperGpHand,
  paperGpQuestion,
  paperGpSplit,
  paperGpSplitHands,
} from './paper-gp.ts'
export type { PaperGpHand, PaperGpSplit, PaperGpSplitSpec } from './paper-gp.ts'
