/**
 * @module core/prompt/lexer
 * A tokenizer for Jinja templates that yields the same tokens as `@huggingface/jinja`'s `tokenize`
 * (after Jinja2's newline normalization, which that library skips) and, in addition, where each
 * token starts in the original source.
 *
 * `@huggingface/jinja` reports no positions: its tokens carry only a type and a value, and its
 * preprocessing (trailing newline, `lstrip_blocks`, `trim_blocks`, the `generation` tag) rewrites
 * the source before lexing. This port follows the same steps while keeping a map from each
 * preprocessed character back to the source, so that errors can name a line and column. Tests
 * compare its tokens with the library's on every library template and on random templates.
 */
import type { parse } from '@huggingface/jinja'

/** A token as `@huggingface/jinja`'s parser consumes it. */
export type JinjaToken = Parameters<typeof parse>[0][number]

/** A token type name of `@huggingface/jinja`. */
export type JinjaTokenType = JinjaToken['type']

/** Whitespace handling, with Jinja2's names (all false is Jinja2's `Environment()` default). */
export interface WhitespaceOptions {
  /** Keep a single final newline of the source (Jinja2 `keep_trailing_newline`). */
  readonly keepTrailingNewline: boolean
  /** Drop the first newline after a block tag (Jinja2 `trim_blocks`). */
  readonly trimBlocks: boolean
  /** Drop spaces and tabs before a block tag at the start of a line (Jinja2 `lstrip_blocks`). */
  readonly lstripBlocks: boolean
}

/** A lexing failure at a source offset (0-based, UTF-16 code units). */
export class LexError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message)
    this.name = 'LexError'
  }
}

/** Tokens, each with the source offset of its first character. */
export interface LexResult {
  readonly tokens: JinjaToken[]
  readonly offsets: number[]
  /** The offset one past the last source character (where "end of template" errors point). */
  readonly end: number
}

interface Mapped {
  text: string
  /** `map[i]` is the source offset of `text[i]`; `map[text.length]` is the end offset. */
  map: number[]
}

// Rewrites every match of `re`, keeping only the ranges (relative to the match) that `keep` returns.
function rewrite(input: Mapped, re: RegExp, keep: (m: RegExpExecArray) => [number, number][]): Mapped {
  let text = ''
  const map: number[] = []
  let last = 0
  const copy = (from: number, to: number): void => {
    text += input.text.slice(from, to)
    for (let i = from; i < to; i++) map.push(input.map[i])
  }
  for (let m = re.exec(input.text); m !== null; m = re.exec(input.text)) {
    copy(last, m.index)
    for (const [a, b] of keep(m)) copy(m.index + a, m.index + b)
    last = m.index + m[0].length
    if (m[0].length === 0) re.lastIndex++
  }
  copy(last, input.text.length)
  map.push(input.map[input.text.length])
  return { text, map }
}

/**
 * The library's `preprocess`, with an offset map back to the source. It first turns "\r\n" and a
 * lone "\r" into "\n", as Jinja2 does with every template (its `newline_sequence`), so that a
 * template saved with Windows line endings renders the same bytes.
 */
function preprocess(source: string, options: WhitespaceOptions): Mapped {
  let m: Mapped = { text: source, map: Array.from({ length: source.length + 1 }, (_, i) => i) }
  if (m.text.includes('\r')) {
    m = rewrite(m, /\r\n/g, () => [[1, 2]])
    m = { text: m.text.replace(/\r/g, '\n'), map: m.map }
  }
  if (!options.keepTrailingNewline && m.text.endsWith('\n')) {
    m = { text: m.text.slice(0, -1), map: m.map.slice(0, -1) }
  }
  if (options.lstripBlocks) {
    m = rewrite(m, /^[ \t]*({[#%-])/gm, (x) => [[x[0].length - x[1].length, x[0].length]])
  }
  if (options.trimBlocks) {
    m = rewrite(m, /([#%-]})\n/g, () => [[0, 2]])
  }
  // The transformers-specific `{% generation %}` tag is removed, honouring `{%-` / `-%}`.
  return rewrite(m, /(\s*){%(-?)\s*(?:end)?generation\s*(-?)%}(\s*)/gs, (x) => {
    const kept: [number, number][] = []
    if (!x[2]) kept.push([0, x[1].length])
    if (!x[3]) kept.push([x[0].length - x[4].length, x[0].length])
    return kept
  })
}

const ORDERED_MAPPING_TABLE: readonly (readonly [string, JinjaTokenType])[] = [
  ['{%', 'OpenStatement'],
  ['%}', 'CloseStatement'],
  ['{{', 'OpenExpression'],
  ['}}', 'CloseExpression'],
  ['(', 'OpenParen'],
  [')', 'CloseParen'],
  ['{', 'OpenCurlyBracket'],
  ['}', 'CloseCurlyBracket'],
  ['[', 'OpenSquareBracket'],
  [']', 'CloseSquareBracket'],
  [',', 'Comma'],
  ['.', 'Dot'],
  [':', 'Colon'],
  ['|', 'Pipe'],
  ['<=', 'ComparisonBinaryOperator'],
  ['>=', 'ComparisonBinaryOperator'],
  ['==', 'ComparisonBinaryOperator'],
  ['!=', 'ComparisonBinaryOperator'],
  ['<', 'ComparisonBinaryOperator'],
  ['>', 'ComparisonBinaryOperator'],
  ['+', 'AdditiveBinaryOperator'],
  ['-', 'AdditiveBinaryOperator'],
  ['~', 'AdditiveBinaryOperator'],
  ['**', 'ExponentiationBinaryOperator'],
  ['*', 'MultiplicativeBinaryOperator'],
  ['//', 'MultiplicativeBinaryOperator'],
  ['/', 'MultiplicativeBinaryOperator'],
  ['%', 'MultiplicativeBinaryOperator'],
  ['=', 'Equals'],
]

const ESCAPE_CHARACTERS: ReadonlyMap<string, string> = new Map([
  ['n', '\n'],
  ['t', '\t'],
  ['r', '\r'],
  ['b', '\b'],
  ['f', '\f'],
  ['v', '\v'],
  ["'", "'"],
  ['"', '"'],
  ['\\', '\\'],
])

const isWord = (c: string | undefined): boolean => c !== undefined && /\w/.test(c)
const isInteger = (c: string | undefined): boolean => c !== undefined && /[0-9]/.test(c)
const isWhitespace = (c: string | undefined): boolean => c !== undefined && /\s/.test(c)

/**
 * Tokenizes `source` exactly as `@huggingface/jinja` does under the given whitespace options, and
 * records where each token starts. Throws `LexError` with the source offset of the problem.
 */
export function lexTemplate(source: string, options: WhitespaceOptions): LexResult {
  const { text: src, map } = preprocess(source, options)
  const tokens: JinjaToken[] = []
  const offsets: number[] = []
  let cursor = 0
  let curlyDepth = 0
  // The open tag the cursor is in, so that running out of input blames the tag, not the end.
  let openTag: { close: string; at: number } | null = null
  const fail = (message: string, at: number): never => {
    if (at >= src.length && openTag !== null) {
      throw new LexError(`this tag is never closed; add "${openTag.close}"`, map[openTag.at])
    }
    throw new LexError(message, map[Math.min(at, src.length)])
  }
  const push = (value: string, type: JinjaTokenType, at: number): void => {
    tokens.push({ value, type } as JinjaToken)
    offsets.push(map[at])
    if (type === 'OpenStatement') openTag = { close: '%}', at }
    else if (type === 'OpenExpression') openTag = { close: '}}', at }
    else if (type === 'CloseStatement' || type === 'CloseExpression') openTag = null
  }

  const consumeWhile = (predicate: (c: string | undefined) => boolean): string => {
    let str = ''
    while (predicate(src[cursor])) {
      if (src[cursor] === '\\') {
        const at = cursor
        ++cursor
        if (cursor >= src.length) fail('Unexpected end of input after a backslash', at)
        const escaped = src[cursor++]
        if (escaped === 'x' || escaped === 'u') {
          const length = escaped === 'x' ? 2 : 4
          const hex = src.slice(cursor, cursor + length)
          if (hex.length !== length || /[^0-9a-f]/i.test(hex)) {
            fail(`Invalid hexadecimal escape sequence: \\${escaped}${hex}`, at)
          }
          str += String.fromCharCode(parseInt(hex, 16))
          cursor += length
          continue
        }
        const unescaped = ESCAPE_CHARACTERS.get(escaped)
        if (unescaped === undefined) fail(`Unexpected escaped character: ${escaped}`, at)
        str += unescaped
        continue
      }
      str += src[cursor++]
      if (cursor >= src.length) fail('Unexpected end of input', cursor)
    }
    return str
  }

  const stripTrailingWhitespace = (): void => {
    const last = tokens.at(-1)
    if (last && last.type === 'Text') {
      last.value = last.value.trimEnd()
      if (last.value === '') {
        tokens.pop()
        offsets.pop()
      }
    }
  }

  const skipLeadingWhitespace = (): void => {
    while (cursor < src.length && isWhitespace(src[cursor])) ++cursor
  }

  main: while (cursor < src.length) {
    const lastType = tokens.at(-1)?.type
    if (
      lastType === undefined ||
      lastType === 'CloseStatement' ||
      lastType === 'CloseExpression' ||
      lastType === 'Comment'
    ) {
      const start = cursor
      while (
        cursor < src.length &&
        !(src[cursor] === '{' && (src[cursor + 1] === '%' || src[cursor + 1] === '{' || src[cursor + 1] === '#'))
      ) {
        cursor++
      }
      if (cursor > start) {
        push(src.slice(start, cursor), 'Text', start)
        continue
      }
    }

    if (src[cursor] === '{' && src[cursor + 1] === '#') {
      const start = cursor
      cursor += 2
      const stripBefore = src[cursor] === '-'
      if (stripBefore) ++cursor
      let comment = ''
      while (src[cursor] !== '#' || src[cursor + 1] !== '}') {
        if (cursor + 2 >= src.length) fail('Missing end of comment tag: add "#}"', start)
        comment += src[cursor++]
      }
      const stripAfter = comment.endsWith('-')
      if (stripAfter) comment = comment.slice(0, -1)
      if (stripBefore) stripTrailingWhitespace()
      push(comment, 'Comment', start)
      cursor += 2
      if (stripAfter) skipLeadingWhitespace()
      continue
    }

    if (src.slice(cursor, cursor + 3) === '{%-') {
      stripTrailingWhitespace()
      push('{%', 'OpenStatement', cursor)
      cursor += 3
      continue
    }
    if (src.slice(cursor, cursor + 3) === '{{-') {
      stripTrailingWhitespace()
      push('{{', 'OpenExpression', cursor)
      curlyDepth = 0
      cursor += 3
      continue
    }

    consumeWhile(isWhitespace)

    if (src.slice(cursor, cursor + 3) === '-%}') {
      push('%}', 'CloseStatement', cursor)
      cursor += 3
      skipLeadingWhitespace()
      continue
    }
    if (src.slice(cursor, cursor + 3) === '-}}') {
      push('}}', 'CloseExpression', cursor)
      cursor += 3
      skipLeadingWhitespace()
      continue
    }

    const char = src[cursor]
    // The library reads past the end here (consumeWhile stops on undefined) and ends the loop.
    if (char === undefined) break

    if (char === '-' || char === '+') {
      const prevType = tokens.at(-1)?.type
      if (prevType === 'Text' || prevType === undefined) fail(`Unexpected character: ${char}`, cursor)
      switch (prevType) {
        case 'Identifier':
        case 'NumericLiteral':
        case 'StringLiteral':
        case 'CloseParen':
        case 'CloseSquareBracket':
          break
        default: {
          const start = cursor
          ++cursor
          let num = consumeWhile(isInteger)
          if (num.length > 0 && src[cursor] === '.' && isInteger(src[cursor + 1])) {
            ++cursor
            num = `${num}.${consumeWhile(isInteger)}`
          }
          push(`${char}${num}`, num.length > 0 ? 'NumericLiteral' : 'UnaryOperator', start)
          continue
        }
      }
    }

    for (const [seq, type] of ORDERED_MAPPING_TABLE) {
      if (seq === '}}' && curlyDepth > 0) continue
      if (src.slice(cursor, cursor + seq.length) === seq) {
        push(seq, type, cursor)
        if (type === 'OpenExpression') curlyDepth = 0
        else if (type === 'OpenCurlyBracket') ++curlyDepth
        else if (type === 'CloseCurlyBracket') --curlyDepth
        cursor += seq.length
        continue main
      }
    }

    if (char === "'" || char === '"') {
      const start = cursor
      ++cursor
      const str = consumeWhile((c) => c !== char)
      push(str, 'StringLiteral', start)
      ++cursor
      continue
    }

    if (isInteger(char)) {
      const start = cursor
      let num = consumeWhile(isInteger)
      if (tokens.at(-1)?.type !== 'Dot' && src[cursor] === '.' && isInteger(src[cursor + 1])) {
        ++cursor
        num = `${num}.${consumeWhile(isInteger)}`
      }
      push(num, 'NumericLiteral', start)
      continue
    }
    if (isWord(char)) {
      const start = cursor
      push(consumeWhile(isWord), 'Identifier', start)
      continue
    }

    fail(`Unexpected character: ${char}`, cursor)
  }

  return { tokens, offsets, end: source.length }
}
