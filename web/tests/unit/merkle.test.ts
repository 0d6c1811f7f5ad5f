// RFC 9162 verification on the vectors the C++ tests pin: RFC 6962's reference tree of 8 leaves
// as in transparency-dev/merkle (testonly/constants.go: LeafInputs, RootHashes) and its published
// inclusion and consistency proofs (proof/verify_test.go).
import { describe, expect, it } from 'vitest'
import { fromHex, toHex } from '../../src/lib/bytes'
import { leafHash, nodeHash, verifyConsistency, verifyInclusion } from '../../src/lib/merkle'

const LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f']
const ROOTS = ['e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d', 'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125', 'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77', 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7', '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4', '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef', 'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c', '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328']
const H = (hs: string[]) => hs.map(fromHex)

const INCLUSION: [number, number, string[]][] = [
  [0, 8, ['96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7', '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4']],
  [5, 8, ['bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b', 'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0', 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7']],
  [2, 3, ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125']],
  [1, 5, ['6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d', '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', 'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b']],
]
const CONSISTENCY: [number, number, string[]][] = [
  [1, 1, []],
  [1, 8, ['96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7', '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4']],
  [6, 8, ['0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a', 'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0', 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7']],
  [2, 5, ['5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', 'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b']],
  [6, 7, ['0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a', 'b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f', 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7']],
]

// The RFC 9162 root of the first n leaves (§2.1.1), by the definition: split at the largest power
// of two below n; an odd node is carried up, never duplicated.
async function root(hashes: Uint8Array[]): Promise<Uint8Array> {
  if (hashes.length === 1) return hashes[0]
  let k = 1
  while (k * 2 < hashes.length) k *= 2
  return nodeHash(await root(hashes.slice(0, k)), await root(hashes.slice(k)))
}

describe('RFC 9162 Merkle trees', () => {
  it('hashes the reference tree to the published roots for every size', async () => {
    const leaves = await Promise.all(LEAVES.map((l) => leafHash(fromHex(l))))
    for (let n = 1; n <= 8; n++) expect(toHex(await root(leaves.slice(0, n))), `size ${n}`).toBe(ROOTS[n])
  })
  it('verifies the published inclusion proofs and refuses them for another index or size', async () => {
    for (const [index, size, proof] of INCLUSION) {
      const leaf = await leafHash(fromHex(LEAVES[index]))
      const r = fromHex(ROOTS[size])
      expect(await verifyInclusion(BigInt(index), BigInt(size), leaf, H(proof), r)).toEqual({ valid: true })
      expect((await verifyInclusion(BigInt(index + 1), BigInt(size), leaf, H(proof), r)).valid).toBe(false)
      expect((await verifyInclusion(BigInt(index), BigInt(size * 2), leaf, H(proof), r)).valid).toBe(false)
      const flipped = H(proof)
      flipped[0][31] ^= 1
      const v = await verifyInclusion(BigInt(index), BigInt(size), leaf, flipped, r)
      expect(v.valid).toBe(false)
      if (!v.valid) expect(v.reason).toContain('root')
    }
  })
  it('verifies the published consistency proofs and refuses altered ones', async () => {
    for (const [a, b, proof] of CONSISTENCY) {
      expect(await verifyConsistency(BigInt(a), BigInt(b), fromHex(ROOTS[a]), fromHex(ROOTS[b]), H(proof)), `${a}->${b}`).toEqual({ valid: true })
      if (proof.length === 0) continue
      const flipped = H(proof)
      flipped[flipped.length - 1][0] ^= 1
      expect((await verifyConsistency(BigInt(a), BigInt(b), fromHex(ROOTS[a]), fromHex(ROOTS[b]), flipped)).valid).toBe(false)
      expect((await verifyConsistency(BigInt(a), BigInt(b), fromHex(ROOTS[a]), fromHex(ROOTS[b]), H(proof).slice(1))).valid).toBe(false)
    }
  })
  it('refuses impossible sizes', async () => {
    const r8 = fromHex(ROOTS[8])
    expect((await verifyConsistency(0n, 8n, fromHex(ROOTS[0]), r8, [])).valid).toBe(false)
    expect((await verifyConsistency(8n, 4n, r8, fromHex(ROOTS[4]), [])).valid).toBe(false)
    expect((await verifyConsistency(3n, 8n, fromHex(ROOTS[3]), r8, [])).valid).toBe(false)
    expect((await verifyInclusion(8n, 8n, r8, [], r8)).valid).toBe(false)
  })
})
