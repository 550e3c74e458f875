/**
 * The Jinja language for Monaco: a Monarch tokenizer (text, `{{ expressions }}`, `{% statements %}`,
 * `{# comments #}`, `{% raw %}` blocks, strings, numbers, operators, filters and tests) and the
 * editing rules (brackets, auto-closing tags). Plain data, so it is tested with Monaco's own Monarch
 * compiler and lexer outside a browser.
 *
 * Token names end in `.jinja` (Monaco appends the postfix) and are coloured by `JINJA_THEME_RULES`.
 */
import type { editor, languages } from 'monaco-editor/editor'

/** The language id the template editor registers. */
export const JINJA_LANGUAGE_ID = 'sftbench-jinja'

/** Statement and expression keywords (Jinja2's, plus the `generation` tag of chat templates). */
export const JINJA_KEYWORDS: readonly string[] = [
  'if',
  'elif',
  'else',
  'endif',
  'for',
  'endfor',
  'in',
  'recursive',
  'set',
  'endset',
  'macro',
  'endmacro',
  'call',
  'endcall',
  'filter',
  'endfilter',
  'break',
  'continue',
  'generation',
  'endgeneration',
  'not',
  'and',
  'or',
  'is',
  'with',
  'without',
  'context',
  'import',
  'include',
  'from',
  'as',
]

/** Literal constants in both spellings Jinja2 accepts. */
export const JINJA_CONSTANTS: readonly string[] = ['true', 'false', 'none', 'True', 'False', 'None']

/** The Monarch tokenizer. */
export const JINJA_MONARCH: languages.IMonarchLanguage = {
  defaultToken: '',
  tokenPostfix: '.jinja',
  keywords: [...JINJA_KEYWORDS],
  constants: [...JINJA_CONSTANTS],
  brackets: [
    { open: '(', close: ')', token: 'delimiter.parenthesis' },
    { open: '[', close: ']', token: 'delimiter.square' },
    { open: '{', close: '}', token: 'delimiter.curly' },
  ],
  tokenizer: {
    root: [
      [/\{#[-+]?/, { token: 'comment', next: '@comment' }],
      // `{% raw %}` ... `{% endraw %}`: everything between is text.
      [/\{%[-+]?\s*raw\s*[-+]?%\}/, { token: 'delimiter.statement', next: '@raw' }],
      [/\{%[-+]?/, { token: 'delimiter.statement', next: '@statement' }],
      [/\{\{[-+]?/, { token: 'delimiter.expression', next: '@expression' }],
      [/[^{]+/, ''],
      [/\{/, ''],
    ],
    comment: [
      [/[-+]?#\}/, { token: 'comment', next: '@pop' }],
      [/[^#\-+]+/, 'comment'],
      [/./, 'comment'],
    ],
    raw: [
      [/\{%[-+]?\s*endraw\s*[-+]?%\}/, { token: 'delimiter.statement', next: '@pop' }],
      [/[^{]+/, ''],
      [/\{/, ''],
    ],
    statement: [[/[-+]?%\}/, { token: 'delimiter.statement', next: '@pop' }], { include: '@code' }],
    expression: [[/[-+]?\}\}/, { token: 'delimiter.expression', next: '@pop' }], { include: '@code' }],
    code: [
      [/\s+/, 'white'],
      // A filter: `| name`.
      [/(\|)(\s*)([A-Za-z_]\w*)/, ['operator', 'white', 'predefined.filter']],
      // A test: `is name`, `is not name`.
      [/(is)(\s+)(not)(\s+)([A-Za-z_]\w*)/, ['keyword', 'white', 'keyword', 'white', 'predefined.test']],
      [/(is)(\s+)((?!not\b)[A-Za-z_]\w*)/, ['keyword', 'white', 'predefined.test']],
      // An attribute: `.name`.
      [/(\.)([A-Za-z_]\w*)/, ['delimiter', 'attribute']],
      [/[A-Za-z_]\w*/, { cases: { '@keywords': 'keyword', '@constants': 'constant', '@default': 'variable' } }],
      [/\d+\.\d*([eE][-+]?\d+)?|\d+[eE][-+]?\d+|\.\d+/, 'number.float'],
      [/\d+/, 'number'],
      [/"([^"\\]|\\.)*"/, 'string'],
      [/'([^'\\]|\\.)*'/, 'string'],
      // A string left open runs to the end of the line; the template parser reports it.
      [/"([^"\\]|\\.)*$/, 'string.invalid'],
      [/'([^'\\]|\\.)*$/, 'string.invalid'],
      [/[()[\]{}]/, '@brackets'],
      [/==|!=|<=|>=|\*\*|\/\/|[+\-*/%~<>=]/, 'operator'],
      [/[.,:]/, 'delimiter'],
      [/./, 'invalid'],
    ],
  },
}

/** Brackets, comment toggling and auto-closing of tags and strings. */
export const JINJA_CONFIGURATION: languages.LanguageConfiguration = {
  comments: { blockComment: ['{#', '#}'] },
  brackets: [
    ['{{', '}}'],
    ['{%', '%}'],
    ['(', ')'],
    ['[', ']'],
  ],
  autoClosingPairs: [
    { open: '{{', close: ' }}' },
    { open: '{%', close: ' %}' },
    { open: '{#', close: ' #}' },
    { open: '(', close: ')' },
    { open: '[', close: ']' },
    { open: '"', close: '"', notIn: ['string'] },
    { open: "'", close: "'", notIn: ['string'] },
  ],
  surroundingPairs: [
    { open: '(', close: ')' },
    { open: '[', close: ']' },
    { open: '"', close: '"' },
    { open: "'", close: "'" },
  ],
  wordPattern: /[A-Za-z_]\w*|-?\d+(\.\d+)?/,
}

/** The editor theme: Monaco's light theme with a colour for each Jinja token. */
export const JINJA_THEME: editor.IStandaloneThemeData = {
  base: 'vs',
  inherit: true,
  rules: [
    { token: 'delimiter.expression.jinja', foreground: '7a3e9d', fontStyle: 'bold' },
    { token: 'delimiter.statement.jinja', foreground: 'b5520b', fontStyle: 'bold' },
    { token: 'comment.jinja', foreground: '6a737d', fontStyle: 'italic' },
    { token: 'keyword.jinja', foreground: '0b57d0', fontStyle: 'bold' },
    { token: 'constant.jinja', foreground: '0b57d0' },
    { token: 'variable.jinja', foreground: '1f5f8b' },
    { token: 'attribute.jinja', foreground: '1f5f8b' },
    { token: 'predefined.filter.jinja', foreground: '00796b' },
    { token: 'predefined.test.jinja', foreground: '00796b' },
    { token: 'string.jinja', foreground: 'a31515' },
    { token: 'string.invalid.jinja', foreground: 'a31515', fontStyle: 'underline' },
    { token: 'number.jinja', foreground: '098658' },
    { token: 'number.float.jinja', foreground: '098658' },
    { token: 'operator.jinja', foreground: '5c5c5c' },
    { token: 'invalid.jinja', foreground: 'cd3131' },
  ],
  colors: {},
}

/** The theme's name. */
export const JINJA_THEME_NAME = 'sftbench-jinja-light'
