// `sftbench report`, run in-process on real run folders (the engine with scripted clients writing
// through the run store), and on folders that are missing, empty or damaged.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { main } from '../../../electron/cli/main.ts'
import { captureIo } from '../../../electron/cli/io.ts'
import { oracleClient, randomClient } from '../../../core/eval/scripted.ts'
import type { Aggregate } from '../../../core/eval/types.ts'
import { formatSummaryTable } from '../../../electron/report/table.ts'
import { makeRun, resultLines, sokobanSweep, tempFolder } from '../report/run-fixture.ts'
import { typeProblems, validate } from '../report/inspect-schema.ts'
import type { InspectEvalLog } from '../../../electron/report/inspect-log.ts'

const temp = tempFolder('sftbench-report-')
let oracleRun = ''
let randomRun = ''

beforeAll(async () => {
  oracleRun = await makeRun(temp.dir, 'oracle', sokobanSweep('oracle'), new Map([['oracle', oracleClient()]]))
  randomRun = await makeRun(temp.dir, 'random', sokobanSweep('random'), new Map([['random', randomClient(3)]]))
})
afterAll(() => temp.cleanup())

async function report(...argv: string[]) {
  const io = captureIo(temp.dir)
  const code = await main(['report', ...argv], io)
  return { code, out: io.out, err: io.err }
}

describe('sftbench report', () => {
  it('prints the summary table recomputed from results.jsonl; the oracle solves every level', async () => {
    const { code, out, err } = await report('oracle')
    expect(err).toBe('')
    expect(code).toBe(0)
    expect(out.split('\n')[0]).toBe('Run report-test (Sokoban): completed, 6 of 6 cells.')
    const rows = out.split('\n').filter((l) => l.startsWith('oracle '))
    expect(rows).toHaveLength(2)
    for (const row of rows) expect(row).toMatch(/^oracle\s+sokoban-eval-\w+\s+6x6-1box\s+3\s+100\.0%\s+43\.9-100\.0\s/)
    // The same table as the runner's own aggregates in summary.json (an independent tally).
    const summary = JSON.parse(fs.readFileSync(path.join(oracleRun, 'summary.json'), 'utf8')) as { aggregates: Aggregate[] }
    expect(out.slice(out.indexOf('\n\n') + 2)).toBe(formatSummaryTable(summary.aggregates))
  })

  it('--json gives the aggregates and the run status', async () => {
    const { code, out } = await report('random', '--json')
    expect(code).toBe(0)
    const doc = JSON.parse(out) as { status: string; done: number; total: number; aggregates: Aggregate[] }
    expect(doc).toMatchObject({ status: 'completed', done: 6, total: 6 })
    const lines = resultLines(randomRun)
    for (const a of doc.aggregates) {
      const mine = lines.filter((l) => l.variant === a.variant)
      expect(a.n).toBe(mine.length)
      expect(a.successes).toBe(mine.filter((l) => l.success).length)
    }
  })

  it('writes the aggregates CSV, the cells CSV, the HTML report, the SVG chart, the Markdown table and the Inspect log', async () => {
    const out = path.join(temp.dir, 'exports')
    const { code, err } = await report(
      'oracle',
      '--csv', 'exports/agg.csv',
      '--cells-csv', 'exports/cells.csv',
      '--html', 'exports/report.html',
      '--inspect', 'exports/log.json',
      '--svg', 'exports/chart.svg',
      '--markdown', 'exports/table.md',
    )
    expect(code).toBe(0)
    expect(err).toContain(`Wrote the SVG chart to ${path.join(out, 'chart.svg')}`)
    // The oracle solves every cell: each of the run's two groups draws one full-height bar.
    const svg = fs.readFileSync(path.join(out, 'chart.svg'), 'utf8')
    expect(svg.match(/<title>[^<]*: 100\.0% \(95% CI/g)).toHaveLength(2)
    const md = fs.readFileSync(path.join(out, 'table.md'), 'utf8').trimEnd().split('\n')
    expect(md[0]).toBe('| model | variant | difficulty | n | success | 95% CI | validity |')
    expect(md).toHaveLength(2 + 2)
    expect(md.slice(2).every((row) => row.includes('| 100.0% |'))).toBe(true)
    expect(err).toContain(`Wrote the HTML report to ${path.join(out, 'report.html')}`)
    const agg = fs.readFileSync(path.join(out, 'agg.csv'), 'utf8').trimEnd().split('\r\n')
    expect(agg).toHaveLength(3)
    expect(agg[0].startsWith('model,variant,difficulty,difficulty_value,n,successes,success_rate,')).toBe(true)
    const cells = fs.readFileSync(path.join(out, 'cells.csv'), 'utf8')
    const ids = resultLines(oracleRun).map((l) => l.id)
    for (const id of ids) expect(cells).toContain(`\r\n${id},`)
    const html = fs.readFileSync(path.join(out, 'report.html'), 'utf8')
    expect(html).toContain('window.Plotly = Plotly')
    expect(html).toContain('A sweep for the &lt;report&gt; tests')
    const log = JSON.parse(fs.readFileSync(path.join(out, 'log.json'), 'utf8')) as InspectEvalLog
    expect(validate(log, 'EvalLog', 'log')).toEqual([])
    expect(typeProblems(log)).toEqual([])
    expect(log).toMatchObject({ version: 2, status: 'success' })
    expect(log.samples.map((s) => s.metadata.cell_id as string).sort()).toEqual([...ids].sort())
    expect(log.samples.every((s) => s.scores.success.value === 'C')).toBe(true)
    // Closed loop: each turn's prompt and output, in order; the oracle's prompts are in prompts.jsonl.
    for (const s of log.samples) {
      expect(s.messages.length).toBe(2 * (s.metadata.turns as number))
      expect(s.messages.every((m) => !m.content.startsWith('[prompt '))).toBe(true)
    }
  })

  it('reads past a torn last line and says so', async () => {
    const copy = path.join(temp.dir, 'torn')
    fs.cpSync(oracleRun, copy, { recursive: true })
    fs.appendFileSync(path.join(copy, 'results.jsonl'), '{"v":1,"id":"oracle/sokoban-eval-base/6x')
    const { code, out, err } = await report('torn')
    expect(code).toBe(0)
    expect(err).toContain('torn ends in an incomplete line')
    expect(err).toContain('sftbench eval --resume torn')
    expect(out).toContain('6 of 6 cells')
  })

  it('fails clearly on a missing folder, a file, an empty folder and results without a manifest', async () => {
    const missing = await report('nope')
    expect(missing.code).toBe(1)
    expect(missing.err).toMatch(/^nope: no such folder\. A run folder is what "sftbench eval SWEEP.json --out DIR" writes/)

    fs.writeFileSync(path.join(temp.dir, 'file.txt'), 'x')
    const file = await report('file.txt')
    expect(file.code).toBe(1)
    expect(file.err).toContain('file.txt is a file, not a run folder.')

    fs.mkdirSync(path.join(temp.dir, 'empty'))
    const empty = await report('empty')
    expect(empty.code).toBe(1)
    expect(empty.err).toContain('empty is not a run folder: it has no manifest.json.')

    const orphan = path.join(temp.dir, 'orphan')
    fs.mkdirSync(orphan)
    fs.copyFileSync(path.join(oracleRun, 'results.jsonl'), path.join(orphan, 'results.jsonl'))
    const noManifest = await report('orphan')
    expect(noManifest.code).toBe(1)
    expect(noManifest.err).toContain('orphan has results.jsonl but no manifest.json')
    expect(noManifest.err).toContain('sftbench eval SWEEP.json --resume orphan')
  })

  it('passes on the run store\'s message for a damaged results line', async () => {
    const copy = path.join(temp.dir, 'damaged')
    fs.cpSync(oracleRun, copy, { recursive: true })
    const file = path.join(copy, 'results.jsonl')
    const lines = fs.readFileSync(file, 'utf8').split('\n')
    lines[1] = '{not json'
    fs.writeFileSync(file, lines.join('\n'))
    const { code, err } = await report('damaged')
    expect(code).toBe(1)
    expect(err).toContain('results.jsonl')
    expect(err).toMatch(/line 2/)
  })

  it('usage errors: no folder or two folders', async () => {
    expect((await report()).code).toBe(2)
    const two = await report('a', 'b')
    expect(two.code).toBe(2)
    expect(two.err).toContain('Give one run folder; got 2.')
  })
})
