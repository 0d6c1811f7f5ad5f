// Who is logged in, and what the menu offers them. The server decides every permission; the menu
// only hides what a role cannot do.
import { reactive } from 'vue'
import { api, token } from './api'

export type Role =
  | 'bureau_admin'
  | 'bank_officer'
  | 'guarantee_officer'
  | 'enterprise_user'
  | 'risk_analyst'
  | 'auditor'
  | 'insurance_officer'
  | 'trust_officer'

export interface SessionInfo {
  user: { id: number; name: string; role: Role }
  tenant: { id: number; kind: 'bureau' | 'bank' | 'guarantor' | 'enterprise' | 'insurer' | 'trustee'; name: string }
  enterprise: { id: number; name: string; status: string } | null
}

export const session = reactive<{ info: SessionInfo | null; loading: boolean }>({ info: null, loading: false })

// The session as last read, kept beside the token so that a reload draws the page at once; the
// server is asked again in the background and a revoked token logs out.
const INFO_KEY = 'corridor.session'
function remember(info: SessionInfo | null) {
  if (info) sessionStorage.setItem(INFO_KEY, JSON.stringify(info))
  else sessionStorage.removeItem(INFO_KEY)
}

export async function login(t: string): Promise<SessionInfo> {
  token.set(t.trim())
  try {
    session.info = await api.get<SessionInfo>('/session')
    remember(session.info)
    return session.info
  } catch (e) {
    token.clear()
    session.info = null
    throw e
  }
}

async function revalidate(): Promise<void> {
  try {
    session.info = await api.get<SessionInfo>('/session')
    remember(session.info)
  } catch (e) {
    if ((e as { status?: number }).status === 401) logout()
  }
}

export async function restore(): Promise<void> {
  if (!token.get() || session.info) return
  const saved = sessionStorage.getItem(INFO_KEY)
  if (saved) {
    session.info = JSON.parse(saved) as SessionInfo
    void revalidate()
    return
  }
  session.loading = true
  try {
    session.info = await api.get<SessionInfo>('/session')
    remember(session.info)
  } catch {
    token.clear()
  } finally {
    session.loading = false
  }
}

export function logout() {
  token.clear()
  remember(null)
  session.info = null
}

export type TenantKind = SessionInfo['tenant']['kind']

export interface MenuItem {
  path: string
  key: string // i18n key under menu.
  roles: Role[]
  kinds?: TenantKind[] // when set, only these organisations' users with the roles
}

// Routes by role. `kinds` narrows a shared role (a bank's analyst sees its own book's risk).
export const MENU: MenuItem[] = [
  { path: '/overview', key: 'overview', roles: ['bureau_admin', 'risk_analyst', 'auditor', 'bank_officer'] },
  { path: '/enterprises', key: 'enterprises', roles: ['bureau_admin', 'auditor', 'bank_officer', 'guarantee_officer'] },
  { path: '/catalogue', key: 'catalogue', roles: ['bureau_admin', 'bank_officer', 'guarantee_officer', 'enterprise_user', 'risk_analyst', 'auditor'] },
  { path: '/my', key: 'my', roles: ['enterprise_user'] },
  { path: '/needs', key: 'needs', roles: ['bank_officer', 'enterprise_user', 'bureau_admin'] },
  { path: '/offers', key: 'offers', roles: ['bank_officer', 'enterprise_user', 'bureau_admin'] },
  { path: '/loans', key: 'loans', roles: ['bank_officer', 'enterprise_user', 'bureau_admin', 'risk_analyst', 'auditor'] },
  { path: '/guarantee-requests', key: 'guaranteeRequests', roles: ['bank_officer', 'guarantee_officer'] },
  { path: '/guarantees', key: 'guarantees', roles: ['bureau_admin', 'guarantee_officer', 'bank_officer', 'auditor'] },
  { path: '/registry', key: 'registry', roles: ['enterprise_user', 'bank_officer', 'bureau_admin'] },
  { path: '/supply', key: 'supply', roles: ['enterprise_user', 'bank_officer', 'bureau_admin', 'risk_analyst', 'auditor'] },
  { path: '/scoring', key: 'scoring', roles: ['bank_officer', 'risk_analyst', 'bureau_admin', 'auditor'] },
  { path: '/federated', key: 'federated', roles: ['bank_officer', 'risk_analyst', 'bureau_admin', 'auditor'] },
  { path: '/monitor', key: 'monitor', roles: ['bank_officer', 'bureau_admin', 'risk_analyst', 'auditor', 'enterprise_user'] },
  { path: '/subsidies', key: 'subsidies', roles: ['bureau_admin', 'auditor'] },
  { path: '/green', key: 'green', roles: ['bureau_admin', 'bank_officer', 'risk_analyst', 'auditor'] },
  { path: '/portfolio', key: 'portfolio', roles: ['bank_officer', 'risk_analyst', 'bureau_admin'] },
  { path: '/ecosystems', key: 'ecosystems', roles: ['bureau_admin', 'risk_analyst', 'auditor'] },
  { path: '/risk-pools', key: 'riskPools', roles: ['bureau_admin', 'risk_analyst', 'auditor'] },
  { path: '/evaluation', key: 'evaluation', roles: ['bureau_admin', 'risk_analyst', 'auditor', 'bank_officer', 'guarantee_officer', 'enterprise_user'] },
  { path: '/pension', key: 'pension', roles: ['insurance_officer', 'trust_officer', 'bureau_admin', 'risk_analyst', 'auditor'], kinds: ['insurer', 'trustee', 'bureau'] },
  { path: '/audit', key: 'audit', roles: ['auditor', 'bureau_admin', 'risk_analyst', 'bank_officer'] },
]

export function allows(m: MenuItem, role: Role, kind: TenantKind | undefined): boolean {
  return m.roles.includes(role) && (!m.kinds || (kind !== undefined && m.kinds.includes(kind)))
}

export function menuFor(role: Role | undefined, kind?: TenantKind): MenuItem[] {
  if (!role) return []
  return MENU.filter((m) => allows(m, role, kind))
}

export function homeFor(role: Role): string {
  switch (role) {
    case 'enterprise_user':
      return '/my'
    case 'guarantee_officer':
      return '/guarantee-requests'
    case 'auditor':
      return '/audit'
    case 'bank_officer':
      return '/needs'
    case 'risk_analyst':
      return '/portfolio'
    case 'insurance_officer':
    case 'trust_officer':
      return '/pension'
    default:
      return '/overview'
  }
}
