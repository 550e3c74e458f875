// The samples table: filtering, sorting, RFC 4180 CSV and the file name, against hand-written expectations.
import { describe, expect, it } from 'vitest'
import { describeFilter, matcherOf } from '../../../renderer/src/results/filter.ts'
import { csvField, csvFileName, nextSort, samplesCsv, SAMPLE_COLUMNS, sortRows, type SampleRow } from '../../../renderer/src/results/rows.ts'

function row(key: string, extra: Partial<SampleRow> = {}): SampleRow {
  const [variant, difficulty, instance, repeat] = key.split('/')
  return {
    id: `m/${key}`, key, model: 'm', variant, difficulty, instance: Number(instance), repeat: Number(repeat),
    success: true, failure: null, turns: 1, steps: 1, tokens: 5, ...extra,
  }
}

const ROWS: SampleRow[] = [
  row('base/6x6/0/0', { success: false, failure: 'deadlock', tokens: 30 }),
  row('base/6x6/1/0', { tokens: 12 }),
  row('words/6x6/0/0', { success: false, failure: 'out-of-turns', tokens: 7 }),
  row('words/10x10/0/0', { model: 'n', id: 'n/words/10x10/0/0', tokens: 12 }),
  row('base/10x10/10/0', { success: false, failure: 'deadlock', tokens: 2 }),
]

const keysOf = (rows: readonly SampleRow[]) => rows.map((r) => r.id)

describe('sample filter', () => {
  it('every field narrows; an empty filter keeps all', () => {
    expect(ROWS.filter(matcherOf({}))).toHaveLength(5)
    expect(keysOf(ROWS.filter(matcherOf({ variant: 'base' })))).toEqual(['m/base/6x6/0/0', 'm/base/6x6/1/0', 'm/base/10x10/10/0'])
    expect(keysOf(ROWS.filter(matcherOf({ variant: 'base', failure: 'deadlock', difficulty: '6x6' })))).toEqual(['m/base/6x6/0/0'])
    expect(keysOf(ROWS.filter(matcherOf({ failure: 'success' })))).toEqual(['m/base/6x6/1/0', 'n/words/10x10/0/0'])
    expect(keysOf(ROWS.filter(matcherOf({ model: 'n' })))).toEqual(['n/words/10x10/0/0'])
  })

  it('exact keys match whole keys only (no prefixes), combined with the other fields', () => {
    const keys = ['base/6x6/1/0', 'base/10x10/1/0', 'words/6x6/0']
    expect(keysOf(ROWS.filter(matcherOf({ keys })))).toEqual(['m/base/6x6/1/0'])
    expect(ROWS.filter(matcherOf({ keys: [] }))).toEqual([])
    expect(ROWS.filter(matcherOf({ keys: ['base/6x6/1/0'], failure: 'deadlock' }))).toEqual([])
  })

  it('a title: the label, else the fields joined, else "all samples"', () => {
    expect(describeFilter({ label: 'base × 6x6, 1 box', variant: 'x' })).toBe('base × 6x6, 1 box')
    expect(describeFilter({ variant: 'base', difficulty: '6x6', failure: 'deadlock' })).toBe('base × 6x6 × deadlock')
    expect(describeFilter({ keys: ['a', 'b'] })).toBe('2 cells')
    expect(describeFilter({})).toBe('all samples')
  })
})

describe('sorting', () => {
  it('numbers numerically, text naturally (10 after 6), ties in file order', () => {
    expect(sortRows(ROWS, { column: 'tokens', descending: false }).map((r) => r.tokens)).toEqual([2, 7, 12, 12, 30])
    // The two 12s keep file order either way.
    expect(keysOf(sortRows(ROWS, { column: 'tokens', descending: true }))).toEqual([
      'm/base/6x6/0/0', 'm/base/6x6/1/0', 'n/words/10x10/0/0', 'm/words/6x6/0/0', 'm/base/10x10/10/0',
    ])
    expect(sortRows(ROWS, { column: 'difficulty', descending: false }).map((r) => r.difficulty)).toEqual(['6x6', '6x6', '6x6', '10x10', '10x10'])
    expect(sortRows(ROWS, { column: 'key', descending: false }).map((r) => r.key)[0]).toBe('base/6x6/0/0')
  })

  it('a success (no failure kind) sorts before any failure kind; false before true', () => {
    expect(sortRows(ROWS, { column: 'failure', descending: false }).map((r) => r.failure)).toEqual([null, null, 'deadlock', 'deadlock', 'out-of-turns'])
    expect(sortRows(ROWS, { column: 'success', descending: false }).map((r) => r.success)).toEqual([false, false, false, true, true])
  })

  it('no sort keeps file order, in a new array', () => {
    const same = sortRows(ROWS, null)
    expect(same).toEqual(ROWS)
    expect(same).not.toBe(ROWS)
  })

  it('a header click cycles ascending, descending, none; another column starts ascending', () => {
    const up = nextSort(null, 'tokens')
    expect(up).toEqual({ column: 'tokens', descending: false })
    const down = nextSort(up, 'tokens')
    expect(down).toEqual({ column: 'tokens', descending: true })
    expect(nextSort(down, 'tokens')).toBeNull()
    expect(nextSort(down, 'key')).toEqual({ column: 'key', descending: false })
  })
})

describe('CSV (RFC 4180)', () => {
  it('quotes a field exactly when it holds a comma, quote, CR or LF, doubling inner quotes', () => {
    expect(csvField('plain')).toBe('plain')
    expect(csvField('a,b')).toBe('"a,b"')
    expect(csvField('say "hi"')).toBe('"say ""hi"""')
    expect(csvField('two\nlines')).toBe('"two\nlines"')
    expect(csvField('cr\r')).toBe('"cr\r"')
    expect(csvField(null)).toBe('')
    expect(csvField(false)).toBe('false')
    expect(csvField(3)).toBe('3')
  })

  it('a header, then one CRLF-ended record per row in table order', () => {
    const text = samplesCsv([ROWS[0], row('v,"x"/6x6/2/1', { tokens: 9 })])
    expect(text).toBe(
      'key,model,variant,difficulty,instance,repeat,success,failure,turns,steps,tokens\r\n' +
        'base/6x6/0/0,m,base,6x6,0,0,false,deadlock,1,1,30\r\n' +
        '"v,""x""/6x6/2/1",m,"v,""x""",6x6,2,1,true,,1,1,9\r\n',
    )
    expect(SAMPLE_COLUMNS).toHaveLength(11)
    expect(samplesCsv([])).toBe(`${SAMPLE_COLUMNS.join(',')}\r\n`)
  })

  it('names the file after the table title', () => {
    expect(csvFileName('base × 6x6, 1 box')).toBe('samples-base-6x6-1-box.csv')
    expect(csvFileName('A only (A = sokoban-eval-base, B = x)')).toBe('samples-a-only-a-sokoban-eval-base-b-x.csv')
    expect(csvFileName('×××')).toBe('samples.csv')
  })
})
