// The renderer's Content Security Policy: what it must forbid, and that the session hook puts it
// on every response, replacing any looser policy the response carried.
import { describe, expect, it, vi } from 'vitest'
import { installCspHeader, rendererCsp, withCspHeader } from '../../../electron/main/csp.ts'
import type { ResponseHeaders } from '../../../electron/main/csp.ts'

vi.mock('electron', () => ({}))

/** The policy parsed back into directive -> sources. */
function directives(policy: string): Map<string, string[]> {
  const map = new Map<string, string[]>()
  for (const part of policy.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/)
    if (name) map.set(name, sources)
  }
  return map
}

describe('rendererCsp', () => {
  const policy = directives(rendererCsp())

  it("falls back to 'none' and names each kind of content it allows", () => {
    expect(policy.get('default-src')).toEqual(["'none'"])
    for (const name of ['script-src', 'style-src', 'img-src', 'connect-src', 'object-src', 'base-uri', 'frame-ancestors']) {
      expect(policy.has(name), name).toBe(true)
    }
  })

  it('runs only scripts of the app itself: no inline script, no eval, no other origin', () => {
    expect(policy.get('script-src')).toEqual(["'self'"])
  })

  it('allows no plugins, frames, <base> rewriting, form posts or embedding', () => {
    for (const name of ['object-src', 'frame-src', 'base-uri', 'form-action', 'frame-ancestors']) {
      expect(policy.get(name), name).toEqual(["'none'"])
    }
  })

  it('names no wildcard and no network scheme anywhere', () => {
    for (const [name, sources] of policy) {
      for (const source of sources) {
        expect(source, name).not.toMatch(/^\*|^(https?|wss?|file):/)
        expect(source, name).not.toBe("'unsafe-eval'")
      }
    }
  })
})

describe('withCspHeader', () => {
  it('adds the policy and keeps the other headers', () => {
    const headers = withCspHeader({ 'Content-Type': ['text/html'] })
    expect(headers['Content-Type']).toEqual(['text/html'])
    expect(headers['Content-Security-Policy']).toEqual([rendererCsp()])
  })

  it('drops a looser policy the response had, whatever the case of its name', () => {
    const loose: ResponseHeaders = {
      'content-security-policy': ["default-src *; script-src * 'unsafe-eval'"],
      'CONTENT-SECURITY-POLICY-REPORT-ONLY': ['default-src *'],
    }
    const headers = withCspHeader(loose)
    const policies = Object.entries(headers).filter(([name]) => name.toLowerCase().startsWith('content-security-policy'))
    expect(policies).toEqual([['Content-Security-Policy', [rendererCsp()]]])
  })
})

describe('installCspHeader', () => {
  it("answers every response of the session with the renderer's policy", () => {
    let listener: ((details: { responseHeaders?: ResponseHeaders }, callback: (r: unknown) => void) => void) | null = null
    const session = {
      webRequest: {
        onHeadersReceived: (fn: typeof listener) => {
          listener = fn
        },
      },
    }
    installCspHeader(session as never)
    expect(listener).not.toBeNull()
    const callback = vi.fn()
    listener!({ responseHeaders: { 'content-security-policy': ['default-src *'], 'X-Other': ['1'] } }, callback)
    expect(callback).toHaveBeenCalledWith({
      responseHeaders: { 'X-Other': ['1'], 'Content-Security-Policy': [rendererCsp()] },
    })
    listener!({}, callback)
    expect(callback).toHaveBeenLastCalledWith({ responseHeaders: { 'Content-Security-Policy': [rendererCsp()] } })
  })
})
