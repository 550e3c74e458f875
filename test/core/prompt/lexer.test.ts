import { tokenize } from '@huggingface/jinja'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { lexTemplate, type WhitespaceOptions } from '../../../core/prompt/lexer.ts'
import { PAPER_TEMPLATES } from '../../../core/prompt/paper-templates.ts'
import { readRepoText } from '../../harness/repo.ts'

const QWEN_CHAT_TEMPLATE = readRepoText('test/golden/prompt/qwen2.5-chat-template.jinja')

const OPTION_SETS: WhitespaceOptions[] = [
  { keepTrailingNewline: true, trimBlocks: false, lstripBlocks: false },
  { keepTrailingNewline: false, trimBlocks: false, lstripBlocks: false },
  { keepTrailingNewline: false, trimBlocks: true, lstripBlocks: true },
  { keepTrailingNewline: true, trimBlocks: true, lstripBlocks: false },
]

type Outcome = { ok: true; tokens: { type: string; value: string }[] } | { ok: false }

function attempt(run: () => { type: string; value: string }[]): Outcome {
  try {
    return { ok: true, tokens: run().map((t) => ({ type: t.type, value: t.value })) }
  } catch {
    return { ok: false }
  }
}

// The library's own tokenizer under the same options. It always drops one final newline, so a
// template whose newline must be kept is given one more.
function reference(source: string, o: WhitespaceOptions): Outcome {
  const input = o.keepTrailingNewline ? `${source}\n` : source
  return attempt(() => tokenize(input, { trim_blocks: o.trimBlocks, lstrip_blocks: o.lstripBlocks }))
}

function ours(source: string, o: WhitespaceOptions): Outcome {
  return attempt(() => lexTemplate(source, o).tokens)
}

const FRAGMENTS = [
  'text ', '\n', '  ', '\t', '{{ x }}', '{{- y -}}', '{{ a.b[0] | upper }}', "{{ 'q\\'s' ~ \"d\" }}", '{% if x %}',
  '{%- if y -%}', '{% endif %}', '{% for i in items %}', '{% endfor %}', '{# note #}', '{#- note -#}', '{{ -1 + 2.5 }}',
  '{{ {"k": 1} }}', '{% set n = 3 %}', '{%- generation %}', '{% endgeneration -%}', '{', '}', '%', '#', '-', '\\',
  '{{ x', '{% if', '"', "'", '√', '⬆️',
]

describe('lexTemplate matches @huggingface/jinja tokenize', () => {
  it('on every paper template and the Qwen2.5 chat template, under every option set', () => {
    for (const source of [...PAPER_TEMPLATES.map((t) => t.source), QWEN_CHAT_TEMPLATE]) {
      for (const o of OPTION_SETS) {
        const expected = reference(source, o)
        expect(expected.ok).toBe(true)
        expect(ours(source, o)).toEqual(expected)
      }
    }
  })

  it('on random templates built from Jinja fragments (same tokens, or both fail)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 14 }), fc.constantFrom(...OPTION_SETS), (parts, o) => {
        const source = parts.join('')
        expect(ours(source, o)).toEqual(reference(source, o))
      }),
      { numRuns: 1500 },
    )
  })

  it('on random strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('{', '}', '%', '#', '-', ' ', '\n', 'a', '1', "'", '\\', '.') }), (source) => {
        const o = OPTION_SETS[0]
        expect(ours(source, o)).toEqual(reference(source, o))
      }),
      { numRuns: 1500 },
    )
  })
})

describe('lexTemplate offsets', () => {
  it('point at each identifier, literal and delimiter in the original source', () => {
    const source = 'A  {%- if flag -%}\n  b {{ name | upper }}\n{%- endif %}\n{# c #}{{ 12 }}'
    for (const o of OPTION_SETS) {
      const { tokens, offsets } = lexTemplate(source, o)
      tokens.forEach((t, i) => {
        if (t.type === 'Identifier' || t.type === 'NumericLiteral' || t.type === 'Pipe') {
          expect(source.slice(offsets[i], offsets[i] + t.value.length)).toBe(t.value)
        }
        if (t.type === 'OpenStatement' || t.type === 'OpenExpression') expect(source.slice(offsets[i], offsets[i] + 2)).toBe(t.value)
      })
    }
  })

  it('survive lstrip_blocks and trim_blocks, which delete source characters', () => {
    const source = '  {% if x %}\n    {{ deep }}\n  {% endif %}\n'
    const o = { keepTrailingNewline: false, trimBlocks: true, lstripBlocks: true }
    const { tokens, offsets } = lexTemplate(source, o)
    const i = tokens.findIndex((t) => t.value === 'deep')
    expect(offsets[i]).toBe(source.indexOf('deep'))
  })
})
