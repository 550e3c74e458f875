import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { PAPER_TEMPLATES, renderTemplate } from '../../../core/prompt/index.ts'
import { SAMPLE_TEMPLATES } from '../../../core/prompt/sample-templates.ts'
import { DEFAULT_TEMPLATE_DIR, loadTemplateLibrary } from '../../../electron/services/template-library.ts'
import { thrownBy } from '../../harness/errors.ts'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sftbench-templates-'))
  cpSync(DEFAULT_TEMPLATE_DIR, dir, { recursive: true })
})
afterEach(() => {
  rmSync(dir, { recursive: true, force: true })
})

const indexPath = () => join(dir, 'library.json')
const readIndex = () => JSON.parse(readFileSync(indexPath(), 'utf8')) as { version: number; templates: Record<string, unknown>[] }
const writeIndex = (value: unknown) => writeFileSync(indexPath(), JSON.stringify(value))

/** The message of the error `fn` throws; fails the test when it throws none. */
const message = (fn: () => unknown): string => thrownBy(Error, fn).message

describe('loadTemplateLibrary', () => {
  it('loads the shipped samples/templates: the paper templates, then sftbench\'s own, byte for byte', () => {
    const lib = loadTemplateLibrary()
    const all = [...PAPER_TEMPLATES, ...SAMPLE_TEMPLATES]
    expect(lib.list().map((e) => e.name)).toEqual(all.map((t) => t.name))
    for (const t of all) {
      expect(lib.get(t.name).source).toBe(t.source)
      expect(lib.get(t.name).task).toBe(t.task)
    }
  })

  it('adds a user template listed in library.json', () => {
    writeFileSync(join(dir, 'mine.jinja'), 'Board:\n{{ board_xsb }}\nMoves: {{ action_names | join(" ") }}\n')
    const index = readIndex()
    index.templates.push({ name: 'mine', task: 'sokoban', file: 'mine.jinja', description: 'XSB board' })
    writeIndex(index)
    const lib = loadTemplateLibrary(dir)
    const text = renderTemplate(lib.compiled('mine'), { board_xsb: '#@#', action_names: ['U', 'D'] }).text
    expect(text).toBe('Board:\n#@#\nMoves: U D\n')
  })

  it('reports a missing library.json', () => {
    rmSync(indexPath())
    expect(message(() => loadTemplateLibrary(dir))).toMatch(/Template library index not found: .*library\.json/)
  })

  it('reports invalid JSON', () => {
    writeFileSync(indexPath(), '{ "version": 1, ')
    expect(message(() => loadTemplateLibrary(dir))).toMatch(/library\.json is not valid JSON/)
  })

  it('points at the offending field of library.json', () => {
    const index = readIndex()
    index.templates[2] = { ...index.templates[2], task: 'chess' }
    writeIndex(index)
    expect(message(() => loadTemplateLibrary(dir))).toMatch(/field templates\[2\]\.task: /)
    writeIndex({ version: 2, templates: [] })
    expect(message(() => loadTemplateLibrary(dir))).toMatch(/field version: /)
    writeIndex({ version: 1, templates: [{ name: 'x', task: 'gp', description: 'no file' }] })
    expect(message(() => loadTemplateLibrary(dir))).toMatch(/field templates\[0\]\.file: /)
  })

  it('reports a listed template file that does not exist', () => {
    rmSync(join(dir, 'gp-test.jinja'))
    const m = message(() => loadTemplateLibrary(dir))
    expect(m).toContain('templates[4].file')
    expect(m).toContain('"gp-test.jinja" of "gp-test" does not exist')
  })

  it('refuses a file outside the library folder', () => {
    const index = readIndex()
    index.templates[0] = { ...index.templates[0], file: '../outside.jinja' }
    writeIndex(index)
    expect(message(() => loadTemplateLibrary(dir))).toMatch(/outside the library folder/)
  })

  it('reports a template error with the file, line and column', () => {
    writeFileSync(join(dir, 'gp-train.jinja'), 'Cards: {{ cards }}\nTarget: {{ target }}\n')
    const m = message(() => loadTemplateLibrary(dir))
    expect(m).toContain(join(dir, 'gp-train.jinja'))
    expect(m).toContain('line 2, column 12: unknown variable "target"')
  })
})
