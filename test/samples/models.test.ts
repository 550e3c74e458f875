// @vitest-environment node
/**
 * The shipped sample models (samples/models/frozen, samples/models/diverse): within the issue's
 * budget (at most ~2.5M parameters and 20 MB on disk), they load in the runtime and answer in the
 * answer tag, and a short smoke sweep of `frozen` in distribution reproduces its model card: the
 * card's success rate (from the card's own run, `eval-sample-models-vocabularies.csv`) lies inside
 * the smoke's Wilson 95% interval. The smoke runs the first instances of the card's sweep, with the
 * same sweep seed, so its levels and sampling seeds are the card run's own.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { wilsonInterval } from '../../core/eval/stats.ts'
import { runCli } from '../harness/cli.ts'
import { repoPath } from '../harness/repo.ts'

const MODELS = ['frozen', 'diverse'] as const
const SWEEP = repoPath('samples', 'models', 'eval-sweep.json')
const SMOKE_INSTANCES = 40

let root = ''
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'sftbench-sample-models-'))
})
afterAll(() => fs.rmSync(root, { recursive: true, force: true }))

/** Bytes of every file under `dir`. */
function folderBytes(dir: string): number {
  return fs.readdirSync(dir, { withFileTypes: true }).reduce((sum, e) => {
    const p = path.join(dir, e.name)
    return sum + (e.isDirectory() ? folderBytes(p) : fs.statSync(p).size)
  }, 0)
}

/** The card's sweep narrowed to one model, some variants and the first `instances` instances. */
function smokeSweep(
  name: string,
  model: string,
  variants: readonly string[],
  instances: number,
  over: { maxTurns?: number; temperature?: number } = {},
): string {
  const spec = JSON.parse(fs.readFileSync(SWEEP, 'utf8'))
  spec.name = name
  spec.instances = instances
  spec.variants = spec.variants.filter((v: string | { name: string }) => variants.includes(typeof v === 'string' ? v : v.name))
  spec.models = spec.models
    .filter((m: { name: string }) => m.name === model)
    .map((m: { backend: { path: string }; sampling: object }) => ({
      ...m,
      backend: { ...m.backend, path: repoPath('samples', 'models', model) },
      sampling: over.temperature === undefined ? m.sampling : { ...m.sampling, temperature: over.temperature },
    }))
  if (over.maxTurns !== undefined) spec.protocol = { ...spec.protocol, maxTurns: over.maxTurns }
  const file = path.join(root, `${name}.json`)
  fs.writeFileSync(file, JSON.stringify(spec))
  return file
}

interface RunResult {
  readonly model: string
  readonly variant: string
  readonly success: boolean
  readonly sokoban: { readonly turns: readonly { readonly output: string }[] }
}

async function runSmoke(file: string, out: string): Promise<RunResult[]> {
  const run = await runCli(['eval', file, '--out', out, '--no-cache', '--no-progress', '--json'])
  expect(run.code, run.err).toBe(0)
  return fs
    .readFileSync(path.join(out, 'results.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as RunResult)
}

describe('shipped sample models', () => {
  it.each(MODELS)('%s stays within the budget: at most 2.5M parameters and 20 MB on disk', (name) => {
    const dir = repoPath('samples', 'models', name)
    const record = JSON.parse(fs.readFileSync(path.join(dir, 'training.json'), 'utf8'))
    expect(record.summary.parameters).toBeLessThanOrEqual(2_500_000)
    // fp32 weights: the graph holds 4 bytes per parameter, so the file size confirms the count.
    const onnxBytes = fs.statSync(path.join(dir, 'onnx', 'model.onnx')).size
    expect(onnxBytes).toBeGreaterThanOrEqual(4 * record.summary.parameters)
    expect(onnxBytes).toBeLessThan(4 * record.summary.parameters + 200_000)
    expect(folderBytes(dir)).toBeLessThanOrEqual(20_000_000)
  })

  it('diverse loads and answers fresh random words in the answer tag, one word inside', async () => {
    // Greedy, so the check does not hang on a rare sampled slip.
    const file = smokeSweep('diverse-form', 'diverse', ['sokoban-compact-words'], 4, { maxTurns: 3, temperature: 0 })
    const results = await runSmoke(file, path.join(root, 'diverse-form'))
    const outputs = results.flatMap((r) => r.sokoban.turns.map((t) => t.output))
    expect(outputs.length).toBeGreaterThanOrEqual(4)
    for (const o of outputs) expect(o).toMatch(/^<answer> [^\s<>]+ <\/answer>/)
  }, 180_000)

  it(`frozen, in distribution: ${SMOKE_INSTANCES} episodes reproduce the card's success rate within their 95% interval`, async () => {
    const results = await runSmoke(
      smokeSweep('frozen-smoke', 'frozen', ['sokoban-compact-base'], SMOKE_INSTANCES),
      path.join(root, 'frozen-smoke'),
    )
    expect(results).toHaveLength(SMOKE_INSTANCES)
    // Well-formed: every answer is one of the trained words in the answer tag.
    for (const r of results) for (const t of r.sokoban.turns) expect(t.output).toMatch(/^<answer> (Up|Down|Left|Right) <\/answer>/)
    const successes = results.filter((r) => r.success).length
    const smoke = wilsonInterval(successes, results.length)
    const csv = fs.readFileSync(repoPath('samples', 'models', 'frozen', 'eval-sample-models-vocabularies.csv'), 'utf8').trim().split(/\r?\n/)
    const header = csv[0].split(',')
    const row = csv
      .slice(1)
      .map((line) => Object.fromEntries(line.split(',').map((v, i) => [header[i], v])))
      .find((r) => r.model === 'frozen' && r.variant === 'sokoban-compact-base')
    expect(row, 'the card has the in-distribution row').toBeDefined()
    const card = Number(row?.success_rate)
    expect(Number(row?.n)).toBe(200)
    expect(card).toBeGreaterThanOrEqual(smoke.low)
    expect(card).toBeLessThanOrEqual(smoke.high)
  }, 300_000)
})
