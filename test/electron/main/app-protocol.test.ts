// The `sftbench://app/` scheme: serves files of the renderer folder with their type and the CSP,
// and nothing outside it (traversal written plainly or encoded, symlinks, other hosts).
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  APP_ENTRY_URL,
  APP_ORIGIN,
  createAppProtocolHandler,
  isAppEntryUrl,
  resolveAppAsset,
} from '../../../electron/main/app-protocol.ts'
import { rendererCsp } from '../../../electron/main/csp.ts'

let root: string
let rendererDir: string
let serve: (request: Request) => Promise<Response>

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'sftbench-app-protocol-'))
  rendererDir = path.join(root, 'renderer')
  await mkdir(path.join(rendererDir, 'assets'), { recursive: true })
  await writeFile(path.join(rendererDir, 'index.html'), '<!doctype html><title>app</title>')
  await writeFile(path.join(rendererDir, 'assets', 'main-abc.js'), 'console.log(1)')
  await writeFile(path.join(rendererDir, 'assets', 'monaco-JXbQyyDQ.js'), 'console.log(2)')
  await writeFile(path.join(rendererDir, 'assets', 'style.css'), 'body{}')
  await writeFile(path.join(root, 'secret.txt'), 'do not serve')
  await symlink(path.join(root, 'secret.txt'), path.join(rendererDir, 'assets', 'link.txt'))
  serve = createAppProtocolHandler(rendererDir)
})
afterAll(async () => {
  await rm(root, { recursive: true, force: true })
})

async function get(url: string, method = 'GET'): Promise<{ status: number; type: string | null; csp: string | null; body: string }> {
  const response = await serve(new Request(url, { method }))
  return {
    status: response.status,
    type: response.headers.get('content-type'),
    csp: response.headers.get('content-security-policy'),
    body: await response.text(),
  }
}

describe('app protocol handler', () => {
  it('serves the entry page as HTML with the CSP header', async () => {
    const page = await get(APP_ENTRY_URL)
    expect(page).toEqual({
      status: 200,
      type: 'text/html; charset=utf-8',
      csp: rendererCsp(),
      body: '<!doctype html><title>app</title>',
    })
    expect((await get(`${APP_ORIGIN}/`)).body).toBe(page.body)
  })

  it('serves scripts with a JavaScript type (module scripts need it) and styles as CSS', async () => {
    expect(await get(`${APP_ORIGIN}/assets/main-abc.js`)).toMatchObject({ status: 200, type: 'text/javascript; charset=utf-8' })
    expect(await get(`${APP_ORIGIN}/assets/style.css?v=2`)).toMatchObject({ status: 200, type: 'text/css; charset=utf-8' })
  })

  it.each([
    'sftbench://app/../secret.txt',
    'sftbench://app/assets/../../secret.txt',
    'sftbench://app/%2e%2e/secret.txt',
    'sftbench://app/..%2fsecret.txt',
    'sftbench://app/assets%2f..%2f..%2fsecret.txt',
    'sftbench://app/..%5csecret.txt',
    'sftbench://app/index.html%00.js',
    'sftbench://app/%E0%A4%A',
  ])('does not serve %s', async (url) => {
    const response = await get(url)
    expect(response.status).toBe(404)
    expect(response.body).not.toContain('do not serve')
  })

  it('lets Chromium keep hashed assets for good and revalidates the page and unhashed files', async () => {
    const policy = async (url: string) => (await serve(new Request(url))).headers.get('cache-control')
    expect(await policy(`${APP_ORIGIN}/assets/monaco-JXbQyyDQ.js`)).toBe('private, max-age=31536000, immutable')
    expect(await policy(`${APP_ORIGIN}/index.html`)).toBe('no-cache')
    expect(await policy(`${APP_ORIGIN}/`)).toBe('no-cache')
    expect(await policy(`${APP_ORIGIN}/assets/main-abc.js`)).toBe('no-cache')
  })

  it('does not follow a symlink that points outside the folder', async () => {
    expect((await get(`${APP_ORIGIN}/assets/link.txt`)).status).toBe(404)
  })

  it('answers 404 for a missing file or a folder, and for another host of the scheme', async () => {
    expect((await get(`${APP_ORIGIN}/nope.js`)).status).toBe(404)
    expect((await get(`${APP_ORIGIN}/assets`)).status).toBe(404)
    expect((await get('sftbench://evil/index.html')).status).toBe(404)
  })

  it('refuses methods other than GET and HEAD; HEAD has no body', async () => {
    expect((await get(APP_ENTRY_URL, 'POST')).status).toBe(405)
    expect(await get(APP_ENTRY_URL, 'HEAD')).toMatchObject({ status: 200, body: '' })
  })

  it('puts the CSP on error responses too', async () => {
    expect((await get(`${APP_ORIGIN}/nope.js`)).csp).toBe(rendererCsp())
  })
})

describe('resolveAppAsset and isAppEntryUrl', () => {
  it('maps app URLs to files in the folder, and others to null', () => {
    expect(resolveAppAsset('/r', 'sftbench://app/assets/a.js')).toBe(path.resolve('/r/assets/a.js'))
    expect(resolveAppAsset('/r', 'sftbench://app/')).toBe(path.resolve('/r/index.html'))
    expect(resolveAppAsset('/r', 'file:///r/index.html')).toBeNull()
    expect(resolveAppAsset('/r', 'sftbench://user:pw@app/index.html')).toBeNull()
  })

  it("recognises the app's page only", () => {
    expect(isAppEntryUrl('sftbench://app/index.html#x')).toBe(true)
    expect(isAppEntryUrl('sftbench://app/assets/main.js')).toBe(false)
    expect(isAppEntryUrl('sftbench://apps/index.html')).toBe(false)
    expect(isAppEntryUrl('https://app/index.html')).toBe(false)
  })
})
