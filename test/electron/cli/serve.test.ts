// `sftbench serve`: the first stdout line is the URL (with the real port when --port 0), the server
// starts with or without a model, warns on a non-loopback host, refuses bad command lines, and stops
// cleanly on SIGTERM as a real process.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { main } from '../../../electron/cli/main.ts'
import { captureIo } from '../../../electron/cli/io.ts'
import { serve, serveSettings, type ServeSettings } from '../../../electron/cli/commands/serve.ts'
import { repoPath } from '../../harness/repo.ts'

const temps: string[] = []
afterAll(() => temps.forEach((d) => fs.rmSync(d, { recursive: true, force: true })))
function tempDir(): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'sftbench-serve-')))
  temps.push(dir)
  return dir
}

const URL_LINE = /^sftbench serving at (http:\/\/127\.0\.0\.1:(\d+))\/\?token=([A-Za-z0-9_-]{22})\n/

/** Runs `serve` in-process until the returned `stop` is called. */
function serveInProcess(settings: ServeSettings) {
  const io = captureIo(tempDir())
  let stop = (_signal: string): void => {}
  const stopped = new Promise<string>((resolve) => (stop = resolve))
  const exit = serve(settings, io, stopped)
  return { io, exit, stop: () => stop('SIGTERM') }
}

async function waitForUrl(io: { out: string }): Promise<{ origin: string; port: number; token: string }> {
  await expect.poll(() => URL_LINE.test(io.out), { timeout: 15_000 }).toBe(true)
  const [, origin, port, token] = URL_LINE.exec(io.out) as RegExpExecArray
  return { origin, port: Number(port), token }
}

async function api(origin: string, token: string, channel: string, payload: unknown = {}): Promise<{ ok: boolean; value?: unknown; error?: { code: string; message: string } }> {
  const response = await fetch(`${origin}/api/${channel}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(payload),
  })
  return (await response.json()) as { ok: boolean }
}

function settings(overrides: Partial<ServeSettings>): ServeSettings {
  return { port: 0, host: '127.0.0.1', workspace: tempDir(), model: null, rendererDir: path.join(tempDir(), 'none'), ...overrides }
}

describe('sftbench serve', () => {
  it('prints the URL with the real port first, and serves without a model', async () => {
    const run = serveInProcess(settings({}))
    const { origin, port, token } = await waitForUrl(run.io)
    expect(port).toBeGreaterThan(0)
    expect(run.io.out.split('\n')[0]).toBe(`sftbench serving at ${origin}/?token=${token}`)
    expect(await api(origin, token, 'wb:models.status')).toMatchObject({ ok: true, value: { state: 'none' } })
    expect((await fetch(`${origin}/`)).status).toBe(403)
    // A web folder other than dist/renderer (--web DIR) without a build is named as such.
    expect(run.io.err).toMatch(/none has no index\.html: --web must name a built web app \(the output of "npm run build:web"\)/)
    run.stop()
    expect(await run.exit).toBe(0)
    expect(run.io.err).toContain('SIGTERM: stopping the server.')
    await expect(fetch(`${origin}/`)).rejects.toThrow()
  })

  it('a model that cannot load becomes a status; the server still starts', async () => {
    const run = serveInProcess(settings({ model: path.join(tempDir(), 'missing-model') }))
    const { origin, token } = await waitForUrl(run.io)
    await expect.poll(async () => ((await api(origin, token, 'wb:models.status')).value as { state: string }).state).toBe('failed')
    expect(run.io.err).toMatch(/model: .*missing-model did not load/)
    run.stop()
    expect(await run.exit).toBe(0)
  })

  it('loads the default model in the background', async () => {
    const run = serveInProcess(settings({ model: repoPath('test/fixtures/tiny-llama') }))
    const { origin, token } = await waitForUrl(run.io)
    await expect
      .poll(async () => ((await api(origin, token, 'wb:models.status')).value as { state: string }).state, { timeout: 30_000 })
      .toBe('ready')
    expect(run.io.err).toMatch(/model: .* ready on cpu/)
    run.stop()
    expect(await run.exit).toBe(0)
  }, 40_000)

  it('warns on stderr when listening beyond loopback, and still prints a loopback URL', async () => {
    const run = serveInProcess(settings({ host: '0.0.0.0' }))
    await waitForUrl(run.io)
    expect(run.io.err).toMatch(/warning: listening on 0\.0\.0\.0/)
    run.stop()
    expect(await run.exit).toBe(0)
  })

  it('reads its command line: relative paths against the current folder, the default model', () => {
    const io = captureIo('/somewhere')
    const parsed = serveSettings({ values: { port: '0', workspace: 'ws', model: 'models/m' }, positionals: [] }, io)
    expect(parsed).toMatchObject({ port: 0, host: '127.0.0.1', workspace: '/somewhere/ws', model: '/somewhere/models/m' })
    expect(serveSettings({ values: {}, positionals: [] }, io)).toMatchObject({ port: 8765, model: repoPath('samples/models/frozen') })
    expect(serveSettings({ values: { 'no-model': true }, positionals: [] }, io).model).toBeNull()
    expect(serveSettings({ values: {}, positionals: [] }, io).rendererDir).toBe(repoPath('dist/renderer'))
    expect(serveSettings({ values: { web: 'builds/old' }, positionals: [] }, io).rendererDir).toBe('/somewhere/builds/old')
  })

  it('refuses bad command lines (exit 2) and a missing workspace (exit 1)', async () => {
    const both = captureIo()
    expect(await main(['serve', '--model', 'm', '--no-model'], both)).toBe(2)
    expect(both.err).toContain('not both')
    expect(await main(['serve', '--port', '70000'], captureIo())).toBe(2)
    const missing = captureIo()
    expect(await main(['serve', '--workspace', path.join(tempDir(), 'nope'), '--no-model', '--port', '0'], missing)).toBe(1)
    expect(missing.err).toContain('is not a folder')
  })

  it('as a process: prints the URL, answers, and exits 0 on SIGTERM', async () => {
    const child = spawn(process.execPath, [repoPath('electron/cli/bin.mjs'), 'serve', '--port', '0', '--no-model', '--workspace', tempDir()], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const io = { out: '', err: '' }
    child.stdout.on('data', (chunk: Buffer) => (io.out += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (io.err += chunk.toString()))
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
    try {
      const { origin, token } = await waitForUrl(io)
      expect(await api(origin, token, 'wb:app.info')).toMatchObject({ ok: true, value: { mode: 'browser' } })
      child.kill('SIGTERM')
      expect(await exited).toBe(0)
      expect(io.err).toContain('SIGTERM: stopping the server.')
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL')
    }
  }, 30_000)
})
