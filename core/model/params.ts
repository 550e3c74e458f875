/**
 * @module core/model/params
 * Sampling parameters of one generation request, validated with zod so a bad value is reported
 * with its field name and the allowed range.
 *
 * Filters are applied in Hugging Face's order (`transformers` `_get_logits_processor`):
 * temperature, then top-k, then top-p, then min-p. `temperature: 0` means greedy decoding, and
 * then the other filters have no effect (the most likely token is always taken).
 */
import { z } from 'zod'
import { parseSpec } from '../experiment/schema.ts'

/** The largest `topLogprobs` a request may ask for (as in the OpenAI API). */
export const MAX_TOP_LOGPROBS = 20

/** Sampling parameters; every field has a default, so `{}` is a valid (greedy) request. */
export const SamplingParamsSchema = z
  .object({
    maxNewTokens: z
      .number({ error: 'maxNewTokens must be a number' })
      .int('maxNewTokens must be a whole number')
      .min(1, 'maxNewTokens must be at least 1')
      .default(256),
    temperature: z
      .number({ error: 'temperature must be a number' })
      .min(0, 'temperature must be 0 (greedy) or positive')
      .max(100, 'temperature must be at most 100')
      .default(0),
    topK: z
      .number({ error: 'topK must be a number' })
      .int('topK must be a whole number')
      .min(0, 'topK must be 0 (off) or a positive number of tokens')
      .default(0),
    topP: z
      .number({ error: 'topP must be a number' })
      .gt(0, 'topP must be in (0, 1]; use 1 to turn it off')
      .max(1, 'topP must be in (0, 1]; use 1 to turn it off')
      .default(1),
    minP: z
      .number({ error: 'minP must be a number' })
      .min(0, 'minP must be in [0, 1]; use 0 to turn it off')
      .max(1, 'minP must be in [0, 1]; use 0 to turn it off')
      .default(0),
    stop: z
      .array(z.string().min(1, 'stop strings must not be empty'), { error: 'stop must be an array of strings' })
      .default([]),
    seed: z
      .number({ error: 'seed must be a number' })
      .int('seed must be a whole number')
      .refine(Number.isSafeInteger, 'seed must be a safe integer (|seed| < 2^53)')
      .default(0),
    topLogprobs: z
      .number({ error: 'topLogprobs must be a number' })
      .int('topLogprobs must be a whole number')
      .min(0, `topLogprobs must be in [0, ${MAX_TOP_LOGPROBS}]`)
      .max(MAX_TOP_LOGPROBS, `topLogprobs must be in [0, ${MAX_TOP_LOGPROBS}]`)
      .default(0),
    stopOnEos: z.boolean({ error: 'stopOnEos must be true or false' }).default(true),
  })
  .strict()

/** Validated sampling parameters with every default filled in. */
export type SamplingParams = z.infer<typeof SamplingParamsSchema>
/** Sampling parameters as a caller writes them: every field optional. */
export type SamplingParamsInput = z.input<typeof SamplingParamsSchema>

/** The defaults: greedy, 256 new tokens, no stop strings, seed 0, no alternatives, stop at EOS. */
export const DEFAULT_SAMPLING_PARAMS: SamplingParams = Object.freeze(SamplingParamsSchema.parse({}))

/**
 * Validates `input` and fills in defaults. Throws a `SpecError` listing every bad field as
 * `params.<field>: <problem>`. `base` supplies defaults that override the built-in ones (for
 * example a model's `generation_config.json`); fields of `input` win over both.
 */
export function resolveSamplingParams(input: unknown, base?: SamplingParamsInput): SamplingParams {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    return parseSpec(SamplingParamsSchema, input, 'params')
  }
  // A field set to undefined (an unset CLI flag, say) keeps the default instead of erasing it.
  const given = Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined))
  return parseSpec(SamplingParamsSchema, { ...base, ...given }, 'params')
}

/** True when `params` selects greedy decoding (`temperature: 0`). */
export function isGreedy(params: Pick<SamplingParams, 'temperature'>): boolean {
  return params.temperature === 0
}
