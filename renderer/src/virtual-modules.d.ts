/** Where the classic build of Monaco (`editor/monaco-classic.ts`) was written; see renderer/vite.config.ts. */
declare module 'virtual:monaco-classic' {
  /** The script, relative to the module that imports this one (both are in `assets/`). */
  export const MONACO_SCRIPT: string
  /** Its stylesheet, relative the same way; null if the build wrote none. */
  export const MONACO_STYLE: string | null
  /** The global the script sets to `{ monaco }`. */
  export const MONACO_GLOBAL: string
}
