import { describe, expect, it } from 'vitest'
import {
  DEFAULT_SAMPLING_PARAMS,
  SamplingParamsSchema,
  isGreedy,
  resolveSamplingParams,
} from '../../../core/model/params.ts'

describe('sampling parameters', () => {
  it('defaults to greedy, 256 new tokens, no filters, seed 0, stop at EOS', () => {
    expect(DEFAULT_SAMPLING_PARAMS).toEqual({
      maxNewTokens: 256,
      temperature: 0,
      topK: 0,
      topP: 1,
      minP: 0,
      stop: [],
      seed: 0,
      topLogprobs: 0,
      stopOnEos: true,
    })
    expect(isGreedy(DEFAULT_SAMPLING_PARAMS)).toBe(true)
    expect(isGreedy({ temperature: 0.1 })).toBe(false)
  })

  it('layers request fields over model defaults over built-in defaults; undefined keeps the default', () => {
    const p = resolveSamplingParams({ topP: 0.9, temperature: undefined }, { temperature: 0.7, topP: 0.8, topK: 20 })
    expect(p).toMatchObject({ temperature: 0.7, topP: 0.9, topK: 20, maxNewTokens: 256 })
  })

  it.each([
    [{ topP: 0 }, 'params.topP: topP must be in (0, 1]; use 1 to turn it off'],
    [{ topP: 1.5 }, 'params.topP: topP must be in (0, 1]; use 1 to turn it off'],
    [{ temperature: -0.5 }, 'params.temperature: temperature must be 0 (greedy) or positive'],
    [{ topK: 2.5 }, 'params.topK: topK must be a whole number'],
    [{ minP: 2 }, 'params.minP: minP must be in [0, 1]; use 0 to turn it off'],
    [{ maxNewTokens: 0 }, 'params.maxNewTokens: maxNewTokens must be at least 1'],
    [{ topLogprobs: 21 }, 'params.topLogprobs: topLogprobs must be in [0, 20]'],
    [{ stop: ['ok', ''] }, 'params.stop[1]: stop strings must not be empty'],
    [{ seed: 2 ** 60 }, 'params.seed: seed must be a safe integer'],
    [{ temperature: '1' }, 'params.temperature: temperature must be a number'],
    [{ stopOnEos: 'yes' }, 'params.stopOnEos: stopOnEos must be true or false'],
  ])('rejects %j naming the field', (input, message) => {
    expect(() => resolveSamplingParams(input)).toThrow(message)
  })

  it('rejects unknown fields, naming them', () => {
    expect(() => resolveSamplingParams({ top_p: 0.9 })).toThrow(/top_p/)
  })

  it('lists every bad field at once', () => {
    expect(() => resolveSamplingParams({ topP: 0, minP: -1 })).toThrow(/params\.topP[\s\S]*params\.minP/)
  })

  it('the schema alone fills defaults for a partial input', () => {
    expect(SamplingParamsSchema.parse({ temperature: 1 }).topP).toBe(1)
  })
})
