// SHA-256 from WebCrypto where the page is a secure context (https, or 127.0.0.1 / localhost),
// else from @noble/hashes (audited, dependency-free). Both give the same digests (FIPS 180-4).
import { sha256 as nobleSha256 } from '@noble/hashes/sha256'

type Subtle = { digest(alg: string, data: Uint8Array): Promise<ArrayBuffer> }

function subtle(): Subtle | null {
  const c = (globalThis as { crypto?: { subtle?: Subtle } }).crypto
  return c?.subtle ?? null
}

export async function sha256(data: Uint8Array): Promise<Uint8Array> {
  const s = subtle()
  if (s) return new Uint8Array(await s.digest('SHA-256', data))
  return nobleSha256(data)
}

export function sha256Source(): 'webcrypto' | 'noble' {
  return subtle() ? 'webcrypto' : 'noble'
}
