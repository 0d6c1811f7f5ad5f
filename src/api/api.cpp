#include "api/api.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <functional>
#include <thread>

#include "api/calc.hpp"
#include "api/home_page.hpp"
#include "evaluate/regions.hpp"
#include "service/ecosystems.hpp"
#include "service/evaluation.hpp"
#include "service/green.hpp"

namespace corridor::api {

using service::Caller;
using service::Json;
using service::Page;
using service::Response;

struct Api::Context {
  const Caller* caller = nullptr;
  const RouteMatch* match = nullptr;
  const Target* target = nullptr;
  const Json* body = nullptr;
  Page page;
  service::Registry* registry = nullptr;
  service::RiskAnalyses* analyses = nullptr;
  int64_t id(size_t i = 0) const { return match->ids.at(i); }
  // The registry; the routes that use it are refused before dispatch when it is absent.
  service::Registry& reg() const { return *registry; }
};

namespace {

using ReadFn = std::function<Result<Response>(service::Marketplace&, const Api::Context&)>;
using WriteFn =
    std::function<Result<Response>(service::Marketplace&, store::Connection&, const Api::Context&)>;

struct RouteImpl {
  RouteSpec spec;
  ReadFn read;    // set for reads and stateless POSTs
  WriteFn write;  // set for state-changing requests
};

Json Prop(std::string_view type, std::string_view description = "") {
  Json p{{"type", type}};
  if (!description.empty()) p["description"] = description;
  return p;
}

Json Schema(std::initializer_list<std::pair<std::string, Json>> props,
            std::initializer_list<std::string> required) {
  Json properties = Json::object();
  for (const auto& [name, p] : props) properties[name] = p;
  return Json{{"type", "object"}, {"properties", properties}, {"required", required}};
}

Result<Response> Ok(Result<Json> r, int status = 200) {
  if (!r) return Fail(std::move(r.error()));
  return Response{status, std::move(*r)};
}

Result<Response> OkText(Result<std::string> r) {
  if (!r) return Fail(std::move(r.error()));
  Response response;
  response.text = std::move(*r);
  return response;
}

Result<uint64_t> ParseCount(std::string_view text, std::string_view field) {
  uint64_t v = 0;
  const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || p != text.data() + text.size() ||
      v > (uint64_t{1} << 62)) {
    return Fail(Error::Invalid(std::string(field), "must be a non-negative integer"));
  }
  return v;
}

// tree_size (or another size parameter) from the query, defaulting to the newest checkpoint.
Result<uint64_t> SizeParam(service::TransparencyLog& log, const Target& t, std::string_view name) {
  if (t.HasParam(name)) return ParseCount(t.Param(name), "/" + std::string(name));
  auto cp = CORRIDOR_TRY(log.Latest());
  return cp.size;
}

Result<Json> InclusionProofJson(service::TransparencyLog& log, const Target& t) {
  const uint64_t size = CORRIDOR_TRY(SizeParam(log, t, "tree_size"));
  uint64_t index = 0;
  if (t.HasParam("leaf_hash")) {
    const auto hash = registry::HashFromHex(t.Param("leaf_hash"));
    if (!hash) return Fail(Error::Invalid("/leaf_hash", "must be 64 hex digits"));
    auto found = CORRIDOR_TRY(log.IndexOfLeaf(*hash));
    if (!found || *found >= size) return Fail(Error::NotFound("leaf in a tree of this size"));
    index = *found;
  } else if (t.HasParam("index")) {
    index = CORRIDOR_TRY(ParseCount(t.Param("index"), "/index"));
  } else {
    return Fail(Error::Invalid("/index", "give index or leaf_hash"));
  }
  const auto proof = CORRIDOR_TRY(log.InclusionProof(index, size));
  return Json{
      {"leaf_index", index}, {"tree_size", size}, {"proof_hex", registry::ToHexList(proof)}};
}

Result<Json> ConsistencyProofJson(service::TransparencyLog& log, const Target& t) {
  if (!t.HasParam("first")) return Fail(Error::Invalid("/first", "is required"));
  const uint64_t first = CORRIDOR_TRY(ParseCount(t.Param("first"), "/first"));
  const uint64_t second = CORRIDOR_TRY(SizeParam(log, t, "second"));
  const auto proof = CORRIDOR_TRY(log.ConsistencyProof(first, second));
  return Json{{"first", first}, {"second", second}, {"proof_hex", registry::ToHexList(proof)}};
}

// ?year= as a calendar year.
Result<int> YearParam(const Target& t) {
  if (!t.HasParam("year")) return Fail(Error::Invalid("/year", "is required"));
  const uint64_t y = CORRIDOR_TRY(ParseCount(t.Param("year"), "/year"));
  if (y < 1949 || y > 2200) return Fail(Error::Invalid("/year", "must be 1949 to 2200"));
  return static_cast<int>(y);
}

// A number query parameter in [lo, hi], or `fallback` when absent.
Result<double> NumberParam(const Target& t, const char* name, double lo, double hi,
                           double fallback) {
  if (!t.HasParam(name)) return fallback;
  const std::string text(t.Param(name));
  double v = 0;
  const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || p != text.data() + text.size() || !(v >= lo) ||
      !(v <= hi)) {
    return Fail(Error::Invalid(fmt::format("/{}", name),
                               fmt::format("must be a number from {} to {}", lo, hi)));
  }
  return v;
}

// ?shock=NODE&drop=&pass_through=&max_tiers= of the ecosystem graph.
Result<std::optional<service::SupplyShock>> ShockParams(const Target& t) {
  if (!t.HasParam("shock")) return std::optional<service::SupplyShock>();
  service::SupplyShock s;
  s.node = std::string(t.Param("shock"));
  if (!t.HasParam("drop")) return Fail(Error::Invalid("/drop", "is required with shock"));
  s.drop = CORRIDOR_TRY(NumberParam(t, "drop", 0, 1, 0));
  s.pass_through = CORRIDOR_TRY(NumberParam(t, "pass_through", 0, 1, 1));
  if (t.HasParam("max_tiers")) {
    const uint64_t tiers = CORRIDOR_TRY(ParseCount(t.Param("max_tiers"), "/max_tiers"));
    if (tiers < 1 || tiers > 20) return Fail(Error::Invalid("/max_tiers", "must be 1 to 20"));
    s.max_tiers = static_cast<int>(tiers);
  }
  return std::optional<service::SupplyShock>(s);
}

// A region table evaluated, as JSON or as the SVG report.
Result<Response> EvaluationResponse(const Result<evaluate::RegionTable>& table, bool svg) {
  if (!table) return Fail(table.error());
  auto e = evaluate::EvaluateRegions(*table);
  if (!e) return Fail(e.error());
  Response r;
  if (svg) {
    r.text = evaluate::RenderSvg(*table, *e);
    r.content_type = "image/svg+xml; charset=utf-8";
  } else {
    r.body = service::EvaluationJson(*table, *e);
  }
  return r;
}

std::vector<RouteImpl> Routes() {
  using M = service::Marketplace;
  using C = Api::Context;
  using Conn = store::Connection;
  std::vector<RouteImpl> r;
  auto get = [&](std::string pattern, std::string summary, bool paged, ReadFn fn,
                 Access access = Access::kToken) {
    r.push_back(
        {RouteSpec{"GET", std::move(pattern), std::move(summary), access, paged, nullptr, 200},
         std::move(fn), nullptr});
  };
  auto write = [&](std::string method, std::string pattern, std::string summary, Json schema,
                   WriteFn fn, int status = 201, Access access = Access::kToken) {
    r.push_back({RouteSpec{std::move(method), std::move(pattern), std::move(summary), access, false,
                           std::move(schema), status},
                 nullptr, std::move(fn)});
  };

  get(
      "/", "The public home page with the platform statistics (HTML, 中文/English)", false,
      [](M& m, const C&) -> Result<Response> {
        auto stats = m.Stats();
        if (!stats) return Fail(std::move(stats.error()));
        Response r;
        r.text = RenderHomePage(*stats);
        r.content_type = "text/html; charset=utf-8";
        return r;
      },
      Access::kPublic);
  get(
      "/api/v1/stats", "Platform statistics as the bureau publishes them", false,
      [](M& m, const C&) { return Ok(m.Stats()); }, Access::kPublic);
  get("/api/v1/stats/breakdown",
      "Loans by bank, industry, division, kind and start month; enterprises by division "
      "(the bureau: the platform; a bank: its own book)",
      false, [](M& m, const C& x) { return Ok(m.StatsBreakdown(*x.caller)); });
  get("/api/v1/session", "Who the token belongs to: user, role and organisation", false,
      [](M& m, const C& x) { return Ok(m.Session(*x.caller)); });
  get("/api/v1/openapi.json", "This document", false, nullptr, Access::kPublic);
  get("/api/v1/calc", "List the calc models", false, [](M&, const C&) -> Result<Response> {
    Json items = Json::array();
    for (const auto& model : CalcModels()) {
      items.push_back({{"name", model.name}, {"summary", model.summary}});
    }
    return Response{200, Json{{"models", items}}};
  });
  r.push_back({RouteSpec{"POST", "/api/v1/calc/{model}", "Run a calc model on a JSON object",
                         Access::kToken, false, Json{{"type", "object"}}, 200},
               [](M&, const C& c) -> Result<Response> {
                 return Ok(RunCalc(c.match->words.at(0), *c.body));
               },
               nullptr});

  // Tenants and users (bureau onboarding).
  write("POST", "/api/v1/tenants", "Onboard a bank or guarantee agency",
        Schema({{"kind", Prop("string", "bank | guarantor")}, {"name", Prop("string")}},
               {"kind", "name"}),
        [](M& m, Conn& c, const C& x) { return m.CreateTenant(c, *x.caller, *x.body); });
  write("POST", "/api/v1/tenants/{id}/users", "Create a user and its API token (shown once)",
        Schema({{"role", Prop("string")}, {"name", Prop("string")}}, {"role", "name"}),
        [](M& m, Conn& c, const C& x) { return m.CreateUser(c, *x.caller, x.id(), *x.body); });

  // Enterprises.
  write(
      "POST", "/api/v1/enterprises",
      "Register an enterprise by its unified social credit code; returns its user's token",
      Schema({{"uscc", Prop("string", "18-character code, GB 32100-2015")},
              {"name", Prop("string")},
              {"region", Prop("string")},
              {"industry", Prop("string")},
              {"green_label", Prop("string")},
              {"contact_name", Prop("string")}},
             {"uscc", "name", "region", "industry"}),
      [](M& m, Conn& c, const C& x) { return m.RegisterEnterprise(c, *x.body); }, 201,
      Access::kPublic);
  get("/api/v1/enterprises", "List enterprises (status=registered|verified)", true,
      [](M& m, const C& x) {
        std::optional<std::string> status;
        if (x.target->HasParam("status")) status = std::string(x.target->Param("status"));
        return Ok(m.ListEnterprises(*x.caller, x.page, status));
      });
  get("/api/v1/enterprises/{id}", "An enterprise with its credit profile", false,
      [](M& m, const C& x) { return Ok(m.GetEnterprise(*x.caller, x.id())); });
  write(
      "POST", "/api/v1/enterprises/{id}/verify", "Real-name verification (bureau)", nullptr,
      [](M& m, Conn& c, const C& x) { return m.VerifyEnterprise(c, *x.caller, x.id()); }, 200);
  write(
      "PUT", "/api/v1/enterprises/{id}/credit-profile",
      "Set the shared-data credit profile (bureau)",
      Schema({{"tax_paid_12m_fen", Prop("integer")},
              {"social_insurance_headcount", Prop("integer")},
              {"utilities_paid_12m_fen", Prop("integer")},
              {"credit_record", Prop("string", "clean | minor_late | defaulted")},
              {"scale", Prop("string", "micro | small | medium | large")},
              {"annual_revenue_fen", Prop("integer")}},
             {"tax_paid_12m_fen", "social_insurance_headcount", "utilities_paid_12m_fen",
              "credit_record", "scale", "annual_revenue_fen"}),
      [](M& m, Conn& c, const C& x) { return m.PutCreditProfile(c, *x.caller, x.id(), *x.body); },
      200);

  // Catalogues.
  write("POST", "/api/v1/products", "Publish a product in the bank product catalogue",
        Schema({{"name", Prop("string")},
                {"min_amount_fen", Prop("integer")},
                {"max_amount_fen", Prop("integer")},
                {"min_term_months", Prop("integer")},
                {"max_term_months", Prop("integer")},
                {"regions", Prop("array")},
                {"industries", Prop("array")},
                {"collateral_free", Prop("boolean")},
                {"green_only", Prop("boolean")},
                {"rate_bps", Prop("integer")},
                {"green_discount_bps", Prop("integer")},
                {"whitelist_id", Prop("integer")}},
               {"name", "min_amount_fen", "max_amount_fen", "min_term_months", "max_term_months",
                "rate_bps"}),
        [](M& m, Conn& c, const C& x) { return m.CreateProduct(c, *x.caller, *x.body); });
  get("/api/v1/products", "The bank product catalogue (金融服务产品手册)", true,
      [](M& m, const C& x) { return OkText(m.ListProducts(x.page)); });
  get("/api/v1/products/{id}", "A product", false,
      [](M& m, const C& x) { return Ok(m.GetProduct(x.id())); });
  write("POST", "/api/v1/projects", "Add a project to the project catalogue (bureau)",
        Schema({{"name", Prop("string")},
                {"region", Prop("string")},
                {"industry", Prop("string")},
                {"amount_fen", Prop("integer")},
                {"green_label", Prop("string")},
                {"description", Prop("string")}},
               {"name", "region", "industry", "amount_fen"}),
        [](M& m, Conn& c, const C& x) { return m.CreateProject(c, *x.caller, *x.body); });
  get("/api/v1/projects", "The project catalogue (融资项目手册)", true,
      [](M& m, const C& x) { return Ok(m.ListProjects(x.page)); });

  // Needs, matching, offers.
  write("POST", "/api/v1/needs", "Post a financing need (verified enterprise)",
        Schema({{"amount_fen", Prop("integer")},
                {"term_months", Prop("integer")},
                {"purpose", Prop("string")},
                {"collateral_free_required", Prop("boolean")},
                {"max_rate_bps", Prop("integer")}},
               {"amount_fen", "term_months", "purpose"}),
        [](M& m, Conn& c, const C& x) { return m.CreateNeed(c, *x.caller, *x.body); });
  get("/api/v1/needs", "Financing needs visible to the caller", true,
      [](M& m, const C& x) { return Ok(m.ListNeeds(*x.caller, x.page)); });
  get("/api/v1/needs/{id}", "A financing need", false,
      [](M& m, const C& x) { return Ok(m.GetNeed(*x.caller, x.id())); });
  get("/api/v1/needs/{id}/matches", "Products matching a need, ranked, with reasons", false,
      [](M& m, const C& x) { return Ok(m.MatchNeed(*x.caller, x.id())); });
  write("POST", "/api/v1/offers", "Make an offer on a need (bank)",
        Schema({{"need_id", Prop("integer")},
                {"product_id", Prop("integer")},
                {"amount_fen", Prop("integer")},
                {"annual_rate_bps", Prop("integer")},
                {"term_months", Prop("integer")},
                {"method", Prop("string", "equal_installment | equal_principal | bullet")},
                {"kind", Prop("string", "standard | entrepreneurship")}},
               {"need_id", "amount_fen", "annual_rate_bps", "term_months"}),
        [](M& m, Conn& c, const C& x) { return m.CreateOffer(c, *x.caller, *x.body); });
  get("/api/v1/offers", "Offers visible to the caller", true,
      [](M& m, const C& x) { return Ok(m.ListOffers(*x.caller, x.page)); });
  get("/api/v1/offers/{id}", "An offer", false,
      [](M& m, const C& x) { return Ok(m.GetOffer(*x.caller, x.id())); });
  write(
      "POST", "/api/v1/offers/{id}/accept", "Accept an offer (enterprise)", nullptr,
      [](M& m, Conn& c, const C& x) { return m.DecideOffer(c, *x.caller, x.id(), true); }, 200);
  write(
      "POST", "/api/v1/offers/{id}/decline", "Decline an offer (enterprise)", nullptr,
      [](M& m, Conn& c, const C& x) { return m.DecideOffer(c, *x.caller, x.id(), false); }, 200);

  // Guarantees ("three-in-one": the agency consents to each guarantee).
  write(
      "POST", "/api/v1/offers/{id}/guarantee-requests",
      "Ask a guarantee agency to cover a share of an accepted offer (bank)",
      Schema({{"guarantor_tenant_id", Prop("integer")},
              {"cover_bps", Prop("integer", "share of the principal covered, 1-10000")},
              {"fee_bps", Prop("integer", "guarantee fee on the covered amount")}},
             {"guarantor_tenant_id", "cover_bps"}),
      [](M& m, Conn& c, const C& x) { return m.RequestGuarantee(c, *x.caller, x.id(), *x.body); });
  get("/api/v1/guarantee-requests", "Guarantee requests to (agency) or from (bank) the caller",
      true, [](M& m, const C& x) { return Ok(m.ListGuaranteeRequests(*x.caller, x.page)); });
  write(
      "POST", "/api/v1/guarantee-requests/{id}/approve", "Approve a guarantee (agency)", nullptr,
      [](M& m, Conn& c, const C& x) {
        return m.DecideGuaranteeRequest(c, *x.caller, x.id(), true);
      },
      200);
  write(
      "POST", "/api/v1/guarantee-requests/{id}/decline", "Decline a guarantee (agency)", nullptr,
      [](M& m, Conn& c, const C& x) {
        return m.DecideGuaranteeRequest(c, *x.caller, x.id(), false);
      },
      200);

  // Loans.
  write("POST", "/api/v1/loans",
        "Book an accepted offer: loan, schedule, guarantee and ledger in one transaction",
        Schema({{"offer_id", Prop("integer")},
                {"start_date", Prop("string", "YYYY-MM-DD")},
                {"guarantee_request_id",
                 Prop("integer",
                      "an approved guarantee request for this offer; required for "
                      "entrepreneurship loans")}},
               {"offer_id", "start_date"}),
        [](M& m, Conn& c, const C& x) { return m.BookLoan(c, *x.caller, *x.body); });
  get("/api/v1/loans", "Loans visible to the caller", true,
      [](M& m, const C& x) { return Ok(m.ListLoans(*x.caller, x.page)); });
  get("/api/v1/loans/{id}", "A loan with its schedule, status and guarantee", false,
      [](M& m, const C& x) { return OkText(m.GetLoan(*x.caller, x.id())); });
  write("POST", "/api/v1/loans/{id}/repayments", "Record a repayment",
        Schema({{"amount_fen", Prop("integer")}, {"paid_on", Prop("string", "YYYY-MM-DD")}},
               {"amount_fen"}),
        [](M& m, Conn& c, const C& x) { return m.Repay(c, *x.caller, x.id(), *x.body); });
  get("/api/v1/guarantees", "Guarantees visible to the caller", true,
      [](M& m, const C& x) { return Ok(m.ListGuarantees(*x.caller, x.page)); });

  // Rates, settings, subsidies, whitelists.
  write(
      "POST", "/api/v1/lpr", "Publish an LPR fixing (bureau)",
      Schema({{"effective_date", Prop("string")},
              {"tenor", Prop("string", "1y | 5y")},
              {"rate_bps", Prop("integer")}},
             {"effective_date", "tenor", "rate_bps"}),
      [](M& m, Conn& c, const C& x) { return m.PutLpr(c, *x.caller, *x.body); }, 200);
  get("/api/v1/lpr", "The LPR table", true, [](M& m, const C& x) { return Ok(m.ListLpr(x.page)); });
  write(
      "PUT", "/api/v1/settings/{key}", "Set a city setting (bureau)",
      Schema({{"value", Prop("integer")}}, {"value"}),
      [](M& m, Conn& c, const C& x) {
        return m.PutSetting(c, *x.caller, x.match->words.at(0), *x.body);
      },
      200);
  write("POST", "/api/v1/subsidy-programs", "Create an interest-subsidy programme (bureau)",
        Schema({{"name", Prop("string")},
                {"subsidy_bps", Prop("integer", "the rate; with by_green_label, the cap")},
                {"budget_fen", Prop("integer")},
                {"by_green_label", Prop("boolean", "pay each loan its granted label's rate")}},
               {"name", "subsidy_bps", "budget_fen"}),
        [](M& m, Conn& c, const C& x) { return m.CreateSubsidyProgram(c, *x.caller, *x.body); });
  get("/api/v1/subsidy-programs", "Interest-subsidy programmes with budget left", true,
      [](M& m, const C& x) { return Ok(m.ListSubsidyPrograms(*x.caller, x.page)); });
  write("POST", "/api/v1/subsidy-programs/{id}/payments",
        "Pay the subsidy for one installment; never overdraws the budget",
        Schema({{"loan_id", Prop("integer")}, {"installment_seq", Prop("integer")}},
               {"loan_id", "installment_seq"}),
        [](M& m, Conn& c, const C& x) { return m.PaySubsidy(c, *x.caller, x.id(), *x.body); });
  get("/api/v1/subsidy-programs/{id}/payments", "Payments of a programme", true,
      [](M& m, const C& x) { return Ok(m.ListSubsidyPayments(*x.caller, x.id(), x.page)); });
  write("POST", "/api/v1/whitelists", "Create an ecosystem whitelist",
        Schema({{"name", Prop("string")}}, {"name"}),
        [](M& m, Conn& c, const C& x) { return m.CreateWhitelist(c, *x.caller, *x.body); });
  write("POST", "/api/v1/whitelists/{id}/members", "Add an enterprise to a whitelist",
        Schema({{"enterprise_id", Prop("integer")}}, {"enterprise_id"}),
        [](M& m, Conn& c, const C& x) {
          return m.AddWhitelistMember(c, *x.caller, x.id(), *x.body);
        });
  get("/api/v1/whitelists/{id}/members", "Members of a whitelist", true,
      [](M& m, const C& x) { return Ok(m.ListWhitelistMembers(*x.caller, x.id(), x.page)); });

  // Registry and transparency log.
  write("POST", "/api/v1/registry/assets",
        "Register an order, invoice, logistics document, receivable or equipment (enterprise); "
        "409 names the first registration's log index",
        Schema({{"type", Prop("string", "order | invoice | logistics | receivable | equipment")},
                {"document_number", Prop("string")},
                {"document_type", Prop("string", "defaults to type")},
                {"debtor_uscc", Prop("string", "buyer / payer")},
                {"creditor_uscc", Prop("string", "supplier / payee / owner")},
                {"amount_fen", Prop("integer")},
                {"due_date", Prop("string", "YYYY-MM-DD; required for receivables")},
                {"order_id", Prop("integer", "the order a receivable arises from")},
                {"description", Prop("string")}},
               {"type", "document_number", "creditor_uscc"}),
        [](M&, Conn& c, const C& x) { return x.reg().RegisterAsset(c, *x.caller, *x.body); });
  get("/api/v1/registry/assets", "Registered assets visible to the caller (public notice)", true,
      [](M&, const C& x) { return Ok(x.reg().ListAssets(*x.caller, x.page)); });
  get("/api/v1/registry/assets/{id}", "An asset with its claims in priority order", false,
      [](M&, const C& x) { return Ok(x.reg().GetAsset(*x.caller, x.id())); });
  write("POST", "/api/v1/registry/assets/{id}/pledges",
        "Register a pledge (bank); 409 when the asset is already pledged",
        Schema({{"amount_fen", Prop("integer", "the financed amount")}}, {"amount_fen"}),
        [](M&, Conn& c, const C& x) { return x.reg().Pledge(c, *x.caller, x.id(), *x.body); });
  write("POST", "/api/v1/registry/assets/{id}/transfers", "Transfer an asset (its holder)",
        Schema({{"to_tenant_id", Prop("integer")}}, {"to_tenant_id"}),
        [](M&, Conn& c, const C& x) { return x.reg().Transfer(c, *x.caller, x.id(), *x.body); });
  write(
      "POST", "/api/v1/registry/pledges/{id}/release", "Release a pledge (the pledgee bank)",
      nullptr, [](M&, Conn& c, const C& x) { return x.reg().ReleasePledge(c, *x.caller, x.id()); },
      200);
  write(
      "POST", "/api/v1/registry/assets/{id}/delivery",
      "The buyer confirms delivery of an order: financed receivables settle, lender first", nullptr,
      [](M&, Conn& c, const C& x) { return x.reg().ConfirmDelivery(c, *x.caller, x.id()); }, 200);
  get(
      "/api/v1/registry/checkpoint", "The newest signed checkpoint (C2SP signed note, text/plain)",
      false,
      [](M&, const C& x) -> Result<Response> {
        auto cp = x.reg().log().Latest();
        if (!cp) return Fail(std::move(cp.error()));
        Response r;
        r.text = std::move(cp->note);
        r.content_type = "text/plain; charset=utf-8";
        return r;
      },
      Access::kPublic);
  get(
      "/api/v1/registry/key", "The log's origin and verifier key", false,
      [](M&, const C& x) -> Result<Response> {
        const auto& log = x.reg().log();
        return Response{200, Json{{"origin", log.origin()},
                                  {"verifier_key", log.verifier().ToString()},
                                  {"algorithm", "Ed25519"}}};
      },
      Access::kPublic);
  get("/api/v1/registry/entries/{index}", "A log entry with its leaf data (parties, oversight)",
      false, [](M&, const C& x) -> Result<Response> {
        const auto index = ParseCount(x.match->words.at(0), "/index");
        if (!index) return Fail(index.error());
        return Ok(x.reg().GetEntry(*x.caller, *index));
      });
  get(
      "/api/v1/registry/proofs/inclusion",
      "Inclusion proof by ?index= or ?leaf_hash= (hex), for ?tree_size= (default: newest)", false,
      [](M&, const C& x) { return Ok(InclusionProofJson(x.reg().log(), *x.target)); },
      Access::kPublic);
  get(
      "/api/v1/registry/proofs/consistency",
      "Consistency proof between ?first= and ?second= (default: newest)", false,
      [](M&, const C& x) { return Ok(ConsistencyProofJson(x.reg().log(), *x.target)); },
      Access::kPublic);

  // Regional evaluation.
  get("/api/v1/evaluation/border-cities",
      "The seven border cities evaluated from their published statistics", false, [](M&, const C&) {
        return EvaluationResponse(evaluate::BorderCities(evaluate::BorderCitiesCsv()), false);
      });
  get("/api/v1/evaluation/border-cities/report.svg", "The border-city evaluation as an SVG report",
      false, [](M&, const C&) {
        return EvaluationResponse(evaluate::BorderCities(evaluate::BorderCitiesCsv()), true);
      });
  write("POST", "/api/v1/evaluation/indicators",
        "Record a region's indicator for a year (bureau); a correction replaces it, both logged",
        Schema({{"region", Prop("string")},
                {"year", Prop("integer")},
                {"indicator", Prop("string", "e.g. industrial_chain_co_construction_rate")},
                {"value", Prop("number")},
                {"unit", Prop("string")},
                {"direction", Prop("string", "positive | negative")},
                {"subsystem", Prop("string", "default cooperation")}},
               {"region", "year", "indicator", "value"}),
        [](M& m, Conn& c, const C& x) {
          return service::Evaluation(m.store(), m.clock()).RecordIndicator(c, *x.caller, *x.body);
        });
  get("/api/v1/evaluation/indicators", "The indicators recorded for ?year=", true,
      [](M& m, const C& x) -> Result<Response> {
        const auto year = YearParam(*x.target);
        if (!year) return Fail(year.error());
        return Ok(
            service::Evaluation(m.store(), m.clock()).ListIndicators(*x.caller, *year, x.page));
      });
  get("/api/v1/evaluation/cooperation",
      "The regions evaluated on the indicators recorded for ?year=", false,
      [](M& m, const C& x) -> Result<Response> {
        const auto year = YearParam(*x.target);
        if (!year) return Fail(year.error());
        return EvaluationResponse(service::Evaluation(m.store(), m.clock()).Table(*year), false);
      });
  get("/api/v1/evaluation/cooperation/report.svg",
      "The cooperation evaluation for ?year= as an SVG report", false,
      [](M& m, const C& x) -> Result<Response> {
        const auto year = YearParam(*x.target);
        if (!year) return Fail(year.error());
        return EvaluationResponse(service::Evaluation(m.store(), m.clock()).Table(*year), true);
      });

  // Credit-risk analyses of a loan book.
  write(
      "POST", "/api/v1/portfolios/{id}/analyses",
      "Run a credit-risk analysis of a bank's book (or, bureau, the platform's) in the "
      "background: 202, then poll; 409 while the caller's organisation has four queued or running",
      Schema({{"scenarios", Prop("integer", "1,000 to 5,000,000; default 100,000")},
              {"seed", Prop("integer")},
              {"confidence_levels", Prop("array", "default [0.99, 0.999]")},
              {"importance_sampling", Prop("boolean")},
              {"backend", Prop("string", "cpu, cuda or auto; default auto")}},
             {}),
      [](M&, Conn& c, const C& x) { return x.analyses->Request(c, *x.caller, x.id(), *x.body); },
      202);
  get("/api/v1/portfolios/{id}/analyses", "The analyses of a portfolio, newest first", true,
      [](M&, const C& x) { return Ok(x.analyses->List(*x.caller, x.id(), x.page)); });
  get("/api/v1/portfolios/{id}/analyses/{analysis}",
      "One analysis: status, progress and, when done, the result", false,
      [](M&, const C& x) { return Ok(x.analyses->Get(*x.caller, x.id(0), x.id(1))); });

  // Supply-chain ecosystems: the risk graph, risk paths, the core cap, risk pools.
  write("POST", "/api/v1/ecosystems", "Create an ecosystem around a core enterprise (bureau)",
        Schema({{"name", Prop("string")},
                {"core_enterprise_id", Prop("integer")},
                {"core_capital_fen", Prop("integer", "the core's equity, for the risk measures")},
                {"core_cap_bps", Prop("integer",
                                      "the core's cap on the ecosystem's financing; "
                                      "default 3000 (30%)")}},
               {"name", "core_enterprise_id", "core_capital_fen"}),
        [](M& m, Conn& c, const C& x) {
          return service::Ecosystems(m.store(), m.clock()).Create(c, *x.caller, *x.body);
        });
  get("/api/v1/ecosystems", "The ecosystems", true, [](M& m, const C& x) {
    return Ok(service::Ecosystems(m.store(), m.clock()).List(*x.caller, x.page));
  });
  write("POST", "/api/v1/ecosystems/{id}/members",
        "Add an enterprise (enterprise_id) or a bank or guarantee agency (tenant_id) with its "
        "capital (bureau)",
        Schema({{"enterprise_id", Prop("integer")},
                {"tenant_id", Prop("integer")},
                {"capital_fen", Prop("integer")}},
               {"capital_fen"}),
        [](M& m, Conn& c, const C& x) {
          return service::Ecosystems(m.store(), m.clock()).AddMember(c, *x.caller, x.id(), *x.body);
        });
  write(
      "POST", "/api/v1/ecosystems/{id}/trades",
      "Record an order (buyer → supplier) or an open receivable between members (bureau or a "
      "party to it)",
      Schema({{"kind", Prop("string", "order | receivable")},
              {"buyer_enterprise_id", Prop("integer")},
              {"supplier_enterprise_id", Prop("integer")},
              {"amount_fen", Prop("integer")}},
             {"kind", "buyer_enterprise_id", "supplier_enterprise_id", "amount_fen"}),
      [](M& m, Conn& c, const C& x) {
        return service::Ecosystems(m.store(), m.clock()).RecordTrade(c, *x.caller, x.id(), *x.body);
      });
  get("/api/v1/ecosystems/{id}/graph",
      "The risk graph: nodes with DebtRank, impact and financing share, edges with amounts; "
      "?shock=NODE&drop=0.4[&pass_through=1&max_tiers=3] adds each node's order drop",
      false, [](M& m, const C& x) -> Result<Response> {
        const auto shock = ShockParams(*x.target);
        if (!shock) return Fail(shock.error());
        return Ok(service::Ecosystems(m.store(), m.clock()).Graph(*x.caller, x.id(), *shock));
      });
  get("/api/v1/ecosystems/{id}/paths",
      "The strongest risk path from ?from=NODE's default to each lender, with the amounts", false,
      [](M& m, const C& x) -> Result<Response> {
        if (!x.target->HasParam("from")) return Fail(Error::Invalid("/from", "is required"));
        return Ok(service::Ecosystems(m.store(), m.clock())
                      .Paths(*x.caller, x.id(), std::string(x.target->Param("from"))));
      });
  write(
      "POST", "/api/v1/risk-pools",
      "Open a risk pool account (bureau): compensation_pool, reserve_pool, rnd_failure_fund "
      "or rnd_insurance",
      Schema(
          {{"name", Prop("string")}, {"scheme", Prop("string")}, {"ecosystem_id", Prop("integer")}},
          {"name", "scheme"}),
      [](M& m, Conn& c, const C& x) {
        return service::Ecosystems(m.store(), m.clock()).CreatePool(c, *x.caller, *x.body);
      });
  get("/api/v1/risk-pools", "The risk pools and their balances", true, [](M& m, const C& x) {
    return Ok(service::Ecosystems(m.store(), m.clock()).ListPools(*x.caller, x.page));
  });
  get("/api/v1/risk-pools/{id}", "A risk pool with every funding and draw", false,
      [](M& m, const C& x) {
        return Ok(service::Ecosystems(m.store(), m.clock()).GetPool(*x.caller, x.id()));
      });
  write("POST", "/api/v1/risk-pools/{id}/fundings",
        "Fund a pool (bureau), split by its scheme's shares to the fen, logged",
        Schema({{"amount_fen", Prop("integer")},
                {"party", Prop("string", "the funder, for pools without fixed shares")},
                {"note", Prop("string")}},
               {"amount_fen"}),
        [](M& m, Conn& c, const C& x) {
          return service::Ecosystems(m.store(), m.clock()).FundPool(c, *x.caller, x.id(), *x.body);
        });
  write("POST", "/api/v1/risk-pools/{id}/draws",
        "Draw a loss on a pool (bureau): its share by the scheme, never beyond the balance, logged",
        Schema(
            {{"loss_fen", Prop("integer")}, {"loan_id", Prop("integer")}, {"note", Prop("string")}},
            {"loss_fen"}),
        [](M& m, Conn& c, const C& x) {
          return service::Ecosystems(m.store(), m.clock()).DrawPool(c, *x.caller, x.id(), *x.body);
        });

  // Green finance.
  auto gf = [](M& m) { return service::GreenFinance(m.store(), m.clock()); };
  get("/api/v1/green/rule-tables", "The label rule table in force and every published version",
      false, [gf](M& m, const C&) { return Ok(gf(m).RuleTables()); });
  write("POST", "/api/v1/green/rule-tables",
        "Publish a new version of the label rule table (bureau); it is in force at once, logged",
        Schema(
            {{"version", Prop("string")},
             {"categories", Prop("array", "[{name, purposes, excluded_industries}]")},
             {"power_dark_below", Prop("number", "gCO2e/kWh")},
             {"power_medium_below", Prop("number", "gCO2e/kWh")},
             {"reduction_dark", Prop("number", "percent")},
             {"reduction_medium", Prop("number", "percent")},
             {"reduction_light", Prop("number", "percent")},
             {"transition_activities", Prop("array")},
             {"transition_min_reduction", Prop("number", "percent")},
             {"subsidy_bps", Prop("array", "by label: not_green, transition, light, medium, dark")},
             {"sources", Prop("array")}},
            {"version"}),
        [gf](M& m, Conn& c, const C& x) { return gf(m).PublishRuleTable(c, *x.caller, *x.body); });
  write("POST", "/api/v1/green/labels",
        "Label a loan (its bank or the bureau) or a catalogue project (bureau) from evidence; "
        "flagged decisions wait for the bureau's review",
        Schema({{"loan_id", Prop("integer")},
                {"project_id", Prop("integer")},
                {"capacity_mw", Prop("number", "wind and solar: installed capacity")},
                {"project", Prop("object",
                                 "category, activity, intensity_gco2e_per_kwh, "
                                 "emission_reduction_pct, evidence, claimed_label, "
                                 "proceeds_purpose")}},
               {"project"}),
        [gf](M& m, Conn& c, const C& x) { return gf(m).DecideLabel(c, *x.caller, *x.body); });
  get("/api/v1/green/labels",
      "Label decisions the caller may see; ?status=under_review is the bureau's review queue", true,
      [gf](M& m, const C& x) {
        std::optional<std::string> status;
        if (x.target->HasParam("status")) status = std::string(x.target->Param("status"));
        return Ok(gf(m).ListLabels(*x.caller, status, x.page));
      });
  write(
      "POST", "/api/v1/green/labels/{id}/review",
      "Grant or reject a flagged label decision (bureau), with a note, logged",
      Schema({{"decision", Prop("string", "grant | reject")}, {"note", Prop("string")}},
             {"decision", "note"}),
      [gf](M& m, Conn& c, const C& x) { return gf(m).ReviewLabel(c, *x.caller, x.id(), *x.body); },
      200);
  get("/api/v1/green/reserves",
      "Green risk reserves and decommissioning deposits held for the caller's loans", true,
      [gf](M& m, const C& x) { return Ok(gf(m).ListReserves(*x.caller, x.page)); });
  write(
      "POST", "/api/v1/green/reserves/{id}/release",
      "Release a reserve (bureau): a deposit on verified decommissioning, a risk reserve once "
      "the loan is repaid",
      Schema({{"note", Prop("string")}, {"decommissioning_verified", Prop("boolean")}}, {"note"}),
      [gf](M& m, Conn& c, const C& x) {
        return gf(m).ReleaseReserve(c, *x.caller, x.id(), *x.body);
      },
      200);
  get("/api/v1/green/statistics",
      "Green loans by the Catalogue's categories (PBoC green-loan statistics): number, "
      "principal, balance, by label",
      false, [gf](M& m, const C& x) { return Ok(gf(m).Statistics(*x.caller)); });
  get("/api/v1/green/financed-emissions",
      "Financed emissions of the bank's book (the platform's for the bureau) in ?period=YYYY or "
      "YYYY-Qn, by the PCAF Standard: attributed scopes 1-3, removals and credits apart, "
      "weighted data quality, coverage and the loans not covered with the reason",
      false, [gf](M& m, const C& x) {
        const std::string period =
            x.target->HasParam("period") ? std::string(x.target->Param("period")) : "";
        return Ok(gf(m).FinancedEmissions(*x.caller, period));
      });
  write("POST", "/api/v1/enterprises/{id}/carbon-records",
        "Record a period of the enterprise's carbon account (the enterprise or the bureau); a "
        "correction replaces it, logged",
        Schema({{"period", Prop("string", "YYYY or YYYY-Qn")},
                {"scope1_kg", Prop("integer")},
                {"scope2_kg", Prop("integer")},
                {"scope3_kg", Prop("integer")},
                {"reductions_kg", Prop("integer")},
                {"output", Prop("integer")},
                {"output_unit", Prop("string")},
                {"data_quality", Prop("integer", "1 (best) to 5")},
                {"metered", Prop("boolean")},
                {"removals_kg", Prop("integer")},
                {"credits_retired_kg", Prop("integer")},
                {"credits_generated_kg", Prop("integer")},
                {"equity_plus_debt_fen", Prop("integer", "the firm's total equity + debt")},
                {"evic_fen", Prop("integer", "enterprise value including cash (listed firms)")}},
               {"period", "scope1_kg", "scope2_kg", "scope3_kg", "output", "output_unit",
                "data_quality"}),
        [gf](M& m, Conn& c, const C& x) {
          return gf(m).RecordCarbon(c, *x.caller, x.id(), *x.body);
        });
  get("/api/v1/enterprises/{id}/carbon-account",
      "The enterprise's carbon account: emissions by scope, intensity over time, data quality "
      "and the pricing adjustment",
      false, [gf](M& m, const C& x) { return Ok(gf(m).CarbonAccount(*x.caller, x.id())); });
  write("POST", "/api/v1/loans/{id}/sustainability-link",
        "Make the bank's loan sustainability-linked: KPIs, margin steps, ratchet, floor and cap",
        Schema({{"base_margin_bps", Prop("integer")},
                {"kpis", Prop("array", "[{name, target, direction, step_bps}]")},
                {"ratchet", Prop("string", "symmetric | downward_only")},
                {"floor_bps", Prop("integer")},
                {"cap_bps", Prop("integer")}},
               {"base_margin_bps", "kpis"}),
        [gf](M& m, Conn& c, const C& x) {
          return gf(m).LinkSustainability(c, *x.caller, x.id(), *x.body);
        });
  get("/api/v1/loans/{id}/sustainability-link",
      "A sustainability-linked loan's terms and KPI observations", false,
      [gf](M& m, const C& x) { return Ok(gf(m).Sustainability(*x.caller, x.id())); });
  write(
      "POST", "/api/v1/loans/{id}/kpi-observations",
      "Record a period's KPI results (the bank): the margin moves and re-prices the schedule "
      "from the next period, logged",
      Schema({{"period", Prop("string")}, {"actuals", Prop("object", "{KPI name: value}")}},
             {"period", "actuals"}),
      [gf](M& m, Conn& c, const C& x) { return gf(m).ObserveKpis(c, *x.caller, x.id(), *x.body); });

  get("/healthz", "Liveness and readiness", false, nullptr, Access::kPublic);
  get("/metrics", "Prometheus metrics", false, nullptr, Access::kPublic);
  return r;
}

const std::vector<RouteImpl>& RouteTable() {
  static const std::vector<RouteImpl> table = Routes();
  return table;
}

std::vector<RouteSpec> Specs() {
  std::vector<RouteSpec> specs;
  for (const auto& r : RouteTable()) specs.push_back(r.spec);
  return specs;
}

std::vector<std::string> Labels() {
  std::vector<std::string> labels;
  for (const auto& r : RouteTable()) labels.push_back(r.spec.method + " " + r.spec.pattern);
  labels.emplace_back("unmatched");
  return labels;
}

// Headers every answer carries (OWASP Secure Headers): no MIME sniffing, no framing, no referrer;
// a Content-Security-Policy that lets a page load only this origin's own resources (inline
// styles allowed, no inline script, no eval) and lets nothing else load at all; and no caching
// of anything answered to a bearer token.
void AddSecurityHeaders(const HttpRequest& request, HttpResponse& response) {
  const bool html = response.content_type.starts_with("text/html");
  response.headers.emplace_back("X-Content-Type-Options", "nosniff");
  response.headers.emplace_back("X-Frame-Options", "DENY");
  response.headers.emplace_back("Referrer-Policy", "no-referrer");
  response.headers.emplace_back(
      "Content-Security-Policy",
      html ? "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
             "img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; "
             "frame-ancestors 'none'"
           : "default-src 'none'; frame-ancestors 'none'; sandbox");
  if (!request.Header("authorization").empty()) {
    response.headers.emplace_back("Cache-Control", "no-store");
  }
}

HttpResponse JsonResponse(int status, const Json& body) {
  return HttpResponse{status, "application/json", body.dump(), {}};
}

}  // namespace

Api::Api(service::Marketplace& marketplace, service::Authenticator& auth,
         service::Registry* registry)
    : marketplace_(marketplace),
      auth_(auth),
      registry_(registry),
      analyses_(std::make_unique<service::RiskAnalyses>(
          marketplace.store(), marketplace.clock(),
          static_cast<int>(std::max(1u, std::thread::hardware_concurrency())))),
      router_(Specs()),
      metrics_(Labels()) {
  openapi_ = router_.OpenApi().dump(2);
}

Api::~Api() = default;

HttpResponse Api::Handle(const HttpRequest& request) { return Handle(request, nullptr); }

HttpResponse Api::Handle(const HttpRequest& request, std::string_view* route_label) {
  const auto start = std::chrono::steady_clock::now();
  const Target target = ParseTarget(request.target);
  size_t route_index = RouteTable().size();  // "unmatched"
  std::optional<HttpResponse> page;
  if (dashboard_ != nullptr && request.method == "GET") page = dashboard_->Find(target.path);
  HttpResponse response = page ? std::move(*page) : Dispatch(request, target, &route_index);
  AddSecurityHeaders(request, response);
  const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                          std::chrono::steady_clock::now() - start)
                          .count();
  metrics_.Record(route_index, response.status, micros);
  if (route_label != nullptr) {
    *route_label = route_index < RouteTable().size()
                       ? std::string_view(RouteTable()[route_index].spec.pattern)
                       : std::string_view("-");
  }
  return response;
}

HttpResponse Api::Dispatch(const HttpRequest& request, const Target& target, size_t* route_index) {
  const auto outcome = router_.Match(request.method, target.path);
  if (!outcome.match) {
    if (outcome.miss == Router::Miss::kWrongMethod) {
      return Problem(Error{ErrorCode::kMethodNotAllowed, "method not allowed on this path", {}});
    }
    return Problem(Error::NotFound("route " + target.path));
  }
  const RouteMatch& match = *outcome.match;
  *route_index = match.index;
  const RouteImpl& route = RouteTable()[match.index];

  if (route.spec.pattern == "/healthz") {
    if (draining_.load())
      return HttpResponse{503, "application/json", R"({"status":"draining"})", {}};
    return HttpResponse{200, "application/json", R"({"status":"ok"})", {}};
  }
  if (route.spec.pattern == "/metrics") {
    return HttpResponse{200, "text/plain; version=0.0.4", metrics_.Render(), {}};
  }
  if (route.spec.pattern == "/api/v1/openapi.json") {
    return HttpResponse{200, "application/json", openapi_, {}};
  }

  Caller caller;
  Context ctx;
  ctx.match = &match;
  ctx.registry = registry_;
  ctx.analyses = analyses_.get();
  if (registry_ == nullptr && route.spec.pattern.starts_with("/api/v1/registry/")) {
    return Problem(Error{ErrorCode::kUnavailable, "this instance runs without a registry", {}});
  }
  ctx.target = &target;
  const std::string_view authorization = request.Header("authorization");
  if (route.spec.access == Access::kToken || !authorization.empty()) {
    constexpr std::string_view kBearer = "Bearer ";
    if (!authorization.starts_with(kBearer)) {
      HttpResponse r =
          Problem(Error{ErrorCode::kUnauthenticated, "send Authorization: Bearer <token>", {}});
      r.headers.emplace_back("WWW-Authenticate", "Bearer");
      return r;
    }
    auto who = auth_.Authenticate(authorization.substr(kBearer.size()));
    if (!who) {
      HttpResponse r = Problem(who.error());
      r.headers.emplace_back("WWW-Authenticate", "Bearer error=\"invalid_token\"");
      return r;
    }
    caller = *who;
    ctx.caller = &caller;
  }

  if (route.spec.paged) {
    const std::string_view limit = target.Param("limit");
    std::vector<FieldError> errors;
    if (!limit.empty()) {
      int64_t v = 0;
      const auto [p, ec] = std::from_chars(limit.data(), limit.data() + limit.size(), v);
      if (ec != std::errc() || p != limit.data() + limit.size() || v < 1 || v > 500) {
        errors.push_back({"/limit", "must be an integer between 1 and 500"});
      } else {
        ctx.page.limit = v;
      }
    }
    if (target.HasParam("cursor")) {
      auto after = service::DecodeCursor(target.Param("cursor"));
      if (!after) {
        errors.push_back({"/cursor", "not a cursor returned by this API"});
      } else {
        ctx.page.after_id = *after;
      }
    }
    if (target.HasParam("order")) {
      // The working lists (the ones people search for what just arrived) read newest first.
      static constexpr std::array<std::string_view, 6> kNewestFirst = {
          "/api/v1/enterprises", "/api/v1/needs",           "/api/v1/offers",
          "/api/v1/loans",       "/api/v1/guarantee-requests", "/api/v1/registry/assets"};
      const std::string_view order = target.Param("order");
      const bool supported = std::find(kNewestFirst.begin(), kNewestFirst.end(),
                                       route.spec.pattern) != kNewestFirst.end();
      if (!supported) {
        errors.push_back({"/order", "this list is read in id order only"});
      } else if (order == "newest") {
        ctx.page.newest_first = true;
      } else if (order != "oldest") {
        errors.push_back({"/order", "must be newest or oldest"});
      }
    }
    if (!errors.empty()) return Problem(Error::Invalid(std::move(errors)));
  }

  Json body;
  if (!route.spec.request_schema.is_null() || route.write) {
    if (!request.body.empty()) {
      body = Json::parse(request.body, nullptr, false);
      if (body.is_discarded()) {
        return Problem(Error{ErrorCode::kMalformed,
                             "the body is not valid JSON",
                             {{"", "the body is not valid JSON"}}});
      }
    } else {
      body = Json::object();
    }
  }
  ctx.body = &body;

  Result<Response> result;
  if (route.write) {
    std::optional<std::string> key;
    if (auto k = request.Header("idempotency-key"); !k.empty()) {
      if (k.size() > 255) {
        return Problem(Error::Invalid("/Idempotency-Key", "must be at most 255 characters"));
      }
      key = std::string(k);
    }
    const std::string fingerprint =
        service::HashToken(request.method + " " + target.path + "\n" + request.body);
    result = marketplace_.Mutate(ctx.caller, key, fingerprint, [&](store::Connection& c) {
      return route.write(marketplace_, c, ctx);
    });
  } else {
    result = route.read(marketplace_, ctx);
  }
  if (!result) return Problem(result.error());
  HttpResponse response = result->text.empty() ? JsonResponse(result->status, result->body)
                                               : HttpResponse{result->status,
                                                              result->content_type.empty()
                                                                  ? std::string("application/json")
                                                                  : std::move(result->content_type),
                                                              std::move(result->text),
                                                              {}};
  if (result->replayed) response.headers.emplace_back("Idempotent-Replayed", "true");
  return response;
}

}  // namespace corridor::api
