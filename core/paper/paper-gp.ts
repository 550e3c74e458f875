/**
 * @module core/paper/paper-gp
 * The paper's nine General Points test splits, rebuilt hand by hand from their seeds
 * (`create_test_dataset.py::generate_test_<split>` / `generate_task_with_mapping`; paper-rng.md §3,
 * paper-tasks.md §6.1, §6.3, §7.4). Task i of every split calls `random.seed(42 + i)` and then
 * reads CPython's global generator for the hand, the solver's permutation shuffle, every redraw of
 * an unsolvable hand, and finally `random.choice` of the stored answer-only solution.
 *
 * Card strings, face-card values and the face-card sentence come from sftbench's `core/gp`; what
 * this module adds is the reference's exact draw order and prompt text.
 */
import { PyRandom } from './py-random.ts'
import { paperSolveGame } from './solve-game.ts'
import { pyRepr } from '../prompt/python-repr.ts'
import { cardString, rankValue } from '../gp/cards.ts'
import {
  ALL_10,
  FAKE_ALL_5,
  FAKE_REGULAR,
  REGULAR,
  UNIFORM_RULES,
  faceCardMessage,
  scoredRule,
  shownRule,
} from '../gp/rules.ts'
import type { FaceRule, RuleSetting } from '../gp/rules.ts'

/** The test splits, in the order of paper-rng.md §3.1. */
export const PAPER_GP_SPLITS = [
  'gp_l_id',
  'gp_l_all_5',
  'gp_l_all_7',
  'gp_l_all_12',
  'gp_l_face_card_as_regular',
  'gp_l_large',
  'gp_l_5cards',
  'gp_l_fake',
  'gp_l_all_5_fake',
] as const

/** A test split name (its `data_source`). */
export type PaperGpSplit = (typeof PAPER_GP_SPLITS)[number]

/** The parameters `generate_test_<split>` passes to `generate_task_with_mapping`. */
export interface PaperGpSplitSpec {
  readonly split: PaperGpSplit
  readonly numCards: number
  /** Shown rule = the mapping's message; scored rule = the display values (10 for the fake splits). */
  readonly rule: RuleSetting
  /** `ood`: force one card into 11..13 (or 14..largest when largest >= 14). */
  readonly ood: boolean
  readonly largestCard: number
}

/** Tasks per split. */
export const PAPER_GP_TASKS_PER_SPLIT = 500
/** Task i is seeded with 42 + i. */
export const PAPER_GP_BASE_SEED = 42
/** The target of every test task. */
export const PAPER_GP_TARGET = 24
/** An unsolvable hand is redrawn at most this many times; the task would then be skipped. */
export const PAPER_GP_MAX_REDRAWS = 50

function uniform(value: number): FaceRule {
  const rule = UNIFORM_RULES.find((r) => r.jack === value)
  if (rule === undefined) throw new Error(`internal: no uniform face-card rule all_${value}`)
  return rule
}

function spec(
  split: PaperGpSplit,
  numCards: number,
  rule: RuleSetting,
  ood: boolean,
  largestCard: number,
): PaperGpSplitSpec {
  return Object.freeze({ split, numCards, rule, ood, largestCard })
}

const SPECS: Readonly<Record<PaperGpSplit, PaperGpSplitSpec>> = Object.freeze({
  gp_l_id: spec('gp_l_id', 4, ALL_10, true, 13),
  gp_l_all_5: spec('gp_l_all_5', 4, uniform(5), true, 13),
  gp_l_all_7: spec('gp_l_all_7', 4, uniform(7), true, 13),
  gp_l_all_12: spec('gp_l_all_12', 4, uniform(12), true, 13),
  gp_l_face_card_as_regular: spec('gp_l_face_card_as_regular', 4, REGULAR, true, 13),
  gp_l_large: spec('gp_l_large', 4, ALL_10, true, 19),
  gp_l_5cards: spec('gp_l_5cards', 5, ALL_10, false, 13),
  gp_l_fake: spec('gp_l_fake', 4, FAKE_REGULAR, true, 13),
  gp_l_all_5_fake: spec('gp_l_all_5_fake', 4, FAKE_ALL_5, true, 13),
})

/** The parameters of a split; throws with the list of splits for an unknown name. */
export function paperGpSplit(split: string): PaperGpSplitSpec {
  const found = (SPECS as Readonly<Record<string, PaperGpSplitSpec>>)[split]
  if (found === undefined) {
    throw new Error(`Unknown General Points test split "${split}". Known splits: ${PAPER_GP_SPLITS.join(', ')}.`)
  }
  return found
}

/** One test task as the reference stored it. */
export interface PaperGpHand {
  readonly split: PaperGpSplit
  readonly index: number
  /** `random.seed` value: 42 + index. */
  readonly seed: number
  /** Ranks 1-19 of the final hand, in prompt order. */
  readonly ranks: readonly number[]
  /** Card strings as shown in the prompt (`extra_info.cards`). */
  readonly cards: readonly string[]
  /** The values the verifier requires (`extra_info.display_cards`). */
  readonly displayValues: readonly number[]
  /** The full prompt text (`question`). */
  readonly question: string
  /** Every solution `solve_game` listed, in order, with duplicates (the RL record's `extra_info.solution`). */
  readonly solutions: readonly string[]
  /** `len(solutions)`. */
  readonly solutionCount: number
  /** The answer-only SFT target's formula: `random.choice(solutions)`. */
  readonly solution: string
  /** The answer-only SFT target (`answer`), the formula wrapped in the reference's JSON-like text. */
  readonly answer: string
  /** How many unsolvable hands were redrawn before this one (0-50). */
  readonly redraws: number
}

/** The test prompt of `create_test_dataset.py` (§7.4), as the Python format string renders it. */
export function paperGpQuestion(
  cards: readonly string[],
  faceMessage: string,
  target: number = PAPER_GP_TARGET,
): string {
  return (
    '\n[Task Description]\n' +
    `You are an expert ${target} points card game player. You will receive a set of ${cards.length} cards.\n` +
    `Note that ${faceMessage}, and each card must be used once.\n` +
    `Your goal is to output a formula that evaluates to ${target} using numbers from the cards and ` +
    'operators such as ' +
    `'+', '-', '*', '/', '(', ')', and '='.\n` +
    '\n[Input]\n' +
    `Cards: ${pyRepr(cards)}\n` +
    '\n[Output]\n' +
    '{\n' +
    `  "cards": [x, y, z, w], where ${faceMessage},\n` +
    '  "number": [a, b, c, d], where a, b, c, and d are the numbers on the cards,\n' +
    `  "formula": 'an equation that equals ${target}',\n` +
    '}\n\n'
  )
}

/** `formatted_solution`: the answer-only SFT target text of the reference. */
export function paperGpAnswer(
  cards: readonly string[],
  displayValues: readonly number[],
  formula: string,
): string {
  const cardsJson = `[${cards.map((c) => JSON.stringify(c)).join(', ')}]`
  return `{\n"cards": ${cardsJson},\n "number": [${displayValues.join(', ')}],\n "formula": "${formula}"\n}`
}

/** `generate_cards_with_mapping`: the draws of one hand (ranks before the shuffle, then the shuffle). */
function drawRanks(py: PyRandom, s: PaperGpSplitSpec): number[] {
  const ranks: number[] = []
  if (!s.ood || s.largestCard < 11) {
    for (let i = 0; i < s.numCards; i++) ranks.push(py.randint(1, s.largestCard))
  } else {
    for (let i = 0; i < s.numCards - 1; i++) ranks.push(py.randint(1, s.largestCard))
    ranks.push(s.largestCard >= 14 ? py.randint(14, s.largestCard) : py.randint(11, s.largestCard))
  }
  return py.shuffle(ranks)
}

/** A hand the reference's solver could solve, after the redraws it took. */
export interface PaperSolvableDraw {
  readonly ranks: number[]
  /** The ranks' values under the scoring rule. */
  readonly values: number[]
  /** Every solution `solve_game` listed; empty when all draws failed. */
  readonly solutions: string[]
  readonly redraws: number
}

/**
 * The redraw loop the reference's test and training generators share: draw ranks, enumerate the
 * solutions of their values with `solve_game`, and redraw at most `PAPER_GP_MAX_REDRAWS` times while
 * there is none. All draws come from `py`, in the reference's order. Callers report an unsolvable
 * task (empty `solutions`) with their own context.
 */
export function drawSolvableHand(
  py: PyRandom,
  drawRanks: (py: PyRandom) => number[],
  rule: FaceRule,
  target: number,
): PaperSolvableDraw {
  let redraws = 0
  let ranks = drawRanks(py)
  let values = ranks.map((r) => rankValue(r, rule))
  let solutions = paperSolveGame(values, target, py)
  while (solutions.length === 0 && redraws < PAPER_GP_MAX_REDRAWS) {
    ranks = drawRanks(py)
    values = ranks.map((r) => rankValue(r, rule))
    solutions = paperSolveGame(values, target, py)
    redraws++
  }
  return { ranks, values, solutions, redraws }
}

/** Task `index` (0-499) of `split`, exactly as `create_test_dataset.py` generated it. */
export function paperGpHand(split: PaperGpSplit, index: number): PaperGpHand {
  const s = paperGpSplit(split)
  if (!Number.isInteger(index) || index < 0) {
    throw new RangeError(`Task index must be a non-negative integer, got ${index}.`)
  }
  const seed = PAPER_GP_BASE_SEED + index
  const py = new PyRandom(seed)
  const { ranks, values, solutions, redraws } = drawSolvableHand(
    py,
    (random) => drawRanks(random, s),
    scoredRule(s.rule),
    PAPER_GP_TARGET,
  )
  if (solutions.length === 0) {
    // The reference skips such a task (ValueError); none of the 500 tasks of any split hits this.
    throw new Error(
      `${split} task ${index}: no solvable hand in ${PAPER_GP_MAX_REDRAWS + 1} draws; the reference skips this task`,
    )
  }
  const solution = py.choice(solutions)
  const cards = ranks.map(cardString)
  return {
    split,
    index,
    seed,
    ranks,
    cards,
    displayValues: values,
    question: paperGpQuestion(cards, faceCardMessage(shownRule(s.rule))),
    solutions,
    solutionCount: solutions.length,
    solution,
    answer: paperGpAnswer(cards, values, solution),
    redraws,
  }
}

/** All tasks 0..count-1 of a split (default all 500). */
export function paperGpSplitHands(split: PaperGpSplit, count = PAPER_GP_TASKS_PER_SPLIT): PaperGpHand[] {
  return Array.from({ length: count }, (_, i) => paperGpHand(split, i))
}
