// Display of money, rates and dates. Amounts arrive as integer fen and are formatted with integer
// arithmetic (BigInt), so no binary floating point touches a yuan figure.

export function yuan(fen: number | bigint | string | null | undefined): string {
  if (fen === null || fen === undefined || fen === '') return '—'
  const v = BigInt(fen)
  const neg = v < 0n
  const abs = neg ? -v : v
  const whole = (abs / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  const cents = (abs % 100n).toString().padStart(2, '0')
  return `${neg ? '-' : ''}¥${whole}.${cents}`
}

// Yuan in ten-thousands (万元) or hundred-millions (亿元) for chart axes; never for amounts shown
// as records.
export function yuanShort(fen: number, locale: string): string {
  const y = fen / 100
  if (locale.startsWith('zh')) {
    if (Math.abs(y) >= 1e8) return `${(y / 1e8).toFixed(2)}亿`
    if (Math.abs(y) >= 1e7) return `${(y / 1e4).toFixed(0)}万`
    if (Math.abs(y) >= 1e4) return `${(y / 1e4).toFixed(1)}万`
    return y.toFixed(0)
  }
  if (Math.abs(y) >= 1e9) return `${(y / 1e9).toFixed(2)}B`
  if (Math.abs(y) >= 1e6) return `${(y / 1e6).toFixed(1)}M`
  if (Math.abs(y) >= 1e3) return `${(y / 1e3).toFixed(1)}K`
  return y.toFixed(0)
}

export function count(n: number | null | undefined): string {
  if (n === null || n === undefined) return '—'
  return BigInt(Math.trunc(n)).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',')
}

// Basis points as a percentage: 450 -> "4.50%".
export function bps(v: number | null | undefined): string {
  if (v === null || v === undefined) return '—'
  const neg = v < 0
  const a = Math.abs(Math.trunc(v))
  return `${neg ? '-' : ''}${Math.floor(a / 100)}.${String(a % 100).padStart(2, '0')}%`
}

// A fraction as a percentage: 0.1234 -> "12.34%".
export function pct(v: number | null | undefined, digits = 2): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '—'
  return `${(v * 100).toFixed(digits)}%`
}

const cst = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
})
const cstTime = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Asia/Shanghai',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
})

// The platform's business day (China Standard Time), ISO.
export function businessDay(now: Date = new Date()): string {
  return cst.format(now)
}

// A timestamp in microseconds since the epoch, as "YYYY-MM-DD HH:MM" CST.
export function micros(us: number | null | undefined): string {
  if (us === null || us === undefined) return '—'
  const d = new Date(Math.floor(us / 1000))
  return `${cst.format(d)} ${cstTime.format(d)}`
}

export function day(us: number | null | undefined): string {
  if (us === null || us === undefined) return '—'
  return cst.format(new Date(Math.floor(us / 1000)))
}

// Yuan typed by a person ("1,234.5", "1234.56") to integer fen, exactly; null when not money.
export function parseYuan(text: string): number | null {
  const t = text.replace(/[,\s¥]/g, '')
  const m = /^(\d{1,14})(?:\.(\d{1,2}))?$/.exec(t)
  if (!m) return null
  const fen = BigInt(m[1]) * 100n + BigInt((m[2] ?? '').padEnd(2, '0'))
  return Number(fen)
}
