// The Inspect AI eval log schema, for tests. The shapes below are copied from Inspect AI (UKGovernmentBEIS/inspect_ai):
// `properties` are the property names of each definition in src/inspect_ai/_view/www/log-schema.json
// (whose objects are `additionalProperties: false`), and `required` are the fields without a default
// in the pydantic models that `read_eval_log` validates with (src/inspect_ai/log/_log.py,
// src/inspect_ai/model/_model_output.py, src/inspect_ai/model/_chat_message.py; `role` is the
// discriminator of the chat message union). The key order rule comes from
// src/inspect_ai/log/_recorders/json.py (`_read_header_streaming` stops reading at `stats`).
import type { InspectEvalLog } from '../../../electron/report/inspect-log.ts'

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
export function validate(value: unknown, name: string, path: string): string[] {
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
export function typeProblems(log: InspectEvalLog): string[] {
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
