/**
 * Components whose code is loaded with import() the first time one renders, and shown the moment
 * it arrives.
 *
 * Not React's lazy() with Suspense, for two reasons. Once React has shown a Suspense fallback, it
 * keeps it on screen for at least 300 ms (React's fallback throttle, against flashing), so a
 * template cell's editor waited up to that long after its code and Monaco had arrived. And a failed
 * download throws to the nearest error boundary, which for a cell is the whole notebook; here it is
 * shown in place of the component instead.
 */
import { useEffect, useState, type ComponentType, type ReactNode } from 'react'

/** What a loadable component takes besides its own props. */
export interface LoadableProps {
  /** Shown until the code arrives (nothing if absent). */
  readonly fallback?: ReactNode
}

type LoadState<P> = { readonly status: 'loading' } | { readonly status: 'loaded'; readonly Component: ComponentType<P> } | { readonly status: 'failed'; readonly message: string }

/**
 * A component that loads `load()` once (a failed load is tried again by the next component that
 * renders) and renders what it gives. `what` names it in the message shown when it cannot load.
 */
export function loadable<P extends object>(what: string, load: () => Promise<ComponentType<P>>): ComponentType<P & LoadableProps> {
  let loaded: ComponentType<P> | null = null
  let pending: Promise<ComponentType<P>> | null = null
  const start = (): Promise<ComponentType<P>> =>
    (pending ??= load().then(
      (component) => (loaded = component),
      (error: unknown) => {
        pending = null
        throw error
      },
    ))

  function Loadable({ fallback, ...props }: P & LoadableProps) {
    const [state, setState] = useState<LoadState<P>>(() => (loaded !== null ? { status: 'loaded', Component: loaded } : { status: 'loading' }))
    // Started while rendering, as lazy() does, rather than after the first paint.
    if (state.status === 'loading') void start().catch(() => undefined)
    useEffect(() => {
      if (state.status !== 'loading') return
      let live = true
      start().then(
        (Component) => live && setState({ status: 'loaded', Component }),
        (error: unknown) => live && setState({ status: 'failed', message: error instanceof Error ? error.message : String(error) }),
      )
      return () => {
        live = false
      }
    }, [state.status])
    if (state.status === 'loaded') return <state.Component {...(props as P)} />
    if (state.status === 'failed') {
      return (
        <div className="cell-error" role="alert">
          {`${what} did not load (${state.message}): reload the page; if it persists, rebuild the app (npm run build:web).`}
        </div>
      )
    }
    return <>{fallback ?? null}</>
  }
  Loadable.displayName = `Loadable(${what})`
  return Loadable
}
