/**
 * @module electron/cli/commands/report
 * `sftbench report DIR [--csv FILE] [--cells-csv FILE] [--html FILE] [--svg FILE] [--markdown FILE] [--inspect FILE] [--json]`:
 * the summary table of a run folder, recomputed from `results.jsonl` (so it is right for a run that
 * was cancelled, killed or is still going), plus optional exports: aggregates and cells as CSV for
 * pandas, a standalone HTML report with the plotly charts, a static SVG chart and a Markdown table
 * (for model cards and notes), and an Inspect AI eval log.
 */
import fs from 'node:fs'
import path from 'node:path'
import { aggregateResults } from '../../../core/eval/metrics.ts'
import { MANIFEST_FILE, RESULTS_FILE, RunFolderError, readRun, type RunData } from '../../eval/run-folder.ts'
import { writeFileAtomic } from '../../services/atomic.ts'
import { cellCsvLines, formatAggregatesCsv } from '../../report/csv.ts'
import { runFacts } from '../../report/facts.ts'
import { loadPlotlyBundle, renderHtmlReport } from '../../report/html.ts'
import { buildInspectLog } from '../../report/inspect-log.ts'
import { renderSuccessSvg } from '../../report/svg.ts'
import { formatMarkdownTable, formatSummaryTable } from '../../report/table.ts'
import { CliFailure, EXIT_OK, JSON_OPTION, UsageError, flag, printJson, stringOpt, type Command } from '../command.ts'
import type { CliIo } from '../io.ts'

const HOW_TO_MAKE = 'A run folder is what "sftbench eval SWEEP.json --out DIR" writes (manifest.json, results.jsonl, ...).'

/**
 * Reads the run folder named on the command line, turning every way it can be unusable into a
 * `CliFailure` that says what is missing and what to do. Notes a torn last line on stderr.
 */
export async function readRunFolder(arg: string, io: CliIo): Promise<RunData> {
  const dir = path.resolve(io.cwd, arg)
  const stat = fs.statSync(dir, { throwIfNoEntry: false })
  if (!stat) throw new CliFailure(`${arg}: no such folder. ${HOW_TO_MAKE}`)
  if (!stat.isDirectory()) throw new CliFailure(`${arg} is a file, not a run folder. ${HOW_TO_MAKE}`)
  if (!fs.existsSync(path.join(dir, MANIFEST_FILE))) {
    const hasResults = fs.existsSync(path.join(dir, RESULTS_FILE))
    throw new CliFailure(
      hasResults
        ? `${arg} has ${RESULTS_FILE} but no ${MANIFEST_FILE}, so its sweep is unknown. ` +
            `Resume it with the sweep file to rewrite the manifest: sftbench eval SWEEP.json --resume ${arg}`
        : `${arg} is not a run folder: it has no ${MANIFEST_FILE}. ${HOW_TO_MAKE}`,
    )
  }
  let run: RunData
  try {
    run = await readRun(dir)
  } catch (error) {
    if (error instanceof RunFolderError) throw new CliFailure(error.message)
    throw error
  }
  if (run.tornLine) {
    io.stderr(
      `Note: ${arg} ends in an incomplete line (the run was interrupted while writing); it was skipped. ` +
        `"sftbench eval --resume ${arg}" reruns that cell.\n`,
    )
  }
  return run
}

/** Writes a file atomically, creating its folder; a failure names the file. */
async function writeOutput(file: string, content: Parameters<typeof writeFileAtomic>[1]): Promise<void> {
  try {
    await fs.promises.mkdir(path.dirname(file), { recursive: true })
    await writeFileAtomic(file, content)
  } catch (error) {
    throw new CliFailure(`Could not write ${file}: ${(error as Error).message}`)
  }
}

/** Joins CSV lines into chunks of about 64 KiB, so a large run is written in few system calls. */
async function writeCellsCsv(file: string, run: RunData): Promise<void> {
  await writeOutput(file, async (sink) => {
    let chunk = ''
    for (const line of cellCsvLines(run.results)) {
      chunk += line
      if (chunk.length >= 65536) {
        await sink.write(chunk)
        chunk = ''
      }
    }
    if (chunk.length > 0) await sink.write(chunk)
  })
}

/** `sftbench report`: see the module comment. */
export const reportCommand: Command = {
  name: 'report',
  summary: 'Summarise a run folder: success with 95% CI per model, variant and difficulty; CSV, HTML and Inspect exports.',
  usage: 'report DIR [--csv FILE] [--cells-csv FILE] [--html FILE] [--svg FILE] [--markdown FILE] [--inspect FILE] [--json]',
  description: [
    'Prints the summary table of a run folder (the one "sftbench eval" printed), recomputed from its',
    'results.jsonl, so it also works on a cancelled, killed or running sweep. Exports on request:',
    '  --csv        one row per (model, variant, difficulty): rates, Wilson bounds, failures by kind',
    '  --cells-csv  one row per cell: outcome, metrics, failure, timing and the last output',
    '  --html       a standalone page (plotly inlined, works offline): success and validity against',
    '               difficulty, one line per model x variant with its 95% band, the table and the run facts',
    '  --svg        a static chart (no script): success with 95% whiskers per variant and difficulty,',
    '               one bar per model; it shows in a README, a paper draft or a browser',
    '  --markdown   the summary as a Markdown table (success, 95% CI, validity, n)',
    '  --inspect    an Inspect AI eval log (JSON, version 2), one sample per cell, for "inspect view"',
    '',
    'Example: sftbench report runs/smoke --csv smoke.csv --html smoke.html',
  ].join('\n'),
  options: {
    csv: { type: 'string', value: 'FILE', help: 'Write the aggregates as CSV.' },
    'cells-csv': { type: 'string', value: 'FILE', help: 'Write one CSV row per cell.' },
    html: { type: 'string', value: 'FILE', help: 'Write the standalone HTML report.' },
    svg: { type: 'string', value: 'FILE', help: 'Write a static SVG chart of success with 95% CIs.' },
    markdown: { type: 'string', value: 'FILE', help: 'Write the summary as a Markdown table.' },
    inspect: { type: 'string', value: 'FILE', help: 'Write an Inspect AI eval log (JSON).' },
    json: JSON_OPTION,
  },
  allowPositionals: true,
  async run(args, io) {
    if (args.positionals.length !== 1) {
      throw new UsageError(
        args.positionals.length === 0 ? 'Give the run folder to report on.' : `Give one run folder; got ${args.positionals.length}.`,
      )
    }
    const arg = args.positionals[0]
    const run = await readRunFolder(arg, io)
    const aggregates = aggregateResults(run.results, run.spec)
    const facts = runFacts(run)
    const out = (name: string): string | undefined => {
      const value = stringOpt(args, name)
      return value === undefined ? undefined : path.resolve(io.cwd, value)
    }
    const files = {
      csv: out('csv'),
      cellsCsv: out('cells-csv'),
      html: out('html'),
      svg: out('svg'),
      markdown: out('markdown'),
      inspect: out('inspect'),
    }

    if (files.csv) await writeOutput(files.csv, formatAggregatesCsv(aggregates))
    if (files.cellsCsv) await writeCellsCsv(files.cellsCsv, run)
    if (files.html) {
      const html = renderHtmlReport({ aggregates, facts, plotly: loadPlotlyBundle(), generatedAt: new Date().toISOString() })
      await writeOutput(files.html, html)
    }
    if (files.svg) await writeOutput(files.svg, renderSuccessSvg(aggregates, { title: `${facts.name}: success rate` }))
    if (files.markdown) await writeOutput(files.markdown, formatMarkdownTable(aggregates))
    if (files.inspect) {
      const log = buildInspectLog({ facts, results: run.results, prompts: run.prompts, aggregates })
      await writeOutput(files.inspect, JSON.stringify(log))
    }

    if (flag(args, 'json')) {
      printJson(io, {
        dir: run.dir,
        name: facts.name,
        task: facts.task,
        status: facts.status,
        done: facts.cellsDone,
        total: facts.cellsTotal,
        aggregates,
        files,
      })
      return EXIT_OK
    }
    const total = facts.cellsTotal === null ? '' : ` of ${facts.cellsTotal}`
    io.stdout(`Run ${facts.name} (${facts.task === 'gp' ? 'General Points' : 'Sokoban'}): ${facts.status}, ${facts.cellsDone}${total} cells.\n\n`)
    io.stdout(formatSummaryTable(aggregates))
    const labels: [string | undefined, string][] = [
      [files.csv, 'aggregates CSV'],
      [files.cellsCsv, 'cells CSV'],
      [files.html, 'HTML report'],
      [files.svg, 'SVG chart'],
      [files.markdown, 'Markdown table'],
      [files.inspect, 'Inspect AI log'],
    ]
    for (const [file, what] of labels) if (file) io.stderr(`Wrote the ${what} to ${file}\n`)
    return EXIT_OK
  },
}
