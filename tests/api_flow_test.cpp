// The credit-matching journey end to end through the API, in process: registration, verification,
// catalogue, need, matching, offer, acceptance, booking of a guaranteed entrepreneurship loan with
// its interest subsidy, repayment, overdue status, subsidy payments and statistics.
#include "api_fixture.hpp"

namespace corridor::testing {
namespace {

class Journey : public ApiFixture {};

TEST_F(Journey, FromRegistrationToASubsidisedGuaranteedLoan) {
  ASSERT_EQ(Call("POST", "/api/v1/lpr", bureau_,
                 {{"effective_date", "2025-05-20"}, {"tenor", "1y"}, {"rate_bps", 300}})
                .status,
            200);
  const auto [bank_id, bank] = Onboard("bank", "Bank of Inner Mongolia", "bank_officer");
  const auto [guarantor_id, guarantor] =
      Onboard("guarantor", "Chifeng Guarantee Group", "guarantee_officer");
  const auto [enterprise_id, enterprise] = Enterprise(1);

  auto profile = Call(
      "PUT", "/api/v1/enterprises/" + std::to_string(enterprise_id) + "/credit-profile", bureau_,
      {{"tax_paid_12m_fen", 1'200'000},
       {"social_insurance_headcount", 12},
       {"utilities_paid_12m_fen", 300'000},
       {"credit_record", "clean"},
       {"scale", "micro"},
       {"annual_revenue_fen", 300'000'000}});
  ASSERT_EQ(profile.status, 200) << profile.raw.body;
  EXPECT_EQ(profile.body["credit_profile"]["social_insurance_headcount"], 12);
  EXPECT_TRUE(profile.body["agri_profile"].is_null());
  // The same firm keeps a herd: the bureau records it, and a bad value is named.
  const std::string agri = "/api/v1/enterprises/" + std::to_string(enterprise_id) + "/agri-profile";
  auto bad = Call("PUT", agri, bureau_,
                  {{"herd_sheep_units", -3},
                   {"grassland_contract_mu", 4'500},
                   {"cropland_contract_mu", 0},
                   {"insured_amount_fen", 2'400'000}});
  ASSERT_EQ(bad.status, 422) << bad.raw.body;
  EXPECT_NE(bad.raw.body.find("/herd_sheep_units"), std::string::npos) << bad.raw.body;
  EXPECT_NE(bad.raw.body.find("/cooperative_member"), std::string::npos) << bad.raw.body;
  auto herd = Call("PUT", agri, bureau_,
                   {{"herd_sheep_units", 320},
                    {"grassland_contract_mu", 4'500},
                    {"cropland_contract_mu", 0},
                    {"insured_amount_fen", 2'400'000},
                    {"cooperative_member", true}});
  ASSERT_EQ(herd.status, 200) << herd.raw.body;
  EXPECT_EQ(herd.body["agri_profile"]["herd_sheep_units"], 320);
  EXPECT_EQ(herd.body["agri_profile"]["cooperative_member"], true);
  EXPECT_EQ(herd.body["credit_profile"]["social_insurance_headcount"], 12);

  auto product = Call("POST", "/api/v1/products", bank,
                      {{"name", "创业担保贷 Entrepreneurship guarantee loan"},
                       {"min_amount_fen", 1'000'000},
                       {"max_amount_fen", 300'000'000},
                       {"min_term_months", 6},
                       {"max_term_months", 36},
                       {"collateral_free", true},
                       {"rate_bps", 450}});
  ASSERT_EQ(product.status, 201) << product.raw.body;
  auto secured = Call("POST", "/api/v1/products", bank,
                      {{"name", "Secured working capital"},
                       {"min_amount_fen", 1'000'000},
                       {"max_amount_fen", 300'000'000},
                       {"min_term_months", 6},
                       {"max_term_months", 36},
                       {"rate_bps", 380}});
  ASSERT_EQ(secured.status, 201);

  auto need = Call("POST", "/api/v1/needs", enterprise,
                   {{"amount_fen", 20'000'000},
                    {"term_months", 24},
                    {"purpose", "start-up herding cooperative"},
                    {"collateral_free_required", true},
                    {"max_rate_bps", 500}});
  ASSERT_EQ(need.status, 201) << need.raw.body;
  const std::string need_id = std::to_string(need.body["id"].get<int64_t>());

  auto matches = Call("GET", "/api/v1/needs/" + need_id + "/matches", bank);
  ASSERT_EQ(matches.status, 200) << matches.raw.body;
  ASSERT_EQ(matches.body["matches"].size(), 1u);
  EXPECT_EQ(matches.body["matches"][0]["product"]["id"], product.body["id"]);
  EXPECT_FALSE(matches.body["matches"][0]["reasons"].empty());
  ASSERT_EQ(matches.body["excluded"].size(), 1u);
  EXPECT_EQ(matches.body["excluded"][0]["reasons"][0], "requires collateral");

  auto offer = Call("POST", "/api/v1/offers", bank,
                    {{"need_id", need.body["id"]},
                     {"product_id", product.body["id"]},
                     {"amount_fen", 20'000'000},
                     {"annual_rate_bps", 450},
                     {"term_months", 24},
                     {"method", "equal_installment"},
                     {"kind", "entrepreneurship"}});
  ASSERT_EQ(offer.status, 201) << offer.raw.body;
  const std::string offer_id = std::to_string(offer.body["id"].get<int64_t>());
  // Booking before acceptance is refused.
  EXPECT_EQ(Call("POST", "/api/v1/loans", bank,
                 {{"offer_id", offer.body["id"]}, {"start_date", "2025-06-01"}})
                .status,
            409);
  ASSERT_EQ(Call("POST", "/api/v1/offers/" + offer_id + "/accept", enterprise).status, 200);
  // An entrepreneurship loan without a guarantee is refused, naming the field.
  auto unguaranteed = Call("POST", "/api/v1/loans", bank,
                           {{"offer_id", offer.body["id"]}, {"start_date", "2025-06-01"}});
  ASSERT_EQ(unguaranteed.status, 422);
  EXPECT_EQ(unguaranteed.body["errors"][0]["field"], "/guarantee_request_id");

  // The bank asks the guarantee agency to cover 80%; until the agency approves, the request
  // cannot back the loan.
  auto request = Call("POST", "/api/v1/offers/" + offer_id + "/guarantee-requests", bank,
                      {{"guarantor_tenant_id", guarantor_id}, {"cover_bps", 8000}});
  ASSERT_EQ(request.status, 201) << request.raw.body;
  EXPECT_EQ(request.body["status"], "requested");
  const std::string request_id = std::to_string(request.body["id"].get<int64_t>());
  auto premature = Call("POST", "/api/v1/loans", bank,
                        {{"offer_id", offer.body["id"]},
                         {"start_date", "2025-06-01"},
                         {"guarantee_request_id", request.body["id"]}});
  ASSERT_EQ(premature.status, 422);
  EXPECT_EQ(premature.body["errors"][0]["field"], "/guarantee_request_id");
  auto inbox = Call("GET", "/api/v1/guarantee-requests", guarantor);
  ASSERT_EQ(inbox.body["items"].size(), 1u);
  EXPECT_EQ(inbox.body["items"][0]["offer"]["amount_fen"], 20'000'000);
  EXPECT_EQ(Call("POST", "/api/v1/guarantee-requests/" + request_id + "/approve", bank).status,
            403);
  ASSERT_EQ(Call("POST", "/api/v1/guarantee-requests/" + request_id + "/approve", guarantor).status,
            200);
  EXPECT_EQ(Call("POST", "/api/v1/guarantee-requests/" + request_id + "/decline", guarantor).status,
            409);

  auto loan = Call("POST", "/api/v1/loans", bank,
                   {{"offer_id", offer.body["id"]},
                    {"start_date", "2025-06-01"},
                    {"guarantee_request_id", request.body["id"]}});
  ASSERT_EQ(loan.status, 201) << loan.raw.body;
  const Json& l = loan.body;
  // 财金〔2020〕21号: borrower pays at most LPR - 150 bp = 1.50%; the other 3.00% is subsidised.
  EXPECT_EQ(l["borrower_rate_bps"], 150);
  EXPECT_EQ(l["subsidy_rate_bps"], 300);
  EXPECT_EQ(l["lpr_bps"], 300);
  const Json& inst = l["schedule"]["installments"];
  ASSERT_EQ(inst.size(), 24u);
  // Annuity: P r (1+r)^n / ((1+r)^n - 1) with P = 200,000 yuan, r = 4.5%/12, n = 24
  // = 8,729.56 yuan (exact rational, rounded half-up).
  EXPECT_EQ(inst[0]["payment_fen"], 872'956);
  EXPECT_EQ(inst[0]["interest_fen"], 75'000);          // 200,000 * 4.5% / 12
  EXPECT_EQ(inst[0]["subsidy_interest_fen"], 50'000);  // 200,000 * 3.0% / 12
  EXPECT_EQ(inst[0]["borrower_payment_fen"], 822'956);
  EXPECT_EQ(inst[0]["due_date"], "2025-07-01");
  int64_t principal_sum = 0;
  for (const auto& i : inst) principal_sum += i["principal_fen"].get<int64_t>();
  EXPECT_EQ(principal_sum, 20'000'000);
  EXPECT_EQ(l["guarantee"]["covered_fen"], 16'000'000);
  EXPECT_EQ(l["status"], "active");

  auto stats = Call("GET", "/api/v1/stats", "");
  ASSERT_EQ(stats.status, 200);
  EXPECT_EQ(stats.body["registered"], 1);
  EXPECT_EQ(stats.body["verified"], 1);
  EXPECT_EQ(stats.body["deals"], 1);
  EXPECT_EQ(stats.body["amount_financed_fen"], 20'000'000);

  // The first installment is repaid on time; in mid-September the second (due 1 August) is
  // 45 days overdue.
  const std::string loan_path = "/api/v1/loans/" + std::to_string(l["id"].get<int64_t>());
  auto paid = Call("POST", loan_path + "/repayments", enterprise,
                   {{"amount_fen", 822'956}, {"paid_on", "2025-07-01"}});
  ASSERT_EQ(paid.status, 201) << paid.raw.body;
  EXPECT_EQ(paid.body["repayment"]["interest_fen"], 25'000);
  EXPECT_EQ(paid.body["loan"]["schedule"]["installments"][0]["status"], "paid");
  // Its principal is repaid though the borrower paid less than the payment (the subsidy covers
  // the rest of the interest): an ecosystem around the enterprise counts only what is left.
  auto eco =
      Call("POST", "/api/v1/ecosystems", bureau_,
           {{"name", "chain"}, {"core_enterprise_id", enterprise_id}, {"core_capital_fen", 1}});
  ASSERT_EQ(eco.status, 201) << eco.raw.body;
  auto graph =
      Call("GET", "/api/v1/ecosystems/" + std::to_string(eco.body["id"].get<int64_t>()) + "/graph",
           bureau_);
  EXPECT_EQ(graph.body["ecosystem"]["financing_fen"],
            20'000'000 - inst[0]["principal_fen"].get<int64_t>());
  clock_.Set(ManualClock::MicrosAt(*Date::Parse("2025-09-15")));
  auto late = Call("GET", loan_path, enterprise);
  ASSERT_EQ(late.status, 200);
  EXPECT_EQ(late.body["status"], "overdue");
  EXPECT_EQ(late.body["days_overdue"], 45);
  // Paying more than is outstanding is refused, naming the field.
  auto too_much =
      Call("POST", loan_path + "/repayments", enterprise, {{"amount_fen", 1'000'000'000}});
  ASSERT_EQ(too_much.status, 422);
  EXPECT_EQ(too_much.body["errors"][0]["field"], "/amount_fen");

  // The bureau's interest-subsidy programme pays 1.00% on the balance, once per installment.
  auto program =
      Call("POST", "/api/v1/subsidy-programs", bureau_,
           {{"name", "Green loan subsidy"}, {"subsidy_bps", 100}, {"budget_fen", 40'000}});
  ASSERT_EQ(program.status, 201);
  const std::string pay_path =
      "/api/v1/subsidy-programs/" + std::to_string(program.body["id"].get<int64_t>()) + "/payments";
  auto pay = Call("POST", pay_path, bureau_, {{"loan_id", l["id"]}, {"installment_seq", 1}});
  ASSERT_EQ(pay.status, 201) << pay.raw.body;
  EXPECT_EQ(pay.body["amount_fen"], 16'667);  // 200,000 yuan * 1% / 12 = 166.666.. -> 166.67
  EXPECT_EQ(Call("POST", pay_path, bureau_, {{"loan_id", l["id"]}, {"installment_seq", 1}}).status,
            409);
  ASSERT_EQ(Call("POST", pay_path, bureau_, {{"loan_id", l["id"]}, {"installment_seq", 2}}).status,
            201);
  // 40,000 - 2 payments of about 16,600 leaves less than a third: refused, budget intact.
  auto broke = Call("POST", pay_path, bureau_, {{"loan_id", l["id"]}, {"installment_seq", 3}});
  EXPECT_EQ(broke.status, 409);
  EXPECT_EQ(broke.body["type"], "urn:corridor:problem:budget-exhausted");
  auto programs = Call("GET", "/api/v1/subsidy-programs", bureau_);
  EXPECT_LE(programs.body["items"][0]["spent_fen"].get<int64_t>(), 40'000);
  EXPECT_EQ(Call("GET", pay_path, bureau_).body["items"].size(), 2u);

  // The guarantor sees the loan it guarantees.
  auto guarantees = Call("GET", "/api/v1/guarantees", guarantor);
  ASSERT_EQ(guarantees.body["items"].size(), 1u);
  EXPECT_EQ(Call("GET", loan_path, guarantor).status, 200);
}

TEST_F(Journey, TheEntrepreneurshipSpreadIsACitySetting) {
  // A city that sets the spread to 250 bp caps the borrower at LPR - 250 bp.
  ASSERT_EQ(Call("POST", "/api/v1/lpr", bureau_,
                 {{"effective_date", "2025-05-20"}, {"tenor", "1y"}, {"rate_bps", 300}})
                .status,
            200);
  auto set = Call("PUT", "/api/v1/settings/entrepreneurship_spread_bps", bureau_, {{"value", 250}});
  ASSERT_EQ(set.status, 200) << set.raw.body;
  const auto [bank_id, bank] = Onboard("bank", "Bank", "bank_officer");
  EXPECT_EQ(
      Call("PUT", "/api/v1/settings/entrepreneurship_spread_bps", bank, {{"value", 0}}).status,
      403);
  EXPECT_EQ(Call("PUT", "/api/v1/settings/no_such_setting", bureau_, {{"value", 1}}).status, 404);
  const auto [g_id, g] = Onboard("guarantor", "G", "guarantee_officer");
  const auto [eid, enterprise] = Enterprise(5);
  auto need = Call("POST", "/api/v1/needs", enterprise,
                   {{"amount_fen", 5'000'000}, {"term_months", 12}, {"purpose", "shop"}});
  auto offer = Call("POST", "/api/v1/offers", bank,
                    {{"need_id", need.body["id"]},
                     {"amount_fen", 5'000'000},
                     {"annual_rate_bps", 400},
                     {"term_months", 12},
                     {"kind", "entrepreneurship"}});
  Call("POST", "/api/v1/offers/" + std::to_string(offer.body["id"].get<int64_t>()) + "/accept",
       enterprise);
  // A guarantee must come from a guarantee agency.
  const std::string requests =
      "/api/v1/offers/" + std::to_string(offer.body["id"].get<int64_t>()) + "/guarantee-requests";
  auto self_guaranteed =
      Call("POST", requests, bank, {{"guarantor_tenant_id", bank_id}, {"cover_bps", 10000}});
  ASSERT_EQ(self_guaranteed.status, 422);
  EXPECT_EQ(self_guaranteed.body["errors"][0]["field"], "/guarantor_tenant_id");
  const int64_t request_id =
      ApprovedGuarantee(bank, g, g_id, offer.body["id"].get<int64_t>(), 10000);

  // No LPR in force on the start date: refused, naming the field.
  auto early = Call("POST", "/api/v1/loans", bank,
                    {{"offer_id", offer.body["id"]},
                     {"start_date", "2024-01-01"},
                     {"guarantee_request_id", request_id}});
  ASSERT_EQ(early.status, 422);
  EXPECT_EQ(early.body["errors"][0]["field"], "/start_date");
  auto loan = Call("POST", "/api/v1/loans", bank,
                   {{"offer_id", offer.body["id"]},
                    {"start_date", "2025-06-01"},
                    {"guarantee_request_id", request_id}});
  ASSERT_EQ(loan.status, 201) << loan.raw.body;
  EXPECT_EQ(loan.body["borrower_rate_bps"], 50);
  EXPECT_EQ(loan.body["subsidy_rate_bps"], 350);
  EXPECT_EQ(Call("GET", "/api/v1/lpr", bank).body["items"].size(), 1u);
}

TEST_F(Journey, BadInputNamesEveryField) {
  auto r = Call("POST", "/api/v1/enterprises", "",
                {{"uscc", "91350100M000100Y44"}, {"name", "X"}, {"region", "Hongshan"}});
  ASSERT_EQ(r.status, 422);
  EXPECT_EQ(r.raw.content_type, "application/problem+json");
  ASSERT_EQ(r.body["errors"].size(), 2u);
  EXPECT_EQ(r.body["errors"][0]["field"], "/uscc");
  EXPECT_NE(r.body["errors"][0]["message"].get<std::string>().find("check character"),
            std::string::npos);
  EXPECT_EQ(r.body["errors"][1]["field"], "/industry");
  EXPECT_EQ(r.body["status"], 422);

  auto malformed = api_->Handle({"POST", "/api/v1/enterprises", {}, "{not json"});
  EXPECT_EQ(malformed.status, 400);

  const auto [id, token] = Enterprise(2);
  auto need = Call("POST", "/api/v1/needs", token,
                   {{"amount_fen", -5}, {"term_months", "twelve"}, {"purpose", ""}});
  ASSERT_EQ(need.status, 422);
  ASSERT_EQ(need.body["errors"].size(), 3u);
  EXPECT_EQ(need.body["errors"][0]["field"], "/amount_fen");
  EXPECT_EQ(need.body["errors"][1]["field"], "/term_months");
  EXPECT_EQ(need.body["errors"][2]["field"], "/purpose");

  auto duplicate = Call("POST", "/api/v1/enterprises", "",
                        {{"uscc", TestUscc(2)},
                         {"name", "Again"},
                         {"region", "Hongshan"},
                         {"industry", "logistics"}});
  EXPECT_EQ(duplicate.status, 409);
}

TEST_F(Journey, AuthenticationAndRoles) {
  EXPECT_EQ(Call("GET", "/api/v1/loans", "").status, 401);
  EXPECT_EQ(Call("GET", "/api/v1/loans", "cor_forged").status, 401);
  auto unauthenticated = Call("GET", "/api/v1/loans", "");
  EXPECT_EQ(unauthenticated.raw.headers.at(0).first, "WWW-Authenticate");
  const auto [id, enterprise] = Enterprise(3);
  EXPECT_EQ(Call("POST", "/api/v1/products", enterprise, {{"name", "x"}}).status, 403);
  EXPECT_EQ(
      Call("POST", "/api/v1/enterprises/" + std::to_string(id) + "/verify", enterprise).status,
      403);
  // A registered but unverified enterprise cannot post needs.
  auto r = Call("POST", "/api/v1/enterprises", "",
                {{"uscc", TestUscc(4)},
                 {"name", "Unverified"},
                 {"region", "Aohan"},
                 {"industry", "logistics"}});
  auto need = Call("POST", "/api/v1/needs", r.body["token"].get<std::string>(),
                   {{"amount_fen", 100'000}, {"term_months", 12}, {"purpose", "trucks"}});
  EXPECT_EQ(need.status, 409);
}

TEST_F(Journey, CursorPaginationVisitsEachRecordOnce) {
  for (int i = 10; i < 17; ++i) Enterprise(i);
  std::set<int64_t> seen;
  std::string target = "/api/v1/enterprises?limit=3";
  int pages = 0;
  while (true) {
    auto page = Call("GET", target, bureau_);
    ASSERT_EQ(page.status, 200) << page.raw.body;
    for (const auto& e : page.body["items"])
      EXPECT_TRUE(seen.insert(e["id"].get<int64_t>()).second);
    ++pages;
    if (page.body["next_cursor"].is_null()) break;
    target = "/api/v1/enterprises?limit=3&cursor=" + page.body["next_cursor"].get<std::string>();
  }
  EXPECT_EQ(seen.size(), 7u);
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(Call("GET", "/api/v1/enterprises?limit=0", bureau_).status, 422);
  EXPECT_EQ(Call("GET", "/api/v1/enterprises?cursor=zz", bureau_).body["errors"][0]["field"],
            "/cursor");
}

TEST_F(Journey, ServiceEndpoints) {
  auto home = api_->Handle({"GET", "/", {}, ""});
  EXPECT_EQ(home.status, 200);
  EXPECT_EQ(home.content_type, "text/html; charset=utf-8");
  EXPECT_NE(home.body.find("注册企业"), std::string::npos);
  EXPECT_NE(home.body.find("\xC2\xA5"
                           "0.00"),
            std::string::npos);
  auto health = Call("GET", "/healthz", "");
  EXPECT_EQ(health.status, 200);
  auto doc = Call("GET", "/api/v1/openapi.json", "");
  ASSERT_EQ(doc.status, 200);
  EXPECT_EQ(doc.body["openapi"], "3.1.0");
  EXPECT_TRUE(doc.body["paths"].contains("/api/v1/loans/{id}"));
  EXPECT_TRUE(doc.body["paths"]["/api/v1/stats"]["get"]["security"].empty());
  auto calc = Call("POST", "/api/v1/calc/uscc-validate", bureau_, {{"uscc", "91350100M000100Y43"}});
  ASSERT_EQ(calc.status, 200);
  EXPECT_EQ(calc.body["valid"], true);
  EXPECT_EQ(Call("POST", "/api/v1/calc/no-such-model", bureau_, Json::object()).status, 404);
  auto metrics = api_->Handle({"GET", "/metrics", {}, ""});
  EXPECT_NE(metrics.body.find(
                "corridor_http_requests_total{route=\"POST /api/v1/calc/{model}\",code=\"2xx\"} 1"),
            std::string::npos)
      << metrics.body;
  api_->SetDraining();
  EXPECT_EQ(Call("GET", "/healthz", "").status, 503);
  EXPECT_EQ(Call("DELETE", "/api/v1/stats", "").status, 405);
  EXPECT_EQ(Call("GET", "/api/v1/nothing", "").status, 404);
}

}  // namespace
}  // namespace corridor::testing
