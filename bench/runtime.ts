/**
 * Benchmark section `runtime`: sftbench's model runtime against transformers.js
 * (`@huggingface/transformers`, the library a TypeScript user would pick) on the same ONNX file, on
 * the CPU with one intra-op thread, in the same process.
 *
 * Figures per model: time to first token; single-stream tokens/s (end to end, prefill included,
 * and decoding alone); aggregate tokens/s at batch 1, 4 and 16; whether greedy output is
 * token-identical; and the batch-1 bound: memory bandwidth (measured here by copying a large array)
 * divided by the bytes of weights read per token.
 *
 * Both sides are measured alike: tokenization inside every measurement, single streams with a
 * listener that timestamps tokens (time to first token runs from the call), runs interleaved
 * between the two libraries and, for batches, between batch sizes, medians of `--runs`. The ratio
 * by CPU time (tokens per second of this process's CPU time) is less sensitive to busy neighbours.
 *
 * Models: the committed tiny fixture; a ~30M-parameter random-weight Llama built by
 * `scripts/make-tiny-llama.py --preset 30m` into bench/out/models/llama-30m (built on first use when
 * /usr/bin/python3 has torch); and, when present, a Qwen2.5-0.5B-shaped model in
 * bench/out/models/qwen05b (`--preset qwen05b`, about 2 GB; sftbench only, for the bound).
 *
 * Targets: single-stream at least 1.2x transformers.js on the tiny model and 1.0x on 30M; batch-16
 * aggregate at least 4x single-stream on 30M; greedy output identical.
 *
 * Options: `--runs=N` (default 3), `--tokens=N` new tokens per single-stream run (default 128),
 * `--batch-tokens=N` per row in batches (default 96), `--no-30m`, `--no-build` (never run Python).
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import {
  AutoModelForCausalLM,
  AutoTokenizer,
  BaseStreamer,
  env,
  type PreTrainedModel,
  type PreTrainedTokenizer,
  type Tensor,
  type TextStreamer,
} from '@huggingface/transformers'
import { loadModel, type LocalModelClient } from '../electron/runtime/engine.ts'
import { formatBytes } from '../electron/runtime/model-folder.ts'
import { ortVersion, sessionMode } from '../electron/runtime/onnx.ts'
import { flagOption, numberOption, repoPath } from './environment.ts'
import type { BenchSection } from './sections.ts'
import { median, passFail, printTable } from './stats.ts'

const TINY = repoPath('test/fixtures/tiny-llama')
const MODELS = repoPath('bench/out/models')
const BATCHES = [1, 4, 16]

interface ModelCase {
  readonly label: string
  readonly dir: string
  /** Compare with transformers.js (the 0.5B model is measured for the bound only). */
  readonly compare: boolean
  readonly targetRatio: number | null
  /** Check batch-16 aggregate >= 4x batch 1. */
  readonly batchTarget: boolean
}

interface StreamFigures {
  ttftMs: number
  /** New tokens / (call to last token). */
  endToEnd: number
  /** New tokens / CPU seconds of this process (less sensitive to busy neighbours than wall time). */
  cpu: number
  /** (new tokens - 1) / (first token to last token). */
  decode: number
}

interface Throughput {
  wall: number
  cpu: number
}

/** A streamer that only timestamps tokens (transformers.js calls `put` with the prompt first). */
class TimingStreamer extends BaseStreamer {
  readonly times: number[] = []
  private calls = 0
  override put(): void {
    if (this.calls++ > 0) this.times.push(performance.now())
  }
  override end(): void {}
}

/** Runs `work`, returning tokens per wall second and per CPU second. */
async function measure(tokens: number, work: () => Promise<unknown>): Promise<Throughput> {
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  await work()
  const wallMs = performance.now() - t0
  const cpu = process.cpuUsage(cpu0)
  return { wall: (tokens * 1000) / wallMs, cpu: (tokens * 1e6) / (cpu.user + cpu.system) }
}

/**
 * Streams like `tjsStream`: token times from a listener, and time to first token from before the
 * call, so that tokenization counts on both sides (the result's own timings start after it).
 */
async function sftStream(model: LocalModelClient, prompt: string, tokens: number): Promise<StreamFigures> {
  const times: number[] = []
  const t0 = performance.now()
  const t = await measure(tokens, () =>
    model.generate({ prompt, params: { maxNewTokens: tokens, stopOnEos: false } }, (e) => {
      if (e.type === 'token') times.push(performance.now())
    }),
  )
  const [first] = times
  const last = times.at(-1) ?? first
  return { ttftMs: first - t0, endToEnd: t.wall, cpu: t.cpu, decode: ((times.length - 1) * 1000) / (last - first) }
}

async function tjsStream(model: PreTrainedModel, tokenizer: PreTrainedTokenizer, prompt: string, tokens: number): Promise<StreamFigures> {
  const timing = new TimingStreamer()
  // generate() types its streamer as a TextStreamer but calls only put() and end().
  const streamer = timing as unknown as TextStreamer
  const t0 = performance.now()
  const t = await measure(tokens, () =>
    model.generate({ ...tokenizer(prompt), max_new_tokens: tokens, min_new_tokens: tokens, do_sample: false, streamer }),
  )
  const [first] = timing.times
  const last = timing.times.at(-1) ?? first
  return {
    ttftMs: first - t0,
    endToEnd: t.wall,
    cpu: t.cpu,
    decode: ((timing.times.length - 1) * 1000) / (last - first),
  }
}

function sftBatch(model: LocalModelClient, prompts: readonly string[], tokens: number): Promise<Throughput> {
  return measure(prompts.length * tokens, () =>
    model.generateBatch(prompts.map((prompt) => ({ prompt, params: { maxNewTokens: tokens, stopOnEos: false } }))),
  )
}

/** Tokenizes inside the measurement, as `generateBatch` does on our side. */
function tjsBatch(model: PreTrainedModel, tokenizer: PreTrainedTokenizer, prompts: readonly string[], tokens: number): Promise<Throughput> {
  return measure(prompts.length * tokens, () =>
    model.generate({ ...tokenizer([...prompts], { padding: true }), max_new_tokens: tokens, min_new_tokens: tokens, do_sample: false }),
  )
}

/** Greedy ids from transformers.js, stopping at EOS as generation_config.json says. */
async function tjsGreedy(model: PreTrainedModel, tokenizer: PreTrainedTokenizer, prompt: string, tokens: number): Promise<number[]> {
  const inputs = tokenizer(prompt)
  const promptLength = (inputs.input_ids as Tensor).dims[1]
  const out = (await model.generate({ ...inputs, max_new_tokens: tokens, do_sample: false })) as Tensor
  return Array.from(out.data as BigInt64Array, Number).slice(promptLength)
}

/** Copy bandwidth of this machine in bytes/s (read + write of a 256 MB array, median of 5). */
function memoryBandwidth(): number {
  const n = 32 * 1024 * 1024
  const a = new Float64Array(n).fill(1)
  const b = new Float64Array(n)
  b.set(a) // touch the pages
  const rates: number[] = []
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now()
    b.set(a)
    rates.push((2 * a.byteLength) / ((performance.now() - t0) / 1000))
  }
  return median(rates)
}

function weightBytes(dir: string): number {
  const onnx = path.join(dir, 'onnx')
  return fs
    .readdirSync(onnx)
    .filter((f) => f === 'model.onnx' || f === 'model.onnx_data')
    .reduce((a, f) => a + fs.statSync(path.join(onnx, f)).size, 0)
}

/**
 * Short prompts (about 20 tokens), distinct per row, so that prefill is a small part of each figure.
 */
function shortPrompts(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `Question ${i + 1}: in Sokoban, how many boxes are on targets after ${i + 3} moves? Answer:`)
}

/** Builds the 30M model when it is missing; returns false (with the reason printed) when it cannot. */
function ensure30m(dir: string): boolean {
  if (fs.existsSync(path.join(dir, 'onnx/model.onnx'))) return true
  if (flagOption('no-build')) {
    console.log(`${dir} is missing and --no-build was given: skipping the 30M model.`)
    return false
  }
  console.log('Building the 30M model with scripts/make-tiny-llama.py --preset 30m (about a minute) ...')
  const r = spawnSync(
    '/usr/bin/python3',
    [repoPath('scripts/make-tiny-llama.py'), '--preset', '30m', '--out', dir, '--variants', 'none'],
    { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] },
  )
  if (r.status !== 0) {
    console.log(`Could not build the 30M model (${r.error?.message ?? r.stderr.trim().split('\n').at(-1)}): skipping it.`)
    return false
  }
  return true
}

function fmt(x: number, digits = 1): string {
  return Number.isFinite(x) ? x.toFixed(digits) : '-'
}

async function benchModel(c: ModelCase, runs: number, tokens: number, batchTokens: number, bandwidth: number): Promise<void> {
  console.log(`\n### ${c.label} (${path.relative(repoPath('.'), c.dir)})`)
  const ours = await loadModel({ dir: c.dir, provider: 'cpu', maxBatch: 16, session: { intraOpThreads: 1 } })
  const info = await ours.info()
  const weights = weightBytes(c.dir)
  const [prompt] = shortPrompts(1)
  console.log(
    `${info.layers} layers, ${info.kvHeads} KV heads x ${info.headDim}, vocab ${info.vocabSize}; weights ${formatBytes(weights)}; ` +
      `prompts of ~${ours.encodePrompt(prompt).length} tokens; ${tokens} new tokens single-stream, ${batchTokens} per row in batches`,
  )
  let theirs: { model: PreTrainedModel; tokenizer: PreTrainedTokenizer } | null = null
  try {
    if (c.compare) {
      env.allowRemoteModels = false
      env.localModelPath = path.dirname(c.dir)
      const name = path.basename(c.dir)
      const tokenizer = await AutoTokenizer.from_pretrained(name)
      tokenizer.padding_side = 'left'
      const model = await AutoModelForCausalLM.from_pretrained(name, {
        dtype: 'fp32',
        device: 'cpu',
        session_options: { intraOpNumThreads: 1 },
      })
      theirs = { model, tokenizer }
    }

    // Warm-up: first runs pay for lazy initialisation on both sides.
    await sftStream(ours, prompt, 8)
    if (theirs) await tjsStream(theirs.model, theirs.tokenizer, prompt, 8)

    let identical: boolean | null = null
    if (theirs) {
      identical = true
      for (const p of shortPrompts(3)) {
        const oursGreedy = await ours.generate({ prompt: p, params: { maxNewTokens: 64 } })
        const theirsGreedy = await tjsGreedy(theirs.model, theirs.tokenizer, p, 64)
        identical &&= JSON.stringify(oursGreedy.tokens.map((t) => t.id)) === JSON.stringify(theirsGreedy)
      }
    }

    const sft: StreamFigures[] = []
    const tjs: StreamFigures[] = []
    for (let i = 0; i < runs; i++) {
      // Interleaved, so that a busy neighbour slows both sides alike.
      sft.push(await sftStream(ours, prompt, tokens))
      if (theirs) tjs.push(await tjsStream(theirs.model, theirs.tokenizer, prompt, tokens))
    }
    const pick = (xs: StreamFigures[], k: keyof StreamFigures) => median(xs.map((x) => x[k]))
    // Each round runs every batch size on both sides, so that a busy neighbour weighs on the batch-16
    // to batch-1 ratio as little as on the comparison with transformers.js.
    const samples = new Map(BATCHES.map((b) => [b, { s: [] as Throughput[], t: [] as Throughput[] }]))
    for (let i = 0; i < runs; i++) {
      for (const b of BATCHES) {
        const prompts = shortPrompts(b)
        const into = samples.get(b) as { s: Throughput[]; t: Throughput[] }
        into.s.push(await sftBatch(ours, prompts, batchTokens))
        if (theirs) into.t.push(await tjsBatch(theirs.model, theirs.tokenizer, prompts, batchTokens))
      }
    }
    const med = (xs: Throughput[]): Throughput => ({ wall: median(xs.map((x) => x.wall)), cpu: median(xs.map((x) => x.cpu)) })
    const batch = new Map(
      [...samples].map(([b, { s, t }]) => [b, { sft: med(s), tjs: theirs ? med(t) : { wall: NaN, cpu: NaN } }] as const),
    )

    const ratio = (a: number, b: number) => (Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(2)}x` : '-')
    const rows: (string | number)[][] = [
      ['time to first token (ms)', fmt(pick(sft, 'ttftMs')), fmt(pick(tjs, 'ttftMs')), ratio(pick(tjs, 'ttftMs'), pick(sft, 'ttftMs')), ''],
      [
        'single-stream tok/s (end to end)',
        fmt(pick(sft, 'endToEnd')),
        fmt(pick(tjs, 'endToEnd')),
        ratio(pick(sft, 'endToEnd'), pick(tjs, 'endToEnd')),
        ratio(pick(sft, 'cpu'), pick(tjs, 'cpu')),
      ],
      ['single-stream tok/s (decoding only)', fmt(pick(sft, 'decode')), fmt(pick(tjs, 'decode')), ratio(pick(sft, 'decode'), pick(tjs, 'decode')), ''],
      ...BATCHES.map((b) => {
        const m = batch.get(b) as { sft: Throughput; tjs: Throughput }
        return [`aggregate tok/s, batch ${b}`, fmt(m.sft.wall), fmt(m.tjs.wall), ratio(m.sft.wall, m.tjs.wall), ratio(m.sft.cpu, m.tjs.cpu)]
      }),
    ]
    printTable([`figure (median of ${runs})`, 'sftbench', 'transformers.js', 'ratio', 'ratio (CPU time)'], rows)
    const bound = bandwidth / weights
    console.log(
      `batch-1 bound: ${formatBytes(bandwidth)}/s / ${formatBytes(weights)} = ${fmt(bound, 0)} tok/s; sftbench decodes at ` +
        `${fmt(pick(sft, 'decode'))} tok/s = ${fmt((100 * pick(sft, 'decode')) / bound)} % of it`,
    )
    if (identical !== null) console.log(`${passFail(identical)} greedy output (3 prompts, 64 tokens, stop at EOS) identical to transformers.js`)
    if (theirs && c.targetRatio !== null) {
      const r = pick(sft, 'endToEnd') / pick(tjs, 'endToEnd')
      console.log(`${passFail(r >= c.targetRatio)} single-stream ${r.toFixed(2)}x transformers.js (target >= ${c.targetRatio}x)`)
    }
    if (c.batchTarget) {
      const one = batch.get(1)?.sft as Throughput
      const sixteen = batch.get(16)?.sft as Throughput
      const r = sixteen.wall / one.wall
      console.log(
        `${passFail(r >= 4)} batch-16 aggregate ${r.toFixed(2)}x batch 1 (target >= 4x; by CPU time ${(sixteen.cpu / one.cpu).toFixed(2)}x)`,
      )
    }
  } finally {
    await ours.dispose()
    if (theirs) await theirs.model.dispose()
  }
}

async function benchBoundOnly(dir: string, tokens: number, bandwidth: number): Promise<void> {
  console.log(`\n### Qwen2.5-0.5B shape (${path.relative(repoPath('.'), dir)}), sftbench only`)
  const ours = await loadModel({ dir, provider: 'cpu', maxBatch: 1, session: { intraOpThreads: 1 }, ignoreMemory: true })
  try {
    const weights = weightBytes(dir)
    const [prompt] = shortPrompts(1)
    await sftStream(ours, prompt, 4)
    const r = await sftStream(ours, prompt, tokens)
    const bound = bandwidth / weights
    console.log(
      `weights ${formatBytes(weights)}; decoding ${fmt(r.decode, 2)} tok/s; bound ${formatBytes(bandwidth)}/s / ` +
        `${formatBytes(weights)} = ${fmt(bound, 2)} tok/s (${fmt((100 * r.decode) / bound)} %); time to first token ${fmt(r.ttftMs, 0)} ms`,
    )
  } finally {
    await ours.dispose()
  }
}

export const runtimeSection: BenchSection = {
  name: 'runtime',
  title: 'model runtime vs transformers.js, CPU, 1 thread: time to first token, tokens/s, batch 1/4/16 (targets 1.2x / 1.0x / 4x)',
  async run() {
    const runs = Math.max(1, numberOption('runs', 3))
    const tokens = Math.max(2, numberOption('tokens', 128))
    const batchTokens = Math.max(2, numberOption('batch-tokens', 96))
    const bandwidth = memoryBandwidth()
    const mode = sessionMode()
    console.log(
      `onnxruntime-node ${ortVersion()} (shared by both), CPU provider, intraOpNumThreads 1; copy bandwidth ${formatBytes(bandwidth)}/s; ` +
        (mode.mode === 'sync' ? 'sftbench runs its sessions synchronously' : `sftbench runs its sessions through the public API (${mode.reason})`),
    )
    const cases: ModelCase[] = [{ label: 'tiny fixture (1.1M)', dir: TINY, compare: true, targetRatio: 1.2, batchTarget: false }]
    const m30 = path.join(MODELS, 'llama-30m')
    if (!flagOption('no-30m') && ensure30m(m30)) cases.push({ label: '30M Llama', dir: m30, compare: true, targetRatio: 1.0, batchTarget: true })
    for (const c of cases) await benchModel(c, runs, tokens, batchTokens, bandwidth)
    const qwen = path.join(MODELS, 'qwen05b')
    if (fs.existsSync(path.join(qwen, 'onnx/model.onnx'))) await benchBoundOnly(qwen, 16, bandwidth)
    else console.log(`\n(No ${path.relative(repoPath('.'), qwen)}: build it with scripts/make-tiny-llama.py --preset qwen05b --out ${path.relative(repoPath('.'), qwen)} --variants none --no-golden for the 0.5B bound.)`)
  },
}
