/**
 * @module electron/services/template-library
 * Loads a template library from a folder: `library.json` lists the templates (name, task, file,
 * description, provenance) and each `file` holds a Jinja source, read byte for byte. The shipped
 * folder `samples/templates/` holds editable copies of the paper's templates; users add their own
 * entries to a copy of it.
 */
import { readFileSync } from 'node:fs'
import { dirname, isAbsolute, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { z } from 'zod'
import {
  createTemplateLibrary,
  TemplateError,
  type TemplateLibrary,
  type TemplateLibraryEntry,
} from '../../core/prompt/index.ts'
import { fieldPath } from '../../core/experiment/schema.ts'

/** The shipped library folder, `<repo>/samples/templates`. */
export const DEFAULT_TEMPLATE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../samples/templates')

const EntrySchema = z.strictObject({
  name: z.string().min(1),
  task: z.enum(['sokoban', 'gp', 'chat']),
  file: z.string().min(1),
  description: z.string(),
  provenance: z.string().optional(),
})

/** The shape of `library.json`. */
export const LibraryFileSchema = z.strictObject({
  version: z.literal(1),
  templates: z.array(EntrySchema),
})

/** One `library.json` entry. */
export type LibraryFileEntry = z.infer<typeof EntrySchema>

/** `templates[0].name` for a zod issue path; `(root)` for the document itself. */
function indexFieldPath(path: readonly PropertyKey[]): string {
  return fieldPath('', path).replace(/^\./, '') || '(root)'
}

/** Reads and validates `library.json`; errors name the file and the offending field. */
export function readLibraryFile(path: string): LibraryFileEntry[] {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') {
      throw new Error(`Template library index not found: ${path}. A library folder needs a library.json.`, {
        cause: error,
      })
    }
    throw error
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    throw new Error(`${path} is not valid JSON: ${(error as Error).message}`, { cause: error })
  }
  const parsed = LibraryFileSchema.safeParse(json)
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `field ${indexFieldPath(i.path)}: ${i.message}`).join('; ')
    throw new Error(
      `${path} is not a valid template library: ${issues}. Expected {"version": 1, "templates": [{"name", ` +
        '"task": "sokoban"|"gp"|"chat", "file", "description", "provenance"?}, ...]}.',
    )
  }
  return parsed.data.templates
}

/**
 * Loads the library in `dir` (default the shipped `samples/templates`). Every listed file must exist
 * inside `dir`; every template must compile against its task's schema. Errors name the file, and
 * for template errors the line and column.
 */
export function loadTemplateLibrary(dir: string = DEFAULT_TEMPLATE_DIR): TemplateLibrary {
  const indexPath = join(dir, 'library.json')
  const entries = readLibraryFile(indexPath)
  const loaded: TemplateLibraryEntry[] = entries.map((entry, i) => {
    const file = resolve(dir, entry.file)
    const inside = relative(resolve(dir), file)
    if (inside.startsWith('..') || isAbsolute(inside)) {
      throw new Error(`${indexPath}: field templates[${i}].file "${entry.file}" points outside the library folder.`)
    }
    let source: string
    try {
      source = readFileSync(file, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new Error(
          `${indexPath}: field templates[${i}].file: template file "${entry.file}" of "${entry.name}" ` +
            `does not exist in ${dir}.`,
          { cause: error },
        )
      }
      throw error
    }
    const { name, task, description, provenance } = entry
    return { name, task, description, source, provenance }
  })
  try {
    return createTemplateLibrary(loaded)
  } catch (error) {
    if (error instanceof TemplateError) {
      const entry = entries.find((e) => e.name === error.templateName)
      const where = entry === undefined ? '' : `${join(dir, entry.file)}: `
      throw new Error(`${where}${error.message}`, { cause: error })
    }
    throw new Error(`${indexPath}: ${(error as Error).message}`, { cause: error })
  }
}
