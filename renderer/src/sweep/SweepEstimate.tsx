/**
 * The sweep cell's size and time: before a run, the number of cells (variants × difficulties × N ×
 * R) and an estimate from measured throughput (see `estimate.ts`); while it runs, the time left at
 * the live rate.
 */
import { useState } from 'react'
import type { GeneratePrompt } from '../../../core/model/client.ts'
import type { SamplingParamsPatch } from '../../../core/notebook/sampling-patch.ts'
import { useWorkbench } from '../app/context.ts'
import type { SweepView } from '../app/run-store.ts'
import { describeEstimate, describeSize, plural } from './describe.ts'
import { estimateSweep, formatDuration, liveSecondsPerCell, remainingSeconds, type Estimate } from './estimate.ts'
import type { SweepPlan } from './plan.ts'
import { measureModelSpeed, useFolderRate, useModelSpeed, useRunTiming } from './throughput.ts'
import './sweep.css'

/** How to measure the loaded model on this sweep's prompt (null: the sweep reads no task or template). */
export interface SpeedProbe {
  prompt(): Promise<GeneratePrompt>
  readonly params: SamplingParamsPatch
}

export interface SweepEstimateProps {
  readonly cellId: string
  readonly runDir: string | null
  readonly plan: SweepPlan | null
  readonly view: SweepView
  readonly probe: SpeedProbe | null
  readonly readOnly: boolean
}

function sameModel(statusDir: string | null, modelPath: string | null): boolean {
  if (statusDir === null || modelPath === null) return false
  const norm = (p: string): string => p.replace(/\\/g, '/').replace(/\/+$/, '').replace(/^\.\//, '')
  const a = norm(statusDir)
  const b = norm(modelPath)
  return a === b || a.endsWith(`/${b}`)
}

export function SweepEstimate({ cellId, runDir, plan, view, probe, readOnly }: SweepEstimateProps) {
  const { transport } = useWorkbench()
  const running = view.status === 'running' || view.status === 'starting'
  const timing = useRunTiming(cellId, view, plan?.modelPath ?? null)
  const folderRate = useFolderRate(transport, runDir, plan?.modelPath ?? null, !running && timing.lastRun === null)
  const model = useModelSpeed(transport)
  const [measuring, setMeasuring] = useState(false)
  const [measureError, setMeasureError] = useState<string | null>(null)

  if (running) {
    const progress =
      timing.elapsedMs === null
        ? null
        : { done: view.done, total: view.total, finishedHere: view.finishedHere, elapsedMs: timing.elapsedMs, sinceFirstCellMs: timing.sinceFirstCellMs }
    const perCell = progress === null ? null : liveSecondsPerCell(progress)
    const left = progress === null ? null : remainingSeconds(progress)
    return (
      <div className="sweep-estimate" data-testid="sweep-estimate">
        <span data-testid="sweep-remaining">
          {left === null ? (
            'Time left: unknown until the first cells finish'
          ) : (
            <>
              About <strong>{formatDuration(left)}</strong> left
              {perCell !== null ? ` (${perCell.toFixed(2)} s per cell at the live rate)` : ''}
            </>
          )}
        </span>
      </div>
    )
  }
  if (plan === null) return null

  const speed = model.status?.state === 'ready' && sameModel(model.status.dir, plan.modelPath) ? model.speed : null
  const lastRate = timing.lastRun ?? folderRate
  const answers = plan.workload.task === 'sokoban' && plan.workload.mode === 'closed-loop' ? plan.workload.maxTurns : 1
  const estimateOf = (cells: number): Estimate => estimateSweep({ cells, lastRun: lastRate, workload: plan.workload, speed })
  const whole = describeEstimate(estimateOf(plan.cells), answers, plan.workload.maxNewTokens, plan.maxNewTokensGiven)
  const left = view.total > 0 && view.done < view.total && view.status !== 'idle' && view.status !== 'completed' ? view.total - view.done : 0
  const resume = left > 0 ? describeEstimate(estimateOf(left), answers, plan.workload.maxNewTokens, plan.maxNewTokensGiven) : null
  const modelReady = model.status?.state === 'ready' && sameModel(model.status.dir, plan.modelPath)
  const measure = async (): Promise<void> => {
    if (!probe) return
    setMeasuring(true)
    setMeasureError(null)
    try {
      await measureModelSpeed(transport, await probe.prompt(), probe.params)
    } catch (e) {
      setMeasureError(e instanceof Error ? e.message : String(e))
    } finally {
      setMeasuring(false)
    }
  }
  return (
    <div className="sweep-estimate" data-testid="sweep-estimate">
      <span data-testid="sweep-cells">{describeSize(plan.size, plan.cells)}</span>
      <span data-testid="sweep-time">
        Time: <strong>{whole.time}</strong>
        {whole.basis ? ` (${whole.basis})` : ''}
      </span>
      {resume ? (
        <span data-testid="sweep-resume-time">
          Resume: {plural(left, 'cell')} left, {resume.time}
        </span>
      ) : null}
      {speed === null && lastRate === null && probe !== null ? (
        modelReady ? (
          <button className="small" disabled={readOnly || measuring} onClick={() => void measure()} data-testid="sweep-measure" title="Generates 32 tokens of this sweep's first prompt">
            {measuring ? 'Measuring…' : 'Measure speed'}
          </button>
        ) : (
          <span className="hint">Load the model (run the model cell) to measure its speed, or run the sweep.</span>
        )
      ) : null}
      {measureError ? <span className="sweep-field-error">{measureError}</span> : null}
    </div>
  )
}
