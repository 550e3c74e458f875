// @vitest-environment node
// `sftbench inspect`, run in-process on the fixture and on broken copies of it: the facts a user
// needs before loading (shape, graphs, inputs/outputs, template, providers, memory) and exit codes.
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../../harness/cli.ts'
import { FIXTURE, copyFixture, decoderIo, onnxModel, removeDir } from '../runtime/fixture.ts'

describe('sftbench inspect', () => {
  it('--json reports the fixture: 4 layers, 2 KV heads of 32, four graphs, ChatML template, CPU', async () => {
    const { code, out, err } = await runCli(['inspect', FIXTURE, '--json'])
    expect(err).toBe('')
    expect(code).toBe(0)
    const report = JSON.parse(out)
    expect(report).toMatchObject({
      name: 'tiny-llama',
      layers: 4,
      kvHeads: 2,
      headDim: 32,
      kvDtype: 'float32',
      chosen: 'onnx/model.onnx',
      loadable: true,
      issues: [],
    })
    expect(report.config).toMatchObject({ architecture: 'LlamaForCausalLM', modelType: 'llama', vocabSize: 512 })
    expect(report.variants.map((v: { dtype: string }) => v.dtype)).toEqual(['fp32', 'fp16', 'int8', 'q4'])
    expect(report.variants.every((v: { supported: boolean }) => v.supported)).toBe(true)
    expect(report.io).toHaveLength(3 + 8 + 1 + 8)
    expect(report.io.every((i: { supported: boolean }) => i.supported)).toBe(true)
    expect(report.chatTemplate).toContain("'<|im_start|>' + message['role']")
    expect(report.providers.find((p: { name: string }) => p.name === 'cpu')).toMatchObject({ available: true })
    expect(report.memory.kvPerToken).toBe(2048)
    expect(report.special.eos).toEqual({ text: '<|im_end|>', id: 511 })
  })

  it('--dtype fp16 reports the float16 cache', async () => {
    const report = JSON.parse((await runCli(['inspect', FIXTURE, '--dtype', 'fp16', '--json'])).out)
    expect(report).toMatchObject({ chosen: 'onnx/model_fp16.onnx', kvDtype: 'float16' })
  })

  it('prints a text report with the graphs, inputs, template and providers', async () => {
    const { code, out } = await runCli(['inspect', FIXTURE])
    expect(code).toBe(0)
    expect(out).toMatch(/^Arch {8}LlamaForCausalLM \(model_type llama\)$/m)
    expect(out).toMatch(/^Shape {7}4 layers, 4 attention heads, 2 KV heads x 32, hidden 128, vocab 512/m)
    expect(out).toMatch(/onnx\/model_q4\.onnx +q4 .*int4 \(MatMulNBits, fp32 activations\)/)
    expect(out).toMatch(/in +past_key_values\.3\.value +float32 +\[batch_size, 2, past_sequence_length, 32\] +past value +ok/)
    expect(out).toMatch(/^Chat template$/m)
    expect(out).toMatch(/CPU: available/)
    expect(out).toMatch(/^Issues {6}none: the model loads\.$/m)
  })

  it('a graph without a KV cache: unsupported inputs listed, the fix named, exit 1', async () => {
    const dir = copyFixture([])
    try {
      fs.writeFileSync(path.join(dir, 'onnx/model.onnx'), onnxModel(decoderIo(4, { withPast: false })))
      const { code, out } = await runCli(['inspect', dir])
      expect(code).toBe(1)
      expect(out).toMatch(/NOT SUPPORTED/)
      expect(out).toMatch(/Issues \(the model does not load\)/)
      expect(out).toMatch(/error: onnx\/model\.onnx: the graph has no KV cache inputs/)
      expect(out).toMatch(/--task text-generation-with-past/)
    } finally {
      removeDir(dir)
    }
  })

  it('a folder without config.json: exit 1, the file and the fix', async () => {
    const dir = copyFixture()
    try {
      fs.rmSync(path.join(dir, 'config.json'))
      const { code, out } = await runCli(['inspect', dir, '--json'])
      expect(code).toBe(1)
      const report = JSON.parse(out)
      expect(report.loadable).toBe(false)
      expect(report.issues[0]).toMatchObject({ severity: 'error', file: 'config.json', problem: 'config.json is missing' })
    } finally {
      removeDir(dir)
    }
  })

  it('needs exactly one folder', async () => {
    expect((await runCli(['inspect'])).code).toBe(2)
  })
})
