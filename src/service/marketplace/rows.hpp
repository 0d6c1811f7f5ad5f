#pragma once
// The marketplace's rows, written in one place: the use cases (Marketplace) and the demo's
// history (demo/) both insert through these, so a column added to a table is added once; and an
// enterprise as every list shows it, which other contexts read too. Each insert runs inside the
// caller's write transaction.
#include <cstdint>
#include <optional>
#include <string_view>

#include "service/kernel/kernel.hpp"

namespace corridor::service {

// The columns EnterpriseRow() reads, of `enterprises e`.
inline constexpr std::string_view kEnterpriseColumns =
    "e.id, e.uscc, e.name, e.region, e.industry, e.status, e.green_label, e.registered_at, "
    "e.verified_at";
Json EnterpriseRow(const store::Query& q);

namespace marketplace {

// A member of the platform (bureau, bank, guarantor or enterprise); returns its id.
Result<int64_t> InsertTenant(store::Connection& c, std::string_view kind, std::string_view name,
                             int64_t created_at);

struct NewEnterprise {
  int64_t tenant_id = 0;
  std::string_view uscc;
  std::string_view name;
  std::string_view region;
  std::string_view industry;
  std::string_view green_label = "none";
  int64_t registered_at = 0;
  std::optional<int64_t> verified_at = std::nullopt;  // set: the enterprise is verified (实名认证)
};
Result<int64_t> InsertEnterprise(store::Connection& c, const NewEnterprise& e);

struct CreditProfile {
  int64_t enterprise_id = 0;
  int64_t tax_paid_12m_fen = 0;
  int64_t social_insurance_headcount = 0;
  int64_t utilities_paid_12m_fen = 0;
  std::string_view credit_record;  // clean | minor_late | defaulted
  std::string_view scale;          // micro | small | medium | large
  int64_t annual_revenue_fen = 0;
  int64_t updated_at = 0;
};
// The enterprise's shared-data profile, replacing the one it had.
Status PutCreditProfile(store::Connection& c, const CreditProfile& p);

// What the shared data says of a farm or a herd (migration 19), replacing what it said before.
struct AgriProfile {
  int64_t enterprise_id = 0;
  int64_t herd_sheep_units = 0;       // livestock in standard sheep units (羊单位)
  int64_t grassland_contract_mu = 0;  // contracted grassland (草原承包面积), mu
  int64_t cropland_contract_mu = 0;   // contracted cropland (耕地承包面积), mu
  int64_t insured_amount_fen = 0;     // sum insured under policy agricultural insurance in force
  bool cooperative_member = false;    // member of a farmers' or herders' cooperative
  int64_t updated_at = 0;
};
Status PutAgriProfile(store::Connection& c, const AgriProfile& p);

struct NewProduct {
  int64_t bank_tenant_id = 0;
  std::string_view name;
  int64_t min_amount_fen = 0, max_amount_fen = 0;
  int64_t min_term_months = 0, max_term_months = 0;
  std::string_view regions_json = "[]";     // JSON array of division keys; empty: all
  std::string_view industries_json = "[]";  // JSON array of industry keys; empty: all
  bool collateral_free = false, green_only = false;
  int64_t rate_bps = 0, green_discount_bps = 0;
  std::optional<int64_t> whitelist_id = std::nullopt;
  int64_t created_at = 0;
};
Result<int64_t> InsertProduct(store::Connection& c, const NewProduct& p);

struct NewProject {
  std::string_view name;
  std::string_view region;
  std::string_view industry;
  int64_t amount_fen = 0;
  std::string_view green_label = "none";
  std::string_view description;
  int64_t created_at = 0;
};
Result<int64_t> InsertProject(store::Connection& c, const NewProject& p);

struct NewNeed {
  int64_t enterprise_id = 0;
  int64_t amount_fen = 0;
  int64_t term_months = 0;
  std::string_view purpose;
  bool collateral_free_required = false;
  std::optional<int64_t> max_rate_bps = std::nullopt;
  std::string_view status = "open";  // open | funded | ...
  int64_t created_at = 0;
};
Result<int64_t> InsertNeed(store::Connection& c, const NewNeed& n);

struct NewOffer {
  int64_t need_id = 0;
  int64_t bank_tenant_id = 0;
  std::optional<int64_t> product_id = std::nullopt;
  int64_t amount_fen = 0;
  int64_t annual_rate_bps = 0;
  int64_t term_months = 0;
  std::string_view method;             // equal_installment | equal_principal | bullet
  std::string_view kind = "standard";  // standard | entrepreneurship
  std::string_view status = "offered";
  int64_t created_at = 0;
  std::optional<int64_t> decided_at = std::nullopt;  // set once the enterprise decided
};
Result<int64_t> InsertOffer(store::Connection& c, const NewOffer& o);

}  // namespace marketplace
}  // namespace corridor::service
