import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { COL_DELTA, DIRECTIONS, ROW_DELTA, type Direction } from '../../../core/sokoban/directions.ts'
import { parseXsbLevel } from '../../../core/sokoban/xsb.ts'
import { arrowPath, boardPixels, bumpPath, staticPaths } from '../../../renderer/src/viewers/board-geometry.ts'

/** The points of a path made of M/L commands (and h/v squares are counted separately). */
function points(d: string): { x: number; y: number }[] {
  return [...d.matchAll(/[ML](-?[\d.]+) (-?[\d.]+)/g)].map((m) => ({ x: Number(m[1]), y: Number(m[2]) }))
}

describe('staticPaths', () => {
  it('draws one square per wall and floor cell and one diamond per goal; outside cells stay empty', () => {
    // Tutorial level 3 of samples/levels: 6 rows, 6 columns, a notch of outside cells at the corners.
    const level = parseXsbLevel([' #####', '##   #', '#+$  #', '# $ .#', '#  ###', '####'].join('\n'))
    const p = staticPaths(level)
    const squares = (d: string): number => (d.match(/h1v1h-1z/g) ?? []).length
    expect(squares(p.walls)).toBe(20)
    expect(squares(p.floor)).toBe(13)
    expect((p.goals.match(/z/g) ?? []).length).toBe(2)
    expect(squares(p.walls) + squares(p.floor)).toBeLessThan(level.rows * level.cols)
  })
})

describe('arrowPath', () => {
  it('points from the cell into the neighbouring cell in its direction', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 12 }), fc.constantFrom(...DIRECTIONS), (r, c, dir: Direction) => {
        const cols = 14
        const cell = r * cols + c
        const pts = points(arrowPath(cols, cell, dir))
        const tail = pts[0]
        const tip = pts[3]
        // Tail inside the cell, tip inside the neighbour the move goes to.
        expect(Math.floor(tail.x)).toBe(c)
        expect(Math.floor(tail.y)).toBe(r)
        expect(Math.floor(tip.x)).toBe(c + COL_DELTA[dir])
        expect(Math.floor(tip.y)).toBe(r + ROW_DELTA[dir])
      }),
    )
  })

  it('a sideways offset moves the arrow across its direction, never along it', () => {
    const a = points(arrowPath(10, 55, DIRECTIONS[0], 0))
    const b = points(arrowPath(10, 55, DIRECTIONS[0], 0.2))
    expect(b[0].y).toBeCloseTo(a[0].y)
    expect(Math.abs(b[0].x - a[0].x)).toBeCloseTo(0.2)
  })
})

describe('bumpPath', () => {
  it('is a bar across the side of the cell the move bumped into', () => {
    for (const dir of DIRECTIONS) {
      const [a, b] = points(bumpPath(10, 55, dir))
      // Parallel to the side: horizontal for Up/Down, vertical for Left/Right.
      if (ROW_DELTA[dir] !== 0) expect(a.y).toBeCloseTo(b.y)
      else expect(a.x).toBeCloseTo(b.x)
      const mid = { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 }
      expect(mid.x - 5.5).toBeCloseTo(COL_DELTA[dir] * 0.42)
      expect(mid.y - 5.5).toBeCloseTo(ROW_DELTA[dir] * 0.42)
    }
  })
})

describe('boardPixels', () => {
  it('gives the longer side the requested size and keeps the cells square', () => {
    expect(boardPixels(6, 6, 240)).toEqual({ width: 240, height: 240 })
    expect(boardPixels(5, 10, 300)).toEqual({ width: 300, height: 150 })
    expect(boardPixels(10, 4, 200)).toEqual({ width: 80, height: 200 })
  })
})
