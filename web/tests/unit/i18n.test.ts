// Every message exists in both languages, and every key the source names exists.
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

// Read as plain JSON: imported, the build would hand over compiled messages.
const zh = JSON.parse(readFileSync(join(__dirname, '../../src/locales/zh-CN.json'), 'utf8'))
const en = JSON.parse(readFileSync(join(__dirname, '../../src/locales/en.json'), 'utf8'))

type Tree = { [k: string]: string | Tree }
function keys(t: Tree, prefix = ''): string[] {
  return Object.entries(t).flatMap(([k, v]) => (typeof v === 'string' ? [prefix + k] : keys(v, `${prefix}${k}.`)))
}
function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f)
    return statSync(p).isDirectory() ? files(p) : /\.(vue|ts)$/.test(f) ? [p] : []
  })
}
const lookup = (t: Tree, key: string) => key.split('.').reduce<string | Tree | undefined>((n, k) => (typeof n === 'object' ? n[k] : undefined), t)

describe('messages', () => {
  const zhKeys = keys(zh as Tree).sort()
  const enKeys = keys(en as Tree).sort()
  it('has the same keys in Chinese and English', () => {
    expect(zhKeys.filter((k) => !enKeys.includes(k))).toEqual([])
    expect(enKeys.filter((k) => !zhKeys.includes(k))).toEqual([])
  })
  it('has no empty message and the same placeholders in both languages', () => {
    for (const k of zhKeys) {
      const a = lookup(zh as Tree, k) as string
      const b = lookup(en as Tree, k) as string
      expect(a.trim(), k).not.toBe('')
      expect(b.trim(), k).not.toBe('')
      const ph = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()
      expect(ph(a), k).toEqual(ph(b))
    }
  })
  it('holds every key the source names literally', () => {
    const src = join(__dirname, '../../src')
    const missing: string[] = []
    for (const f of files(src)) {
      const text = readFileSync(f, 'utf8')
      for (const m of text.matchAll(/\bt\('([a-zA-Z0-9_.]+)'/g)) {
        if (lookup(zh as Tree, m[1]) === undefined || lookup(en as Tree, m[1]) === undefined) missing.push(`${f}: ${m[1]}`)
      }
      // Keys built from a prefix: every value the app can put there.
      for (const m of text.matchAll(/\bt\(`([a-zA-Z]+(?:\.[a-zA-Z]+)*)\.\$\{/g)) {
        const group = lookup(zh as Tree, m[1])
        if (typeof group !== 'object') missing.push(`${f}: ${m[1]}.*`)
      }
    }
    expect(missing).toEqual([])
  })
  it('names every enumerated value the API sends', () => {
    const groups: Record<string, string[]> = {
      'loans.status': ['active', 'overdue', 'repaid'],
      'loans.inst': ['paid', 'due', 'overdue'],
      'loans.methods': ['equal_installment', 'equal_principal', 'bullet'],
      'loans.kinds': ['standard', 'entrepreneurship'],
      'offers.status': ['offered', 'accepted', 'declined', 'booked'],
      'needs.status': ['open', 'funded', 'withdrawn'],
      'guarantees.status': ['requested', 'approved', 'declined', 'used'],
      'enterprises.status': ['registered', 'verified'],
      'portfolio.status': ['queued', 'running', 'done', 'failed'],
      'registry.types': ['order', 'invoice', 'logistics', 'receivable', 'equipment'],
      roles: ['bureau_admin', 'bank_officer', 'guarantee_officer', 'enterprise_user', 'risk_analyst', 'auditor'],
    }
    for (const [g, values] of Object.entries(groups)) {
      for (const v of values) {
        expect(lookup(zh as Tree, `${g}.${v}`), `${g}.${v}`).toBeTypeOf('string')
        expect(lookup(en as Tree, `${g}.${v}`), `${g}.${v}`).toBeTypeOf('string')
      }
    }
  })
})
