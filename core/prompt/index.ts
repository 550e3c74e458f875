/**
 * @module core/prompt
 * Prompt templates' public door: named re-exports only.
 */
export type { VariableType, TemplateVariable, TaskTemplateSchema } from './schemas.ts'
export { SOKOBAN_TEMPLATE_SCHEMA, GP_TEMPLATE_SCHEMA, CHAT_WRAPPER_SCHEMA, schemaForTask } from './schemas.ts'
export type {
  CompiledTemplate,
  CompileOptions,
  RenderOptions,
  RenderResult,
  TemplateWarning,
  WhitespaceOptions,
} from './template.ts'
export { DEFAULT_WHITESPACE, compileTemplate, renderTemplate } from './template.ts'
export { TemplateError, templateErrorAt } from './errors.ts'
export { parseTemplate } from './analysis.ts'
export type { ParsedTemplate } from './analysis.ts'
export type { PaperTemplate, TemplateTask } from './paper-templates.ts'
export {
  PAPER_TEMPLATES,
  SOKOBAN_SINGLE_ACTION_TEMPLATE,
  SOKOBAN_MULTI_ACTION_TEMPLATE,
  SOKOBAN_EVAL_TEMPLATE,
  GP_TRAIN_TEMPLATE,
  GP_TEST_TEMPLATE,
  SOKOBAN_TARGET_TEMPLATE,
  SOKOBAN_TARGET_ANSWER_ONLY_TEMPLATE,
  QWEN_INSTRUCT_WRAPPER,
  QWEN_INSTRUCT_ANSWER_ONLY_WRAPPER,
  BASE_WRAPPER,
} from './paper-templates.ts'
export type { TemplateLibrary, TemplateLibraryEntry } from './library.ts'
export { createTemplateLibrary, paperTemplateLibrary } from './library.ts'
export type { ChatMessage, ChatTemplateOptions } from './chat.ts'
export { applyChatTemplate, wrapPrompt } from './chat.ts'
export { pyRepr, pyStr, pyStrRepr } from './python-repr.ts'
export type { PyValue, PyObject } from './python-repr.ts'
export type { SokobanVarsInput, GpVarsInput } from './vars.ts'
export { sokobanTemplateVars, gpTemplateVars, sokobanLegend } from './vars.ts'
