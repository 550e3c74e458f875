/**
 * @module core/dataset/verl
 * The rows of the paper's verl parquet files (paper-tasks.md §9.1), as plain objects. Field order
 * follows the reference scripts, which is the column order their parquet files have:
 *
 * - Sokoban RL (`create_dataset.py` / `create_diverse_dataset.py`): `data_source`, `prompt` (a
 *   list with one user message holding the whole chat string), `ability` = "bfs",
 *   `reward_model` = {style: "rule", ground_truth: [move codes]}, `extra_info` = {split, index},
 *   `id` = "train_i".
 * - Sokoban SFT (`create_mixed_dataset.py` and its ultra-mixed sibling): `data_source`, `prompt`
 *   as a plain string, `response`, `ability`, `reward_model`, `extra_info`.
 * - General Points SFT (`create_training_dataset.py`, `create_test_dataset.py`): `data_source`,
 *   `question`, `answer`, `extra_info` = {index, cards, display_cards, solution (every solver
 *   solution), target, face_card_mapping}.
 * - General Points RL / test: `data_source`, `question` as a list of one user message,
 *   `extra_info` as in the SFT row.
 *
 * Integers are JavaScript numbers here; the parquet writer stores `ground_truth`, `index`,
 * `display_cards` and `target` as INT64, as the reference's files do.
 */

/** One chat message. */
export interface ChatMessage {
  readonly role: string
  readonly content: string
}

/** `reward_model` of a Sokoban row: the move codes 1-4 (Up, Down, Left, Right) to reproduce. */
export interface SokobanRewardModel {
  readonly style: string
  readonly ground_truth: readonly number[]
}

/** `extra_info` of a Sokoban row. */
export interface SokobanExtraInfo {
  readonly split: string
  readonly index: number
}

/** A Sokoban RL row (verl `RLHFDataset`). */
export interface SokobanRlRow {
  readonly data_source: string
  readonly prompt: readonly ChatMessage[]
  readonly ability: string
  readonly reward_model: SokobanRewardModel
  readonly extra_info: SokobanExtraInfo
  readonly id: string
}

/** A Sokoban SFT row (verl `SFTDataset`: prompt string, response string, loss on the response). */
export interface SokobanSftRow {
  readonly data_source: string
  readonly prompt: string
  readonly response: string
  readonly ability: string
  readonly reward_model: SokobanRewardModel
  readonly extra_info: SokobanExtraInfo
}

/** `extra_info` of a General Points row. */
export interface GpExtraInfo {
  readonly index: number
  /** Card strings as the prompt shows them. */
  readonly cards: readonly string[]
  /** The values the verifier requires, one per card. */
  readonly display_cards: readonly number[]
  /** The solver's solutions (the reference stores every one it listed). */
  readonly solution: readonly string[]
  readonly target: number
  /** The face-card mapping's name, e.g. `all_10` or `mixed_8_9_10`. */
  readonly face_card_mapping: string
}

/** A General Points SFT row. */
export interface GpSftRow {
  readonly data_source: string
  readonly question: string
  readonly answer: string
  readonly extra_info: GpExtraInfo
}

/** A General Points RL / test row. */
export interface GpRlRow {
  readonly data_source: string
  readonly question: readonly ChatMessage[]
  readonly extra_info: GpExtraInfo
}

/** Which verl layout a file uses. */
export type VerlLayout = 'sokoban-rl' | 'sokoban-sft' | 'gp-sft' | 'gp-rl'

/** Every layout, for option parsing and messages. */
export const VERL_LAYOUTS: readonly VerlLayout[] = Object.freeze(['sokoban-rl', 'sokoban-sft', 'gp-sft', 'gp-rl'])

/** The row type of each layout. */
export interface VerlRowOf {
  'sokoban-rl': SokobanRlRow
  'sokoban-sft': SokobanSftRow
  'gp-sft': GpSftRow
  'gp-rl': GpRlRow
}

/** Any verl row. */
export type VerlRow = VerlRowOf[VerlLayout]
