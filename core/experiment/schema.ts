/**
 * @module core/experiment/schema
 * Turns zod validation failures into one Error whose message names every bad field by its path
 * (`variant.vocabulary.shown.names[2]: …`), so a user editing a JSON file sees where to look.
 */
import type { z } from 'zod'

/** An invalid experiment definition: the message lists each problem with its field path. */
export class SpecError extends Error {
  override name = 'SpecError'
  constructor(
    message: string,
    /** One entry per problem: the dotted field path (with `[i]` for array items) and what is wrong. */
    readonly problems: readonly { path: string; message: string }[],
  ) {
    super(message)
  }
}

/** `a.b[2].c` for a zod issue path, prefixed with `root`. */
export function fieldPath(root: string, path: readonly PropertyKey[]): string {
  let out = root
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : `.${String(key)}`
  return out
}

/**
 * Parses `input` with `schema`; on failure throws a `SpecError` that lists every issue as
 * `<root>.<field>: <message>`.
 */
export function parseSpec<S extends z.ZodType>(schema: S, input: unknown, root: string): z.infer<S> {
  const result = schema.safeParse(input)
  if (result.success) return result.data
  const problems = result.error.issues.map((issue) => ({ path: fieldPath(root, issue.path), message: issue.message }))
  const lines = problems.map((p) => `  ${p.path}: ${p.message}`)
  throw new SpecError(`Invalid ${root}:\n${lines.join('\n')}`, problems)
}
