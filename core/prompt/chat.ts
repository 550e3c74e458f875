/**
 * @module core/prompt/chat
 * Turning a task prompt into the text a model is fed, in the two ways the paper uses
 * (paper-tasks.md §7.3, §7.4):
 * - raw-string mode: a wrapper template such as `qwen-instruct` puts the prompt into a fixed chat
 *   string (the paper's Sokoban data and evaluation; no system message);
 * - the model's own `chat_template` from its `tokenizer_config.json`, with one user message and the
 *   generation prompt (the paper's General Points data; Qwen2.5 adds its default system prompt).
 */
import { Template } from '@huggingface/jinja'
import type { TemplateLibrary } from './library.ts'
import { parseTemplate } from './analysis.ts'
import { TemplateError, templateErrorAt } from './errors.ts'
import { runProgram } from './runtime.ts'
import { renderTemplate } from './template.ts'

/** One chat message. */
export interface ChatMessage {
  readonly role: string
  readonly content: string
}

/** Options of `applyChatTemplate`, with the names `tokenizer_config.json` uses in brackets. */
export interface ChatTemplateOptions {
  /** Append the assistant turn's opening (`add_generation_prompt`). */
  readonly addGenerationPrompt: boolean
  /** `bos_token`, when the template prints it. */
  readonly bosToken?: string
  /** `eos_token`, when the template prints it. */
  readonly eosToken?: string
  /** Further variables some templates read (e.g. `enable_thinking`), passed as they are. */
  readonly extra?: Readonly<Record<string, unknown>>
  /** A name for error messages (default `chat_template`). */
  readonly name?: string
}

// Hugging Face renders chat templates with trim_blocks and lstrip_blocks on and drops one final
// newline (Jinja2's default); these are the settings of `@huggingface/jinja`'s `Template`.
const CHAT_TEMPLATE_WHITESPACE = Object.freeze({ keepTrailingNewline: false, trimBlocks: true, lstripBlocks: true })

/**
 * Renders `messages` through a model's `chat_template`, as `tokenizer.apply_chat_template(messages,
 * tokenize=False, add_generation_prompt=...)` does. Syntax errors and render failures are
 * `TemplateError`s with the line and column in the chat template.
 */
export function applyChatTemplate(
  chatTemplate: string,
  messages: readonly ChatMessage[],
  options: ChatTemplateOptions,
): string {
  const name = options.name ?? 'chat_template'
  let template: Template
  try {
    // Jinja2 reads "\r\n" and "\r" as "\n"; @huggingface/jinja does not.
    template = new Template(chatTemplate.replace(/\r\n?/g, '\n'))
  } catch (error) {
    // Locate the failure with the position-aware parser; it fails on the same input.
    parseTemplate(name, chatTemplate, CHAT_TEMPLATE_WHITESPACE)
    throw error
  }
  const vars: Record<string, unknown> = {
    ...options.extra,
    messages: messages.map((m) => ({ ...m })),
    add_generation_prompt: options.addGenerationPrompt,
  }
  if (options.bosToken !== undefined) vars.bos_token = options.bosToken
  if (options.eosToken !== undefined) vars.eos_token = options.eosToken
  try {
    return template.render(vars)
  } catch (error) {
    // Render again with positions to say where it failed; the same inputs fail the same way.
    const parsed = parseTemplate(name, chatTemplate, CHAT_TEMPLATE_WHITESPACE)
    try {
      runProgram(parsed, vars, { strict: false, pythonPrinting: false })
    } catch (located) {
      if (located instanceof TemplateError) throw located
    }
    const detail = error instanceof Error ? error.message : String(error)
    throw templateErrorAt(name, chatTemplate, 0, `render error: ${detail}`)
  }
}

/**
 * Raw-string mode: renders the library's wrapper `wrapperName` (`qwen-instruct`,
 * `qwen-instruct-answer-only`, `base`, or a user wrapper) around `prompt`.
 */
export function wrapPrompt(library: TemplateLibrary, wrapperName: string, prompt: string): string {
  const entry = library.get(wrapperName)
  if (entry.task !== 'chat') {
    throw new Error(
      `Template "${wrapperName}" is a ${entry.task} template, not a chat wrapper; pick a "chat" template.`,
    )
  }
  return renderTemplate(library.compiled(wrapperName), { prompt }).text
}
