// CSV exports: RFC 4180 quoting checked against literal strings, and every document parsed back
// with an independent RFC 4180 reader (below) and compared field by field with the records.
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import {
  AGGREGATE_CSV_COLUMNS,
  CELL_CSV_COLUMNS,
  FAILURE_KINDS,
  cellCsvLines,
  csvField,
  formatAggregatesCsv,
  formatCellsCsv,
} from '../../../electron/report/csv.ts'
import { aggregate, gpCell, sokobanCell } from './fixtures.ts'

/** A small RFC 4180 reader: CRLF or LF records, quoted fields with doubled quotes. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let i = 0
  let quoted = false
  while (i < text.length) {
    const ch = text[i]
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"'
        i += 2
      } else if (ch === '"') {
        quoted = false
        i++
      } else {
        field += ch
        i++
      }
    } else if (ch === '"' && field === '') {
      quoted = true
      i++
    } else if (ch === ',') {
      row.push(field)
      field = ''
      i++
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field)
      rows.push(row)
      row = []
      field = ''
      i += 2
    } else if (ch === '\n') {
      row.push(field)
      rows.push(row)
      row = []
      field = ''
      i++
    } else {
      field += ch
      i++
    }
  }
  if (field !== '' || row.length > 0) {
    row.push(field)
    rows.push(row)
  }
  return rows
}

function records(text: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text)
  return rows.map((r) => {
    expect(r.length).toBe(header.length)
    return Object.fromEntries(header.map((h, i) => [h, r[i]]))
  })
}

describe('csvField (RFC 4180 §2)', () => {
  it('quotes exactly the fields that need it and doubles inner quotes', () => {
    expect(csvField('plain')).toBe('plain')
    expect(csvField('a,b')).toBe('"a,b"')
    expect(csvField('say "hi"')).toBe('"say ""hi"""')
    expect(csvField('two\nlines')).toBe('"two\nlines"')
    expect(csvField('cr\rhere')).toBe('"cr\rhere"')
    expect(csvField(' spaced ')).toBe(' spaced ')
    expect(csvField(null)).toBe('')
    expect(csvField(true)).toBe('true')
    expect(csvField(0.1)).toBe('0.1')
  })

  it('round-trips any string through the reader', () => {
    // Strings built from the characters that matter to quoting, plus ordinary ones.
    const unit = fc.constantFrom('a', ',', '"', '\r', '\n', ' ', 'é')
    const field = fc.string({ unit, maxLength: 12 })
    fc.assert(
      fc.property(fc.array(field, { minLength: 1, maxLength: 5 }), (fields) => {
        const line = `${fields.map(csvField).join(',')}\r\n`
        expect(parseCsv(line)).toEqual([fields])
      }),
    )
  })
})

describe('aggregate CSV', () => {
  it('has one header of unique snake_case names and one row per aggregate that reads back exactly', () => {
    expect(new Set(AGGREGATE_CSV_COLUMNS).size).toBe(AGGREGATE_CSV_COLUMNS.length)
    for (const c of AGGREGATE_CSV_COLUMNS) expect(c).toMatch(/^[a-z][a-z0-9_]*$/)
    const aggs = [
      aggregate({ variant: 'base', difficulty: '6x6-1' }),
      aggregate({
        variant: 'comma, "quoted"',
        difficulty: 'gp-easy',
        difficultyValue: 2.5,
        validityCi: { low: 0.1, high: 0.9 },
        failures: { 'wrong-value': 3, 'backend-error': 1 },
        floatExactDisagreements: 2,
      }),
    ]
    const text = formatAggregatesCsv(aggs)
    expect(text.startsWith(`${AGGREGATE_CSV_COLUMNS.join(',')}\r\n`)).toBe(true)
    const rows = records(text)
    expect(rows).toHaveLength(2)
    rows.forEach((row, i) => {
      const a = aggs[i]
      expect(row.model).toBe(a.model)
      expect(row.variant).toBe(a.variant)
      expect(row.difficulty).toBe(a.difficulty)
      expect(Number(row.difficulty_value)).toBe(a.difficultyValue)
      expect(Number(row.n)).toBe(a.n)
      expect(Number(row.successes)).toBe(a.successes)
      expect(Number(row.success_rate)).toBe(a.successRate)
      expect(Number(row.success_ci_low)).toBe(a.successCi.low)
      expect(Number(row.success_ci_high)).toBe(a.successCi.high)
      expect(Number(row.validity)).toBe(a.validity)
      expect(row.validity_ci_low).toBe(a.validityCi ? String(a.validityCi.low) : '')
      expect(Number(row.mean_reward)).toBe(a.meanReward)
      expect(Number(row.mean_turns)).toBe(a.meanTurns)
      expect(Number(row.tokens)).toBe(a.tokens)
      expect(Number(row.float_exact_disagreements)).toBe(a.floatExactDisagreements)
      for (const kind of FAILURE_KINDS) {
        expect(Number(row[`failures_${kind.replace(/-/g, '_')}`]), kind).toBe(a.failures[kind] ?? 0)
      }
    })
  })

  it('an empty run is just the header', () => {
    expect(parseCsv(formatAggregatesCsv([]))).toEqual([[...AGGREGATE_CSV_COLUMNS]])
  })
})

describe('cell CSV', () => {
  it('writes one row per cell; outputs with quotes, commas and newlines read back unchanged', () => {
    const tricky = 'line one\r\nline "two", with comma\n<answer>Up</answer>'
    const cells = [
      sokobanCell({ success: true }),
      sokobanCell({ success: false, instance: 1 }),
      gpCell({ success: false, output: tricky }),
    ]
    const text = formatCellsCsv(cells)
    const rows = records(text)
    expect(rows).toHaveLength(3)
    expect(Object.keys(rows[0])).toEqual([...CELL_CSV_COLUMNS])
    expect(rows[0]).toMatchObject({
      id: 'tiny/base/6x6-1/0/0',
      key: 'base/6x6-1/0/0',
      task: 'sokoban',
      success: 'true',
      failure: '',
      sokoban_end: 'solved',
      gp_target: '',
      output: 'I push right. <answer>Right</answer>',
    })
    expect(rows[1]).toMatchObject({ success: 'false', failure: 'out-of-turns', turns: '2', output: '<answer>Left</answer>' })
    expect(rows[2]).toMatchObject({
      task: 'gp',
      gp_cards: '3 3 4 A',
      gp_target: '24',
      gp_paper_reward: '-1',
      gp_strict_ok: 'false',
      sokoban_end: '',
      cached_generations: '1',
      output: tricky,
    })
  })

  it('streams the same document line by line', () => {
    const cells = [sokobanCell({ success: true }), gpCell({ success: true })]
    const lines = [...cellCsvLines(cells)]
    expect(lines).toHaveLength(3)
    expect(lines.join('')).toBe(formatCellsCsv(cells))
  })
})
