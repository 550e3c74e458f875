/**
 * @module renderer/src/results/data
 * Reading a run's samples through `wb:runs.results`: the rows matching a filter, page by page (each
 * page only the rows after those already held, so refreshing a run that is still being written
 * fetches only its new cells), and one sample in full for the viewer.
 */
import type { ResultDetail, ResultFacets, ResultFilter, RunResultsPage, RunStatus, Transport } from '../../../core/contract/api.ts'
import type { SampleFilter } from './filter.ts'
import type { SampleRow } from './rows.ts'

/** Rows per request: big enough that 10,000 samples take two, small enough to show progress. */
export const PAGE_ROWS = 5000

/** The contract's filter of a panel filter (the label is the panel's own). */
export function resultFilterOf(filter: SampleFilter): ResultFilter {
  const out: { -readonly [K in keyof ResultFilter]: ResultFilter[K] } = {}
  if (filter.variant !== undefined) out.variant = filter.variant
  if (filter.difficulty !== undefined) out.difficulty = filter.difficulty
  if (filter.model !== undefined) out.model = filter.model
  if (filter.failure !== undefined) out.failure = filter.failure as ResultFilter['failure']
  if (filter.keys !== undefined) out.keys = [...filter.keys]
  return out
}

/** The samples of a filter as loaded so far. */
export interface LoadedSamples {
  readonly rows: readonly SampleRow[]
  /** Samples matching the filter in the folder at the last request. */
  readonly matched: number
  readonly total: number
  readonly status: RunStatus
  readonly task: 'sokoban' | 'gp' | null
  readonly facets: ResultFacets
  readonly tornLine: boolean
}

/** A request that failed: the backend's message, as is. */
export class SamplesError extends Error {
  override name = 'SamplesError'
}

/**
 * Fetches the rows matching `filter` after the `have` already loaded, page by page, reporting each
 * page to `onPage`. Stops (without reporting) once `isLive()` turns false.
 */
export async function loadSamples(
  transport: Transport,
  runDir: string,
  filter: SampleFilter,
  have: LoadedSamples | null,
  onPage: (loaded: LoadedSamples) => void,
  isLive: () => boolean = () => true,
): Promise<LoadedSamples | null> {
  const wanted = resultFilterOf(filter)
  let rows: SampleRow[] = have === null ? [] : have.rows.slice()
  for (;;) {
    const r = await transport.request('wb:runs.results', { dir: runDir, filter: wanted, offset: rows.length, limit: PAGE_ROWS })
    if (!isLive()) return null
    if (!r.ok) throw new SamplesError(r.error.message)
    const last: RunResultsPage = r.value
    // The file shrank under us (a resume cut lines off): start over rather than keep stale rows.
    if (last.matched < rows.length) {
      rows = []
      continue
    }
    rows = rows.concat(last.rows)
    const loaded: LoadedSamples = { rows, matched: last.matched, total: last.total, status: last.status, task: last.task, facets: last.facets, tornLine: last.tornLine }
    onPage(loaded)
    if (last.rows.length < PAGE_ROWS || rows.length >= last.matched) return loaded
  }
}

/** One sample in full (turns, outputs, and for General Points the scored card values). */
export async function loadDetail(transport: Transport, runDir: string, row: Pick<SampleRow, 'key' | 'model' | 'id'>): Promise<ResultDetail> {
  const r = await transport.request('wb:runs.results', {
    dir: runDir,
    filter: { keys: [row.key], model: row.model },
    limit: 1,
    detail: true,
  })
  if (!r.ok) throw new SamplesError(r.error.message)
  const detail = r.value.details?.[0]
  if (detail === undefined || detail.result.id !== row.id) throw new SamplesError(`Sample ${row.id} is no longer in the run folder.`)
  return detail
}
