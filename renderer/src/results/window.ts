/**
 * @module renderer/src/results/window
 * The maths of a virtualised list of fixed-height rows: which rows a scroll position shows, so only
 * those (plus a few either side) are in the DOM however many rows there are.
 */

/** The rows to render and where the first one sits. */
export interface RowWindow {
  /** First row to render (inclusive). */
  readonly start: number
  /** One past the last row to render. */
  readonly end: number
  /** Top of row `start` in px from the top of the list. */
  readonly offsetTop: number
  /** Height of all rows together in px (the scroll height the list needs). */
  readonly totalHeight: number
}

/**
 * The rows a viewport of `viewportHeight` px scrolled to `scrollTop` shows, with `overscan` extra rows
 * above and below (so a fast scroll does not show blanks before the next render). A scroll position
 * past the end (the list shrank) is clamped so the last rows still show.
 */
export function rowWindow(scrollTop: number, viewportHeight: number, rowHeight: number, count: number, overscan = 5): RowWindow {
  if (!(rowHeight > 0)) throw new Error(`rowWindow: rowHeight must be > 0 px; got ${rowHeight}.`)
  const totalHeight = count * rowHeight
  const maxTop = Math.max(0, totalHeight - viewportHeight)
  const top = Math.min(Math.max(0, scrollTop), maxTop)
  const first = Math.floor(top / rowHeight)
  const last = Math.ceil((top + Math.max(0, viewportHeight)) / rowHeight)
  const start = Math.max(0, first - overscan)
  const end = Math.min(count, last + overscan)
  return { start, end: Math.max(start, end), offsetTop: start * rowHeight, totalHeight }
}

/** The scrollTop that brings row `index` fully into view (unchanged when it already is). */
export function scrollToRow(index: number, scrollTop: number, viewportHeight: number, rowHeight: number): number {
  const top = index * rowHeight
  if (top < scrollTop) return top
  if (top + rowHeight > scrollTop + viewportHeight) return top + rowHeight - viewportHeight
  return scrollTop
}
