/**
 * The probe's generations: the original stream and its forks, each a `wb:generate.start` request
 * whose tokens arrive as `wb:generate.event`. Events are folded in once per animation frame, so a
 * fast model does not re-render the cell per token.
 *
 * A generation the cell's runner started (the cell's Generate button) can be adopted: its events are
 * buffered from the start (runner request ids are `<cellId>-<n>`), so none are lost while React
 * catches up.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import type { GenerateEventPayload, Transport } from '../../../core/contract/api.ts'
import type { GenerateEvent, GenerateResult } from '../../../core/model/client.ts'
import type { SamplingParamsPatch } from '../../../core/notebook/sampling-patch.ts'
import type { ProbePrompt } from '../notebook/prompts.ts'
import { applyEvents, failed, finish, forkRequest, newStream, type ProbeStream } from './streams.ts'

/** What the original was generated from; forks reuse it. */
export interface ProbeBase {
  readonly prompt: ProbePrompt
  readonly params: SamplingParamsPatch
}

export interface ProbeSession {
  /** The original first, then forks in the order they were made. */
  readonly streams: readonly ProbeStream[]
  readonly running: boolean
  /** Starts a new original (forks of the old one are dropped); resolves with its result, or null on failure. */
  start(base: ProbeBase): Promise<GenerateResult | null>
  /** Forks stream `key` at token `index` with the alternative `alternativeId`. */
  fork(key: string, index: number, alternativeId: number): void
  /** Shows a generation started elsewhere as the original; `base` is computed when a fork needs it. */
  adopt(requestId: string, base: () => Promise<ProbeBase>): void
  /** Stops every running stream. */
  cancel(): void
  /** Removes a fork and the forks made from it. */
  close(key: string): void
}

/** Events kept for a request nobody has claimed yet (a runner's generation before adoption). */
const MAX_BUFFERED = 20_000

/** The probe session of cell `cellId`. */
export function useProbe(transport: Transport, cellId: string): ProbeSession {
  const [streams, setStreams] = useState<readonly ProbeStream[]>([])
  const keyOf = useRef(new Map<string, string>())
  const pending = useRef(new Map<string, GenerateEvent[]>())
  const unclaimed = useRef<{ requestId: string; events: GenerateEvent[] } | null>(null)
  const frame = useRef<number | null>(null)
  const base = useRef<ProbeBase | (() => Promise<ProbeBase>) | null>(null)
  const counter = useRef(0)
  const streamsRef = useRef(streams)
  streamsRef.current = streams

  const flush = useCallback(() => {
    frame.current = null
    const batch = pending.current
    if (batch.size === 0) return
    pending.current = new Map()
    setStreams((list) => list.map((s) => (batch.has(s.key) ? applyEvents(s, batch.get(s.key) as GenerateEvent[]) : s)))
  }, [])

  const queue = useCallback(
    (key: string, events: readonly GenerateEvent[]) => {
      const list = pending.current.get(key) ?? []
      list.push(...events)
      pending.current.set(key, list)
      frame.current ??= requestAnimationFrame(flush)
    },
    [flush],
  )

  useEffect(() => {
    const runnerPrefix = `${cellId}-`
    const stop = transport.subscribe('wb:generate.event', (payload: GenerateEventPayload) => {
      const key = keyOf.current.get(payload.requestId)
      if (key !== undefined) {
        queue(key, [payload.event])
        return
      }
      if (!payload.requestId.startsWith(runnerPrefix)) return
      let held = unclaimed.current
      if (held === null || held.requestId !== payload.requestId) held = unclaimed.current = { requestId: payload.requestId, events: [] }
      if (held.events.length < MAX_BUFFERED) held.events.push(payload.event)
    })
    return () => {
      stop()
      if (frame.current !== null) cancelAnimationFrame(frame.current)
      frame.current = null
    }
  }, [transport, cellId, queue])

  /** Sends one generation for stream `key` and records its outcome. */
  const send = useCallback(
    async (key: string, requestId: string, b: ProbeBase, prefixTokenIds?: number[], maxNewTokens?: number) => {
      keyOf.current.set(requestId, key)
      const params = maxNewTokens === undefined ? b.params : { ...b.params, maxNewTokens }
      const prompt = b.prompt as string | { messages: { role: string; content: string }[] }
      const answer = await transport.request('wb:generate.start', {
        requestId,
        prompt,
        params,
        ...(prefixTokenIds === undefined ? {} : { prefixTokenIds }),
      })
      // Tokens still waiting for a frame go in before the result.
      if (frame.current !== null) {
        cancelAnimationFrame(frame.current)
        flush()
      }
      keyOf.current.delete(requestId)
      setStreams((list) =>
        list.map((s) => {
          if (s.key !== key || s.requestId !== requestId) return s
          return answer.ok ? finish(s, answer.value) : failed(s, answer.error.message)
        }),
      )
      return answer.ok ? answer.value : null
    },
    [transport, flush],
  )

  const start = useCallback(
    (b: ProbeBase) => {
      base.current = b
      for (const s of streamsRef.current) keyOf.current.delete(s.requestId)
      const requestId = `${cellId}/probe-${++counter.current}`
      setStreams([newStream('root', requestId)])
      return send('root', requestId, b)
    },
    [cellId, send],
  )

  const adopt = useCallback(
    (requestId: string, lazyBase: () => Promise<ProbeBase>) => {
      if (streamsRef.current[0]?.requestId === requestId) return
      base.current = lazyBase
      for (const s of streamsRef.current) keyOf.current.delete(s.requestId)
      keyOf.current.set(requestId, 'root')
      const held = unclaimed.current?.requestId === requestId ? unclaimed.current.events : []
      unclaimed.current = null
      setStreams([applyEvents(newStream('root', requestId), held)])
    },
    [],
  )

  const fork = useCallback(
    (key: string, index: number, alternativeId: number) => {
      const parent = streamsRef.current.find((s) => s.key === key)
      if (parent === undefined) return
      const forkKey = `fork-${++counter.current}`
      const requestId = `${cellId}/${forkKey}`
      void (async () => {
        const stored = base.current
        if (stored === null) return
        let b: ProbeBase
        try {
          b = typeof stored === 'function' ? await stored() : stored
        } catch (e) {
          const stream = newStream(forkKey, requestId)
          setStreams((list) => [...list, failed(stream, e instanceof Error ? e.message : String(e))])
          return
        }
        base.current = b
        const request = forkRequest(parent, index, alternativeId, b.params.maxNewTokens)
        const stream = newStream(forkKey, requestId, { prefixIds: request.prefixTokenIds, context: request.context, fork: request.fork })
        setStreams((list) => [...list, stream])
        await send(forkKey, requestId, b, request.prefixTokenIds, request.maxNewTokens)
      })()
    },
    [cellId, send],
  )

  const cancel = useCallback(() => {
    for (const s of streamsRef.current) {
      if (s.status === 'running') void transport.request('wb:generate.cancel', { requestId: s.requestId })
    }
  }, [transport])

  const close = useCallback(
    (key: string) => {
      const doomed = new Set([key])
      // Forks are listed after their parents, so one pass finds the whole subtree.
      for (const s of streamsRef.current) if (s.fork !== null && doomed.has(s.fork.parentKey)) doomed.add(s.key)
      for (const s of streamsRef.current) {
        if (!doomed.has(s.key)) continue
        if (s.status === 'running') void transport.request('wb:generate.cancel', { requestId: s.requestId })
        keyOf.current.delete(s.requestId)
      }
      setStreams((list) => list.filter((s) => !doomed.has(s.key)))
    },
    [transport],
  )

  const running = streams.some((s) => s.status === 'running')
  return useMemo(() => ({ streams, running, start, fork, adopt, cancel, close }), [streams, running, start, fork, adopt, cancel, close])
}
