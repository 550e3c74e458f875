/**
 * A table of fixed-height rows where only the rows in view (and a few either side) are in the DOM,
 * so 10,000 rows scroll as smoothly as 10. Columns are CSS grid tracks shared by header and rows.
 * With the body focused, ↑ ↓ Page Up/Down Home End move a cursor row and Enter opens it.
 */
import { memo, useCallback, useLayoutEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react'
import { rowWindow, scrollToRow } from './window.ts'

export interface Column<Row> {
  readonly id: string
  readonly title: string
  /** A CSS grid track, e.g. `80px` or `minmax(120px, 2fr)`. */
  readonly width: string
  readonly align?: 'left' | 'right'
  readonly render: (row: Row) => ReactNode
}

export interface VirtualTableProps<Row> {
  readonly rows: readonly Row[]
  readonly columns: readonly Column<Row>[]
  readonly rowKey: (row: Row) => string
  readonly rowHeight?: number
  /** Height of the scrolling body in px. */
  readonly height?: number
  readonly onRowClick?: (row: Row, index: number) => void
  readonly selectedKey?: string | null
  /** Header cell clicked (for sorting); the column's current sort mark. */
  readonly onHeaderClick?: (columnId: string) => void
  readonly sortMark?: (columnId: string) => '▲' | '▼' | null
  readonly testId?: string
}

interface TableRowProps<Row> {
  readonly row: Row
  readonly index: number
  readonly columns: readonly Column<Row>[]
  readonly template: string
  readonly height: number
  readonly selected: boolean
  readonly cursor: boolean
  readonly onActivate: ((row: unknown, index: number) => void) | null
}

function TableRowOf<Row>({ row, index, columns, template, height, selected, cursor, onActivate }: TableRowProps<Row>) {
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      data-row={index}
      className={`vtable-row${selected ? ' selected' : ''}${cursor ? ' cursor' : ''}${onActivate ? ' clickable' : ''}`}
      style={{ gridTemplateColumns: template, height }}
      onClick={onActivate ? () => onActivate(row, index) : undefined}
    >
      {columns.map((c) => (
        <div key={c.id} role="cell" className={`vtable-cell${c.align === 'right' ? ' right' : ''}`}>
          {c.render(row)}
        </div>
      ))}
    </div>
  )
}

// memo() drops the type parameter; the cast gives it back.
const TableRow = memo(TableRowOf) as typeof TableRowOf

export function VirtualTable<Row>({
  rows,
  columns,
  rowKey,
  rowHeight = 26,
  height = 320,
  onRowClick,
  selectedKey,
  onHeaderClick,
  sortMark,
  testId,
}: VirtualTableProps<Row>) {
  const body = useRef<HTMLDivElement>(null)
  const [scrollTop, setScrollTop] = useState(0)
  const frame = useRef(0)
  // One state update per animation frame at most, however many scroll events arrive.
  const onScroll = useCallback(() => {
    if (frame.current !== 0) return
    frame.current = requestAnimationFrame(() => {
      frame.current = 0
      if (body.current) setScrollTop(body.current.scrollTop)
    })
  }, [])
  useLayoutEffect(() => () => cancelAnimationFrame(frame.current), [])
  const viewport = Math.min(height, Math.max(rowHeight, rows.length * rowHeight))
  const [cursor, setCursor] = useState(-1)
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const page = Math.max(1, Math.floor(viewport / rowHeight) - 1)
    const moves: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page, Home: -rows.length, End: rows.length }
    if (e.key === 'Enter' || e.key === ' ') {
      if (cursor >= 0 && cursor < rows.length && onRowClick) {
        e.preventDefault()
        onRowClick(rows[cursor], cursor)
      }
      return
    }
    const move = moves[e.key]
    if (move === undefined || rows.length === 0) return
    e.preventDefault()
    const next = Math.min(rows.length - 1, Math.max(0, (cursor < 0 ? -1 : cursor) + move))
    setCursor(next)
    const el = body.current
    if (el) {
      const top = scrollToRow(next, el.scrollTop, viewport, rowHeight)
      if (top !== el.scrollTop) el.scrollTop = top
    }
  }
  // One stable callback for every row, so rows that stay in view are not rendered again on scroll.
  const latestClick = useRef(onRowClick)
  latestClick.current = onRowClick
  const activate = useCallback((row: unknown, index: number) => {
    setCursor(index)
    latestClick.current?.(row as Row, index)
  }, [])
  const win = rowWindow(scrollTop, viewport, rowHeight, rows.length)
  const template = columns.map((c) => c.width).join(' ')
  const visible = rows.slice(win.start, win.end)
  return (
    <div className="vtable" role="table" aria-rowcount={rows.length + 1} data-testid={testId}>
      <div className="vtable-head" role="row" style={{ gridTemplateColumns: template }}>
        {columns.map((c) => (
          <div
            key={c.id}
            role="columnheader"
            className={`vtable-cell${c.align === 'right' ? ' right' : ''}${onHeaderClick ? ' sortable' : ''}`}
            data-column={c.id}
            onClick={onHeaderClick ? () => onHeaderClick(c.id) : undefined}
          >
            {c.title}
            {sortMark?.(c.id) ? <span className="vtable-sort"> {sortMark(c.id)}</span> : null}
          </div>
        ))}
      </div>
      <div
        className="vtable-body"
        ref={body}
        onScroll={onScroll}
        onKeyDown={onKeyDown}
        tabIndex={0}
        aria-label="Rows: arrow keys move, Enter opens"
        style={{ height: viewport }}
        data-testid={testId ? `${testId}-body` : undefined}
      >
        <div style={{ height: win.totalHeight, position: 'relative' }}>
          <div style={{ transform: `translateY(${win.offsetTop}px)` }}>
            {visible.map((row, i) => {
              const index = win.start + i
              const key = rowKey(row)
              return (
                <TableRow
                  key={key}
                  row={row}
                  index={index}
                  columns={columns}
                  template={template}
                  height={rowHeight}
                  selected={key === selectedKey}
                  cursor={index === cursor}
                  onActivate={onRowClick ? activate : null}
                />
              )
            })}
          </div>
        </div>
      </div>
    </div>
  )
}
