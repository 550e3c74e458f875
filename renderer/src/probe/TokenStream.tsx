/**
 * One token stream: each token on a background of its probability's colour (colors.ts). Hovering
 * or focusing a token shows its top alternatives with their probabilities; clicking an alternative
 * forks the stream there. A fork shows the tokens it shares with its parent dimmed, then the chosen
 * alternative outlined.
 */
import { useState, type KeyboardEvent, type MouseEvent } from 'react'
import type { TokenInfo } from '../../../core/model/client.ts'
import { formatProbability, probabilityOf, tokenColors } from './colors.ts'
import { speedText, visibleText, type ProbeStream } from './streams.ts'

export interface TokenStreamProps {
  readonly stream: ProbeStream
  /** Title shown above the tokens. */
  readonly title: string
  /** Forks at `index` with `alternativeId`; absent: alternatives are shown but cannot be taken. */
  readonly onFork?: (index: number, alternativeId: number) => void
  /** Removes the stream (forks only). */
  readonly onClose?: () => void
  /** Show the stream's own token count, provider and speed under it (default true). */
  readonly showMeta?: boolean
}

interface Hover {
  readonly index: number
  readonly left: number
  readonly top: number
}

/** The popover's width in px (as probe.css sets it), to keep it inside the stream. */
const POPOVER_WIDTH = 280

/** Context before a fork longer than this is cut at the front. */
const CONTEXT_CHARS = 160

function contextText(stream: ProbeStream): string {
  const text = stream.context.map((t) => t.text).join('')
  return text.length > CONTEXT_CHARS ? `…${text.slice(text.length - CONTEXT_CHARS)}` : text
}

export function TokenStream({ stream, title, onFork, onClose, showMeta = true }: TokenStreamProps) {
  const [hover, setHover] = useState<Hover | null>(null)
  const show = (index: number, target: HTMLElement): void => {
    // Placed under the token, within the stream's box (the token list may be scrolled).
    const box = target.closest('.probe-stream')?.getBoundingClientRect()
    const r = target.getBoundingClientRect()
    if (box === undefined) return
    const left = Math.max(0, Math.min(r.left - box.left, box.width - POPOVER_WIDTH))
    setHover({ index, left, top: r.bottom - box.top })
  }
  const onKey = (e: KeyboardEvent): void => {
    if (e.key === 'Escape') setHover(null)
  }
  const token = hover === null ? undefined : stream.tokens[hover.index]
  return (
    <section
      className={`probe-stream ${stream.fork ? 'fork' : 'original'}`}
      data-testid="probe-stream"
      data-stream={stream.key}
      data-status={stream.status}
      onMouseLeave={() => setHover(null)}
      onKeyDown={onKey}
    >
      <header className="probe-stream-head">
        <span className="probe-stream-title">{title}</span>
        <span className="grow" />
        {onClose ? (
          <button className="small icon" aria-label={`Close ${title}`} title="Close this fork" onClick={onClose}>
            ✕
          </button>
        ) : null}
      </header>
      <div className="probe-tokens" data-testid="probe-tokens">
        {stream.context.length > 0 ? (
          <span className="probe-context" title="Shared with the stream it was forked from">
            {visibleText(contextText(stream))}
          </span>
        ) : null}
        {stream.fork ? (
          <span
            className="probe-token chosen"
            data-testid="fork-choice"
            style={tokenColors(stream.fork.chosen.logprob)}
            title={`Chosen instead of ${JSON.stringify(stream.fork.original.text)} (p = ${formatProbability(probabilityOf(stream.fork.chosen.logprob))})`}
          >
            {visibleText(stream.fork.chosen.text)}
          </span>
        ) : null}
        {stream.tokens.map((t, i) => (
          <TokenChip key={i} token={t} text={stream.deltas[i] ?? t.text} index={i} active={hover?.index === i} onShow={show} />
        ))}
        {stream.status === 'running' ? <span className="probe-caret">▍</span> : null}
      </div>
      {token !== undefined && hover !== null ? (
        <Alternatives token={token} index={hover.index} left={hover.left} top={hover.top} onFork={onFork} />
      ) : null}
      {stream.status === 'error' ? (
        <div className="meta probe-stream-meta probe-error" role="alert">
          {stream.error}
        </div>
      ) : showMeta ? (
        <div className="meta probe-stream-meta" data-testid="probe-stream-meta">
          {stream.result
            ? `${stream.result.tokens.length} tokens · ${stream.result.finishReason} · ${stream.result.provider} · ${speedText(stream.result)}`
            : `Generating… ${stream.tokens.length} tokens`}
        </div>
      ) : null}
    </section>
  )
}

interface TokenChipProps {
  readonly token: TokenInfo
  readonly text: string
  readonly index: number
  readonly active: boolean
  readonly onShow: (index: number, target: HTMLElement) => void
}

function TokenChip({ token, text, index, active, onShow }: TokenChipProps) {
  const p = probabilityOf(token.logprob)
  const enter = (e: MouseEvent<HTMLSpanElement>): void => onShow(index, e.currentTarget)
  return (
    <span
      className={`probe-token${text === '' ? ' partial' : ''}${active ? ' active' : ''}`}
      data-testid="token"
      data-index={index}
      data-p={p.toFixed(4)}
      style={tokenColors(token.logprob)}
      tabIndex={0}
      aria-label={`Token ${index + 1}: ${JSON.stringify(token.text)}, probability ${formatProbability(p)}`}
      title={text === '' ? 'Part of a character that a later token completes' : undefined}
      onMouseEnter={enter}
      onFocus={(e) => onShow(index, e.currentTarget)}
    >
      {text === '' ? '\u200b' : visibleText(text)}
    </span>
  )
}

interface AlternativesProps {
  readonly token: TokenInfo
  readonly index: number
  readonly left: number
  readonly top: number
  readonly onFork?: (index: number, alternativeId: number) => void
}

function Alternatives({ token, index, left, top, onFork }: AlternativesProps) {
  const p = probabilityOf(token.logprob)
  return (
    <div className="probe-alternatives" data-testid="alternatives" role="dialog" aria-label={`Alternatives to token ${index + 1}`} style={{ left, top }}>
      <div className="probe-alt-head">
        Token {index + 1}: <code>{JSON.stringify(token.text)}</code> · p = {formatProbability(p)} · log p = {token.logprob.toFixed(3)}
      </div>
      {token.top.length === 0 ? (
        <div className="hint">This run did not ask for alternatives.</div>
      ) : (
        <ul>
          {token.top.map((alt) => {
            const q = probabilityOf(alt.logprob)
            const same = alt.id === token.id
            return (
              <li key={alt.id}>
                <button
                  className="probe-alt"
                  data-testid="alternative"
                  data-token-id={alt.id}
                  disabled={same || onFork === undefined}
                  title={same ? 'The token the model produced' : 'Fork: continue with this token instead'}
                  onClick={() => onFork?.(index, alt.id)}
                >
                  <span className="probe-token" style={tokenColors(alt.logprob)}>
                    {visibleText(alt.text) || '\u00a0'}
                  </span>
                  <span className="probe-bar" aria-hidden="true">
                    <span style={{ width: `${(q * 100).toFixed(1)}%` }} />
                  </span>
                  <span className="probe-p">{formatProbability(q)}</span>
                  {same ? <span className="hint">produced</span> : <span className="hint">fork ↗</span>}
                </button>
              </li>
            )
          })}
        </ul>
      )}
    </div>
  )
}
