// @vitest-environment node
/**
 * samples/models/train end to end in its fast mode: `make.py frozen --fast` exports a few puzzles with
 * `sftbench export`, trains 40 steps of a very small model, and writes the ONNX model folder; the
 * runtime then loads that folder unchanged, tokenizes prompts of every evaluation vocabulary exactly
 * as the training script does, and generates an answer the paper's evaluation parser accepts.
 *
 * Needs a Python with torch and onnx: $SFTBENCH_PYTHON, else the first `python3` on PATH that has
 * both. Without one the test is skipped and says why.
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { instanceAt } from '../../core/experiment/instance-set.ts'
import { presetByName } from '../../core/experiment/presets.ts'
import { renderInstancePrompt } from '../../core/experiment/render.ts'
import { PAPER_WORD_POOL } from '../../core/experiment/word-pool.ts'
import { compactSokobanVariant, type VocabularyRef } from '../../core/experiment/variant.ts'
import { parseEvalAnswer } from '../../core/sokoban/parse-answer.ts'
import { BASE_VOCABULARY } from '../../core/sokoban/vocab.ts'
import { readModelFolder } from '../../electron/runtime/model-folder.ts'
import { loadTokenizer } from '../../electron/runtime/tokenizer.ts'
import { runCli } from '../harness/cli.ts'
import { repoPath } from '../harness/repo.ts'

/** The Python to run the training script with, or the reason there is none. */
function findPython(): { python: string } | { reason: string } {
  const fromEnv = process.env.SFTBENCH_PYTHON
  const candidates = fromEnv
    ? [fromEnv]
    : [...new Set((process.env.PATH ?? '').split(path.delimiter).filter((d) => d !== '').map((d) => path.join(d, 'python3')))]
        .filter((p) => fs.existsSync(p))
  for (const python of candidates) {
    const probe = spawnSync(python, ['-c', 'import torch, onnx'], { encoding: 'utf8', timeout: 60_000 })
    if (probe.status === 0) return { python }
  }
  const where = fromEnv ? `SFTBENCH_PYTHON=${fromEnv}` : `the python3 interpreters on PATH (${candidates.length} found)`
  return { reason: `no Python with torch and onnx: ${where} cannot "import torch, onnx"; set SFTBENCH_PYTHON to one that can` }
}

const found = findPython()
const python = 'python' in found ? found.python : null
if (python === null) console.warn(`test/samples/train.test.ts did not run: ${'reason' in found ? found.reason : ''}`)

const MAKE = repoPath('samples', 'models', 'train', 'make.py')
const TRAIN = repoPath('samples', 'models', 'train', 'train.py')

describe.skipIf(python === null)(`samples/models/train fast mode (${python ?? 'skipped: no Python with torch'})`, () => {
  let work = ''
  let model = ''

  beforeAll(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'sftbench-train-'))
    model = path.join(work, 'model')
    const run = spawnSync(python as string, [MAKE, 'frozen', '--fast', '--work', work, '--out', model], {
      encoding: 'utf8',
      env: { ...process.env, NODE: process.execPath },
      timeout: 240_000,
    })
    if (run.status !== 0) throw new Error(`make.py frozen --fast failed (${run.status}):\n${run.stderr.slice(-3000)}`)
  }, 300_000)

  afterAll(() => {
    if (work !== '') fs.rmSync(work, { recursive: true, force: true })
  })

  it('writes the model folder, and a record of the recipe, the data export and the run', () => {
    for (const file of ['config.json', 'generation_config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx']) {
      expect(fs.existsSync(path.join(model, file)), file).toBe(true)
    }
    const record = JSON.parse(fs.readFileSync(path.join(model, 'training.json'), 'utf8'))
    expect(record.recipe).toBe('frozen')
    expect(record.data.settings.variants).toEqual(['sokoban-compact-base'])
    expect(record.settings.steps).toBe(40)
    expect(record.summary.steps).toBe(40)
    expect(record.export_checks.cached_steps_vs_full_forward).toBeLessThan(1e-4)
    // The fast model learns the answer format: the validation loss falls far below ln(272) = 5.6 per token.
    expect(record.summary.val_loss).toBeLessThan(2)
  })

  it('--resume continues from the checkpoint: steps 41-44 follow the 40 of the first run', () => {
    const run = spawnSync(
      python as string,
      [TRAIN, '--data', path.join(work, 'data'), '--out', path.join(work, 'run'), '--fast', '--steps', '44', '--resume'],
      { encoding: 'utf8', timeout: 120_000 },
    )
    expect(run.status, run.stderr).toBe(0)
    expect(run.stderr).toContain('resumed at step 40')
    const log = fs.readFileSync(path.join(work, 'run', 'train-log.jsonl'), 'utf8').trim().split('\n')
    expect(log.map((l) => JSON.parse(l).step)).toEqual(Array.from({ length: 44 }, (_, i) => i + 1))
  }, 150_000)

  it('the runtime tokenizer matches the training script on prompts of every evaluation vocabulary', () => {
    const tok = loadTokenizer(readModelFolder(model))
    const instance = instanceAt(presetByName('sokoban_6x6_1horizon_train').instanceSet, 3)
    const heldOut: VocabularyRef = { kind: 'custom', names: ['plum', 'frost', 'lantern', 'violin'] }
    const shown: VocabularyRef[] = ['base', 'numerical', 'alphabetical', 'random', 'emoji', 'cardinal', heldOut]
    const prompts = shown.map((v, i) => renderInstancePrompt(instance, compactSokobanVariant(`v${i}`, v, 'shown', '')))
    for (let row = 0; row < 3; row++) {
      const variant = compactSokobanVariant('words', { kind: 'paper-words' }, 'shown', '')
      prompts.push(renderInstancePrompt(instance, variant, undefined, { row }))
    }
    expect(prompts.some((p) => p.includes('\u2b06\ufe0f'))).toBe(true)
    expect(prompts.some((p) => PAPER_WORD_POOL.some((w) => p.includes(`Up: ${w} |`)))).toBe(true)
    const conversations = prompts.map((content) => [{ role: 'user', content }])
    const input = path.join(work, 'tokenize.json')
    fs.writeFileSync(input, JSON.stringify(conversations))
    const run = spawnSync(python as string, [TRAIN, '--tokenize', input], { encoding: 'utf8', timeout: 60_000 })
    expect(run.status, run.stderr).toBe(0)
    const pythonIds = JSON.parse(run.stdout) as number[][]
    conversations.forEach((messages, i) => {
      const rendered = tok.renderChat(messages)
      const ids = tok.encodeRendered(rendered)
      expect(ids, prompts[i]).toEqual(pythonIds[i])
      expect(tok.decodeWith(ids, false)).toBe(rendered)
    })
  })

  it('sftbench generate loads the folder and answers in the tag the paper\'s evaluation parser reads', async () => {
    const record = JSON.parse(fs.readFileSync(path.join(work, 'data', 'sft', 'train.jsonl'), 'utf8').split('\n')[0])
    const prompt = record.messages[0].content as string
    const { code, out, err } = await runCli([
      'generate', model, '--chat', '--prompt', prompt, '--temperature', '0', '--max-new-tokens', '30',
      '--provider', 'cpu', '--threads', '1', '--json',
    ])
    expect(code, err).toBe(0)
    const result = JSON.parse(out) as { text: string }
    // 40 steps teach the tag, not always the stop right after it: the parser reads the first tag (§5.1).
    expect(result.text).toMatch(/^<answer> [A-Za-z]+ <\/answer>/)
    const parsed = parseEvalAnswer(result.text, BASE_VOCABULARY)
    expect(parsed.ok && parsed.actions.length, JSON.stringify(parsed)).toBe(1)
  }, 60_000)
})
