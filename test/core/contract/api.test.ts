import { describe, expect, expectTypeOf, it } from 'vitest'
import {
  API,
  CHANNEL_PREFIX,
  ERROR_CODES,
  EVENT_CHANNELS,
  REQUEST_CHANNELS,
  isEventChannel,
  isRequestChannel,
  type RequestOf,
  type ResponseOf,
  type Transport,
  type ModelStatus,
} from '../../../core/contract/api.ts'
import { validateRequest } from '../../../core/contract/validate.ts'

describe('contract channels', () => {
  it('every request and event channel carries the wb: prefix', () => {
    for (const name of [...REQUEST_CHANNELS, ...EVENT_CHANNELS]) expect(name.startsWith(CHANNEL_PREFIX)).toBe(true)
  })

  it('covers the channels the app needs (issue 7 list)', () => {
    const needed = [
      'wb:models.list', 'wb:models.load', 'wb:models.unload', 'wb:models.status',
      'wb:generate.start', 'wb:generate.cancel', 'wb:score',
      'wb:sweeps.start', 'wb:sweeps.cancel', 'wb:sweeps.resume',
      'wb:runs.list', 'wb:runs.read',
      'wb:notebooks.open', 'wb:notebooks.save', 'wb:notebooks.recent', 'wb:notebooks.recover', 'wb:notebooks.autosave',
      'wb:levels.generate', 'wb:hands.generate', 'wb:files.list', 'wb:files.pick', 'wb:app.info',
    ]
    for (const name of needed) expect(REQUEST_CHANNELS).toContain(name)
    expect(EVENT_CHANNELS).toEqual(expect.arrayContaining(['wb:generate.event', 'wb:sweeps.event']))
  })

  it('request and event names do not overlap, and the guards tell them apart', () => {
    for (const name of EVENT_CHANNELS) expect(isRequestChannel(name)).toBe(false)
    for (const name of REQUEST_CHANNELS) expect(isEventChannel(name)).toBe(false)
    expect(isRequestChannel('wb:nope')).toBe(false)
    expect(isRequestChannel('toString')).toBe(false)
    expect(isRequestChannel(42)).toBe(false)
  })

  it('lists the error codes the issue names', () => {
    for (const code of ['invalid-request', 'not-found', 'forbidden', 'no-model', 'conflict', 'cancelled', 'internal']) {
      expect(ERROR_CODES).toContain(code)
    }
  })

  it('types requests and responses from the map', () => {
    expectTypeOf<RequestOf<'wb:models.load'>>().toHaveProperty('dir')
    expectTypeOf<ResponseOf<'wb:models.status'>>().toEqualTypeOf<ModelStatus>()
    expectTypeOf<Transport['request']>().toBeFunction()
  })
})

describe('validateRequest', () => {
  it('fills in defaults', () => {
    const result = validateRequest('wb:models.load', { dir: 'models/tiny' })
    expect(result).toEqual({ ok: true, value: { dir: 'models/tiny', provider: 'auto' } })
  })

  it('names the bad field of an invalid payload', () => {
    const result = validateRequest('wb:models.load', { dir: 3 })
    expect(result.ok).toBe(false)
    if (!result.ok) {
      expect(result.error.code).toBe('invalid-request')
      expect(result.error.message).toContain('payload.dir')
    }
  })

  it('names nested fields with their path (sampling temperature)', () => {
    const result = validateRequest('wb:generate.start', { requestId: 'r1', prompt: 'hi', params: { temperature: -1 } })
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.error.message).toContain('payload.params.temperature: temperature must be 0')
  })

  it('refuses unknown fields (strict payloads)', () => {
    const result = validateRequest('wb:models.status', { extra: true })
    expect(result.ok).toBe(false)
  })

  it('keeps missing sampling fields missing, so the model defaults apply', () => {
    const result = validateRequest('wb:generate.start', { requestId: 'r1', prompt: 'hi', params: { topK: 5 } })
    expect(result).toEqual({ ok: true, value: { requestId: 'r1', prompt: 'hi', params: { topK: 5 } } })
  })

  it('refuses an unknown channel', () => {
    const result = validateRequest('wb:fs.readFile', {})
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.error.message).toContain('Unknown channel "wb:fs.readFile"')
  })

  it('treats a missing payload as an empty object', () => {
    expect(validateRequest('wb:app.info', undefined).ok).toBe(true)
  })

  it('instance sources need exactly one of preset and difficulty', () => {
    expect(validateRequest('wb:levels.generate', { count: 2 }).ok).toBe(false)
    expect(validateRequest('wb:levels.generate', { count: 2, preset: 'a', difficulty: 'simple' }).ok).toBe(false)
    expect(validateRequest('wb:levels.generate', { count: 2, difficulty: 'simple' }).ok).toBe(true)
  })

  it('every channel schema accepts objects only', () => {
    for (const name of REQUEST_CHANNELS) expect(API[name].request.safeParse('x').success).toBe(false)
  })
})
