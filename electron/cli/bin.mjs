#!/usr/bin/env node
// Entry point of the `sftbench` command. The sources are TypeScript; tsx's loader compiles them
// on the fly, so `npx sftbench` works right after `npm ci` with no build step.
import { register } from 'tsx/esm/api'

register()
const { main } = await import('./main.ts')
process.exitCode = await main(process.argv.slice(2))
