/**
 * @module core/eval/cache
 * A content-addressed generation cache: re-running an unchanged cell costs nothing. The key of a
 * generation is a hash of the model (its files' hash and the provider that ran it), the prompt (its
 * token ids when the client can tokenize, else its text or messages) and the resolved sampling
 * parameters with the seed, so any change that could change the output misses.
 *
 * Greedy requests (temperature 0) ignore the seed, so their key drops it: repeats of a greedy cell
 * share one entry. Only finished, non-cancelled generations are stored.
 */
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
} from '../model/client.ts'
import { resolveSamplingParams, type SamplingParams } from '../model/params.ts'

/** Where cached generations live (the Node side keeps one append-only file per model). */
export interface GenerationCache {
  get(key: string): Promise<GenerateResult | undefined>
  put(key: string, result: GenerateResult): Promise<void>
}

/** What identifies the model a cache entry was made with. */
export interface ModelIdentity {
  /** A hash of every file the model loads from. */
  readonly modelHash: string
  /** The execution provider that ran it (`cpu`, `cuda`, ...): numerics differ between providers. */
  readonly provider: string
}

/** The parts of a generation key. */
export interface GenerationKeyParts extends ModelIdentity {
  /** The prompt's token ids, or the prompt itself when the client cannot tokenize. */
  readonly prompt: readonly number[] | GeneratePrompt
  /** A fork's forced continuation of the prompt (`GenerateRequest.prefixTokenIds`); part of the key. */
  readonly prefixTokenIds?: readonly number[]
  readonly params: SamplingParams
}

/** Bump when the key's canonical form changes, so old entries stop matching. */
const KEY_VERSION = 1

/** JSON with object keys sorted at every level, so equal values give equal text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null'
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`
}

/** The cache key of a generation: `hash` of the canonical JSON of its parts. */
export function generationKey(parts: GenerationKeyParts, hash: (text: string) => string): string {
  const { prompt } = parts
  const promptPart = Array.isArray(prompt)
    ? { tokens: prompt }
    : typeof prompt === 'string'
      ? { text: prompt }
      : { messages: (prompt as { messages: unknown }).messages }
  const params = parts.params.temperature === 0 ? { ...parts.params, seed: 0 } : parts.params
  const { modelHash, provider } = parts
  // An empty or absent prefix adds nothing, so keys of plain generations stay as they were.
  const prefix = parts.prefixTokenIds !== undefined && parts.prefixTokenIds.length > 0 ? parts.prefixTokenIds : undefined
  return hash(canonicalJson({ v: KEY_VERSION, modelHash, provider, prompt: promptPart, prefix, params }))
}

// Results this module answered from a cache, so a runner can count cached generations per cell.
const fromCache = new WeakSet<GenerateResult>()

/** True when `result` came out of a `CachingModelClient`'s cache rather than the model. */
export function servedFromCache(result: GenerateResult): boolean {
  return fromCache.has(result)
}

let nextId = 0

/** Wraps a client: a generation whose key is cached is answered from the cache. */
export class CachingModelClient implements ModelClient {
  /** Generations answered from the cache. */
  hits = 0
  /** Generations that went to the model. */
  misses = 0
  /** Present exactly when the wrapped client can tokenize. */
  readonly tokenize?: (prompt: GeneratePrompt) => Promise<number[]>

  constructor(
    private readonly inner: ModelClient,
    private readonly cache: GenerationCache,
    private readonly identity: ModelIdentity,
    private readonly hash: (text: string) => string,
  ) {
    const tokenize = inner.tokenize
    if (tokenize !== undefined) this.tokenize = (prompt) => tokenize.call(inner, prompt)
  }

  info(): Promise<ModelInfo> {
    return this.inner.info()
  }

  /** The key a request would be cached under. */
  async keyOf(request: GenerateRequest): Promise<string> {
    const params = resolveSamplingParams(request.params ?? {})
    const prompt = this.inner.tokenize === undefined ? request.prompt : await this.inner.tokenize(request.prompt)
    const { prefixTokenIds } = request
    return generationKey({ ...this.identity, prompt, ...(prefixTokenIds === undefined ? {} : { prefixTokenIds }), params }, this.hash)
  }

  async generate(
    request: GenerateRequest,
    onEvent?: (event: GenerateEvent) => void,
    signal?: AbortSignalLike,
  ): Promise<GenerateResult> {
    const [result] = await this.generateBatch([request], onEvent, signal)
    return result
  }

  async generateBatch(
    requests: readonly GenerateRequest[],
    onEvent?: (event: GenerateEvent) => void,
    signal?: AbortSignalLike,
  ): Promise<GenerateResult[]> {
    const named = requests.map((r) => (r.id === undefined ? { ...r, id: `cache-${++nextId}` } : r))
    const keys = await Promise.all(named.map((r) => this.keyOf(r)))
    const found = await Promise.all(keys.map((key) => this.cache.get(key)))
    const results: (GenerateResult | undefined)[] = found.map((hit, i) => {
      if (hit === undefined) return undefined
      this.hits++
      const result: GenerateResult = { ...hit, id: named[i].id as string }
      fromCache.add(result)
      replay(result, onEvent)
      return result
    })
    const missing = named.filter((_, i) => results[i] === undefined)
    if (missing.length > 0) {
      this.misses += missing.length
      const generated =
        missing.length === 1
          ? [await this.inner.generate(missing[0], onEvent, signal)]
          : await this.inner.generateBatch(missing, onEvent, signal)
      let k = 0
      for (let i = 0; i < results.length; i++) {
        if (results[i] !== undefined) continue
        const result = generated[k++]
        results[i] = result
        if (result.finishReason !== 'cancelled') await this.cache.put(keys[i], result)
      }
    }
    return results as GenerateResult[]
  }

  score(request: ScoreRequest): Promise<ScoreResult> {
    return this.inner.score(request)
  }

  cancel(id?: string): void {
    this.inner.cancel(id)
  }

  dispose(): Promise<void> {
    return this.inner.dispose()
  }
}

/** Streams a cached result as a live one would end: its tokens (the text on the first), then `done`. */
function replay(result: GenerateResult, onEvent: ((event: GenerateEvent) => void) | undefined): void {
  if (onEvent === undefined) return
  result.tokens.forEach((token, i) => {
    onEvent({ type: 'token', id: result.id, token, delta: i === 0 ? result.text : '' })
  })
  onEvent({ type: 'done', result })
}
