/**
 * Turns off zod's compiled parsers for the whole page. Imported first by `main.tsx`, so it runs
 * before any schema is built.
 *
 * Why: building the first object schema makes zod test whether it may compile code with
 * `new Function`; the page's CSP forbids that, so the test throws an EvalError, and recording that
 * error's stack makes V8 parse the app's whole chunk again for source positions (about 100 ms of
 * start-up on a slow machine). The compiled parsers are unavailable here anyway.
 */
import { z } from 'zod'

z.config({ jitless: true })
