/**
 * @module core/gp/json-extract
 * Finding the `"formula"` of a General Points answer the way the paper's verifier does
 * (paper-tasks.md §6.4, §10 items 16 and 23), plus the lenient fallback of the strict verifier.
 *
 * The paper first runs Python's `json.loads` on the whole response. `pythonJsonLoads` reproduces
 * CPython 3.11's decoder (its C scanner) rather than using `JSON.parse`, because the two differ
 * on inputs a model can produce:
 *
 * - Python accepts the constants `NaN`, `Infinity` and `-Infinity`; `JSON.parse` rejects them.
 *   So `{"formula": "…", "score": NaN}` is JSON to the paper.
 * - Python raises `RecursionError` on nesting deeper than its recursion limit; the paper's bare
 *   `except` then falls back to the regex. We fail at a depth of 995 containers, the limit
 *   CPython 3.11 shows when called from a shallow stack (the exact depth depends on the caller's
 *   stack; `JSON.parse` has no such limit).
 * - Everything else agrees with `JSON.parse`: the same grammar, the same four whitespace
 *   characters, control characters refused inside strings, a leading BOM refused, the last of
 *   duplicate keys wins. Python keeps int and float apart; we keep the distinction for messages.
 */
import { pyFloatRepr } from './python-number.ts'
import { pyStrRepr } from '../prompt/python-repr.ts'

/** A decoded Python JSON value, tagged with its Python type name. */
export type PyJson = PyJsonStr | PyJsonInt | PyJsonFloat | PyJsonBool | PyJsonNone | PyJsonList | PyJsonDict

/** A JSON string (Python `str`). */
export interface PyJsonStr {
  readonly type: 'str'
  readonly value: string
}

/** A JSON integer (Python `int`), kept as its source text. */
export interface PyJsonInt {
  readonly type: 'int'
  readonly text: string
}

/** A JSON number with a fraction or exponent, or NaN / ±Infinity (Python `float`). */
export interface PyJsonFloat {
  readonly type: 'float'
  readonly value: number
}

/** `true` / `false` (Python `bool`). */
export interface PyJsonBool {
  readonly type: 'bool'
  readonly value: boolean
}

/** `null` (Python `None`). */
export interface PyJsonNone {
  readonly type: 'NoneType'
}

/** A JSON array (Python `list`). */
export interface PyJsonList {
  readonly type: 'list'
  readonly items: readonly PyJson[]
}

/** A JSON object (Python `dict`); the last of duplicate keys wins, as in Python. */
export interface PyJsonDict {
  readonly type: 'dict'
  readonly entries: ReadonlyMap<string, PyJson>
}

/** A `json.JSONDecodeError` (or the `RecursionError` that too deep a nesting raises). */
export interface PyJsonError {
  /** 0-based UTF-16 offset of the problem. */
  readonly offset: number
  /** Python's message, e.g. `Expecting value: line 1 column 1 (char 0)`. */
  readonly message: string
}

/** The result of `pythonJsonLoads`. */
export type PyJsonResult =
  | { readonly ok: true; readonly value: PyJson }
  | { readonly ok: false; readonly error: PyJsonError }

/** The deepest container nesting CPython 3.11's `json.loads` decodes (from a shallow stack). */
export const PYTHON_JSON_MAX_DEPTH = 994

const WHITESPACE = new Set([' ', '\t', '\n', '\r'])
const ESCAPES: Record<string, string> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
}
const NUMBER = /-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?/y
const HEX4 = /^[0-9a-fA-F]{4}$/

class JsonFailure extends Error {
  constructor(
    readonly offset: number,
    readonly reason: string,
  ) {
    super(reason)
  }
}

class JsonReader {
  private depth = 0
  constructor(private readonly s: string) {}

  skipWhitespace(pos: number): number {
    while (pos < this.s.length && WHITESPACE.has(this.s[pos])) pos++
    return pos
  }

  /** Parses one value starting exactly at `pos`; returns it and the offset after it. */
  value(pos: number): [PyJson, number] {
    const s = this.s
    const ch = s[pos]
    if (ch === '"') {
      const [value, end] = this.string(pos)
      return [{ type: 'str', value }, end]
    }
    if (ch === '{') return this.container(pos, '}')
    if (ch === '[') return this.container(pos, ']')
    if (s.startsWith('null', pos)) return [{ type: 'NoneType' }, pos + 4]
    if (s.startsWith('true', pos)) return [{ type: 'bool', value: true }, pos + 4]
    if (s.startsWith('false', pos)) return [{ type: 'bool', value: false }, pos + 5]
    if (s.startsWith('NaN', pos)) return [{ type: 'float', value: NaN }, pos + 3]
    if (s.startsWith('Infinity', pos)) return [{ type: 'float', value: Infinity }, pos + 8]
    if (s.startsWith('-Infinity', pos)) return [{ type: 'float', value: -Infinity }, pos + 9]
    NUMBER.lastIndex = pos
    const m = NUMBER.exec(s)
    if (m !== null) {
      const end = pos + m[0].length
      if (m[1] === undefined && m[2] === undefined) return [{ type: 'int', text: m[0] }, end]
      return [{ type: 'float', value: Number(m[0]) }, end]
    }
    throw new JsonFailure(pos, 'Expecting value')
  }

  private string(start: number): [string, number] {
    const s = this.s
    let pos = start + 1
    let out = ''
    for (;;) {
      if (pos >= s.length) throw new JsonFailure(start, 'Unterminated string starting at')
      const ch = s[pos]
      if (ch === '"') return [out, pos + 1]
      if (ch.charCodeAt(0) < 0x20) throw new JsonFailure(pos, 'Invalid control character at')
      if (ch !== '\\') {
        out += ch
        pos++
        continue
      }
      const esc = s[pos + 1]
      if (esc === undefined) throw new JsonFailure(start, 'Unterminated string starting at')
      if (esc === 'u') {
        const hex = s.slice(pos + 2, pos + 6)
        if (!HEX4.test(hex)) throw new JsonFailure(pos + 1, 'Invalid \\uXXXX escape')
        // A surrogate pair written as two escapes decodes to the same UTF-16 units as two
        // lone surrogates, so no pairing step is needed in JavaScript.
        out += String.fromCharCode(parseInt(hex, 16))
        pos += 6
        continue
      }
      const decoded = ESCAPES[esc]
      if (decoded === undefined) throw new JsonFailure(pos, 'Invalid \\escape')
      out += decoded
      pos += 2
    }
  }

  private container(start: number, close: '}' | ']'): [PyJson, number] {
    this.depth++
    if (this.depth > PYTHON_JSON_MAX_DEPTH) {
      const what = close === '}' ? 'object' : 'array'
      const message = `maximum recursion depth exceeded while decoding a JSON ${what} from a unicode string`
      throw new JsonFailure(start, `RecursionError: ${message}`)
    }
    const s = this.s
    let pos = this.skipWhitespace(start + 1)
    const items: PyJson[] = []
    const entries = new Map<string, PyJson>()
    if (s[pos] === close) {
      this.depth--
      return [close === '}' ? { type: 'dict', entries } : { type: 'list', items }, pos + 1]
    }
    for (;;) {
      if (close === '}') {
        if (s[pos] !== '"') throw new JsonFailure(pos, 'Expecting property name enclosed in double quotes')
        const [key, afterKey] = this.string(pos)
        pos = this.skipWhitespace(afterKey)
        if (s[pos] !== ':') throw new JsonFailure(pos, "Expecting ':' delimiter")
        pos = this.skipWhitespace(pos + 1)
        const [value, afterValue] = this.value(pos)
        entries.set(key, value)
        pos = afterValue
      } else {
        const [value, afterValue] = this.value(pos)
        items.push(value)
        pos = afterValue
      }
      pos = this.skipWhitespace(pos)
      if (s[pos] === close) {
        this.depth--
        return [close === '}' ? { type: 'dict', entries } : { type: 'list', items }, pos + 1]
      }
      if (s[pos] !== ',') throw new JsonFailure(pos, "Expecting ',' delimiter")
      pos = this.skipWhitespace(pos + 1)
    }
  }
}

/** Python's `line L column C (char N)`, counted in code points as Python does. */
function pythonPosition(s: string, offset: number): string {
  const before = Array.from(s.slice(0, offset))
  const lastNewline = before.lastIndexOf('\n')
  const line = before.filter((c) => c === '\n').length + 1
  const column = before.length - lastNewline
  return `line ${line} column ${column} (char ${before.length})`
}

/** CPython 3.11's `json.loads(text)`: exactly one JSON value, surrounded by optional whitespace. */
export function pythonJsonLoads(text: string): PyJsonResult {
  const fail = (offset: number, reason: string): PyJsonResult => ({
    ok: false,
    error: {
      offset,
      message: reason.startsWith('RecursionError') ? reason : `${reason}: ${pythonPosition(text, offset)}`,
    },
  })
  if (text.startsWith('\ufeff')) return fail(0, 'Unexpected UTF-8 BOM (decode using utf-8-sig)')
  const reader = new JsonReader(text)
  try {
    const start = reader.skipWhitespace(0)
    const [value, end] = reader.value(start)
    const after = reader.skipWhitespace(end)
    if (after !== text.length) return fail(after, 'Extra data')
    return { ok: true, value }
  } catch (e) {
    if (e instanceof JsonFailure) return fail(e.offset, e.reason)
    throw e
  }
}

/** Python's `repr` of a decoded value (`24`, `None`, `['1+2']`, `{'a': 1.5}`), for messages. */
export function pyJsonRepr(value: PyJson): string {
  switch (value.type) {
    case 'str':
      return pyStrRepr(value.value)
    case 'int':
      return BigInt(value.text).toString()
    case 'float':
      return pyFloatRepr(value.value)
    case 'bool':
      return value.value ? 'True' : 'False'
    case 'NoneType':
      return 'None'
    case 'list':
      return `[${value.items.map(pyJsonRepr).join(', ')}]`
    case 'dict':
      return `{${Array.from(value.entries, ([k, v]) => `${pyStrRepr(k)}: ${pyJsonRepr(v)}`).join(', ')}}`
  }
}

/** Where the paper's verifier found the formula. */
export type PaperFormulaSource = 'json' | 'regex' | 'none'

/** The formula text the paper's verifier goes on with. */
export interface PaperFormulaText {
  readonly kind: 'text'
  readonly source: PaperFormulaSource
  /** The formula before any normalisation; the literal `None` when nothing was found. */
  readonly formula: string
  /** Offset of the formula in the response for a regex match; null otherwise. */
  readonly offset: number | null
}

/**
 * The whole response is a JSON object whose `"formula"` is not a string: the paper's verifier
 * then raises `AttributeError` (§10 item 23) and produces no reward at all.
 */
export interface PaperFormulaNonString {
  readonly kind: 'non-string'
  readonly source: 'json'
  readonly value: PyJson
}

/** The result of `extractPaperFormula`. */
export type PaperFormulaExtraction = PaperFormulaText | PaperFormulaNonString

/**
 * The paper's `"formula": "(.*?)"` searched with Python `re.search` (no DOTALL): `.` excludes only
 * `\n` (JavaScript's `.` would also exclude `\r`, U+2028 and U+2029, so spell it out).
 */
const PAPER_FORMULA = /"formula": "([^\n]*?)"/

/**
 * Extracts the formula as the paper's `re_match(response, "formula")` does (§6.4): the
 * `"formula"` member when the whole response is one JSON object that has it; else the first
 * regex match of `"formula": "(.*?)"` (double quotes, exactly `": "`, one line, raw text with no
 * JSON unescaping); else the literal string `None`.
 */
export function extractPaperFormula(response: string): PaperFormulaExtraction {
  const parsed = pythonJsonLoads(response)
  // `output_dict["formula"]` raises for anything but a dict holding the key (a list or a string
  // raises TypeError, a dict without it KeyError); the bare `except` moves on to the regex.
  if (parsed.ok && parsed.value.type === 'dict') {
    const value = parsed.value.entries.get('formula')
    if (value !== undefined) {
      if (value.type === 'str') return { kind: 'text', source: 'json', formula: value.value, offset: null }
      return { kind: 'non-string', source: 'json', value }
    }
  }
  const m = PAPER_FORMULA.exec(response)
  if (m !== null) {
    // The capture ends one character (the closing quote) before the match does.
    return { kind: 'text', source: 'regex', formula: m[1], offset: m.index + m[0].length - m[1].length - 1 }
  }
  return { kind: 'text', source: 'none', formula: 'None', offset: null }
}

/**
 * The strict verifier's fallback when the paper's extraction finds nothing: a `formula` key in
 * single or double quotes, optional spaces or tabs around the colon, and a value in single or
 * double quotes closed on the same line: `'formula': '…'`, `"formula":"…"`, `"formula" : '…'`.
 * The first such match counts, as the paper's regex takes the first.
 */
const LENIENT_FORMULA = /(["'])formula\1[ \t]*:[ \t]*(["'])((?:(?!\2)[^\n])*)\2/

/** A formula found by the lenient fallback. */
export interface LenientFormula {
  readonly formula: string
  readonly offset: number
}

/** Searches the response for the first lenient `formula` member (see the pattern above). */
export function extractLenientFormula(response: string): LenientFormula | null {
  const m = LENIENT_FORMULA.exec(response)
  if (m === null) return null
  return { formula: m[3], offset: m.index + m[0].length - m[3].length - 1 }
}
