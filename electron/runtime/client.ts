/**
 * @module electron/runtime/client
 * `WorkerModelClient`: core's `ModelClient` over a model loaded in a `worker_threads` worker, so
 * inference never blocks the calling thread. This module does not load onnxruntime itself.
 *
 *     const client = await startModelWorker({ dir: 'models/qwen2.5-0.5b', provider: 'auto' })
 *     const result = await client.generate({ prompt: 'Hello', params: { maxNewTokens: 16 } }, onEvent)
 *     await client.dispose()
 *
 * The worker runs the TypeScript sources through tsx's loader, registered inside the worker before
 * the worker module is imported (a loader registered on the main thread does not reach workers).
 */
import { createRequire } from 'node:module'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import type {
  AbortSignalLike,
  GenerateEvent,
  GeneratePrompt,
  GenerateRequest,
  GenerateResult,
  ModelClient,
  ModelInfo,
  ScoreRequest,
  ScoreResult,
} from '../../core/model/client.ts'
import type { DecoderStats } from './decoder.ts'
import type { LoadOptions, LoadReport } from './engine.ts'
import { WORKER_FLAG, fromWire, type FromWorker, type ToWorker } from './protocol.ts'

interface Pending {
  readonly resolve: (value: unknown) => void
  readonly reject: (error: Error) => void
  readonly onEvent?: (event: GenerateEvent) => void
  /** The generation requests of the call, cancelled if `onEvent` throws. */
  readonly ids?: readonly string[]
}

/** The script a worker starts from: register tsx, then import the worker module. */
function bootstrapUrl(): URL {
  const require = createRequire(import.meta.url)
  const tsxApi = pathToFileURL(path.join(path.dirname(require.resolve('tsx/package.json')), 'dist/esm/api/index.mjs'))
  const workerModule = new URL('./worker.ts', import.meta.url)
  const code =
    `import { register } from ${JSON.stringify(tsxApi.href)}\n` +
    'register()\n' +
    `await import(${JSON.stringify(workerModule.href)})\n`
  return new URL(`data:text/javascript,${encodeURIComponent(code)}`)
}

/**
 * Starts a worker and loads the model in it. Rejects with `ModelFolderError` or
 * `ProviderUnavailableError` (rebuilt from the worker's) when the model cannot be loaded; the
 * worker is stopped then.
 */
export async function startModelWorker(options: LoadOptions): Promise<WorkerModelClient> {
  const worker = new Worker(bootstrapUrl(), { workerData: { [WORKER_FLAG]: true } })
  const client = new WorkerModelClient(worker)
  try {
    client.report = (await client.call({ op: 'load', call: 0, options })) as LoadReport
  } catch (error) {
    await worker.terminate()
    throw error
  }
  return client
}

let nextId = 0

/** A `ModelClient` whose model lives in a worker thread. */
export class WorkerModelClient implements ModelClient {
  /** What loading did (provider that bound, graph file, warnings). */
  report: LoadReport | undefined
  private readonly pending = new Map<number, Pending>()
  private nextCall = 1
  private closed: Error | undefined

  constructor(private readonly worker: Worker) {
    worker.on('message', (message: FromWorker) => this.receive(message))
    worker.on('error', (error) => this.close(error))
    worker.on('exit', (code) => this.close(new Error(`The model worker exited (code ${code}); start a new one with startModelWorker.`)))
  }

  info(): Promise<ModelInfo> {
    return this.call({ op: 'info', call: 0 }) as Promise<ModelInfo>
  }

  /** The decoder's counters, from the worker. */
  stats(): Promise<DecoderStats> {
    return this.call({ op: 'stats', call: 0 }) as Promise<DecoderStats>
  }

  async generate(
    request: GenerateRequest,
    onEvent?: (event: GenerateEvent) => void,
    signal?: AbortSignalLike,
  ): Promise<GenerateResult> {
    const [result] = await this.run([request], false, onEvent, signal)
    return result
  }

  generateBatch(
    requests: readonly GenerateRequest[],
    onEvent?: (event: GenerateEvent) => void,
    signal?: AbortSignalLike,
  ): Promise<GenerateResult[]> {
    return this.run(requests, true, onEvent, signal)
  }

  score(request: ScoreRequest): Promise<ScoreResult> {
    return this.call({ op: 'score', call: 0, request }) as Promise<ScoreResult>
  }

  /** The prompt's token ids, as the model in the worker would see them (chat messages through its template). */
  tokenize(prompt: GeneratePrompt): Promise<number[]> {
    return this.call({ op: 'tokenize', call: 0, prompt }) as Promise<number[]>
  }

  cancel(id?: string): void {
    if (!this.closed) this.post({ op: 'cancel', ...(id === undefined ? {} : { id }) })
  }

  /** Disposes the model in the worker and stops the worker. */
  async dispose(): Promise<void> {
    if (this.closed) return
    try {
      await this.call({ op: 'dispose', call: 0 })
    } finally {
      this.close(new Error('The model client was disposed; start a new one with startModelWorker.'))
      await this.worker.terminate()
    }
  }

  /** Posts a request and resolves with the worker's answer. */
  call(message: ToWorker, onEvent?: (event: GenerateEvent) => void, ids?: readonly string[]): Promise<unknown> {
    if (this.closed) return Promise.reject(this.closed)
    const call = this.nextCall++
    return new Promise((resolve, reject) => {
      this.pending.set(call, { resolve, reject, onEvent, ids })
      this.post({ ...message, call } as ToWorker)
    })
  }

  private async run(
    requests: readonly GenerateRequest[],
    batch: boolean,
    onEvent?: (event: GenerateEvent) => void,
    signal?: AbortSignalLike,
  ): Promise<GenerateResult[]> {
    // Ids are given here so that an abort can name the requests it cancels.
    const named = requests.map((r) => (r.id === undefined ? { ...r, id: `w${++nextId}` } : r))
    const onAbort = (): void => {
      for (const r of named) this.cancel(r.id)
    }
    signal?.addEventListener('abort', onAbort)
    try {
      const ids = named.map((r) => r.id as string)
      const pending = this.call({ op: 'generate', call: 0, requests: named, batch }, onEvent, ids)
      // Posted after the requests, so the worker knows them when the cancel arrives.
      if (signal?.aborted) onAbort()
      return (await pending) as GenerateResult[]
    } finally {
      signal?.removeEventListener?.('abort', onAbort)
    }
  }

  private post(message: ToWorker): void {
    this.worker.postMessage(message)
  }

  private receive(message: FromWorker): void {
    const pending = this.pending.get(message.call)
    if (!pending) return
    if (message.op === 'event') {
      try {
        pending.onEvent?.(message.event)
      } catch (error) {
        // As on one thread: a throwing listener fails its call, and its requests stop.
        this.pending.delete(message.call)
        for (const id of pending.ids ?? []) this.cancel(id)
        pending.reject(error instanceof Error ? error : new Error(String(error)))
      }
      return
    }
    this.pending.delete(message.call)
    if (message.op === 'result') {
      pending.resolve(message.value)
    } else {
      pending.reject(fromWire(message.error))
    }
  }

  private close(error: Error): void {
    if (this.closed) return
    this.closed = error
    for (const p of this.pending.values()) p.reject(error)
    this.pending.clear()
  }
}
