import { describe, expect, it } from 'vitest'
import { deepFreeze } from '../../../core/experiment/deep-freeze.ts'

describe('deepFreeze', () => {
  it('freezes nested objects and arrays and returns the same value', () => {
    const value = { a: [1, { b: 'x' }], c: { d: null } }
    expect(deepFreeze(value)).toBe(value)
    expect(Object.isFrozen(value)).toBe(true)
    expect(Object.isFrozen(value.a)).toBe(true)
    expect(Object.isFrozen(value.a[1])).toBe(true)
    expect(Object.isFrozen(value.c)).toBe(true)
    expect(() => {
      ;(value.a as unknown[]).push(2)
    }).toThrow(TypeError)
  })

  it('passes primitives and null through', () => {
    expect(deepFreeze(3)).toBe(3)
    expect(deepFreeze(null)).toBe(null)
    expect(deepFreeze('s')).toBe('s')
  })
})
