// Caching of the built renderer by `sftbench serve`: content-hashed assets are kept for good (so the
// browser reuses them and their compiled code), the page is revalidated, and a matching
// If-None-Match is a 304 without a body.
import fs from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createBackend, type Backend } from '../../../electron/app/backend.ts'
import { startServer, type RunningServer } from '../../../electron/server/server.ts'
import { cachePolicy, entityTag, matchesEntityTag } from '../../../electron/server/static.ts'

let base: string
let backend: Backend
let server: RunningServer
let rendererDir: string

const IMMUTABLE = 'private, max-age=31536000, immutable'

beforeAll(async () => {
  base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'sftbench-static-')))
  rendererDir = path.join(base, 'renderer')
  fs.mkdirSync(path.join(base, 'ws'))
  fs.mkdirSync(path.join(rendererDir, 'assets'), { recursive: true })
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>sftbench</title>')
  fs.writeFileSync(path.join(rendererDir, 'assets', 'monaco-JXbQyyDQ.js'), 'export const monaco = 1')
  fs.writeFileSync(path.join(rendererDir, 'assets', 'plain.js'), 'export const plain = 1')
  backend = await createBackend({ workspace: path.join(base, 'ws'), log: () => {} })
  server = await startServer({ backend, rendererDir, port: 0, log: () => {} })
})
afterAll(async () => {
  await server.close()
  await backend.dispose()
  fs.rmSync(base, { recursive: true, force: true })
})

function get(pathname: string, headers: Record<string, string> = {}, method = 'GET'): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const auth = { authorization: `Bearer ${server.token}` }
    const req = http.request({ host: '127.0.0.1', port: server.port, path: pathname, method, headers: { ...auth, ...headers } }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => (body += chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

describe('cache policy', () => {
  it("keeps Vite's content-hashed assets for a year, immutable", () => {
    expect(cachePolicy('/assets/monaco-JXbQyyDQ.js')).toBe(IMMUTABLE)
    expect(cachePolicy('/assets/editor.worker-CRz__AKW.js')).toBe(IMMUTABLE)
    expect(cachePolicy('/assets/codicon-DF1abBS2.ttf')).toBe(IMMUTABLE)
  })

  it('revalidates the page and any file without a hash in its name', () => {
    expect(cachePolicy('/index.html')).toBe('no-cache')
    expect(cachePolicy('/assets/plain.js')).toBe('no-cache')
    expect(cachePolicy('/monaco-JXbQyyDQ.js')).toBe('no-cache')
    expect(cachePolicy('/assets/sub/monaco-JXbQyyDQ.js')).toBe('no-cache')
  })
})

describe('entity tags', () => {
  const tag = entityTag({ ino: 255, size: 4096, mtimeMs: 1_700_000_000_123.5 })

  it('are weak tags that change with the size and the modification time', () => {
    expect(tag).toMatch(/^W\/"[0-9a-f]+-[0-9a-f]+-[0-9a-f]+"$/)
    expect(entityTag({ ino: 255, size: 4097, mtimeMs: 1_700_000_000_123.5 })).not.toBe(tag)
    expect(entityTag({ ino: 255, size: 4096, mtimeMs: 1_700_000_001_123.5 })).not.toBe(tag)
  })

  it('match If-None-Match weakly, in a list, or as *', () => {
    expect(matchesEntityTag(tag, tag)).toBe(true)
    expect(matchesEntityTag(tag.slice(2), tag)).toBe(true)
    expect(matchesEntityTag(`"other", ${tag}`, tag)).toBe(true)
    expect(matchesEntityTag('*', tag)).toBe(true)
    expect(matchesEntityTag('"other"', tag)).toBe(false)
    expect(matchesEntityTag(undefined, tag)).toBe(false)
  })
})

describe('served files', () => {
  it('a hashed asset is immutable and carries an ETag; the page is no-cache with one', async () => {
    const asset = await get('/assets/monaco-JXbQyyDQ.js')
    expect(asset.status).toBe(200)
    expect(asset.headers['cache-control']).toBe(IMMUTABLE)
    expect(asset.headers.etag).toMatch(/^W\/"/)
    const page = await get('/')
    expect(page.status).toBe(200)
    expect(page.headers['cache-control']).toBe('no-cache')
    expect(page.headers.etag).toMatch(/^W\/"/)
  })

  it('answers 304 without a body to a matching If-None-Match, keeping the security headers', async () => {
    const first = await get('/')
    const again = await get('/', { 'if-none-match': String(first.headers.etag) })
    expect(again.status).toBe(304)
    expect(again.body).toBe('')
    expect(again.headers.etag).toBe(first.headers.etag)
    expect(again.headers['content-security-policy']).toContain("default-src 'none'")
    expect((await get('/', { 'if-none-match': '"stale"' })).status).toBe(200)
  })

  it('a changed file gets a new ETag, so the old one no longer matches', async () => {
    const file = path.join(rendererDir, 'assets', 'plain.js')
    const before = await get('/assets/plain.js')
    fs.writeFileSync(file, 'export const plain = 22')
    fs.utimesSync(file, new Date(), new Date(Date.now() + 5000))
    const after = await get('/assets/plain.js', { 'if-none-match': String(before.headers.etag) })
    expect(after.status).toBe(200)
    expect(after.body).toBe('export const plain = 22')
    expect(after.headers.etag).not.toBe(before.headers.etag)
  })

  it('HEAD gives the headers and no body', async () => {
    const head = await get('/assets/monaco-JXbQyyDQ.js', {}, 'HEAD')
    expect(head.status).toBe(200)
    expect(head.body).toBe('')
    expect(head.headers['content-length']).toBe(String('export const monaco = 1'.length))
  })
})
