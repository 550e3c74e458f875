// @vitest-environment node
// The template editor's completion and hover logic: where the cursor is (text, comment, raw block,
// expression or statement; value, filter, test or attribute slot; inside a string), the declared
// variables offered with their docs (names and examples as the schema documents them, paper-tasks.md
// §3.1, §7), filters after `|`, and the variable under the mouse.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { GP_TEMPLATE_SCHEMA, SOKOBAN_TEMPLATE_SCHEMA } from '../../../core/prompt/schemas.ts'
import { codeContextAt, completionsAt, fenced, variableAt } from '../../../renderer/src/editor/completion.ts'

/** The context at the `|` marker of `text` (the marker is removed). */
function at(text: string) {
  const offset = text.indexOf('‸')
  return codeContextAt(text.replace('‸', ''), offset)
}

function labels(text: string, schema = SOKOBAN_TEMPLATE_SCHEMA): string[] {
  const offset = text.indexOf('‸')
  return completionsAt(text.replace('‸', ''), offset, schema).map((e) => e.label)
}

const SOKOBAN_NAMES = [
  'board',
  'board_paper',
  'board_xsb',
  'legend',
  'action_names',
  'answers_block',
  'len_horizon',
  'rows',
  'cols',
  'num_boxes',
  'optimal_plan',
  'optimal_action',
  'cot',
]
const GP_NAMES = ['cards', 'display_cards', 'face_card_msg', 'target_number', 'num_cards', 'solution', 'answer', 'cot']

describe('codeContextAt', () => {
  it('text outside tags, and after a closed tag', () => {
    expect(at('Hello bo‸')).toEqual({ kind: 'text' })
    expect(at('{{ board }} bo‸')).toEqual({ kind: 'text' })
    expect(at('{% if x -%} bo‸')).toEqual({ kind: 'text' })
  })

  it('a value being typed in an expression and a statement, with its prefix and start', () => {
    expect(at('Board:\n{{ bo‸')).toEqual({ kind: 'code', tag: 'expression', slot: 'value', prefix: 'bo', prefixStart: 10, inString: false })
    expect(at('{%- for a in act‸')).toMatchObject({ kind: 'code', tag: 'statement', slot: 'value', prefix: 'act' })
    expect(at('{{-‸')).toMatchObject({ kind: 'code', slot: 'value', prefix: '' })
  })

  it('filters after "|", tests after "is" and "is not", attributes after "."', () => {
    expect(at('{{ cards | jo‸')).toMatchObject({ slot: 'filter', prefix: 'jo' })
    expect(at('{{ cards|‸')).toMatchObject({ slot: 'filter', prefix: '' })
    expect(at('{% if cot is de‸')).toMatchObject({ slot: 'test', prefix: 'de' })
    expect(at('{% if cot is not de‸')).toMatchObject({ slot: 'test', prefix: 'de' })
    expect(at('{% if this de‸')).toMatchObject({ slot: 'value' })
    expect(at('{{ m.con‸')).toMatchObject({ slot: 'attribute', prefix: 'con' })
  })

  it('comments and raw blocks are not code; a "}}" inside a string does not close the tag', () => {
    expect(at('{# {{ bo‸')).toEqual({ kind: 'comment' })
    expect(at('{# x #}{{ bo‸')).toMatchObject({ kind: 'code', prefix: 'bo' })
    expect(at('{% raw %}{{ bo‸')).toEqual({ kind: 'text' })
    expect(at('{% raw %}x{% endraw %}{{ bo‸')).toMatchObject({ kind: 'code', prefix: 'bo' })
    expect(at('{{ "}}" ~ bo‸')).toMatchObject({ kind: 'code', prefix: 'bo', inString: false })
    expect(at("{{ 'a}} bo‸")).toMatchObject({ kind: 'code', inString: true })
  })
})

describe('completionsAt', () => {
  it('offers every declared Sokoban variable in an expression, in the schema order', () => {
    expect(labels('{{ ‸')).toEqual(SOKOBAN_NAMES)
    expect(labels('{{ rows + co‸')).toEqual(SOKOBAN_NAMES)
  })

  it('offers the General Points variables for a General Points schema', () => {
    expect(labels('{{ ‸', GP_TEMPLATE_SCHEMA)).toEqual(GP_NAMES)
  })

  it("documents each variable with its type and example: the legend's example is the paper's legend line (§3.1)", () => {
    const legend = completionsAt('{{ ', 3, SOKOBAN_TEMPLATE_SCHEMA).find((e) => e.label === 'legend')
    expect(legend?.detail).toBe('string')
    expect(legend?.documentation).toContain('# Wall | _ Floor | O Target | X Box | P You | √ = Box on Target | S = You on Target')
    const names = completionsAt('{{ ', 3, SOKOBAN_TEMPLATE_SCHEMA).find((e) => e.label === 'action_names')
    expect(names?.detail).toBe('string[]')
    // A list example is shown as `{{ action_names }}` prints it (Python's list repr).
    expect(names?.documentation).toContain("['Up', 'Down', 'Left', 'Right']")
  })

  it('offers filters after "|" and tests after "is", not variables', () => {
    const filters = labels('{{ action_names | ‸')
    expect(filters).toContain('join')
    expect(filters).toContain('default')
    expect(filters).not.toContain('board')
    expect(labels('{% if cot is ‸')).toContain('defined')
  })

  it('offers statement keywords only at the start of a statement', () => {
    expect(labels('{% ‸')).toEqual(expect.arrayContaining(['for', 'if', 'endif', 'board']))
    expect(labels('{% if ‸')).not.toContain('endif')
  })

  it('offers nothing in text, comments, strings and attributes', () => {
    expect(labels('Hello bo‸')).toEqual([])
    expect(labels('{# bo‸')).toEqual([])
    expect(labels("{{ 'bo‸")).toEqual([])
    expect(labels('{{ m.‸')).toEqual([])
  })
})

describe('variableAt', () => {
  const source = 'Board {{ board }} and {{ m.board }} then {{ cards | join }} {# board #}'
  it('finds a declared variable inside a tag, with the range of its name', () => {
    const offset = source.indexOf('board }}') + 2
    expect(variableAt(source, offset, SOKOBAN_TEMPLATE_SCHEMA)).toMatchObject({ variable: { name: 'board' }, start: 9, end: 14 })
  })

  it('ignores text, attributes, filters, comments and names the schema does not declare', () => {
    expect(variableAt(source, 2, SOKOBAN_TEMPLATE_SCHEMA)).toBeNull()
    expect(variableAt(source, source.indexOf('board }} then') + 1, SOKOBAN_TEMPLATE_SCHEMA)).toBeNull()
    expect(variableAt(source, source.indexOf('join') + 1, SOKOBAN_TEMPLATE_SCHEMA)).toBeNull()
    expect(variableAt(source, source.indexOf('board #}') + 1, SOKOBAN_TEMPLATE_SCHEMA)).toBeNull()
    expect(variableAt(source, source.indexOf('cards') + 1, SOKOBAN_TEMPLATE_SCHEMA)).toBeNull()
    expect(variableAt(source, source.indexOf('cards') + 1, GP_TEMPLATE_SCHEMA)).toMatchObject({ variable: { name: 'cards' } })
  })
})

describe('fenced', () => {
  it('no backtick run inside the text can close the fence', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('`', 'a', '\n', ' ') }), (text) => {
        const block = fenced(text)
        const fence = /^`+/.exec(block)?.[0] ?? ''
        expect(fence.length).toBeGreaterThanOrEqual(3)
        expect(text.includes(fence)).toBe(false)
        expect(block).toBe(`${fence}text\n${text}\n${fence}`)
      }),
    )
  })
})
