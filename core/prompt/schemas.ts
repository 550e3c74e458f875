/**
 * @module core/prompt/schemas
 * The variables a prompt template of each task may use, with their types and meaning. A template
 * that names anything else fails to compile, so a misspelt variable is caught before any prompt is
 * rendered. Names follow the paper's format strings where it has one (`target_number`,
 * `num_cards`, `face_card_msg`, `cards`, `len_horizon`; paper-tasks.md §7).
 */

/** The value types a template variable can have. `object` is any JSON object. */
export type VariableType = 'string' | 'number' | 'boolean' | 'string[]' | 'number[]' | 'object'

/** One variable a template may use. */
export interface TemplateVariable {
  readonly name: string
  readonly type: VariableType
  readonly doc: string
  readonly example?: unknown
}

/** The variables of one task's templates (`chat` for the wrappers around a finished prompt). */
export interface TaskTemplateSchema {
  readonly task: 'sokoban' | 'gp' | 'chat'
  readonly variables: readonly TemplateVariable[]
}

function variable(name: string, type: VariableType, doc: string, example?: unknown): TemplateVariable {
  return Object.freeze(example === undefined ? { name, type, doc } : { name, type, doc, example })
}

const PAPER_GRID_EXAMPLE = ' # \t # \t # \t # \t\n # \t P \t X \t O \t\n # \t # \t # \t # \t'

/** Sokoban prompt variables (paper-tasks.md §3.1, §3.3, §7.1, §7.2, §8). */
export const SOKOBAN_TEMPLATE_SCHEMA: TaskTemplateSchema = Object.freeze({
  task: 'sokoban',
  variables: Object.freeze([
    variable(
      'board',
      'string',
      "The current position in the variant's renderer (the paper's text grid unless the variant picks other " +
        'symbols), no trailing newline.',
      PAPER_GRID_EXAMPLE,
    ),
    variable(
      'board_paper',
      'string',
      'The current position as the paper\'s text grid: cells " # \\t", rows joined by "\\n" (§3.1).',
      PAPER_GRID_EXAMPLE,
    ),
    variable(
      'board_xsb',
      'string',
      'The current position in XSB (# wall, space floor, . goal, $ box, @ player).',
      '####\n#@$.\n####',
    ),
    variable(
      'legend',
      'string',
      "One line naming each symbol of the variant's renderer, in the paper's wording for the paper symbols.",
      '# Wall | _ Floor | O Target | X Box | P You | √ = Box on Target | S = You on Target',
    ),
    variable('action_names', 'string[]', 'The shown names of the four moves, in the order Up, Down, Left, Right.', [
      'Up',
      'Down',
      'Left',
      'Right',
    ]),
    variable(
      'answers_block',
      'string',
      'The Answers block of the shown vocabulary, no trailing newline; empty when the variant shows none ' +
        '(§3.3, §7.2).',
      'Answers:\n<answer> Up </answer> | <answer> Down </answer> | <answer> Left </answer> | ' +
        '<answer> Right </answer>',
    ),
    variable('len_horizon', 'number', 'How many actions the multi-action template asks for (the paper uses 1).', 1),
    variable('rows', 'number', 'Rows of the room.', 6),
    variable('cols', 'number', 'Columns of the room.', 6),
    variable('num_boxes', 'number', 'Number of boxes.', 1),
    variable(
      'optimal_plan',
      'string[]',
      'A shortest plan from the current position, as shown action names (training targets).',
      ['Right', 'Right'],
    ),
    variable('optimal_action', 'string', 'The first move of `optimal_plan` (the one-step training target).', 'Right'),
    variable('cot', 'string', 'A chain-of-thought text for the position (training targets).'),
  ]),
})

/** General Points prompt variables (paper-tasks.md §6, §7.4, §8). */
export const GP_TEMPLATE_SCHEMA: TaskTemplateSchema = Object.freeze({
  task: 'gp',
  variables: Object.freeze([
    variable(
      'cards',
      'string[]',
      "The hand's card strings in prompt order; `{{ cards }}` prints Python's list repr, as the paper's prompt does.",
      ['2', 'K', '7', 'A'],
    ),
    variable('display_cards', 'number[]', 'The values the verifier requires for the cards, in the same order.', [
      2, 10, 7, 1,
    ]),
    variable(
      'face_card_msg',
      'string',
      'The face-card sentence of the shown rule (§6.2), without a final period.',
      "'J', 'Q', and 'K' all count as '10'",
    ),
    variable('target_number', 'number', 'The target value (24 in the paper).', 24),
    variable('num_cards', 'number', 'The number of cards in the hand.', 4),
    variable('solution', 'string', 'One formula that reaches the target (training targets).', '(7-2)*K'),
    variable('answer', 'string', "The answer-only target text: the reference's JSON-like answer (§8).", ''),
    variable('cot', 'string', 'A chain-of-thought text for the hand (training targets).'),
  ]),
})

/** The chat wrappers' one variable: the finished prompt body (paper-tasks.md §7.3). */
export const CHAT_WRAPPER_SCHEMA: TaskTemplateSchema = Object.freeze({
  task: 'chat',
  variables: Object.freeze([variable('prompt', 'string', 'The rendered task prompt to wrap.')]),
})

/** The schema of a task. */
export function schemaForTask(task: TaskTemplateSchema['task']): TaskTemplateSchema {
  return task === 'sokoban' ? SOKOBAN_TEMPLATE_SCHEMA : task === 'gp' ? GP_TEMPLATE_SCHEMA : CHAT_WRAPPER_SCHEMA
}
