/**
 * @module electron/cli/commands/inspect
 * `sftbench inspect MODEL_DIR [--dtype D] [--json]`: what a model folder holds and whether sftbench
 * can run it, without loading it: architecture, layers, KV heads and dtype, every graph variant,
 * the chosen graph's inputs and outputs (each marked supported or not), the chat template, special
 * tokens and generation defaults, the execution providers available here, estimated memory, and
 * every problem with its fix. Exit 0 when the model would load, 1 when it would not.
 */
import path from 'node:path'
import { inspectModel, type InspectReport } from '../../runtime/inspect.ts'
import { formatIssue } from '../../runtime/issues.ts'
import { formatBytes } from '../../runtime/model-folder.ts'
import { providerLabel } from '../../runtime/providers.ts'
import { EXIT_FAILURE, EXIT_OK, JSON_OPTION, UsageError, flag, printJson, stringOpt, type Command } from '../command.ts'

function dims(d: readonly (number | string | null)[]): string {
  return `[${d.map((x) => (x === null ? '?' : String(x))).join(', ')}]`
}

function table(rows: readonly (readonly string[])[], indent = '  '): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)))
  return rows.map((r) => `${indent}${r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ')}`.trimEnd())
}

/** The text report. */
export function formatInspect(report: InspectReport): string {
  const lines: string[] = []
  const c = report.config
  lines.push(`Model       ${report.name}  (${report.dir})`)
  if (c) {
    lines.push(`Arch        ${c.architecture} (model_type ${c.modelType})`)
    lines.push(
      `Shape       ${report.layers ?? '?'} layers, ${c.attentionHeads ?? '?'} attention heads, ` +
        `${report.kvHeads ?? '?'} KV heads x ${report.headDim ?? '?'}, hidden ${c.hiddenSize ?? '?'}, ` +
        `vocab ${c.vocabSize ?? '?'} (tokenizer ${report.tokenizerVocab ?? '?'}), context ${c.maxContext ?? '?'}`,
    )
  }
  if (report.variants.length > 0) {
    lines.push('Graphs')
    lines.push(
      ...table(
        report.variants.map((v) => [
          v.file,
          v.dtype,
          formatBytes(v.bytes),
          v.weightFormat ?? 'unreadable',
          v.kvDtype ? `${v.kvDtype} cache` : '',
          v.supported ? (v.file === report.chosen ? 'supported, chosen' : 'supported') : 'NOT SUPPORTED',
        ]),
      ),
    )
  }
  if (report.io.length > 0) {
    lines.push(`Inputs and outputs of ${report.chosen}`)
    lines.push(
      ...table(
        report.io.map((io) => [
          io.direction === 'input' ? 'in' : 'out',
          io.name,
          io.elemType,
          dims(io.dims),
          io.role,
          io.supported ? 'ok' : `UNSUPPORTED: ${io.note}`,
        ]),
      ),
    )
  }
  const { bos, eos, pad } = report.special
  const tok = (t: typeof bos) => (t ? `${t.text} (${t.id ?? 'missing'})` : 'none')
  if (c) {
    lines.push(`Tokens      bos ${tok(bos)}, eos ${tok(eos)}, pad ${tok(pad)}; stops at ids [${report.generation?.eosIds.join(', ')}]`)
  }
  const g = report.generation
  if (g) {
    const sampled = [
      `temperature ${g.temperature ?? 1}`,
      `top_k ${g.topK ?? 50}`,
      ...(g.topP !== null ? [`top_p ${g.topP}`] : []),
      ...(g.minP !== null ? [`min_p ${g.minP}`] : []),
    ]
    lines.push(`Defaults    ${g.doSample ? `sampling (${sampled.join(', ')})` : 'greedy'} from generation_config.json`)
  }
  lines.push(
    `Providers   ${report.providers
      .map((p) => `${providerLabel(p.name)}: ${p.available ? 'available' : `not available (${p.reason}; ${p.fix})`}`)
      .join('\n            ')}`,
  )
  if (report.memory) {
    const m = report.memory
    lines.push(
      `Memory      weights ${formatBytes(m.weights)}; KV cache ${formatBytes(m.kvPerToken)} per token; about ` +
        `${formatBytes(m.total)} with a ${m.contextTokens}-token context; ${formatBytes(m.free)} free`,
    )
  }
  if (report.chatTemplate !== null) {
    lines.push('Chat template')
    lines.push(...report.chatTemplate.split('\n').map((l) => `  ${l}`))
  } else if (c) {
    lines.push('Chat template  none (--chat is unavailable)')
  }
  if (report.issues.length === 0) {
    lines.push('Issues      none: the model loads.')
  } else {
    lines.push(report.loadable ? 'Issues (the model loads)' : 'Issues (the model does not load)')
    for (const issue of report.issues) lines.push(`  ${issue.severity}: ${formatIssue(issue)}`)
  }
  return `${lines.join('\n')}\n`
}

/** `sftbench inspect`: see the module comment. */
export const inspectCommand: Command = {
  name: 'inspect',
  summary: 'Describe a model folder before loading it: shape, graphs, inputs/outputs, template, providers, memory.',
  usage: 'inspect MODEL_DIR [options]',
  description: [
    'Reads config.json, generation_config.json, the tokenizer files and the ONNX graphs of a Hugging Face-',
    'layout folder without loading them, and reports whether sftbench can run the model, with a fix for',
    'every problem found. Exit 0 when the model loads, 1 when it does not. See docs/runtime.md.',
    '',
    'Example: sftbench inspect models/qwen2.5-0.5b-instruct --json',
  ].join('\n'),
  options: {
    dtype: { type: 'string', value: 'D', help: 'The graph to report on: fp32, fp16, q8, int8, q4, ... or a file (default: as load picks).' },
    json: JSON_OPTION,
  },
  allowPositionals: true,
  run(args, io) {
    if (args.positionals.length !== 1) throw new UsageError(`give one MODEL_DIR; got ${args.positionals.length} arguments.`)
    const dir = path.resolve(io.cwd, args.positionals[0])
    const report = inspectModel(dir, { variant: stringOpt(args, 'dtype') })
    if (flag(args, 'json')) printJson(io, report)
    else io.stdout(formatInspect(report))
    return report.loadable ? EXIT_OK : EXIT_FAILURE
  },
}
