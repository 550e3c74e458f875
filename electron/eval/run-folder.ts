/**
 * @module electron/eval/run-folder
 * The on-disk record of an evaluation run, one folder per run:
 *
 *     manifest.json   what ran: the sweep spec, each model's files and hashes, the provider that bound,
 *                     library versions, start and end times, status (written atomically at the start
 *                     and rewritten at the end)
 *     results.jsonl   one finished cell per line (a `CellResult` with a top-level `id`), appended as
 *                     each cell finishes
 *     prompts.jsonl   `{"hash", "text"}` once per distinct prompt; results refer to prompts by hash
 *                     (sha256 of the UTF-8 text, its first 16 hex digits: eval-service.ts `promptHash`)
 *     summary.json    the aggregates, written atomically when the run completes or is cancelled
 *
 * Each line is appended within a single write (a result's new prompts in one write, then the
 * result in the next), so a killed process leaves every finished cell on disk and at most one torn
 * last line per file, which resume cuts off. A damaged line anywhere else is not
 * something an interrupted run can produce, so reading stops with an error naming the file and line.
 */
import fs from 'node:fs'
import os from 'node:os'
import { createRequire } from 'node:module'
import path from 'node:path'
import { parseSweepSpec, type ModelSpec, type SweepSpec } from '../../core/eval/spec.ts'
import type { RunSink } from '../../core/eval/runner.ts'
import { RESULT_FORMAT_VERSION, type Aggregate, type CellResult } from '../../core/eval/types.ts'
import { writeFileAtomic } from '../services/atomic.ts'
import type { ModelFileRecord } from './model-hash.ts'

/** Version of the run folder layout (`manifest.format`). */
export const RUN_FORMAT_VERSION = 1

export const MANIFEST_FILE = 'manifest.json'
export const RESULTS_FILE = 'results.jsonl'
export const PROMPTS_FILE = 'prompts.jsonl'
export const SUMMARY_FILE = 'summary.json'

/** A model of the run as it was actually opened. */
export interface RunModel {
  readonly name: string
  /** The backend exactly as the sweep spec gives it. */
  readonly backend: ModelSpec['backend']
  /** Where it was loaded from: the resolved model folder, or the endpoint URLs. */
  readonly location: string
  /** The execution provider that bound (`cpu`, `cuda`, ...; `openai` for HTTP backends). */
  readonly provider: string
  /** The files the model loaded (empty for HTTP backends). */
  readonly files: readonly ModelFileRecord[]
  /** sha256 over the files' `path:sha256` list (HTTP backends: over the served model's name). */
  readonly modelHash: string
}

/** Versions of what produced the run. */
export interface RunVersions {
  readonly sftbench: string
  readonly node: string
  readonly onnxruntimeNode: string
  readonly platform: string
}

export type RunStatus = 'running' | 'completed' | 'cancelled' | 'failed'

/** `manifest.json`. */
export interface RunManifest {
  readonly format: typeof RUN_FORMAT_VERSION
  readonly spec: SweepSpec
  /** The sweep file the spec came from (absolute), or null when the spec was given directly. */
  readonly sweepFile: string | null
  readonly models: readonly RunModel[]
  readonly versions: RunVersions
  /** The sweep seed (also in `spec`), repeated here for readers that skim. */
  readonly seed: number
  /** ISO 8601 times. */
  readonly startedAt: string
  /** Every time the run was resumed. */
  readonly resumedAt: readonly string[]
  readonly endedAt: string | null
  readonly status: RunStatus
  readonly cells: { readonly total: number; readonly done: number }
  /** Why the run failed (status `failed`), else null. */
  readonly error: string | null
  /**
   * The process writing the run (the latest start or resume), so a reader can tell a run still
   * going from one whose process was killed. Absent in folders written before it was recorded.
   */
  readonly writer?: RunWriterProcess
}

/** A process writing a run folder. */
export interface RunWriterProcess {
  readonly pid: number
  readonly host: string
}

/** This process, as a run's writer. */
export function thisWriter(): RunWriterProcess {
  return { pid: process.pid, host: os.hostname() }
}

/**
 * What is known of a run's writer: `gone` when it ran on this machine and no process has its id any
 * more, `alive` when it ran here and its process still exists, `unknown` otherwise (another machine,
 * a folder written before writers were recorded). A reused process id reads as alive, the safe side.
 */
export function writerState(writer: unknown): 'gone' | 'alive' | 'unknown' {
  if (!isObject(writer) || writer.host !== os.hostname() || !Number.isInteger(writer.pid) || (writer.pid as number) <= 0) return 'unknown'
  try {
    process.kill(writer.pid as number, 0)
    return 'alive'
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'ESRCH' ? 'gone' : 'alive'
  }
}

/**
 * The process writing a `running` run when it is another live process on this machine, else null:
 * such a folder is neither interrupted nor resumable until that process ends. `state` is the
 * writer's `writerState`, for a caller that has it already.
 */
export function otherLiveWriter(
  manifest: { readonly status?: unknown; readonly writer?: unknown } | null | undefined,
  state: ReturnType<typeof writerState> = writerState(manifest?.writer),
): RunWriterProcess | null {
  const writer = manifest?.writer
  if (manifest?.status !== 'running' || state !== 'alive') return null
  const { pid, host } = writer as RunWriterProcess
  return pid === process.pid ? null : { pid, host }
}

/** `summary.json`. */
export interface RunSummary {
  readonly status: 'completed' | 'cancelled'
  readonly done: number
  readonly total: number
  readonly aggregates: readonly Aggregate[]
}

/** Everything a run folder holds, read back. */
export interface RunData {
  readonly dir: string
  /** Null when the run was killed before its manifest was written. */
  readonly manifest: RunManifest | null
  readonly spec: SweepSpec
  /** The finished cells, in file order. */
  readonly results: CellResult[]
  /** Prompt texts by hash. */
  readonly prompts: Map<string, string>
  readonly summary: RunSummary | null
  /** True when `results.jsonl` or `prompts.jsonl` ended in a torn (incomplete) line; it was ignored. */
  readonly tornLine: boolean
}

/** A run folder that cannot be read: the message names the file (and line) and the fix. */
export class RunFolderError extends Error {
  override name = 'RunFolderError'
}

/** The versions of sftbench, Node and onnxruntime-node in this process. */
export function currentVersions(): RunVersions {
  const require = createRequire(import.meta.url)
  const version = (pkg: string): string => {
    try {
      return (require(pkg) as { version?: string }).version ?? 'unknown'
    } catch {
      // Not installed: the run could not have used it, which is what the manifest should say.
      return 'not installed'
    }
  }
  return {
    sftbench: version('../../package.json'),
    node: process.version,
    onnxruntimeNode: version('onnxruntime-node/package.json'),
    platform: `${process.platform}-${process.arch}`,
  }
}

// ---------------------------------------------------------------------------------------------
// Reading

/** One line of a JSON Lines file. */
interface Line {
  /** 1-based line number. */
  readonly number: number
  readonly text: string
  /** Byte offset of the line's start, and its length in bytes (without the newline). */
  readonly offset: number
  readonly bytes: number
  /** False for a last line that has no newline. */
  readonly terminated: boolean
}

/** Splits chunks of a file into lines, keeping byte offsets (shared by the sync and async readers). */
class LineSplitter {
  private carry: Buffer = Buffer.alloc(0)
  private carryOffset = 0
  private number = 0

  /** The complete lines the chunk ends. */
  push(chunk: Buffer): Line[] {
    const data = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk
    const lines: Line[] = []
    let start = 0
    for (let nl = data.indexOf(10, start); nl >= 0; nl = data.indexOf(10, start)) {
      const text = data.toString('utf8', start, nl)
      lines.push({ number: ++this.number, text, offset: this.carryOffset + start, bytes: nl - start, terminated: true })
      start = nl + 1
    }
    this.carryOffset += start
    this.carry = Buffer.from(data.subarray(start))
    return lines
  }

  /** The last line when the file does not end with a newline. */
  end(): Line[] {
    if (this.carry.length === 0) return []
    const text = this.carry.toString('utf8')
    return [{ number: ++this.number, text, offset: this.carryOffset, bytes: this.carry.length, terminated: false }]
  }
}

const CHUNK_BYTES = 1 << 20

/** The lines of a file, read in chunks, so files of any size (beyond V8's string limit) work. */
async function* readLines(file: string): AsyncGenerator<Line> {
  const handle = await fs.promises.open(file, 'r')
  try {
    const chunk = Buffer.alloc(CHUNK_BYTES)
    const splitter = new LineSplitter()
    for (let position = 0; ; ) {
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, position)
      if (bytesRead === 0) break
      position += bytesRead
      yield* splitter.push(chunk.subarray(0, bytesRead))
    }
    yield* splitter.end()
  } finally {
    await handle.close()
  }
}

/** `readLines`, synchronously (for iterables that must not load a whole file). */
function* readLinesSync(file: string): Generator<Line> {
  const fd = fs.openSync(file, 'r')
  try {
    const chunk = Buffer.alloc(CHUNK_BYTES)
    const splitter = new LineSplitter()
    for (let position = 0; ; ) {
      const bytesRead = fs.readSync(fd, chunk, 0, chunk.length, position)
      if (bytesRead === 0) break
      position += bytesRead
      yield* splitter.push(chunk.subarray(0, bytesRead))
    }
    yield* splitter.end()
  } finally {
    fs.closeSync(fd)
  }
}

/** What `readJsonLines` found besides the records. */
interface JsonLinesTail {
  /** Bytes up to the end of the last complete line (where a torn line starts), or the file size. */
  readonly validBytes: number
  readonly torn: boolean
  /** The last line parsed but has no newline (an append must add one first). */
  readonly missingNewline: boolean
}

/** Parses one line; null for a blank line. Returns the problem instead of the value when it is bad. */
function parseLine(line: Line, check: (value: unknown) => string | null): { value: unknown; problem: string | null } | null {
  if (line.text.trim() === '') return null
  try {
    const value = JSON.parse(line.text) as unknown
    return { value, problem: check(value) }
  } catch (error) {
    return { value: undefined, problem: `not valid JSON (${(error as Error).message})` }
  }
}

function damagedLine(file: string, line: Line, problem: string): RunFolderError {
  return new RunFolderError(
    `${file} line ${line.number}: ${problem}. Only the last line of ${path.basename(file)} can be cut short by an ` +
      'interrupted run, so this file was damaged or edited; delete or repair that line, or start a new run.',
  )
}

/**
 * Parses a JSON Lines file, checking each record with `check` (which returns an error message or
 * null). A last line without a newline that does not parse is a torn write and is skipped; any other
 * bad line throws a `RunFolderError` naming the file and line. Blank lines are skipped.
 */
async function readJsonLines<T>(
  file: string,
  check: (value: unknown) => string | null,
  onRecord: (record: T, line: number) => void,
): Promise<JsonLinesTail> {
  let validBytes = 0
  let torn = false
  let missingNewline = false
  for await (const line of readLines(file)) {
    const parsed = parseLine(line, check)
    if (parsed === null || parsed.problem !== null) {
      if (!line.terminated) {
        // The last append of a killed process (or stray blanks): everything before it is intact.
        torn = line.text.length > 0
        break
      }
      if (parsed !== null && parsed.problem !== null) throw damagedLine(file, line, parsed.problem)
      validBytes = line.offset + line.bytes + 1
      continue
    }
    onRecord(parsed.value as T, line.number)
    validBytes = line.offset + line.bytes + (line.terminated ? 1 : 0)
    missingNewline = !line.terminated
  }
  return { validBytes, torn, missingNewline }
}

/**
 * The records of a JSON Lines file that `readJsonLines` has checked (and resume has repaired), read
 * lazily one line at a time, so a long run's results never sit in memory together.
 */
function* streamJsonLines<T>(file: string, check: (value: unknown) => string | null): Generator<T> {
  if (!fs.existsSync(file)) return
  for (const line of readLinesSync(file)) {
    const parsed = parseLine(line, check)
    if (parsed === null) continue
    // The file was checked when the run was opened; a line that went bad since is still named.
    if (parsed.problem !== null) throw damagedLine(file, line, parsed.problem)
    yield parsed.value as T
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * The shape checks of a results line (enough to key, pair and aggregate it; not every field): null
 * when it passes, else what is wrong. The app's results index uses the same checks.
 */
export function checkResult(value: unknown): string | null {
  if (!isObject(value)) return 'not a JSON object'
  if (value.v !== RESULT_FORMAT_VERSION) {
    return `result format ${JSON.stringify(value.v)}, but this sftbench reads format ${RESULT_FORMAT_VERSION}`
  }
  for (const field of ['id', 'key', 'model', 'variant', 'difficulty'] as const) {
    if (typeof value[field] !== 'string') return `field "${field}" is missing or not a string`
  }
  if (typeof value.success !== 'boolean') return 'field "success" is missing or not a boolean'
  return null
}

function checkPrompt(value: unknown): string | null {
  if (!isObject(value)) return 'not a JSON object'
  if (typeof value.hash !== 'string' || typeof value.text !== 'string') return 'a prompt line needs string "hash" and "text"'
  return null
}

/** Reads and parses a JSON file of the run folder, or null when it is absent. */
async function readJsonFile(file: string): Promise<unknown> {
  let text: string
  try {
    text = await fs.promises.readFile(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw error
  }
  try {
    return JSON.parse(text) as unknown
  } catch (error) {
    throw new RunFolderError(
      `${file}: not valid JSON (${(error as Error).message}). It is written atomically, so it was edited or damaged; ` +
        'restore it, or delete it and resume the run with its sweep file.',
      { cause: error },
    )
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.promises.access(file)
    return true
  } catch {
    return false
  }
}

/** Parses a sweep spec found in a file, prefixing the validation message with the file. */
function specFrom(value: unknown, where: string): SweepSpec {
  try {
    return parseSweepSpec(value)
  } catch (error) {
    throw new RunFolderError(`${where}: ${(error as Error).message}`, { cause: error })
  }
}

/** Reads the manifest, checking its format, or null when absent. */
async function readManifest(dir: string): Promise<RunManifest | null> {
  const file = path.join(dir, MANIFEST_FILE)
  const raw = await readJsonFile(file)
  if (raw === null) return null
  if (!isObject(raw)) throw new RunFolderError(`${file}: expected a JSON object.`)
  if (raw.format !== RUN_FORMAT_VERSION) {
    throw new RunFolderError(
      `${file}: run folder format ${JSON.stringify(raw.format)}, but this sftbench reads format ${RUN_FORMAT_VERSION}.`,
    )
  }
  const spec = specFrom(raw.spec, `${file} (field "spec")`)
  return { ...(raw as unknown as RunManifest), spec, resumedAt: Array.isArray(raw.resumedAt) ? raw.resumedAt : [] }
}

/** Options of `readRun`. */
export interface ReadRunOptions {
  /** The sweep to use when the folder has no manifest (a run killed before writing it). */
  readonly spec?: SweepSpec
}

/**
 * Reads a run folder: the manifest (null when absent), every finished cell, the prompts and the
 * summary. A torn last line of `results.jsonl` or `prompts.jsonl` is ignored (`tornLine`). Throws a
 * `RunFolderError` when the folder is missing, when a line other than the last is damaged, or when
 * the folder has no manifest and no `spec` is given.
 */
export async function readRun(dir: string, options: ReadRunOptions = {}): Promise<RunData> {
  const loaded = await loadRun(dir, { ...options, keepResults: true, keepPromptTexts: true })
  return loaded.data
}

interface LoadedRun {
  readonly data: RunData
  readonly results: JsonLinesTail | null
  readonly prompts: JsonLinesTail | null
  /** Number of results read (also when they were not kept). */
  readonly resultCount: number
}

/** What `loadRun` keeps in memory: a resume needs only ids and hashes, a report everything. */
interface LoadOptions extends ReadRunOptions {
  readonly keepResults: boolean
  readonly keepPromptTexts: boolean
}

async function loadRun(dir: string, options: LoadOptions): Promise<LoadedRun> {
  const stat = await fs.promises.stat(dir).catch(() => null)
  if (!stat?.isDirectory()) throw new RunFolderError(`${dir}: no such run folder.`)
  const manifest = await readManifest(dir)
  const spec = manifest?.spec ?? options.spec
  if (spec === undefined) {
    throw new RunFolderError(
      `${path.join(dir, MANIFEST_FILE)} is missing (the run was stopped before writing it), so the sweep is unknown; ` +
        `give the sweep file: sftbench eval SWEEP.json --resume ${dir}`,
    )
  }

  const results: CellResult[] = []
  const firstLine = new Map<string, number>()
  const resultsFile = path.join(dir, RESULTS_FILE)
  const resultsTail = (await exists(resultsFile))
    ? await readJsonLines<CellResult>(resultsFile, checkResult, (record, line) => {
        const first = firstLine.get(record.id)
        if (first !== undefined) {
          throw new RunFolderError(
            `${resultsFile} line ${line}: cell ${record.id} appears again (first on line ${first}); ` +
              'a run records each cell once, so the file was edited or two runs wrote to it; delete one of the lines.',
          )
        }
        firstLine.set(record.id, line)
        if (options.keepResults) results.push(record)
      })
    : null

  const prompts = new Map<string, string>()
  const promptsFile = path.join(dir, PROMPTS_FILE)
  const promptsTail = (await exists(promptsFile))
    ? await readJsonLines<{ hash: string; text: string }>(promptsFile, checkPrompt, (record) => {
        if (!prompts.has(record.hash)) prompts.set(record.hash, options.keepPromptTexts ? record.text : '')
      })
    : null

  const summaryRaw = await readJsonFile(path.join(dir, SUMMARY_FILE))
  const summary = isObject(summaryRaw) ? (summaryRaw as unknown as RunSummary) : null
  return {
    data: {
      dir,
      manifest,
      spec,
      results,
      prompts,
      summary,
      tornLine: Boolean(resultsTail?.torn) || Boolean(promptsTail?.torn),
    },
    results: resultsTail,
    prompts: promptsTail,
    resultCount: firstLine.size,
  }
}

// ---------------------------------------------------------------------------------------------
// Writing

/** What a run starts with. */
export interface RunStart {
  readonly spec: SweepSpec
  readonly models: readonly RunModel[]
  /** The number of cells of the sweep. */
  readonly total: number
  readonly sweepFile?: string | null
  /** Default: `currentVersions()`. */
  readonly versions?: RunVersions
}

/**
 * A run folder checked and repaired for resuming. Only ids and prompt hashes are held in memory;
 * `results()` reads the finished cells back from disk as it is iterated, so resuming a long run
 * costs no more memory than running it.
 */
export interface ResumableRun {
  readonly dir: string
  /** The sweep: the manifest's, or the one given (the given one's `concurrency` wins). */
  readonly spec: SweepSpec
  /** Null when the run was killed before writing it. */
  readonly manifest: RunManifest | null
  /** Cells already recorded. */
  readonly done: number
  /** Hashes of the prompts already recorded. */
  readonly promptHashes: ReadonlySet<string>
  /** Lines cut off because a kill tore them (0, 1 or 2: results and prompts). */
  readonly tornLinesRemoved: number
  /** The recorded cells, read lazily from `results.jsonl` (each iteration reads the file again). */
  results(): Iterable<CellResult>
}

/**
 * Creates the folder of a new run (and its parents), or checks that an existing one holds no run.
 * Creating it before the models load lets a run killed while loading be resumed from its folder.
 */
export async function prepareRunDir(dir: string): Promise<void> {
  await fs.promises.mkdir(dir, { recursive: true })
  for (const file of [MANIFEST_FILE, RESULTS_FILE, PROMPTS_FILE]) {
    if (await exists(path.join(dir, file))) {
      throw new RunFolderError(
        `${dir} already holds a run (${file}); resume it with --resume ${dir}, or choose another --out folder.`,
      )
    }
  }
}

/**
 * Creates a new run folder (and its parents) and writes its manifest. Refuses a folder that already
 * holds a run (resume it instead); an existing empty folder is fine.
 */
export async function createRun(dir: string, start: RunStart): Promise<RunWriter> {
  await prepareRunDir(dir)
  const now = new Date().toISOString()
  const manifest = newManifest(start, now, [], 0)
  return RunWriter.open(dir, manifest, new Set())
}

/**
 * Reads a run folder to resume it, and cuts off a torn last line of `results.jsonl` and
 * `prompts.jsonl`, so appends continue on a clean line. The spec comes from the manifest; a folder
 * without one (killed before writing it) needs `specFromCli`. When both exist they must describe the
 * same sweep (only `concurrency` may differ; the CLI's value wins).
 */
export async function openRunForResume(dir: string, specFromCli?: SweepSpec): Promise<ResumableRun> {
  const loaded = await loadRun(dir, { spec: specFromCli, keepResults: false, keepPromptTexts: false })
  const writer = otherLiveWriter(loaded.data.manifest)
  if (writer !== null) {
    throw new RunFolderError(
      `${dir} is still being written by process ${writer.pid}; resuming now would write every cell twice. ` +
        'Wait for that sweep to end, or stop it, then resume.',
    )
  }
  let spec = loaded.data.spec
  if (loaded.data.manifest !== null && specFromCli !== undefined) {
    assertSameSweep(loaded.data.manifest.spec, specFromCli, dir)
    spec = specFromCli
  }
  let removed = 0
  for (const [file, tail] of [
    [RESULTS_FILE, loaded.results],
    [PROMPTS_FILE, loaded.prompts],
  ] as const) {
    if (tail === null) continue
    const full = path.join(dir, file)
    if (tail.torn) {
      await fs.promises.truncate(full, tail.validBytes)
      removed++
    } else if (tail.missingNewline) {
      await fs.promises.appendFile(full, '\n')
    }
  }
  const resultsFile = path.join(dir, RESULTS_FILE)
  return {
    dir,
    spec,
    manifest: loaded.data.manifest,
    done: loaded.resultCount,
    promptHashes: new Set(loaded.data.prompts.keys()),
    tornLinesRemoved: removed,
    results: () => ({ [Symbol.iterator]: () => streamJsonLines<CellResult>(resultsFile, checkResult) }),
  }
}

/**
 * Opens a writer on a folder read by `openRunForResume`, rewriting its manifest (status `running`,
 * this resume's time added; the original start time is kept).
 */
export async function resumeRun(resumable: ResumableRun, start: RunStart): Promise<RunWriter> {
  const { manifest: previous } = resumable
  const now = new Date().toISOString()
  const manifest = newManifest(
    start,
    previous?.startedAt ?? now,
    previous === null ? [] : [...previous.resumedAt, now],
    resumable.done,
  )
  return RunWriter.open(resumable.dir, manifest, resumable.promptHashes)
}

function newManifest(start: RunStart, startedAt: string, resumedAt: readonly string[], done: number): RunManifest {
  return {
    format: RUN_FORMAT_VERSION,
    spec: start.spec,
    sweepFile: start.sweepFile ?? null,
    models: start.models,
    versions: start.versions ?? currentVersions(),
    seed: start.spec.seed,
    startedAt,
    resumedAt,
    endedAt: null,
    status: 'running',
    cells: { total: start.total, done },
    error: null,
    writer: thisWriter(),
  }
}

/** The top-level fields on which two specs differ, ignoring `concurrency`. */
function assertSameSweep(stored: SweepSpec, given: SweepSpec, dir: string): void {
  const keys = new Set([...Object.keys(stored), ...Object.keys(given)])
  keys.delete('concurrency')
  const differing = [...keys].filter(
    (k) => JSON.stringify((stored as Record<string, unknown>)[k]) !== JSON.stringify((given as Record<string, unknown>)[k]),
  )
  if (differing.length > 0) {
    throw new RunFolderError(
      `The sweep file differs from the one ${dir} was started with (fields: ${differing.join(', ')}); resuming would ` +
        'mix two sweeps. Resume without the sweep file (the manifest has it), or start a new run with --out.',
    )
  }
}

/** Lines buffers start at; they grow to the largest batch written and shrink back after a huge one. */
const LINE_BUFFER_BYTES = 1 << 16
const LINE_BUFFER_KEEP_BYTES = 1 << 22

/**
 * JSON Lines encoded into one reusable buffer and appended with one `write` call. Encoding each
 * line into a fresh Buffer (or joining lines into one string first) cost an allocation per line,
 * which was most of the store's cost per cell.
 */
class LineBuffer {
  private bytes = Buffer.allocUnsafe(LINE_BUFFER_BYTES)
  private length = 0

  get empty(): boolean {
    return this.length === 0
  }

  /** Adds `line` (without its newline) and a newline. */
  add(line: string): void {
    // A UTF-16 unit takes at most 3 bytes in UTF-8 (a surrogate pair, 2 units, takes 4).
    const needed = this.length + 3 * line.length + 1
    if (needed > this.bytes.length) {
      const grown = Buffer.allocUnsafe(Math.max(needed, 2 * this.bytes.length))
      this.bytes.copy(grown, 0, 0, this.length)
      this.bytes = grown
    }
    // No encoding argument: UTF-8 is the default, and naming it costs an allocation per call.
    this.length += this.bytes.write(line, this.length)
    this.bytes[this.length++] = 0x0a
  }

  /** Appends everything added since the last flush to `fd`: one `write` unless the OS writes less. */
  flushTo(fd: number): void {
    for (let offset = 0; offset < this.length; ) offset += fs.writeSync(fd, this.bytes, offset, this.length - offset)
    this.length = 0
    if (this.bytes.length > LINE_BUFFER_KEEP_BYTES) this.bytes = Buffer.allocUnsafe(LINE_BUFFER_BYTES)
  }
}

/**
 * Appends results and prompts to a run folder as cells finish (a `RunSink` for the runner), and
 * writes the summary and the final manifest at the end. Each result goes to disk with one write,
 * after the prompts it refers to.
 */
export class RunWriter implements RunSink {
  /** Prompts announced since the last result, written just before it. */
  private readonly pendingPrompts = new LineBuffer()
  private readonly resultLine = new LineBuffer()
  private closed = false
  private constructor(
    readonly dir: string,
    private manifest: RunManifest,
    /** Prompt hashes already in the folder from earlier sessions. */
    private readonly recordedPrompts: ReadonlySet<string>,
    private readonly resultsFd: number,
    private readonly promptsFd: number,
    /** Cells recorded in the folder, earlier runs included. */
    private doneCells: number,
  ) {}

  /** Opens the files for appending and writes the manifest. */
  static async open(dir: string, manifest: RunManifest, recordedPrompts: ReadonlySet<string>): Promise<RunWriter> {
    await writeFileAtomic(path.join(dir, MANIFEST_FILE), manifestText(manifest))
    const resultsFd = fs.openSync(path.join(dir, RESULTS_FILE), 'a')
    const promptsFd = fs.openSync(path.join(dir, PROMPTS_FILE), 'a')
    return new RunWriter(dir, manifest, recordedPrompts, resultsFd, promptsFd, manifest.cells.done)
  }

  /** The manifest as last written. */
  get currentManifest(): RunManifest {
    return this.manifest
  }

  /** Cells recorded in the folder, earlier runs included. */
  get done(): number {
    return this.doneCells
  }

  /**
   * Queues a prompt's text; it is written with the next result. Hashes recorded by earlier sessions
   * of the run are skipped; within a session the runner announces each hash once, so this keeps no
   * set of its own that would grow with the sweep.
   */
  prompt(hash: string, text: string): void {
    if (this.recordedPrompts.has(hash)) return
    this.pendingPrompts.add(JSON.stringify({ hash, text }))
  }

  /** Appends a finished cell, after the prompts queued so far. */
  result(result: CellResult): void {
    if (this.closed) throw new Error(`The run writer of ${this.dir} is closed; results can no longer be added.`)
    if (!this.pendingPrompts.empty) this.pendingPrompts.flushTo(this.promptsFd)
    this.resultLine.add(JSON.stringify(idFirst(result)))
    this.resultLine.flushTo(this.resultsFd)
    this.doneCells++
  }

  /**
   * Ends the run: flushes the files to disk, writes `summary.json` (completed or cancelled runs)
   * and rewrites the manifest with the end time, status and cell counts. Closes the writer.
   */
  async finish(end: { status: RunStatus; total: number; aggregates?: readonly Aggregate[]; error?: string }): Promise<void> {
    this.flushAndClose()
    if ((end.status === 'completed' || end.status === 'cancelled') && end.aggregates !== undefined) {
      const summary: RunSummary = { status: end.status, done: this.doneCells, total: end.total, aggregates: end.aggregates }
      await writeFileAtomic(path.join(this.dir, SUMMARY_FILE), `${JSON.stringify(summary, null, 2)}\n`)
    }
    this.manifest = {
      ...this.manifest,
      endedAt: new Date().toISOString(),
      status: end.status,
      cells: { total: end.total, done: this.doneCells },
      error: end.error ?? null,
    }
    await writeFileAtomic(path.join(this.dir, MANIFEST_FILE), manifestText(this.manifest))
  }

  /** Closes the files without writing a summary (idempotent). */
  close(): void {
    this.flushAndClose()
  }

  private flushAndClose(): void {
    if (this.closed) return
    this.closed = true
    if (!this.pendingPrompts.empty) this.pendingPrompts.flushTo(this.promptsFd)
    for (const fd of [this.resultsFd, this.promptsFd]) {
      fs.fsyncSync(fd)
      fs.closeSync(fd)
    }
  }
}

/**
 * The result with `id` as its first field, so the line reads (and greps) by cell. The runner builds
 * results that way already; copying them only to reorder would cost a second object per cell.
 */
function idFirst(result: CellResult): CellResult {
  for (const key in result) {
    if (key === 'id') return result
    break
  }
  const { id, ...rest } = result
  return { id, ...rest }
}

function manifestText(manifest: RunManifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`
}
