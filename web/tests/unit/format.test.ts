import { describe, expect, it } from 'vitest'
import { bps, businessDay, count, parseYuan, pct, yuan } from '../../src/lib/format'
import { checkCharacter, checkUscc } from '../../src/lib/uscc'

describe('money and rates', () => {
  it('formats fen as yuan with grouping, exactly', () => {
    expect(yuan(422_800_000_000)).toBe('¥4,228,000,000.00')
    expect(yuan(123_456_789)).toBe('¥1,234,567.89')
    expect(yuan(5)).toBe('¥0.05')
    expect(yuan(-100)).toBe('-¥1.00')
    expect(yuan('9007199254740993')).toBe('¥90,071,992,547,409.93') // beyond 2^53: exact as text
    expect(count(125_000)).toBe('125,000')
  })
  it('reads yuan typed by a person to integer fen', () => {
    expect(parseYuan('200,000')).toBe(20_000_000)
    expect(parseYuan('1234.5')).toBe(123_450)
    expect(parseYuan('0.07')).toBe(7)
    expect(parseYuan('1.234')).toBeNull()
    expect(parseYuan('-5')).toBeNull()
    expect(parseYuan('abc')).toBeNull()
  })
  it('shows basis points and fractions as percentages', () => {
    expect(bps(450)).toBe('4.50%')
    expect(bps(5)).toBe('0.05%')
    expect(pct(0.1234)).toBe('12.34%')
  })
  it('keeps the business day in China Standard Time', () => {
    // 2026-12-03 17:30 UTC is already 2026-12-04 in Beijing.
    expect(businessDay(new Date(Date.UTC(2026, 11, 3, 17, 30)))).toBe('2026-12-04')
    expect(businessDay(new Date(Date.UTC(2026, 11, 3, 15, 59)))).toBe('2026-12-03')
  })
})

describe('unified social credit code (GB 32100-2015)', () => {
  it('accepts the codes the server accepts and names the right check character', () => {
    expect(checkUscc('91150402MA0000011P')).toEqual({ ok: true })
    expect(checkUscc('91350100M000100Y43')).toEqual({ ok: true })
    expect(checkCharacter('91150402MA0000011')).toBe('P')
    expect(checkUscc('91150402MA0000011Q')).toEqual({ ok: false, reason: 'check', expected: 'P' })
    expect(checkUscc('91150402MA00000')).toEqual({ ok: false, reason: 'length' })
    expect(checkUscc('91150402MI0000011P')).toEqual({ ok: false, reason: 'character', position: 10 })
  })
})
