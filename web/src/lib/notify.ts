import { ElMessage } from 'element-plus'
import { ApiError } from './api'

// A failure as the user should read it: the server's detail and the fields it names.
export function describe(e: unknown): string {
  if (e instanceof ApiError) {
    const fields = e.fields.map((f) => `${f.field}: ${f.message}`).join('; ')
    return fields ? `${e.detail || e.title} (${fields})` : e.detail || e.title
  }
  return String(e)
}

export function fail(e: unknown) {
  ElMessage({ type: 'error', message: describe(e), duration: 6000, showClose: true })
}

export function done(message: string) {
  ElMessage({ type: 'success', message })
}
