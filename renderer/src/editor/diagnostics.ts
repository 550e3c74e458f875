/**
 * Template problems as editor markers: core's strict template compiler (syntax, and variables the
 * task does not declare) run on the text being edited, and errors the backend reported while
 * rendering, each turned into a range of the source.
 */
import { TemplateError } from '../../../core/prompt/errors.ts'
import { schemaForTask } from '../../../core/prompt/schemas.ts'
import { compileTemplate } from '../../../core/prompt/template.ts'

/** A range in Monaco's terms: 1-based lines and 1-based columns in UTF-16 code units, end exclusive. */
export interface SourceRange {
  readonly startLineNumber: number
  readonly startColumn: number
  readonly endLineNumber: number
  readonly endColumn: number
}

/** One problem to mark. */
export interface TemplateProblem extends SourceRange {
  /** The problem alone (what the marker's hover says). */
  readonly message: string
  /** Line and column as the compiler reports them (columns in code points), for the problems list. */
  readonly line: number
  readonly column: number
  /** Which check found it. */
  readonly source: 'syntax' | 'render'
}

const IDENT = /[A-Za-z0-9_]/

/**
 * The range to underline for a problem at `offset` (0-based, UTF-16): the identifier there, a tag
 * delimiter, or one character; at the end of a line (an unclosed tag), the last character before it.
 * Line breaks are `\n`, `\r\n` or `\r`, as the template lexer reads them.
 */
export function problemRange(source: string, offset: number): SourceRange {
  const at = Math.max(0, Math.min(offset, source.length))
  let line = 1
  let lineStart = 0
  for (let i = 0; i < at; i++) {
    const ch = source[i]
    if (ch === '\n' || (ch === '\r' && source[i + 1] !== '\n')) {
      line++
      lineStart = i + 1
    }
  }
  let lineEnd = lineStart
  while (lineEnd < source.length && source[lineEnd] !== '\n' && source[lineEnd] !== '\r') lineEnd++
  const column = at - lineStart + 1
  if (at >= lineEnd) {
    // Nothing to underline at the end of a line: mark the character before it (or an empty line's start).
    const startColumn = Math.max(1, column - 1)
    return { startLineNumber: line, startColumn, endLineNumber: line, endColumn: Math.max(startColumn + 1, column) }
  }
  let end = at
  if (IDENT.test(source[at])) {
    while (end < lineEnd && IDENT.test(source[end])) end++
  } else if (/^(\{\{|\{%|\{#|\}\}|%\}|#\})/.test(source.slice(at, at + 2))) {
    end = at + 2
  } else {
    // One character, or a surrogate pair.
    end = (source.codePointAt(at) ?? 0) > 0xffff ? at + 2 : at + 1
  }
  return { startLineNumber: line, startColumn: column, endLineNumber: line, endColumn: column + (end - at) }
}

/** The problem a `TemplateError` of `source` describes. */
export function problemOf(source: string, error: Pick<TemplateError, 'offset' | 'reason' | 'line' | 'column'>, kind: TemplateProblem['source']): TemplateProblem {
  return { ...problemRange(source, error.offset), message: error.reason, line: error.line, column: error.column, source: kind }
}

/**
 * Compiles `source` as a template of `task` with core's strict compiler and returns its problem, or
 * null when it compiles. The compiler stops at the first problem, so there is at most one.
 */
export function checkTemplate(source: string, task: 'sokoban' | 'gp'): TemplateProblem | null {
  try {
    compileTemplate('template', source, schemaForTask(task))
    return null
  } catch (error) {
    if (error instanceof TemplateError) return problemOf(source, error, 'syntax')
    throw error
  }
}
