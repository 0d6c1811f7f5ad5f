// C2SP signed notes and tlog checkpoints (c2sp.org/signed-note, c2sp.org/tlog-checkpoint),
// checked in the browser against the log's published verifier key:
//
//   note      = text "\n" { "— " name " " base64(key id[4] || Ed25519 signature[64]) "\n" }
//   key id    = SHA-256(name || 0x0A || 0x01 || public key)[:4]
//   verifier  = name "+" hex(key id) "+" base64(0x01 || public key)
//
// Ed25519 (RFC 8032) comes from @noble/ed25519, a small audited library, in its strict mode
// (canonical S, no ZIP-215 leniency), as the server's libsodium verifies.
import * as ed from '@noble/ed25519'
import { sha512 } from '@noble/hashes/sha512'
import { concat, equal, fromBase64, fromHex, toHex, utf8 } from './bytes'
import { sha256 } from './sha256'

ed.etc.sha512Sync = (...m: Uint8Array[]) => sha512(ed.etc.concatBytes(...m))

export interface Verifier {
  name: string
  keyId: Uint8Array
  publicKey: Uint8Array
}

export interface Checkpoint {
  origin: string
  size: bigint
  root: Uint8Array
  extensions: string[]
}

export async function keyId(name: string, publicKey: Uint8Array): Promise<Uint8Array> {
  return (await sha256(concat(utf8(name), new Uint8Array([0x0a, 0x01]), publicKey))).slice(0, 4)
}

export async function parseVerifier(vkey: string): Promise<Verifier> {
  // The name holds no '+'; the base64 key may.
  const m = /^([^+]+)\+([0-9a-f]{8})\+(.+)$/.exec(vkey.trim())
  if (!m) throw new Error('a verifier key is name+keyid+key')
  const [, name, idHex, keyB64] = m
  const key = fromBase64(keyB64)
  if (key.length !== 33 || key[0] !== 0x01) throw new Error('not an Ed25519 verifier key')
  const publicKey = key.slice(1)
  const id = fromHex(idHex)
  if (!equal(id, await keyId(name, publicKey))) throw new Error("the key id does not match the key")
  return { name, keyId: id, publicKey }
}

// The note's text when one of its signatures is the verifier's and checks; else throws, saying why.
export async function openNote(note: string, v: Verifier): Promise<string> {
  const split = note.lastIndexOf('\n\n')
  if (split < 0 || !note.endsWith('\n')) throw new Error('not a signed note')
  const text = note.slice(0, split + 1)
  const lines = note.slice(split + 2, -1).split('\n')
  let seen = false
  for (const line of lines) {
    if (!line.startsWith('— ')) throw new Error('a malformed signature line')
    const [name, sigB64] = line.slice(2).split(' ')
    if (name !== v.name) continue
    const sig = fromBase64(sigB64 ?? '')
    if (sig.length !== 68) throw new Error('a signature of the wrong length')
    if (!equal(sig.slice(0, 4), v.keyId)) continue
    seen = true
    if (ed.verify(sig.slice(4), utf8(text), v.publicKey, { zip215: false })) return text
  }
  throw new Error(seen ? `the signature of ${v.name} does not match the text` : `no signature by ${v.name}`)
}

export function parseCheckpoint(text: string): Checkpoint {
  const lines = text.split('\n')
  if (lines.length < 4 || lines[lines.length - 1] !== '') throw new Error('a checkpoint has three lines')
  const [origin, sizeText, rootB64, ...rest] = lines
  if (!origin) throw new Error('the checkpoint has no origin')
  if (!/^(0|[1-9][0-9]{0,19})$/.test(sizeText)) throw new Error('the tree size is not a decimal')
  const root = fromBase64(rootB64)
  if (root.length !== 32) throw new Error('the root hash is not 32 bytes')
  return { origin, size: BigInt(sizeText), root, extensions: rest.slice(0, -1) }
}

export async function verifyCheckpoint(note: string, vkey: string): Promise<Checkpoint> {
  const v = await parseVerifier(vkey)
  const cp = parseCheckpoint(await openNote(note, v))
  if (cp.origin !== v.name) throw new Error(`the checkpoint's origin ${cp.origin} is not the key's ${v.name}`)
  return cp
}

export const rootHex = (cp: Checkpoint) => toHex(cp.root)
