// The files guard: paths from the UI stay inside the workspace (after symlinks) unless the user
// picked them; traversal, absolute paths outside and symlink escapes are refused with `forbidden`.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FileGuard } from '../../../electron/app/files.ts'
import { ApiFailure } from '../../../electron/app/errors.ts'

let base: string
let ws: string
let outside: string
let guard: FileGuard

beforeAll(async () => {
  base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'sftbench-guard-')))
  ws = path.join(base, 'ws')
  outside = path.join(base, 'outside')
  fs.mkdirSync(path.join(ws, 'notebooks', 'deep'), { recursive: true })
  fs.mkdirSync(outside)
  fs.writeFileSync(path.join(ws, 'notebooks', 'a.sftnb'), '{}')
  fs.writeFileSync(path.join(ws, '.hidden'), 'x')
  fs.writeFileSync(path.join(outside, 'secret.txt'), 'secret')
  fs.writeFileSync(path.join(outside, 'other.txt'), 'other')
  fs.mkdirSync(path.join(outside, 'models', 'm'), { recursive: true })
  fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(ws, 'link-out.txt'))
  fs.symlinkSync(outside, path.join(ws, 'dir-out'))
  fs.symlinkSync(path.join(ws, 'notebooks', 'a.sftnb'), path.join(ws, 'link-in.sftnb'))
  fs.symlinkSync(path.join(outside, 'not-yet.txt'), path.join(ws, 'dangling-out.txt'))
  guard = await FileGuard.create(ws)
})
afterAll(() => fs.rmSync(base, { recursive: true, force: true }))

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise
    return 'ok'
  } catch (error) {
    if (error instanceof ApiFailure) return error.code
    throw error
  }
}

describe('FileGuard.resolve', () => {
  it('resolves workspace-relative and absolute paths inside the workspace to real paths', async () => {
    expect(await guard.resolve('notebooks/a.sftnb')).toBe(path.join(ws, 'notebooks', 'a.sftnb'))
    expect(await guard.resolve(path.join(ws, 'notebooks'))).toBe(path.join(ws, 'notebooks'))
    expect(await guard.resolve('notebooks/deep/../a.sftnb')).toBe(path.join(ws, 'notebooks', 'a.sftnb'))
  })

  it('refuses ../ traversal out of the workspace', async () => {
    expect(await codeOf(guard.resolve('../outside/secret.txt'))).toBe('forbidden')
    expect(await codeOf(guard.resolve('notebooks/../../outside/secret.txt'))).toBe('forbidden')
    expect(await codeOf(guard.resolve('..'))).toBe('forbidden')
  })

  it('refuses absolute paths outside', async () => {
    expect(await codeOf(guard.resolve(path.join(outside, 'secret.txt')))).toBe('forbidden')
    expect(await codeOf(guard.resolve('/etc/passwd'))).toBe('forbidden')
  })

  it('refuses a sibling folder whose name starts with the workspace name', async () => {
    fs.mkdirSync(`${ws}-evil`, { recursive: true })
    expect(await codeOf(guard.resolve(`${ws}-evil`))).toBe('forbidden')
  })

  it('refuses symlinks that lead outside (file, folder, and a file under a linked folder)', async () => {
    expect(await codeOf(guard.resolve('link-out.txt'))).toBe('forbidden')
    expect(await codeOf(guard.resolve('dir-out'))).toBe('forbidden')
    expect(await codeOf(guard.resolve('dir-out/other.txt'))).toBe('forbidden')
    expect(await codeOf(guard.resolve('dir-out/new-file.txt'))).toBe('forbidden')
  })

  it('refuses a dangling symlink that points outside (a write through it would escape)', async () => {
    expect(await codeOf(guard.resolve('dangling-out.txt'))).toBe('forbidden')
  })

  it('accepts a symlink that stays inside, resolving it to its target', async () => {
    expect(await guard.resolve('link-in.sftnb')).toBe(path.join(ws, 'notebooks', 'a.sftnb'))
  })

  it('accepts a path that does not exist yet inside the workspace, unless it must exist', async () => {
    expect(await guard.resolve('notebooks/new.sftnb')).toBe(path.join(ws, 'notebooks', 'new.sftnb'))
    expect(await codeOf(guard.resolve('notebooks/new.sftnb', { mustExist: true }))).toBe('not-found')
  })

  it('checks the kind', async () => {
    expect(await codeOf(guard.resolve('notebooks', { kind: 'file' }))).toBe('invalid-request')
    expect(await codeOf(guard.resolve('notebooks/a.sftnb', { kind: 'dir' }))).toBe('invalid-request')
  })

  it('names the path and the workspace in the message', async () => {
    await expect(guard.resolve('link-out.txt')).rejects.toThrow(/link-out\.txt is outside the workspace .* \(it leads to .*secret\.txt\)/)
  })
})

describe('picked paths', () => {
  it('a picked file is allowed exactly; its siblings stay forbidden', async () => {
    const g = await FileGuard.create(ws)
    await g.allow(path.join(outside, 'secret.txt'), 'file')
    expect(await g.resolve(path.join(outside, 'secret.txt'))).toBe(path.join(outside, 'secret.txt'))
    expect(await codeOf(g.resolve(path.join(outside, 'other.txt')))).toBe('forbidden')
  })

  it('a picked folder allows what is under it', async () => {
    const g = await FileGuard.create(ws)
    await g.allow(path.join(outside, 'models'), 'dir')
    expect(await g.resolve(path.join(outside, 'models', 'm'))).toBe(path.join(outside, 'models', 'm'))
    expect(await codeOf(g.resolve(path.join(outside, 'secret.txt')))).toBe('forbidden')
  })
})

describe('FileGuard.list', () => {
  it('lists folders first, then files, without hidden entries or escaping links, with the parent inside', async () => {
    const listing = await guard.list('notebooks')
    expect(listing.dir).toBe(path.join(ws, 'notebooks'))
    expect(listing.relative).toBe('notebooks')
    expect(listing.parent).toBe(ws)
    expect(listing.entries.map((e) => [e.name, e.kind])).toEqual([
      ['deep', 'dir'],
      ['a.sftnb', 'file'],
    ])
    const root = await guard.list()
    expect(root.parent).toBeNull()
    const names = root.entries.map((e) => e.name)
    expect(names).not.toContain('.hidden')
    expect(names).toContain('link-in.sftnb')
    for (const escaping of ['link-out.txt', 'dir-out', 'dangling-out.txt']) expect(names).not.toContain(escaping)
  })

  it('refuses to list a folder outside', async () => {
    expect(await codeOf(guard.list('dir-out'))).toBe('forbidden')
  })
})
