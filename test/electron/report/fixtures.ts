// Hand-made result records and aggregates for the report tests, valid per core/eval/types.ts.
import type { Aggregate, CellResult, StoredTurn } from '../../../core/eval/types.ts'
import type { RunFacts } from '../../../electron/report/facts.ts'
import { LEFT, RIGHT } from '../../../core/sokoban/directions.ts'

const LEVEL = ['#####', '#@$.#', '#####'].join('\n')

function turn(t: number, output: string, action: StoredTurn['action'], promptHash: string): StoredTurn {
  return {
    turn: t,
    promptHash,
    output,
    parsed: action ? [action] : [],
    parseError: action ? null : 'no-answer-tag',
    action,
    effective: action !== null,
    reward: -0.1,
    boxesOnGoals: 0,
    deadlock: false,
    optimal: RIGHT,
    tokens: 7,
    finishReason: 'eos',
  }
}

/** A Sokoban cell; `success` picks a solved one-move episode or a two-turn failure. */
export function sokobanCell(opts: {
  model?: string
  variant?: string
  difficulty?: string
  instance?: number
  repeat?: number
  success: boolean
}): CellResult {
  const model = opts.model ?? 'tiny'
  const variant = opts.variant ?? 'base'
  const difficulty = opts.difficulty ?? '6x6-1'
  const instance = opts.instance ?? 0
  const repeat = opts.repeat ?? 0
  const key = `${variant}/${difficulty}/${instance}/${repeat}`
  const turns = opts.success
    ? [turn(1, 'I push right. <answer>Right</answer>', RIGHT, 'p-sok-1')]
    : [turn(1, 'hmm, "left", then up', null, 'p-sok-1'), turn(2, '<answer>Left</answer>', LEFT, 'p-sok-2')]
  return {
    v: 1,
    id: `${model}/${key}`,
    key,
    model,
    variant,
    difficulty,
    instance,
    repeat,
    seed: 1000 + instance,
    task: 'sokoban',
    success: opts.success,
    validity: opts.success ? 1 : 0.5,
    reward: opts.success ? 10.9 : -0.2,
    turns: turns.length,
    steps: opts.success ? 1 : 1,
    tokens: turns.length * 7,
    failure: opts.success ? null : 'out-of-turns',
    error: null,
    sokoban: {
      end: opts.success ? 'solved' : 'max-turns',
      actionIsValid: opts.success ? 1 : 0.5,
      actionIsEffective: opts.success ? 1 : 0.5,
      firstDeadlockTurn: null,
      level: LEVEL,
      optimalMoves: 1,
      turns,
    },
    gp: null,
    timing: { startedMs: 0, totalMs: 12.5, cachedGenerations: 0, generations: turns.length },
  }
}

/** A General Points cell. */
export function gpCell(opts: { instance?: number; success: boolean; output?: string; variant?: string }): CellResult {
  const instance = opts.instance ?? 0
  const variant = opts.variant ?? 'gp-base'
  const key = `${variant}/gp-easy/${instance}/0`
  const output = opts.output ?? (opts.success ? '{"formula": "(3+3)*4*1"}' : '{"formula": "3+3+4+1"}')
  return {
    v: 1,
    id: `tiny/${key}`,
    key,
    model: 'tiny',
    variant,
    difficulty: 'gp-easy',
    instance,
    repeat: 0,
    seed: 77,
    task: 'gp',
    success: opts.success,
    validity: 1,
    reward: opts.success ? 5 : -1,
    turns: 1,
    steps: 0,
    tokens: 11,
    failure: opts.success ? null : 'wrong-value',
    error: null,
    sokoban: null,
    gp: {
      promptHash: 'p-gp',
      output,
      cards: ['3', '3', '4', 'A'],
      target: 24,
      formula: opts.success ? '(3+3)*4*1' : '3+3+4+1',
      paperReward: opts.success ? 5 : -1,
      strictOk: opts.success,
      strictReason: opts.success ? 'ok' : 'no-solution',
      floatExactDisagree: false,
      scorer: 'paper',
      tokens: 11,
      finishReason: 'stop',
    },
    timing: { startedMs: 5, totalMs: 3, cachedGenerations: 1, generations: 1 },
  }
}

/** An aggregate with the given counts; the interval is a plausible literal, not recomputed. */
export function aggregate(over: Partial<Aggregate> & Pick<Aggregate, 'variant' | 'difficulty'>): Aggregate {
  return {
    model: 'tiny',
    difficultyValue: 1,
    n: 20,
    successes: 9,
    successRate: 0.45,
    successCi: { low: 0.2582, high: 0.6579 },
    validity: 0.8,
    validityCi: null,
    meanReward: 1.234,
    meanTurns: 12.3,
    meanSteps: 14,
    tokens: 5000,
    failures: { 'out-of-turns': 7, deadlock: 4 },
    floatExactDisagreements: 0,
    ...over,
  }
}

export function facts(over: Partial<RunFacts> = {}): RunFacts {
  return {
    dir: '/runs/smoke',
    name: 'smoke',
    description: null,
    task: 'sokoban',
    seed: 7,
    status: 'completed',
    error: null,
    startedAt: '2025-01-02T03:04:05.000Z',
    endedAt: '2025-01-02T03:05:00.000Z',
    cellsDone: 2,
    cellsTotal: 2,
    instances: 1,
    repeats: 1,
    protocol: { mode: 'closed-loop', maxTurns: 30, maxSteps: 30 },
    models: [
      {
        name: 'tiny',
        backend: 'onnx',
        location: 'test/fixtures/tiny-llama',
        provider: 'cpu',
        modelHash: 'ab'.repeat(32),
        sampling: { temperature: 0.5, maxNewTokens: 64 },
      },
    ],
    versions: { sftbench: '0.1.0', node: 'v20.19.0' },
    ...over,
  }
}
