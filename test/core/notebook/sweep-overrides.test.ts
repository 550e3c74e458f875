import { describe, expect, it } from 'vitest'
import { parseNotebook } from '../../../core/notebook/parse.ts'

function withOverrides(overrides: unknown): string {
  return JSON.stringify({
    format: 1,
    nextId: 3,
    cells: [
      { id: 'cell-1', kind: 'task', task: 'sokoban', difficulty: 'simple', count: 5 },
      { id: 'cell-2', kind: 'sweep', reads: ['cell-1'], overrides },
    ],
  })
}

describe('sweep cell difficulties', () => {
  it('accepts shorthand names beside whole entries (the format stays 1)', () => {
    const parsed = parseNotebook(withOverrides({ difficulties: ['7x7-2boxes', { name: 'x', difficulty: 'larger', value: 3 }] }))
    if (!parsed.ok) throw new Error(parsed.problem.message)
    expect(parsed.document.cells[1]).toMatchObject({ overrides: { difficulties: ['7x7-2boxes', { name: 'x', difficulty: 'larger', value: 3 }] } })
  })

  it('keeps an empty list (the form says to choose one) instead of refusing the file', () => {
    const parsed = parseNotebook(withOverrides({ difficulties: [] }))
    expect(parsed.ok && parsed.document.cells[1]).toMatchObject({ overrides: { difficulties: [] } })
  })

  it('refuses an item that is neither a name nor an entry, with its path', () => {
    const parsed = parseNotebook(withOverrides({ difficulties: ['simple', 7] }))
    expect(parsed.ok).toBe(false)
    if (!parsed.ok) expect(parsed.problem.message).toContain('cells[1].overrides.difficulties[1]')
  })
})
