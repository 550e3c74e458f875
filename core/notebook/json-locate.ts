/**
 * @module core/notebook/json-locate
 * Finds where JSON text first goes wrong, as a 1-based line and column with a plain description.
 * `JSON.parse`'s messages differ between engines and often carry no position at all, so when it
 * fails this small validating scanner walks the text again to locate the problem.
 */

/** Where and why JSON text is invalid. */
export interface JsonSyntaxError {
  readonly message: string
  /** 0-based offset of the offending character (the text length at an unexpected end). */
  readonly offset: number
  readonly line: number
  readonly column: number
}

/** Deeper nesting is reported instead of scanned (no notebook comes close). */
const MAX_DEPTH = 2000

class Stop extends Error {
  constructor(
    readonly offset: number,
    readonly reason: string,
  ) {
    super(reason)
  }
}

/** 1-based line and column of `offset` in `text`. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1
  let lineStart = 0
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++
      lineStart = i + 1
    }
  }
  return { line, column: offset - lineStart + 1 }
}

function describe(text: string, at: number): string {
  if (at >= text.length) return 'the end of the file'
  const ch = text[at]
  if (ch === '\n' || ch === '\r') return 'a line break'
  return `'${ch}'`
}

/**
 * The first syntax error of `text`, or null when it is valid JSON (RFC 8259; a leading byte order
 * mark is allowed).
 */
export function locateJsonError(text: string): JsonSyntaxError | null {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0

  const ws = (): void => {
    while (i < text.length) {
      const c = text.charCodeAt(i)
      if (c === 32 || c === 9 || c === 10 || c === 13) i++
      else break
    }
  }
  const expect = (what: string): never => {
    throw new Stop(i, `expected ${what} but found ${describe(text, i)}`)
  }

  const string = (): void => {
    i++ // opening quote
    for (;;) {
      if (i >= text.length) throw new Stop(i, 'a string is not closed (missing ")')
      const c = text.charCodeAt(i)
      if (c === 34) {
        i++
        return
      }
      if (c < 0x20) throw new Stop(i, 'a string contains a raw control character or line break; write it as an escape (\\n)')
      if (c === 92) {
        const e = text[i + 1]
        if (e === 'u') {
          if (!/^[0-9A-Fa-f]{4}$/.test(text.slice(i + 2, i + 6))) throw new Stop(i, 'a \\u escape needs four hex digits')
          i += 6
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) {
          i += 2
        } else {
          throw new Stop(i, `invalid escape \\${e ?? ''} in a string`)
        }
        continue
      }
      i++
    }
  }

  const digits = (): number => {
    const from = i
    while (i < text.length && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) i++
    return i - from
  }

  const number = (): void => {
    if (text[i] === '-') i++
    if (text[i] === '0') i++
    else if (digits() === 0) expect('a digit')
    if (text[i] === '.') {
      i++
      if (digits() === 0) expect('a digit after the decimal point')
    }
    if (text[i] === 'e' || text[i] === 'E') {
      i++
      if (text[i] === '+' || text[i] === '-') i++
      if (digits() === 0) expect('a digit in the exponent')
    }
  }

  const literal = (word: string): void => {
    if (text.startsWith(word, i)) i += word.length
    else expect('a value (a string, number, object, array, true, false or null)')
  }

  const value = (depth: number): void => {
    if (depth > MAX_DEPTH) throw new Stop(i, `values are nested more than ${MAX_DEPTH} levels deep`)
    ws()
    const ch = text[i]
    if (ch === '{') object(depth)
    else if (ch === '[') array(depth)
    else if (ch === '"') string()
    else if (ch === 't') literal('true')
    else if (ch === 'f') literal('false')
    else if (ch === 'n') literal('null')
    else if (ch === '-' || (ch !== undefined && ch >= '0' && ch <= '9')) number()
    else if (ch === "'") throw new Stop(i, 'strings must use double quotes (")')
    else expect('a value (a string, number, object, array, true, false or null)')
  }

  const object = (depth: number): void => {
    i++
    ws()
    if (text[i] === '}') {
      i++
      return
    }
    for (;;) {
      ws()
      if (text[i] === '}') throw new Stop(i, "a trailing comma before '}' is not allowed in JSON")
      if (text[i] !== '"') expect('a property name in double quotes')
      string()
      ws()
      if (text[i] !== ':') expect("':' after the property name")
      i++
      value(depth + 1)
      ws()
      if (text[i] === ',') {
        i++
        continue
      }
      if (text[i] === '}') {
        i++
        return
      }
      expect("',' or '}' after a property value")
    }
  }

  const array = (depth: number): void => {
    i++
    ws()
    if (text[i] === ']') {
      i++
      return
    }
    for (;;) {
      ws()
      if (text[i] === ']') throw new Stop(i, "a trailing comma before ']' is not allowed in JSON")
      value(depth + 1)
      ws()
      if (text[i] === ',') {
        i++
        continue
      }
      if (text[i] === ']') {
        i++
        return
      }
      expect("',' or ']' after an array item")
    }
  }

  try {
    ws()
    if (i >= text.length) throw new Stop(i, 'the file is empty; a notebook is a JSON object')
    value(0)
    ws()
    if (i < text.length) throw new Stop(i, `unexpected ${describe(text, i)} after the end of the JSON value`)
    return null
  } catch (error) {
    if (!(error instanceof Stop)) throw error
    const { line, column } = lineColumn(text, error.offset)
    return { message: error.reason, offset: error.offset, line, column }
  }
}
