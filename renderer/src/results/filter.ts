/**
 * @module renderer/src/results/filter
 * Which samples (finished cells of a run) a results panel lists: a chart point's group, a failure
 * kind, or the exact cell keys of a flip-table bin. Every field narrows; an empty filter lists all.
 */
import { resultMatcher, type FilterableResult } from '../../../core/contract/result-filter.ts'

export type { FilterableResult }

export interface SampleFilter {
  readonly variant?: string
  readonly difficulty?: string
  readonly model?: string
  /** A `FailureKind`, or 'success'. */
  readonly failure?: string
  /** Exact cell keys (flip-table bins). */
  readonly keys?: readonly string[]
  /** What the panel's title says, e.g. "base × 6x6, 1 box". */
  readonly label?: string
}

/** A predicate for `filter` (the backend filters with the same one). */
export function matcherOf(filter: SampleFilter): (result: FilterableResult) => boolean {
  return resultMatcher(filter)
}

/** A short title for a filter: its label, or its fields joined. */
export function describeFilter(filter: SampleFilter): string {
  if (filter.label !== undefined && filter.label !== '') return filter.label
  const parts = [filter.model, filter.variant, filter.difficulty, filter.failure].filter((p): p is string => p !== undefined)
  if (filter.keys !== undefined) parts.push(`${filter.keys.length} cell${filter.keys.length === 1 ? '' : 's'}`)
  return parts.length === 0 ? 'all samples' : parts.join(' × ')
}
