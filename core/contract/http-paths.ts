/**
 * Where `sftbench serve` answers, kept apart from the contract's schemas (api.ts re-exports them) so
 * that the web page, which needs only these names, does not build every channel's zod schema when
 * it starts.
 */

/**
 * HTTP: `POST ${API_PATH_PREFIX}<channel>` with `Content-Type: application/json` and the payload
 * (an empty body is `{}`) answers the Result as JSON: status 200 for every Result of a known
 * channel; 404 for an unknown channel and 400 for a body that is not JSON (both with a failed
 * Result); 403 (plain text) without the token; 405 for another method; 415 for another type.
 */
export const API_PATH_PREFIX = '/api/'
/** The WebSocket endpoint (events, and optionally requests). */
export const WS_PATH = '/api/ws'
/** The query parameter that carries the access token. */
export const TOKEN_QUERY = 'token'
/**
 * The HttpOnly, SameSite=Strict cookie the server sets once the token was presented, named
 * `${TOKEN_COOKIE}_<port>` (cookies ignore ports, so two servers on one host must not share one).
 */
export const TOKEN_COOKIE = 'sftbench_token'
