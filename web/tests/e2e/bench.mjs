// How fast the bureau's overview opens on the Chifeng demo: navigation start to the mark the view
// sets once its figures and its four charts are drawn (corridor:overview-ready), plus the
// browser's own navigation timing. A cold load (empty cache) first, then warm loads (the hashed
// assets cached, as for a returning user). Run: bench/dashboard.sh
import { login, openPage, start } from './harness.mjs'

const runs = Number(process.argv[2] ?? 10)
const env = await start()
try {
  const measure = async (page) => {
    await page.goto(env.url + '/overview')
    // (waitForFunction would need eval, which the page's CSP refuses: poll from outside.)
    for (let i = 0; i < 300; i++) {
      const t = await page.evaluate(() => {
        const m = performance.getEntriesByName('corridor:overview-ready')[0]
        const n = performance.getEntriesByType('navigation')[0]
        const bytes = performance.getEntriesByType('resource').reduce((s, r) => s + (r.transferSize || 0), 0) + (n?.transferSize ?? 0)
        const slowest = performance.getEntriesByType('resource').sort((a, b) => b.responseEnd - a.responseEnd).slice(0, 4)
          .map((r) => `${r.name.replace(location.origin, '')} ${r.startTime.toFixed(0)}→${r.responseEnd.toFixed(0)}`)
        const fig = performance.getEntriesByName('corridor:overview-figures')[0]
        return m ? { figures: fig?.startTime ?? NaN, ready: m.startTime, dcl: n.domContentLoadedEventEnd, load: n.loadEventEnd, bytes, slowest } : null
      })
      if (t) return t
      await page.waitForTimeout(20)
    }
    throw new Error('the overview never became ready')
  }
  const page = await openPage(env)
  await login(page, env, 'bureau_admin')
  // The platform is running (its caches warm); the browser comes to it fresh: empty cache, new
  // profile, five times.
  await env.api('GET', '/stats/breakdown', env.tokens.bureau_admin)
  const colds = []
  for (let i = 0; i < 5; i++) {
    const p = await openPage(env)
    await p.context().addInitScript((tok) => sessionStorage.setItem('corridor.token', tok), env.tokens.bureau_admin)
    colds.push(await measure(p))
    await p.context().close()
  }
  colds.sort((a, b) => a.ready - b.ready)
  const cold = colds[2]
  const warm = []
  await page.context().addInitScript((tok) => sessionStorage.setItem('corridor.token', tok), env.tokens.bureau_admin)
  await measure(page) // fill the cache
  for (let i = 0; i < runs; i++) warm.push(await measure(page))
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
  const f = (v) => `${v.toFixed(0)} ms`
  console.log(`cold (median of 5): figures ${f(cold.figures)}, ready ${f(cold.ready)}, DOMContentLoaded ${f(cold.dcl)}, transferred ${(cold.bytes / 1024).toFixed(0)} KiB`)
  console.log(`  last responses (ms from navigation): ${cold.slowest.join('; ')}`)
  console.log(`warm (median of ${runs}): figures ${f(median(warm.map((w) => w.figures)))}, ready ${f(median(warm.map((w) => w.ready)))}, DOMContentLoaded ${f(median(warm.map((w) => w.dcl)))}, max ready ${f(Math.max(...warm.map((w) => w.ready)))}`)
} finally {
  await env.close()
}
