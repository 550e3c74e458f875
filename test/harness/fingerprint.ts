/**
 * @module test/harness/fingerprint
 * The short fingerprints of `test/golden/paper/reference-fingerprints.json` (its README says how
 * they were made from the reference's own output).
 */
import { createHash } from 'node:crypto'

/** The first 8 hex digits of the SHA-256 of `line` in UTF-8. */
export function fingerprint(line: string): string {
  return createHash('sha256').update(line, 'utf8').digest('hex').slice(0, 8)
}
