#include "service/marketplace/rows.hpp"

namespace corridor::service {

using store::Execute;
using store::InsertReturningId;
using store::Query;

Json EnterpriseRow(const Query& q) {
  return Json{{"id", q.Int(0)},
              {"uscc", q.Text(1)},
              {"name", q.Text(2)},
              {"region", q.Text(3)},
              {"industry", q.Text(4)},
              {"status", q.Text(5)},
              {"green_label", q.Text(6)},
              {"registered_at_us", q.Int(7)},
              {"verified_at_us", q.IsNull(8) ? Json(nullptr) : Json(q.Int(8))}};
}

namespace marketplace {

Result<int64_t> InsertTenant(store::Connection& c, std::string_view kind, std::string_view name,
                             int64_t created_at) {
  return InsertReturningId(
      c, "INSERT INTO tenants (kind, name, created_at) VALUES (?, ?, ?) RETURNING id", kind, name,
      created_at);
}

Result<int64_t> InsertEnterprise(store::Connection& c, const NewEnterprise& e) {
  return InsertReturningId(
      c,
      "INSERT INTO enterprises (tenant_id, uscc, name, region, industry, status, green_label, "
      "registered_at, verified_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      e.tenant_id, e.uscc, e.name, e.region, e.industry, e.verified_at ? "verified" : "registered",
      e.green_label, e.registered_at, e.verified_at);
}

Status PutCreditProfile(store::Connection& c, const CreditProfile& p) {
  CORRIDOR_TRY(Execute(
      c,
      "INSERT INTO credit_profiles (enterprise_id, tax_paid_12m_fen, social_insurance_headcount, "
      "utilities_paid_12m_fen, credit_record, scale, annual_revenue_fen, updated_at) VALUES "
      "(?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (enterprise_id) DO UPDATE SET "
      "tax_paid_12m_fen = excluded.tax_paid_12m_fen, "
      "social_insurance_headcount = excluded.social_insurance_headcount, "
      "utilities_paid_12m_fen = excluded.utilities_paid_12m_fen, "
      "credit_record = excluded.credit_record, scale = excluded.scale, "
      "annual_revenue_fen = excluded.annual_revenue_fen, updated_at = excluded.updated_at",
      p.enterprise_id, p.tax_paid_12m_fen, p.social_insurance_headcount, p.utilities_paid_12m_fen,
      p.credit_record, p.scale, p.annual_revenue_fen, p.updated_at));
  return {};
}

Status PutAgriProfile(store::Connection& c, const AgriProfile& p) {
  CORRIDOR_TRY(
      Execute(c,
              "INSERT INTO agri_profiles (enterprise_id, herd_sheep_units, grassland_contract_mu, "
              "cropland_contract_mu, insured_amount_fen, cooperative_member, updated_at) VALUES "
              "(?, ?, ?, ?, ?, ?, ?) ON CONFLICT (enterprise_id) DO UPDATE SET "
              "herd_sheep_units = excluded.herd_sheep_units, "
              "grassland_contract_mu = excluded.grassland_contract_mu, "
              "cropland_contract_mu = excluded.cropland_contract_mu, "
              "insured_amount_fen = excluded.insured_amount_fen, "
              "cooperative_member = excluded.cooperative_member, updated_at = excluded.updated_at",
              p.enterprise_id, p.herd_sheep_units, p.grassland_contract_mu, p.cropland_contract_mu,
              p.insured_amount_fen, p.cooperative_member ? 1 : 0, p.updated_at));
  return {};
}

Result<int64_t> InsertProduct(store::Connection& c, const NewProduct& p) {
  return InsertReturningId(
      c,
      "INSERT INTO products (bank_tenant_id, name, min_amount_fen, max_amount_fen, "
      "min_term_months, max_term_months, regions, industries, collateral_free, green_only, "
      "rate_bps, green_discount_bps, whitelist_id, created_at) VALUES "
      "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      p.bank_tenant_id, p.name, p.min_amount_fen, p.max_amount_fen, p.min_term_months,
      p.max_term_months, p.regions_json, p.industries_json, p.collateral_free, p.green_only,
      p.rate_bps, p.green_discount_bps, p.whitelist_id, p.created_at);
}

Result<int64_t> InsertProject(store::Connection& c, const NewProject& p) {
  return InsertReturningId(
      c,
      "INSERT INTO projects (name, region, industry, amount_fen, green_label, description, "
      "created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
      p.name, p.region, p.industry, p.amount_fen, p.green_label, p.description, p.created_at);
}

Result<int64_t> InsertNeed(store::Connection& c, const NewNeed& n) {
  return InsertReturningId(c,
                           "INSERT INTO needs (enterprise_id, amount_fen, term_months, purpose, "
                           "collateral_free_required, max_rate_bps, status, created_at) VALUES "
                           "(?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                           n.enterprise_id, n.amount_fen, n.term_months, n.purpose,
                           n.collateral_free_required, n.max_rate_bps, n.status, n.created_at);
}

Result<int64_t> InsertOffer(store::Connection& c, const NewOffer& o) {
  return InsertReturningId(
      c,
      "INSERT INTO offers (need_id, bank_tenant_id, product_id, amount_fen, annual_rate_bps, "
      "term_months, method, kind, status, created_at, decided_at) VALUES "
      "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      o.need_id, o.bank_tenant_id, o.product_id, o.amount_fen, o.annual_rate_bps, o.term_months,
      o.method, o.kind, o.status, o.created_at, o.decided_at);
}

}  // namespace marketplace
}  // namespace corridor::service
