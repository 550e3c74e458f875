/**
 * @module core/gp/verdict
 * Runs the paper's verifier and the strict one on the same response and says whether they agree
 * on acceptance, and if not, why: the float false negatives of paper-tasks.md §11.1 (`8/(3-8/3)`,
 * paper -1, exactly 24), the reference's crash on a non-string JSON formula (§10 item 23), and
 * the answers only the strict verifier's extras accept (lenient extraction, common notations).
 *
 * Both rejecting counts as agreement even when the reasons differ (the paper's -1 for `01` is
 * the strict verifier's `syntax`); both verdicts are returned for the details.
 */
import { verifyPaper } from './verify-paper.ts'
import type { PaperVerdict } from './verify-paper.ts'
import { verifyStrict } from './verify-strict.ts'
import type { StrictOptions, StrictVerdict } from './verify-strict.ts'

/** A General Points task: the verifier's card values and the target. */
export interface GpVerifyTask {
  readonly displayValues: readonly number[]
  readonly target: number
}

/** How the two verifiers disagree. */
export type DisagreementKind =
  /** Paper -1 because float `eval` misses the target (or overflows); exactly correct. */
  | 'float-false-negative'
  /** Paper +5 because float `eval` lands on the target; the exact value differs. */
  | 'float-false-positive'
  /** The paper's verifier raises instead of scoring (non-string JSON formula, 4300+ digit number). */
  | 'paper-crash'
  /** Paper found no formula (-3); the strict verifier's lenient extraction found a correct one. */
  | 'extraction-variant'
  /** Paper rejects `×`, `÷`, U+2212 or `x` (-3); the strict verifier reads them and accepts. */
  | 'common-notation'
  /** Paper +5; the exact value leaves the safe-integer range of the strict verifier. */
  | 'strict-out-of-range'
  /** Anything else: not expected to happen; please report it with the response. */
  | 'other'

/** Both verdicts and their comparison. */
export interface VerifierComparison {
  /** True when both accept or both reject (and the paper did not crash). */
  readonly agree: boolean
  /** `agree`, or how they disagree. */
  readonly kind: 'agree' | DisagreementKind
  readonly paper: PaperVerdict
  readonly strict: StrictVerdict
  /** One sentence for people. */
  readonly detail: string
}

function classify(paper: PaperVerdict, strict: StrictVerdict): DisagreementKind {
  if (paper.outcome === 'crash') return 'paper-crash'
  if (strict.ok) {
    if (strict.source === 'lenient' && paper.source === 'none') return 'extraction-variant'
    if (paper.outcome === 'illegal-formula') return 'common-notation'
    const floatMiss = paper.floatValue !== undefined || paper.evalError?.type === 'OverflowError'
    if (paper.outcome === 'no-solution' && floatMiss) {
      return 'float-false-negative'
    }
    return 'other'
  }
  if (strict.reason === 'wrong-value') return 'float-false-positive'
  if (strict.reason === 'out-of-range') return 'strict-out-of-range'
  return 'other'
}

/** Runs `verifyPaper` and `verifyStrict` on one response and compares them. */
export function compareVerifiers(
  response: string,
  task: GpVerifyTask,
  options: StrictOptions = {},
): VerifierComparison {
  const paper = verifyPaper(response, task)
  const strict = verifyStrict(response, { values: task.displayValues, target: task.target }, options)
  const paperAccepts = paper.reward === 5
  if (paper.outcome !== 'crash' && paperAccepts === strict.ok) {
    const what = paperAccepts
      ? 'both accept'
      : `both reject (paper ${paper.reward}: ${paper.outcome}; strict: ${strict.reason})`
    return { agree: true, kind: 'agree', paper, strict, detail: what }
  }
  const kind = classify(paper, strict)
  const paperSays =
    paper.outcome === 'crash' ? `paper crashes (${paper.crash?.type})` : `paper ${paper.reward} (${paper.detail})`
  const strictSays = strict.ok ? 'strict accepts' : `strict ${strict.reason} (${strict.detail})`
  return { agree: false, kind, paper, strict, detail: `${kind}: ${paperSays}; ${strictSays}` }
}
