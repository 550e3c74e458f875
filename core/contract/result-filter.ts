/**
 * @module core/contract/result-filter
 * What a results filter (`wb:runs.results`, a samples panel) selects, in one place for the backend
 * that pages results and the UI that lists them.
 */
import type { CellResult } from '../eval/types.ts'

/** The fields of a results filter; every field narrows, an empty filter matches all. */
export interface ResultFilterFields {
  readonly variant?: string
  readonly difficulty?: string
  readonly model?: string
  /** A failure kind, or `success` for the cells that succeeded. */
  readonly failure?: string
  /** Exact cell keys (`variant/difficulty/instance/repeat`). */
  readonly keys?: readonly string[]
}

/** The fields of a result a filter looks at. */
export type FilterableResult = Pick<CellResult, 'key' | 'model' | 'variant' | 'difficulty' | 'success' | 'failure'>

/** A predicate for `filter` (the key set is built once, so it stays fast over many rows). */
export function resultMatcher(filter: ResultFilterFields): (result: FilterableResult) => boolean {
  const keys = filter.keys === undefined ? null : new Set(filter.keys)
  return (r) =>
    (filter.variant === undefined || r.variant === filter.variant) &&
    (filter.difficulty === undefined || r.difficulty === filter.difficulty) &&
    (filter.model === undefined || r.model === filter.model) &&
    (filter.failure === undefined || (filter.failure === 'success' ? r.success : r.failure === filter.failure)) &&
    (keys === null || keys.has(r.key))
}
