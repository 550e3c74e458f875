/**
 * A probe's Sokoban episode: the turns as they stream in, then the finished episode in the Sokoban
 * viewer's `EpisodePlayer` (step-through with the model's answers and the overlays).
 */
import { Component, type ReactNode } from 'react'
import type { Direction } from '../../../core/sokoban/directions.ts'
import type { StoredTurn } from '../../../core/eval/types.ts'
import { EpisodePlayer } from '../viewers/EpisodePlayer.tsx'
import type { EpisodeState, LiveTurn } from './useEpisode.ts'

const ARROWS: Record<Direction, string> = { 1: '↑ up', 2: '↓ down', 3: '← left', 4: '→ right' }

function move(action: Direction | null): string {
  return action === null ? '—' : ARROWS[action]
}

/** Shows the table, and why, when the player throws (a viewer bug must not take the cell down). */
class PlayerBoundary extends Component<{ fallback: ReactNode; children: ReactNode }, { error: string | null }> {
  override state: { error: string | null } = { error: null }
  static getDerivedStateFromError(error: unknown): { error: string } {
    return { error: error instanceof Error ? error.message : String(error) }
  }
  override render(): ReactNode {
    if (this.state.error === null) return this.props.children
    return (
      <>
        <div className="cell-error" role="alert">
          The episode player failed ({this.state.error}); the turns are listed instead.
        </div>
        {this.props.fallback}
      </>
    )
  }
}

export interface EpisodeViewProps {
  readonly state: EpisodeState
  readonly onClose?: () => void
}

export function EpisodeView({ state, onClose }: EpisodeViewProps) {
  const { record } = state
  const summary =
    record !== null
      ? `${record.success ? 'solved' : `not solved (${record.failure ?? 'failed'})`} · ${record.turns} turns · ${record.steps} steps · ` +
        `valid ${(record.validity * 100).toFixed(0)}% · ${record.tokens} tokens · ${record.provider} · ${(record.totalMs / 1000).toFixed(1)} s`
      : state.status === 'running'
        ? `Running… turn ${state.turns.length}${state.maxTurns > 0 ? ` of at most ${state.maxTurns}` : ''}`
        : state.status === 'cancelled'
          ? `Cancelled after ${state.turns.length} turns.`
          : (state.error ?? '')
  const table = record !== null ? <StoredTurnTable turns={record.sokoban.turns} /> : <LiveTurnTable turns={state.turns} />
  return (
    <section className="probe-episode" data-testid="episode" data-status={state.status}>
      <header className="probe-stream-head">
        <span className="probe-stream-title">
          Episode{state.instanceId !== null ? ` · ${state.instanceId}` : ''}
          {state.optimalMoves !== null ? ` · optimal ${state.optimalMoves} moves` : ''}
        </span>
        <span className="grow" />
        {onClose && state.status !== 'running' ? (
          <button className="small icon" aria-label="Close the episode" title="Close the episode" onClick={onClose}>
            ✕
          </button>
        ) : null}
      </header>
      <div className={`meta${state.status === 'error' ? ' probe-error' : ''}`} data-testid="episode-meta" role={state.status === 'error' ? 'alert' : undefined}>
        {summary}
      </div>
      {record !== null ? (
        <PlayerBoundary fallback={table}>
          <div data-testid="episode-player">
            <EpisodePlayer levelXsb={record.sokoban.level} turns={record.sokoban.turns} size={360} />
          </div>
        </PlayerBoundary>
      ) : state.level !== null && record === null ? (
        <div className="probe-episode-live">
          <pre className="board">{state.level}</pre>
          {table}
        </div>
      ) : (
        table
      )}
    </section>
  )
}

function LiveTurnTable({ turns }: { turns: readonly LiveTurn[] }) {
  if (turns.length === 0) return null
  return (
    <div className="table-wrap">
      <table className="grid" data-testid="episode-turns">
        <thead>
          <tr>
            <th>turn</th>
            <th className="l">answer</th>
            <th className="l">move read</th>
            <th>tokens</th>
          </tr>
        </thead>
        <tbody>
          {turns.map((t) => (
            <tr key={t.turn}>
              <td>{t.turn}</td>
              <td className="l probe-answer">{t.output}</td>
              <td className="l">{move(t.action)}</td>
              <td>{t.tokens}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

function StoredTurnTable({ turns }: { turns: readonly StoredTurn[] }) {
  return (
    <div className="table-wrap">
      <table className="grid" data-testid="episode-turns">
        <thead>
          <tr>
            <th>turn</th>
            <th className="l">answer</th>
            <th className="l">parse</th>
            <th className="l">executed</th>
            <th className="l">optimal</th>
            <th>boxes on goals</th>
            <th className="l">notes</th>
          </tr>
        </thead>
        <tbody>
          {turns.map((t, i) => (
            <tr key={i}>
              <td>{t.turn}</td>
              <td className="l probe-answer">{t.output}</td>
              <td className="l">{t.parseError ?? 'ok'}</td>
              <td className="l">{move(t.action)}</td>
              <td className="l">{move(t.optimal)}</td>
              <td>{t.boxesOnGoals}</td>
              <td className="l">
                {[t.action !== null && !t.effective ? 'ineffective' : '', t.deadlock ? 'deadlock' : ''].filter(Boolean).join(', ')}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
