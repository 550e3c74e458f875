/**
 * @module core/notebook/problem
 * Why a notebook file could not be opened as a document: a JSON syntax error (with line and
 * column), a format newer than this version of sftbench reads, a schema error (with the field
 * path), or a failed migration. The UI shows `message`; the other fields locate the problem.
 */

/** A problem that keeps a notebook file from opening as a document. */
export type NotebookProblem =
  | {
      readonly kind: 'syntax'
      readonly message: string
      /** 1-based line and column of the first invalid character. */
      readonly line: number
      readonly column: number
    }
  | { readonly kind: 'newer'; readonly message: string; readonly format: number }
  | { readonly kind: 'schema'; readonly message: string; readonly field: string }
  | { readonly kind: 'migration'; readonly message: string; readonly from: number }
