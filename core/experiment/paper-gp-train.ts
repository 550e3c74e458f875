/**
 * @module core/experiment/paper-gp-train
 * The paper's General Points training hands, rebuilt from their seeds
 * (`debunk_sft/utils/dataset/gp_l/create_training_dataset.py`, paper-tasks.md §6.1-§6.3).
 *
 * `generate_dataset` walks the face-card mappings in order and makes `tasks_per_mapping` tasks for
 * each; task k overall (0-based, across mappings) calls `random.seed(42 + k)` and then, on CPython's
 * global generator: `num_cards` ranks by `randint(1, largest)` (with `ood`, the last one from
 * `randint(11, min(13, largest))`), a shuffle, the enumerator `solve_game` on the mapped values
 * (which shuffles its permutation list), up to 50 redraws while no solution exists, and finally
 * `random.choice(solutions)` for the stored answer. It is the test generator's draw order with the
 * training generator's ood rule, so this module reuses core/paper's primitives.
 *
 * The reference gives the next task the seed `42 + len(datapoints)`, so a skipped task (no solvable
 * hand in 51 draws) would shift every later seed and shorten its mapping. With 4 cards and ranks
 * 1-13 no such task occurs in practice; if one did, this module throws rather than guess.
 */
import { PyRandom } from '../paper/py-random.ts'
import { PAPER_GP_MAX_REDRAWS, drawSolvableHand } from '../paper/paper-gp.ts'
import { cardString } from '../gp/cards.ts'
import type { FaceRule } from '../gp/rules.ts'

/** Task k of the training set is seeded with 42 + k. */
export const PAPER_GP_TRAIN_BASE_SEED = 42

/** Tasks per mapping in the paper's `main()` (8 mappings × 1250 = 10 000 tasks). */
export const PAPER_GP_TRAIN_TASKS_PER_MAPPING = 1250

/** The generator settings `generate_dataset` receives (defaults: the paper's `main()`). */
export interface PaperGpTrainSettings {
  readonly numCards: number
  readonly largestCard: number
  /** `ood=True`: one card forced into 11..min(13, largest). */
  readonly ood: boolean
  readonly target: number
}

/** One training task as the reference stored it. */
export interface PaperGpTrainHand {
  /** Task index across all mappings (the `extra_info.index`). */
  readonly index: number
  readonly seed: number
  readonly rule: FaceRule
  /** Ranks 1-13 in prompt order. */
  readonly ranks: readonly number[]
  readonly cards: readonly string[]
  /** `display_cards`: the values under the task's mapping. */
  readonly displayValues: readonly number[]
  /** Every solution `solve_game` listed, in order, with duplicates. */
  readonly solutions: readonly string[]
  /** The stored answer-only formula, `random.choice(solutions)`. */
  readonly solution: string
  readonly redraws: number
}

/** The paper's `main()` settings: 4 cards, ranks 1-13, no forcing, target 24. */
export const PAPER_GP_TRAIN_SETTINGS: PaperGpTrainSettings = Object.freeze({
  numCards: 4,
  largestCard: 13,
  ood: false,
  target: 24,
})

function drawRanks(py: PyRandom, s: PaperGpTrainSettings): number[] {
  const ranks: number[] = []
  if (!s.ood || s.largestCard < 11) {
    for (let i = 0; i < s.numCards; i++) ranks.push(py.randint(1, s.largestCard))
  } else {
    for (let i = 0; i < s.numCards - 1; i++) ranks.push(py.randint(1, s.largestCard))
    ranks.push(py.randint(11, Math.min(13, s.largestCard)))
  }
  return py.shuffle(ranks)
}

/**
 * Task `index` of a training set whose mappings are `rules`, `perRule` tasks each (task k uses
 * `rules[floor(k / perRule)]`), exactly as `generate_task` makes it.
 */
export function paperGpTrainHand(
  rules: readonly FaceRule[],
  perRule: number,
  index: number,
  settings: PaperGpTrainSettings = PAPER_GP_TRAIN_SETTINGS,
): PaperGpTrainHand {
  if (!Number.isInteger(perRule) || perRule < 1) {
    throw new RangeError(`perRule must be a positive integer, got ${perRule}.`)
  }
  const total = rules.length * perRule
  if (!Number.isInteger(index) || index < 0 || index >= total) {
    throw new RangeError(`Training task index must be an integer in [0, ${total - 1}], got ${index}.`)
  }
  const rule = rules[Math.floor(index / perRule)]
  const seed = PAPER_GP_TRAIN_BASE_SEED + index
  const py = new PyRandom(seed)
  const { ranks, values, solutions, redraws } = drawSolvableHand(
    py,
    (random) => drawRanks(random, settings),
    rule,
    settings.target,
  )
  if (solutions.length === 0) {
    throw new Error(
      `Training task ${index} (${rule.name}): no solvable hand in ${PAPER_GP_MAX_REDRAWS + 1} draws. The reference ` +
        'skips such a task and shifts every later seed, which this reproduction does not model.',
    )
  }
  const solution = py.choice(solutions)
  return {
    index,
    seed,
    rule,
    ranks,
    cards: ranks.map(cardString),
    displayValues: values,
    solutions,
    solution,
    redraws,
  }
}
