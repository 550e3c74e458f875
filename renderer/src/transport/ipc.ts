/**
 * The desktop transport: the preload's `window.workbench` bridge. The bridge checks channel names
 * against the contract itself; this wrapper only gives its calls the contract's types.
 */
import type {
  EventChannel,
  EventOf,
  RequestChannel,
  RequestOf,
  ResponseOf,
  Result,
  Transport,
  WorkbenchBridge,
} from '../../../core/contract/api.ts'

/** A transport over the preload's bridge. */
export function ipcTransport(bridge: WorkbenchBridge): Transport {
  return {
    async request<C extends RequestChannel>(channel: C, payload: RequestOf<C>): Promise<Result<ResponseOf<C>>> {
      try {
        return (await bridge.request(channel, payload)) as Result<ResponseOf<C>>
      } catch (e) {
        // Electron passes only the message of an error thrown in a handler; keep it for the user.
        return { ok: false, error: { code: 'internal', message: e instanceof Error ? e.message : String(e) } }
      }
    },
    subscribe<E extends EventChannel>(channel: E, listener: (payload: EventOf<E>) => void): () => void {
      return bridge.subscribe(channel, (payload) => listener(payload as EventOf<E>))
    },
  }
}

/** The preload's bridge when the page runs in the desktop app, else null. */
export function findBridge(scope: { readonly workbench?: unknown }): WorkbenchBridge | null {
  const candidate = scope.workbench as Partial<WorkbenchBridge> | undefined
  if (candidate && typeof candidate.request === 'function' && typeof candidate.subscribe === 'function') {
    return candidate as WorkbenchBridge
  }
  return null
}
