import { describe, expect, it } from 'vitest'
import {
  GP_TEMPLATE_SCHEMA,
  SOKOBAN_TEMPLATE_SCHEMA,
  TemplateError,
  compileTemplate,
  renderTemplate,
  type TaskTemplateSchema,
} from '../../../core/prompt/index.ts'
import { thrownBy } from '../../harness/errors.ts'

/** Runs `fn`, which must throw a TemplateError, and returns it. */
const templateError = (fn: () => unknown): TemplateError => thrownBy(TemplateError, fn)

const sokoban = (source: string) => compileTemplate('t', source, SOKOBAN_TEMPLATE_SCHEMA)
const gp = (source: string) => compileTemplate('t', source, GP_TEMPLATE_SCHEMA)

describe('compile-time variable check against the task schema', () => {
  it('rejects a misspelt variable with its line, column and a suggestion', () => {
    const source = 'Cards: {{ cards }}\n\nNote that {{ face_card_mgs }}, and each card must be used once.\n'
    const e = templateError(() => gp(source))
    expect([e.line, e.column]).toEqual([3, 14])
    expect(e.templateName).toBe('t')
    expect(e.message).toContain('unknown variable "face_card_mgs"; did you mean "face_card_msg"?')
    // The message shows the line and a caret under the column.
    expect(e.message).toContain('\n  3 | Note that {{ face_card_mgs }}, and each card must be used once.\n    |              ^')
  })

  it('counts columns in code points, so a √ or an emoji before the variable counts once', () => {
    const e = templateError(() => sokoban('√ ⬆️ {{ bord }}'))
    // "√", " ", "⬆", VS16, " " are five code points before "{{ ".
    expect([e.line, e.column]).toEqual([1, 9])
    expect(e.offset).toBe('√ ⬆️ {{ '.length)
  })

  it('rejects a variable of the other task', () => {
    const e = templateError(() => sokoban('{{ board }} {{ target_number }}'))
    expect(e.column).toBe(16)
    expect(e.reason).toContain('unknown variable "target_number"')
  })

  it('reports the earliest unknown variable first, inside loops and filter arguments too', () => {
    const e = templateError(() => gp('{% for c in cards %}{{ late_one }}{% else %}{{ early }}{% endfor %}\n{{ x }}'))
    expect([e.line, e.column, e.reason.startsWith('unknown variable "late_one"')]).toEqual([1, 24, true])
    const f = templateError(() => gp('{{ cards | join(sep) }}'))
    expect(f.column).toBe(17)
  })

  it('reports the first unknown variable and lists the others', () => {
    const e = templateError(() => gp('{{ foo }}\n{{ bar }}'))
    expect(e.line).toBe(1)
    expect(e.reason).toContain('Also unknown: bar.')
  })

  it('knows loop variables, loop, set and macro names only in their scope', () => {
    const ok = sokoban(
      '{% for name in action_names %}{{ loop.index }}={{ name }} {% endfor %}' +
        '{% set n = rows * cols %}{{ n }}{% macro tag(x, y=1) %}<{{ x }}{{ y }}>{% endmacro %}{{ tag(board) }}',
    )
    expect(ok.variables).toEqual(['action_names', 'rows', 'cols', 'board'])
    const e = templateError(() => sokoban('{% for name in action_names %}{{ name }}{% endfor %}\n  {{ name }}'))
    expect([e.line, e.column, e.reason.startsWith('unknown variable "name"')]).toEqual([2, 6, true])
  })

  it('does not treat attributes, filter names, test names or keyword arguments as variables', () => {
    const t = sokoban(
      '{{ board.strip() | replace("a", "b") }}{% if cot is defined and cot is string %}{{ cot | indent(width=2) }}{% endif %}',
    )
    expect(t.variables).toEqual(['board', 'cot'])
  })

  it('accepts every template of the schema examples', () => {
    for (const v of SOKOBAN_TEMPLATE_SCHEMA.variables) expect(sokoban(`{{ ${v.name} }}`).variables).toEqual([v.name])
  })
})

describe('[strict rendering] values that are absent or of the wrong type', () => {
  it('an undeclared-but-absent variable fails at its position', () => {
    const t = gp('\nCards: {{ cards }}\nTarget: {{ target_number }}\n')
    const e = templateError(() => renderTemplate(t, { cards: ['A'] }))
    expect([e.line, e.column]).toEqual([3, 12])
    expect(e.reason).toContain('variable "target_number" is undefined')
  })

  it('an explicit undefined counts as absent', () => {
    const t = gp('{{ cards }}')
    expect(templateError(() => renderTemplate(t, { cards: undefined })).column).toBe(4)
  })

  it('"is defined", "is undefined" and "default" may read an absent value', () => {
    const t = sokoban('{% if cot is defined %}[{{ cot }}]{% endif %}{% if cot is undefined %}-{% endif %}{{ cot | default("none") }}')
    expect(renderTemplate(t, {}).text).toBe('-none')
    expect(renderTemplate(t, { cot: 'c' }).text).toBe('[c]c')
  })

  it('a missing attribute or index fails at its position', () => {
    const e = templateError(() => renderTemplate(sokoban('ok\n{{ action_names[7] }}'), { action_names: ['Up'] }))
    expect([e.line, e.column]).toEqual([2, 4])
    const f = templateError(() => renderTemplate(sokoban('{{ board.nothing }}'), { board: 'x' }))
    expect(f.column).toBe(10)
    expect(f.reason).toContain('attribute "nothing" is undefined')
  })

  it('a value of the wrong type fails at the first use of the variable', () => {
    const t = gp('x\n  {{ cards }}')
    const e = templateError(() => renderTemplate(t, { cards: "['A', 'K']" }))
    expect([e.line, e.column]).toEqual([2, 6])
    expect(e.reason).toContain('input "cards" must be string[]')
    expect(() => renderTemplate(gp('{{ num_cards }}'), { num_cards: '4' })).toThrow(/must be number/)
    expect(() => renderTemplate(gp('{{ num_cards }}'), { num_cards: Number.NaN })).toThrow(/must be number/)
  })

  it('a render failure inside an expression points at it', () => {
    const e = templateError(() => renderTemplate(sokoban('line\n{{ rows | nosuchfilter }}'), { rows: 3 }))
    expect(e.line).toBe(2)
    expect(e.reason).toMatch(/render error: .*nosuchfilter/)
  })
})

describe('warnings', () => {
  it('[opt-in] reports expected inputs the template never uses', () => {
    const t = sokoban('{{ board }}')
    const r = renderTemplate(t, { board: 'B', answers_block: 'A' }, { expectUsed: ['board', 'answers_block'] })
    expect(r.text).toBe('B')
    expect(r.warnings.map((w) => [w.kind, w.name])).toEqual([['unused-variable', 'answers_block']])
    expect(renderTemplate(t, { board: 'B', answers_block: 'A' }).warnings).toEqual([])
  })

  it('reports an input the schema does not declare, with a suggestion', () => {
    const r = renderTemplate(gp('{{ cards }}'), { cards: ['A'], face_card_message: 'x' })
    expect(r.warnings).toHaveLength(1)
    expect(r.warnings[0].kind).toBe('undeclared-input')
    expect(r.warnings[0].message).toContain('did you mean "face_card_msg"?')
  })
})

describe('syntax errors are located', () => {
  const cases: [string, string, number, number, RegExp][] = [
    ['unclosed expression', 'a\nb {{ board \nc', 2, 3, /this tag is never closed; add "\}\}"/],
    ['unclosed block', 'x\n  {% if board %}\nyes', 2, 3, /"\{% if %\}" is never closed; add "\{% endif %\}"/],
    ['mismatched end tag', '{% for a in action_names %}\n{{ a }}{% endif %}', 2, 11, /does not match "\{% for %\}" opened at line 1, column 1/],
    ['end tag without opener', 'x {% endfor %}', 1, 6, /has no matching "\{% for %\}"/],
    ['unknown statement', '{% include "x" %}', 1, 4, /unknown statement "include"/],
    ['dangling operator', '{{ rows + }}', 1, 11, /syntax error at "\}\}"/],
    ['bad character', '{{ rows ! cols }}', 1, 9, /Unexpected character: !/],
    ['else outside a block', 'a {% else %} b', 1, 6, /outside/],
    ['tag opened inside a tag', '{{ board {{ rows }}', 1, 10, /inside the tag opened at line 1, column 1/],
    ['missing in', '{% for a action_names %}{% endfor %}', 1, 10, /`in`/],
    ['unterminated comment', 'a {# note', 1, 3, /comment/],
    ['stray close', 'a %} b', -1, -1, /./],
  ]
  for (const [what, source, line, column, pattern] of cases) {
    it(what, () => {
      if (line < 0) {
        // Outside a tag "%}" is plain text in Jinja; nothing to report.
        expect(renderTemplate(sokoban(source), {}).text).toBe(source)
        return
      }
      const e = templateError(() => sokoban(source))
      expect([e.line, e.column]).toEqual([line, column])
      expect(e.reason).toMatch(pattern)
      expect(e.message).toMatch(new RegExp(`^Template "t", line ${line}, column ${column}: `))
      // The excerpt's last line puts a caret under the column.
      expect(e.message.split('\n').at(-1)).toBe(`  ${' '.repeat(String(line).length)} | ${' '.repeat(column - 1)}^`)
    })
  }
})

describe('byte-exact output', () => {
  it('keeps the final newline of the source (unlike @huggingface/jinja and Jinja2 defaults)', () => {
    expect(renderTemplate(gp('{{ target_number }}\n'), { target_number: 24 }).text).toBe('24\n')
    expect(renderTemplate(gp('{{ target_number }}\n\n'), { target_number: 24 }).text).toBe('24\n\n')
    expect(renderTemplate(gp('{{ target_number }}'), { target_number: 24 }).text).toBe('24')
  })

  it('can drop it as Jinja2 does by default', () => {
    const t = compileTemplate('t', '{{ target_number }}\n', GP_TEMPLATE_SCHEMA, { whitespace: { keepTrailingNewline: false } })
    expect(renderTemplate(t, { target_number: 24 }).text).toBe('24')
  })

  it('reads Windows line endings as Jinja2 does, and still locates errors in the original text', () => {
    expect(renderTemplate(sokoban('{{ board }}\r\nnext\r\n'), { board: 'b' }).text).toBe('b\nnext\n')
    const e = templateError(() => sokoban('one\r\ntwo {{ bord }}\r\n'))
    expect([e.line, e.column, e.offset]).toEqual([2, 8, 'one\r\ntwo {{ '.length])
  })

  it('keeps a trailing backslash and tabs', () => {
    const t = sokoban('{{ board }}\nDecide the next action:\\')
    expect(renderTemplate(t, { board: ' # \t' }).text).toBe(' # \t\nDecide the next action:\\')
  })

  it('prints values as Python str() does', () => {
    const t = gp('{{ cards }} {{ display_cards }} {{ num_cards }} {{ num_cards > 3 }} {{ none }}')
    expect(renderTemplate(t, { cards: ['10', "it's"], display_cards: [10, 1], num_cards: 4 }).text).toBe(
      `['10', "it's"] [10, 1] 4 True None`,
    )
  })
})

describe('schemas', () => {
  const schemas: TaskTemplateSchema[] = [SOKOBAN_TEMPLATE_SCHEMA, GP_TEMPLATE_SCHEMA]
  it('declare unique names with a type and a doc', () => {
    for (const s of schemas) {
      const names = s.variables.map((v) => v.name)
      expect(new Set(names).size).toBe(names.length)
      for (const v of s.variables) expect(v.doc.length).toBeGreaterThan(10)
    }
  })
  it("use the paper's names for the General Points fields", () => {
    const names = GP_TEMPLATE_SCHEMA.variables.map((v) => v.name)
    for (const n of ['target_number', 'num_cards', 'face_card_msg', 'cards']) expect(names).toContain(n)
  })
})

describe('globals', () => {
  it('range, namespace and raise_exception work as in Jinja2', () => {
    const t = sokoban('{% for i in range(rows) %}{{ i }}{% endfor %}|{% for i in range(1, 7, 2) %}{{ i }}{% endfor %}' +
      '|{% set ns = namespace(n=0) %}{% for a in action_names %}{% set ns.n = ns.n + 1 %}{% endfor %}{{ ns.n }}')
    expect(renderTemplate(t, { rows: 3, action_names: ['a', 'b'] }).text).toBe('012|135|2')
    const e = templateError(() => renderTemplate(sokoban('x\n  {{ raise_exception("bad board") }}'), {}))
    expect([e.line, e.column, e.reason]).toEqual([2, 6, 'render error: bad board'])
  })
})
