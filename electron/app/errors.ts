/**
 * @module electron/app/errors
 * How services report a failure the UI should see: they throw an `ApiFailure` with a contract error
 * code, and the backend turns it (and any other error) into a failed `Result`, so nothing thrown
 * crosses a transport.
 */
import { fail, type ApiError, type ErrorCode } from '../../core/contract/api.ts'
import { SpecError } from '../../core/experiment/schema.ts'

/** A failure with a contract error code; its message is shown to the user as is. */
export class ApiFailure extends Error {
  override name = 'ApiFailure'
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message)
  }
}

/**
 * The failed result for `error`: an `ApiFailure` keeps its code, a `SpecError` (a bad experiment
 * definition) is `invalid-request`, an aborted operation is `cancelled`, and anything else is
 * `internal` with the error's message.
 */
export function failureOf(error: unknown): { readonly ok: false; readonly error: ApiError } {
  if (error instanceof ApiFailure) return fail(error.code, error.message)
  if (error instanceof SpecError) return fail('invalid-request', error.message)
  if (error instanceof Error && error.name === 'AbortError') return fail('cancelled', error.message)
  if (error instanceof Error) return fail('internal', error.message)
  return fail('internal', `Unexpected failure: ${String(error)}`)
}
