/**
 * @module test/harness/shared-data
 * The shared data sets that live beside the repository in `../shared/data` (the Boxoban sample,
 * Microban and the paper's check values). They are not part of the repository: CI has them, a
 * fresh checkout may not. Suites that need them are declared with `describeWithSharedData`, which
 * skips them with a plain "shared data absent: …" message instead of letting them pass silently.
 */
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, it } from 'vitest'
import { REPO_ROOT } from './repo.ts'

/** The shared data folder, `../shared/data` from the repository root. */
export const SHARED_DATA_DIR = path.resolve(REPO_ROOT, '../shared/data')

/** The file of check values from the paper's reference code, relative to the shared data folder. */
export const PAPER_SAMPLES_FILE = 'paper-samples.json'

/** The absolute path of a shared file or folder given relative to `../shared/data`. */
export function sharedDataPath(relative: string): string {
  return path.join(SHARED_DATA_DIR, relative)
}

/** Whether a shared file or folder (relative to `../shared/data`) is present. */
export function hasSharedData(relative: string): boolean {
  return existsSync(sharedDataPath(relative))
}

/** The UTF-8 text of a shared file given relative to `../shared/data`. */
export function readSharedText(relative: string): string {
  return readFileSync(sharedDataPath(relative), 'utf8')
}

/**
 * A `describe` that runs only when `relative` exists under `../shared/data`. Otherwise the suite is
 * skipped, its title and a warning saying "shared data absent: ../shared/data/<relative>".
 */
export function describeWithSharedData(title: string, relative: string, body: () => void): void {
  if (hasSharedData(relative)) {
    describe(title, body)
    return
  }
  const absent = `shared data absent: ../shared/data/${relative}`
  console.warn(`${absent}; skipping "${title}"`)
  // The body is not run: vitest still executes a skipped suite's body to collect its tests, and
  // the body usually reads the missing data. One skipped placeholder keeps the gap visible.
  describe(`${title} (${absent})`, () => {
    it.skip(`needs ${relative} in ../shared/data`, () => {})
  })
}

/** One Sokoban evaluation level of `paper-samples.json`, with the reference's BFS labels. */
export interface PaperSokobanSample {
  readonly tag: string
  readonly index_in_tag: number
  readonly seed: number
  readonly dim_room: readonly [number, number]
  readonly num_boxes: number
  /** Start state rows in XSB. */
  readonly xsb: readonly string[]
  /** The paper's text rendering of the start state. */
  readonly text_grid: string
  /** The reference's shortest action path, 1 Up, 2 Down, 3 Left, 4 Right. */
  readonly bfs_actions: readonly number[]
  readonly bfs_actions_named: readonly string[]
}

/** One General Points test hand of `paper-samples.json`. */
export interface PaperGpSample {
  readonly split: string
  readonly index: number
  readonly seed: number
  /** Card strings as the prompt shows them. */
  readonly cards: readonly string[]
  /** The values the paper's verifier requires. */
  readonly display_cards: readonly number[]
  /** The full prompt text. */
  readonly question: string
}

/** The contents of `paper-samples.json`. */
export interface PaperSamples {
  readonly sokoban: readonly PaperSokobanSample[]
  readonly general_points: readonly PaperGpSample[]
}

let paperSamples: PaperSamples | undefined

/**
 * The parsed `paper-samples.json`, read once. Call it inside a suite declared with
 * `describeWithSharedData(…, PAPER_SAMPLES_FILE, …)`: it throws when the file is absent.
 */
export function loadPaperSamples(): PaperSamples {
  if (paperSamples === undefined) {
    if (!hasSharedData(PAPER_SAMPLES_FILE)) {
      throw new Error(
        `shared data absent: ../shared/data/${PAPER_SAMPLES_FILE}; declare the suite with describeWithSharedData.`,
      )
    }
    paperSamples = JSON.parse(readSharedText(PAPER_SAMPLES_FILE)) as PaperSamples
  }
  return paperSamples
}
