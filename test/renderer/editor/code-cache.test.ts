// @vitest-environment node
// Filling Monaco's code cache (renderer/src/editor/code-cache.ts) against a stand-in page: once per
// profile and build of Monaco, in a hidden frame that is removed afterwards, recorded only when the
// script really ran there. That the browser then reads the cache is measured by `npm run bench
// ui-monaco`; the frame in a real page is checked by test/e2e/template.test.ts.
import { describe, expect, it } from 'vitest'

/** The module's exports (renderer/src/editor/code-cache.ts; the renderer's project type-checks it). */
interface CodeCacheModule {
  readonly CODE_CACHE_KEY: string
  readonly codeCacheWarmer: (env: unknown) => (scriptUrl: string, globalName: string) => void
}

// Imported by a path held in a variable: the module uses DOM types, which this (Node) project does
// not have; vitest compiles it as usual.
const MODULE = '../../../renderer/src/editor/code-cache.ts'
const { CODE_CACHE_KEY, codeCacheWarmer } = (await import(MODULE)) as CodeCacheModule

const SCRIPT = 'http://127.0.0.1:8080/assets/monaco-editor-abc123.js'
const GLOBAL = 'sftbenchMonaco'

interface FakeFrame {
  hidden: boolean
  tabIndex: number
  title: string
  srcdoc: string
  attributes: Record<string, string>
  removed: boolean
  contentWindow: Record<string, unknown> | null
  listeners: Map<string, () => void>
  setAttribute(name: string, value: string): void
  addEventListener(type: string, fn: () => void): void
  remove(): void
}

/** A page with a storage, an idle queue the test runs, and the frames appended to its body. */
function fakePage(stored: Record<string, string> = {}, storageWorks = true) {
  const frames: FakeFrame[] = []
  const idle: (() => void)[] = []
  const storage = storageWorks
    ? { getItem: (k: string) => stored[k] ?? null, setItem: (k: string, v: string) => void (stored[k] = v) }
    : {
        getItem: () => {
          throw new Error('SecurityError')
        },
        setItem: () => {
          throw new Error('SecurityError')
        },
      }
  const document = {
    createElement: (): FakeFrame => ({
      hidden: false,
      tabIndex: 0,
      title: '',
      srcdoc: '',
      attributes: {},
      removed: false,
      contentWindow: {},
      listeners: new Map(),
      setAttribute(name, value) {
        this.attributes[name] = value
      },
      addEventListener(type, fn) {
        this.listeners.set(type, fn)
      },
      remove() {
        this.removed = true
      },
    }),
    body: { append: (frame: FakeFrame) => frames.push(frame) },
  }
  const env = { storage, document, whenIdle: (fn: () => void) => idle.push(fn) }
  const runIdle = () => idle.splice(0).forEach((fn) => fn())
  return { env, frames, idle, stored, runIdle }
}

/** The frame's document runs the script, which sets (or, failing, does not set) its global. */
function loadFrame(frame: FakeFrame, scriptRan: boolean): void {
  if (scriptRan) frame.contentWindow = { [GLOBAL]: { monaco: {} } }
  frame.listeners.get('load')?.()
}

describe('codeCacheWarmer', () => {
  it('on a first load, runs the script in a hidden frame when idle, removes it, and records the script', () => {
    const page = fakePage()
    codeCacheWarmer(page.env)(SCRIPT, GLOBAL)
    expect(page.frames).toHaveLength(0) // nothing before the page is idle
    page.runIdle()
    expect(page.frames).toHaveLength(1)
    const [frame] = page.frames
    expect(frame.hidden).toBe(true)
    expect(frame.tabIndex).toBe(-1)
    expect(frame.attributes['aria-hidden']).toBe('true')
    expect(frame.srcdoc).toBe(`<!doctype html><script src="${SCRIPT}"></script>`)
    expect(page.stored[CODE_CACHE_KEY]).toBeUndefined()
    loadFrame(frame, true)
    expect(frame.removed).toBe(true)
    expect(page.stored[CODE_CACHE_KEY]).toBe(SCRIPT)
  })

  it('does nothing in a profile that already filled the cache for this script', () => {
    const page = fakePage({ [CODE_CACHE_KEY]: SCRIPT })
    codeCacheWarmer(page.env)(SCRIPT, GLOBAL)
    page.runIdle()
    expect(page.idle).toHaveLength(0)
    expect(page.frames).toHaveLength(0)
  })

  it('runs again for a new build of Monaco (another script URL)', () => {
    const page = fakePage({ [CODE_CACHE_KEY]: 'http://127.0.0.1:8080/assets/monaco-editor-old999.js' })
    codeCacheWarmer(page.env)(SCRIPT, GLOBAL)
    page.runIdle()
    loadFrame(page.frames[0], true)
    expect(page.stored[CODE_CACHE_KEY]).toBe(SCRIPT)
  })

  it('records nothing when the script did not run in the frame, so a later load tries again', () => {
    const page = fakePage()
    codeCacheWarmer(page.env)(SCRIPT, GLOBAL)
    page.runIdle()
    loadFrame(page.frames[0], false)
    expect(page.frames[0].removed).toBe(true)
    expect(page.stored[CODE_CACHE_KEY]).toBeUndefined()
    const later = codeCacheWarmer(page.env)
    later(SCRIPT, GLOBAL)
    page.runIdle()
    expect(page.frames).toHaveLength(2)
  })

  it('acts once per page however often it is asked', () => {
    const page = fakePage()
    const warm = codeCacheWarmer(page.env)
    warm(SCRIPT, GLOBAL)
    warm(SCRIPT, GLOBAL)
    page.runIdle()
    expect(page.frames).toHaveLength(1)
  })

  it('does nothing where the page has no storage or it is refused', () => {
    const none = fakePage()
    codeCacheWarmer({ ...none.env, storage: null })(SCRIPT, GLOBAL)
    none.runIdle()
    expect(none.frames).toHaveLength(0)
    const refused = fakePage({}, false)
    codeCacheWarmer(refused.env)(SCRIPT, GLOBAL)
    refused.runIdle()
    expect(refused.frames).toHaveLength(0)
  })

  it('quotes the script URL inside the frame document', () => {
    const page = fakePage()
    codeCacheWarmer(page.env)('http://h/a"b.js', GLOBAL)
    page.runIdle()
    expect(page.frames[0].srcdoc).toBe('<!doctype html><script src="http://h/a&quot;b.js"></script>')
  })
})
