/** Entry point: picks the transport for where the app runs and mounts the notebook. */
// First: it must run before any module builds a zod schema.
import './zod-jitless.ts'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './app/App.tsx'
import { chooseTransport } from './transport/choose.ts'
import './styles.css'

const root = document.getElementById('root')
if (!root) throw new Error('index.html has no #root element; the renderer cannot start.')
const { transport, http } = chooseTransport(window)
createRoot(root).render(
  <StrictMode>
    <App transport={transport} http={http} />
  </StrictMode>,
)
