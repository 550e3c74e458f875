/**
 * @module core/experiment/deep-freeze
 * Freezes a plain-data value and everything inside it, so the built-in presets and variants cannot
 * be changed by a caller that holds them.
 */

/** Freezes `value` and, recursively, every object and array it holds; returns `value`. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner)
    Object.freeze(value)
  }
  return value
}
