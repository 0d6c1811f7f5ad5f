// Signed notes and checkpoints: the C2SP signed-note example (as in Go's
// golang.org/x/mod/sumdb/note documentation), which the C++ tests also open.
import { describe, expect, it } from 'vitest'
import * as ed from '@noble/ed25519'
import { concat, toHex, utf8 } from '../../src/lib/bytes'
import { keyId, openNote, parseCheckpoint, parseVerifier } from '../../src/lib/note'

const VKEY = 'example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k'
const NOTE =
  'This is an example message.\n\n' +
  '— example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n'

describe('signed notes', () => {
  it('opens the published example', async () => {
    const v = await parseVerifier(VKEY)
    expect(await openNote(NOTE, v)).toBe('This is an example message.\n')
  })
  it('refuses a changed text, a foreign key and a key id that does not match', async () => {
    const v = await parseVerifier(VKEY)
    await expect(openNote('t' + NOTE.slice(1), v)).rejects.toThrow(/does not match/)
    await expect(openNote(NOTE.replace('example.com/foo Uw', 'example.com/bar Uw'), v)).rejects.toThrow(/no signature by example.com\/foo/)
    const bad = VKEY.slice(0, 16) + (VKEY[16] === '0' ? '1' : '0') + VKEY.slice(17)
    await expect(parseVerifier(bad)).rejects.toThrow(/key id/)
    await expect(parseVerifier('example.com/foo')).rejects.toThrow()
  })
  it('refuses a signature whose S is not canonical (RFC 8032 §5.1.7)', async () => {
    // S + L encodes the same scalar; strict verification must refuse it.
    const v = await parseVerifier(VKEY)
    const line = NOTE.split('\n')[2]
    const b64 = line.split(' ')[2]
    const raw = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))
    const L = 2n ** 252n + 27742317777372353535851937790883648493n
    let s = 0n
    for (let i = 67; i >= 36; i--) s = (s << 8n) | BigInt(raw[i])
    let t = s + L
    for (let i = 36; i < 68; i++) {
      raw[i] = Number(t & 0xffn)
      t >>= 8n
    }
    const forged = NOTE.replace(b64, btoa(String.fromCharCode(...raw)))
    await expect(openNote(forged, v)).rejects.toThrow()
  })
})

describe('a key of our own', () => {
  it('signs and opens a note, with a key whose base64 holds a +', async () => {
    const b64 = (b: Uint8Array) => btoa(String.fromCharCode(...b))
    let seed = new Uint8Array(32)
    let pub = ed.getPublicKey(seed)
    for (let i = 1; !b64(concat(new Uint8Array([1]), pub)).includes('+'); i++) {
      seed = new Uint8Array(32).fill(i)
      pub = ed.getPublicKey(seed)
    }
    const name = 'corridor.test/log'
    const id = await keyId(name, pub)
    const vkey = `${name}+${toHex(id)}+${b64(concat(new Uint8Array([1]), pub))}`
    const text = `${name}\n7\n${b64(new Uint8Array(32))}\n`
    const sig = ed.sign(utf8(text), seed)
    const note = `${text}\n— ${name} ${b64(concat(id, sig))}\n`
    expect(await openNote(note, await parseVerifier(vkey))).toBe(text)
  })
})

describe('checkpoints', () => {
  it('parses origin, size and root, and refuses malformed ones', () => {
    const root = btoa(String.fromCharCode(...new Uint8Array(32).fill(7)))
    const cp = parseCheckpoint(`corridor.chifeng/registry\n42\n${root}\n`)
    expect(cp.origin).toBe('corridor.chifeng/registry')
    expect(cp.size).toBe(42n)
    expect(cp.root.length).toBe(32)
    expect(() => parseCheckpoint(`o\n042\n${root}\n`)).toThrow()
    expect(() => parseCheckpoint(`o\n42\nAAAA\n`)).toThrow()
    expect(() => parseCheckpoint(`o\n42\n${root}`)).toThrow()
  })
})
