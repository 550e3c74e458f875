// Every hand of a General Points test sweep: the multisets of `size` values from lo..hi, each
// ascending, in lexicographic order (1820 four-card and 6188 five-card rank multisets for 1..13).

/** Every multiset of `size` integers from lo..hi, each ascending, in lexicographic order. */
export function multisets(size: number, lo: number, hi: number): number[][] {
  if (size === 0) return [[]]
  const out: number[][] = []
  for (let first = lo; first <= hi; first++) {
    for (const rest of multisets(size - 1, first, hi)) out.push([first, ...rest])
  }
  return out
}
