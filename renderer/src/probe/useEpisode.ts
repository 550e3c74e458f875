/**
 * A Sokoban episode with the loaded model (`wb:episodes.run`): its turns as they stream in
 * (`wb:episodes.event`), then the record the backend answers.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import type { EpisodeEvent, EpisodeEventPayload, EpisodeRecord, RequestOf, Transport } from '../../../core/contract/api.ts'

/** A streamed turn. */
export type LiveTurn = Extract<EpisodeEvent, { type: 'turn' }>

export interface EpisodeState {
  readonly episodeId: string | null
  readonly status: 'idle' | 'running' | 'done' | 'cancelled' | 'error'
  readonly instanceId: string | null
  /** The level (XSB), once the episode started. */
  readonly level: string | null
  readonly optimalMoves: number | null
  readonly maxTurns: number
  readonly turns: readonly LiveTurn[]
  readonly record: EpisodeRecord | null
  readonly error: string | null
}

const IDLE: EpisodeState = {
  episodeId: null,
  status: 'idle',
  instanceId: null,
  level: null,
  optimalMoves: null,
  maxTurns: 0,
  turns: [],
  record: null,
  error: null,
}

/** The episode request less its id (the hook names episodes). */
export type EpisodeRequest = Omit<RequestOf<'wb:episodes.run'>, 'episodeId'>

export interface EpisodeSession {
  readonly state: EpisodeState
  run(request: EpisodeRequest): Promise<void>
  cancel(): void
  clear(): void
}

/** The state after one streamed event. */
export function applyEpisodeEvent(state: EpisodeState, event: EpisodeEvent): EpisodeState {
  switch (event.type) {
    case 'started':
      return { ...state, instanceId: event.instanceId, level: event.level, optimalMoves: event.optimalMoves, maxTurns: event.maxTurns }
    case 'turn':
      return { ...state, turns: [...state.turns, event] }
    case 'finished':
      return state
  }
}

/** The episode session of cell `cellId`. */
export function useEpisode(transport: Transport, cellId: string): EpisodeSession {
  const [state, setState] = useState<EpisodeState>(IDLE)
  const current = useRef<string | null>(null)
  const counter = useRef(0)

  useEffect(
    () =>
      transport.subscribe('wb:episodes.event', (payload: EpisodeEventPayload) => {
        if (payload.episodeId !== current.current) return
        setState((s) => (s.episodeId === payload.episodeId ? applyEpisodeEvent(s, payload.event) : s))
      }),
    [transport],
  )

  const run = useCallback(
    async (request: EpisodeRequest) => {
      const episodeId = `${cellId}/episode-${++counter.current}`
      current.current = episodeId
      setState({ ...IDLE, episodeId, status: 'running' })
      const answer = await transport.request('wb:episodes.run', { ...request, episodeId })
      setState((s) => {
        if (s.episodeId !== episodeId) return s
        if (answer.ok) return { ...s, status: 'done', record: answer.value, level: answer.value.sokoban.level }
        return { ...s, status: answer.error.code === 'cancelled' ? 'cancelled' : 'error', error: answer.error.message }
      })
    },
    [transport, cellId],
  )

  const cancel = useCallback(() => {
    if (current.current !== null) void transport.request('wb:episodes.cancel', { episodeId: current.current })
  }, [transport])

  const clear = useCallback(() => {
    current.current = null
    setState(IDLE)
  }, [])

  return useMemo(() => ({ state, run, cancel, clear }), [state, run, cancel, clear])
}
