/**
 * @module core/prompt/errors
 * Template errors that say where: a 1-based line and column, and an excerpt of the line with a
 * caret under the column.
 */

/** A template problem at a 1-based line and column (columns count Unicode code points). */
export class TemplateError extends Error {
  constructor(
    message: string,
    readonly templateName: string,
    readonly line: number,
    readonly column: number,
    /** 0-based UTF-16 offset into the source. */
    readonly offset: number,
    /** The problem alone, without the location prefix and the excerpt. */
    readonly reason: string,
  ) {
    super(message)
    this.name = 'TemplateError'
  }
}

/** Line (1-based), column (1-based, code points) and the line's text at a source offset. */
export function locate(source: string, offset: number): { line: number; column: number; text: string } {
  const at = Math.max(0, Math.min(offset, source.length))
  const before = source.slice(0, at)
  const line = before.split('\n').length
  const lineStart = before.lastIndexOf('\n') + 1
  const lineEnd = source.indexOf('\n', lineStart)
  const text = source.slice(lineStart, lineEnd === -1 ? source.length : lineEnd)
  const column = Array.from(source.slice(lineStart, at)).length + 1
  return { line, column, text }
}

function visible(text: string): string {
  return text.replace(/\t/g, ' ').replace(/\r/g, '')
}

/** Builds a `TemplateError` whose message carries the location and a caret excerpt. */
export function templateErrorAt(name: string, source: string, offset: number, reason: string): TemplateError {
  const { line, column, text } = locate(source, offset)
  const gutter = String(line)
  const excerpt =
    `\n  ${gutter} | ${visible(text)}\n` + `  ${' '.repeat(gutter.length)} | ${' '.repeat(Math.max(0, column - 1))}^`
  const message = `Template "${name}", line ${line}, column ${column}: ${reason}${excerpt}`
  return new TemplateError(message, name, line, column, offset, reason)
}
