/**
 * Synthetic but valid run folders for the results tests: real sweep specs, results written through
 * the run store (`createRun` / `RunWriter`), outcomes decided by simple rules on the instance number
 * so a test can count the expected matches and flips by hand.
 */
import { cellRef } from '../../../core/eval/cells.ts'
import { aggregateResults } from '../../../core/eval/metrics.ts'
import { parseSweepSpec, type SweepSpec } from '../../../core/eval/spec.ts'
import type { CellResult, FailureKind, StoredTurn } from '../../../core/eval/types.ts'
import { instanceAt } from '../../../core/experiment/instance-set.ts'
import { sweepInstanceSet } from '../../../core/eval/spec.ts'
import { createRun, type RunWriter } from '../../../electron/eval/run-folder.ts'

/** Variant A and B of the Sokoban fixture. */
export const SOKOBAN_VARIANTS = ['sokoban-eval-base', 'sokoban-eval-cardinal'] as const
export const SOKOBAN_DIFFICULTIES = ['6x6-1', '6x6-2'] as const

/** Variant A succeeds on instances not divisible by 3; variant B on even instances. */
export function syntheticSuccess(variant: string, instance: number): boolean {
  return variant === SOKOBAN_VARIANTS[0] ? instance % 3 !== 0 : instance % 2 === 0
}

/** A failed cell's kind: deadlock on multiples of 5, else out of turns. */
export function syntheticFailure(instance: number): FailureKind {
  return instance % 5 === 0 ? 'deadlock' : 'out-of-turns'
}

/** The board every synthetic Sokoban result shows (one push right solves it). */
export const FIXTURE_LEVEL = ['######', '#    #', '# @$.#', '#    #', '#    #', '######'].join('\n')

function turn(success: boolean): StoredTurn {
  return {
    turn: 1,
    promptHash: '0123456789abcdef',
    output: success ? '<answer> Right </answer>' : '<answer> Left </answer>',
    parsed: [success ? 4 : 3],
    parseError: null,
    action: success ? 4 : 3,
    effective: true,
    reward: success ? 10.9 : -0.1,
    boxesOnGoals: success ? 1 : 0,
    deadlock: false,
    optimal: 4,
    tokens: 7,
    finishReason: 'stop',
  }
}

function sokobanSpec(instances: number, repeats: number, difficulties: readonly string[]): SweepSpec {
  return parseSweepSpec({
    version: 1,
    name: 'results-fixture',
    task: 'sokoban',
    seed: 5,
    variants: [...SOKOBAN_VARIANTS],
    difficulties: [
      { name: SOKOBAN_DIFFICULTIES[0], difficulty: 'simple', value: 1 },
      { name: SOKOBAN_DIFFICULTIES[1], difficulty: 'two-boxes', value: 2 },
    ].filter((d) => difficulties.includes(d.name)),
    instances,
    repeats,
    models: [{ name: 'm', backend: { kind: 'onnx', path: 'models/tiny' } }],
  })
}

/** A Sokoban result of the fixture. */
export function sokobanResult(spec: SweepSpec, variant: string, difficulty: string, instance: number, repeat: number): CellResult {
  const success = syntheticSuccess(variant, instance)
  const ref = cellRef(spec, 'm', variant, difficulty, instance, repeat)
  return {
    ...ref,
    v: 1,
    task: 'sokoban',
    success,
    validity: 1,
    reward: success ? 10.9 : -0.1,
    turns: 1,
    steps: 1,
    tokens: 7 + (instance % 11),
    failure: success ? null : syntheticFailure(instance),
    error: null,
    sokoban: {
      end: success ? 'solved' : 'max-turns',
      actionIsValid: 1,
      actionIsEffective: 1,
      firstDeadlockTurn: null,
      level: FIXTURE_LEVEL,
      optimalMoves: 1,
      turns: [turn(success)],
    },
    gp: null,
    timing: { startedMs: 0, totalMs: 1, cachedGenerations: 0, generations: 1 },
  }
}

async function open(dir: string, spec: SweepSpec, total: number): Promise<RunWriter> {
  return createRun(dir, {
    spec,
    models: [{ name: 'm', backend: spec.models[0].backend, location: 'models/tiny', provider: 'cpu', files: [], modelHash: 'abc' }],
    total,
    sweepFile: null,
  })
}

/** Options of `writeSokobanRun`. */
export interface SokobanRunOptions {
  readonly repeats?: number
  /** The difficulties (default both of `SOKOBAN_DIFFICULTIES`). */
  readonly difficulties?: readonly string[]
  /** Write only this many results and leave the run open, as a sweep that is still running. */
  readonly running?: number
}

/**
 * Writes a Sokoban run of 2 variants × 2 difficulties × `instances` × `repeats` cells to `dir`
 * through the run store, in sweep order, and finishes it (`completed`); with `running`, only that
 * many are written and the folder looks like a sweep still going. Returns every cell of the sweep.
 */
export async function writeSokobanRun(dir: string, instances: number, options: SokobanRunOptions = {}): Promise<{ spec: SweepSpec; results: CellResult[] }> {
  const repeats = options.repeats ?? 1
  const difficulties = options.difficulties ?? SOKOBAN_DIFFICULTIES
  const spec = sokobanSpec(instances, repeats, difficulties)
  const results: CellResult[] = []
  for (const variant of SOKOBAN_VARIANTS)
    for (const difficulty of difficulties)
      for (let instance = 0; instance < instances; instance++)
        for (let repeat = 0; repeat < repeats; repeat++) results.push(sokobanResult(spec, variant, difficulty, instance, repeat))
  const writer = await open(dir, spec, results.length)
  for (const r of results.slice(0, options.running ?? results.length)) writer.result(r)
  if (options.running === undefined) {
    await writer.finish({ status: 'completed', total: results.length, aggregates: aggregateResults(results, spec) })
  }
  else writer.close()
  return { spec, results }
}

/** A General Points run (two face-card rules, `gp-id` hands), its outputs all "no formula". */
export async function writeGpRun(dir: string, instances: number): Promise<{ spec: SweepSpec; results: CellResult[] }> {
  const spec = parseSweepSpec({
    version: 1,
    name: 'results-gp',
    task: 'gp',
    seed: 9,
    variants: ['gp-test-all_10', 'gp-test-regular'],
    difficulties: [{ name: 'id', difficulty: 'gp-id' }],
    instances,
    repeats: 1,
    models: [{ name: 'm', backend: { kind: 'onnx', path: 'models/tiny' } }],
  })
  const results: CellResult[] = []
  for (const variant of ['gp-test-all_10', 'gp-test-regular'])
    for (let instance = 0; instance < instances; instance++) {
      const hand = instanceAt(sweepInstanceSet(spec, 0), instance)
      if (hand.task !== 'gp') throw new Error('expected a General Points hand')
      results.push({
        ...cellRef(spec, 'm', variant, 'id', instance, 0),
        v: 1,
        task: 'gp',
        success: false,
        validity: 0,
        reward: -1,
        turns: 1,
        steps: 0,
        tokens: 3,
        failure: 'no-formula',
        error: null,
        sokoban: null,
        gp: {
          promptHash: '0123456789abcdef',
          output: 'no idea',
          cards: hand.cards,
          target: hand.target,
          formula: null,
          paperReward: -1,
          strictOk: false,
          strictReason: 'no formula',
          floatExactDisagree: false,
          scorer: 'paper',
          tokens: 3,
          finishReason: 'stop',
        },
        timing: { startedMs: 0, totalMs: 1, cachedGenerations: 0, generations: 1 },
      })
    }
  const writer = await open(dir, spec, results.length)
  for (const r of results) writer.result(r)
  await writer.finish({ status: 'completed', total: results.length, aggregates: aggregateResults(results, spec) })
  return { spec, results }
}
