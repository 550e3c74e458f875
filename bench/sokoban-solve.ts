/**
 * Benchmark section `sokoban-solve`: push-optimal A* on the 3000-level Boxoban sample
 * (environments.md §7.2, §12). Targets: every level solved, median under 20 ms, none over 10 s,
 * single thread.
 *
 * The in-process reference is a plain push BFS (state = player region + boxes, no bound, no
 * deadlock pruning), the baseline algorithm of §7.2, run on the first levels of each file. It
 * gives a same-machine speed ratio and an independent check of the optimal push counts. The
 * Python figures of §7.2 are quoted for context, not rerun.
 *
 * Options (after the section name): `--levels=N` solves only the first N levels of each file;
 * `--reference=N` runs the plain BFS on the first N levels of each file (default 30; 0 skips it).
 */
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { FLOOR, GOAL, type Level } from '../core/sokoban/level.ts'
import { parseXsb } from '../core/sokoban/xsb.ts'
import { solve } from '../core/sokoban/solve/index.ts'
import { numberOption, sharedDataPath } from './environment.ts'
import type { BenchSection } from './sections.ts'
import { median, passFail, printTable, quantile } from './stats.ts'

const BOXOBAN_DIR = sharedDataPath('boxoban')
const FILES = ['unfiltered/test/000.txt', 'medium/train/000.txt', 'hard/000.txt']
const TARGET_MEDIAN_MS = 20
const TARGET_MAX_MS = 10_000

/** environments.md §7.2: plain Python push BFS on this kind of machine (first N levels). */
const PYTHON_BASELINE: ReadonlyArray<readonly string[]> = [
  ['unfiltered/test/000.txt (30)', '4 / 11 / 18', '17.6k / 100k', '1.42 s / 15.0 s / 64.9 s'],
  ['medium/valid/000.txt (10)', '8 / 13 / 18', '9.5k / 21.5k', '0.29 s / 1.6 s / 5.0 s'],
  ['hard/000.txt (30)', '9 / 18 / 30', '6.8k / 99.9k', '0.23 s / 5.0 s / 27.6 s'],
]

/**
 * Fewest pushes by plain BFS over (smallest cell of the player's region, sorted boxes), the
 * §7.2 baseline; no bound, no pruning. States are packed into one number, so it handles levels
 * whose (open cells)^(boxes + 1) fits in 2^53, which covers Boxoban. Returns the push count or
 * -1 when unsolvable, and the number of states stored.
 */
function plainPushBfs(level: Level): { pushes: number; states: number } {
  const { rows, cols, fixed } = level
  const ids = new Int32Array(rows * cols).fill(-1)
  const cells: number[] = []
  for (let i = 0; i < fixed.length; i++) {
    if (fixed[i] === FLOOR || fixed[i] === GOAL) {
      ids[i] = cells.length
      cells.push(i)
    }
  }
  const f = cells.length
  const n = level.start.boxes.length
  if (f ** (n + 1) > 2 ** 53) throw new Error('plainPushBfs: level too large for packed keys.')
  // Neighbour table in compact ids: nb[id * 4 + d] for Up, Down, Left, Right, or -1.
  const nb = new Int32Array(f * 4).fill(-1)
  for (let id = 0; id < f; id++) {
    const r = Math.floor(cells[id] / cols)
    const c = cells[id] % cols
    const around = [r > 0 ? cells[id] - cols : -1, r < rows - 1 ? cells[id] + cols : -1, c > 0 ? cells[id] - 1 : -1, c < cols - 1 ? cells[id] + 1 : -1]
    for (let d = 0; d < 4; d++) nb[id * 4 + d] = around[d] >= 0 ? ids[around[d]] : -1
  }
  const goal = new Uint8Array(f)
  for (let id = 0; id < f; id++) goal[id] = fixed[cells[id]] === GOAL ? 1 : 0
  const boxAt = new Uint8Array(f)
  const stack = new Int32Array(f)
  // Two mark arrays: the parent's region stays marked while each child's region is computed.
  const parentMarks = new Uint32Array(f)
  const childMarks = new Uint32Array(f)
  let stamp = 0
  const region = (from: number, marks: Uint32Array): number => {
    stamp++
    let top = 0
    let min = from
    stack[top++] = from
    marks[from] = stamp
    while (top > 0) {
      const cell = stack[--top]
      for (let d = 0; d < 4; d++) {
        const next = nb[cell * 4 + d]
        if (next >= 0 && !boxAt[next] && marks[next] !== stamp) {
          marks[next] = stamp
          if (next < min) min = next
          stack[top++] = next
        }
      }
    }
    return min
  }
  const pack = (player: number, boxes: number[]): number => {
    let key = player
    for (const b of boxes) key = key * f + b
    return key
  }
  const startBoxes = level.start.boxes.map((b) => ids[b]).sort((a, b) => a - b)
  for (const b of startBoxes) boxAt[b] = 1
  const startKey = pack(region(ids[level.start.player], childMarks), startBoxes)
  for (const b of startBoxes) boxAt[b] = 0
  const visited = new Set<number>([startKey])
  // Each BFS layer is a flat list of positions: player cell, then the n sorted box cells.
  const stride = n + 1
  let frontier: number[] = [ids[level.start.player], ...startBoxes]
  const boxes = new Array<number>(n)
  const moved = new Array<number>(n)
  for (let pushes = 0; frontier.length > 0; pushes++) {
    const next: number[] = []
    for (let s = 0; s < frontier.length; s += stride) {
      const player = frontier[s]
      let onGoal = 0
      for (let i = 0; i < n; i++) {
        boxes[i] = frontier[s + 1 + i]
        onGoal += goal[boxes[i]]
      }
      if (onGoal === n) return { pushes, states: visited.size }
      for (const b of boxes) boxAt[b] = 1
      region(player, parentMarks)
      const reach = stamp
      for (let i = 0; i < n; i++) {
        const b = boxes[i]
        for (let d = 0; d < 4; d++) {
          const back = d ^ 1 // Up<->Down, Left<->Right
          const behind = nb[b * 4 + back]
          const to = nb[b * 4 + d]
          if (behind < 0 || to < 0 || parentMarks[behind] !== reach || boxAt[to]) continue
          for (let k = 0; k < n; k++) moved[k] = k === i ? to : boxes[k]
          moved.sort((x, y) => x - y)
          boxAt[b] = 0
          boxAt[to] = 1
          const key = pack(region(b, childMarks), moved)
          boxAt[to] = 0
          boxAt[b] = 1
          if (visited.has(key)) continue
          visited.add(key)
          next.push(b, ...moved)
        }
      }
      for (const b of boxes) boxAt[b] = 0
    }
    frontier = next
  }
  return { pushes: -1, states: visited.size }
}

function ms(value: number): string {
  return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(value < 10 ? 2 : 1)} ms`
}

export const sokobanSolveSection: BenchSection = {
  name: 'sokoban-solve',
  title: 'push-optimal A* on the 3000-level Boxoban sample (targets: all solved, median < 20 ms, max < 10 s)',
  async run() {
    if (!existsSync(BOXOBAN_DIR)) {
      console.log('shared data absent: ../shared/data/boxoban not found; section skipped.')
      return
    }
    const limit = numberOption('levels', Infinity)
    const referenceCount = numberOption('reference', 30)
    const clock = (): number => performance.now()
    const all: number[] = []
    const rows: Array<Array<string | number>> = []
    const pushesByFile = new Map<string, number[]>()
    let solvedCount = 0
    let total = 0
    let slowest = { ms: 0, where: '' }
    const levelsOf = new Map(FILES.map((file) => [file, parseXsb(readFileSync(path.join(BOXOBAN_DIR, file), 'utf8'))]))
    const fileLevels = (file: string): Level[] => levelsOf.get(file) ?? []
    // Warm the JIT on a few levels so the first file's figures are not skewed.
    for (const level of fileLevels(FILES[0]).slice(0, 20)) solve(level)

    for (const file of FILES) {
      const levels = fileLevels(file).slice(0, limit)
      const times: number[] = []
      const expanded: number[] = []
      const pushes: number[] = []
      let solved = 0
      for (const [i, level] of levels.entries()) {
        const t0 = performance.now()
        const result = solve(level, { clock })
        const elapsed = performance.now() - t0
        times.push(elapsed)
        expanded.push(result.stats.expanded)
        pushes.push(result.status === 'solved' ? result.pushCount : -1)
        if (result.status === 'solved') solved++
        else console.log(`  ${file} level ${i}: ${result.status}${result.reason ? ` (${result.reason})` : ''}`)
        if (elapsed > slowest.ms) slowest = { ms: elapsed, where: `${file} level ${i}` }
      }
      pushesByFile.set(file, pushes)
      all.push(...times)
      solvedCount += solved
      total += levels.length
      const solvedPushes = pushes.filter((p) => p >= 0)
      rows.push([
        file,
        `${solved}/${levels.length}`,
        `${Math.min(...solvedPushes)} / ${median(solvedPushes)} / ${Math.max(...solvedPushes)}`,
        median(expanded),
        Math.max(...expanded),
        ms(median(times)),
        ms(quantile(times, 0.9)),
        ms(Math.max(...times)),
        ms(times.reduce((a, b) => a + b, 0)),
      ])
    }
    rows.push([
      'all',
      `${solvedCount}/${total}`,
      '',
      '',
      '',
      ms(median(all)),
      ms(quantile(all, 0.9)),
      ms(Math.max(...all)),
      ms(all.reduce((a, b) => a + b, 0)),
    ])
    printTable(['file', 'solved', 'pushes min/med/max', 'expanded med', 'expanded max', 'median', 'p90', 'max', 'total'], rows)
    console.log(`slowest: ${slowest.where} (${ms(slowest.ms)})`)

    if (referenceCount > 0) {
      console.log(`\nReference: plain push BFS (no bound, no pruning) on the first ${referenceCount} levels of each file, same process`)
      const refRows: Array<Array<string | number>> = []
      for (const file of FILES) {
        const levels = fileLevels(file).slice(0, Math.min(referenceCount, limit))
        const bfsTimes: number[] = []
        const astarTimes: number[] = []
        const states: number[] = []
        let mismatches = 0
        for (const [i, level] of levels.entries()) {
          const t0 = performance.now()
          const reference = plainPushBfs(level)
          bfsTimes.push(performance.now() - t0)
          states.push(reference.states)
          const t1 = performance.now()
          const result = solve(level)
          astarTimes.push(performance.now() - t1)
          const got = result.status === 'solved' ? result.pushCount : -1
          if (got !== reference.pushes) {
            mismatches++
            console.log(`  MISMATCH ${file} level ${i}: A* ${got} pushes, BFS ${reference.pushes}`)
          }
        }
        refRows.push([
          `${file} (${levels.length})`,
          `${levels.length - mismatches}/${levels.length}`,
          `${(median(states) / 1000).toFixed(1)}k / ${(Math.max(...states) / 1000).toFixed(1)}k`,
          ms(median(bfsTimes)),
          ms(Math.max(...bfsTimes)),
          ms(median(astarTimes)),
          `${(median(bfsTimes) / median(astarTimes)).toFixed(0)}x`,
        ])
      }
      printTable(['file', 'same pushes', 'BFS states med / max', 'BFS median', 'BFS max', 'A* median', 'speed-up (medians)'], refRows)
    }

    console.log('\nPython push BFS baseline (environments.md §7.2, quoted, not rerun):')
    printTable(['file (first N)', 'pushes min/med/max', 'states med/max', 'time med / max / total'], PYTHON_BASELINE)

    const medianMs = median(all)
    const maxMs = Math.max(...all)
    const full = total === 3000
    const checks = [
      [`solved ${solvedCount}/${total}`, solvedCount === total],
      [`median ${ms(medianMs)} < ${TARGET_MEDIAN_MS} ms`, medianMs < TARGET_MEDIAN_MS],
      [`max ${ms(maxMs)} < ${TARGET_MAX_MS / 1000} s`, maxMs < TARGET_MAX_MS],
    ] as const
    const pass = checks.every(([, ok]) => ok)
    const verdict = full ? passFail(pass) : 'PARTIAL RUN (the targets need all 3000 levels; drop --levels)'
    console.log(`\n${verdict}: ${checks.map(([text, ok]) => `${text} ${ok ? 'ok' : 'FAILED'}`).join('; ')}`)
  },
}
