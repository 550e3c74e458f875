// @vitest-environment node
// Model-folder checks before loading: copies of the fixture broken one way at a time. Each error
// must name the file concerned and say how to fix it.
import fs from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ModelFolderError, type FolderIssue } from '../../../electron/runtime/issues.ts'
import { kvBytesPerToken, pickVariant, prepareModel, readModelFolder } from '../../../electron/runtime/model-folder.ts'
import { FIXTURE, FLOAT16, copyFixture, decoderIo, editJson, onnxModel, removeDir } from './fixture.ts'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) removeDir(d)
})

function broken(onnx?: readonly string[]): string {
  const dir = copyFixture(onnx)
  dirs.push(dir)
  return dir
}

/** The issues of the ModelFolderError `fn` throws. */
function issuesOf(fn: () => unknown): FolderIssue[] {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(ModelFolderError)
    return [...(error as ModelFolderError).issues]
  }
  throw new Error('expected a ModelFolderError')
}

function errorsOf(fn: () => unknown): FolderIssue[] {
  return issuesOf(fn).filter((i) => i.severity === 'error')
}

describe('the fixture folder', () => {
  it('prepares with no issues: fp32 graph, 4 layers, 2 KV heads of 32, float32 cache', () => {
    const p = prepareModel(FIXTURE)
    expect(p.warnings).toEqual([])
    expect(p.report.variant.file).toBe('onnx/model.onnx')
    expect(p.report.weightFormat).toBe('fp32')
    expect(p.signature).toMatchObject({ layers: 4, kvHeads: 2, headDim: 32, kvDtype: 'float32', vocabSize: 512 })
    expect(p.signature.positionIds).toBe('position_ids')
    // 4 layers x (key + value) x 2 heads x 32 x 4 bytes
    expect(kvBytesPerToken(p.signature)).toBe(4 * 2 * 2 * 32 * 4)
    expect(p.folder.generation.eosIds).toEqual([511])
    expect(p.folder.eos).toEqual({ text: '<|im_end|>', id: 511 })
    expect(p.folder.chatTemplate).toContain('<|im_start|>')
  })

  it('lists the four dtype variants and picks by dtype or by preference', () => {
    const folder = readModelFolder(FIXTURE)
    expect(folder.variants.map((v) => [v.file, v.dtype])).toEqual([
      ['onnx/model.onnx', 'fp32'],
      ['onnx/model_fp16.onnx', 'fp16'],
      ['onnx/model_int8.onnx', 'int8'],
      ['onnx/model_q4.onnx', 'q4'],
    ])
    expect(pickVariant(folder).dtype).toBe('fp32')
    expect(pickVariant(folder, undefined, true).dtype).toBe('fp16')
    expect(pickVariant(folder, 'q4').file).toBe('onnx/model_q4.onnx')
    expect(pickVariant(folder, 'onnx/model_int8.onnx').dtype).toBe('int8')
    const missing = errorsOf(() => pickVariant(folder, 'q4f16'))
    expect(missing[0].problem).toMatch(/there is no q4f16 graph; this folder has onnx\/model\.onnx \(fp32\)/)
  })

  it('reports the fp16 graph with a float16 cache and the quantized weight formats', () => {
    expect(prepareModel(FIXTURE, { variant: 'fp16' }).signature.kvDtype).toBe('float16')
    expect(prepareModel(FIXTURE, { variant: 'fp16' }).report.weightFormat).toBe('fp16')
    expect(prepareModel(FIXTURE, { variant: 'int8' }).report.weightFormat).toBe('int8 (DequantizeLinear)')
    expect(prepareModel(FIXTURE, { variant: 'q4' }).report.weightFormat).toBe('int4 (MatMulNBits, fp32 activations)')
  })
})

describe('missing files', () => {
  it('a folder that does not exist', () => {
    const [issue] = errorsOf(() => readModelFolder(path.join(FIXTURE, 'nope')))
    expect(issue.problem).toMatch(/is not a folder/)
  })

  it.each([
    ['config.json', /copy config\.json from the checkpoint/],
    ['tokenizer.json', /save_pretrained/],
    ['tokenizer_config.json', /save_pretrained/],
  ])('%s', (file, fix) => {
    const dir = broken()
    fs.rmSync(path.join(dir, file))
    const issues = errorsOf(() => readModelFolder(dir))
    expect(issues).toHaveLength(1)
    expect(issues[0]).toMatchObject({ file, problem: `${file} is missing` })
    expect(issues[0].fix).toMatch(fix)
  })

  it('no ONNX graph names the export command', () => {
    const dir = broken([])
    const [issue] = errorsOf(() => readModelFolder(dir))
    expect(issue.file).toBe('onnx/model.onnx')
    expect(issue.fix).toContain('--task text-generation-with-past')
  })

  it('generation_config.json and special_tokens_map.json are warnings with fallbacks', () => {
    const dir = broken()
    fs.rmSync(path.join(dir, 'generation_config.json'))
    fs.rmSync(path.join(dir, 'special_tokens_map.json'))
    const p = prepareModel(dir)
    expect(p.warnings.map((w) => w.file).sort()).toEqual(['generation_config.json', 'special_tokens_map.json'])
    // EOS then comes from config.json.
    expect(p.folder.generation.eosIds).toEqual([511])
  })

  it('a missing external-data file is named with where to put it', () => {
    const dir = broken([])
    const weight = [
      [1, 4],
      [2, 1],
      [8, 'w'],
      [13, [[1, 'location'], [2, 'model.onnx_data']]],
      [14, 1],
    ] as const
    fs.writeFileSync(path.join(dir, 'onnx/model.onnx'), onnxModel({ ...decoderIo(4), initializers: [[...weight]] }))
    const [issue] = errorsOf(() => prepareModel(dir))
    expect(issue.file).toBe('onnx/model.onnx_data')
    expect(issue.problem).toBe('onnx/model.onnx_data is missing; onnx/model.onnx keeps its weights there')
    expect(issue.fix).toContain('download onnx/model.onnx_data into onnx/')
  })

  it('invalid JSON names the file', () => {
    const dir = broken()
    fs.writeFileSync(path.join(dir, 'config.json'), '{"vocab_size": 512,')
    const [issue] = errorsOf(() => readModelFolder(dir))
    expect(issue.file).toBe('config.json')
    expect(issue.problem).toMatch(/config\.json is not valid JSON/)
  })

  it('JSON that is not an object names the file and what it holds', () => {
    const dir = broken()
    fs.writeFileSync(path.join(dir, 'config.json'), '[1, 2]')
    const [issue] = errorsOf(() => readModelFolder(dir))
    expect(issue.file).toBe('config.json')
    expect(issue.problem).toBe('config.json holds an array, not a JSON object')
  })
})

describe('unsupported graphs', () => {
  it('a graph without KV cache inputs and outputs', () => {
    const dir = broken([])
    fs.writeFileSync(path.join(dir, 'onnx/model.onnx'), onnxModel(decoderIo(4, { withPast: false })))
    const [issue] = errorsOf(() => prepareModel(dir))
    expect(issue.file).toBe('onnx/model.onnx')
    expect(issue.problem).toMatch(/no KV cache inputs \(past_key_values\.N\.key\/value\) or outputs \(present\.N\.key\/value\)/)
    expect(issue.fix).toContain('optimum-cli export onnx --model CHECKPOINT --task text-generation-with-past OUT')
  })

  it('an encoder-decoder graph and config', () => {
    const dir = broken([])
    const io = decoderIo(4)
    io.inputs.push([
      [1, 'encoder_hidden_states'],
      [2, [[1, [[1, 1]]]]],
    ])
    fs.writeFileSync(path.join(dir, 'onnx/model.onnx'), onnxModel(io))
    editJson(dir, 'config.json', (c) => {
      c.is_encoder_decoder = true
    })
    const errors = errorsOf(() => prepareModel(dir))
    expect(errors.map((e) => e.file)).toEqual(expect.arrayContaining(['config.json', 'onnx/model.onnx']))
    expect(errors.some((e) => /encoder-decoder graph/.test(e.problem))).toBe(true)
    expect(errors.some((e) => /is_encoder_decoder is true/.test(e.problem))).toBe(true)
  })

  it('a bfloat16 cache is not supported', () => {
    const dir = broken([])
    fs.writeFileSync(path.join(dir, 'onnx/model.onnx'), onnxModel(decoderIo(4, { kvType: 16 })))
    const errors = errorsOf(() => prepareModel(dir))
    expect(errors[0].problem).toMatch(/past_key_values\.0\.key.*bfloat16; sftbench supports float32 and float16 caches/)
  })

  it('a float16 cache with symbolic heads takes its shape from config.json', () => {
    const dir = broken([])
    const io = decoderIo(4, { kvType: FLOAT16, kvHeads: 2 })
    fs.writeFileSync(path.join(dir, 'onnx/model.onnx'), onnxModel(io))
    expect(prepareModel(dir).signature).toMatchObject({ kvDtype: 'float16', kvHeads: 2, headDim: 32 })
  })
})

describe('tokenizer and config disagreeing', () => {
  it('a vocab_size smaller than the tokenizer', () => {
    const dir = broken()
    editJson(dir, 'config.json', (c) => {
      c.vocab_size = 500
    })
    const errors = errorsOf(() => prepareModel(dir))
    const tok = errors.find((e) => e.file === 'tokenizer.json')
    expect(tok?.problem).toMatch(/ids up to 511, but config\.json's vocab_size is 500/)
    const graph = errors.find((e) => e.file === 'config.json')
    expect(graph?.problem).toBe('vocab_size is 500 but onnx/model.onnx produces 512 logits')
  })

  it("an eos_token_id that is not the tokenizer's eos_token", () => {
    const dir = broken()
    editJson(dir, 'generation_config.json', (g) => {
      g.eos_token_id = [509]
    })
    const [issue] = errorsOf(() => prepareModel(dir))
    expect(issue.file).toBe('generation_config.json')
    expect(issue.problem).toMatch(/eos_token_id is \[509\] but the tokenizer's eos_token "<\|im_end\|>" is id 511/)
    expect(issue.fix).toMatch(/add 511 to eos_token_id/)
  })

  it('an eos_token that the tokenizer does not have', () => {
    const dir = broken()
    editJson(dir, 'tokenizer_config.json', (t) => {
      t.eos_token = '</s>'
    })
    const [issue] = errorsOf(() => prepareModel(dir))
    expect(issue).toMatchObject({ file: 'tokenizer_config.json', problem: 'eos_token "</s>" is not a token of tokenizer.json' })
  })

  it('an eos id outside the vocabulary', () => {
    const dir = broken()
    editJson(dir, 'generation_config.json', (g) => {
      g.eos_token_id = [511, 9000]
    })
    const [issue] = errorsOf(() => prepareModel(dir))
    expect(issue.problem).toBe('eos_token_id 9000 is outside the vocabulary (vocab_size 512)')
  })

  it('config layers or KV heads that do not match the graph', () => {
    const dir = broken()
    editJson(dir, 'config.json', (c) => {
      c.num_hidden_layers = 6
      c.num_key_value_heads = 4
    })
    const problems = errorsOf(() => prepareModel(dir)).map((e) => e.problem)
    expect(problems).toContain('num_hidden_layers is 6 but onnx/model.onnx has a KV cache for 4 layers')
    expect(problems).toContain("num_key_value_heads is 4 but onnx/model.onnx's KV cache has 2 heads")
  })

  it('no chat template is a warning', () => {
    const dir = broken()
    editJson(dir, 'tokenizer_config.json', (t) => {
      delete t.chat_template
    })
    const p = prepareModel(dir)
    expect(p.warnings[0]).toMatchObject({ file: 'tokenizer_config.json' })
    expect(p.warnings[0].problem).toMatch(/no chat_template/)
    expect(p.folder.chatTemplate).toBeNull()
  })

  it('a chat_template.jinja file beside the config is used', () => {
    const dir = broken()
    editJson(dir, 'tokenizer_config.json', (t) => {
      delete t.chat_template
    })
    fs.writeFileSync(path.join(dir, 'chat_template.jinja'), '{{ messages[0].content }}')
    expect(readModelFolder(dir).chatTemplate).toBe('{{ messages[0].content }}')
  })
})

describe('memory', () => {
  it('a model larger than the free memory names the graph and the ways out', () => {
    const [issue] = errorsOf(() => prepareModel(FIXTURE, { freeMemory: 1_000_000 }))
    expect(issue.file).toBe('onnx/model.onnx')
    expect(issue.problem).toMatch(/needs about [\d.]+ MB .* but only 1\.0 MB of memory is free/)
    expect(issue.fix).toMatch(/--dtype q4.*--ignore-memory/)
    expect(prepareModel(FIXTURE, { freeMemory: 1_000_000, ignoreMemory: true }).memory.weights).toBeGreaterThan(4e6)
  })
})
