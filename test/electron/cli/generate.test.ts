// @vitest-environment node
// `sftbench generate`, run in-process (the model itself runs in a worker thread): the --json
// document (provider, text, tokens with log-probs and alternatives, timings), streamed text,
// greedy output equal to the PyTorch golden, and the failures: CUDA absent, broken folders, bad
// options.
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../../harness/cli.ts'
import { platformFacts, providerAvailability } from '../../../electron/runtime/providers.ts'
import { FIXTURE, copyFixture, readGolden, removeDir } from '../runtime/fixture.ts'

const golden = readGolden()
const plain = golden.prompts.find((p) => p.name === 'plain') ?? golden.prompts[3]

describe('sftbench generate', () => {
  it('--json: provider, text, tokens with top alternatives, timings; greedy ids equal the golden', async () => {
    const { code, out, err } = await runCli([
      'generate', FIXTURE, '--prompt', plain.text, '--max-new-tokens', '40', '--temperature', '0',
      '--top-logprobs', '3', '--provider', 'cpu', '--json',
    ])
    expect(err).toBe('')
    expect(code).toBe(0)
    const doc = JSON.parse(out)
    expect(doc.provider).toBe('cpu')
    expect(doc.tokens.map((t: { id: number }) => t.id)).toEqual(plain.generated_ids)
    expect(doc.tokens[0]).toMatchObject({ id: plain.generated_ids[0], text: expect.any(String) })
    expect(doc.tokens[0].top).toHaveLength(3)
    expect(doc.tokens[0].top[0].id).toBe(plain.first_step.top5[0].id)
    expect(Math.abs(doc.tokens[0].logprob - plain.step_logprobs[0])).toBeLessThan(1e-4)
    expect(doc.text).toBe(plain.generated_text)
    expect(doc.finishReason).toBe('length')
    expect(doc.timings.timeToFirstTokenMs).toBeGreaterThan(0)
    expect(doc.timings.tokensPerSecond).toBeGreaterThan(0)
    expect(doc.promptTokens).toBe(plain.prompt_ids.length)
  })

  it('streams the text to stdout, with the load line and a summary on stderr', async () => {
    const chat = golden.prompts[0]
    const { code, out, err } = await runCli([
      'generate', FIXTURE, '--chat', '--system', chat.messages?.[0].content ?? '', '--prompt', 'Name a prime number.',
      '--max-new-tokens', '12', '--seed', '3', '--temperature', '0.8', '--top-p', '0.9',
    ])
    expect(code).toBe(0)
    expect(out.endsWith('\n')).toBe(true)
    expect(err).toMatch(/^Loaded onnx\/model\.onnx \(fp32\) on (cpu|cuda) in [\d.]+ s$/m)
    expect(err).toMatch(/\] 12 tokens, length; first token after \d+ ms, [\d.]+ tokens\/s/)
  })

  it.skipIf(providerAvailability('cuda', platformFacts()).available)(
    '--provider cuda without CUDA exits 1 naming CUDA and the install command',
    async () => {
      const { code, out, err } = await runCli(['generate', FIXTURE, '--prompt', 'hi', '--provider', 'cuda'])
      expect(code).toBe(1)
      expect(out).toBe('')
      expect(err).toContain('CUDA was requested')
      expect(err).toContain('ONNXRUNTIME_NODE_INSTALL=cuda12 npm rebuild onnxruntime-node')
    },
  )

  it('a broken folder exits 1 naming the file and the fix', async () => {
    const dir = copyFixture()
    try {
      fs.rmSync(path.join(dir, 'tokenizer_config.json'))
      const { code, err } = await runCli(['generate', dir, '--prompt', 'hi'])
      expect(code).toBe(1)
      expect(err).toMatch(/tokenizer_config\.json: tokenizer_config\.json is missing\. Fix: save the tokenizer/)
    } finally {
      removeDir(dir)
    }
  })

  it('bad options are usage errors (exit 2)', async () => {
    expect((await runCli(['generate', FIXTURE])).code).toBe(2)
    expect((await runCli(['generate', FIXTURE, '--prompt', 'x', '--temperature', 'hot'])).err).toMatch(/--temperature must be a number/)
    expect((await runCli(['generate', FIXTURE, '--prompt', 'x', '--top-p', '2'])).err).toMatch(/topP must be in \(0, 1\]/)
    expect((await runCli(['generate', FIXTURE, '--prompt', 'x', '--top-logprobs', '21'])).code).toBe(2)
    expect((await runCli(['generate', FIXTURE, '--prompt', 'x', '--provider', 'tpu'])).code).toBe(2)
    expect((await runCli(['generate', FIXTURE, '--prompt', 'x', '--system', 'y'])).err).toMatch(/--system needs --chat/)
  })
})
