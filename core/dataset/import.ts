/**
 * @module core/dataset/import
 * Reads rows of the paper's verl datasets (paper-tasks.md §9.1) back into instances and variants,
 * as far as the prompt text allows:
 *
 * - Sokoban: the chat wrapper, the template (training ending, eval ending with its stray
 *   backslash, or "Decide the next N actions:"), the grid (`parsePaperGrid`) and the shown
 *   vocabulary (the Answers block); the labels come from `reward_model.ground_truth`. Consecutive
 *   one-step rows of one puzzle (each position the previous one after its label, until the puzzle is
 *   solved) are joined back into the puzzle, whose plan is the labels in order.
 * - General Points: the target, the cards (Python list repr) and the face-card sentence of the
 *   question, giving the shown rule; `extra_info.display_cards` gives the values the verifier
 *   scores with (10 for the paper's fake splits), and `extra_info.solution` the solver's solutions.
 *
 * What a prompt cannot tell (which words a scorer accepts, the seed a level came from) is not
 * guessed: rows answer in the words they show, and imported instances say where they came from.
 * Rows that cannot be read are reported with their number and the reason, not dropped silently.
 */
import {
  PAPER_VOCABULARIES,
  instanceKey,
  paperRowWords,
  parseVariantSpec,
  sokobanStateKey,
  type GpInstance,
  type GpVariantSpec,
  type Instance,
  type SokobanVariantSpec,
  type SokobanInstance,
  type VariantSpec,
  type VocabularyRef,
} from '../experiment/index.ts'
import { PAPER_TEMPLATES } from '../prompt/paper-templates.ts'
import { parsePaperGrid } from '../sokoban/text.ts'
import { isSolved, sameState, type Level, type SokobanState } from '../sokoban/level.ts'
import { applyMove } from '../sokoban/rules.ts'
import type { Direction } from '../sokoban/directions.ts'
import { parseCard, rankValue } from '../gp/cards.ts'
import { FACE_RULES, customFaceRule, type FaceRule } from '../gp/rules.ts'
import type { VerlLayout } from './verl.ts'

/** A Sokoban prompt taken apart. */
export interface ParsedSokobanPrompt {
  /** The chat wrapper around the body (a library name), or null for a bare body. */
  readonly wrapper: string | null
  /** `sokoban-single-action` (training ending), `sokoban-eval` (stray backslash) or `sokoban-multi-action`. */
  readonly template: 'sokoban-single-action' | 'sokoban-eval' | 'sokoban-multi-action'
  /** Actions asked for: 1, or N of "Decide the next N actions:". */
  readonly horizon: number
  /** The level, its start being the position shown. */
  readonly level: Level
  /** The shown vocabulary (null: no Answers block), as a variant reference. */
  readonly shown: VocabularyRef | null
}

/** A General Points question taken apart. */
export interface ParsedGpQuestion {
  /** `gp-train` (ends `}\n`) or `gp-test` (ends `}\n\n`). */
  readonly template: 'gp-train' | 'gp-test'
  readonly target: number
  readonly cards: readonly string[]
  readonly ranks: readonly number[]
  /** The rule the face-card sentence states. */
  readonly shownRule: FaceRule
  /** `paper`: "all count as" / "counts as" wording; `env`: the env-based wording (§6.2). */
  readonly message: 'paper' | 'env'
}

interface Wrapper {
  readonly name: string
  readonly prefix: string
  readonly suffix: string
}

const WRAPPERS: readonly Wrapper[] = PAPER_TEMPLATES.filter((t) => t.task === 'chat').map((t) => {
  const at = t.source.indexOf('{{ prompt }}')
  if (at < 0) throw new Error(`internal: chat wrapper ${t.name} has no {{ prompt }}`)
  return { name: t.name, prefix: t.source.slice(0, at), suffix: t.source.slice(at + '{{ prompt }}'.length) }
})

const SOKOBAN_START = 'You are a Sokoban solver.'
const OBSERVATION = '[Current Observation]:\n'
const ANSWERS =
  /Answers:\n<answer> (.+?) <\/answer> \| <answer> (.+?) <\/answer> \| <answer> (.+?) <\/answer> \| <answer> (.+?) <\/answer>(\nwhere (.+?) is Up, (.+?) is Down, (.+?) is Left, (.+?) is Right\.)?/

/** Removes a known chat wrapper; returns its name (null when none matched) and the body. */
export function unwrapChat(text: string): { wrapper: string | null; body: string } {
  for (const w of WRAPPERS) {
    if (text.length >= w.prefix.length + w.suffix.length && text.startsWith(w.prefix) && text.endsWith(w.suffix)) {
      return { wrapper: w.name, body: text.slice(w.prefix.length, text.length - w.suffix.length) }
    }
  }
  return { wrapper: null, body: text }
}

function vocabularyRef(names: [string, string, string, string], explain: boolean): VocabularyRef {
  for (const [id, vocab] of Object.entries(PAPER_VOCABULARIES)) {
    if (vocab.explain === explain && vocab.names.every((n, i) => n === names[i])) return id as keyof typeof PAPER_VOCABULARIES
  }
  return { kind: 'custom', names, explain }
}

/** Takes a Sokoban prompt apart; throws an Error saying what is missing or malformed. */
export function parseSokobanPrompt(text: string): ParsedSokobanPrompt {
  const { wrapper, body } = unwrapChat(text)
  if (!body.startsWith(SOKOBAN_START)) {
    throw new Error(`the prompt does not start with "${SOKOBAN_START}" (after any chat wrapper); it is not a Sokoban prompt`)
  }
  const at = body.lastIndexOf(OBSERVATION)
  if (at < 0) throw new Error(`the prompt has no "${OBSERVATION.trim()}" line before the grid`)
  const tail = body.slice(at + OBSERVATION.length)
  const ending = /\nDecide the next (?:action:(\\?)|(\d+) actions:)$/.exec(tail)
  if (ending === null) throw new Error('the prompt does not end with "Decide the next action:" or "Decide the next N actions:"')
  const grid = tail.slice(0, ending.index)
  let level: Level
  try {
    level = parsePaperGrid(grid)
  } catch (error) {
    throw new Error(`the grid cannot be read: ${(error as Error).message}`, { cause: error })
  }
  const horizon = ending[2] === undefined ? 1 : Number(ending[2])
  const template = ending[2] !== undefined ? 'sokoban-multi-action' : ending[1] === '\\' ? 'sokoban-eval' : 'sokoban-single-action'
  const head = body.slice(0, at)
  let shown: VocabularyRef | null = null
  if (head.includes('Answers:')) {
    const m = ANSWERS.exec(head)
    if (m === null) throw new Error('the Answers block is not four "<answer> X </answer>" tags separated by " | "')
    const names: [string, string, string, string] = [m[1], m[2], m[3], m[4]]
    if (m[5] !== undefined && [m[6], m[7], m[8], m[9]].some((w, i) => w !== names[i])) {
      throw new Error('the Answers block\'s "where … is Up, …" line names other words than its tags')
    }
    shown = vocabularyRef(names, m[5] !== undefined)
  }
  return { wrapper, template, horizon, level, shown }
}

const GP_HEAD = /You are an expert (\d+) points card game player\. You will receive a set of (\d+) cards\.\nNote that (.+), and each card must be used once\./
const GP_CARDS = /\nCards: (\[.*\])\n/

const MESSAGE_FORMS: readonly { re: RegExp; message: 'paper' | 'env' }[] = [
  { re: /^'J', 'Q', and 'K' all count as '(\d+)'$/, message: 'paper' },
  { re: /^'J' counts as '(\d+)', 'Q' counts as '(\d+)', and 'K' counts as '(\d+)'$/, message: 'paper' },
  { re: /^'J', 'Q', and 'K' count as '(\d+)', '(\d+)', and '(\d+)' respectively$/, message: 'env' },
  { re: /^'J', 'Q', and 'K' count as '(\d+)'$/, message: 'env' },
]

/** The rule a face-card sentence states (one of the four wordings of §6.2). */
export function parseFaceMessage(text: string): { rule: FaceRule; message: 'paper' | 'env' } {
  for (const form of MESSAGE_FORMS) {
    const m = form.re.exec(text)
    if (m === null) continue
    const values = m.slice(1).map(Number)
    const [jack, queen, king] = values.length === 1 ? [values[0], values[0], values[0]] : values
    const rule = FACE_RULES.find((r) => r.jack === jack && r.queen === queen && r.king === king) ?? customFaceRule(jack, queen, king)
    return { rule, message: form.message }
  }
  throw new Error(`the face-card sentence "${text}" is none of the paper's wordings`)
}

/** Reads a Python list of plain strings such as `['2', 'Q']` (the repr the prompts show). */
export function parsePythonStrList(text: string): string[] {
  if (!/^\[(?:'[^'\\]*'(?:, '[^'\\]*')*)?\]$/.test(text)) {
    throw new Error(`${JSON.stringify(text)} is not a Python list of quoted card strings like ['2', 'Q']`)
  }
  return [...text.matchAll(/'([^'\\]*)'/g)].map((m) => m[1])
}

/** Takes a General Points question apart; throws an Error saying what is missing or malformed. */
export function parseGpQuestion(text: string): ParsedGpQuestion {
  const head = GP_HEAD.exec(text)
  if (head === null) throw new Error('the question lacks the "You are an expert N points card game player" and "Note that …" lines')
  const cardsLine = GP_CARDS.exec(text)
  if (cardsLine === null) throw new Error('the question has no "Cards: [...]" line')
  const cards = parsePythonStrList(cardsLine[1])
  if (cards.length !== Number(head[2])) {
    throw new Error(`the question announces ${head[2]} cards but lists ${cards.length}`)
  }
  const ranks = cards.map((c) => {
    try {
      return parseCard(c).rank
    } catch {
      const n = Number(c)
      if (/^(1[4-9])$/.test(c)) return n
      throw new Error(`card "${c}" is not A, 2-19, J, Q or K`)
    }
  })
  const template = text.endsWith('}\n\n') ? 'gp-test' : text.endsWith('}\n') ? 'gp-train' : null
  if (template === null) throw new Error('the question does not end with the "[Output]" block ("}" and a newline)')
  const { rule, message } = parseFaceMessage(head[3])
  return { template, target: Number(head[1]), cards, ranks, shownRule: rule, message }
}

/** Where an imported instance came from. */
export interface ImportedMeta {
  readonly scheme: 'imported'
  /** File rows (0-based) the instance was read from, in order. */
  readonly rows: readonly number[]
  readonly dataSource: string | null
  /** General Points: the solutions stored with the row. */
  readonly paperSolutions?: readonly string[]
}

/** An imported Sokoban puzzle: a `SokobanInstance` whose meta says where it was read from. */
export type ImportedSokobanInstance = Omit<SokobanInstance, 'meta'> & { readonly meta: ImportedMeta }
/** An imported General Points hand. */
export type ImportedGpInstance = Omit<GpInstance, 'meta'> & { readonly meta: ImportedMeta }
/** An imported instance of either task. */
export type ImportedInstance = ImportedSokobanInstance | ImportedGpInstance

/** The content key of an imported instance (core/experiment's `instanceKey`, which reads content only). */
export function importedInstanceKey(instance: ImportedInstance): string {
  return instanceKey(instance as unknown as Instance)
}

/** One row of the file as read. */
export interface ImportedExample {
  readonly row: number
  /** Index into `instances`. */
  readonly instance: number
  /** Index into `variants`. */
  readonly variant: number
  /** Sokoban: the labels (move codes) of the row. */
  readonly groundTruth?: readonly number[]
  /** The position shown, as its content key. */
  readonly key: string
}

/** What `importVerlRows` found. */
export interface ImportedDataset {
  readonly task: 'sokoban' | 'gp'
  readonly layout: VerlLayout
  /** `sft` when rows carry a target (`response` / `answer`), else `rl`. */
  readonly kind: 'sft' | 'rl'
  readonly rows: number
  readonly instances: readonly ImportedInstance[]
  readonly variants: readonly VariantSpec[]
  readonly examples: readonly ImportedExample[]
  /** Rows that could not be read, with the reason. */
  readonly problems: readonly { readonly row: number; readonly message: string }[]
  /** Row counts per `data_source`. */
  readonly dataSources: Readonly<Record<string, number>>
  /** Remarks on what was recognised (e.g. the paper's per-row word draw). */
  readonly notes: readonly string[]
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** The prompt text of a row: a plain string, or the content of a one-message list. */
function promptText(value: unknown, column: string): string {
  if (typeof value === 'string') return value
  if (Array.isArray(value) && value.length === 1 && isRecord(value[0]) && typeof value[0].content === 'string') {
    return value[0].content
  }
  throw new Error(`column ${column} must be a string or a list of one {role, content} message`)
}

function intList(value: unknown, what: string): number[] {
  if (!Array.isArray(value) || !value.every((v) => Number.isSafeInteger(v))) throw new Error(`${what} must be a list of integers`)
  return value as number[]
}

function sameFixed(a: Level, b: Level): boolean {
  return a.rows === b.rows && a.cols === b.cols && a.fixed.every((x, i) => x === b.fixed[i])
}

/** Dedupes variants by content and returns the index of `variant`. */
function variantIndex(
  variants: VariantSpec[],
  keys: Map<string, number>,
  variant: Omit<SokobanVariantSpec, 'name'> | Omit<GpVariantSpec, 'name'>,
): number {
  const key = JSON.stringify(variant)
  let index = keys.get(key)
  if (index === undefined) {
    index = variants.length
    // Validate like a user's variant, so a prompt whose words the evaluator could not tell apart is a
    // row problem, not a broken variant.
    variants.push(parseVariantSpec({ name: `imported-${index + 1}`, ...variant }))
    keys.set(key, index)
  }
  return index
}

/** The task of a file from its columns: Sokoban rows have `prompt`, General Points rows `question`. */
export function taskOfColumns(columns: readonly string[]): 'sokoban' | 'gp' {
  if (columns.includes('prompt')) return 'sokoban'
  if (columns.includes('question')) return 'gp'
  throw new Error(`the columns (${columns.join(', ')}) have neither "prompt" (Sokoban) nor "question" (General Points)`)
}

/** The verl layout a file's rows use. */
export function layoutOfRows(task: 'sokoban' | 'gp', rows: readonly Record<string, unknown>[]): VerlLayout {
  const first = rows[0]
  if (task === 'sokoban') return first !== undefined && typeof first.prompt === 'string' ? 'sokoban-sft' : 'sokoban-rl'
  return first !== undefined && typeof first.question === 'string' ? 'gp-sft' : 'gp-rl'
}

interface SokobanRowRead {
  readonly row: number
  readonly parsed: ParsedSokobanPrompt
  readonly labels: Direction[]
  readonly dataSource: string | null
  readonly variant: number
}

function importSokoban(rows: readonly Record<string, unknown>[]): Omit<ImportedDataset, 'task' | 'layout' | 'kind' | 'rows' | 'dataSources'> {
  const problems: { row: number; message: string }[] = []
  const variants: VariantSpec[] = []
  const variantKeys = new Map<string, number>()
  const read: SokobanRowRead[] = []
  // Rows whose words are the paper's per-row draw (§7.5) share one `paper-words` variant.
  let paperWordRows = 0
  let wordRows = 0
  rows.forEach((record, row) => {
    try {
      const parsed = parseSokobanPrompt(promptText(record.prompt, 'prompt'))
      const reward = record.reward_model
      if (!isRecord(reward)) throw new Error('reward_model must be a {style, ground_truth} struct')
      const labels = intList(reward.ground_truth, 'reward_model.ground_truth')
      if (labels.length === 0 || labels.some((d) => d < 1 || d > 4)) {
        throw new Error(`reward_model.ground_truth must hold move codes 1-4 (Up, Down, Left, Right); got [${labels.join(', ')}]`)
      }
      let shown = parsed.shown
      if (shown !== null && typeof shown === 'object' && shown.kind === 'custom') {
        wordRows++
        const info = isRecord(record.extra_info) ? record.extra_info : {}
        const dataRow = Number.isSafeInteger(info.index) ? (info.index as number) : row
        const paper = paperRowWords(dataRow)
        if (shown.explain === true && paper.every((w, i) => w === (shown as { names: string[] }).names[i])) {
          shown = { kind: 'paper-words' }
          paperWordRows++
        }
      }
      const variant = variantIndex(variants, variantKeys, {
        task: 'sokoban',
        template: parsed.template,
        chat: parsed.wrapper === null ? { mode: 'none' } : { mode: 'raw', wrapper: parsed.wrapper },
        vocabulary: { shown, accepted: shown === null ? 'base' : 'shown' },
        renderer: 'paper',
        parser: parsed.template === 'sokoban-eval' ? 'paper-eval' : 'training-reward',
      })
      read.push({ row, parsed, labels: labels as Direction[], dataSource: typeof record.data_source === 'string' ? record.data_source : null, variant })
    } catch (error) {
      problems.push({ row, message: (error as Error).message })
    }
  })

  // Join consecutive one-step rows of one puzzle: the next row shows this row's position after its
  // label, on the same board, and the puzzle is not solved yet.
  const instances: ImportedInstance[] = []
  const examples: ImportedExample[] = []
  let current: { level: Level; plan: Direction[]; rows: number[]; dataSource: string | null; state: SokobanState; solved: boolean } | null = null
  const flush = (): void => {
    if (current === null) return
    const index = instances.length
    instances.push({
      task: 'sokoban',
      id: `row${current.rows[0]}`,
      index,
      level: current.level,
      optimalPlan: current.plan,
      meta: { scheme: 'imported', rows: current.rows, dataSource: current.dataSource },
    })
    current = null
  }
  for (const r of read) {
    const level = r.parsed.level
    const continues =
      current !== null && !current.solved && r.parsed.horizon === 1 && r.labels.length === 1 &&
      sameFixed(current.level, level) && sameState(current.state, level.start)
    if (!continues) flush()
    if (current === null) current = { level, plan: [], rows: [], dataSource: r.dataSource, state: level.start, solved: false }
    const puzzle = current
    let state = level.start
    for (const move of r.labels) state = applyMove(puzzle.level, state, move).state
    puzzle.plan.push(...r.labels)
    puzzle.rows.push(r.row)
    puzzle.state = state
    puzzle.solved = isSolved(puzzle.level, state)
    examples.push({
      row: r.row,
      instance: instances.length,
      variant: r.variant,
      groundTruth: r.labels,
      key: sokobanStateKey(level, level.start),
    })
    if (r.labels.length > 1) flush()
  }
  flush()
  const notes: string[] = []
  if (wordRows > 0) {
    notes.push(
      paperWordRows === wordRows
        ? `All ${wordRows} rows with their own word vocabulary show the paper's per-row draw (np.random.seed(42 + row), 210-word pool).`
        : `${paperWordRows} of ${wordRows} rows with their own word vocabulary show the paper's per-row draw; the others keep their words.`,
    )
  }
  return { instances, variants, examples, problems, notes }
}

function importGp(rows: readonly Record<string, unknown>[]): Omit<ImportedDataset, 'task' | 'layout' | 'kind' | 'rows' | 'dataSources'> {
  const problems: { row: number; message: string }[] = []
  const variants: VariantSpec[] = []
  const variantKeys = new Map<string, number>()
  const instances: ImportedInstance[] = []
  const examples: ImportedExample[] = []
  rows.forEach((record, row) => {
    try {
      const question = promptText(record.question, 'question')
      const parsed = parseGpQuestion(question)
      const info = isRecord(record.extra_info) ? record.extra_info : {}
      const shownValues = parsed.ranks.map((r) => rankValue(r, parsed.shownRule))
      const values = info.display_cards === undefined ? shownValues : intList(info.display_cards, 'extra_info.display_cards')
      if (values.length !== parsed.cards.length) {
        throw new Error(`extra_info.display_cards has ${values.length} values for ${parsed.cards.length} cards`)
      }
      const scoredRule = scoredRuleOf(parsed.ranks, values, parsed.shownRule)
      const stored = info.solution
      const solutions = typeof stored === 'string' ? [stored] : Array.isArray(stored) ? stored.filter((s): s is string => typeof s === 'string') : []
      const formula = typeof record.answer === 'string' ? /"formula": "(.*?)"/.exec(record.answer)?.[1] : undefined
      const target = info.target === undefined ? parsed.target : Number(info.target)
      const instance: ImportedGpInstance = {
        task: 'gp',
        id: `row${row}`,
        index: instances.length,
        ranks: parsed.ranks,
        cards: parsed.cards,
        rule: { shown: parsed.shownRule, scored: scoredRule },
        values,
        shownValues,
        target,
        solution: formula ?? solutions[0] ?? null,
        solutionCount: solutions.length,
        meta: {
          scheme: 'imported',
          rows: [row],
          dataSource: typeof record.data_source === 'string' ? record.data_source : null,
          paperSolutions: solutions,
        },
      }
      const variant = variantIndex(variants, variantKeys, {
        task: 'gp',
        template: parsed.template,
        chat: { mode: 'model' },
        rule: { shown: parsed.shownRule.name, scored: scoredRule.name },
        message: parsed.message,
        verifier: 'paper',
      })
      examples.push({ row, instance: instances.length, variant, key: importedInstanceKey(instance) })
      instances.push(instance)
    } catch (error) {
      problems.push({ row, message: (error as Error).message })
    }
  })
  return { instances, variants, examples, problems, notes: [] }
}

/**
 * The rule the verifier scores with, from the values stored for the face cards: the shown rule
 * when they agree (or the hand has no face card), else the rule those values give (the paper's
 * fake splits store 10 for every face card).
 */
function scoredRuleOf(ranks: readonly number[], values: readonly number[], shown: FaceRule): FaceRule {
  const seen: Partial<Record<11 | 12 | 13, number>> = {}
  ranks.forEach((rank, i) => {
    if (rank >= 11 && rank <= 13) {
      const previous = seen[rank as 11 | 12 | 13]
      if (previous !== undefined && previous !== values[i]) {
        throw new Error(`extra_info.display_cards gives one face card two values (${previous} and ${values[i]})`)
      }
      seen[rank as 11 | 12 | 13] = values[i]
    } else if (values[i] !== rank) {
      throw new Error(`extra_info.display_cards gives card ${ranks[i]} the value ${values[i]}`)
    }
  })
  const jack = seen[11] ?? shown.jack
  const queen = seen[12] ?? shown.queen
  const king = seen[13] ?? shown.king
  if (jack === shown.jack && queen === shown.queen && king === shown.king) return shown
  // Unseen faces follow the seen ones when those agree (the fake splits' uniform 10).
  const faceValues = Object.values(seen)
  const uniform = faceValues.length > 0 && faceValues.every((v) => v === faceValues[0]) ? faceValues[0] : undefined
  const [j, q, k] = uniform !== undefined ? [uniform, uniform, uniform] : [jack, queen, king]
  return FACE_RULES.find((r) => r.jack === j && r.queen === q && r.king === k) ?? customFaceRule(j, q, k)
}

/**
 * Reads verl rows (as `readParquetRows` returns them) back into instances, variants and per-row
 * examples. `columns` are the file's top-level columns. Never throws for a bad row: it is listed
 * in `problems`.
 */
export function importVerlRows(rows: readonly Record<string, unknown>[], columns: readonly string[]): ImportedDataset {
  const task = taskOfColumns(columns)
  const layout = layoutOfRows(task, rows)
  const part = task === 'sokoban' ? importSokoban(rows) : importGp(rows)
  const dataSources: Record<string, number> = {}
  for (const row of rows) {
    const source = typeof row.data_source === 'string' ? row.data_source : '(none)'
    dataSources[source] = (dataSources[source] ?? 0) + 1
  }
  const kind = columns.includes('response') || columns.includes('answer') ? 'sft' : 'rl'
  return { task, layout, kind, rows: rows.length, dataSources, ...part }
}
