/**
 * Benchmark section `gp-solve`: the complete exact 24-game solver (environments.md §9).
 *
 * Figures: time to decide all 1820 four-card and all 6188 five-card rank multisets (ranks 1..13,
 * J/Q/K = 11/12/13, target 24; median of several runs), and time to enumerate every distinct
 * solution of all four-card multisets. The reference is `reference/gp_solver.py`, a plain
 * recursive pair-combination solver over Python's `fractions.Fraction`, run in the same command.
 *
 * Targets: four cards decided in < 0.3 s; five cards in < 10 s; both at least 20× the Python
 * reference. Both solvers must also reproduce the ground-truth counts 1362 and 6104.
 *
 * Options (after the section name): `--runs=N` TypeScript runs per figure (default 5, at least
 * 3); `--python-runs=N` Python runs for four cards (default 3; five cards always run once, as
 * one run takes about a minute); `--no-python` skips the reference.
 */
import { allSolutions, isSolvable } from '../core/gp/solver.ts'
import { flagOption, numberOption, runPythonJson } from './environment.ts'
import type { BenchSection } from './sections.ts'
import { median, passFail, printTable, timed } from './stats.ts'

const PYTHON_SCRIPT = 'bench/reference/gp_solver.py'
const TARGET_FOUR_S = 0.3
const TARGET_FIVE_S = 10
const TARGET_RATIO = 20
/** environments.md §9: solvable rank multisets for 24 with J/Q/K = 11/12/13. */
const EXPECTED = { four: 1362, five: 6104 } as const

/** Every multiset of `size` ranks from 1..13, in lexicographic order. */
function rankMultisets(size: number): number[][] {
  const out: number[][] = []
  const hand: number[] = []
  const build = (from: number): void => {
    if (hand.length === size) {
      out.push([...hand])
      return
    }
    for (let rank = from; rank <= 13; rank++) {
      hand.push(rank)
      build(rank)
      hand.pop()
    }
  }
  build(1)
  return out
}

interface Timing {
  seconds: number[]
  count: number
}

function timeRuns(runs: number, work: () => number): Timing {
  work() // warm-up: JIT and scratch buffers
  const seconds: number[] = []
  let count = 0
  for (let r = 0; r < runs; r++) {
    const { ms, value } = timed(work)
    seconds.push(ms / 1000)
    count = value
  }
  return { seconds, count }
}

interface PythonResult {
  seconds: number[]
  solvable: number
}

/** Runs the Python reference; null (with the reason printed) when it cannot run. */
function runPython(cards: number, runs: number): PythonResult | null {
  const outcome = runPythonJson<PythonResult>(PYTHON_SCRIPT, ['--cards', String(cards), '--runs', String(runs)])
  if (outcome.ok) return outcome.value
  console.log(`${outcome.why}: TypeScript figures only.`)
  return null
}

function seconds(s: number): string {
  return s < 1 ? `${(s * 1000).toFixed(1)} ms` : `${s.toFixed(2)} s`
}

export const gpSolveSection: BenchSection = {
  name: 'gp-solve',
  title: 'complete exact 24-game solver: decide all 4- and 5-card rank multisets, enumerate distinct solutions',
  async run() {
    const runs = Math.max(3, numberOption('runs', 5))
    const pythonRuns = Math.max(1, numberOption('python-runs', 3))
    const withPython = !flagOption('no-python')
    const four = rankMultisets(4)
    const five = rankMultisets(5)

    const decideFour = timeRuns(runs, () => four.filter((h) => isSolvable(h)).length)
    const decideFive = timeRuns(runs, () => five.filter((h) => isSolvable(h)).length)
    let distinct = 0
    const enumerateFour = timeRuns(3, () => {
      distinct = 0
      let solvable = 0
      for (const h of four) {
        const { count } = allSolutions(h)
        distinct += count
        if (count > 0) solvable++
      }
      return solvable
    })

    let pyFour: PythonResult | null = null
    let pyFive: PythonResult | null = null
    if (withPython) {
      console.log(`Python reference: ${pythonRuns} run(s) for four cards, 1 for five (about a minute) ...`)
      pyFour = runPython(4, pythonRuns)
      if (pyFour !== null) pyFive = runPython(5, 1)
    } else {
      console.log('Python reference skipped (--no-python): TypeScript figures only.')
    }

    const tsFour = median(decideFour.seconds)
    const tsFive = median(decideFive.seconds)
    const rows: (string | number)[][] = [
      ['decide 1820 four-card', decideFour.count, seconds(tsFour), pyFour ? seconds(median(pyFour.seconds)) : '-',
        pyFour ? `${(median(pyFour.seconds) / tsFour).toFixed(0)}×` : '-'],
      ['decide 6188 five-card', decideFive.count, seconds(tsFive), pyFive ? seconds(median(pyFive.seconds)) : '-',
        pyFive ? `${(median(pyFive.seconds) / tsFive).toFixed(0)}×` : '-'],
      ['all distinct solutions, four-card', `${enumerateFour.count} (${distinct} sols)`, seconds(median(enumerateFour.seconds)), '-', '-'],
    ]
    console.log(`TypeScript: median of ${runs} runs (enumeration: 3) after one warm-up; ranks 1..13, J/Q/K = 11/12/13, target 24.`)
    printTable(['task', 'solvable', 'TypeScript', 'Python', 'ratio'], rows)
    console.log(`TypeScript runs (s): four ${decideFour.seconds.map((s) => s.toFixed(3)).join(' ')}; `
      + `five ${decideFive.seconds.map((s) => s.toFixed(3)).join(' ')}`)
    if (pyFour) console.log(`Python runs (s): four ${pyFour.seconds.map((s) => s.toFixed(2)).join(' ')}; five ${pyFive?.seconds.map((s) => s.toFixed(2)).join(' ') ?? '-'}`)

    console.log('')
    console.log(`${passFail(decideFour.count === EXPECTED.four && decideFive.count === EXPECTED.five)} `
      + `ground truth: ${decideFour.count}/${four.length} and ${decideFive.count}/${five.length} (expected 1362/1820, 6104/6188)`)
    if (pyFour && pyFive) {
      console.log(`${passFail(pyFour.solvable === EXPECTED.four && pyFive.solvable === EXPECTED.five)} `
        + `Python agrees: ${pyFour.solvable} and ${pyFive.solvable}`)
    }
    console.log(`${passFail(tsFour < TARGET_FOUR_S)} four cards decided in ${seconds(tsFour)} (target < ${TARGET_FOUR_S} s)`)
    console.log(`${passFail(tsFive < TARGET_FIVE_S)} five cards decided in ${seconds(tsFive)} (target < ${TARGET_FIVE_S} s)`)
    if (pyFour) {
      const ratio = median(pyFour.seconds) / tsFour
      console.log(`${passFail(ratio >= TARGET_RATIO)} four cards ${ratio.toFixed(0)}× the Python reference (target >= ${TARGET_RATIO}×)`)
    }
    if (pyFive) {
      const ratio = median(pyFive.seconds) / tsFive
      console.log(`${passFail(ratio >= TARGET_RATIO)} five cards ${ratio.toFixed(0)}× the Python reference (target >= ${TARGET_RATIO}×)`)
    }
  },
}
