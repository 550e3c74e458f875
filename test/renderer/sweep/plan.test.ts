import { describe, expect, it } from 'vitest'
import { countProblem } from '../../../renderer/src/sweep/count.ts'
import { planOf } from '../../../renderer/src/sweep/plan.ts'

const SPEC = {
  version: 1,
  name: 'p',
  task: 'sokoban',
  seed: 7,
  variants: ['sokoban-eval-base', 'sokoban-eval-cardinal'],
  difficulties: [
    { name: 'a', difficulty: 'simple' },
    { name: 'b', difficulty: { task: 'sokoban', rows: 7, cols: 7, boxes: 1 } },
  ],
  instances: 3,
  repeats: 2,
  protocol: { maxTurns: 5 },
  models: [{ name: 'm', backend: { kind: 'onnx', path: 'test/fixtures/tiny-llama' }, sampling: { maxNewTokens: 24 } }],
}

describe('planOf', () => {
  it('counts the cells and reads what a cell generates at most', () => {
    const r = planOf(SPEC)
    if (!r.ok) throw new Error(r.message)
    expect(r.plan.cells).toBe(24)
    expect(r.plan.size).toEqual({ variants: 2, difficulties: 2, instances: 3, repeats: 2, models: 1 })
    expect(r.plan.workload).toEqual({ task: 'sokoban', mode: 'closed-loop', maxTurns: 5, maxNewTokens: 24 })
    expect(r.plan.maxNewTokensGiven).toBe(true)
    expect(r.plan.modelPath).toBe('test/fixtures/tiny-llama')
  })

  it("without maxNewTokens, sftbench's default of 256 stands in (and says so)", () => {
    const r = planOf({ ...SPEC, protocol: undefined, models: [{ name: 'm', backend: { kind: 'onnx', path: 'x' } }] } as never)
    expect(r.ok && [r.plan.workload.maxNewTokens, r.plan.workload.maxTurns, r.plan.maxNewTokensGiven]).toEqual([256, 30, false])
  })

  it("a bad field is the sweep parser's message with its path", () => {
    const r = planOf({ ...SPEC, difficulties: [{ name: 'a', difficulty: { task: 'sokoban', rows: 2, cols: 7, boxes: 1 } }] })
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.message).toContain('sweep.difficulties[0].difficulty.rows')
  })
})

describe('count fields', () => {
  it.each([
    ['', null],
    ['3', null],
    [' 12 ', null],
    ['0', 'N must be at least 1.'],
    ['-2', 'N must be at least 1.'],
    ['2.5', 'N must be a whole number (1 or more).'],
    ['abc', 'N must be a whole number (1 or more).'],
    ['2000000', 'N must be at most 1,000,000.'],
  ])('"%s" -> %s', (text, problem) => {
    expect(countProblem(text, 'N')).toBe(problem)
  })
})
