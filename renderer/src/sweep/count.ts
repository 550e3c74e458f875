/** Checking what is typed into the sweep cell's count fields (N, R, concurrency, turns). */

/** Why `text` is not a count in [min, max], or null when it is one (empty is fine: the default applies). */
export function countProblem(text: string, name: string, min = 1, max = 1_000_000): string | null {
  const t = text.trim()
  if (t === '') return null
  const n = Number(t)
  if (!Number.isFinite(n) || !Number.isInteger(n)) return `${name} must be a whole number (${min} or more).`
  if (n < min) return `${name} must be at least ${min}.`
  if (n > max) return `${name} must be at most ${max.toLocaleString('en-US')}.`
  return null
}
