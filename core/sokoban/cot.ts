/**
 * @module core/sokoban/cot
 * An algorithmic chain of thought for one Sokoban position, written from the BFS solver: where
 * the player, the boxes and the targets are, the shortest plan, and the move it starts with.
 *
 * The paper's CoT data was sampled from an RL-trained model and filtered by the training reward
 * (paper-tasks.md §8); this module offers a solver-written alternative in the same shape: the
 * text continues a prompt that ends with `<think>` and finishes `</think> <answer> {word} </answer>`,
 * so both the paper's evaluation parser (§5.1) and its training reward (§5.3) accept it. For that
 * the reasoning never contains an answer or think tag, a chat marker, or the word "Assistant:"
 * (which would move the reward's prompt/response split), unless a vocabulary name does. The
 * training reward also needs each name to be one token: no whitespace, comma or semicolon.
 */
import { GOAL, boxesOnGoals, goalsOf, isSolved, type Level, type SokobanState } from './level.ts'
import { DIRECTION_NAMES, type Direction } from './directions.ts'
import { applyMove } from './rules.ts'
import { solveBfs } from './solve/index.ts'
import { actionName, vocabularyErrors, type ActionVocabulary } from './vocab.ts'

/** Options of `sokobanCot`. */
export interface SokobanCotOptions {
  /** Longest plan the solver may return (default unlimited). */
  readonly maxDepth?: number
  /** State budget of the solver (default the solver's). */
  readonly maxStates?: number
}

function place(level: Level, cell: number): string {
  return `row ${Math.floor(cell / level.cols) + 1}, column ${(cell % level.cols) + 1}`
}

function places(level: Level, cells: readonly number[]): string {
  return cells.length === 0 ? 'none' : cells.map((c) => place(level, c)).join('; ')
}

/**
 * The chain of thought for the position `state` of `level`, answering in `vocab`. Rows and
 * columns are counted from 1 at the top left of the grid, as the prompt shows it. Throws when the
 * position is already solved, when the solver finds no plan within the options, or when `vocab`
 * has names the evaluator could not tell apart.
 */
export function sokobanCot(
  level: Level,
  state: SokobanState,
  vocab: ActionVocabulary,
  options: SokobanCotOptions = {},
): string {
  const errors = vocabularyErrors(vocab.names)
  if (errors.length > 0) throw new Error(`sokobanCot: vocabulary "${vocab.id}" cannot be answered: ${errors.join(' ')}`)
  if (isSolved(level, state)) {
    throw new Error('sokobanCot: every box is already on a target, so there is no next move to explain.')
  }
  const result = solveBfs(level, { start: state, maxDepth: options.maxDepth, maxStates: options.maxStates })
  if (result.status !== 'solved' || result.plan.length === 0) {
    throw new Error(
      `sokobanCot: the solver found no plan from this position (status ${result.status}); ` +
        'raise maxDepth or maxStates, or skip the position.',
    )
  }
  const plan = result.plan
  const move = plan[0]
  const goals = goalsOf(level)
  const boxSet = new Set(state.boxes)
  const looseBoxes = state.boxes.filter((b) => level.fixed[b] !== GOAL)
  const placedBoxes = state.boxes.filter((b) => level.fixed[b] === GOAL)
  const emptyGoals = goals.filter((g) => !boxSet.has(g))
  const outcome = applyMove(level, state, move)
  const name = (d: Direction): string => DIRECTION_NAMES[d]

  const lines: string[] = [
    ` The grid has ${level.rows} rows and ${level.cols} columns, counted from 1 at the top left.`,
    `I am at ${place(level, state.player)}.`,
    `Boxes not on a target: ${places(level, looseBoxes)}.`,
    `Boxes already on a target: ${places(level, placedBoxes)}.`,
    `Empty targets: ${places(level, emptyGoals)}.`,
    `${boxesOnGoals(level, state)} of ${state.boxes.length} boxes are on targets.`,
    `A shortest solution takes ${plan.length} move${plan.length === 1 ? '' : 's'}: ${plan.map(name).join(', ')}.`,
  ]
  const effect =
    outcome.pushedFrom === null
      ? `Moving ${name(move)} takes me to ${place(level, outcome.state.player)}.`
      : `Moving ${name(move)} pushes the box at ${place(level, outcome.pushedFrom)} to ` +
        `${place(level, outcome.pushedFrom + (outcome.pushedFrom - state.player))}.`
  lines.push(effect)
  const word = actionName(vocab, move)
  lines.push(
    word === name(move)
      ? `So the next move is ${name(move)}.`
      : `So the next move is ${name(move)}, which this prompt calls "${word}".`,
  )
  return `${lines.join('\n')}\n</think> <answer> ${word} </answer>`
}
