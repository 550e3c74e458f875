/**
 * @module core/prompt/paper-templates
 * The paper's prompt templates as Jinja sources (paper-tasks.md §7). These constants are the single
 * source: `samples/templates/<name>.jinja` are copies for users to open and edit, and a test keeps
 * each file equal to its constant byte for byte. They live in code so that pure core (and later the
 * browser) can render the paper's prompts without reading files.
 *
 * Rendering keeps a template's final newline (see `compileTemplate`), so each source ends exactly as
 * the paper's string does: the Sokoban bodies end without a newline, `gp-train` ends `}\n` and
 * `gp-test` ends `}\n\n`.
 */

// Shared by the three Sokoban bodies (§7.1): everything up to the last line.
const SOKOBAN_BODY =
  'You are a Sokoban solver.\n\nSokoban Quick Guide\nGoal: Push all boxes (X) onto targets (O).\n\n' +
  'Symbols:\n# Wall | _ Floor | O Target | X Box | P You | \u221A = Box on Target | S = You on Target\n\n' +
  "Rules:\n1. Push boxes (can't pull).\n2. Avoid walls (#).\n\n" +
  '{{ answers_block }}\n\n' +
  'Rewards:\nMove: -0.1\nBox on target: +1.0\nAll boxes placed: +10.0\n\n\n' +
  '[Current Observation]:\n{{ board }}\n'

/**
 * `sokoban-single-action`: the dataset template (`INSTRUCTION_TEMPLATE_SINGLE_ACTION`), ending
 * `Decide the next action:` with no trailing backslash or newline (§7.1).
 */
export const SOKOBAN_SINGLE_ACTION_TEMPLATE = `${SOKOBAN_BODY}Decide the next action:`

/** `sokoban-multi-action`: ends `Decide the next {len_horizon} actions:` (§7.1; unused by the paper). */
export const SOKOBAN_MULTI_ACTION_TEMPLATE = `${SOKOBAN_BODY}Decide the next {{ len_horizon }} actions:`

/**
 * `sokoban-eval`: the evaluation env's template, whose last line keeps the stray trailing backslash
 * `Decide the next action:\` (§7.1, §10 item 9, §11.2).
 */
export const SOKOBAN_EVAL_TEMPLATE = `${SOKOBAN_BODY}Decide the next action:\\`

// The General Points body (§7.4); `{{ cards }}` prints Python's list repr, e.g. ['2', 'K'].
const GP_BODY =
  '\n[Task Description]\n' +
  'You are an expert {{ target_number }} points card game player. ' +
  'You will receive a set of {{ num_cards }} cards.\n' +
  'Note that {{ face_card_msg }}, and each card must be used once.\n' +
  'Your goal is to output a formula that evaluates to {{ target_number }} using numbers from the cards and ' +
  "operators such as '+', '-', '*', '/', '(', ')', and '='.\n" +
  '\n[Input]\nCards: {{ cards }}\n' +
  '\n[Output]\n{\n' +
  '  "cards": [x, y, z, w], where {{ face_card_msg }},\n' +
  '  "number": [a, b, c, d], where a, b, c, and d are the numbers on the cards,\n' +
  "  \"formula\": 'an equation that equals {{ target_number }}',\n" +
  '}\n'

/** `gp-train`: `create_training_dataset.py::TASK_TEMPLATE`, ending `}\n` (§7.4, §10 item 26). */
export const GP_TRAIN_TEMPLATE = GP_BODY

/** `gp-test`: `create_test_dataset.py`, starting with a newline and ending `}\n\n` (§7.4). */
export const GP_TEST_TEMPLATE = `${GP_BODY}\n`

/**
 * `qwen-instruct`: the raw chat string of all training data and of evaluation (§7.3). Note the
 * space before `<|im_end|>` and the open `<think>`.
 */
export const QWEN_INSTRUCT_WRAPPER =
  '<|im_start|>user\n{{ prompt }}\n' +
  'Always output: <think> [Your thoughts] </think> <answer> [your answer] </answer> ' +
  'with no extra text. Strictly follow this format. <|im_end|>\n<|im_start|>assistant\n<think>'

/** `qwen-instruct-answer-only`: defined in `create_dataset.py`, not used by the final pipeline (§7.3). */
export const QWEN_INSTRUCT_ANSWER_ONLY_WRAPPER =
  '<|im_start|>user\n{{ prompt }}\nAlways output: <answer> [your answer] </answer> with no extra text. ' +
  'Strictly follow this format. <|im_end|>\n<|im_start|>assistant\n<answer>'

/**
 * `base`: the wrapper for base models in `create_dataset.py` (§7.3 elides its middle; this is the
 * full public text of `debunk_sft/utils/dataset/sokoban/create_dataset.py`). Not used by the final
 * pipeline. Note `Assistant: ` ends with a space before the newline.
 */
export const BASE_WRAPPER =
  'A conversation between User and Assistant. The user asks a question, and the Assistant solves it. ' +
  'The assistant first thinks briefly about the reasoning process in the mind and then provides the user with ' +
  'the answer.\nUser: {{ prompt }}\nShow your work in <think> </think> tags. And return the final answer in ' +
  '<answer> </answer> tags, for example <think> [Thoughts] </think> <answer> 1 </answer>\nAssistant: \n<think>'

/**
 * `sokoban-target`: the answer-only training response after a prompt that ends with `<think>`: an
 * empty think block, then the answer (`qwen_response_template`, §8).
 */
export const SOKOBAN_TARGET_TEMPLATE = '</think> <answer> {{ optimal_action }} </answer>\n'

/**
 * `sokoban-target-answer-only`: the response for prompts ending `<answer>`
 * (`qwen_response_template_answer_only`). `create_sft_dataset.py` uses it for every row whatever
 * its flag says, because a later line overwrites the if/else (§8, §10 item 24).
 */
export const SOKOBAN_TARGET_ANSWER_ONLY_TEMPLATE = '{{ optimal_action }} </answer>\n'

/** The task or role of a library template. */
export type TemplateTask = 'sokoban' | 'gp' | 'chat'

/** One of the paper's templates, with where it comes from. */
export interface PaperTemplate {
  readonly name: string
  readonly task: TemplateTask
  readonly description: string
  readonly provenance: string
  readonly source: string
}

// The paper's public code repository, where each template's text comes from.
const REPO = 'XiaofengLin7/debunking-sft-generalization'
const SOKOBAN_DATA = `${REPO}: debunk_sft/utils/dataset/sokoban`

/** The paper's templates by library name (the names of `samples/templates/library.json`). */
export const PAPER_TEMPLATES: readonly PaperTemplate[] = Object.freeze([
  {
    name: 'sokoban-single-action',
    task: 'sokoban',
    description: 'Sokoban training prompt: the body, ending "Decide the next action:".',
    provenance: `${REPO}: create_diverse_dataset.py INSTRUCTION_TEMPLATE_SINGLE_ACTION, ` +
      'debunk_sft/env/utils/prompts.py (spec §7.1)',
    source: SOKOBAN_SINGLE_ACTION_TEMPLATE,
  },
  {
    name: 'sokoban-multi-action',
    task: 'sokoban',
    description: 'Sokoban body asking for len_horizon actions (defined by the paper, unused: horizon 1).',
    provenance: `${SOKOBAN_DATA}/create_dataset.py INSTRUCTION_TEMPLATE (spec §7.1)`,
    source: SOKOBAN_MULTI_ACTION_TEMPLATE,
  },
  {
    name: 'sokoban-eval',
    task: 'sokoban',
    description: 'Sokoban evaluation prompt, with the stray trailing backslash of the eval env.',
    provenance: `${REPO}: debunk_sft/env/sokoban/env.py BASE_INSTRUCTION (spec §7.1, §11.2)`,
    source: SOKOBAN_EVAL_TEMPLATE,
  },
  {
    name: 'gp-train',
    task: 'gp',
    description: 'General Points training question (ends "}" and one newline).',
    provenance: `${REPO}: debunk_sft/utils/dataset/gp_l/create_training_dataset.py TASK_TEMPLATE (spec §7.4)`,
    source: GP_TRAIN_TEMPLATE,
  },
  {
    name: 'gp-test',
    task: 'gp',
    description: 'General Points test question (ends "}" and a blank line).',
    provenance: `${REPO}: debunk_sft/utils/dataset/gp_l/create_test_dataset.py (spec §7.4)`,
    source: GP_TEST_TEMPLATE,
  },
  {
    name: 'sokoban-target',
    task: 'sokoban',
    description: 'Sokoban training response for prompts ending <think>: "</think> <answer> Up </answer>".',
    provenance: `${SOKOBAN_DATA}/create_mixed_dataset.py qwen_response_template (spec §8)`,
    source: SOKOBAN_TARGET_TEMPLATE,
  },
  {
    name: 'sokoban-target-answer-only',
    task: 'sokoban',
    description: 'Sokoban training response for prompts ending <answer>: "Up </answer>".',
    provenance: `${SOKOBAN_DATA}/create_sft_dataset.py qwen_response_template_answer_only ` +
      '(spec §8, §10 item 24)',
    source: SOKOBAN_TARGET_ANSWER_ONLY_TEMPLATE,
  },
  {
    name: 'qwen-instruct',
    task: 'chat',
    description: 'Raw Qwen chat string used for all Sokoban training data and evaluation; ends with an open <think>.',
    provenance: `${SOKOBAN_DATA}/create_dataset.py templates['qwen-instruct'] (spec §7.3)`,
    source: QWEN_INSTRUCT_WRAPPER,
  },
  {
    name: 'qwen-instruct-answer-only',
    task: 'chat',
    description: 'Raw Qwen chat string asking for the answer only; ends with an open <answer>.',
    provenance: `${SOKOBAN_DATA}/create_dataset.py templates['qwen-instruct-answer-only'] ` +
      '(spec §7.3)',
    source: QWEN_INSTRUCT_ANSWER_ONLY_WRAPPER,
  },
  {
    name: 'base',
    task: 'chat',
    description: 'Plain-text conversation wrapper for base models; ends with an open <think>.',
    provenance: `${SOKOBAN_DATA}/create_dataset.py templates['base'] ` +
      '(spec §7.3 elides its middle)',
    source: BASE_WRAPPER,
  },
] satisfies PaperTemplate[])
