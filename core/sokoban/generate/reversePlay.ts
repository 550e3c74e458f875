/**
 * @module core/sokoban/generate/reversePlay
 * Phase 3 of gym-sokoban's generator (environments.md §4.1): a depth-first search that plays
 * the game backwards from "every box on its target" and keeps the best-scoring state.
 *
 * Semantics follow gym-sokoban's `depth_first_search`:
 * - 8 actions per state in gym's order: pull up, down, left, right, then move up, down, left,
 *   right. A pull steps the player onto a free cell and drags the box behind it along, if any;
 *   a move only steps.
 * - `searchDepth` is gym's TTL: it is decremented on entry and a state is explored only while it
 *   stays positive, so the longest explored path has `searchDepth - 2` actions. A state first
 *   reached too deep is not marked visited and may still be explored later from a shallower path.
 * - `stateBudget` caps the number of distinct states explored (gym's `len(explored_states)`).
 * - A state is scored once, when first visited, as `boxSwaps × Σ Manhattan(box, its target)`,
 *   and 0 unless every target is uncovered (no box and no player on any target). With the
 *   default `'pulls'` counting, `boxSwaps` is the number of pulls on the path, which is what
 *   gym's code computes (it passes the parent's `last_pull` down, environments.md §11);
 *   `'box-changes'` counts changes of the pulled box instead, as RAGEN's fix does.
 * - A state is identified by the player cell and the *set* of box cells (box identities are not
 *   part of it, as in gym). Unlike gym's serialised grid, the key does not distinguish a box that
 *   was never pulled from one pulled back onto its target; this merges a few states.
 *
 * The implementation keeps one mutable position and applies / undoes actions along an explicit
 * stack, so a node costs a few typed-array writes and one set insertion, with no allocation.
 */
import { StateSet, mix32 } from './stateSet.ts'
import type { Direction } from '../directions.ts'

/** How the score's `boxSwaps` factor counts. */
export type SwapCounting = 'pulls' | 'box-changes'

/** The room and start of one reverse-play search. */
export interface ReversePlayInput {
  readonly rows: number
  readonly cols: number
  /** 1 for floor (targets included), 0 for wall, row-major. The border must be wall. */
  readonly room: Uint8Array
  /** Target cells; box i starts on target i. */
  readonly targets: readonly number[]
  readonly player: number
  readonly searchDepth: number
  readonly stateBudget: number
  readonly swapCounting: SwapCounting
}

/** The best state found and how to reach it backwards. */
export interface ReversePlayResult {
  /** The best score; 0 means no state had every target uncovered with a box moved. */
  readonly score: number
  /** Σ Manhattan(box, its target) of the best state. */
  readonly displacement: number
  readonly player: number
  /** Box cells of the best state, by box identity (box i started on target i). */
  readonly boxes: number[]
  /** The reverse actions from the start to the best state, as the player's move directions. */
  readonly path: Direction[]
  /** Distinct states explored. */
  readonly explored: number
}

const TWO_POW_21 = 2097152

/** Reusable buffers, grown on demand; one search runs at a time (JavaScript is single-threaded). */
const scratch = {
  set: new StateSet(),
  floorIndex: new Int32Array(0),
  boxAt: new Int32Array(0),
  isTarget: new Uint8Array(0),
  cellRow: new Int32Array(0),
  cellCol: new Int32Array(0),
  gridCols: 0,
  boxPos: new Int32Array(0),
  targetRow: new Int32Array(0),
  targetCol: new Int32Array(0),
  sorted: new Int32Array(0),
  nextAction: new Uint8Array(0),
  moveDir: new Uint8Array(0),
  movePulled: new Int32Array(0),
  swaps: new Float64Array(0),
  lastPulled: new Int32Array(0),
  partA: new Float64Array(0),
  partB: new Int32Array(0),
  bestPath: new Uint8Array(0),
}

function ensureScratch(cells: number, cols: number, boxes: number, depth: number): void {
  if (scratch.floorIndex.length < cells) {
    scratch.floorIndex = new Int32Array(cells)
    scratch.boxAt = new Int32Array(cells)
    scratch.isTarget = new Uint8Array(cells)
    scratch.cellRow = new Int32Array(cells)
    scratch.cellCol = new Int32Array(cells)
    scratch.gridCols = 0
  }
  if (scratch.gridCols !== cols) {
    for (let i = 0; i < scratch.cellRow.length; i++) {
      scratch.cellRow[i] = (i / cols) | 0
      scratch.cellCol[i] = i % cols
    }
    scratch.gridCols = cols
  }
  if (scratch.boxPos.length < boxes) {
    scratch.boxPos = new Int32Array(boxes)
    scratch.targetRow = new Int32Array(boxes)
    scratch.targetCol = new Int32Array(boxes)
    scratch.sorted = new Int32Array(boxes)
  }
  if (scratch.nextAction.length < depth + 1) {
    const n = depth + 1
    scratch.nextAction = new Uint8Array(n)
    scratch.moveDir = new Uint8Array(n)
    scratch.movePulled = new Int32Array(n)
    scratch.swaps = new Float64Array(n)
    scratch.lastPulled = new Int32Array(n)
    scratch.partA = new Float64Array(n)
    scratch.partB = new Int32Array(n)
    scratch.bestPath = new Uint8Array(n)
  }
}

// Binomial tables per box count, C(n, r) at n * (boxes + 1) + r, grown to the largest floor seen.
const binomialTables = new Map<number, Float64Array>()

function binomialTable(maxN: number, boxes: number): Float64Array {
  const width = boxes + 1
  const cached = binomialTables.get(boxes)
  if (cached !== undefined && cached.length >= (maxN + 1) * width) return cached
  const rows = Math.max(maxN + 1, 64)
  const table = new Float64Array(rows * width)
  for (let n = 0; n < rows; n++) {
    table[n * width] = 1
    for (let r = 1; r < width; r++) {
      table[n * width + r] = n === 0 ? 0 : table[(n - 1) * width + r - 1] + table[(n - 1) * width + r]
    }
  }
  binomialTables.set(boxes, table)
  return table
}

// Zobrist words per cell for the rare rooms whose exact key would not fit below 2^53: lanes A and
// B for boxes at 4 * cell and 4 * cell + 1, for the player at 4 * cell + 2 and 4 * cell + 3.
let zobrist = new Int32Array(0)

function zobristTable(cells: number): Int32Array {
  if (zobrist.length < cells * 4) {
    zobrist = new Int32Array(cells * 4)
    for (let i = 0; i < zobrist.length; i++) zobrist[i] = mix32(Math.imul(i + 1, 0x9e3779b1) ^ 0x5bd1e995)
  }
  return zobrist
}

/** The box-set part of an exact key: the combinatorial rank of the sorted box floor indices. */
function boxSetRank(boxPos: Int32Array, k: number, floorIndex: Int32Array, sorted: Int32Array, binom: Float64Array): number {
  for (let i = 0; i < k; i++) {
    const f = floorIndex[boxPos[i]]
    let j = i
    while (j > 0 && sorted[j - 1] > f) {
      sorted[j] = sorted[j - 1]
      j--
    }
    sorted[j] = f
  }
  let rank = 0
  for (let i = 0; i < k; i++) rank += binom[sorted[i] * (k + 1) + i + 1]
  return rank
}

/** Lane A (`lane` 0) or B (`lane` 1) of the Zobrist hash of a box set. */
function boxSetHash(boxPos: Int32Array, k: number, table: Int32Array, lane: number): number {
  let h = 0
  for (let i = 0; i < k; i++) h ^= table[4 * boxPos[i] + lane]
  return h
}

/**
 * Runs the reverse-play search and returns the best state. Deterministic: it draws no random
 * numbers, so the level depends only on the room and the placement.
 */
export function reversePlay(input: ReversePlayInput): ReversePlayResult {
  const { rows, cols, room, targets, searchDepth, stateBudget } = input
  const cells = rows * cols
  const k = targets.length
  ensureScratch(cells, cols, k, searchDepth)
  const { set, floorIndex, boxAt, isTarget, cellRow, cellCol, boxPos, targetRow, targetCol, sorted } = scratch
  const { nextAction, moveDir, movePulled, swaps, lastPulled, partA, partB, bestPath } = scratch

  let floorCount = 0
  for (let i = 0; i < cells; i++) {
    floorIndex[i] = room[i] === 1 ? floorCount++ : -1
    boxAt[i] = 0
    isTarget[i] = 0
  }
  for (let i = 0; i < k; i++) {
    const t = targets[i]
    boxPos[i] = t
    boxAt[t] = i + 1
    isTarget[t] = 1
    targetRow[i] = cellRow[t]
    targetCol[i] = cellCol[t]
  }

  // State keys. When player × box set has fewer than 2^53 values, the key is exact: the player's
  // floor index times C(F, k) plus the combinatorial rank of the sorted box floor indices. Beyond
  // that (big rooms with many boxes) a 53-bit Zobrist hash stands in; two states then merge with
  // probability about n² / 2^54 for n explored states, which would only prune the search.
  const binom = binomialTable(floorCount, k)
  const boxSets = binom[floorCount * (k + 1) + k]
  const exact = floorCount * boxSets < Number.MAX_SAFE_INTEGER
  const hashes = exact ? zobrist : zobristTable(cells)
  set.reset(exact ? floorCount * boxSets : Number.MAX_SAFE_INTEGER)

  const deltas = [-cols, cols, -1, 1]
  const countChanges = input.swapCounting === 'box-changes'
  let player = input.player
  let displacement = 0
  let onTargets = k
  let bestDisplacement = 0
  let bestPlayer = player
  let bestLength = 0
  const bestBoxes: number[] = targets.slice()
  let stopped = false

  partA[0] = exact ? boxSetRank(boxPos, k, floorIndex, sorted, binom) : boxSetHash(boxPos, k, hashes, 0)
  partB[0] = exact ? 0 : boxSetHash(boxPos, k, hashes, 1)
  swaps[0] = 0
  lastPulled[0] = -1

  // The root, as gym's first call: TTL searchDepth - 1 must stay positive.
  if (searchDepth - 1 <= 0) {
    return { score: 0, displacement: 0, player, boxes: bestBoxes, path: [], explored: 0 }
  }
  set.add(
    exact
      ? floorIndex[player] * boxSets + partA[0]
      : ((partA[0] ^ hashes[4 * player + 2]) >>> 0) * TWO_POW_21 + ((partB[0] ^ hashes[4 * player + 3]) & 0x1fffff),
  )
  // The root scores 0 (every box is on its target) and is the best state until one beats it.
  let bestScore = 0
  if (set.size >= stateBudget) stopped = true
  nextAction[0] = 0
  let depth = 0

  for (;;) {
    const action = nextAction[depth]
    if (action === 8 || stopped) {
      if (depth === 0) break
      // Undo the action that led to this node.
      const delta = deltas[moveDir[depth]]
      const from = player - delta
      const pulled = movePulled[depth]
      if (pulled >= 0) {
        const back = from - delta
        displacement -= Math.abs(cellRow[from] - targetRow[pulled]) + Math.abs(cellCol[from] - targetCol[pulled])
        displacement += Math.abs(cellRow[back] - targetRow[pulled]) + Math.abs(cellCol[back] - targetCol[pulled])
        onTargets += isTarget[back] - isTarget[from]
        boxAt[from] = 0
        boxAt[back] = pulled + 1
        boxPos[pulled] = back
      }
      player = from
      depth--
      continue
    }
    if (action === 4 && boxAt[player - cols] === 0 && boxAt[player + cols] === 0) {
      if (boxAt[player - 1] === 0 && boxAt[player + 1] === 0) {
        // A move (actions 4-7) needs a box behind the player; with none next to it, all four are
        // skipped below, so skip them at once (the player is never on the border: it is wall).
        nextAction[depth] = 8
        continue
      }
    }
    nextAction[depth] = action + 1
    const dir = action & 3
    const delta = deltas[dir]
    const next = player + delta
    if (floorIndex[next] < 0 || boxAt[next] !== 0) continue
    const from = player
    const behind = boxAt[from - delta]
    // A plain move where no box is behind reaches the same state as the pull action in that
    // direction just did, so gym's call for it would return at once (TTL or already visited).
    if (action >= 4 && behind === 0) continue

    // Apply the action.
    const pulled = action < 4 ? behind - 1 : -1
    player = next
    const child = depth + 1
    if (pulled >= 0) {
      const back = from - delta
      displacement -= Math.abs(cellRow[back] - targetRow[pulled]) + Math.abs(cellCol[back] - targetCol[pulled])
      displacement += Math.abs(cellRow[from] - targetRow[pulled]) + Math.abs(cellCol[from] - targetCol[pulled])
      onTargets += isTarget[from] - isTarget[back]
      boxAt[back] = 0
      boxAt[from] = pulled + 1
      boxPos[pulled] = from
      if (exact) {
        partA[child] = boxSetRank(boxPos, k, floorIndex, sorted, binom)
      } else {
        partA[child] = boxSetHash(boxPos, k, hashes, 0)
        partB[child] = boxSetHash(boxPos, k, hashes, 1)
      }
      const changed = countChanges ? pulled !== lastPulled[depth] : true
      swaps[child] = swaps[depth] + (changed ? 1 : 0)
      lastPulled[child] = pulled
    } else {
      partA[child] = partA[depth]
      partB[child] = partB[depth]
      swaps[child] = swaps[depth]
      lastPulled[child] = lastPulled[depth]
    }
    moveDir[child] = dir
    movePulled[child] = pulled

    // Visit the child as gym's recursive call would: TTL first, then the visited check.
    let expand = false
    if (
      searchDepth - child - 1 > 0 &&
      set.add(
        exact
          ? floorIndex[player] * boxSets + partA[child]
          : ((partA[child] ^ hashes[4 * player + 2]) >>> 0) * TWO_POW_21 + ((partB[child] ^ hashes[4 * player + 3]) & 0x1fffff),
      )
    ) {
      const score = onTargets === 0 && isTarget[player] === 0 ? swaps[child] * displacement : 0
      if (score > bestScore) {
        bestScore = score
        bestDisplacement = displacement
        bestPlayer = player
        for (let i = 0; i < k; i++) bestBoxes[i] = boxPos[i]
        for (let i = 1; i <= child; i++) bestPath[i] = moveDir[i]
        bestLength = child
      }
      if (set.size >= stateBudget) stopped = true
      else expand = true
    }
    if (expand) {
      depth = child
      nextAction[depth] = 0
    } else {
      // Undo at once; the child is a leaf.
      if (pulled >= 0) {
        const back = from - delta
        displacement -= Math.abs(cellRow[from] - targetRow[pulled]) + Math.abs(cellCol[from] - targetCol[pulled])
        displacement += Math.abs(cellRow[back] - targetRow[pulled]) + Math.abs(cellCol[back] - targetCol[pulled])
        onTargets += isTarget[back] - isTarget[from]
        boxAt[from] = 0
        boxAt[back] = pulled + 1
        boxPos[pulled] = back
      }
      player = from
    }
  }

  const path: Direction[] = []
  for (let i = 1; i <= bestLength; i++) path.push((bestPath[i] + 1) as Direction)
  return {
    score: bestScore,
    displacement: bestDisplacement,
    player: bestPlayer,
    boxes: bestBoxes,
    path,
    explored: set.size,
  }
}
