// Text renderers (paper-tasks.md §3.1, environments.md §2.2). The seed-123 golden string is
// copied from paper-tasks.md §3.1; the other expected grids are written by hand from the tables.
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { VOID, WALL, type Level, type SokobanState } from '../../../core/sokoban/level.ts'
import { applyMove } from '../../../core/sokoban/rules.ts'
import type { Direction } from '../../../core/sokoban/directions.ts'
import { LevelParseError, parseXsbLevel } from '../../../core/sokoban/xsb.ts'
import {
  PAPER_LAYOUT,
  PAPER_SYMBOLS,
  REASONING_GYM_SYMBOLS,
  XSB_SYMBOLS,
  gridRenderer,
  parseGrid,
  parsePaperGrid,
  renderGrid,
  renderPaperGrid,
  validateSymbolSet,
  type GridLayout,
  type SymbolSet,
} from '../../../core/sokoban/text.ts'
import { thrownBy } from '../../harness/errors.ts'
import { PAPER_SAMPLES_FILE, describeWithSharedData, loadPaperSamples } from '../../harness/shared-data.ts'
import { arbitraryLevel } from './arbitrary-level.ts'

// paper-tasks.md §3.1, "Example, 6×6, seed 123", copied verbatim.
const SEED_123_GRID =
  ' # \t # \t # \t # \t # \t # \t\n # \t # \t # \t # \t # \t # \t\n # \t O \t # \t # \t # \t # \t\n # \t X \t P \t # \t # \t # \t\n # \t _ \t _ \t # \t # \t # \t\n # \t # \t # \t # \t # \t # \t'
const SEED_123_XSB = ['######', '######', '#.####', '#$@###', '#  ###', '######'].join('\n')

function sameLevel(a: Level, b: Level): void {
  expect([a.rows, a.cols, [...a.fixed]]).toEqual([b.rows, b.cols, [...b.fixed]])
  expect(a.start).toEqual(b.start)
}

describe('renderPaperGrid', () => {
  it('[§3.1] renders the seed-123 example byte for byte', () => {
    const level = parseXsbLevel(SEED_123_XSB)
    expect(renderPaperGrid(level, level.start)).toBe(SEED_123_GRID)
  })

  it('[§3.1] every cell is 4 characters ending in TAB, and there is no trailing newline', () => {
    const text = renderPaperGrid(parseXsbLevel(SEED_123_XSB), parseXsbLevel(SEED_123_XSB).start)
    const rows = text.split('\n')
    expect(rows).toHaveLength(6)
    for (const row of rows) {
      expect(row).toHaveLength(24)
      expect(row.endsWith('\t')).toBe(true)
    }
    expect(text.endsWith('\n')).toBe(false)
  })

  it('[§3.1] shows a player on a goal as S and a box on a goal as √ (U+221A)', () => {
    const level = parseXsbLevel('######\n#+$ .#\n#* $ #\n######')
    expect(renderPaperGrid(level, level.start).split('\n')[1]).toBe(' # \t S \t X \t _ \t O \t # \t')
    expect(renderPaperGrid(level, level.start).split('\n')[2]).toBe(' # \t \u221A \t _ \t X \t _ \t # \t')
    // the same level after the player steps off its goal
    const moved = { player: 9, boxes: level.start.boxes }
    expect(renderPaperGrid(level, moved).split('\n')[1]).toBe(' # \t O \t X \t P \t O \t # \t')
  })

  it('draws cells outside the walls as walls, since the paper has no outside', () => {
    const level = parseXsbLevel('  ####\n###  #\n#@$.##\n#####')
    expect(renderPaperGrid(level, level.start).split('\n')[0]).toBe(' # \t # \t # \t # \t # \t # \t')
  })

  it('is the inverse of parsePaperGrid on the seed-123 example', () => {
    const level = parsePaperGrid(SEED_123_GRID)
    sameLevel(level, parseXsbLevel(SEED_123_XSB))
  })
})

describeWithSharedData('paper samples', PAPER_SAMPLES_FILE, () => {
  it('[§3.1] renders every paper sample level exactly as the reference did', () => {
    const { sokoban } = loadPaperSamples()
    expect(sokoban.length).toBeGreaterThan(0)
    for (const sample of sokoban) {
      const level = parseXsbLevel(sample.xsb.join('\n'))
      expect(renderPaperGrid(level, level.start), `${sample.tag} seed ${sample.seed}`).toBe(sample.text_grid)
      sameLevel(parsePaperGrid(sample.text_grid), level)
    }
  })
})

describe('renderGrid with other symbol sets', () => {
  const level = parseXsbLevel('  #####\n###+$.#\n#*  $ #\n#######')

  it('[env §2.2] XSB symbols with no layout give the XSB text, outside kept as spaces', () => {
    expect(renderGrid(level, level.start, XSB_SYMBOLS)).toBe('  #####\n###+$.#\n#*  $ #\n#######')
  })

  it('[env §2.2] reasoning-gym symbols: + wall, - floor, X goal, @ box, $ box on goal, * player, % player on goal', () => {
    // outside cells have no reasoning-gym symbol, so they are drawn as walls
    expect(renderGrid(level, level.start, REASONING_GYM_SYMBOLS)).toBe('+++++++\n+++%@X+\n+$--@-+\n+++++++')
  })

  it('uses the void symbol when one is given, and any row separator', () => {
    const symbols: SymbolSet = { ...PAPER_SYMBOLS, void: '.' }
    expect(renderGrid(level, level.start, symbols, { rowSeparator: '/' })).toBe('..#####/###SXO#/#\u221A__X_#/#######')
  })
})

describe('parseGrid inverts renderGrid', () => {
  it('with the paper symbols and layout, on random levels', () => {
    fc.assert(
      fc.property(arbitraryLevel(), (level) => {
        const back = parsePaperGrid(renderPaperGrid(level, level.start))
        // the paper has no outside: VOID comes back as wall, everything else exactly
        const expected = [...level.fixed].map((c) => (c === VOID ? WALL : c))
        expect([...back.fixed]).toEqual(expected)
        expect(back.start).toEqual(level.start)
      }),
      { numRuns: 200 },
    )
  })

  it('with XSB symbols, where floor and outside share the space and a flood fill tells them apart', () => {
    fc.assert(
      fc.property(arbitraryLevel(), (level) => {
        sameLevel(parseGrid(renderGrid(level, level.start, XSB_SYMBOLS), XSB_SYMBOLS), level)
      }),
      { numRuns: 200 },
    )
  })

  // Eight distinct single characters, emoji and letters that join into multi-unit strings included.
  const pool = [...'ABCDEFGHJKLMNQRTUVWYZabcdeghkmnoqrsuvwxyz0123456789#$%&*+=?!@^~'].concat(['\u{1F9F1}', '\u2B1B', '\u{1F4E6}', '\u2705'])
  const symbolSet = fc.shuffledSubarray(pool, { minLength: 8, maxLength: 8 }).map(
    ([wall, floor, goal, box, boxOnGoal, player, playerOnGoal, outside]): SymbolSet => ({
      wall,
      floor,
      goal,
      box,
      boxOnGoal,
      player,
      playerOnGoal,
      void: outside,
    }),
  )

  it('with random user symbol sets and no delimiters', () => {
    fc.assert(
      fc.property(arbitraryLevel(), symbolSet, (level, symbols) => {
        sameLevel(parseGrid(renderGrid(level, level.start, symbols), symbols), level)
      }),
      { numRuns: 200 },
    )
  })

  it('with random multi-character symbols and random delimiters', () => {
    const word = fc.stringMatching(/^[a-z]{1,3}$/)
    const words = fc.uniqueArray(word, { minLength: 8, maxLength: 8 })
    const layout = fc.record({
      cellPrefix: fc.constantFrom('', ' ', '['),
      cellSuffix: fc.constantFrom(' ', ']', ' \t', '|'),
      rowSeparator: fc.constantFrom('\n', ' / ', '\n\n'),
    })
    fc.assert(
      fc.property(arbitraryLevel(), words, layout, (level, w, lay: GridLayout) => {
        const symbols: SymbolSet = {
          wall: w[0],
          floor: w[1],
          goal: w[2],
          box: w[3],
          boxOnGoal: w[4],
          player: w[5],
          playerOnGoal: w[6],
          void: w[7],
        }
        sameLevel(parseGrid(renderGrid(level, level.start, symbols, lay), symbols, lay), level)
      }),
      { numRuns: 200 },
    )
  })
})

/** The position after `moves` from the level's start. */
function after(level: Level, moves: readonly number[]): SokobanState {
  let state = level.start
  for (const m of moves) state = applyMove(level, state, m as Direction).state
  return state
}

const moves = fc.array(fc.integer({ min: 1, max: 4 }), { maxLength: 12 })

describe('gridRenderer draws what renderGrid draws', () => {
  const styles: [string, SymbolSet, GridLayout | undefined][] = [
    ['paper', PAPER_SYMBOLS, PAPER_LAYOUT],
    ['XSB', XSB_SYMBOLS, undefined],
    ['reasoning-gym, custom layout', REASONING_GYM_SYMBOLS, { cellPrefix: '[', cellSuffix: ']', rowSeparator: ' / ' }],
  ]
  for (const [name, symbols, layout] of styles) {
    it(`every position of random levels, ${name} style`, () => {
      fc.assert(
        fc.property(arbitraryLevel(), fc.array(moves, { minLength: 1, maxLength: 4 }), (level, walks) => {
          const render = gridRenderer(level, symbols, layout)
          for (const walk of walks) {
            const state = after(level, walk)
            expect(render(state)).toBe(renderGrid(level, state, symbols, layout))
          }
        }),
        { numRuns: 150 },
      )
    })
  }

  it('renderGrid draws with the symbols as they are at the call, even when the same object changed', () => {
    const level = parseXsbLevel(SEED_123_XSB)
    const symbols = { ...PAPER_SYMBOLS }
    const layout = { ...PAPER_LAYOUT }
    expect(renderGrid(level, level.start, symbols, layout)).toBe(SEED_123_GRID)
    symbols.wall = 'W'
    layout.rowSeparator = '|'
    expect(renderGrid(level, level.start, symbols, layout)).toBe(SEED_123_GRID.replaceAll('#', 'W').replaceAll('\n', '|'))
  })

  it('[§3.1] renders the seed-123 example byte for byte, and keeps no state between positions', () => {
    const level = parseXsbLevel(SEED_123_XSB)
    const render = gridRenderer(level, PAPER_SYMBOLS, PAPER_LAYOUT)
    const moved = after(level, [2])
    expect(render(level.start)).toBe(SEED_123_GRID)
    expect(render(moved)).toBe(renderPaperGrid(level, moved))
    expect(render(level.start)).toBe(SEED_123_GRID)
  })
})

describe('parsePaperGrid reads exactly what parseGrid reads', () => {
  /** The level parseGrid gives, or its error message. */
  const outcome = (read: () => Level): unknown => {
    try {
      const level = read()
      return { rows: level.rows, cols: level.cols, fixed: [...level.fixed], start: level.start }
    } catch (error) {
      return `${(error as Error).name}: ${(error as Error).message}`
    }
  }
  const edit = fc.record({
    at: fc.nat(),
    kind: fc.constantFrom('replace', 'insert', 'delete'),
    char: fc.constantFrom(' ', '#', '_', 'O', 'X', '\u221A', 'P', 'S', '\t', '\n', 'Y', '\r'),
  })

  it('on rendered positions of random levels, and on the same text with random damage', () => {
    fc.assert(
      fc.property(arbitraryLevel(), moves, fc.array(edit, { maxLength: 2 }), (level, walk, edits) => {
        let text = renderPaperGrid(level, after(level, walk))
        for (const { at, kind, char } of edits) {
          const i = at % (text.length + 1)
          text = text.slice(0, i) + (kind === 'delete' ? '' : char) + text.slice(kind === 'insert' ? i : i + 1)
        }
        expect(outcome(() => parsePaperGrid(text))).toEqual(outcome(() => parseGrid(text, PAPER_SYMBOLS, PAPER_LAYOUT)))
      }),
      { numRuns: 400 },
    )
  })
})

describe('ambiguous symbol sets are refused with a clear message', () => {
  it('two meanings with the same symbol', () => {
    const clash = { ...PAPER_SYMBOLS, box: 'O' }
    expect(() => validateSymbolSet(clash)).toThrow(/'goal' and 'box' are both "O"/)
    expect(() => parseGrid(' O \t', clash, PAPER_LAYOUT)).toThrow(/ambiguous/)
  })

  it('a symbol that starts another when cells have no delimiters', () => {
    const prefixed = { ...PAPER_SYMBOLS, playerOnGoal: 'PS' }
    expect(() => validateSymbolSet(prefixed)).toThrow(/"P" \('player'\) and "PS" \('playerOnGoal'\) start alike/)
    // with a cell suffix the same set reads back fine
    expect(() => validateSymbolSet(prefixed, PAPER_LAYOUT)).not.toThrow()
  })

  it('an empty symbol, or one that contains the row separator', () => {
    expect(() => validateSymbolSet({ ...PAPER_SYMBOLS, floor: '' })).toThrow(/'floor' must be a non-empty string/)
    expect(() => validateSymbolSet({ ...PAPER_SYMBOLS, floor: '_\n' })).toThrow(/row separator/)
  })
})

describe('parseGrid errors', () => {
  it('points at an unknown cell by row and column', () => {
    const text = SEED_123_GRID.replace(' X \t', ' Y \t')
    const e = thrownBy(LevelParseError, () => parsePaperGrid(text))
    expect([e.line, e.column]).toEqual([4, 6])
    expect(e.message).toMatch(/unexpected "Y"/)
  })

  it('refuses rows of different widths and a trailing newline', () => {
    const rows = SEED_123_GRID.split('\n')
    const ragged = [...rows.slice(0, 3), rows[3].slice(4), ...rows.slice(4)].join('\n')
    expect(thrownBy(LevelParseError, () => parsePaperGrid(ragged)).message).toMatch(/row 4 has 5 cells but row 1 has 6/)
    expect(thrownBy(LevelParseError, () => parsePaperGrid(SEED_123_GRID + '\n')).message).toMatch(/trailing row separator/)
  })

  it('checks the position like a level file: one player, boxes = goals', () => {
    const twoPlayers = SEED_123_GRID.replace(' _ \t', ' P \t')
    expect(thrownBy(LevelParseError, () => parsePaperGrid(twoPlayers)).message).toMatch(/2 players/)
  })
})
