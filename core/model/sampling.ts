/**
 * @module core/model/sampling
 * Choosing the next token from a row of logits, and the log-probabilities reported for probing.
 *
 * - **Reported log-probabilities** are log-softmax of the *raw* logits: the model's own
 *   distribution, before temperature and filters (what Hugging Face calls `output_logits`, not the
 *   processed `output_scores`). A token's log-probability therefore does not change with the
 *   sampling settings, and greedy and sampled runs can be compared token by token.
 * - **Sampling** applies the filters in Hugging Face's order: temperature, top-k, top-p, min-p.
 *   `temperature: 0` is greedy (the most likely token, the lowest id on a tie), and the filters
 *   then have no effect.
 * - **Ties** are broken by token id wherever a filter cuts a ranking: tokens are ranked by
 *   probability, then by lower id. Top-k keeps exactly k tokens and top-p the shortest prefix of that
 *   ranking whose mass reaches p. (Hugging Face keeps every token tied with the k-th and breaks top-p
 *   ties in sort order; the two differ only on exactly equal logits.)
 * - Each sampled token draws exactly one `nextFloat()` from the request's own `Rng`, so a request's
 *   tokens depend only on its seed and its logits, never on what else runs in the same batch.
 *
 * Work is done in float64 in reused scratch buffers; the cost per token is a few passes over the
 * vocabulary (top-p finds its nucleus by bucketing, never by sorting the whole vocabulary).
 */
import type { Rng } from '../rng/rng.ts'
import type { SamplingParams } from './params.ts'

/** A token id with its natural-log probability. */
export interface IdLogprob {
  readonly id: number
  readonly logprob: number
}

/** The filter settings `sampleToken` reads. */
export type SamplingFilters = Pick<SamplingParams, 'temperature' | 'topK' | 'topP' | 'minP'>

/**
 * The id of the largest logit (the lowest id on a tie). Throws unless every logit is a number below
 * +Infinity and at least one is finite. One pass: it runs once per generated token.
 */
function bestLogit(logits: ArrayLike<number>): number {
  let max = -Infinity
  let best = -1
  for (let i = 0; i < logits.length; i++) {
    const x = logits[i]
    if (x > max) {
      max = x
      best = i
    } else if (!(x <= max)) {
      // Neither above nor at most the running max: NaN. Report the first bad logit, which is an
      // earlier +Infinity if the running max is one.
      throw max === Infinity ? invalidLogit(best, max) : invalidLogit(i, x)
    }
  }
  if (max === Infinity) throw invalidLogit(best, max)
  if (best < 0) {
    throw new Error(`All ${logits.length} logits are -Infinity; the model gives no token any probability.`)
  }
  return best
}

function invalidLogit(i: number, x: number): Error {
  return new Error(`Logit of token ${i} is ${x}; the model produced invalid output (check the model file and its dtype).`)
}

/** The largest logit; throws as `bestLogit` does. */
function maxLogit(logits: ArrayLike<number>): number {
  return logits[bestLogit(logits)]
}

// exp(d) for d <= 0 as 2^(-k/64) * e^r with k = round(-d * 64 / ln 2) and |r| <= ln 2 / 128: two
// table lookups and a degree-5 polynomial, within 1e-15 of Math.exp and about three times faster.
// Log-probabilities need one exp per vocabulary entry per token, which makes this the inner loop of
// generation for large vocabularies.
const EXP_STEPS = 64
const EXP_SCALE = EXP_STEPS / Math.LN2
// ln 2 / 64 split in two, so that k * LN2_HI is exact (Cody and Waite).
const LN2_HI = 0.6931471803691238 / EXP_STEPS
const LN2_LO = 1.9082149292705877e-10 / EXP_STEPS
// Adding and subtracting 1.5 * 2^52 rounds a double to an integer.
const ROUND = 6755399441055744
// 2^(-j/64) for j < 64, and 2^-q for q < 1024 (exp of anything below -700 is taken as 0).
const EXP_FRACTION = Float64Array.from({ length: EXP_STEPS }, (_, j) => 2 ** (-j / EXP_STEPS))
const EXP_WHOLE = Float64Array.from({ length: 1024 }, (_, q) => 2 ** -q)

/**
 * `sum(exp(logits[i] - max))` in float64, where `max` is the largest logit (so every term is at most
 * 1). Terms below e^-700 are dropped: the sum is at least 1, so they cannot change it.
 */
function sumExp(logits: ArrayLike<number>, max: number): number {
  let sum = 0
  for (let i = 0; i < logits.length; i++) {
    const d = logits[i] - max
    if (d > -700) {
      const kf = d * EXP_SCALE - ROUND + ROUND // round(d * 64 / ln 2), an integer <= 0
      const r = d - kf * LN2_HI - kf * LN2_LO
      const k = -kf | 0
      const p = 1 + r * (1 + r * (0.5 + r * (1 / 6 + r * (1 / 24 + r * (1 / 120)))))
      sum += EXP_WHOLE[k >> 6] * EXP_FRACTION[k & 63] * p
    }
  }
  return sum
}

/** `log(sum(exp(logits)))`, computed stably in float64. */
export function logSumExp(logits: ArrayLike<number>): number {
  const max = maxLogit(logits)
  return max + Math.log(sumExp(logits, max))
}

/** Log-softmax of `logits` into `out` (a new array when omitted); `out` may be `logits` itself. */
export function logSoftmax(logits: Float32Array, out?: Float32Array): Float32Array {
  const target = out ?? new Float32Array(logits.length)
  if (target.length !== logits.length) {
    throw new RangeError(`logSoftmax: out has ${target.length} entries but logits has ${logits.length}.`)
  }
  const lse = logSumExp(logits)
  for (let i = 0; i < logits.length; i++) target[i] = logits[i] - lse
  return target
}

/** The most likely token: the largest logit, the lowest id on a tie. */
export function argmax(logits: ArrayLike<number>): number {
  return bestLogit(logits)
}

/** True when token `a` (value `va`) ranks above token `b`: larger value, then lower id. */
function ranksAbove(va: number, a: number, vb: number, b: number): boolean {
  return va > vb || (va === vb && a < b)
}

/**
 * The ids of the `k` highest `values`, best first (ties: lower id first). A bounded min-heap, so
 * O(n log k) time and O(k) space.
 */
export function topKIds(values: ArrayLike<number>, k: number): number[] {
  const n = Math.min(k, values.length)
  if (n <= 0) return []
  // heap[0] is the worst of the kept ids.
  const heap: number[] = []
  const worse = (a: number, b: number): boolean => ranksAbove(values[b], b, values[a], a)
  const siftDown = (start: number): void => {
    let i = start
    for (;;) {
      const l = 2 * i + 1
      const r = l + 1
      let w = i
      if (l < heap.length && worse(heap[l], heap[w])) w = l
      if (r < heap.length && worse(heap[r], heap[w])) w = r
      if (w === i) return
      const t = heap[i]
      heap[i] = heap[w]
      heap[w] = t
      i = w
    }
  }
  for (let id = 0; id < values.length; id++) {
    const v = values[id]
    if (v !== v) continue // NaN never ranks
    if (heap.length < n) {
      heap.push(id)
      let i = heap.length - 1
      while (i > 0) {
        const parent = (i - 1) >> 1
        if (!worse(heap[i], heap[parent])) break
        const t = heap[i]
        heap[i] = heap[parent]
        heap[parent] = t
        i = parent
      }
    } else if (ranksAbove(v, id, values[heap[0]], heap[0])) {
      heap[0] = id
      siftDown(0)
    }
  }
  return heap.sort((a, b) => (ranksAbove(values[a], a, values[b], b) ? -1 : 1))
}

/**
 * The `k` most likely tokens of a log-probability row (or of raw logits, then pass their
 * `logSumExp` as `logNormalizer` to get log-probabilities), best first, ties by lower id.
 */
export function topKLogprobs(logprobs: Float32Array, k: number, logNormalizer = 0): IdLogprob[] {
  return topKIds(logprobs, k).map((id) => ({ id, logprob: logprobs[id] - logNormalizer }))
}

// Scratch buffers reused across calls (sampling is synchronous, so one set is enough).
let weightScratch = new Float64Array(0)
let idScratch = new Int32Array(0)

function scratch(n: number): { weights: Float64Array; ids: Int32Array } {
  if (weightScratch.length < n) {
    weightScratch = new Float64Array(n)
    idScratch = new Int32Array(n)
  }
  return { weights: weightScratch, ids: idScratch }
}

/**
 * The distribution sampling draws from: `ids` (in the order the draw walks them) with unnormalised
 * `weights` (relative to the most likely token, whose weight is 1). Valid until the next call.
 */
interface Candidates {
  readonly ids: Int32Array
  readonly weights: Float64Array
  readonly count: number
}

function checkFilters(f: SamplingFilters): void {
  if (!(f.temperature > 0 && f.temperature < Infinity)) {
    throw new RangeError(`temperature must be positive and finite to sample; got ${f.temperature}.`)
  }
  if (!(f.topP > 0 && f.topP <= 1)) throw new RangeError(`topP must be in (0, 1]; got ${f.topP}.`)
  if (!(f.minP >= 0 && f.minP <= 1)) throw new RangeError(`minP must be in [0, 1]; got ${f.minP}.`)
  if (!(Number.isInteger(f.topK) && f.topK >= 0)) throw new RangeError(`topK must be an integer >= 0; got ${f.topK}.`)
}

/**
 * Applies temperature, top-k, top-p and min-p (in that order) to `logits` and returns the surviving
 * tokens with their weights. `max` is the largest logit.
 */
function candidates(logits: Float32Array, f: SamplingFilters, max: number): Candidates {
  const vocab = logits.length
  const { weights, ids } = scratch(vocab)
  const invT = 1 / f.temperature
  let count = 0
  // After temperature, weight_i = exp((x_i - max) / T) = p_i / p_max.
  if (f.topK > 0 && f.topK < vocab) {
    // Top-p then measures mass within the top k (renormalised), as Hugging Face does.
    let total = 0
    for (const id of topKIds(logits, f.topK)) {
      ids[count] = id
      weights[count] = Math.exp((logits[id] - max) * invT)
      total += weights[count]
      count++
    }
    if (f.topP < 1) count = nucleusPrefix(weights, count, f.topP * total)
  } else if (f.topP < 1) {
    count = nucleus(logits, invT, max, f.topP, weights, ids)
  } else {
    for (let id = 0; id < vocab; id++) {
      ids[id] = id
      weights[id] = Math.exp((logits[id] - max) * invT)
    }
    count = vocab
  }
  if (f.minP > 0) {
    // p_i >= minP * p_max  <=>  weight_i >= minP. The top token (weight 1) always survives.
    let kept = 0
    for (let j = 0; j < count; j++) {
      if (weights[j] >= f.minP) {
        ids[kept] = ids[j]
        weights[kept] = weights[j]
        kept++
      }
    }
    count = kept
  }
  return { ids, weights, count }
}

// Buckets per refinement round of the nucleus search, and the size below which a bucket is sorted.
const NUCLEUS_BUCKETS = 256
const NUCLEUS_SORT_BELOW = 1024

/**
 * The top-p nucleus of the whole vocabulary, found without sorting it: the candidates are bucketed by
 * logit, whole buckets are kept from the top while their mass stays under `wanted`, and the search
 * goes on inside the bucket where `wanted` is reached, until it is small enough to sort. Writes the
 * nucleus into `ids` / `weights` (not in rank order; the draw does not need it) and returns its size.
 */
function nucleus(
  logits: Float32Array,
  invT: number,
  max: number,
  topP: number,
  weights: Float64Array,
  ids: Int32Array,
): number {
  const vocab = logits.length
  const { byId, cand, bucketMass } = nucleusScratch(vocab)
  // Candidates stay in increasing id order, which is the tie order among equal logits.
  let n = 0
  let total = 0
  let lo = Infinity
  for (let id = 0; id < vocab; id++) {
    const x = logits[id]
    const w = Math.exp((x - max) * invT)
    byId[id] = w
    total += w
    if (x > -Infinity) {
      cand[n++] = id
      if (x < lo) lo = x
    }
  }
  let hi = max
  const wanted = topP * total
  let acc = 0
  let count = 0
  const keep = (id: number): boolean => {
    ids[count] = id
    weights[count] = byId[id]
    count++
    acc += byId[id]
    return acc >= wanted
  }
  for (;;) {
    const scale = NUCLEUS_BUCKETS / (hi - lo)
    if (!(hi > lo && scale < Infinity)) {
      // All candidates tie: their order is id order, as they stand.
      for (let j = 0; j < n; j++) if (keep(cand[j])) return count
      return count
    }
    if (n <= NUCLEUS_SORT_BELOW) {
      const ranked = Array.from(cand.subarray(0, n)).sort((a, b) => logits[b] - logits[a] || a - b)
      for (const id of ranked) if (keep(id)) return count
      return count // rounding left the target just out of reach: keep everything
    }
    const bucketOf = (id: number): number => Math.min(NUCLEUS_BUCKETS - 1, Math.floor((logits[id] - lo) * scale))
    bucketMass.fill(0)
    for (let j = 0; j < n; j++) bucketMass[bucketOf(cand[j])] += byId[cand[j]]
    let boundary = NUCLEUS_BUCKETS - 1
    let above = acc
    while (boundary >= 0 && above + bucketMass[boundary] < wanted) above += bucketMass[boundary--]
    // Keep the buckets above the boundary whole; search on inside the boundary bucket.
    let m = 0
    let nextLo = Infinity
    let nextHi = -Infinity
    for (let j = 0; j < n; j++) {
      const id = cand[j]
      const b = bucketOf(id)
      if (b > boundary) {
        keep(id)
      } else if (b === boundary) {
        cand[m++] = id
        if (logits[id] < nextLo) nextLo = logits[id]
        if (logits[id] > nextHi) nextHi = logits[id]
      }
    }
    acc = above
    if (boundary < 0 || m === 0) return count
    n = m
    lo = nextLo
    hi = nextHi
  }
}

let byIdScratch = new Float64Array(0)
let candScratch = new Int32Array(0)
const bucketScratch = new Float64Array(NUCLEUS_BUCKETS)

function nucleusScratch(n: number): { byId: Float64Array; cand: Int32Array; bucketMass: Float64Array } {
  if (byIdScratch.length < n) {
    byIdScratch = new Float64Array(n)
    candScratch = new Int32Array(n)
  }
  return { byId: byIdScratch, cand: candScratch, bucketMass: bucketScratch }
}

/** The length of the shortest ranked prefix whose mass reaches `wanted` (at least 1). */
function nucleusPrefix(weights: Float64Array, count: number, wanted: number): number {
  let mass = 0
  for (let j = 0; j < count; j++) {
    mass += weights[j]
    if (mass >= wanted) return j + 1
  }
  return count
}

/** A chosen token and its log-probability under the raw (unfiltered, temperature 1) distribution. */
export interface SampledToken {
  readonly id: number
  readonly logprob: number
  /** `logSumExp` of the raw logits, for turning other logits into log-probabilities. */
  readonly logNormalizer: number
}

/**
 * Picks the next token: greedy when `temperature` is 0, else a draw from the filtered distribution
 * using exactly one `rng.nextFloat()`.
 */
export function sampleToken(logits: Float32Array, params: SamplingFilters, rng: Rng): SampledToken {
  const best = bestLogit(logits)
  const max = logits[best]
  const lse = max + Math.log(sumExp(logits, max))
  if (params.temperature === 0) return { id: best, logprob: logits[best] - lse, logNormalizer: lse }
  checkFilters(params)
  const c = candidates(logits, params, max)
  let total = 0
  for (let j = 0; j < c.count; j++) total += c.weights[j]
  const u = rng.nextFloat() * total
  let acc = 0
  let chosen = c.ids[0]
  for (let j = 0; j < c.count; j++) {
    const w = c.weights[j]
    if (w === 0) continue
    acc += w
    chosen = c.ids[j]
    if (u < acc) break
  }
  return { id: chosen, logprob: logits[chosen] - lse, logNormalizer: lse }
}

/**
 * The exact distribution `sampleToken` draws from for these settings, as a map from token id to
 * probability (tokens with probability 0 left out). For tests, displays and probing.
 */
export function samplingDistribution(logits: Float32Array, params: SamplingFilters): Map<number, number> {
  const out = new Map<number, number>()
  if (params.temperature === 0) {
    out.set(argmax(logits), 1)
    return out
  }
  checkFilters(params)
  const c = candidates(logits, params, maxLogit(logits))
  let total = 0
  for (let j = 0; j < c.count; j++) total += c.weights[j]
  for (let j = 0; j < c.count; j++) if (c.weights[j] > 0) out.set(c.ids[j], c.weights[j] / total)
  return out
}
