/**
 * A small Markdown renderer for notes cells: headings, paragraphs, bullet and numbered lists, fenced
 * code, inline code, bold and italics. It builds React elements (never HTML strings), so a notebook
 * from someone else cannot inject markup or scripts. Links show their text and address without
 * becoming navigable: the app window never navigates away.
 */
import { useMemo, type ReactNode } from 'react'
import { parseBlocks } from './markdown.ts'

const INLINE = /(`[^`]+`)|(\*\*[^*]+\*\*)|(\*[^*\s][^*]*\*|_[^_\s][^_]*_)|(\[[^\]]+\]\([^)\s]+\))/g

/** Inline Markdown of one block as React nodes. */
export function inline(text: string): ReactNode[] {
  const out: ReactNode[] = []
  let last = 0
  let key = 0
  for (const m of text.matchAll(INLINE)) {
    if (m.index > last) out.push(text.slice(last, m.index))
    const token = m[0]
    if (m[1]) out.push(<code key={key++}>{token.slice(1, -1)}</code>)
    else if (m[2]) out.push(<strong key={key++}>{token.slice(2, -2)}</strong>)
    else if (m[3]) out.push(<em key={key++}>{token.slice(1, -1)}</em>)
    else {
      const link = /^\[([^\]]+)\]\(([^)\s]+)\)$/.exec(token)
      out.push(
        <span key={key++} className="link" title={link?.[2]}>
          {link?.[1] ?? token}
        </span>,
      )
    }
    last = m.index + token.length
  }
  if (last < text.length) out.push(text.slice(last))
  return out
}

/** Rendered Markdown. */
export function Markdown({ source }: { readonly source: string }) {
  const blocks = useMemo(() => parseBlocks(source), [source])
  return (
    <div className="md">
      {blocks.map((b, i) => {
        if (b.kind === 'heading') {
          const H = `h${b.level}` as const
          return <H key={i}>{inline(b.text)}</H>
        }
        if (b.kind === 'code') return <pre key={i}>{b.text}</pre>
        if (b.kind === 'list') {
          const items = b.items.map((t, j) => <li key={j}>{inline(t)}</li>)
          return b.ordered ? <ol key={i}>{items}</ol> : <ul key={i}>{items}</ul>
        }
        return <p key={i}>{inline(b.text)}</p>
      })}
    </div>
  )
}
