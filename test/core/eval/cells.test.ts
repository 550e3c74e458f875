import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import {
  belongsToSweep,
  cellKey,
  cellRef,
  cellSeed,
  cellsOf,
  countCells,
  turnSeed,
} from '../../../core/eval/cells.ts'
import { parseSweepSpec, type SweepSpec } from '../../../core/eval/spec.ts'
import { deriveSeed } from '../../../core/rng/index.ts'

function small(overrides: Record<string, unknown> = {}): SweepSpec {
  return parseSweepSpec({
    version: 1,
    name: 'small',
    task: 'sokoban',
    seed: 7,
    variants: ['sokoban-eval-base', 'sokoban-eval-cardinal'],
    difficulties: [
      { name: '6x6-1', difficulty: 'simple' },
      { name: '6x6-2', difficulty: 'two-boxes' },
    ],
    instances: 2,
    repeats: 2,
    models: [
      { name: 'a', backend: { kind: 'onnx', path: 'a' } },
      { name: 'b', backend: { kind: 'onnx', path: 'b' } },
    ],
    ...overrides,
  })
}

describe('cells', () => {
  it('counts models x difficulties x instances x repeats x variants', () => {
    expect(countCells(small())).toBe(2 * 2 * 2 * 2 * 2)
    expect([...cellsOf(small())]).toHaveLength(32)
  })

  it('golden ids, in the order model, difficulty, instance, repeat, variant', () => {
    const ids = [...cellsOf(small())].map((c) => c.id)
    expect(ids.slice(0, 10)).toEqual([
      'a/sokoban-eval-base/6x6-1/0/0',
      'a/sokoban-eval-cardinal/6x6-1/0/0',
      'a/sokoban-eval-base/6x6-1/0/1',
      'a/sokoban-eval-cardinal/6x6-1/0/1',
      'a/sokoban-eval-base/6x6-1/1/0',
      'a/sokoban-eval-cardinal/6x6-1/1/0',
      'a/sokoban-eval-base/6x6-1/1/1',
      'a/sokoban-eval-cardinal/6x6-1/1/1',
      'a/sokoban-eval-base/6x6-2/0/0',
      'a/sokoban-eval-cardinal/6x6-2/0/0',
    ])
    expect(ids[16]).toBe('b/sokoban-eval-base/6x6-1/0/0')
    expect(new Set(ids).size).toBe(ids.length)
  })

  it('golden seeds: deriveSeed(sweep seed, "cell", key), the same for every model', () => {
    const cells = [...cellsOf(small())]
    const first = cells[0]
    expect(first.key).toBe('sokoban-eval-base/6x6-1/0/0')
    expect(first.seed).toBe(deriveSeed(7, 'cell', 'sokoban-eval-base/6x6-1/0/0'))
    // A fixed number, so a change to the derivation (which would change every sampled output) is caught.
    expect(first.seed).toBe(2657767620)
    expect(cellSeed(7, 'sokoban-eval-base/6x6-1/0/0')).toBe(2657767620)
    expect(cells[16].key).toBe(first.key)
    expect(cells[16].seed).toBe(first.seed)
    expect(turnSeed(first.seed, 3)).toBe(deriveSeed(first.seed, 'turn', 3))
    expect(turnSeed(first.seed, 3)).toBe(794630019)
  })

  it('a cell is the same whether enumerated or built alone (no order dependence)', () => {
    const spec = small()
    for (const cell of cellsOf(spec)) {
      expect(cellRef(spec, cell.model, cell.variant, cell.difficulty, cell.instance, cell.repeat)).toEqual(cell)
    }
  })

  it('ids do not depend on the rest of the sweep: adding a model or a variant keeps existing cells', () => {
    const before = [...cellsOf(small())]
    const bigger = small({
      variants: ['sokoban-eval-emoji', 'sokoban-eval-base', 'sokoban-eval-cardinal'],
      models: [
        { name: 'c', backend: { kind: 'onnx', path: 'c' } },
        { name: 'a', backend: { kind: 'onnx', path: 'a' } },
        { name: 'b', backend: { kind: 'onnx', path: 'b' } },
      ],
    })
    const after = new Map([...cellsOf(bigger)].map((c) => [c.id, c]))
    for (const cell of before) expect(after.get(cell.id)).toEqual(cell)
  })

  it('seeds differ between keys and between sweep seeds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 50 }), (i, j) => {
        const a = cellSeed(7, cellKey('v', 'd', i, 0))
        const b = cellSeed(7, cellKey('v', 'd', j, 0))
        return (i === j) === (a === b) && a !== cellSeed(8, cellKey('v', 'd', i, 0))
      }),
    )
  })

  it('cellRef names the field that has no cell', () => {
    const spec = small()
    expect(() => cellRef(spec, 'z', 'sokoban-eval-base', '6x6-1', 0, 0)).toThrow('no model "z"')
    expect(() => cellRef(spec, 'a', 'sokoban-eval-base', '6x6-1', 2, 0)).toThrow('instance 2 is outside 0-1')
    expect(() => cellRef(spec, 'a', 'sokoban-eval-base', '6x6-1', 0, -1)).toThrow('repeat -1 is outside 0-1')
  })

  it('belongsToSweep accepts the sweep’s cells and rejects foreign or altered ones', () => {
    const spec = small()
    const cell = [...cellsOf(spec)][5]
    expect(belongsToSweep(spec, cell)).toBe(true)
    expect(belongsToSweep(spec, { ...cell, seed: cell.seed + 1 })).toBe(false)
    expect(belongsToSweep(small({ seed: 8 }), cell)).toBe(false)
    expect(belongsToSweep(small({ instances: 1 }), { ...[...cellsOf(spec)][4] })).toBe(false)
  })
})
