/**
 * @module electron/app/prompts
 * `wb:prompts.render`: one instance's prompt under a variant, as the model would be fed it, with its
 * token ids under the loaded model's tokenizer. The template cell calls it on every edit, so a
 * template that fails is an answer (`template-error`, located), not a failure.
 *
 * The prompt is built in the same stages as core's `renderInstancePrompt` (task template, then the
 * variant's chat formatting), so each failure can say which template it is in. In chat mode `model`
 * the loaded model's chat template is applied exactly as the runtime does before it tokenizes.
 */
import type { PromptRender, PromptTemplateError, PromptTokens, ValidRequestOf } from '../../core/contract/api.ts'
import { instanceAt, type Instance } from '../../core/experiment/instance-set.ts'
import { defaultTemplateLibrary, renderInstanceBody } from '../../core/experiment/render.ts'
import { variantByName, type VariantSpec } from '../../core/experiment/variant.ts'
import { instanceSetOf } from '../../core/notebook/instances.ts'
import type { GeneratePrompt } from '../../core/model/client.ts'
import { wrapPrompt } from '../../core/prompt/chat.ts'
import { TemplateError } from '../../core/prompt/errors.ts'
import { ApiFailure } from './errors.ts'
import type { LoadedModel, ModelService } from './models.ts'

type RenderRequest = ValidRequestOf<'wb:prompts.render'>

/** The name edited template text gets in error messages. */
export const EDITED_TEMPLATE_NAME = 'template'

/** Renders a chat with a model folder's chat template (the runtime's `renderChat`). */
type ChatRenderer = (messages: readonly { role: string; content: string }[]) => string

function invalid(error: unknown): never {
  throw new ApiFailure('invalid-request', error instanceof Error ? error.message : String(error))
}

function located(error: TemplateError, where: PromptTemplateError['where']): PromptTemplateError {
  return {
    where,
    templateName: error.templateName,
    line: error.line,
    column: error.column,
    offset: error.offset,
    reason: error.reason,
    message: error.message,
  }
}

/** The instance the request names; a bad set or index is `invalid-request`. */
function pickInstance(request: RenderRequest): Instance {
  const { task, index, ...source } = request.instance
  try {
    const set = instanceSetOf(task, { ...source, count: index + 1 })
    // A preset's window is checked against the preset's size, so `index` is always inside `set`.
    return instanceAt(set, index)
  } catch (error) {
    return invalid(error)
  }
}

/** The variant with the request's replacement template text and chat mode. */
function effectiveVariant(request: RenderRequest, task: Instance['task']): VariantSpec {
  let variant: VariantSpec
  try {
    variant = typeof request.variant === 'string' ? variantByName(request.variant) : request.variant
  } catch (error) {
    return invalid(error)
  }
  if (variant.task !== task) {
    invalid(new Error(`variant: "${variant.name}" is a ${variant.task} variant, but the instance is a ${task} instance.`))
  }
  return {
    ...variant,
    ...(request.template === undefined ? {} : { template: { name: EDITED_TEMPLATE_NAME, source: request.template } }),
    ...(request.chat === undefined ? {} : { chat: request.chat }),
  } as VariantSpec
}

/** Renders prompts for the template cell, with token counts from the app's loaded model. */
export class PromptService {
  /** The chat renderer of each loaded client (a new load is a new client). */
  private readonly chats = new WeakMap<LoadedModel, Promise<ChatRenderer | null>>()

  constructor(private readonly models: ModelService) {}

  async render(request: RenderRequest): Promise<PromptRender> {
    const instance = pickInstance(request)
    const variant = effectiveVariant(request, instance.task)
    const head = { instanceId: instance.id, variant: variant.name }
    const library = defaultTemplateLibrary()

    let body: string
    try {
      body = renderInstanceBody(instance, variant, library, { row: instance.index })
    } catch (error) {
      if (error instanceof TemplateError) return { kind: 'template-error', ...head, error: located(error, 'template') }
      return invalid(error)
    }

    const chat = variant.chat
    let prompt: GeneratePrompt
    let text: string | null
    if (chat.mode === 'raw') {
      try {
        text = wrapPrompt(library, chat.wrapper, body)
      } catch (error) {
        if (error instanceof TemplateError) return { kind: 'template-error', ...head, error: located(error, 'wrapper') }
        return invalid(error)
      }
      prompt = text
    } else if (chat.mode === 'none') {
      text = body
      prompt = body
    } else {
      prompt = { messages: [{ role: 'user', content: body }] }
      text = null
    }

    const model = this.readyModel()
    let tokens: PromptTokens | null = null
    let note: string | null = model.note
    if (model.client !== null) {
      if (chat.mode === 'model') {
        const renderChat = await this.chatRenderer(model.client)
        if (renderChat === null) {
          note = `${model.name} has no chat template, so chat mode "model" cannot wrap the prompt; pick a raw wrapper or "none".`
        } else {
          try {
            text = renderChat([{ role: 'user', content: body }])
          } catch (error) {
            if (error instanceof TemplateError) {
              return { kind: 'template-error', ...head, error: located(error, 'chat-template') }
            }
            throw error
          }
        }
      }
      if (text !== null && request.tokenize) {
        const ids = await model.client.tokenize?.(prompt)
        if (ids === undefined) note = `${model.name} cannot tokenize (a remote model); the text is shown without a count.`
        else tokens = { count: ids.length, ids, model: model.name }
      }
    }
    return { kind: 'rendered', ...head, chat: chat.mode, body, prompt, text, tokens, note }
  }

  /** The ready model, or why there is none (the prompt is still rendered then). */
  private readyModel(): { client: LoadedModel | null; name: string; note: string | null } {
    const status = this.models.current()
    const name = status.dir === null ? '' : (status.dir.split(/[\\/]/).filter(Boolean).pop() ?? status.dir)
    if (status.state === 'ready') return { client: this.models.ready(), name, note: null }
    if (status.state === 'loading') {
      return { client: null, name, note: `The model ${name} is still loading; the token count appears once it is ready.` }
    }
    const failed = status.state === 'failed' ? ` (the last load failed: ${status.error})` : ''
    return {
      client: null,
      name,
      note: `No model is loaded${failed}, so the prompt is shown without a token count; load one in a model cell.`,
    }
  }

  /**
   * The chat template of the client's model folder, rendered as the runtime renders it before it
   * tokenizes (so `text` encodes to the same ids). The tokenizer module loads on first use.
   */
  private chatRenderer(client: LoadedModel): Promise<ChatRenderer | null> {
    let found = this.chats.get(client)
    if (found === undefined) {
      const dir = this.models.current().dir
      found = (async () => {
        if (dir === null || !(await client.info()).chatTemplate) return null
        const [{ readModelFolder }, { loadTokenizer }] = await Promise.all([
          import('../runtime/model-folder.ts'),
          import('../runtime/tokenizer.ts'),
        ])
        const tokenizer = loadTokenizer(readModelFolder(dir))
        return (messages) => tokenizer.renderChat(messages)
      })()
      this.chats.set(client, found)
      // A failed read is retried on the next render rather than remembered.
      found.catch(() => this.chats.delete(client))
    }
    return found
  }
}
