// wb:runs.results: a run folder's results filtered and paged from an index extended with only the
// new lines, against counts worked out by hand from the fixture's rules (variant A succeeds on
// instances not divisible by 3, B on even instances; a failure is a deadlock on multiples of 5).
import { spawn, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createBackend, type Backend } from '../../../electron/app/backend.ts'
import { MANIFEST_FILE, RESULTS_FILE } from '../../../electron/eval/run-folder.ts'
import { SOKOBAN_VARIANTS, writeGpRun, writeSokobanRun } from '../../renderer/results/fixture.ts'

const temps: string[] = []
const backends: Backend[] = []
afterAll(async () => {
  for (const b of backends) await b.dispose()
  temps.forEach((d) => fs.rmSync(d, { recursive: true, force: true }))
})

async function workspace(): Promise<{ ws: string; backend: Backend }> {
  const ws = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'sftbench-runs-')))
  temps.push(ws)
  const backend = await createBackend({ workspace: ws, log: () => {} })
  backends.push(backend)
  return { ws, backend }
}

async function value<T>(promise: Promise<{ ok: true; value: T } | { ok: false; error: { code: string; message: string } }>): Promise<T> {
  const result = await promise
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`)
  return result.value
}

const [A, B] = SOKOBAN_VARIANTS

describe('wb:runs.results', () => {
  it('filters by variant, difficulty, model, success and failure kind (counts by hand, 12 instances)', async () => {
    const { ws, backend } = await workspace()
    await writeSokobanRun(path.join(ws, 'runs', 'r'), 12)
    const ask = (filter: object) => value(backend.request('wb:runs.results', { dir: 'runs/r', filter, limit: 1000 }))
    const all = await ask({})
    expect(all.total).toBe(48)
    expect(all.matched).toBe(48)
    expect(all.status).toBe('completed')
    expect(all.task).toBe('sokoban')
    expect(all.facets).toEqual({ models: ['m'], variants: [A, B], difficulties: ['6x6-1', '6x6-2'], failures: ['deadlock', 'out-of-turns'] })
    // A succeeds on 1,2,4,5,7,8,10,11 of 0..11: 8 per difficulty.
    expect((await ask({ variant: A, difficulty: '6x6-1', failure: 'success' })).matched).toBe(8)
    // B succeeds on the 6 even instances, in both difficulties.
    expect((await ask({ variant: B, failure: 'success' })).matched).toBe(12)
    // Deadlocks: A fails on 0,3,6,9 (0 is a multiple of 5); B on the odd ones (5): 1 + 1 per difficulty.
    expect((await ask({ failure: 'deadlock' })).rows.map((r) => r.key)).toEqual([
      `${A}/6x6-1/0/0`,
      `${A}/6x6-2/0/0`,
      `${B}/6x6-1/5/0`,
      `${B}/6x6-2/5/0`,
    ])
    expect((await ask({ failure: 'out-of-turns' })).matched).toBe(2 * (3 + 5))
    expect((await ask({ model: 'other' })).matched).toBe(0)
  })

  it('exact keys, then pages in file order; rows leave the turns out and detail brings them', async () => {
    const { ws, backend } = await workspace()
    const { results } = await writeSokobanRun(path.join(ws, 'runs', 'r'), 12)
    const keys = [`${B}/6x6-2/3/0`, `${A}/6x6-1/7/0`, 'no/such/0/0']
    const byKeys = await value(backend.request('wb:runs.results', { dir: 'runs/r', filter: { keys } }))
    expect(byKeys.rows.map((r) => r.key)).toEqual([`${A}/6x6-1/7/0`, `${B}/6x6-2/3/0`])
    const page = await value(backend.request('wb:runs.results', { dir: 'runs/r', filter: { variant: A }, offset: 5, limit: 3 }))
    expect(page.matched).toBe(24)
    expect(page.offset).toBe(5)
    expect(page.rows.map((r) => r.instance)).toEqual([5, 6, 7])
    expect(page.details).toBeNull()
    expect(Object.keys(page.rows[0]).sort()).toEqual(
      ['difficulty', 'failure', 'id', 'instance', 'key', 'model', 'repeat', 'steps', 'success', 'tokens', 'turns', 'variant'],
    )
    const detail = await value(backend.request('wb:runs.results', { dir: 'runs/r', filter: { variant: A }, offset: 5, limit: 3, detail: true }))
    expect(detail.details?.map((d) => d.result)).toEqual(results.slice(5, 8))
    expect(detail.details?.[0].scoredValues).toBeNull()
    const past = await value(backend.request('wb:runs.results', { dir: 'runs/r', offset: 100 }))
    expect(past.rows).toEqual([])
    expect(past.matched).toBe(48)
  })

  it('a folder a sweep is still writing: new lines appear, a half-written last line is left out until it ends', async () => {
    const { ws, backend } = await workspace()
    const dir = path.join(ws, 'runs', 'live')
    const { results } = await writeSokobanRun(dir, 3, { running: 8 })
    const file = path.join(dir, RESULTS_FILE)
    const ask = () => value(backend.request('wb:runs.results', { dir: 'runs/live', limit: 100 }))
    const first = await ask()
    expect(first).toMatchObject({ status: 'running', total: 8, tornLine: false })
    const next = JSON.stringify(results[8])
    // Half a line, as a reader can catch it mid-append (or a killed run leaves it).
    fs.appendFileSync(file, next.slice(0, 40))
    const torn = await ask()
    expect(torn).toMatchObject({ total: 8, tornLine: true })
    fs.appendFileSync(file, `${next.slice(40)}\n`)
    const grown = await ask()
    expect(grown).toMatchObject({ total: 9, tornLine: false })
    expect(grown.rows.at(-1)?.key).toBe(`${B}/6x6-1/2/0`)
    const detail = await value(backend.request('wb:runs.results', { dir: 'runs/live', offset: 8, detail: true }))
    expect(detail.details?.[0].result).toEqual(results[8])
  })

  it('a run left "running" by a process that is gone reads as interrupted; one whose writer lives, or is unknown, as running, naming another live writer', async () => {
    const { ws, backend } = await workspace()
    const dir = path.join(ws, 'runs', 'killed')
    await writeSokobanRun(dir, 2, { running: 3 })
    const manifestFile = path.join(dir, MANIFEST_FILE)
    const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as Record<string, unknown>
    // The fixture wrote the run from this process, which is alive.
    expect(manifest.writer).toEqual({ pid: process.pid, host: os.hostname() })
    const ask = async () => (await value(backend.request('wb:runs.results', { dir: 'runs/killed', limit: 1 }))).status
    const writtenBy = async () => (await value(backend.request('wb:runs.list', {}))).find((r) => r.name === 'killed')?.writtenBy
    expect(await ask()).toBe('running')
    expect(await writtenBy()).toBeNull()
    const setWriter = (writer: unknown) => fs.writeFileSync(manifestFile, JSON.stringify({ ...manifest, writer }))
    // Another live process on this machine writes it: running, there.
    const live = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' })
    try {
      setWriter({ pid: live.pid, host: os.hostname() })
      expect(await ask()).toBe('running')
      expect(await writtenBy()).toEqual({ pid: live.pid, host: os.hostname() })
      expect((await value(backend.request('wb:runs.read', { dir: 'runs/killed' }))).writtenBy).toEqual({ pid: live.pid, host: os.hostname() })
    } finally {
      live.kill()
    }
    // A writer that has exited (a child process, waited for).
    const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' })
    setWriter({ pid: Number(child.stdout), host: os.hostname() })
    expect(await ask()).toBe('interrupted')
    expect((await value(backend.request('wb:runs.list', {}))).find((r) => r.name === 'killed')?.status).toBe('interrupted')
    expect(await writtenBy()).toBeNull()
    // Another machine's process cannot be checked, nor can a folder written before writers were recorded.
    setWriter({ pid: Number(child.stdout), host: `${os.hostname()}-elsewhere` })
    expect(await ask()).toBe('running')
    expect(await writtenBy()).toBeNull()
    setWriter(undefined)
    expect(await ask()).toBe('running')
    setWriter(null)
    expect(await ask()).toBe('running')
  })

  it('requests that overlap while lines are appended each see a whole prefix of the file, never a cell twice', async () => {
    const { ws, backend } = await workspace()
    const dir = path.join(ws, 'runs', 'busy')
    const { results } = await writeSokobanRun(dir, 10, { running: 4 })
    const file = path.join(dir, RESULTS_FILE)
    const asks: Promise<{ total: number; rows: readonly { id: string }[] }>[] = []
    for (let i = 4; i < results.length; i++) {
      asks.push(value(backend.request('wb:runs.results', { dir: 'runs/busy', limit: 100 })))
      fs.appendFileSync(file, `${JSON.stringify(results[i])}\n`)
    }
    asks.push(value(backend.request('wb:runs.results', { dir: 'runs/busy', limit: 100 })))
    const pages = await Promise.all(asks)
    for (const page of pages) {
      expect(page.rows.map((r) => r.id)).toEqual(results.slice(0, page.total).map((r) => r.id))
    }
    expect(pages.at(-1)?.total).toBe(results.length)
  })

  it('a file cut shorter (a resume removing lines) or replaced is read again from the start', async () => {
    const { ws, backend } = await workspace()
    const dir = path.join(ws, 'runs', 'r')
    await writeSokobanRun(dir, 3)
    const file = path.join(dir, RESULTS_FILE)
    expect((await value(backend.request('wb:runs.results', { dir: 'runs/r' }))).total).toBe(12)
    const lines = fs.readFileSync(file, 'utf8').split('\n')
    fs.writeFileSync(file, `${lines.slice(0, 5).join('\n')}\n`)
    expect((await value(backend.request('wb:runs.results', { dir: 'runs/r' }))).total).toBe(5)
    // Same size, other content: a new file (new inode) in the folder.
    fs.rmSync(file)
    fs.writeFileSync(file, `${lines.slice(7, 12).join('\n')}\n`)
    const again = await value(backend.request('wb:runs.results', { dir: 'runs/r' }))
    expect(again.rows.map((r) => r.key)).toEqual(lines.slice(7, 12).map((l) => (JSON.parse(l) as { key: string }).key))
  })

  it('a damaged line before the last is refused with its line number; the next request after a repair works', async () => {
    const { ws, backend } = await workspace()
    const dir = path.join(ws, 'runs', 'r')
    await writeSokobanRun(dir, 2)
    const file = path.join(dir, RESULTS_FILE)
    const good = fs.readFileSync(file, 'utf8')
    const lines = good.split('\n')
    lines[2] = '{"v":1,'
    fs.writeFileSync(file, lines.join('\n'))
    const bad = await backend.request('wb:runs.results', { dir: 'runs/r' })
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-request' } })
    if (!bad.ok) expect(bad.error.message).toContain('line 3')
    fs.writeFileSync(file, good)
    expect((await value(backend.request('wb:runs.results', { dir: 'runs/r' }))).total).toBe(8)
  })

  it('General Points details carry the values the variant scored the cards with', async () => {
    const { ws, backend } = await workspace()
    const { results } = await writeGpRun(path.join(ws, 'runs', 'gp'), 3)
    const page = await value(backend.request('wb:runs.results', { dir: 'runs/gp', detail: true }))
    expect(page.task).toBe('gp')
    const rank = (card: string) => ({ A: 1, J: 11, Q: 12, K: 13 })[card.replace(/[SHDC♠♥♦♣]$/u, '')] ?? Number.parseInt(card, 10)
    for (const [i, d] of (page.details ?? []).entries()) {
      const cards = results[i].gp?.cards ?? []
      const all10 = d.result.variant === 'gp-test-all_10'
      expect(d.scoredValues).toEqual(cards.map((c) => (all10 ? Math.min(10, rank(c)) : rank(c))))
    }
    // gp-id hands hold at least one J, Q or K, so the two rules differ on every hand.
    expect(page.details?.[0].scoredValues).not.toEqual(page.details?.[3].scoredValues)
  })

  it('names the bad field; refuses a folder that is not a run and one outside the workspace', async () => {
    const { ws, backend } = await workspace()
    await writeSokobanRun(path.join(ws, 'runs', 'r'), 1)
    const bad = await backend.handle('wb:runs.results', { dir: 'runs/r', filter: { failure: 'oops' } })
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-request' } })
    if (!bad.ok) expect(bad.error.message).toContain('filter.failure')
    const extra = await backend.handle('wb:runs.results', { dir: 'runs/r', filter: { colour: 'red' } })
    expect(extra).toMatchObject({ ok: false, error: { code: 'invalid-request' } })
    if (!extra.ok) expect(extra.error.message).toContain('colour')
    const limit = await backend.request('wb:runs.results', { dir: 'runs/r', limit: 50_000 })
    if (!limit.ok) expect(limit.error.message).toContain('limit')
    expect(limit.ok).toBe(false)
    fs.mkdirSync(path.join(ws, 'plain'))
    const plain = await backend.request('wb:runs.results', { dir: 'plain' })
    expect(plain).toMatchObject({ ok: false, error: { code: 'invalid-request' } })
    if (!plain.ok) expect(plain.error.message).toContain('not a run folder')
    expect(await backend.request('wb:runs.results', { dir: '/etc' })).toMatchObject({ ok: false, error: { code: 'forbidden' } })
  })
})
