/**
 * Turns off zod's compiled parsers for the whole page. Imported first by `main.tsx`, so it runs
 * before any schema is built.
 *
 * Why: building the first object schema makes zod test whether it may compile code with
 * `new Function`. The page's CSP forbids that, so every start-up threw and caught an EvalError and
 * raised a CSP violation (a `securitypolicyviolation` event, which a browser may log or report),
 * for parsers this page can never use.
 */
import { z } from 'zod'

z.config({ jitless: true })
