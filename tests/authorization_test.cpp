// Authorization generated from the route table. One side of the platform (bank B with its officer
// and analyst, guarantor B, enterprises B) owns records of every kind; the other side (bank A's
// officer and risk analyst, guarantor A's officer, enterprise A's user, insurer A's and trustee A's
// officers) and the bureau's analyst and auditor call every route the API serves on B's records.
// Every route must have a case below: a route added without one fails the test, so no route ships
// without its tenancy checked.
//
// What is checked, for every route and every caller of side A:
//   - reads of B's record by id answer 403 or 404 unless the route is a catalogue or market
//     (catalogue, public notice, posted needs) that the caller's organisation may read;
//   - no read, list or report returns B's data: every record of B carries the marker "ZQX" in a
//     name or the amount 987654321 fen, and neither may appear in the answer;
//   - writes on B's records answer 403 or 404; writes that create the caller's own records answer
//     403 to every role that may not make them;
//   - nothing answers 5xx, and every route but the public ones answers 401 without a token.
#include <map>

#include "api_fixture.hpp"

namespace corridor::testing {
namespace {

constexpr std::string_view kMarker = "ZQX";
constexpr int64_t kMarkerFen = 987'654'321;

// Who may see B's records through a route without it being a leak.
enum class Scope {
  kPublic,    // no token needed; the same for everyone
  kShared,    // any token; the same for everyone (catalogues, rates, evaluation, calc)
  kMarket,    // banks and guarantee agencies read every record (posted needs, enterprises)
  kNotice,    // banks read every record (the registry is a public notice)
  kTenant,    // only the owning organisations and the bureau
  kPlatform,  // the bureau's users only
  kPension,   // the pension parties: the bureau, the insurers and the trust managers
};

struct Case {
  Case(Scope s = Scope::kTenant, std::set<std::string> a = {}, Json b = nullptr, std::string q = "")
      : scope(s), allowed(std::move(a)), body(std::move(b)), query(std::move(q)) {}

  Scope scope = Scope::kTenant;
  // For writes: the roles of side A (and the bureau's analyst and auditor) that may make it when
  // it creates their own record; empty for writes on B's records (nobody of side A may).
  std::set<std::string> allowed;
  Json body = nullptr;
  std::string query;
};

class Authorization : public ApiFixture {
 protected:
  struct Caller {
    std::string role;
    std::string kind;  // tenant kind: bank | guarantor | enterprise | bureau
    std::string token;
  };

  void SetUp() override {
    ApiFixture::SetUp();
    // The bureau's own analyst and auditor.
    for (const char* role : {"risk_analyst", "auditor"}) {
      auto u = Call("POST", "/api/v1/tenants/1/users", bureau_, {{"role", role}, {"name", role}});
      ASSERT_EQ(u.status, 201) << u.raw.body;
      callers_.push_back({role, "bureau", u.body["token"]});
    }
    ASSERT_EQ(Call("PUT", "/api/v1/settings/green_decommissioning_deposit_fen_per_mw", bureau_,
                   {{"value", 2'000'000}})
                  .status,
              200);
    // Side A: a bank with an officer and an analyst, a guarantee agency, an enterprise.
    const auto [bank_a_id, bank_a] = Onboard("bank", "Bank A", "bank_officer");
    callers_.push_back({"bank_officer", "bank", bank_a});
    callers_.push_back({"risk_analyst", "bank", User(bank_a_id, "risk_analyst")});
    callers_.push_back({"guarantee_officer", "guarantor",
                        Onboard("guarantor", "Guarantor A", "guarantee_officer").second});
    callers_.push_back({"enterprise_user", "enterprise", Enterprise(1, "new_energy").second});
    callers_.push_back({"insurance_officer", "insurer",
                        Onboard("insurer", "Insurer A", "insurance_officer").second});
    callers_.push_back(
        {"trust_officer", "trustee", Onboard("trustee", "Trustee A", "trust_officer").second});
    BuildSideB();
    BuildPensionSideB();
  }

  std::string User(int64_t tenant, const std::string& role) {
    auto u = Call("POST", "/api/v1/tenants/" + std::to_string(tenant) + "/users", bureau_,
                  {{"role", role}, {"name", "B " + role}});
    EXPECT_EQ(u.status, 201) << u.raw.body;
    return u.body["token"];
  }

  static int64_t Id(const Reply& r, const char* field = "id") {
    EXPECT_TRUE(r.status >= 200 && r.status < 300) << r.raw.body;
    return r.body.value(field, Json()).is_number() ? r.body[field].get<int64_t>() : 0;
  }

  // Side B owns a record of every kind, each marked.
  void BuildSideB() {
    const auto [bank, bank_token] = Onboard("bank", "Bank ZQX", "bank_officer");
    const auto [guarantor, guarantor_token] =
        Onboard("guarantor", "Guarantor ZQX", "guarantee_officer");
    ids_["bank"] = bank;
    auto reg = Call("POST", "/api/v1/enterprises", "",
                    {{"uscc", TestUscc(2)},
                     {"name", "ZQX 光伏有限公司"},
                     {"region", "Hongshan"},
                     {"industry", "new_energy"}});
    const int64_t ent = reg.body["enterprise"]["id"];
    const std::string ent_token = reg.body["token"];
    ASSERT_EQ(
        Call("POST", "/api/v1/enterprises/" + std::to_string(ent) + "/verify", bureau_).status,
        200);
    ids_["enterprise"] = ent;
    const auto [buyer, buyer_token] = Enterprise(3, "new_energy");

    ids_["product"] = Id(Call("POST", "/api/v1/products", bank_token,
                              {{"name", "ZQX green loan"},
                               {"min_amount_fen", 100'000},
                               {"max_amount_fen", 2'000'000'000},
                               {"min_term_months", 6},
                               {"max_term_months", 36},
                               {"rate_bps", 420}}));
    auto need = [&](const char* purpose) {
      return Id(Call("POST", "/api/v1/needs", ent_token,
                     {{"amount_fen", 1'000'000'000}, {"term_months", 12}, {"purpose", purpose}}));
    };
    auto offer = [&](int64_t need_id, bool accept) {
      const int64_t id = Id(Call("POST", "/api/v1/offers", bank_token,
                                 {{"need_id", need_id},
                                  {"amount_fen", kMarkerFen},
                                  {"annual_rate_bps", 420},
                                  {"term_months", 12},
                                  {"method", "equal_installment"}}));
      if (accept) {
        EXPECT_EQ(
            Call("POST", "/api/v1/offers/" + std::to_string(id) + "/accept", ent_token).status,
            200);
      }
      return id;
    };
    ids_["need"] = need("ZQX solar farm");
    const int64_t booked_offer = offer(ids_["need"], true);
    ids_["offer"] = offer(need("ZQX second array"), true);          // accepted, not booked
    ids_["pending_offer"] = offer(need("ZQX third array"), false);  // not yet decided
    auto request = [&](int64_t offer_id, bool approve) {
      const int64_t id =
          Id(Call("POST", "/api/v1/offers/" + std::to_string(offer_id) + "/guarantee-requests",
                  bank_token, {{"guarantor_tenant_id", guarantor}, {"cover_bps", 10'000}}));
      if (approve) {
        EXPECT_EQ(Call("POST", "/api/v1/guarantee-requests/" + std::to_string(id) + "/approve",
                       guarantor_token)
                      .status,
                  200);
      }
      return id;
    };
    const int64_t approved = request(booked_offer, true);
    ids_["request"] = request(ids_["offer"], false);
    ids_["loan"] = Id(Call("POST", "/api/v1/loans", bank_token,
                           {{"offer_id", booked_offer},
                            {"start_date", "2025-06-01"},
                            {"guarantee_request_id", approved}}));
    const std::string loan = "/api/v1/loans/" + std::to_string(ids_["loan"]);
    ids_["label"] = Id(Call("POST", "/api/v1/green/labels", bank_token,
                            {{"loan_id", ids_["loan"]},
                             {"capacity_mw", 12.5},
                             {"project",
                              {{"category", "clean_energy"},
                               {"activity", "solar_pv"},
                               {"intensity_gco2e_per_kwh", 40},
                               {"evidence", {"metered_data"}},
                               {"proceeds_purpose", "solar_pv"}}}}));
    auto reserves = Call("GET", "/api/v1/green/reserves", bank_token);
    ASSERT_FALSE(reserves.body["items"].empty()) << reserves.raw.body;
    ids_["reserve"] = reserves.body["items"][0]["id"];
    ASSERT_EQ(Call("POST", loan + "/sustainability-link", bank_token,
                   {{"base_margin_bps", 100},
                    {"kpis",
                     {{{"name", "so2"},
                       {"target", 1.0},
                       {"direction", "lower_is_better"},
                       {"step_bps", 5}}}}})
                  .status,
              201);
    ASSERT_EQ(Call("POST", "/api/v1/enterprises/" + std::to_string(ent) + "/carbon-records",
                   ent_token, CarbonRecord())
                  .status,
              201);
    ids_["program"] =
        Id(Call("POST", "/api/v1/subsidy-programs", bureau_,
                {{"name", "ZQX programme"}, {"subsidy_bps", 100}, {"budget_fen", 100'000'000}}));
    ASSERT_EQ(
        Call("POST", "/api/v1/subsidy-programs/" + std::to_string(ids_["program"]) + "/payments",
             bureau_, {{"loan_id", ids_["loan"]}, {"installment_seq", 1}})
            .status,
        201);
    ids_["whitelist"] = Id(Call("POST", "/api/v1/whitelists", bank_token, {{"name", "ZQX chain"}}));
    ASSERT_EQ(Call("POST", "/api/v1/whitelists/" + std::to_string(ids_["whitelist"]) + "/members",
                   bank_token, {{"enterprise_id", ent}})
                  .status,
              201);
    const int64_t order = Id(Call("POST", "/api/v1/registry/assets", ent_token,
                                  {{"type", "order"},
                                   {"document_number", "PO-ZQX-1"},
                                   {"debtor_uscc", TestUscc(3)},
                                   {"creditor_uscc", TestUscc(2)},
                                   {"amount_fen", kMarkerFen},
                                   {"description", "ZQX modules"}}));
    ids_["order"] = order;
    auto receivable = Call("POST", "/api/v1/registry/assets", ent_token,
                           {{"type", "receivable"},
                            {"document_type", "invoice"},
                            {"document_number", "INV-ZQX-1"},
                            {"debtor_uscc", TestUscc(3)},
                            {"creditor_uscc", TestUscc(2)},
                            {"amount_fen", kMarkerFen},
                            {"due_date", "2026-06-30"},
                            {"order_id", order},
                            {"description", "ZQX invoice"}});
    ids_["asset"] = Id(receivable);
    ids_["entry"] = receivable.body.value("log_index", 0);
    ids_["pledge"] =
        Id(Call("POST", "/api/v1/registry/assets/" + std::to_string(ids_["asset"]) + "/pledges",
                bank_token, {{"amount_fen", 500'000'000}}),
           "pledge_id");
    auto analysis = Call("POST", "/api/v1/portfolios/" + std::to_string(bank) + "/analyses",
                         bank_token, {{"scenarios", 1000}, {"seed", 7}});
    ASSERT_EQ(analysis.status, 202) << analysis.raw.body;
    ids_["analysis"] = analysis.body["id"];
    ids_["ecosystem"] = Id(Call(
        "POST", "/api/v1/ecosystems", bureau_,
        {{"name", "ZQX chain"}, {"core_enterprise_id", ent}, {"core_capital_fen", 5'000'000'000}}));
    ASSERT_EQ(Call("POST", "/api/v1/ecosystems/" + std::to_string(ids_["ecosystem"]) + "/members",
                   bureau_, {{"enterprise_id", buyer}, {"capital_fen", 1'000'000}})
                  .status,
              201);
    ids_["pool"] = Id(Call("POST", "/api/v1/risk-pools", bureau_,
                           {{"name", "ZQX pool"}, {"scheme", "compensation_pool"}}));
    // The ecosystem's order pool (ZQX is its core), a line of bank B to the member supplier
    // against an order of the marker's amount, a draw, a reading and a margin call.
    ids_["supply_pool"] = Id(Call("POST", "/api/v1/supply/pools", ent_token,
                                  {{"ecosystem_id", ids_["ecosystem"]}, {"name", "B chain"}}));
    ids_["supplier"] = buyer;
    ids_["line"] =
        Id(Call("POST", "/api/v1/supply/pools/" + std::to_string(ids_["supply_pool"]) + "/lines",
                bank_token,
                {{"supplier_enterprise_id", buyer},
                 {"limit_fen", kMarkerFen},
                 {"advance_rate_bps", 8000},
                 {"max_buyer_share_bps", 10000},
                 {"fulfilment_rate_bps", 9000}}));
    const int64_t pooled = Id(Call("POST", "/api/v1/registry/assets", buyer_token,
                                   {{"type", "order"},
                                    {"document_number", "PO-POOL-1"},
                                    {"debtor_uscc", TestUscc(2)},
                                    {"creditor_uscc", TestUscc(3)},
                                    {"amount_fen", kMarkerFen},
                                    {"due_date", "2026-06-30"}}));
    ids_["supply_order"] = pooled;
    ids_["pool_order"] =
        Id(Call("POST", "/api/v1/supply/pools/" + std::to_string(ids_["supply_pool"]) + "/orders",
                ent_token, {{"asset_id", pooled}}),
           "pool_order_id");
    ASSERT_EQ(Call("POST", "/api/v1/supply/readings", buyer_token,
                   {{"date", "2025-06-01"}, {"capacity_units", 100}, {"used_units", 80}})
                  .status,
              201);
    ASSERT_EQ(Call("POST", "/api/v1/supply/lines/" + std::to_string(ids_["line"]) + "/draws",
                   buyer_token, {{"amount_fen", 100'000'000}})
                  .status,
              201);
    auto run = Call("POST", "/api/v1/supply/margin-runs", bank_token, {{"date", "2025-06-15"}});
    ASSERT_EQ(run.body["calls"].size(), 1u) << run.raw.body;
    ids_["margin_call"] = run.body["calls"][0]["id"];
    ASSERT_EQ(Call("POST",
                   "/api/v1/supply/receivables/" + std::to_string(ids_["asset"]) + "/confirmation",
                   buyer_token, {{"amount_fen", kMarkerFen}, {"due_date", "2026-06-30"}})
                  .status,
              201);
    ids_["secured_loan"] = Id(Call("POST", "/api/v1/supply/ip-loans", bank_token,
                                   {{"enterprise_id", ent},
                                    {"patents", {"ZL2025ZQX1"}},
                                    {"valuation_fen", kMarkerFen},
                                    {"pledge_rate_bps", 5000},
                                    {"principal_fen", 100'000'000}}));
    {
      auto fund = Call("POST", "/api/v1/supply/rnd-funds", bank_token,
                       {{"enterprise_id", ent},
                        {"project", "ZQX battery R&D"},
                        {"approved_fen", kMarkerFen},
                        {"tranches", {{{"milestone", "prototype"}, {"amount_fen", 100'000'000}}}}});
      ids_["rnd_fund"] = Id(fund);
      ids_["rnd_tranche"] = fund.body["tranches"][0]["id"];
    }
    ASSERT_EQ(Call("POST", "/api/v1/supply/cross-border-settlements", ent_token,
                   {{"direction", "receipt"},
                    {"counterparty", "ZQX LLC"},
                    {"counterparty_country", "MN"},
                    {"currency", "CNY"},
                    {"amount_minor", kMarkerFen},
                    {"date", "2025-06-01"},
                    {"reference", "CB-ZQX"}})
                  .status,
              201);
    // B's wind farm, financed by bank B, and the critical alert its utilization fires.
    ids_["monitor_project"] = Id(Call("POST", "/api/v1/monitor/projects", bank_token,
                                      {{"code", "WF-ZQX"},
                                       {"name", "ZQX wind farm"},
                                       {"type", "wind"},
                                       {"capacity_kw", 50'000},
                                       {"region", "Hongshan"},
                                       {"enterprise_id", ent}}));
    ids_["monitor_webhook"] = Id(Call("POST", "/api/v1/monitor/webhooks", bank_token,
                                      {{"url", "https://zqx.example/hooks"}}));
    auto upload = Call("POST", "/api/v1/monitor/telemetry", ent_token,
                       {{"csv",
                         "project,indicator,time,value\n"
                         "WF-ZQX,equipment_utilization,2025-05-31T10:00:00Z,0.5\n"}});
    ASSERT_EQ(upload.body["alerts_fired"].size(), 1u) << upload.raw.body;
    ids_["monitor_alert"] = upload.body["alerts_fired"][0];
    ids_["monitor_rule"] = 1;
    // B's approved scoring model, stored as a trained version is, and a run that scored B's
    // enterprise with a reason.
    ASSERT_TRUE(store_->Write([&](store::Connection& c) -> Status {
      const auto officer = CORRIDOR_TRY(
          service::internal::QueryInt(c, "SELECT min(id) FROM users WHERE tenant_id = ?", bank));
      const Json report = {{"training", {{"auc", 0.7}}},
                           {"out_of_time", {{"auc", 0.7}, {"ks", 0.3}}},
                           {"challenger", {{"out_of_time", {{"auc", 0.7}}}}},
                           {"fairness", Json::object()},
                           {"stability_bands", {{"edges", {600.0}}, {"training_counts", {5, 5}}}}};
      const Json card = {{"features", Json::array()}, {"dropped", Json::array()},
                         {"intercept", -3.0},         {"factor", 72.13},
                         {"offset", 387.6},           {"points0", 600.0},
                         {"odds0", 1.0 / 19},         {"pdo", 50.0},
                         {"log_likelihood", -1.0}};
      const int64_t model = CORRIDOR_TRY(store::InsertReturningId(
          c,
          "INSERT INTO scoring_models (bank_tenant_id, name, version, status, snapshot_date, "
          "oot_date, horizon_days, cutoff, options, card, challenger, snapshot, report, "
          "trained_by, trained_at) VALUES (?, 'ZQX scorecard', 1, 'approved', '2024-05-31', "
          "'2024-11-30', 180, 600, '{}', ?, '{}', '{}', ?, ?, 0) RETURNING id",
          bank, card.dump(), report.dump(), *officer));
      ids_["scoring_model"] = model;
      // B's federated training, done and pending its decision.
      const Json request = {{"snapshot_date", "2024-05-31"},
                            {"horizon_days", 180},
                            {"features", {"tax_paid_12m_yuan"}},
                            {"party", "ZQX bank"},
                            {"session", {{"session", "ZQX joint"}}}};
      ids_["federated_training"] = CORRIDOR_TRY(store::InsertReturningId(
          c,
          "INSERT INTO federated_trainings (bank_tenant_id, name, status, request, progress, "
          "result, model_status, requested_by, created_at) VALUES (?, 'ZQX joint', 'done', ?, "
          "'{\"stage\": \"done\"}', '{\"cases\": 120}', 'pending', ?, 0) RETURNING id",
          bank, request.dump(), *officer));
      // A scoring with it, done.
      ids_["federated_scoring"] = CORRIDOR_TRY(store::InsertReturningId(
          c,
          "INSERT INTO federated_scorings (training_id, bank_tenant_id, session_name, status, "
          "request, progress, result, requested_by, created_at) VALUES (?, ?, 'ZQX scoring', "
          "'done', ?, '{\"stage\": \"done\"}', '{\"scored\": 1, \"scores\": []}', ?, 0) "
          "RETURNING id",
          ids_["federated_training"], bank,
          Json{{"as_of", "2025-05-31"}, {"party", "ZQX bank"}, {"session", request["session"]}}
              .dump(),
          *officer));
      const int64_t run = CORRIDOR_TRY(store::InsertReturningId(
          c,
          "INSERT INTO scoring_runs (model_id, as_of, scored, monitored, stability, summary, "
          "run_by, created_at) VALUES (?, '2025-05-31', 1, 0, 'none', '{\"psi\": null}', ?, 0) "
          "RETURNING id",
          model, *officer));
      CORRIDOR_TRY(store::Execute(c,
                                  "INSERT INTO credit_scores (run_id, enterprise_id, score, "
                                  "pd_ppm, reasons) VALUES (?, ?, 612, 41000, '[[1, 12.5, 3.0]]')",
                                  run, ent));
      return {};
    }));
  }

  // B's pension records: two insurers that settle B's claims, B's trust with a member and a
  // movement, an eco policy and its assessment; the bureau's fund with B's marked contribution.
  void BuildPensionSideB() {
    const auto [insurer, insurer_token] =
        Onboard("insurer", "ZQX 社会保险事业服务中心", "insurance_officer");
    const auto [other, other_token] = Onboard("insurer", "ZQX 北京社保", "insurance_officer");
    ASSERT_EQ(Call("POST", "/api/v1/pension/policies", other_token,
                   {{"deductible_fen", 100}, {"reimbursement_bps", 7'000}})
                  .status,
              201);
    ASSERT_EQ(Call("POST", "/api/v1/pension/claims", insurer_token,
                   {{"insuring_tenant_id", other},
                    {"member", "ZQX-1"},
                    {"period", "2025-05"},
                    {"care_date", "2025-05-02"},
                    {"provider", "ZQX hospital"},
                    {"eligible_fen", kMarkerFen}})
                  .status,
              201);
    ids_["pension_settlement"] =
        Id(Call("POST", "/api/v1/pension/settlements", bureau_, {{"period", "2025-05"}}));
    const auto [trustee, trustee_token] = Onboard("trustee", "ZQX trust company", "trust_officer");
    ids_["trust"] = Id(Call("POST", "/api/v1/pension/trusts", trustee_token,
                            {{"name", "ZQX trust"}, {"interest_bps", 400}}));
    const std::string trust = "/api/v1/pension/trusts/" + std::to_string(ids_["trust"]);
    ASSERT_EQ(Call("POST", trust + "/members", trustee_token,
                   {{"members",
                     {{{"member", "ZQX-M"},
                       {"birth_year", 1960},
                       {"retirement_age", 60},
                       {"benefit_fen", kMarkerFen}}}}})
                  .status,
              201);
    const auto members = Call("GET", trust + "/members", trustee_token);
    ASSERT_EQ(Call("POST", trust + "/movements", trustee_token,
                   {{"kind", "contribution"},
                    {"member_id", members.body["items"][0]["id"]},
                    {"amount_fen", kMarkerFen},
                    {"date", "2025-05-31"}})
                  .status,
              201);
    ASSERT_EQ(Call("POST", "/api/v1/pension/eco/observations", bureau_,
                   {{"county", "Abag"},
                    {"year", 2024},
                    {"days_observed", 365},
                    {"good_air_days", 300},
                    {"ndvi_e4", 4'000},
                    {"baseline_ndvi_e4", 4'500},
                    {"source", "x"}})
                  .status,
              201);
    ASSERT_EQ(Call("POST", "/api/v1/pension/eco/policies", insurer_token,
                   {{"member", "ZQX-E"},
                    {"county", "Abag"},
                    {"premium_fen", kMarkerFen},
                    {"benefit_fen", 1},
                    {"sum_insured_fen", 1}})
                  .status,
              201);
    ASSERT_EQ(Call("POST", "/api/v1/pension/eco/assessments", insurer_token,
                   {{"county", "Abag"}, {"year", 2024}})
                  .status,
              201);
    ASSERT_EQ(Call("PUT", "/api/v1/pension/fund/rules", bureau_,
                   {{"beijing_share_bps", 5'000}, {"floor_fen", 0}})
                  .status,
              200);
  }

  static Json CarbonRecord() {
    return {{"period", "2025"},  {"scope1_kg", 1000},
            {"scope2_kg", 200},  {"scope3_kg", 0},
            {"output", 100},     {"output_unit", "MWh"},
            {"data_quality", 2}, {"equity_plus_debt_fen", 10'000'000'000}};
  }

  // The path of a route on B's records: each {name} replaced by the id the case's pattern needs.
  std::string PathOf(const std::string& pattern) {
    static const std::map<std::string, std::string> kIdOf = {
        {"/api/v1/tenants/{id}", "bank"},
        {"/api/v1/enterprises/{id}", "enterprise"},
        {"/api/v1/products/{id}", "product"},
        {"/api/v1/needs/{id}", "need"},
        {"/api/v1/offers/{id}/accept", "pending_offer"},
        {"/api/v1/offers/{id}/decline", "pending_offer"},
        {"/api/v1/offers/{id}", "offer"},
        {"/api/v1/guarantee-requests/{id}", "request"},
        {"/api/v1/loans/{id}", "loan"},
        {"/api/v1/subsidy-programs/{id}", "program"},
        {"/api/v1/whitelists/{id}", "whitelist"},
        {"/api/v1/registry/assets/{id}/delivery", "order"},
        {"/api/v1/registry/assets/{id}", "asset"},
        {"/api/v1/registry/pledges/{id}", "pledge"},
        {"/api/v1/portfolios/{id}", "bank"},
        {"/api/v1/ecosystems/{id}", "ecosystem"},
        {"/api/v1/risk-pools/{id}", "pool"},
        {"/api/v1/green/labels/{id}", "label"},
        {"/api/v1/green/reserves/{id}", "reserve"},
        {"/api/v1/supply/pools/{id}", "supply_pool"},
        {"/api/v1/supply/pool-orders/{id}", "pool_order"},
        {"/api/v1/supply/lines/{id}", "line"},
        {"/api/v1/supply/margin-calls/{id}", "margin_call"},
        {"/api/v1/supply/enterprises/{id}", "supplier"},
        {"/api/v1/supply/receivables/{id}", "asset"},
        {"/api/v1/supply/secured-loans/{id}", "secured_loan"},
        {"/api/v1/supply/rnd-funds/{id}", "rnd_fund"},
        {"/api/v1/supply/rnd-tranches/{id}", "rnd_tranche"},
        {"/api/v1/monitor/projects/{id}", "monitor_project"},
        {"/api/v1/monitor/alerts/{id}", "monitor_alert"},
        {"/api/v1/monitor/rules/{id}", "monitor_rule"},
        {"/api/v1/monitor/webhooks/{id}", "monitor_webhook"},
        {"/api/v1/monitor/health/ecosystems/{id}", "ecosystem"},
        {"/api/v1/scoring/models/{id}", "scoring_model"},
        {"/api/v1/federated/trainings/{id}", "federated_training"},
        {"/api/v1/federated/scorings/{id}", "federated_scoring"},
        {"/api/v1/scoring/enterprises/{id}", "enterprise"},
        {"/api/v1/pension/settlements/{id}", "pension_settlement"},
        {"/api/v1/pension/trusts/{id}", "trust"},
    };
    std::string path = pattern;
    for (const auto& [prefix, object] : kIdOf) {
      if (path.starts_with(prefix)) {
        path.replace(prefix.size() - 4, 4, std::to_string(ids_.at(object)));
        break;
      }
    }
    auto replace = [&](const std::string& from, const std::string& to) {
      if (auto at = path.find(from); at != std::string::npos) path.replace(at, from.size(), to);
    };
    replace("{analysis}", std::to_string(ids_.at("analysis")));
    replace("{index}", std::to_string(ids_.at("entry")));
    replace("{model}", "uscc-validate");
    replace("{key}", "green_decommissioning_deposit_fen_per_mw");
    return path;
  }

  std::vector<Caller> callers_;
  std::map<std::string, int64_t> ids_;
};

// Every route of the API with who may see B's records through it, and for writes a valid body.
std::map<std::string, Case> Cases() {
  const Json project = {{"category", "clean_energy"},
                        {"activity", "solar_pv"},
                        {"intensity_gco2e_per_kwh", 40},
                        {"evidence", {"metered_data"}},
                        {"proceeds_purpose", "solar_pv"}};
  const std::set<std::string> analysts = {"risk_analyst"};
  return {
      {"GET /", {Scope::kPublic}},
      {"GET /api/v1/stats", {Scope::kPublic}},
      {"GET /api/v1/openapi.json", {Scope::kPublic}},
      {"GET /api/v1/stats/breakdown", {Scope::kTenant}},
      {"GET /api/v1/session", {Scope::kShared}},
      {"GET /healthz", {Scope::kPublic}},
      {"GET /metrics", {Scope::kPublic}},
      {"GET /api/v1/calc", {Scope::kShared}},
      {"POST /api/v1/calc/{model}", {Scope::kShared, {"*"}, {{"uscc", "91350100M000100Y43"}}}},
      {"POST /api/v1/tenants", {Scope::kPlatform, {}, {{"kind", "bank"}, {"name", "x"}}}},
      {"POST /api/v1/tenants/{id}/users",
       {Scope::kPlatform, {}, {{"role", "bank_officer"}, {"name", "x"}}}},
      {"POST /api/v1/enterprises", {Scope::kPublic}},
      {"GET /api/v1/enterprises", {Scope::kMarket}},
      {"GET /api/v1/enterprises/{id}", {Scope::kMarket}},
      {"POST /api/v1/enterprises/{id}/verify", {Scope::kPlatform}},
      {"PUT /api/v1/enterprises/{id}/credit-profile",
       {Scope::kPlatform,
        {},
        {{"tax_paid_12m_fen", 1},
         {"social_insurance_headcount", 1},
         {"utilities_paid_12m_fen", 1},
         {"credit_record", "clean"},
         {"scale", "micro"},
         {"annual_revenue_fen", 1}}}},
      {"PUT /api/v1/enterprises/{id}/agri-profile",
       {Scope::kPlatform,
        {},
        {{"herd_sheep_units", 1},
         {"grassland_contract_mu", 1},
         {"cropland_contract_mu", 0},
         {"insured_amount_fen", 0},
         {"cooperative_member", false}}}},
      {"POST /api/v1/products",
       {Scope::kShared,
        {"bank_officer"},
        {{"name", "p"},
         {"min_amount_fen", 1},
         {"max_amount_fen", 2},
         {"min_term_months", 1},
         {"max_term_months", 2},
         {"rate_bps", 400}}}},
      {"GET /api/v1/products", {Scope::kShared}},
      {"GET /api/v1/products/{id}", {Scope::kShared}},
      {"POST /api/v1/projects",
       {Scope::kPlatform,
        {},
        {{"name", "p"}, {"region", "Hongshan"}, {"industry", "new_energy"}, {"amount_fen", 1}}}},
      {"GET /api/v1/projects", {Scope::kShared}},
      {"POST /api/v1/needs",
       {Scope::kTenant,
        {"enterprise_user"},
        {{"amount_fen", 1'000'000}, {"term_months", 12}, {"purpose", "x"}}}},
      {"GET /api/v1/needs", {Scope::kMarket}},
      {"GET /api/v1/needs/{id}", {Scope::kMarket}},
      {"GET /api/v1/needs/{id}/matches", {Scope::kMarket}},
      // Banks offer on any posted need: creating an offer on B's need is the market at work.
      {"POST /api/v1/offers", {Scope::kTenant, {"bank_officer"}, nullptr}},
      {"GET /api/v1/offers", {Scope::kTenant}},
      {"GET /api/v1/offers/{id}", {Scope::kTenant}},
      {"POST /api/v1/offers/{id}/accept", {Scope::kTenant}},
      {"POST /api/v1/offers/{id}/decline", {Scope::kTenant}},
      {"POST /api/v1/offers/{id}/guarantee-requests",
       {Scope::kTenant, {}, {{"guarantor_tenant_id", 3}, {"cover_bps", 5000}}}},
      {"GET /api/v1/guarantee-requests", {Scope::kTenant}},
      {"POST /api/v1/guarantee-requests/{id}/approve", {Scope::kTenant}},
      {"POST /api/v1/guarantee-requests/{id}/decline", {Scope::kTenant}},
      {"POST /api/v1/loans", {Scope::kTenant}},  // body: B's accepted offer, set in the test
      {"GET /api/v1/loans", {Scope::kTenant}},
      {"GET /api/v1/loans/{id}", {Scope::kTenant}},
      {"POST /api/v1/loans/{id}/repayments", {Scope::kTenant, {}, {{"amount_fen", 100}}}},
      {"GET /api/v1/guarantees", {Scope::kTenant}},
      {"POST /api/v1/lpr",
       {Scope::kPlatform,
        {},
        {{"effective_date", "2025-07-21"}, {"tenor", "1y"}, {"rate_bps", 300}}}},
      {"GET /api/v1/lpr", {Scope::kShared}},
      {"PUT /api/v1/settings/{key}", {Scope::kPlatform, {}, {{"value", 1}}}},
      {"POST /api/v1/subsidy-programs",
       {Scope::kPlatform, {}, {{"name", "p"}, {"subsidy_bps", 1}, {"budget_fen", 1}}}},
      // The programmes (name, rate, budget) are the bureau's published policy.
      {"GET /api/v1/subsidy-programs", {Scope::kShared}},
      {"POST /api/v1/subsidy-programs/{id}/payments",
       {Scope::kPlatform, {}, {{"loan_id", 1}, {"installment_seq", 2}}}},
      {"GET /api/v1/subsidy-programs/{id}/payments", {Scope::kPlatform}},
      {"POST /api/v1/whitelists", {Scope::kTenant, {"bank_officer"}, {{"name", "w"}}}},
      {"POST /api/v1/whitelists/{id}/members", {Scope::kTenant, {}, {{"enterprise_id", 2}}}},
      {"GET /api/v1/whitelists/{id}/members", {Scope::kTenant}},
      {"POST /api/v1/registry/assets",
       {Scope::kNotice,
        {"enterprise_user"},
        {{"type", "equipment"}, {"document_number", "EQ-1"}, {"creditor_uscc", TestUscc(1)}}}},
      {"GET /api/v1/registry/assets", {Scope::kNotice}},
      {"GET /api/v1/registry/assets/{id}", {Scope::kNotice}},
      // Any bank may register a pledge on the public notice; this asset's first pledge wins (409).
      {"POST /api/v1/registry/assets/{id}/pledges",
       {Scope::kNotice, {"bank_officer"}, {{"amount_fen", 1}}}},
      {"POST /api/v1/registry/assets/{id}/transfers", {Scope::kTenant, {}, {{"to_tenant_id", 2}}}},
      {"POST /api/v1/registry/pledges/{id}/release", {Scope::kTenant}},
      {"POST /api/v1/registry/assets/{id}/delivery", {Scope::kTenant}},
      {"GET /api/v1/registry/checkpoint", {Scope::kPublic}},
      {"GET /api/v1/registry/key", {Scope::kPublic}},
      {"GET /api/v1/registry/entries/{index}", {Scope::kTenant}},
      {"GET /api/v1/registry/proofs/inclusion", {Scope::kPublic, {}, nullptr, "?index=0"}},
      {"GET /api/v1/registry/proofs/consistency", {Scope::kPublic, {}, nullptr, "?first=1"}},
      {"GET /api/v1/evaluation/border-cities", {Scope::kShared}},
      {"GET /api/v1/evaluation/border-cities/report.svg", {Scope::kShared}},
      {"POST /api/v1/evaluation/indicators",
       {Scope::kPlatform,
        {},
        {{"region", "Chifeng"}, {"year", 2024}, {"indicator", "x"}, {"value", 1}}}},
      {"GET /api/v1/evaluation/indicators", {Scope::kShared, {}, nullptr, "?year=2024"}},
      {"GET /api/v1/evaluation/cooperation", {Scope::kShared, {}, nullptr, "?year=2024"}},
      {"GET /api/v1/evaluation/cooperation/report.svg",
       {Scope::kShared, {}, nullptr, "?year=2024"}},
      // The bureau's analysts run analyses of any bank's book.
      {"POST /api/v1/portfolios/{id}/analyses",
       {Scope::kTenant, analysts, {{"scenarios", 1000}, {"seed", 1}}}},
      {"GET /api/v1/portfolios/{id}/analyses", {Scope::kTenant}},
      {"GET /api/v1/portfolios/{id}/analyses/{analysis}", {Scope::kTenant}},
      {"POST /api/v1/ecosystems",
       {Scope::kPlatform,
        {},
        {{"name", "e"}, {"core_enterprise_id", 2}, {"core_capital_fen", 1'000'000}}}},
      {"GET /api/v1/ecosystems", {Scope::kPlatform}},
      {"POST /api/v1/ecosystems/{id}/members",
       {Scope::kPlatform, {}, {{"enterprise_id", 2}, {"capital_fen", 1}}}},
      {"POST /api/v1/ecosystems/{id}/trades",
       {Scope::kPlatform,
        {},
        {{"kind", "order"},
         {"buyer_enterprise_id", 3},
         {"supplier_enterprise_id", 2},
         {"amount_fen", 1}}}},
      {"GET /api/v1/ecosystems/{id}/graph", {Scope::kPlatform}},
      {"GET /api/v1/ecosystems/{id}/paths", {Scope::kPlatform, {}, nullptr, "?from=e2"}},
      {"POST /api/v1/risk-pools",
       {Scope::kPlatform, {}, {{"name", "p"}, {"scheme", "reserve_pool"}}}},
      {"GET /api/v1/risk-pools", {Scope::kPlatform}},
      {"GET /api/v1/risk-pools/{id}", {Scope::kPlatform}},
      {"POST /api/v1/risk-pools/{id}/fundings", {Scope::kPlatform, {}, {{"amount_fen", 1000}}}},
      {"POST /api/v1/risk-pools/{id}/draws", {Scope::kPlatform, {}, {{"loss_fen", 10}}}},
      {"GET /api/v1/green/rule-tables", {Scope::kShared}},
      {"POST /api/v1/green/rule-tables", {Scope::kPlatform, {}, {{"version", "x-1"}}}},
      {"POST /api/v1/green/labels", {Scope::kTenant, {}, {{"loan_id", 0}, {"project", project}}}},
      {"GET /api/v1/green/labels", {Scope::kTenant}},
      {"POST /api/v1/green/labels/{id}/review",
       {Scope::kPlatform, {}, {{"decision", "grant"}, {"note", "n"}}}},
      {"GET /api/v1/green/reserves", {Scope::kTenant}},
      {"POST /api/v1/green/reserves/{id}/release", {Scope::kPlatform, {}, {{"note", "n"}}}},
      {"GET /api/v1/green/statistics", {Scope::kTenant}},
      {"GET /api/v1/green/financed-emissions", {Scope::kTenant, {}, nullptr, "?period=2025"}},
      {"POST /api/v1/enterprises/{id}/carbon-records", {Scope::kTenant}},
      {"GET /api/v1/enterprises/{id}/carbon-account", {Scope::kTenant}},
      {"POST /api/v1/loans/{id}/sustainability-link",
       {Scope::kTenant,
        {},
        {{"base_margin_bps", 100},
         {"kpis",
          {{{"name", "k"}, {"target", 1}, {"direction", "lower_is_better"}, {"step_bps", 5}}}}}}},
      {"GET /api/v1/loans/{id}/sustainability-link", {Scope::kTenant}},
      {"POST /api/v1/loans/{id}/kpi-observations",
       {Scope::kTenant, {}, {{"period", "2026"}, {"actuals", {{"so2", 0.5}}}}}},
      // Banks read every order pool, to grant lines in it; each bank sees only its own lines.
      {"POST /api/v1/supply/pools", {Scope::kTenant}},  // body: B's ecosystem, set in the test
      {"GET /api/v1/supply/pools", {Scope::kMarket}},
      {"GET /api/v1/supply/pools/{id}", {Scope::kMarket}},
      {"POST /api/v1/supply/pools/{id}/lines", {Scope::kTenant, {"bank_officer"}, nullptr}},
      {"POST /api/v1/supply/pools/{id}/orders", {Scope::kTenant}},  // body: B's order
      {"POST /api/v1/supply/pool-orders/{id}/cancel", {Scope::kTenant}},
      {"GET /api/v1/supply/lines", {Scope::kTenant}},
      {"GET /api/v1/supply/lines/{id}", {Scope::kTenant}},
      {"POST /api/v1/supply/lines/{id}/draws", {Scope::kTenant, {}, {{"amount_fen", 1}}}},
      {"POST /api/v1/supply/lines/{id}/repayments", {Scope::kTenant, {}, {{"amount_fen", 1}}}},
      {"POST /api/v1/supply/lines/{id}/unfreeze", {Scope::kTenant, {}, {{"note", "x"}}}},
      {"POST /api/v1/supply/readings",
       {Scope::kTenant,
        {"enterprise_user"},
        {{"date", "2025-06-01"}, {"capacity_units", 1}, {"used_units", 1}}}},
      {"GET /api/v1/supply/enterprises/{id}/readings", {Scope::kTenant}},
      {"POST /api/v1/supply/margin-runs",
       {Scope::kTenant, {"bank_officer"}, {{"date", "2025-06-15"}}}},
      {"GET /api/v1/supply/margin-calls", {Scope::kTenant}},
      {"POST /api/v1/supply/margin-calls/{id}/meet", {Scope::kTenant}},
      // The registry is a public notice: banks read a receivable's confirmation like the asset.
      {"POST /api/v1/supply/receivables/{id}/confirmation",
       {Scope::kTenant, {}, {{"amount_fen", 1}, {"due_date", "2026-06-30"}}}},
      {"GET /api/v1/supply/receivables/{id}/confirmation", {Scope::kNotice}},
      {"POST /api/v1/supply/receivables/{id}/cancel", {Scope::kTenant}},
      {"POST /api/v1/supply/factorings", {Scope::kTenant, {"bank_officer"}, nullptr}},
      {"GET /api/v1/supply/factorings", {Scope::kTenant}},
      {"POST /api/v1/supply/fx-rates",
       {Scope::kPlatform,
        {},
        {{"date", "2025-06-01"}, {"from", "USD"}, {"to", "CNY"}, {"rate", "7"}, {"source", "x"}}}},
      {"GET /api/v1/supply/fx-rates", {Scope::kShared}},
      {"POST /api/v1/supply/cross-border-settlements",
       {Scope::kTenant, {"enterprise_user"}, nullptr}},
      {"GET /api/v1/supply/cross-border-settlements", {Scope::kTenant}},
      {"POST /api/v1/supply/capacity-loans", {Scope::kTenant, {"bank_officer"}, nullptr}},
      {"POST /api/v1/supply/ip-loans", {Scope::kTenant, {"bank_officer"}, nullptr}},
      {"GET /api/v1/supply/secured-loans", {Scope::kTenant}},
      {"GET /api/v1/supply/secured-loans/{id}", {Scope::kTenant}},
      {"POST /api/v1/supply/secured-loans/{id}/appraisals",
       {Scope::kTenant, {}, {{"appraised_fen", 1}, {"date", "2025-06-01"}}}},
      {"POST /api/v1/supply/secured-loans/{id}/repayments",
       {Scope::kTenant, {}, {{"amount_fen", 1}}}},
      {"POST /api/v1/supply/rnd-funds", {Scope::kTenant, {"bank_officer"}, nullptr}},
      {"GET /api/v1/supply/rnd-funds", {Scope::kTenant}},
      {"GET /api/v1/supply/rnd-funds/{id}", {Scope::kTenant}},
      {"POST /api/v1/supply/rnd-funds/{id}/tranches",
       {Scope::kTenant, {}, {{"milestone", "m"}, {"amount_fen", 1}}}},
      // The bureau confirms milestones of any fund (the science and technology review).
      {"POST /api/v1/supply/rnd-tranches/{id}/confirmation",
       {Scope::kTenant, {}, {{"evidence", "e"}}}},
      {"POST /api/v1/supply/rnd-tranches/{id}/disbursement", {Scope::kTenant}},
      // Early warning: B's wind farm and its alert; the rules are the bureau's published policy.
      {"POST /api/v1/monitor/projects", {Scope::kTenant, {"bank_officer"}, nullptr}},
      {"GET /api/v1/monitor/projects", {Scope::kTenant}},
      {"GET /api/v1/monitor/projects/{id}", {Scope::kTenant}},
      {"GET /api/v1/monitor/projects/{id}/series",
       {Scope::kTenant,
        {},
        nullptr,
        "?indicator=equipment_utilization&from=2025-05-31&to=2025-05-31"}},
      {"POST /api/v1/monitor/telemetry", {Scope::kTenant, {"enterprise_user"}, nullptr}},
      {"GET /api/v1/monitor/rules", {Scope::kShared}},
      {"POST /api/v1/monitor/rules", {Scope::kPlatform, {}, nullptr}},
      {"POST /api/v1/monitor/rules/{id}", {Scope::kPlatform, {}, {{"severity", "info"}}}},
      {"GET /api/v1/monitor/rules/{id}/arl", {Scope::kShared}},
      {"GET /api/v1/monitor/alerts", {Scope::kTenant}},
      {"GET /api/v1/monitor/alerts/{id}", {Scope::kTenant}},
      {"POST /api/v1/monitor/alerts/{id}/acknowledge", {Scope::kTenant}},
      {"POST /api/v1/monitor/alerts/{id}/comments", {Scope::kTenant, {}, {{"note", "x"}}}},
      {"POST /api/v1/monitor/alerts/{id}/silence",
       {Scope::kTenant, {}, {{"until", "2025-06-02T00:00:00Z"}, {"reason", "x"}}}},
      {"POST /api/v1/monitor/alerts/{id}/resolve", {Scope::kTenant, {}, {{"note", "x"}}}},
      // A firm reports its own weeks; an ecosystem's health is for the oversight roles.
      {"POST /api/v1/monitor/health/reports", {Scope::kTenant, {"enterprise_user"}, nullptr}},
      {"GET /api/v1/monitor/health/ecosystems/{id}", {Scope::kPlatform}},
      {"GET /api/v1/monitor/curtailment", {Scope::kTenant, {}, nullptr, "?year=2025"}},
      {"POST /api/v1/monitor/webhooks", {Scope::kTenant, {"bank_officer"}, nullptr}},
      {"GET /api/v1/monitor/webhooks", {Scope::kTenant}},
      {"GET /api/v1/monitor/webhooks/{id}/deliveries", {Scope::kTenant}},
      // A bank trains and reads its own models; only its risk analyst decides, only it runs them.
      // A bank reads its own scores of any enterprise (none of B's here), the enterprise its own.
      {"POST /api/v1/scoring/models", {Scope::kTenant, {"bank_officer", "risk_analyst"}, nullptr}},
      {"GET /api/v1/scoring/models", {Scope::kTenant}},
      {"GET /api/v1/scoring/models/{id}", {Scope::kTenant}},
      {"POST /api/v1/scoring/models/{id}/decision",
       {Scope::kTenant, {}, {{"decision", "approve"}, {"note", "x"}}}},
      {"POST /api/v1/scoring/models/{id}/runs", {Scope::kTenant, {}, {{"as_of", "2025-05-31"}}}},
      {"GET /api/v1/scoring/enterprises/{id}/scores", {Scope::kMarket}},
      // The platform's party key is the same for every bank; a bank requests and reads its own
      // federated trainings, its risk analyst decides on their models.
      {"GET /api/v1/federated/party", {Scope::kShared}},
      {"POST /api/v1/federated/trainings",
       {Scope::kTenant, {"bank_officer", "risk_analyst"}, nullptr}},
      {"GET /api/v1/federated/trainings", {Scope::kTenant}},
      {"GET /api/v1/federated/trainings/{id}", {Scope::kTenant}},
      {"POST /api/v1/federated/trainings/{id}/decision",
       {Scope::kTenant, {}, {{"decision", "approve"}, {"note", "x"}}}},
      // It scores applicants with its approved joint models and reads its own scorings.
      {"POST /api/v1/federated/trainings/{id}/scorings",
       {Scope::kTenant, {"bank_officer", "risk_analyst"}, nullptr}},
      {"GET /api/v1/federated/trainings/{id}/scorings", {Scope::kTenant}},
      {"GET /api/v1/federated/scorings/{id}", {Scope::kTenant}},
      // Pension finance: an insurer records its own claims, policies and eco policies and reads
      // the claims and settlements it is party to; a trust manager its own trusts; the bureau
      // settles and keeps the fund. The policies in force, the fund and the observations are
      // shared among the pension parties.
      {"GET /api/v1/pension/policies", {Scope::kPension}},
      {"POST /api/v1/pension/policies", {Scope::kTenant, {"insurance_officer"}, nullptr}},
      {"POST /api/v1/pension/claims", {Scope::kTenant, {"insurance_officer"}, nullptr}},
      {"GET /api/v1/pension/claims", {Scope::kTenant}},
      {"POST /api/v1/pension/settlements", {Scope::kPlatform, {}, {{"period", "2025-06"}}}},
      {"GET /api/v1/pension/settlements", {Scope::kTenant}},
      {"GET /api/v1/pension/settlements/{id}", {Scope::kTenant}},
      {"POST /api/v1/pension/trusts", {Scope::kTenant, {"trust_officer"}, nullptr}},
      {"GET /api/v1/pension/trusts", {Scope::kTenant}},
      {"GET /api/v1/pension/trusts/{id}", {Scope::kTenant}},
      {"POST /api/v1/pension/trusts/{id}/members",
       {Scope::kTenant,
        {},
        {{"members", {{{"member", "m"}, {"birth_year", 1960}, {"retirement_age", 60}}}}}}},
      {"GET /api/v1/pension/trusts/{id}/members", {Scope::kTenant}},
      {"POST /api/v1/pension/trusts/{id}/movements",
       {Scope::kTenant,
        {},
        {{"kind", "investment_return"}, {"amount_fen", 1}, {"date", "2025-06-01"}}}},
      {"GET /api/v1/pension/trusts/{id}/movements", {Scope::kTenant}},
      {"GET /api/v1/pension/trusts/{id}/projection", {Scope::kTenant, {}, nullptr, "?years=5"}},
      {"GET /api/v1/pension/fund", {Scope::kPension}},
      {"PUT /api/v1/pension/fund/rules",
       {Scope::kPlatform, {}, {{"beijing_share_bps", 1}, {"floor_fen", 0}}}},
      {"POST /api/v1/pension/fund/events",
       {Scope::kPlatform,
        {},
        {{"kind", "contribution"}, {"amount_fen", 1}, {"date", "2025-06-01"}}}},
      {"GET /api/v1/pension/fund/events", {Scope::kPension}},
      {"POST /api/v1/pension/eco/observations", {Scope::kPension, {"insurance_officer"}, nullptr}},
      {"GET /api/v1/pension/eco/observations", {Scope::kPension}},
      {"POST /api/v1/pension/eco/policies", {Scope::kTenant, {"insurance_officer"}, nullptr}},
      {"GET /api/v1/pension/eco/policies", {Scope::kTenant}},
      {"POST /api/v1/pension/eco/assessments", {Scope::kTenant, {"insurance_officer"}, nullptr}},
      {"GET /api/v1/pension/eco/assessments", {Scope::kTenant}},
  };
}

bool MayRead(Scope scope, const std::string& kind) {
  switch (scope) {
    case Scope::kPublic:
    case Scope::kShared:
      return true;
    case Scope::kMarket:
      return kind == "bank" || kind == "guarantor" || kind == "bureau";
    case Scope::kNotice:
      return kind == "bank" || kind == "bureau";
    case Scope::kPension:
      return kind == "insurer" || kind == "trustee" || kind == "bureau";
    case Scope::kTenant:
    case Scope::kPlatform:
      return kind == "bureau";
  }
  return false;
}

TEST_F(Authorization, EveryRouteKeepsEachOrganisationToItsOwnRecords) {
  auto cases = Cases();
  cases["POST /api/v1/loans"].body = {{"offer_id", ids_["offer"]}, {"start_date", "2025-06-01"}};
  cases["POST /api/v1/green/labels"].body["loan_id"] = ids_["loan"];
  cases["POST /api/v1/supply/pools"].body = {{"ecosystem_id", ids_["ecosystem"]}, {"name", "x"}};
  cases["POST /api/v1/supply/pools/{id}/orders"].body = {{"asset_id", ids_["supply_order"]}};
  cases["POST /api/v1/enterprises/{id}/carbon-records"].body = CarbonRecord();
  const std::string marker_fen = std::to_string(kMarkerFen);
  int checked = 0;
  for (const auto& spec : api_->router().routes()) {
    const std::string label = spec.method + " " + spec.pattern;
    SCOPED_TRACE(label);
    auto found = cases.find(label);
    ASSERT_NE(found, cases.end())
        << label << " has no case in authorization_test.cpp: say who may read and write it";
    const Case& c = found->second;
    const std::string target = PathOf(spec.pattern) + c.query;
    const bool write = spec.method != "GET";
    if (c.scope == Scope::kPublic) continue;

    // Without a token: 401, never data.
    EXPECT_EQ(Call(spec.method, target, "", write ? c.body : Json(nullptr)).status, 401);
    for (const auto& who : callers_) {
      SCOPED_TRACE(who.kind + " " + who.role);
      if (write) {
        const bool allowed = c.allowed.count("*") > 0 || c.allowed.count(who.role) > 0;
        if (allowed) continue;  // creates the caller's own record (checked elsewhere)
        // The bureau's analysts and auditors do not write; side A never writes on B's records.
        const auto r =
            Call(spec.method, target, who.token, c.body.is_null() ? Json::object() : c.body);
        EXPECT_TRUE(r.status == 403 || r.status == 404) << r.status << " " << r.raw.body;
        ++checked;
        continue;
      }
      const auto r = Call("GET", target, who.token);
      EXPECT_LT(r.status, 500) << r.raw.body;
      ++checked;
      if (MayRead(c.scope, who.kind)) continue;
      if (spec.pattern.find('{') != std::string::npos &&
          spec.pattern != "/api/v1/portfolios/{id}/analyses") {
        EXPECT_TRUE(r.status == 403 || r.status == 404) << r.status << " " << r.raw.body;
      }
      EXPECT_EQ(r.raw.body.find(kMarker), std::string::npos) << r.raw.body;
      EXPECT_EQ(r.raw.body.find(marker_fen), std::string::npos) << r.raw.body;
    }
  }
  EXPECT_GT(checked, 400);
}

// Every list pages the same way: a GET that answers {"items": [...]} is declared paged in the route
// table, honours limit, and its cursor leads to the next page.
TEST_F(Authorization, EveryListPagesTheSameWay) {
  const auto cases = Cases();
  int lists = 0;
  for (const auto& spec : api_->router().routes()) {
    if (spec.method != "GET") continue;
    SCOPED_TRACE(spec.pattern);
    const std::string query = cases.at(spec.method + " " + spec.pattern).query;
    const std::string base = PathOf(spec.pattern) + query + (query.empty() ? "?" : "&");
    const auto first = Call("GET", base + "limit=1", bureau_);
    if (!first.body.is_object() || !first.body.contains("items")) continue;
    ++lists;
    EXPECT_TRUE(spec.paged) << spec.pattern << " answers items but is not paged";
    ASSERT_TRUE(first.body["items"].is_array());
    EXPECT_LE(first.body["items"].size(), 1u) << first.raw.body;
    ASSERT_TRUE(first.body.contains("next_cursor")) << first.raw.body;
    if (first.body["next_cursor"].is_null()) continue;
    const auto next = Call(
        "GET", base + "limit=1&cursor=" + first.body["next_cursor"].get<std::string>(), bureau_);
    ASSERT_EQ(next.status, 200) << next.raw.body;
    if (!next.body["items"].empty()) {
      EXPECT_NE(next.body["items"][0], first.body["items"][0]);
    }
  }
  EXPECT_GE(lists, 18);
}

// The working lists read newest first with ?order=newest: the same records in descending id
// order, the cursor leading on downwards; lists that keep id order refuse the parameter.
TEST_F(Authorization, WorkingListsReadNewestFirst) {
  for (const std::string path :
       {"/api/v1/enterprises", "/api/v1/needs", "/api/v1/offers", "/api/v1/loans",
        "/api/v1/guarantee-requests", "/api/v1/registry/assets"}) {
    SCOPED_TRACE(path);
    const auto all = Call("GET", path + "?limit=500", bureau_);
    ASSERT_EQ(all.status, 200) << all.raw.body;
    std::vector<int64_t> ascending;
    for (const auto& item : all.body["items"]) ascending.push_back(item["id"].get<int64_t>());
    ASSERT_FALSE(ascending.empty()) << all.raw.body;
    std::vector<int64_t> newest;
    std::string cursor;
    for (int guard = 0; guard < 1000; ++guard) {
      const auto page = Call("GET", path + "?order=newest&limit=1" + cursor, bureau_);
      ASSERT_EQ(page.status, 200) << page.raw.body;
      for (const auto& item : page.body["items"]) newest.push_back(item["id"].get<int64_t>());
      if (page.body["next_cursor"].is_null()) break;
      cursor = "&cursor=" + page.body["next_cursor"].get<std::string>();
    }
    EXPECT_EQ(newest, std::vector<int64_t>(ascending.rbegin(), ascending.rend()));
    EXPECT_EQ(Call("GET", path + "?order=oldest&limit=500", bureau_).raw.body, all.raw.body);
    EXPECT_EQ(Call("GET", path + "?order=sideways", bureau_).status, 422);
  }
  EXPECT_EQ(Call("GET", "/api/v1/products?order=newest", bureau_).status, 422);
}

// The loan statistics add up: every breakdown of the bureau's view sums to the platform's loans,
// a bank sees exactly its own book, a guarantee agency what it guarantees, an enterprise nothing.
TEST_F(Authorization, LoanStatisticsAddUp) {
  const auto total = [](const Json& rows) {
    std::pair<int64_t, int64_t> t{0, 0};
    for (const auto& r : rows) {
      t.first += r["loans"].get<int64_t>();
      t.second += r["principal_fen"].get<int64_t>();
    }
    return t;
  };
  std::pair<int64_t, int64_t> loans{0, 0};
  const auto listed = Call("GET", "/api/v1/loans?limit=500", bureau_);
  for (const auto& l : listed.body["items"]) {
    ++loans.first;
    loans.second += l["principal_fen"].get<int64_t>();
  }
  ASSERT_GE(loans.first, 1);
  const auto all = Call("GET", "/api/v1/stats/breakdown", bureau_);
  ASSERT_EQ(all.status, 200) << all.raw.body;
  EXPECT_EQ(all.body["scope"], "platform");
  for (const char* key : {"by_bank", "by_industry", "by_region", "by_kind", "by_month"}) {
    EXPECT_EQ(total(all.body[key]), loans) << key;
  }
  ASSERT_TRUE(all.body.contains("enterprises_by_region"));
  for (const auto& who : callers_) {
    SCOPED_TRACE(who.kind + " " + who.role);
    const auto r = Call("GET", "/api/v1/stats/breakdown", who.token);
    if (who.kind == "bureau") {
      EXPECT_EQ(r.raw.body, all.raw.body);
    } else if (who.kind == "bank") {
      ASSERT_EQ(r.status, 200) << r.raw.body;
      EXPECT_EQ(r.body["scope"], "bank");
      EXPECT_FALSE(r.body.contains("enterprises_by_region"));
      std::pair<int64_t, int64_t> own{0, 0};
      const auto mine = Call("GET", "/api/v1/loans?limit=500", who.token);
      for (const auto& l : mine.body["items"]) {
        ++own.first;
        own.second += l["principal_fen"].get<int64_t>();
      }
      for (const char* key : {"by_bank", "by_industry", "by_region", "by_kind", "by_month"}) {
        EXPECT_EQ(total(r.body[key]), own) << key;
      }
      EXPECT_LE(r.body["by_bank"].size(), 1u);
    } else if (who.kind == "guarantor") {
      ASSERT_EQ(r.status, 200) << r.raw.body;
      EXPECT_EQ(r.body["scope"], "guarantor");
      int64_t covered = 0, count = 0;
      const auto guarantees = Call("GET", "/api/v1/guarantees?limit=500", who.token);
      for (const auto& g : guarantees.body["items"]) {
        ++count;
        covered += g["covered_fen"].get<int64_t>();
      }
      EXPECT_EQ(r.body["guaranteed"]["loans"], count);
      EXPECT_EQ(r.body["guaranteed"]["covered_fen"], covered);
      EXPECT_LE(r.body["guaranteed"]["exposure_fen"].get<int64_t>(),
                r.body["guaranteed"]["outstanding_fen"].get<int64_t>());
    } else {
      EXPECT_EQ(r.status, 403) << r.raw.body;
    }
  }
}

// A bank's risk analyst reads its own bank's book, exactly as its officer does, and no other's.
TEST_F(Authorization, ABanksAnalystReadsItsOwnBankOnly) {
  const auto [bank_c_id, bank_c] = Onboard("bank", "Bank C", "bank_officer");
  const std::string analyst = User(bank_c_id, "risk_analyst");
  const auto [ent_id, ent] = Enterprise(9);
  const int64_t offer = AcceptedOffer(bank_c, ent, 30'000'000, 12, 400, "equal_installment");
  auto loan =
      Call("POST", "/api/v1/loans", bank_c, {{"offer_id", offer}, {"start_date", "2025-06-01"}});
  ASSERT_EQ(loan.status, 201) << loan.raw.body;
  const std::string own = "/api/v1/loans/" + std::to_string(loan.body["id"].get<int64_t>());
  const std::string other = "/api/v1/loans/" + std::to_string(ids_["loan"]);
  EXPECT_EQ(Call("GET", own, analyst).status, 200);
  EXPECT_EQ(Call("GET", other, analyst).status, 404);
  EXPECT_EQ(Call("GET", other, analyst).raw.body, Call("GET", other, bank_c).raw.body);
  auto loans = Call("GET", "/api/v1/loans", analyst);
  ASSERT_EQ(loans.body["items"].size(), 1u) << loans.raw.body;
  EXPECT_EQ(loans.body["items"][0]["id"], loan.body["id"]);
  EXPECT_EQ(Call("GET", "/api/v1/offers", analyst).body["items"].size(), 1u);
  auto emissions = Call("GET", "/api/v1/green/financed-emissions?period=2025", analyst);
  ASSERT_EQ(emissions.status, 200) << emissions.raw.body;
  EXPECT_EQ(emissions.body["scope"], "bank");
  // An analyst reads; it does not lend.
  EXPECT_EQ(Call("POST", "/api/v1/offers", analyst,
                 {{"need_id", ids_["need"]},
                  {"amount_fen", 1'000'000},
                  {"annual_rate_bps", 400},
                  {"term_months", 12}})
                .status,
            403);
  // The bureau's analyst reads the platform.
  EXPECT_EQ(Call("GET", other, callers_[0].token).status, 200);
  (void)ent_id;
}

}  // namespace
}  // namespace corridor::testing
