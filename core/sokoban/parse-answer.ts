/**
 * @module core/sokoban/parse-answer
 * Reading moves out of model text, three ways:
 *
 * - `parseEvalAnswer`: the paper's closed-loop evaluation parser (paper-tasks.md §5.1), exactly.
 * - `parseTrainingReward` / `computeScoreWithActionSequence`: the paper's training-time rewards
 *   (§5.3), exactly, returning the score with the reason behind it.
 * - `parseLenientAnswer`: a forgiving reader for whole-plan answers (open-loop runs).
 *
 * The reference is Python, so its string functions are reproduced here rather than borrowed from
 * JavaScript: `str.strip()` and `\s` use Python's whitespace set (which differs from `trim()` on
 * U+001C-U+001F, U+0085 and U+FEFF), `.` without DOTALL stops only at `\n` (JavaScript's `.` also
 * stops at `\r`, U+2028 and U+2029), and IGNORECASE follows `re`'s case equivalences.
 */
import type { Direction } from './directions.ts'
import type { ActionVocabulary } from './vocab.ts'

// ---------------------------------------------------------------------------------------------
// Python string semantics

/** Python's whitespace (`str.isspace()`, the same set as `\s` in `re` str patterns), as a class body. */
const PY_WS_CLASS =
  '\\t\\n\\v\\f\\r\\u001c-\\u001f \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000'

function isPyWhitespace(code: number): boolean {
  return (
    (code >= 0x09 && code <= 0x0d) ||
    (code >= 0x1c && code <= 0x20) ||
    code === 0x85 ||
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000
  )
}

/** Python's `str.strip()` with no argument: removes Python whitespace from both ends. */
export function pyStrip(text: string): string {
  let start = 0
  let end = text.length
  while (start < end && isPyWhitespace(text.charCodeAt(start))) start++
  while (end > start && isPyWhitespace(text.charCodeAt(end - 1))) end--
  return start === 0 && end === text.length ? text : text.slice(start, end)
}

/**
 * Python's `str.lower()`. Both languages apply the full Unicode lower-case mapping, including the
 * final-sigma rule, so JavaScript's locale-independent `toLowerCase` is the same function.
 */
export function pyLower(text: string): string {
  return text.toLowerCase()
}

/** Python's `str.replace(old, '')` for every occurrence, left to right, without re-scanning. */
function removeAll(text: string, needle: string): string {
  return text.includes(needle) ? text.split(needle).join('') : text
}

// `re` IGNORECASE compares simple lower-case forms, plus these extra equivalences for letters
// whose case forms are not closed under lower(): CPython 3.11 `re._casefix._EXTRA_CASES`.
const EXTRA_CASES: ReadonlyMap<number, readonly number[]> = new Map<number, readonly number[]>([
  [0x69, [0x131]], [0x73, [0x17f]], [0xb5, [0x3bc]], [0x131, [0x69]], [0x17f, [0x73]],
  [0x345, [0x3b9, 0x1fbe]], [0x390, [0x1fd3]], [0x3b0, [0x1fe3]], [0x3b2, [0x3d0]], [0x3b5, [0x3f5]],
  [0x3b8, [0x3d1]], [0x3b9, [0x345, 0x1fbe]], [0x3ba, [0x3f0]], [0x3bc, [0xb5]], [0x3c0, [0x3d6]],
  [0x3c1, [0x3f1]], [0x3c2, [0x3c3]], [0x3c3, [0x3c2]], [0x3c6, [0x3d5]], [0x3d0, [0x3b2]],
  [0x3d1, [0x3b8]], [0x3d5, [0x3c6]], [0x3d6, [0x3c0]], [0x3f0, [0x3ba]], [0x3f1, [0x3c1]],
  [0x3f5, [0x3b5]], [0x432, [0x1c80]], [0x434, [0x1c81]], [0x43e, [0x1c82]], [0x441, [0x1c83]],
  [0x442, [0x1c84, 0x1c85]], [0x44a, [0x1c86]], [0x463, [0x1c87]], [0x1c80, [0x432]],
  [0x1c81, [0x434]], [0x1c82, [0x43e]], [0x1c83, [0x441]], [0x1c84, [0x442, 0x1c85]],
  [0x1c85, [0x442, 0x1c84]], [0x1c86, [0x44a]], [0x1c87, [0x463]], [0x1c88, [0xa64b]],
  [0x1e61, [0x1e9b]], [0x1e9b, [0x1e61]], [0x1fbe, [0x345, 0x3b9]], [0x1fd3, [0x390]],
  [0x1fe3, [0x3b0]], [0xa64b, [0x1c88]], [0xfb05, [0xfb06]], [0xfb06, [0xfb05]],
])

/** The simple (one code point) lower-case mapping that `re` uses. */
function simpleLower(code: number): number {
  // U+0130 is the only code point whose full lower-case form (i + U+0307) is not its simple form.
  if (code === 0x130) return 0x69
  const lower = String.fromCodePoint(code).toLowerCase()
  const first = lower.codePointAt(0) ?? code
  return lower.length === String.fromCodePoint(first).length ? first : code
}

/** Whether input code point `ch` matches pattern code point `p` under `re.IGNORECASE`. */
function pyIgnoreCaseCharEqual(p: number, ch: number): boolean {
  if (p === ch) return true
  const lo = simpleLower(p)
  const l = simpleLower(ch)
  if (l === lo) return true
  const extra = EXTRA_CASES.get(lo)
  return extra !== undefined && extra.includes(l)
}

/** Whether `input` matches the literal `pattern` as a whole under Python's `re.IGNORECASE`. */
export function pyIgnoreCaseEqual(pattern: string, input: string): boolean {
  if (pattern === input) return true
  const p = Array.from(pattern, (c) => c.codePointAt(0) as number)
  const s = Array.from(input, (c) => c.codePointAt(0) as number)
  if (p.length !== s.length) return false
  for (let i = 0; i < p.length; i++) if (!pyIgnoreCaseCharEqual(p[i], s[i])) return false
  return true
}

// ---------------------------------------------------------------------------------------------
// Shared result types

/** Why a parser found no usable move. */
export type ParseFailureReason =
  /** No `<answer>…</answer>` pair (also a truncated answer with no closing tag). */
  | 'no-answer-tag'
  /** The answer was empty once special strings and whitespace were removed. */
  | 'empty-answer'
  /** The answer was not one of the accepted names. */
  | 'unknown-action'

/** A parse that yielded moves. `answer` is the text the moves were read from. */
export interface ParseSuccess {
  readonly ok: true
  readonly actions: readonly Direction[]
  readonly answer: string
}

/** A parse that yielded no moves, with a typed reason and a human-readable detail. */
export interface ParseFailure {
  readonly ok: false
  readonly reason: ParseFailureReason
  readonly detail: string
  /** The extracted answer text, when there was one. */
  readonly answer: string | null
}

/** The outcome of reading moves from model text. */
export type ParseResult = ParseSuccess | ParseFailure

function fail(reason: ParseFailureReason, detail: string, answer: string | null): ParseFailure {
  return { ok: false, reason, detail, answer }
}

/** Short quoted preview of model text for error details. */
function preview(text: string, max = 60): string {
  return JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text)
}

// ---------------------------------------------------------------------------------------------
// Evaluation parser (§5.1, §10 items 1-4)

/** The strings the evaluator deletes from the answer, in the order it deletes them. */
const EVAL_SPECIAL_STRINGS = ['<think>', '</think>', '<answer>', '</answer>', '<|im_start|>', '<|im_end|>']

// First match, DOTALL, case-sensitive tag names (NaiveContextManager._parse_response).
const EVAL_ANSWER_RE = /<answer>([\s\S]*?)<\/answer>/

/**
 * The answer text the evaluator reads: the first `<answer>(.*?)</answer>` match (DOTALL), with
 * each special string deleted and the result stripped after each deletion, as the reference
 * loop does. Null when there is no complete answer tag.
 */
export function extractEvalAnswer(text: string): string | null {
  const match = EVAL_ANSWER_RE.exec(text)
  if (match === null) return null
  let content = match[1]
  for (const special of EVAL_SPECIAL_STRINGS) content = pyStrip(removeAll(content, special))
  return content
}

/**
 * The paper's evaluation parser (§5.1): the whole extracted answer is one action, looked up by
 * exact equality of lower-cased strings among the lower-cased `accepted` names. `Up`, `up` and
 * ` Up ` are valid; `Up.`, `Up, Up`, `move up` and `1(Up)` are not (§10.2).
 */
export function parseEvalAnswer(text: string, accepted: ActionVocabulary): ParseResult {
  const answer = extractEvalAnswer(text)
  if (answer === null) {
    return fail('no-answer-tag', 'No complete <answer>…</answer> pair in the output.', null)
  }
  // Reference: {v.lower(): k} over action_lookup, so a later name wins a case-insensitive clash.
  const key = pyLower(answer)
  let found = 0
  for (let i = 0; i < 4; i++) if (pyLower(accepted.names[i]) === key) found = i + 1
  if (found > 0) return { ok: true, actions: [found as Direction], answer }
  if (answer === '') {
    return fail('empty-answer', 'The answer tag held nothing once special tokens and whitespace were removed.', answer)
  }
  const names = accepted.names.join(', ')
  return fail('unknown-action', `Answer ${preview(answer)} is not exactly one of: ${names} (case-insensitive).`, answer)
}

// ---------------------------------------------------------------------------------------------
// Training rewards (§5.3, §10 items 11-15)

/** Why a training reward came out as it did. */
export type TrainingRewardReason =
  /** The first len(gt) actions equal the ground truth: full score. */
  | 'correct'
  /** Neither `Assistant:` nor `<|im_start|>assistant` occurs in the text. */
  | 'no-assistant-marker'
  /** Not exactly one `<think>`, `</think>`, `<answer>`, `</answer>`, in that order, after the marker. */
  | 'bad-format'
  /** No single-line `<answer>(.*?)</answer>` / `<action>(.*?)</action>`, or its content was empty. */
  | 'no-answer'
  /** The prompt has no `Answers:` line of four answer tags (the empty variant). */
  | 'no-answers-block'
  /** Fewer actions than the ground truth has. */
  | 'too-few-actions'
  /** The actions differ from the ground truth. */
  | 'wrong-actions'
  /** Data-source scorer only: as many valid actions as the ground truth, but wrong ones (format score). */
  | 'format-only'
  /** Data-source scorer only: the reference raises KeyError on this token; scored 0 here. */
  | 'reference-crash'

/** A training reward with the evidence behind it. */
export interface TrainingRewardResult {
  /** 1 or 0 (or the format score, 0.1 by default, from the data-source scorer). */
  readonly score: number
  readonly reason: TrainingRewardReason
  readonly detail: string
  /** The stripped final answer, or null when none was found. */
  readonly answer: string | null
  /** The answer split on commas, semicolons and whitespace. */
  readonly tokens: readonly string[]
  /** One code per token: 1-4 for a move, 0 for an unreadable token. */
  readonly actions: readonly number[]
  /** The label → move map read from the prompt's Answers line (diverse-prompt scorer only). */
  readonly mapping: ReadonlyMap<string, number> | null
}

interface Reward {
  score: number
  reason: TrainingRewardReason
  detail: string
  answer?: string | null
  tokens?: readonly string[]
  actions?: readonly number[]
  mapping?: ReadonlyMap<string, number> | null
}

function reward(r: Reward): TrainingRewardResult {
  return {
    score: r.score,
    reason: r.reason,
    detail: r.detail,
    answer: r.answer ?? null,
    tokens: r.tokens ?? [],
    actions: r.actions ?? [],
    mapping: r.mapping ?? null,
  }
}

/**
 * Splits model text into the prompt part and the assistant part. The reference checks for
 * `Assistant:` before `<|im_start|>assistant`, so a response that writes "Assistant:" moves the
 * split there even in a Qwen-formatted string.
 */
function splitAtAssistant(text: string): { prompt: string; response: string } | null {
  for (const marker of ['Assistant:', '<|im_start|>assistant']) {
    const at = text.indexOf(marker)
    if (at >= 0) return { prompt: text.slice(0, at), response: text.slice(at + marker.length) }
  }
  return null
}

function countOccurrences(text: string, needle: string): number {
  let count = 0
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.length)) count++
  return count
}

const STRUCTURE_TAGS = ['<think>', '</think>', '<answer>', '</answer>'] as const

/** `validate_response_structure`: null when valid, otherwise what is wrong. */
function structureProblem(response: string): string | null {
  const problems: string[] = []
  const positions: number[] = []
  for (const tag of STRUCTURE_TAGS) {
    const count = countOccurrences(response, tag)
    positions.push(response.indexOf(tag))
    if (count !== 1) problems.push(`${tag} occurs ${count} times`)
  }
  if (positions[0] > positions[1] || positions[1] > positions[2] || positions[2] > positions[3]) {
    problems.push('the tags are not in the order <think> </think> <answer> </answer>')
  }
  if (problems.length === 0) return null
  return `After the assistant marker, ${problems.join('; ')} (each must occur exactly once, in order).`
}

// Not DOTALL: Python's `.` excludes only '\n', hence [^\n] rather than JavaScript's `.`.
const FINAL_ANSWER_RE = /<answer>([^\n]*?)<\/answer>|<action>([^\n]*?)<\/action>/g

/** `extract_solution`: the stripped content of the last answer/action match, or null. */
function extractFinalAnswer(response: string): string | null {
  let last: RegExpExecArray | null = null
  for (const match of response.matchAll(FINAL_ANSWER_RE)) last = match
  if (last === null) return null
  // Python: `group(1) or group(2)`, then `strip() if final_answer else None`: '' counts as none.
  const content = last[1] || last[2]
  return content ? pyStrip(content) : null
}

const S = `[${PY_WS_CLASS}]`
const ANSWER_SLOT = `<answer>${S}*([\\s\\S]*?)${S}*</answer>`
// `extract_action_mapping`: re.search with IGNORECASE | DOTALL. The 'u' flag gives the same case
// equivalences as `re` for these letters (e.g. U+017F long s matches "s").
const ANSWERS_LINE_RE = new RegExp(
  `Answers:${S}*(?:\\n)?${S}*${ANSWER_SLOT}` + `${S}*\\|${S}*${ANSWER_SLOT}`.repeat(3),
  'iu',
)

/**
 * `extract_action_mapping`: the four labels of the prompt's first `Answers:` line, stripped, as a
 * Python dict `{label: move}` (an exact repeat keeps the first position and the last move).
 * Null when the prompt has no such line.
 */
export function extractAnswersMapping(prompt: string): Map<string, number> | null {
  const match = ANSWERS_LINE_RE.exec(prompt)
  if (match === null) return null
  const mapping = new Map<string, number>()
  for (let i = 0; i < 4; i++) mapping.set(pyStrip(match[i + 1]), i + 1)
  return mapping
}

const TOKEN_SPLIT_RE = new RegExp(`[,;${PY_WS_CLASS}]+`, 'u')

/** `convert_action_sequence`'s split: on runs of commas, semicolons and whitespace, empties dropped. */
export function splitActionTokens(answer: string): string[] {
  return pyStrip(answer)
    .split(TOKEN_SPLIT_RE)
    .filter((t) => t !== '')
}

const DIGIT_LABEL_RE = new RegExp(`^([1-4])${S}*\\(([\\s\\S]*)\\)$`, 'u')

/**
 * Which grammar alternative of `^\s*(([1-4])\s*\((label)\)|(label)|([1-4]))\s*$` (IGNORECASE)
 * a stripped token matches: the digit of `n(label)`, the label text, or a bare digit.
 */
function matchActionGrammar(
  token: string,
  labels: readonly string[],
): { kind: 'digit-label'; digit: number } | { kind: 'label'; text: string } | { kind: 'digit'; digit: number } | null {
  const dl = DIGIT_LABEL_RE.exec(token)
  if (dl !== null && labels.some((label) => pyIgnoreCaseEqual(label, dl[2]))) {
    return { kind: 'digit-label', digit: Number(dl[1]) }
  }
  if (labels.some((label) => pyIgnoreCaseEqual(label, token))) return { kind: 'label', text: token }
  if (/^[1-4]$/.test(token)) return { kind: 'digit', digit: Number(token) }
  return null
}

/**
 * `extract_action(action, action_mapping)`: `n(label)` → n; a label (case-insensitive) → its
 * move; a bare digit 1-4 → that digit; otherwise a direct lower-cased lookup; otherwise 0. A label
 * is tried before a bare digit, so in the random vocabulary "1" is Left (3), not Up.
 */
export function extractActionWithMapping(token: string, mapping: ReadonlyMap<string, number>): number {
  const normalized = new Map<string, number>()
  for (const [label, move] of mapping) normalized.set(pyLower(pyStrip(label)), move)
  const text = pyStrip(token)
  const m = matchActionGrammar(text, [...mapping.keys()])
  if (m !== null) {
    if (m.kind === 'label') return normalized.get(pyLower(pyStrip(m.text))) ?? 0
    return m.digit
  }
  return normalized.get(pyLower(text)) ?? 0
}

/**
 * Steps 1-3 shared by both training rewards: split at the assistant marker, check the tag
 * structure of the response and take its last single-line answer. Either the prompt part and the
 * answer, or the zero reward that ends the scoring.
 */
function readResponse(fullText: string): { prompt: string; answer: string } | TrainingRewardResult {
  const split = splitAtAssistant(fullText)
  if (split === null) {
    const detail = 'Neither "Assistant:" nor "<|im_start|>assistant" occurs.'
    return reward({ score: 0, reason: 'no-assistant-marker', detail })
  }
  const problem = structureProblem(split.response)
  if (problem !== null) return reward({ score: 0, reason: 'bad-format', detail: problem })
  const answer = extractFinalAnswer(split.response)
  if (answer === null) {
    const detail =
      'No non-empty single-line <answer>…</answer> (or <action>…</action>); a newline inside the answer breaks it.'
    return reward({ score: 0, reason: 'no-answer', detail })
  }
  return { prompt: split.prompt, answer }
}

function sameActions(actions: readonly number[], groundTruth: readonly number[]): boolean {
  for (let i = 0; i < groundTruth.length; i++) if (actions[i] !== groundTruth[i]) return false
  return true
}

function describe(actions: readonly number[]): string {
  return `[${actions.join(', ')}]`
}

/**
 * The paper's RL and CoT-filter reward, `compute_score_with_action_sequence_and_diverse_prompt`
 * (§5.3 steps 1-6), on the decoded prompt + response with special tokens kept. Returns 1 when the
 * first len(gt) actions of the last answer equal `groundTruth`, else 0, with the reason.
 */
export function parseTrainingReward(fullText: string, groundTruth: readonly Direction[]): TrainingRewardResult {
  const read = readResponse(fullText)
  if ('score' in read) return read
  const { prompt, answer } = read
  const mapping = extractAnswersMapping(prompt)
  if (mapping === null) {
    return reward({
      score: 0,
      reason: 'no-answers-block',
      detail: 'The prompt has no "Answers:" line of four <answer> tags, so no vocabulary to read the answer with.',
      answer,
    })
  }
  const tokens = splitActionTokens(answer)
  const actions = tokens.map((t) => extractActionWithMapping(t, mapping))
  const base = { answer, tokens, actions, mapping }
  if (actions.length < groundTruth.length) {
    return reward({
      ...base,
      score: 0,
      reason: 'too-few-actions',
      detail: `${actions.length} action(s) for a ground truth of ${groundTruth.length}.`,
    })
  }
  if (sameActions(actions, groundTruth)) {
    const detail = `Actions ${describe(actions)} start with ${describe(groundTruth)}.`
    return reward({ ...base, score: 1, reason: 'correct', detail })
  }
  return reward({
    ...base,
    score: 0,
    reason: 'wrong-actions',
    detail: `Actions ${describe(actions.slice(0, groundTruth.length))} differ from ${describe(groundTruth)}.`,
  })
}

/** Fixed vocabularies of the data-source scorer, picked by substring of `data_source` (§5.3). */
const DATA_SOURCE_LABELS: readonly (readonly [string, readonly string[]])[] = [
  ['cardinal', ['North', 'South', 'West', 'East']],
  ['emoji', ['\u2B06\uFE0F', '\u2B07\uFE0F', '\u2B05\uFE0F', '\u27A1\uFE0F']],
  ['numerical', ['1', '2', '3', '4']],
  ['alphabetical', ['A', 'B', 'C', 'D']],
  ['random', ['*', '&', '1', 'M']],
]
const BASE_LABELS: readonly string[] = ['Up', 'Down', 'Left', 'Right']

/** Python's `str.capitalize()`: first character upper-cased, the rest lower-cased. */
function pyCapitalize(text: string): string {
  const first = text.codePointAt(0)
  if (first === undefined) return text
  const head = String.fromCodePoint(first)
  return head.toUpperCase() + text.slice(head.length).toLowerCase()
}

/**
 * `extract_action_{base,cardinal,emoji,numerical,alphabetical,random}`: the same grammar over a
 * fixed vocabulary, then `DIRECTION_MAP[label.capitalize()]`. Null marks the reference's KeyError
 * (a label matched case-insensitively whose capitalised form is not a key, e.g. "rıght").
 */
function extractFixedAction(token: string, labels: readonly string[], numeric: boolean): number | null {
  const m = matchActionGrammar(pyStrip(token), labels)
  if (m === null) return 0
  if (m.kind !== 'label') return m.digit
  if (numeric) return Number(m.text)
  const index = labels.indexOf(pyCapitalize(m.text))
  return index >= 0 ? index + 1 : null
}

/**
 * The data-source variant `compute_score_with_action_sequence` (§5.3): like the diverse-prompt
 * scorer, but the vocabulary is chosen by substring of `dataSource` ("cardinal", "emoji",
 * "numerical", "alphabetical", "random", else base), and exactly len(gt) valid but wrong actions
 * earn `formatScore`.
 */
export function computeScoreWithActionSequence(
  fullText: string,
  groundTruth: readonly Direction[],
  dataSource: string,
  formatScore = 0.1,
  score = 1,
): TrainingRewardResult {
  const read = readResponse(fullText)
  if ('score' in read) return read
  const { answer } = read
  const entry = DATA_SOURCE_LABELS.find(([key]) => dataSource.includes(key))
  const labels = entry ? entry[1] : BASE_LABELS
  const numeric = entry !== undefined && entry[0] === 'numerical'
  const tokens = splitActionTokens(answer)
  const actions: number[] = []
  for (const token of tokens) {
    const action = extractFixedAction(token, labels, numeric)
    if (action === null) {
      return reward({
        score: 0,
        reason: 'reference-crash',
        detail:
          `Token ${preview(token)} matches a label case-insensitively but not after capitalize(); ` +
          'the reference raises KeyError.',
        answer,
        tokens,
      })
    }
    actions.push(action)
  }
  const base = { answer, tokens, actions }
  if (actions.length < groundTruth.length) {
    const detail = `${actions.length} action(s) for a ground truth of ${groundTruth.length}.`
    return reward({ ...base, score: 0, reason: 'too-few-actions', detail })
  }
  if (sameActions(actions, groundTruth)) {
    const detail = `Actions ${describe(actions)} start with ${describe(groundTruth)}.`
    return reward({ ...base, score, reason: 'correct', detail })
  }
  if (actions.length === groundTruth.length && !actions.includes(0)) {
    const detail = `Valid but wrong actions ${describe(actions)}.`
    return reward({ ...base, score: formatScore, reason: 'format-only', detail })
  }
  const detail = `Actions ${describe(actions)} differ from ${describe(groundTruth)}.`
  return reward({ ...base, score: 0, reason: 'wrong-actions', detail })
}

// ---------------------------------------------------------------------------------------------
// Lenient whole-plan reader

/** Options of `parseLenientAnswer`. */
export interface LenientParseOptions {
  /** Read runs of the LURD letters u, d, l, r (any case) as moves (default true). */
  readonly lurd?: boolean
  /** Also accept Up / Down / Left / Right when the vocabulary uses other words (default true). */
  readonly baseNames?: boolean
}

const ALL_ANSWERS_RE = /<answer>([\s\S]*?)<\/answer>/g
// Separators between moves: whitespace, punctuation, arrows and the `||` of RAGEN's multi-action
// answers. Checked only after the vocabulary's names, so a name such as "*" or "1" still wins.
const LENIENT_SEPARATOR_RE = /(?:[\s,;|.!?:'"`*()[\]{}<>=\-–—→⇒⟶➔➜]|\band\b|\bthen\b)+/uy
const WORD_RE = /[\p{L}\p{N}_]+/uy
const LURD_RE = /^[udlr]+$/i
const LURD_CODES: Readonly<Record<string, Direction>> = { u: 1, d: 2, l: 3, r: 4 }
const WORD_CHAR_RE = /[\p{L}\p{N}_]/u

/** The part of a reply that holds the plan: the last answer tag, an unclosed one, or the last line. */
function lenientRegion(text: string): string {
  let last: string | null = null
  for (const match of text.matchAll(ALL_ANSWERS_RE)) last = match[1]
  if (last !== null) return last
  const open = text.lastIndexOf('<answer>')
  if (open >= 0) return text.slice(open + '<answer>'.length)
  const thinkEnd = text.lastIndexOf('</think>')
  const tail = thinkEnd >= 0 ? text.slice(thinkEnd + '</think>'.length) : text
  const lines = tail.split('\n').filter((line) => pyStrip(line) !== '')
  return lines.length > 0 ? lines[lines.length - 1] : ''
}

function isWordChar(ch: string | undefined): boolean {
  return ch !== undefined && WORD_CHAR_RE.test(ch)
}

/**
 * A forgiving reader for whole-plan answers (open-loop runs): takes the last `<answer>` tag (or
 * an unclosed one, or else the last line after `</think>`), then reads moves written as the
 * vocabulary's names, Up/Down/Left/Right, or LURD letters, case-insensitively, separated by
 * spaces, commas, arrows, `||` and the like. U+FE0F is optional on emoji. Fails on the first
 * piece it cannot read, so a stray word never silently drops a move.
 */
export function parseLenientAnswer(
  text: string,
  vocab: ActionVocabulary,
  options: LenientParseOptions = {},
): ParseResult {
  const { lurd = true, baseNames = true } = options
  let region = lenientRegion(text)
  for (const special of EVAL_SPECIAL_STRINGS) region = removeAll(region, special)
  region = pyStrip(removeAll(region, '\uFE0F'))
  const names: { key: string; move: Direction }[] = []
  const add = (name: string, move: Direction): void => {
    const key = pyLower(removeAll(pyStrip(name), '\uFE0F'))
    if (key !== '' && !names.some((n) => n.key === key)) names.push({ key, move })
  }
  vocab.names.forEach((name, i) => add(name, (i + 1) as Direction))
  if (baseNames) BASE_LABELS.forEach((name, i) => add(name, (i + 1) as Direction))
  // Longest first, so "left" is not read as "l" + "eft" and multi-word names beat their words.
  names.sort((a, b) => b.key.length - a.key.length)
  const lower = pyLower(region)
  const actions: Direction[] = []
  let pos = 0
  while (pos < region.length) {
    const hit = names.find(({ key }) => {
      if (!lower.startsWith(key, pos)) return false
      const before = pos > 0 ? lower[pos - 1] : undefined
      const after = lower[pos + key.length]
      const startsWord = isWordChar(key[0])
      const endsWord = isWordChar(key[key.length - 1])
      return !(startsWord && isWordChar(before)) && !(endsWord && isWordChar(after))
    })
    if (hit !== undefined) {
      actions.push(hit.move)
      pos += hit.key.length
      continue
    }
    LENIENT_SEPARATOR_RE.lastIndex = pos
    if (LENIENT_SEPARATOR_RE.exec(lower) !== null) {
      pos = LENIENT_SEPARATOR_RE.lastIndex
      continue
    }
    WORD_RE.lastIndex = pos
    const word = WORD_RE.exec(lower)
    if (word !== null && lurd && LURD_RE.test(word[0])) {
      for (const ch of word[0]) actions.push(LURD_CODES[ch])
      pos = WORD_RE.lastIndex
      continue
    }
    const piece =
      word !== null ? region.slice(pos, WORD_RE.lastIndex) : String.fromCodePoint(region.codePointAt(pos) ?? 0)
    const detail = `Cannot read ${preview(piece)} at offset ${pos} of ${preview(region)} as a move.`
    return fail('unknown-action', detail, region)
  }
  if (actions.length === 0) {
    const reason: ParseFailureReason = text.includes('<answer>') ? 'empty-answer' : 'no-answer-tag'
    return fail(reason, `No moves found in ${preview(region)}.`, region)
  }
  return { ok: true, actions, answer: region }
}
