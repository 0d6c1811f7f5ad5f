#include "store/migrations.hpp"

#include <fmt/format.h>

#include <array>
#include <string_view>

#include "domain/rates.hpp"
#include "risk/monitor/rule.hpp"

namespace corridor::store {
namespace {

struct Migration {
  int version;
  std::string_view name;
  std::string_view sql;
  // Rows whose values are rules defined in domain/ (so that each is written once), inserted in
  // the migration's transaction after its SQL.
  Status (*rows)(Connection& conn) = nullptr;
  // The migration rebuilds a table others reference (create, copy, drop, rename): it runs with
  // the foreign keys off — dropping the old table would otherwise delete through them — and
  // commits only when PRAGMA foreign_key_check finds every reference whole again (SQLite's
  // documented procedure, "Making Other Kinds Of Table Schema Changes").
  bool rebuilds_referenced_table = false;
};

// The city's default entrepreneurship spread: borrowers pay at most LPR - 150 bp.
Status MarketplaceRows(Connection& conn) {
  return Execute(conn, "INSERT INTO settings VALUES ('entrepreneurship_spread_bps', ?)",
                 domain::kDefaultEntrepreneurshipSpreadBps)
      .map([](int64_t) {});
}

// The platform's default monitoring rules (risk/monitor/rule.hpp), version 1 each.
Status MonitorRows(Connection& conn) {
  for (const auto& rule : risk::monitor::DefaultRules()) {
    CORRIDOR_TRY_STATUS(
        Execute(conn,
                "INSERT INTO monitor_rules (indicator, project_type, kind, params, severity, "
                "description, active, version, updated_at) VALUES (?, ?, ?, ?, ?, ?, 1, 1, 0)",
                rule.indicator, rule.project_type, risk::monitor::RuleKindName(rule.params.kind),
                risk::monitor::RuleParamsJson(rule.params),
                risk::monitor::SeverityName(rule.severity), rule.description)
            .map([](int64_t) {}));
  }
  return {};
}

// Amounts are integer fen, rates integer basis points, dates ISO text (YYYY-MM-DD), timestamps
// integer microseconds since the Unix epoch.
constexpr std::string_view kMarketplace = R"sql(
CREATE TABLE tenants (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('bureau', 'bank', 'guarantor', 'enterprise')),
  name TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants (id),
  role TEXT NOT NULL CHECK (role IN ('bureau_admin', 'bank_officer', 'guarantee_officer',
                                     'enterprise_user', 'risk_analyst', 'auditor')),
  name TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX users_tenant ON users (tenant_id);
CREATE TABLE api_tokens (
  token_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users (id),
  created_at INTEGER NOT NULL,
  revoked_at INTEGER
);
CREATE TABLE enterprises (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL UNIQUE REFERENCES tenants (id),
  uscc TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  region TEXT NOT NULL,
  industry TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('registered', 'verified')),
  green_label TEXT NOT NULL DEFAULT 'none',
  registered_at INTEGER NOT NULL,
  verified_at INTEGER
);
CREATE INDEX enterprises_status ON enterprises (status, id);
CREATE TABLE credit_profiles (
  enterprise_id INTEGER PRIMARY KEY REFERENCES enterprises (id),
  tax_paid_12m_fen INTEGER NOT NULL CHECK (tax_paid_12m_fen >= 0),
  social_insurance_headcount INTEGER NOT NULL CHECK (social_insurance_headcount >= 0),
  utilities_paid_12m_fen INTEGER NOT NULL CHECK (utilities_paid_12m_fen >= 0),
  credit_record TEXT NOT NULL,
  scale TEXT NOT NULL,
  annual_revenue_fen INTEGER NOT NULL CHECK (annual_revenue_fen >= 0),
  updated_at INTEGER NOT NULL
);
CREATE TABLE whitelists (
  id INTEGER PRIMARY KEY,
  owner_tenant_id INTEGER NOT NULL REFERENCES tenants (id),
  name TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE TABLE whitelist_members (
  whitelist_id INTEGER NOT NULL REFERENCES whitelists (id),
  enterprise_id INTEGER NOT NULL REFERENCES enterprises (id),
  added_at INTEGER NOT NULL,
  PRIMARY KEY (whitelist_id, enterprise_id)
);
CREATE TABLE products (
  id INTEGER PRIMARY KEY,
  bank_tenant_id INTEGER NOT NULL REFERENCES tenants (id),
  name TEXT NOT NULL,
  min_amount_fen INTEGER NOT NULL CHECK (min_amount_fen > 0),
  max_amount_fen INTEGER NOT NULL CHECK (max_amount_fen >= min_amount_fen),
  min_term_months INTEGER NOT NULL CHECK (min_term_months >= 1),
  max_term_months INTEGER NOT NULL CHECK (max_term_months >= min_term_months),
  regions TEXT NOT NULL DEFAULT '',
  industries TEXT NOT NULL DEFAULT '',
  collateral_free INTEGER NOT NULL,
  green_only INTEGER NOT NULL,
  rate_bps INTEGER NOT NULL CHECK (rate_bps >= 0),
  green_discount_bps INTEGER NOT NULL DEFAULT 0,
  whitelist_id INTEGER REFERENCES whitelists (id),
  created_at INTEGER NOT NULL
);
CREATE TABLE projects (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  region TEXT NOT NULL,
  industry TEXT NOT NULL,
  amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
  green_label TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL
);
CREATE TABLE needs (
  id INTEGER PRIMARY KEY,
  enterprise_id INTEGER NOT NULL REFERENCES enterprises (id),
  amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
  term_months INTEGER NOT NULL CHECK (term_months >= 1),
  purpose TEXT NOT NULL,
  collateral_free_required INTEGER NOT NULL,
  max_rate_bps INTEGER,
  status TEXT NOT NULL CHECK (status IN ('open', 'funded', 'withdrawn')),
  created_at INTEGER NOT NULL
);
CREATE INDEX needs_enterprise ON needs (enterprise_id, id);
CREATE INDEX needs_status ON needs (status, id);
CREATE TABLE offers (
  id INTEGER PRIMARY KEY,
  need_id INTEGER NOT NULL REFERENCES needs (id),
  bank_tenant_id INTEGER NOT NULL REFERENCES tenants (id),
  product_id INTEGER REFERENCES products (id),
  amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
  annual_rate_bps INTEGER NOT NULL CHECK (annual_rate_bps >= 0),
  term_months INTEGER NOT NULL CHECK (term_months >= 1),
  method TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('standard', 'entrepreneurship')),
  status TEXT NOT NULL CHECK (status IN ('offered', 'accepted', 'declined', 'booked')),
  created_at INTEGER NOT NULL,
  decided_at INTEGER
);
CREATE INDEX offers_bank ON offers (bank_tenant_id, id);
CREATE INDEX offers_need ON offers (need_id);
CREATE TABLE loans (
  id INTEGER PRIMARY KEY,
  offer_id INTEGER UNIQUE REFERENCES offers (id),
  bank_tenant_id INTEGER NOT NULL REFERENCES tenants (id),
  enterprise_id INTEGER NOT NULL REFERENCES enterprises (id),
  principal_fen INTEGER NOT NULL CHECK (principal_fen > 0),
  annual_rate_bps INTEGER NOT NULL,
  borrower_rate_bps INTEGER NOT NULL,
  subsidy_rate_bps INTEGER NOT NULL,
  lpr_bps INTEGER,
  term_months INTEGER NOT NULL,
  method TEXT NOT NULL,
  kind TEXT NOT NULL,
  start_date TEXT NOT NULL,
  booked_at INTEGER NOT NULL
);
CREATE INDEX loans_bank ON loans (bank_tenant_id, id);
CREATE INDEX loans_enterprise ON loans (enterprise_id, id);
CREATE TABLE installments (
  loan_id INTEGER NOT NULL REFERENCES loans (id),
  seq INTEGER NOT NULL,
  due_date TEXT NOT NULL,
  principal_fen INTEGER NOT NULL,
  interest_fen INTEGER NOT NULL,
  subsidy_interest_fen INTEGER NOT NULL,
  payment_fen INTEGER NOT NULL,
  balance_fen INTEGER NOT NULL,
  paid_fen INTEGER NOT NULL DEFAULT 0 CHECK (paid_fen >= 0),
  paid_on TEXT,
  PRIMARY KEY (loan_id, seq)
) WITHOUT ROWID;
CREATE TABLE guarantees (
  id INTEGER PRIMARY KEY,
  loan_id INTEGER NOT NULL UNIQUE REFERENCES loans (id),
  guarantor_tenant_id INTEGER NOT NULL REFERENCES tenants (id),
  cover_bps INTEGER NOT NULL CHECK (cover_bps > 0 AND cover_bps <= 10000),
  covered_fen INTEGER NOT NULL,
  fee_bps INTEGER NOT NULL CHECK (fee_bps >= 0),
  created_at INTEGER NOT NULL
);
CREATE INDEX guarantees_guarantor ON guarantees (guarantor_tenant_id, id);
CREATE TABLE repayments (
  id INTEGER PRIMARY KEY,
  loan_id INTEGER NOT NULL REFERENCES loans (id),
  amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
  paid_on TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE TABLE ledger_entries (
  id INTEGER PRIMARY KEY,
  loan_id INTEGER REFERENCES loans (id),
  kind TEXT NOT NULL,
  debit_account TEXT NOT NULL,
  credit_account TEXT NOT NULL,
  amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
  created_at INTEGER NOT NULL
);
CREATE INDEX ledger_loan ON ledger_entries (loan_id);
CREATE TABLE lpr_rates (
  effective_date TEXT NOT NULL,
  tenor TEXT NOT NULL CHECK (tenor IN ('1y', '5y')),
  rate_bps INTEGER NOT NULL CHECK (rate_bps > 0),
  PRIMARY KEY (effective_date, tenor)
);
CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value INTEGER NOT NULL
);
CREATE TABLE subsidy_programs (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  subsidy_bps INTEGER NOT NULL CHECK (subsidy_bps > 0),
  budget_fen INTEGER NOT NULL CHECK (budget_fen > 0),
  spent_fen INTEGER NOT NULL DEFAULT 0 CHECK (spent_fen >= 0 AND spent_fen <= budget_fen),
  created_at INTEGER NOT NULL
);
CREATE TABLE subsidy_payments (
  id INTEGER PRIMARY KEY,
  program_id INTEGER NOT NULL REFERENCES subsidy_programs (id),
  loan_id INTEGER NOT NULL REFERENCES loans (id),
  installment_seq INTEGER NOT NULL,
  amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
  paid_at INTEGER NOT NULL,
  UNIQUE (program_id, loan_id, installment_seq)
);
CREATE TABLE idempotency_keys (
  scope TEXT NOT NULL,
  key TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  status INTEGER NOT NULL,
  body TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (scope, key)
);
CREATE TABLE platform_stats (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  registered INTEGER NOT NULL,
  verified INTEGER NOT NULL,
  deals INTEGER NOT NULL,
  amount_financed_fen INTEGER NOT NULL
);
INSERT INTO platform_stats VALUES (1, 0, 0, 0, 0);
)sql";

// Guarantees need the guarantor's consent: the bank requests, the guarantee agency approves,
// and only an approved request can back a booking.
constexpr std::string_view kGuaranteeRequests = R"sql(
CREATE TABLE guarantee_requests (
  id INTEGER PRIMARY KEY,
  offer_id INTEGER NOT NULL REFERENCES offers (id),
  bank_tenant_id INTEGER NOT NULL REFERENCES tenants (id),
  guarantor_tenant_id INTEGER NOT NULL REFERENCES tenants (id),
  cover_bps INTEGER NOT NULL CHECK (cover_bps > 0 AND cover_bps <= 10000),
  fee_bps INTEGER NOT NULL CHECK (fee_bps >= 0),
  status TEXT NOT NULL CHECK (status IN ('requested', 'approved', 'declined', 'used')),
  created_at INTEGER NOT NULL,
  decided_at INTEGER
);
CREATE INDEX guarantee_requests_guarantor ON guarantee_requests (guarantor_tenant_id, id);
CREATE INDEX guarantee_requests_bank ON guarantee_requests (bank_tenant_id, id);
CREATE INDEX guarantee_requests_offer ON guarantee_requests (offer_id);
ALTER TABLE guarantees ADD COLUMN request_id INTEGER REFERENCES guarantee_requests (id);
)sql";

// The transparency log and the registry of trade assets. registry_entries holds each entry's
// leaf data exactly as hashed; registry_tiles the Merkle tree in tiles (registry/tiles.hpp),
// keyed by level << 56 | index; registry_checkpoints every signed checkpoint. Entries are
// sequenced inside the business transaction that creates them and integrated into the tree
// afterwards, so the log never disagrees with the state it records.
constexpr std::string_view kRegistry = R"sql(
CREATE TABLE registry_entries (
  idx INTEGER PRIMARY KEY CHECK (idx >= 0),
  kind TEXT NOT NULL,
  data BLOB NOT NULL,
  parties TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX registry_entries_kind ON registry_entries (kind, idx);
CREATE TABLE registry_tiles (
  id INTEGER PRIMARY KEY,
  width INTEGER NOT NULL CHECK (width BETWEEN 1 AND 256),
  hashes BLOB NOT NULL
);
CREATE TABLE registry_leaves (
  leaf_hash BLOB PRIMARY KEY,
  idx INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE registry_checkpoints (
  size INTEGER PRIMARY KEY,
  root BLOB NOT NULL,
  note TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE TABLE registry_assets (
  id INTEGER PRIMARY KEY,
  type TEXT NOT NULL CHECK (type IN ('order', 'invoice', 'logistics', 'receivable', 'equipment')),
  identity TEXT NOT NULL UNIQUE,
  document_key TEXT NOT NULL UNIQUE,
  registrant_tenant_id INTEGER NOT NULL REFERENCES tenants (id),
  holder_tenant_id INTEGER NOT NULL REFERENCES tenants (id),
  debtor_uscc TEXT NOT NULL,
  creditor_uscc TEXT NOT NULL,
  document_type TEXT NOT NULL,
  document_number TEXT NOT NULL,
  amount_fen INTEGER NOT NULL CHECK (amount_fen >= 0),
  due_date TEXT,
  order_id INTEGER REFERENCES registry_assets (id),
  description TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('registered', 'delivered', 'settled')),
  entry_index INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX registry_assets_holder ON registry_assets (holder_tenant_id, id);
CREATE INDEX registry_assets_order ON registry_assets (order_id);
CREATE TABLE registry_claims (
  id INTEGER PRIMARY KEY,
  asset_id INTEGER NOT NULL REFERENCES registry_assets (id),
  kind TEXT NOT NULL CHECK (kind IN ('pledge', 'transfer')),
  holder_tenant_id INTEGER NOT NULL REFERENCES tenants (id),
  amount_fen INTEGER NOT NULL CHECK (amount_fen >= 0),
  status TEXT NOT NULL CHECK (status IN ('active', 'released', 'settled')),
  entry_index INTEGER NOT NULL,
  closed_entry_index INTEGER,
  created_at INTEGER NOT NULL
);
CREATE INDEX registry_claims_asset ON registry_claims (asset_id, entry_index);
-- At most one active pledge per asset, whatever the interleaving of requests.
CREATE UNIQUE INDEX registry_one_active_pledge ON registry_claims (asset_id)
  WHERE kind = 'pledge' AND status = 'active';
)sql";

// Indicators the bureau records per region and year (cooperation, development), evaluated like
// the border cities' statistics. Values are kept as recorded (decimal text); a correction
// replaces the value and is logged.
constexpr std::string_view kEvaluation = R"sql(
CREATE TABLE evaluation_indicators (
  id INTEGER PRIMARY KEY,
  region TEXT NOT NULL,
  year INTEGER NOT NULL CHECK (year BETWEEN 1949 AND 2200),
  indicator TEXT NOT NULL,
  value TEXT NOT NULL,
  unit TEXT NOT NULL,
  direction TEXT NOT NULL CHECK (direction IN ('positive', 'negative')),
  subsystem TEXT NOT NULL,
  recorded_by INTEGER NOT NULL REFERENCES users (id),
  recorded_at INTEGER NOT NULL,
  entry_index INTEGER NOT NULL,
  UNIQUE (year, indicator, region)
);
)sql";

// Credit-risk analyses of a loan book, run in the background: the parameters as requested, the
// progress while running, the result (JSON) when done.
constexpr std::string_view kRiskAnalyses = R"sql(
CREATE TABLE risk_analyses (
  id INTEGER PRIMARY KEY,
  portfolio_tenant_id INTEGER NOT NULL REFERENCES tenants (id),
  requested_by INTEGER NOT NULL REFERENCES users (id),
  requester_tenant_id INTEGER NOT NULL REFERENCES tenants (id),
  status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
  progress_bp INTEGER NOT NULL DEFAULT 0 CHECK (progress_bp BETWEEN 0 AND 10000),
  params TEXT NOT NULL,
  result TEXT,
  error TEXT,
  created_at INTEGER NOT NULL,
  finished_at INTEGER
);
CREATE INDEX risk_analyses_portfolio ON risk_analyses (portfolio_tenant_id, id);
)sql";

// Supply-chain ecosystems (seed 002 §4.4): a core enterprise, its members (enterprises, banks,
// guarantee agencies) with the capital their risk is measured against, the trade among them
// (orders and receivables), and the risk pools that share losses. A core enterprise's share of
// its ecosystem's outstanding financing is capped (core_cap_bps, default 30%). Pools are
// accounts: every funding and draw is a movement with the parties' shares, and the balance never
// goes negative.
constexpr std::string_view kEcosystems = R"sql(
CREATE TABLE ecosystems (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  core_enterprise_id INTEGER NOT NULL REFERENCES enterprises (id),
  core_cap_bps INTEGER NOT NULL CHECK (core_cap_bps BETWEEN 1 AND 10000),
  created_by INTEGER NOT NULL REFERENCES users (id),
  created_at INTEGER NOT NULL,
  entry_index INTEGER NOT NULL
);
CREATE INDEX ecosystems_core ON ecosystems (core_enterprise_id);
CREATE TABLE ecosystem_members (
  ecosystem_id INTEGER NOT NULL REFERENCES ecosystems (id),
  tenant_id INTEGER NOT NULL REFERENCES tenants (id),
  capital_fen INTEGER NOT NULL CHECK (capital_fen > 0),
  joined_at INTEGER NOT NULL,
  PRIMARY KEY (ecosystem_id, tenant_id)
) WITHOUT ROWID;
CREATE INDEX ecosystem_members_tenant ON ecosystem_members (tenant_id);
CREATE TABLE ecosystem_trades (
  id INTEGER PRIMARY KEY,
  ecosystem_id INTEGER NOT NULL REFERENCES ecosystems (id),
  kind TEXT NOT NULL CHECK (kind IN ('order', 'receivable')),
  buyer_tenant_id INTEGER NOT NULL REFERENCES tenants (id),
  supplier_tenant_id INTEGER NOT NULL REFERENCES tenants (id),
  amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
  recorded_by INTEGER NOT NULL REFERENCES users (id),
  recorded_at INTEGER NOT NULL,
  entry_index INTEGER NOT NULL,
  CHECK (buyer_tenant_id <> supplier_tenant_id)
);
CREATE INDEX ecosystem_trades_ecosystem ON ecosystem_trades (ecosystem_id, id);
CREATE TABLE risk_pools (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  scheme TEXT NOT NULL CHECK (scheme IN ('compensation_pool', 'reserve_pool',
                                         'rnd_failure_fund', 'rnd_insurance')),
  ecosystem_id INTEGER REFERENCES ecosystems (id),
  balance_fen INTEGER NOT NULL DEFAULT 0 CHECK (balance_fen >= 0),
  funded_fen INTEGER NOT NULL DEFAULT 0 CHECK (funded_fen >= 0),
  drawn_fen INTEGER NOT NULL DEFAULT 0 CHECK (drawn_fen >= 0),
  created_at INTEGER NOT NULL,
  entry_index INTEGER NOT NULL,
  CHECK (balance_fen = funded_fen - drawn_fen)
);
CREATE TABLE risk_pool_movements (
  id INTEGER PRIMARY KEY,
  pool_id INTEGER NOT NULL REFERENCES risk_pools (id),
  kind TEXT NOT NULL CHECK (kind IN ('funding', 'draw')),
  amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
  loss_fen INTEGER CHECK (loss_fen > 0),
  loan_id INTEGER REFERENCES loans (id),
  shares TEXT NOT NULL,
  note TEXT NOT NULL,
  recorded_by INTEGER NOT NULL REFERENCES users (id),
  created_at INTEGER NOT NULL,
  entry_index INTEGER NOT NULL
);
CREATE INDEX risk_pool_movements_pool ON risk_pool_movements (pool_id, id);
)sql";

// Green finance: the rule tables the bureau publishes (the newest is in force), label decisions
// for loans and catalogue projects with their review (a decision with greenwashing flags waits
// for the bureau), the reserves and deposits held for green loans, enterprises' carbon
// accounts and sustainability-linked loan terms with their KPI observations. Emissions are
// integer kilograms of CO2e.
constexpr std::string_view kGreen = R"sql(
CREATE TABLE green_rule_tables (
  version TEXT PRIMARY KEY,
  body TEXT NOT NULL,
  published_by INTEGER NOT NULL REFERENCES users (id),
  published_at INTEGER NOT NULL,
  entry_index INTEGER NOT NULL
);
CREATE TABLE green_labels (
  id INTEGER PRIMARY KEY,
  loan_id INTEGER REFERENCES loans (id),
  project_id INTEGER REFERENCES projects (id),
  category TEXT NOT NULL,
  label TEXT NOT NULL CHECK (label IN ('not_green', 'transition', 'light', 'medium', 'dark')),
  subsidy_bps INTEGER NOT NULL CHECK (subsidy_bps >= 0),
  rule_table_version TEXT NOT NULL,
  decision TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('granted', 'under_review', 'rejected')),
  requested_by INTEGER NOT NULL REFERENCES users (id),
  created_at INTEGER NOT NULL,
  entry_index INTEGER NOT NULL,
  reviewed_by INTEGER REFERENCES users (id),
  reviewed_at INTEGER,
  review_note TEXT,
  review_entry_index INTEGER,
  CHECK ((loan_id IS NULL) <> (project_id IS NULL))
);
CREATE INDEX green_labels_status ON green_labels (status, id);
CREATE INDEX green_labels_loan ON green_labels (loan_id, id);
CREATE TABLE green_reserves (
  id INTEGER PRIMARY KEY,
  loan_id INTEGER NOT NULL REFERENCES loans (id),
  label_id INTEGER NOT NULL REFERENCES green_labels (id),
  kind TEXT NOT NULL CHECK (kind IN ('risk_reserve', 'decommissioning_deposit')),
  amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
  status TEXT NOT NULL CHECK (status IN ('held', 'released')),
  created_at INTEGER NOT NULL,
  entry_index INTEGER NOT NULL,
  released_at INTEGER,
  release_note TEXT,
  release_entry_index INTEGER,
  UNIQUE (loan_id, kind)
);
CREATE TABLE carbon_records (
  id INTEGER PRIMARY KEY,
  enterprise_id INTEGER NOT NULL REFERENCES enterprises (id),
  period TEXT NOT NULL,
  scope1_kg INTEGER NOT NULL CHECK (scope1_kg >= 0),
  scope2_kg INTEGER NOT NULL CHECK (scope2_kg >= 0),
  scope3_kg INTEGER NOT NULL CHECK (scope3_kg >= 0),
  reductions_kg INTEGER NOT NULL CHECK (reductions_kg >= 0),
  output INTEGER NOT NULL CHECK (output > 0),
  output_unit TEXT NOT NULL,
  data_quality INTEGER NOT NULL CHECK (data_quality BETWEEN 1 AND 5),
  metered INTEGER NOT NULL,
  recorded_by INTEGER NOT NULL REFERENCES users (id),
  recorded_at INTEGER NOT NULL,
  entry_index INTEGER NOT NULL,
  UNIQUE (enterprise_id, period)
);
CREATE TABLE sll_terms (
  loan_id INTEGER PRIMARY KEY REFERENCES loans (id),
  base_margin_bps INTEGER NOT NULL,
  margin_bps INTEGER NOT NULL,
  ratchet TEXT NOT NULL CHECK (ratchet IN ('symmetric', 'downward_only')),
  floor_bps INTEGER NOT NULL,
  cap_bps INTEGER NOT NULL,
  kpis TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  entry_index INTEGER NOT NULL
);
CREATE TABLE sll_observations (
  id INTEGER PRIMARY KEY,
  loan_id INTEGER NOT NULL REFERENCES sll_terms (loan_id),
  period TEXT NOT NULL,
  actuals TEXT NOT NULL,
  margin_before_bps INTEGER NOT NULL,
  margin_after_bps INTEGER NOT NULL,
  effective_from_seq INTEGER,
  adjustments TEXT NOT NULL,
  recorded_by INTEGER NOT NULL REFERENCES users (id),
  created_at INTEGER NOT NULL,
  entry_index INTEGER NOT NULL,
  UNIQUE (loan_id, period)
);
INSERT INTO settings VALUES ('green_decommissioning_deposit_fen_per_mw', 10000000);
ALTER TABLE subsidy_programs ADD COLUMN by_green_label INTEGER NOT NULL DEFAULT 0;
)sql";

// PCAF's inputs on a carbon record: removals and carbon credits apart from emissions, and the
// denominators of the attribution factor (total equity + debt; EVIC for listed firms).
constexpr std::string_view kFinancedEmissions = R"sql(
ALTER TABLE carbon_records ADD COLUMN removals_kg INTEGER NOT NULL DEFAULT 0
  CHECK (removals_kg >= 0);
ALTER TABLE carbon_records ADD COLUMN credits_retired_kg INTEGER NOT NULL DEFAULT 0
  CHECK (credits_retired_kg >= 0);
ALTER TABLE carbon_records ADD COLUMN credits_generated_kg INTEGER NOT NULL DEFAULT 0
  CHECK (credits_generated_kg >= 0);
ALTER TABLE carbon_records ADD COLUMN equity_plus_debt_fen INTEGER
  CHECK (equity_plus_debt_fen IS NULL OR equity_plus_debt_fen > 0);
ALTER TABLE carbon_records ADD COLUMN evic_fen INTEGER CHECK (evic_fen IS NULL OR evic_fen > 0);
)sql";

// The analyses a tenant has waiting or running (counted on each request, to cap them).
constexpr std::string_view kRiskAnalysesInFlight = R"sql(
CREATE INDEX risk_analyses_in_flight ON risk_analyses (requester_tenant_id)
  WHERE status IN ('queued', 'running');
)sql";

// A loss small enough that the pool's share rounds to 0 fen is still a draw (the other parties
// bear it all): a draw may move 0 fen, a funding never.
constexpr std::string_view kZeroShareDraws = R"sql(
CREATE TABLE risk_pool_movements_new (
  id INTEGER PRIMARY KEY,
  pool_id INTEGER NOT NULL REFERENCES risk_pools (id),
  kind TEXT NOT NULL CHECK (kind IN ('funding', 'draw')),
  amount_fen INTEGER NOT NULL CHECK (amount_fen >= 0 AND (kind = 'draw' OR amount_fen > 0)),
  loss_fen INTEGER CHECK (loss_fen > 0),
  loan_id INTEGER REFERENCES loans (id),
  shares TEXT NOT NULL,
  note TEXT NOT NULL,
  recorded_by INTEGER NOT NULL REFERENCES users (id),
  created_at INTEGER NOT NULL,
  entry_index INTEGER NOT NULL
);
INSERT INTO risk_pool_movements_new SELECT * FROM risk_pool_movements;
DROP TABLE risk_pool_movements;
ALTER TABLE risk_pool_movements_new RENAME TO risk_pool_movements;
CREATE INDEX risk_pool_movements_pool ON risk_pool_movements (pool_id, id);
)sql";

// The bureau's overview counts enterprises by division and status: a covering index keeps that a
// scan of the index, not of the table.
constexpr std::string_view kEnterprisesByRegion = R"sql(
CREATE INDEX enterprises_region ON enterprises (region, status);
)sql";

// Supply-chain finance (service/supply): the order pools of ecosystems' core enterprises, the
// revolving lines banks grant suppliers in them, the orders pooled (each pledged in the registry
// to its line's bank; one active pool row per order), draws and repayments, the firms'
// production readings and the margin calls of the dynamic margin. peak_months is a comma list
// of months ("1,2,12").
constexpr std::string_view kSupply = R"sql(
CREATE TABLE supply_pools (
  id INTEGER PRIMARY KEY,
  ecosystem_id INTEGER NOT NULL REFERENCES ecosystems (id),
  core_enterprise_id INTEGER NOT NULL REFERENCES enterprises (id),
  name TEXT NOT NULL,
  created_by INTEGER NOT NULL REFERENCES users (id),
  created_at INTEGER NOT NULL,
  entry_index INTEGER NOT NULL
);
CREATE TABLE supply_lines (
  id INTEGER PRIMARY KEY,
  pool_id INTEGER NOT NULL REFERENCES supply_pools (id),
  bank_tenant_id INTEGER NOT NULL REFERENCES tenants (id),
  supplier_enterprise_id INTEGER NOT NULL REFERENCES enterprises (id),
  limit_fen INTEGER NOT NULL CHECK (limit_fen > 0),
  advance_rate_bps INTEGER NOT NULL CHECK (advance_rate_bps BETWEEN 1 AND 10000),
  max_buyer_share_bps INTEGER NOT NULL CHECK (max_buyer_share_bps BETWEEN 1 AND 10000),
  fulfilment_rate_bps INTEGER NOT NULL CHECK (fulfilment_rate_bps BETWEEN 0 AND 10000),
  inventory_tolerance_bps INTEGER NOT NULL CHECK (inventory_tolerance_bps BETWEEN 0 AND 10000),
  peak_months TEXT NOT NULL,
  drawn_fen INTEGER NOT NULL DEFAULT 0 CHECK (drawn_fen >= 0),
  margin_held_fen INTEGER NOT NULL DEFAULT 0 CHECK (margin_held_fen >= 0),
  status TEXT NOT NULL CHECK (status IN ('active', 'closed')),
  frozen_reason TEXT,
  frozen_entry_index INTEGER,
  created_at INTEGER NOT NULL,
  entry_index INTEGER NOT NULL
);
CREATE UNIQUE INDEX supply_one_line_per_supplier ON supply_lines (pool_id, supplier_enterprise_id)
  WHERE status = 'active';
CREATE INDEX supply_lines_bank ON supply_lines (bank_tenant_id, id);
CREATE INDEX supply_lines_supplier ON supply_lines (supplier_enterprise_id, id);
CREATE TABLE supply_pool_orders (
  id INTEGER PRIMARY KEY,
  line_id INTEGER NOT NULL REFERENCES supply_lines (id),
  asset_id INTEGER NOT NULL REFERENCES registry_assets (id),
  pledge_id INTEGER NOT NULL REFERENCES registry_claims (id),
  units INTEGER CHECK (units >= 0),
  status TEXT NOT NULL CHECK (status IN ('pooled', 'cancelled')),
  pooled_by INTEGER NOT NULL REFERENCES users (id),
  pooled_at INTEGER NOT NULL,
  entry_index INTEGER NOT NULL,
  closed_entry_index INTEGER
);
-- An order backs one line only.
CREATE UNIQUE INDEX supply_order_backs_one_line ON supply_pool_orders (asset_id)
  WHERE status = 'pooled';
CREATE INDEX supply_pool_orders_line ON supply_pool_orders (line_id, id);
CREATE TABLE supply_draws (
  id INTEGER PRIMARY KEY,
  line_id INTEGER NOT NULL REFERENCES supply_lines (id),
  kind TEXT NOT NULL CHECK (kind IN ('draw', 'repayment')),
  amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
  recorded_by INTEGER NOT NULL REFERENCES users (id),
  created_at INTEGER NOT NULL,
  entry_index INTEGER NOT NULL
);
CREATE INDEX supply_draws_line ON supply_draws (line_id, id);
CREATE TABLE supply_readings (
  id INTEGER PRIMARY KEY,
  enterprise_id INTEGER NOT NULL REFERENCES enterprises (id),
  reading_date TEXT NOT NULL,
  capacity_units INTEGER NOT NULL CHECK (capacity_units > 0),
  used_units INTEGER NOT NULL CHECK (used_units >= 0 AND used_units <= capacity_units),
  inventory_units INTEGER CHECK (inventory_units >= 0),
  source TEXT NOT NULL,
  recorded_by INTEGER NOT NULL REFERENCES users (id),
  created_at INTEGER NOT NULL,
  entry_index INTEGER NOT NULL,
  UNIQUE (enterprise_id, reading_date)
);
CREATE TABLE supply_margin_calls (
  id INTEGER PRIMARY KEY,
  line_id INTEGER NOT NULL REFERENCES supply_lines (id),
  call_date TEXT NOT NULL,
  season TEXT NOT NULL CHECK (season IN ('peak', 'off_peak')),
  ratio_bps INTEGER NOT NULL,
  exposure_fen INTEGER NOT NULL,
  required_fen INTEGER NOT NULL,
  held_fen INTEGER NOT NULL,
  call_fen INTEGER NOT NULL CHECK (call_fen <> 0),
  status TEXT NOT NULL CHECK (status IN ('open', 'met', 'superseded')),
  entry_index INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  UNIQUE (line_id, call_date)
);
-- The buyer's confirmation of a receivable (once), or its cancellation, that gates factoring.
CREATE TABLE supply_confirmations (
  asset_id INTEGER PRIMARY KEY REFERENCES registry_assets (id),
  state TEXT NOT NULL CHECK (state IN ('confirmed', 'cancelled')),
  amount_fen INTEGER CHECK (amount_fen > 0),
  due_date TEXT,
  recorded_by INTEGER NOT NULL REFERENCES users (id),
  entry_index INTEGER NOT NULL,
  cancelled_entry_index INTEGER,
  created_at INTEGER NOT NULL,
  CHECK (state = 'cancelled' OR (amount_fen IS NOT NULL AND due_date IS NOT NULL))
);
CREATE TABLE supply_factorings (
  id INTEGER PRIMARY KEY,
  asset_id INTEGER NOT NULL REFERENCES registry_assets (id),
  bank_tenant_id INTEGER NOT NULL REFERENCES tenants (id),
  seller_enterprise_id INTEGER NOT NULL REFERENCES enterprises (id),
  receivable_fen INTEGER NOT NULL CHECK (receivable_fen > 0),
  financed_fen INTEGER NOT NULL CHECK (financed_fen > 0 AND financed_fen <= receivable_fen),
  due_date TEXT NOT NULL,
  recourse TEXT NOT NULL CHECK (recourse IN ('with_recourse', 'without_recourse')),
  pledge_id INTEGER NOT NULL REFERENCES registry_claims (id),
  entry_index INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX supply_factorings_bank ON supply_factorings (bank_tenant_id, id);
CREATE INDEX supply_factorings_seller ON supply_factorings (seller_enterprise_id, id);
-- The dated FX table: on rate_date one unit of from_currency is rate (exact decimal text) units of
-- to_currency, as source published it.
CREATE TABLE fx_rates (
  id INTEGER PRIMARY KEY,
  rate_date TEXT NOT NULL,
  from_currency TEXT NOT NULL,
  to_currency TEXT NOT NULL,
  rate TEXT NOT NULL,
  source TEXT NOT NULL,
  recorded_by INTEGER NOT NULL REFERENCES users (id),
  created_at INTEGER NOT NULL,
  entry_index INTEGER NOT NULL,
  UNIQUE (from_currency, to_currency, rate_date)
);
-- Cross-border settlements of free-trade-zone enterprises, in the currency settled (its minor
-- unit) with the yuan equivalent at the table's rate on the settlement date, the rate kept.
CREATE TABLE cross_border_settlements (
  id INTEGER PRIMARY KEY,
  enterprise_id INTEGER NOT NULL REFERENCES enterprises (id),
  direction TEXT NOT NULL CHECK (direction IN ('receipt', 'payment')),
  counterparty TEXT NOT NULL,
  counterparty_country TEXT NOT NULL,
  currency TEXT NOT NULL,
  amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
  settlement_date TEXT NOT NULL,
  reference TEXT NOT NULL,
  cny_fen INTEGER NOT NULL,
  rate TEXT,
  rate_pair TEXT,
  rate_date TEXT,
  rate_source TEXT,
  inverted INTEGER NOT NULL,
  recorded_by INTEGER NOT NULL REFERENCES users (id),
  created_at INTEGER NOT NULL,
  entry_index INTEGER NOT NULL,
  UNIQUE (enterprise_id, reference)
);
)sql";

// Secured supply-chain loans: capacity-sharing loans against equipment and pledged orders (at most
// 70% of the equipment's appraisal) and patent-portfolio pledge loans (at most the pledge rate of
// the valuation, with loan-plus-warrant terms recorded as given), with every re-appraisal.
constexpr std::string_view kSecuredLoans = R"sql(
CREATE TABLE supply_secured_loans (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('capacity', 'ip')),
  bank_tenant_id INTEGER NOT NULL REFERENCES tenants (id),
  enterprise_id INTEGER NOT NULL REFERENCES enterprises (id),
  principal_fen INTEGER NOT NULL CHECK (principal_fen > 0),
  outstanding_fen INTEGER NOT NULL CHECK (outstanding_fen >= 0 AND outstanding_fen <= principal_fen),
  collateral_fen INTEGER NOT NULL CHECK (collateral_fen >= 0),
  cap_bps INTEGER NOT NULL CHECK (cap_bps BETWEEN 1 AND 10000),
  equipment_asset_id INTEGER REFERENCES registry_assets (id),
  pledged_orders_fen INTEGER NOT NULL DEFAULT 0,
  patents TEXT NOT NULL DEFAULT '',
  warrant TEXT,
  status TEXT NOT NULL CHECK (status IN ('active', 'restricted', 'repaid')),
  top_up_fen INTEGER NOT NULL DEFAULT 0 CHECK (top_up_fen >= 0),
  entry_index INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX supply_secured_loans_bank ON supply_secured_loans (bank_tenant_id, id);
CREATE INDEX supply_secured_loans_enterprise ON supply_secured_loans (enterprise_id, id);
CREATE TABLE supply_appraisals (
  id INTEGER PRIMARY KEY,
  loan_id INTEGER NOT NULL REFERENCES supply_secured_loans (id),
  appraisal_date TEXT NOT NULL,
  appraised_fen INTEGER NOT NULL CHECK (appraised_fen >= 0),
  outstanding_fen INTEGER NOT NULL,
  ltv_bps INTEGER NOT NULL,
  top_up_fen INTEGER NOT NULL,
  recorded_by INTEGER NOT NULL REFERENCES users (id),
  entry_index INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX supply_appraisals_loan ON supply_appraisals (loan_id, id);
)sql";

// R&D funds disbursed by milestone: the bank's approval and its schedule of tranches, in the
// schedule's order (position, rewritten when a tranche is inserted); a tranche is addressed by its
// id, its confirmation and payment by the log entries that made them.
constexpr std::string_view kRndFunds = R"sql(
CREATE TABLE supply_rnd_funds (
  id INTEGER PRIMARY KEY,
  bank_tenant_id INTEGER NOT NULL REFERENCES tenants (id),
  enterprise_id INTEGER NOT NULL REFERENCES enterprises (id),
  project TEXT NOT NULL,
  approved_fen INTEGER NOT NULL CHECK (approved_fen > 0),
  entry_index INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX supply_rnd_funds_bank ON supply_rnd_funds (bank_tenant_id, id);
CREATE INDEX supply_rnd_funds_enterprise ON supply_rnd_funds (enterprise_id, id);
CREATE TABLE supply_rnd_tranches (
  id INTEGER PRIMARY KEY,
  fund_id INTEGER NOT NULL REFERENCES supply_rnd_funds (id),
  position INTEGER NOT NULL CHECK (position >= 0),
  milestone TEXT NOT NULL,
  amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
  confirmed_entry_index INTEGER,
  disbursed_entry_index INTEGER,
  created_at INTEGER NOT NULL,
  CHECK (disbursed_entry_index IS NULL OR confirmed_entry_index IS NOT NULL)
);
CREATE INDEX supply_rnd_tranches_fund ON supply_rnd_tranches (fund_id, position);
)sql";

// A supplier's orders by its code: every read of a line sums them for its fulfilment record and
// its largest buyer, which scanned the whole registry before.
constexpr const char* kOrdersByCreditor = R"sql(
CREATE INDEX registry_assets_creditor ON registry_assets (creditor_uscc, type, debtor_uscc);
)sql";

// Early warning (docs/early-warning.md): the monitored wind and solar projects, their raw
// telemetry as one block a series and UTC day (docs/formats/telemetry-block.md) with the day's
// aggregates (the block is dropped after a year, the aggregates kept), the monitoring rules, each
// series' detector state (doubles as their IEEE-754 bits, exact), and the alerts with their
// append-only history and webhook deliveries.
constexpr const char* kMonitor = R"sql(
CREATE TABLE monitor_projects (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  type TEXT NOT NULL CHECK (type IN ('wind', 'solar')),
  capacity_kw INTEGER NOT NULL CHECK (capacity_kw > 0),
  region TEXT NOT NULL,
  enterprise_id INTEGER NOT NULL REFERENCES enterprises (id),
  bank_tenant_id INTEGER REFERENCES tenants (id),
  loan_id INTEGER REFERENCES loans (id),
  created_by INTEGER NOT NULL REFERENCES users (id),
  created_at INTEGER NOT NULL,
  entry_index INTEGER NOT NULL
);
CREATE INDEX monitor_projects_enterprise ON monitor_projects (enterprise_id, id);
CREATE INDEX monitor_projects_bank ON monitor_projects (bank_tenant_id, id);
CREATE TABLE telemetry_days (
  project_id INTEGER NOT NULL REFERENCES monitor_projects (id),
  indicator INTEGER NOT NULL CHECK (indicator BETWEEN 0 AND 19),
  day INTEGER NOT NULL,
  readings INTEGER NOT NULL CHECK (readings > 0),
  min_value INTEGER NOT NULL,
  max_value INTEGER NOT NULL,
  sum_value INTEGER NOT NULL,
  last_t INTEGER NOT NULL,
  last_value INTEGER NOT NULL,
  block BLOB,
  PRIMARY KEY (project_id, indicator, day)
) WITHOUT ROWID;
CREATE TABLE monitor_rules (
  id INTEGER PRIMARY KEY,
  indicator TEXT NOT NULL,
  project_type TEXT NOT NULL CHECK (project_type IN ('wind', 'solar', 'any')),
  kind TEXT NOT NULL CHECK (kind IN ('threshold', 'cusum', 'ewma', 'rate')),
  params TEXT NOT NULL,
  severity TEXT NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
  description TEXT NOT NULL,
  active INTEGER NOT NULL CHECK (active IN (0, 1)),
  version INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  entry_index INTEGER
);
CREATE TABLE detector_states (
  project_id INTEGER NOT NULL REFERENCES monitor_projects (id),
  rule_id INTEGER NOT NULL REFERENCES monitor_rules (id),
  rule_version INTEGER NOT NULL,
  s1_bits INTEGER NOT NULL,
  s2_bits INTEGER NOT NULL,
  last_t INTEGER,
  firing INTEGER NOT NULL,
  since_t INTEGER,
  PRIMARY KEY (project_id, rule_id)
) WITHOUT ROWID;
CREATE TABLE monitor_alerts (
  id INTEGER PRIMARY KEY,
  fingerprint TEXT NOT NULL,
  project_id INTEGER NOT NULL REFERENCES monitor_projects (id),
  rule_id INTEGER NOT NULL REFERENCES monitor_rules (id),
  indicator TEXT NOT NULL,
  severity TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('firing', 'acknowledged', 'resolved')),
  owner_tenant_id INTEGER NOT NULL REFERENCES tenants (id),
  fired_t INTEGER NOT NULL,
  fired_value_bits INTEGER NOT NULL,
  resolved_t INTEGER,
  acknowledged_by INTEGER REFERENCES users (id),
  acknowledged_at INTEGER,
  silenced_until INTEGER,
  created_at INTEGER NOT NULL,
  entry_index INTEGER NOT NULL
);
-- One alert per (subject, indicator, rule) while it is open.
CREATE UNIQUE INDEX monitor_alerts_open ON monitor_alerts (fingerprint) WHERE status <> 'resolved';
CREATE INDEX monitor_alerts_project ON monitor_alerts (project_id, id);
CREATE INDEX monitor_alerts_owner ON monitor_alerts (owner_tenant_id, id);
CREATE TABLE monitor_alert_events (
  id INTEGER PRIMARY KEY,
  alert_id INTEGER NOT NULL REFERENCES monitor_alerts (id),
  kind TEXT NOT NULL CHECK (kind IN ('fired', 'acknowledged', 'comment', 'silenced', 'resolved')),
  user_id INTEGER REFERENCES users (id),
  note TEXT,
  created_at INTEGER NOT NULL
);
CREATE INDEX monitor_alert_events_alert ON monitor_alert_events (alert_id, id);
CREATE TRIGGER monitor_alert_events_append_only BEFORE UPDATE ON monitor_alert_events
BEGIN SELECT RAISE(ABORT, 'alert history is append-only'); END;
CREATE TRIGGER monitor_alert_events_no_delete BEFORE DELETE ON monitor_alert_events
BEGIN SELECT RAISE(ABORT, 'alert history is append-only'); END;
-- Webhooks of an organisation, and their deliveries (an outbox written in the transaction of the
-- alert's event, sent and retried by the App's worker).
CREATE TABLE monitor_webhooks (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants (id),
  url TEXT NOT NULL,
  secret TEXT NOT NULL,
  active INTEGER NOT NULL CHECK (active IN (0, 1)),
  created_by INTEGER NOT NULL REFERENCES users (id),
  created_at INTEGER NOT NULL
);
CREATE INDEX monitor_webhooks_tenant ON monitor_webhooks (tenant_id, id);
CREATE TABLE monitor_deliveries (
  id INTEGER PRIMARY KEY,
  webhook_id INTEGER NOT NULL REFERENCES monitor_webhooks (id),
  alert_id INTEGER NOT NULL REFERENCES monitor_alerts (id),
  event TEXT NOT NULL,
  body TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed', 'suppressed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  last_error TEXT,
  delivered_at INTEGER,
  created_at INTEGER NOT NULL
);
CREATE INDEX monitor_deliveries_due ON monitor_deliveries (status, next_attempt_at);
CREATE INDEX monitor_deliveries_webhook ON monitor_deliveries (webhook_id, id);
)sql";

// The ecosystem health index (docs/early-warning.md): the weekly reports of an ecosystem's
// member firms (week = its Monday), the index computed from them and the platform's loans per firm
// and for the ecosystem (enterprise_id 0), each week's components as JSON; and alerts on a subject
// other than a project: monitor_alerts is rebuilt with its subject (project, enterprise within an
// ecosystem, or ecosystem), a project and a rule only for project alerts.
constexpr std::string_view kHealth = R"sql(
CREATE TABLE health_reports (
  ecosystem_id INTEGER NOT NULL REFERENCES ecosystems (id),
  enterprise_id INTEGER NOT NULL REFERENCES enterprises (id),
  week TEXT NOT NULL,
  orders_fen INTEGER CHECK (orders_fen >= 0),
  receivables_due_fen INTEGER CHECK (receivables_due_fen >= 0),
  receivables_collected_fen INTEGER CHECK (receivables_collected_fen >= 0),
  capacity_units INTEGER CHECK (capacity_units > 0),
  used_units INTEGER CHECK (used_units >= 0),
  inventory_units INTEGER CHECK (inventory_units >= 0),
  inventory_need_units INTEGER CHECK (inventory_need_units >= 0),
  recorded_by INTEGER NOT NULL REFERENCES users (id),
  created_at INTEGER NOT NULL,
  PRIMARY KEY (ecosystem_id, enterprise_id, week),
  CHECK ((capacity_units IS NULL) = (used_units IS NULL)),
  CHECK ((inventory_units IS NULL) = (inventory_need_units IS NULL)),
  CHECK ((receivables_due_fen IS NULL) = (receivables_collected_fen IS NULL))
) WITHOUT ROWID;
CREATE TABLE health_index (
  ecosystem_id INTEGER NOT NULL REFERENCES ecosystems (id),
  enterprise_id INTEGER NOT NULL,
  week TEXT NOT NULL,
  index_ppm INTEGER NOT NULL CHECK (index_ppm BETWEEN 0 AND 1000000),
  components TEXT NOT NULL,
  computed_at INTEGER NOT NULL,
  PRIMARY KEY (ecosystem_id, enterprise_id, week)
) WITHOUT ROWID;
CREATE TABLE monitor_alerts_new (
  id INTEGER PRIMARY KEY,
  fingerprint TEXT NOT NULL,
  subject TEXT NOT NULL CHECK (subject IN ('project', 'enterprise', 'ecosystem')),
  project_id INTEGER REFERENCES monitor_projects (id),
  ecosystem_id INTEGER REFERENCES ecosystems (id),
  enterprise_id INTEGER REFERENCES enterprises (id),
  rule_id INTEGER REFERENCES monitor_rules (id),
  indicator TEXT NOT NULL,
  severity TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('firing', 'acknowledged', 'resolved')),
  owner_tenant_id INTEGER NOT NULL REFERENCES tenants (id),
  fired_t INTEGER NOT NULL,
  fired_value_bits INTEGER NOT NULL,
  resolved_t INTEGER,
  acknowledged_by INTEGER REFERENCES users (id),
  acknowledged_at INTEGER,
  silenced_until INTEGER,
  created_at INTEGER NOT NULL,
  entry_index INTEGER NOT NULL,
  CHECK ((subject = 'project') = (project_id IS NOT NULL AND rule_id IS NOT NULL)),
  CHECK (subject = 'project' OR ecosystem_id IS NOT NULL),
  CHECK ((subject = 'enterprise') = (enterprise_id IS NOT NULL))
);
INSERT INTO monitor_alerts_new (id, fingerprint, subject, project_id, rule_id, indicator, severity,
  status, owner_tenant_id, fired_t, fired_value_bits, resolved_t, acknowledged_by,
  acknowledged_at, silenced_until, created_at, entry_index)
SELECT id, fingerprint, 'project', project_id, rule_id, indicator, severity, status,
  owner_tenant_id, fired_t, fired_value_bits, resolved_t, acknowledged_by, acknowledged_at,
  silenced_until, created_at, entry_index FROM monitor_alerts;
DROP TABLE monitor_alerts;
ALTER TABLE monitor_alerts_new RENAME TO monitor_alerts;
CREATE UNIQUE INDEX monitor_alerts_open ON monitor_alerts (fingerprint) WHERE status <> 'resolved';
CREATE INDEX monitor_alerts_project ON monitor_alerts (project_id, id);
CREATE INDEX monitor_alerts_ecosystem ON monitor_alerts (ecosystem_id, id);
CREATE INDEX monitor_alerts_owner ON monitor_alerts (owner_tenant_id, id);
)sql";

// Credit scoring (docs/credit-scoring.md): a bank's model versions with their training snapshot,
// scorecard, challenger and validation report, decided by the bank's risk role before they score
// anyone; the runs that score the platform's enterprises as of a day, with the population
// stability of each run against training; and the scores with their reasons. monitor_alerts is
// rebuilt once more for a fourth subject, a model whose population has shifted.
constexpr std::string_view kScoring = R"sql(
CREATE TABLE scoring_models (
  id INTEGER PRIMARY KEY,
  bank_tenant_id INTEGER NOT NULL REFERENCES tenants (id),
  name TEXT NOT NULL,
  version INTEGER NOT NULL CHECK (version >= 1),
  status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'retired')),
  snapshot_date TEXT NOT NULL,
  oot_date TEXT NOT NULL,
  horizon_days INTEGER NOT NULL,
  cutoff INTEGER NOT NULL,
  options TEXT NOT NULL,
  card TEXT NOT NULL,
  challenger TEXT NOT NULL,
  snapshot TEXT NOT NULL,
  report TEXT NOT NULL,
  trained_by INTEGER NOT NULL REFERENCES users (id),
  trained_at INTEGER NOT NULL,
  decided_by INTEGER REFERENCES users (id),
  decided_at INTEGER,
  decision_note TEXT,
  UNIQUE (bank_tenant_id, name, version)
);
CREATE TABLE scoring_runs (
  id INTEGER PRIMARY KEY,
  model_id INTEGER NOT NULL REFERENCES scoring_models (id),
  as_of TEXT NOT NULL,
  scored INTEGER NOT NULL,
  monitored INTEGER NOT NULL,
  psi_ppm INTEGER,
  stability TEXT NOT NULL CHECK (stability IN ('stable', 'watch', 'shifted', 'none')),
  summary TEXT NOT NULL,
  run_by INTEGER NOT NULL REFERENCES users (id),
  created_at INTEGER NOT NULL,
  UNIQUE (model_id, as_of)
);
CREATE TABLE credit_scores (
  run_id INTEGER NOT NULL REFERENCES scoring_runs (id),
  enterprise_id INTEGER NOT NULL REFERENCES enterprises (id),
  score INTEGER NOT NULL,
  pd_ppm INTEGER NOT NULL CHECK (pd_ppm BETWEEN 0 AND 1000000),
  reasons TEXT NOT NULL,
  PRIMARY KEY (run_id, enterprise_id)
) WITHOUT ROWID;
CREATE INDEX credit_scores_enterprise ON credit_scores (enterprise_id, run_id);
CREATE TABLE monitor_alerts_new (
  id INTEGER PRIMARY KEY,
  fingerprint TEXT NOT NULL,
  subject TEXT NOT NULL CHECK (subject IN ('project', 'enterprise', 'ecosystem', 'model')),
  project_id INTEGER REFERENCES monitor_projects (id),
  ecosystem_id INTEGER REFERENCES ecosystems (id),
  enterprise_id INTEGER REFERENCES enterprises (id),
  model_id INTEGER REFERENCES scoring_models (id),
  rule_id INTEGER REFERENCES monitor_rules (id),
  indicator TEXT NOT NULL,
  severity TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('firing', 'acknowledged', 'resolved')),
  owner_tenant_id INTEGER NOT NULL REFERENCES tenants (id),
  fired_t INTEGER NOT NULL,
  fired_value_bits INTEGER NOT NULL,
  resolved_t INTEGER,
  acknowledged_by INTEGER REFERENCES users (id),
  acknowledged_at INTEGER,
  silenced_until INTEGER,
  created_at INTEGER NOT NULL,
  entry_index INTEGER NOT NULL,
  CHECK ((subject = 'project') = (project_id IS NOT NULL AND rule_id IS NOT NULL)),
  CHECK (subject IN ('project', 'model') OR ecosystem_id IS NOT NULL),
  CHECK ((subject = 'enterprise') = (enterprise_id IS NOT NULL)),
  CHECK ((subject = 'model') = (model_id IS NOT NULL))
);
INSERT INTO monitor_alerts_new (id, fingerprint, subject, project_id, ecosystem_id, enterprise_id,
  rule_id, indicator, severity, status, owner_tenant_id, fired_t, fired_value_bits, resolved_t,
  acknowledged_by, acknowledged_at, silenced_until, created_at, entry_index)
SELECT id, fingerprint, subject, project_id, ecosystem_id, enterprise_id, rule_id, indicator,
  severity, status, owner_tenant_id, fired_t, fired_value_bits, resolved_t, acknowledged_by,
  acknowledged_at, silenced_until, created_at, entry_index FROM monitor_alerts;
DROP TABLE monitor_alerts;
ALTER TABLE monitor_alerts_new RENAME TO monitor_alerts;
CREATE UNIQUE INDEX monitor_alerts_open ON monitor_alerts (fingerprint) WHERE status <> 'resolved';
CREATE INDEX monitor_alerts_project ON monitor_alerts (project_id, id);
CREATE INDEX monitor_alerts_ecosystem ON monitor_alerts (ecosystem_id, id);
CREATE INDEX monitor_alerts_owner ON monitor_alerts (owner_tenant_id, id);
)sql";

// Migration 19: what the bureau's shared data says of a farm or a herd, the collateral a herder
// does not have (seed 001 §三(二)): livestock in standard sheep units, contracted grassland and
// cropland in mu, the sum insured under policy agricultural insurance, cooperative membership.
constexpr std::string_view kAgriProfiles = R"sql(
CREATE TABLE agri_profiles (
  enterprise_id INTEGER PRIMARY KEY REFERENCES enterprises (id),
  herd_sheep_units INTEGER NOT NULL CHECK (herd_sheep_units >= 0),
  grassland_contract_mu INTEGER NOT NULL CHECK (grassland_contract_mu >= 0),
  cropland_contract_mu INTEGER NOT NULL CHECK (cropland_contract_mu >= 0),
  insured_amount_fen INTEGER NOT NULL CHECK (insured_amount_fen >= 0),
  cooperative_member INTEGER NOT NULL CHECK (cooperative_member IN (0, 1)),
  updated_at INTEGER NOT NULL
);
)sql";

// Migration 20: federated trainings (service/scoring/federated_trainings.hpp): a bank's joint
// model with data holders outside the platform, as a job (queued, running, done, failed) with its
// progress, its request (the session of parties, the features, the snapshot), the bank's part of
// the model, and its governance (pending, approved, rejected, retired; four eyes).
constexpr std::string_view kFederatedTrainings = R"sql(
CREATE TABLE federated_trainings (
  id INTEGER PRIMARY KEY,
  bank_tenant_id INTEGER NOT NULL REFERENCES tenants (id),
  name TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
  request TEXT NOT NULL,
  progress TEXT NOT NULL,
  result TEXT,
  error TEXT,
  model_status TEXT NOT NULL CHECK (model_status IN ('none', 'pending', 'approved', 'rejected',
                                                      'retired')),
  requested_by INTEGER NOT NULL REFERENCES users (id),
  created_at INTEGER NOT NULL,
  started_at INTEGER,
  finished_at INTEGER,
  decided_by INTEGER REFERENCES users (id),
  decided_at INTEGER,
  decision_note TEXT
);
CREATE INDEX federated_trainings_bank ON federated_trainings (bank_tenant_id, id);
)sql";

// Migration 21: horizontal trainings (a bank pooling its borrowers with banks outside the
// platform, `kind`), and scorings with an approved joint model
// (service/scoring/federated_trainings.hpp): a job like a training, its session's name unique
// for the bank (a fresh session each run), its scores kept as its result.
constexpr std::string_view kFederatedScorings = R"sql(
ALTER TABLE federated_trainings ADD COLUMN kind TEXT NOT NULL DEFAULT 'vertical'
  CHECK (kind IN ('vertical', 'horizontal'));
CREATE TABLE federated_scorings (
  id INTEGER PRIMARY KEY,
  training_id INTEGER NOT NULL REFERENCES federated_trainings (id),
  bank_tenant_id INTEGER NOT NULL REFERENCES tenants (id),
  session_name TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
  request TEXT NOT NULL,
  progress TEXT NOT NULL,
  result TEXT,
  error TEXT,
  requested_by INTEGER NOT NULL REFERENCES users (id),
  created_at INTEGER NOT NULL,
  started_at INTEGER,
  finished_at INTEGER,
  UNIQUE (bank_tenant_id, session_name)
);
CREATE INDEX federated_scorings_training ON federated_scorings (training_id, id);
CREATE INDEX federated_scorings_status ON federated_scorings (status, id);
)sql";

// Pension finance (issue 23, docs/pension.md). The tenants and users are rebuilt for two new kinds
// of organisation: the regions' social-insurance agencies (insurer, with insurance officers) and
// pension trust managers (trustee, with trust officers).
//  - Cross-region settlement: each insurer's reimbursement policy, in versions; claims recorded
//    where the care is given, for members insured elsewhere; a period settled once, its
//    reimbursements written back to its claims and each insurer's net position kept.
//  - Migratory-bird trusts: a trustee's trusts, their members, and every movement of their assets
//    (contributions, benefits, seasonal services, returns) with the assets after it.
//  - The compensation fund: its rules in versions, and every event with the state it left.
//  - Eco-index insurance: observations per county and year, insurers' policies, and each policy's
//    assessment for a year.
constexpr std::string_view kPension = R"sql(
CREATE TABLE tenants_new (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('bureau', 'bank', 'guarantor', 'enterprise', 'insurer',
                                     'trustee')),
  name TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
INSERT INTO tenants_new (id, kind, name, created_at) SELECT id, kind, name, created_at FROM tenants;
DROP TABLE tenants;
ALTER TABLE tenants_new RENAME TO tenants;
CREATE TABLE users_new (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants (id),
  role TEXT NOT NULL CHECK (role IN ('bureau_admin', 'bank_officer', 'guarantee_officer',
                                     'enterprise_user', 'risk_analyst', 'auditor',
                                     'insurance_officer', 'trust_officer')),
  name TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
INSERT INTO users_new (id, tenant_id, role, name, created_at)
  SELECT id, tenant_id, role, name, created_at FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;
CREATE INDEX users_tenant ON users (tenant_id);

CREATE TABLE pension_policies (
  id INTEGER PRIMARY KEY,
  insurer_tenant_id INTEGER NOT NULL REFERENCES tenants (id),
  deductible_fen INTEGER NOT NULL CHECK (deductible_fen >= 0),
  reimbursement_bps INTEGER NOT NULL CHECK (reimbursement_bps BETWEEN 0 AND 10000),
  cap_fen INTEGER NOT NULL CHECK (cap_fen >= 0),
  set_by INTEGER NOT NULL REFERENCES users (id),
  created_at INTEGER NOT NULL
);
CREATE INDEX pension_policies_insurer ON pension_policies (insurer_tenant_id, id);
CREATE TABLE pension_settlements (
  id INTEGER PRIMARY KEY,
  period TEXT NOT NULL UNIQUE,
  claims INTEGER NOT NULL,
  eligible_fen INTEGER NOT NULL,
  reimbursed_fen INTEGER NOT NULL,
  result TEXT NOT NULL,
  settled_by INTEGER NOT NULL REFERENCES users (id),
  created_at INTEGER NOT NULL
);
CREATE TABLE pension_settlement_positions (
  settlement_id INTEGER NOT NULL REFERENCES pension_settlements (id),
  tenant_id INTEGER NOT NULL REFERENCES tenants (id),
  position_fen INTEGER NOT NULL,
  PRIMARY KEY (settlement_id, tenant_id)
);
CREATE TABLE care_claims (
  id INTEGER PRIMARY KEY,
  period TEXT NOT NULL,
  care_tenant_id INTEGER NOT NULL REFERENCES tenants (id),
  insuring_tenant_id INTEGER NOT NULL REFERENCES tenants (id),
  member TEXT NOT NULL,
  care_date TEXT NOT NULL,
  provider TEXT NOT NULL,
  eligible_fen INTEGER NOT NULL CHECK (eligible_fen > 0),
  settlement_id INTEGER REFERENCES pension_settlements (id),
  member_bears_fen INTEGER,
  reimbursed_fen INTEGER,
  recorded_by INTEGER NOT NULL REFERENCES users (id),
  created_at INTEGER NOT NULL
);
CREATE INDEX care_claims_period ON care_claims (period, id);
CREATE INDEX care_claims_care ON care_claims (care_tenant_id, id);
CREATE INDEX care_claims_insuring ON care_claims (insuring_tenant_id, id);

CREATE TABLE pension_trusts (
  id INTEGER PRIMARY KEY,
  trustee_tenant_id INTEGER NOT NULL REFERENCES tenants (id),
  name TEXT NOT NULL,
  interest_bps INTEGER NOT NULL CHECK (interest_bps BETWEEN -500 AND 2000),
  assets_fen INTEGER NOT NULL CHECK (assets_fen >= 0),
  created_by INTEGER NOT NULL REFERENCES users (id),
  created_at INTEGER NOT NULL,
  UNIQUE (trustee_tenant_id, name)
);
CREATE TABLE trust_members (
  id INTEGER PRIMARY KEY,
  trust_id INTEGER NOT NULL REFERENCES pension_trusts (id),
  member TEXT NOT NULL,
  birth_year INTEGER NOT NULL,
  retirement_age INTEGER NOT NULL,
  contribution_fen INTEGER NOT NULL CHECK (contribution_fen >= 0),
  benefit_fen INTEGER NOT NULL CHECK (benefit_fen >= 0),
  grassland_service_fen INTEGER NOT NULL CHECK (grassland_service_fen >= 0),
  beijing_service_fen INTEGER NOT NULL CHECK (beijing_service_fen >= 0),
  status TEXT NOT NULL CHECK (status IN ('active', 'deceased')),
  created_at INTEGER NOT NULL,
  UNIQUE (trust_id, member)
);
CREATE TABLE trust_movements (
  id INTEGER PRIMARY KEY,
  trust_id INTEGER NOT NULL REFERENCES pension_trusts (id),
  member_id INTEGER REFERENCES trust_members (id),
  kind TEXT NOT NULL CHECK (kind IN ('contribution', 'benefit', 'grassland_service',
                                     'beijing_service', 'investment_return', 'death')),
  amount_fen INTEGER NOT NULL,
  movement_date TEXT NOT NULL,
  assets_after_fen INTEGER NOT NULL CHECK (assets_after_fen >= 0),
  recorded_by INTEGER NOT NULL REFERENCES users (id),
  created_at INTEGER NOT NULL
);
CREATE INDEX trust_movements_trust ON trust_movements (trust_id, id);
CREATE TRIGGER trust_movements_append_only_u BEFORE UPDATE ON trust_movements
BEGIN SELECT RAISE(ABORT, 'trust movements are append-only'); END;
CREATE TRIGGER trust_movements_append_only_d BEFORE DELETE ON trust_movements
BEGIN SELECT RAISE(ABORT, 'trust movements are append-only'); END;

CREATE TABLE pension_fund_rules (
  id INTEGER PRIMARY KEY,
  beijing_share_bps INTEGER NOT NULL CHECK (beijing_share_bps BETWEEN 0 AND 10000),
  floor_fen INTEGER NOT NULL CHECK (floor_fen >= 0),
  layers TEXT NOT NULL,
  set_by INTEGER NOT NULL REFERENCES users (id),
  created_at INTEGER NOT NULL
);
CREATE TABLE pension_fund_events (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('contribution', 'blizzard', 'sandstorm', 'top_up')),
  event_date TEXT NOT NULL,
  area TEXT NOT NULL,
  amount_fen INTEGER NOT NULL,
  affected_members INTEGER NOT NULL,
  loss_per_member_fen INTEGER NOT NULL,
  rules_id INTEGER NOT NULL REFERENCES pension_fund_rules (id),
  beijing_fen INTEGER NOT NULL,
  inner_mongolia_fen INTEGER NOT NULL,
  gross_claim_fen INTEGER NOT NULL,
  recovered_fen INTEGER NOT NULL,
  paid_fen INTEGER NOT NULL,
  deferred_fen INTEGER NOT NULL,
  balance_fen INTEGER NOT NULL CHECK (balance_fen >= 0),
  owed_fen INTEGER NOT NULL CHECK (owed_fen >= 0),
  note TEXT NOT NULL,
  recorded_by INTEGER NOT NULL REFERENCES users (id),
  created_at INTEGER NOT NULL
);
CREATE TRIGGER pension_fund_events_append_only_u BEFORE UPDATE ON pension_fund_events
BEGIN SELECT RAISE(ABORT, 'fund events are append-only'); END;
CREATE TRIGGER pension_fund_events_append_only_d BEFORE DELETE ON pension_fund_events
BEGIN SELECT RAISE(ABORT, 'fund events are append-only'); END;

CREATE TABLE eco_observations (
  id INTEGER PRIMARY KEY,
  county TEXT NOT NULL,
  year INTEGER NOT NULL,
  days_observed INTEGER NOT NULL,
  good_air_days INTEGER NOT NULL,
  ndvi_e4 INTEGER NOT NULL,
  baseline_ndvi_e4 INTEGER NOT NULL,
  source TEXT NOT NULL,
  recorded_by INTEGER NOT NULL REFERENCES users (id),
  created_at INTEGER NOT NULL,
  UNIQUE (county, year)
);
CREATE TABLE eco_policies (
  id INTEGER PRIMARY KEY,
  insurer_tenant_id INTEGER NOT NULL REFERENCES tenants (id),
  member TEXT NOT NULL,
  county TEXT NOT NULL,
  premium_fen INTEGER NOT NULL CHECK (premium_fen >= 0),
  benefit_fen INTEGER NOT NULL CHECK (benefit_fen >= 0),
  sum_insured_fen INTEGER NOT NULL CHECK (sum_insured_fen >= 0),
  created_at INTEGER NOT NULL,
  UNIQUE (insurer_tenant_id, member)
);
CREATE INDEX eco_policies_county ON eco_policies (insurer_tenant_id, county, id);
CREATE TABLE eco_assessments (
  id INTEGER PRIMARY KEY,
  policy_id INTEGER NOT NULL REFERENCES eco_policies (id),
  year INTEGER NOT NULL,
  observation_id INTEGER NOT NULL REFERENCES eco_observations (id),
  rules TEXT NOT NULL,
  air_bps INTEGER NOT NULL,
  vegetation_bps INTEGER NOT NULL,
  index_bps INTEGER NOT NULL,
  discounted INTEGER NOT NULL,
  uplifted INTEGER NOT NULL,
  premium_fen INTEGER NOT NULL,
  benefit_fen INTEGER NOT NULL,
  payout_fen INTEGER NOT NULL,
  explanation_zh TEXT NOT NULL,
  explanation_en TEXT NOT NULL,
  assessed_by INTEGER NOT NULL REFERENCES users (id),
  created_at INTEGER NOT NULL,
  UNIQUE (policy_id, year)
);
)sql";

constexpr std::array<Migration, 22> kMigrations = {{
    {1, "marketplace", kMarketplace, MarketplaceRows},
    {2, "guarantee_requests", kGuaranteeRequests},
    {3, "registry", kRegistry},
    {4, "evaluation", kEvaluation},
    {5, "risk_analyses", kRiskAnalyses},
    {6, "ecosystems", kEcosystems},
    {7, "green", kGreen},
    {8, "financed_emissions", kFinancedEmissions},
    {9, "risk_analyses_in_flight", kRiskAnalysesInFlight},
    {10, "zero_share_draws", kZeroShareDraws},
    {11, "enterprises_by_region", kEnterprisesByRegion},
    {12, "supply", kSupply},
    {13, "secured_loans", kSecuredLoans},
    {14, "rnd_funds", kRndFunds},
    {15, "orders_by_creditor", kOrdersByCreditor},
    {16, "monitor", kMonitor, MonitorRows},
    {17, "health", kHealth, nullptr, true},
    {18, "scoring", kScoring, nullptr, true},
    {19, "agri_profiles", kAgriProfiles},
    {20, "federated_trainings", kFederatedTrainings},
    {21, "federated_scorings", kFederatedScorings},
    {22, "pension", kPension, nullptr, true},
}};

}  // namespace

int LatestSchemaVersion() { return kMigrations.back().version; }

Status Migrate(Connection& conn, int up_to) {
  CORRIDOR_TRY_STATUS(conn.Exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT "
      "NULL)"));
  for (const Migration& m : kMigrations) {
    if (m.version > up_to) break;
    if (m.rebuilds_referenced_table) CORRIDOR_TRY_STATUS(conn.Exec("PRAGMA foreign_keys=OFF"));
    auto run_one = [&]() -> Status {
      CORRIDOR_TRY_STATUS(conn.Exec("BEGIN IMMEDIATE"));
      auto applied = [&]() -> Result<bool> {
        auto q = CORRIDOR_TRY(
            Query::Make(conn, "SELECT 1 FROM schema_migrations WHERE version = ?", m.version));
        return q.Next();
      }();
      if (!applied) {
        (void)conn.Exec("ROLLBACK");
        return Fail(std::move(applied.error()));
      }
      if (!*applied) {
        auto run = conn.Exec(m.sql);
        if (run && m.rows != nullptr) run = m.rows(conn);
        if (run && m.rebuilds_referenced_table) {
          run = [&]() -> Status {
            auto check = CORRIDOR_TRY(Query::Make(conn, "PRAGMA foreign_key_check"));
            if (CORRIDOR_TRY(check.Next())) {
              return Fail(Error::Internal(
                  fmt::format("a reference from {} is broken by the rebuild", check.Text(0))));
            }
            return {};
          }();
        }
        if (run) {
          run = Execute(conn, "INSERT INTO schema_migrations (version, name) VALUES (?, ?)",
                        m.version, m.name)
                    .map([](int64_t) {});
        }
        if (!run) {
          (void)conn.Exec("ROLLBACK");
          Error e = run.error();
          e.message = fmt::format("migration {} ({}): {}", m.version, m.name, e.message);
          return Fail(std::move(e));
        }
      }
      return conn.Exec("COMMIT");
    };
    Status status = run_one();
    if (m.rebuilds_referenced_table) {
      Status on = conn.Exec("PRAGMA foreign_keys=ON");
      if (status && !on) status = std::move(on);
    }
    CORRIDOR_TRY_STATUS(status);
  }
  return {};
}

}  // namespace corridor::store
