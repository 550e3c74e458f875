/**
 * @module core/sokoban/solve/heap
 * A binary min-heap of (key, node index) pairs in typed arrays: the A* open list. Entries are
 * never updated in place; a node whose cost improves is pushed again and the stale entry is
 * skipped when popped.
 */

/** A growable min-heap of node indices ordered by a numeric key. */
export class NodeHeap {
  private keys = new Float64Array(1024)
  private nodes = new Int32Array(1024)
  /** Number of entries. */
  size = 0

  /** Adds `node` with priority `key` (smaller pops first). */
  push(key: number, node: number): void {
    if (this.size === this.keys.length) {
      const keys = new Float64Array(this.size * 2)
      keys.set(this.keys)
      this.keys = keys
      const nodes = new Int32Array(this.size * 2)
      nodes.set(this.nodes)
      this.nodes = nodes
    }
    const { keys, nodes } = this
    let i = this.size++
    while (i > 0) {
      const up = (i - 1) >> 1
      if (keys[up] <= key) break
      keys[i] = keys[up]
      nodes[i] = nodes[up]
      i = up
    }
    keys[i] = key
    nodes[i] = node
  }

  /** Removes and returns the node with the smallest key; the heap must not be empty. */
  pop(): number {
    const { keys, nodes } = this
    const top = nodes[0]
    const last = --this.size
    const key = keys[last]
    const node = nodes[last]
    let i = 0
    for (;;) {
      let child = 2 * i + 1
      if (child >= last) break
      if (child + 1 < last && keys[child + 1] < keys[child]) child++
      if (keys[child] >= key) break
      keys[i] = keys[child]
      nodes[i] = nodes[child]
      i = child
    }
    keys[i] = key
    nodes[i] = node
    return top
  }
}
