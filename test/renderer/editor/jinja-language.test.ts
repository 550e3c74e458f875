// @vitest-environment node
// The Jinja Monarch tokenizer, run by Monaco's own Monarch compiler and lexer (the code the editor
// runs), on templates whose token kinds are written out by hand: text, expression and statement
// delimiters (with whitespace control), keywords, variables, filters, tests, strings, numbers,
// comments spanning lines, raw blocks, and the paper's Sokoban prompt.
import { beforeAll, describe, expect, it } from 'vitest'
import { JINJA_MONARCH } from '../../../renderer/src/editor/jinja-language.ts'
import { SOKOBAN_EVAL_TEMPLATE } from '../../../core/prompt/paper-templates.ts'

interface LineTokenizer {
  getInitialState(): unknown
  tokenize(line: string, hasEOL: boolean, state: unknown): { tokens: { offset: number; type: string }[]; endState: unknown }
}

let tokenizer: LineTokenizer

beforeAll(async () => {
  // Monaco's Monarch modules have no type declarations; they are loaded by path as the editor loads them.
  const compilePath: string = 'monaco-editor/editor/standalone/common/monarch/monarchCompile'
  const lexerPath: string = 'monaco-editor/editor/standalone/common/monarch/monarchLexer'
  const { compile } = (await import(compilePath)) as { compile(id: string, json: unknown): unknown }
  const { MonarchTokenizer } = (await import(lexerPath)) as {
    MonarchTokenizer: new (...args: unknown[]) => LineTokenizer
  }
  const languageService = { requestBasicLanguageFeatures() {}, isRegisteredLanguageId: () => false }
  const configuration = { onDidChangeConfiguration: () => ({ dispose() {} }), getValue: () => 20_000 }
  tokenizer = new MonarchTokenizer(languageService, {}, 'jinja', compile('jinja', JINJA_MONARCH), configuration)
})

/** [text, token type without the `.jinja` postfix] for each token, lines joined with their state. */
function tokens(source: string): [string, string][] {
  const out: [string, string][] = []
  let state = tokenizer.getInitialState()
  const lines = source.split('\n')
  lines.forEach((line, i) => {
    const result = tokenizer.tokenize(line, i < lines.length - 1, state)
    state = result.endState
    result.tokens.forEach((t, k) => {
      const end = k + 1 < result.tokens.length ? result.tokens[k + 1].offset : line.length
      const text = line.slice(t.offset, end)
      if (text !== '') out.push([text, t.type.replace(/\.?jinja$/, '')])
    })
  })
  return out
}

/** The tokens without whitespace, for shorter expectations. */
function solid(source: string): [string, string][] {
  return tokens(source).filter(([, type]) => type !== 'white')
}

describe('Jinja Monarch tokenizer', () => {
  it('text around an expression: delimiters, a variable, a filter with a string argument', () => {
    expect(solid('Moves: {{ action_names | join(", ") }}!')).toEqual([
      ['Moves: ', ''],
      ['{{', 'delimiter.expression'],
      ['action_names', 'variable'],
      ['|', 'operator'],
      ['join', 'predefined.filter'],
      ['(', 'delimiter.parenthesis'],
      ['", "', 'string'],
      [')', 'delimiter.parenthesis'],
      ['}}', 'delimiter.expression'],
      ['!', ''],
    ])
  })

  it('statements with whitespace control, keywords, numbers, operators and a test', () => {
    expect(solid('{%- if num_cards > 4 and cot is not defined -%}x{% endif %}')).toEqual([
      ['{%-', 'delimiter.statement'],
      ['if', 'keyword'],
      ['num_cards', 'variable'],
      ['>', 'operator'],
      ['4', 'number'],
      ['and', 'keyword'],
      ['cot', 'variable'],
      ['is', 'keyword'],
      ['not', 'keyword'],
      ['defined', 'predefined.test'],
      ['-%}', 'delimiter.statement'],
      ['x', ''],
      ['{%', 'delimiter.statement'],
      ['endif', 'keyword'],
      ['%}', 'delimiter.statement'],
    ])
  })

  it('a for loop with an attribute, a float and a constant', () => {
    expect(solid('{% for m in messages %}{{ m.content }} {{ 2.5 }} {{ none }} {% endfor %}')).toEqual([
      ['{%', 'delimiter.statement'],
      ['for', 'keyword'],
      ['m', 'variable'],
      ['in', 'keyword'],
      ['messages', 'variable'],
      ['%}', 'delimiter.statement'],
      ['{{', 'delimiter.expression'],
      ['m', 'variable'],
      ['.', 'delimiter'],
      ['content', 'attribute'],
      ['}}', 'delimiter.expression'],
      [' ', ''],
      ['{{', 'delimiter.expression'],
      ['2.5', 'number.float'],
      ['}}', 'delimiter.expression'],
      [' ', ''],
      ['{{', 'delimiter.expression'],
      ['none', 'constant'],
      ['}}', 'delimiter.expression'],
      [' ', ''],
      ['{%', 'delimiter.statement'],
      ['endfor', 'keyword'],
      ['%}', 'delimiter.statement'],
    ])
  })

  it('a comment over two lines stays a comment, and text after it is text again', () => {
    expect(solid('a {# note {{ board }}\nstill #} b {{ rows }}')).toEqual([
      ['a ', ''],
      // Monaco merges neighbouring tokens of one type.
      ['{# note {{ board }}', 'comment'],
      ['still #}', 'comment'],
      [' b ', ''],
      ['{{', 'delimiter.expression'],
      ['rows', 'variable'],
      ['}}', 'delimiter.expression'],
    ])
  })

  it('a raw block shows its tags as text', () => {
    const types = solid('{% raw %}{{ board }}{% endraw %}{{ cols }}')
    expect(types.slice(0, 3)).toEqual([
      ['{% raw %}', 'delimiter.statement'],
      ['{{ board }}', ''],
      ['{% endraw %}', 'delimiter.statement'],
    ])
    expect(types[4]).toEqual(['cols', 'variable'])
  })

  it('single-quoted strings with escapes, and a string left open is marked invalid', () => {
    expect(solid("{{ 'it\\'s' }}")).toEqual([
      ['{{', 'delimiter.expression'],
      ["'it\\'s'", 'string'],
      ['}}', 'delimiter.expression'],
    ])
    expect(solid('{{ "open')).toContainEqual(['"open', 'string.invalid'])
  })

  it("the paper's Sokoban eval template: text, and each variable between expression delimiters", () => {
    const all = solid(SOKOBAN_EVAL_TEMPLATE)
    const variables = all.filter(([, t]) => t === 'variable').map(([x]) => x)
    expect(variables).toEqual(['answers_block', 'board'])
    expect(all.filter(([, t]) => t === 'delimiter.expression')).toHaveLength(4)
    // No token of the template is invalid.
    expect(all.filter(([, t]) => t.includes('invalid'))).toEqual([])
    // The text between tags keeps its characters (the stray backslash of §11.2 included).
    expect(all.some(([x, t]) => t === '' && x.includes('Decide the next action:\\'))).toBe(true)
  })
})
