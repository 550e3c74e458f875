/**
 * @module electron/runtime/model-folder
 * Reads and checks a Hugging Face-layout model folder before anything is loaded:
 *
 *     config.json  generation_config.json  tokenizer.json  tokenizer_config.json
 *     special_tokens_map.json  onnx/model[_fp16|_int8|_q4|...].onnx (or model.onnx)  [*.onnx_data]
 *
 * Every problem is a `FolderIssue` naming the file and the fix: missing files, graphs that are not
 * KV-cached decoders, a tokenizer and config that disagree, external weight files that are absent,
 * and models larger than the free memory.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { readOnnxSummary, type OnnxGraphSummary } from './onnx-proto.ts'
import { ModelFolderError, errorIssue, warningIssue, type FolderIssue } from './issues.ts'
import { analyzeSignature, type DecoderSignature, type SignatureAnalysis } from './signature.ts'

/** The parts of `config.json` the runtime uses. */
export interface ModelConfig {
  readonly modelType: string
  readonly architecture: string
  readonly vocabSize: number | null
  readonly layers: number | null
  readonly attentionHeads: number | null
  readonly kvHeads: number | null
  readonly headDim: number | null
  readonly hiddenSize: number | null
  readonly maxContext: number | null
  readonly isEncoderDecoder: boolean
  readonly eosIds: readonly number[]
  readonly bosId: number | null
  readonly padId: number | null
}

/** Defaults from `generation_config.json` (Hugging Face semantics). */
export interface GenerationDefaults {
  /** Token ids that end generation (generation_config, else config.json). */
  readonly eosIds: readonly number[]
  readonly doSample: boolean
  readonly temperature: number | null
  readonly topK: number | null
  readonly topP: number | null
  readonly minP: number | null
  readonly maxNewTokens: number | null
}

/** A special token of the tokenizer: its text and id (null when the tokenizer lacks it). */
export interface SpecialToken {
  readonly text: string
  readonly id: number | null
}

/** One `.onnx` file in the folder and the dtype its name announces. */
export interface OnnxVariant {
  /** Path relative to the folder, with forward slashes (`onnx/model_fp16.onnx`). */
  readonly file: string
  readonly path: string
  /** transformers.js dtype name from the file suffix: fp32, fp16, q8, int8, uint8, q4, q4f16, bnb4. */
  readonly dtype: string
  /** The `.onnx` file's own size (weights in external files not included). */
  readonly bytes: number
}

/** The folder's files, parsed, with the problems found so far. */
export interface ModelFolder {
  readonly dir: string
  /** The folder's base name, used as the model name. */
  readonly name: string
  readonly config: ModelConfig
  readonly generation: GenerationDefaults
  /** `tokenizer.json`, parsed. */
  readonly tokenizerJson: Record<string, unknown>
  /** `tokenizer_config.json`, parsed. */
  readonly tokenizerConfig: Record<string, unknown>
  /** The chat template (tokenizer_config.json, or chat_template.jinja beside it), or null. */
  readonly chatTemplate: string | null
  readonly bos: SpecialToken | null
  readonly eos: SpecialToken | null
  readonly pad: SpecialToken | null
  /** The number of ids the tokenizer can produce (largest id + 1). */
  readonly tokenizerVocab: number
  readonly variants: readonly OnnxVariant[]
  readonly issues: readonly FolderIssue[]
}

/** A variant's graph, read without loading it, with its checks. */
export interface VariantReport {
  readonly variant: OnnxVariant
  readonly summary: OnnxGraphSummary
  readonly analysis: SignatureAnalysis
  /** External weight files, relative to the folder. */
  readonly externalFiles: readonly string[]
  /** Weight bytes: the `.onnx` file plus its external data files. */
  readonly totalBytes: number
  /** What the weights are: `fp32`, `fp16`, `int8`, `int4 (MatMulNBits)`, ... */
  readonly weightFormat: string
  readonly issues: readonly FolderIssue[]
}

/** A memory estimate, in bytes. */
export interface MemoryEstimate {
  readonly weights: number
  readonly kvPerToken: number
  /** Weights plus runtime overhead plus a KV cache of `contextTokens` tokens. */
  readonly total: number
  readonly contextTokens: number
}

/** A folder ready to load: the chosen graph and its decoder signature. */
export interface PreparedModel {
  readonly folder: ModelFolder
  readonly report: VariantReport
  readonly signature: DecoderSignature
  readonly memory: MemoryEstimate
  /** Every warning (errors throw). */
  readonly warnings: readonly FolderIssue[]
}

/** Options of `prepareModel`. */
export interface PrepareOptions {
  /** A dtype (fp32, fp16, q8, int8, uint8, q4, q4f16, bnb4) or a file path relative to the folder. */
  readonly variant?: string
  /** Prefer fp16 graphs (for GPU providers) when no variant is named. */
  readonly preferFp16?: boolean
  /** Free memory in bytes; `os.freemem()` when absent. */
  readonly freeMemory?: number
  /** Skip the free-memory check. */
  readonly ignoreMemory?: boolean
  /** The context the memory check reserves KV cache for (default min(4096, max context)). */
  readonly contextTokens?: number
}

const DTYPE_SUFFIXES: Readonly<Record<string, string>> = {
  '': 'fp32',
  _fp32: 'fp32',
  _fp16: 'fp16',
  _quantized: 'q8',
  _int8: 'int8',
  _uint8: 'uint8',
  _q4: 'q4',
  _q4f16: 'q4f16',
  _bnb4: 'bnb4',
}
const BASE_NAMES = ['model', 'decoder_model_merged']
/** CPU preference: full precision first, then the quantized graphs, fp16 last (slow on CPUs). */
const CPU_ORDER = ['fp32', 'q8', 'int8', 'uint8', 'q4', 'bnb4', 'fp16', 'q4f16']
const GPU_ORDER = ['fp16', 'q4f16', 'fp32', 'q4', 'q8', 'int8', 'uint8', 'bnb4']
/** Extra memory onnxruntime needs beyond the weights (pre-packed MatMul weights, arenas). */
const RUNTIME_OVERHEAD = 1.25

type Json = Record<string, unknown>

function readJson(dir: string, file: string, issues: FolderIssue[], required: boolean, fix: string): Json | null {
  const full = path.join(dir, file)
  if (!fs.existsSync(full)) {
    const problem = `${file} is missing`
    issues.push(required ? errorIssue(file, problem, fix) : warningIssue(file, problem, fix))
    return null
  }
  let value: unknown
  try {
    value = JSON.parse(fs.readFileSync(full, 'utf8'))
  } catch (e) {
    issues.push(errorIssue(file, `${file} is not valid JSON (${(e as Error).message})`, 'download the file again'))
    return null
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    const found = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`
    issues.push(errorIssue(file, `${file} holds ${found}, not a JSON object`, 'download the file again'))
    return null
  }
  return value as Json
}

function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null
}

function ids(value: unknown): number[] {
  if (Array.isArray(value)) return value.filter((v): v is number => typeof v === 'number')
  return typeof value === 'number' ? [value] : []
}

function readConfig(raw: Json): ModelConfig {
  // Multimodal configs nest the language model's fields under text_config.
  const text = (raw.text_config && typeof raw.text_config === 'object' ? raw.text_config : {}) as Json
  const get = (key: string): unknown => raw[key] ?? text[key]
  const heads = num(get('num_attention_heads'))
  const hidden = num(get('hidden_size'))
  const architectures = Array.isArray(raw.architectures) ? raw.architectures : []
  return {
    modelType: typeof raw.model_type === 'string' ? raw.model_type : 'unknown',
    architecture: typeof architectures[0] === 'string' ? architectures[0] : 'unknown',
    vocabSize: num(get('vocab_size')),
    layers: num(get('num_hidden_layers')),
    attentionHeads: heads,
    kvHeads: num(get('num_key_value_heads')) ?? heads,
    headDim: num(get('head_dim')) ?? (heads && hidden ? hidden / heads : null),
    hiddenSize: hidden,
    maxContext: num(get('max_position_embeddings')),
    isEncoderDecoder: raw.is_encoder_decoder === true,
    eosIds: ids(get('eos_token_id')),
    bosId: num(get('bos_token_id')),
    padId: num(get('pad_token_id')),
  }
}

/** The text of a special-token entry: a string, or an AddedToken-like `{ content }`. */
function tokenText(value: unknown): string | null {
  if (typeof value === 'string') return value
  if (value && typeof value === 'object' && typeof (value as Json).content === 'string') {
    return (value as Json).content as string
  }
  return null
}

/** Token text -> id over tokenizer.json's added tokens and model vocabulary. */
function tokenIndex(tokenizerJson: Json): { lookup: (text: string) => number | null; size: number } {
  const added = new Map<string, number>()
  let size = 0
  for (const t of Array.isArray(tokenizerJson.added_tokens) ? tokenizerJson.added_tokens : []) {
    const entry = t as Json
    if (typeof entry.content === 'string' && typeof entry.id === 'number') {
      added.set(entry.content, entry.id)
      size = Math.max(size, entry.id + 1)
    }
  }
  const model = (tokenizerJson.model ?? {}) as Json
  const vocab = model.vocab
  let lookupVocab: (text: string) => number | null = () => null
  if (Array.isArray(vocab)) {
    // Unigram: [[piece, score], ...], the id is the position.
    const index = new Map<string, number>()
    vocab.forEach((entry, i) => {
      if (Array.isArray(entry) && typeof entry[0] === 'string') index.set(entry[0], i)
    })
    size = Math.max(size, vocab.length)
    lookupVocab = (text) => index.get(text) ?? null
  } else if (vocab && typeof vocab === 'object') {
    const table = vocab as Record<string, number>
    for (const id of Object.values(table)) if (typeof id === 'number') size = Math.max(size, id + 1)
    lookupVocab = (text) => (Object.hasOwn(table, text) ? table[text] : null)
  }
  return { lookup: (text) => added.get(text) ?? lookupVocab(text), size }
}

function listVariants(dir: string): OnnxVariant[] {
  const found: OnnxVariant[] = []
  for (const sub of ['onnx', '']) {
    const folder = path.join(dir, sub)
    if (!fs.existsSync(folder) || !fs.statSync(folder).isDirectory()) continue
    for (const name of fs.readdirSync(folder).sort()) {
      if (!name.endsWith('.onnx')) continue
      const stem = name.slice(0, -'.onnx'.length)
      const base = BASE_NAMES.find((b) => stem === b || stem.startsWith(`${b}_`))
      if (base === undefined) continue
      const dtype = DTYPE_SUFFIXES[stem.slice(base.length)]
      if (dtype === undefined) continue
      const full = path.join(folder, name)
      const file = sub ? `${sub}/${name}` : name
      found.push({ file, path: full, dtype, bytes: fs.statSync(full).size })
    }
  }
  return found
}

/**
 * Reads the folder's JSON files and lists its ONNX graphs. Throws a `ModelFolderError` when the
 * folder does not exist or a required file is missing or unreadable; other problems (tokenizer and
 * config disagreeing, a missing chat template) are returned in `issues`.
 */
export function readModelFolder(dir: string): ModelFolder {
  const abs = path.resolve(dir)
  if (!fs.existsSync(abs) || !fs.statSync(abs).isDirectory()) {
    throw new ModelFolderError(abs, [
      errorIssue(
        '.',
        `${abs} is not a folder`,
        'give the folder holding config.json, tokenizer.json and onnx/model.onnx',
      ),
    ])
  }
  const issues: FolderIssue[] = []
  const configRaw = readJson(abs, 'config.json', issues, true, 'copy config.json from the checkpoint the ONNX graph was exported from')
  const generationRaw = readJson(
    abs,
    'generation_config.json',
    issues,
    false,
    'copy generation_config.json from the checkpoint (until then EOS ids come from config.json and sampling defaults are greedy)',
  )
  const tokenizerJson = readJson(
    abs,
    'tokenizer.json',
    issues,
    true,
    'save the fast tokenizer with `AutoTokenizer.from_pretrained(CHECKPOINT).save_pretrained(FOLDER)`',
  )
  const tokenizerConfig = readJson(
    abs,
    'tokenizer_config.json',
    issues,
    true,
    'save the tokenizer with `AutoTokenizer.from_pretrained(CHECKPOINT).save_pretrained(FOLDER)`',
  )
  const specialMap = readJson(
    abs,
    'special_tokens_map.json',
    issues,
    false,
    'save the tokenizer with `save_pretrained` (until then special tokens come from tokenizer_config.json)',
  )
  const variants = listVariants(abs)
  if (variants.length === 0) {
    issues.push(
      errorIssue(
        'onnx/model.onnx',
        'no ONNX graph was found (looked for onnx/model*.onnx and model.onnx)',
        'export the checkpoint with `optimum-cli export onnx --model CHECKPOINT --task text-generation-with-past ' +
          'FOLDER` or the onnxruntime-genai model builder (see docs/runtime.md)',
      ),
    )
  }
  if (!configRaw || !tokenizerJson || !tokenizerConfig || variants.length === 0) throw new ModelFolderError(abs, issues)

  const config = readConfig(configRaw)
  const generation: GenerationDefaults = {
    eosIds: generationRaw && ids(generationRaw.eos_token_id).length > 0 ? ids(generationRaw.eos_token_id) : config.eosIds,
    doSample: generationRaw?.do_sample === true,
    temperature: num(generationRaw?.temperature),
    topK: num(generationRaw?.top_k),
    topP: num(generationRaw?.top_p),
    minP: num(generationRaw?.min_p),
    maxNewTokens: num(generationRaw?.max_new_tokens),
  }
  const index = tokenIndex(tokenizerJson)
  const special = (key: string): SpecialToken | null => {
    const text = tokenText(tokenizerConfig[key]) ?? tokenText(specialMap?.[key])
    return text === null ? null : { text, id: index.lookup(text) }
  }
  const bos = special('bos_token')
  const eos = special('eos_token')
  const pad = special('pad_token')

  let chatTemplate = chatTemplateOf(tokenizerConfig.chat_template)
  const jinjaFile = path.join(abs, 'chat_template.jinja')
  if (chatTemplate === null && fs.existsSync(jinjaFile)) chatTemplate = fs.readFileSync(jinjaFile, 'utf8')
  if (chatTemplate === null) {
    issues.push(
      warningIssue(
        'tokenizer_config.json',
        'there is no chat_template, so --chat and message prompts are unavailable',
        'copy tokenizer_config.json from the instruct checkpoint, or pass prompts as raw text',
      ),
    )
  }

  checkAgreement(config, generation, index, { bos, eos, pad }, issues)
  return {
    dir: abs,
    name: path.basename(abs),
    config,
    generation,
    tokenizerJson,
    tokenizerConfig,
    chatTemplate,
    bos,
    eos,
    pad,
    tokenizerVocab: index.size,
    variants,
    issues,
  }
}

function chatTemplateOf(value: unknown): string | null {
  if (typeof value === 'string') return value
  // Older tokenizer configs hold a list of named templates; the default one is used.
  if (Array.isArray(value)) {
    const named = value.find((t) => (t as Json)?.name === 'default') as Json | undefined
    return typeof named?.template === 'string' ? named.template : null
  }
  return null
}

function checkAgreement(
  config: ModelConfig,
  generation: GenerationDefaults,
  index: { lookup: (text: string) => number | null; size: number },
  special: { bos: SpecialToken | null; eos: SpecialToken | null; pad: SpecialToken | null },
  issues: FolderIssue[],
): void {
  const fromCheckpoint = 'copy config.json and the tokenizer files from the same checkpoint'
  if (config.isEncoderDecoder) {
    issues.push(
      errorIssue(
        'config.json',
        `is_encoder_decoder is true (${config.architecture}); sftbench runs decoder-only causal language models`,
        'use a decoder-only checkpoint (Qwen2/2.5/3, Llama 3.x, SmolLM, ...)',
      ),
    )
  }
  if (config.vocabSize === null) {
    issues.push(errorIssue('config.json', 'vocab_size is missing', fromCheckpoint))
  } else if (index.size > config.vocabSize) {
    issues.push(
      errorIssue(
        'tokenizer.json',
        `the tokenizer has ids up to ${index.size - 1}, but config.json's vocab_size is ${config.vocabSize}, so the ` +
          'model has no logits for some tokens',
        `${fromCheckpoint}; if tokens were added during fine-tuning, resize the embeddings and export again`,
      ),
    )
  }
  for (const id of generation.eosIds) {
    if (config.vocabSize !== null && (id < 0 || id >= config.vocabSize)) {
      issues.push(
        errorIssue(
          'generation_config.json',
          `eos_token_id ${id} is outside the vocabulary (vocab_size ${config.vocabSize})`,
          fromCheckpoint,
        ),
      )
    }
  }
  for (const [key, token] of Object.entries(special)) {
    if (token && token.id === null) {
      issues.push(
        errorIssue(
          'tokenizer_config.json',
          `${key}_token "${token.text}" is not a token of tokenizer.json`,
          fromCheckpoint,
        ),
      )
    }
  }
  const eos = special.eos
  if (eos && eos.id !== null && generation.eosIds.length > 0 && !generation.eosIds.includes(eos.id)) {
    issues.push(
      errorIssue(
        'generation_config.json',
        `eos_token_id is [${generation.eosIds.join(', ')}] but the tokenizer's eos_token "${eos.text}" is id ${eos.id}, so ` +
          'generation would not stop where the chat template ends a turn',
        `add ${eos.id} to eos_token_id in generation_config.json, or fix eos_token in tokenizer_config.json`,
      ),
    )
  }
  if (generation.eosIds.length === 0 && (!eos || eos.id === null)) {
    issues.push(
      warningIssue(
        'generation_config.json',
        'no end-of-sequence token is known, so generation always runs to max new tokens',
        'set eos_token_id in generation_config.json',
      ),
    )
  }
}

/** Picks the graph to load: the named dtype or file, else the first of the preference order. */
export function pickVariant(folder: ModelFolder, wanted?: string, preferFp16 = false): OnnxVariant {
  if (wanted !== undefined) {
    const byFile = folder.variants.find((v) => v.file === wanted.replace(/\\/g, '/'))
    const byDtype = folder.variants.filter((v) => v.dtype === wanted)
    const hit = byFile ?? byDtype.find((v) => v.file.startsWith('onnx/')) ?? byDtype[0]
    if (hit) return hit
    throw new ModelFolderError(folder.dir, [
      errorIssue(
        wanted.endsWith('.onnx') ? wanted : 'onnx/',
        `there is no ${wanted.endsWith('.onnx') ? `file ${wanted}` : `${wanted} graph`}; this folder has ` +
          folder.variants.map((v) => `${v.file} (${v.dtype})`).join(', '),
        `pick one of ${[...new Set(folder.variants.map((v) => v.dtype))].join(', ')}`,
      ),
    ])
  }
  const order = preferFp16 ? GPU_ORDER : CPU_ORDER
  const ranked = [...folder.variants].sort((a, b) => rank(order, a) - rank(order, b))
  return ranked[0]
}

function rank(order: readonly string[], v: OnnxVariant): number {
  const i = order.indexOf(v.dtype)
  // The onnx/ subfolder (Optimum, transformers.js) before a root model.onnx of the same dtype.
  return (i < 0 ? order.length : i) * 2 + (v.file.startsWith('onnx/') ? 0 : 1)
}

/** Reads a variant's graph (without loading it) and checks it against the config. */
export function inspectVariant(folder: ModelFolder, variant: OnnxVariant): VariantReport {
  const issues: FolderIssue[] = []
  let summary: OnnxGraphSummary
  try {
    summary = readOnnxSummary(variant.path)
  } catch (e) {
    throw new ModelFolderError(folder.dir, [
      errorIssue(variant.file, (e as Error).message.replace(/\.$/, ''), 'download or export the file again'),
    ])
  }
  const { config } = folder
  const analysis = analyzeSignature(variant.file, summary.inputs, summary.outputs, {
    layers: config.layers ?? undefined,
    kvHeads: config.kvHeads ?? undefined,
    headDim: config.headDim ?? undefined,
  })
  issues.push(...analysis.issues)
  const vocab = analysis.signature?.vocabSize
  if (vocab != null && config.vocabSize !== null && vocab !== config.vocabSize) {
    issues.push(
      errorIssue(
        'config.json',
        `vocab_size is ${config.vocabSize} but ${variant.file} produces ${vocab} logits`,
        'use the config.json the graph was exported with',
      ),
    )
  }
  const dir = path.dirname(variant.path)
  const externalFiles = [...new Set(summary.initializers.flatMap((i) => (i.externalFile ? [i.externalFile] : [])))]
  let totalBytes = variant.bytes
  const relative: string[] = []
  for (const ext of externalFiles) {
    const full = path.join(dir, ext)
    const rel = path.relative(folder.dir, full).split(path.sep).join('/')
    relative.push(rel)
    if (!fs.existsSync(full)) {
      issues.push(
        errorIssue(
          rel,
          `${rel} is missing; ${variant.file} keeps its weights there`,
          `download ${rel} into ${path.dirname(rel) === '.' ? 'the folder' : `${path.dirname(rel)}/`} beside ${path.basename(variant.file)}`,
        ),
      )
    } else {
      totalBytes += fs.statSync(full).size
    }
  }
  return {
    variant,
    summary,
    analysis,
    externalFiles: relative,
    totalBytes,
    weightFormat: weightFormat(summary),
    issues,
  }
}

/** Names the weight format from the initializers' bytes and the quantization operators. */
export function weightFormat(summary: OnnxGraphSummary): string {
  const bytes: Record<string, number> = {}
  for (const init of summary.initializers) bytes[init.elemType] = (bytes[init.elemType] ?? 0) + init.bytes
  if (summary.matMulNBits.length > 0) {
    const floats = (bytes.float16 ?? 0) > (bytes.float32 ?? 0) ? 'fp16' : 'fp32'
    return `int${summary.matMulNBits.join('/int')} (MatMulNBits, ${floats} activations)`
  }
  const top = Object.entries(bytes).sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'float32'
  const names: Record<string, string> = { float32: 'fp32', float16: 'fp16', bfloat16: 'bf16', int8: 'int8', uint8: 'uint8' }
  const name = names[top] ?? top
  if (top === 'int8' || top === 'uint8') {
    const how = summary.opCounts.MatMulInteger ? 'MatMulInteger' : summary.opCounts.DequantizeLinear ? 'DequantizeLinear' : ''
    return how ? `${name} (${how})` : name
  }
  return name
}

/** Bytes of KV cache per token of one sequence. */
export function kvBytesPerToken(signature: Pick<DecoderSignature, 'layers' | 'kvHeads' | 'headDim' | 'kvDtype'>): number {
  return signature.layers * 2 * signature.kvHeads * signature.headDim * (signature.kvDtype === 'float16' ? 2 : 4)
}

/** Estimates the memory a loaded model needs for `contextTokens` tokens of KV cache. */
export function estimateMemory(weights: number, signature: DecoderSignature | null, contextTokens: number): MemoryEstimate {
  const kvPerToken = signature ? kvBytesPerToken(signature) : 0
  return { weights, kvPerToken, contextTokens, total: Math.round(weights * RUNTIME_OVERHEAD + kvPerToken * contextTokens) }
}

/** Formats a byte count as `12.3 MB` / `1.50 GB`. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(2)} GB`
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`
  if (bytes >= 1e3) return `${(bytes / 1e3).toFixed(1)} kB`
  return `${bytes} B`
}

/**
 * Reads and checks the folder, picks the graph and checks it, and checks the memory. Throws a
 * `ModelFolderError` listing every error; returns the warnings with the prepared model.
 */
export function prepareModel(dir: string, options: PrepareOptions = {}): PreparedModel {
  const folder = readModelFolder(dir)
  const variant = pickVariant(folder, options.variant, options.preferFp16)
  const report = inspectVariant(folder, variant)
  const issues = [...folder.issues, ...report.issues]
  const signature = report.analysis.signature
  const context = options.contextTokens ?? Math.min(4096, folder.config.maxContext ?? 4096)
  const memory = estimateMemory(report.totalBytes, signature, context)
  const free = options.freeMemory ?? os.freemem()
  if (!options.ignoreMemory && memory.total > free) {
    issues.push(
      errorIssue(
        variant.file,
        `the model needs about ${formatBytes(memory.total)} (${formatBytes(memory.weights)} of weights plus runtime ` +
          `overhead and a ${context}-token KV cache) but only ${formatBytes(free)} of memory is free`,
        'close other programs, pick a smaller graph (e.g. --dtype q4 or int8), or pass --ignore-memory to try anyway',
      ),
    )
  }
  if (issues.some((i) => i.severity === 'error') || signature === null) throw new ModelFolderError(folder.dir, issues)
  return { folder, report, signature, memory, warnings: issues.filter((i) => i.severity === 'warning') }
}
