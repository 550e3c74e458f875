/**
 * @module electron/runtime/protocol
 * The messages between `WorkerModelClient` (main thread) and the model worker. Everything is plain
 * data (structured clone); errors travel as their name, message and the fields needed to rebuild
 * `ModelFolderError` and `ProviderUnavailableError` on the other side.
 */
import type { GenerateEvent, GeneratePrompt, GenerateRequest, ScoreRequest } from '../../core/model/client.ts'
import type { LoadOptions } from './engine.ts'
import { ModelFolderError, type FolderIssue } from './issues.ts'
import { ProviderUnavailableError, type ProviderName } from './providers.ts'

/** The `workerData` flag the client sets, so importing the worker module elsewhere starts nothing. */
export const WORKER_FLAG = 'sftbenchModelWorker'

/** Main thread -> worker. `call` numbers a request whose answer is awaited. */
export type ToWorker =
  | { readonly op: 'load'; readonly call: number; readonly options: LoadOptions }
  | { readonly op: 'info'; readonly call: number }
  | { readonly op: 'generate'; readonly call: number; readonly requests: readonly GenerateRequest[]; readonly batch: boolean }
  | { readonly op: 'score'; readonly call: number; readonly request: ScoreRequest }
  | { readonly op: 'tokenize'; readonly call: number; readonly prompt: GeneratePrompt }
  | { readonly op: 'stats'; readonly call: number }
  | { readonly op: 'cancel'; readonly id?: string }
  | { readonly op: 'dispose'; readonly call: number }

/** Worker -> main thread. */
export type FromWorker =
  | { readonly op: 'result'; readonly call: number; readonly value: unknown }
  | { readonly op: 'error'; readonly call: number; readonly error: WireError }
  | { readonly op: 'event'; readonly call: number; readonly event: GenerateEvent }

/** An error as it crosses the thread boundary. */
export interface WireError {
  readonly name: string
  readonly message: string
  readonly stack?: string
  readonly dir?: string
  readonly issues?: readonly FolderIssue[]
  readonly provider?: ProviderName
}

/** Flattens an error for posting. */
export function toWire(error: unknown): WireError {
  if (error instanceof ModelFolderError) {
    return { name: error.name, message: error.message, dir: error.dir, issues: error.issues }
  }
  if (error instanceof ProviderUnavailableError) {
    return { name: error.name, message: error.message, provider: error.provider }
  }
  if (error instanceof Error) return { name: error.name, message: error.message, stack: error.stack }
  return { name: 'Error', message: String(error) }
}

/** Rebuilds a posted error, keeping its class for the two runtime errors callers handle. */
export function fromWire(wire: WireError): Error {
  if (wire.name === 'ModelFolderError' && wire.dir !== undefined && wire.issues) {
    return new ModelFolderError(wire.dir, wire.issues)
  }
  if (wire.name === 'ProviderUnavailableError' && wire.provider) {
    return new ProviderUnavailableError(wire.provider, wire.message)
  }
  const error = new Error(wire.message)
  error.name = wire.name
  if (wire.stack) error.stack = wire.stack
  return error
}
