/**
 * @module core/model/prefix
 * Spotting prompts that share a long prefix (the same instruction before many boards), so the
 * backend can compute that prefix's KV cache once. Only hints: a backend may ignore them.
 */
import type { SharedPrefixHint } from './backend.ts'

/** The length of the longest common prefix of two id sequences. */
export function commonPrefixLength(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length)
  let i = 0
  while (i < n && a[i] === b[i]) i++
  return i
}

/** FNV-1a over the ids' 32-bit values, from a given offset basis. */
function fnv1a(ids: readonly number[], length: number, basis: number): number {
  let h = basis >>> 0
  for (let i = 0; i < length; i++) {
    let x = ids[i] >>> 0
    for (let b = 0; b < 4; b++) {
      h ^= x & 0xff
      h = Math.imul(h, 0x01000193) >>> 0
      x >>>= 8
    }
  }
  return h >>> 0
}

/** The key of the first `length` ids: the length plus two independent 32-bit hashes. */
export function prefixKey(ids: readonly number[], length: number): string {
  const a = fnv1a(ids, length, 0x811c9dc5).toString(16).padStart(8, '0')
  const b = fnv1a(ids, length, 0x01234567).toString(16).padStart(8, '0')
  return `${length}-${a}${b}`
}

/**
 * Remembers shared prefixes ("anchors") and finds the one a new prompt starts with. Anchors come
 * from a group submitted together (their common prefix) or from a prompt sharing at least
 * `minLength` tokens with a recent one. An anchor that matches is reused rather than replaced by a
 * slightly longer one, so one instruction keeps one key across many boards; a new anchor is taken
 * only when it is at least `minLength` tokens longer (the same board sampled again, say).
 */
export class SharedPrefixTracker {
  private readonly anchors: number[][] = []
  private readonly recent: (readonly number[])[] = []

  /**
   * `minLength`: the shortest prefix worth a hint (0 turns hints off). `maxAnchors` and
   * `recentPrompts` bound the memory kept.
   */
  constructor(
    private readonly minLength: number,
    private readonly maxAnchors = 16,
    private readonly recentPrompts = 8,
  ) {}

  /** Registers the common prefix of prompts submitted together. */
  addGroup(prompts: readonly (readonly number[])[]): void {
    if (this.minLength <= 0 || prompts.length < 2) return
    let shared = prompts[0].length - 1
    for (const p of prompts) shared = Math.min(shared, p.length - 1, commonPrefixLength(prompts[0], p))
    if (shared >= this.minLength + (this.matching(prompts[0])?.length ?? 0)) {
      this.addAnchor(prompts[0].slice(0, shared))
    }
  }

  /** The hint for a prompt about to be prefilled, learning from it for later prompts. */
  hintFor(prompt: readonly number[]): SharedPrefixHint | undefined {
    if (this.minLength <= 0) return undefined
    let anchor = this.matching(prompt)
    let best = 0
    for (const r of this.recent) best = Math.max(best, commonPrefixLength(r, prompt))
    best = Math.min(best, prompt.length - 1)
    if (best >= this.minLength + (anchor?.length ?? 0)) anchor = this.addAnchor(prompt.slice(0, best))
    this.recent.push(prompt)
    if (this.recent.length > this.recentPrompts) this.recent.shift()
    return anchor === undefined ? undefined : { key: prefixKey(anchor, anchor.length), length: anchor.length }
  }

  /** The longest anchor that is a proper prefix of `prompt`. */
  private matching(prompt: readonly number[]): number[] | undefined {
    let found: number[] | undefined
    for (const a of this.anchors) {
      if (a.length < prompt.length && (found === undefined || a.length > found.length)) {
        if (commonPrefixLength(a, prompt) === a.length) found = a
      }
    }
    return found
  }

  private addAnchor(ids: number[]): number[] {
    this.anchors.push(ids)
    if (this.anchors.length > this.maxAnchors) this.anchors.shift()
    return ids
  }
}
