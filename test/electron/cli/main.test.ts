// The command-line frame: dispatch, help for every subcommand, exit codes, and the real `bin`
// entry that `npx sftbench` runs (no build step: the loader compiles TypeScript on the fly).
import { describe, expect, it } from 'vitest'
import { execFileSync, spawnSync } from 'node:child_process'
import path from 'node:path'
import { main } from '../../../electron/cli/main.ts'
import { captureIo } from '../../../electron/cli/io.ts'
import { COMMANDS } from '../../../electron/cli/commands/index.ts'
import { REPO_ROOT } from '../../harness/repo.ts'

describe('sftbench CLI frame', () => {
  it('prints the command list for --help and exits 0', async () => {
    const io = captureIo()
    expect(await main(['--help'], io)).toBe(0)
    for (const command of COMMANDS) expect(io.out).toContain(command.name)
  })

  it('exits 2 with the list when no command is given', async () => {
    const io = captureIo()
    expect(await main([], io)).toBe(2)
    expect(io.out).toContain('Usage: sftbench COMMAND')
  })

  it('exits 2 on an unknown command and says how to get help', async () => {
    const io = captureIo()
    expect(await main(['frobnicate'], io)).toBe(2)
    expect(io.err).toMatch(/Unknown command "frobnicate".*--help/s)
  })

  it('lists a command group on stdout for --help (exit 0) and on stderr otherwise (exit 2)', async () => {
    const help = captureIo()
    expect(await main(['gen', '--help'], help)).toBe(0)
    expect(help.out).toMatch(/^Use one of:\n/)
    expect(help.out).toContain('  sftbench gen gp ')
    expect(help.out).toContain('  sftbench gen sokoban ')
    expect(help.err).toBe('')
    const bare = captureIo()
    expect(await main(['gen'], bare)).toBe(2)
    expect(bare.err).toContain('sftbench gen sokoban')
    const wrong = captureIo()
    expect(await main(['gen', 'nope', '--help'], wrong)).toBe(2)
    expect(wrong.err).toMatch(/^"gen nope" is not a command\. Use one of:/)
  })

  it('lists each command under the name it loads with', async () => {
    for (const entry of COMMANDS) expect((await entry.load()).name).toBe(entry.name)
  })

  it('has --help for every subcommand, listing each of its options', async () => {
    expect(COMMANDS.length).toBeGreaterThan(0)
    for (const command of await Promise.all(COMMANDS.map((c) => c.load()))) {
      const io = captureIo()
      const code = await main([...command.name.split(' '), '--help'], io)
      expect(code, command.name).toBe(0)
      expect(io.out).toContain(`Usage: sftbench ${command.usage}`)
      for (const option of Object.keys(command.options)) expect(io.out, `${command.name} --${option}`).toContain(`--${option}`)
    }
  })

  it('exits 2 on an unknown option of a real subcommand', async () => {
    const io = captureIo()
    const command = await COMMANDS[0].load()
    expect(await main([...command.name.split(' '), '--no-such-option'], io)).toBe(2)
    expect(io.err).toContain(`Usage: sftbench ${command.usage}`)
  })

  it('runs through the package bin with no build step', () => {
    const pkg = JSON.parse(execFileSync('node', ['-p', 'JSON.stringify(require("./package.json"))'], { cwd: REPO_ROOT, encoding: 'utf8' }))
    const bin = path.join(REPO_ROOT, pkg.bin.sftbench)
    const result = spawnSync(process.execPath, [bin, '--help'], { cwd: REPO_ROOT, encoding: 'utf8' })
    expect(result.status).toBe(0)
    expect(result.stdout).toContain('Usage: sftbench COMMAND')
    const bad = spawnSync(process.execPath, [bin, 'nope'], { cwd: REPO_ROOT, encoding: 'utf8' })
    expect(bad.status).toBe(2)
  })
})
