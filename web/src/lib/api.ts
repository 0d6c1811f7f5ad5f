// The JSON API under /api/v1. The bearer token lives in sessionStorage (never in a URL); every
// write carries a fresh Idempotency-Key so that a retried click cannot book a loan twice.
// Failures become ApiError with the server's RFC 9457 problem document.

export interface FieldProblem {
  field: string
  message: string
}

export class ApiError extends Error {
  constructor(
    public status: number,
    public title: string,
    public detail: string,
    public fields: FieldProblem[] = [],
  ) {
    super(detail || title)
  }
}

const TOKEN_KEY = 'corridor.token'

export const token = {
  get: () => sessionStorage.getItem(TOKEN_KEY),
  set: (t: string) => sessionStorage.setItem(TOKEN_KEY, t),
  clear: () => sessionStorage.removeItem(TOKEN_KEY),
}

function idempotencyKey(): string {
  const c = globalThis.crypto as Crypto & { randomUUID?: () => string }
  if (typeof c.randomUUID === 'function') return c.randomUUID()
  const b = new Uint8Array(16)
  c.getRandomValues(b)
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')
}

export interface Page<T> {
  items: T[]
  next_cursor: string | null
}

type Query = Record<string, string | number | boolean | undefined | null>

export function withQuery(path: string, query?: Query): string {
  if (!query) return path
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v))
  const s = q.toString()
  return s ? `${path}${path.includes('?') ? '&' : '?'}${s}` : path
}

async function call<T>(method: string, path: string, body?: unknown, accept = 'json'): Promise<T> {
  const headers: Record<string, string> = {}
  const t = token.get()
  if (t) headers.Authorization = `Bearer ${t}`
  if (body !== undefined) headers['Content-Type'] = 'application/json'
  if (method !== 'GET') headers['Idempotency-Key'] = idempotencyKey()
  const res = await fetch(`/api/v1${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'omit',
    cache: 'no-store',
  })
  const text = await res.text()
  if (!res.ok) {
    let p: { title?: string; detail?: string; errors?: FieldProblem[] } = {}
    try {
      p = JSON.parse(text)
    } catch {
      /* not a problem document */
    }
    throw new ApiError(res.status, p.title ?? res.statusText, p.detail ?? text.slice(0, 200), p.errors ?? [])
  }
  if (accept === 'text') return text as T
  return (text ? JSON.parse(text) : null) as T
}

export const api = {
  get: <T = any>(path: string, query?: Query) => call<T>('GET', withQuery(path, query)),
  text: (path: string, query?: Query) => call<string>('GET', withQuery(path, query), undefined, 'text'),
  post: <T = any>(path: string, body: unknown = {}) => call<T>('POST', path, body),
  put: <T = any>(path: string, body: unknown) => call<T>('PUT', path, body),
}
