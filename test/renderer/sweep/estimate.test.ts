import { describe, expect, it } from 'vitest'
import {
  cellCount,
  estimateSweep,
  formatDuration,
  liveSecondsPerCell,
  rateOfRun,
  remainingSeconds,
  secondsPerCellFromSpans,
  secondsPerCellFromSpeed,
  tokensPerCell,
  type Workload,
} from '../../../renderer/src/sweep/estimate.ts'

const closed: Workload = { task: 'sokoban', mode: 'closed-loop', maxTurns: 5, maxNewTokens: 24 }

describe('sweep size and tokens per cell', () => {
  it('counts variants × difficulties × N × R × models', () => {
    expect(cellCount({ variants: 2, difficulties: 3, instances: 4, repeats: 5, models: 1 })).toBe(120)
    expect(cellCount({ variants: 2, difficulties: 2, instances: 3, repeats: 1, models: 2 })).toBe(24)
  })

  it('a closed-loop Sokoban cell answers once per turn; open loop and General Points answer once', () => {
    expect(tokensPerCell({ task: 'sokoban', mode: 'closed-loop', maxTurns: 30, maxNewTokens: 24 })).toEqual({ answers: 30, tokens: 720 })
    expect(tokensPerCell({ task: 'sokoban', mode: 'open-loop', maxTurns: 30, maxNewTokens: 24 })).toEqual({ answers: 1, tokens: 24 })
    expect(tokensPerCell({ task: 'gp', mode: 'closed-loop', maxTurns: 30, maxNewTokens: 512 })).toEqual({ answers: 1, tokens: 512 })
  })
})

describe('seconds per cell from measurements', () => {
  it('from speed: each answer waits for its first token, then decodes the other maxNewTokens - 1', () => {
    // 5 answers × (0.1 s + 23 tokens / 46 tokens/s) = 5 × 0.6 s
    expect(secondsPerCellFromSpeed(closed, { tokensPerSecond: 46, timeToFirstTokenMs: 100 })).toBeCloseTo(3, 10)
    // General Points: one answer of 256 tokens at 51 tokens/s after a 2 s prefill: 2 + 255/51 = 7 s
    const gp: Workload = { task: 'gp', mode: 'closed-loop', maxTurns: 30, maxNewTokens: 256 }
    expect(secondsPerCellFromSpeed(gp, { tokensPerSecond: 51, timeToFirstTokenMs: 2000 })).toBeCloseTo(7, 10)
  })

  it('from speed: no usable measurement gives null; an unknown first-token time counts as 0', () => {
    expect(secondsPerCellFromSpeed(closed, { tokensPerSecond: 0, timeToFirstTokenMs: 100 })).toBeNull()
    expect(secondsPerCellFromSpeed(closed, { tokensPerSecond: Number.NaN, timeToFirstTokenMs: 100 })).toBeNull()
    expect(secondsPerCellFromSpeed(closed, { tokensPerSecond: 23, timeToFirstTokenMs: Number.NaN })).toBeCloseTo(5, 10)
  })

  it('from cell timings: overlapping cells count once and gaps between runs not at all', () => {
    // [0, 1000] ∪ [500, 1500] = 1.5 s busy, then [5000, 6000] = 1 s: 2.5 s over 3 cells
    const spans = [
      { startedMs: 5000, totalMs: 1000 },
      { startedMs: 0, totalMs: 1000 },
      { startedMs: 500, totalMs: 1000 },
    ]
    expect(secondsPerCellFromSpans(spans)).toBeCloseTo(2.5 / 3, 10)
    // A cell inside another adds no time: [0, 4000] holds [1000, 2000]: 4 s over 2 cells
    expect(secondsPerCellFromSpans([{ startedMs: 0, totalMs: 4000 }, { startedMs: 1000, totalMs: 1000 }])).toBe(2)
  })

  it('from cell timings: none, or no time, is unknown', () => {
    expect(secondsPerCellFromSpans([])).toBeNull()
    expect(secondsPerCellFromSpans([{ startedMs: 10, totalMs: 0 }])).toBeNull()
  })
})

describe('estimateSweep', () => {
  const speed = { tokensPerSecond: 46, timeToFirstTokenMs: 100 }

  it("prefers the sweep's last run: its start-up plus its seconds per cell", () => {
    expect(estimateSweep({ cells: 40, lastRun: { secondsPerCell: 0.5, startupSeconds: 4 }, workload: closed, speed })).toEqual({
      source: 'last-run',
      cells: 40,
      seconds: 24,
      secondsPerCell: 0.5,
      startupSeconds: 4,
    })
  })

  it("else the model's measured speed times the tokens of a cell", () => {
    const e = estimateSweep({ cells: 40, lastRun: null, workload: closed, speed })
    expect(e.source).toBe('generation')
    if (e.source !== 'generation') return
    expect(e.seconds).toBeCloseTo(120, 9)
    expect(e.tokensPerCell).toBe(120)
    expect(e.tokensPerSecond).toBe(46)
  })

  it('else unknown (a last run of 0 s per cell is no measurement)', () => {
    expect(estimateSweep({ cells: 8, lastRun: { secondsPerCell: 0, startupSeconds: 3 }, workload: closed, speed: null })).toEqual({ source: 'unknown', cells: 8 })
    expect(estimateSweep({ cells: 8, lastRun: null, workload: closed, speed: { tokensPerSecond: 0, timeToFirstTokenMs: 0 } }).source).toBe('unknown')
  })
})

describe('the rate of a timed run', () => {
  it('cells after the first over the time after the first; start-up is the wait for the first less one cell', () => {
    // Started at 1 s, first cell at 6 s, 9 more cells by 24 s: 2 s per cell, 5 s - 2 s = 3 s start-up.
    expect(rateOfRun({ startMs: 1000, firstCellMs: 6000, endMs: 24000, finished: 10 })).toEqual({ secondsPerCell: 2, startupSeconds: 3 })
  })

  it('one cell: its whole time, no start-up; none: no rate', () => {
    expect(rateOfRun({ startMs: 0, firstCellMs: 4000, endMs: 5000, finished: 1 })).toEqual({ secondsPerCell: 5, startupSeconds: 0 })
    expect(rateOfRun({ startMs: 0, firstCellMs: null, endMs: 5000, finished: 0 })).toBeNull()
  })

  it('cells that all finished at once (one flush) share the whole time', () => {
    expect(rateOfRun({ startMs: 0, firstCellMs: 8000, endMs: 8000, finished: 4 })).toEqual({ secondsPerCell: 2, startupSeconds: 0 })
  })
})

describe('remaining time at the live rate', () => {
  it('cells left × the time per cell since the first finished', () => {
    // A resumed run: 6 cells were there; here the first finished 9 s in, 4 more in the 8 s since (2 s each), 29 left.
    const p = { done: 11, total: 40, finishedHere: 5, elapsedMs: 17000, sinceFirstCellMs: 8000 }
    expect(liveSecondsPerCell(p)).toBe(2)
    expect(remainingSeconds(p)).toBe(58)
    expect(remainingSeconds({ ...p, done: 40 })).toBe(0)
  })

  it('with one cell finished, the time since the start', () => {
    expect(remainingSeconds({ done: 7, total: 40, finishedHere: 1, elapsedMs: 6000, sinceFirstCellMs: 100 })).toBe(33 * 6)
  })

  it('unknown until a cell of this run has finished', () => {
    expect(remainingSeconds({ done: 6, total: 40, finishedHere: 0, elapsedMs: 8000, sinceFirstCellMs: null })).toBeNull()
  })
})

describe('formatDuration', () => {
  it.each([
    [0.4, 'under 1 s'],
    [42.4, '42 s'],
    [120, '2 min'],
    [5400, '1 h 30 min'],
    [7500, '2 h 05 min'],
    [Number.NaN, 'unknown'],
  ])('%s s reads "%s"', (s, text) => {
    expect(formatDuration(s)).toBe(text)
  })
})
