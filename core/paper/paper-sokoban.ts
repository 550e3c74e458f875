/**
 * @module core/paper/paper-sokoban
 * The paper's Sokoban evaluation levels, rebuilt from their seeds (paper-tasks.md §3.4, §4.5;
 * paper-rng.md §2). In `val` mode the reference ignores the configured seed and resets env g
 * (0-based, tags in list order, 100 envs per tag, group size 1) with seed 123 + g, so level k of
 * the t-th tag of a tag list has seed 123 + 100·t + k. The seeds therefore depend on the tag's
 * position in the list the run used:
 *
 * - `final`: the 8-tag list of `sokoban_train_and_eval.sh` / `sokoban_eval_ckpts.sh` (the paper's
 *   numbers). TwoBoxesSokoban is 4th: seeds 423-522.
 * - `sft-9`: the older 9-tag list of `sokoban_sft.sh`. Its first three tags match the final list;
 *   TwoBoxesSokoban is 9th there, so its seeds are 923-1022 and its levels differ.
 *
 * A few seeds fail to generate and the reference retries from a salted string hash; those levels
 * are reproduced as CPython >= 3.11 makes them under PYTHONHASHSEED=0 and flagged as not
 * reproducible by the reference itself (paper-tasks.md §11.5).
 */
import { ragenReset, type RagenFailure, type RagenRoom } from './ragen-generate.ts'
import { PAPER_FINAL_EVAL_TAGS, paperEvalTag } from '../sokoban/vocab.ts'
import { PAPER_MAX_DEPTH, paperLabels, solveBfs } from '../sokoban/solve/bfs.ts'
import type { Level } from '../sokoban/level.ts'
import type { Direction } from '../sokoban/directions.ts'

/** `EnvStateManager.reset` in `val` mode: the first eval env's seed. */
export const PAPER_EVAL_BASE_SEED = 123

/** Eval envs per tag in every list the paper's scripts use. */
export const PAPER_EVAL_LEVELS_PER_TAG = 100

/** The tag lists of the paper's scripts, in their order (which decides the seeds). */
export const PAPER_SOKOBAN_TAG_LISTS: Readonly<Record<PaperSokobanTagList, readonly string[]>> = Object.freeze({
  final: PAPER_FINAL_EVAL_TAGS,
  'sft-9': Object.freeze([
    'SimpleSokoban',
    'LargerSokoban',
    'ComplexSokoban',
    'SimpleSokobanEmoji',
    'FakeSokobanEmoji',
    'SimpleSokobanCardinal',
    'FakeSokobanCardinal',
    'SimpleSokobanEmpty',
    'TwoBoxesSokoban',
  ]),
})

/** `final`: the paper's 8-tag eval list; `sft-9`: the older 9-tag list of `sokoban_sft.sh`. */
export type PaperSokobanTagList = 'final' | 'sft-9'

/** One evaluation level as the reference built it. */
export interface PaperSokobanLevel {
  readonly tag: string
  readonly list: PaperSokobanTagList
  /** Position within the tag's 100 levels (0-based). */
  readonly index: number
  /** The seed `reset` received: 123 + 100·(tag position) + index. */
  readonly seed: number
  readonly level: Level
  readonly room: RagenRoom
  /** `seed`, then every retry seed; the last one generated the level. */
  readonly seedChain: readonly number[]
  /** Why each seed but the last failed. */
  readonly failures: readonly RagenFailure[]
  /**
   * False when the level came from the retry path: the reference derives retry seeds from
   * Python's per-process salted `hash(str)`, so its own runs give a different level each time.
   */
  readonly reproducibleInReference: boolean
  /** Why the level is not reproducible by the reference; absent when it is. */
  readonly reason?: string
}

/** The seed the reference used for level `index` of `tag` in `list`. */
export function paperSokobanSeed(tag: string, index: number, list: PaperSokobanTagList = 'final'): number {
  const tags = PAPER_SOKOBAN_TAG_LISTS[list]
  if (tags === undefined) throw new Error(`Unknown tag list "${String(list)}"; use "final" or "sft-9".`)
  const position = tags.indexOf(tag)
  if (position < 0) {
    throw new Error(`Tag "${tag}" is not in the ${list} eval list (${tags.join(', ')}).`)
  }
  if (!Number.isInteger(index) || index < 0 || index >= PAPER_EVAL_LEVELS_PER_TAG) {
    throw new RangeError(
      `Level index must be an integer in [0, ${PAPER_EVAL_LEVELS_PER_TAG - 1}], got ${index}.`,
    )
  }
  return PAPER_EVAL_BASE_SEED + PAPER_EVAL_LEVELS_PER_TAG * position + index
}

/** Level `index` (0-99) of eval tag `tag`, seeded as in `list`, exactly as the reference made it. */
export function paperSokobanLevel(
  tag: string,
  index: number,
  list: PaperSokobanTagList = 'final',
): PaperSokobanLevel {
  const seed = paperSokobanSeed(tag, index, list)
  const spec = paperEvalTag(tag)
  const made = ragenReset(seed, {
    rows: spec.rows,
    cols: spec.cols,
    numBoxes: spec.boxes,
    searchDepth: spec.searchDepth,
  })
  const { level, room, seedChain, failures } = made
  const base = { tag, list, index, seed, level, room, seedChain, failures }
  if (made.seedChain.length === 1) return { ...base, reproducibleInReference: true }
  const steps = failures.map((f, i) => `seed ${seedChain[i]} failed (${describeFailure(f)})`).join('; ')
  return {
    ...base,
    reproducibleInReference: false,
    reason:
      `${steps}. The reference retries with abs(hash(str(seed))) % 2**32, and Python salts str hashes per ` +
      `process, so its runs differ; this is the level CPython >= 3.11 makes under PYTHONHASHSEED=0 ` +
      `(seed chain ${made.seedChain.join(' -> ')}).`,
  }
}

function describeFailure(failure: RagenFailure): string {
  return failure === 'too-few-floor-cells'
    ? 'RuntimeError: too few floor cells for the player and boxes'
    : 'RuntimeWarning: no box moved in 4 topology tries'
}

/** All 100 levels of `tag` in `list`, in index order. */
export function paperSokobanTagLevels(tag: string, list: PaperSokobanTagList = 'final'): PaperSokobanLevel[] {
  return Array.from({ length: PAPER_EVAL_LEVELS_PER_TAG }, (_, k) => paperSokobanLevel(tag, k, list))
}

/**
 * The reference's ground-truth labels for a level (`get_shortest_action_path`, MAX_DEPTH 30): the
 * first shortest plan in Up, Down, Left, Right order, or [] when none has at most 30 moves.
 */
export function paperBfsLabels(level: Level): Direction[] {
  return paperLabels(solveBfs(level, { maxDepth: PAPER_MAX_DEPTH }))
}
