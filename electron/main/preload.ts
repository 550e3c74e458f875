/**
 * @module electron/main/preload
 * The preload: a thin, allow-listed pipe between the sandboxed page and the main process. It
 * exposes exactly one object, `window.workbench = { request, subscribe }` (`WorkbenchBridge` in
 * the contract), and nothing else: no file system, no `require`, no `ipcRenderer`, no logic
 * beyond refusing channels the contract does not list. The main process checks everything again
 * (sender, channel, payload), so this is the first of two gates, not the only one.
 *
 * It runs in a sandboxed renderer, where `require` knows only `electron` and a few polyfills, so
 * `build.ts` bundles it into one CommonJS file.
 */
import { contextBridge, ipcRenderer } from 'electron'
import type { IpcRendererEvent } from 'electron'
import { fail, isEventChannel, isRequestChannel } from '../../core/contract/api.ts'
import type { Result, WorkbenchBridge } from '../../core/contract/api.ts'

//#region Bridge

function describe(channel: unknown): string {
  return typeof channel === 'string' ? JSON.stringify(channel) : `A non-string channel (${typeof channel})`
}

/**
 * The bridge. Do not add getters, setters or mutable properties: `contextBridge` copies values
 * once, so they would not behave as they seem to from the page.
 */
const workbenchBridge: WorkbenchBridge = {
  request(channel: unknown, payload: unknown): Promise<Result<unknown>> {
    if (!isRequestChannel(channel)) {
      return Promise.resolve(fail('invalid-request', `${describe(channel)} is not a request channel of the contract.`))
    }
    // The main process answers a Result and never throws; a rejection means the IPC itself failed
    // (for example the main process is shutting down), which the page still gets as a Result.
    return (ipcRenderer.invoke(channel, payload) as Promise<Result<unknown>>).catch((error: unknown) =>
      fail('internal', `The request ${channel} did not reach the app: ${error instanceof Error ? error.message : String(error)}`),
    )
  },

  subscribe(channel: unknown, listener: (payload: unknown) => void): () => void {
    if (!isEventChannel(channel)) throw new Error(`${describe(channel)} is not an event channel of the contract.`)
    if (typeof listener !== 'function') throw new Error(`subscribe(${channel}, listener) needs a function as listener.`)
    // The IPC event object is never handed to the page: it carries the sender and ports.
    const forward = (_event: IpcRendererEvent, payload: unknown): void => listener(payload)
    ipcRenderer.on(channel, forward)
    return () => {
      ipcRenderer.removeListener(channel, forward)
    }
  },
}

//#endregion

//#region Expose

contextBridge.exposeInMainWorld('workbench', workbenchBridge)

//#endregion
