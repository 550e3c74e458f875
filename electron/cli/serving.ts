/**
 * @module electron/cli/serving
 * What the two long-running server commands (`serve`, `serve-model`) share: telling a loopback host
 * from one that exposes the server, and waiting for the signal that stops it.
 */

/** Whether `host` only accepts connections from this machine. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '')
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h)
}

/** Resolves on the first SIGINT or SIGTERM and removes its listeners. */
export function untilStopSignal(): Promise<string> {
  return new Promise((resolve) => {
    const signals = ['SIGINT', 'SIGTERM'] as const
    const handler = (signal: string): void => {
      for (const s of signals) process.removeListener(s, handler)
      resolve(signal)
    }
    for (const s of signals) process.on(s, handler)
  })
}
