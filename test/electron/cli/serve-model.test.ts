// @vitest-environment node
// `sftbench serve-model`, run as a user would (a child process of bin.mjs): it prints the URL on
// stdout, serves /v1/models and completions there, warns when it listens beyond this machine,
// and stops cleanly with exit code 0 on SIGTERM and SIGINT. Usage errors are checked in-process.
import { spawn, type ChildProcess } from 'node:child_process'
import { afterEach, describe, expect, it } from 'vitest'
import { runCli } from '../../harness/cli.ts'
import { repoPath } from '../../harness/repo.ts'
import { isLoopbackHost } from '../../../electron/cli/serving.ts'
import { FIXTURE } from '../runtime/fixture.ts'

interface Running {
  readonly child: ChildProcess
  readonly url: string
  readonly out: () => string
  readonly err: () => string
  readonly exit: Promise<number | null>
}

const children: ChildProcess[] = []
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL')
})

/** Starts `sftbench serve-model` and waits for its "Serving" line. */
async function start(args: string[]): Promise<Running> {
  const child = spawn(process.execPath, [repoPath('electron/cli/bin.mjs'), 'serve-model', FIXTURE, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  children.push(child)
  let out = ''
  let err = ''
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()))
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()))
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const m = /^Serving (\S+) \((\w+)\) at (http:\/\/\S+\/v1)$/m.exec(out)
      if (m) {
        clearInterval(timer)
        resolve(m[3])
      } else if (child.exitCode !== null) {
        clearInterval(timer)
        reject(new Error(`serve-model exited with ${child.exitCode}: ${err}`))
      }
    }, 50)
  })
  return { child, url, out: () => out, err: () => err, exit }
}

describe('sftbench serve-model', () => {
  it('prints "Serving <name> (<provider>) at <url>", serves /v1 there, warns beyond loopback, stops on SIGTERM and SIGINT', async () => {
    // Both servers start together, so the file waits for one start-up rather than two.
    const [s, wide] = await Promise.all([
      start(['--port', '0', '--provider', 'cpu', '--threads', '1']),
      start(['--port', '0', '--provider', 'cpu', '--threads', '1', '--host', '0.0.0.0', '--name', 'my-model']),
    ])
    expect(s.out()).toMatch(/^Serving tiny-llama \(cpu\) at http:\/\/127\.0\.0\.1:\d+\/v1\n$/)
    expect(s.err()).toMatch(/^Loaded onnx\/model\.onnx \(fp32\) on cpu in [\d.]+ s$/m)
    expect(s.err()).not.toContain('warning')
    const models = (await (await fetch(`${s.url}/models`)).json()) as { data: { id: string }[] }
    expect(models.data.map((m) => m.id)).toEqual(['tiny-llama'])
    const response = await fetch(`${s.url}/completions`, { method: 'POST', body: JSON.stringify({ prompt: 'Sokoban', max_tokens: 3 }) })
    expect(response.status).toBe(200)
    expect(((await response.json()) as { usage: { completion_tokens: number } }).usage.completion_tokens).toBe(3)

    expect(wide.out()).toMatch(/^Serving my-model \(cpu\) at http:\/\/0\.0\.0\.0:\d+\/v1$/m)
    expect(wide.err()).toMatch(/warning: listening on 0\.0\.0\.0, .*no authentication/)
    const renamed = (await (await fetch(`${wide.url.replace('0.0.0.0', '127.0.0.1')}/models`)).json()) as { data: { id: string }[] }
    expect(renamed.data[0].id).toBe('my-model')

    s.child.kill('SIGTERM')
    wide.child.kill('SIGINT')
    expect(await s.exit).toBe(0)
    expect(await wide.exit).toBe(0)
    expect(s.err()).toContain('SIGTERM: stopping the server.')
    expect(wide.err()).toContain('SIGINT: stopping the server.')
  })

  it('usage errors exit 2 before loading anything', async () => {
    const none = await runCli(['serve-model'])
    expect(none.code).toBe(2)
    expect(none.err).toContain('give one MODEL_DIR')
    const port = await runCli(['serve-model', FIXTURE, '--port', '70000'])
    expect(port.code).toBe(2)
    expect(port.err).toContain('--port must be between 0 and 65535')
    const provider = await runCli(['serve-model', FIXTURE, '--provider', 'tpu'])
    expect(provider.code).toBe(2)
    // --variant is the former name of --dtype: both at once is ambiguous.
    const graph = await runCli(['serve-model', FIXTURE, '--dtype', 'fp32', '--variant', 'q8'])
    expect(graph.code).toBe(2)
    expect(graph.err).toContain('give the graph once, with --dtype (got fp32 and q8)')
  })

  it('a folder that is not a model exits 1 with the folder\'s problems', async () => {
    const r = await runCli(['serve-model', repoPath('test/fixtures'), '--provider', 'cpu'])
    expect(r.code).toBe(1)
    expect(r.out).toBe('')
    expect(r.err).toMatch(/config\.json/)
  })

  it('tells loopback hosts from others', () => {
    expect(['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]'].every(isLoopbackHost)).toBe(true)
    expect(['0.0.0.0', '::', '192.168.1.4', 'example.org'].some(isLoopbackHost)).toBe(false)
  })
})
