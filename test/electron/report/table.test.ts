// The terminal summary table: a golden rendering written out by hand from the column rules
// (text left-aligned, numbers right-aligned, two spaces between columns).
import { describe, expect, it } from 'vitest'
import { formatMarkdownTable, formatPercent, formatSummaryTable } from '../../../electron/report/table.ts'
import { aggregate } from './fixtures.ts'

describe('formatSummaryTable', () => {
  it('renders success %, the 95% CI, validity, reward, turns and n per model x variant x difficulty', () => {
    const text = formatSummaryTable([
      aggregate({ variant: 'base', difficulty: '6x6-1' }),
      aggregate({
        variant: '<script>',
        difficulty: '7x7-2',
        n: 5,
        successes: 5,
        successRate: 1,
        successCi: { low: 0.5657, high: 1 },
        validity: 1,
        meanReward: 10.9,
        meanTurns: 3,
      }),
    ])
    expect(text).toBe(
      [
        'model  variant   difficulty   n  success      95% CI  validity  reward  turns',
        '-----  --------  ----------  --  -------  ----------  --------  ------  -----',
        'tiny   base      6x6-1       20    45.0%   25.8-65.8     80.0%    1.23   12.3',
        'tiny   <script>  7x7-2        5   100.0%  56.6-100.0    100.0%   10.90    3.0',
        '',
      ].join('\n'),
    )
  })

  it('keeps columns aligned for long names', () => {
    const text = formatSummaryTable([
      aggregate({ model: 'a-very-long-model-name', variant: 'v', difficulty: 'd' }),
      aggregate({ model: 'm', variant: 'a-very-long-variant-name', difficulty: 'another-difficulty' }),
    ])
    const lines = text.trimEnd().split('\n')
    // Every row ends with the right-aligned turns column, so all rows have the same length.
    expect(new Set(lines.map((l) => l.length)).size).toBe(1)
    expect(lines[2].indexOf('45.0%')).toBe(lines[3].indexOf('45.0%'))
  })

  it('says so when there is nothing to show', () => {
    expect(formatSummaryTable([])).toBe('No finished cells yet.\n')
  })

  it('formats rates as percentages with one decimal', () => {
    expect(formatPercent(0)).toBe('0.0%')
    expect(formatPercent(1)).toBe('100.0%')
    expect(formatPercent(2 / 3)).toBe('66.7%')
  })
})

describe('formatMarkdownTable', () => {
  it('renders a GitHub Markdown table (written out by hand), escapes "|" and skips groups with no cells', () => {
    const text = formatMarkdownTable([
      aggregate({ variant: 'base', difficulty: '6x6-1' }),
      aggregate({ variant: 'a|b', difficulty: '7x7-2', n: 5, successes: 5, successRate: 1, successCi: { low: 0.5657, high: 1 }, validity: 1 }),
      aggregate({ variant: 'empty', difficulty: '8x8-1', n: 0, successes: 0, successRate: 0 }),
    ])
    expect(text).toBe(
      [
        '| model | variant | difficulty | n | success | 95% CI | validity |',
        '|---|---|---|---:|---:|---:|---:|',
        '| tiny | base | 6x6-1 | 20 | 45.0% | 25.8-65.8% | 80.0% |',
        '| tiny | a\\|b | 7x7-2 | 5 | 100.0% | 56.6-100.0% | 100.0% |',
        '',
      ].join('\n'),
    )
    expect(formatMarkdownTable([])).toBe('No finished cells yet.\n')
  })
})
