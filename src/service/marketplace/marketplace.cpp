#include "service/marketplace/marketplace.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "core/int128.hpp"
#include "domain/matching.hpp"
#include "domain/schedule.hpp"
#include "domain/types.hpp"
#include "domain/uscc.hpp"
#include "service/green/green_finance.hpp"
#include "service/kernel/kernel.hpp"
#include "service/kernel/log.hpp"
#include "service/marketplace/rows.hpp"

namespace corridor::service {

using internal::PageOf;
using internal::QueryInt;
using store::Connection;
using store::Execute;
using store::Query;

namespace {

constexpr std::string_view kProductColumns =
    "p.id, p.bank_tenant_id, t.name, p.name, p.min_amount_fen, p.max_amount_fen, "
    "p.min_term_months, p.max_term_months, p.regions, p.industries, p.collateral_free, "
    "p.green_only, p.rate_bps, p.green_discount_bps, p.whitelist_id";

std::vector<std::string> ParseList(const std::string& text) {
  if (text.empty()) return {};
  const Json j = Json::parse(text, nullptr, false);
  std::vector<std::string> out;
  if (j.is_array()) {
    for (const auto& s : j) {
      if (s.is_string()) out.push_back(s.get<std::string>());
    }
  }
  return out;
}

struct ProductRow {
  domain::Product product;
  std::optional<int64_t> whitelist_id;
};

ProductRow ReadProduct(const Query& q) {
  ProductRow row;
  domain::Product& p = row.product;
  p.id = q.Int(0);
  p.bank_tenant_id = q.Int(1);
  p.bank_name = q.Text(2);
  p.name = q.Text(3);
  p.criteria.min_amount = Money::FromFen(q.Int(4));
  p.criteria.max_amount = Money::FromFen(q.Int(5));
  p.criteria.min_term_months = static_cast<int32_t>(q.Int(6));
  p.criteria.max_term_months = static_cast<int32_t>(q.Int(7));
  p.criteria.regions = ParseList(q.Text(8));
  p.criteria.industries = ParseList(q.Text(9));
  p.criteria.collateral_free = q.Int(10) != 0;
  p.criteria.green_only = q.Int(11) != 0;
  p.criteria.rate_bps = q.Int(12);
  p.criteria.green_discount_bps = q.Int(13);
  row.whitelist_id = q.OptInt(14);
  return row;
}

Json ProductJson(const ProductRow& row) {
  const domain::Product& p = row.product;
  return Json{{"id", p.id},
              {"bank_tenant_id", p.bank_tenant_id},
              {"bank_name", p.bank_name},
              {"name", p.name},
              {"min_amount_fen", p.criteria.min_amount.fen()},
              {"max_amount_fen", p.criteria.max_amount.fen()},
              {"min_term_months", p.criteria.min_term_months},
              {"max_term_months", p.criteria.max_term_months},
              {"regions", p.criteria.regions},
              {"industries", p.criteria.industries},
              {"collateral_free", p.criteria.collateral_free},
              {"green_only", p.criteria.green_only},
              {"rate_bps", p.criteria.rate_bps},
              {"green_discount_bps", p.criteria.green_discount_bps},
              {"whitelist_id", row.whitelist_id ? Json(*row.whitelist_id) : Json(nullptr)}};
}

constexpr std::string_view kNeedColumns =
    "n.id, n.enterprise_id, n.amount_fen, n.term_months, n.purpose, n.collateral_free_required, "
    "n.max_rate_bps, n.status, n.created_at, e.name, e.region, e.industry, e.green_label";

Json NeedRow(const Query& q) {
  return Json{{"id", q.Int(0)},
              {"enterprise_id", q.Int(1)},
              {"amount_fen", q.Int(2)},
              {"term_months", q.Int(3)},
              {"purpose", q.Text(4)},
              {"collateral_free_required", q.Int(5) != 0},
              {"max_rate_bps", q.IsNull(6) ? Json(nullptr) : Json(q.Int(6))},
              {"status", q.Text(7)},
              {"created_at_us", q.Int(8)},
              {"enterprise",
               {{"name", q.Text(9)},
                {"region", q.Text(10)},
                {"industry", q.Text(11)},
                {"green_label", q.Text(12)}}}};
}

constexpr std::string_view kOfferColumns =
    "o.id, o.need_id, o.bank_tenant_id, o.product_id, o.amount_fen, o.annual_rate_bps, "
    "o.term_months, o.method, o.kind, o.status, o.created_at, o.decided_at, n.enterprise_id";

Json OfferRow(const Query& q) {
  return Json{{"id", q.Int(0)},
              {"need_id", q.Int(1)},
              {"bank_tenant_id", q.Int(2)},
              {"product_id", q.IsNull(3) ? Json(nullptr) : Json(q.Int(3))},
              {"amount_fen", q.Int(4)},
              {"annual_rate_bps", q.Int(5)},
              {"term_months", q.Int(6)},
              {"method", q.Text(7)},
              {"kind", q.Text(8)},
              {"status", q.Text(9)},
              {"created_at_us", q.Int(10)},
              {"decided_at_us", q.IsNull(11) ? Json(nullptr) : Json(q.Int(11))},
              {"enterprise_id", q.Int(12)}};
}

// Whether the caller may see a need: its enterprise, banks and guarantors (needs are posted to
// the market), and oversight roles.
bool CanSeeNeed(const Caller& caller, int64_t enterprise_id) {
  if (caller.in_enterprise()) return caller.enterprise_id == enterprise_id;
  return true;
}

Result<std::optional<Json>> LoadNeed(Connection& c, int64_t id) {
  auto q = CORRIDOR_TRY(
      Query::Make(c,
                  fmt::format("SELECT {} FROM needs n JOIN enterprises e ON e.id = n.enterprise_id "
                              "WHERE n.id = ?",
                              kNeedColumns),
                  id));
  if (!CORRIDOR_TRY(q.Next())) return std::optional<Json>();
  return std::optional<Json>(NeedRow(q));
}

Result<std::optional<Json>> LoadOffer(Connection& c, int64_t id) {
  auto q = CORRIDOR_TRY(Query::Make(
      c,
      fmt::format("SELECT {} FROM offers o JOIN needs n ON n.id = o.need_id WHERE o.id = ?",
                  kOfferColumns),
      id));
  if (!CORRIDOR_TRY(q.Next())) return std::optional<Json>();
  return std::optional<Json>(OfferRow(q));
}

bool CanSeeOffer(const Caller& caller, const Json& offer) {
  switch (caller.tenant_kind) {
    case TenantKind::kBank:
      return offer["bank_tenant_id"].get<int64_t>() == caller.tenant_id;
    case TenantKind::kEnterprise:
      return offer["enterprise_id"].get<int64_t>() == caller.enterprise_id;
    case TenantKind::kGuarantor:
    case TenantKind::kInsurer:
    case TenantKind::kTrustee:
      return false;
    case TenantKind::kBureau:
      return true;
  }
  return false;
}

Result<Json> EnterpriseById(Connection& c, int64_t id) {
  auto q = CORRIDOR_TRY(Query::Make(
      c, fmt::format("SELECT {} FROM enterprises e WHERE e.id = ?", kEnterpriseColumns), id));
  if (!CORRIDOR_TRY(q.Next())) return Fail(Error::NotFound("enterprise"));
  Json e = EnterpriseRow(q);
  auto p = CORRIDOR_TRY(
      Query::Make(c,
                  "SELECT tax_paid_12m_fen, social_insurance_headcount, utilities_paid_12m_fen, "
                  "credit_record, scale, annual_revenue_fen, updated_at FROM credit_profiles "
                  "WHERE enterprise_id = ?",
                  id));
  if (CORRIDOR_TRY(p.Next())) {
    e["credit_profile"] = Json{{"tax_paid_12m_fen", p.Int(0)},
                               {"social_insurance_headcount", p.Int(1)},
                               {"utilities_paid_12m_fen", p.Int(2)},
                               {"credit_record", p.Text(3)},
                               {"scale", p.Text(4)},
                               {"annual_revenue_fen", p.Int(5)},
                               {"updated_at_us", p.Int(6)}};
  } else {
    e["credit_profile"] = nullptr;
  }
  auto a = CORRIDOR_TRY(
      Query::Make(c,
                  "SELECT herd_sheep_units, grassland_contract_mu, cropland_contract_mu, "
                  "insured_amount_fen, cooperative_member, updated_at FROM agri_profiles WHERE "
                  "enterprise_id = ?",
                  id));
  if (CORRIDOR_TRY(a.Next())) {
    e["agri_profile"] =
        Json{{"herd_sheep_units", a.Int(0)},        {"grassland_contract_mu", a.Int(1)},
             {"cropland_contract_mu", a.Int(2)},    {"insured_amount_fen", a.Int(3)},
             {"cooperative_member", a.Int(4) != 0}, {"updated_at_us", a.Int(5)}};
  } else {
    e["agri_profile"] = nullptr;
  }
  return e;
}

constexpr int64_t kMaxAmountFen = domain::kMaxPrincipalFen;

}  // namespace

// ---------------------------------------------------------------------------------------------
// Tenants and users

Result<Response> Marketplace::CreateTenant(Connection& c, const Caller& caller, const Json& body) {
  CORRIDOR_TRY_STATUS(RequireRole(caller, {Role::kBureauAdmin}));
  Input in(body);
  const std::string kind_text = in.Str("kind", 20);
  const std::string name = in.Str("name");
  CORRIDOR_TRY_STATUS(in.Finish());
  const TenantKind kind = CORRIDOR_TRY(ParseTenantKind(kind_text));
  if (kind == TenantKind::kEnterprise) {
    return Fail(Error::Invalid("/kind", "enterprises register themselves at /api/v1/enterprises"));
  }
  const int64_t id =
      CORRIDOR_TRY(marketplace::InsertTenant(c, kind_text, name, clock_.NowMicros()));
  return Response{Json{{"id", id}, {"kind", kind_text}, {"name", name}}};
}

Result<Response> Marketplace::CreateUser(Connection& c, const Caller& caller, int64_t tenant_id,
                                         const Json& body) {
  CORRIDOR_TRY_STATUS(RequireRole(caller, {Role::kBureauAdmin}));
  Input in(body);
  const std::string role_text = in.Str("role", 40);
  const std::string name = in.Str("name");
  CORRIDOR_TRY_STATUS(in.Finish());
  const Role role = CORRIDOR_TRY(ParseRole(role_text));
  auto q = CORRIDOR_TRY(Query::Make(c, "SELECT kind FROM tenants WHERE id = ?", tenant_id));
  if (!CORRIDOR_TRY(q.Next())) return Fail(Error::NotFound("tenant"));
  const TenantKind kind = CORRIDOR_TRY(ParseTenantKind(q.Text(0)));
  const bool fits =
      (kind == TenantKind::kBank && (role == Role::kBankOfficer || role == Role::kRiskAnalyst)) ||
      (kind == TenantKind::kGuarantor && role == Role::kGuaranteeOfficer) ||
      (kind == TenantKind::kBureau &&
       (role == Role::kBureauAdmin || role == Role::kRiskAnalyst || role == Role::kAuditor)) ||
      (kind == TenantKind::kEnterprise && role == Role::kEnterpriseUser) ||
      (kind == TenantKind::kInsurer && role == Role::kInsuranceOfficer) ||
      (kind == TenantKind::kTrustee && role == Role::kTrustOfficer);
  if (!fits) {
    return Fail(Error::Invalid(
        "/role", fmt::format("a {} tenant cannot have a {} user", ToString(kind), role_text)));
  }
  const std::string token = CORRIDOR_TRY(CreateUserWithToken(c, clock_, tenant_id, role, name));
  return Response{Json{{"tenant_id", tenant_id},
                       {"role", role_text},
                       {"name", name},
                       {"token", token},
                       {"token_note", "shown once; store it now"}}};
}

// ---------------------------------------------------------------------------------------------
// Enterprises

Result<Response> Marketplace::RegisterEnterprise(Connection& c, const Json& body) {
  Input in(body);
  const std::string uscc = in.Str("uscc", 72);
  if (!uscc.empty()) {
    const auto verdict = domain::ValidateUscc(uscc);
    if (!verdict.valid) in.Problem("uscc", verdict.reason);
  }
  const std::string name = in.Str("name");
  const std::string region = in.Str("region", 60);
  const std::string industry = in.Str("industry", 60);
  const std::string contact = in.OptStr("contact_name").value_or("enterprise user");
  const std::string label_text = in.OptStr("green_label", 20).value_or("none");
  if (!domain::ParseGreenLabel(label_text)) {
    in.Problem("green_label",
               "must be one of none, deep_green, medium_green, light_green, "
               "transition");
  }
  CORRIDOR_TRY_STATUS(in.Finish());
  if (CORRIDOR_TRY(QueryInt(c, "SELECT id FROM enterprises WHERE uscc = ?", uscc))) {
    return Fail(Error{ErrorCode::kConflict,
                      "an enterprise with this USCC is already registered",
                      {{"/uscc", "already registered"}}});
  }
  const int64_t now = clock_.NowMicros();
  const int64_t tenant_id = CORRIDOR_TRY(marketplace::InsertTenant(c, "enterprise", name, now));
  const int64_t id = CORRIDOR_TRY(marketplace::InsertEnterprise(c, {.tenant_id = tenant_id,
                                                                    .uscc = uscc,
                                                                    .name = name,
                                                                    .region = region,
                                                                    .industry = industry,
                                                                    .green_label = label_text,
                                                                    .registered_at = now}));
  const std::string token =
      CORRIDOR_TRY(CreateUserWithToken(c, clock_, tenant_id, Role::kEnterpriseUser, contact));
  CORRIDOR_TRY_STATUS(internal::BumpStats(c, 1, 0, 0, 0));
  Json enterprise = CORRIDOR_TRY(EnterpriseById(c, id));
  return Response{Json{{"enterprise", std::move(enterprise)},
                       {"token", token},
                       {"token_note", "shown once; store it now"}}};
}

Result<Response> Marketplace::VerifyEnterprise(Connection& c, const Caller& caller, int64_t id) {
  CORRIDOR_TRY_STATUS(RequireRole(caller, {Role::kBureauAdmin}));
  auto status =
      CORRIDOR_TRY(QueryInt(c, "SELECT status = 'verified' FROM enterprises WHERE id = ?", id));
  if (!status) return Fail(Error::NotFound("enterprise"));
  if (*status != 0) return Fail(Error::Conflict("enterprise is already verified"));
  CORRIDOR_TRY(Execute(c,
                       "UPDATE enterprises SET status = 'verified', verified_at = ? WHERE id = ?",
                       clock_.NowMicros(), id));
  CORRIDOR_TRY_STATUS(internal::BumpStats(c, 0, 1, 0, 0));
  return Response{CORRIDOR_TRY(EnterpriseById(c, id))};
}

Result<Response> Marketplace::PutCreditProfile(Connection& c, const Caller& caller, int64_t id,
                                               const Json& body) {
  CORRIDOR_TRY_STATUS(RequireRole(caller, {Role::kBureauAdmin}));
  Input in(body);
  const int64_t tax = in.Int("tax_paid_12m_fen", 0, kMaxAmountFen);
  const int64_t headcount = in.Int("social_insurance_headcount", 0, 10'000'000);
  const int64_t utilities = in.Int("utilities_paid_12m_fen", 0, kMaxAmountFen);
  const std::string record = in.Str("credit_record", 20);
  const std::string scale = in.Str("scale", 20);
  const int64_t revenue = in.Int("annual_revenue_fen", 0, kMaxAmountFen);
  if (!record.empty() && !domain::ParseCreditRecord(record)) {
    in.Problem("credit_record", "must be one of clean, minor_late, defaulted");
  }
  if (!scale.empty() && !domain::ParseBusinessScale(scale)) {
    in.Problem("scale", "must be one of micro, small, medium, large");
  }
  CORRIDOR_TRY_STATUS(in.Finish());
  if (!CORRIDOR_TRY(QueryInt(c, "SELECT id FROM enterprises WHERE id = ?", id))) {
    return Fail(Error::NotFound("enterprise"));
  }
  CORRIDOR_TRY_STATUS(marketplace::PutCreditProfile(c, {.enterprise_id = id,
                                                        .tax_paid_12m_fen = tax,
                                                        .social_insurance_headcount = headcount,
                                                        .utilities_paid_12m_fen = utilities,
                                                        .credit_record = record,
                                                        .scale = scale,
                                                        .annual_revenue_fen = revenue,
                                                        .updated_at = clock_.NowMicros()}));
  return Response{CORRIDOR_TRY(EnterpriseById(c, id))};
}

Result<Response> Marketplace::PutAgriProfile(Connection& c, const Caller& caller, int64_t id,
                                             const Json& body) {
  CORRIDOR_TRY_STATUS(RequireRole(caller, {Role::kBureauAdmin}));
  // Bounds: the largest herds and holdings of Inner Mongolia are a few hundred thousand sheep
  // units and mu; ten million of each is a typo, not a ranch.
  constexpr int64_t kMaxHolding = 10'000'000;
  Input in(body);
  const int64_t herd = in.Int("herd_sheep_units", 0, kMaxHolding);
  const int64_t grassland = in.Int("grassland_contract_mu", 0, kMaxHolding);
  const int64_t cropland = in.Int("cropland_contract_mu", 0, kMaxHolding);
  const int64_t insured = in.Int("insured_amount_fen", 0, kMaxAmountFen);
  if (!in.Has("cooperative_member")) in.Problem("cooperative_member", "is required");
  const bool member = in.Bool("cooperative_member", false);
  CORRIDOR_TRY_STATUS(in.Finish());
  if (!CORRIDOR_TRY(QueryInt(c, "SELECT id FROM enterprises WHERE id = ?", id))) {
    return Fail(Error::NotFound("enterprise"));
  }
  CORRIDOR_TRY_STATUS(marketplace::PutAgriProfile(c, {.enterprise_id = id,
                                                      .herd_sheep_units = herd,
                                                      .grassland_contract_mu = grassland,
                                                      .cropland_contract_mu = cropland,
                                                      .insured_amount_fen = insured,
                                                      .cooperative_member = member,
                                                      .updated_at = clock_.NowMicros()}));
  return Response{CORRIDOR_TRY(EnterpriseById(c, id))};
}

Result<Json> Marketplace::GetEnterprise(const Caller& caller, int64_t id) {
  CORRIDOR_TRY_STATUS(RequireLendingParty(caller));
  if (caller.role == Role::kEnterpriseUser && caller.enterprise_id != id) {
    return Fail(Error::NotFound("enterprise"));
  }
  return store_.Read([&](Connection& c) { return EnterpriseById(c, id); });
}

Result<Json> Marketplace::ListEnterprises(const Caller& caller, const Page& page,
                                          std::optional<std::string> status) {
  CORRIDOR_TRY_STATUS(RequireLendingParty(caller));
  if (caller.role == Role::kEnterpriseUser) {
    return Fail(Error{ErrorCode::kPermissionDenied, "enterprises see only their own record", {}});
  }
  if (status && *status != "registered" && *status != "verified") {
    return Fail(Error::Invalid("/status", "must be registered or verified"));
  }
  return store_.Read([&](Connection& c) -> Result<Json> {
    const auto k = internal::KeysetOf(page, "e.id");
    auto q = CORRIDOR_TRY(Query::Make(
        c,
        fmt::format("SELECT {} FROM enterprises e WHERE {} AND (? IS NULL OR e.status = ?) "
                    "ORDER BY {} LIMIT ?",
                    kEnterpriseColumns, k.where, k.order),
        k.bound, status, status, page.limit));
    return internal::CollectPage(q, page, EnterpriseRow);
  });
}

// ---------------------------------------------------------------------------------------------
// Catalogues

Result<Response> Marketplace::CreateProduct(Connection& c, const Caller& caller, const Json& body) {
  CORRIDOR_TRY_STATUS(RequireRole(caller, {Role::kBankOfficer}));
  Input in(body);
  const std::string name = in.Str("name");
  const int64_t min_amount = in.Int("min_amount_fen", 1, kMaxAmountFen);
  const int64_t max_amount = in.Int("max_amount_fen", 1, kMaxAmountFen);
  const int64_t min_term = in.Int("min_term_months", 1, domain::kMaxTermMonths);
  const int64_t max_term = in.Int("max_term_months", 1, domain::kMaxTermMonths);
  const auto regions = in.StrList("regions");
  const auto industries = in.StrList("industries");
  const bool collateral_free = in.Bool("collateral_free", false);
  const bool green_only = in.Bool("green_only", false);
  const int64_t rate = in.Int("rate_bps", 0, domain::kMaxAnnualRateBps);
  const int64_t discount = in.OptInt("green_discount_bps", 0, 1000).value_or(0);
  const auto whitelist_id = in.OptInt("whitelist_id", 1, INT64_MAX);
  if (max_amount < min_amount) in.Problem("max_amount_fen", "must not be below min_amount_fen");
  if (max_term < min_term) in.Problem("max_term_months", "must not be below min_term_months");
  CORRIDOR_TRY_STATUS(in.Finish());
  if (whitelist_id) {
    // A bank lends against its own whitelists or the bureau's.
    auto owner = CORRIDOR_TRY(QueryInt(
        c,
        "SELECT w.owner_tenant_id FROM whitelists w JOIN tenants t ON t.id = w.owner_tenant_id "
        "WHERE w.id = ? AND (t.kind = 'bureau' OR w.owner_tenant_id = ?)",
        *whitelist_id, caller.tenant_id));
    if (!owner) return Fail(Error::Invalid("/whitelist_id", "no such whitelist"));
  }
  const std::string regions_json = Json(regions).dump();
  const std::string industries_json = Json(industries).dump();
  const int64_t id =
      CORRIDOR_TRY(marketplace::InsertProduct(c, {.bank_tenant_id = caller.tenant_id,
                                                  .name = name,
                                                  .min_amount_fen = min_amount,
                                                  .max_amount_fen = max_amount,
                                                  .min_term_months = min_term,
                                                  .max_term_months = max_term,
                                                  .regions_json = regions_json,
                                                  .industries_json = industries_json,
                                                  .collateral_free = collateral_free,
                                                  .green_only = green_only,
                                                  .rate_bps = rate,
                                                  .green_discount_bps = discount,
                                                  .whitelist_id = whitelist_id,
                                                  .created_at = clock_.NowMicros()}));
  auto q = CORRIDOR_TRY(
      Query::Make(c,
                  fmt::format("SELECT {} FROM products p JOIN tenants t ON t.id = p.bank_tenant_id "
                              "WHERE p.id = ?",
                              kProductColumns),
                  id));
  CORRIDOR_TRY(q.Next());
  Response response{ProductJson(ReadProduct(q))};
  response.after_commit = [this] { catalogue_generation_.fetch_add(1); };
  return response;
}

Result<std::string> Marketplace::ListProducts(const Page& page) {
  const auto key = std::make_pair(page.after_id.value_or(0), page.limit);
  const uint64_t generation = catalogue_generation_.load();
  {
    std::lock_guard lock(catalogue_mu_);
    auto it = catalogue_cache_.find(key);
    if (it != catalogue_cache_.end() && it->second.first == generation) return *it->second.second;
  }
  auto text = store_.Read([&](Connection& c) -> Result<std::string> {
    auto q = CORRIDOR_TRY(Query::Make(
        c,
        fmt::format("SELECT {} FROM products p JOIN tenants t ON t.id = p.bank_tenant_id "
                    "WHERE p.id > ? ORDER BY p.id LIMIT ?",
                    kProductColumns),
        key.first, key.second));
    Json items = Json::array();
    int64_t last = 0;
    while (CORRIDOR_TRY(q.Next())) {
      items.push_back(ProductJson(ReadProduct(q)));
      last = q.Int(0);
    }
    return PageOf(std::move(items), last, page).dump();
  });
  if (!text) return text;
  std::lock_guard lock(catalogue_mu_);
  if (catalogue_cache_.size() > 1024) catalogue_cache_.clear();
  catalogue_cache_[key] = {generation, std::make_shared<const std::string>(*text)};
  return text;
}

Result<Json> Marketplace::GetProduct(int64_t id) {
  return store_.Read([&](Connection& c) -> Result<Json> {
    auto q = CORRIDOR_TRY(Query::Make(
        c,
        fmt::format("SELECT {} FROM products p JOIN tenants t ON t.id = p.bank_tenant_id "
                    "WHERE p.id = ?",
                    kProductColumns),
        id));
    if (!CORRIDOR_TRY(q.Next())) return Fail(Error::NotFound("product"));
    return ProductJson(ReadProduct(q));
  });
}

Result<Response> Marketplace::CreateProject(Connection& c, const Caller& caller, const Json& body) {
  CORRIDOR_TRY_STATUS(RequireRole(caller, {Role::kBureauAdmin}));
  Input in(body);
  const std::string name = in.Str("name");
  const std::string region = in.Str("region", 60);
  const std::string industry = in.Str("industry", 60);
  const int64_t amount = in.Int("amount_fen", 1, kMaxAmountFen);
  const std::string label = in.OptStr("green_label", 20).value_or("none");
  const std::string description = in.OptStr("description", 4000).value_or("");
  if (!domain::ParseGreenLabel(label)) {
    in.Problem("green_label",
               "must be one of none, deep_green, medium_green, light_green, "
               "transition");
  }
  CORRIDOR_TRY_STATUS(in.Finish());
  const int64_t id =
      CORRIDOR_TRY(marketplace::InsertProject(c, {.name = name,
                                                  .region = region,
                                                  .industry = industry,
                                                  .amount_fen = amount,
                                                  .green_label = label,
                                                  .description = description,
                                                  .created_at = clock_.NowMicros()}));
  return Response{Json{{"id", id},
                       {"name", name},
                       {"region", region},
                       {"industry", industry},
                       {"amount_fen", amount},
                       {"green_label", label},
                       {"description", description}}};
}

Result<Json> Marketplace::ListProjects(const Page& page) {
  return store_.Read([&](Connection& c) -> Result<Json> {
    auto q = CORRIDOR_TRY(Query::Make(
        c,
        "SELECT id, name, region, industry, amount_fen, green_label, description FROM projects "
        "WHERE id > ? ORDER BY id LIMIT ?",
        page.after_id.value_or(0), page.limit));
    return internal::CollectPage(q, page, [](const Query& row) {
      return Json{{"id", row.Int(0)},          {"name", row.Text(1)},
                  {"region", row.Text(2)},     {"industry", row.Text(3)},
                  {"amount_fen", row.Int(4)},  {"green_label", row.Text(5)},
                  {"description", row.Text(6)}};
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Needs and matching

Result<Response> Marketplace::CreateNeed(Connection& c, const Caller& caller, const Json& body) {
  CORRIDOR_TRY_STATUS(RequireRole(caller, {Role::kEnterpriseUser}));
  Input in(body);
  const int64_t amount = in.Int("amount_fen", 1, kMaxAmountFen);
  const int64_t term = in.Int("term_months", 1, domain::kMaxTermMonths);
  const std::string purpose = in.Str("purpose", 1000);
  const bool collateral_free = in.Bool("collateral_free_required", false);
  const auto max_rate = in.OptInt("max_rate_bps", 0, domain::kMaxAnnualRateBps);
  CORRIDOR_TRY_STATUS(in.Finish());
  auto verified = CORRIDOR_TRY(QueryInt(
      c, "SELECT status = 'verified' FROM enterprises WHERE id = ?", caller.enterprise_id));
  if (!verified || *verified == 0) {
    return Fail(Error::Conflict("the enterprise must be verified (实名认证) before posting needs"));
  }
  const int64_t id =
      CORRIDOR_TRY(marketplace::InsertNeed(c, {.enterprise_id = caller.enterprise_id,
                                               .amount_fen = amount,
                                               .term_months = term,
                                               .purpose = purpose,
                                               .collateral_free_required = collateral_free,
                                               .max_rate_bps = max_rate,
                                               .created_at = clock_.NowMicros()}));
  return Response{*CORRIDOR_TRY(LoadNeed(c, id))};
}

Result<Json> Marketplace::GetNeed(const Caller& caller, int64_t id) {
  CORRIDOR_TRY_STATUS(RequireLendingParty(caller));
  return store_.Read([&](Connection& c) -> Result<Json> {
    auto need = CORRIDOR_TRY(LoadNeed(c, id));
    if (!need || !CanSeeNeed(caller, (*need)["enterprise_id"].get<int64_t>())) {
      return Fail(Error::NotFound("need"));
    }
    return *need;
  });
}

Result<Json> Marketplace::ListNeeds(const Caller& caller, const Page& page) {
  CORRIDOR_TRY_STATUS(RequireLendingParty(caller));
  return store_.Read([&](Connection& c) -> Result<Json> {
    const bool own = caller.in_enterprise();
    const bool market = caller.in_bank() || caller.in_guarantor();
    const auto k = internal::KeysetOf(page, "n.id");
    auto q = CORRIDOR_TRY(Query::Make(
        c,
        fmt::format("SELECT {} FROM needs n JOIN enterprises e ON e.id = n.enterprise_id "
                    "WHERE {} AND (? = 0 OR n.enterprise_id = ?) "
                    "AND (? = 0 OR n.status = 'open') ORDER BY {} LIMIT ?",
                    kNeedColumns, k.where, k.order),
        k.bound, own, caller.enterprise_id, market, page.limit));
    return internal::CollectPage(q, page, NeedRow);
  });
}

Result<Json> Marketplace::MatchNeed(const Caller& caller, int64_t id) {
  CORRIDOR_TRY_STATUS(RequireLendingParty(caller));
  return store_.Read([&](Connection& c) -> Result<Json> {
    auto need = CORRIDOR_TRY(LoadNeed(c, id));
    if (!need || !CanSeeNeed(caller, (*need)["enterprise_id"].get<int64_t>())) {
      return Fail(Error::NotFound("need"));
    }
    const Json& n = *need;
    // The carbon account's pricing adjustment (service/green.hpp).
    const auto carbon = CORRIDOR_TRY(CarbonPricingOf(c, n["enterprise_id"].get<int64_t>()));
    domain::NeedForMatching m{
        .amount = Money::FromFen(n["amount_fen"].get<int64_t>()),
        .term_months = n["term_months"].get<int32_t>(),
        .region = n["enterprise"]["region"].get<std::string>(),
        .industry = n["enterprise"]["industry"].get<std::string>(),
        .collateral_free_required = n["collateral_free_required"].get<bool>(),
        .green_label = domain::ParseGreenLabel(n["enterprise"]["green_label"].get<std::string>())
                           .value_or(domain::GreenLabel::kNone),
        .max_rate_bps = n["max_rate_bps"].is_null()
                            ? std::nullopt
                            : std::optional<int64_t>(n["max_rate_bps"].get<int64_t>()),
        .carbon_adjustment_bps = carbon ? carbon->bps : 0,
        .carbon_reason = carbon ? carbon->reason : ""};
    std::vector<int64_t> memberships;
    {
      auto w = CORRIDOR_TRY(
          Query::Make(c, "SELECT whitelist_id FROM whitelist_members WHERE enterprise_id = ?",
                      n["enterprise_id"].get<int64_t>()));
      while (CORRIDOR_TRY(w.Next())) memberships.push_back(w.Int(0));
    }
    std::vector<ProductRow> rows;
    auto q = CORRIDOR_TRY(Query::Make(
        c, fmt::format("SELECT {} FROM products p JOIN tenants t ON t.id = p.bank_tenant_id "
                       "ORDER BY p.id",
                       kProductColumns)));
    while (CORRIDOR_TRY(q.Next())) rows.push_back(ReadProduct(q));
    // Whitelist-only products admit members only; others go to the matcher.
    std::vector<domain::Product> catalogue;
    Json excluded = Json::array();
    for (const ProductRow& row : rows) {
      if (row.whitelist_id && std::find(memberships.begin(), memberships.end(),
                                        *row.whitelist_id) == memberships.end()) {
        excluded.push_back(Json{{"product", ProductJson(row)},
                                {"reasons", {"enterprise is not on the product's whitelist"}}});
        continue;
      }
      catalogue.push_back(row.product);
    }
    const auto result = domain::MatchNeed(m, catalogue);
    auto find_row = [&](int64_t pid) -> const ProductRow& {
      for (const auto& r : rows) {
        if (r.product.id == pid) return r;
      }
      return rows.front();
    };
    Json matches = Json::array();
    int rank = 1;
    for (const auto& match : result.matches) {
      matches.push_back(Json{{"rank", rank++},
                             {"product", ProductJson(find_row(match.product->id))},
                             {"effective_rate_bps", match.effective_rate_bps},
                             {"reasons", match.reasons}});
    }
    for (const auto& match : result.excluded) {
      excluded.push_back(
          Json{{"product", ProductJson(find_row(match.product->id))}, {"reasons", match.reasons}});
    }
    return Json{{"need", n}, {"matches", std::move(matches)}, {"excluded", std::move(excluded)}};
  });
}

// ---------------------------------------------------------------------------------------------
// Offers

Result<Response> Marketplace::CreateOffer(Connection& c, const Caller& caller, const Json& body) {
  CORRIDOR_TRY_STATUS(RequireRole(caller, {Role::kBankOfficer}));
  Input in(body);
  const int64_t need_id = in.Int("need_id", 1, INT64_MAX);
  const auto product_id = in.OptInt("product_id", 1, INT64_MAX);
  const int64_t amount = in.Int("amount_fen", 1, kMaxAmountFen);
  const int64_t rate = in.Int("annual_rate_bps", 0, domain::kMaxAnnualRateBps);
  const int64_t term = in.Int("term_months", 1, domain::kMaxTermMonths);
  const std::string method = in.OptStr("method", 40).value_or("equal_installment");
  const std::string kind = in.OptStr("kind", 40).value_or("standard");
  if (!domain::ParseRepaymentMethod(method)) {
    in.Problem("method", "must be one of equal_installment, equal_principal, bullet");
  }
  if (kind != "standard" && kind != "entrepreneurship") {
    in.Problem("kind", "must be standard or entrepreneurship");
  }
  CORRIDOR_TRY_STATUS(in.Finish());
  auto need = CORRIDOR_TRY(LoadNeed(c, need_id));
  if (!need) return Fail(Error::NotFound("need"));
  if ((*need)["status"] != "open") return Fail(Error::Conflict("the need is no longer open"));
  if (product_id) {
    auto owner =
        CORRIDOR_TRY(QueryInt(c, "SELECT bank_tenant_id FROM products WHERE id = ?", *product_id));
    if (!owner || *owner != caller.tenant_id) {
      return Fail(Error::Invalid("/product_id", "not a product of this bank"));
    }
  }
  const int64_t id = CORRIDOR_TRY(marketplace::InsertOffer(c, {.need_id = need_id,
                                                               .bank_tenant_id = caller.tenant_id,
                                                               .product_id = product_id,
                                                               .amount_fen = amount,
                                                               .annual_rate_bps = rate,
                                                               .term_months = term,
                                                               .method = method,
                                                               .kind = kind,
                                                               .created_at = clock_.NowMicros()}));
  return Response{*CORRIDOR_TRY(LoadOffer(c, id))};
}

Result<Response> Marketplace::DecideOffer(Connection& c, const Caller& caller, int64_t id,
                                          bool accept) {
  CORRIDOR_TRY_STATUS(RequireRole(caller, {Role::kEnterpriseUser}));
  auto offer = CORRIDOR_TRY(LoadOffer(c, id));
  if (!offer || !CanSeeOffer(caller, *offer)) return Fail(Error::NotFound("offer"));
  if ((*offer)["status"] != "offered") {
    return Fail(
        Error::Conflict("the offer has already been " + (*offer)["status"].get<std::string>()));
  }
  if (accept) {
    auto other = CORRIDOR_TRY(
        QueryInt(c, "SELECT id FROM offers WHERE need_id = ? AND status IN ('accepted', 'booked')",
                 (*offer)["need_id"].get<int64_t>()));
    if (other) return Fail(Error::Conflict("another offer for this need was already accepted"));
  }
  CORRIDOR_TRY(Execute(c, "UPDATE offers SET status = ?, decided_at = ? WHERE id = ?",
                       accept ? "accepted" : "declined", clock_.NowMicros(), id));
  return Response{*CORRIDOR_TRY(LoadOffer(c, id))};
}

Result<Json> Marketplace::GetOffer(const Caller& caller, int64_t id) {
  return store_.Read([&](Connection& c) -> Result<Json> {
    auto offer = CORRIDOR_TRY(LoadOffer(c, id));
    if (!offer || !CanSeeOffer(caller, *offer)) return Fail(Error::NotFound("offer"));
    return *offer;
  });
}

Result<Json> Marketplace::ListOffers(const Caller& caller, const Page& page) {
  CORRIDOR_TRY_STATUS(RequireLendingParty(caller));
  if (caller.in_guarantor()) return PageOf(Json::array(), 0, page);
  return store_.Read([&](Connection& c) -> Result<Json> {
    const bool bank = caller.in_bank();
    const bool enterprise = caller.in_enterprise();
    const auto k = internal::KeysetOf(page, "o.id");
    auto q = CORRIDOR_TRY(Query::Make(
        c,
        fmt::format("SELECT {} FROM offers o JOIN needs n ON n.id = o.need_id WHERE {} "
                    "AND (? = 0 OR o.bank_tenant_id = ?) AND (? = 0 OR n.enterprise_id = ?) "
                    "ORDER BY {} LIMIT ?",
                    kOfferColumns, k.where, k.order),
        k.bound, bank, caller.tenant_id, enterprise, caller.enterprise_id, page.limit));
    return internal::CollectPage(q, page, OfferRow);
  });
}

}  // namespace corridor::service
