/** The words of the sweep cell's size and time estimate (pure, so they are tested as written). */
import { formatDuration, type Estimate, type SweepSize } from './estimate.ts'

/** `1 cell`, `1,200 cells`. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`
}

/** `24 cells: 2 variants × 3 difficulties × 4 instances × 1 repeat`. */
export function describeSize(size: SweepSize, cells: number): string {
  const parts = [
    plural(size.variants, 'variant'),
    plural(size.difficulties, 'difficulty', 'difficulties'),
    plural(size.instances, 'instance'),
    plural(size.repeats, 'repeat'),
    ...(size.models > 1 ? [plural(size.models, 'model')] : []),
  ]
  return `${plural(cells, 'cell')}: ${parts.join(' × ')}`
}

/** What an estimate says, and on what it rests. */
export function describeEstimate(e: Estimate, answers: number, maxNewTokens: number, maxNewTokensGiven: boolean): { time: string; basis: string } {
  if (e.source === 'last-run') {
    const startup = e.startupSeconds > 0 ? ` after ${formatDuration(e.startupSeconds)} to start` : ''
    return { time: `about ${formatDuration(e.seconds)}`, basis: `at this sweep's last run's ${e.secondsPerCell.toFixed(2)} s per cell${startup}` }
  }
  if (e.source === 'generation') {
    const ttft = Number.isFinite(e.timeToFirstTokenMs) ? `${(e.timeToFirstTokenMs / 1000).toFixed(2)} s` : 'an unknown time'
    const tokens = `${maxNewTokens}${maxNewTokensGiven ? '' : " (sftbench's default; the model may set another)"}`
    return {
      time: `about ${formatDuration(e.seconds)} of generation`,
      basis:
        `the loaded model's ${e.tokensPerSecond.toFixed(1)} tokens/s after ${ttft} to the first token, ` +
        `× up to ${plural(answers, 'answer')} of ${tokens} tokens per cell, one at a time; ` +
        'starting the run and stepping the environment add to it, answers that stop early and batching take from it'
    }
  }
  return { time: 'unknown until the first cells finish', basis: '' }
}
