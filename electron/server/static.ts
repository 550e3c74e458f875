/**
 * @module electron/server/static
 * Serves the built renderer (`dist/renderer`) with a strict Content Security Policy and the other
 * security headers. When the renderer was not built, every page is a 503 that says how to build it.
 */
import fs from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import path from 'node:path'
import { RENDERER_CSP_DIRECTIVES } from '../main/csp.ts'

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
}

/**
 * The page's policy: the renderer's own (the desktop app uses the same directives), with the
 * WebSocket of this server allowed explicitly, since not every browser counts `ws:` as `'self'`.
 */
export function serverCsp(hostHeader: string | undefined): string {
  const host = hostHeader !== undefined && /^[A-Za-z0-9.:[\]-]+$/.test(hostHeader) ? hostHeader : null
  const directives: Record<string, string> = { ...RENDERER_CSP_DIRECTIVES }
  directives['connect-src'] = host === null ? "'self'" : `'self' ws://${host} wss://${host}`
  return Object.entries(directives)
    .map(([name, value]) => `${name} ${value}`)
    .join('; ')
}

/** Headers every response carries. The token travels in the page URL, so no Referer may leak it. */
export function securityHeaders(request: IncomingMessage): Record<string, string> {
  return {
    'content-security-policy': serverCsp(request.headers.host),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
  }
}

/** The page shown when `dist/renderer` has no build. */
export function notBuiltPage(rendererDir: string): string {
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8"><title>sftbench: the app is not built</title></head>',
    '<body style="font-family: sans-serif; max-width: 40em; margin: 3em auto; line-height: 1.5">',
    '<h1>The app is not built yet</h1>',
    `<p>sftbench serve found no web app in <code>${escapeHtml(rendererDir)}</code>.</p>`,
    '<p>Build it from the sftbench folder with <code>npm run build:web</code>, then reload this page.',
    'The server itself is running: its API answers at <code>/api/</code>.</p>',
    '</body></html>',
    '',
  ].join('\n')
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

function send(response: ServerResponse, status: number, headers: Record<string, string>, body: string | Buffer, head: boolean): void {
  response.writeHead(status, { ...headers, 'content-length': String(Buffer.byteLength(body)) })
  response.end(head ? undefined : body)
}

/**
 * Answers a GET or HEAD for a file of `rendererDir` (`/` is `index.html`). Paths are decoded and
 * must stay inside the folder after symlinks; anything else is 404.
 */
export async function serveStatic(
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  rendererDir: string,
  headers: Record<string, string>,
): Promise<void> {
  const head = request.method === 'HEAD'
  if (request.method !== 'GET' && !head) {
    send(response, 405, { ...headers, allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }, 'Method not allowed.\n', head)
    return
  }
  let root: string
  try {
    root = await fs.realpath(rendererDir)
    await fs.access(path.join(root, 'index.html'))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
    send(response, 503, { ...headers, 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }, notBuiltPage(rendererDir), head)
    return
  }
  let relative: string
  try {
    relative = decodeURIComponent(url.pathname)
  } catch {
    send(response, 400, { ...headers, 'content-type': 'text/plain; charset=utf-8' }, 'Bad path encoding.\n', head)
    return
  }
  if (relative.endsWith('/')) relative += 'index.html'
  const notFound = (): void => send(response, 404, { ...headers, 'content-type': 'text/plain; charset=utf-8' }, 'Not found.\n', head)
  if (relative.includes('\0')) return notFound()
  const candidate = path.resolve(root, `.${relative}`)
  let real: string
  try {
    real = await fs.realpath(candidate)
  } catch (error) {
    if (['ENOENT', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? '')) return notFound()
    throw error
  }
  const inside = path.relative(root, real)
  if (inside.startsWith('..') || path.isAbsolute(inside)) return notFound()
  const stat = await fs.stat(real)
  if (!stat.isFile()) return notFound()
  const type = TYPES[path.extname(real).toLowerCase()] ?? 'application/octet-stream'
  const etag = entityTag(stat)
  const fileHeaders = { ...headers, 'content-type': type, 'cache-control': cachePolicy(relative), etag }
  if (matchesEntityTag(request.headers['if-none-match'], etag)) {
    response.writeHead(304, fileHeaders)
    response.end()
    return
  }
  send(response, 200, fileHeaders, await fs.readFile(real), head)
}

/**
 * Vite names every built asset `assets/<name>-<hash>.<ext>`: new content gets a new name, so the
 * browser may keep such a file for good and reuse its compiled code (V8's code cache lives beside the
 * HTTP cache entry). The page itself (index.html) has a fixed name: it is always revalidated, and
 * its ETag makes that a 304 when it has not changed. `private`, because responses need the token.
 */
export function cachePolicy(pathname: string): string {
  return HASHED_ASSET.test(pathname) ? 'private, max-age=31536000, immutable' : 'no-cache'
}

const HASHED_ASSET = /^\/assets\/[^/]+-[A-Za-z0-9_-]{8,}\.[a-z0-9]+$/

/** A weak validator from the file's identity, size and modification time (no need to read it). */
export function entityTag(stat: { readonly ino: number; readonly size: number; readonly mtimeMs: number }): string {
  return `W/"${stat.ino.toString(16)}-${stat.size.toString(16)}-${Math.floor(stat.mtimeMs).toString(16)}"`
}

/** Whether an If-None-Match header names this tag (weak comparison, as RFC 9110 §13.1.2 asks for GET). */
export function matchesEntityTag(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false
  if (header.trim() === '*') return true
  const opaque = (tag: string): string => tag.trim().replace(/^W\//, '')
  return header.split(',').some((tag) => opaque(tag) === opaque(etag))
}
