/**
 * @module electron/runtime/providers
 * Which onnxruntime execution provider to try for a device choice, whether it is installed here,
 * and what to install when it is not. onnxruntime-node does not fall back by itself (a failed
 * `cuda` throws instead of running on the CPU), so `onnx.ts` walks the plan made here.
 *
 * This module reads files only; it does not load onnxruntime.
 */
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'

/** What a user asks for on the command line or in settings. */
export type DeviceChoice = 'auto' | 'cpu' | 'cuda' | 'dml' | 'coreml'

/** The device choices, for option parsing and help. */
export const DEVICE_CHOICES: readonly DeviceChoice[] = ['auto', 'cpu', 'cuda', 'dml', 'coreml']

/** An onnxruntime execution provider name, as `executionProviders` takes it. */
export type ProviderName = 'cpu' | 'cuda' | 'dml' | 'coreml'

/** The one command that fetches onnxruntime-node's CUDA 12 provider through its own installer. */
export const CUDA_INSTALL_COMMAND = 'ONNXRUNTIME_NODE_INSTALL=cuda12 npm rebuild onnxruntime-node'

/** An explicitly chosen provider cannot run here; the message names it and what to install. */
export class ProviderUnavailableError extends Error {
  override name = 'ProviderUnavailableError'
  constructor(
    readonly provider: ProviderName,
    message: string,
  ) {
    super(message)
  }
}

/** The platform facts the plan depends on; injected in tests. */
export interface PlatformFacts {
  readonly platform: NodeJS.Platform
  readonly arch: string
  /** The onnxruntime-node package folder (holding `bin/napi-v6/...`). */
  readonly ortPackageDir: string
}

/** Whether one provider can be tried here, and if not, why and what to do. */
export interface ProviderAvailability {
  readonly name: ProviderName
  readonly available: boolean
  /** Why it is not available; empty when it is. */
  readonly reason: string
  /** What to install or change to make it available; empty when it is. */
  readonly fix: string
}

/** The providers `choice` asks for, in the order to try them. `auto` ends with the CPU. */
export function providerPlan(choice: DeviceChoice, platform: NodeJS.Platform): ProviderName[] {
  if (choice !== 'auto') return [choice]
  if (platform === 'win32') return ['cuda', 'dml', 'cpu']
  if (platform === 'darwin') return ['coreml', 'cpu']
  return ['cuda', 'cpu']
}

/** The folder holding onnxruntime-node's native binaries for this platform. */
export function nativeBinaryDir(facts: PlatformFacts): string {
  return path.join(facts.ortPackageDir, 'bin', 'napi-v6', facts.platform, facts.arch)
}

/** The CUDA provider library that `CUDA_INSTALL_COMMAND` puts beside the binding. */
export function cudaLibraryPath(facts: PlatformFacts): string {
  const file = facts.platform === 'win32' ? 'onnxruntime_providers_cuda.dll' : 'libonnxruntime_providers_cuda.so'
  return path.join(nativeBinaryDir(facts), file)
}

/**
 * Whether `name` can be tried on this machine. CUDA needs Linux or Windows on x64 and the provider
 * library from `CUDA_INSTALL_COMMAND`; DirectML is bundled on Windows; CoreML on macOS.
 */
export function providerAvailability(name: ProviderName, facts: PlatformFacts): ProviderAvailability {
  const ok = (): ProviderAvailability => ({ name, available: true, reason: '', fix: '' })
  const no = (reason: string, fix: string): ProviderAvailability => ({ name, available: false, reason, fix })
  switch (name) {
    case 'cpu':
      return ok()
    case 'cuda': {
      if (!(facts.platform === 'linux' || facts.platform === 'win32') || facts.arch !== 'x64') {
        return no(
          `onnxruntime-node has no CUDA provider for ${facts.platform}/${facts.arch}`,
          'use --provider cpu (or auto)',
        )
      }
      const lib = cudaLibraryPath(facts)
      if (!fs.existsSync(lib)) {
        return no(
          `the CUDA execution provider is not installed (${path.basename(lib)} is missing from ${path.dirname(lib)})`,
          `install it with \`${CUDA_INSTALL_COMMAND}\` (needs CUDA 12 and cuDNN 9 on the machine), ` +
            'or use --provider cpu',
        )
      }
      return ok()
    }
    case 'dml':
      return facts.platform === 'win32' ? ok() : no('DirectML exists only on Windows', 'use --provider auto or cpu')
    case 'coreml':
      return facts.platform === 'darwin' ? ok() : no('CoreML exists only on macOS', 'use --provider auto or cpu')
  }
}

/** The display name of a provider in messages (`CUDA`, `DirectML`, ...). */
export function providerLabel(name: ProviderName): string {
  return { cpu: 'CPU', cuda: 'CUDA', dml: 'DirectML', coreml: 'CoreML' }[name]
}

/** This machine's platform facts. */
export function platformFacts(): PlatformFacts {
  const require = createRequire(import.meta.url)
  const ortPackageDir = path.dirname(require.resolve('onnxruntime-node/package.json'))
  return { platform: process.platform, arch: process.arch, ortPackageDir }
}

/** The availability of every provider `auto` would consider here, plus the CPU. */
export function availableProviders(facts: PlatformFacts = platformFacts()): ProviderAvailability[] {
  const names: ProviderName[] = ['cuda', 'dml', 'coreml', 'cpu']
  return names.map((name) => providerAvailability(name, facts))
}
