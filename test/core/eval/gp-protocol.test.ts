import { describe, expect, it } from 'vitest'
import { formatBreakerClient, oracleClient, randomClient } from '../../../core/eval/scripted.ts'
import { runGpCell } from '../../../core/eval/gp-protocol.ts'
import { verifyPaper } from '../../../core/gp/verify-paper.ts'
import { verifyStrict } from '../../../core/gp/verify-strict.ts'
import { resolveRule, variantByName, type GpVariantSpec } from '../../../core/experiment/variant.ts'
import type { GpInstance } from '../../../core/experiment/instance-set.ts'
import { run, sweep } from './helpers.ts'

const strictVariant = {
  name: 'gp-strict',
  task: 'gp',
  template: 'gp-test',
  chat: { mode: 'model' },
  rule: { shown: 'all_10', scored: 'all_10' },
  message: 'paper',
  verifier: 'strict',
}

/** A hand built by hand: the cards, under J/Q/K = 10. */
function hand(cards: string[]): GpInstance {
  const rule = resolveRule('all_10')
  const ranks = cards.map((c) => ({ A: 1, J: 11, Q: 12, K: 13 })[c] ?? Number(c))
  const values = ranks.map((r) => (r > 10 ? 10 : r))
  return {
    task: 'gp',
    id: `hand/${cards.join('-')}`,
    index: 0,
    ranks,
    cards,
    rule: { shown: rule, scored: rule },
    values,
    shownValues: values,
    target: 24,
    solution: null,
    solutionCount: 0,
    meta: { scheme: 'seeded', seed: 0, redraws: 0 },
  }
}

describe('General Points, single turn (§6.4, §9.3)', () => {
  it('the oracle is always right under the paper scorer and the strict scorer', async () => {
    const spec = sweep('gp', {
      variants: ['gp-test-all_10', strictVariant],
      difficulties: [
        { name: 'id', difficulty: 'gp-id' },
        { name: 'paper-id', preset: 'gp_l_id' },
        { name: 'five', difficulty: 'gp-5cards' },
      ],
      instances: 8,
    })
    const { sink, outcome } = await run(spec, oracleClient())
    expect(sink.results).toHaveLength(48)
    for (const result of sink.results) {
      expect(result.success, result.id).toBe(true)
      expect(result.failure).toBeNull()
      expect(result.validity).toBe(1)
      expect(result.reward).toBe(5)
      expect(result.turns).toBe(1)
      expect(result.steps).toBe(0)
      const gp = result.gp
      expect(gp?.paperReward).toBe(5)
      expect(gp?.strictOk).toBe(true)
      expect(gp?.floatExactDisagree).toBe(false)
      expect(gp?.scorer).toBe(result.variant === 'gp-strict' ? 'strict' : 'paper')
    }
    for (const aggregate of outcome.aggregates) {
      expect(aggregate.successRate).toBe(1)
      expect(aggregate.validityCi).toEqual({ low: aggregate.successCi.low, high: 1 })
    }
  })

  it('the format breaker: no formula, reward -3, validity 0 under both scorers', async () => {
    const spec = sweep('gp', { variants: ['gp-test-all_10', strictVariant], instances: 5 })
    const { sink } = await run(spec, formatBreakerClient())
    for (const result of sink.results) {
      expect(result.success).toBe(false)
      expect(result.failure).toBe('no-formula')
      expect(result.reward).toBe(-3)
      expect(result.validity).toBe(0)
      expect(result.gp?.formula).toBeNull()
    }
  })

  it('the random chain: failures from the GP taxonomy that agree with the verifiers run directly', async () => {
    const spec = sweep('gp', { variants: ['gp-test-all_10', strictVariant], instances: 30 })
    const { sink, outcome } = await run(spec, randomClient(9))
    const allowed = new Set(['wrong-value', 'wrong-numbers', 'illegal-formula', 'no-formula'])
    for (const result of sink.results) {
      const gp = result.gp
      if (gp === null) throw new Error('no GP record')
      // J/Q/K = 10 and A = 1 under both variants' rule (all_10).
      const values = gp.cards.map((c) => ({ A: 1, J: 10, Q: 10, K: 10 })[c] ?? Number(c))
      const paper = verifyPaper(gp.output, { displayValues: values, target: 24 })
      const strict = verifyStrict(gp.output, { values, target: 24 })
      expect(gp.paperReward).toBe(paper.reward)
      expect(gp.strictOk).toBe(strict.ok)
      expect(result.success).toBe(gp.scorer === 'paper' ? paper.reward === 5 : strict.ok)
      // The random chain uses every card once: its failures are wrong values.
      if (!result.success) expect(allowed.has(result.failure as string)).toBe(true)
      expect(result.validity).toBe(result.reward >= -1 ? 1 : 0)
    }
    for (const aggregate of outcome.aggregates) expect(aggregate.successRate).toBeLessThan(0.5)
  })

  it('[§11.1] 8/(3-8/3): paper says wrong value, exact arithmetic says 24; the disagreement is recorded', async () => {
    const instance = hand(['3', '3', '8', '8'])
    const answer = '{"cards": ["3", "3", "8", "8"], "number": [3, 3, 8, 8], "formula": "8/(3-8/3)"}'
    const cell = (variant: GpVariantSpec) =>
      runGpCell({
        instance,
        variant,
        prompt: { text: 'prompt', hash: 'h' },
        generate: async () => ({ text: answer, tokens: 7, finishReason: 'stop' }),
      })
    const paper = await cell(variantByName('gp-test-all_10') as GpVariantSpec)
    expect(paper.success).toBe(false)
    expect(paper.failure).toBe('wrong-value')
    expect(paper.reward).toBe(-1)
    expect(paper.validity).toBe(1)
    expect(paper.gp?.floatExactDisagree).toBe(true)
    const strict = await cell({ ...(variantByName('gp-test-all_10') as GpVariantSpec), verifier: 'strict' })
    expect(strict.success).toBe(true)
    expect(strict.gp?.formula).toBe('8/(3-8/3)')
    expect(strict.gp?.floatExactDisagree).toBe(true)
    expect(strict.tokens).toBe(7)
  })

  it('each verdict maps to its failure under both scorers (§10 items 16-21)', async () => {
    // 4, 6, K, A with J/Q/K = 10: the verifier's values are 4, 6, 10, 1.
    const instance = hand(['4', '6', 'K', 'A'])
    const score = async (formula: string, verifier: 'paper' | 'strict') =>
      runGpCell({
        instance,
        variant: { ...(variantByName('gp-test-all_10') as GpVariantSpec), verifier },
        prompt: { text: 'prompt', hash: 'h' },
        generate: async () => ({ text: `{"formula": "${formula}"}`, tokens: 1, finishReason: 'stop' }),
      })
    for (const verifier of ['paper', 'strict'] as const) {
      const correct = await score('(4-1)*10-6', verifier)
      expect(correct.success).toBe(true)
      expect(correct.failure).toBeNull()
      expect(correct.reward).toBe(5)
      // The 1 twice and no 10: the paper adds -2 for each of the two checks.
      const twice = await score('4*6*1*1', verifier)
      expect(twice.failure).toBe('wrong-numbers')
      expect(twice.reward).toBe(verifier === 'paper' ? -4 : -2)
      expect(twice.validity).toBe(0)
      const letters = await score('4*6*K*A', verifier)
      expect(letters.failure).toBe('illegal-formula')
      expect(letters.reward).toBe(-3)
      expect(letters.validity).toBe(0)
      const sum = await score('4+6+10+1', verifier)
      expect(sum.failure).toBe('wrong-value')
      expect(sum.reward).toBe(-1)
      expect(sum.validity).toBe(1)
      // Division by zero: Python's eval raises, the paper scores -1 (§10 item 21).
      const byZero = await score('1/(10-6-4)', verifier)
      expect(byZero.failure).toBe('wrong-value')
      expect(byZero.reward).toBe(-1)
    }
  })
})
