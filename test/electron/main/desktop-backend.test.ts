// The desktop transport over the real backend (no model loaded, `electron` mocked): requests go
// through the IPC wrapper to `createBackend`'s handle and back, the native picker is the one the
// desktop supplies, and backend events reach the window.
import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { Result } from '../../../core/contract/api.ts'

const electron = vi.hoisted(() => ({
  handlers: new Map<string, (event: unknown, payload: unknown) => Promise<unknown>>(),
}))

vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, handler: (event: unknown, payload: unknown) => Promise<unknown>) => {
      electron.handlers.set(channel, handler)
    },
    removeHandler: (channel: string) => electron.handlers.delete(channel),
  },
}))

const backendModule = await import('../../../electron/app/backend.ts')
const { createDesktopBackend } = await import('../../../electron/main/backend-loader.ts')
const { registerIpc } = await import('../../../electron/main/ipc.ts')

let workspace: string
let outside: string
let picked: string | null = null
const pickPath = vi.fn(async () => picked)
const contents = {
  id: 1,
  mainFrame: { processId: 1, routingId: 1, parent: null, origin: 'sftbench://app', url: 'sftbench://app/index.html' },
  isDestroyed: () => false,
  send: vi.fn(),
}
let dispose: () => Promise<void>
let unregister: () => void

beforeAll(async () => {
  const root = await mkdtemp(path.join(tmpdir(), 'sftbench-desktop-backend-'))
  workspace = await realpath(await mkdir(path.join(root, 'workspace'), { recursive: true }).then(() => path.join(root, 'workspace')))
  outside = path.join(root, 'outside.sftnb')
  await writeFile(outside, 'not in the workspace')
  await writeFile(path.join(workspace, 'notes.sftnb'), '{}')
  const backend = await createDesktopBackend(backendModule, { workspace, defaultModel: null, pickPath })
  dispose = () => backend.dispose()
  unregister = registerIpc({ contents: contents as never, handle: backend.handle, events: backend.events })
})
afterAll(async () => {
  unregister()
  await dispose()
  await rm(path.dirname(workspace), { recursive: true, force: true })
})

async function invoke(channel: string, payload: unknown): Promise<Result<unknown>> {
  const handler = electron.handlers.get(channel)
  if (!handler) throw new Error(`no handler for ${channel}`)
  return (await handler({ sender: contents, senderFrame: contents.mainFrame }, payload)) as Result<unknown>
}

describe('desktop transport over the real backend', () => {
  it('wb:app.info answers in desktop mode with the workspace', async () => {
    const info = await invoke('wb:app.info', {})
    expect(info).toMatchObject({ ok: true, value: { mode: 'desktop', workspace, defaultModel: null } })
  })

  it("wb:files.pick shows the desktop's native dialog and answers the chosen path", async () => {
    picked = path.join(workspace, 'notes.sftnb')
    expect(await invoke('wb:files.pick', { kind: 'open', title: 'Open a notebook' })).toEqual({ ok: true, value: { path: picked } })
    expect(pickPath).toHaveBeenLastCalledWith({ kind: 'open', title: 'Open a notebook' })
    picked = null
    expect(await invoke('wb:files.pick', { kind: 'folder' })).toEqual({ ok: true, value: { path: null } })
  })

  it('a path outside the workspace that the user did not pick is forbidden', async () => {
    const result = await invoke('wb:notebooks.open', { path: outside })
    expect(result.ok).toBe(false)
    expect(!result.ok && result.error.code).toBe('forbidden')
  })

  it('an invalid payload is refused before the backend, naming the field', async () => {
    const result = await invoke('wb:levels.generate', { difficulty: 'simple', count: 0 })
    expect(result.ok).toBe(false)
    expect(!result.ok && result.error).toMatchObject({ code: 'invalid-request', message: expect.stringContaining('payload.count') })
  })

  it('a model status change reaches the window as a wb:models.changed event', async () => {
    contents.send.mockClear()
    const result = await invoke('wb:models.load', { dir: 'no-such-model' })
    expect(result.ok).toBe(false)
    const sent = contents.send.mock.calls.filter(([channel]) => channel === 'wb:models.changed')
    expect(sent.length).toBeGreaterThan(0)
    expect(sent.at(-1)?.[1]).toMatchObject({ state: 'failed', dir: 'no-such-model' })
  })
})
