import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { parseNotebook, serializeNotebook, validateNotebook, newNotebook } from '../../../core/notebook/parse.ts'
import { locateJsonError } from '../../../core/notebook/json-locate.ts'
import { migrateNotebook, type NotebookMigration } from '../../../core/notebook/migrate.ts'
import type { NotebookDocumentInput } from '../../../core/notebook/schema.ts'

const SAMPLE: NotebookDocumentInput = {
  format: 1,
  title: 'Sample',
  nextId: 6,
  cells: [
    { id: 'cell-1', kind: 'markdown', source: '# Sokoban' },
    { id: 'cell-2', kind: 'task', task: 'sokoban', difficulty: 'simple', seedScheme: { kind: 'seeded', seed: 7 }, count: 5 },
    { id: 'cell-3', kind: 'template', reads: ['cell-2'], variant: 'sokoban-base' },
    { id: 'cell-4', kind: 'model', dir: 'test/fixtures/tiny-llama', sampling: { temperature: 0.5 } },
    { id: 'cell-5', kind: 'sweep', reads: ['cell-2', 'cell-3', 'cell-4'], overrides: { instances: 3 } },
  ],
}

describe('parseNotebook', () => {
  it('round-trips a document through its file text', () => {
    const text = serializeNotebook(SAMPLE)
    const parsed = parseNotebook(text)
    expect(parsed.ok).toBe(true)
    if (parsed.ok) {
      expect(serializeNotebook(parsed.document)).toBe(text)
      expect(parsed.migratedFrom).toBeNull()
    }
  })

  it('writes id and kind first, two-space indented, with a final newline (diffable files)', () => {
    const text = serializeNotebook(SAMPLE)
    expect(text.endsWith('}\n')).toBe(true)
    expect(text).toContain('    {\n      "id": "cell-1",\n      "kind": "markdown",\n')
  })

  it('fills defaults but leaves unset sampling fields unset (model defaults apply)', () => {
    const parsed = parseNotebook(serializeNotebook(SAMPLE))
    if (!parsed.ok) throw new Error(parsed.problem.message)
    const model = parsed.document.cells[3]
    expect(model).toEqual({ id: 'cell-4', kind: 'model', reads: [], dir: 'test/fixtures/tiny-llama', provider: 'auto', sampling: { temperature: 0.5 } })
  })

  it('reports a missing comma with its line and column', () => {
    const text = '{\n  "format": 1,\n  "cells": []\n  "nextId": 1\n}\n'
    const parsed = parseNotebook(text)
    expect(parsed).toMatchObject({ ok: false, problem: { kind: 'syntax', line: 4, column: 3 } })
    if (!parsed.ok) expect(parsed.problem.message).toContain("expected ',' or '}' after a property value but found '\"' at line 4, column 3")
  })

  it('reports a trailing comma where it is', () => {
    const parsed = parseNotebook('{"format": 1,}')
    expect(parsed).toMatchObject({ ok: false, problem: { kind: 'syntax', line: 1, column: 14 } })
    if (!parsed.ok) expect(parsed.problem.message).toContain('trailing comma')
  })

  it('reports a file cut short at its end', () => {
    const text = '{\n  "format": 1,\n  "cells": [\n'
    const parsed = parseNotebook(text)
    expect(parsed).toMatchObject({ ok: false, problem: { kind: 'syntax', line: 4, column: 1 } })
  })

  it('reports an empty file', () => {
    const parsed = parseNotebook('')
    expect(parsed.ok).toBe(false)
    if (!parsed.ok) expect(parsed.problem.message).toContain('empty')
  })

  it('reads a file with a byte order mark', () => {
    expect(parseNotebook(`\uFEFF${serializeNotebook(SAMPLE)}`).ok).toBe(true)
  })

  it('refuses a newer format with a message naming both formats', () => {
    const parsed = parseNotebook(JSON.stringify({ format: 2, nextId: 1, cells: [], somethingNew: true }))
    expect(parsed).toMatchObject({ ok: false, problem: { kind: 'newer', format: 2 } })
    if (!parsed.ok) expect(parsed.problem.message).toMatch(/format 2, newer than .* \(format 1\)/)
  })

  it('names the field of a schema error', () => {
    const doc = structuredClone(SAMPLE) as { cells: Record<string, unknown>[] }
    doc.cells[1].count = 0
    const parsed = parseNotebook(JSON.stringify(doc))
    expect(parsed).toMatchObject({ ok: false, problem: { kind: 'schema', field: 'cells[1].count' } })
  })

  it('names an unknown cell kind', () => {
    const doc = { format: 1, nextId: 2, cells: [{ id: 'a', kind: 'chart', reads: [] }] }
    const parsed = parseNotebook(JSON.stringify(doc))
    expect(parsed).toMatchObject({ ok: false, problem: { kind: 'schema', field: 'cells[0].kind' } })
  })

  it('names duplicate cell ids', () => {
    const doc = { format: 1, nextId: 3, cells: [{ id: 'a', kind: 'markdown', source: '' }, { id: 'a', kind: 'markdown', source: '' }] }
    expect(validateNotebook(doc)).toMatchObject({ ok: false, problem: { field: 'cells[1].id' } })
  })

  it('a missing format is a schema problem on the format field', () => {
    expect(parseNotebook('{"cells": []}')).toMatchObject({ ok: false, problem: { kind: 'schema', field: 'format' } })
    expect(parseNotebook('[1, 2]')).toMatchObject({ ok: false, problem: { kind: 'schema', field: 'format' } })
  })

  it('a task cell needs exactly one of preset and difficulty', () => {
    const doc = { format: 1, nextId: 2, cells: [{ id: 'a', kind: 'task', task: 'gp', count: 3 }] }
    expect(validateNotebook(doc)).toMatchObject({ ok: false, problem: { field: 'cells[0].difficulty' } })
  })

  it('newNotebook is valid and empty', () => {
    expect(validateNotebook(newNotebook('x'))).toEqual({ ok: true, document: { format: 1, title: 'x', nextId: 1, cells: [] } })
  })
})

describe('migrations (injected registry: format 1 is the first public one)', () => {
  // A made-up format 0 in which cells said `type` instead of `kind`.
  const renameType: NotebookMigration = {
    from: 0,
    description: 'cells say kind instead of type',
    migrate: (doc) => ({
      ...doc,
      format: 1,
      cells: (doc.cells as { type: string }[]).map(({ type, ...rest }) => ({ ...rest, kind: type })),
    }),
  }
  const old = { format: 0, nextId: 2, cells: [{ id: 'cell-1', type: 'markdown', source: 'hi' }] }

  it('migrates an older document forward on open', () => {
    const parsed = parseNotebook(JSON.stringify(old), { migrations: [renameType] })
    expect(parsed).toEqual({
      ok: true,
      migratedFrom: 0,
      document: { format: 1, nextId: 2, cells: [{ id: 'cell-1', kind: 'markdown', reads: [], source: 'hi' }] },
    })
  })

  it('chains steps n -> n+1 up to the current format, without mutating the input', () => {
    const steps: NotebookMigration[] = [
      { from: 2, description: 'b', migrate: (d) => ({ ...d, format: 3, b: true }) },
      { from: 1, description: 'a', migrate: (d) => ({ ...d, format: 2, a: true }) },
    ]
    const input = { format: 1 }
    expect(migrateNotebook(input, { migrations: steps, format: 3 })).toEqual({ value: { format: 3, a: true, b: true }, migratedFrom: 1 })
    expect(input).toEqual({ format: 1 })
  })

  it('a missing step is a migration problem', () => {
    const parsed = parseNotebook(JSON.stringify(old), { migrations: [] })
    expect(parsed).toMatchObject({ ok: false, problem: { kind: 'migration', from: 0 } })
    if (!parsed.ok) expect(parsed.problem.message).toContain('No migration from notebook format 0 to 1')
  })

  it('a step that throws is reported with its description', () => {
    const broken: NotebookMigration = { from: 0, description: 'rename', migrate: () => { throw new Error('boom') } }
    const parsed = parseNotebook(JSON.stringify(old), { migrations: [broken] })
    expect(parsed).toMatchObject({ ok: false, problem: { kind: 'migration' } })
    if (!parsed.ok) expect(parsed.problem.message).toContain('(rename) failed: boom')
  })
})

describe('locateJsonError', () => {
  it('accepts every JSON.stringify output', () => {
    fc.assert(fc.property(fc.jsonValue(), (value) => locateJsonError(JSON.stringify(value, null, 1)) === null))
  })

  it('agrees with JSON.parse on arbitrary text built from JSON-ish characters', () => {
    const chars = fc.constantFrom('{', '}', '[', ']', '"', ':', ',', ' ', '\n', '1', '0', '-', '.', 'e', 'a', 't', 'r', 'u', '\\', 'n', 'l')
    fc.assert(
      fc.property(fc.array(chars, { maxLength: 30 }).map((a) => a.join('')), (text) => {
        let valid = true
        try {
          JSON.parse(text)
        } catch {
          valid = false
        }
        return (locateJsonError(text) === null) === valid
      }),
      { numRuns: 3000 },
    )
  })

  it('flags every proper prefix of a notebook that JSON.parse rejects, within the prefix', () => {
    const text = serializeNotebook(SAMPLE)
    for (let n = 0; n < text.length - 2; n += 7) {
      const prefix = text.slice(0, n)
      const found = locateJsonError(prefix)
      expect(found).not.toBeNull()
      expect(found?.offset).toBeLessThanOrEqual(n)
    }
  })

  it('explains single-quoted strings and raw line breaks in strings', () => {
    expect(locateJsonError("{'a': 1}")?.message).toContain('property name in double quotes')
    expect(locateJsonError('["a\nb"]')).toMatchObject({ line: 1, column: 4 })
  })
})
