/**
 * Picks the transport for where the page runs: the preload's bridge in the desktop app, otherwise
 * HTTP + WebSocket to the server that delivered the page.
 */
import type { Transport } from '../../../core/contract/api.ts'
import { httpTransport, takeToken, type HttpTransport } from './http.ts'
import { findBridge, ipcTransport } from './ipc.ts'

/** The transport, and the HTTP one when in browser mode (it has a connection state to show). */
export interface ChosenTransport {
  readonly transport: Transport
  readonly http: HttpTransport | null
}

/** Chooses the transport once at start-up. */
export function chooseTransport(win: Window & { readonly workbench?: unknown }): ChosenTransport {
  const bridge = findBridge(win)
  if (bridge) return { transport: ipcTransport(bridge), http: null }
  const { token, clean } = takeToken(win.location.href)
  if (token !== null) win.history.replaceState(win.history.state, '', clean)
  const http = httpTransport({ origin: win.location.origin, token })
  return { transport: http, http }
}
