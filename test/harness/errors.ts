/**
 * @module test/harness/errors
 * Catching a thrown error to assert on its fields (line, column, counts), which `toThrow` cannot.
 */

/**
 * The error of class `type` that `f` throws. Fails the test when `f` returns normally, and
 * rethrows any other error so it is reported as it is.
 */
export function thrownBy<E extends Error>(type: abstract new (...args: never[]) => E, f: () => unknown): E {
  try {
    f()
  } catch (error) {
    if (error instanceof type) return error
    throw error
  }
  throw new Error(`expected ${type.name} to be thrown, but nothing was thrown`)
}
