import { describe, expect, it } from 'vitest'
import { TemplateError, createTemplateLibrary, paperTemplateLibrary } from '../../../core/prompt/index.ts'
import { thrownBy } from '../../harness/errors.ts'

describe('createTemplateLibrary', () => {
  const entry = (name: string, source = '{{ board }}') => ({ name, task: 'sokoban' as const, description: 'd', source })

  it('looks entries up by name and lists them in order', () => {
    const lib = createTemplateLibrary([entry('a'), entry('b-2')])
    expect(lib.list().map((e) => e.name)).toEqual(['a', 'b-2'])
    expect(lib.get('b-2').source).toBe('{{ board }}')
    expect(lib.has('a')).toBe(true)
    expect(lib.has('c')).toBe(false)
    expect(lib.compiled('a').variables).toEqual(['board'])
  })

  it('names the known templates when a name is unknown', () => {
    const lib = createTemplateLibrary([entry('a'), entry('b')])
    expect(() => lib.get('sokoban')).toThrow('Unknown template "sokoban". Known templates: a, b.')
    expect(() => lib.compiled('x')).toThrow(/Unknown template "x"/)
  })

  it('rejects duplicate and malformed names', () => {
    expect(() => createTemplateLibrary([entry('a'), entry('a')])).toThrow(/defined twice/)
    expect(() => createTemplateLibrary([entry('My Template')])).toThrow(/invalid/)
  })

  it('compiles every template up front, so a broken one fails with its position', () => {
    const e = thrownBy(TemplateError, () => createTemplateLibrary([entry('ok'), entry('broken', 'x\n{{ bord }}')]))
    expect([e.templateName, e.line]).toEqual(['broken', 2])
  })

  it('checks each template against the schema of its task', () => {
    expect(() => createTemplateLibrary([{ name: 'w', task: 'chat', description: '', source: '{{ board }}' }])).toThrow(
      /unknown variable "board"/,
    )
  })

  it('the paper library holds the paper templates with provenance', () => {
    const lib = paperTemplateLibrary()
    expect(lib.list()).toHaveLength(10)
    for (const e of lib.list()) expect(e.provenance).toMatch(/\.py/)
    expect(lib.get('sokoban-eval').task).toBe('sokoban')
    expect(lib.get('gp-train').task).toBe('gp')
    expect(lib.get('base').task).toBe('chat')
  })
})
