/**
 * @module electron/main/entry
 * The main bundle's entry (`dist/electron/main.mjs`): reads the arguments and starts the app with
 * the backend. A failure to start is shown in a native error box and ends the process with code 1.
 */
import { app, dialog } from 'electron'
import { loadDesktopBackend } from './backend-loader.ts'
import { desktopPaths, parseDesktopArgs, startDesktopApp } from './main.ts'

const paths = desktopPaths(import.meta.url)
// Unpackaged, argv is [electron, main.mjs, ...args]; packaged, [app, ...args].
const args = parseDesktopArgs(process.argv.slice(app.isPackaged ? 1 : 2), process.cwd(), paths.root)

startDesktopApp({ paths, args, createBackend: (options) => loadDesktopBackend(paths.root, options) }).catch(
  (error: unknown) => {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error)
    console.error(`sftbench could not start: ${message}`)
    if (app.isReady()) dialog.showErrorBox('sftbench could not start', message)
    app.exit(1)
  },
)
