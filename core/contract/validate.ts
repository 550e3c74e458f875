/**
 * @module core/contract/validate
 * Checks a request against the contract before any handler sees it: the channel must be one of the
 * contract's, and the payload must match the channel's schema. The `invalid-request` message names
 * every bad field (`payload.dir: …`), so the UI can show it as is.
 */
import { fieldPath } from '../experiment/schema.ts'
import { API, fail, isRequestChannel, ok, type RequestChannel, type Result, type ValidRequestOf } from './api.ts'

/** The payload of `channel` validated (defaults filled in), or an `invalid-request` result. */
export function validateRequest<C extends RequestChannel>(channel: C, payload: unknown): Result<ValidRequestOf<C>>
export function validateRequest(channel: unknown, payload: unknown): Result<unknown>
export function validateRequest(channel: unknown, payload: unknown): Result<unknown> {
  if (!isRequestChannel(channel)) {
    const name = typeof channel === 'string' ? `"${channel}"` : `a ${typeof channel}`
    return fail('invalid-request', `Unknown channel ${name}; the channels are listed in core/contract/api.ts.`)
  }
  // A request without a body means an empty payload.
  const parsed = API[channel].request.safeParse(payload === undefined ? {} : payload)
  if (parsed.success) return ok(parsed.data)
  const lines = parsed.error.issues.map((issue) => `${fieldPath('payload', issue.path)}: ${issue.message}`)
  return fail('invalid-request', `Invalid request for ${channel}: ${lines.join('; ')}`)
}
