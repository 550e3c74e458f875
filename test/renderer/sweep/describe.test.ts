import { describe, expect, it } from 'vitest'
import { describeEstimate, describeSize } from '../../../renderer/src/sweep/describe.ts'

describe('the words of the estimate', () => {
  it('names every axis of the size, models only when there are several', () => {
    expect(describeSize({ variants: 2, difficulties: 3, instances: 4, repeats: 1, models: 1 }, 24)).toBe('24 cells: 2 variants × 3 difficulties × 4 instances × 1 repeat')
    expect(describeSize({ variants: 1, difficulties: 1, instances: 1, repeats: 1, models: 2 }, 2)).toBe('2 cells: 1 variant × 1 difficulty × 1 instance × 1 repeat × 2 models')
    expect(describeSize({ variants: 10, difficulties: 10, instances: 100, repeats: 2, models: 1 }, 20000)).toMatch(/^20,000 cells:/)
  })

  it('says what the time rests on', () => {
    expect(describeEstimate({ source: 'last-run', cells: 32, seconds: 80, secondsPerCell: 2.5, startupSeconds: 0 }, 5, 24, true)).toEqual({
      time: 'about 80 s',
      basis: "at this sweep's last run's 2.50 s per cell",
    })
    expect(describeEstimate({ source: 'last-run', cells: 30, seconds: 80, secondsPerCell: 2.5, startupSeconds: 5 }, 5, 24, true).basis).toBe(
      "at this sweep's last run's 2.50 s per cell after 5 s to start",
    )
    const g = describeEstimate(
      { source: 'generation', cells: 40, seconds: 120, secondsPerCell: 3, tokensPerCell: 120, tokensPerSecond: 46, timeToFirstTokenMs: 100 },
      5,
      24,
      false,
    )
    expect(g.time).toBe('about 2 min of generation')
    expect(g.basis).toBe(
      "the loaded model's 46.0 tokens/s after 0.10 s to the first token, × up to 5 answers of 24 (sftbench's default; the model may set another) " +
        'tokens per cell, one at a time; starting the run and stepping the environment add to it, answers that stop early and batching take from it',
    )
    expect(describeEstimate({ source: 'unknown', cells: 8 }, 5, 24, true)).toEqual({ time: 'unknown until the first cells finish', basis: '' })
  })
})
