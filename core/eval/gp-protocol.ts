/**
 * @module core/eval/gp-protocol
 * One General Points cell: a single turn (paper-tasks.md §9.3), scored by the variant's verifier
 * (§6.4: the paper's float verifier, or the strict exact one). Both verdicts are recorded, with
 * whether they disagree on the float-versus-exact question (§11.1), so a paper-scored sweep shows
 * how much of its number is float error.
 *
 * Validity is the paper's `reward >= -1` (§6.5). Under the strict scorer the reward is read on the
 * paper's scale (5 correct, -1 wrong value, -2 wrong numbers, -3 no or illegal formula). A crash of
 * the paper's verifier (a non-string JSON formula, §10 item 23) counts as an illegal formula, -3.
 */
import { compareVerifiers } from '../gp/verdict.ts'
import { rankValue } from '../gp/cards.ts'
import type { GpInstance } from '../experiment/instance-set.ts'
import { resolveRule, type GpVariantSpec } from '../experiment/variant.ts'
import { paperFailure, strictFailure, strictReward } from './metrics.ts'
import type { CellOutcome, GenerateTurn, TurnListener, TurnPrompt } from './turns.ts'

/** What one General Points cell runs with. */
export interface GpCellInput {
  readonly instance: GpInstance
  readonly variant: GpVariantSpec
  readonly prompt: TurnPrompt
  readonly generate: GenerateTurn
  readonly onTurn?: TurnListener
}

/** The card values the variant's verifier requires (its scored face-card rule). */
export function scoredValues(instance: GpInstance, variant: GpVariantSpec): number[] {
  const rule = variant.rule === 'instance' ? instance.rule.scored : resolveRule(variant.rule.scored)
  return instance.ranks.map((rank) => rankValue(rank, rule))
}

/** Runs one General Points cell and records it. */
export async function runGpCell(input: GpCellInput): Promise<CellOutcome> {
  const { instance, variant, prompt } = input
  const generation = await input.generate(prompt, 1)
  input.onTurn?.(1, generation.text, null, generation.tokens)
  const task = { displayValues: scoredValues(instance, variant), target: instance.target }
  const comparison = compareVerifiers(generation.text, task)
  const { paper, strict } = comparison
  const byPaper = variant.verifier === 'paper'
  const failure = byPaper ? paperFailure(paper) : strictFailure(strict)
  const reward = byPaper ? (paper.reward ?? -3) : strictReward(strict)
  const paperFormula = paper.source === 'none' ? null : paper.formula
  return {
    success: failure === null,
    validity: reward >= -1 ? 1 : 0,
    reward,
    turns: 1,
    steps: 0,
    tokens: generation.tokens,
    failure,
    sokoban: null,
    gp: {
      promptHash: prompt.hash,
      output: generation.text,
      cards: instance.cards,
      target: instance.target,
      formula: byPaper ? paperFormula : strict.formula,
      paperReward: paper.reward,
      strictOk: strict.ok,
      strictReason: strict.reason,
      floatExactDisagree: comparison.kind === 'float-false-negative' || comparison.kind === 'float-false-positive',
      scorer: variant.verifier,
      tokens: generation.tokens,
      finishReason: generation.finishReason,
    },
  }
}
