/**
 * The samples behind a chart point or a flip-table bin: a virtualised table (only the rows in view are
 * in the DOM, so 10,000 rows scroll smoothly), sortable by a column, exported as CSV in the order
 * shown, and each row opening its sample in the viewer (Sokoban: the episode player; General
 * Points: the hand with both verifiers' verdicts). A run still being written is refreshed as it grows.
 */
import { useEffect, useMemo, useRef, useState } from 'react'
import type { ResultDetail } from '../../../core/contract/api.ts'
import { useWorkbench } from '../app/context.ts'
import { CardHand } from '../viewers/CardHand.tsx'
import { EpisodePlayer } from '../viewers/EpisodePlayer.tsx'
import { VerdictPanel } from '../viewers/VerdictPanel.tsx'
import { loadDetail, loadSamples, type LoadedSamples } from './data.ts'
import { describeFilter, type SampleFilter } from './filter.ts'
import { csvFileName, nextSort, samplesCsv, SAMPLE_COLUMNS, sortRows, type SampleColumn, type SampleRow, type SampleSort } from './rows.ts'
import { saveBlob } from '../util/download.ts'
import { VirtualTable, type Column } from './VirtualTable.tsx'
import './results.css'

export interface SamplesPanelProps {
  readonly runDir: string
  readonly filter: SampleFilter
  readonly onClose?: () => void
}

/** How often a running sweep's samples are refreshed (only new rows are fetched). */
const REFRESH_MS = 2000

const NUMERIC: ReadonlySet<SampleColumn> = new Set(['instance', 'repeat', 'turns', 'steps', 'tokens'])

const TITLES: Partial<Record<SampleColumn, string>> = { failure: 'failure kind', instance: 'inst.', repeat: 'rep.' }

const COLUMNS: readonly Column<SampleRow>[] = SAMPLE_COLUMNS.map((id): Column<SampleRow> => {
  const numeric = NUMERIC.has(id)
  return {
    id,
    title: TITLES[id] ?? id,
    width: id === 'key' ? 'minmax(180px, 3fr)' : numeric ? '58px' : id === 'success' ? '74px' : 'minmax(80px, 1fr)',
    align: numeric ? 'right' : 'left',
    render:
      id === 'success'
        ? (r) => <span className={r.success ? 'sample-ok' : 'sample-fail'}>{r.success ? 'yes' : 'no'}</span>
        : (r) => (r[id] === null ? '' : String(r[id])),
  }
})

type Detail = { state: 'loading'; row: SampleRow } | { state: 'error'; row: SampleRow; message: string } | { state: 'ready'; row: SampleRow; detail: ResultDetail }

/** The viewer of one sample: the Sokoban episode, or the General Points hand with both verdicts. */
function SampleViewer({ detail }: { readonly detail: ResultDetail }) {
  const { result, scoredValues } = detail
  if (result.sokoban !== null) {
    return <EpisodePlayer levelXsb={result.sokoban.level} turns={result.sokoban.turns} />
  }
  if (result.gp !== null) {
    if (scoredValues === null) {
      return (
        <>
          <CardHand cards={result.gp.cards} />
          <div className="results-error">The run folder has no sweep spec, so the values the cards were scored with are unknown; the verdicts cannot be shown.</div>
          <pre className="results-output">{result.gp.output}</pre>
        </>
      )
    }
    return <VerdictPanel cards={result.gp.cards} values={scoredValues} target={result.gp.target} output={result.gp.output} />
  }
  return <div className="results-error">This sample has no episode to show{result.error ? `: ${result.error}` : '.'}</div>
}

/** The matching samples of a run folder. */
export function SamplesPanel({ runDir, filter: given, onClose }: SamplesPanelProps) {
  const { transport } = useWorkbench()
  // Callers may build the filter afresh on each render; reload only when its content changes.
  const filterKey = JSON.stringify(given)
  const filter = useMemo(() => given, [filterKey])
  const [loaded, setLoaded] = useState<LoadedSamples | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [sort, setSort] = useState<SampleSort | null>(null)
  const [open, setOpen] = useState<Detail | null>(null)
  const [refreshes, setRefreshes] = useState(0)
  const latest = useRef<LoadedSamples | null>(null)

  // A new folder or filter starts from nothing.
  useEffect(() => {
    latest.current = null
    setLoaded(null)
    setError(null)
    setOpen(null)
  }, [runDir, filter])

  useEffect(() => {
    let live = true
    let timer = 0
    void loadSamples(transport, runDir, filter, latest.current, (page) => {
      latest.current = page
      setLoaded(page)
    }, () => live)
      .then((done) => {
        if (!live || done === null) return
        setError(null)
        if (done.status === 'running') timer = window.setTimeout(() => setRefreshes((n) => n + 1), REFRESH_MS)
      })
      .catch((e: unknown) => {
        if (live) setError((e as Error).message)
      })
    return () => {
      live = false
      window.clearTimeout(timer)
    }
  }, [transport, runDir, filter, refreshes])

  const rows = useMemo(() => sortRows(loaded?.rows ?? [], sort), [loaded, sort])
  const title = describeFilter(filter)
  const loading = loaded === null || loaded.rows.length < loaded.matched

  const openRow = (row: SampleRow) => {
    if (open?.row.id === row.id) return setOpen(null)
    setOpen({ state: 'loading', row })
    loadDetail(transport, runDir, row).then(
      (detail) => setOpen((o) => (o?.row.id === row.id ? { state: 'ready', row, detail } : o)),
      (e: unknown) => setOpen((o) => (o?.row.id === row.id ? { state: 'error', row, message: (e as Error).message } : o)),
    )
  }

  return (
    <section className="results-panel" data-testid="samples-panel" aria-label={`Samples: ${title}`}>
      <div className="results-head">
        <h4 data-testid="samples-title">Samples: {title}</h4>
        {loaded !== null ? (
          <span className="results-count" data-testid="samples-count">
            {loading ? `${loaded.rows.length} of ${loaded.matched}` : `${rows.length} sample${rows.length === 1 ? '' : 's'}`}
            {loaded.status === 'running' ? ' (run in progress)' : loaded.status === 'interrupted' ? ' (run interrupted: resume it from its sweep cell)' : ''}
          </span>
        ) : null}
        <button type="button" data-testid="samples-csv" disabled={loaded === null || loading || rows.length === 0}
          title={loading ? 'Available once every matching sample is loaded' : 'Download this table (in the order shown) as CSV'} onClick={() => saveBlob(new Blob([samplesCsv(rows)], { type: 'text/csv;charset=utf-8' }), csvFileName(title))}>
          Export CSV
        </button>
        {onClose ? (
          <button type="button" onClick={onClose} data-testid="samples-close">
            Close
          </button>
        ) : null}
      </div>
      {error !== null ? (
        <div className="results-error" role="alert" data-testid="samples-error">
          Cannot read the samples of {runDir}: {error}
        </div>
      ) : null}
      {loaded === null && error === null ? <div className="results-loading">Loading samples…</div> : null}
      {loaded?.tornLine ? (
        <div className="results-note">The last line of the results file is incomplete (a run stopped mid-write, or one still writing); it is left out.</div>
      ) : null}
      {loaded !== null && loaded.matched === 0 ? <div className="results-loading">No samples match.</div> : null}
      {loaded !== null && loaded.matched > 0 ? (
        <VirtualTable
          testId="samples-table"
          rows={rows}
          columns={COLUMNS}
          rowKey={(r) => r.id}
          selectedKey={open?.row.id ?? null}
          onRowClick={openRow}
          onHeaderClick={(c) => setSort(nextSort(sort, c as SampleColumn))}
          sortMark={(c) => (sort?.column === c ? (sort.descending ? '▼' : '▲') : null)}
        />
      ) : null}
      {open !== null ? (
        <div className="results-viewer" data-testid="sample-viewer">
          <div className="results-head">
            <h4 data-testid="sample-viewer-title">
              {open.row.id}: {open.row.success ? 'success' : (open.row.failure ?? 'failure')}
            </h4>
            <button type="button" onClick={() => setOpen(null)} data-testid="sample-viewer-close">
              Close viewer
            </button>
          </div>
          {open.state === 'loading' ? <div className="results-loading">Loading the sample…</div> : null}
          {open.state === 'error' ? (
            <div className="results-error" role="alert">
              Cannot open {open.row.id}: {open.message}
            </div>
          ) : null}
          {open.state === 'ready' ? <SampleViewer detail={open.detail} /> : null}
        </div>
      ) : null}
    </section>
  )
}
