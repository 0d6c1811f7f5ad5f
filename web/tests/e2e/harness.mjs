// The browser tests' harness: a Chifeng demo database, a real `corridor serve` on 127.0.0.1 with
// the built dashboard, and Debian's Chromium driven by playwright-core (never a downloaded
// browser). Everything started here is stopped by close().
import { spawn, execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createRequire } from 'node:module'
import { chromium } from 'playwright-core'

const here = new URL('.', import.meta.url).pathname
export const webRoot = resolve(here, '../..')
const repo = resolve(webRoot, '..')
const require = createRequire(import.meta.url)
export const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8')

function corridorBinary() {
  if (process.env.CORRIDOR_BIN) return resolve(process.env.CORRIDOR_BIN)
  for (const p of ['build/dev/src/cli/corridor', 'build/release/src/cli/corridor']) {
    try {
      execFileSync(join(repo, p), ['--help'], { stdio: 'ignore' })
      return join(repo, p)
    } catch {
      /* next */
    }
  }
  throw new Error('no corridor binary: build it or set CORRIDOR_BIN')
}

async function waitHealthy(url, child) {
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`corridor serve exited with ${child.exitCode}`)
    try {
      const r = await fetch(`${url}/healthz`)
      if (r.ok) return
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error('corridor serve did not become healthy')
}

export async function start({ asOf = '2026-06-30' } = {}) {
  const bin = corridorBinary()
  const dir = mkdtempSync(join(tmpdir(), 'corridor-web-'))
  const db = join(dir, 'c.db')
  const out = execFileSync(bin, ['demo', '--db', db, '--seed', '3', '--as-of', asOf], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })
  const tokens = Object.fromEntries(out.trim().split('\n').map((l) => l.split('\t')))
  let server
  let url
  for (let attempt = 0; attempt < 20 && !server; attempt++) {
    const port = 20000 + Math.floor(Math.random() * 20000)
    url = `http://127.0.0.1:${port}`
    const child = spawn(bin, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`, '--web', join(webRoot, 'dist'), '--access-log', 'off'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    let stderr = ''
    child.stderr.on('data', (d) => (stderr += d))
    try {
      await waitHealthy(url, child)
      server = child
      server.stderrText = () => stderr
    } catch (e) {
      child.kill('SIGKILL')
      if (!/bind|in use/i.test(stderr)) throw new Error(`${e.message}: ${stderr}`)
    }
  }
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  })
  return {
    url,
    tokens,
    browser,
    dir,
    bin,
    async api(method, path, token, body) {
      const r = await fetch(`${url}/api/v1${path}`, {
        method,
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: body ? JSON.stringify(body) : undefined,
      })
      const text = await r.text()
      return { status: r.status, body: text ? JSON.parse(text) : null }
    },
    async close() {
      await browser.close().catch(() => {})
      server?.kill('SIGTERM')
      await new Promise((r) => setTimeout(r, 200))
      server?.kill('SIGKILL')
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

// A page in its own context, with the dashboard's language set, that records console errors,
// page errors and any dialog (a script that should never have run).
export async function openPage(env, { locale = 'zh-CN', viewport = { width: 1440, height: 900 } } = {}) {
  const context = await env.browser.newContext({ viewport, locale: locale === 'en' ? 'en-US' : 'zh-CN', timezoneId: 'Asia/Shanghai' })
  await context.addInitScript((l) => {
    if (!localStorage.getItem('corridor.locale')) localStorage.setItem('corridor.locale', l)
  }, locale)
  const page = await context.newPage()
  page.problems = []
  page.on('console', (m) => {
    if (m.type() === 'error') page.problems.push(`console: ${m.text()}`)
  })
  page.on('pageerror', (e) => page.problems.push(`page error: ${e.message}`))
  page.on('dialog', async (d) => {
    page.problems.push(`dialog: ${d.message()}`)
    await d.dismiss()
  })
  page.setDefaultTimeout(20000)
  return page
}

export async function login(page, env, role, token = env.tokens[role]) {
  await page.goto(`${env.url}/login`)
  await fill(page, 'token', token)
  await page.click('[data-test=login]')
  await page.waitForURL((u) => !u.pathname.startsWith('/login'))
  await page.locator('main h1').first().waitFor()
}

export async function fill(page, name, value) {
  const el = page.locator(`[data-test="${name}"]`).first()
  const tag = await el.evaluate((e) => e.tagName)
  const target = tag === 'INPUT' || tag === 'TEXTAREA' ? el : el.locator('input, textarea').first()
  await target.fill(String(value))
}

// axe-core on the page as it stands: WCAG 2.0/2.1 A and AA rules.
export async function axe(page) {
  await page.evaluate(axeSource)
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    // Toasts are left out: they fade in and out, and axe would measure them half transparent.
    const r = await window.axe.run({ exclude: [['.el-message']] }, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
    return r.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`)
  })
  return result
}
