// Each role's main journey in a real browser against a real `corridor serve`: the public page,
// the bureau's overview, an enterprise registering (with markup in its name) and being verified,
// posting a need, a bank offering, the enterprise accepting, the guarantee agency approving, the
// bank booking, the enterprise repaying; the analyst's analysis to 100% and the ecosystem shock;
// the green review; the auditor verifying proofs in the browser and catching tampered ones.
// Every page is checked with axe-core (WCAG 2.1 AA) and must log no console error.
import assert from 'node:assert/strict'
import { execFileSync, spawn } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { axe, fill, login, openPage, start } from './harness.mjs'

const XSS_NAME = '<img src=x onerror=alert(1)>'
// Fen as the dashboard shows yuan (integer arithmetic, like src/lib/format.ts).
const yuanOf = (fen) => `¥${String(Math.trunc(fen / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${String(fen % 100).padStart(2, '0')}`
let env
const state = {}

async function clean(page, label) {
  // A select's menu still fading out after a choice is not part of the page being checked.
  await page.locator('.el-select__popper:visible').first().waitFor({ state: 'hidden' })
  // Nor is a dialog fading out after its form was sent (half transparent while it leaves).
  await page.locator('[class*="-leave-active"]').first().waitFor({ state: 'detached' })
  const violations = await axe(page)
  assert.deepEqual(violations, [], `${label}: accessibility violations`)
  assert.deepEqual(page.problems, [], `${label}: console errors`)
}

before(async () => {
  env = await start()
})
after(async () => {
  await env?.close()
})

describe('the dashboard', { concurrency: false }, () => {
  it('shows the public statistics without a token, with the security headers', async () => {
    const page = await openPage(env)
    const res = await page.goto(env.url + '/')
    const h = res.headers()
    assert.match(h['content-security-policy'], /script-src 'self'/)
    assert.doesNotMatch(h['content-security-policy'], /unsafe-eval/)
    assert.equal(h['x-frame-options'], 'DENY')
    assert.equal(h['x-content-type-options'], 'nosniff')
    await page.locator('[data-test=amount]', { hasText: '¥' }).waitFor()
    assert.equal(await page.textContent('[data-test=registered]'), '125,000')
    assert.equal(await page.textContent('[data-test=verified]'), '107,000')
    assert.equal(await page.textContent('[data-test=deals]'), '5,185')
    assert.equal(await page.textContent('[data-test=amount]'), '¥4,228,000,000.00')
    assert.match(await page.textContent('h1'), /赤峰/)
    await clean(page, 'public home')
    await page.context().close()
  })

  it('gives the bureau its overview with the published figures on the first screen', async () => {
    const page = await openPage(env)
    await login(page, env, 'bureau_admin')
    await page.waitForURL('**/overview')
    await page.locator('canvas').nth(3).waitFor()
    assert.equal(await page.textContent('[data-test=registered]'), '125,000')
    assert.equal(await page.textContent('[data-test=amount]'), '¥4,228,000,000.00')
    const box = await page.locator('[data-test=amount]').boundingBox()
    assert.ok(box.y + box.height < 900, 'the figures are above the fold')
    await clean(page, 'bureau overview')
    await page.context().close()
  })

  it('remembers the auditor checkpoint, verified in the browser', async () => {
    const page = await openPage(env)
    await login(page, env, 'auditor')
    await page.goto(env.url + '/audit')
    await page.waitForSelector('[data-test=checkpoint-verdict].good')
    state.firstSize = Number(await page.textContent('[data-test=tree-size]'))
    // The checkpoint is remembered before the entries load.
    await page.locator('[data-test=entries] .el-table__row').first().waitFor()
    state.auditorStorage = await page.context().storageState()
    await clean(page, 'audit')
    await page.context().close()
  })

  it('lets an enterprise register, checking its code as it is typed, and shows markup as text', async () => {
    const page = await openPage(env, { viewport: { width: 390, height: 844 } })
    await page.goto(env.url + '/register')
    await fill(page, 'uscc', '91150402MAE2E0001Y')
    const msg = await page.locator('.el-form-item__error').first().textContent().catch(() => '')
    let code = '91150402MAE2E0001Y'
    if (!(await page.locator('[data-test=uscc-ok]').count())) {
      const expected = msg.trim().slice(-1)
      assert.match(msg, /校验码/)
      code = '91150402MAE2E0001' + expected
      await fill(page, 'uscc', code)
    }
    await page.waitForSelector('[data-test=uscc-ok]')
    await fill(page, 'name', XSS_NAME)
    await clean(page, 'register (phone)')
    await page.click('[data-test=register]')
    const token = (await page.textContent('[data-test=issued-token]', { timeout: 20000 })).trim()
    assert.match(token, /^cor_/)
    state.enterpriseToken = token
    await page.click('[data-test=enter]')
    await page.waitForSelector('[data-test=my-name]')
    assert.equal(await page.textContent('[data-test=my-name]'), XSS_NAME)
    assert.equal(await page.locator('img[src=x]').count(), 0)
    assert.deepEqual(page.problems, [])
    await page.context().close()
  })

  it('lets the bureau verify the new enterprise from its queue', async () => {
    const page = await openPage(env)
    await login(page, env, 'bureau_admin')
    await page.goto(env.url + '/enterprises')
    const first = page.locator('[data-test=enterprise-table] .el-table__row').first()
    await first.waitFor()
    assert.equal(await first.locator('[data-test=ent-name]').textContent(), XSS_NAME)
    assert.equal(await page.locator('img[src=x]').count(), 0)
    await first.locator('[data-test=verify]').click()
    await page.waitForSelector('.el-message--success')
    // Then records what the shared data says of it: its credit profile, and its herd.
    await page.locator('[data-test=enterprise-table] [data-test=ent-data]').first().waitFor()
    await page.locator('.el-radio-button', { hasText: /^(已认证|Verified)$/ }).click()
    const row = page.locator('[data-test=enterprise-table] .el-table__row', { hasText: XSS_NAME })
    await row.locator('[data-test=ent-data]').click()
    await fill(page, 'credit-tax', '12,000')
    await fill(page, 'credit-utilities', '8,400.50')
    await fill(page, 'credit-revenue', '3,000,000.00')
    await page.click('[data-test=credit-save]')
    await page.locator('[data-test=credit-profile]', { hasText: '12,000.00' }).waitFor()
    await page.locator('[data-test=agri-herd] input').fill('320')
    await page.locator('[data-test=agri-grassland] input').fill('4500')
    await fill(page, 'agri-insured', '256,000')
    await page.click('[data-test=agri-member]')
    await page.click('[data-test=agri-save]')
    await page.locator('[data-test=agri-profile]', { hasText: '4,500' }).waitFor()
    await clean(page, 'enterprises')
    await page.context().close()
    const id = (await env.api('GET', '/session', state.enterpriseToken)).body.enterprise.id
    const ent = (await env.api('GET', `/enterprises/${id}`, env.tokens.bureau_admin)).body
    assert.deepEqual(
      [ent.credit_profile.tax_paid_12m_fen, ent.credit_profile.utilities_paid_12m_fen,
        ent.credit_profile.annual_revenue_fen],
      [1200000, 840050, 300000000])
    assert.deepEqual(
      [ent.agri_profile.herd_sheep_units, ent.agri_profile.grassland_contract_mu,
        ent.agri_profile.insured_amount_fen, ent.agri_profile.cooperative_member],
      [320, 4500, 25600000, true])
  })

  it('lets the enterprise post a need', async () => {
    const page = await openPage(env)
    await login(page, env, 'enterprise_user', state.enterpriseToken)
    // It sees what the bureau recorded of it, which banks' models read.
    await page.locator('[data-test=my-data]', { hasText: '4,500' }).waitFor()
    await page.goto(env.url + '/needs')
    await fill(page, 'need-amount', '200,000')
    await fill(page, 'need-purpose', '扩大牛群 herd expansion')
    await page.click('[data-test=post-need]')
    await page.waitForSelector('.el-message--success')
    const row = page.locator('[data-test=needs-table] .el-table__row').first()
    await row.waitFor()
    assert.match(await row.textContent(), /¥200,000\.00/)
    await clean(page, 'post a need')
    await page.context().close()
  })

  it('lets the bank see the matches with reasons and make an offer', async () => {
    const page = await openPage(env)
    await login(page, env, 'bank_officer')
    await page.goto(env.url + '/needs')
    const row = page.locator('[data-test=needs-table] .el-table__row').first()
    await row.waitFor()
    assert.match(await row.textContent(), /¥200,000\.00/)
    await row.locator('[data-test=matches]').click()
    await page.waitForSelector('[data-test=match]')
    assert.ok((await page.locator('[data-test=match] li').count()) > 0, 'matches carry reasons')
    await clean(page, 'matches')
    await page.locator('[data-test=make-offer]').first().click()
    await fill(page, 'offer-rate', '4.35')
    await page.click('[data-test=send-offer]')
    await page.waitForSelector('.el-message--success')
    await page.context().close()
  })

  it('lets the enterprise accept the offer', async () => {
    const page = await openPage(env)
    await login(page, env, 'enterprise_user', state.enterpriseToken)
    await page.goto(env.url + '/offers')
    const row = page.locator('[data-test=offers-table] .el-table__row').first()
    await row.locator('[data-test=accept]').click()
    await page.waitForSelector('.el-message--success')
    await page.locator('[data-test=offer-status]', { hasText: '已接受' }).first().waitFor()
    await clean(page, 'offers (enterprise)')
    await page.context().close()
  })

  it('lets the bank ask the guarantee agency, and the agency approve', async () => {
    const agency = (await env.api('GET', '/session', env.tokens.guarantee_officer)).body.tenant.name
    const bank = await openPage(env)
    await login(bank, env, 'bank_officer')
    await bank.goto(env.url + '/offers')
    await bank.locator('[data-test=offers-table] .el-table__row').first().locator('[data-test=ask-guarantee]').click()
    await bank.click('[data-test=guarantor]')
    await bank.locator('.el-select-dropdown__item', { hasText: agency }).click()
    await bank.click('[data-test=send-guarantee]')
    await bank.waitForSelector('.el-message--success')
    await bank.context().close()

    const page = await openPage(env)
    await login(page, env, 'guarantee_officer')
    await page.waitForURL('**/guarantee-requests')
    const row = page.locator('[data-test=requests-table] .el-table__row').first()
    await row.locator('[data-test=approve]').click()
    await page.waitForSelector('.el-message--success')
    await page.locator('[data-test=request-status]', { hasText: '已批准' }).first().waitFor()
    await clean(page, 'guarantee requests')
    await page.goto(env.url + '/guarantees')
    await page.locator('[data-test=exposure]', { hasText: '¥' }).waitFor()
    await clean(page, 'guarantor book')
    await page.context().close()
  })

  it('lets the bank book the loan on the approved guarantee', async () => {
    const page = await openPage(env)
    await login(page, env, 'bank_officer')
    await page.goto(env.url + '/offers')
    await page.locator('[data-test=offers-table] .el-table__row').first().locator('[data-test=book]').click()
    await page.click('[data-test=send-book]')
    await page.waitForURL('**/loans?open=*')
    await page.waitForSelector('[data-test=schedule] .el-table__row')
    assert.equal(await page.textContent('[data-test=loan-status]'), '正常')
    assert.match(await page.textContent('.el-drawer'), /担保/)
    state.loanId = new URL(page.url()).searchParams.get('open')
    await clean(page, 'loan booked')
    await page.context().close()
  })

  it('lets the enterprise see its schedule and repay', async () => {
    const page = await openPage(env)
    await login(page, env, 'enterprise_user', state.enterpriseToken)
    await page.goto(env.url + '/loans')
    await page.locator('[data-test=loans-table] .el-table__row').first().locator('[data-test=open-loan]').click()
    await page.waitForSelector('[data-test=schedule] .el-table__row')
    const before = await page.textContent('[data-test=outstanding]')
    await page.click('[data-test=repay]')
    await page.waitForSelector('.el-message--success')
    await page.locator('[data-test=outstanding]').filter({ hasNotText: before }).waitFor()
    assert.equal(await page.locator('[data-test=inst-status]').first().textContent(), '已还')
    await clean(page, 'repay')
    await page.context().close()
  })

  it('lets the risk analyst run a portfolio analysis to 100%', async () => {
    const page = await openPage(env, { locale: 'en' })
    await login(page, env, 'risk_analyst')
    await page.goto(env.url + '/portfolio')
    await page.locator('[data-test=start-analysis]').waitFor()
    await page.locator('input[aria-label="Scenarios"]').fill('20000')
    await page.click('[data-test=start-analysis]')
    await page.locator('[data-test=analysis-status]', { hasText: 'Done' }).waitFor({ timeout: 120000 })
    assert.equal(await page.getAttribute('[data-test=progress]', 'aria-valuenow'), '100')
    await page.waitForSelector('[data-test=risk-cards]')
    assert.match(await page.textContent('[data-test=new-energy]'), /60%/)
    await page.locator('canvas').nth(1).waitFor()
    await clean(page, 'portfolio analysis')
    await page.context().close()
  })

  it('lets the analyst shock a node of the ecosystem and see DebtRank, paths and clearing', async () => {
    const page = await openPage(env, { locale: 'en' })
    await login(page, env, 'risk_analyst')
    await page.goto(env.url + '/ecosystems')
    await page.waitForSelector('canvas')
    await page.click('[data-test=shock-node]')
    await page.locator('.el-select-dropdown__item:visible').first().click()
    await page.waitForSelector('[data-test=paths]')
    assert.match(await page.textContent('[data-test=debtrank]'), /%$/)
    await page.waitForSelector('[data-test=clearing] .el-table__row')
    await clean(page, 'ecosystem')
    await page.context().close()
  })

  it('lets the bureau review a flagged green label with a note', async () => {
    const page = await openPage(env)
    await login(page, env, 'bureau_admin')
    await page.goto(env.url + '/green')
    const row = page.locator('[data-test=review-queue] .el-table__row').first()
    await row.waitFor()
    const before = await page.locator('[data-test=review-queue] .el-table__row').count()
    await row.locator('[data-test=grant]').click()
    await fill(page, 'review-note', '计量数据已补充 metered data supplied')
    await page.click('[data-test=send-review]')
    await page.waitForSelector('.el-message--success')
    await clean(page, 'green review')
    assert.ok(before >= 1)
    await page.context().close()
  })

  it('lets the auditor verify an inclusion proof, catch a tampered one, and see the log only grew', async () => {
    const context = await env.browser.newContext({ storageState: state.auditorStorage, viewport: { width: 1440, height: 900 } })
    await context.addInitScript(() => localStorage.setItem('corridor.locale', 'zh-CN'))
    const page = await context.newPage()
    page.problems = []
    page.on('console', (m) => m.type() === 'error' && page.problems.push(m.text()))
    // Logging in lands the auditor on the explorer: one visit, so that it compares with the
    // checkpoint remembered from the first test, not with itself.
    await login(page, env, 'auditor')
    await page.waitForURL('**/audit')
    await page.waitForSelector('[data-test=checkpoint-verdict].good')
    const size = Number(await page.textContent('[data-test=tree-size]'))
    assert.ok(size > state.firstSize, 'the journeys above wrote to the log')
    await page.waitForSelector('[data-test=consistency-verdict].good')
    assert.match(await page.textContent('[data-test=consistency-verdict]'), new RegExp(String(state.firstSize)))

    await page.locator('[data-test=verify-entry]').first().click()
    await page.waitForSelector('[data-test=inclusion-verdict].good')

    // The server lies: one hash of the proof is changed on the wire.
    await page.route('**/api/v1/registry/proofs/inclusion*', async (route) => {
      const res = await route.fetch()
      const body = await res.json()
      const h = body.proof_hex[0]
      body.proof_hex[0] = (h[0] === '0' ? '1' : '0') + h.slice(1)
      await route.fulfill({ response: res, json: body })
    })
    await page.locator('[data-test=verify-entry]').nth(1).click()
    await page.waitForSelector('[data-test=inclusion-verdict].fail')
    assert.match(await page.textContent('[data-test=inclusion-verdict]'), /根|root/)
    await page.unroute('**/api/v1/registry/proofs/inclusion*')

    // And a checkpoint whose size was changed no longer carries a valid signature.
    await page.route('**/api/v1/registry/checkpoint', async (route) => {
      const res = await route.fetch()
      const lines = (await res.text()).split('\n')
      lines[1] = String(Number(lines[1]) + 1)
      await route.fulfill({ response: res, body: lines.join('\n') })
    })
    await page.click('[data-test=reload-checkpoint]')
    await page.waitForSelector('[data-test=checkpoint-verdict].fail')
    assert.match(await page.textContent('[data-test=checkpoint-verdict]'), /签名|signature/)
    await clean(page, 'audit tampered')
    await context.close()
  })

  it('runs seed 002 supply-chain finance: the core pools an order, the supplier meets its margin call and draws, the bank sees its freeze and restricted loan', async () => {
    // The supplier registers a new order of 30 million yuan from the core enterprise, due in 90
    // days of today (the demo's own orders may have fallen due since its as-of date).
    const mine = (await env.api('GET', '/supply/lines', env.tokens.supplier)).body.items[0]
    const core = mine.orders[0].buyer_uscc
    const due = new Date(Date.now() + 90 * 86400000).toISOString().slice(0, 10)
    const number = `SOE2E${Date.now()}` // letters and digits: the registry keeps them as given
    const order = await env.api('POST', '/registry/assets', env.tokens.supplier, { type: 'order', document_number: number, debtor_uscc: core, creditor_uscc: mine.supplier_uscc, amount_fen: 3000000000, due_date: due })
    assert.equal(order.status, 201, JSON.stringify(order.body))

    // The core enterprise puts it into its pool from the dashboard: that is its confirmation.
    const page = await openPage(env)
    await login(page, env, 'core_enterprise')
    await page.goto(env.url + '/supply')
    await page.click('#tab-pool')
    await page.locator('[data-test=pool-orders] .el-table__row').first().waitFor()
    await page.click('[data-test=pool-order]')
    await page.locator('.el-select-dropdown__item:visible', { hasText: number }).click()
    await fill(page, 'pool-units', '2500')
    await page.click('[data-test=pool-submit]')
    await page.waitForSelector('.el-message--success')
    await page.locator('[data-test=pool-orders] .el-table__row', { hasText: number }).waitFor()
    await clean(page, 'core enterprise pool')
    await page.context().close()

    // The supplier's line grew; the off-season margin call blocks a draw until it is met.
    const after = (await env.api('GET', `/supply/lines/${mine.id}`, env.tokens.supplier)).body
    assert.ok(after.orders.some((o) => o.document_number === number && o.status === 'confirmed'))
    const supplier = await openPage(env)
    await login(supplier, env, 'supplier')
    await supplier.goto(env.url + '/supply')
    await supplier.locator('[data-test=lines-table] .el-table__row').first().locator('[data-test=open-line]').click()
    await supplier.waitForSelector('[data-test=line-orders] .el-table__row')
    assert.equal(await supplier.textContent('[data-test=drawer-available]'), yuanOf(after.available_fen))
    await fill(supplier, 'draw-amount', '1000')
    await supplier.click('[data-test=draw]')
    await supplier.waitForSelector('.el-message--error')
    assert.match(await supplier.textContent('.el-message--error'), /dynamic_margin/)
    // The browser logs the refused request itself; that one is expected, anything else is not.
    assert.ok(supplier.problems.every((p) => /409/.test(p)), supplier.problems.join('; '))
    supplier.problems = []
    await supplier.locator('.el-drawer__close-btn:visible').click()
    await supplier.click('#tab-margin')
    await supplier.locator('[data-test=meet-call]').first().click()
    await supplier.locator('.el-message--success').first().waitFor()
    await supplier.click('#tab-lines')
    await supplier.locator('[data-test=lines-table] .el-table__row').first().locator('[data-test=open-line]').click()
    const drawnBefore = await supplier.textContent('[data-test=drawer-drawn]')
    await fill(supplier, 'draw-amount', '1000')
    await supplier.click('[data-test=draw]')
    await supplier.locator('[data-test=drawer-drawn]').filter({ hasNotText: drawnBefore }).waitFor()
    assert.equal(await supplier.textContent('[data-test=drawer-drawn]'), yuanOf(after.drawn_fen + 100000))
    await clean(supplier, 'supplier line')
    await supplier.context().close()

    // The bank: a frozen line among its lines, the restricted capacity loan with its top-up.
    const bank = await openPage(env, { locale: 'en' })
    await login(bank, env, 'bank_officer')
    await bank.goto(env.url + '/supply')
    const lines = (await env.api('GET', '/supply/lines?limit=100', env.tokens.bank_officer)).body.items
    const frozen = lines.find((l) => l.frozen)
    assert.ok(frozen, 'the demo has a frozen line')
    assert.ok(lines.some((l) => l.restrictions.some((r) => r.rule === 'capacity_utilization')), 'and a supplier below 60%')
    // The frozen-only filter brings the frozen lines to the first page, whatever their place.
    const frozenLines = (await env.api('GET', '/supply/lines?frozen=true&limit=100', env.tokens.bank_officer)).body.items
    assert.ok(frozenLines.length > 0 && frozenLines.every((l) => l.frozen))
    await bank.locator('[data-test=lines-table] .el-table__row').first().waitFor()
    await bank.click('[data-test=frozen-only]')
    await bank.locator('[data-test=line-supplier]', { hasText: frozen.supplier_name }).waitFor()
    await bank.waitForFunction(
      (n) => document.querySelectorAll('[data-test=lines-table] .el-table__row').length === n,
      Math.min(frozenLines.length, 20),
    )
    const states = await bank.locator('[data-test=line-state]').allTextContents()
    assert.ok(states.every((s) => s.trim() === 'Frozen'), states.join(','))
    await bank.click('#tab-secured')
    await bank.locator('[data-test=secured-status]', { hasText: 'Restricted' }).click()
    assert.equal(await bank.textContent('[data-test=top-up]'), '¥5,250,000.00')
    await clean(bank, 'bank secured loans')
    await bank.context().close()

    // The bureau: the ecosystem's pool with its frozen and restricted lines counted.
    const bureau = await openPage(env, { locale: 'en' })
    await login(bureau, env, 'bureau_admin')
    await bureau.goto(env.url + '/supply')
    await bureau.click('#tab-pool')
    const pools = (await env.api('GET', '/supply/pools', env.tokens.bureau_admin)).body.items
    const poolTotals = (await env.api('GET', `/supply/pools/${pools[0].id}`, env.tokens.bureau_admin)).body.totals
    assert.ok(poolTotals.frozen_lines >= 1 && poolTotals.restricted_lines >= 1, JSON.stringify(poolTotals))
    await bureau.locator('[data-test=pool-frozen]', { hasText: String(poolTotals.frozen_lines) }).waitFor()
    assert.equal((await bureau.textContent('[data-test=pool-restricted]')).trim(), String(poolTotals.restricted_lines))
    await clean(bureau, 'bureau pool')
    await bureau.context().close()
  })

  it('watches a wind farm: its curtailment rises, an alert fires once, the lender acknowledges it, the bureau sees it', async () => {
    const project = (await env.api('GET', '/monitor/projects?limit=100', env.tokens.project_owner)).body.items[0]
    assert.equal(project.risk_state, 'normal', JSON.stringify(project))
    // Four hours of 20% curtailment ending two hours ago (the threshold rule wants three hours
    // above 10%), as the farm's collector would upload them.
    const hour = Math.floor(Date.now() / 3600000) * 3600000
    const rows = (from, to) => {
      let csv = 'project,indicator,time,value,unit\n'
      for (let h = from; h < to; h++) {
        const t = new Date(hour + h * 3600000).toISOString().replace(/\.\d{3}Z$/, 'Z')
        csv += `${project.code},generation_mwh,${t},80,MWh\n${project.code},curtailed_mwh,${t},20,MWh\n`
      }
      return csv
    }
    const owner = await openPage(env)
    await login(owner, env, 'project_owner')
    await owner.goto(env.url + '/monitor')
    await owner.locator('[data-test=projects] .el-table__row').first().waitFor()
    await owner.click('#tab-upload')
    await fill(owner, 'csv', rows(-5, -1) + `${project.code},curtailment_rate,2026-01-01T00:00:00Z,1.5,ratio\n`)
    await owner.click('[data-test=send-upload]')
    await owner.locator('[data-test=accepted]', { hasText: '8' }).waitFor()
    // The bad row is refused with its line and reason; the threshold and CUSUM rules fire.
    assert.match(await owner.textContent('[data-test=refused]'), /10/)
    assert.equal((await owner.textContent('[data-test=fired]')).trim(), '2')
    // Another hour, still above: no second alert.
    await fill(owner, 'csv', rows(-1, 0))
    await owner.click('[data-test=send-upload]')
    await owner.locator('[data-test=accepted]', { hasText: '2' }).waitFor()
    assert.equal((await owner.textContent('[data-test=fired]')).trim(), '0')
    await clean(owner, 'owner upload')
    await owner.context().close()

    // The lender subscribes a webhook, finds the alert among its open alerts and acknowledges it.
    const bank = await openPage(env)
    await login(bank, env, 'bank_officer')
    await bank.goto(env.url + '/monitor')
    await bank.click('#tab-webhooks')
    await fill(bank, 'hook-url', 'http://127.0.0.1:9/corridor-alerts')
    await bank.click('[data-test=add-hook]')
    await bank.locator('[data-test=hook-secret]', { hasText: 'whsec_' }).waitFor()
    await bank.click('#tab-alerts')
    const row = bank.locator('[data-test=alerts] .el-table__row', { hasText: project.code }).first()
    await row.waitFor()
    await row.locator('[data-test=open-alert]').click()
    await bank.locator('[data-test=history] .el-table__row').first().waitFor()
    await bank.click('[data-test=acknowledge]')
    await fill(bank, 'action-note', '已致电业主，调度限电')
    await bank.click('[data-test=send-action]')
    await bank.locator('[data-test=drawer-status]', { hasText: '已确认' }).waitFor()
    await clean(bank, 'bank alert')
    await bank.context().close()

    // The bureau sees it acknowledged, with the lender's note in its history.
    const bureau = await openPage(env, { locale: 'en' })
    await login(bureau, env, 'bureau_admin')
    await bureau.goto(env.url + '/monitor')
    const seen = bureau.locator('[data-test=alerts] .el-table__row', { hasText: project.code }).filter({ hasText: 'Acknowledged' }).first()
    await seen.waitFor()
    await seen.locator('[data-test=open-alert]').click()
    await bureau.locator('[data-test=history] .el-table__row', { hasText: '已致电业主' }).waitFor()
    assert.equal((await bureau.textContent('[data-test=drawer-status]')).trim(), 'Acknowledged')
    await clean(bureau, 'bureau alert')
    await bureau.context().close()
    const alerts = (await env.api('GET', '/monitor/alerts?status=open&limit=100', env.tokens.bureau_admin)).body.items
    assert.equal(alerts.filter((a) => a.project_code === project.code).length, 2, 'one alert per rule')
    // The acknowledgement went to the lender's webhook (nobody listens there: it is retried).
    const hook = (await env.api('GET', '/monitor/webhooks', env.tokens.bank_officer)).body.items[0]
    const sent = (await env.api('GET', `/monitor/webhooks/${hook.id}/deliveries`, env.tokens.bank_officer)).body.items
    assert.ok(sent.some((d) => d.event === 'acknowledged'), JSON.stringify(sent))
  })

  it('reads an ecosystem\'s weekly health index: a supplier\'s fall fires its alert, the bureau finds it, the supplier explains it', async () => {
    // The demo's ecosystem: its core's first supplier lost its orders in the last two weeks.
    const eco = (await env.api('GET', '/ecosystems?limit=50', env.tokens.bureau_admin)).body.items[0]
    const health = (await env.api('GET', `/monitor/health/ecosystems/${eco.id}`, env.tokens.bureau_admin)).body
    const worst = health.firms[0]
    assert.ok(worst.open_alert_id, JSON.stringify(worst))
    assert.ok(worst.change_pct <= -15, JSON.stringify(worst))
    // Only the oversight roles read the ecosystem; the supplier reads its own index.
    assert.equal((await env.api('GET', `/monitor/health/ecosystems/${eco.id}`, env.tokens.supplier)).status, 403)
    const own = await env.api('GET', `/monitor/health/ecosystems/${eco.id}?enterprise_id=${worst.enterprise_id}`, env.tokens.supplier)
    assert.equal(own.status, 200, JSON.stringify(own.body))
    assert.deepEqual(own.body.weeks.slice(-2).map((w) => w.fell), [true, true])

    // The bureau opens the health tab: the falling supplier heads the firms, worst first; its
    // weekly components show what fell; its alert opens from the row.
    const bureau = await openPage(env, { locale: 'en' })
    await login(bureau, env, 'bureau_admin')
    await bureau.goto(env.url + '/monitor')
    await bureau.click('#tab-health')
    const first = bureau.locator('[data-test=health-firms] .el-table__row').first()
    await first.waitFor()
    assert.match(await first.textContent(), new RegExp(worst.name))
    await first.locator('[data-test=open-firm]').click()
    await bureau.locator('[data-test=firm-title]', { hasText: worst.name }).waitFor()
    await bureau.locator('#pane-health canvas').last().waitFor()
    await clean(bureau, 'bureau health')
    await first.locator('[data-test=firm-alert]').click()
    await bureau.locator('[data-test=history] .el-table__row', { hasText: 'health index fell' }).waitFor()
    assert.equal((await bureau.textContent('[data-test=drawer-status]')).trim(), 'Firing')
    await bureau.context().close()

    // The supplier finds the alert on itself among its alerts and explains the fall.
    const supplier = await openPage(env)
    await login(supplier, env, 'supplier')
    await supplier.goto(env.url + '/monitor')
    await supplier.click('#tab-alerts')
    const row = supplier.locator('[data-test=alerts] .el-table__row', { hasText: worst.name }).first()
    await row.waitFor()
    await row.locator('[data-test=open-alert]').click()
    await supplier.locator('[data-test=history] .el-table__row').first().waitFor()
    await supplier.click('[data-test=comment]')
    await fill(supplier, 'action-note', '核心企业六月订单转移，新订单七月起恢复')
    await supplier.click('[data-test=send-action]')
    await supplier.locator('[data-test=history] .el-table__row', { hasText: '七月起恢复' }).waitFor()
    await clean(supplier, 'supplier health alert')
    await supplier.context().close()
    const alert = (await env.api('GET', `/monitor/alerts/${worst.open_alert_id}`, env.tokens.bureau_admin)).body
    assert.equal(alert.subject, 'enterprise')
    assert.ok(alert.history.some((h) => h.kind === 'comment'), JSON.stringify(alert.history))
  })

  it('trains a scorecard version, has the risk analyst approve it, scores everyone and shows each firm its reasons', async () => {
    // The bank's officer trains a second version of its scorecard with a stricter cut-off: it
    // waits for approval, with its validation and a fairness report.
    const officer = await openPage(env, { locale: 'en' })
    await login(officer, env, 'bank_officer')
    await officer.goto(env.url + '/scoring')
    await officer.locator('[data-test=models-table] .el-table__row', { hasText: 'Approved' }).waitFor()
    await fill(officer, 'model-name', '小微企业评分卡 SME scorecard')
    await fill(officer, 'model-snapshot', '2024-06-30')
    await fill(officer, 'model-oot', '2025-06-30')
    await officer.locator('input[aria-label="Cut-off (points)"]').fill('620')
    await officer.click('[data-test=train]')
    await officer.locator('[data-test=drawer-status]', { hasText: 'Pending' }).waitFor()
    await officer.locator('[data-test=measures] .el-table__row').nth(2).waitFor()
    assert.equal(await officer.locator('[data-test=decide]').count(), 0, 'the officer who trained it may not approve it')
    await officer.getByRole('tab', { name: 'Fairness' }).click()
    await officer.locator('[data-test=fairness-region] .el-table__row').first().waitFor()
    await clean(officer, 'officer trains a model')
    await officer.context().close()
    const models = (await env.api('GET', '/scoring/models', env.tokens.bank_officer)).body.items
    const v2 = models.find((m) => m.version === 2)
    assert.equal(v2.status, 'pending')
    assert.equal(v2.cutoff, 620)

    // The bank's risk analyst approves it with a note; the first version retires; a run scores
    // every verified enterprise and its stability shows.
    const analyst = await openPage(env)
    await login(analyst, env, 'bank_risk')
    await analyst.goto(env.url + '/scoring')
    await analyst.locator('[data-test=models-table] .el-table__row', { hasText: 'v2' }).click()
    await fill(analyst, 'decision-note', '跨时间验证通过，公平性按月复核 validated out of time')
    await analyst.click('[data-test=approve]')
    await analyst.locator('[data-test=drawer-status]', { hasText: '已批准' }).waitFor()
    await fill(analyst, 'run-day', '2026-06-30')
    await analyst.click('[data-test=run]')
    await analyst.locator('[data-test=runs] .el-table__row', { hasText: '2026-06-30' }).waitFor()
    await analyst.locator('[data-test=stability]').first().waitFor()
    await clean(analyst, 'analyst approves and runs')
    await analyst.context().close()
    const after = (await env.api('GET', '/scoring/models', env.tokens.bank_officer)).body.items
    assert.equal(after.find((m) => m.version === 1).status, 'retired')
    const run = (await env.api('GET', `/scoring/models/${v2.id}`, env.tokens.bank_officer)).body.runs[0]
    // The demo's 107,000 verified enterprises of its day (one registered by an earlier journey
    // today is not yet on record then).
    assert.equal(run.scored, 107000)

    // The enterprise reads its scores and why, feature by feature.
    const firm = await openPage(env, { locale: 'en' })
    await login(firm, env, 'enterprise_user')
    await firm.locator('[data-test=my-scores] [data-test=credit-score]').first().waitFor()
    const reasons = await firm.locator('[data-test=my-scores] [data-test=score-reasons]').first().locator('li').allTextContents()
    assert.ok(reasons.length >= 1 && reasons.length <= 4, JSON.stringify(reasons))
    assert.ok(reasons.every((r) => /−\d/.test(r) && !/other|too low/i.test(r)), JSON.stringify(reasons))
    await clean(firm, 'enterprise reads its score')
    await firm.context().close()

    // The bank's officer sees the score on the open needs, with its reasons in the need's drawer.
    const bank = await openPage(env)
    await login(bank, env, 'bank_officer')
    await bank.goto(env.url + '/needs')
    await bank.locator('[data-test=need-score]').first().click()
    await bank.locator('[data-test=credit-score] [data-test=score-points]').waitFor()
    await clean(bank, 'bank reads a need with its score')
    await bank.context().close()
  })

  it('trains a joint model with a grassland register running as its own process, watched to done, approved by the risk analyst, then scores applicants with it', async () => {
    // The grassland register is another authority: its party is `corridor federated train` in a
    // process of its own, with its own key and a CSV of the bank's borrowers it holds.
    const officerToken = env.tokens.bank_officer
    const party = (await env.api('GET', '/federated/party', officerToken)).body
    const bankId = (await env.api('GET', '/session', officerToken)).body.tenant.id
    const usccs = execFileSync('sqlite3', [join(env.dir, 'c.db'), `SELECT DISTINCT e.uscc FROM loans l JOIN enterprises e ON e.id = l.enterprise_id WHERE l.bank_tenant_id = ${bankId} ORDER BY e.uscc`], { encoding: 'utf8' })
      .trim()
      .split('\n')
    assert.ok(usccs.length > 100, `${usccs.length} borrowers`)
    // Its column: the grassland contracted per herd, a number of its own records (here drawn from
    // the id, so that the journey needs nothing else).
    const csv = ['uscc,grassland_per_head'].concat(usccs.map((u) => `${u},${(([...u].reduce((s, c) => (Math.imul(s, 31) + c.charCodeAt(0)) | 0, 7) >>> 0) % 1000) / 100}`))
    writeFileSync(join(env.dir, 'grass.csv'), csv.join('\n') + '\n')
    const key = JSON.parse(execFileSync(env.bin, ['federated', 'keygen', '--out', join(env.dir, 'grass.key')], { encoding: 'utf8' }))
    const port = () => 41000 + Math.floor(Math.random() * 8000)
    const session = {
      session: `chifeng-joint-${Date.now()}`,
      label_party: 'bank',
      key_bits: 2048,
      parties: [
        { name: 'bank', listen: `127.0.0.1:${port()}`, public_key: party.public_key },
        { name: 'grassland', listen: `127.0.0.1:${port()}`, public_key: key.public_key },
      ],
    }
    writeFileSync(join(env.dir, 'session.json'), JSON.stringify(session))
    const host = spawn(env.bin, ['federated', 'train', '--session', join(env.dir, 'session.json'), '--party', 'grassland', '--key', join(env.dir, 'grass.key'), '--data', join(env.dir, 'grass.csv'), '--out', join(env.dir, 'grass.model.json'), '--timeout', '300'], { stdio: ['ignore', 'pipe', 'pipe'] })
    let hostErr = ''
    host.stderr.on('data', (d) => (hostErr += d))
    const hostDone = new Promise((r) => host.on('exit', (code) => r(code)))

    // The bank's officer requests the training from the dashboard and watches it run.
    const officer = await openPage(env, { locale: 'en' })
    await login(officer, env, 'bank_officer')
    await officer.goto(env.url + '/federated')
    await officer.locator('[data-test=party-key]', { hasText: party.public_key }).waitFor()
    await fill(officer, 'training-name', '草原联合模型 grassland joint model')
    await fill(officer, 'training-snapshot', '2024-06-30')
    await fill(officer, 'training-party', 'bank')
    await officer.click('[data-test=training-features]')
    for (const f of ['annual revenue', 'tax paid in the last 12 months']) {
      await officer.locator('.el-select-dropdown__item', { hasText: f }).first().click()
    }
    await officer.keyboard.press('Escape')
    await fill(officer, 'training-session', JSON.stringify(session, null, 2))
    await officer.click('[data-test=request]')
    await officer.locator('[data-test=drawer-status]', { hasText: 'Done' }).waitFor({ timeout: 180000 })
    await officer.locator('[data-test=coefficients] .el-table__row').nth(1).waitFor()
    assert.equal(await officer.locator('[data-test=decide]').count(), 0, 'the officer who requested it may not approve it')
    await clean(officer, 'officer trains a joint model')
    await officer.context().close()
    assert.equal(await hostDone, 0, hostErr)
    const trainings = (await env.api('GET', '/federated/trainings', officerToken)).body.items
    const joint = (await env.api('GET', `/federated/trainings/${trainings[0].id}`, officerToken)).body
    assert.equal(joint.status, 'done', JSON.stringify(joint))
    assert.equal(joint.model_status, 'pending')
    assert.ok(joint.result.converged)
    assert.deepEqual(joint.result.hosts, ['grassland'])
    const hostModel = JSON.parse(readFileSync(join(env.dir, 'grass.model.json'), 'utf8'))
    assert.equal(hostModel.cases, joint.result.cases)
    assert.equal(hostModel.coefficients.length, 1)
    assert.equal(hostModel.log_likelihood, undefined, 'only the label holder learns the fit')

    // The bank's risk analyst approves it with a note.
    const analyst = await openPage(env)
    await login(analyst, env, 'bank_risk')
    await analyst.goto(env.url + '/federated')
    await analyst.locator('[data-test=trainings-table] .el-table__row', { hasText: 'grassland joint model' }).click()
    await fill(analyst, 'decision-note', '联合模型样本内验证通过 validated in sample')
    await analyst.click('[data-test=approve]')
    await analyst.locator('[data-test=drawer-model-status]', { hasText: '已批准' }).waitFor()
    await clean(analyst, 'analyst approves a joint model')

    // With the approved model the analyst scores applicants; the grassland register takes part
    // with its part of the model (`corridor federated score`) in a fresh session of the same
    // parties, and only the platform learns the scores.
    const scoringSession = { ...session, session: `${session.session}-scoring`, parties: session.parties.map((p) => ({ ...p, listen: `127.0.0.1:${port()}` })) }
    writeFileSync(join(env.dir, 'scoring-session.json'), JSON.stringify(scoringSession))
    const scorer = spawn(env.bin, ['federated', 'score', '--session', join(env.dir, 'scoring-session.json'), '--party', 'grassland', '--key', join(env.dir, 'grass.key'), '--model', join(env.dir, 'grass.model.json'), '--data', join(env.dir, 'grass.csv'), '--out', join(env.dir, 'grass.scores.json'), '--timeout', '300'], { stdio: ['ignore', 'pipe', 'pipe'] })
    let scorerErr = ''
    scorer.stderr.on('data', (d) => (scorerErr += d))
    const scorerDone = new Promise((r) => scorer.on('exit', (code) => r(code)))
    const applicants = usccs.slice(0, 8).concat(['91150400NOTHERE001'])
    await analyst.locator('[data-test=score-form]').waitFor()
    await fill(analyst, 'score-uscc', applicants.join('\n'))
    await fill(analyst, 'score-session', JSON.stringify(scoringSession, null, 2))
    await analyst.click('[data-test=score]')
    await analyst.locator('[data-test=scoring-drawer-status]', { hasText: '完成' }).waitFor({ timeout: 120000 })
    await analyst.locator('[data-test=scores-table] .el-table__row').nth(7).waitFor()
    await analyst.locator('[data-test=unknown]', { hasText: '91150400NOTHERE001' }).waitFor()
    await clean(analyst, 'analyst scores applicants with the joint model')
    if (process.env.CORRIDOR_JOURNEY_SHOTS) {
      await analyst.locator('[data-test=scores-table]').scrollIntoViewIfNeeded()
      await analyst.screenshot({ path: join(process.env.CORRIDOR_JOURNEY_SHOTS, 'joint-scoring.png') })
    }
    await analyst.context().close()
    assert.equal(await scorerDone, 0, scorerErr)
    const hostScores = JSON.parse(readFileSync(join(env.dir, 'grass.scores.json'), 'utf8'))
    assert.equal(hostScores.scored, 8)
    assert.equal(hostScores.scores, undefined, 'the grassland register learns no score')
    const scorings = (await env.api('GET', `/federated/trainings/${joint.id}/scorings`, officerToken)).body.items
    const scored = (await env.api('GET', `/federated/scorings/${scorings[0].id}`, officerToken)).body
    assert.equal(scored.result.scored, 8)
    assert.deepEqual(scored.result.unknown, ['91150400NOTHERE001'])
    for (const s of scored.result.scores) {
      const sum = s.shares.reduce((a, x) => a + x.log_odds, 0)
      assert.ok(Math.abs(s.probability - 1 / (1 + Math.exp(-sum))) < 1e-12, JSON.stringify(s))
    }
  })

  it('pools its borrowers with two banks outside the platform by secure aggregation, each bank and the coordinator its own process, then scores with the pooled model', async () => {
    // Two banks of other regions hold the same column of their own borrowers; a coordinator with
    // no data routes the rounds. Each is `corridor federated pool` in a process of its own.
    const officerToken = env.tokens.bank_officer
    const party = (await env.api('GET', '/federated/party', officerToken)).body
    const bankId = (await env.api('GET', '/session', officerToken)).body.tenant.id
    const usccs = execFileSync('sqlite3', [join(env.dir, 'c.db'), `SELECT DISTINCT e.uscc FROM loans l JOIN enterprises e ON e.id = l.enterprise_id WHERE l.bank_tenant_id = ${bankId} ORDER BY e.uscc`], { encoding: 'utf8' })
      .trim()
      .split('\n')
    const port = () => 41000 + Math.floor(Math.random() * 8000)
    const names = ['coordinator', 'bank', 'beijing-bank', 'hohhot-bank']
    const keys = {}
    for (const n of names.filter((n) => n !== 'bank')) {
      keys[n] = JSON.parse(execFileSync(env.bin, ['federated', 'keygen', '--out', join(env.dir, `pool-${n}.key`)], { encoding: 'utf8' })).public_key
    }
    const session = {
      session: `chifeng-pool-${Date.now()}`,
      coordinator: 'coordinator',
      parties: names.map((n) => ({ name: n, listen: `127.0.0.1:${port()}`, public_key: n === 'bank' ? party.public_key : keys[n] })),
    }
    writeFileSync(join(env.dir, 'pool-session.json'), JSON.stringify(session))
    // Their borrowers: tax paid (yuan) and whether they defaulted, from a fixed pseudo-random draw.
    let seed = 7
    const draw = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32)
    for (const n of ['beijing-bank', 'hohhot-bank']) {
      const rows = ['uscc,tax_paid_12m_yuan,label']
      for (let i = 0; i < 200; i++) {
        const tax = Math.round(draw() * 200000)
        rows.push(`${n}-${i},${tax},${draw() < 1 / (1 + Math.exp(2 + tax / 100000)) ? 1 : 0}`)
      }
      writeFileSync(join(env.dir, `${n}.csv`), rows.join('\n') + '\n')
    }
    const processes = names
      .filter((n) => n !== 'bank')
      .map((n) => {
        const args = ['federated', 'pool', '--session', join(env.dir, 'pool-session.json'), '--party', n, '--key', join(env.dir, `pool-${n}.key`), '--out', join(env.dir, `pool-${n}.json`), '--timeout', '300']
        if (n === 'coordinator') args.push('--drop-after', '120')
        else args.push('--data', join(env.dir, `${n}.csv`))
        const p = spawn(env.bin, args, { stdio: ['ignore', 'pipe', 'pipe'] })
        let err = ''
        p.stderr.on('data', (d) => (err += d))
        return { name: n, done: new Promise((r) => p.on('exit', (code) => r([code, err]))) }
      })

    const officer = await openPage(env, { locale: 'en' })
    await login(officer, env, 'bank_officer')
    await officer.goto(env.url + '/federated')
    await officer.locator('[data-test=party-key]', { hasText: party.public_key }).waitFor()
    await officer.click('[data-test=kind-horizontal]')
    await fill(officer, 'training-name', '三地银行横向模型 pooled with two banks')
    await fill(officer, 'training-snapshot', '2024-06-30')
    await fill(officer, 'training-party', 'bank')
    await officer.click('[data-test=training-features]')
    await officer.locator('.el-select-dropdown__item', { hasText: 'tax paid in the last 12 months' }).first().click()
    await officer.keyboard.press('Escape')
    await fill(officer, 'training-session', JSON.stringify(session, null, 2))
    await officer.click('[data-test=request]')
    await officer.locator('[data-test=drawer-status]', { hasText: 'Done' }).waitFor({ timeout: 180000 })
    await officer.locator('[data-test=pool-banks]', { hasText: 'bank, beijing-bank, hohhot-bank' }).waitFor()
    await clean(officer, 'officer pools with two banks')
    await officer.context().close()
    for (const p of processes) {
      const [code, err] = await p.done
      assert.equal(code, 0, `${p.name}: ${err}`)
    }
    const trainings = (await env.api('GET', '/federated/trainings', officerToken)).body.items
    const pool = (await env.api('GET', `/federated/trainings/${trainings[0].id}`, officerToken)).body
    assert.equal(pool.kind, 'horizontal')
    assert.ok(pool.result.converged)
    const coordinatorModel = JSON.parse(readFileSync(join(env.dir, 'pool-coordinator.json'), 'utf8'))
    assert.deepEqual(coordinatorModel.coefficients, pool.result.coefficients, 'every party ends with the same model')
    assert.deepEqual(coordinatorModel.banks, ['bank', 'beijing-bank', 'hohhot-bank'])
    assert.equal(JSON.parse(readFileSync(join(env.dir, 'pool-beijing-bank.json'), 'utf8')).borrowers, 200)

    // The risk analyst approves it and scores five borrowers with it on the platform alone.
    const analyst = await openPage(env)
    await login(analyst, env, 'bank_risk')
    await analyst.goto(env.url + '/federated')
    await analyst.locator('[data-test=trainings-table] .el-table__row', { hasText: 'pooled with two banks' }).click()
    await fill(analyst, 'decision-note', '横向模型验证通过')
    await analyst.click('[data-test=approve]')
    await analyst.locator('[data-test=drawer-model-status]', { hasText: '已批准' }).waitFor()
    await analyst.locator('[data-test=score-form]').waitFor()
    assert.equal(await analyst.locator('[data-test=score-session]').count(), 0, 'a pooled model needs no session')
    await fill(analyst, 'score-uscc', usccs.slice(0, 5).join('\n'))
    await analyst.click('[data-test=score]')
    await analyst.locator('[data-test=scoring-drawer-status]', { hasText: '完成' }).waitFor({ timeout: 60000 })
    await analyst.locator('[data-test=scores-table] .el-table__row').nth(4).waitFor()
    await clean(analyst, 'analyst scores with the pooled model')
    if (process.env.CORRIDOR_JOURNEY_SHOTS) {
      await analyst.locator('[data-test=scores-table]').scrollIntoViewIfNeeded()
      await analyst.screenshot({ path: join(process.env.CORRIDOR_JOURNEY_SHOTS, 'pool-scoring.png') })
    }
    await analyst.context().close()
  })

  it('settles a month of cross-region care between Beijing and the grassland to the fen, projects the migratory-bird trust, pays a blizzard from the fund and assesses the eco-index', async () => {
    const tokens = env.tokens
    const insurers = (await env.api('GET', '/pension/policies', tokens.insurance_officer_xilingol)).body.insurers
    const beijing = insurers.find((i) => i.name.startsWith('北京'))
    // Xilingol's officer records care it advanced for a Beijing member new to the period: the
    // eligible 3,456.78 yuan under Beijing's policy (1,300 yuan deductible, then 80%) is
    // reimbursed (345,678 − 130,000) × 80% = 172,542.4 → 172,542 fen.
    const xl = await openPage(env)
    await login(xl, env, 'insurance_officer_xilingol')
    await xl.goto(env.url + '/pension')
    await xl.locator('[data-test=policies] .el-table__row').first().waitFor()
    await xl.click('[data-test=claim-insuring]')
    await xl.locator('.el-select-dropdown__item', { hasText: beijing.name }).click()
    await fill(xl, 'claim-member', 'BJ-900001')
    await fill(xl, 'claim-date', '2026-06-12')
    await fill(xl, 'claim-provider', '多伦县医院')
    await fill(xl, 'claim-eligible', '3,456.78')
    await xl.click('[data-test=record-claim]')
    await xl.waitForSelector('.el-message--success')
    await fill(xl, 'claims-period', '2026-06')
    await xl.locator('[data-test=claims] .el-table__row', { hasText: 'BJ-900001' }).filter({ hasText: '待结算' }).waitFor()
    await clean(xl, 'insurer claim')
    await xl.context().close()

    // The bureau settles June: the positions sum to zero and the new claim carries its share.
    const bureau = await openPage(env, { locale: 'en' })
    await login(bureau, env, 'bureau_admin')
    await bureau.goto(env.url + '/pension')
    await fill(bureau, 'settle-period', '2026-06')
    await bureau.click('[data-test=settle]')
    await bureau.locator('[data-test=settlement-detail]', { hasText: '2026-06' }).waitFor()
    await bureau.locator('[data-test=settlement-net] .el-table__row').first().waitFor()
    await clean(bureau, 'bureau settlement')
    const settled = (await env.api('GET', '/pension/settlements?limit=1&order=newest', tokens.bureau_admin)).body.items[0]
    assert.equal(settled.period, '2026-06')
    assert.equal(settled.positions.reduce((s, p) => s + p.position_fen, 0), 0, JSON.stringify(settled.positions))
    assert.equal(settled.positions.length, 3)
    const claim = (await env.api('GET', '/pension/claims?period=2026-06&limit=200&order=newest', tokens.bureau_admin)).body.items.find((c) => c.member === 'BJ-900001')
    assert.equal(claim.reimbursed_fen, 172542)
    await bureau.context().close()

    // Beijing's officer sees the settlement with its own position only, the claim reimbursed.
    const bj = await openPage(env)
    await login(bj, env, 'insurance_officer')
    await bj.goto(env.url + '/pension')
    const row = bj.locator('[data-test=settlements] .el-table__row', { hasText: '2026-06' })
    await row.waitFor()
    const mine = settled.positions.find((p) => p.tenant_id === beijing.tenant_id).position_fen
    await bj.locator('[data-test=settlements] .el-table__row', { hasText: yuanOf(Math.abs(mine)) }).first().waitFor()
    await fill(bj, 'claims-period', '2026-06')
    await bj.locator('[data-test=claims] .el-table__row', { hasText: 'BJ-900001' }).filter({ hasText: yuanOf(172542) }).waitFor()
    await clean(bj, 'beijing settlement')
    await bj.context().close()

    // The trust manager projects the trust with 1,000 seeded scenarios, then records a death:
    // the assets do not move and one member fewer is active.
    const tm = await openPage(env)
    await login(tm, env, 'trust_officer')
    await tm.goto(env.url + '/pension')
    await tm.locator('[data-test=trust-detail]').waitFor()
    await tm.click('[data-test=project]')
    await tm.locator('[data-test=projection] [data-test=shortfall]').waitFor()
    const trust = (await env.api('GET', '/pension/trusts', tokens.trust_officer)).body.items[0]
    const p = (await env.api('GET', `/pension/trusts/${trust.id}/projection?years=50&scenarios=1000&seed=1&mean_return_bps=400&volatility_bps=1000`, tokens.trust_officer)).body
    assert.ok(p.funding_ratio > 0.8 && p.funding_ratio < 1.3, JSON.stringify(p.funding_ratio))
    assert.equal((await tm.textContent('[data-test=funding-ratio]')).trim(), `${(p.funding_ratio * 100).toFixed(1)}%`)
    assert.equal((await tm.textContent('[data-test=liability]')).trim(), yuanOf(p.liability_fen))
    const first = (await env.api('GET', `/pension/trusts/${trust.id}/members?limit=1`, tokens.trust_officer)).body.items[0]
    await tm.click('[data-test=movement-kind]')
    await tm.locator('.el-select-dropdown__item', { hasText: '身故' }).click()
    await fill(tm, 'movement-member', first.id)
    await tm.locator('[data-test=movement-member] input').press('Tab')
    await tm.click('[data-test=record-movement]')
    await tm.waitForSelector('.el-message--success')
    await tm.locator('[data-test=movements] .el-table__row', { hasText: first.member }).filter({ hasText: '身故' }).waitFor()
    const after = (await env.api('GET', `/pension/trusts/${trust.id}`, tokens.trust_officer)).body
    assert.equal(after.assets_fen, trust.assets_fen)
    assert.equal(after.members.active, trust.active_members - 1)
    await clean(tm, 'trust manager')
    await tm.context().close()

    // The bureau records a blizzard; the fund pays down to its floor at most, the rest owed.
    const before = (await env.api('GET', '/pension/fund', tokens.bureau_admin)).body
    const fund = await openPage(env)
    await login(fund, env, 'bureau_admin')
    await fund.goto(env.url + '/pension')
    await fund.click('#tab-fund')
    await fund.click('[data-test=event-kind]')
    await fund.locator('.el-select-dropdown__item', { hasText: '白灾' }).click()
    await fill(fund, 'event-date', '2026-06-20')
    await fill(fund, 'event-area', '阿巴嘎旗')
    await fill(fund, 'event-affected', 2000)
    await fund.locator('[data-test=event-affected] input').press('Tab')
    await fill(fund, 'event-loss', '40,000')
    await fund.click('[data-test=record-event]')
    await fund.waitForSelector('.el-message--success')
    const now = (await env.api('GET', '/pension/fund', tokens.bureau_admin)).body
    const gross = 2000 * 4000000
    assert.ok(now.balance_fen >= now.rules.floor_fen, JSON.stringify(now))
    assert.equal(now.paid_fen - before.paid_fen + (now.owed_fen - before.owed_fen) + (now.recovered_fen - before.recovered_fen), gross)
    await fund.locator('[data-test=fund-balance]', { hasText: yuanOf(now.balance_fen) }).waitFor()
    if (now.owed_fen > 0) await fund.locator('[data-test=needs-top-up]').waitFor()
    await clean(fund, 'bureau fund')
    await fund.context().close()

    // Xilingol's officer records 正蓝旗's first half-year and assesses its policies: air
    // 150/181 = 82.87%, vegetation 0.3120 / 0.3900 = 80.00%, index 81.43%: premiums discounted,
    // no uplift, no payout; each member reads why.
    const eco = await openPage(env, { locale: 'en' })
    await login(eco, env, 'insurance_officer_xilingol')
    await eco.goto(env.url + '/pension')
    await eco.click('#tab-eco')
    await fill(eco, 'obs-county', '正蓝旗')
    for (const [field, value] of [['obs-good', '150'], ['obs-days', '181'], ['obs-year', '2026']]) {
      await eco.locator(`[data-test=${field}] input`).fill(value)
      await eco.locator(`[data-test=${field}] input`).press('Tab')
    }
    await fill(eco, 'obs-ndvi', '0.3120')
    await fill(eco, 'obs-baseline', '0.3900')
    await fill(eco, 'obs-source', 'MODIS MOD13Q1')
    await eco.click('[data-test=record-observation]')
    await eco.waitForSelector('.el-message--success')
    await fill(eco, 'assess-county', '正蓝旗')
    await eco.locator('[data-test=assess-year] input').fill('2026')
    await eco.locator('[data-test=assess-year] input').press('Tab')
    await eco.click('[data-test=assess]')
    await eco.locator('[data-test=eco-index]', { hasText: '81.43%' }).waitFor()
    assert.equal((await eco.textContent('[data-test=eco-payout]')).trim(), yuanOf(0))
    await eco.locator('[data-test=assessments] .el-table__row', { hasText: '2026' }).filter({ hasText: 'Eco-index 81.43%' }).first().waitFor()
    await clean(eco, 'eco assessment')
    await eco.context().close()
  })

  it('passes axe and logs no error on every screen of every role, in both languages', async () => {
    const screens = {
      bureau_admin: ['/overview', '/enterprises', '/catalogue', '/needs', '/offers', '/loans', '/guarantees', '/registry', '/supply', '/monitor', '/scoring', '/federated', '/subsidies', '/green', '/portfolio', '/ecosystems', '/risk-pools', '/evaluation', '/audit', '/pension'],
      bank_officer: ['/overview', '/needs', '/offers', '/loans', '/guarantee-requests', '/guarantees', '/registry', '/supply', '/monitor', '/scoring', '/federated', '/green', '/portfolio'],
      bank_risk: ['/scoring', '/federated', '/portfolio'],
      guarantee_officer: ['/guarantee-requests', '/guarantees', '/enterprises'],
      enterprise_user: ['/my', '/needs', '/offers', '/loans', '/registry', '/catalogue'],
      risk_analyst: ['/portfolio', '/ecosystems', '/risk-pools', '/loans', '/supply', '/monitor'],
      auditor: ['/audit', '/loans', '/subsidies', '/supply', '/monitor', '/scoring', '/federated', '/pension'],
      insurance_officer: ['/pension'],
      insurance_officer_xilingol: ['/pension'],
      trust_officer: ['/pension'],
      core_enterprise: ['/supply'],
      supplier: ['/supply'],
      project_owner: ['/monitor'],
    }
    for (const locale of ['zh-CN', 'en']) {
      for (const [role, paths] of Object.entries(screens)) {
        const page = await openPage(env, { locale })
        await login(page, env, role)
        for (const path of paths) {
          await page.goto(env.url + path)
          await page.locator('main h1').first().waitFor()
          await page.locator('.el-loading-mask:visible').first().waitFor({ state: 'hidden' })
          await page.waitForLoadState('networkidle')
          await clean(page, `${locale} ${role} ${path}`)
        }
        await page.context().close()
      }
    }
  })

  it('switches to English and remembers it', async () => {
    const page = await openPage(env)
    await page.goto(env.url + '/')
    await page.locator('.lang').click()
    await page.locator('.el-select-dropdown__item', { hasText: 'English' }).click()
    await page.locator('h1', { hasText: 'Chifeng' }).waitFor()
    await page.reload()
    await page.locator('h1', { hasText: 'Chifeng' }).waitFor()
    assert.equal(await page.getAttribute('html', 'lang'), 'en')
    await page.context().close()
  })
})
