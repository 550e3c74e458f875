/**
 * A paired comparison of two variants of a run: the flip table (both succeed / A only / B only /
 * neither) with McNemar's exact p-value (core's `flipTable`), each bin opening exactly its samples.
 */
import { useEffect, useMemo, useState } from 'react'
import type { CellResult } from '../../../core/eval/types.ts'
import { useWorkbench } from '../app/context.ts'
import { binCount, binFilter, comparePaired, formatP, type CompareChoice, type FlipBin } from './compare.ts'
import { SamplesPanel } from './SamplesPanel.tsx'
import './results.css'

export interface ComparePanelProps {
  readonly runDir: string
  readonly variants: readonly string[]
}

type Load = { state: 'loading' } | { state: 'error'; message: string } | { state: 'ready'; results: CellResult[] }

const PAGE = 5000

function distinct(values: Iterable<string>): string[] {
  return [...new Set(values)]
}

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
export function ComparePanel({ runDir, variants }: ComparePanelProps) {
  const { transport } = useWorkbench()
  const [load, setLoad] = useState<Load>({ state: 'loading' })
  const [a, setA] = useState(variants[0] ?? '')
  const [b, setB] = useState(variants[1] ?? variants[0] ?? '')
  const [difficulty, setDifficulty] = useState('')
  const [model, setModel] = useState('')
  const [bin, setBin] = useState<FlipBin | null>(null)
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
  const results = load.state === 'ready' ? load.results : null
  const difficulties = useMemo(() => distinct((results ?? []).map((r) => r.difficulty)), [results])
  const models = useMemo(() => distinct((results ?? []).map((r) => r.model)), [results])
  const chosenModel = model !== '' ? model : models.length > 1 ? models[0] : undefined
  const choice: CompareChoice = useMemo(
    () => ({ a, b, ...(difficulty !== '' ? { difficulty } : {}), ...(chosenModel !== undefined ? { model: chosenModel } : {}) }),
    [a, b, difficulty, chosenModel],
  )
  const comparison = useMemo(() => (results === null || a === b ? null : comparePaired(results, choice)), [results, choice, a, b])
  const variantOptions = variants.map((v) => [v, v] as const)
  const cell = (which: FlipBin) =>
    comparison === null ? null : (
      <button type="button" className={bin === which ? 'active' : ''} data-testid={`flip-${which}`} onClick={() => setBin(bin === which ? null : which)}>
        {binCount(comparison.table, which)}
      </button>
    )
  return (
    <section className="results-panel" data-testid="compare-panel" aria-label="Compare variants">
      <div className="compare-form">
        <Select label="Variant A" value={a} options={variantOptions} onChange={(v) => (setA(v), setBin(null))} testId="compare-a" />
        <Select label="Variant B" value={b} options={variantOptions} onChange={(v) => (setB(v), setBin(null))} testId="compare-b" />
        {difficulties.length > 1 ? (
          <Select
            label="Difficulty"
            value={difficulty}
            options={[['', 'all'], ...difficulties.map((d) => [d, d] as const)]}
            onChange={(v) => (setDifficulty(v), setBin(null))}
            testId="compare-difficulty"
          />
        ) : null}
        {models.length > 1 ? (
          <Select label="Model" value={chosenModel ?? ''} options={models.map((m) => [m, m] as const)} onChange={(v) => (setModel(v), setBin(null))} testId="compare-model" />
        ) : null}
      </div>
      {load.state === 'loading' ? <div className="results-loading">Loading results…</div> : null}
      {load.state === 'error' ? (
        <div className="results-error" role="alert">
          Cannot read the run: {load.message}
        </div>
      ) : null}
      {load.state === 'ready' && a === b ? <div className="results-loading">Choose two different variants.</div> : null}
      {comparison !== null ? (
        <>
          <table className="flip-table" data-testid="flip-table">
            <thead>
              <tr>
                <th />
                <th>B ({b}) succeeds</th>
                <th>B fails</th>
              </tr>
            </thead>
            <tbody>
              <tr>
                <th>A ({a}) succeeds</th>
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
          {bin !== null ? (
            <SamplesPanel runDir={runDir} filter={binFilter(comparison, choice, bin)} onClose={() => setBin(null)} />
          ) : null}
        </>
      ) : null}
    </section>
  )
}
