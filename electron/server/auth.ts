/**
 * @module electron/server/auth
 * Access control of `sftbench serve`: a random 128-bit token, printed in the URL. A request is let
 * in when it carries the token as `?token=`, as `Authorization: Bearer`, or in the HttpOnly
 * SameSite=Strict cookie the server sets once the token was presented. Tokens are compared in
 * constant time (through fixed-length digests, so neither content nor length leaks through timing).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { TOKEN_COOKIE, TOKEN_QUERY } from '../../core/contract/api.ts'

/** A fresh token: 16 random bytes, base64url (22 characters). */
export function newToken(): string {
  return randomBytes(16).toString('base64url')
}

/** True when `presented` equals `expected`, in time independent of where they differ. */
export function tokensEqual(presented: string, expected: string): boolean {
  const a = createHash('sha256').update(presented, 'utf8').digest()
  const b = createHash('sha256').update(expected, 'utf8').digest()
  return timingSafeEqual(a, b)
}

/**
 * The cookie's name for a server on `port`. Cookies ignore ports, so two servers on one host would
 * otherwise overwrite each other's cookie.
 */
export function cookieName(port: number): string {
  return `${TOKEN_COOKIE}_${port}`
}

/** The `Set-Cookie` value that remembers the token for this server (HttpOnly, SameSite=Strict). */
export function tokenCookie(port: number, token: string): string {
  return `${cookieName(port)}=${token}; Path=/; HttpOnly; SameSite=Strict`
}

function cookieValue(header: string | undefined, name: string): string | null {
  if (header === undefined) return null
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq < 0) continue
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim()
  }
  return null
}

/** How a request proved it has the token. */
export type Credential = 'query' | 'header' | 'cookie'

/** The credential that matches `token`, or null when the request has none that does. */
export function authenticate(request: IncomingMessage, url: URL, token: string, port: number): Credential | null {
  const query = url.searchParams.get(TOKEN_QUERY)
  if (query !== null && tokensEqual(query, token)) return 'query'
  const header = request.headers.authorization
  if (header !== undefined && /^Bearer /i.test(header) && tokensEqual(header.slice(7).trim(), token)) return 'header'
  const cookie = cookieValue(request.headers.cookie, cookieName(port))
  if (cookie !== null && tokensEqual(cookie, token)) return 'cookie'
  return null
}
