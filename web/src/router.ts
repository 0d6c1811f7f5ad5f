import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'
import { allows, homeFor, restore, session, MENU, type MenuItem } from './lib/session'
// The bureau's first screen ships with the app (no second round trip for its code).
import Overview from './views/Overview.vue'

const views: Record<string, () => Promise<unknown>> = {
  overview: () => Promise.resolve(Overview),
  enterprises: () => import('./views/Enterprises.vue'),
  catalogue: () => import('./views/Catalogue.vue'),
  my: () => import('./views/MyEnterprise.vue'),
  needs: () => import('./views/Needs.vue'),
  offers: () => import('./views/Offers.vue'),
  loans: () => import('./views/Loans.vue'),
  guaranteeRequests: () => import('./views/GuaranteeRequests.vue'),
  guarantees: () => import('./views/Guarantees.vue'),
  registry: () => import('./views/Registry.vue'),
  supply: () => import('./views/Supply.vue'),
  monitor: () => import('./views/Monitor.vue'),
  scoring: () => import('./views/Scoring.vue'),
  federated: () => import('./views/Federated.vue'),
  subsidies: () => import('./views/Subsidies.vue'),
  green: () => import('./views/Green.vue'),
  portfolio: () => import('./views/Portfolio.vue'),
  ecosystems: () => import('./views/Ecosystems.vue'),
  riskPools: () => import('./views/RiskPools.vue'),
  evaluation: () => import('./views/Evaluation.vue'),
  pension: () => import('./views/Pension.vue'),
  audit: () => import('./views/Audit.vue'),
}

const routes: RouteRecordRaw[] = [
  { path: '/', name: 'home', component: () => import('./views/PublicHome.vue'), meta: { public: true } },
  { path: '/login', name: 'login', component: () => import('./views/Login.vue'), meta: { public: true } },
  { path: '/register', name: 'register', component: () => import('./views/Register.vue'), meta: { public: true } },
  ...MENU.map((m) => ({ path: m.path, name: m.key, component: views[m.key] as never, meta: { item: m } })),
  { path: '/:rest(.*)*', name: 'missing', component: () => import('./views/NotFound.vue'), meta: { public: true } },
]

export const router = createRouter({ history: createWebHistory(), routes })

router.beforeEach(async (to) => {
  await restore()
  if (to.meta.public) {
    if (to.name === 'login' && session.info) return homeFor(session.info.user.role)
    return true
  }
  if (!session.info) return { name: 'login', query: { next: to.fullPath } }
  const item = to.meta.item as MenuItem | undefined
  if (item && !allows(item, session.info.user.role, session.info.tenant.kind)) return homeFor(session.info.user.role)
  return true
})
