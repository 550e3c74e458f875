/**
 * Benchmark section `eval`: the evaluation engine's own cost, with the model out of the picture.
 * The policy is `oracleClient()` (core/eval/scripted.ts: zero latency, it reads the board back from
 * the prompt and answers the first optimal move), so what is timed is everything else a sweep does:
 * generating the levels, rendering each turn's paper prompt, parsing the answer, stepping the env,
 * deadlock and optimal-move facts per turn, aggregates, and the run store appending every finished
 * cell and each new prompt to a run folder in a temporary directory.
 *
 * 1. Throughput: closed-loop 6×6 one-box Sokoban episodes per second (the paper's protocol, 30
 *    turns / 30 steps) into a real run folder, median of `--runs` runs. Target: at least 5,000
 *    episodes/s, so the engine never limits a sweep. Measured in this one Node process (Node cannot
 *    pin itself to a core; the figure is single-threaded JavaScript, the store's writes included).
 *    For context, the same sweep without the store (no sink), and the level generator alone, are
 *    timed in the same command.
 *    Rates are given per wall-clock second and per CPU-second of this process (user + system): on
 *    a shared machine the wall figure counts time other processes held the core, the CPU figure
 *    is what one dedicated core would do, and the target is checked against it. The load average
 *    is printed with them: under heavy load even CPU-seconds stretch (shared caches and cores).
 * 2. Memory: peak resident set size (`process.memoryUsage.rss()`, sampled every 100 cells) over a
 *    `--cells`-cell oracle sweep (default 10,000) with the store, in a child process that loads the
 *    engine only (the bench process also holds the other sections' libraries). Target: under 300 MB.
 *
 * Options (after the section name): `--episodes=N` cells per throughput run (default 3,000);
 * `--runs=N` (default 5: on a shared machine single runs move by 30% and more); `--cells=N` for the
 * memory sweep (default 10,000).
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { countCells } from '../core/eval/cells.ts'
import { runSweep, type RunSink } from '../core/eval/runner.ts'
import { oracleClient } from '../core/eval/scripted.ts'
import { parseSweepSpec, sweepInstanceSet, type SweepSpec } from '../core/eval/spec.ts'
import { instanceAt } from '../core/experiment/instance-set.ts'
import { createRun, readRun } from '../electron/eval/run-folder.ts'
import { promptHash } from '../electron/eval/eval-service.ts'
import { numberOption, repoPath } from './environment.ts'
import type { BenchSection } from './sections.ts'
import { median, passFail, printTable } from './stats.ts'

const TARGET_EPISODES_PER_SECOND = 5_000
const TARGET_RSS_MB = 300

/** A closed-loop 6×6 one-box sweep over the oracle: `variants.length` × `instances` cells. */
function oracleSweep(name: string, instances: number, variants: readonly string[]): SweepSpec {
  return parseSweepSpec({
    version: 1,
    name,
    task: 'sokoban',
    seed: 2024,
    variants,
    difficulties: [{ name: '6x6-1', difficulty: 'simple' }],
    instances,
    repeats: 1,
    protocol: { mode: 'closed-loop', maxTurns: 30, maxSteps: 30 },
    // The backend is never opened: the bench hands the runner the oracle client directly.
    models: [{ name: 'oracle', backend: { kind: 'onnx', path: 'unused' } }],
    concurrency: 16,
  })
}

interface SweepFigures {
  readonly seconds: number
  /** User + system CPU seconds of this process during the sweep. */
  readonly cpuSeconds: number
  readonly cells: number
  readonly successes: number
  readonly peakRssMb: number
}

/** Runs `spec` with the oracle, into a fresh run folder when `store` is set. */
async function timeSweep(spec: SweepSpec, store: boolean, sampleRss = false): Promise<SweepFigures> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sftbench-bench-eval-'))
  try {
    const writer = store ? await createRun(dir, { spec, models: [], total: countCells(spec) }) : undefined
    const sink: RunSink | undefined = writer
    let cells = 0
    let peak = process.memoryUsage.rss()
    const cpuStart = process.cpuUsage()
    const started = performance.now()
    const outcome = await runSweep(spec, {
      clients: new Map([['oracle', oracleClient()]]),
      clock: { now: () => performance.now() },
      hash: promptHash,
      ...(sink === undefined ? {} : { sink }),
      onEvent: (event) => {
        if (event.type !== 'cell-finished') return
        cells++
        if (sampleRss && cells % 100 === 0) peak = Math.max(peak, process.memoryUsage.rss())
      },
    })
    const seconds = (performance.now() - started) / 1000
    const cpu = process.cpuUsage(cpuStart)
    await writer?.finish({ status: outcome.status, total: outcome.total, aggregates: outcome.aggregates })
    peak = Math.max(peak, process.memoryUsage.rss())
    if (writer !== undefined) {
      // The store must hold every cell, or the figure is not of a complete run.
      const lines = (await readRun(dir)).results.length
      if (lines !== outcome.done) throw new Error(`The run folder holds ${lines} cells, but ${outcome.done} finished.`)
    }
    const successes = outcome.aggregates.reduce((sum, a) => sum + a.successes, 0)
    return { seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, cells, successes, peakRssMb: peak / 2 ** 20 }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

/** Levels per wall-clock and per CPU-second of the instance generator alone, over the sweep's instance set. */
function timeGeneration(spec: SweepSpec): { wall: number; cpu: number } {
  const set = sweepInstanceSet(spec, 0)
  const cpuStart = process.cpuUsage()
  const started = performance.now()
  for (let i = 0; i < spec.instances; i++) instanceAt(set, i)
  const cpu = process.cpuUsage(cpuStart)
  return {
    wall: spec.instances / ((performance.now() - started) / 1000),
    cpu: spec.instances / ((cpu.user + cpu.system) / 1e6),
  }
}

/** The 1-minute load average, for reading the figures: on a shared machine they move with it. */
function load(): string {
  return os.loadavg()[0].toFixed(1)
}

/** Memory figures of the child process. */
interface MemoryFigures {
  readonly cells: number
  readonly seconds: number
  readonly rssBeforeMb: number
  readonly peakRssMb: number
}

/** The memory sweep: `cells` cells over two variants (paired cells share their level), with the store. */
async function measureMemory(cells: number): Promise<MemoryFigures> {
  const spec = oracleSweep('bench-memory', Math.ceil(cells / 2), ['sokoban-eval-base', 'sokoban-eval-cardinal'])
  const rssBeforeMb = process.memoryUsage.rss() / 2 ** 20
  const figures = await timeSweep(spec, true, true)
  return { cells: figures.cells, seconds: figures.seconds, rssBeforeMb, peakRssMb: figures.peakRssMb }
}

/** Runs `measureMemory` in a child process (this file as its entry point) and reads its JSON line. */
function measureMemoryInChild(cells: number): MemoryFigures {
  const child = spawnSync(
    process.execPath,
    [repoPath('electron/cli/run-ts.mjs'), repoPath('bench/eval.ts'), `--cells=${cells}`],
    { encoding: 'utf8', maxBuffer: 1 << 20 },
  )
  if (child.status !== 0) throw new Error(`The memory run failed (exit ${child.status}): ${child.stderr.trim()}`)
  const last = child.stdout.trim().split('\n').at(-1) ?? ''
  return JSON.parse(last) as MemoryFigures
}

export const evalSection: BenchSection = {
  name: 'eval',
  title: `evaluation engine with the oracle policy and the run store: >= ${TARGET_EPISODES_PER_SECOND} closed-loop 6×6 episodes/s, a 10,000-cell sweep under ${TARGET_RSS_MB} MB RSS`,
  async run() {
    const episodes = numberOption('episodes', 3_000)
    const runs = Math.max(1, numberOption('runs', 5))
    const memoryCells = numberOption('cells', 10_000)

    const loadBefore = load()
    const memory = measureMemoryInChild(memoryCells)
    console.log(
      `memory: ${memory.cells} cells with the store in ${memory.seconds.toFixed(1)} s (own process); RSS ` +
        `${memory.rssBeforeMb.toFixed(0)} MB before the sweep, peak ${memory.peakRssMb.toFixed(0)} MB ` +
        `(target < ${TARGET_RSS_MB} MB) ${passFail(memory.peakRssMb < TARGET_RSS_MB)}`,
    )

    const spec = oracleSweep('bench-throughput', episodes, ['sokoban-eval-base'])
    // Warm-up (untimed): the first runs pay for compiling the hot paths; with 1,000 cells the first
    // timed run was still often the slowest of its series.
    await timeSweep(oracleSweep('bench-warm-up', 2_000, ['sokoban-eval-cardinal']), true)
    const stored: SweepFigures[] = []
    const bare: SweepFigures[] = []
    for (let r = 0; r < runs; r++) {
      // Alternate, so load from other processes hits both alike.
      stored.push(await timeSweep(spec, true))
      bare.push(await timeSweep(spec, false))
    }
    const wall = (f: SweepFigures): number => f.cells / f.seconds
    const perCpu = (f: SweepFigures): number => f.cells / f.cpuSeconds
    const generations = Array.from({ length: runs }, () => timeGeneration(spec))
    const generation = { wall: median(generations.map((g) => g.wall)), cpu: median(generations.map((g) => g.cpu)) }
    const rate = median(stored.map(perCpu))
    printTable(
      ['closed-loop 6×6/1, oracle', 'episodes/CPU-s (median)', 'runs', 'episodes/wall-s (median)', 'vs target'],
      [
        [
          'engine + run store',
          rate.toFixed(0),
          stored.map((f) => perCpu(f).toFixed(0)).join(' '),
          median(stored.map(wall)).toFixed(0),
          `${(rate / TARGET_EPISODES_PER_SECOND).toFixed(2)}×`,
        ],
        ['engine, no store', median(bare.map(perCpu)).toFixed(0), bare.map((f) => perCpu(f).toFixed(0)).join(' '), median(bare.map(wall)).toFixed(0), ''],
        ['level generation alone (levels/s)', generation.cpu.toFixed(0), '', generation.wall.toFixed(0), ''],
      ],
    )
    const successRate = stored.reduce((sum, f) => sum + f.successes, 0) / stored.reduce((sum, f) => sum + f.cells, 0)
    console.log(
      `oracle success ${(successRate * 100).toFixed(1)}% (expected 100%); ${episodes} episodes per run. ` +
        `Target >= ${TARGET_EPISODES_PER_SECOND} episodes per CPU-second: ${passFail(rate >= TARGET_EPISODES_PER_SECOND)}`,
    )
    console.log(`load average (1 min) ${loadBefore} at the start of the section, ${load()} at the end`)
  },
}

// Entry point of the memory child (see `measureMemoryInChild`).
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(JSON.stringify(await measureMemory(numberOption('cells', 10_000))))
}
