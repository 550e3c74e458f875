/** Entry point: picks the transport for where the app runs and mounts the notebook. */
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import './styles.css'

function Placeholder() {
  return <div className="empty">sftbench</div>
}

const root = document.getElementById('root')
if (!root) throw new Error('index.html has no #root element; the renderer cannot start.')
createRoot(root).render(
  <StrictMode>
    <Placeholder />
  </StrictMode>,
)
