/**
 * @module core/notebook/instances
 * Turns what a task cell (or a `wb:levels.generate` / `wb:hands.generate` request) says into an
 * instance set: a preset's set (a window of it), or a difficulty dealt from a seed scheme.
 */
import { PAPER_DIFFICULTIES, type DifficultySpec } from '../experiment/difficulty.ts'
import { parseInstanceSetSpec, type InstanceSetSpec, type SeedScheme } from '../experiment/instance-set.ts'
import { presetByName } from '../experiment/presets.ts'
import { suggestionText, type RuleSettingSpec } from '../experiment/variant.ts'

/** Which instances: see `InstanceSourceSchema` in core/contract/api.ts and the task cell. */
export interface InstanceSourceInput {
  readonly preset?: string
  readonly difficulty?: string | DifficultySpec
  /** The seed of the default `seeded` scheme (ignored when `seedScheme` is given). */
  readonly seed?: number
  readonly seedScheme?: SeedScheme
  readonly rule?: RuleSettingSpec | RuleSettingSpec[]
  readonly start?: number
  readonly count: number
}

/** The rule of General Points hands when none is given: J, Q and K all count 10 (the paper's base rule). */
export const DEFAULT_GP_RULE: RuleSettingSpec = Object.freeze({ shown: 'all_10', scored: 'all_10' })

/**
 * The instance set `source` describes for `task`. Throws an Error (a `SpecError` for schema
 * problems) that names the field: an unknown preset or difficulty name, a task mismatch, or a window
 * beyond the preset's end.
 */
export function instanceSetOf(task: 'sokoban' | 'gp', source: InstanceSourceInput): InstanceSetSpec {
  const start = source.start ?? 0
  if (source.preset !== undefined) {
    const preset = presetByName(source.preset)
    if (preset.task !== task) {
      throw new Error(`preset: "${preset.name}" is a ${preset.task} preset, not a ${task} one.`)
    }
    const set = preset.instanceSet
    if (start + source.count > set.count) {
      throw new Error(`count: preset "${preset.name}" has ${set.count} instances; start + count is ${start + source.count}.`)
    }
    return parseInstanceSetSpec({ ...set, start: (set.start ?? 0) + start, count: source.count })
  }
  if (source.difficulty === undefined) throw new Error('difficulty: give a difficulty or a preset.')
  let difficulty: DifficultySpec
  if (typeof source.difficulty === 'string') {
    const named = PAPER_DIFFICULTIES[source.difficulty]
    if (named === undefined || !Object.hasOwn(PAPER_DIFFICULTIES, source.difficulty)) {
      const names = Object.keys(PAPER_DIFFICULTIES).filter((n) => PAPER_DIFFICULTIES[n].task === task)
      throw new Error(`difficulty: unknown difficulty "${source.difficulty}". ${suggestionText(source.difficulty, names)}`)
    }
    difficulty = named
  } else {
    difficulty = source.difficulty
  }
  if (difficulty.task !== task) {
    throw new Error(`difficulty: this is a ${difficulty.task} difficulty; a ${task} one is needed here.`)
  }
  const seedScheme: SeedScheme = source.seedScheme ?? { kind: 'seeded', seed: source.seed ?? 0 }
  const rule = source.rule ?? (task === 'gp' && seedScheme.kind === 'seeded' ? DEFAULT_GP_RULE : undefined)
  return parseInstanceSetSpec({
    task,
    difficulty,
    seedScheme,
    count: source.count,
    ...(start === 0 ? {} : { start }),
    ...(rule === undefined ? {} : { rule }),
  })
}
