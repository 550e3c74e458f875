// The wb:runs.results request: defaults, the filter's fields, and messages that name the bad field.
import { describe, expect, it } from 'vitest'
import { FAILURE_KINDS } from '../../../core/eval/types.ts'
import { validateRequest } from '../../../core/contract/validate.ts'

describe('wb:runs.results request', () => {
  it('fills in an empty filter, offset 0, 500 rows and no detail', () => {
    expect(validateRequest('wb:runs.results', { dir: 'runs/a' })).toEqual({
      ok: true,
      value: { dir: 'runs/a', filter: {}, offset: 0, limit: 500, detail: false },
    })
  })

  it('takes every filter field, and "success" or any failure kind', () => {
    const filter = { variant: 'v', difficulty: 'd', model: 'm', failure: 'success', keys: ['v/d/0/0'] }
    expect(validateRequest('wb:runs.results', { dir: 'r', filter })).toMatchObject({ ok: true, value: { filter } })
    for (const failure of FAILURE_KINDS) expect(validateRequest('wb:runs.results', { dir: 'r', filter: { failure } }).ok).toBe(true)
    // The twelve kinds of core/eval/types.ts (paper-tasks.md failure taxonomy), spelled out.
    expect(FAILURE_KINDS).toHaveLength(12)
  })

  it.each([
    [{ dir: 'r', filter: { failure: 'crashed' } }, 'payload.filter.failure'],
    [{ dir: 'r', filter: { keys: 'a/b/0/0' } }, 'payload.filter.keys'],
    [{ dir: 'r', filter: { variant: '' } }, 'payload.filter.variant'],
    [{ dir: 'r', filter: { colour: 'red' } }, 'colour'],
    [{ dir: 'r', limit: 20_001 }, 'payload.limit'],
    [{ dir: 'r', offset: -1 }, 'payload.offset'],
    [{ dir: 'r', detail: 'yes' }, 'payload.detail'],
    [{}, 'payload.dir'],
  ])('refuses %j, naming %s', (payload, field) => {
    const result = validateRequest('wb:runs.results', payload)
    expect(result.ok).toBe(false)
    if (!result.ok) {
      expect(result.error.code).toBe('invalid-request')
      expect(result.error.message).toContain(field)
    }
  })
})
