// The Inspect AI eval log. The shapes below are copied from Inspect AI (UKGovernmentBEIS/inspect_ai):
// `properties` are the property names of each definition in src/inspect_ai/_view/www/log-schema.json
// (whose objects are `additionalProperties: false`), and `required` are the fields without a default
// in the pydantic models that `read_eval_log` validates with (src/inspect_ai/log/_log.py,
// src/inspect_ai/model/_model_output.py, src/inspect_ai/model/_chat_message.py; `role` is the
// discriminator of the chat message union). The key order rule comes from
// src/inspect_ai/log/_recorders/json.py (`_read_header_streaming` stops reading at `stats`).
import { describe, expect, it } from 'vitest'
import { buildInspectLog, INSPECT_LOG_VERSION, type InspectEvalLog } from '../../../electron/report/inspect-log.ts'
import type { CellResult } from '../../../core/eval/types.ts'
import { aggregate, facts, gpCell, sokobanCell } from './fixtures.ts'

interface Def {
  readonly required: readonly string[]
  readonly properties: readonly string[]
  /** Nested definitions: field -> [def, 'one' | 'list' | 'map']. */
  readonly nested?: Readonly<Record<string, readonly [string, 'one' | 'list' | 'map']>>
}

const MESSAGE = { required: ['content', 'role'] } as const

const DEFS: Record<string, Def> = {
  EvalLog: {
    required: ['eval'],
    properties: ['version', 'status', 'eval', 'plan', 'results', 'stats', 'error', 'samples', 'reductions', 'location', 'etag', 'eval_set_info'],
    nested: {
      eval: ['EvalSpec', 'one'],
      plan: ['EvalPlan', 'one'],
      results: ['EvalResults', 'one'],
      stats: ['EvalStats', 'one'],
      error: ['EvalError', 'one'],
      samples: ['EvalSample', 'list'],
    },
  },
  EvalSpec: {
    required: ['created', 'task', 'dataset', 'model', 'config'],
    properties: [
      'eval_set_id', 'eval_id', 'run_id', 'created', 'task', 'task_id', 'task_version', 'task_file', 'task_display_name',
      'task_registry_name', 'task_attribs', 'task_args', 'task_args_passed', 'solver', 'solver_args', 'tags', 'dataset',
      'sandbox', 'model', 'model_generate_config', 'model_base_url', 'model_args', 'model_roles', 'config', 'revision',
      'packages', 'metadata', 'scorers', 'metrics',
    ],
    nested: { dataset: ['EvalDataset', 'one'], config: ['EvalConfig', 'one'] },
  },
  EvalDataset: { required: [], properties: ['name', 'location', 'samples', 'sample_ids', 'shuffled'] },
  EvalConfig: {
    required: [],
    properties: [
      'limit', 'sample_id', 'sample_shuffle', 'epochs', 'epochs_reducer', 'approval', 'fail_on_error', 'continue_on_fail',
      'retry_on_error', 'message_limit', 'token_limit', 'time_limit', 'working_limit', 'max_samples', 'max_tasks',
      'max_subprocesses', 'max_sandboxes', 'sandbox_cleanup', 'log_samples', 'log_realtime', 'log_images', 'log_buffer',
      'log_shared', 'score_display',
    ],
  },
  EvalPlan: {
    required: [],
    properties: ['name', 'steps', 'finish', 'config'],
    nested: { steps: ['EvalPlanStep', 'list'], config: ['GenerateConfig', 'one'] },
  },
  EvalPlanStep: { required: ['solver'], properties: ['solver', 'params'] },
  GenerateConfig: {
    required: [],
    properties: [
      'max_retries', 'timeout', 'max_connections', 'system_message', 'max_tokens', 'top_p', 'temperature', 'stop_seqs',
      'best_of', 'frequency_penalty', 'presence_penalty', 'logit_bias', 'seed', 'top_k', 'num_choices', 'logprobs',
      'top_logprobs', 'parallel_tool_calls', 'internal_tools', 'max_tool_output', 'cache_prompt', 'reasoning_effort',
      'reasoning_tokens', 'reasoning_summary', 'reasoning_history', 'response_schema', 'extra_body', 'batch',
    ],
  },
  EvalResults: {
    required: [],
    properties: ['total_samples', 'completed_samples', 'scores', 'metadata'],
    nested: { scores: ['EvalScore', 'list'] },
  },
  EvalScore: {
    required: ['name', 'scorer'],
    properties: ['name', 'scorer', 'reducer', 'scored_samples', 'unscored_samples', 'params', 'metrics', 'metadata'],
    nested: { metrics: ['EvalMetric', 'map'] },
  },
  EvalMetric: { required: ['name', 'value'], properties: ['name', 'value', 'params', 'metadata'] },
  EvalStats: {
    required: [],
    properties: ['started_at', 'completed_at', 'model_usage'],
    nested: { model_usage: ['ModelUsage', 'map'] },
  },
  EvalError: { required: ['message', 'traceback', 'traceback_ansi'], properties: ['message', 'traceback', 'traceback_ansi'] },
  EvalSample: {
    required: ['id', 'epoch', 'input', 'target', 'messages', 'output', 'metadata'],
    properties: [
      'id', 'epoch', 'input', 'choices', 'target', 'sandbox', 'files', 'setup', 'messages', 'output', 'scores', 'metadata',
      'store', 'events', 'model_usage', 'total_time', 'working_time', 'uuid', 'error', 'error_retries', 'attachments', 'limit',
    ],
    nested: {
      messages: ['ChatMessage', 'list'],
      output: ['ModelOutput', 'one'],
      scores: ['Score', 'map'],
      model_usage: ['ModelUsage', 'map'],
      error: ['EvalError', 'one'],
    },
  },
  ChatMessage: { required: MESSAGE.required, properties: [] },
  ChatMessageSystem: { ...MESSAGE, properties: ['id', 'content', 'source', 'metadata', 'role'] },
  ChatMessageUser: { ...MESSAGE, properties: ['id', 'content', 'source', 'metadata', 'role', 'tool_call_id'] },
  ChatMessageAssistant: { ...MESSAGE, properties: ['id', 'content', 'source', 'metadata', 'role', 'tool_calls', 'model'] },
  ModelOutput: {
    required: [],
    properties: ['model', 'choices', 'completion', 'usage', 'time', 'metadata', 'error'],
    nested: { choices: ['ChatCompletionChoice', 'list'], usage: ['ModelUsage', 'one'] },
  },
  ChatCompletionChoice: {
    required: ['message'],
    properties: ['message', 'stop_reason', 'logprobs'],
    nested: { message: ['ChatMessageAssistant', 'one'] },
  },
  Score: { required: ['value'], properties: ['history', 'value', 'answer', 'explanation', 'metadata'] },
  ModelUsage: {
    required: [],
    properties: [
      'input_tokens', 'output_tokens', 'total_tokens', 'input_tokens_cache_write', 'input_tokens_cache_read', 'reasoning_tokens',
    ],
  },
}

const MESSAGE_DEFS: Record<string, string> = {
  system: 'ChatMessageSystem',
  user: 'ChatMessageUser',
  assistant: 'ChatMessageAssistant',
}
const STOP_REASONS = ['stop', 'max_tokens', 'model_length', 'tool_calls', 'content_filter', 'unknown']

/** Problems of `value` against definition `name`, as "path: message" lines. */
function validate(value: unknown, name: string, path: string): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${path}: not an object`]
  const obj = value as Record<string, unknown>
  let def = DEFS[name]
  if (name === 'ChatMessage') {
    const specific = MESSAGE_DEFS[String(obj.role)]
    if (!specific) return [`${path}.role: "${String(obj.role)}" is not a chat role`]
    def = DEFS[specific]
  }
  const problems: string[] = []
  for (const key of def.required) if (!(key in obj)) problems.push(`${path}.${key}: required`)
  for (const key of Object.keys(obj)) if (!def.properties.includes(key)) problems.push(`${path}.${key}: not in the schema`)
  for (const [key, [child, shape]] of Object.entries(def.nested ?? {})) {
    const v = obj[key]
    if (v === undefined || v === null) continue
    if (shape === 'one') problems.push(...validate(v, child, `${path}.${key}`))
    else if (shape === 'list') {
      if (!Array.isArray(v)) problems.push(`${path}.${key}: not a list`)
      else v.forEach((item, i) => problems.push(...validate(item, child, `${path}.${key}[${i}]`)))
    } else {
      for (const [k, item] of Object.entries(v as Record<string, unknown>)) problems.push(...validate(item, child, `${path}.${key}.${k}`))
    }
  }
  return problems
}

/** Field types the reader checks, on the parts sftbench fills. */
function typeProblems(log: InspectEvalLog): string[] {
  const problems: string[] = []
  if (log.version !== 2) problems.push('version must be 2')
  if (!['started', 'success', 'cancelled', 'error'].includes(log.status)) problems.push('status')
  for (const [i, s] of log.samples.entries()) {
    if (!(typeof s.id === 'string' || Number.isInteger(s.id))) problems.push(`samples[${i}].id`)
    if (!Number.isInteger(s.epoch) || s.epoch < 1) problems.push(`samples[${i}].epoch`)
    if (!(typeof s.input === 'string' || Array.isArray(s.input))) problems.push(`samples[${i}].input`)
    if (typeof s.target !== 'string') problems.push(`samples[${i}].target`)
    for (const c of s.output.choices as { stop_reason: string }[]) {
      if (!STOP_REASONS.includes(c.stop_reason)) problems.push(`samples[${i}].stop_reason ${c.stop_reason}`)
    }
    for (const [k, score] of Object.entries(s.scores)) {
      if (!['string', 'number', 'boolean'].includes(typeof score.value)) problems.push(`samples[${i}].scores.${k}.value`)
    }
  }
  for (const score of log.results.scores as { metrics: Record<string, { value: unknown }> }[]) {
    for (const m of Object.values(score.metrics)) if (typeof m.value !== 'number' || !Number.isFinite(m.value)) problems.push('metric')
  }
  return problems
}

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
