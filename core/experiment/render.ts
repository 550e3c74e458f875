/**
 * @module core/experiment/render
 * Puts an instance through a variant: the exact prompt text (paper-tasks.md §7), the answer-only
 * target (§8), the one-step positions along a Sokoban plan (§4.4) and a canonical content key for
 * contamination checks.
 *
 * Prompts render through the template library (`core/prompt`): the variant's task template gets the
 * task's variables (board, Answers block, cards, face-card sentence, …), then, in `raw` chat mode,
 * the result is the `prompt` of a named wrapper template. With the paper's templates this gives the
 * paper's strings byte for byte; `core/sokoban/prompt.ts` and `core/paper/paper-gp.ts` build the same
 * strings independently, and the tests hold the two against each other.
 */
import {
  compileTemplate,
  gpTemplateVars,
  paperTemplateLibrary,
  renderTemplate,
  schemaForTask,
  sokobanTemplateVars,
  wrapPrompt,
  type CompiledTemplate,
  type TemplateLibrary,
} from '../prompt/index.ts'
import type { ActionVocabulary } from '../sokoban/vocab.ts'
import { PAPER_SYMBOLS, XSB_SYMBOLS, type GridLayout, type SymbolSet } from '../sokoban/text.ts'
import { serializeXsb } from '../sokoban/xsb.ts'
import { applyMove } from '../sokoban/rules.ts'
import { PAPER_MAX_DEPTH, paperLabels, solveBfs } from '../sokoban/solve/bfs.ts'
import { sameState, type Level, type SokobanState } from '../sokoban/level.ts'
import type { Direction } from '../sokoban/directions.ts'
import { rankValue } from '../gp/cards.ts'
import { faceCardMessage, type FaceRule } from '../gp/rules.ts'
import { allSolutions } from '../gp/solver.ts'
import { evaluateFloat, parseExpression } from '../gp/expression.ts'
import { pyEqualsInteger } from '../gp/python-number.ts'
import { paperGpAnswer } from '../paper/paper-gp.ts'
import {
  resolveRule,
  resolveVocabulary,
  type GpVariantSpec,
  type SokobanVariantSpec,
  type VariantSpec,
} from './variant.ts'
import type { GpInstance, Instance, SokobanInstance } from './instance-set.ts'

/** Options of `renderInstancePrompt` and `optimalAnswer`. */
export interface RenderInstanceOptions {
  /** Sokoban: the position to show (default the level's start). */
  readonly state?: SokobanState
  /** Sokoban: the data row, for per-row vocabularies (`paper-words`: row i draws its own words). */
  readonly row?: number
  /** Sokoban: a vocabulary to show instead of the variant's (and to accept, when it accepts "shown"). */
  readonly vocabulary?: ActionVocabulary
  /** A chain of thought, for templates that use `cot`. */
  readonly cot?: string
  /**
   * Chat mode `model`: formats the user message with the model's chat template (e.g. core/prompt's
   * `applyChatTemplate` with the tokenizer's template). Absent: the user message itself is returned.
   */
  readonly applyChat?: (userContent: string) => string
  /** `optimalAnswer` (Sokoban): the next action (the paper's one-step target, default) or the whole plan. */
  readonly form?: 'next-action' | 'whole-plan'
}

let paperLibrary: TemplateLibrary | undefined

/** The library of the paper's templates, built once. */
export function defaultTemplateLibrary(): TemplateLibrary {
  paperLibrary ??= paperTemplateLibrary()
  return paperLibrary
}

const inlineCache = new WeakMap<object, CompiledTemplate>()

function taskTemplate(variant: VariantSpec, library: TemplateLibrary): CompiledTemplate {
  const ref = variant.template
  if (typeof ref !== 'string') {
    let compiled = inlineCache.get(ref)
    if (compiled === undefined) {
      compiled = compileTemplate(ref.name ?? `${variant.name}.template`, ref.source, schemaForTask(variant.task))
      inlineCache.set(ref, compiled)
    }
    return compiled
  }
  const entry = library.get(ref)
  if (entry.task !== variant.task) {
    throw new Error(
      `Variant "${variant.name}" uses template "${ref}", which is a ${entry.task} template, not a ${variant.task} one.`,
    )
  }
  return library.compiled(ref)
}

function applyChatMode(
  body: string,
  variant: VariantSpec,
  library: TemplateLibrary,
  options: RenderInstanceOptions,
): string {
  const chat = variant.chat
  if (chat.mode === 'none') return body
  if (chat.mode === 'model') return options.applyChat === undefined ? body : options.applyChat(body)
  return wrapPrompt(library, chat.wrapper, body)
}

/**
 * The exact prompt text for an instance under a variant: the task template, wrapped as the variant's
 * chat mode says. `library` defaults to the paper's templates.
 */
export function renderInstancePrompt(
  instance: Instance,
  variant: VariantSpec,
  library: TemplateLibrary = defaultTemplateLibrary(),
  options: RenderInstanceOptions = {},
): string {
  return applyChatMode(renderInstanceBody(instance, variant, library, options), variant, library, options)
}

function checkTask(instance: Instance, variant: VariantSpec): void {
  if (instance.task !== variant.task) {
    throw new Error(
      `Variant "${variant.name}" is for ${variant.task}, but instance ${instance.id} is a ${instance.task} instance.`,
    )
  }
}

/** The task prompt before any chat formatting (the user message content). */
export function renderInstanceBody(
  instance: Instance,
  variant: VariantSpec,
  library: TemplateLibrary = defaultTemplateLibrary(),
  options: RenderInstanceOptions = {},
): string {
  checkTask(instance, variant)
  const template = taskTemplate(variant, library)
  const vars =
    instance.task === 'sokoban'
      ? sokobanVariables(instance, variant as SokobanVariantSpec, template, options)
      : gpVariables(instance, variant as GpVariantSpec, template, options)
  return renderTemplate(template, vars).text
}

// ---------------------------------------------------------------------------------------------
// Sokoban

/** The vocabularies a variant shows and accepts for one rendering. */
export function variantVocabularies(
  variant: SokobanVariantSpec,
  options: Pick<RenderInstanceOptions, 'row' | 'vocabulary'> = {},
): { shown: ActionVocabulary | null; accepted: ActionVocabulary } {
  const { shown, accepted } = variant.vocabulary
  const shownVocab = options.vocabulary ?? (shown === null ? null : resolveVocabulary(shown, options.row))
  if (accepted === 'shown') {
    if (shownVocab === null) throw new Error(`Variant "${variant.name}" accepts "shown" but shows no vocabulary.`)
    return { shown: shownVocab, accepted: shownVocab }
  }
  return { shown: shownVocab, accepted: resolveVocabulary(accepted, options.row) }
}

/**
 * The board's symbols and layout. `xsb` draws XSB symbols with no cell padding (its legend shows the
 * floor, a space, as `(space)`); a custom renderer gives its own.
 */
function boardStyle(variant: SokobanVariantSpec): { symbols: SymbolSet; layout?: GridLayout } {
  const r = variant.renderer
  if (r === 'paper') return { symbols: PAPER_SYMBOLS }
  if (r === 'xsb') return { symbols: XSB_SYMBOLS }
  return { symbols: r.symbols as SymbolSet, ...(r.layout === undefined ? {} : { layout: r.layout as GridLayout }) }
}

/**
 * The first shortest plan from `state` (the paper's labels: Up, Down, Left, Right tie order, at most
 * 30 moves, [] beyond). From the start state this is the instance's stored plan.
 */
export function planFrom(instance: SokobanInstance, state: SokobanState = instance.level.start): readonly Direction[] {
  if (sameState(state, instance.level.start)) return instance.optimalPlan
  return paperLabels(solveBfs(instance.level, { start: state, maxDepth: PAPER_MAX_DEPTH }))
}

function sokobanVariables(
  instance: SokobanInstance,
  variant: SokobanVariantSpec,
  template: CompiledTemplate,
  options: RenderInstanceOptions,
): Record<string, unknown> {
  const { level } = instance
  const state = options.state ?? level.start
  const { shown, accepted } = variantVocabularies(variant, options)
  // The plan costs a search away from the start, so it is only computed when the template reads it.
  const wantsPlan = template.variables.includes('optimal_plan') || template.variables.includes('optimal_action')
  return sokobanTemplateVars({
    level,
    state,
    shown,
    accepted,
    ...boardStyle(variant),
    lenHorizon: 1,
    ...(wantsPlan ? { optimalPlan: planFrom(instance, state) } : {}),
    ...(options.cot === undefined ? {} : { cot: options.cot }),
  })
}

/**
 * The positions of a one-step dataset along a plan (§4.4): the state before each move and the move
 * (the label). A plan of n moves gives n positions.
 */
export function planPositions(
  level: Level,
  plan: readonly Direction[],
  start: SokobanState = level.start,
): { state: SokobanState; action: Direction }[] {
  const positions: { state: SokobanState; action: Direction }[] = []
  let state = start
  for (const action of plan) {
    positions.push({ state, action })
    state = applyMove(level, state, action).state
  }
  return positions
}

function answerWrapping(variant: VariantSpec, library: TemplateLibrary): 'think' | 'answer' | 'plain' {
  if (variant.chat.mode !== 'raw' || !library.has(variant.chat.wrapper)) return 'plain'
  const source = library.get(variant.chat.wrapper).source
  if (source.endsWith('<think>')) return 'think'
  if (source.endsWith('<answer>')) return 'answer'
  return 'plain'
}

// ---------------------------------------------------------------------------------------------
// General Points

function gpRules(instance: GpInstance, variant: GpVariantSpec): { shown: FaceRule; scored: FaceRule } {
  if (variant.rule === 'instance') return instance.rule
  return { shown: resolveRule(variant.rule.shown), scored: resolveRule(variant.rule.scored) }
}

function sameValues(a: FaceRule, b: FaceRule): boolean {
  return a.jack === b.jack && a.queen === b.queen && a.king === b.king
}

/**
 * The hand's values and stored solution under the variant's scored rule. When the variant scores
 * with the rule the hand was dealt under, that is the instance's own solution; otherwise the hand is
 * re-valued and solved again (null when it has no solution under that rule).
 */
export function gpScoredHand(
  instance: GpInstance,
  variant: GpVariantSpec,
): { values: number[]; solution: string | null; rule: { shown: FaceRule; scored: FaceRule } } {
  const rule = gpRules(instance, variant)
  const values = instance.ranks.map((r) => rankValue(r, rule.scored))
  if (sameValues(rule.scored, instance.rule.scored)) return { values, solution: instance.solution, rule }
  return { values, solution: floatExactSolution(values, instance.target), rule }
}

function floatExactSolution(values: readonly number[], target: number): string | null {
  const { solutions } = allSolutions(values, target)
  const exact = solutions.find((text) => {
    const parsed = parseExpression(text)
    if (!parsed.ok) return false
    const value = evaluateFloat(parsed.expr)
    return value.ok && pyEqualsInteger(value.value, BigInt(target))
  })
  return exact ?? solutions[0] ?? null
}

function gpVariables(
  instance: GpInstance,
  variant: GpVariantSpec,
  template: CompiledTemplate,
  options: RenderInstanceOptions,
): Record<string, unknown> {
  const rule = gpRules(instance, variant)
  const wantsSolution = template.variables.includes('solution') || template.variables.includes('answer')
  const scored = wantsSolution ? gpScoredHand(instance, variant) : null
  const solved = scored !== null && scored.solution !== null ? scored.solution : undefined
  return gpTemplateVars({
    cards: instance.cards,
    faceCardMsg: faceCardMessage(rule.shown, variant.message),
    target: instance.target,
    displayCards: instance.ranks.map((r) => rankValue(r, rule.scored)),
    ...(solved === undefined || scored === null
      ? {}
      : { solution: solved, answer: paperGpAnswer(instance.cards, scored.values, solved) }),
    ...(options.cot === undefined ? {} : { cot: options.cot }),
  })
}

// ---------------------------------------------------------------------------------------------
// Targets and keys

/** Options of `optimalAnswer`: the render options plus the library that holds the chat wrapper. */
export type OptimalAnswerOptions = RenderInstanceOptions & { readonly library?: TemplateLibrary }

/**
 * The answer-only target (§8). Sokoban: the accepted name of the next optimal move (or the whole
 * plan, names joined by ", ") in the form that continues the variant's chat string: after a wrapper
 * ending `<think>`, `</think> <answer> X </answer>\n` (the paper's SFT response); after one ending
 * `<answer>`, `X </answer>\n`; otherwise `<answer> X </answer>`. General Points: the reference's
 * JSON-like answer with the stored formula (§6.1), values under the variant's scored rule.
 * Throws, saying why, when there is no answer (a solved position, no plan within 30 moves, an
 * unsolvable hand); `optimalAnswerOrNull` returns null instead.
 */
export function optimalAnswer(instance: Instance, variant: VariantSpec, options: OptimalAnswerOptions = {}): string {
  const result = answerOf(instance, variant, options)
  if (typeof result === 'string') return result
  throw new Error(result.missing)
}

/** `optimalAnswer`, or null when the instance has no answer under the variant. */
export function optimalAnswerOrNull(
  instance: Instance,
  variant: VariantSpec,
  options: OptimalAnswerOptions = {},
): string | null {
  const result = answerOf(instance, variant, options)
  return typeof result === 'string' ? result : null
}

function answerOf(
  instance: Instance,
  variant: VariantSpec,
  options: OptimalAnswerOptions,
): string | { missing: string } {
  checkTask(instance, variant)
  if (instance.task === 'gp') {
    const scored = gpScoredHand(instance, variant as GpVariantSpec)
    if (scored.solution === null) {
      const r = scored.rule.scored
      return {
        missing:
          `Hand ${instance.id} (${instance.cards.join(' ')}) has no solution under the scored rule of variant ` +
          `"${variant.name}" (J/Q/K = ${r.jack}/${r.queen}/${r.king}).`,
      }
    }
    return paperGpAnswer(instance.cards, scored.values, scored.solution)
  }
  const { accepted } = variantVocabularies(variant as SokobanVariantSpec, options)
  const plan = planFrom(instance, options.state ?? instance.level.start)
  if (plan.length === 0) {
    return {
      missing:
        `Level ${instance.id} has no answer from this position: it is solved, or needs more than ` +
        `${PAPER_MAX_DEPTH} moves.`,
    }
  }
  const names = plan.map((d) => accepted.names[d - 1])
  const action = options.form === 'whole-plan' ? names.join(', ') : names[0]
  const wrapping = answerWrapping(variant, options.library ?? defaultTemplateLibrary())
  if (wrapping === 'think') return `</think> <answer> ${action} </answer>\n`
  if (wrapping === 'answer') return `${action} </answer>\n`
  return `<answer> ${action} </answer>`
}

/**
 * A canonical content key for contamination checks. Sokoban: `sokoban|` and the start position in
 * XSB, rows joined by `/` (two levels share a key exactly when they show the same puzzle). General
 * Points: `gp|<target>|` and the cards sorted by rank, each face card followed by its shown and
 * scored values (`Q=10/10`), so the same cards under a different face-card rule are a different
 * problem while rule changes that touch no card in the hand are not.
 */
export function instanceKey(instance: Instance): string {
  if (instance.task === 'sokoban') return sokobanStateKey(instance.level, instance.level.start)
  const order = instance.ranks.map((rank, i) => ({ rank, i })).sort((a, b) => a.rank - b.rank || a.i - b.i)
  const cards = order.map(({ rank, i }) => {
    const card = instance.cards[i]
    if (rank < 11 || rank > 13) return card
    return `${card}=${instance.shownValues[i]}/${instance.values[i]}`
  })
  return `gp|${instance.target}|${cards.join(' ')}`
}

/** The content key of any Sokoban position (see `instanceKey`). */
export function sokobanStateKey(level: Level, state: SokobanState): string {
  return `sokoban|${serializeXsb(level, state).split('\n').join('/')}`
}
