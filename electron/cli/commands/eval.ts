/**
 * @module electron/cli/commands/eval
 * `sftbench eval [SWEEP.json] [--out DIR] [--resume DIR] [--no-cache] [--cache-dir DIR]
 * [--concurrency N] [--json]`: runs a sweep into a run folder with a progress bar (cells done,
 * ETA, tokens/s) on stderr, then prints the summary table (success and its 95% interval per model,
 * variant and difficulty). Ctrl-C stops cleanly: finished cells stay in the folder, the summary says
 * `cancelled`, the exit code is 130, and `--resume DIR` continues with only the missing cells.
 */
import type { SweepEvent } from '../../../core/eval/types.ts'
import { BackendError } from '../../eval/backends.ts'
import { EvalOptionsError, runEval, type EvalOutcome } from '../../eval/eval-service.ts'
import { RunFolderError } from '../../eval/run-folder.ts'
import { formatSummaryTable } from '../../report/table.ts'
import {
  CliFailure,
  EXIT_OK,
  JSON_OPTION,
  UsageError,
  flag,
  optionalIntOpt,
  printJson,
  stringOpt,
  type Command,
} from '../command.ts'
import type { CliIo } from '../io.ts'
import { startProgress, type Progress } from '../progress.ts'

/** The exit code of a run stopped with Ctrl-C (128 + SIGINT), as shells report it. */
export const EXIT_INTERRUPTED = 130

/** Progress on stderr from the sweep's events: cells done this session, ETA, tokens/s. */
function progressReporter(io: CliIo, enabled: boolean): { onEvent: (event: SweepEvent) => void; finish: () => void } {
  let progress: Progress | undefined
  let done = 0
  let tokens = 0
  let started = 0
  return {
    onEvent(event) {
      if (event.type === 'sweep-started') {
        const remaining = event.total - event.alreadyDone
        if (enabled && event.alreadyDone > 0) io.stderr(`Resuming: ${event.alreadyDone} of ${event.total} cells already done.\n`)
        progress = startProgress(io, 'eval', remaining, enabled)
        started = performance.now()
      } else if (event.type === 'cell-finished') {
        done++
        tokens += event.result.tokens
        const seconds = (performance.now() - started) / 1000
        progress?.update(done, seconds > 0 ? `${(tokens / seconds).toFixed(0)} tok/s` : '')
      }
    },
    finish() {
      progress?.finish()
    },
  }
}

/** The `--json` document. */
function jsonOutcome(outcome: EvalOutcome): unknown {
  return {
    dir: outcome.dir,
    status: outcome.status,
    done: outcome.done,
    total: outcome.total,
    ranNow: outcome.ranNow,
    cache: outcome.cache,
    models: outcome.models.map((m) => ({ name: m.name, provider: m.provider, modelHash: m.modelHash, location: m.location })),
    aggregates: outcome.aggregates,
  }
}

/** `sftbench eval`: see the module comment. */
export const evalCommand: Command = {
  name: 'eval',
  summary: 'Run a sweep (variants x difficulties x instances over models) into a run folder; Ctrl-C keeps finished cells.',
  usage: 'eval [SWEEP.json] [--out DIR] [--resume DIR] [options]',
  description: [
    'Runs every cell of a sweep file (see samples/sweeps/README.md) and records it in a run folder:',
    'manifest.json, results.jsonl (one line per finished cell), prompts.jsonl and summary.json. A progress',
    'bar with the ETA and tokens/s goes to stderr; the summary table (success rate with its Wilson 95%',
    'interval per model, variant and difficulty) to stdout. Generations are cached by model hash, provider,',
    'prompt tokens and sampling parameters, so an unchanged cell costs nothing the second time.',
    '',
    'Ctrl-C stops cleanly (exit code 130): finished cells stay, and --resume DIR runs only the missing ones.',
    'A folder killed before its manifest was written resumes with the sweep file: sftbench eval SWEEP.json --resume DIR',
    '',
    'Example: sftbench eval samples/sweeps/smoke.json --out runs/smoke',
    '         sftbench report runs/smoke --html runs/smoke/report.html',
  ].join('\n'),
  options: {
    out: { type: 'string', short: 'o', value: 'DIR', help: 'The new run folder (default runs/<sweep name>-<date>-<time>).' },
    resume: { type: 'string', value: 'DIR', help: 'Continue the run in DIR: only cells missing from it run.' },
    'no-cache': { type: 'boolean', help: 'Neither read nor write the generation cache.' },
    'cache-dir': {
      type: 'string',
      value: 'DIR',
      help: 'Cache folder for generations and model hashes (default $XDG_CACHE_HOME/sftbench or ~/.cache/sftbench).',
    },
    concurrency: { type: 'string', value: 'N', help: "Episodes in flight (default: the sweep's concurrency, else 16)." },
    model: { type: 'string', multiple: true, value: 'NAME', help: "Run only this model of the sweep (repeatable; default all)." },
    'no-progress': { type: 'boolean', help: 'No progress bar on stderr.' },
    json: JSON_OPTION,
  },
  allowPositionals: true,
  async run(args, io) {
    if (args.positionals.length > 1) throw new UsageError(`give at most one SWEEP.json; got ${args.positionals.length} arguments.`)
    const sweepFile = args.positionals[0]
    const resumeDir = stringOpt(args, 'resume')
    const outDir = stringOpt(args, 'out')
    if (sweepFile === undefined && resumeDir === undefined) throw new UsageError('give a SWEEP.json file, or --resume DIR.')
    if (outDir !== undefined && resumeDir !== undefined) {
      throw new UsageError('--out and --resume exclude each other: a resumed run stays in its folder.')
    }
    const concurrency = optionalIntOpt(args, 'concurrency', 1, 4096)
    const given = args.values.model
    const modelNames = Array.isArray(given) ? given.filter((s): s is string => typeof s === 'string') : []
    if (modelNames.length > 0 && resumeDir !== undefined) throw new UsageError('--model and --resume exclude each other: a resumed run keeps its models.')
    const json = flag(args, 'json')
    const reporter = progressReporter(io, !flag(args, 'no-progress'))

    const controller = new AbortController()
    let interrupted = false
    const onSigint = (): void => {
      interrupted = true
      if (!json) io.stderr('\nStopping: no new cells start; every finished cell is kept...\n')
      controller.abort()
    }
    process.once('SIGINT', onSigint)
    let outcome: EvalOutcome
    try {
      outcome = await runEval({
        ...(sweepFile === undefined ? {} : { sweepFile }),
        ...(outDir === undefined ? {} : { outDir }),
        ...(resumeDir === undefined ? {} : { resumeDir }),
        ...(concurrency === undefined ? {} : { concurrency }),
        ...(modelNames.length === 0 ? {} : { models: modelNames }),
        cwd: io.cwd,
        cacheDir: stringOpt(args, 'cache-dir'),
        noCache: flag(args, 'no-cache'),
        signal: controller.signal,
        onEvent: reporter.onEvent,
        onOpening: (model) => {
          if (!json) io.stderr(`Loading model "${model.name}"...\n`)
        },
      })
    } catch (error) {
      if (error instanceof EvalOptionsError || error instanceof RunFolderError || error instanceof BackendError) {
        throw new CliFailure(error.message)
      }
      throw error
    } finally {
      process.removeListener('SIGINT', onSigint)
      reporter.finish()
    }

    if (json) {
      printJson(io, jsonOutcome(outcome))
    } else {
      io.stdout(formatSummaryTable(outcome.aggregates))
      const cache = outcome.cache === null ? 'cache off' : `cache: ${outcome.cache.hits} hits, ${outcome.cache.misses} generated`
      io.stderr(
        `${outcome.status === 'completed' ? 'Completed' : 'Cancelled'}: ${outcome.done}/${outcome.total} cells ` +
          `(${outcome.ranNow} this run; ${cache}) in ${outcome.dir}\n`,
      )
      if (outcome.status === 'cancelled') io.stderr(`Resume with: sftbench eval --resume ${outcome.dir}\n`)
    }
    return outcome.status === 'cancelled' || interrupted ? EXIT_INTERRUPTED : EXIT_OK
  },
}
