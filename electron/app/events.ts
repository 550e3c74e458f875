/**
 * @module electron/app/events
 * The backend's event hub: services publish contract events; each transport subscribes once and
 * forwards them (IPC to the window, WebSocket to connected browsers).
 */
import type { EventChannel, EventOf } from '../../core/contract/api.ts'

/** Receives every event of the backend. */
export type EventListener = (channel: EventChannel, payload: unknown) => void

/** Publish / subscribe over the contract's event channels. */
export class EventHub {
  private readonly listeners = new Set<EventListener>()

  /**
   * @param report Receives the error of a listener that throws. A broken transport must not stop a
   *   sweep or a generation, so the error is reported here instead of thrown into the service.
   */
  constructor(private readonly report: (message: string) => void) {}

  /** Sends `payload` to every listener; a listener that throws is reported and the others still run. */
  emit<E extends EventChannel>(channel: E, payload: EventOf<E>): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(channel, payload)
      } catch (error) {
        this.report(`An event listener failed on ${channel}: ${error instanceof Error ? error.message : String(error)}`)
      }
    }
  }

  /** Adds a listener; returns the function that removes it. */
  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener)
    return () => {
      this.listeners.delete(listener)
    }
  }

  get size(): number {
    return this.listeners.size
  }
}
