/**
 * @module electron/main/app-protocol
 * The `sftbench://app/` scheme that serves the built renderer (`dist/renderer`) to the window.
 *
 * Why not `file://`: a page loaded from a file URL may read any other local file, has an opaque
 * origin that the IPC sender check cannot tell apart from other files, and does not reliably get
 * response headers such as the CSP. A privileged standard scheme gives the renderer one fixed
 * origin (`sftbench://app`), serves only files inside the renderer folder, and puts the CSP on
 * every response (the same approach as VS Code's `vscode-file://`).
 */
import { readFile, realpath } from 'node:fs/promises'
import path from 'node:path'
import { cachePolicy } from '../server/static.ts'
import { rendererCsp } from './csp.ts'

/** The scheme name, registered as privileged before the app is ready. */
export const APP_SCHEME = 'sftbench'
/** The one host the scheme serves. */
export const APP_HOST = 'app'
/** The renderer's origin, as `WebFrameMain.origin` reports it. */
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`
/** The page the window loads. */
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`

/**
 * The privileges the scheme needs, in the shape `protocol.registerSchemesAsPrivileged` takes:
 * `standard` for relative URLs and a real origin, `secure` so the page is a secure context,
 * `supportFetchAPI` so the page can fetch its own assets (workers, fonts).
 */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
} as const

/** Whether `url` is the app's page itself (any query or hash), the only place the window may go. */
export function isAppEntryUrl(url: string): boolean {
  const parsed = parseUrl(url)
  return parsed !== null && isAppOrigin(parsed) && (parsed.pathname === '/index.html' || parsed.pathname === '/')
}

/** Whether `url` is served by the app protocol (the page or one of its assets). */
export function isAppUrl(url: string): boolean {
  const parsed = parseUrl(url)
  return parsed !== null && isAppOrigin(parsed)
}

function parseUrl(url: string): URL | null {
  try {
    return new URL(url)
  } catch {
    return null
  }
}

function isAppOrigin(url: URL): boolean {
  return url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST && url.username === '' && url.password === ''
}

/**
 * The file under `rendererDir` that `url` names, or null when the URL is not the app's, cannot be
 * decoded, or would leave the folder (`..`, an encoded `%2e%2e%2f`, a backslash, a NUL byte). The
 * check is on the path as written; `createAppProtocolHandler` also checks it after symlinks.
 */
export function resolveAppAsset(rendererDir: string, url: string): string | null {
  const parsed = parseUrl(url)
  if (parsed === null || !isAppOrigin(parsed)) return null
  let pathname: string
  try {
    pathname = decodeURIComponent(parsed.pathname)
  } catch {
    return null
  }
  if (pathname.includes('\0') || pathname.includes('\\')) return null
  const relative = pathname === '/' ? 'index.html' : pathname.replace(/^\/+/, '')
  const root = path.resolve(rendererDir)
  const file = path.resolve(root, relative)
  return isInside(root, file) ? file : null
}

function isInside(root: string, file: string): boolean {
  const relative = path.relative(root, file)
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative)
}

const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
}

/** The Content-Type for a file name (module scripts are refused unless it is a JavaScript type). */
export function mimeTypeFor(file: string): string {
  return MIME_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream'
}

/** The file access the handler needs, injectable for tests. */
export interface AssetReader {
  readFile(file: string): Promise<Uint8Array>
  realpath(file: string): Promise<string>
}

const nodeAssetReader: AssetReader = { readFile, realpath }

/** Headers every response of the scheme carries. */
function baseHeaders(): Record<string, string> {
  return {
    'Content-Security-Policy': rendererCsp(),
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-cache',
  }
}

function textResponse(status: number, message: string): Response {
  return new Response(message, { status, headers: { ...baseHeaders(), 'Content-Type': 'text/plain; charset=utf-8' } })
}

/**
 * The handler for `protocol.handle(APP_SCHEME, …)`: serves files from `rendererDir` with their
 * type and the CSP header; 404 for a missing file or a path outside the folder (also after
 * resolving symlinks), 405 for anything but GET and HEAD.
 */
export function createAppProtocolHandler(
  rendererDir: string,
  reader: AssetReader = nodeAssetReader,
): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return textResponse(405, 'Method not allowed.')
    const file = resolveAppAsset(rendererDir, request.url)
    if (file === null) return textResponse(404, 'Not found.')
    let body: Uint8Array
    try {
      const [realRoot, realFile] = await Promise.all([reader.realpath(rendererDir), reader.realpath(file)])
      if (!isInside(realRoot, realFile)) return textResponse(404, 'Not found.')
      body = await reader.readFile(realFile)
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') return textResponse(404, 'Not found.')
      throw error
    }
    // Hashed assets never change under their name, so Chromium may keep them and their compiled code.
    const relative = `/${path.relative(path.resolve(rendererDir), file).split(path.sep).join('/')}`
    const headers = { ...baseHeaders(), 'Content-Type': mimeTypeFor(file), 'Cache-Control': cachePolicy(relative) }
    return new Response(request.method === 'HEAD' ? null : body, { status: 200, headers })
  }
}
