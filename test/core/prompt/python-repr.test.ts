import { describe, expect, it } from 'vitest'
import { pyRepr, pyStr, pyStrRepr } from '../../../core/prompt/index.ts'

// Expected values are what CPython 3.11 prints for repr()/str() of the same values.
describe('Python repr and str', () => {
  it('quotes strings as CPython does', () => {
    expect(pyStrRepr('K')).toBe("'K'")
    expect(pyStrRepr("it's")).toBe(`"it's"`)
    expect(pyStrRepr(`it's "x"`)).toBe(`'it\\'s "x"'`)
    expect(pyStrRepr('a\\b\n\t\r')).toBe("'a\\\\b\\n\\t\\r'")
    expect(pyStrRepr('\u0001√⬆️')).toBe("'\\x01√⬆️'")
  })

  it('prints lists, dicts, None and booleans', () => {
    expect(pyRepr(['2', 'K', '10'])).toBe("['2', 'K', '10']")
    expect(pyRepr([1, 2.5, true, null])).toBe('[1, 2.5, True, None]')
    expect(pyRepr({ a: 1, b: ['x'] })).toBe("{'a': 1, 'b': ['x']}")
    expect(pyStr('plain')).toBe('plain')
    expect(pyStr([])).toBe('[]')
  })

  it('prints floats in Python\'s shortest form', () => {
    expect(pyRepr(0.1)).toBe('0.1')
    expect(pyRepr(1e-5)).toBe('1e-05')
    expect(pyRepr(1.5e-7)).toBe('1.5e-07')
    // A JS number with no fraction is printed as a Python int.
    expect(pyRepr(2.5e16)).toBe('25000000000000000')
    expect(pyRepr(12345.678)).toBe('12345.678')
  })
})
