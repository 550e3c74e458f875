/**
 * @module core/eval/runner
 * Runs a sweep: every cell of the spec not already done, at most `spec.concurrency` at a time,
 * streaming typed events and handing each finished cell to a sink (the run folder), then dropping it.
 *
 * - Bounded: cells come lazily from `cellsOf`; at most `concurrency` are in flight, and a finished
 *   cell keeps nothing in memory but its group's running sums. A level or hand and its prompts are
 *   kept while cells of its instance are in flight or next to start (repeats and variants of one
 *   instance run back to back), and dropped after. What grows with the sweep is the set of prompt hashes already announced to the sink
 *   (16 bytes per distinct prompt, in a typed array) and, on resume, the ids of the previous cells.
 * - Batching: every in-flight episode asks its model for its next turn on its own, so with N cells
 *   in flight a batching client (the local runtime's continuous-batching scheduler, an HTTP server)
 *   sees N requests together.
 * - Determinism: a cell's samples are seeded from its key only (`turnSeed(cell.seed, turn)`), so
 *   results do not depend on concurrency or order.
 * - Resume: `previous` results are skipped and seed the aggregates.
 * - Cancel (`signal`): no new cell starts, in-flight generations are cancelled (`client.cancel(id)`),
 *   and a cell that was interrupted is not recorded (it runs again on resume); finished cells are
 *   all kept. The promise resolves with status `cancelled`.
 * - Errors: a generation that fails while its client still answers `info()` is recorded as the
 *   cell's `backend-error`; a client that no longer answers, a failing sink and any other error stop
 *   the sweep (in-flight cells are cancelled, finished ones kept) and reject with the reason.
 */
import type {
  AbortSignalLike,
  Clock,
  GeneratePrompt,
  GenerateRequest,
  ModelClient,
} from '../model/client.ts'
import type { SamplingParamsInput } from '../model/params.ts'
import { resolveSamplingParams } from '../model/params.ts'
import type { TemplateLibrary } from '../prompt/index.ts'
import { defaultTemplateLibrary, variantVocabularies } from '../experiment/render.ts'
import { renderInstancePrompt } from '../experiment/render.ts'
import { instanceAt, type GpInstance, type Instance, type SokobanInstance } from '../experiment/instance-set.ts'
import type { GpVariantSpec, SokobanVariantSpec, VariantSpec } from '../experiment/variant.ts'
import type { SokobanState } from '../sokoban/level.ts'
import type { ActionVocabulary } from '../sokoban/vocab.ts'
import { SpecError } from '../experiment/schema.ts'
import type { Aggregate, CellRef, CellResult, SweepEvent } from './types.ts'
import { RESULT_FORMAT_VERSION } from './types.ts'
import {
  difficultyValue,
  sweepInstanceSet,
  sweepProtocol,
  sweepVariants,
  type SweepSpec,
} from './spec.ts'
import { belongsToSweep, cellsOf, countCells, turnSeed } from './cells.ts'
import { AggregateTracker } from './metrics.ts'
import { servedFromCache } from './cache.ts'
import { SokobanPrompter, type SokobanPromptRenderer } from './prompts.ts'
import { SokobanLevelFacts, runSokobanCell, type PositionCode } from './sokoban-protocol.ts'
import { runGpCell } from './gp-protocol.ts'
import type { CellOutcome, GenerateTurn, TurnListener, TurnPrompt } from './turns.ts'

/** Where finished cells go (a run folder's writer, a counter in tests). */
export interface RunSink {
  /**
   * Called once per distinct prompt (by hash) before the first result that refers to it. The
   * runner announces each hash once per `runSweep` call; a sink that resumes a folder skips hashes
   * it already holds.
   */
  prompt(hash: string, text: string): void
  /** Called as each cell finishes; the runner awaits it (so a store can flush). */
  result(result: CellResult): void | Promise<void>
}

/** What a sweep runs with. */
export interface SweepDeps {
  /** The client of each model of the spec, by model name (the caller loads them). */
  readonly clients: ReadonlyMap<string, ModelClient>
  readonly clock: Clock
  /** A stable content hash (hex) of a prompt text; the Node side passes sha256 truncated to 16 hex chars. */
  readonly hash: (text: string) => string
  readonly sink?: RunSink
  /** Results already in the run folder (resume): their ids are skipped and they seed the aggregates. */
  readonly previous?: Iterable<CellResult>
  readonly signal?: AbortSignalLike
  readonly onEvent?: (event: SweepEvent) => void
  /** Templates named by the variants; default `defaultTemplateLibrary()`. */
  readonly library?: TemplateLibrary
}

/** How a sweep ended. */
export interface SweepOutcome {
  readonly status: 'completed' | 'cancelled'
  /** Cells finished, previous ones included. */
  readonly done: number
  readonly total: number
  readonly aggregates: Aggregate[]
}

/** A cell stopped by cancellation: not recorded. */
class Interrupted extends Error {
  override name = 'Interrupted'
}

/** A generation that failed; the runner decides whether the cell or the sweep failed. */
class GenerationFailed extends Error {
  override name = 'GenerationFailed'
}

/** Cached material of one instance, shared by the cells that use it. */
interface InstanceEntry {
  readonly key: string
  readonly instance: Instance
  readonly facts: SokobanLevelFacts | null
  /** Prompts by variant index, then by position (Sokoban) or 0 (General Points). */
  readonly prompts: Map<PositionCode, TurnPrompt>[]
  promptCount: number
  /** Cells in flight that use it. */
  users: number
}

/** Prompts an instance keeps before recomputing them (bounds memory when a model wanders far off the plan). */
const MAX_PROMPTS_PER_INSTANCE = 256

/**
 * The set of prompt hashes announced so far. It is the one structure that grows with a sweep, so
 * hashes of 16 hex digits (the run folder's) are kept as two 32-bit words in an open-addressing
 * table, 16 bytes per hash, outside the garbage collector's way; any other hash goes in a `Set`.
 */
class HashSet {
  /** A power-of-two number of slots, at most half full. */
  private words = new Uint32Array(2 * 1024)
  /** Slots in use; slot i holds words 2i and 2i + 1, empty when both are 0 (the zero hash is kept apart). */
  private used = 0
  private zero = false
  private readonly others = new Set<string>()

  /** Adds `hash`; true when it was not there yet. */
  add(hash: string): boolean {
    if (hash.length !== 16) return this.addOther(hash)
    const hi = hexWord(hash, 0)
    const lo = hexWord(hash, 8)
    if (hi < 0 || lo < 0) return this.addOther(hash)
    if (hi === 0 && lo === 0) {
      if (this.zero) return false
      this.zero = true
      return true
    }
    const words = this.words
    const mask = words.length / 2 - 1
    let slot = Math.imul(hi ^ lo, 0x9e3779b1) & mask
    for (;;) {
      const a = words[2 * slot]
      const b = words[2 * slot + 1]
      if (a === 0 && b === 0) break
      if (a === hi && b === lo) return false
      slot = (slot + 1) & mask
    }
    words[2 * slot] = hi
    words[2 * slot + 1] = lo
    if (++this.used * 2 > mask) this.grow()
    return true
  }

  private addOther(hash: string): boolean {
    if (this.others.has(hash)) return false
    this.others.add(hash)
    return true
  }

  private grow(): void {
    const old = this.words
    const words = new Uint32Array(old.length * 2)
    const mask = words.length / 2 - 1
    for (let i = 0; i < old.length; i += 2) {
      const hi = old[i]
      const lo = old[i + 1]
      if (hi === 0 && lo === 0) continue
      let slot = Math.imul(hi ^ lo, 0x9e3779b1) & mask
      while (words[2 * slot] !== 0 || words[2 * slot + 1] !== 0) slot = (slot + 1) & mask
      words[2 * slot] = hi
      words[2 * slot + 1] = lo
    }
    this.words = words
  }
}

/** The 32-bit value of 8 lowercase hex digits of `text` from `at`, or -1 when they are not such digits. */
function hexWord(text: string, at: number): number {
  let value = 0
  for (let i = at; i < at + 8; i++) {
    const c = text.charCodeAt(i)
    const digit = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : -1
    if (digit < 0) return -1
    value = value * 16 + digit
  }
  return value
}

/** Stops in-flight work: set by the caller's signal, a fatal error, or the end of the sweep. */
class StopSignal implements AbortSignalLike {
  aborted = false
  private readonly listeners = new Set<() => void>()
  addEventListener(_type: 'abort', listener: () => void): void {
    this.listeners.add(listener)
  }
  removeEventListener(_type: 'abort', listener: () => void): void {
    this.listeners.delete(listener)
  }
  abort(): void {
    if (this.aborted) return
    this.aborted = true
    for (const listener of [...this.listeners]) listener()
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/** Runs every cell of `spec` not already in `deps.previous`; see the module comment. */
export async function runSweep(spec: SweepSpec, deps: SweepDeps): Promise<SweepOutcome> {
  const run = new SweepRun(spec, deps)
  return run.run()
}

class SweepRun {
  private readonly library: TemplateLibrary
  private readonly variants: readonly VariantSpec[]
  private readonly variantIndex: ReadonlyMap<string, number>
  private readonly difficultyIndex: ReadonlyMap<string, number>
  private readonly values: readonly number[]
  private readonly sampling: ReadonlyMap<string, SamplingParamsInput>
  private readonly protocol: ReturnType<typeof sweepProtocol>
  private readonly tracker: AggregateTracker
  /**
   * Instances with a cell in flight, and the one cells are being drawn from. Cells come in instance
   * order (cells.ts), so an instance is dropped once its last cell finishes and the sweep has moved
   * on: memory holds about `concurrency` instances, and none lives longer than its cells.
   */
  private readonly instances = new Map<string, InstanceEntry>()
  private current: InstanceEntry | undefined
  private readonly instanceSets: ReturnType<typeof sweepInstanceSet>[]
  private readonly prompters = new Map<number, SokobanPrompter>()
  private readonly accepted = new Map<string, ActionVocabulary>()
  private readonly announced = new HashSet()
  private readonly inFlight = new Map<string, ModelClient>()
  private readonly stop = new StopSignal()
  private readonly emit: ((event: SweepEvent) => void) | undefined
  private cancelled = false
  private fatal: unknown = undefined
  private hasFatal = false
  private done = 0

  constructor(
    private readonly spec: SweepSpec,
    private readonly deps: SweepDeps,
  ) {
    this.library = deps.library ?? defaultTemplateLibrary()
    this.variants = sweepVariants(spec)
    this.variantIndex = new Map(this.variants.map((v, i) => [v.name, i]))
    this.difficultyIndex = new Map(spec.difficulties.map((d, i) => [d.name, i]))
    this.values = spec.difficulties.map((_, i) => difficultyValue(spec, i))
    this.instanceSets = spec.difficulties.map((_, i) => sweepInstanceSet(spec, i))
    this.protocol = sweepProtocol(spec)
    this.tracker = new AggregateTracker(spec)
    this.emit = deps.onEvent
    const missing = spec.models.filter((m) => !deps.clients.has(m.name)).map((m) => m.name)
    if (missing.length > 0) {
      const names = missing.map((m) => `"${m}"`).join(', ')
      throw new Error(`runSweep: no client for model(s) ${names}; load every model of the sweep first.`)
    }
    const sampling = new Map<string, SamplingParamsInput>()
    spec.models.forEach((model, i) => {
      try {
        resolveSamplingParams(model.sampling ?? {})
      } catch (error) {
        if (!(error instanceof SpecError)) throw error
        const where = `sweep.models[${i}].sampling`
        const problems = error.problems.map((p) => ({ ...p, path: p.path.replace(/^params/, where) }))
        const lines = problems.map((p) => `  ${p.path}: ${p.message}`)
        throw new SpecError(`Invalid sweep:\n${lines.join('\n')}`, problems)
      }
      sampling.set(model.name, model.sampling ?? {})
    })
    this.sampling = sampling
  }

  async run(): Promise<SweepOutcome> {
    const { spec, deps } = this
    const skip = new Set<string>()
    for (const result of deps.previous ?? []) {
      if (skip.has(result.id) || !belongsToSweep(spec, result)) continue
      skip.add(result.id)
      this.tracker.add(result, this.values[this.difficultyIndex.get(result.difficulty) as number])
    }
    this.done = skip.size
    const total = countCells(spec)
    this.emit?.({ type: 'sweep-started', total, alreadyDone: this.done })
    if (this.emit !== undefined) {
      for (const aggregate of this.tracker.all()) this.emit({ type: 'aggregate', aggregate })
    }

    const onAbort = (): void => {
      this.cancelled = true
      this.halt()
    }
    deps.signal?.addEventListener('abort', onAbort)
    if (deps.signal?.aborted === true) onAbort()
    try {
      const cells = cellsOf(spec)[Symbol.iterator]()
      const next = (): CellRef | undefined => {
        while (!this.stop.aborted) {
          const item = cells.next()
          if (item.done === true) return undefined
          if (!skip.has(item.value.id)) return item.value
        }
        return undefined
      }
      const worker = async (): Promise<void> => {
        for (let cell = next(); cell !== undefined; cell = next()) {
          try {
            await this.runCell(cell)
          } catch (error) {
            this.fail(error)
          }
        }
      }
      const workers = Math.max(1, Math.min(spec.concurrency, total - this.done))
      await Promise.all(Array.from({ length: workers }, worker))
    } finally {
      deps.signal?.removeEventListener?.('abort', onAbort)
    }
    if (this.hasFatal) throw this.fatal
    const status = this.cancelled && this.done < total ? 'cancelled' : 'completed'
    const aggregates = this.tracker.all()
    this.emit?.({ type: 'sweep-finished', status, done: this.done, total, aggregates })
    return { status, done: this.done, total, aggregates }
  }

  /** Stops starting cells and cancels every generation in flight. */
  private halt(): void {
    this.stop.abort()
    for (const [id, client] of this.inFlight) client.cancel(id)
  }

  private fail(error: unknown): void {
    if (!this.hasFatal) {
      this.hasFatal = true
      this.fatal = error
    }
    this.halt()
  }

  /** The instance of a cell that starts, built on first use; `release` it when the cell ends. */
  private acquire(difficulty: number, index: number): InstanceEntry {
    const key = `${difficulty}/${index}`
    let entry = this.instances.get(key)
    if (entry === undefined) {
      const instance = instanceAt(this.instanceSets[difficulty], index)
      const facts = instance.task === 'sokoban' ? new SokobanLevelFacts(instance) : null
      entry = { key, instance, facts, prompts: [], promptCount: 0, users: 0 }
      this.instances.set(key, entry)
    }
    const previous = this.current
    this.current = entry
    if (previous !== undefined && previous !== entry && previous.users === 0) this.instances.delete(previous.key)
    entry.users++
    return entry
  }

  private release(entry: InstanceEntry): void {
    entry.users--
    if (entry.users === 0 && entry !== this.current) this.instances.delete(entry.key)
  }

  private announce(text: string): TurnPrompt {
    const hash = this.deps.hash(text)
    const sink = this.deps.sink
    if (sink !== undefined && this.announced.add(hash)) sink.prompt(hash, text)
    return { text, hash }
  }

  /** The prompt of `variantIndex` at `code` cached on the instance, or undefined. */
  private knownPrompt(entry: InstanceEntry, variantIndex: number, code: PositionCode): TurnPrompt | undefined {
    return entry.prompts[variantIndex]?.get(code)
  }

  /** Hashes and announces a rendered prompt and caches it on the instance. */
  private keepPrompt(entry: InstanceEntry, variantIndex: number, code: PositionCode, text: string): TurnPrompt {
    const prompt = this.announce(text)
    if (entry.promptCount < MAX_PROMPTS_PER_INSTANCE) {
      entry.promptCount++
      const forVariant = (entry.prompts[variantIndex] ??= new Map())
      forVariant.set(code, prompt)
    }
    return prompt
  }

  private prompter(variantIndex: number): SokobanPrompter {
    let prompter = this.prompters.get(variantIndex)
    if (prompter === undefined) {
      prompter = new SokobanPrompter(this.variants[variantIndex] as SokobanVariantSpec, this.library)
      this.prompters.set(variantIndex, prompter)
    }
    return prompter
  }

  private acceptedVocabulary(variantIndex: number, row: number): ActionVocabulary {
    const variant = this.variants[variantIndex] as SokobanVariantSpec
    const shown = variant.vocabulary.shown
    const perRow = typeof shown === 'object' && shown !== null && shown.kind === 'paper-words'
    const key = perRow ? `${variantIndex}@${row}` : `${variantIndex}`
    let vocabulary = this.accepted.get(key)
    if (vocabulary === undefined) {
      vocabulary = variantVocabularies(variant, { row }).accepted
      if (!perRow) this.accepted.set(key, vocabulary)
    }
    return vocabulary
  }

  private generator(
    cell: CellRef,
    variant: VariantSpec,
    counts: { generations: number; cached: number },
  ): GenerateTurn {
    const client = this.deps.clients.get(cell.model) as ModelClient
    const sampling = this.sampling.get(cell.model) as SamplingParamsInput
    const chat = variant.chat.mode === 'model'
    return async (prompt, turn) => {
      if (this.stop.aborted) throw new Interrupted('cancelled')
      const id = `${cell.id}#${turn}`
      const sent: GeneratePrompt = chat ? { messages: [{ role: 'user', content: prompt.text }] } : prompt.text
      const params = { ...sampling, seed: turnSeed(cell.seed, turn) }
      const request: GenerateRequest = { id, prompt: sent, params }
      this.inFlight.set(id, client)
      let result
      try {
        result = await client.generate(request)
      } catch (error) {
        if (this.stop.aborted) throw new Interrupted('cancelled')
        throw new GenerationFailed(messageOf(error), { cause: error })
      } finally {
        this.inFlight.delete(id)
      }
      if (result.finishReason === 'cancelled') {
        if (this.stop.aborted) throw new Interrupted('cancelled')
        throw new GenerationFailed(`The backend cancelled request ${id} on its own.`)
      }
      counts.generations++
      if (servedFromCache(result)) counts.cached++
      return { text: result.text, tokens: result.tokens.length, finishReason: result.finishReason }
    }
  }

  private async runCell(cell: CellRef): Promise<void> {
    const { deps } = this
    const startedMs = deps.clock.now()
    this.emit?.({ type: 'cell-started', cell })
    const variantIndex = this.variantIndex.get(cell.variant) as number
    const variant = this.variants[variantIndex]
    const counts = { generations: 0, cached: 0 }
    const generate = this.generator(cell, variant, counts)
    const emit = this.emit
    const onTurn: TurnListener | undefined =
      emit === undefined
        ? undefined
        : (turn, output, action, tokens) => emit({ type: 'turn', cell, turn, output, action, tokens })
    let outcome: CellOutcome
    let error: string | null = null
    const entry = this.acquire(this.difficultyIndex.get(cell.difficulty) as number, cell.instance)
    try {
      outcome = await this.runTask(entry, variantIndex, generate, onTurn)
    } catch (failure) {
      if (failure instanceof Interrupted) return
      if (!(failure instanceof GenerationFailed)) throw failure
      const client = deps.clients.get(cell.model) as ModelClient
      const answers = await client.info().then(
        () => true,
        () => false,
      )
      if (!answers) {
        throw new Error(
          `Model "${cell.model}" failed (${failure.message}) and no longer answers; the sweep stopped. ` +
            'Finished cells are kept: fix the backend and resume the run.',
          { cause: failure },
        )
      }
      if (this.stop.aborted) return
      error = failure.message
      outcome = backendErrorOutcome()
    } finally {
      this.release(entry)
    }
    const result: CellResult = {
      id: cell.id,
      key: cell.key,
      model: cell.model,
      variant: cell.variant,
      difficulty: cell.difficulty,
      instance: cell.instance,
      repeat: cell.repeat,
      seed: cell.seed,
      v: RESULT_FORMAT_VERSION,
      task: this.spec.task,
      ...outcome,
      error,
      timing: {
        startedMs,
        totalMs: deps.clock.now() - startedMs,
        cachedGenerations: counts.cached,
        generations: counts.generations,
      },
    }
    const stored = deps.sink?.result(result)
    if (stored !== undefined) await stored
    this.done++
    const value = this.values[this.difficultyIndex.get(cell.difficulty) as number]
    if (emit === undefined) {
      this.tracker.count(result, value)
    } else {
      const aggregate = this.tracker.add(result, value)
      emit({ type: 'cell-finished', result })
      emit({ type: 'aggregate', aggregate })
    }
  }

  private runTask(
    entry: InstanceEntry,
    variantIndex: number,
    generate: GenerateTurn,
    onTurn: TurnListener | undefined,
  ): Promise<CellOutcome> {
    const variant = this.variants[variantIndex]
    const { instance } = entry
    if (instance.task === 'gp') {
      const prompt =
        this.knownPrompt(entry, variantIndex, 0) ??
        this.keepPrompt(entry, variantIndex, 0, renderInstancePrompt(instance, variant, this.library))
      return runGpCell({
        instance: instance as GpInstance,
        variant: variant as GpVariantSpec,
        prompt,
        generate,
        ...(onTurn ? { onTurn } : {}),
      })
    }
    const row = instance.index
    const facts = entry.facts as SokobanLevelFacts
    let render: SokobanPromptRenderer | undefined
    const prompt = (state: SokobanState): TurnPrompt => {
      const code = facts.code(state)
      const known = this.knownPrompt(entry, variantIndex, code)
      if (known !== undefined) return known
      render ??= this.prompter(variantIndex).forInstance(instance as SokobanInstance, row)
      return this.keepPrompt(entry, variantIndex, code, render(state))
    }
    return runSokobanCell({
      facts,
      variant: variant as SokobanVariantSpec,
      accepted: this.acceptedVocabulary(variantIndex, row),
      protocol: this.protocol,
      prompt,
      generate,
      ...(onTurn ? { onTurn } : {}),
    })
  }
}

/** The record of a cell whose backend failed: a failure with no trace. */
function backendErrorOutcome(): CellOutcome {
  return {
    success: false,
    validity: 0,
    reward: 0,
    turns: 0,
    steps: 0,
    tokens: 0,
    failure: 'backend-error',
    sokoban: null,
    gp: null,
  }
}
