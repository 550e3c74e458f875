/**
 * @module core/sokoban/vocab
 * Action vocabularies: the words a prompt shows for the four moves, and the words a scorer
 * accepts (paper-tasks.md §3.3, §3.4). The two are separate on purpose: the paper's "Fake"
 * splits show one vocabulary and accept another, so a variant names both.
 */
import { DIRECTION_NAMES, type Direction } from './directions.ts'
import { pyLower, pyStrip, splitActionTokens } from './parse-answer.ts'
import type { Rng } from '../rng/rng.ts'

/** The words for the four moves, in the order Up, Down, Left, Right (move codes 1-4). */
export interface ActionVocabulary {
  readonly id: string
  readonly names: readonly [string, string, string, string]
  /** Whether the Answers block adds the line `where X is Up, Y is Down, ...` (§3.3). */
  readonly explain: boolean
}

/** What a prompt variant shows (null: no Answers block at all) and what its scorer accepts. */
export interface VariantVocabulary {
  readonly shown: ActionVocabulary | null
  readonly accepted: ActionVocabulary
}

/** The paper's env types (prompt vocabularies), `debunk_sft/env/__init__.py` (§3.3). */
export type PaperEnvType =
  | 'sokoban'
  | 'sokoban_cardinal'
  | 'sokoban_emoji'
  | 'sokoban_empty'
  | 'sokoban_numerical'
  | 'sokoban_alphabetical'
  | 'sokoban_random'

/** `sokoban` (BASE): Up / Down / Left / Right. */
export const BASE_VOCABULARY: ActionVocabulary = Object.freeze({
  id: 'base',
  names: Object.freeze(['Up', 'Down', 'Left', 'Right'] as const),
  explain: false,
})

/** `sokoban_cardinal`: North / South / West / East, without an explanation line. */
export const CARDINAL_VOCABULARY: ActionVocabulary = Object.freeze({
  id: 'cardinal',
  names: Object.freeze(['North', 'South', 'West', 'East'] as const),
  explain: false,
})

/**
 * `sokoban_emoji`: the four arrows, each followed by U+FE0F (VARIATION SELECTOR-16). A bare arrow
 * without the selector is a different string and is rejected by the evaluator (§10.3).
 */
export const EMOJI_VOCABULARY: ActionVocabulary = Object.freeze({
  id: 'emoji',
  names: Object.freeze(['\u2B06\uFE0F', '\u2B07\uFE0F', '\u2B05\uFE0F', '\u27A1\uFE0F'] as const),
  explain: false,
})

/** `sokoban_numerical`: 1 / 2 / 3 / 4 with the explanation line. */
export const NUMERICAL_VOCABULARY: ActionVocabulary = Object.freeze({
  id: 'numerical',
  names: Object.freeze(['1', '2', '3', '4'] as const),
  explain: true,
})

/** `sokoban_alphabetical`: A / B / C / D with the explanation line. */
export const ALPHABETICAL_VOCABULARY: ActionVocabulary = Object.freeze({
  id: 'alphabetical',
  names: Object.freeze(['A', 'B', 'C', 'D'] as const),
  explain: true,
})

/** `sokoban_random`: `*` / `&` / `1` / `M`. Here "1" means Left, not Up (§3.3). */
export const RANDOM_VOCABULARY: ActionVocabulary = Object.freeze({
  id: 'random',
  names: Object.freeze(['*', '&', '1', 'M'] as const),
  explain: true,
})

/** The vocabulary each env type shows; `sokoban_empty` shows none. */
export const PAPER_ENV_TYPE_VOCABULARIES: Readonly<Record<PaperEnvType, ActionVocabulary | null>> = Object.freeze({
  sokoban: BASE_VOCABULARY,
  sokoban_cardinal: CARDINAL_VOCABULARY,
  sokoban_emoji: EMOJI_VOCABULARY,
  sokoban_empty: null,
  sokoban_numerical: NUMERICAL_VOCABULARY,
  sokoban_alphabetical: ALPHABETICAL_VOCABULARY,
  sokoban_random: RANDOM_VOCABULARY,
})

/** One evaluation split of `debunk_sft/trainer/config/envs.yaml` (§3.4). */
export interface PaperEvalTag {
  readonly tag: string
  readonly envType: PaperEnvType
  readonly vocabulary: VariantVocabulary
  /** Rows and columns of the room (`dim_room`); only square rooms are used. */
  readonly rows: number
  readonly cols: number
  readonly boxes: number
  readonly maxSteps: number
  readonly searchDepth: number
  readonly maxActionsPerTraj: number
}

function evalTag(
  tag: string,
  envType: PaperEnvType,
  accepted: ActionVocabulary,
  size: number,
  boxes: number,
): PaperEvalTag {
  return Object.freeze({
    tag,
    envType,
    vocabulary: Object.freeze({ shown: PAPER_ENV_TYPE_VOCABULARIES[envType], accepted }),
    rows: size,
    cols: size,
    boxes,
    maxSteps: 30,
    searchDepth: 30,
    maxActionsPerTraj: 30,
  })
}

/**
 * Every evaluation tag of §3.4, in the table's order. The accepted vocabulary comes from the
 * tag's `action_lookup` and defaults to Up/Down/Left/Right when the tag sets none; that default is
 * what makes FakeSokobanCardinal / Emoji / Numerical and SimpleSokobanEmpty accept only the base
 * words whatever the prompt shows.
 */
export const PAPER_EVAL_TAGS: readonly PaperEvalTag[] = Object.freeze([
  evalTag('SimpleSokoban', 'sokoban', BASE_VOCABULARY, 6, 1),
  evalTag('LargerSokoban', 'sokoban', BASE_VOCABULARY, 10, 1),
  evalTag('TwoBoxesSokoban', 'sokoban', BASE_VOCABULARY, 6, 2),
  evalTag('ComplexSokoban', 'sokoban', BASE_VOCABULARY, 10, 2),
  evalTag('SimpleSokobanCardinal', 'sokoban_cardinal', CARDINAL_VOCABULARY, 6, 1),
  evalTag('FakeSokobanCardinal', 'sokoban_cardinal', BASE_VOCABULARY, 6, 1),
  evalTag('SimpleSokobanEmoji', 'sokoban_emoji', EMOJI_VOCABULARY, 6, 1),
  evalTag('FakeSokobanEmoji', 'sokoban_emoji', BASE_VOCABULARY, 6, 1),
  evalTag('SimpleSokobanEmpty', 'sokoban_empty', BASE_VOCABULARY, 6, 1),
  evalTag('SimpleSokobanNumerical', 'sokoban_numerical', NUMERICAL_VOCABULARY, 6, 1),
  evalTag('FakeSokobanNumerical', 'sokoban_numerical', BASE_VOCABULARY, 6, 1),
  evalTag('SimpleSokobanAlphabetical', 'sokoban_alphabetical', ALPHABETICAL_VOCABULARY, 6, 1),
  evalTag('SimpleSokobanRandom', 'sokoban_random', RANDOM_VOCABULARY, 6, 1),
])

/** The final evaluation set of the paper's scripts: 8 tags, in this order (§3.4). */
export const PAPER_FINAL_EVAL_TAGS: readonly string[] = Object.freeze([
  'SimpleSokoban',
  'LargerSokoban',
  'ComplexSokoban',
  'TwoBoxesSokoban',
  'SimpleSokobanRandom',
  'SimpleSokobanNumerical',
  'SimpleSokobanAlphabetical',
  'FakeSokobanNumerical',
])

/** Looks up an evaluation tag by its exact name; throws with the list of known tags. */
export function paperEvalTag(tag: string): PaperEvalTag {
  const found = PAPER_EVAL_TAGS.find((t) => t.tag === tag)
  if (!found) {
    const known = PAPER_EVAL_TAGS.map((t) => t.tag).join(', ')
    throw new Error(`Unknown Sokoban eval tag "${tag}". Known tags (case-sensitive): ${known}.`)
  }
  return found
}

/**
 * The special strings the evaluator deletes from an answer (§5.1). A name that contains one can
 * never be answered, so vocabularies must not contain them.
 */
export const SPECIAL_STRINGS: readonly string[] = Object.freeze([
  '<think>',
  '</think>',
  '<answer>',
  '</answer>',
  '<|im_start|>',
  '<|im_end|>',
])

/**
 * Problems that make a vocabulary unusable by the paper's evaluation parser, which strips the
 * answer (Python whitespace), lower-cases it and compares it with the lower-cased names. Empty
 * when the vocabulary is usable.
 */
export function vocabularyErrors(names: readonly string[]): string[] {
  const errors: string[] = []
  if (names.length !== 4) {
    errors.push(`A vocabulary needs exactly 4 names (for Up, Down, Left, Right); got ${names.length}.`)
    return errors
  }
  const seen = new Map<string, number>()
  names.forEach((name, i) => {
    const label = `name ${i + 1} (${DIRECTION_NAMES[i + 1]})`
    if (typeof name !== 'string') {
      errors.push(`${label} must be a string.`)
      return
    }
    if (pyStrip(name) === '') {
      errors.push(`${label} is empty or only whitespace; give it a visible word.`)
      return
    }
    if (pyStrip(name) !== name) {
      errors.push(
        `${label} ${JSON.stringify(name)} has leading or trailing whitespace; the evaluator strips answers, ` +
          `so it could never match. Use ${JSON.stringify(pyStrip(name))}.`,
      )
    }
    const special = SPECIAL_STRINGS.find((s) => name.includes(s))
    if (special !== undefined) {
      errors.push(`${label} ${JSON.stringify(name)} contains ${special}, which the evaluator deletes from answers.`)
    }
    const key = pyLower(pyStrip(name))
    const previous = seen.get(key)
    if (previous !== undefined) {
      errors.push(
        `${label} ${JSON.stringify(name)} equals name ${previous + 1} (${DIRECTION_NAMES[previous + 1]}) ` +
          'after trimming and lower-casing; the evaluator could not tell them apart.',
      )
    } else {
      seen.set(key, i)
    }
  })
  return errors
}

/**
 * Notes on names the evaluator accepts but the paper's training reward (§5.3) cannot: that
 * scorer splits answers on commas, semicolons and whitespace, reads the Answers line with a
 * single-line regex, and treats a bare digit 1-4 as that move code.
 */
export function vocabularyWarnings(vocab: ActionVocabulary): string[] {
  const warnings: string[] = []
  vocab.names.forEach((name, i) => {
    const label = `name ${i + 1} (${DIRECTION_NAMES[i + 1]}) ${JSON.stringify(name)}`
    if (splitActionTokens(name).join('') !== name) {
      warnings.push(`${label} contains a comma, semicolon or whitespace; the training reward splits answers there.`)
    }
    if (name.includes('|') || name.includes('<')) {
      warnings.push(`${label} contains "|" or "<", which can confuse the training reward's Answers-line regex.`)
    }
    if (/^[1-4]$/.test(name) && name !== String(i + 1)) {
      warnings.push(
        `${label} is a digit 1-4 for another move; the training reward may read a bare digit as move ${name}.`,
      )
    }
  })
  return warnings
}

/**
 * Builds a user-defined vocabulary after checking it (see `vocabularyErrors`). `explain` adds the
 * `where X is Up, ...` line to the Answers block; it defaults to true unless the names are the
 * base or cardinal words, mirroring the reference's rule.
 */
export function defineVocabulary(
  id: string,
  names: readonly string[],
  options: { explain?: boolean } = {},
): ActionVocabulary {
  if (pyStrip(id) === '') throw new Error('A vocabulary id must be a non-empty string, e.g. "my-words".')
  const errors = vocabularyErrors(names)
  if (errors.length > 0) throw new Error(`Invalid action vocabulary "${id}": ${errors.join(' ')}`)
  const tuple = Object.freeze([names[0], names[1], names[2], names[3]] as const)
  return Object.freeze({ id, names: tuple, explain: options.explain ?? explainsByDefault(tuple) })
}

// The reference adds the explanation line only when none of the words is one of these
// (`create_answers_block` in `action_space_shared.py`); the comparison is case-sensitive.
const STANDARD_WORDS: ReadonlySet<string> = new Set(['Up', 'Down', 'Left', 'Right', 'North', 'South', 'West', 'East'])

/** The reference's rule for the `where X is Up, ...` line: only when no name is a standard word. */
function explainsByDefault(names: readonly string[]): boolean {
  return !names.some((n) => STANDARD_WORDS.has(n))
}

/**
 * Draws 4 distinct entries of `pool` (without replacement, by position) as the words for Up,
 * Down, Left, Right, the way the paper's diverse training set renames actions per sample (§7.5).
 * A pool with repeated words can yield a repeated name, as the paper's pool can; such a vocabulary
 * is returned as drawn, and `vocabularyErrors` reports the clash.
 */
export function randomWordVocabulary(pool: readonly string[], rng: Rng): ActionVocabulary {
  if (pool.length < 4) throw new Error(`A random-word pool needs at least 4 words; got ${pool.length}.`)
  const blank = pool.findIndex((w) => pyStrip(w) === '')
  if (blank >= 0) throw new Error(`Random-word pool entry ${blank} is empty; remove it from the pool.`)
  const picked = pool.slice()
  for (let i = 0; i < 4; i++) {
    const j = i + rng.below(picked.length - i)
    const t = picked[i]
    picked[i] = picked[j]
    picked[j] = t
  }
  const names = Object.freeze([picked[0], picked[1], picked[2], picked[3]] as const)
  return Object.freeze({ id: `words:${names.join('/')}`, names, explain: explainsByDefault(names) })
}

/** The name a vocabulary gives a move. */
export function actionName(vocab: ActionVocabulary, direction: Direction): string {
  return vocab.names[direction - 1]
}

/** The move a vocabulary name stands for under the evaluator's comparison, or null. */
export function directionOfName(vocab: ActionVocabulary, name: string): Direction | null {
  const key = pyLower(name)
  for (let i = 3; i >= 0; i--) if (pyLower(vocab.names[i]) === key) return (i + 1) as Direction
  return null
}

/**
 * The Answers block of the prompt (§3.3), without a trailing newline:
 * `Answers:\n<answer> Up </answer> | ... | <answer> Right </answer>`, plus
 * `\nwhere 1 is Up, 2 is Down, 3 is Left, 4 is Right.` when the vocabulary explains itself.
 * The empty variant (null) has no block at all: ''.
 */
export function answersBlock(vocab: ActionVocabulary | null): string {
  if (vocab === null) return ''
  const [u, d, l, r] = vocab.names
  const tags = `<answer> ${u} </answer> | <answer> ${d} </answer> | <answer> ${l} </answer> | <answer> ${r} </answer>`
  const explanation = vocab.explain ? `\nwhere ${u} is Up, ${d} is Down, ${l} is Left, ${r} is Right.` : ''
  return `Answers:\n${tags}${explanation}`
}
