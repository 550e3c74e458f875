// @vitest-environment node
// Template problems as editor markers: core's strict compiler finds the problem, and its offset
// becomes a Monaco range (1-based lines, UTF-16 columns) on the right line and column, also after
// "\r\n" line breaks and characters outside the BMP, where Monaco's columns and the compiler's
// code-point columns differ.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { GP_TEST_TEMPLATE, SOKOBAN_EVAL_TEMPLATE } from '../../../core/prompt/paper-templates.ts'
import { checkTemplate, problemRange } from '../../../renderer/src/editor/diagnostics.ts'

describe('checkTemplate', () => {
  it("the paper's templates compile for their tasks", () => {
    expect(checkTemplate(SOKOBAN_EVAL_TEMPLATE, 'sokoban')).toBeNull()
    expect(checkTemplate(GP_TEST_TEMPLATE, 'gp')).toBeNull()
  })

  it('an undeclared variable is marked over its name, with the near name in the message', () => {
    const source = 'You are a Sokoban solver.\n\n{{ bord }}\n'
    expect(checkTemplate(source, 'sokoban')).toMatchObject({
      line: 3,
      column: 4,
      startLineNumber: 3,
      startColumn: 4,
      endLineNumber: 3,
      endColumn: 8,
      source: 'syntax',
    })
    expect(checkTemplate(source, 'sokoban')?.message).toMatch(/unknown variable "bord"; did you mean "board"\?/)
  })

  it('a Sokoban variable in a General Points template is unknown there', () => {
    expect(checkTemplate('{{ cards }} {{ board }}', 'gp')).toMatchObject({ line: 1, column: 16, startColumn: 16, endColumn: 21 })
  })

  it('a block closed by the wrong tag is marked on the line of that tag', () => {
    const problem = checkTemplate('{% if rows > 5 %}\nbig\n{% endfor %}\n', 'sokoban')
    expect(problem?.line).toBe(3)
    expect(problem?.startLineNumber).toBe(3)
  })

  it('after "\\r\\n" line breaks the marker is on the same line the compiler names', () => {
    const problem = checkTemplate('Board:\r\n{{ board }}\r\n{{ colz }}\r\n', 'sokoban')
    expect(problem).toMatchObject({ line: 3, column: 4, startLineNumber: 3, startColumn: 4, endColumn: 8 })
  })

  it('after an emoji the compiler counts code points but Monaco counts UTF-16 units', () => {
    // 🙂 is one code point in two UTF-16 units: "bord" is code point 6 but unit 7.
    const problem = checkTemplate('🙂 {{ bord }}', 'sokoban')
    expect(problem).toMatchObject({ line: 1, column: 6, startColumn: 7, endColumn: 11 })
  })
})

describe('problemRange', () => {
  it('marks the identifier, a tag delimiter, or one character', () => {
    expect(problemRange('{{ board }}', 3)).toEqual({ startLineNumber: 1, startColumn: 4, endLineNumber: 1, endColumn: 9 })
    expect(problemRange('a {% x', 2)).toEqual({ startLineNumber: 1, startColumn: 3, endLineNumber: 1, endColumn: 5 })
    expect(problemRange('a + b', 2)).toEqual({ startLineNumber: 1, startColumn: 3, endLineNumber: 1, endColumn: 4 })
    expect(problemRange('x 🙂', 2)).toEqual({ startLineNumber: 1, startColumn: 3, endLineNumber: 1, endColumn: 5 })
  })

  it('at the end of a line (an unclosed tag), marks the last character of the line', () => {
    expect(problemRange('{{ board\nnext', 8)).toEqual({ startLineNumber: 1, startColumn: 8, endLineNumber: 1, endColumn: 9 })
    expect(problemRange('', 0)).toEqual({ startLineNumber: 1, startColumn: 1, endLineNumber: 1, endColumn: 2 })
  })

  it('its start is the offset again, counted back from the lines (any text, any offset inside a line)', () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'b', ' ', '{', '\n', '\r\n', '\r', '🙂', 'é') })
    fc.assert(
      fc.property(text, fc.nat(), (source, n) => {
        const offset = n % (source.length + 1)
        const range = problemRange(source, offset)
        const lines = source.split(/\r\n|\r|\n/)
        const breaks = [...source.matchAll(/\r\n|\r|\n/g)]
        let start = 0
        for (let i = 0; i < range.startLineNumber - 1; i++) start += lines[i].length + breaks[i][0].length
        const atLineEnd = offset - start >= lines[range.startLineNumber - 1].length
        if (!atLineEnd) expect(start + range.startColumn - 1).toBe(offset)
        expect(range.endColumn).toBeGreaterThan(range.startColumn)
        expect(range.endLineNumber).toBe(range.startLineNumber)
      }),
    )
  })
})
