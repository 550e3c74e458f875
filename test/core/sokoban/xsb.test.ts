// XSB reader and writer (environments.md §1). Expected cells, titles and error positions below were
// worked out by hand from the input strings; round trips use random levels built on the Level model.
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { FLOOR, GOAL, VOID, WALL, type Level } from '../../../core/sokoban/level.ts'
import {
  LevelParseError,
  parseXsb,
  parseXsbLevel,
  serializeXsb,
  serializeXsbFile,
} from '../../../core/sokoban/xsb.ts'
import { thrownBy } from '../../harness/errors.ts'
import { readRepoText } from '../../harness/repo.ts'
import { describeWithSharedData, readSharedText } from '../../harness/shared-data.ts'
import { arbitraryLevel } from './arbitrary-level.ts'

function shape(level: Level): { rows: number; cols: number; fixed: number[]; player: number; boxes: readonly number[] } {
  return { rows: level.rows, cols: level.cols, fixed: [...level.fixed], player: level.start.player, boxes: level.start.boxes }
}

const W = WALL
const F = FLOOR
const G = GOAL
const V = VOID

describe('parseXsb: symbols', () => {
  it('[§1] reads every symbol: # @ + $ * . and space', () => {
    // columns 0..6; row 1 holds @ $ . * and floor, row 2 floor, a box and a goal
    const level = parseXsbLevel(['#######', '#@$.* #', '#   $.#', '#######'].join('\n'))
    expect(level.rows).toBe(4)
    expect(level.cols).toBe(7)
    expect([...level.fixed.slice(7, 14)]).toEqual([W, F, F, G, G, F, W])
    expect([...level.fixed.slice(14, 21)]).toEqual([W, F, F, F, F, G, W])
    expect(level.start.player).toBe(8)
    expect(level.start.boxes).toEqual([9, 11, 18])
  })

  it('[§1] reads a player on a goal (+) as goal + player, and a box on a goal (*) as goal + box', () => {
    const level = parseXsbLevel('#####\n#+$ #\n#*$.#\n#####')
    expect(level.fixed[6]).toBe(GOAL)
    expect(level.start.player).toBe(6)
    expect(level.fixed[11]).toBe(GOAL)
    expect(level.fixed[12]).toBe(FLOOR)
    expect(level.start.boxes).toEqual([7, 11, 12])
  })

  it('[§1] treats space, - and _ as the same floor', () => {
    const plain = parseXsbLevel('######\n#@ $.#\n#    #\n######')
    expect(shape(parseXsbLevel('######\n#@-$.#\n#----#\n######'))).toEqual(shape(plain))
    expect(shape(parseXsbLevel('######\n#@_$.#\n#_ -_#\n######'))).toEqual(shape(plain))
  })

  it('[§1] makes cells outside the walls VOID and keeps enclosed floor, even unreachable floor', () => {
    //   ####
    // ###  #
    // #@$.##
    // #####
    const level = parseXsbLevel('  ####\n###  #\n#@$.##\n#####')
    expect(level.cols).toBe(6)
    expect([...level.fixed]).toEqual([
      V, V, W, W, W, W,
      W, W, W, F, F, W,
      W, F, F, G, W, W,
      W, W, W, W, W, V, // the short last row is padded with VOID
    ])
    // a sealed floor pocket inside the walls stays floor
    const sealed = parseXsbLevel('#######\n#@$.# #\n#######')
    expect(sealed.fixed[12]).toBe(FLOOR)
  })

  it('[§1] crops rows and columns that are outside on every cell, e.g. a common indent', () => {
    const level = parseXsbLevel('   #####\n   #@$.#\n   #####')
    expect(shape(level)).toEqual(shape(parseXsbLevel('#####\n#@$.#\n#####')))
  })

  it('accepts CRLF line endings and a byte-order mark', () => {
    const level = parseXsbLevel('\uFEFF#####\r\n#@$.#\r\n#####\r\n')
    expect(shape(level)).toEqual(shape(parseXsbLevel('#####\n#@$.#\n#####')))
  })
})

describe('parseXsb: run-length encoding', () => {
  it('[§1] decodes counts before symbols, floor runs and | row joins to the plain level', () => {
    const plain = parseXsbLevel('#######\n#@  $.#\n#     #\n#######')
    expect(shape(parseXsbLevel('7#|#@2-$.#|#5-#|7#'))).toEqual(shape(plain))
    expect(shape(parseXsbLevel('7#|#@2-$.#|\n#5-#|7#|'))).toEqual(shape(plain))
    expect(shape(parseXsbLevel('7#\n#@2 $.#\n#5_#\n7#'))).toEqual(shape(plain))
    expect(shape(parseXsbLevel('7#|#@2-$.#\n#5-#|7#'))).toEqual(shape(plain))
  })

  it('reads multi-digit counts', () => {
    const level = parseXsbLevel('12#|#@$.7-#|12#')
    expect(level.cols).toBe(12)
    expect([...level.fixed.slice(0, 12)]).toEqual(Array(12).fill(WALL))
  })

  it('[§1] the RLE sample is level 2 of the tutorial file', () => {
    const tutorial = parseXsb(readRepoText('samples/levels/tutorial.xsb'))
    const rle = parseXsbLevel(readRepoText('samples/levels/tutorial-rle.xsb'))
    expect(tutorial).toHaveLength(6)
    expect(shape(rle)).toEqual(shape(tutorial[1]))
    expect(rle.title).toBe("'Around the corner'")
  })
})

describe('parseXsb: files, titles and comments', () => {
  const file = [
    '; Collection header', // line 1
    '', // 2
    '; 1', // 3
    "'First'", // 4
    '#####', // 5
    '#@$.#', // 6
    '#####', // 7
    'Author: someone', // 8 (right after the board: belongs to level 1)
    '', // 9
    '; 2', // 10
    '', // 11
    '######', // 12
    '#+$  #', // 13
    '######', // 14
    '', // 15
    'Title: Third', // 16
    '; a note', // 17
    '#####', // 18
    '#.$@#', // 19
    '#####', // 20
    '; trailing remark', // 21
  ].join('\n')

  it('[§1] splits levels on blank lines and keeps titles and comments', () => {
    const levels = parseXsb(file)
    expect(levels).toHaveLength(3)
    expect(levels[0].title).toBe("'First'")
    expect(levels[0].comments).toEqual(['; Collection header', '; 1', 'Author: someone'])
    expect(levels[1].title).toBe('; 2')
    expect(levels[1].comments).toBeUndefined()
    expect(levels[2].title).toBe('Title: Third')
    expect(levels[2].comments).toEqual(['; a note', '; trailing remark'])
    expect(levels.map((l) => l.start.player)).toEqual([6, 7, 8])
  })

  it('reads wall-less lines such as "1." or "***" as titles, but as rows between two rows', () => {
    const levels = parseXsb('1.\n#####\n#@$.#\n#####\n***')
    expect(levels[0].title).toBe('1.')
    expect(levels[0].comments).toEqual(['***'])
    // the third row of level 2 has no wall of its own, so the level is open there
    expect(thrownBy(LevelParseError, () => parseXsb('#######\n#@ $.#\n  $ .\n#######')).message).toMatch(/reached from outside/)
  })

  it('takes a text line between two boards with no blank line as the title of the second', () => {
    const levels = parseXsb('#####\n#@$.#\n#####\n; 2\n#####\n#.$@#\n#####')
    expect(levels).toHaveLength(2)
    expect(levels[0].title).toBeUndefined()
    expect(levels[1].title).toBe('; 2')
  })

  it('reads Boxoban-style "; N" headers', () => {
    const levels = parseXsb('; 0\n#####\n#@$.#\n#####\n\n; 1\n#####\n#.$@#\n#####\n')
    expect(levels.map((l) => l.title)).toEqual(['; 0', '; 1'])
  })
})

describe('parseXsb: errors point at the line and column', () => {
  it('no player: the first row of the board', () => {
    const e = thrownBy(LevelParseError, () => parseXsb('; 1\n#####\n#$. #\n#####'))
    expect([e.line, e.column, e.levelIndex]).toEqual([2, 1, 0])
    expect(e.message).toMatch(/no player/)
    expect(e.message).toMatch(/'@'/)
  })

  it('two players: the second player', () => {
    const e = thrownBy(LevelParseError, () => parseXsb('#######\n#@$.@ #\n#######'))
    expect([e.line, e.column]).toEqual([2, 5])
    expect(e.message).toMatch(/2 players/)
  })

  it('boxes and goals differ: says both counts', () => {
    const e = thrownBy(LevelParseError, () => parseXsb('#####\n#@$.#\n#####\n\n######\n#@$$.#\n######'))
    expect([e.line, e.column, e.levelIndex]).toEqual([5, 1, 1])
    expect(e.message).toMatch(/2 boxes/)
    expect(e.message).toMatch(/1 goal\b/)
  })

  it('unknown characters: names the character and its code point', () => {
    const letter = thrownBy(LevelParseError, () => parseXsb('#####\n#@x$.#\n#####'))
    expect([letter.line, letter.column]).toEqual([2, 3])
    expect(letter.message).toContain("'x' (U+0078)")
    const tab = thrownBy(LevelParseError, () => parseXsb('######\n#@\t$.#\n######'))
    expect([tab.line, tab.column]).toEqual([2, 3])
    expect(tab.message).toContain('U+0009')
    // columns count code points, so the emoji (two UTF-16 units) is one column
    const emoji = thrownBy(LevelParseError, () => parseXsb('######\n#@\u{1F642}$.#\n#\u{1F642}x#'))
    expect([emoji.line, emoji.column]).toEqual([2, 3])
    expect(emoji.message).toContain('U+1F642')
  })

  it('a floor region open to the outside: the first item it reaches, in reading order', () => {
    // The right part (goal at line 3, column 6; box at line 4, column 6) leaks out through the
    // short fourth row; the player's part is closed.
    const text = ['#######', '#@$.# #', '#####.#', '    #$', '    ###'].join('\n')
    const e = thrownBy(LevelParseError, () => parseXsb(text))
    expect([e.line, e.column]).toEqual([3, 6])
    expect(e.message).toMatch(/goal .* reached from outside/)
  })

  it('an empty file, a file of comments only, and an empty level', () => {
    const empty = thrownBy(LevelParseError, () => parseXsb(''))
    expect([empty.line, empty.column]).toEqual([1, 1])
    expect(empty.message).toMatch(/empty/)
    expect(thrownBy(LevelParseError, () => parseXsb('; only\n; comments\n')).message).toMatch(/No level found/)
    const walls = thrownBy(LevelParseError, () => parseXsb('; 1\n####\n####'))
    expect([walls.line, walls.column]).toEqual([2, 1])
    expect(walls.message).toMatch(/empty/)
  })

  it('run counts: dangling, zero and empty joined rows', () => {
    expect([thrownBy(LevelParseError, () => parseXsb('5#|#@$.#|5')).line, thrownBy(LevelParseError, () => parseXsb('5#|#@$.#|5')).column]).toEqual([1, 10])
    const zero = thrownBy(LevelParseError, () => parseXsb('5#|#@$.#|0#'))
    expect(zero.column).toBe(10)
    expect(zero.message).toMatch(/at least 1/)
    expect(thrownBy(LevelParseError, () => parseXsb('5#||#@$.#|5#')).message).toMatch(/empty row/)
  })

  it('parseXsbLevel wants exactly one level, and points at the second', () => {
    const e = thrownBy(LevelParseError, () => parseXsbLevel('#####\n#@$.#\n#####\n\n#####\n#.$@#\n#####'))
    expect(e.message).toMatch(/exactly one level but found 2/)
    expect([e.line, e.column, e.levelIndex]).toEqual([5, 1, 1])
  })
})

describe('serializeXsb', () => {
  const level = parseXsbLevel('  ####\n###  #\n#@$.##\n#####')

  it('writes canonical XSB: spaces for floor and VOID, trailing spaces trimmed, no final newline', () => {
    expect(serializeXsb(level)).toBe('  ####\n###  #\n#@$.##\n#####')
  })

  it('writes another state, other floor symbols and run-length form', () => {
    const moved = { player: 9, boxes: [15] }
    expect(serializeXsb(level, moved)).toBe('  ####\n###@ #\n#  *##\n#####')
    expect(serializeXsb(level, undefined, { floor: '-' })).toBe('  ####\n###--#\n#@$.##\n#####')
    expect(serializeXsb(level, undefined, { rle: true })).toBe('2-4#|3#2-#|#@$.2#|5#')
  })

  it('refuses a state whose player or boxes stand on walls', () => {
    expect(() => serializeXsb(level, { player: 0, boxes: [15] })).toThrow(/player cell 0/)
    expect(() => serializeXsb(level, { player: 13, boxes: [2] })).toThrow(/box cell 2/)
  })
})

describe('round trips (property tests over random levels)', () => {
  it('parse(serialize(level)) gives the level back, in plain, RLE and each floor symbol', () => {
    fc.assert(
      fc.property(arbitraryLevel(), (level) => {
        expect(shape(parseXsbLevel(serializeXsb(level)))).toEqual(shape(level))
        expect(shape(parseXsbLevel(serializeXsb(level, undefined, { rle: true })))).toEqual(shape(level))
        expect(shape(parseXsbLevel(serializeXsb(level, undefined, { floor: '_' })))).toEqual(shape(level))
      }),
      { numRuns: 300 },
    )
  })

  it('serialize(parse(text)) gives canonical text back', () => {
    fc.assert(
      fc.property(arbitraryLevel(), (level) => {
        const text = serializeXsb(level)
        expect(serializeXsb(parseXsbLevel(text))).toBe(text)
      }),
      { numRuns: 200 },
    )
  })

  it('parse(serializeXsbFile(levels)) keeps titles and comments', () => {
    const word = fc.stringMatching(/^[a-z]{1,8}$/)
    const titled = fc.record({
      level: arbitraryLevel(),
      title: fc.option(fc.oneof(word.map((w) => `'${w}'`), fc.nat(999).map((n) => `; ${n}`), word.map((w) => `Title: ${w}`)), {
        nil: undefined,
      }),
      comments: fc.array(word.map((w) => `; ${w}`), { maxLength: 3 }),
    })
    fc.assert(
      fc.property(fc.array(titled, { minLength: 1, maxLength: 4 }), (items) => {
        const levels: Level[] = items.map(({ level, title, comments }) => ({
          ...level,
          ...(title === undefined ? {} : { title }),
          ...(comments.length === 0 ? {} : { comments }),
        }))
        const back = parseXsb(serializeXsbFile(levels))
        expect(back.map(shape)).toEqual(levels.map(shape))
        expect(back.map((l) => l.title)).toEqual(levels.map((l) => l.title))
        expect(back.map((l) => l.comments ?? [])).toEqual(levels.map((l) => l.comments ?? []))
      }),
      { numRuns: 100 },
    )
  })

  it('serializeXsbFile writes comments, title and board, levels apart by a blank line', () => {
    const a = { ...parseXsbLevel('#####\n#@$.#\n#####'), title: '; 1', comments: ['; by hand'] }
    const b = { ...parseXsbLevel('#####\n#.$@#\n#####'), comments: ['; no title'] }
    expect(serializeXsbFile([a, b])).toBe('; by hand\n; 1\n#####\n#@$.#\n#####\n\n#####\n#.$@#\n#####\n; no title\n')
  })

  it('serializeXsbFile refuses a comment that would read back as a board row', () => {
    const a = { ...parseXsbLevel('#####\n#@$.#\n#####'), comments: ['###'] }
    expect(() => serializeXsbFile([a])).toThrow(/board row/)
  })
})

describeWithSharedData('shared level collections: Microban', 'microban/microban-155.xsb', () => {
  it('[§8] reads Microban: 155 levels, quoted titles win over the "; N" line, and the file round-trips', () => {
    const levels = parseXsb(readSharedText('microban/microban-155.xsb'))
    expect(levels).toHaveLength(155)
    expect(levels[0].title).toBe('; 1')
    expect(levels[43].title).toBe("'Duh!'")
    expect(levels[43].comments).toEqual(['; 44'])
    for (const level of levels) expect(level.start.boxes.length).toBeGreaterThan(0)
    const back = parseXsb(serializeXsbFile(levels))
    expect(back.map(shape)).toEqual(levels.map(shape))
    expect(back.map((l) => [l.title, l.comments])).toEqual(levels.map((l) => [l.title, l.comments]))
  })
})

describeWithSharedData('shared level collections: Boxoban', 'boxoban', () => {
  it('[§1] reads Boxoban files: 1000 levels of 10x10 with 4 boxes each', () => {
    for (const file of ['medium/train/000.txt', 'hard/000.txt', 'unfiltered/test/000.txt']) {
      const levels = parseXsb(readSharedText(`boxoban/${file}`))
      expect(levels, file).toHaveLength(1000)
      expect(levels[999].title).toBe('; 999')
      for (const level of levels) {
        expect([level.rows, level.cols, level.start.boxes.length]).toEqual([10, 10, 4])
      }
    }
  })
})
