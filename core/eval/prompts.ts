/**
 * @module core/eval/prompts
 * Sokoban prompts for every position of an episode, fast. A closed-loop episode re-renders its
 * prompt every turn, and a Jinja render costs far more than the rest of a turn, so a variant whose
 * template only *prints* the board is rendered once per shape with placeholders where the board goes,
 * and each position's prompt is the pieces joined with that position's board.
 *
 * When is that exact? The template's variables other than the board depend only on the variant, the
 * room size and the box count (and the data row for per-row vocabularies), which form the key of a
 * set of pieces; the board variables (`board`, `board_paper`, `board_xsb`) may appear only as plain
 * `{{ board }}` output, never in a condition, a filter or an assignment, and a raw chat wrapper may
 * only print its `prompt` the same way. Templates that read the optimal plan, or do anything else
 * with the board, are rendered with Jinja each time. As a guard against drift from
 * `core/experiment/render.ts`, each set of pieces is checked once against a full render and
 * dropped for the full render if they differ.
 */
import {
  compileTemplate,
  renderTemplate,
  schemaForTask,
  sokobanTemplateVars,
  wrapPrompt,
  type CompiledTemplate,
  type TemplateLibrary,
} from '../prompt/index.ts'
import { renderInstancePrompt, variantVocabularies } from '../experiment/render.ts'
import type { SokobanInstance } from '../experiment/instance-set.ts'
import type { SokobanVariantSpec } from '../experiment/variant.ts'
import type { Level, SokobanState } from '../sokoban/level.ts'
import { PAPER_LAYOUT, PAPER_SYMBOLS, XSB_SYMBOLS, gridRenderer } from '../sokoban/text.ts'
import type { GridLayout, SymbolSet } from '../sokoban/text.ts'
import { serializeXsb } from '../sokoban/xsb.ts'

/** The board variables a template may print; every other Sokoban variable is fixed per shape. */
const BOARD_VARIABLES = ['board', 'board_paper', 'board_xsb'] as const
type BoardVariable = (typeof BOARD_VARIABLES)[number]

/** Variables that depend on the instance beyond its shape (or need a search): no splicing. */
const INSTANCE_VARIABLES = ['optimal_plan', 'optimal_action', 'cot']

// NUL never occurs in a template's own text or in a rendered board, so it marks the slots safely.
const MARK = '\u0000'
const SLOT_RE = new RegExp(`${MARK}(board|board_paper|board_xsb)${MARK}`, 'g')

/** Renders the prompt for a position: a raw string, or (chat mode `model`) the user message content. */
export type SokobanPromptRenderer = (state: SokobanState) => string

interface Pieces {
  /** Literal text; `slots[i]` goes between `texts[i]` and `texts[i + 1]`. */
  readonly texts: readonly string[]
  readonly slots: readonly BoardVariable[]
}

interface Style {
  readonly symbols: SymbolSet
  readonly layout: GridLayout | undefined
}

/** A variant's Sokoban prompts, with the splice pieces cached per shape (see the module comment). */
export class SokobanPrompter {
  private readonly template: CompiledTemplate
  private readonly spliceable: boolean
  private readonly style: Style
  private readonly perRow: boolean
  /** Pieces per shape key; null marks a shape whose pieces failed the check against a full render. */
  private readonly pieces = new Map<string, Pieces | null>()

  constructor(
    private readonly variant: SokobanVariantSpec,
    private readonly library: TemplateLibrary,
  ) {
    this.template = taskTemplate(variant, library)
    this.style = boardStyle(variant)
    const shown = variant.vocabulary.shown
    this.perRow = typeof shown === 'object' && shown !== null && shown.kind === 'paper-words'
    const wrapper = variant.chat.mode === 'raw' ? wrapperTemplate(library, variant.chat.wrapper) : null
    this.spliceable =
      !this.template.variables.some((v) => INSTANCE_VARIABLES.includes(v)) &&
      printsOnly(this.template, new Set(BOARD_VARIABLES)) &&
      (wrapper === null || printsOnly(wrapper, new Set(['prompt'])))
  }

  /** True when positions are rendered by splicing (false: a full Jinja render per position). */
  get splices(): boolean {
    return this.spliceable
  }

  /** The renderer of `instance`'s positions; `row` is the data row for per-row vocabularies. */
  forInstance(instance: SokobanInstance, row: number): SokobanPromptRenderer {
    const full: SokobanPromptRenderer = (state) =>
      renderInstancePrompt(instance, this.variant, this.library, { state, row })
    if (!this.spliceable) return full
    const { level } = instance
    const key = `${level.rows}x${level.cols}x${level.start.boxes.length}${this.perRow ? `@${row}` : ''}`
    let pieces = this.pieces.get(key)
    if (pieces === undefined) {
      pieces = this.buildPieces(instance, row, full)
      this.pieces.set(key, pieces)
    }
    if (pieces === null) return full
    const { texts, slots } = pieces
    const values = this.slotRenderers(level)
    return (state) => {
      let out = texts[0]
      for (let i = 0; i < slots.length; i++) out += values[slots[i]](state) + texts[i + 1]
      return out
    }
  }

  /** The board renderers of one level; each draws the rows without movables once (text.ts `gridRenderer`). */
  private slotRenderers(level: Level): Record<BoardVariable, (state: SokobanState) => string> {
    const { symbols, layout } = this.style
    let board: ((state: SokobanState) => string) | undefined
    let paper: ((state: SokobanState) => string) | undefined
    return {
      board: (state) => (board ??= gridRenderer(level, symbols, layout))(state),
      board_paper: (state) => (paper ??= gridRenderer(level, PAPER_SYMBOLS, PAPER_LAYOUT))(state),
      board_xsb: (state) => serializeXsb(level, state),
    }
  }

  private buildPieces(instance: SokobanInstance, row: number, full: SokobanPromptRenderer): Pieces | null {
    const { level } = instance
    const { shown, accepted } = variantVocabularies(this.variant, { row })
    const vars = sokobanTemplateVars({
      level,
      state: level.start,
      shown,
      accepted,
      symbols: this.style.symbols,
      ...(this.style.layout === undefined ? {} : { layout: this.style.layout }),
      lenHorizon: 1,
    })
    for (const name of BOARD_VARIABLES) vars[name] = `${MARK}${name}${MARK}`
    const body = renderTemplate(this.template, vars).text
    const chat = this.variant.chat
    const text = chat.mode === 'raw' ? wrapPrompt(this.library, chat.wrapper, body) : body
    const texts: string[] = []
    const slots: BoardVariable[] = []
    let last = 0
    for (const match of text.matchAll(SLOT_RE)) {
      texts.push(text.slice(last, match.index))
      slots.push(match[1] as BoardVariable)
      last = match.index + match[0].length
    }
    texts.push(text.slice(last))
    if (texts.some((t) => t.includes(MARK))) return null
    const pieces: Pieces = { texts, slots }
    const values = this.slotRenderers(level)
    let spliced = texts[0]
    for (let i = 0; i < slots.length; i++) spliced += values[slots[i]](level.start) + texts[i + 1]
    return spliced === full(level.start) ? pieces : null
  }
}

/** The variant's task template, as `renderInstancePrompt` compiles it. */
function taskTemplate(variant: SokobanVariantSpec, library: TemplateLibrary): CompiledTemplate {
  const ref = variant.template
  if (typeof ref !== 'string') {
    return compileTemplate(ref.name ?? `${variant.name}.template`, ref.source, schemaForTask('sokoban'))
  }
  const entry = library.get(ref)
  if (entry.task !== 'sokoban') {
    throw new Error(
      `Variant "${variant.name}" uses template "${ref}", which is a ${entry.task} template, not a sokoban one.`,
    )
  }
  return library.compiled(ref)
}

function wrapperTemplate(library: TemplateLibrary, name: string): CompiledTemplate | null {
  return library.has(name) && library.get(name).task === 'chat' ? library.compiled(name) : null
}

/** The symbols and layout of the variant's `board` variable (as core/experiment/render.ts draws it). */
function boardStyle(variant: SokobanVariantSpec): Style {
  const r = variant.renderer
  if (r === 'paper') return { symbols: PAPER_SYMBOLS, layout: PAPER_LAYOUT }
  if (r === 'xsb') return { symbols: XSB_SYMBOLS, layout: undefined }
  return { symbols: r.symbols as SymbolSet, layout: r.layout as GridLayout | undefined }
}

/**
 * True when every identifier named in `names` is a printed statement of its own (`{{ name }}`), so
 * its value reaches the output verbatim and nothing else depends on it. Conservative: a loop
 * variable or attribute that happens to share the name also counts as a use.
 */
function printsOnly(template: CompiledTemplate, names: ReadonlySet<string>): boolean {
  const printed = template.positions.printed
  const visit = (node: unknown): boolean => {
    if (node === null || typeof node !== 'object') return true
    if (Array.isArray(node)) return node.every(visit)
    const n = node as { type?: unknown; value?: unknown }
    const named = n.type === 'Identifier' && typeof n.value === 'string' && names.has(n.value)
    if (named && !printed.has(node)) return false
    // `operator` holds a lexer token, not a node (as in core/prompt/analysis.ts).
    return Object.entries(node).every(([key, child]) => key === 'operator' || visit(child))
  }
  return visit(template.program)
}
