/**
 * @module core/notebook/sampling-patch
 * Sampling parameters with every field optional and no defaults filled in, so a missing field
 * keeps meaning "the model's default" (its `generation_config.json`) rather than the built-in one.
 * Each field keeps `SamplingParamsSchema`'s checks and messages.
 */
import { z } from 'zod'
import { SamplingParamsSchema } from '../model/params.ts'

type Shape = (typeof SamplingParamsSchema)['shape']
type Patch = { [K in keyof Shape]: z.ZodOptional<Shape[K] extends z.ZodDefault<infer Inner> ? Inner : Shape[K]> }

function withoutDefaults(shape: Shape): Patch {
  const out: Record<string, z.ZodType> = {}
  for (const [key, schema] of Object.entries(shape)) {
    const inner = schema instanceof z.ZodDefault ? (schema.unwrap() as z.ZodType) : (schema as z.ZodType)
    out[key] = inner.optional()
  }
  return out as unknown as Patch
}

/** Sampling parameters as a patch over the model's defaults: every field optional, none filled in. */
export const SamplingParamsPatchSchema = z.object(withoutDefaults(SamplingParamsSchema.shape)).strict()

/** A sampling-parameter patch. */
export type SamplingParamsPatch = z.infer<typeof SamplingParamsPatchSchema>
