/** Saving a file the page made (a chart, a table) through a download link. */

/** Saves `blob` as `name`: the browser's download, with no server round trip. */
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = name
  a.style.display = 'none'
  document.body.appendChild(a)
  a.click()
  a.remove()
  // The download has its own copy once it started; free the URL after the click's task.
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}
