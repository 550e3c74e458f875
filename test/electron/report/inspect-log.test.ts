// The Inspect AI eval log, checked against Inspect AI's schema (see inspect-schema.ts for the source).
import { describe, expect, it } from 'vitest'
import { buildInspectLog, INSPECT_LOG_VERSION, type InspectEvalLog } from '../../../electron/report/inspect-log.ts'
import type { CellResult } from '../../../core/eval/types.ts'
import { aggregate, facts, gpCell, sokobanCell } from './fixtures.ts'
import { typeProblems, validate } from './inspect-schema.ts'

const PROMPTS = new Map([
  ['p-sok-1', 'Board:\n#####\n#@$.#\n#####\nYour move?'],
  ['p-sok-2', 'Board after your move:\n#####\n# @*#\n#####'],
  ['p-gp', 'Cards: 3, 3, 4, A. Make 24.'],
])

function build(results: CellResult[], over: Parameters<typeof facts>[0] = {}): InspectEvalLog {
  return buildInspectLog({
    facts: facts(over),
    results,
    prompts: PROMPTS,
    aggregates: [aggregate({ variant: 'base', difficulty: '6x6-1' })],
  })
}

const CELLS = [
  sokobanCell({ success: true }),
  sokobanCell({ success: false, instance: 1 }),
  sokobanCell({ success: true, instance: 1, repeat: 1 }),
]

describe('buildInspectLog', () => {
  it('validates against the Inspect AI log schema (required fields, known keys, types)', () => {
    const log = build(CELLS)
    expect(validate(log, 'EvalLog', 'log')).toEqual([])
    expect(typeProblems(log)).toEqual([])
    // Plain JSON: nothing is lost in a round trip (no undefined, NaN or classes).
    expect(JSON.parse(JSON.stringify(log))).toEqual(log)
  })

  it('the schema check itself catches a missing required field and an unknown key', () => {
    const log = build(CELLS)
    const broken = JSON.parse(JSON.stringify(log)) as InspectEvalLog
    delete (broken.samples[0] as Record<string, unknown>).target
    ;(broken.eval as Record<string, unknown>).modell = 'typo'
    expect(validate(broken, 'EvalLog', 'log')).toEqual(['log.eval.modell: not in the schema', 'log.samples[0].target: required'])
  })

  it('keeps EvalLog key order, so a header-only read sees results before stats', () => {
    expect(Object.keys(build(CELLS))).toEqual(['version', 'status', 'eval', 'plan', 'results', 'stats', 'samples'])
    const failed = build(CELLS, { status: 'failed', error: 'model worker crashed' })
    expect(Object.keys(failed)).toEqual(['version', 'status', 'eval', 'plan', 'results', 'stats', 'error', 'samples'])
    expect(failed.status).toBe('error')
    expect(failed.error).toEqual({ message: 'model worker crashed', traceback: '', traceback_ansi: '' })
    expect(validate(failed, 'EvalLog', 'log')).toEqual([])
  })

  it('maps run status to Inspect status', () => {
    expect(build(CELLS).version).toBe(INSPECT_LOG_VERSION)
    expect(build(CELLS, { status: 'completed' }).status).toBe('success')
    expect(build(CELLS, { status: 'cancelled' }).status).toBe('cancelled')
    expect(build(CELLS, { status: 'running' }).status).toBe('started')
    expect(build(CELLS, { status: 'unknown' }).status).toBe('started')
  })

  it('writes one sample per cell: repeats are epochs, success is C/I, the transcript alternates prompts and outputs', () => {
    const log = build(CELLS)
    expect(log.samples.map((s) => [s.id, s.epoch, (s.scores.success as { value: string }).value])).toEqual([
      ['tiny/base/6x6-1/0', 1, 'C'],
      ['tiny/base/6x6-1/1', 1, 'I'],
      ['tiny/base/6x6-1/1', 2, 'C'],
    ])
    const failed = log.samples[1]
    expect(failed.input).toBe(PROMPTS.get('p-sok-1'))
    expect(failed.messages.map((m) => [m.role, m.content])).toEqual([
      ['user', PROMPTS.get('p-sok-1')],
      ['assistant', 'hmm, "left", then up'],
      ['user', PROMPTS.get('p-sok-2')],
      ['assistant', '<answer>Left</answer>'],
    ])
    expect(failed.output.completion).toBe('<answer>Left</answer>')
    expect(failed.scores.success).toMatchObject({ answer: 'L', explanation: 'out-of-turns' })
    expect(log.samples[0].scores.success).toMatchObject({ answer: 'R', explanation: 'solved' })
    expect(failed.metadata).toMatchObject({ cell_id: 'tiny/base/6x6-1/1/0', key: 'base/6x6-1/1/0', failure: 'out-of-turns' })
    const trace = (failed.metadata.sokoban as { trace: Record<string, unknown>[] }).trace
    expect(trace.map((t) => [t.turn, t.action, t.parse_error, t.optimal])).toEqual([
      [1, null, 'no-answer-tag', 'R'],
      [2, 'L', null, 'R'],
    ])
    expect(log.eval.dataset).toMatchObject({ samples: 2, sample_ids: ['tiny/base/6x6-1/0', 'tiny/base/6x6-1/1'] })
  })

  it('results: accuracy, stderr and Wilson bounds over the cells', () => {
    const log = build(CELLS)
    const success = (log.results.scores as { name: string; metrics: Record<string, { value: number }> }[])[0]
    expect(success.name).toBe('success')
    expect(success.metrics.accuracy.value).toBeCloseTo(2 / 3, 12)
    // Sample sd of [1, 0, 1] is sqrt(1/3); stderr = sqrt(1/3) / sqrt(3) = 1/3.
    expect(success.metrics.stderr.value).toBeCloseTo(1 / 3, 12)
    // Wilson 2/3 (closed form, z = 1.96, computed independently in Python): [0.2077, 0.9385].
    expect(success.metrics.wilson_95_low.value).toBeCloseTo(0.2077, 3)
    expect(success.metrics.wilson_95_high.value).toBeCloseTo(0.9385, 3)
    expect(log.results).toMatchObject({ total_samples: 3, completed_samples: 3 })
    expect(log.stats.model_usage).toEqual({ 'sftbench/tiny': { input_tokens: 0, output_tokens: 28, total_tokens: 28 } })
  })

  it('General Points: one prompt and one output, the target is the number, the answer is the formula', () => {
    const log = build([gpCell({ success: true }), gpCell({ success: false, instance: 1 })], {
      task: 'gp',
      protocol: null,
    })
    expect(validate(log, 'EvalLog', 'log')).toEqual([])
    const s = log.samples[0]
    expect(s.input).toBe('Cards: 3, 3, 4, A. Make 24.')
    expect(s.messages.map((m) => [m.role, m.content])).toEqual([
      ['user', 'Cards: 3, 3, 4, A. Make 24.'],
      ['assistant', '{"formula": "(3+3)*4*1"}'],
    ])
    expect(s.target).toBe('24')
    expect(s.scores.success).toMatchObject({ value: 'C', answer: '(3+3)*4*1' })
    expect(log.samples[1].scores.success).toMatchObject({ value: 'I', explanation: 'wrong-value' })
    expect(log.eval.task).toBe('sftbench/gp')
    expect(log.plan.steps).toEqual([{ solver: 'sftbench/single-turn', params: {} }])
    expect(log.plan.config).toMatchObject({ temperature: 0.5, max_tokens: 64, seed: 7 })
  })

  it('a backend error marks the sample errored and is left out of completed_samples', () => {
    const broken: CellResult = {
      ...gpCell({ success: false }),
      failure: 'backend-error',
      error: 'HTTP 503 from http://127.0.0.1:8000/v1',
      gp: null,
      tokens: 0,
    }
    const log = build([broken, gpCell({ success: true, instance: 1 })], { task: 'gp', protocol: null })
    expect(validate(log, 'EvalLog', 'log')).toEqual([])
    expect(log.samples[0].error).toEqual({ message: 'HTTP 503 from http://127.0.0.1:8000/v1', traceback: '', traceback_ansi: '' })
    expect(log.samples[0].output).toMatchObject({ choices: [], completion: '', error: 'HTTP 503 from http://127.0.0.1:8000/v1' })
    expect(log.results).toMatchObject({ total_samples: 2, completed_samples: 1 })
  })

  it('names a prompt missing from prompts.jsonl instead of failing', () => {
    const log = buildInspectLog({ facts: facts(), results: [CELLS[0]], prompts: new Map(), aggregates: [] })
    expect(log.samples[0].input).toBe('[prompt p-sok-1 is missing from prompts.jsonl]')
  })
})
