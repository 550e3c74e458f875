// The windowing maths of the virtualised table: which rows a scroll position renders.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { rowWindow, scrollToRow } from '../../../renderer/src/results/window.ts'

describe('rowWindow', () => {
  it('at the top: the rows in a 300 px viewport of 25 px rows (12) plus 5 below', () => {
    expect(rowWindow(0, 300, 25, 10_000)).toEqual({ start: 0, end: 17, offsetTop: 0, totalHeight: 250_000 })
  })

  it('mid-list: scrolled to 1010 px, rows 40 to 52 (both partly) show, 35-57 render', () => {
    expect(rowWindow(1010, 300, 25, 10_000)).toEqual({ start: 35, end: 58, offsetTop: 875, totalHeight: 250_000 })
  })

  it('at the very bottom the last row renders', () => {
    const w = rowWindow(250_000 - 300, 300, 25, 10_000)
    expect(w.end).toBe(10_000)
    expect(w.start).toBe(9988 - 5)
  })

  it('a scroll position past the end (the list shrank) still shows the last rows', () => {
    expect(rowWindow(1e9, 300, 25, 20)).toEqual({ start: 3, end: 20, offsetTop: 75, totalHeight: 500 })
  })

  it('fewer rows than fit, and no rows', () => {
    expect(rowWindow(0, 300, 25, 3)).toEqual({ start: 0, end: 3, offsetTop: 0, totalHeight: 75 })
    expect(rowWindow(50, 300, 25, 0)).toEqual({ start: 0, end: 0, offsetTop: 0, totalHeight: 0 })
  })

  it('refuses a row height that is not positive', () => {
    expect(() => rowWindow(0, 300, 0, 10)).toThrow(/rowHeight must be > 0/)
  })

  it('property: every row intersecting the viewport renders, and never more than viewport + 2 overscan + 2 rows', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20_000 }), fc.integer({ min: 1, max: 60 }), fc.integer({ min: 0, max: 900 }), fc.nat(600_000), (count, rowHeight, viewport, scroll) => {
        const w = rowWindow(scroll, viewport, rowHeight, count, 4)
        const top = Math.min(scroll, Math.max(0, count * rowHeight - viewport))
        for (let i = Math.floor(top / rowHeight); i * rowHeight < top + viewport && i < count; i++) {
          expect(i >= w.start && i < w.end).toBe(true)
        }
        expect(w.end - w.start).toBeLessThanOrEqual(Math.ceil(viewport / rowHeight) + 2 * 4 + 2)
        expect(w.offsetTop).toBe(w.start * rowHeight)
        expect(w.end).toBeLessThanOrEqual(count)
      }),
    )
  })
})

describe('scrollToRow', () => {
  it('scrolls up or down just enough, and not at all when the row is in view', () => {
    expect(scrollToRow(2, 100, 300, 25)).toBe(50)
    expect(scrollToRow(20, 100, 300, 25)).toBe(225)
    expect(scrollToRow(6, 100, 300, 25)).toBe(100)
  })
})
