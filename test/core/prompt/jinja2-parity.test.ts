import { describe, expect, it } from 'vitest'
import { compileTemplate, renderTemplate, type TaskTemplateSchema } from '../../../core/prompt/index.ts'
import { readRepoText } from '../../harness/repo.ts'

interface GoldenCase {
  template: string
  vars: Record<string, unknown>
  options: { keep_trailing_newline: boolean; trim_blocks: boolean; lstrip_blocks: boolean }
  output: string
}

// Outputs of Python Jinja2 for the same templates and whitespace options (make_jinja2_goldens.py).
const golden = JSON.parse(
  readRepoText('test/golden/prompt/jinja2-goldens.json'),
) as { generator: string; cases: GoldenCase[] }

const ANY: TaskTemplateSchema = {
  task: 'chat',
  variables: ['name', 'flag', 'words', 'cards', 'nums', 'nothing', 'f', 'g', 'h', 'd', 'n', 's'].map((name) => ({
    name,
    type: 'object' as const,
    doc: 'test input',
  })),
}
// Type checks are not the subject here; accept any value for every test variable.
const LOOSE: TaskTemplateSchema = { ...ANY, variables: ANY.variables.map((v) => ({ ...v, type: 'object' as const })) }

describe(`byte parity with ${golden.generator}`, () => {
  it('has cases', () => expect(golden.cases.length).toBeGreaterThan(80))
  for (const c of golden.cases) {
    const o = c.options
    const label = `keep=${o.keep_trailing_newline} trim=${o.trim_blocks} lstrip=${o.lstrip_blocks}`
    it(`${JSON.stringify(c.template)} [${label}]`, () => {
      const t = compileTemplate('case', c.template, LOOSE, {
        whitespace: { keepTrailingNewline: o.keep_trailing_newline, trimBlocks: o.trim_blocks, lstripBlocks: o.lstrip_blocks },
      })
      expect(renderTemplate(t, c.vars, { checkTypes: false }).text).toBe(c.output)
    })
  }
})
