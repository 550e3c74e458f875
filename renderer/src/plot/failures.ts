/**
 * The failure taxonomy of a sweep as stacked bars: one bar per (model, variant, difficulty) group,
 * its segments the share of the group's samples that succeeded and that failed for each reason
 * (`Aggregate.failures`, core/eval/types.ts). Every outcome has a fixed colour (Okabe-Ito, safe for
 * the common colour-vision deficiencies), so a colour means the same failure in every chart;
 * Sokoban and General Points failures never share a sweep, so the two tasks reuse the palette.
 */
import { FAILURE_KINDS, type Aggregate, type FailureKind } from '../../../core/eval/types.ts'
import type { SampleFilter } from '../results/filter.ts'

/** A sample's outcome: success, or why it failed. */
export type Outcome = 'success' | FailureKind

/** Every outcome, in stacking order (success at the bottom, then the failure kinds in the contract's order). */
export const OUTCOMES: readonly Outcome[] = ['success', ...FAILURE_KINDS]

/** The fixed colour of each outcome. */
export const OUTCOME_COLOURS: Readonly<Record<Outcome, string>> = {
  success: '#009e73',
  'no-answer-tag': '#e69f00',
  'unknown-action': '#56b4e9',
  'ineffective-move': '#f0e442',
  deadlock: '#d55e00',
  'out-of-turns': '#0072b2',
  'out-of-steps': '#cc79a7',
  'plan-exhausted': '#999999',
  'no-formula': '#e69f00',
  'illegal-formula': '#56b4e9',
  'wrong-numbers': '#d55e00',
  'wrong-value': '#0072b2',
  'backend-error': '#000000',
}

/** The colour of an outcome (grey for a kind this version does not know). */
export function outcomeColour(outcome: string): string {
  return (OUTCOME_COLOURS as Readonly<Record<string, string>>)[outcome] ?? '#bbbbbb'
}

export interface Segment {
  readonly outcome: string
  readonly count: number
  /** count / n of the bar. */
  readonly share: number
}

export interface FailureBar {
  readonly model: string
  readonly variant: string
  readonly difficulty: string
  readonly difficultyValue: number
  /** `variant · difficulty`, prefixed by the model when the sweep has several. */
  readonly label: string
  readonly n: number
  /** Non-empty segments in {@link OUTCOMES} order (unknown kinds last). */
  readonly segments: readonly Segment[]
}

export interface FailureStack {
  readonly bars: readonly FailureBar[]
  /** The outcomes that occur in any bar, in stacking order (what the legend lists). */
  readonly outcomes: readonly string[]
}

/**
 * The stacked bars of `aggregates`: bars grouped by model and variant (in the order the sweep
 * reports them), then by difficulty value.
 */
export function failureStackOf(aggregates: readonly Aggregate[]): FailureStack {
  const models = new Set(aggregates.map((a) => a.model))
  const groupOrder = new Map<string, number>()
  for (const a of aggregates) {
    const g = `${a.model}\u0000${a.variant}`
    if (!groupOrder.has(g)) groupOrder.set(g, groupOrder.size)
  }
  const sorted = [...aggregates].sort(
    (p, q) =>
      (groupOrder.get(`${p.model}\u0000${p.variant}`) ?? 0) - (groupOrder.get(`${q.model}\u0000${q.variant}`) ?? 0) ||
      p.difficultyValue - q.difficultyValue ||
      (p.difficulty < q.difficulty ? -1 : p.difficulty > q.difficulty ? 1 : 0),
  )
  const present = new Set<string>()
  const bars = sorted.map((a): FailureBar => {
    const counts = new Map<string, number>([['success', a.successes]])
    for (const [kind, count] of Object.entries(a.failures)) if (count !== undefined) counts.set(kind, count)
    const known = OUTCOMES.filter((o) => (counts.get(o) ?? 0) > 0)
    const unknown = [...counts.keys()].filter((k) => !(OUTCOMES as readonly string[]).includes(k) && (counts.get(k) ?? 0) > 0).sort()
    const segments = [...known, ...unknown].map((outcome) => {
      const count = counts.get(outcome) ?? 0
      present.add(outcome)
      return { outcome, count, share: a.n > 0 ? count / a.n : 0 }
    })
    const prefix = models.size > 1 ? `${a.model} · ` : ''
    return {
      model: a.model,
      variant: a.variant,
      difficulty: a.difficulty,
      difficultyValue: a.difficultyValue,
      label: `${prefix}${a.variant} · ${a.difficulty}`,
      n: a.n,
      segments,
    }
  })
  const outcomes = [...OUTCOMES.filter((o) => present.has(o)), ...[...present].filter((o) => !(OUTCOMES as readonly string[]).includes(o)).sort()]
  return { bars, outcomes }
}

/** The samples behind one segment of a bar. */
export function filterOfSegment(bar: FailureBar, outcome: string): SampleFilter {
  return { model: bar.model, variant: bar.variant, difficulty: bar.difficulty, failure: outcome, label: `${bar.label} · ${outcome}` }
}

/** Plotly traces (one bar trace per outcome, stacked) and layout. */
export function failuresFigure(stack: FailureStack): { traces: Record<string, unknown>[]; layout: Record<string, unknown> } {
  const x = stack.bars.map((_, i) => i)
  const traces = stack.outcomes.map((outcome) => {
    const counts = stack.bars.map((b) => b.segments.find((s) => s.outcome === outcome)?.count ?? 0)
    return {
      type: 'bar',
      name: outcome,
      x,
      y: stack.bars.map((b, i) => (b.n > 0 ? counts[i] / b.n : 0)),
      customdata: stack.bars.map((b, i) => [b.label, counts[i], b.n]),
      hovertemplate: `%{customdata[0]}<br>${outcome}: %{customdata[1]} of %{customdata[2]} (%{y:.0%})<extra></extra>`,
      marker: { color: outcomeColour(outcome), line: { color: '#ffffff', width: 0.5 } },
    }
  })
  const axis = { gridcolor: '#e5e7eb', linecolor: '#9ca3af', fixedrange: true }
  const layout = {
    barmode: 'stack',
    bargap: 0.25,
    margin: { l: 52, r: 12, t: 10, b: 90 },
    font: { family: 'system-ui, sans-serif', size: 12, color: '#1f2937' },
    paper_bgcolor: '#ffffff',
    plot_bgcolor: '#ffffff',
    showlegend: false,
    xaxis: { ...axis, tickvals: x, ticktext: stack.bars.map((b) => b.label), tickangle: 'auto' },
    yaxis: { ...axis, title: { text: 'share of samples' }, range: [0, 1], tickformat: '.0%' },
    height: 320,
    autosize: true,
  }
  return { traces, layout }
}
