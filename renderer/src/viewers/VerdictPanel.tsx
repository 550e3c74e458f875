/**
 * The card viewer's verdict: the hand, the face-card rule, the model's output, its formula as a tree
 * with each node's value, and the paper-compatible and strict verifiers side by side with their
 * reasons (core/gp/verdict `compareVerifiers`), with a line saying whether and why they disagree.
 */
import { useMemo, type ReactNode } from 'react'
import { compareVerifiers, type VerifierComparison } from '../../../core/gp/verdict.ts'
import { CardHand } from './CardHand.tsx'
import { FormulaTree } from './FormulaTree.tsx'
import './viewers.css'

export interface VerdictPanelProps {
  readonly cards: readonly string[]
  /** The values the verifier scores each card with. */
  readonly values: readonly number[]
  readonly target: number
  /** The model's whole output. */
  readonly output: string
  /** The face-card rule as shown to the model, e.g. `'J', 'Q', and 'K' all count as '10'`. */
  readonly faceRule?: string
}

function compare(output: string, values: readonly number[], target: number): VerifierComparison | Error {
  try {
    return compareVerifiers(output, { displayValues: values, target })
  } catch (e) {
    // Only an invalid task throws (no cards, non-integer values); say so instead of a verdict.
    return e as Error
  }
}

function Row({ name, children, testId }: { readonly name: string; readonly children: ReactNode; readonly testId?: string }) {
  return (
    <>
      <dt>{name}</dt>
      <dd data-testid={testId}>{children}</dd>
    </>
  )
}

/** Both verifiers' verdicts on one answer. */
export function VerdictPanel({ cards, values, target, output, faceRule }: VerdictPanelProps) {
  const result = useMemo(() => compare(output, values, target), [output, values, target])
  if (result instanceof Error) {
    return (
      <div className="verdict-panel" data-testid="verdict-panel">
        <CardHand cards={cards} values={values} />
        <div className="viewer-error" role="alert">
          The hand cannot be verified: {result.message}
        </div>
      </div>
    )
  }
  const { paper, strict } = result
  const formula = strict.formula ?? (paper.source === 'none' ? null : paper.formula)
  const paperOk = paper.reward === 5
  return (
    <div className="verdict-panel" data-testid="verdict-panel">
      <div className="hand-line">
        <CardHand cards={cards} values={values} />
        <div className="hand-facts">
          <div>
            target <strong data-testid="target">{target}</strong>
          </div>
          {faceRule ? (
            <div className="meta" data-testid="face-rule">
              rule: {faceRule}
            </div>
          ) : null}
        </div>
      </div>
      <div className="verdict-agreement" data-testid="verdict-agreement" data-agree={result.agree ? 'true' : 'false'}>
        {result.agree ? (
          <span className="chip ok">verifiers agree</span>
        ) : (
          <span className="chip warn">verifiers disagree: {result.kind}</span>
        )}{' '}
        <span className="meta">{result.detail}</span>
      </div>
      <div className="verdicts">
        <section className={paperOk ? 'verdict ok' : 'verdict bad'} data-testid="paper-verdict" aria-label="Paper verifier">
          <h4>
            Paper verifier <span className="verdict-badge">{paper.reward === null ? 'crash' : paper.reward > 0 ? `+${paper.reward}` : paper.reward}</span>
          </h4>
          <dl>
            <Row name="outcome" testId="paper-outcome">{paper.outcome}</Row>
            <Row name="why">{paper.detail}</Row>
            <Row name="formula from">{paper.source}</Row>
            {paper.normalized ? <Row name="checked">{paper.normalized}</Row> : null}
            {paper.pythonValue !== undefined ? <Row name="float value">{paper.pythonValue}</Row> : null}
            {paper.evalError ? <Row name="eval error">{`${paper.evalError.type}: ${paper.evalError.message}`}</Row> : null}
            {paper.crash ? <Row name="raises">{`${paper.crash.type}: ${paper.crash.message}`}</Row> : null}
          </dl>
        </section>
        <section className={strict.ok ? 'verdict ok' : 'verdict bad'} data-testid="strict-verdict" aria-label="Strict verifier">
          <h4>
            Strict verifier <span className="verdict-badge">{strict.ok ? 'accept' : 'reject'}</span>
          </h4>
          <dl>
            <Row name="reason" testId="strict-reason">{strict.reason}</Row>
            <Row name="why">{strict.detail}</Row>
            <Row name="formula from">{strict.source}</Row>
            {'value' in strict ? <Row name="exact value">{strict.value}</Row> : null}
            {strict.ok ? <Row name="as printed">{strict.expression}</Row> : null}
          </dl>
        </section>
      </div>
      {formula !== null ? (
        <div className="formula-block">
          <div className="meta">
            formula: <code data-testid="formula">{formula}</code>
          </div>
          <FormulaTree formula={formula} values={values} target={target} />
        </div>
      ) : (
        <div className="meta">No formula found in the output.</div>
      )}
      <details className="raw-output">
        <summary>model output ({output.length} characters)</summary>
        <pre className="raw-answer" data-testid="gp-output">
          {output}
        </pre>
      </details>
    </div>
  )
}
