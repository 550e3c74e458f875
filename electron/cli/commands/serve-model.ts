/**
 * @module electron/cli/commands/serve-model
 * `sftbench serve-model MODEL_DIR [--port P] [--host H] [--provider P] [--dtype D]`: loads a model
 * folder in a worker thread and serves it with an OpenAI-compatible API (`/v1/models`,
 * `/v1/completions`, `/v1/chat/completions`, streaming and log-probabilities), so any OpenAI client,
 * or a sweep's `openai` backend, can use the local runtime. Concurrent requests share the runtime's
 * batches. Ctrl-C or SIGTERM stops it: requests in flight are cancelled and the model is unloaded.
 */
import type { WorkerModelClient } from '../../runtime/client.ts'
import { formatIssue } from '../../runtime/issues.ts'
import { MODEL_LOAD_OPTIONS, readModelLoad, startModelFor } from '../model-options.ts'
import { DEFAULT_PORT, startOpenAiServer, type OpenAiServer } from '../../openai/server.ts'
import { isLoopbackHost, untilStopSignal } from '../serving.ts'
import { CliFailure, EXIT_OK, UsageError, intOpt, optionalIntOpt, stringOpt, type Command } from '../command.ts'

/** `sftbench serve-model`: see the module comment. */
export const serveModelCommand: Command = {
  name: 'serve-model',
  summary: 'Serve a local ONNX model with an OpenAI-compatible HTTP API (completions, chat, streaming, logprobs).',
  usage: 'serve-model MODEL_DIR [--port P] [--host H] [--provider P] [--dtype D]',
  description: [
    'Loads the model folder in a worker thread and serves /v1/models, /v1/completions and /v1/chat/completions',
    '(stream, logprobs / top_logprobs, echo for scoring, seed, stop, max_tokens, temperature, top_p, top_k, min_p).',
    'It listens on 127.0.0.1 only, without authentication; --host 0.0.0.0 exposes it to the network.',
    'Concurrent requests are batched together. Ctrl-C stops the server.',
    '',
    'Example: sftbench serve-model models/qwen2.5-0.5b-instruct --port 8000',
    '         curl http://127.0.0.1:8000/v1/chat/completions -d \'{"messages":[{"role":"user","content":"Hi"}]}\'',
  ].join('\n'),
  options: {
    port: { type: 'string', value: 'P', help: `The port (default ${DEFAULT_PORT}; 0 picks a free one).` },
    host: { type: 'string', value: 'H', help: 'The address to listen on (default 127.0.0.1).' },
    name: { type: 'string', value: 'NAME', help: 'The model id clients use (default: the folder name).' },
    'max-batch': { type: 'string', value: 'N', help: 'Most sequences decoded together (default 16).' },
    ...MODEL_LOAD_OPTIONS,
    variant: { type: 'string', value: 'D', help: 'Same as --dtype (its former name).' },
  },
  allowPositionals: true,
  async run(args, io) {
    if (args.positionals.length !== 1) throw new UsageError(`give one MODEL_DIR; got ${args.positionals.length} arguments.`)
    const port = intOpt(args, 'port', DEFAULT_PORT, 0, 65535)
    const host = stringOpt(args, 'host') ?? '127.0.0.1'
    if (host.trim() === '') throw new UsageError('--host must not be empty.')
    const maxBatch = optionalIntOpt(args, 'max-batch', 1, 1024)
    const load = readModelLoad(args, io, args.positionals[0], ['variant'])
    const client: WorkerModelClient = await startModelFor(load, maxBatch)
    let server: OpenAiServer
    try {
      server = await startOpenAiServer({ client, host, port, modelName: stringOpt(args, 'name') })
    } catch (error) {
      await client.dispose()
      const code = (error as { code?: string }).code
      if (code === 'EADDRINUSE') throw new CliFailure(`Port ${port} on ${host} is already in use; pick another with --port (0 picks a free one).`)
      if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new CliFailure(`Cannot listen on ${host}: it is not an address of this machine.`)
      throw error
    }
    const report = client.report
    if (report) {
      io.stderr(`Loaded ${report.file} (${report.weightFormat}) on ${report.provider} in ${(report.loadMs / 1000).toFixed(2)} s\n`)
      for (const w of report.warnings) io.stderr(`warning: ${formatIssue(w)}\n`)
    }
    if (!isLoopbackHost(host)) {
      io.stderr(
        `warning: listening on ${host}, so other machines can reach the model; the server has no authentication. ` +
          'Use the default 127.0.0.1 unless the network is trusted.\n',
      )
    }
    io.stdout(`Serving ${server.model} (${report?.provider ?? 'unknown provider'}) at ${server.url}\n`)

    const signal = await untilStopSignal()
    io.stderr(`${signal}: stopping the server.\n`)
    try {
      await server.close()
    } finally {
      await client.dispose()
    }
    return EXIT_OK
  },
}
