/**
 * @module electron/cli/commands/generate
 * `sftbench generate MODEL_DIR --prompt TEXT [--chat] [sampling options] [--provider P] [--json]`:
 * loads a model folder in a worker thread and streams one completion to stdout. With `--json` it
 * prints one object instead: the provider that bound, the text, every token with its
 * log-probability and top alternatives, and the timings. Ctrl-C stops generation and keeps what
 * was generated.
 */
import path from 'node:path'
import type { GenerateResult } from '../../../core/model/client.ts'
import { MAX_TOP_LOGPROBS, resolveSamplingParams, type SamplingParamsInput } from '../../../core/model/params.ts'
import type { WorkerModelClient } from '../../runtime/client.ts'
import { formatIssue } from '../../runtime/issues.ts'
import { MODEL_LOAD_OPTIONS, readModelLoad, startModelFor } from '../model-options.ts'
import {
  CliFailure,
  EXIT_OK,
  JSON_OPTION,
  UsageError,
  flag,
  optionalIntOpt,
  printJson,
  stringOpt,
  type Command,
  type ParsedArgs,
} from '../command.ts'

/** Reads a decimal option, or undefined when it is absent. */
function floatOpt(args: ParsedArgs, name: string): number | undefined {
  const raw = stringOpt(args, name)
  if (raw === undefined) return undefined
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(raw.trim())) {
    throw new UsageError(`--${name} must be a number; got "${raw}".`)
  }
  return Number(raw)
}

/** The sampling parameters given on the command line (the model's defaults fill the rest). */
function samplingFromArgs(args: ParsedArgs): SamplingParamsInput {
  const params: { -readonly [K in keyof SamplingParamsInput]: SamplingParamsInput[K] } = {}
  const maxNew = optionalIntOpt(args, 'max-new-tokens', 1, 1_000_000)
  if (maxNew !== undefined) params.maxNewTokens = maxNew
  const temperature = floatOpt(args, 'temperature')
  if (temperature !== undefined) params.temperature = temperature
  const topP = floatOpt(args, 'top-p')
  if (topP !== undefined) params.topP = topP
  const minP = floatOpt(args, 'min-p')
  if (minP !== undefined) params.minP = minP
  const topK = optionalIntOpt(args, 'top-k', 0, 1_000_000)
  if (topK !== undefined) params.topK = topK
  const seed = optionalIntOpt(args, 'seed', -Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER)
  if (seed !== undefined) params.seed = seed
  const top = optionalIntOpt(args, 'top-logprobs', 0, MAX_TOP_LOGPROBS)
  if (top !== undefined) params.topLogprobs = top
  const stop = args.values.stop
  if (Array.isArray(stop)) params.stop = stop.filter((s): s is string => typeof s === 'string')
  if (flag(args, 'ignore-eos')) params.stopOnEos = false
  try {
    resolveSamplingParams(params)
  } catch (error) {
    throw new UsageError((error as Error).message)
  }
  return params
}

/** The `--json` document. */
function jsonResult(result: GenerateResult, client: WorkerModelClient, model: string): unknown {
  return {
    provider: result.provider,
    model,
    file: client.report?.file,
    weights: client.report?.weightFormat,
    text: result.text,
    finishReason: result.finishReason,
    ...(result.stopString === undefined ? {} : { stopString: result.stopString }),
    promptTokens: result.promptTokens,
    tokens: result.tokens.map((t) => ({
      id: t.id,
      text: t.text,
      logprob: t.logprob,
      top: t.top.map((a) => ({ id: a.id, text: a.text, logprob: a.logprob })),
    })),
    timings: { ...result.timings, loadMs: client.report?.loadMs },
  }
}

/** `sftbench generate`: see the module comment. */
export const generateCommand: Command = {
  name: 'generate',
  summary: 'Generate a completion with a local ONNX model, streaming tokens; --json adds log-probabilities.',
  usage: 'generate MODEL_DIR --prompt TEXT [options]',
  description: [
    'Loads a Hugging Face-layout ONNX model folder (see "sftbench inspect" and docs/runtime.md) in a worker',
    'thread on the best execution provider (--provider auto: CUDA, then DirectML or CoreML, then the CPU) and',
    'streams the completion. Unset sampling options take generation_config.json\'s values; temperature 0 is',
    'greedy. Without CUDA, --provider cuda fails and names the install command:',
    '  ONNXRUNTIME_NODE_INSTALL=cuda12 npm rebuild onnxruntime-node',
    '',
    'Example: sftbench generate models/qwen2.5-0.5b-instruct --chat --prompt "Solve 3 3 8 8" --json --top-logprobs 5',
  ].join('\n'),
  options: {
    prompt: { type: 'string', short: 'p', value: 'TEXT', help: 'The prompt (raw text, or the user message with --chat).' },
    chat: { type: 'boolean', help: "Render the prompt as a user message with the model's chat template." },
    system: { type: 'string', value: 'TEXT', help: 'A system message (with --chat).' },
    'max-new-tokens': { type: 'string', value: 'N', help: 'Most tokens to generate (default 256).' },
    temperature: { type: 'string', value: 'T', help: 'Sampling temperature; 0 is greedy.' },
    'top-k': { type: 'string', value: 'K', help: 'Sample among the K most likely tokens (0 = off).' },
    'top-p': { type: 'string', value: 'P', help: 'Nucleus sampling mass in (0, 1] (1 = off).' },
    'min-p': { type: 'string', value: 'P', help: 'Drop tokens below P times the best probability (0 = off).' },
    seed: { type: 'string', value: 'S', help: 'Sampling seed (default 0).' },
    stop: { type: 'string', multiple: true, value: 'TEXT', help: 'Stop before this text (repeatable).' },
    'ignore-eos': { type: 'boolean', help: 'Keep generating past the end-of-sequence token.' },
    'top-logprobs': { type: 'string', value: 'K', help: `Alternatives per token with their log-probs, 0-${MAX_TOP_LOGPROBS} (default 0).` },
    ...MODEL_LOAD_OPTIONS,
    json: JSON_OPTION,
  },
  allowPositionals: true,
  async run(args, io) {
    if (args.positionals.length !== 1) throw new UsageError(`give one MODEL_DIR; got ${args.positionals.length} arguments.`)
    const prompt = stringOpt(args, 'prompt')
    if (prompt === undefined) throw new UsageError('--prompt is required.')
    const chat = flag(args, 'chat')
    const system = stringOpt(args, 'system')
    if (system !== undefined && !chat) throw new UsageError('--system needs --chat.')
    const params = samplingFromArgs(args)
    const json = flag(args, 'json')
    const load = readModelLoad(args, io, args.positionals[0])
    if (chat && load.prepared.folder.chatTemplate === null) {
      throw new CliFailure(`${load.prepared.folder.name} has no chat_template in tokenizer_config.json; drop --chat and give raw text.`)
    }
    if (!json) for (const w of load.prepared.warnings) io.stderr(`warning: ${formatIssue(w)}\n`)
    const client = await startModelFor(load, 1)
    const onSigint = (): void => client.cancel()
    process.once('SIGINT', onSigint)
    try {
      const report = client.report
      if (!json && report) {
        io.stderr(`Loaded ${report.file} (${report.weightFormat}) on ${report.provider} in ${(report.loadMs / 1000).toFixed(2)} s\n`)
      }
      const messages = [...(system !== undefined ? [{ role: 'system', content: system }] : []), { role: 'user', content: prompt }]
      const result = await client.generate({ prompt: chat ? { messages } : prompt, params }, (event) => {
        if (!json && event.type === 'token') io.stdout(event.delta)
      })
      if (json) {
        printJson(io, jsonResult(result, client, path.basename(load.dir)))
      } else {
        io.stdout('\n')
        const t = result.timings
        io.stderr(
          `[${result.provider}] ${result.tokens.length} tokens, ${result.finishReason}; first token after ` +
            `${t.timeToFirstTokenMs.toFixed(0)} ms, ${t.tokensPerSecond.toFixed(1)} tokens/s\n`,
        )
      }
      return EXIT_OK
    } finally {
      process.removeListener('SIGINT', onSigint)
      await client.dispose()
    }
  },
}
