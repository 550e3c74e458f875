/**
 * A paired comparison of two variants of a run: the flip table (both succeed / A only / B only /
 * neither) with McNemar's exact p-value (core's `flipTable`), each bin opening exactly its samples.
 */
import { useEffect, useMemo, useState } from 'react'
import { useWorkbench } from '../app/context.ts'
import { binCount, binFilter, comparePaired, formatP, type CompareChoice, type FlipBin } from './compare.ts'
import { loadSamples, type LoadedSamples } from './data.ts'
import { SamplesPanel } from './SamplesPanel.tsx'
import './results.css'

export interface ComparePanelProps {
  readonly runDir: string
  readonly variants: readonly string[]
}

const ALL = {}

const BIN_NAMES: Record<FlipBin, string> = { both: 'both succeed', aOnly: 'A only succeeds', bOnly: 'B only succeeds', neither: 'neither succeeds' }

function Select({ label, value, options, onChange, testId }: {
  readonly label: string
  readonly value: string
  readonly options: readonly (readonly [string, string])[]
  readonly onChange: (value: string) => void
  readonly testId: string
}) {
  return (
    <label>
      {label}
      <select value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId}>
        {options.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
    </label>
  )
}

/** Pick two variants (and a difficulty and model when there are several) and see how their cells flip. */
export function ComparePanel({ runDir, variants: given }: ComparePanelProps) {
  const { transport } = useWorkbench()
  const [loaded, setLoaded] = useState<LoadedSamples | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [a, setA] = useState(given[0] ?? '')
  const [b, setB] = useState(given[1] ?? '')
  const [difficulty, setDifficulty] = useState('')
  const [model, setModel] = useState('')
  const [bin, setBin] = useState<FlipBin | null>(null)
  const [reloads, setReloads] = useState(0)
  useEffect(() => {
    let live = true
    setLoaded(null)
    setError(null)
    // Every row (without turns): pairing needs both variants' cells, and each bin's keys.
    loadSamples(transport, runDir, ALL, null, () => {}, () => live).then(
      (done) => live && done !== null && setLoaded(done),
      (e: unknown) => live && setError((e as Error).message),
    )
    return () => {
      live = false
    }
  }, [transport, runDir, reloads])
  const variants = given.length >= 2 ? given : (loaded?.facets.variants ?? given)
  const va = a !== '' ? a : (variants[0] ?? '')
  const vb = b !== '' ? b : (variants[1] ?? '')
  const difficulties = loaded?.facets.difficulties ?? []
  const models = loaded?.facets.models ?? []
  // Cell keys leave the model out, so with several models one is always chosen.
  const chosenModel = model !== '' ? model : models.length > 1 ? models[0] : undefined
  const choice: CompareChoice = useMemo(
    () => ({ a: va, b: vb, ...(difficulty !== '' ? { difficulty } : {}), ...(chosenModel !== undefined ? { model: chosenModel } : {}) }),
    [va, vb, difficulty, chosenModel],
  )
  const comparison = useMemo(() => (loaded === null || va === vb ? null : comparePaired(loaded.rows, choice)), [loaded, choice, va, vb])
  const filter = useMemo(() => (comparison === null || bin === null ? null : binFilter(comparison, choice, bin)), [comparison, choice, bin])
  const load = loaded !== null ? 'ready' : error !== null ? 'error' : 'loading'
  const variantOptions = variants.map((v) => [v, v] as const)
  const pick = (set: (v: string) => void) => (v: string) => {
    set(v)
    setBin(null)
  }
  const cell = (which: FlipBin) =>
    comparison === null ? null : (
      <button
        type="button"
        className={bin === which ? 'active' : ''}
        data-testid={`flip-${which}`}
        aria-pressed={bin === which}
        aria-label={`${BIN_NAMES[which]}: ${binCount(comparison.table, which)} pairs; list their samples`}
        onClick={() => setBin(bin === which ? null : which)}
      >
        {binCount(comparison.table, which)}
      </button>
    )
  return (
    <section className="results-panel" data-testid="compare-panel" aria-label="Compare variants">
      <div className="compare-form">
        <Select label="Variant A" value={va} options={variantOptions} onChange={pick(setA)} testId="compare-a" />
        <Select label="Variant B" value={vb} options={variantOptions} onChange={pick(setB)} testId="compare-b" />
        {difficulties.length > 1 ? (
          <Select
            label="Difficulty"
            value={difficulty}
            options={[['', 'all'], ...difficulties.map((d) => [d, d] as const)]}
            onChange={pick(setDifficulty)}
            testId="compare-difficulty"
          />
        ) : null}
        {models.length > 1 ? (
          <Select label="Model" value={chosenModel ?? ''} options={models.map((m) => [m, m] as const)} onChange={pick(setModel)} testId="compare-model" />
        ) : null}
      </div>
      {loaded?.status === 'running' ? (
        <div className="results-note">
          The sweep is still running: the table counts the {loaded.rows.length} results written so far.{' '}
          <button type="button" onClick={() => setReloads((n) => n + 1)} data-testid="compare-refresh">
            Refresh
          </button>
        </div>
      ) : null}
      {load === 'loading' ? <div className="results-loading">Loading results…</div> : null}
      {error !== null ? (
        <div className="results-error" role="alert" data-testid="compare-error">
          Cannot read the results of {runDir}: {error}
        </div>
      ) : null}
      {load === 'ready' && va === vb ? <div className="results-loading">Choose two different variants.</div> : null}
      {comparison !== null ? (
        <>
          <table className="flip-table" data-testid="flip-table">
            <thead>
              <tr>
                <th />
                <th>B ({vb}) succeeds</th>
                <th>B fails</th>
              </tr>
            </thead>
            <tbody>
              <tr>
                <th>A ({va}) succeeds</th>
                <td>{cell('both')}</td>
                <td>{cell('aOnly')}</td>
              </tr>
              <tr>
                <th>A fails</th>
                <td>{cell('bOnly')}</td>
                <td>{cell('neither')}</td>
              </tr>
            </tbody>
          </table>
          <div className="compare-p" data-testid="compare-p">
            {comparison.table.pairs} pairs; McNemar exact p = {formatP(comparison.table.pValue)} ({comparison.table.rightToWrong} A only vs{' '}
            {comparison.table.wrongToRight} B only)
            {comparison.unpairedA + comparison.unpairedB > 0
              ? `; ${comparison.unpairedA + comparison.unpairedB} cells without a partner left out`
              : ''}
          </div>
          {filter !== null ? <SamplesPanel runDir={runDir} filter={filter} onClose={() => setBin(null)} /> : null}
        </>
      ) : null}
    </section>
  )
}
