/**
 * @module core/model/scheduler
 * Continuous batching over a `DecoderBackend`. Requests wait in a FIFO queue; whenever slots are
 * free, the next requests are prefilled into them, and every step decodes all active slots together.
 * Each row stops on its own (EOS, a stop string, `maxNewTokens`, the context limit, cancellation)
 * and its slot goes to the next queued request at once.
 *
 * A request's tokens depend only on its prompt, its parameters and its seed: sampling draws from the
 * request's own `Rng` (`rngFor(seed, 'sample')`), never from a shared stream, so batch composition and
 * timing cannot change a result. Scoring runs through the same machinery with the continuation's
 * tokens forced instead of sampled.
 *
 * The scheduler is pure: time comes from an injected `Clock`, and it never waits except on the
 * backend. Cancellation resolves a request immediately (with the tokens it has); its slot is freed
 * when the backend call in flight returns.
 */
import { rngFor } from '../rng/rng.ts'
import type { Rng, SeedPart } from '../rng/rng.ts'
import type { DecoderBackend, PrefillRow, TokenCodec } from './backend.ts'
import type {
  AbortSignalLike,
  Clock,
  FinishReason,
  GenerateEvent,
  GenerateResult,
  ScoreResult,
  TokenInfo,
  TokenLogprob,
} from './client.ts'
import { IncrementalDecoder } from './detokenize.ts'
import type { SamplingParams } from './params.ts'
import { SamplingParamsSchema } from './params.ts'
import { SharedPrefixTracker } from './prefix.ts'
import { logSumExp, sampleToken, topKIds } from './sampling.ts'
import { StopMatcher } from './stop.ts'

/** One tokenized request. */
export interface SchedulerRequest {
  /** Unique among the requests in flight. */
  readonly id: string
  /** The prompt's token ids (at least one). */
  readonly promptIds: readonly number[]
  /** Resolved sampling parameters (see `resolveSamplingParams`). */
  readonly params: SamplingParams
  /**
   * Extra seed path for the request's sampling stream: `rngFor(seed, 'sample', ...rngStream)`.
   * Leave it out and two requests with the same seed and prompt sample the same tokens.
   */
  readonly rngStream?: readonly SeedPart[]
}

/** Streaming and cancellation hooks of one request. */
export interface SubmitOptions {
  readonly onEvent?: (event: GenerateEvent) => void
  readonly signal?: AbortSignalLike
}

/** Settings of a scheduler. */
export interface SchedulerOptions {
  readonly codec: TokenCodec
  /** Token ids that end generation when sampled (`eos_token_id` of `generation_config.json`). */
  readonly eosTokenIds: readonly number[]
  readonly clock: Clock
  /** Execution provider name reported in results (`cpu`, `cuda`, ...). */
  readonly provider: string
  /** Positions the model can attend to; prompt plus completion never exceed it. */
  readonly maxContext?: number
  /** Shortest shared prompt prefix (in tokens) to report to the backend; 0 turns hints off. Default 32. */
  readonly minSharedPrefix?: number
  /** Prompt tokens decoded as context before the completion when detokenizing. Default 5. */
  readonly detokenizeContext?: number
}

/** Counts of requests by state. */
export interface SchedulerStats {
  readonly queued: number
  readonly active: number
  readonly freeSlots: number
}

/** The sampling stream of a request: depends only on its seed (and an optional extra path). */
export function samplingRng(seed: number, stream: readonly SeedPart[] = []): Rng {
  return rngFor(seed, 'sample', ...stream)
}

interface Job {
  readonly id: string
  readonly promptIds: readonly number[]
  readonly params: SamplingParams
  readonly forced: readonly number[] | undefined
  readonly rng: Rng
  readonly onEvent: ((event: GenerateEvent) => void) | undefined
  readonly resolve: (result: GenerateResult) => void
  readonly reject: (error: unknown) => void
  readonly detok: IncrementalDecoder
  readonly stop: StopMatcher
  readonly submittedAt: number
  readonly tokens: TokenInfo[]
  state: 'queued' | 'active' | 'done'
  slot: number
  lastToken: number
  text: string
  stopString: string | undefined
  firstTokenAt: number
  lastTokenAt: number
  detach: (() => void) | undefined
}

/** Continuous-batching scheduler; see the module comment. */
export class BatchScheduler {
  private readonly queue: Job[] = []
  private readonly slots: (Job | undefined)[]
  private readonly byId = new Map<string, Job>()
  private readonly eos: ReadonlySet<number>
  private readonly prefixes: SharedPrefixTracker
  private running = false
  private fault: unknown = undefined
  private idleWaiters: (() => void)[] = []

  constructor(
    private readonly backend: DecoderBackend,
    private readonly options: SchedulerOptions,
  ) {
    if (!Number.isInteger(backend.maxBatch) || backend.maxBatch < 1) {
      throw new RangeError(`The backend's maxBatch must be a positive integer; got ${backend.maxBatch}.`)
    }
    this.slots = new Array<Job | undefined>(backend.maxBatch).fill(undefined)
    this.eos = new Set(options.eosTokenIds)
    this.prefixes = new SharedPrefixTracker(options.minSharedPrefix ?? 32)
  }

  /** Requests waiting, running, and slots free. */
  stats(): SchedulerStats {
    let active = 0
    for (const job of this.slots) if (job !== undefined) active++
    return { queued: this.queue.length, active, freeSlots: this.slots.length - active }
  }

  /**
   * Queues a request; resolves with its result (also when cancelled), rejects on a bad request or a
   * backend failure.
   */
  submit(request: SchedulerRequest, options: SubmitOptions = {}): Promise<GenerateResult> {
    return this.enqueue(request, undefined, options)
  }

  /** Queues several requests together (telling the backend about a prefix they share). */
  submitMany(requests: readonly SchedulerRequest[], options: SubmitOptions = {}): Promise<GenerateResult>[] {
    this.prefixes.addGroup(requests.map((r) => r.promptIds))
    return requests.map((r) => this.enqueue(r, undefined, options))
  }

  /**
   * The log-probability of `continuationIds` after `promptIds`: teacher-forced through the batch, each
   * token scored under log-softmax of the raw logits.
   */
  async score(id: string, promptIds: readonly number[], continuationIds: readonly number[]): Promise<ScoreResult> {
    if (continuationIds.length === 0) {
      return { tokens: [], totalLogprob: 0, greedy: true, promptTokens: promptIds.length }
    }
    const params = SamplingParamsSchema.parse({ maxNewTokens: continuationIds.length, stopOnEos: false })
    // Greedy: each forced token is as likely as the most likely one.
    let allGreedy = true
    const result = await this.enqueue({ id, promptIds, params }, continuationIds, {
      onEvent: (e) => {
        if (e.type === 'token' && e.token.logprob < e.token.top[0].logprob) allGreedy = false
      },
    })
    if (result.finishReason === 'cancelled') {
      throw new Error(`Scoring request "${id}" was cancelled after ${result.tokens.length} tokens.`)
    }
    const tokens: TokenLogprob[] = result.tokens.map((t) => ({ id: t.id, text: t.text, logprob: t.logprob }))
    let total = 0
    for (const t of tokens) total += t.logprob
    return { tokens, totalLogprob: total, greedy: allGreedy, promptTokens: promptIds.length }
  }

  /**
   * Cancels the request `id`, or every request when `id` is omitted. Each resolves at once with
   * finish reason `cancelled` and the tokens generated so far. Returns how many were cancelled.
   */
  cancel(id?: string): number {
    const jobs = id === undefined ? [...this.byId.values()] : [this.byId.get(id)].filter((j) => j !== undefined)
    for (const job of jobs) this.finish(job, 'cancelled', this.flushText(job))
    return jobs.length
  }

  /** Resolves when nothing is queued or running and every slot has been released. */
  idle(): Promise<void> {
    if (!this.running) return Promise.resolve()
    return new Promise((resolve) => this.idleWaiters.push(resolve))
  }

  private enqueue(
    request: SchedulerRequest,
    forced: readonly number[] | undefined,
    options: SubmitOptions,
  ): Promise<GenerateResult> {
    try {
      if (this.fault !== undefined) {
        const detail = this.fault instanceof Error ? this.fault.message : String(this.fault)
        throw new Error(`The scheduler stopped after a backend fault (${detail}); load the model again.`, {
          cause: this.fault,
        })
      }
      this.validate(request)
    } catch (error) {
      return Promise.reject(error)
    }
    return new Promise<GenerateResult>((resolve, reject) => {
      const { promptIds, params } = request
      const context = promptIds.slice(Math.max(0, promptIds.length - (this.options.detokenizeContext ?? 5)))
      const job: Job = {
        id: request.id,
        promptIds,
        params,
        forced,
        rng: samplingRng(params.seed, request.rngStream),
        onEvent: options.onEvent,
        resolve,
        reject,
        detok: new IncrementalDecoder((ids) => this.options.codec.decode(ids), context),
        stop: new StopMatcher(params.stop),
        submittedAt: this.options.clock.now(),
        tokens: [],
        state: 'queued',
        slot: -1,
        lastToken: -1,
        text: '',
        stopString: undefined,
        firstTokenAt: NaN,
        lastTokenAt: NaN,
        detach: undefined,
      }
      this.byId.set(job.id, job)
      this.queue.push(job)
      const signal = options.signal
      if (signal !== undefined) {
        if (signal.aborted) {
          this.finish(job, 'cancelled', '')
          return
        }
        const onAbort = (): void => {
          this.cancel(job.id)
        }
        signal.addEventListener('abort', onAbort)
        job.detach = () => signal.removeEventListener?.('abort', onAbort)
      }
      this.kick()
    })
  }

  private validate(request: SchedulerRequest): void {
    const { id, promptIds } = request
    if (this.byId.has(id)) {
      throw new Error(`Request id "${id}" is already in flight; give each concurrent request its own id.`)
    }
    if (promptIds.length === 0) {
      throw new Error(`Request "${id}" has an empty prompt; the model needs at least one token (e.g. BOS) to start.`)
    }
    const vocab = this.backend.vocabSize
    for (let i = 0; i < promptIds.length; i++) {
      const t = promptIds[i]
      if (!Number.isInteger(t) || t < 0 || t >= vocab) {
        throw new Error(`Request "${id}": prompt token ${i} is ${t}, outside the vocabulary [0, ${vocab}).`)
      }
    }
    const max = this.options.maxContext
    if (max !== undefined && promptIds.length >= max) {
      throw new Error(
        `Request "${id}": the prompt has ${promptIds.length} tokens but the model's context is ${max}; ` +
          'shorten the prompt so there is room to generate.',
      )
    }
  }

  private kick(): void {
    if (this.running) return
    this.running = true
    void this.loop()
  }

  private async loop(): Promise<void> {
    try {
      while (this.queue.length > 0 || this.slots.some((j) => j !== undefined)) await this.step()
    } catch (error) {
      // A fault outside any one request (a throwing release(), say): fail everything rather than
      // leave promises hanging, and refuse further work, since the backend's slots are now unknown.
      const jobs = [...this.byId.values()]
      for (const job of jobs) this.fail(job, error)
      this.queue.length = 0
      this.slots.fill(undefined)
      this.fault = error
    } finally {
      this.running = false
      const waiters = this.idleWaiters
      this.idleWaiters = []
      for (const w of waiters) w()
    }
  }

  /** One round: free finished slots, prefill newcomers into free slots, decode every active slot. */
  private async step(): Promise<void> {
    this.reap()
    const admitted = this.admit()
    if (admitted.length > 0) {
      const rows: PrefillRow[] = admitted.map((job) => {
        const hint = this.prefixes.hintFor(job.promptIds)
        return hint === undefined
          ? { slot: job.slot, tokenIds: job.promptIds }
          : { slot: job.slot, tokenIds: job.promptIds, sharedPrefix: hint }
      })
      const logits = await this.run(admitted, () => this.backend.prefill(rows), 'prefill')
      if (logits !== undefined) for (let i = 0; i < admitted.length; i++) this.accept(admitted[i], logits[i])
    }
    const decoding = this.slots.filter((j): j is Job => j !== undefined && j.state === 'active')
    if (decoding.length > 0) {
      const rows = decoding.map((job) => ({ slot: job.slot, tokenId: job.lastToken }))
      const logits = await this.run(decoding, () => this.backend.decode(rows), 'decode')
      if (logits !== undefined) for (let i = 0; i < decoding.length; i++) this.accept(decoding[i], logits[i])
    }
    this.reap()
  }

  /** Moves queued requests into free slots, lowest slot first. */
  private admit(): Job[] {
    const admitted: Job[] = []
    for (let slot = 0; slot < this.slots.length && this.queue.length > 0; slot++) {
      if (this.slots[slot] !== undefined) continue
      const job = this.queue.shift() as Job
      job.state = 'active'
      job.slot = slot
      this.slots[slot] = job
      admitted.push(job)
    }
    return admitted
  }

  /** Runs one backend call; on failure rejects the requests in it and returns undefined. */
  private async run(
    jobs: readonly Job[],
    call: () => Promise<Float32Array[]>,
    what: 'prefill' | 'decode',
  ): Promise<Float32Array[] | undefined> {
    let logits: Float32Array[]
    try {
      logits = await call()
    } catch (error) {
      for (const job of jobs) this.fail(job, error)
      return undefined
    }
    if (logits.length !== jobs.length) {
      const error = new Error(`The backend's ${what} returned ${logits.length} logits rows for ${jobs.length} rows.`)
      for (const job of jobs) this.fail(job, error)
      return undefined
    }
    return logits
  }

  /** Takes the next token of `job` from its logits row, streams it, and finishes the job if due. */
  private accept(job: Job, logits: Float32Array): void {
    if (job.state !== 'active') return // cancelled while the backend was running
    if (logits.length !== this.backend.vocabSize) {
      this.fail(job, new Error(`A logits row has ${logits.length} values; the vocabulary has ${this.backend.vocabSize}.`))
      return
    }
    const { params, forced } = job
    let id: number
    let logprob: number
    let lse: number
    try {
      if (forced !== undefined) {
        id = forced[job.tokens.length]
        lse = logSumExp(logits)
        logprob = logits[id] - lse
      } else {
        const s = sampleToken(logits, params, job.rng)
        id = s.id
        logprob = s.logprob
        lse = s.logNormalizer
      }
    } catch (error) {
      this.fail(job, error)
      return
    }
    // Scoring always wants the best token, to tell whether the continuation is the greedy one.
    const topCount = forced !== undefined ? Math.max(1, params.topLogprobs) : params.topLogprobs
    const top = topKIds(logits, topCount).map((t) => ({
      id: t,
      text: this.options.codec.tokenText(t),
      logprob: logits[t] - lse,
    }))
    const token: TokenInfo = { id, text: this.options.codec.tokenText(id), logprob, top }
    const now = this.options.clock.now()
    if (job.tokens.length === 0) job.firstTokenAt = now
    job.lastTokenAt = now
    job.tokens.push(token)
    job.lastToken = id

    let delta = ''
    let reason: FinishReason | undefined
    if (forced === undefined && params.stopOnEos && this.eos.has(id)) {
      reason = 'eos'
    } else {
      const pushed = job.stop.push(job.detok.push(id))
      delta = pushed.text
      if (pushed.stop !== undefined) {
        reason = 'stop'
        job.stopString = pushed.stop
      }
    }
    const max = this.options.maxContext
    if (
      reason === undefined &&
      (job.tokens.length >= params.maxNewTokens ||
        (forced !== undefined && job.tokens.length >= forced.length) ||
        (max !== undefined && job.promptIds.length + job.tokens.length >= max))
    ) {
      reason = 'length'
    }
    if (reason !== undefined && reason !== 'stop') delta += this.flushText(job)
    job.text += delta
    // No event object when nobody listens (the common case for batches).
    if (job.onEvent !== undefined && !this.emit(job, { type: 'token', id: job.id, token, delta })) return
    if (reason !== undefined) this.finish(job, reason, '')
  }

  /** The text still held by the detokenizer and the stop matcher, as if the stream ended now. */
  private flushText(job: Job): string {
    if (job.state === 'done') return ''
    const pushed = job.stop.push(job.detok.flush())
    return pushed.text + job.stop.flush()
  }

  /** Calls the request's listener; a throwing listener fails the request. Returns false if it did. */
  private emit(job: Job, event: GenerateEvent): boolean {
    if (job.onEvent === undefined) return true
    try {
      job.onEvent(event)
      return true
    } catch (error) {
      this.fail(job, error)
      return false
    }
  }

  private finish(job: Job, reason: FinishReason, extraText: string): void {
    if (job.state === 'done') return
    job.text += extraText
    const end = this.options.clock.now()
    const n = job.tokens.length
    const totalMs = end - job.submittedAt
    const decodeMs = job.lastTokenAt - job.firstTokenAt
    let tokensPerSecond = 0
    if (n >= 2 && decodeMs > 0) tokensPerSecond = ((n - 1) * 1000) / decodeMs
    else if (n === 1 && totalMs > 0) tokensPerSecond = 1000 / totalMs
    const result: GenerateResult = {
      id: job.id,
      text: job.text,
      tokens: job.tokens,
      finishReason: reason,
      ...(job.stopString === undefined ? {} : { stopString: job.stopString }),
      promptTokens: job.promptIds.length,
      timings: { timeToFirstTokenMs: job.firstTokenAt - job.submittedAt, tokensPerSecond, totalMs },
      provider: this.options.provider,
    }
    this.retire(job)
    try {
      job.onEvent?.({ type: 'done', result })
    } catch (error) {
      job.reject(error)
      return
    }
    job.resolve(result)
  }

  private fail(job: Job, error: unknown): void {
    if (job.state === 'done') return
    this.retire(job)
    job.reject(error)
  }

  /** Marks a job done and forgets it; an active job's slot is released at the next safe point. */
  private retire(job: Job): void {
    if (job.state === 'queued') {
      const i = this.queue.indexOf(job)
      if (i >= 0) this.queue.splice(i, 1)
    }
    job.state = 'done'
    this.byId.delete(job.id)
    job.detach?.()
  }

  /** Releases the slots of finished jobs (only between backend calls). */
  private reap(): void {
    for (let slot = 0; slot < this.slots.length; slot++) {
      const job = this.slots[slot]
      if (job !== undefined && job.state === 'done') {
        this.slots[slot] = undefined
        this.backend.release(slot)
      }
    }
  }
}
