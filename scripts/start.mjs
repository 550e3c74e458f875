#!/usr/bin/env node
// `npm start` (and `npm run build` with --build-only): starts the desktop app, or browser mode
// when Electron cannot run on this machine. The logic is in electron/launch.ts; this file only
// registers tsx's loader so the TypeScript sources run without a build step of their own.
import { register } from 'tsx/esm/api'

register()
const { launch, processLaunchDeps, repoRootFrom } = await import('../electron/launch.ts')
const { processIo } = await import('../electron/cli/io.ts')

const root = repoRootFrom(new URL('../electron/launch.ts', import.meta.url).href)
try {
  process.exitCode = await launch(process.argv.slice(2), processLaunchDeps(root, processIo()))
} catch (error) {
  console.error(`npm start failed: ${error instanceof Error ? error.message : String(error)}`)
  process.exitCode = 1
}
