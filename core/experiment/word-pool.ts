/**
 * @module core/experiment/word-pool
 * The 210-word pool of the paper's diverse Sokoban data and the exact per-row draw that renames the
 * four actions (paper-tasks.md §7.5).
 *
 * Provenance: `get_word_pool()` in `debunk_sft/utils/dataset/sokoban/create_ultra_mixed_dataset.py`
 * of the public repository XiaofengLin7/debunking-sft-generalization, copied verbatim, in order,
 * duplicates included (fish, mouse, orange and lime each appear twice: once as an animal or colour,
 * once as an object or food). Row i of that script calls `np.random.seed(42 + i)` and then
 * `np.random.choice(pool, size=4, replace=False)`; the words are Up, Down, Left, Right in draw order.
 *
 * numpy's legacy `RandomState.choice(a, size, replace=False)` (no `p`) is `permutation(len(a))[:size]`,
 * and `permutation(n)` shuffles `arange(n)` with Fisher-Yates from the last index down to 1, each
 * `j = random_interval(i)` drawn by masked rejection on the LOW bits of one 32-bit word
 * (`numpy/random/mtrand.pyx`, `numpy/random/src/distributions/distributions.c`). So a row costs a
 * full 210-element shuffle, 209 bounded draws, even though only 4 words are kept. Row 0 gives
 * tree / fix / jade / freedom, as the spec's example says.
 */
import { NpRandomState } from '../paper/np-random.ts'
import type { ActionVocabulary } from '../sokoban/vocab.ts'

/** The pool, verbatim (210 entries, with 4 duplicated words). */
export const PAPER_WORD_POOL: readonly string[] = Object.freeze([
  // Animals
  'cat', 'dog', 'bird', 'fish', 'lion', 'tiger', 'bear', 'wolf', 'fox', 'deer',
  'eagle', 'hawk', 'owl', 'duck', 'swan', 'frog', 'snake', 'turtle', 'rabbit', 'mouse',
  'elephant', 'giraffe', 'zebra', 'monkey', 'panda', 'koala', 'dolphin', 'whale', 'shark', 'butterfly',
  // Nature
  'tree', 'flower', 'leaf', 'rock', 'stone', 'water', 'fire', 'wind', 'earth', 'sun',
  'moon', 'star', 'cloud', 'rain', 'snow', 'mountain', 'valley', 'river', 'ocean', 'forest',
  'desert', 'island', 'beach', 'cave', 'volcano', 'meadow', 'field', 'garden', 'pond', 'lake',
  // Colours
  'red', 'blue', 'green', 'yellow', 'orange', 'purple', 'pink', 'brown', 'black', 'white',
  'gray', 'silver', 'gold', 'copper', 'bronze', 'maroon', 'navy', 'teal', 'lime', 'olive',
  'aqua', 'crimson', 'scarlet', 'amber', 'jade', 'ruby', 'sapphire', 'emerald', 'pearl', 'coral',
  // Objects
  'book', 'pen', 'cup', 'key', 'phone', 'chair', 'table', 'lamp', 'door', 'window',
  'box', 'bag', 'hat', 'shoe', 'clock', 'mirror', 'brush', 'knife', 'fork', 'spoon',
  'plate', 'bowl', 'bottle', 'glass', 'camera', 'computer', 'keyboard', 'mouse', 'screen', 'speaker',
  // Food
  'apple', 'banana', 'orange', 'grape', 'cherry', 'strawberry', 'peach', 'pear', 'lemon', 'lime',
  'bread', 'cheese', 'milk', 'egg', 'meat', 'fish', 'rice', 'pasta', 'pizza', 'burger',
  'salad', 'soup', 'cake', 'cookie', 'candy', 'chocolate', 'honey', 'sugar', 'salt', 'pepper',
  // Actions
  'run', 'jump', 'fly', 'swim', 'walk', 'dance', 'sing', 'laugh', 'cry', 'sleep',
  'wake', 'eat', 'drink', 'play', 'work', 'study', 'read', 'write', 'draw', 'paint',
  'build', 'create', 'fix', 'open', 'close', 'start', 'stop', 'move', 'push', 'pull',
  // Abstract
  'happy', 'quick', 'bright', 'calm', 'strong', 'wise', 'kind', 'brave', 'gentle', 'fierce',
  'magic', 'power', 'energy', 'force', 'spirit', 'dream', 'hope', 'love', 'peace', 'freedom',
  'truth', 'beauty', 'wonder', 'mystery', 'secret', 'destiny', 'luck', 'chance', 'victory', 'glory',
])

/** The words that appear twice in the pool, so a row can (rarely) name two actions alike. */
export const PAPER_WORD_POOL_DUPLICATES: readonly string[] = Object.freeze(['fish', 'mouse', 'orange', 'lime'])

/** Row i of the diverse data is seeded with `np.random.seed(PAPER_WORDS_BASE_SEED + i)`. */
export const PAPER_WORDS_BASE_SEED = 42

/**
 * numpy's legacy `choice(n, size, replace=False)` on a fresh state: the first `size` entries of
 * `permutation(n)`. Returns pool positions. `n` must be below 2^32 (always true for word pools).
 */
export function npChoiceWithoutReplacement(np: NpRandomState, n: number, size: number): number[] {
  if (!Number.isInteger(n) || n < 1) {
    throw new RangeError(`choice: population size must be a positive integer, got ${n}`)
  }
  if (!Number.isInteger(size) || size < 0 || size > n) {
    throw new RangeError(`choice: cannot take ${size} without replacement from a population of ${n}`)
  }
  const order = Array.from({ length: n }, (_, k) => k)
  for (let i = n - 1; i >= 1; i--) {
    // numpy's `random_interval(i)` is the same masked rejection on a word's low bits as `randint(i + 1)`.
    const j = np.randint(i + 1)
    const t = order[i]
    order[i] = order[j]
    order[j] = t
  }
  return order.slice(0, size)
}

/** The four words of row `row` of the paper's diverse Sokoban data: Up, Down, Left, Right. */
export function paperRowWords(row: number): [string, string, string, string] {
  if (!Number.isSafeInteger(row) || row < 0 || PAPER_WORDS_BASE_SEED + row > 0xffffffff) {
    throw new RangeError(`Word row must be an integer in [0, ${0xffffffff - PAPER_WORDS_BASE_SEED}], got ${row}.`)
  }
  const picks = npChoiceWithoutReplacement(new NpRandomState(PAPER_WORDS_BASE_SEED + row), PAPER_WORD_POOL.length, 4)
  const [u, d, l, r] = picks.map((k) => PAPER_WORD_POOL[k])
  return [u, d, l, r]
}

/**
 * Row `row`'s words as a vocabulary. The reference always adds the `where … is Up, …` line for these
 * words (none is one of the standard direction words), so `explain` is true.
 */
export function paperRowVocabulary(row: number): ActionVocabulary {
  const names = Object.freeze(paperRowWords(row))
  return Object.freeze({ id: `paper-words:${row}`, names, explain: true })
}
