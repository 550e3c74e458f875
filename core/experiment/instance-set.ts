/**
 * @module core/experiment/instance-set
 * Instance sets: (task, difficulty, seed scheme, count). Item i of a set depends only on (spec, i),
 * so any item can be rebuilt alone, in any order, on any machine.
 *
 * Seed schemes:
 * - `paper-sokoban`: the paper's eval levels, level k of `tag` seeded 123 + 100·(tag position in
 *   the list) + k (paper-tasks.md §4.5), made by core/paper's port of RAGEN's generator;
 * - `paper-sokoban-seeds`: RAGEN's generator at seeds firstSeed, firstSeed + 1, … with the
 *   difficulty's room: the paper's training (42…241) and test (242…301) puzzles (§4.4);
 * - `paper-gp`: the paper's test hands, hand i of a split seeded 42 + i (§6.1);
 * - `paper-gp-train`: the paper's training hands, task k seeded 42 + k, mappings in blocks (§6.3);
 * - `seeded`: sftbench's own generators (`generateLevel`, `dealHand`), item i from `(seed, i)`.
 */
import { z } from 'zod'
import { PAPER_SOKOBAN_TAG_LISTS, paperBfsLabels, paperSokobanLevel } from '../paper/paper-sokoban.ts'
import type { PaperSokobanTagList } from '../paper/paper-sokoban.ts'
import { ragenReset } from '../paper/ragen-generate.ts'
import { PAPER_GP_SPLITS, PAPER_GP_TASKS_PER_SPLIT, paperGpHand, paperGpSplit } from '../paper/paper-gp.ts'
import type { PaperGpSplit } from '../paper/paper-gp.ts'
import { paperEvalTag } from '../sokoban/vocab.ts'
import { generateLevel } from '../sokoban/generate.ts'
import { oneBoxPlan } from '../sokoban/generate/oneBoxPlan.ts'
import { PAPER_MAX_DEPTH, paperLabels, solveBfs } from '../sokoban/solve/bfs.ts'
import type { Level } from '../sokoban/level.ts'
import type { Direction } from '../sokoban/directions.ts'
import { dealHand, dealSettings } from '../gp/deal.ts'
import { cardString, rankValue } from '../gp/cards.ts'
import { scoredRule, shownRule, type FaceRule } from '../gp/rules.ts'
import { allSolutions } from '../gp/solver.ts'
import { parseExpression, evaluateFloat } from '../gp/expression.ts'
import { pyEqualsInteger } from '../gp/python-number.ts'
import { DifficultySpecSchema, type GpDifficulty, type SokobanDifficulty } from './difficulty.ts'
import { RuleSettingSchema, resolveRule, type RuleSettingSpec } from './variant.ts'
import { parseSpec } from './schema.ts'
import { paperGpTrainHand } from './paper-gp-train.ts'

const PAPER_LISTS = ['final', 'sft-9'] as const

/** How item i gets its randomness (see the module comment). */
export const SeedSchemeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('paper-sokoban'), tag: z.string().min(1), list: z.enum(PAPER_LISTS) }).strict(),
  z.object({ kind: z.literal('paper-sokoban-seeds'), firstSeed: z.int().min(0).max(0xffffffff) }).strict(),
  z.object({ kind: z.literal('paper-gp'), split: z.enum(PAPER_GP_SPLITS) }).strict(),
  z
    .object({
      kind: z.literal('paper-gp-train'),
      /** Face-card mappings in order; task k uses mappings[floor(k / perMapping)]. */
      mappings: z.array(z.string().min(1)).min(1),
      perMapping: z.int().min(1),
    })
    .strict(),
  z.object({ kind: z.literal('seeded'), seed: z.int().min(0).max(Number.MAX_SAFE_INTEGER) }).strict(),
])
export type SeedScheme = z.infer<typeof SeedSchemeSchema>

/**
 * An instance set. `start` offsets the item indices (item i of the set is item start + i of the
 * scheme). `rule` (General Points, `seeded` only) is the face-card rule hands are dealt under: the
 * verifier's values decide which hands are solvable; a list cycles, hand i taking rule[i % n].
 */
export const InstanceSetSpecSchema = z
  .object({
    task: z.enum(['sokoban', 'gp']),
    difficulty: DifficultySpecSchema,
    seedScheme: SeedSchemeSchema,
    count: z.int().min(1),
    start: z.int().min(0).optional(),
    rule: z.union([RuleSettingSchema, z.array(RuleSettingSchema).min(1)]).optional(),
  })
  .strict()
  .superRefine((spec, ctx) => {
    const problem = consistencyProblem(spec as InstanceSetSpec)
    if (problem !== null) ctx.addIssue({ code: 'custom', message: problem.message, path: problem.path })
  })

export type InstanceSetSpec = z.infer<typeof InstanceSetSpecSchema>

/** Validates an instance set (e.g. read from JSON); throws a `SpecError` naming each bad field. */
export function parseInstanceSetSpec(input: unknown): InstanceSetSpec {
  return parseSpec(InstanceSetSpecSchema, input, 'instanceSet')
}

/** How a Sokoban instance was made. */
export interface SokobanInstanceMeta {
  readonly scheme: SeedScheme['kind']
  /** The seed the generator was reset with (paper schemes) or the stream seed (`seeded`). */
  readonly seed: number
  /** Paper schemes: the seed, then every retry seed; the last one made the level. */
  readonly seedChain?: readonly number[]
  /** False when the reference itself cannot rebuild the level (salted-hash retry, §11.5). */
  readonly reproducibleInReference: boolean
  readonly reason?: string
}

/** A Sokoban puzzle with its optimal plan. */
export interface SokobanInstance {
  readonly task: 'sokoban'
  /** Stable id, e.g. `SimpleSokoban/17`, `paper-seed/59/6x6-1` or `seed42/6x6-1/17`. */
  readonly id: string
  /** Position within the instance set (0-based). */
  readonly index: number
  readonly level: Level
  /**
   * The first move-optimal plan in Up, Down, Left, Right order (the paper's BFS labels). Paper
   * schemes cap it at 30 moves as the reference does ([] beyond); sftbench's levels are uncapped.
   */
  readonly optimalPlan: readonly Direction[]
  readonly meta: SokobanInstanceMeta
}

/** How a General Points instance was made. */
export interface GpInstanceMeta {
  readonly scheme: SeedScheme['kind']
  readonly seed: number
  /** Unsolvable draws rejected before this hand. */
  readonly redraws: number
  /** Paper schemes: every solution the reference's enumerator listed, in order, with duplicates. */
  readonly paperSolutions?: readonly string[]
}

/** A General Points hand, with the rule it was dealt under and a stored solution. */
export interface GpInstance {
  readonly task: 'gp'
  /** Stable id, e.g. `gp_l_id/17`, `gp-train/all_8/17` or `seed7/4c-13-face/17`. */
  readonly id: string
  readonly index: number
  /** Ranks 1-19 in prompt order. */
  readonly ranks: readonly number[]
  /** Card strings as the prompt shows them (`A`, `7`, `Q`, `14`). */
  readonly cards: readonly string[]
  /** The rule shown in the prompt and the one the verifier scores with. */
  readonly rule: { readonly shown: FaceRule; readonly scored: FaceRule }
  /** The values the verifier requires (scored rule). */
  readonly values: readonly number[]
  /** The values the prompt's rule gives. */
  readonly shownValues: readonly number[]
  readonly target: number
  /**
   * The stored answer-only formula: the reference's `random.choice(solutions)` for paper schemes;
   * for `seeded`, the first canonical solution whose float value is exactly the target (else the
   * first canonical one). Null only for an unsolvable hand.
   */
  readonly solution: string | null
  /** Paper schemes: `len(solutions)` of the reference (with duplicates); `seeded`: distinct solutions. */
  readonly solutionCount: number
  readonly meta: GpInstanceMeta
}

/** An instance of either task. */
export type Instance = SokobanInstance | GpInstance

interface Problem {
  readonly message: string
  readonly path: (string | number)[]
}

function consistencyProblem(spec: InstanceSetSpec): Problem | null {
  const d = spec.difficulty
  const s = spec.seedScheme
  const start = spec.start ?? 0
  if (d.task !== spec.task) {
    const message = `difficulty is for task "${d.task}" but the set is for "${spec.task}"`
    return { message, path: ['difficulty', 'task'] }
  }
  const sokobanOnly = s.kind === 'paper-sokoban' || s.kind === 'paper-sokoban-seeds'
  const gpOnly = s.kind === 'paper-gp' || s.kind === 'paper-gp-train'
  if ((sokobanOnly && spec.task !== 'sokoban') || (gpOnly && spec.task !== 'gp')) {
    return { message: `seed scheme "${s.kind}" does not make ${spec.task} instances`, path: ['seedScheme', 'kind'] }
  }
  if (spec.rule !== undefined && (spec.task !== 'gp' || s.kind !== 'seeded')) {
    return {
      message: 'rule applies only to seeded General Points sets (paper schemes fix their own rules)',
      path: ['rule'],
    }
  }
  if (spec.task === 'gp' && s.kind === 'seeded' && spec.rule === undefined) {
    const message = 'a seeded General Points set needs a rule, e.g. {"shown": "all_10", "scored": "all_10"}'
    return { message, path: ['rule'] }
  }
  if (d.task === 'sokoban' && (s.kind === 'paper-sokoban' || s.kind === 'paper-sokoban-seeds')) {
    if (d.minMoves !== undefined || d.maxMoves !== undefined) {
      return {
        message: 'the paper schemes do not filter on solution length; remove minMoves/maxMoves or use a seeded scheme',
        path: ['difficulty', d.minMoves !== undefined ? 'minMoves' : 'maxMoves'],
      }
    }
  }
  if (s.kind === 'paper-sokoban' && d.task === 'sokoban') {
    const tags = PAPER_SOKOBAN_TAG_LISTS[s.list as PaperSokobanTagList]
    if (!tags.includes(s.tag)) {
      const message = `tag "${s.tag}" is not in the ${s.list} list (${tags.join(', ')})`
      return { message, path: ['seedScheme', 'tag'] }
    }
    const tag = paperEvalTag(s.tag)
    if (d.rows !== tag.rows || d.cols !== tag.cols || d.boxes !== tag.boxes) {
      return {
        message: `${s.tag} levels are ${tag.rows}x${tag.cols} with ${tag.boxes} box(es); the difficulty says ` +
          `${d.rows}x${d.cols} with ${d.boxes}`,
        path: ['difficulty'],
      }
    }
    if (start + spec.count > 100) {
      return { message: `${s.tag} has 100 levels; start + count is ${start + spec.count}`, path: ['count'] }
    }
  }
  if (s.kind === 'paper-gp' && d.task === 'gp') {
    const split = paperGpSplit(s.split)
    const ood = !split.ood ? 'none' : split.largestCard >= 14 ? 'high' : 'face'
    if (d.cards !== split.numCards || d.largest !== split.largestCard || d.ood !== ood || d.target !== 24) {
      return {
        message: `${s.split} deals ${split.numCards} cards, ranks 1-${split.largestCard}, ood "${ood}", target 24; ` +
          `the difficulty says ${d.cards} cards, ranks 1-${d.largest}, ood "${d.ood}", target ${d.target}`,
        path: ['difficulty'],
      }
    }
    if (start + spec.count > PAPER_GP_TASKS_PER_SPLIT) {
      const message = `${s.split} has ${PAPER_GP_TASKS_PER_SPLIT} hands; start + count is ${start + spec.count}`
      return { message, path: ['count'] }
    }
  }
  if (s.kind === 'paper-gp-train' && d.task === 'gp') {
    if (d.ood === 'high') {
      return { message: "the paper's training generator has no ood 'high'", path: ['difficulty', 'ood'] }
    }
    if (d.cards < 3) return { message: "the paper's enumerator needs at least 3 cards", path: ['difficulty', 'cards'] }
    for (const [i, name] of s.mappings.entries()) {
      try {
        resolveRule(name)
      } catch (error) {
        return { message: (error as Error).message, path: ['seedScheme', 'mappings', i] }
      }
    }
    const total = s.mappings.length * s.perMapping
    if (start + spec.count > total) {
      return { message: `the scheme has ${total} tasks; start + count is ${start + spec.count}`, path: ['count'] }
    }
  }
  return null
}

function checkIndex(spec: InstanceSetSpec, i: number): void {
  if (!Number.isInteger(i) || i < 0 || i >= spec.count) {
    throw new RangeError(`Instance index must be an integer in [0, ${spec.count - 1}], got ${i}.`)
  }
}

/** Item `i` (0-based) of the set. Depends only on (spec, i). */
export function instanceAt(spec: InstanceSetSpec, i: number): Instance {
  checkIndex(spec, i)
  const k = (spec.start ?? 0) + i
  const s = spec.seedScheme
  const d = spec.difficulty
  switch (s.kind) {
    case 'paper-sokoban':
      return paperEvalInstance(s.tag, s.list, k, i)
    case 'paper-sokoban-seeds':
      return paperSeedInstance(d as SokobanDifficulty, s.firstSeed + k, i)
    case 'paper-gp':
      return paperGpInstance(s.split, k, i)
    case 'paper-gp-train':
      return paperGpTrainInstance(s.mappings, s.perMapping, d as GpDifficulty, k, i)
    case 'seeded':
      return d.task === 'sokoban' ? seededSokoban(d, s.seed, k, i) : seededGp(spec, d, s.seed, k, i)
  }
}

/** Every item of the set, in order. */
export function instancesOf(spec: InstanceSetSpec): Instance[] {
  return Array.from({ length: spec.count }, (_, i) => instanceAt(spec, i))
}

function paperEvalInstance(tag: string, list: PaperSokobanTagList, k: number, i: number): SokobanInstance {
  const made = paperSokobanLevel(tag, k, list)
  return {
    task: 'sokoban',
    id: list === 'final' ? `${tag}/${k}` : `${tag}@${list}/${k}`,
    index: i,
    level: made.level,
    optimalPlan: paperBfsLabels(made.level),
    meta: {
      scheme: 'paper-sokoban',
      seed: made.seed,
      seedChain: made.seedChain,
      reproducibleInReference: made.reproducibleInReference,
      ...(made.reason === undefined ? {} : { reason: made.reason }),
    },
  }
}

function paperSeedInstance(d: SokobanDifficulty, seed: number, i: number): SokobanInstance {
  const made = ragenReset(seed, { rows: d.rows, cols: d.cols, numBoxes: d.boxes, searchDepth: PAPER_MAX_DEPTH })
  const retried = made.seedChain.length > 1
  return {
    task: 'sokoban',
    id: `paper-seed/${seed}/${d.rows}x${d.cols}-${d.boxes}`,
    index: i,
    level: made.level,
    optimalPlan: paperBfsLabels(made.level),
    meta: {
      scheme: 'paper-sokoban-seeds',
      seed,
      seedChain: made.seedChain,
      reproducibleInReference: !retried,
      ...(retried
        ? {
            reason:
              `seed ${seed} failed to generate; the reference retries from a salted string hash, so its runs ` +
              `differ. This is the level CPython >= 3.11 makes under PYTHONHASHSEED=0 (seed chain ` +
              `${made.seedChain.join(' -> ')}).`,
          }
        : {}),
    },
  }
}

function seededSokoban(d: SokobanDifficulty, seed: number, k: number, i: number): SokobanInstance {
  const made = generateLevel(
    {
      rows: d.rows,
      cols: d.cols,
      boxes: d.boxes,
      ...(d.minMoves === undefined ? {} : { minOptimalMoves: d.minMoves }),
      ...(d.maxMoves === undefined ? {} : { maxOptimalMoves: d.maxMoves }),
    },
    seed,
    k,
  )
  return {
    task: 'sokoban',
    id: `seed${seed}/${d.rows}x${d.cols}-${d.boxes}/${k}`,
    index: i,
    level: made.level,
    // One box: the same plan as solveBfs, without the general solver's set-up (most of the cost).
    optimalPlan: oneBoxPlan(made.level) ?? paperLabels(solveBfs(made.level)),
    meta: { scheme: 'seeded', seed, reproducibleInReference: true },
  }
}

function paperGpInstance(split: PaperGpSplit, k: number, i: number): GpInstance {
  const hand = paperGpHand(split, k)
  const setting = paperGpSplit(split).rule
  const shown = shownRule(setting)
  return {
    task: 'gp',
    id: `${split}/${k}`,
    index: i,
    ranks: hand.ranks,
    cards: hand.cards,
    rule: { shown, scored: scoredRule(setting) },
    values: hand.displayValues,
    shownValues: hand.ranks.map((r) => rankValue(r, shown)),
    target: 24,
    solution: hand.solution,
    solutionCount: hand.solutionCount,
    meta: { scheme: 'paper-gp', seed: hand.seed, redraws: hand.redraws, paperSolutions: hand.solutions },
  }
}

function paperGpTrainInstance(
  mappings: readonly string[],
  perMapping: number,
  d: GpDifficulty,
  k: number,
  i: number,
): GpInstance {
  const rules = mappings.map(resolveRule)
  const hand = paperGpTrainHand(rules, perMapping, k, {
    numCards: d.cards,
    largestCard: d.largest,
    ood: d.ood === 'face',
    target: d.target,
  })
  return {
    task: 'gp',
    id: `gp-train/${hand.rule.name}/${k}`,
    index: i,
    ranks: hand.ranks,
    cards: hand.cards,
    rule: { shown: hand.rule, scored: hand.rule },
    values: hand.displayValues,
    shownValues: hand.displayValues,
    target: d.target,
    solution: hand.solution,
    solutionCount: hand.solutions.length,
    meta: { scheme: 'paper-gp-train', seed: hand.seed, redraws: hand.redraws, paperSolutions: hand.solutions },
  }
}

function ruleOfItem(spec: InstanceSetSpec, k: number): { shown: FaceRule; scored: FaceRule } {
  const given = spec.rule as RuleSettingSpec | RuleSettingSpec[]
  const setting = Array.isArray(given) ? given[k % given.length] : given
  return { shown: resolveRule(setting.shown), scored: resolveRule(setting.scored) }
}

function seededGp(spec: InstanceSetSpec, d: GpDifficulty, seed: number, k: number, i: number): GpInstance {
  const rule = ruleOfItem(spec, k)
  const hand = dealHand(
    dealSettings({ numCards: d.cards, target: d.target, largestRank: d.largest, ood: d.ood, rule }),
    seed,
    k,
  )
  const ranks = hand.cards.map((c) => c.rank)
  const solved = allSolutions(hand.values, d.target)
  const floatExact = solved.solutions.find((text) => {
    const parsed = parseExpression(text)
    if (!parsed.ok) return false
    const value = evaluateFloat(parsed.expr)
    return value.ok && pyEqualsInteger(value.value, BigInt(d.target))
  })
  const ood = d.ood === 'none' ? '' : `-${d.ood}`
  return {
    task: 'gp',
    id: `seed${seed}/${d.cards}c-${d.largest}${ood}/${k}`,
    index: i,
    ranks,
    cards: ranks.map(cardString),
    rule,
    values: hand.values,
    shownValues: hand.shownValues,
    target: d.target,
    solution: floatExact ?? solved.solutions[0] ?? null,
    solutionCount: solved.count,
    meta: { scheme: 'seeded', seed, redraws: hand.redraws },
  }
}

/**
 * The data row of item i's first one-step example when the set is turned into one-step data in order
 * (§4.4): the number of moves in the plans of items 0 … i-1 (items with no plan give no rows). The
 * paper's diverse data draws each row's words from this row index (§7.5). Costs i instance builds.
 */
export function oneStepRowOffset(spec: InstanceSetSpec, i: number): number {
  if (spec.task !== 'sokoban') throw new Error('One-step rows exist only for Sokoban instance sets.')
  checkIndex(spec, i)
  let row = 0
  for (let j = 0; j < i; j++) row += (instanceAt(spec, j) as SokobanInstance).optimalPlan.length
  return row
}
