/**
 * What a sweep cell is about to run, for the estimate: the sweep spec checked by the sweep parser
 * (so a bad value shows as the parser's message in the form, before Run), its axes and what a cell
 * generates at most.
 */
import { parseSweepSpec, sweepProtocol, type SweepSpec } from '../../../core/eval/spec.ts'
import { DEFAULT_SAMPLING_PARAMS } from '../../../core/model/params.ts'
import type { JsonValue } from '../../../core/notebook/schema.ts'
import { cellCount, type SweepSize, type Workload } from './estimate.ts'

export interface SweepPlan {
  readonly spec: SweepSpec
  readonly size: SweepSize
  readonly cells: number
  readonly workload: Workload
  /** The sweep gives `maxNewTokens` (else sftbench's default stands in; the model's own default may differ). */
  readonly maxNewTokensGiven: boolean
  /** The first model's folder (onnx), which measured speeds must belong to. */
  readonly modelPath: string | null
}

export type PlanResult = { readonly ok: true; readonly plan: SweepPlan } | { readonly ok: false; readonly message: string }

/** The plan of a built spec, or the sweep parser's message (`sweep.difficulties[1].difficulty.rows: ...`). */
export function planOf(specJson: { [key: string]: JsonValue }): PlanResult {
  let spec: SweepSpec
  try {
    spec = parseSweepSpec(specJson)
  } catch (e) {
    if (!(e instanceof Error)) throw e
    return { ok: false, message: e.message }
  }
  const size: SweepSize = {
    variants: spec.variants.length,
    difficulties: spec.difficulties.length,
    instances: spec.instances,
    repeats: spec.repeats,
    models: spec.models.length,
  }
  const protocol = sweepProtocol(spec)
  const given = spec.models[0]?.sampling?.maxNewTokens
  const backend = spec.models[0]?.backend
  return {
    ok: true,
    plan: {
      spec,
      size,
      cells: cellCount(size),
      workload: { task: spec.task, mode: protocol.mode, maxTurns: protocol.maxTurns, maxNewTokens: given ?? DEFAULT_SAMPLING_PARAMS.maxNewTokens },
      maxNewTokensGiven: given !== undefined,
      modelPath: backend?.kind === 'onnx' ? backend.path : null,
    },
  }
}
