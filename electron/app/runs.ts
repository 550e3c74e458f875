/**
 * @module electron/app/runs
 * Run folders for the UI: a list of the runs under a folder (from their manifests only, so listing
 * stays fast), one run read back with its aggregates and a page of its results, and the results
 * that match a filter, paged, from an index of `results.jsonl` kept per folder and extended with
 * only the lines appended since the last request (a sweep still writing costs its new lines only).
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import type {
  ResultDetail,
  ResultFacets,
  ResultFilter,
  ResultRow,
  RunEntry,
  RunResultsPage,
  RunStatus,
  RunView,
} from '../../core/contract/api.ts'
import { resultMatcher } from '../../core/contract/result-filter.ts'
import { scoredValues } from '../../core/eval/gp-protocol.ts'
import { aggregateResults } from '../../core/eval/metrics.ts'
import { parseSweepSpec, sweepInstanceSet, variantName, variantOf, type SweepSpec } from '../../core/eval/spec.ts'
import type { CellResult, FailureKind } from '../../core/eval/types.ts'
import { instanceAt } from '../../core/experiment/instance-set.ts'
import type { JsonValue } from '../../core/notebook/schema.ts'
import { MANIFEST_FILE, RESULTS_FILE, RunFolderError, checkResult, otherLiveWriter, readRun, writerState, type RunManifest } from '../eval/run-folder.ts'
import { ApiFailure } from './errors.ts'
import type { FileGuard } from './files.ts'

const STATUSES: readonly RunStatus[] = ['running', 'completed', 'cancelled', 'failed']

function statusOf(value: unknown): RunStatus {
  return STATUSES.includes(value as RunStatus) ? (value as RunStatus) : 'unknown'
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file)
    return true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false
    throw error
  }
}

/**
 * A run entry from a folder's manifest; a folder without one (killed early) lists as `unknown`, and
 * one whose manifest says `running` while its writing process is gone as `interrupted`.
 */
async function entryOf(dir: string): Promise<RunEntry | null> {
  const manifestFile = path.join(dir, MANIFEST_FILE)
  let manifest: Partial<RunManifest> | null = null
  try {
    manifest = JSON.parse(await fs.readFile(manifestFile, 'utf8')) as Partial<RunManifest>
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code !== 'ENOENT' && !(error instanceof SyntaxError)) throw error
  }
  if (manifest === null && !(await exists(path.join(dir, RESULTS_FILE)))) return null
  const task = manifest?.spec?.task
  const status = statusOf(manifest?.status)
  // Asked once: whether the writer of a running folder is gone (interrupted) or alive elsewhere.
  const writer = status === 'running' ? writerState(manifest?.writer) : 'unknown'
  return {
    dir,
    name: path.basename(dir),
    status: writer === 'gone' ? 'interrupted' : status,
    task: task === 'sokoban' || task === 'gp' ? task : null,
    startedAt: typeof manifest?.startedAt === 'string' ? manifest.startedAt : null,
    endedAt: typeof manifest?.endedAt === 'string' ? manifest.endedAt : null,
    done: manifest?.cells?.done ?? 0,
    total: manifest?.cells?.total ?? 0,
    writtenBy: otherLiveWriter(manifest, writer),
  }
}

/** Lists and reads run folders inside the guard. */
export class RunService {
  private readonly indexes = new Map<string, ResultsIndex>()

  constructor(
    private readonly guard: FileGuard,
    /** The default folder of runs (absolute). */
    private readonly runsDir: string,
  ) {}

  /** The runs under `dir` (default: the runs folder; none when it does not exist yet), newest first. */
  async list(dir?: string): Promise<RunEntry[]> {
    if (dir === undefined && !(await exists(this.runsDir))) return []
    const parent = await this.guard.resolve(dir ?? this.runsDir, { mustExist: true, kind: 'dir' })
    const out: RunEntry[] = []
    for (const name of await fs.readdir(parent)) {
      if (name.startsWith('.')) continue
      const child = path.join(parent, name)
      if (!(await fs.stat(child)).isDirectory()) continue
      const entry = await entryOf(child)
      if (entry !== null) out.push(entry)
    }
    return out.sort((a, b) => (b.startedAt ?? '').localeCompare(a.startedAt ?? '') || a.name.localeCompare(b.name))
  }

  /**
   * The results of the run folder `dir` that match `filter`: `limit` rows from `offset` (in file
   * order), in full with `detail`. A torn last line (a killed run, or a line a running sweep is
   * writing) is left out and reported; a damaged line elsewhere is `invalid-request` naming the line.
   */
  async results(dir: string, filter: ResultFilter, offset: number, limit: number, detail: boolean): Promise<RunResultsPage> {
    const real = await this.guard.resolve(dir, { mustExist: true, kind: 'dir' })
    const entry = await entryOf(real)
    const file = path.join(real, RESULTS_FILE)
    if (entry === null) {
      throw new ApiFailure(
        'invalid-request',
        `${real} is not a run folder: it has neither ${MANIFEST_FILE} nor ${RESULTS_FILE}. Choose a folder a sweep wrote.`,
      )
    }
    const snapshot = await this.indexOf(file).snapshot()
    // Read now: the snapshot's rows may be the index's own array, which a request that overlaps the
    // reads below can extend.
    const total = snapshot.rows.length
    const matches = resultMatcher(filter)
    const picked: IndexedRow[] = []
    let matched = 0
    for (const item of snapshot.rows) {
      if (!matches(item.row)) continue
      if (matched >= offset && picked.length < limit) picked.push(item)
      matched++
    }
    let details: ResultDetail[] | null = null
    if (detail) {
      const results = await readResults(file, picked)
      const spec = results.some((r) => r.task === 'gp') ? await specOf(real) : null
      details = results.map((result) => ({ result, scoredValues: spec === null ? null : gpValues(spec, result) }))
    }
    return {
      dir: real,
      status: entry.status,
      task: entry.task,
      total,
      matched,
      offset,
      rows: picked.map((item) => item.row),
      details,
      facets: snapshot.facets,
      tornLine: snapshot.torn,
    }
  }

  /** The index of a results file (one per folder, the most recently used kept). */
  private indexOf(file: string): ResultsIndex {
    let index = this.indexes.get(file)
    if (index === undefined) {
      index = new ResultsIndex(file)
      if (this.indexes.size >= MAX_INDEXES) this.indexes.delete(this.indexes.keys().next().value as string)
    } else {
      this.indexes.delete(file)
    }
    this.indexes.set(file, index)
    return index
  }

  /** A run with its aggregates (over every result) and the results from `offset`, at most `limit`. */
  async read(dir: string, offset: number, limit: number): Promise<RunView> {
    const real = await this.guard.resolve(dir, { mustExist: true, kind: 'dir' })
    let data
    try {
      data = await readRun(real)
    } catch (error) {
      if (error instanceof RunFolderError) throw new ApiFailure('invalid-request', error.message)
      throw error
    }
    const entry = (await entryOf(real)) ?? {
      dir: real,
      name: path.basename(real),
      status: 'unknown' as const,
      task: data.spec.task,
      startedAt: null,
      endedAt: null,
      done: 0,
      total: 0,
      writtenBy: null,
    }
    // The summary is written at the end; a run killed or still going is aggregated from its results.
    const summary = data.summary
    const aggregates =
      summary !== null && summary.done === data.results.length ? summary.aggregates : aggregateResults(data.results, data.spec)
    return {
      ...entry,
      task: data.spec.task,
      done: data.results.length,
      spec: data.spec as unknown as JsonValue,
      models: (data.manifest?.models ?? []).map((m) => ({ name: m.name, provider: m.provider, modelHash: m.modelHash })),
      aggregates,
      resultCount: data.results.length,
      offset,
      results: data.results.slice(offset, offset + limit),
      tornLine: data.tornLine,
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The results index

/** Folders whose results index is kept (each holds a row per result, not the results). */
const MAX_INDEXES = 8
const CHUNK_BYTES = 4 << 20

/** A result's row and where its line is in the file. */
interface IndexedRow {
  readonly row: ResultRow
  readonly offset: number
  readonly bytes: number
  /** The parsed result of an unterminated last line (kept, since the file will change under it). */
  readonly result?: CellResult
}

/** The rows of a results file as of one request. */
interface IndexSnapshot {
  readonly rows: readonly IndexedRow[]
  readonly facets: ResultFacets
  readonly torn: boolean
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function rowOf(r: CellResult): ResultRow {
  const num = (x: unknown): number => (typeof x === 'number' ? x : 0)
  return {
    id: r.id,
    key: r.key,
    model: r.model,
    variant: r.variant,
    difficulty: r.difficulty,
    instance: num(r.instance),
    repeat: num(r.repeat),
    success: r.success,
    failure: r.failure ?? null,
    turns: num(r.turns),
    steps: num(r.steps),
    tokens: num(r.tokens),
  }
}

/** Distinct values in first-seen order. */
class Facets {
  private readonly sets = { models: new Set<string>(), variants: new Set<string>(), difficulties: new Set<string>(), failures: new Set<FailureKind>() }

  add(row: ResultRow): void {
    this.sets.models.add(row.model)
    this.sets.variants.add(row.variant)
    this.sets.difficulties.add(row.difficulty)
    if (row.failure !== null) this.sets.failures.add(row.failure)
  }

  view(extra: ResultRow | null): ResultFacets {
    const with_ = <T>(set: Set<T>, value: T | null): T[] => (value === null || set.has(value) ? [...set] : [...set, value])
    return {
      models: with_(this.sets.models, extra?.model ?? null),
      variants: with_(this.sets.variants, extra?.variant ?? null),
      difficulties: with_(this.sets.difficulties, extra?.difficulty ?? null),
      failures: with_(this.sets.failures, extra?.failure ?? null),
    }
  }
}

/**
 * The rows of one `results.jsonl`, read once and then extended by the bytes appended since. Only
 * complete (newline-ended) lines are committed; an unterminated last line is parsed afresh on each
 * request, listed when it is a whole result and reported as torn otherwise. A file that shrank or was
 * replaced (a resume cuts a torn line off; a new run in the same folder) is read again from the start.
 */
class ResultsIndex {
  private rows: IndexedRow[] = []
  private ids = new Map<string, number>()
  private facets = new Facets()
  /** Bytes committed: the end of the last complete line. */
  private consumed = 0
  /** The last line before `consumed` (with its newline), to notice a file rewritten in place. */
  private endBytes = Buffer.alloc(0)
  private lastLineStart = 0
  private lines = 0
  private identity = ''
  /** Requests on one file run one at a time, so two never extend the index together. */
  private queue: Promise<unknown> = Promise.resolve()

  constructor(private readonly file: string) {}

  snapshot(): Promise<IndexSnapshot> {
    const next = this.queue.then(() => this.refresh())
    this.queue = next.catch(() => undefined)
    return next
  }

  private reset(): void {
    this.rows = []
    this.ids = new Map()
    this.facets = new Facets()
    this.consumed = 0
    this.endBytes = Buffer.alloc(0)
    this.lastLineStart = 0
    this.lines = 0
  }

  private async refresh(): Promise<IndexSnapshot> {
    let handle
    try {
      handle = await fs.open(this.file, 'r')
    } catch (error) {
      // A run that has not finished its first cell has no results file yet.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
      this.reset()
      return { rows: [], facets: this.facets.view(null), torn: false }
    }
    try {
      const stat = await handle.stat()
      const identity = `${stat.dev}:${stat.ino}:${stat.birthtimeMs}`
      if (identity !== this.identity || stat.size < this.consumed || !(await this.sameEnd(handle))) {
        this.reset()
        this.identity = identity
      }
      try {
        return await this.extend(handle, stat.size)
      } catch (error) {
        // Half an extension must never be served later: the next request reads the file afresh.
        this.reset()
        this.identity = ''
        throw error
      }
    } finally {
      await handle.close()
    }
  }

  /**
   * Whether the bytes before `consumed` are still the ones indexed (a file deleted and written again
   * can get the same inode number back, so the inode alone does not tell).
   */
  private async sameEnd(handle: fs.FileHandle): Promise<boolean> {
    if (this.consumed === 0) return true
    const now = Buffer.alloc(this.endBytes.length)
    const { bytesRead } = await handle.read(now, 0, now.length, this.consumed - now.length)
    return bytesRead === now.length && now.equals(this.endBytes)
  }

  private async extend(handle: fs.FileHandle, size: number): Promise<IndexSnapshot> {
    let carry = Buffer.alloc(0)
    let carryOffset = this.consumed
    const chunk = Buffer.alloc(Math.min(CHUNK_BYTES, Math.max(1, size - this.consumed)))
    for (let position = this.consumed; position < size; ) {
      const { bytesRead } = await handle.read(chunk, 0, Math.min(chunk.length, size - position), position)
      if (bytesRead === 0) break
      position += bytesRead
      const data = carry.length > 0 ? Buffer.concat([carry, chunk.subarray(0, bytesRead)]) : chunk.subarray(0, bytesRead)
      let start = 0
      for (let nl = data.indexOf(10); nl >= 0; nl = data.indexOf(10, start)) {
        this.commit(data.toString('utf8', start, nl), carryOffset + start, nl - start)
        start = nl + 1
      }
      carryOffset += start
      carry = Buffer.from(data.subarray(start))
    }
    if (carryOffset !== this.consumed) {
      // The whole last line (it starts with the cell's id, so another result never looks the same).
      const end = Buffer.alloc(carryOffset - this.lastLineStart)
      await handle.read(end, 0, end.length, this.lastLineStart)
      this.endBytes = end
    }
    this.consumed = carryOffset
    let tail: IndexedRow | null = null
    let torn = false
    const text = carry.toString('utf8')
    if (text.trim() !== '') {
      const parsed = parseResult(text)
      if (parsed.problem === null && !this.ids.has(parsed.result.id)) {
        tail = { row: rowOf(parsed.result), offset: carryOffset, bytes: carry.length, result: parsed.result }
      } else {
        torn = true
      }
    }
    return { rows: tail === null ? this.rows : [...this.rows, tail], facets: this.facets.view(tail?.row ?? null), torn }
  }

  /** Adds one complete line (blank lines are skipped). */
  private commit(text: string, offset: number, bytes: number): void {
    this.lines++
    this.lastLineStart = offset
    if (text.trim() === '') return
    const parsed = parseResult(text)
    if (parsed.problem !== null) {
      throw new ApiFailure(
        'invalid-request',
        `${this.file} line ${this.lines}: ${parsed.problem}. Only the last line of ${RESULTS_FILE} can be cut short by an ` +
          'interrupted run, so this file was damaged or edited; delete or repair that line, or start a new run.',
      )
    }
    const first = this.ids.get(parsed.result.id)
    if (first !== undefined) {
      throw new ApiFailure(
        'invalid-request',
        `${this.file} line ${this.lines}: cell ${parsed.result.id} appears again (first on line ${first}); a run records ` +
          'each cell once, so the file was edited or two runs wrote to it; delete one of the lines.',
      )
    }
    this.ids.set(parsed.result.id, this.lines)
    const row = rowOf(parsed.result)
    this.rows.push({ row, offset, bytes })
    this.facets.add(row)
  }
}

function parseResult(text: string): { result: CellResult; problem: null } | { result: null; problem: string } {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    return { result: null, problem: `not valid JSON (${(error as Error).message})` }
  }
  const problem = checkResult(value)
  return problem === null ? { result: value as CellResult, problem: null } : { result: null, problem }
}

/** The full results of indexed rows, read from their lines (one read per line). */
async function readResults(file: string, items: readonly IndexedRow[]): Promise<CellResult[]> {
  if (items.every((item) => item.result !== undefined)) return items.map((item) => item.result as CellResult)
  const handle = await fs.open(file, 'r')
  try {
    const out: CellResult[] = []
    for (const item of items) {
      if (item.result !== undefined) {
        out.push(item.result)
        continue
      }
      const buffer = Buffer.alloc(item.bytes)
      await handle.read(buffer, 0, item.bytes, item.offset)
      const parsed = parseResult(buffer.toString('utf8'))
      if (parsed.problem !== null || parsed.result.id !== item.row.id) {
        throw new ApiFailure('conflict', `${file} changed while it was read (cell ${item.row.id}); ask again.`)
      }
      out.push(parsed.result)
    }
    return out
  } finally {
    await handle.close()
  }
}

/** The sweep spec of a run folder's manifest, or null when the folder has none (killed before writing it). */
async function specOf(dir: string): Promise<SweepSpec | null> {
  const file = path.join(dir, MANIFEST_FILE)
  let raw: unknown
  try {
    raw = JSON.parse(await fs.readFile(file, 'utf8'))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw new ApiFailure('invalid-request', `${file}: cannot be read (${(error as Error).message}).`)
  }
  try {
    return parseSweepSpec(isObject(raw) ? raw.spec : undefined)
  } catch (error) {
    throw new ApiFailure('invalid-request', `${file} (field "spec"): ${(error as Error).message}`)
  }
}

/** The values a General Points result's verifier scored its cards with, from the sweep's variant rule. */
function gpValues(spec: SweepSpec, result: CellResult): number[] | null {
  if (result.task !== 'gp') return null
  const entry = spec.variants.find((v) => variantName(v) === result.variant)
  const difficulty = spec.difficulties.findIndex((d) => d.name === result.difficulty)
  if (entry === undefined || difficulty < 0) return null
  const variant = variantOf(entry)
  const instance = instanceAt(sweepInstanceSet(spec, difficulty), result.instance)
  if (variant.task !== 'gp' || instance.task !== 'gp') return null
  return scoredValues(instance, variant)
}
