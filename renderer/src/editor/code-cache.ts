/**
 * Fills the browser's code cache for Monaco's script during the first load in a profile, so that the
 * second load does not pay for it.
 *
 * Chromium keeps the compiled code of a classic script from the second time the script runs on, and
 * writes it then, on the main thread, right after the script has run: about 130 ms for Monaco on a
 * 2-core machine, in the middle of the second opening of the app, between first paint and a usable
 * editor. So, once the first load's editor is ready and the page is idle, Monaco's script runs once
 * more in a hidden frame of this origin (a window of its own: the page's Monaco is untouched), which
 * writes the cache; every later load, the second included, reads it off the main thread. A profile
 * does this once per build of Monaco (the script's URL carries its hash).
 */

/** Where the profile records the Monaco script whose code cache was filled. */
export const CODE_CACHE_KEY = 'sftbench:monaco-code-cache'

/** What the warm-up needs from the page (injectable for tests). */
export interface CodeCacheEnvironment {
  readonly storage: Pick<Storage, 'getItem' | 'setItem'> | null
  readonly document: Pick<Document, 'createElement' | 'body'>
  readonly whenIdle: (fn: () => void) => void
}

/** The page's storage, idle callback and document. */
export function pageEnvironment(): CodeCacheEnvironment {
  let storage: Storage | null = null
  try {
    storage = window.localStorage
  } catch {
    // Storage refused (a locked-down profile): no record, so no warm-up either.
  }
  const whenIdle = (fn: () => void): void => {
    if ('requestIdleCallback' in window) window.requestIdleCallback(fn, { timeout: 5000 })
    else setTimeout(fn, 1000)
  }
  return { storage, document, whenIdle }
}

/**
 * What fills the code cache in `env`'s page: called with Monaco's script URL and the global its
 * script sets, it runs the script once more in a hidden frame when idle, unless the profile already
 * did for this URL; it counts as done once the script has set the global in the frame. It acts at
 * most once per page.
 */
export function codeCacheWarmer(env: CodeCacheEnvironment): (scriptUrl: string, globalName: string) => void {
  let started = false
  return (scriptUrl, globalName) => {
    if (started || env.storage === null) return
    try {
      if (env.storage.getItem(CODE_CACHE_KEY) === scriptUrl) return
    } catch {
      return
    }
    started = true
    env.whenIdle(() => {
      const frame = env.document.createElement('iframe')
      frame.hidden = true
      frame.tabIndex = -1
      frame.setAttribute('aria-hidden', 'true')
      frame.title = 'Editor code cache'
      // The frame inherits the page's origin and content security policy, so the script loads from
      // this origin as the page's own did.
      frame.srcdoc = `<!doctype html><script src="${scriptUrl.replace(/"/g, '&quot;')}"></script>`
      frame.addEventListener(
        'load',
        () => {
          const ran = (frame.contentWindow as unknown as Record<string, unknown> | null)?.[globalName] !== undefined
          frame.remove()
          if (!ran) return
          try {
            env.storage?.setItem(CODE_CACHE_KEY, scriptUrl)
          } catch {
            // A full or refused storage only means the warm-up may run again next time.
          }
        },
        { once: true },
      )
      env.document.body.append(frame)
    })
  }
}
