// `loadable` (renderer/src/components/loadable.tsx) rendered on the server side of React, where
// effects do not run: what a component shows before and after its code has arrived, and when its
// download is started and tried again. The failure shown in place is covered in Chromium by
// test/e2e/template.test.ts.
import { createElement, type ComponentType, type ReactNode } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it } from 'vitest'

type Loadable = <P extends object>(what: string, load: () => Promise<ComponentType<P>>) => ComponentType<P & { fallback?: ReactNode }>

// Imported by a path held in a variable: the component needs the renderer's TypeScript project
// (DOM and JSX settings), which this (Node) project does not have; vitest compiles it as usual.
const MODULE = '../../../renderer/src/components/loadable.tsx'
const { loadable } = (await import(MODULE)) as { loadable: Loadable }

function Greeting({ name }: { name: string }) {
  return createElement('p', null, `Hello, ${name}`)
}

/** A loader whose promises the test settles, counting the downloads started. */
function controlledLoader() {
  const calls: { resolve: (c: ComponentType<{ name: string }>) => void; reject: (e: Error) => void }[] = []
  const load = () => new Promise<ComponentType<{ name: string }>>((resolve, reject) => calls.push({ resolve, reject }))
  return { load, calls }
}

const settle = () => new Promise((r) => setTimeout(r, 0))

describe('loadable', () => {
  it('shows the fallback and starts one download until the code arrives, then the component at once', async () => {
    const { load, calls } = controlledLoader()
    const Lazy = loadable('The greeting', load)
    const render = () => renderToStaticMarkup(createElement(Lazy, { name: 'Ada', fallback: createElement('i', null, 'loading') }))

    expect(render()).toBe('<i>loading</i>')
    expect(render()).toBe('<i>loading</i>')
    expect(calls).toHaveLength(1)

    calls[0].resolve(Greeting)
    await settle()
    // No fallback, no second download: the first render of a new instance draws the component.
    expect(render()).toBe('<p>Hello, Ada</p>')
    expect(calls).toHaveLength(1)
  })

  it('shows nothing while loading when given no fallback', () => {
    const Lazy = loadable('The greeting', controlledLoader().load)
    expect(renderToStaticMarkup(createElement(Lazy, { name: 'Ada' }))).toBe('')
  })

  it('tries a failed download again when a component next renders', async () => {
    const { load, calls } = controlledLoader()
    const Lazy = loadable('The greeting', load)
    const render = () => renderToStaticMarkup(createElement(Lazy, { name: 'Grace' }))

    render()
    calls[0].reject(new Error('network down'))
    await settle()
    expect(render()).toBe('')
    expect(calls).toHaveLength(2)

    calls[1].resolve(Greeting)
    await settle()
    expect(render()).toBe('<p>Hello, Grace</p>')
  })
})
