// Screenshots of every screen in both languages, into docs/screenshots/{zh-CN,en}/. Run with
// `npm run screenshots` (after a build of corridor and of the dashboard); look at them.
import { mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { login, openPage, start, webRoot } from './harness.mjs'

const out = resolve(webRoot, '../docs/screenshots')
const env = await start()
try {
  // An analysis for the bank's book and the platform's, so that the risk screens have results.
  const bank = await env.api('GET', '/session', env.tokens.bank_officer)
  await env.api('POST', `/portfolios/${bank.body.tenant.id}/analyses`, env.tokens.bank_officer, { scenarios: 50000, seed: 7 })
  const analyst = await env.api('GET', '/session', env.tokens.risk_analyst)
  await env.api('POST', `/portfolios/${analyst.body.tenant.id}/analyses`, env.tokens.risk_analyst, { scenarios: 50000, seed: 7 })

  const screens = [
    { name: '01-public-home', path: '/' },
    { name: '02-login', path: '/login' },
    { name: '03-register-phone', path: '/register', phone: true },
    { name: '10-bureau-overview', role: 'bureau_admin', path: '/overview', wait: 'canvas' },
    { name: '11-bureau-enterprises', role: 'bureau_admin', path: '/enterprises', wait: '.el-table__row' },
    { name: '12-catalogue', role: 'bureau_admin', path: '/catalogue', wait: '.el-table__row' },
    { name: '13-bureau-subsidies', role: 'bureau_admin', path: '/subsidies', wait: '[data-test=program]' },
    { name: '14-bureau-guarantees', role: 'bureau_admin', path: '/guarantees', wait: '.el-table__row' },
    { name: '15-bureau-green-queue', role: 'bureau_admin', path: '/green', wait: '.el-table__row' },
    { name: '16-bureau-risk-pools', role: 'bureau_admin', path: '/risk-pools', wait: '.el-table__row' },
    { name: '17-bureau-evaluation', role: 'bureau_admin', path: '/evaluation', wait: 'canvas' },
    { name: '19-bureau-monitor-alerts', role: 'bureau_admin', path: '/monitor', wait: '[data-test=alerts] .el-table__row' },
    { name: '18-bureau-supply-pool', role: 'bureau_admin', path: '/supply', wait: '[data-test=lines-table] .el-table__row', click: '#tab-pool', after: '[data-test=pool-orders] .el-table__row' },
    { name: '20-bank-needs', role: 'bank_officer', path: '/needs', wait: '.el-table__row', click: '[data-test=matches]', after: '[data-test=match]' },
    { name: '21-bank-offers', role: 'bank_officer', path: '/offers', wait: '.el-table__row' },
    { name: '22-bank-loan', role: 'bank_officer', path: '/loans', wait: '.el-table__row', click: '[data-test=open-loan]', after: '[data-test=schedule] .el-table__row' },
    { name: '23-bank-portfolio', role: 'bank_officer', path: '/portfolio', wait: '[data-test=risk-cards]', full: true },
    { name: '24-bank-overview', role: 'bank_officer', path: '/overview', wait: 'canvas' },
    { name: '25-bank-supply', role: 'bank_officer', path: '/supply', wait: '[data-test=lines-table] .el-table__row' },
    { name: '26-bank-monitor-alert', role: 'bank_officer', path: '/monitor', wait: '[data-test=alerts] .el-table__row', click: '[data-test=open-alert]', after: '[data-test=history] .el-table__row' },
    { name: '27-bank-monitor-project', role: 'bank_officer', path: '/monitor', wait: '[data-test=alerts] .el-table__row', steps: async (page) => {
      await page.click('#tab-projects')
      await page.locator('[data-test=projects] .el-table__row').first().locator('[data-test=open-project]').click()
      await page.waitForSelector('.el-drawer canvas')
    } },
    { name: '30-guarantor-requests', role: 'guarantee_officer', path: '/guarantee-requests', wait: '.el-table__row' },
    { name: '31-guarantor-book', role: 'guarantee_officer', path: '/guarantees', wait: '[data-test=guarantor-book]' },
    { name: '40-enterprise-home-phone', role: 'enterprise_user', path: '/my', wait: '[data-test=my-name]', phone: true },
    { name: '41-enterprise-loans', role: 'enterprise_user', path: '/loans', wait: '.el-table__row', click: '[data-test=open-loan]', after: '[data-test=schedule] .el-table__row' },
    { name: '42-enterprise-registry', role: 'enterprise_user', path: '/registry', wait: '.el-table__row' },
    { name: '43-core-pool', role: 'core_enterprise', path: '/supply', wait: '[data-test=lines-table] .el-table__row', click: '#tab-pool', after: '[data-test=pool-orders] .el-table__row' },
    { name: '44-supplier-line', role: 'supplier', path: '/supply', wait: '[data-test=lines-table] .el-table__row', click: '[data-test=open-line]', after: '[data-test=line-orders] .el-table__row' },
    { name: '45-owner-upload', role: 'project_owner', path: '/monitor', wait: '[data-test=projects] .el-table__row', steps: async (page) => {
      await page.click('#tab-upload')
      const csv = 'project,indicator,time,value,unit\nWF-CF-003,availability,2026-06-29T12:00:00+08:00,0.991,ratio\nWF-CF-003,availability,2026-06-29T13:00:00+08:00,1.4,ratio\nWF-CF-003,irradiance_wm2,2026-06-29T13:00:00+08:00,700,W/m2\n'
      await page.locator('[data-test=csv]').fill(csv)
      await page.click('[data-test=send-upload]')
      await page.waitForSelector('[data-test=refused] .el-table__row')
    } },
    { name: '52-analyst-curtailment', role: 'risk_analyst', path: '/monitor', wait: '[data-test=alerts]', steps: async (page) => {
      await page.click('#tab-curtailment')
      await page.locator('.el-input-number input').fill('2026')
      await page.locator('.el-input-number input').press('Enter')
      await page.getByRole('button', { name: /刷新|Refresh/ }).click()
      await page.waitForSelector('#pane-curtailment canvas')
    } },
    { name: '53-analyst-health', role: 'risk_analyst', path: '/monitor', wait: '[data-test=alerts]', full: true, steps: async (page) => {
      await page.click('#tab-health')
      const first = page.locator('[data-test=health-firms] .el-table__row').first()
      await first.waitFor()
      await first.locator('[data-test=open-firm]').click()
      await page.waitForSelector('[data-test=firm-title]')
      await page.waitForTimeout(800)
    } },
    { name: '46-supplier-health-alert', role: 'supplier', path: '/monitor', wait: '[data-test=projects]', steps: async (page) => {
      await page.click('#tab-alerts')
      await page.locator('[data-test=alerts] .el-table__row').first().locator('[data-test=open-alert]').click()
      await page.waitForSelector('.el-drawer canvas')
      await page.waitForTimeout(800)
    } },
    { name: '28-bank-scoring-validation', role: 'bank_risk', path: '/scoring', wait: '[data-test=models-table] .el-table__row', click: '[data-test=models-table] .el-table__row', after: 'canvas', full: true },
    { name: '29-bank-scoring-fairness', role: 'bank_risk', path: '/scoring', wait: '[data-test=models-table] .el-table__row', steps: async (page) => {
      await page.locator('[data-test=models-table] .el-table__row').first().click()
      await page.getByRole('tab', { name: /公平性|Fairness/ }).click()
      await page.waitForSelector('[data-test=fairness-region] .el-table__row')
    } },
    { name: '32-bank-scoring-monitoring', role: 'bank_risk', path: '/scoring', wait: '[data-test=models-table] .el-table__row', steps: async (page) => {
      await page.locator('[data-test=models-table] .el-table__row').first().click()
      await page.getByRole('tab', { name: /监测|Monitoring/ }).click()
      await page.waitForSelector('[data-test=runs] .el-table__row')
    } },
    { name: '33-bank-need-score', role: 'bank_officer', path: '/needs', wait: '[data-test=need-score]', steps: async (page) => {
      await page.locator('[data-test=need-score]').first().click()
      await page.waitForSelector('[data-test=credit-score]')
    } },
    { name: '47-enterprise-score', role: 'enterprise_user', path: '/my', wait: '[data-test=my-scores]' },
    { name: '34-bank-herder-data', role: 'bank_officer', path: '/enterprises', wait: '.el-table__row', steps: async (page) => {
      await page.locator('.el-radio-button', { hasText: /^(已认证|Verified)$/ }).click()
      await page.locator('[data-test=enterprise-table] .el-table__row', { hasText: /农牧业|Farming and herding/ }).first().locator('[data-test=ent-data]').dispatchEvent('click')
      await page.locator('[data-test=agri-profile]').waitFor()
    } },
    { name: '35-bank-joint-models', role: 'bank_officer', path: '/federated', wait: '[data-test=party-key]', full: true },
    { name: '36-insurer-settlement', role: 'insurance_officer', path: '/pension', wait: '[data-test=settlements] .el-table__row', click: '[data-test=settlements] .el-table__row', after: '[data-test=settlement-net] .el-table__row', full: true },
    { name: '37-trust-projection', role: 'trust_officer', path: '/pension', wait: '[data-test=trust-detail]', click: '[data-test=project]', after: '[data-test=shortfall]', full: true },
    { name: '38-bureau-fund', role: 'bureau_admin', path: '/pension', wait: '[data-test=policies] .el-table__row', click: '#tab-fund', after: '[data-test=fund-events] .el-table__row', full: true },
    { name: '39-insurer-eco', role: 'insurance_officer_xilingol', path: '/pension', wait: '[data-test=policies] .el-table__row', click: '#tab-eco', after: '[data-test=assessments] .el-table__row', full: true },
    { name: '50-analyst-portfolio', role: 'risk_analyst', path: '/portfolio', wait: '[data-test=risk-cards]', full: true },
    { name: '51-analyst-ecosystem', role: 'risk_analyst', path: '/ecosystems', wait: 'canvas', shock: true },
    { name: '60-auditor-registry', role: 'auditor', path: '/audit', wait: '[data-test=checkpoint-verdict]', verify: true },
  ]
  for (const locale of ['zh-CN', 'en']) {
    const dir = join(out, locale)
    mkdirSync(dir, { recursive: true })
    // SCREENS=regex takes the matching screens only.
    for (const s of screens.filter((x) => !process.env.SCREENS || new RegExp(process.env.SCREENS).test(x.name))) {
      const page = await openPage(env, { locale, viewport: s.phone ? { width: 390, height: 844 } : { width: 1440, height: 900 } })
      if (s.role) await login(page, env, s.role)
      await page.goto(env.url + s.path)
      if (s.wait) await page.waitForSelector(s.wait, { timeout: 60000 })
      if (s.click) {
        await page.locator(s.click).first().click()
        await page.waitForSelector(s.after)
      }
      if (s.steps) await s.steps(page)
      if (s.shock) {
        await page.click('[data-test=shock-node]')
        await page.locator('.el-select-dropdown__item:visible').first().click()
        await page.waitForSelector('[data-test=clearing] .el-table__row')
      }
      if (s.verify) {
        await page.locator('[data-test=verify-entry]').first().click()
        await page.waitForSelector('[data-test=inclusion-verdict]')
      }
      await page.waitForTimeout(900) // charts finish their entry animation
      await page.screenshot({ path: join(dir, `${s.name}.png`), fullPage: !!s.full })
      if (page.problems.length) console.error(`${locale} ${s.name}:`, page.problems.join('; '))
      await page.context().close()
    }
  }
  console.log(`screenshots in ${out}`)
} finally {
  await env.close()
}
