/**
 * @module core/prompt/vars
 * Builders of the template variables of `SOKOBAN_TEMPLATE_SCHEMA` and `GP_TEMPLATE_SCHEMA` from a
 * position or a hand, so that every caller fills them the same way.
 */
import type { Direction } from '../sokoban/directions.ts'
import type { Level, SokobanState } from '../sokoban/level.ts'
import { PAPER_LAYOUT, PAPER_SYMBOLS, renderGrid, renderPaperGrid } from '../sokoban/text.ts'
import type { GridLayout, SymbolSet } from '../sokoban/text.ts'
import { answersBlock, BASE_VOCABULARY, type ActionVocabulary } from '../sokoban/vocab.ts'
import { serializeXsb } from '../sokoban/xsb.ts'

/** What a Sokoban prompt shows. */
export interface SokobanVarsInput {
  readonly level: Level
  /** The position to show (default the level's start). */
  readonly state?: SokobanState
  /** The shown vocabulary; null shows no Answers block (the paper's empty variant). */
  readonly shown: ActionVocabulary | null
  /** The vocabulary the scorer accepts, in which training targets are written (default Up/Down/Left/Right). */
  readonly accepted?: ActionVocabulary
  /** Symbols of `board` (default the paper's) and their layout (default the paper's when symbols are the paper's). */
  readonly symbols?: SymbolSet
  readonly layout?: GridLayout
  /**
   * Whitespace after the Answers block: `env` (the evaluation env and the diverse data) or
   * `mixed-dataset`, whose block replacement adds one blank line (§7.2, §10 item 25).
   */
  readonly answersStyle?: 'env' | 'mixed-dataset'
  readonly lenHorizon?: number
  /** A shortest plan from `state` (training targets). */
  readonly optimalPlan?: readonly Direction[]
  readonly cot?: string
}

/**
 * The legend line for a symbol set, in the paper's wording. For the paper's symbols it is the
 * paper's line: `# Wall | _ Floor | O Target | X Box | P You | √ = Box on Target | S = You on Target`.
 */
export function sokobanLegend(symbols: SymbolSet): string {
  const s = symbols
  return (
    `${s.wall} Wall | ${s.floor} Floor | ${s.goal} Target | ${s.box} Box | ${s.player} You | ` +
    `${s.boxOnGoal} = Box on Target | ${s.playerOnGoal} = You on Target`
  )
}

function answersBlockFor(shown: ActionVocabulary | null, style: 'env' | 'mixed-dataset'): string {
  if (style === 'env') return answersBlock(shown)
  if (shown === null) {
    // create_mixed_dataset.py deletes the section together with one blank line, which a template
    // built around `answers_block` cannot express; the paper's mixed data never uses it.
    throw new Error(
      'answersStyle "mixed-dataset" needs a shown vocabulary: that script removes the whole Answers section ' +
        'for the empty variant. Use answersStyle "env" for an empty Answers block.',
    )
  }
  return `${answersBlock(shown)}\n`
}

/** The Sokoban template variables for a position (absent inputs leave their variables absent). */
export function sokobanTemplateVars(input: SokobanVarsInput): Record<string, unknown> {
  const { level, shown } = input
  const state = input.state ?? level.start
  const symbols = input.symbols ?? PAPER_SYMBOLS
  const layout = input.layout ?? (symbols === PAPER_SYMBOLS ? PAPER_LAYOUT : undefined)
  const accepted = input.accepted ?? BASE_VOCABULARY
  const vars: Record<string, unknown> = {
    board: renderGrid(level, state, symbols, layout),
    board_paper: renderPaperGrid(level, state),
    board_xsb: serializeXsb(level, state),
    legend: sokobanLegend(symbols),
    action_names: shown === null ? [] : [...shown.names],
    answers_block: answersBlockFor(shown, input.answersStyle ?? 'env'),
    rows: level.rows,
    cols: level.cols,
    num_boxes: state.boxes.length,
  }
  if (input.lenHorizon !== undefined) vars.len_horizon = input.lenHorizon
  if (input.optimalPlan !== undefined) {
    const plan = input.optimalPlan.map((d) => accepted.names[d - 1])
    vars.optimal_plan = plan
    if (plan.length > 0) vars.optimal_action = plan[0]
  }
  if (input.cot !== undefined) vars.cot = input.cot
  return vars
}

/** What a General Points prompt shows. */
export interface GpVarsInput {
  readonly cards: readonly string[]
  /** The face-card sentence of the shown rule (`faceCardMessage`). */
  readonly faceCardMsg: string
  readonly target?: number
  readonly displayCards?: readonly number[]
  readonly solution?: string
  readonly answer?: string
  readonly cot?: string
}

/** The General Points template variables for a hand (absent inputs leave their variables absent). */
export function gpTemplateVars(input: GpVarsInput): Record<string, unknown> {
  const vars: Record<string, unknown> = {
    cards: [...input.cards],
    face_card_msg: input.faceCardMsg,
    target_number: input.target ?? 24,
    num_cards: input.cards.length,
  }
  if (input.displayCards !== undefined) vars.display_cards = [...input.displayCards]
  if (input.solution !== undefined) vars.solution = input.solution
  if (input.answer !== undefined) vars.answer = input.answer
  if (input.cot !== undefined) vars.cot = input.cot
  return vars
}
