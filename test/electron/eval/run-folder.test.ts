// The run folder: what a finished run holds (manifest, one results line per cell with a top-level
// id, prompts once per hash, summary), recovery from a kill (a torn last line is cut off, a folder
// without manifest resumes from the sweep file), and the errors for damaged or mismatched folders.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { parseSweepSpec, type SweepSpec } from '../../../core/eval/spec.ts'
import type { Aggregate, CellResult } from '../../../core/eval/types.ts'
import {
  MANIFEST_FILE,
  PROMPTS_FILE,
  RESULTS_FILE,
  RunFolderError,
  SUMMARY_FILE,
  createRun,
  openRunForResume,
  readRun,
  resumeRun,
  type RunModel,
} from '../../../electron/eval/run-folder.ts'

const temps: string[] = []
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sftbench-run-'))
  temps.push(dir)
  return dir
}
afterAll(() => temps.forEach((d) => fs.rmSync(d, { recursive: true, force: true })))

const SPEC: SweepSpec = parseSweepSpec({
  version: 1,
  name: 'store-test',
  task: 'sokoban',
  seed: 11,
  variants: ['sokoban-eval-base'],
  difficulties: [{ name: '6x6-1', difficulty: 'simple' }],
  instances: 3,
  repeats: 1,
  models: [{ name: 'm', backend: { kind: 'onnx', path: 'models/m' } }],
  concurrency: 2,
})

const MODELS: RunModel[] = [
  {
    name: 'm',
    backend: SPEC.models[0].backend,
    location: '/models/m',
    provider: 'cpu',
    files: [{ path: 'config.json', bytes: 3, sha256: 'a'.repeat(64) }],
    modelHash: 'b'.repeat(64),
  },
]

/** A minimal finished Sokoban cell. */
function cell(instance: number, success = instance % 2 === 0): CellResult {
  const key = `sokoban-eval-base/6x6-1/${instance}/0`
  return {
    v: 1,
    id: `m/${key}`,
    key,
    model: 'm',
    variant: 'sokoban-eval-base',
    difficulty: '6x6-1',
    instance,
    repeat: 0,
    seed: 1000 + instance,
    task: 'sokoban',
    success,
    validity: 1,
    reward: success ? 10 : -3,
    turns: 3,
    steps: 3,
    tokens: 12,
    failure: success ? null : 'out-of-turns',
    error: null,
    sokoban: null,
    gp: null,
    timing: { startedMs: 0, totalMs: 1, cachedGenerations: 0, generations: 3 },
  }
}

const AGGREGATE: Aggregate = {
  model: 'm',
  variant: 'sokoban-eval-base',
  difficulty: '6x6-1',
  difficultyValue: 1,
  n: 3,
  successes: 2,
  successRate: 2 / 3,
  successCi: { low: 0.2, high: 0.94 },
  validity: 1,
  validityCi: null,
  meanReward: 5.7,
  meanTurns: 3,
  meanSteps: 3,
  tokens: 36,
  failures: { 'out-of-turns': 1 },
  floatExactDisagreements: 0,
}

function lines(file: string): string[] {
  return fs.readFileSync(file, 'utf8').split('\n').filter((l) => l !== '')
}

describe('a finished run folder', () => {
  it('holds the manifest, one line per cell with a top-level id, the prompts before their results, and the summary', async () => {
    const dir = path.join(tempDir(), 'nested', 'run')
    const writer = await createRun(dir, { spec: SPEC, models: MODELS, total: 3, sweepFile: '/sweeps/s.json' })
    const started = JSON.parse(fs.readFileSync(path.join(dir, MANIFEST_FILE), 'utf8'))
    expect(started).toMatchObject({ format: 1, status: 'running', endedAt: null, cells: { total: 3, done: 0 }, seed: 11 })
    // As the runner does: each hash announced once, before the first result that refers to it.
    for (const i of [0, 1, 2]) {
      if (i === 0) writer.prompt('p-shared', 'the first board')
      writer.prompt(`p-${i}`, `board ${i}`)
      writer.result(cell(i))
    }
    await writer.finish({ status: 'completed', total: 3, aggregates: [AGGREGATE] })

    expect(fs.readdirSync(dir).sort()).toEqual([MANIFEST_FILE, PROMPTS_FILE, RESULTS_FILE, SUMMARY_FILE].sort())
    const resultLines = lines(path.join(dir, RESULTS_FILE))
    expect(resultLines).toHaveLength(3)
    for (const [i, line] of resultLines.entries()) expect(line.startsWith(`{"id":"m/sokoban-eval-base/6x6-1/${i}/0",`)).toBe(true)
    expect(lines(path.join(dir, PROMPTS_FILE)).map((l) => JSON.parse(l).hash)).toEqual(['p-shared', 'p-0', 'p-1', 'p-2'])

    const run = await readRun(dir)
    expect(run.results).toEqual([cell(0), cell(1), cell(2)])
    expect(run.prompts.get('p-shared')).toBe('the first board')
    expect(run.prompts.size).toBe(4)
    expect(run.summary).toEqual({ status: 'completed', done: 3, total: 3, aggregates: [AGGREGATE] })
    expect(run.tornLine).toBe(false)
    expect(run.spec).toEqual(SPEC)
    const manifest = run.manifest
    expect(manifest?.status).toBe('completed')
    expect(manifest?.cells).toEqual({ total: 3, done: 3 })
    expect(manifest?.models).toEqual(MODELS)
    expect(manifest?.sweepFile).toBe('/sweeps/s.json')
    expect(Date.parse(manifest?.endedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(manifest?.startedAt ?? ''))
    expect(manifest?.versions.node).toBe(process.version)
    expect(manifest?.versions.onnxruntimeNode).toMatch(/^\d+\.\d+\.\d+/)
    expect(manifest?.versions.sftbench).toMatch(/^\d+\.\d+\.\d+/)
  })

  it('refuses to start a new run in a folder that holds one', async () => {
    const dir = tempDir()
    const writer = await createRun(dir, { spec: SPEC, models: MODELS, total: 3 })
    writer.close()
    await expect(createRun(dir, { spec: SPEC, models: MODELS, total: 3 })).rejects.toThrow(/already holds a run.*--resume/)
  })
})

describe('after a kill', () => {
  it('ignores a torn last results line, cuts it off on resume, and appends on a clean line', async () => {
    const dir = tempDir()
    const writer = await createRun(dir, { spec: SPEC, models: MODELS, total: 3 })
    writer.prompt('p0', 'board 0')
    writer.result(cell(0))
    writer.result(cell(1))
    writer.close()
    const file = path.join(dir, RESULTS_FILE)
    const full = fs.readFileSync(file, 'utf8')
    // Keep line 1 whole and half of line 2, as a kill during the second append would.
    fs.writeFileSync(file, full.slice(0, full.indexOf('\n') + 1 + 40))
    fs.appendFileSync(path.join(dir, PROMPTS_FILE), '{"hash":"p1","te')

    const read = await readRun(dir)
    expect(read.tornLine).toBe(true)
    expect(read.results.map((r) => r.instance)).toEqual([0])
    expect([...read.prompts.keys()]).toEqual(['p0'])

    const resumable = await openRunForResume(dir)
    expect(resumable.tornLinesRemoved).toBe(2)
    expect(resumable.done).toBe(1)
    expect([...resumable.promptHashes]).toEqual(['p0'])
    expect([...resumable.results()].map((r) => r.instance)).toEqual([0])
    const again = await resumeRun(resumable, { spec: resumable.spec, models: MODELS, total: 3 })
    again.prompt('p0', 'board 0')
    again.prompt('p1', 'board 1')
    again.result(cell(1))
    again.result(cell(2))
    await again.finish({ status: 'completed', total: 3, aggregates: [] })
    const final = await readRun(dir)
    expect(final.results.map((r) => r.instance)).toEqual([0, 1, 2])
    expect(lines(path.join(dir, PROMPTS_FILE)).map((l) => JSON.parse(l).hash)).toEqual(['p0', 'p1'])
    expect(final.tornLine).toBe(false)
    expect(final.manifest?.resumedAt).toHaveLength(1)
    expect(final.manifest?.startedAt).toBe(read.manifest?.startedAt)
  })

  it('keeps a complete last line that lost only its newline, and puts the next record on its own line', async () => {
    const dir = tempDir()
    const writer = await createRun(dir, { spec: SPEC, models: MODELS, total: 3 })
    writer.result(cell(0))
    writer.close()
    const file = path.join(dir, RESULTS_FILE)
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').trimEnd())
    const resumable = await openRunForResume(dir)
    expect([...resumable.results()]).toEqual([cell(0)])
    const again = await resumeRun(resumable, { spec: SPEC, models: MODELS, total: 3 })
    again.result(cell(1))
    again.close()
    expect((await readRun(dir)).results.map((r) => r.instance)).toEqual([0, 1])
  })

  it('resumes a folder killed before its manifest (or any file) was written, given the sweep', async () => {
    const empty = tempDir()
    await expect(readRun(empty)).rejects.toThrow(/manifest\.json is missing.*sftbench eval SWEEP\.json --resume/)
    const resumable = await openRunForResume(empty, SPEC)
    expect([...resumable.results()]).toEqual([])
    expect(resumable.done).toBe(0)
    expect(resumable.manifest).toBeNull()
    const writer = await resumeRun(resumable, { spec: SPEC, models: MODELS, total: 3 })
    writer.result(cell(0))
    await writer.finish({ status: 'cancelled', total: 3, aggregates: [] })
    const run = await readRun(empty)
    expect(run.manifest?.status).toBe('cancelled')
    expect(run.manifest?.resumedAt).toEqual([])
    expect(run.summary).toMatchObject({ status: 'cancelled', done: 1, total: 3 })
  })

  it('refuses to resume a run another live process is still writing; resumes it once that process is gone', async () => {
    const dir = tempDir()
    ;(await createRun(dir, { spec: SPEC, models: MODELS, total: 3 })).close()
    const manifestFile = path.join(dir, MANIFEST_FILE)
    const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as Record<string, unknown>
    expect(manifest.writer).toEqual({ pid: process.pid, host: os.hostname() })
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' })
    try {
      fs.writeFileSync(manifestFile, JSON.stringify({ ...manifest, writer: { pid: other.pid, host: os.hostname() } }))
      await expect(openRunForResume(dir)).rejects.toThrow(new RegExp(`still being written by process ${other.pid}.*Wait for that sweep to end`))
    } finally {
      other.kill()
      await new Promise((resolve) => other.once('exit', resolve))
    }
    expect((await openRunForResume(dir)).done).toBe(0)
  })

  it('refuses a sweep file that differs from the manifest, except in concurrency', async () => {
    const dir = tempDir()
    ;(await createRun(dir, { spec: SPEC, models: MODELS, total: 3 })).close()
    await expect(openRunForResume(dir, { ...SPEC, instances: 5, seed: 12 })).rejects.toThrow(
      /differs from the one .* started with \(fields: seed, instances\)/,
    )
    const resumable = await openRunForResume(dir, { ...SPEC, concurrency: 9 })
    expect(resumable.spec.concurrency).toBe(9)
  })
})

describe('damaged folders', () => {
  it('names the file and line of a damaged line that is not the last', async () => {
    const dir = tempDir()
    const writer = await createRun(dir, { spec: SPEC, models: MODELS, total: 3 })
    for (const i of [0, 1, 2]) writer.result(cell(i))
    writer.close()
    const file = path.join(dir, RESULTS_FILE)
    const [a, b, c] = lines(file)
    fs.writeFileSync(file, `${a}\n${b.slice(0, 30)}\n${c}\n`)
    const error = await readRun(dir).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RunFolderError)
    expect((error as Error).message).toContain(`${file} line 2: not valid JSON`)
    await expect(openRunForResume(dir)).rejects.toThrow(/line 2/)
  })

  it('rejects a record of another format version and a cell recorded twice, by line', async () => {
    const dir = tempDir()
    const writer = await createRun(dir, { spec: SPEC, models: MODELS, total: 3 })
    writer.result(cell(0))
    writer.result(cell(1))
    writer.result(cell(0))
    writer.close()
    await expect(readRun(dir)).rejects.toThrow(/line 3: cell m\/sokoban-eval-base\/6x6-1\/0\/0 appears again \(first on line 1\)/)
    fs.writeFileSync(path.join(dir, RESULTS_FILE), `${JSON.stringify({ ...cell(0), v: 2 })}\n{}\n`)
    await expect(readRun(dir)).rejects.toThrow(/line 1: result format 2, but this sftbench reads format 1/)
  })

  it('names a manifest that is not JSON, and a missing folder', async () => {
    const dir = tempDir()
    fs.writeFileSync(path.join(dir, MANIFEST_FILE), '{"format": 1,')
    await expect(readRun(dir)).rejects.toThrow(new RegExp(`${MANIFEST_FILE}: not valid JSON`))
    await expect(readRun(path.join(dir, 'nope'))).rejects.toThrow(/no such run folder/)
  })
})
