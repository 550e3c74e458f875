// The solvers' padded board: index mapping and the key writer both searches share.
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { createBoard, writeMovedBoxes } from '../../../../core/sokoban/solve/board.ts'
import { levelFromRows } from './reference.ts'

describe('createBoard', () => {
  it('pads the grid with one ring of wall and maps cells both ways', () => {
    const level = levelFromRows(['#####', '#@$.#', '#####'])
    const board = createBoard(level)
    expect([board.width, board.height, board.size]).toEqual([7, 5, 35])
    // Level cell (1, 1) is internal cell (2, 2) of the 7-wide padded grid.
    expect(board.toInternal[1 * 5 + 1]).toBe(2 * 7 + 2)
    for (let ext = 0; ext < level.rows * level.cols; ext++) expect(board.toExternal[board.toInternal[ext]]).toBe(ext)
    expect([...board.open].filter((o) => o === 1)).toHaveLength(3)
    expect([...board.goals]).toEqual([2 * 7 + 4])
  })
})

describe('writeMovedBoxes', () => {
  it('writes the boxes with one moved, ascending, after the player word', () => {
    const key = new Uint16Array(4).fill(99)
    writeMovedBoxes(key, Int32Array.from([10, 20, 30]), 20, 35)
    expect([...key]).toEqual([99, 10, 30, 35])
    writeMovedBoxes(key, Int32Array.from([10, 20, 30]), 30, 5)
    expect([...key]).toEqual([99, 5, 10, 20])
  })

  it('equals sorting the moved set (property)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 500 }), { minLength: 1, maxLength: 8 }),
        fc.nat(),
        fc.integer({ min: 0, max: 500 }),
        (cells, pick, to) => {
          const boxes = Int32Array.from(cells).sort()
          const from = boxes[pick % boxes.length]
          if (boxes.includes(to)) return
          const key = new Uint16Array(boxes.length + 1)
          writeMovedBoxes(key, boxes, from, to)
          const expected = [...boxes].map((b) => (b === from ? to : b)).sort((a, b) => a - b)
          expect([...key.subarray(1)]).toEqual(expected)
        },
      ),
    )
  })
})
