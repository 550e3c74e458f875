// Notebooks through the backend: atomic save, refusal to overwrite corrupt / newer / changed files,
// autosave to a recovery file that open reports and save removes, and the recent list.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeEach, describe, expect, it } from 'vitest'
import { createBackend, type Backend } from '../../../electron/app/backend.ts'
import type { NotebookDocumentInput } from '../../../core/notebook/schema.ts'

const temps: string[] = []
afterAll(() => temps.forEach((d) => fs.rmSync(d, { recursive: true, force: true })))

let ws: string
let backend: Backend
let clock = 0
beforeEach(async () => {
  ws = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'sftbench-nb-')))
  temps.push(ws)
  clock = Date.parse('2030-01-01T00:00:00Z')
  backend = await createBackend({ workspace: ws, now: () => new Date((clock += 1000)), log: () => {} })
})

const DOC: NotebookDocumentInput = {
  format: 1,
  nextId: 3,
  cells: [
    { id: 'cell-1', kind: 'markdown', source: '# hello' },
    { id: 'cell-2', kind: 'task', task: 'sokoban', difficulty: 'simple', count: 2 },
  ],
}

function edited(source: string): NotebookDocumentInput {
  return { ...DOC, cells: [{ id: 'cell-1', kind: 'markdown', source }, DOC.cells[1]] }
}

async function value<T>(promise: Promise<{ ok: true; value: T } | { ok: false; error: { code: string; message: string } }>): Promise<T> {
  const result = await promise
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`)
  return result.value
}

describe('save and open', () => {
  it('saves, then opens the same document with its revision', async () => {
    const saved = await value(backend.request('wb:notebooks.save', { path: 'a.sftnb', document: DOC }))
    expect(saved.path).toBe(path.join(ws, 'a.sftnb'))
    const opened = await value(backend.request('wb:notebooks.open', { path: 'a.sftnb' }))
    expect(opened).toMatchObject({ path: saved.path, revision: saved.revision, problem: null, readOnly: false, recovery: null })
    expect(opened.document?.cells.map((c) => c.id)).toEqual(['cell-1', 'cell-2'])
  })

  it('leaves no temporary file behind', async () => {
    await value(backend.request('wb:notebooks.save', { path: 'a.sftnb', document: DOC }))
    expect(fs.readdirSync(ws).filter((n) => n !== '.sftbench')).toEqual(['a.sftnb'])
  })

  it('refuses a path that is not a notebook, and one outside the workspace', async () => {
    const txt = await backend.request('wb:notebooks.save', { path: 'a.txt', document: DOC })
    expect(txt).toMatchObject({ ok: false, error: { code: 'invalid-request' } })
    const out = await backend.request('wb:notebooks.save', { path: '../escape.sftnb', document: DOC })
    expect(out).toMatchObject({ ok: false, error: { code: 'forbidden' } })
    expect(fs.existsSync(path.join(ws, '..', 'escape.sftnb'))).toBe(false)
  })

  it('an invalid document is refused naming the field', async () => {
    const bad = { ...DOC, cells: [{ id: 'cell-1', kind: 'task', task: 'sokoban', difficulty: 'simple', count: -1 }] }
    const result = await backend.handle('wb:notebooks.save', { path: 'a.sftnb', document: bad })
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-request' } })
    if (!result.ok) expect(result.error.message).toContain('payload.document.cells[0].count')
  })

  it('refuses to overwrite a file changed on disk since it was opened (baseRevision)', async () => {
    const first = await value(backend.request('wb:notebooks.save', { path: 'a.sftnb', document: DOC }))
    fs.writeFileSync(first.path, `${JSON.stringify(edited('changed elsewhere'))}\n`)
    const result = await backend.request('wb:notebooks.save', { path: 'a.sftnb', document: edited('mine'), baseRevision: first.revision })
    expect(result).toMatchObject({ ok: false, error: { code: 'conflict' } })
    expect(fs.readFileSync(first.path, 'utf8')).toContain('changed elsewhere')
  })

  it('saves with a matching baseRevision', async () => {
    const first = await value(backend.request('wb:notebooks.save', { path: 'a.sftnb', document: DOC }))
    const second = await value(backend.request('wb:notebooks.save', { path: 'a.sftnb', document: edited('v2'), baseRevision: first.revision }))
    expect(second.revision).not.toBe(first.revision)
    expect(fs.readFileSync(first.path, 'utf8')).toContain('v2')
  })
})

describe('corrupt and newer files are never overwritten', () => {
  it('a corrupt file opens read-only with line and column, and a save over it is refused', async () => {
    const file = path.join(ws, 'broken.sftnb')
    const text = '{\n  "format": 1,\n  "nextId": 1\n  "cells": []\n}\n'
    fs.writeFileSync(file, text)
    const opened = await value(backend.request('wb:notebooks.open', { path: 'broken.sftnb' }))
    expect(opened).toMatchObject({ document: null, readOnly: true, problem: { kind: 'syntax', line: 4, column: 3 } })
    const save = await backend.request('wb:notebooks.save', { path: 'broken.sftnb', document: DOC })
    expect(save).toMatchObject({ ok: false, error: { code: 'conflict' } })
    if (!save.ok) expect(save.error.message).toContain('Save the notebook under another name')
    expect(fs.readFileSync(file, 'utf8')).toBe(text)
    // Saving elsewhere works.
    expect((await backend.request('wb:notebooks.save', { path: 'fixed.sftnb', document: DOC })).ok).toBe(true)
  })

  it('a newer-format file opens read-only and is not overwritten', async () => {
    const file = path.join(ws, 'future.sftnb')
    const text = JSON.stringify({ format: 7, nextId: 1, cells: [], hologram: true })
    fs.writeFileSync(file, text)
    const opened = await value(backend.request('wb:notebooks.open', { path: 'future.sftnb' }))
    expect(opened).toMatchObject({ readOnly: true, problem: { kind: 'newer', format: 7 } })
    expect(await backend.request('wb:notebooks.save', { path: 'future.sftnb', document: DOC })).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    })
    expect(fs.readFileSync(file, 'utf8')).toBe(text)
  })

  it('a file that is not a notebook at all is not overwritten either', async () => {
    const file = path.join(ws, 'notes.sftnb')
    fs.writeFileSync(file, 'my precious notes')
    expect(await backend.request('wb:notebooks.save', { path: 'notes.sftnb', document: DOC })).toMatchObject({ ok: false, error: { code: 'conflict' } })
    expect(fs.readFileSync(file, 'utf8')).toBe('my precious notes')
  })
})

describe('autosave and recovery', () => {
  it('autosave writes a recovery file, leaves the notebook alone, and open reports it', async () => {
    const saved = await value(backend.request('wb:notebooks.save', { path: 'a.sftnb', document: DOC }))
    const before = fs.readFileSync(saved.path, 'utf8')
    const info = await value(backend.request('wb:notebooks.autosave', { path: 'a.sftnb', document: edited('unsaved') }))
    expect(info.notebookPath).toBe(saved.path)
    expect(info.recoveryPath.startsWith(path.join(ws, '.sftbench', 'recovery'))).toBe(true)
    expect(fs.readFileSync(saved.path, 'utf8')).toBe(before)
    // The injected clock is decades ahead of the file's mtime, so the recovery counts as newer.
    const opened = await value(backend.request('wb:notebooks.open', { path: 'a.sftnb' }))
    expect(opened.recovery).toMatchObject({ recoveryPath: info.recoveryPath, newerThanNotebook: true })
    const [entry] = await value(backend.request('wb:notebooks.recover', { path: 'a.sftnb' }))
    expect(entry.document?.cells[0]).toMatchObject({ source: 'unsaved' })
  })

  it('a successful save removes the recovery file', async () => {
    await value(backend.request('wb:notebooks.autosave', { path: 'b.sftnb', document: edited('draft') }))
    expect(await value(backend.request('wb:notebooks.recover', {}))).toHaveLength(1)
    await value(backend.request('wb:notebooks.save', { path: 'b.sftnb', document: edited('draft') }))
    expect(await value(backend.request('wb:notebooks.recover', {}))).toEqual([])
  })

  it('a recovery file survives a refused save (the work is not lost)', async () => {
    fs.writeFileSync(path.join(ws, 'broken.sftnb'), '{')
    await value(backend.request('wb:notebooks.autosave', { path: 'broken.sftnb', document: edited('keep me') }))
    expect((await backend.request('wb:notebooks.save', { path: 'broken.sftnb', document: edited('keep me') })).ok).toBe(false)
    const [entry] = await value(backend.request('wb:notebooks.recover', { path: 'broken.sftnb' }))
    expect(entry.document?.cells[0]).toMatchObject({ source: 'keep me' })
  })

  it('recovery files are kept per notebook and can be discarded', async () => {
    await value(backend.request('wb:notebooks.autosave', { path: 'x.sftnb', document: edited('x') }))
    await value(backend.request('wb:notebooks.autosave', { path: 'sub/x.sftnb', document: edited('sub x') }))
    const all = await value(backend.request('wb:notebooks.recover', {}))
    expect(all.map((e) => e.notebookPath).sort()).toEqual([path.join(ws, 'sub', 'x.sftnb'), path.join(ws, 'x.sftnb')])
    expect(await value(backend.request('wb:notebooks.discardRecovery', { path: 'x.sftnb' }))).toEqual({ removed: true })
    expect(await value(backend.request('wb:notebooks.discardRecovery', { path: 'x.sftnb' }))).toEqual({ removed: false })
    expect((await value(backend.request('wb:notebooks.recover', {}))).map((e) => e.notebookPath)).toEqual([path.join(ws, 'sub', 'x.sftnb')])
  })

  it('concurrent autosaves and a save of one notebook do not interleave', async () => {
    const writes = Array.from({ length: 8 }, (_, i) => backend.request('wb:notebooks.autosave', { path: 'c.sftnb', document: edited(`v${i}`) }))
    const results = await Promise.all([...writes, backend.request('wb:notebooks.save', { path: 'c.sftnb', document: edited('final') })])
    expect(results.every((r) => r.ok)).toBe(true)
    expect(await value(backend.request('wb:notebooks.recover', { path: 'c.sftnb' }))).toEqual([])
    expect(fs.readFileSync(path.join(ws, 'c.sftnb'), 'utf8')).toContain('final')
  })
})

describe('recent notebooks', () => {
  it('lists opened and saved notebooks, most recent first, and survives a new backend', async () => {
    await value(backend.request('wb:notebooks.save', { path: 'one.sftnb', document: DOC }))
    await value(backend.request('wb:notebooks.save', { path: 'two.sftnb', document: DOC }))
    await value(backend.request('wb:notebooks.open', { path: 'one.sftnb' }))
    const again = await createBackend({ workspace: ws, log: () => {} })
    const recent = await value(again.request('wb:notebooks.recent', {}))
    expect(recent.map((r) => path.basename(r.path))).toEqual(['one.sftnb', 'two.sftnb'])
  })
})
