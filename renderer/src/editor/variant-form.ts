/**
 * The variant form's logic, as plain functions: a template cell's variant resolved to a spec, the
 * choices each select offers and how a choice maps to and from core's `VariantSpec` fields
 * (vocabulary shown and accepted, symbol set, face-card rule shown and scored, chat formatting),
 * and the check every edited variant passes before the cell saves it, so a notebook never holds a
 * variant its own schema refuses.
 */
import {
  PAPER_VOCABULARIES,
  parseVariantSpec,
  variantByName,
  type ChatSpec,
  type RendererSpec,
  type RuleRef,
  type VariantSpec,
  type VocabularyRef,
} from '../../../core/experiment/variant.ts'
import { FACE_RULES } from '../../../core/gp/rules.ts'
import { PAPER_TEMPLATES } from '../../../core/prompt/paper-templates.ts'
import { PAPER_SYMBOLS, XSB_SYMBOLS } from '../../../core/sokoban/text.ts'

/** A select's options: value and label. */
export type Options = readonly (readonly [string, string])[]

/** The variant a template cell names, as a spec (named variants come from core's list). */
export function resolveVariant(variant: string | VariantSpec): VariantSpec {
  return typeof variant === 'string' ? variantByName(variant) : variant
}

/**
 * The variant's template text: the library entry's source, or the inline source. Read from the
 * paper's template list rather than the compiled library, whose first use compiles every template
 * (a long task while the cell first renders).
 */
export function templateSourceOf(variant: VariantSpec): string {
  const ref = variant.template
  if (typeof ref !== 'string') return ref.source
  const entry = PAPER_TEMPLATES.find((t) => t.name === ref)
  if (entry === undefined) throw new Error(`Unknown template "${ref}". Known templates: ${PAPER_TEMPLATES.map((t) => t.name).join(', ')}.`)
  return entry.source
}

/** A deep, unfrozen copy of a spec (named variants are frozen). */
function copy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T
}

/**
 * The spec an edit starts from: an inline variant as it is, a named one copied under a new name
 * (`<name>-custom`), since an edited variant is a different experiment and must not keep the name.
 */
export function editableVariant(variant: string | VariantSpec): VariantSpec {
  if (typeof variant !== 'string') return copy(variant)
  const spec = copy(variantByName(variant))
  return { ...spec, name: `${variant}-custom`, description: `${variant}, edited.` }
}

/** The outcome of checking an edited variant. */
export type VariantCheck = { readonly ok: true; readonly spec: VariantSpec } | { readonly ok: false; readonly message: string }

/** Checks `candidate` with core's variant schema (its messages name the field). */
export function checkVariant(candidate: unknown): VariantCheck {
  try {
    return { ok: true, spec: parseVariantSpec(candidate) }
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) }
  }
}

// ---------------------------------------------------------------------------------------------
// Vocabularies (Sokoban)

const VOCABULARY_LABELS: Record<keyof typeof PAPER_VOCABULARIES, string> = {
  base: 'Up / Down / Left / Right',
  cardinal: 'North / South / West / East',
  emoji: 'Arrow emoji',
  numerical: '1 / 2 / 3 / 4',
  alphabetical: 'A / B / C / D',
  random: '* / & / 1 / M',
}

/** Choices for the shown vocabulary. */
export const SHOWN_VOCABULARY_OPTIONS: Options = [
  ...Object.entries(VOCABULARY_LABELS).map(([id, label]) => [id, `${id}: ${label}`] as const),
  ['paper-words', 'paper-words: 4 words per row from the paper\'s pool'],
  ['none', 'none: no Answers block'],
  ['custom', 'custom names…'],
]

/** Choices for the accepted vocabulary. */
export const ACCEPTED_VOCABULARY_OPTIONS: Options = [
  ['shown', 'the shown names'],
  ...Object.entries(VOCABULARY_LABELS).map(([id, label]) => [id, `${id}: ${label}`] as const),
  ['custom', 'custom names…'],
]

/** The select value of a vocabulary reference (`none` for no vocabulary). */
export function vocabularyChoice(ref: VocabularyRef | 'shown' | null): string {
  if (ref === null) return 'none'
  if (typeof ref === 'string') return ref
  return ref.kind === 'paper-words' ? 'paper-words' : 'custom'
}

/** Custom names as the text field shows them: `Up, Down, Left, Right`. */
export function namesText(ref: VocabularyRef | 'shown' | null): string {
  if (ref !== null && typeof ref === 'object' && ref.kind === 'custom') return ref.names.join(', ')
  const vocab = ref === null || ref === 'shown' || typeof ref === 'object' ? null : PAPER_VOCABULARIES[ref]
  return vocab === null ? '' : vocab.names.join(', ')
}

/** Splits `Up, Down, Left, Right` into four names, or says what is wrong. */
export function parseNames(text: string): { names: [string, string, string, string] } | { error: string } {
  const names = text.split(',').map((s) => s.trim())
  if (names.length !== 4 || names.some((n) => n === '')) {
    return { error: 'give four names separated by commas, in the order Up, Down, Left, Right' }
  }
  return { names: names as [string, string, string, string] }
}

/** The reference a choice stands for (`custom` needs the names text). */
export function vocabularyFromChoice(choice: string, names: string): VocabularyRef | 'shown' | null | { error: string } {
  if (choice === 'none') return null
  if (choice === 'shown') return 'shown'
  if (choice === 'paper-words') return { kind: 'paper-words' }
  if (choice === 'custom') {
    const parsed = parseNames(names)
    return 'error' in parsed ? parsed : { kind: 'custom', names: parsed.names }
  }
  if (Object.hasOwn(PAPER_VOCABULARIES, choice)) return choice as keyof typeof PAPER_VOCABULARIES
  return { error: `unknown vocabulary "${choice}"` }
}

// ---------------------------------------------------------------------------------------------
// Symbol sets (Sokoban)

/** The symbol fields in the order the form shows them, with labels. */
type SymbolKey = 'wall' | 'floor' | 'goal' | 'box' | 'boxOnGoal' | 'player' | 'playerOnGoal'

export const SYMBOL_FIELDS: readonly (readonly [SymbolKey, string])[] = [
  ['wall', 'Wall'],
  ['floor', 'Floor'],
  ['goal', 'Target'],
  ['box', 'Box'],
  ['boxOnGoal', 'Box on target'],
  ['player', 'Player'],
  ['playerOnGoal', 'Player on target'],
]

export const RENDERER_OPTIONS: Options = [
  ['paper', 'paper grid (# _ O X √ P S)'],
  ['xsb', 'XSB (# space . $ * @ +)'],
  ['custom', 'custom symbols…'],
]

/** The select value of a renderer. */
export function rendererChoice(renderer: RendererSpec): string {
  return typeof renderer === 'string' ? renderer : 'custom'
}

/** The symbols of a renderer (a custom one starts from these). */
export function symbolsOf(renderer: RendererSpec): Record<string, string> {
  const symbols = renderer === 'paper' ? PAPER_SYMBOLS : renderer === 'xsb' ? XSB_SYMBOLS : renderer.symbols
  return Object.fromEntries(SYMBOL_FIELDS.map(([key]) => [key, symbols[key]]))
}

// ---------------------------------------------------------------------------------------------
// Face-card rules (General Points)

/** Choices for a face-card rule: the paper's named mappings and `regular`. */
export const RULE_OPTIONS: Options = [
  ...FACE_RULES.map((r) => [r.name, `${r.name} (J/Q/K = ${r.jack}/${r.queen}/${r.king})`] as const),
  ['regular', 'regular (J/Q/K = 11/12/13)'],
  ['custom', 'custom values…'],
]

/** The select value of a rule reference, and the custom text (`j,q,k`) when it is custom. */
export function ruleChoice(ref: RuleRef): { choice: string; custom: string } {
  if (typeof ref === 'string' && RULE_OPTIONS.some(([v]) => v === ref)) return { choice: ref, custom: '' }
  if (typeof ref === 'string') return { choice: 'custom', custom: ref }
  return { choice: 'custom', custom: `${ref.jack},${ref.queen},${ref.king}` }
}

/** The rule reference a choice stands for (`custom` takes `j,q,k` or one value). */
export function ruleFromChoice(choice: string, custom: string): RuleRef {
  return choice === 'custom' ? custom.trim() : choice
}

// ---------------------------------------------------------------------------------------------
// Chat formatting

/** Choices for the chat formatting: each raw wrapper of the library, the model's template, none. */
export function chatOptions(): Options {
  const wrappers = PAPER_TEMPLATES.filter((e) => e.task === 'chat')
    .map((e) => [`raw:${e.name}`, `raw string: ${e.name}`] as const)
  return [...wrappers, ['model', "the model's chat template"], ['none', 'none (the bare prompt)']]
}

/** The select value of a chat spec. */
export function chatChoice(chat: ChatSpec): string {
  return chat.mode === 'raw' ? `raw:${chat.wrapper}` : chat.mode
}

/** The chat spec a choice stands for. */
export function chatFromChoice(choice: string): ChatSpec {
  if (choice.startsWith('raw:')) return { mode: 'raw', wrapper: choice.slice(4) }
  if (choice === 'model' || choice === 'none') return { mode: choice }
  throw new Error(`Unknown chat formatting "${choice}".`)
}
