/**
 * @module electron/report/inspect-log
 * A run as an Inspect AI eval log (the `.json` log format, `version: 2`), so that runs open in
 * `inspect view` and load with `inspect_ai.log.read_eval_log` next to other evals.
 *
 * Schema: Inspect AI's pydantic models `EvalLog`, `EvalSpec`, `EvalSample`, ... in
 * `src/inspect_ai/log/_log.py` and `ModelOutput` / `ModelUsage` in
 * `src/inspect_ai/model/_model_output.py` (UKGovernmentBEIS/inspect_ai), and the JSON schema the
 * viewer is typed from, `src/inspect_ai/_view/www/log-schema.json`. Every key written here is a
 * property of that schema, and every field the pydantic models require is present. The top-level
 * keys keep the models' order (version, status, eval, plan, results, stats, error, samples)
 * because Inspect's streaming header reader stops at `stats`.
 *
 * Which fields are filled:
 * - `eval`: task `sftbench/<task>`, the sweep's name as `task_display_name`, one `model`
 *   (`sftbench/<name>`, or the names joined by `+` when the run has several models: Inspect logs
 *   hold one model, so each sample's `output.model` says which one answered), `dataset` (sweep
 *   name, sample count and ids), `config.epochs` = repeats, `packages`, and the whole
 *   sweep facts under `metadata.sftbench`.
 * - `plan`: one step naming the protocol (`sftbench/closed-loop`, `sftbench/open-loop` or
 *   `sftbench/single-turn`) and the first model's sampling parameters as `config`.
 * - `results`: scorers `success` (accuracy, stderr and Wilson 95% bounds), `reward` and `validity`
 *   (mean, stderr), and every (model, variant, difficulty) aggregate under `metadata.aggregates`.
 * - `stats`: start and end times and output tokens per model (input tokens are not recorded: 0).
 * - `samples`: one per cell. `id` = `model/variant/difficulty/instance` and `epoch` = repeat + 1,
 *   so repeats of one instance group as epochs. `input` is the first prompt; `messages` alternate
 *   each turn's prompt and the model's output (in the closed loop every turn is a fresh prompt, as
 *   in the paper, so this is a transcript, not a conversation the model saw); `output` holds the
 *   last output with its stop reason; `scores.success` is `C` or `I` (Inspect's CORRECT and
 *   INCORRECT) with the executed moves or the read formula as `answer` and the failure kind as
 *   `explanation`; `metadata` holds the cell reference, metrics, timing and the Sokoban trace or
 *   the General Points verdicts; a backend error sets the sample's `error`.
 * Events, attachments, sandboxes, reductions and store are left empty.
 */
import { createHash } from 'node:crypto'
import type { Aggregate, CellResult } from '../../core/eval/types.ts'
import { wilsonInterval } from '../../core/eval/stats.ts'
import type { FinishReason } from '../../core/model/client.ts'
import { LURD, type Direction } from '../../core/sokoban/directions.ts'
import type { RunFacts } from './facts.ts'

/** The log format version written (Inspect's `LOG_SCHEMA_VERSION`). */
export const INSPECT_LOG_VERSION = 2

type Json = string | number | boolean | null | Json[] | { [key: string]: Json }
type JsonObject = { [key: string]: Json }

/** A chat message in Inspect's shape (`ChatMessageUser` / `ChatMessageAssistant`). */
export interface InspectMessage {
  [key: string]: Json
  role: 'user' | 'assistant'
  content: string
  source: 'input' | 'generate'
}

/** One sample of the log (`EvalSample`). */
export interface InspectSample {
  [key: string]: Json
  id: string
  epoch: number
  input: string
  target: string
  messages: InspectMessage[]
  output: JsonObject
  scores: { [name: string]: JsonObject }
  metadata: JsonObject
}

/** The whole log (`EvalLog`). */
export interface InspectEvalLog {
  [key: string]: Json
  version: typeof INSPECT_LOG_VERSION
  status: 'started' | 'success' | 'cancelled' | 'error'
  eval: JsonObject
  plan: JsonObject
  results: JsonObject
  stats: JsonObject
  samples: InspectSample[]
}

/** What the log is built from. */
export interface InspectLogInput {
  readonly facts: RunFacts
  readonly results: readonly CellResult[]
  /** Prompt texts by hash (`prompts.jsonl`). */
  readonly prompts: ReadonlyMap<string, string>
  readonly aggregates: readonly Aggregate[]
}

const STATUS: Record<string, InspectEvalLog['status']> = {
  completed: 'success',
  cancelled: 'cancelled',
  failed: 'error',
  running: 'started',
}

/** A move as its letter (`U`, `D`, `L`, `R`), or null. */
function letter(direction: Direction | null): string | null {
  return direction === null ? null : LURD[direction].toUpperCase()
}

/** Inspect's stop reasons for ours. */
function stopReason(reason: FinishReason): string {
  if (reason === 'length') return 'max_tokens'
  if (reason === 'cancelled') return 'unknown'
  return 'stop'
}

/** A stable id of the run, shaped like Inspect's short ids (22 base-62-ish characters). */
function stableId(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('base64url').replace(/[-_]/g, 'x').slice(0, 22)
}

function promptText(prompts: ReadonlyMap<string, string>, hash: string): string {
  return prompts.get(hash) ?? `[prompt ${hash} is missing from prompts.jsonl]`
}

function usage(outputTokens: number): JsonObject {
  return { input_tokens: 0, output_tokens: outputTokens, total_tokens: outputTokens }
}

/** Mean and standard error (sample standard deviation / sqrt(n)) of some values. */
function meanStderr(values: readonly number[]): { mean: number; stderr: number } {
  const n = values.length
  if (n === 0) return { mean: 0, stderr: 0 }
  const mean = values.reduce((s, v) => s + v, 0) / n
  if (n < 2) return { mean, stderr: 0 }
  const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1)
  return { mean, stderr: Math.sqrt(variance / n) }
}

function metric(name: string, value: number): JsonObject {
  return { name, value, params: {}, metadata: null }
}

function evalScore(name: string, metrics: JsonObject[], count: number): JsonObject {
  const byName: JsonObject = {}
  for (const m of metrics) byName[m.name as string] = m
  return { name, scorer: name, reducer: null, scored_samples: count, unscored_samples: 0, params: {}, metrics: byName, metadata: null }
}

function sampleOf(r: CellResult, prompts: ReadonlyMap<string, string>): InspectSample {
  const turns: { promptHash: string; output: string; finishReason: FinishReason }[] = r.sokoban
    ? r.sokoban.turns.map((t) => ({ promptHash: t.promptHash, output: t.output, finishReason: t.finishReason }))
    : r.gp
      ? [{ promptHash: r.gp.promptHash, output: r.gp.output, finishReason: r.gp.finishReason }]
      : []
  const messages: InspectMessage[] = []
  for (const t of turns) {
    // Chat variants send the prompt as the one user message, so one user message per turn is exact.
    messages.push({ role: 'user', content: promptText(prompts, t.promptHash), source: 'input' })
    messages.push({ role: 'assistant', content: t.output, source: 'generate', model: r.model })
  }
  const input = turns.length > 0 ? promptText(prompts, turns[0].promptHash) : ''
  const last = turns.length > 0 ? turns[turns.length - 1] : null
  const output: JsonObject = {
    model: r.model,
    choices: last
      ? [
          {
            message: { role: 'assistant', content: last.output, source: 'generate', model: r.model },
            stop_reason: stopReason(last.finishReason),
          },
        ]
      : [],
    completion: last?.output ?? '',
    usage: usage(r.tokens),
    time: r.timing.totalMs / 1000,
    error: r.error,
  }
  const answer = r.gp
    ? r.gp.formula
    : r.sokoban
      ? r.sokoban.turns.map((t) => letter(t.action) ?? '').join('')
      : null
  const explanation = r.success ? (r.task === 'gp' ? 'correct' : 'solved') : (r.failure ?? 'failed')
  const metadata: JsonObject = {
    cell_id: r.id,
    key: r.key,
    model: r.model,
    variant: r.variant,
    difficulty: r.difficulty,
    instance: r.instance,
    repeat: r.repeat,
    seed: r.seed,
    task: r.task,
    success: r.success,
    validity: r.validity,
    reward: r.reward,
    turns: r.turns,
    steps: r.steps,
    tokens: r.tokens,
    failure: r.failure,
    error: r.error,
    timing: { ...r.timing },
    sokoban: r.sokoban
      ? {
          end: r.sokoban.end,
          action_is_valid: r.sokoban.actionIsValid,
          action_is_effective: r.sokoban.actionIsEffective,
          first_deadlock_turn: r.sokoban.firstDeadlockTurn,
          optimal_moves: r.sokoban.optimalMoves,
          level: r.sokoban.level,
          trace: r.sokoban.turns.map((t) => ({
            turn: t.turn,
            parsed: t.parsed.map((d) => letter(d) ?? ''),
            parse_error: t.parseError,
            action: letter(t.action),
            effective: t.effective,
            reward: t.reward,
            boxes_on_goals: t.boxesOnGoals,
            deadlock: t.deadlock,
            optimal: letter(t.optimal),
            tokens: t.tokens,
            finish_reason: t.finishReason,
          })),
        }
      : null,
    gp: r.gp
      ? {
          cards: [...r.gp.cards],
          target: r.gp.target,
          formula: r.gp.formula,
          paper_reward: r.gp.paperReward,
          strict_ok: r.gp.strictOk,
          strict_reason: r.gp.strictReason,
          float_exact_disagree: r.gp.floatExactDisagree,
          scorer: r.gp.scorer,
        }
      : null,
  }
  const sample: InspectSample = {
    id: `${r.model}/${r.variant}/${r.difficulty}/${r.instance}`,
    epoch: r.repeat + 1,
    input,
    target: r.gp ? String(r.gp.target) : '',
    messages,
    output,
    scores: {
      success: { value: r.success ? 'C' : 'I', answer, explanation, metadata: { failure: r.failure } },
      reward: { value: r.reward, answer: null, explanation: null, metadata: {} },
      validity: { value: r.validity, answer: null, explanation: null, metadata: {} },
    },
    metadata,
    store: {},
    events: [],
    model_usage: { [r.model]: usage(r.tokens) },
    total_time: r.timing.totalMs / 1000,
    working_time: r.timing.totalMs / 1000,
    attachments: {},
  }
  if (r.failure === 'backend-error') {
    sample.error = { message: r.error ?? 'backend error', traceback: '', traceback_ansi: '' }
  }
  return sample
}

function generateConfig(sampling: Readonly<Record<string, unknown>> | undefined, seed: number): JsonObject {
  const num = (key: string): number | null => {
    const v = sampling?.[key]
    return typeof v === 'number' ? v : null
  }
  const stop = sampling?.stop
  return {
    max_tokens: num('maxNewTokens'),
    temperature: num('temperature'),
    top_p: num('topP'),
    top_k: num('topK'),
    seed,
    stop_seqs: Array.isArray(stop) && stop.every((s) => typeof s === 'string') ? (stop as string[]) : null,
  }
}

/** Builds the Inspect AI eval log of a run. */
export function buildInspectLog(input: InspectLogInput): InspectEvalLog {
  const { facts, results, prompts, aggregates } = input
  const modelNames = facts.models.length > 0 ? facts.models.map((m) => m.name) : [...new Set(results.map((r) => r.model))]
  const modelName = `sftbench/${modelNames.join('+') || 'unknown'}`
  const samples = results.map((r) => sampleOf(r, prompts))
  const runId = stableId(facts.dir, facts.name, facts.startedAt ?? '')
  const protocolMode =
    facts.task === 'gp' ? 'single-turn' : typeof facts.protocol?.mode === 'string' ? facts.protocol.mode : 'closed-loop'
  const created = facts.startedAt ?? new Date(0).toISOString()

  const success = results.map((r) => (r.success ? 1 : 0))
  const successes = success.reduce<number>((s, v) => s + v, 0)
  const ci = wilsonInterval(successes, results.length)
  const successStats = meanStderr(success)
  const rewardStats = meanStderr(results.map((r) => r.reward))
  const validityStats = meanStderr(results.map((r) => r.validity))
  const errored = results.filter((r) => r.failure === 'backend-error').length

  const tokensByModel = new Map<string, number>()
  for (const r of results) tokensByModel.set(r.model, (tokensByModel.get(r.model) ?? 0) + r.tokens)
  const modelUsage: JsonObject = {}
  for (const [name, tokens] of tokensByModel) modelUsage[`sftbench/${name}`] = usage(tokens)

  const log: InspectEvalLog = {
    version: INSPECT_LOG_VERSION,
    status: STATUS[facts.status] ?? 'started',
    eval: {
      eval_id: stableId('eval', runId),
      run_id: runId,
      created,
      task: `sftbench/${facts.task}`,
      task_id: stableId('task', runId),
      task_version: 0,
      task_display_name: facts.name,
      task_attribs: {},
      task_args: {},
      solver: `sftbench/${protocolMode}`,
      tags: ['sftbench', facts.task],
      dataset: {
        name: facts.name,
        location: facts.dir,
        samples: new Set(samples.map((s) => s.id)).size,
        sample_ids: [...new Set(samples.map((s) => s.id))],
        shuffled: false,
      },
      model: modelName,
      model_args: {},
      config: { epochs: facts.repeats },
      packages: { ...facts.versions },
      metadata: {
        sftbench: {
          sweep: facts.name,
          description: facts.description,
          seed: facts.seed,
          instances: facts.instances,
          repeats: facts.repeats,
          protocol: (facts.protocol as JsonObject | null) ?? null,
          cells_total: facts.cellsTotal,
          cells_done: facts.cellsDone,
          models: facts.models.map((m) => ({
            name: m.name,
            backend: m.backend,
            location: m.location,
            provider: m.provider,
            model_hash: m.modelHash,
            sampling: m.sampling as JsonObject,
          })),
        },
      },
    },
    plan: {
      name: 'plan',
      steps: [{ solver: `sftbench/${protocolMode}`, params: (facts.protocol as JsonObject | null) ?? {} }],
      finish: null,
      config: generateConfig(facts.models[0]?.sampling, facts.seed),
    },
    results: {
      total_samples: results.length,
      completed_samples: results.length - errored,
      scores: [
        evalScore(
          'success',
          [
            metric('accuracy', successStats.mean),
            metric('stderr', successStats.stderr),
            metric('wilson_95_low', ci.low),
            metric('wilson_95_high', ci.high),
          ],
          results.length,
        ),
        evalScore('reward', [metric('mean', rewardStats.mean), metric('stderr', rewardStats.stderr)], results.length),
        evalScore('validity', [metric('mean', validityStats.mean), metric('stderr', validityStats.stderr)], results.length),
      ],
      metadata: { aggregates: aggregates.map((a) => JSON.parse(JSON.stringify(a)) as Json) },
    },
    stats: {
      started_at: facts.startedAt ?? '',
      completed_at: facts.endedAt ?? '',
      model_usage: modelUsage,
    },
    samples,
  }
  if (log.status === 'error') {
    // `error` sits between `stats` and `samples`, as in EvalLog's field order.
    const { samples: all, ...head } = log
    return { ...head, error: { message: facts.error ?? 'The run failed.', traceback: '', traceback_ansi: '' }, samples: all }
  }
  return log
}
