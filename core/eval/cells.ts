/**
 * @module core/eval/cells
 * The cells of a sweep: every (model, variant, difficulty, instance, repeat), each with a stable id
 * and a seed that depend only on the spec, never on the order cells run in.
 *
 * - `key` = `variant/difficulty/instance/repeat` (instance and repeat 0-based); `id` = `model/key`.
 * - `seed` = `deriveSeed(sweep seed, 'cell', key)`: every model sees the same seeds (common random
 *   numbers), so paired comparisons across models compare like with like.
 * - Turn t (1-based) of a cell samples with `deriveSeed(cell seed, 'turn', t)`.
 *
 * `cellsOf` enumerates lazily in the order model, difficulty, instance, repeat, variant, so the
 * paired variants of one instance run close together (and share its cached level or hand).
 */
import { deriveSeed } from '../rng/index.ts'
import type { CellRef } from './types.ts'
import { variantName, type SweepSpec } from './spec.ts'

/** The model-free part of a cell id: `variant/difficulty/instance/repeat`. */
export function cellKey(variant: string, difficulty: string, instance: number, repeat: number): string {
  return `${variant}/${difficulty}/${instance}/${repeat}`
}

/** A cell's sampling seed: from the sweep seed and the cell's key only. */
export function cellSeed(sweepSeed: number, key: string): number {
  return deriveSeed(sweepSeed, 'cell', key)
}

/** The sampling seed of turn `turn` (1-based) of a cell. */
export function turnSeed(seed: number, turn: number): number {
  return deriveSeed(seed, 'turn', turn)
}

/** Number of cells: models × difficulties × instances × repeats × variants. */
export function countCells(spec: SweepSpec): number {
  return spec.models.length * spec.difficulties.length * spec.instances * spec.repeats * spec.variants.length
}

function makeRef(
  spec: SweepSpec,
  model: string,
  variant: string,
  difficulty: string,
  instance: number,
  repeat: number,
): CellRef {
  const key = cellKey(variant, difficulty, instance, repeat)
  const seed = cellSeed(spec.seed, key)
  return { id: `${model}/${key}`, key, model, variant, difficulty, instance, repeat, seed }
}

/** Every cell of the sweep, lazily, in the order model, difficulty, instance, repeat, variant. */
export function* cellsOf(spec: SweepSpec): Generator<CellRef, void, undefined> {
  const variants = spec.variants.map(variantName)
  for (const model of spec.models) {
    for (const difficulty of spec.difficulties) {
      for (let instance = 0; instance < spec.instances; instance++) {
        for (let repeat = 0; repeat < spec.repeats; repeat++) {
          for (const variant of variants) {
            yield makeRef(spec, model.name, variant, difficulty.name, instance, repeat)
          }
        }
      }
    }
  }
}

/** The cell of the given names and indices; throws, naming the field, when the sweep has no such cell. */
export function cellRef(
  spec: SweepSpec,
  model: string,
  variant: string,
  difficulty: string,
  instance: number,
  repeat: number,
): CellRef {
  const problem = cellProblem(spec, { model, variant, difficulty, instance, repeat })
  if (problem !== null) throw new Error(`cellRef: ${problem}`)
  return makeRef(spec, model, variant, difficulty, instance, repeat)
}

/** Null when the fields name a cell of the sweep, otherwise what is wrong. */
export function cellProblem(
  spec: SweepSpec,
  cell: Pick<CellRef, 'model' | 'variant' | 'difficulty' | 'instance' | 'repeat'>,
): string | null {
  if (!spec.models.some((m) => m.name === cell.model)) return `the sweep has no model "${cell.model}"`
  if (!spec.variants.some((v) => variantName(v) === cell.variant)) {
    return `the sweep has no variant "${cell.variant}"`
  }
  if (!spec.difficulties.some((d) => d.name === cell.difficulty)) {
    return `the sweep has no difficulty "${cell.difficulty}"`
  }
  if (!Number.isInteger(cell.instance) || cell.instance < 0 || cell.instance >= spec.instances) {
    return `instance ${cell.instance} is outside 0-${spec.instances - 1}`
  }
  if (!Number.isInteger(cell.repeat) || cell.repeat < 0 || cell.repeat >= spec.repeats) {
    return `repeat ${cell.repeat} is outside 0-${spec.repeats - 1}`
  }
  return null
}

/**
 * True when `cell` (for example a result read back from a run folder) is a cell of this sweep:
 * its fields name one, and its id, key and seed are the ones the sweep gives it.
 */
export function belongsToSweep(spec: SweepSpec, cell: CellRef): boolean {
  if (cellProblem(spec, cell) !== null) return false
  const ref = makeRef(spec, cell.model, cell.variant, cell.difficulty, cell.instance, cell.repeat)
  return ref.id === cell.id && ref.key === cell.key && ref.seed === cell.seed
}
