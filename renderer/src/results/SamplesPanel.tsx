/**
 * The samples behind a chart point or a flip-table bin: a virtualised table (only the rows in view are
 * in the DOM), sortable by a column, exported as CSV, and each row opening its episode in the viewer.
 */
import { useEffect, useMemo, useState } from 'react'
import type { CellResult } from '../../../core/eval/types.ts'
import { useWorkbench } from '../app/context.ts'
import { EpisodePlayer } from '../viewers/EpisodePlayer.tsx'
import { VerdictPanel } from '../viewers/VerdictPanel.tsx'
import { describeFilter, matcherOf, type SampleFilter } from './filter.ts'
import { nextSort, samplesCsv, SAMPLE_COLUMNS, sortRows, type SampleColumn, type SampleRow, type SampleSort } from './rows.ts'
import { VirtualTable, type Column } from './VirtualTable.tsx'
import './results.css'

export interface SamplesPanelProps {
  readonly runDir: string
  readonly filter: SampleFilter
  readonly onClose?: () => void
}

type Load = { state: 'loading' } | { state: 'error'; message: string } | { state: 'ready'; results: CellResult[] }

const PAGE = 5000

const COLUMNS: readonly Column<SampleRow>[] = SAMPLE_COLUMNS.map((id): Column<SampleRow> => {
  const numeric = id === 'instance' || id === 'repeat' || id === 'turns' || id === 'steps' || id === 'tokens'
  const width = id === 'key' ? 'minmax(160px, 3fr)' : numeric ? '64px' : 'minmax(70px, 1fr)'
  return {
    id,
    title: id === 'failure' ? 'failure kind' : id,
    width,
    align: numeric ? 'right' : 'left',
    render:
      id === 'success'
        ? (r) => <span className={r.success ? 'sample-ok' : 'sample-fail'}>{r.success ? 'yes' : 'no'}</span>
        : (r) => (r[id] === null ? '' : String(r[id])),
  }
})

function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }))
  const a = document.createElement('a')
  a.href = url
  a.download = name
  document.body.append(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}

/** The viewer of one sample: the Sokoban episode, or the GP hand with both verdicts. */
function SampleViewer({ result, onClose }: { readonly result: CellResult; readonly onClose: () => void }) {
  return (
    <div className="results-viewer" data-testid="sample-viewer">
      <div className="results-head">
        <h4>
          {result.id} — {result.success ? 'success' : (result.failure ?? 'failure')}
        </h4>
        <button type="button" onClick={onClose}>
          Close viewer
        </button>
      </div>
      {result.sokoban !== null ? (
        <EpisodePlayer levelXsb={result.sokoban.level} turns={result.sokoban.turns} />
      ) : result.gp !== null ? (
        <VerdictPanel cards={result.gp.cards} values={[]} target={result.gp.target} output={result.gp.output} />
      ) : (
        <div className="results-error">This result has no episode to show{result.error ? `: ${result.error}` : '.'}</div>
      )}
    </div>
  )
}

/** The matching samples of a run folder. */
export function SamplesPanel({ runDir, filter, onClose }: SamplesPanelProps) {
  const { transport } = useWorkbench()
  const [load, setLoad] = useState<Load>({ state: 'loading' })
  const [sort, setSort] = useState<SampleSort | null>(null)
  const [open, setOpen] = useState<CellResult | null>(null)
  useEffect(() => {
    let live = true
    setLoad({ state: 'loading' })
    void (async () => {
      const results: CellResult[] = []
      for (let offset = 0; ; offset += PAGE) {
        const r = await transport.request('wb:runs.read', { dir: runDir, offset, limit: PAGE })
        if (!live) return
        if (!r.ok) return setLoad({ state: 'error', message: r.error.message })
        results.push(...r.value.results)
        if (r.value.results.length < PAGE) break
      }
      setLoad({ state: 'ready', results })
    })()
    return () => {
      live = false
    }
  }, [transport, runDir])
  const matching = useMemo(() => (load.state === 'ready' ? load.results.filter(matcherOf(filter)) : []), [load, filter])
  const rows = useMemo(() => sortRows(matching, sort), [matching, sort])
  const title = describeFilter(filter)
  return (
    <section className="results-panel" data-testid="samples-panel" aria-label={`Samples: ${title}`}>
      <div className="results-head">
        <h4>Samples: {title}</h4>
        {load.state === 'ready' ? <span className="results-count" data-testid="samples-count">{rows.length} samples</span> : null}
        <button type="button" disabled={load.state !== 'ready'} onClick={() => download('samples.csv', samplesCsv(rows))}>
          Export CSV
        </button>
        {onClose ? (
          <button type="button" onClick={onClose}>
            Close
          </button>
        ) : null}
      </div>
      {load.state === 'loading' ? <div className="results-loading">Loading samples…</div> : null}
      {load.state === 'error' ? (
        <div className="results-error" role="alert">
          Cannot read the run: {load.message}
        </div>
      ) : null}
      {load.state === 'ready' ? (
        <VirtualTable
          testId="samples-table"
          rows={rows}
          columns={COLUMNS}
          rowKey={(r) => r.id}
          selectedKey={open?.id ?? null}
          onRowClick={(r) => setOpen(r as CellResult)}
          onHeaderClick={(c) => setSort(nextSort(sort, c as SampleColumn))}
          sortMark={(c) => (sort?.column === c ? (sort.descending ? '▼' : '▲') : null)}
        />
      ) : null}
      {open !== null ? <SampleViewer result={open} onClose={() => setOpen(null)} /> : null}
    </section>
  )
}
