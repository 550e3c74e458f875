/**
 * @module electron/main/ipc
 * The desktop transport's main side: one `ipcMain.handle` per request channel of the contract,
 * each going through one wrapper that refuses, before the backend sees anything,
 *
 * - a channel the contract does not list (`invalid-request`);
 * - a foreign sender (`forbidden`): a webContents other than our window's, a subframe, or a frame
 *   whose origin is not the app's (`sftbench://app`);
 * - a payload that fails the channel's schema (`invalid-request`, naming the field).
 *
 * Every answer is a `Result`: an exception thrown across IPC would reach the page with only its
 * message, so the wrapper never throws. Backend events go to the window with `webContents.send`.
 */
import { ipcMain } from 'electron'
import type { IpcMainInvokeEvent, WebContents } from 'electron'
import { EVENT_CHANNELS, REQUEST_CHANNELS, fail, isRequestChannel } from '../../core/contract/api.ts'
import type { EventChannel, RequestChannel, Result } from '../../core/contract/api.ts'
import { validateRequest } from '../../core/contract/validate.ts'
import { APP_ORIGIN } from './app-protocol.ts'

/** Answers a validated request (the backend's `handle`, bound to the desktop's context). */
export type RequestHandler = (channel: RequestChannel, payload: unknown) => Promise<Result<unknown>>

/** Starts forwarding backend events to `listener`; returns the function that stops it. */
export type EventSource = (listener: (channel: EventChannel, payload: unknown) => void) => () => void

/** What `registerIpc` wires together. */
export interface IpcOptions {
  /** The window's contents: the only sender accepted, and where events go. */
  readonly contents: WebContents
  readonly handle: RequestHandler
  readonly events: EventSource
  /** Where unexpected failures are logged (the page gets them as `internal` results). */
  readonly log?: (message: string) => void
}

/**
 * Why a request's sender is refused, or null when it is the main frame of `contents` showing the
 * app's page. Frames are compared by process and routing id, since Electron may hand out distinct
 * `WebFrameMain` objects for the same frame.
 */
export function senderRefusal(event: IpcMainInvokeEvent, contents: WebContents): string | null {
  if (event.sender !== contents && event.sender?.id !== contents.id) return 'it came from another window'
  const frame = event.senderFrame
  if (frame === null || frame === undefined) return 'the sending frame no longer exists'
  const main = contents.mainFrame
  if (frame.parent !== null || frame.processId !== main.processId || frame.routingId !== main.routingId) {
    return 'it came from a subframe, not the main frame'
  }
  if (frame.origin !== APP_ORIGIN) return `it came from origin ${JSON.stringify(frame.origin)}, not ${APP_ORIGIN}`
  return null
}

/**
 * Checks and answers one request: channel, then sender, then payload, then the backend. Never
 * throws; a failure of the backend itself becomes an `internal` result and is logged.
 */
export async function handleIpcRequest(
  channel: unknown,
  event: IpcMainInvokeEvent,
  payload: unknown,
  options: IpcOptions,
): Promise<Result<unknown>> {
  if (!isRequestChannel(channel)) return validateRequest(channel, payload)
  const refusal = senderRefusal(event, options.contents)
  if (refusal !== null) return fail('forbidden', `Refused ${channel}: ${refusal}.`)
  const valid = validateRequest(channel, payload)
  if (!valid.ok) return valid
  try {
    return await options.handle(channel, payload)
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    ;(options.log ?? console.error)(`${channel} failed: ${error instanceof Error && error.stack ? error.stack : message}`)
    return fail('internal', `${channel} failed: ${message}`)
  }
}

/**
 * Registers a handler for every request channel and forwards every backend event to the window.
 * Returns the function that removes the handlers and stops forwarding (call it when the window
 * closes). Events for a window already destroyed are dropped.
 */
export function registerIpc(options: IpcOptions): () => void {
  for (const channel of REQUEST_CHANNELS) {
    ipcMain.handle(channel, (event, payload: unknown) => handleIpcRequest(channel, event, payload, options))
  }
  const eventChannels = new Set<string>(EVENT_CHANNELS)
  const stopEvents = options.events((channel, payload) => {
    if (!eventChannels.has(channel) || options.contents.isDestroyed()) return
    options.contents.send(channel, payload)
  })
  return () => {
    stopEvents()
    for (const channel of REQUEST_CHANNELS) ipcMain.removeHandler(channel)
  }
}
