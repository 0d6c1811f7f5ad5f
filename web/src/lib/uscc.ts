// The unified social credit code (统一社会信用代码), GB 32100-2015: 18 characters from a 31-letter
// alphabet (no I, O, Z, S, V); the last is a check character, weights 3^i mod 31 (§4.1, Annex).

const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY'
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

export type UsccCheck =
  | { ok: true }
  | { ok: false; reason: 'length' | 'character' | 'check'; position?: number; expected?: string }

export function checkCharacter(first17: string): string | null {
  let sum = 0
  for (let i = 0; i < 17; i++) {
    const v = ALPHABET.indexOf(first17[i])
    if (v < 0) return null
    sum += v * WEIGHTS[i]
  }
  const c = (31 - (sum % 31)) % 31
  return ALPHABET[c]
}

export function checkUscc(code: string): UsccCheck {
  const s = code.trim().toUpperCase()
  for (let i = 0; i < s.length; i++) {
    if (!ALPHABET.includes(s[i])) return { ok: false, reason: 'character', position: i + 1 }
  }
  if (s.length !== 18) return { ok: false, reason: 'length' }
  const expected = checkCharacter(s.slice(0, 17))!
  if (expected !== s[17]) return { ok: false, reason: 'check', expected }
  return { ok: true }
}
