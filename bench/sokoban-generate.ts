/**
 * Benchmark section `sokoban-generate`: the seeded reverse-play level generator
 * (environments.md §4, §5, §12) at gym-sokoban's search settings (TTL 300, 300 000-state cap)
 * for 6×6/1, 6×6/2, 8×8/2 and 10×10/3, with everything else at its defaults.
 *
 * Speed: levels per second, retries included, median of several runs of up to a few thousand
 * levels or a few seconds each. The reference is `reference/gym_sokoban_generate.py`, a port
 * of gym-sokoban's generator with its costs (numpy grid copy per search node, recursion,
 * marshalled keys), run in the same command: TypeScript and Python runs alternate, so load from
 * other processes hits both alike. Target: at least 50× the Python rate at every setting.
 *
 * Difficulty: move-optimal solution lengths of a fixed sample (seed 7) found by the optimal
 * solver in move mode with a node cap; levels it gave up on are counted and printed, never
 * dropped silently. Target: median within 1 of gym-sokoban's 2 / 6 / 12 / 26 (§5.2), or above.
 * The Python port's levels from the speed runs are solved the same way, for comparison.
 *
 * Options (after the section name): `--runs=N` runs per side and setting (default 3, at least 3);
 * `--python-levels=N` and `--python-seconds=S` bound one Python run (default 300 levels or 20 s);
 * `--difficulty-levels=N` levels per setting for the difficulty sample (default 100); `--no-python`
 * skips the reference.
 */
import { generateLevels, validateGeneratorConfig, type GeneratorConfig } from '../core/sokoban/generate.ts'
import { parseXsbLevel } from '../core/sokoban/xsb.ts'
import { solve } from '../core/sokoban/solve/index.ts'
import type { Level } from '../core/sokoban/level.ts'
import { flagOption, numberOption, runPythonJson } from './environment.ts'
import type { BenchSection } from './sections.ts'
import { mean, median, passFail, printTable } from './stats.ts'

const PYTHON_SCRIPT = 'bench/reference/gym_sokoban_generate.py'
const TARGET_RATIO = 50
/** Move-optimal node cap per level for the difficulty figures. */
const SOLVER_MAX_NODES = 2_000_000

interface Setting {
  readonly rows: number
  readonly cols: number
  readonly boxes: number
  /** gym-sokoban's median optimal moves (environments.md §5.2). */
  readonly gymMedian: number
  /** One TypeScript run: at most this many levels ... */
  readonly tsLevels: number
}

const SETTINGS: readonly Setting[] = [
  { rows: 6, cols: 6, boxes: 1, gymMedian: 2, tsLevels: 20_000 },
  { rows: 6, cols: 6, boxes: 2, gymMedian: 6, tsLevels: 10_000 },
  { rows: 8, cols: 8, boxes: 2, gymMedian: 12, tsLevels: 3_000 },
  { rows: 10, cols: 10, boxes: 3, gymMedian: 26, tsLevels: 300 },
]
/** ... or this many seconds. */
const TS_RUN_SECONDS = 3

function label(s: Setting): string {
  return `${s.rows}×${s.cols}/${s.boxes}`
}

function configOf(s: Setting): GeneratorConfig {
  // gym-sokoban's search settings, stated explicitly although they are the defaults.
  return { rows: s.rows, cols: s.cols, boxes: s.boxes, searchDepth: 300, stateBudget: 300_000 }
}

/** One timed TypeScript run: levels per second, in chunks until the level or time budget is spent. */
function tsRun(config: GeneratorConfig, seed: number, maxLevels: number): number {
  const t0 = performance.now()
  let made = 0
  while (made < maxLevels && performance.now() - t0 < TS_RUN_SECONDS * 1000) {
    const chunk = Math.min(25, maxLevels - made)
    generateLevels(config, seed, chunk, made)
    made += chunk
  }
  return made / ((performance.now() - t0) / 1000)
}

interface PythonRun {
  readonly rate: number
  readonly levels: number
  readonly seconds: number
  readonly retries: number
  readonly xsb: readonly string[]
}

/** What the reference script prints for one setting. */
interface PythonReport {
  readonly runs: readonly { rate: number; levels: number; seconds: number; retries: number }[]
  readonly levels?: readonly string[]
}

type PythonRunOutcome = { readonly ok: true; readonly run: PythonRun } | { readonly ok: false; readonly why: string }

/** One Python run of a setting; `dump` levels come back as XSB for the difficulty comparison. */
function pythonRun(s: Setting, seed: number, maxLevels: number, maxSeconds: number, dump: number): PythonRunOutcome {
  const args = ['--setting', `${s.rows}x${s.cols}x${s.boxes}`, '--runs', '1', '--seed', String(seed),
    '--levels', String(maxLevels), '--seconds', String(maxSeconds), '--dump', String(dump)]
  const outcome = runPythonJson<PythonReport>(PYTHON_SCRIPT, args, 64 << 20)
  if (!outcome.ok) return outcome
  return { ok: true, run: { ...outcome.value.runs[0], xsb: outcome.value.levels ?? [] } }
}

interface Difficulty {
  readonly moves: number[]
  /** Titles or indices of levels the solver gave up on. */
  readonly gaveUp: string[]
}

function difficulty(levels: readonly Level[], names: readonly string[]): Difficulty {
  const moves: number[] = []
  const gaveUp: string[] = []
  levels.forEach((level, i) => {
    const result = solve(level, { optimal: 'moves', maxNodes: SOLVER_MAX_NODES })
    if (result.status === 'solved') moves.push(result.moveCount)
    else gaveUp.push(`${names[i]} (${result.status}${result.reason ? `: ${result.reason}` : ''})`)
  })
  return { moves, gaveUp }
}

function describeMoves(d: Difficulty | null): string {
  if (d === null || d.moves.length === 0) return '-'
  const gave = d.gaveUp.length > 0 ? `, ${d.gaveUp.length} gave up` : ''
  return `${mean(d.moves).toFixed(2)} / ${median(d.moves)} / ${Math.max(...d.moves)} (n=${d.moves.length}${gave})`
}

export const sokobanGenerateSection: BenchSection = {
  name: 'sokoban-generate',
  title: 'reverse-play level generator vs a gym-sokoban port: levels/s and optimal solution lengths',
  async run() {
    const runs = Math.max(3, numberOption('runs', 3))
    const pythonLevels = numberOption('python-levels', 300)
    const pythonSeconds = numberOption('python-seconds', 20, 'number')
    const sampleSize = Math.max(1, numberOption('difficulty-levels', 100))
    let withPython = !flagOption('no-python')
    if (!withPython) console.log('Python reference skipped (--no-python): TypeScript figures only.')
    const defaults = validateGeneratorConfig(configOf(SETTINGS[0]))
    console.log(`TypeScript: defaults (candidates ${defaults.candidates}, player walk ${defaults.playerWalk ? 'on' : 'off'}, `
      + `swap counting '${defaults.swapCounting}'), search depth 300, state budget 300000; one run = up to N levels or `
      + `${TS_RUN_SECONDS} s, after a warm-up. Python: gym-sokoban port, one run = up to ${pythonLevels} levels or `
      + `${pythonSeconds} s (a run ends after the level that crosses the limit). Runs alternate TS / Python.`)

    const rows: (string | number)[][] = []
    const verdicts: string[] = []
    for (const s of SETTINGS) {
      const config = configOf(s)
      tsRun(config, 999, Math.ceil(s.tsLevels / 10)) // warm-up: JIT and scratch buffers
      const tsRates: number[] = []
      const pyRates: number[] = []
      const pyXsb: string[] = []
      let pyRetries = 0
      let pyLevels = 0
      for (let r = 0; r < runs; r++) {
        tsRates.push(tsRun(config, 1000 + r, s.tsLevels))
        if (!withPython) continue
        const py = pythonRun(s, 100 + r, pythonLevels, pythonSeconds, sampleSize)
        if (!py.ok) {
          console.log(`${py.why}. TypeScript figures only.`)
          withPython = false
          pyRates.length = 0
          continue
        }
        pyRates.push(py.run.rate)
        pyRetries += py.run.retries
        pyLevels += py.run.levels
        pyXsb.push(...py.run.xsb.slice(0, sampleSize - pyXsb.length))
      }

      const generated = generateLevels(config, 7, sampleSize)
      const tsDifficulty = difficulty(generated.map((g) => g.level), generated.map((_, i) => `level 7-${i}`))
      const pyDifficulty = pyXsb.length > 0 ? difficulty(pyXsb.map((x) => parseXsbLevel(x)), pyXsb.map((_, i) => `Python level ${i}`)) : null

      const ts = median(tsRates)
      const py = pyRates.length > 0 ? median(pyRates) : NaN
      const ratio = ts / py
      const tsMedian = median(tsDifficulty.moves)
      rows.push([
        label(s),
        ts.toFixed(ts < 100 ? 1 : 0),
        Number.isNaN(py) ? '-' : py.toFixed(py < 10 ? 2 : 1),
        Number.isNaN(ratio) ? '-' : `${ratio.toFixed(0)}×`,
        describeMoves(tsDifficulty),
        describeMoves(pyDifficulty),
        s.gymMedian,
      ])
      console.log(`${label(s)}: TS runs ${tsRates.map((x) => x.toFixed(x < 100 ? 1 : 0)).join(' ')} levels/s`
        + (pyRates.length > 0 ? `; Python runs ${pyRates.map((x) => x.toFixed(2)).join(' ')} levels/s `
          + `(${pyLevels} levels, ${pyRetries} generate_room retries)` : ''))
      for (const name of [...tsDifficulty.gaveUp, ...(pyDifficulty?.gaveUp ?? [])]) console.log(`  solver gave up: ${name}`)
      if (!Number.isNaN(ratio)) {
        verdicts.push(`${passFail(ratio >= TARGET_RATIO)} ${label(s)} speed ${ratio.toFixed(0)}× the Python port (target ≥ ${TARGET_RATIO}×)`)
      }
      verdicts.push(`${passFail(tsMedian >= s.gymMedian - 1)} ${label(s)} median optimal moves ${tsMedian} `
        + `(target ≥ ${s.gymMedian - 1}: gym-sokoban's ${s.gymMedian}, within 1 or above)`)
    }

    console.log('')
    printTable(
      ['setting', 'TS levels/s', 'Python levels/s', 'ratio', 'TS moves mean / median / max', 'Python moves mean / median / max', 'gym median'],
      rows,
    )
    console.log('')
    for (const line of verdicts) console.log(line)
  },
}
