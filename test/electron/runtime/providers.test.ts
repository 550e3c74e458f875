// @vitest-environment node
// Execution providers: the plan `auto` follows on each platform, the CUDA library check, and the
// fallback that onnxruntime-node does not do by itself (see electron/runtime/onnx.ts) — with CUDA absent, `auto`
// binds the CPU and an explicit `cuda` fails naming CUDA and the install command.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createSession, releaseSession } from '../../../electron/runtime/onnx.ts'
import {
  CUDA_INSTALL_COMMAND,
  ProviderUnavailableError,
  cudaLibraryPath,
  platformFacts,
  providerAvailability,
  providerPlan,
  type PlatformFacts,
} from '../../../electron/runtime/providers.ts'
import { FIXTURE } from './fixture.ts'

const MODEL = path.join(FIXTURE, 'onnx/model.onnx')
const fakeOrt = fs.mkdtempSync(path.join(os.tmpdir(), 'sftbench-ort-'))
afterAll(() => fs.rmSync(fakeOrt, { recursive: true, force: true }))

function facts(platform: NodeJS.Platform, arch = 'x64'): PlatformFacts {
  return { platform, arch, ortPackageDir: fakeOrt }
}

const cudaHere = providerAvailability('cuda', platformFacts()).available

describe('providerPlan', () => {
  it('auto tries CUDA, then DirectML on Windows or CoreML on macOS, then the CPU', () => {
    expect(providerPlan('auto', 'linux')).toEqual(['cuda', 'cpu'])
    expect(providerPlan('auto', 'win32')).toEqual(['cuda', 'dml', 'cpu'])
    expect(providerPlan('auto', 'darwin')).toEqual(['coreml', 'cpu'])
  })

  it('an explicit choice is tried alone', () => {
    expect(providerPlan('cuda', 'linux')).toEqual(['cuda'])
    expect(providerPlan('cpu', 'win32')).toEqual(['cpu'])
  })
})

describe('providerAvailability', () => {
  it('CUDA needs the provider library beside the binding', () => {
    const linux = facts('linux')
    const missing = providerAvailability('cuda', linux)
    expect(missing.available).toBe(false)
    expect(missing.reason).toContain('libonnxruntime_providers_cuda.so')
    expect(missing.fix).toContain(CUDA_INSTALL_COMMAND)
    const lib = cudaLibraryPath(linux)
    expect(lib).toBe(path.join(fakeOrt, 'bin/napi-v6/linux/x64/libonnxruntime_providers_cuda.so'))
    fs.mkdirSync(path.dirname(lib), { recursive: true })
    fs.writeFileSync(lib, '')
    expect(providerAvailability('cuda', linux).available).toBe(true)
    fs.rmSync(lib)
  })

  it('CUDA does not exist for macOS or arm64 builds; DirectML and CoreML only on their platforms', () => {
    expect(providerAvailability('cuda', facts('darwin', 'arm64')).available).toBe(false)
    expect(providerAvailability('cuda', facts('linux', 'arm64')).available).toBe(false)
    expect(providerAvailability('dml', facts('win32')).available).toBe(true)
    expect(providerAvailability('dml', facts('linux')).available).toBe(false)
    expect(providerAvailability('coreml', facts('darwin', 'arm64')).available).toBe(true)
    expect(providerAvailability('coreml', facts('win32')).available).toBe(false)
    expect(providerAvailability('cpu', facts('linux')).available).toBe(true)
  })
})

describe.skipIf(cudaHere)('createSession with CUDA absent', () => {
  it('auto skips CUDA, binds the CPU and records both', async () => {
    const bound = await createSession(MODEL, 'auto')
    try {
      expect(bound.provider).toBe('cpu')
      expect(bound.attempts.map((a) => [a.provider, a.outcome])).toEqual([
        ['cuda', 'skipped'],
        ['cpu', 'bound'],
      ])
      expect(bound.attempts[0].reason).toMatch(/CUDA execution provider is not installed/)
    } finally {
      await releaseSession(bound.session)
    }
  })

  it('an explicit cuda fails without trying, naming CUDA and the install command', async () => {
    const error = await createSession(MODEL, 'cuda').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ProviderUnavailableError)
    expect((error as ProviderUnavailableError).provider).toBe('cuda')
    expect((error as Error).message).toContain('CUDA was requested')
    expect((error as Error).message).toContain('ONNXRUNTIME_NODE_INSTALL=cuda12 npm rebuild onnxruntime-node')
  })

  it('when onnxruntime itself refuses CUDA, auto falls back to the CPU with the reason', async () => {
    // Pretend the library is installed: onnxruntime then tries to load it and throws.
    const available = (name: 'cpu' | 'cuda' | 'dml' | 'coreml') => ({ name, available: true, reason: '', fix: '' })
    const bound = await createSession(MODEL, 'auto', undefined, { availability: available })
    try {
      expect(bound.provider).toBe('cpu')
      expect(bound.attempts[0]).toMatchObject({ provider: 'cuda', outcome: 'failed' })
      expect(bound.attempts[0].reason.length).toBeGreaterThan(0)
    } finally {
      await releaseSession(bound.session)
    }
    const explicit = await createSession(MODEL, 'cuda', undefined, { availability: available }).catch((e: unknown) => e)
    expect(explicit).toBeInstanceOf(ProviderUnavailableError)
    expect((explicit as Error).message).toMatch(/CUDA was requested, but onnxruntime could not start it/)
  })

  it('each provider is tried with its own graph (fp16 for the GPU, fp32 for the CPU)', async () => {
    const available = (name: 'cpu' | 'cuda' | 'dml' | 'coreml') => ({ name, available: true, reason: '', fix: '' })
    const asked: string[] = []
    const settings = { intraOpThreads: 1, interOpThreads: 0, graphOptimization: 'all' as const, cpuMemArena: true, memPattern: false, configEntries: {}, deviceId: 0 }
    const bound = await createSession(MODEL, 'auto', settings, {
      availability: available,
      perProvider: (name) => {
        asked.push(name)
        const file = name === 'cpu' ? 'onnx/model.onnx' : 'onnx/model_fp16.onnx'
        return { modelPath: path.join(FIXTURE, file), settings }
      },
    })
    try {
      expect(asked).toEqual(['cuda', 'cpu'])
      expect(bound.provider).toBe('cpu')
      expect(bound.session.inputMetadata.find((m) => m.name === 'past_key_values.0.key')).toMatchObject({ type: 'float32' })
    } finally {
      await releaseSession(bound.session)
    }
  })

  it('explicit dml on Linux names DirectML', async () => {
    await expect(createSession(MODEL, 'dml')).rejects.toThrow(/DirectML was requested, but DirectML exists only on Windows/)
  })
})

describe('session settings', () => {
  it('rejects a config entry without a group', async () => {
    const settings = {
      intraOpThreads: 1,
      interOpThreads: 0,
      graphOptimization: 'all' as const,
      cpuMemArena: true,
      memPattern: false,
      configEntries: { nodots: '1' },
      deviceId: 0,
    }
    await expect(createSession(MODEL, 'cpu', settings)).rejects.toThrow(/"nodots" must look like "session.name"/)
  })
})
