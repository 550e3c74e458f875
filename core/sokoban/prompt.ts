/**
 * @module core/sokoban/prompt
 * The paper's Sokoban prompts, byte for byte (paper-tasks.md §7.1-§7.3): the instruction body
 * with its Answers block and text grid, and the `qwen-instruct` chat string it is wrapped in.
 *
 * Two endings exist. The evaluation env's template ends `Decide the next action:\` with a
 * literal backslash; the dataset templates end `Decide the next action:` because there the
 * backslash-newline was a line continuation. Models are trained on one and evaluated on the
 * other (§11.2), so both are kept.
 */
import type { Level, SokobanState } from './level.ts'
import { renderPaperGrid } from './text.ts'
import { answersBlock, BASE_VOCABULARY, type ActionVocabulary } from './vocab.ts'

/** The body up to the Answers block (§7.1). */
const SOKOBAN_BODY_HEAD =
  'You are a Sokoban solver.\n\nSokoban Quick Guide\nGoal: Push all boxes (X) onto targets (O).\n\n' +
  'Symbols:\n# Wall | _ Floor | O Target | X Box | P You | √ = Box on Target | S = You on Target\n\n' +
  "Rules:\n1. Push boxes (can't pull).\n2. Avoid walls (#).\n\n"

/** The body between the Answers block and the grid (§7.1). */
const SOKOBAN_BODY_MIDDLE =
  '\n\nRewards:\nMove: -0.1\nBox on target: +1.0\nAll boxes placed: +10.0\n\n\n[Current Observation]:\n'

/** The dataset (training) ending: `\nDecide the next action:`. */
export const SOKOBAN_TRAIN_ENDING = '\nDecide the next action:'

/** The evaluation env's ending, with the stray trailing backslash (§7.1, §11.2). */
export const SOKOBAN_EVAL_ENDING = '\nDecide the next action:\\'

/**
 * The `qwen-instruct` wrapper used for all training data and for evaluation (§7.3). Note the
 * space before `<|im_end|>` and the open `<think>` the model continues from.
 */
export const QWEN_INSTRUCT_TEMPLATE =
  '<|im_start|>user\n{prompt}\nAlways output: <think> [Your thoughts] </think> <answer> [your answer] </answer> ' +
  'with no extra text. Strictly follow this format. <|im_end|>\n<|im_start|>assistant\n<think>'

/** Which ending a prompt body gets. */
export type SokobanPromptForm = 'eval' | 'train'

/**
 * The instruction body for a rendered grid (§7.1). The Answers block sits between two blank-line
 * separators, so the empty variant (`shown` null) leaves `2. Avoid walls (#).\n\n\n\nRewards:`,
 * as the evaluation env does (§7.2).
 */
export function sokobanPromptBody(grid: string, shown: ActionVocabulary | null, form: SokobanPromptForm): string {
  const ending = form === 'eval' ? SOKOBAN_EVAL_ENDING : SOKOBAN_TRAIN_ENDING
  return SOKOBAN_BODY_HEAD + answersBlock(shown) + SOKOBAN_BODY_MIDDLE + grid + ending
}

/** Wraps a prompt in the `qwen-instruct` chat string (§7.3). */
export function wrapQwenInstruct(prompt: string): string {
  const at = QWEN_INSTRUCT_TEMPLATE.indexOf('{prompt}')
  return QWEN_INSTRUCT_TEMPLATE.slice(0, at) + prompt + QWEN_INSTRUCT_TEMPLATE.slice(at + '{prompt}'.length)
}

/**
 * The paper's evaluation prompt for a position: the body with the stray backslash, the paper's
 * text grid and the `qwen-instruct` wrapper, ending `<|im_start|>assistant\n<think>` (§5.1).
 */
export function paperEvalPrompt(
  level: Level,
  state: SokobanState,
  shown: ActionVocabulary | null = BASE_VOCABULARY,
): string {
  return wrapQwenInstruct(sokobanPromptBody(renderPaperGrid(level, state), shown, 'eval'))
}

/** The paper's training-data prompt for a position: as `paperEvalPrompt`, without the backslash. */
export function paperTrainPrompt(
  level: Level,
  state: SokobanState,
  shown: ActionVocabulary | null = BASE_VOCABULARY,
): string {
  return wrapQwenInstruct(sokobanPromptBody(renderPaperGrid(level, state), shown, 'train'))
}
