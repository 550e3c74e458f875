/**
 * @module core/experiment/presets
 * The paper's splits as presets, named after the paper's own tags and split names: an instance set
 * (which puzzles or hands, from which seeds) plus the variant the paper put them to the model with.
 *
 * - Sokoban eval tags (paper-tasks.md §3.4, §4.5): the 8 tags of the final list, seeds 123 + i in
 *   tag order; the older 9-tag list's own tags with that list's seeds (its Simple/Larger/Complex
 *   levels equal the final list's; its TwoBoxesSokoban, 9th there, is `TwoBoxesSokoban@sft-9`).
 * - General Points test splits (§6.3): the 9 splits, hand i seeded 42 + i.
 * - Training data: Sokoban one-step data (§4.4: seeds 42…241 at 6×6 / 1 box, test seeds 242…301 at
 *   5×5 … 10×10), its diverse "super random" form (§7.5), and the General Points training mixtures
 *   (§6.2, §6.3: `basic`, `mixed`, `diverse`).
 *
 * Levels the reference itself cannot rebuild (its salted-hash retry path, §11.5) are listed per
 * preset in `nonReproducible`, with the reason.
 */
import { PAPER_SOKOBAN_TAG_LISTS, PAPER_EVAL_BASE_SEED, PAPER_EVAL_LEVELS_PER_TAG } from '../paper/paper-sokoban.ts'
import type { PaperSokobanTagList } from '../paper/paper-sokoban.ts'
import { PAPER_GP_SPLITS, PAPER_GP_TASKS_PER_SPLIT, paperGpSplit, type PaperGpSplit } from '../paper/paper-gp.ts'
import { paperEvalTag } from '../sokoban/vocab.ts'
import { TRAINING_PRESETS } from '../gp/rules.ts'
import { describeDifficulty, type DifficultySpec } from './difficulty.ts'
import type { InstanceSetSpec, SeedScheme } from './instance-set.ts'
import { PAPER_GP_TRAIN_TASKS_PER_MAPPING } from './paper-gp-train.ts'
import { PAPER_VOCABULARIES, VARIANTS, suggestionText, variantByName, type VariantSpec } from './variant.ts'
import { deepFreeze } from './deep-freeze.ts'

/** What a preset is for. */
export type PresetRole = 'eval' | 'train' | 'test'

/** An item of a preset that the reference itself cannot rebuild, and why. */
export interface NonReproducibleItem {
  readonly index: number
  readonly seed: number
  readonly reason: string
}

/** A named split: its instances and the variant the paper used for them. */
export interface Preset {
  readonly name: string
  readonly task: 'sokoban' | 'gp'
  readonly role: PresetRole
  readonly description: string
  readonly instanceSet: InstanceSetSpec
  readonly variant: VariantSpec
  /** The reference file or script the split comes from. */
  readonly source: string
  readonly notes: readonly string[]
  readonly nonReproducible: readonly NonReproducibleItem[]
}

const RETRY_REASON =
  'generation failed at this seed and the reference retried from abs(hash(str(seed))) % 2**32; Python salts ' +
  'str hashes per process, so the reference makes a different level on every run. sftbench gives the level ' +
  'CPython >= 3.11 makes under PYTHONHASHSEED=0.'

/**
 * Positions of the retry-path levels (§4.2 step 5, §11.5), as computed by running the reference's
 * generator; tests rebuild every level of every preset and check these lists.
 */
const RETRY_INDICES: Readonly<Record<string, readonly number[]>> = Object.freeze({
  'final/TwoBoxesSokoban': [29, 50, 51, 87, 98],
  'sft-9/TwoBoxesSokoban': [17, 21, 58, 60, 75],
  'seeds/242/5x5': [16, 30],
})

function retryItems(key: string, firstSeed: number): NonReproducibleItem[] {
  return (RETRY_INDICES[key] ?? []).map((index) => ({ index, seed: firstSeed + index, reason: RETRY_REASON }))
}

/** A preset as written: not parsed at load (the tests check each instance set against its schema). */
function preset(p: Omit<Preset, 'notes' | 'nonReproducible'> & {
  notes?: string[]
  nonReproducible?: NonReproducibleItem[]
}): Preset {
  return deepFreeze({
    ...p,
    notes: p.notes ?? [],
    nonReproducible: p.nonReproducible ?? [],
  })
}

function sokobanDifficulty(rows: number, cols: number, boxes: number): DifficultySpec {
  return { task: 'sokoban', rows, cols, boxes }
}

/** The eval variant of a tag: the one whose shown and accepted vocabularies are the tag's (§3.4). */
function evalVariantOf(tag: string): VariantSpec {
  const spec = paperEvalTag(tag)
  const idOf = (names: readonly string[] | undefined): string | null => {
    if (names === undefined) return null
    const found = Object.entries(PAPER_VOCABULARIES).find(([, v]) => v.names.join('\u0000') === names.join('\u0000'))
    if (found === undefined) throw new Error(`internal: tag ${tag} uses a vocabulary with no id`)
    return found[0]
  }
  const shown = idOf(spec.vocabulary.shown?.names)
  const accepted = idOf(spec.vocabulary.accepted.names)
  const found = VARIANTS.find(
    (v) =>
      v.task === 'sokoban' &&
      v.template === 'sokoban-eval' &&
      v.vocabulary.shown === shown &&
      v.vocabulary.accepted === accepted,
  )
  if (found === undefined) throw new Error(`internal: no eval variant shows ${shown} and accepts ${accepted}`)
  return found
}

function sokobanEvalPreset(tag: string, list: PaperSokobanTagList, name: string): Preset {
  const spec = paperEvalTag(tag)
  const position = PAPER_SOKOBAN_TAG_LISTS[list].indexOf(tag)
  const first = PAPER_EVAL_BASE_SEED + PAPER_EVAL_LEVELS_PER_TAG * position
  const variant = evalVariantOf(tag)
  const shown = variant.task === 'sokoban' ? variant.vocabulary.shown : null
  const fake = variant.task === 'sokoban' && shown !== null && shown !== variant.vocabulary.accepted
  const listText = list === 'final' ? "the paper's final 8-tag eval list" : 'the older 9-tag list of sokoban_sft.sh'
  return preset({
    name,
    task: 'sokoban',
    role: 'eval',
    description:
      `${tag}: ${spec.rows}x${spec.cols}, ${spec.boxes} box${spec.boxes === 1 ? '' : 'es'}, ${spec.envType} prompt` +
      `${fake ? ', base words accepted (Fake)' : ''}; seeds ${first}-${first + 99} (${listText}).`,
    source: `debunk_sft/trainer/config/envs.yaml (${tag}); seeds from EnvStateManager.reset in val mode`,
    instanceSet: {
      task: 'sokoban',
      difficulty: sokobanDifficulty(spec.rows, spec.cols, spec.boxes),
      seedScheme: { kind: 'paper-sokoban', tag, list },
      count: PAPER_EVAL_LEVELS_PER_TAG,
    },
    variant,
    notes: [
      'Closed-loop evaluation: at most 30 turns and 30 env steps; each turn re-renders the current position (§5.1).',
      ...(tag === 'SimpleSokoban'
        ? [
            'Seeds 123-222 lie inside the training seeds 42-241: these 100 levels are training puzzles 81-180 ' +
              '(§4.5, §11.3).',
          ]
        : []),
    ],
    nonReproducible: retryItems(`${list}/${tag}`, first),
  })
}

const GP_TEST_VARIANTS: Readonly<Record<PaperGpSplit, string>> = Object.freeze({
  gp_l_id: 'gp-test-all_10',
  gp_l_all_5: 'gp-test-all_5',
  gp_l_all_7: 'gp-test-all_7',
  gp_l_all_12: 'gp-test-all_12',
  gp_l_face_card_as_regular: 'gp-test-regular',
  gp_l_large: 'gp-test-all_10',
  gp_l_5cards: 'gp-test-all_10',
  gp_l_fake: 'gp-test-fake-regular',
  gp_l_all_5_fake: 'gp-test-fake-all_5',
})

const SPLIT_NOTES: Readonly<Partial<Record<PaperGpSplit, readonly string[]>>> = Object.freeze({
  gp_l_id: ['Test seeds 42-541 overlap the training seeds; ID hands are nearly all in a 10k training set (§11.3).'],
  gp_l_5cards: ["The reference's 5-card enumerator misses some solvable hands, which are redrawn (§11.4)."],
  gp_l_large: ['3 of the 500 hands have no solution the float verifier accepts (§11.1).'],
})

function gpTestPreset(split: PaperGpSplit): Preset {
  const s = paperGpSplit(split)
  const ood = !s.ood ? 'none' : s.largestCard >= 14 ? 'high' : 'face'
  const difficulty: DifficultySpec = { task: 'gp', cards: s.numCards, largest: s.largestCard, ood, target: 24 }
  const variant = variantByName(GP_TEST_VARIANTS[split])
  return preset({
    name: split,
    task: 'gp',
    role: 'test',
    description: `${split}: ${describeDifficulty(difficulty)}; ${variant.description ?? variant.name}`,
    source: `debunk_sft/utils/dataset/gp_l/create_test_dataset.py (generate_test_${split.slice('gp_l_'.length)})`,
    instanceSet: { task: 'gp', difficulty, seedScheme: { kind: 'paper-gp', split }, count: PAPER_GP_TASKS_PER_SPLIT },
    variant,
    notes: [
      'Hand i is seeded with random.seed(42 + i); the 4-card face-forced splits draw the same hand i whenever ' +
        'the first draw is solvable (§6.1).',
      ...(SPLIT_NOTES[split] ?? []),
    ],
  })
}

function sokobanDataPreset(
  name: string,
  role: PresetRole,
  size: number,
  firstSeed: number,
  count: number,
  variant: string,
  notes: string[],
): Preset {
  const last = firstSeed + count - 1
  return preset({
    name,
    task: 'sokoban',
    role,
    description:
      `Sokoban ${role === 'train' ? 'training' : 'test'} puzzles: ${size}x${size}, 1 box, ` +
      `seeds ${firstSeed}-${last}; one-step examples along the BFS path.`,
    source: 'debunk_sft/utils/dataset/sokoban/create_diverse_dataset.py' +
      (variant === 'sokoban-train-words' ? ' + create_ultra_mixed_dataset.py' : ''),
    instanceSet: {
      task: 'sokoban',
      difficulty: sokobanDifficulty(size, size, 1),
      seedScheme: { kind: 'paper-sokoban-seeds', firstSeed },
      count,
    },
    variant: variantByName(variant),
    notes,
    nonReproducible: retryItems(`seeds/${firstSeed}/${size}x${size}`, firstSeed),
  })
}

const ONE_STEP_NOTE =
  'Each puzzle gives one example per state along its BFS plan (label = next move); puzzles with no plan are ' +
  'skipped (§4.4).'

function gpTrainPreset(
  name: string,
  mixture: 'basic' | 'mixed' | 'diverse',
  perMapping: number,
  notes: string[],
): Preset {
  const mappings = TRAINING_PRESETS[mixture].map((r) => r.name)
  const count = mappings.length * perMapping
  return preset({
    name,
    task: 'gp',
    role: 'train',
    description:
      `General Points training hands, face-card preset "${mixture}" (${mappings.join(', ')}), ${perMapping} each; ` +
      '4 cards, ranks 1-13, target 24.',
    source: 'debunk_sft/utils/dataset/gp_l/create_training_dataset.py',
    instanceSet: {
      task: 'gp',
      difficulty: { task: 'gp', cards: 4, largest: 13, ood: 'none', target: 24 },
      seedScheme: { kind: 'paper-gp-train', mappings, perMapping },
      count,
    },
    variant: variantByName('gp-train'),
    notes: ['Task k is seeded with random.seed(42 + k) and uses mapping floor(k / per-mapping) (§6.1).', ...notes],
  })
}

function buildPresets(): Preset[] {
  const list: Preset[] = []
  for (const tag of PAPER_SOKOBAN_TAG_LISTS.final) list.push(sokobanEvalPreset(tag, 'final', tag))
  for (const tag of PAPER_SOKOBAN_TAG_LISTS['sft-9']) {
    const position = PAPER_SOKOBAN_TAG_LISTS['sft-9'].indexOf(tag)
    const sameSeeds = PAPER_SOKOBAN_TAG_LISTS.final.indexOf(tag) === position
    if (sameSeeds) continue
    list.push(sokobanEvalPreset(tag, 'sft-9', PAPER_SOKOBAN_TAG_LISTS.final.includes(tag) ? `${tag}@sft-9` : tag))
  }
  for (const split of PAPER_GP_SPLITS) list.push(gpTestPreset(split))
  list.push(
    sokobanDataPreset('sokoban_6x6_1horizon_train', 'train', 6, 42, 200, 'sokoban-train-base', [
      ONE_STEP_NOTE,
      'With the reference defaults this gives 771 examples (mean plan 3.9 moves).',
      'Training puzzles 81-180 are the SimpleSokoban eval levels (§4.5, §11.3).',
    ]),
  )
  for (const size of [5, 6, 7, 8, 9, 10]) {
    const name = `sokoban_${size}x${size}_1horizon_test`
    list.push(sokobanDataPreset(name, 'test', size, 242, 60, 'sokoban-train-base', [ONE_STEP_NOTE]))
  }
  list.push(
    sokobanDataPreset('sokoban_super_random_train', 'train', 6, 42, 200, 'sokoban-train-words', [
      ONE_STEP_NOTE,
      'The diverse set: data row r (the r-th one-step example, counted across puzzles in order) shows 4 words ' +
        'drawn by np.random.seed(42 + r) from the 210-word pool, for Up, Down, Left, Right (§7.5).',
      'Most likely the paper\'s "diverse" Sokoban data [inferred] (HF Xiaofeng77/sokoban_super_random).',
    ]),
  )
  list.push(
    gpTrainPreset('gp_l_train_mixed', 'mixed', PAPER_GP_TRAIN_TASKS_PER_MAPPING, [
      "The paper's diverse training set (HF Xiaofeng77/gp-l-only-10k-mixed, \"diverse-gp-l-only-10k\"); " +
        'every shown value is <= 10.',
    ]),
    gpTrainPreset('gp_l_train_diverse', 'diverse', PAPER_GP_TRAIN_TASKS_PER_MAPPING, [
      'The "diverse" face-card preset of face_card_configs.py; defined by the reference, not used by its main().',
    ]),
    gpTrainPreset('gp_l_train_basic', 'basic', 10_000, [
      'One rule (J/Q/K = 10) for all 10 000 hands. The paper\'s non-diverse set is sampled from the SFTvsRL data ' +
        'instead (not reproducible from seeds); the scripts might also mean this preset (§6.3, ambiguous).',
    ]),
  )
  return list
}

/** Every preset: Sokoban eval tags, General Points test splits, then the training settings. */
export const PRESETS: readonly Preset[] = Object.freeze(buildPresets())

/** The preset called `name` (exact, case-sensitive); throws with near names and the full list. */
export function presetByName(name: string): Preset {
  const found = PRESETS.find((p) => p.name === name)
  if (found !== undefined) return found
  throw new Error(`Unknown preset "${name}". ${suggestionText(name, PRESETS.map((p) => p.name))}`)
}

/** A short description of a seed scheme over a set's items, e.g. `paper eval seeds 123-222 (final list)`. */
export function describeSeedScheme(spec: InstanceSetSpec): string {
  const s: SeedScheme = spec.seedScheme
  const start = spec.start ?? 0
  const range = (first: number): string => `${first + start}-${first + start + spec.count - 1}`
  switch (s.kind) {
    case 'paper-sokoban': {
      const position = PAPER_SOKOBAN_TAG_LISTS[s.list].indexOf(s.tag)
      return `paper eval seeds ${range(PAPER_EVAL_BASE_SEED + PAPER_EVAL_LEVELS_PER_TAG * position)} (${s.list} list)`
    }
    case 'paper-sokoban-seeds':
      return `paper RAGEN seeds ${range(s.firstSeed)}`
    case 'paper-gp':
      return `paper test seeds ${range(42)}`
    case 'paper-gp-train':
      return `paper train seeds ${range(42)}, ${s.mappings.length} rule(s) x ${s.perMapping}`
    case 'seeded':
      return `sftbench seed ${s.seed}, items ${start}-${start + spec.count - 1}`
  }
}
