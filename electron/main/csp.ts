/**
 * @module electron/main/csp
 * The renderer's Content Security Policy, and how the desktop app applies it.
 *
 * The policy is delivered three ways, so that no single mechanism has to be trusted: as a header
 * on every response of the app protocol (`app-protocol.ts`), as a header added to any other
 * response in the window's session (`installCspHeader`), and as a `<meta>` tag in the renderer's
 * `index.html`. The renderer talks to the backend only through the preload bridge, so it needs no
 * network access at all.
 */
import type { Session } from 'electron'

/**
 * The directives, one entry each. Styles allow `'unsafe-inline'` because plotly and Monaco set
 * inline style attributes and inject `<style>` elements; scripts do not, and `eval` is refused.
 */
export const RENDERER_CSP_DIRECTIVES: Readonly<Record<string, string>> = {
  'default-src': "'none'",
  'script-src': "'self'",
  'style-src': "'self' 'unsafe-inline'",
  'img-src': "'self' data: blob:",
  'font-src': "'self' data:",
  'connect-src': "'self'",
  'worker-src': "'self' blob:",
  'manifest-src': "'self'",
  'object-src': "'none'",
  'frame-src': "'none'",
  'base-uri': "'none'",
  'form-action': "'none'",
  'frame-ancestors': "'none'",
}

/** The policy as one header value: `default-src 'none'; script-src 'self'; …`. */
export function rendererCsp(): string {
  return Object.entries(RENDERER_CSP_DIRECTIVES)
    .map(([name, value]) => `${name} ${value}`)
    .join('; ')
}

/** A response's headers, as `webRequest` hands them over: a name maps to its values. */
export type ResponseHeaders = Record<string, string[]>

/**
 * Returns `headers` with the renderer's policy as the only Content-Security-Policy. Any policy
 * the response already had is dropped whatever the case of its name, so a looser one cannot
 * survive next to ours.
 */
export function withCspHeader(headers: ResponseHeaders | undefined): ResponseHeaders {
  const result: ResponseHeaders = {}
  for (const [name, values] of Object.entries(headers ?? {})) {
    const lower = name.toLowerCase()
    if (lower === 'content-security-policy' || lower === 'content-security-policy-report-only') continue
    result[name] = values
  }
  result['Content-Security-Policy'] = [rendererCsp()]
  return result
}

/**
 * Adds the policy to every response the session receives. The app protocol sets the header
 * itself; this covers anything else the window might load despite the navigation guards.
 */
export function installCspHeader(session: Session): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: withCspHeader(details.responseHeaders) })
  })
}
