// RFC 9162 (Certificate Transparency 2.0) Merkle tree hashing and proof verification, written
// from the RFC's algorithms (§2.1.1 hashing, §2.1.3.2 inclusion, §2.1.4.2 consistency), so the
// auditor's browser checks the server's proofs itself. An odd node is carried up, never paired
// with itself (the flaw of several generic Merkle libraries).
import { concat, equal, toHex } from './bytes'
import { sha256 } from './sha256'

export type Verdict = { valid: true } | { valid: false; reason: string }

export async function leafHash(data: Uint8Array): Promise<Uint8Array> {
  return sha256(concat(new Uint8Array([0]), data))
}

export async function nodeHash(left: Uint8Array, right: Uint8Array): Promise<Uint8Array> {
  return sha256(concat(new Uint8Array([1]), left, right))
}

// "If LSB(fn) is not set, right-shift both fn and sn equally until either LSB(fn) is set or fn
// is 0" (both algorithms, after a left-hand sibling).
function shiftWhileEven(fn: bigint, sn: bigint): [bigint, bigint] {
  while ((fn & 1n) === 0n && fn !== 0n) {
    fn >>= 1n
    sn >>= 1n
  }
  return [fn, sn]
}

// Root from an inclusion proof (RFC 9162 §2.1.3.2), or a reason it cannot be one.
async function rootFromInclusion(
  index: bigint,
  size: bigint,
  leaf: Uint8Array,
  proof: Uint8Array[],
): Promise<Uint8Array | string> {
  if (index >= size) return `leaf index ${index} is not below the tree size ${size}`
  let fn = index
  let sn = size - 1n
  let r = leaf
  for (const p of proof) {
    if (p.length !== 32) return 'a proof hash is not 32 bytes'
    if (sn === 0n) return 'the proof is longer than the tree is deep'
    if ((fn & 1n) === 1n || fn === sn) {
      r = await nodeHash(p, r)
      ;[fn, sn] = shiftWhileEven(fn, sn)
    } else {
      r = await nodeHash(r, p)
    }
    fn >>= 1n
    sn >>= 1n
  }
  if (sn !== 0n) return 'the proof is shorter than the tree is deep'
  return r
}

export async function verifyInclusion(
  index: bigint,
  size: bigint,
  leaf: Uint8Array,
  proof: Uint8Array[],
  root: Uint8Array,
): Promise<Verdict> {
  const r = await rootFromInclusion(index, size, leaf, proof)
  if (typeof r === 'string') return { valid: false, reason: r }
  if (!equal(r, root)) {
    return { valid: false, reason: `the proof leads to root ${toHex(r)}, not the checkpoint's ${toHex(root)}` }
  }
  return { valid: true }
}

const isPowerOfTwo = (n: bigint) => n > 0n && (n & (n - 1n)) === 0n

export async function verifyConsistency(
  size1: bigint,
  size2: bigint,
  root1: Uint8Array,
  root2: Uint8Array,
  proof: Uint8Array[],
): Promise<Verdict> {
  if (size1 === 0n) return { valid: false, reason: 'an empty tree has no consistency proof' }
  if (size1 > size2) return { valid: false, reason: `the first size ${size1} exceeds the second ${size2}` }
  if (size1 === size2) {
    if (proof.length !== 0) return { valid: false, reason: 'equal sizes need an empty proof' }
    return equal(root1, root2) ? { valid: true } : { valid: false, reason: 'equal sizes with different roots' }
  }
  if (proof.length === 0) return { valid: false, reason: 'the proof is empty' }
  if (proof.some((p) => p.length !== 32)) return { valid: false, reason: 'a proof hash is not 32 bytes' }
  const path = isPowerOfTwo(size1) ? [root1, ...proof] : [...proof]
  let fn = size1 - 1n
  let sn = size2 - 1n
  while ((fn & 1n) === 1n) {
    fn >>= 1n
    sn >>= 1n
  }
  let fr = path[0]
  let sr = path[0]
  for (const c of path.slice(1)) {
    if (sn === 0n) return { valid: false, reason: 'the proof is longer than needed' }
    if ((fn & 1n) === 1n || fn === sn) {
      fr = await nodeHash(c, fr)
      sr = await nodeHash(c, sr)
      ;[fn, sn] = shiftWhileEven(fn, sn)
    } else {
      sr = await nodeHash(sr, c)
    }
    fn >>= 1n
    sn >>= 1n
  }
  if (sn !== 0n) return { valid: false, reason: 'the proof is shorter than needed' }
  if (!equal(fr, root1)) return { valid: false, reason: `the proof does not lead to the old root ${toHex(root1)}` }
  if (!equal(sr, root2)) return { valid: false, reason: `the proof does not lead to the new root ${toHex(root2)}` }
  return { valid: true }
}
