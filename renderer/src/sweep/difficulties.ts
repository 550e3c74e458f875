/**
 * The difficulty axis of a sweep cell. Its overrides may list difficulties as shorthand names, which
 * the form writes and a user can type in the JSON:
 * - Sokoban: a paper difficulty (`simple`, `larger`, `two-boxes`, `complex`) or `ROWSxCOLS-Nbox(es)`,
 *   e.g. `7x7-1box`, `8x8-2boxes`;
 * - General Points: a paper difficulty (`gp-train`, `gp-id`, `gp-large`, `gp-5cards`), optionally
 *   with the face-card rule the hands are dealt under after a dot, e.g. `gp-id.all_5`, `gp-id.regular`.
 * A shorthand expands to a sweep difficulty entry that takes the task cell's seeded seed scheme and
 * start, so the difficulty the task cell shows deals exactly the levels of its gallery. Whole entries
 * (objects) pass through unchanged, as they always did.
 *
 * Plot values (`value`, the x axis): when only the room side varies (same box count, square rooms)
 * the value is the side; when only the box count varies, the box count; otherwise the 1-based
 * position in the list, which the form writes from easier to harder.
 */
import { MAX_ROOM_SIDE, PAPER_DIFFICULTIES, describeDifficulty, type DifficultySpec } from '../../../core/experiment/difficulty.ts'
import { UNIFORM_RULES, parseFaceRule } from '../../../core/gp/rules.ts'
import type { JsonValue, SweepOverrides, TaskCell } from '../../../core/notebook/schema.ts'

export type Task = 'sokoban' | 'gp'
export type DifficultyItem = NonNullable<SweepOverrides['difficulties']>[number]
type JsonRecord = { [key: string]: JsonValue }

/** Square room sides the form offers. */
export const SOKOBAN_SIDES: readonly number[] = [6, 7, 8, 9, 10]
/** Box counts the form offers. */
export const SOKOBAN_BOXES: readonly number[] = [1, 2]
/** The paper's General Points difficulties, in the form's order. */
export const GP_DIFFICULTIES: readonly string[] = ['gp-train', 'gp-id', 'gp-large', 'gp-5cards']
/** Face-card rules the form offers for dealing hands: the uniform ones and J/Q/K = 11/12/13. */
export const GP_RULES: readonly string[] = [...UNIFORM_RULES.map((r) => r.name), 'regular']

const SOKOBAN_PAPER = ['simple', 'larger', 'two-boxes', 'complex']
const SOKOBAN_RE = /^(\d{1,3})x(\d{1,3})-(\d{1,2})box(?:es)?$/
const RULE_NAME_RE = /^[A-Za-z0-9_-]+$/
const SOKOBAN_HINT = 'write a paper difficulty (simple, larger, two-boxes, complex) or ROWSxCOLS-Nbox(es), e.g. 7x7-2boxes'
const GP_HINT = `write a paper difficulty (${GP_DIFFICULTIES.join(', ')}), optionally with a face-card rule after a dot, e.g. gp-id.all_5`

/** A parsed shorthand: the entry's name and difficulty, the dealt rule (GP) and the sizes (Sokoban). */
export interface Shorthand {
  readonly name: string
  readonly difficulty: string | DifficultySpec
  readonly rule?: string
  readonly rows?: number
  readonly cols?: number
  readonly boxes?: number
}

export type ShorthandResult = { readonly ok: true; readonly value: Shorthand } | { readonly ok: false; readonly message: string }

/** The shorthand name of a square Sokoban room with `boxes` boxes, e.g. `7x7-1box`. */
export function sokobanName(rows: number, cols: number, boxes: number): string {
  return `${rows}x${cols}-${boxes}box${boxes === 1 ? '' : 'es'}`
}

/** The shorthand of a General Points difficulty with an optional dealt rule, e.g. `gp-id.all_5`. */
export function gpName(difficulty: string, rule?: string): string {
  return rule === undefined ? difficulty : `${difficulty}.${rule}`
}

/** The paper difficulty named `name`, if any (own names only: `constructor` is not one). */
function paperDifficulty(name: string): DifficultySpec | undefined {
  return Object.hasOwn(PAPER_DIFFICULTIES, name) ? PAPER_DIFFICULTIES[name] : undefined
}

/** Reads one shorthand for a sweep of `task`; the message says what to write instead. */
export function parseShorthand(text: string, task: Task): ShorthandResult {
  const t = text.trim()
  const paper = paperDifficulty(t.split('.')[0])
  if (paper !== undefined && paper.task !== task) {
    const what = paper.task === 'sokoban' ? 'a Sokoban' : 'a General Points'
    return { ok: false, message: `"${t}" is ${what} difficulty, but this sweep's task is ${task === 'sokoban' ? 'Sokoban' : 'General Points'}` }
  }
  return task === 'sokoban' ? parseSokoban(t) : parseGp(t)
}

function parseSokoban(t: string): ShorthandResult {
  if (SOKOBAN_PAPER.includes(t)) {
    const d = PAPER_DIFFICULTIES[t]
    if (d.task !== 'sokoban') throw new Error(`internal: ${t} is not a Sokoban difficulty`)
    return { ok: true, value: { name: t, difficulty: t, rows: d.rows, cols: d.cols, boxes: d.boxes } }
  }
  const m = SOKOBAN_RE.exec(t)
  if (m === null) return { ok: false, message: `"${t}" is not a Sokoban difficulty: ${SOKOBAN_HINT}` }
  const [rows, cols, boxes] = [Number(m[1]), Number(m[2]), Number(m[3])]
  if (rows < 3 || cols < 3 || rows > MAX_ROOM_SIDE || cols > MAX_ROOM_SIDE) {
    return { ok: false, message: `"${t}": rooms are 3 to ${MAX_ROOM_SIDE} cells a side` }
  }
  if (boxes < 1) return { ok: false, message: `"${t}": a level needs at least 1 box` }
  const difficulty: DifficultySpec = { task: 'sokoban', rows, cols, boxes }
  return { ok: true, value: { name: sokobanName(rows, cols, boxes), difficulty, rows, cols, boxes } }
}

function parseGp(t: string): ShorthandResult {
  const dot = t.indexOf('.')
  const base = dot < 0 ? t : t.slice(0, dot)
  const rule = dot < 0 ? undefined : t.slice(dot + 1)
  if (!GP_DIFFICULTIES.includes(base)) return { ok: false, message: `"${t}" is not a General Points difficulty: ${GP_HINT}` }
  if (rule === undefined) return { ok: true, value: { name: base, difficulty: base } }
  if (!RULE_NAME_RE.test(rule)) {
    return { ok: false, message: `"${t}": after the dot comes a face-card rule name such as all_5, mixed_8_9_10 or regular` }
  }
  try {
    parseFaceRule(rule)
  } catch (e) {
    return { ok: false, message: `"${t}": ${e instanceof Error ? e.message : String(e)}` }
  }
  return { ok: true, value: { name: gpName(base, rule), difficulty: base, rule } }
}

/** What a shorthand takes from the task cell. */
export interface TaskDefaults {
  readonly task: Task
  readonly seedScheme?: TaskCell['seedScheme']
  readonly start?: number
  readonly rule?: TaskCell['rule']
}

/** The task cell's defaults (its seed scheme only when seeded: other schemes belong to one difficulty). */
export function taskDefaults(task: TaskCell): TaskDefaults {
  return {
    task: task.task,
    ...(task.preset === undefined && task.seedScheme?.kind === 'seeded' ? { seedScheme: task.seedScheme } : {}),
    ...(task.start !== undefined ? { start: task.start } : {}),
    ...(task.preset === undefined && task.rule !== undefined ? { rule: task.rule } : {}),
  }
}

export type Expanded = { readonly ok: true; readonly entries: JsonRecord[] } | { readonly ok: false; readonly message: string }

/** The sweep spec's difficulty entries for the overrides' `items` (see the module comment). */
export function expandDifficulties(items: readonly DifficultyItem[], defaults: TaskDefaults): Expanded {
  if (items.length === 0) return { ok: false, message: 'Choose at least one difficulty.' }
  const parsed: (Shorthand | null)[] = []
  const seen = new Map<string, number>()
  for (const [i, item] of items.entries()) {
    if (typeof item !== 'string') {
      parsed.push(null)
      continue
    }
    const r = parseShorthand(item, defaults.task)
    if (!r.ok) return { ok: false, message: `difficulties[${i}]: ${r.message}` }
    const first = seen.get(r.value.name)
    if (first !== undefined) return { ok: false, message: `difficulties[${i}]: "${item}" is already listed at difficulties[${first}]; remove one` }
    seen.set(r.value.name, i)
    parsed.push(r.value)
  }
  const values = plotValues(parsed)
  const entries = items.map((item, i): JsonRecord => {
    const s = parsed[i]
    if (s === null || typeof item !== 'string') return item as JsonRecord
    const entry: JsonRecord = { name: s.name, difficulty: s.difficulty as JsonValue, value: values[i] }
    if (defaults.seedScheme !== undefined) entry.seedScheme = defaults.seedScheme as JsonValue
    if (defaults.start !== undefined) entry.start = defaults.start
    if (s.rule !== undefined) entry.rule = { shown: s.rule, scored: s.rule }
    else if (defaults.rule !== undefined) entry.rule = defaults.rule as JsonValue
    return entry
  })
  return { ok: true, entries }
}

/** Plot values of parsed shorthands (null: a whole entry, which keeps its own value). */
export function plotValues(parsed: readonly (Shorthand | null)[]): number[] {
  const position = parsed.map((_, i) => i + 1)
  const all = parsed.filter((p): p is Shorthand => p !== null)
  if (all.length !== parsed.length || all.length < 2 || all.some((p) => p.boxes === undefined)) return position
  const distinct = (xs: readonly number[]): boolean => new Set(xs).size === xs.length
  const square = all.every((p) => p.rows === p.cols)
  const sides = all.map((p) => p.rows as number)
  const boxes = all.map((p) => p.boxes as number)
  if (square && new Set(boxes).size === 1 && distinct(sides)) return sides
  if (new Set(all.map((p) => `${p.rows}x${p.cols}`)).size === 1 && distinct(boxes)) return boxes
  return position
}

/** A short label of an item for the form and the estimate (`7x7, 2 boxes`, `gp-id, J/Q/K all_5`). */
export function describeItem(item: DifficultyItem, task: Task): string {
  if (typeof item !== 'string') return typeof item.name === 'string' ? item.name : JSON.stringify(item)
  const r = parseShorthand(item, task)
  if (!r.ok) return item
  const d = typeof r.value.difficulty === 'string' ? PAPER_DIFFICULTIES[r.value.difficulty] : r.value.difficulty
  const base = typeof r.value.difficulty === 'string' && task === 'gp' ? r.value.difficulty : describeDifficulty(d)
  return r.value.rule === undefined ? base : `${base}, dealt ${r.value.rule}`
}

/** The form's picks: Sokoban (side, boxes) pairs, or GP difficulties × dealt rules (none: the task's rule). */
export type Picks =
  | { readonly task: 'sokoban'; readonly cells: readonly (readonly [number, number])[] }
  | { readonly task: 'gp'; readonly difficulties: readonly string[]; readonly rules: readonly string[] }

/** The overrides' items for the picks, easier first (Sokoban by boxes, then side; GP in the form's order). */
export function itemsOfPicks(picks: Picks): string[] {
  if (picks.task === 'sokoban') {
    const sorted = [...picks.cells].sort((a, b) => a[1] - b[1] || a[0] - b[0])
    return sorted.map(([side, boxes]) => sokobanName(side, side, boxes))
  }
  const ds = GP_DIFFICULTIES.filter((d) => picks.difficulties.includes(d))
  const rules = GP_RULES.filter((r) => picks.rules.includes(r))
  return ds.flatMap((d) => (rules.length === 0 ? [gpName(d)] : rules.map((r) => gpName(d, r))))
}

/**
 * The picks that give exactly `items`, or null when the form cannot show them (whole entries, sizes
 * or rules it does not offer, or a GP list that is not a full difficulties × rules grid): the JSON
 * then edits them.
 */
export function picksOfItems(items: readonly DifficultyItem[], task: Task): Picks | null {
  const parsed: Shorthand[] = []
  for (const item of items) {
    if (typeof item !== 'string') return null
    const r = parseShorthand(item, task)
    if (!r.ok) return null
    parsed.push(r.value)
  }
  let picks: Picks
  if (task === 'sokoban') {
    const cells = parsed.map((p) => [p.rows as number, p.boxes as number] as const)
    if (parsed.some((p) => p.rows !== p.cols || !SOKOBAN_SIDES.includes(p.rows as number) || !SOKOBAN_BOXES.includes(p.boxes as number))) {
      return null
    }
    picks = { task, cells }
  } else {
    const rules = [...new Set(parsed.map((p) => p.rule ?? ''))]
    if (rules.some((r) => r !== '' && !GP_RULES.includes(r)) || (rules.includes('') && rules.length > 1)) return null
    picks = { task, difficulties: [...new Set(parsed.map((p) => p.difficulty as string))], rules: rules.filter((r) => r !== '') }
  }
  // Only a list the form could write itself (in any order) is shown as picks; a toggle rewrites it in order.
  const again = itemsOfPicks(picks)
  const given = new Set(items)
  return again.length === items.length && again.every((x) => given.has(x)) ? picks : null
}

/** The item the task cell's own difficulty stands for, when the form offers it (else null). */
export function itemOfTaskCell(task: TaskCell): string | null {
  if (task.difficulty === undefined) return null
  const d = typeof task.difficulty === 'string' ? paperDifficulty(task.difficulty) : task.difficulty
  if (d === undefined) return null
  if (d.task === 'sokoban') {
    if (d.rows !== d.cols || d.minMoves !== undefined || d.maxMoves !== undefined) return null
    return sokobanName(d.rows, d.cols, d.boxes)
  }
  return typeof task.difficulty === 'string' && GP_DIFFICULTIES.includes(task.difficulty) ? task.difficulty : null
}
