/**
 * @module core/prompt/python-repr
 * How Python prints values, for template output that must match Python Jinja2 (and the paper's
 * `str.format` prompts) byte for byte: `{{ cards }}` with `['2', 'K']` prints `['2', 'K']`, not
 * JSON, and `{{ true }}` prints `True`.
 */
import { pyFloatRepr } from '../gp/python-number.ts'

/** A plain value as a template receives it, or as the runtime hands it back. */
export type PyValue = string | number | boolean | null | undefined | readonly PyValue[] | PyObject

/** A mapping value. */
export interface PyObject {
  readonly [key: string]: PyValue
}

/** Python's `repr` of a str: single quotes unless the text holds a single quote and no double quote. */
export function pyStrRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'"
  let body = ''
  for (const ch of s) {
    const code = ch.codePointAt(0) ?? 0
    if (ch === '\\') body += '\\\\'
    else if (ch === quote) body += `\\${quote}`
    else if (ch === '\n') body += '\\n'
    else if (ch === '\r') body += '\\r'
    else if (ch === '\t') body += '\\t'
    else if (code < 0x20 || code === 0x7f) body += `\\x${code.toString(16).padStart(2, '0')}`
    else body += ch
  }
  return quote + body + quote
}

/** Python's `repr` of a float or int given as a JS number; `isFloat` marks a Python float. */
export function pyNumberRepr(n: number, isFloat: boolean): string {
  if (isFloat) return pyFloatRepr(n)
  if (Number.isNaN(n)) return 'nan'
  if (n === Infinity) return 'inf'
  if (n === -Infinity) return '-inf'
  return String(n)
}

/** Python's `repr` of a value (strings quoted), as it appears inside a printed list or dict. */
export function pyRepr(value: PyValue): string {
  if (value === null || value === undefined) return 'None'
  if (typeof value === 'string') return pyStrRepr(value)
  if (typeof value === 'boolean') return value ? 'True' : 'False'
  if (typeof value === 'number') return pyNumberRepr(value, !Number.isInteger(value))
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(', ')}]`
  const entries = Object.entries(value as PyObject)
  return `{${entries.map(([k, v]) => `${pyStrRepr(k)}: ${pyRepr(v)}`).join(', ')}}`
}

/** Python's `str` of a value: strings as they are, everything else as `repr`. */
export function pyStr(value: PyValue): string {
  return typeof value === 'string' ? value : pyRepr(value)
}
