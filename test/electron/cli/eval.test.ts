// @vitest-environment node
// `sftbench eval`, in-process on the tiny fixture model: the summary table and the --json
// document, Ctrl-C (SIGINT) keeping finished cells with exit code 130 and --resume finishing the
// run, a damaged results line reported by file and line, and the usage errors.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { main } from '../../../electron/cli/main.ts'
import { captureIo } from '../../../electron/cli/io.ts'
import { runCli } from '../../harness/cli.ts'
import { FIXTURE } from '../runtime/fixture.ts'

let root = ''
let cacheDir = ''
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'sftbench-cli-eval-'))
  cacheDir = path.join(root, 'cache')
})
afterAll(() => fs.rmSync(root, { recursive: true, force: true }))

/** Writes a sweep over the tiny model: 2 variants x 1 difficulty x `instances`. */
function sweep(name: string, instances: number, extra: Record<string, unknown> = {}): string {
  const file = path.join(root, `${name}.json`)
  const spec = {
    version: 1,
    name,
    task: 'sokoban',
    seed: 3,
    variants: ['sokoban-eval-base', 'sokoban-eval-numerical'],
    difficulties: [{ name: '6x6', difficulty: 'simple' }],
    instances,
    protocol: { mode: 'closed-loop', maxTurns: 2, maxSteps: 30 },
    models: [{ name: 'tiny', backend: { kind: 'onnx', path: FIXTURE, provider: 'cpu' }, sampling: { temperature: 0.5, maxNewTokens: 4 } }],
    ...extra,
  }
  fs.writeFileSync(file, JSON.stringify(spec))
  return file
}

function resultLines(dir: string): string[] {
  return fs.readFileSync(path.join(dir, 'results.jsonl'), 'utf8').split('\n').filter((l) => l !== '')
}

describe('sftbench eval', () => {
  it('prints the summary table on stdout and where the run went on stderr; --json prints the outcome', async () => {
    const file = sweep('table', 1)
    const out = path.join(root, 'table-run')
    const text = await runCli(['eval', file, '--out', out, '--cache-dir', cacheDir])
    expect(text.code).toBe(0)
    const [header, rule, ...rows] = text.out.trimEnd().split('\n')
    expect(header).toMatch(/^model\s+variant\s+difficulty\s+n\s+success\s+95% CI\s+validity/)
    expect(rule).toMatch(/^-+( +-+)+$/)
    expect(rows.map((r) => r.split(/\s+/).slice(0, 4))).toEqual([
      ['tiny', 'sokoban-eval-base', '6x6', '1'],
      ['tiny', 'sokoban-eval-numerical', '6x6', '1'],
    ])
    expect(text.err).toContain('Loading model "tiny"')
    expect(text.err).toContain(`Completed: 2/2 cells (2 this run; cache: 0 hits, `)
    expect(resultLines(out)).toHaveLength(2)

    const json = await runCli(['eval', file, '--out', path.join(root, 'json-run'), '--cache-dir', cacheDir, '--json'])
    expect(json.code).toBe(0)
    const doc = JSON.parse(json.out)
    expect(doc).toMatchObject({ status: 'completed', done: 2, total: 2, ranNow: 2, cache: { misses: 0 } })
    expect(doc.cache.hits).toBeGreaterThan(0)
    expect(doc.models[0]).toMatchObject({ name: 'tiny', provider: 'cpu' })
    expect(doc.aggregates).toHaveLength(2)
    // stderr carries only the progress bar (cells done/total, rate, tokens/s).
    expect(json.err).not.toContain('Loading')
    expect(json.err).toMatch(/eval .* 2\/2 .* tok\/s/)
  })

  it('Ctrl-C stops with exit code 130 and keeps the finished cells; --resume runs the rest', async () => {
    const file = sweep('interrupt', 6, { concurrency: 1 })
    const out = path.join(root, 'interrupt-run')
    const io = captureIo()
    const running = main(['eval', file, '--out', out, '--no-cache'], io)
    // Interrupt as soon as the first cell is on disk.
    const resultsFile = path.join(out, 'results.jsonl')
    for (let i = 0; i < 600; i++) {
      if (fs.existsSync(resultsFile) && fs.readFileSync(resultsFile, 'utf8').includes('\n')) break
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    process.emit('SIGINT')
    const code = await running
    expect(code).toBe(130)
    expect(io.err).toContain('Stopping')
    expect(io.err).toContain(`Resume with: sftbench eval --resume ${out}`)
    const kept = resultLines(out).length
    expect(kept).toBeGreaterThanOrEqual(1)
    expect(kept).toBeLessThan(12)
    expect(JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8'))).toMatchObject({ status: 'cancelled', done: kept })

    const resumed = await runCli(['eval', '--resume', out, '--cache-dir', cacheDir, '--json'])
    expect(resumed.code).toBe(0)
    expect(JSON.parse(resumed.out)).toMatchObject({ status: 'completed', done: 12, total: 12, ranNow: 12 - kept })
    expect(new Set(resultLines(out).map((l) => JSON.parse(l).id)).size).toBe(12)
  })

  it('names the file and line of a damaged results line, exit code 1', async () => {
    const file = sweep('damaged', 1)
    const out = path.join(root, 'damaged-run')
    expect((await runCli(['eval', file, '--out', out, '--cache-dir', cacheDir])).code).toBe(0)
    const [a, b] = resultLines(out)
    fs.writeFileSync(path.join(out, 'results.jsonl'), `${a.slice(0, 20)}\n${b}\n`)
    const run = await runCli(['eval', '--resume', out, '--cache-dir', cacheDir])
    expect(run.code).toBe(1)
    expect(run.err).toContain(`${path.join(out, 'results.jsonl')} line 1: not valid JSON`)
  })

  it('--model runs only the named models of the sweep, and the run folder records just those', async () => {
    const file = sweep('pick', 1, {
      models: ['a', 'b'].map((name) => ({ name, backend: { kind: 'onnx', path: FIXTURE, provider: 'cpu' }, sampling: { maxNewTokens: 2 } })),
    })
    const out = path.join(root, 'pick-run')
    const run = await runCli(['eval', file, '--model', 'b', '--out', out, '--cache-dir', cacheDir, '--json'])
    expect(run.code).toBe(0)
    const doc = JSON.parse(run.out)
    expect(doc).toMatchObject({ status: 'completed', done: 2, total: 2 })
    expect(doc.models.map((m: { name: string }) => m.name)).toEqual(['b'])
    expect(resultLines(out).map((l) => JSON.parse(l).model)).toEqual(['b', 'b'])
    const manifest = JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8'))
    expect(manifest.spec.models.map((m: { name: string }) => m.name)).toEqual(['b'])
  })

  it('reports a bad sweep field with its path (exit 1) and command-line mistakes with the usage (exit 2)', async () => {
    const bad = sweep('bad', 0)
    const run = await runCli(['eval', bad, '--out', path.join(root, 'bad-run')])
    expect(run.code).toBe(1)
    expect(run.err).toContain(bad)
    expect(run.err).toContain('sweep.instances')

    const none = await runCli(['eval'])
    expect(none.code).toBe(2)
    expect(none.err).toContain('give a SWEEP.json file, or --resume DIR')
    const both = await runCli(['eval', bad, '--out', 'a', '--resume', 'b'])
    expect(both.code).toBe(2)
    expect(both.err).toContain('--out and --resume exclude each other')
    const conc = await runCli(['eval', bad, '--concurrency', '0'])
    expect(conc.code).toBe(2)
    const twoModels = sweep('two-models', 1, {
      models: ['a', 'b'].map((name) => ({ name, backend: { kind: 'onnx', path: FIXTURE, provider: 'cpu' }, sampling: { maxNewTokens: 2 } })),
    })
    const unknown = await runCli(['eval', twoModels, '--model', 'c', '--out', path.join(root, 'unknown-run')])
    expect(unknown.code).toBe(1)
    expect(unknown.err).toContain('The sweep has no model named "c"; its models are a, b.')
    const withResume = await runCli(['eval', '--resume', 'x', '--model', 'a'])
    expect(withResume.code).toBe(2)
    expect(withResume.err).toContain('--model and --resume exclude each other')
    const missing = await runCli(['eval', path.join(root, 'nope.json')])
    expect(missing.code).toBe(1)
    expect(missing.err).toContain('Cannot read the sweep file')
  })
})
