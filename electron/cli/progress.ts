/**
 * @module electron/cli/progress
 * A progress bar on stderr for long work. On a terminal it redraws one line in place; otherwise
 * it prints a line at most every few seconds, so logs stay readable.
 */
import type { CliIo } from './io.ts'

/** A started progress bar. */
export interface Progress {
  /** Sets the number of finished items. */
  update(done: number, note?: string): void
  /** Clears the bar (terminal) or prints a final line (logs). */
  finish(note?: string): void
}

/** Starts a progress bar for `total` items labelled `label`. */
export function startProgress(io: CliIo, label: string, total: number, enabled = true): Progress {
  const started = performance.now()
  let lastDraw = 0
  const width = 28

  function line(done: number, note?: string): string {
    const fraction = total > 0 ? Math.min(1, done / total) : 1
    const filled = Math.round(fraction * width)
    const elapsed = (performance.now() - started) / 1000
    const rate = elapsed > 0 ? done / elapsed : 0
    const eta = rate > 0 && done < total ? ` eta ${formatSeconds((total - done) / rate)}` : ''
    const bar = '█'.repeat(filled) + '░'.repeat(width - filled)
    return `${label} ${bar} ${done}/${total} ${rate.toFixed(rate < 10 ? 2 : 0)}/s${eta}${note ? ` ${note}` : ''}`
  }

  return {
    update(done, note) {
      if (!enabled) return
      const now = performance.now()
      const interval = io.stderrIsTty ? 100 : 5000
      if (now - lastDraw < interval && done < total) return
      lastDraw = now
      if (io.stderrIsTty) io.stderr(`\r\x1b[2K${line(done, note)}`)
      else io.stderr(`${line(done, note)}\n`)
    },
    finish(note) {
      if (!enabled) return
      if (io.stderrIsTty) io.stderr('\r\x1b[2K')
      else if (note) io.stderr(`${label} ${note}\n`)
    },
  }
}

function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(0)}s`
  const minutes = Math.floor(seconds / 60)
  return `${minutes}m${String(Math.round(seconds % 60)).padStart(2, '0')}s`
}
