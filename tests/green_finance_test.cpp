// Green finance through the API: rule tables the bureau publishes, labels from evidence with the
// review queue, reserves and deposits held and released, green-loan statistics, carbon accounts
// and a sustainability-linked loan re-priced from the next period.
#include "api_fixture.hpp"

namespace corridor::testing {
namespace {

class GreenFinanceTest : public ApiFixture {
 protected:
  void SetUp() override {
    ApiFixture::SetUp();
    std::tie(bank_id_, bank_) = Onboard("bank", "Bank A", "bank_officer");
    std::tie(other_id_, other_) = Onboard("bank", "Bank B", "bank_officer");
    std::tie(solar_, solar_token_) = Enterprise(1, "new_energy");
    std::tie(miner_, miner_token_) = Enterprise(2, "coal_mining");
    solar_loan_ = Loan(solar_token_, 50'000'000);
    miner_loan_ = Loan(miner_token_, 20'000'000);
    // The bureau's deposit rate: 20,000 yuan per MW.
    ASSERT_EQ(Call("PUT", "/api/v1/settings/green_decommissioning_deposit_fen_per_mw", bureau_,
                   {{"value", 2'000'000}})
                  .status,
              200);
  }

  int64_t Loan(const std::string& enterprise, int64_t amount) {
    const int64_t offer = AcceptedOffer(bank_, enterprise, amount, 12, 450, "equal_installment");
    auto loan =
        Call("POST", "/api/v1/loans", bank_, {{"offer_id", offer}, {"start_date", "2025-06-01"}});
    EXPECT_EQ(loan.status, 201) << loan.raw.body;
    return loan.body["id"].get<int64_t>();
  }

  Reply LabelSolar() {
    return Call("POST", "/api/v1/green/labels", bank_,
                {{"loan_id", solar_loan_},
                 {"capacity_mw", 12.5},
                 {"project",
                  {{"category", "clean_energy"},
                   {"activity", "solar_pv"},
                   {"intensity_gco2e_per_kwh", 40},
                   {"evidence", {"metered_data"}},
                   {"proceeds_purpose", "solar_pv"}}}});
  }

  int64_t bank_id_ = 0, other_id_ = 0, solar_ = 0, miner_ = 0, solar_loan_ = 0, miner_loan_ = 0;
  std::string bank_, other_, solar_token_, miner_token_;
};

TEST_F(GreenFinanceTest, TheBureauPublishesRuleTablesThatDecideLabels) {
  auto tables = Call("GET", "/api/v1/green/rule-tables", bank_);
  ASSERT_EQ(tables.status, 200);
  EXPECT_EQ(tables.body["in_force"]["version"], "corridor-green-2025.1");
  // Under the default table 40 g/kWh solar is dark green, subsidy 150 bp.
  auto calc = Call("POST", "/api/v1/calc/green-label", bank_,
                   {{"project",
                     {{"category", "clean_energy"},
                      {"activity", "solar_pv"},
                      {"intensity_gco2e_per_kwh", 40},
                      {"evidence", {"metered_data"}}}}});
  EXPECT_EQ(calc.body["label"], "dark");
  EXPECT_EQ(calc.body["subsidy_bps"], 150);
  // The bureau's stricter table: dark below 30 g/kWh.
  Json strict{{"version", "chifeng-2026.1"},
              {"power_dark_below", 30},
              {"subsidy_bps", {0, 40, 60, 90, 200}},
              {"sources", {"赤峰市绿色金融认定办法 (demo)"}}};
  EXPECT_EQ(Call("POST", "/api/v1/green/rule-tables", bank_, strict).status, 403);
  auto published = Call("POST", "/api/v1/green/rule-tables", bureau_, strict);
  ASSERT_EQ(published.status, 201) << published.raw.body;
  EXPECT_EQ(published.body["categories"].size(), 7u);  // the default's, since none were given
  EXPECT_EQ(Call("POST", "/api/v1/green/rule-tables", bureau_, strict).status, 409);
  auto bad = Call("POST", "/api/v1/green/rule-tables", bureau_,
                  {{"version", "x"}, {"reduction_medium", 60}});
  ASSERT_EQ(bad.status, 422);
  EXPECT_EQ(bad.body["errors"][0]["field"], "/reduction_light");
  auto entry =
      Call("GET",
           "/api/v1/registry/entries/" + std::to_string(published.body["log_index"].get<int64_t>()),
           bureau_);
  EXPECT_EQ(entry.body["kind"], "green.rule_table_published");

  auto label = LabelSolar();
  ASSERT_EQ(label.status, 201) << label.raw.body;
  EXPECT_EQ(label.body["label"], "medium");
  EXPECT_EQ(label.body["subsidy_bps"], 90);
  EXPECT_EQ(label.body["rule_table_version"], "chifeng-2026.1");
  EXPECT_EQ(label.body["status"], "granted");
  EXPECT_EQ(label.body["industry"], "new_energy");  // the registered industry
  // Granted: the 1% risk reserve (500,000 fen) and the deposit, 12.5 MW × 2,000,000 fen.
  ASSERT_EQ(label.body["reserves"].size(), 2u);
  EXPECT_EQ(label.body["reserves"][0]["kind"], "risk_reserve");
  EXPECT_EQ(label.body["reserves"][0]["amount_fen"], 500'000);
  EXPECT_EQ(label.body["reserves"][1]["amount_fen"], 25'000'000);
  // Another bank cannot label this loan.
  auto foreign = Call("POST", "/api/v1/green/labels", other_,
                      {{"loan_id", solar_loan_}, {"project", {{"category", "clean_energy"}}}});
  EXPECT_EQ(foreign.status, 404);
}

TEST_F(GreenFinanceTest, SubsidiesDifferByLabel) {
  // A programme paying each loan its label's rate, capped at 120 bp.
  auto program = Call("POST", "/api/v1/subsidy-programs", bureau_,
                      {{"name", "Green loans"},
                       {"subsidy_bps", 120},
                       {"budget_fen", 100'000'000},
                       {"by_green_label", true}});
  ASSERT_EQ(program.status, 201) << program.raw.body;
  const std::string pay =
      "/api/v1/subsidy-programs/" + std::to_string(program.body["id"].get<int64_t>()) + "/payments";
  // No granted label yet: nothing to pay.
  EXPECT_EQ(Call("POST", pay, bureau_, {{"loan_id", solar_loan_}, {"installment_seq", 1}}).status,
            409);
  // Dark green (default table): 150 bp, capped at 120 bp: 50,000,000 × 120 / 120,000 = 50,000.
  ASSERT_EQ(LabelSolar().body["subsidy_bps"], 150);
  auto paid = Call("POST", pay, bureau_, {{"loan_id", solar_loan_}, {"installment_seq", 1}});
  ASSERT_EQ(paid.status, 201) << paid.raw.body;
  EXPECT_EQ(paid.body["amount_fen"], 50'000);
  // A transition loan (coal-power retrofit cutting 25%) gets the table's 50 bp: 20,000,000 × 50
  // / 120,000 = 8,333.33 → 8,333 fen.
  auto t = Call("POST", "/api/v1/green/labels", bank_,
                {{"loan_id", miner_loan_},
                 {"project",
                  {{"category", "energy_saving"},
                   {"activity", "coal_power_retrofit"},
                   {"emission_reduction_pct", 25},
                   {"evidence", {"metered_data"}},
                   {"proceeds_purpose", "clean_retrofit"}}}});
  ASSERT_EQ(t.body["label"], "transition");
  ASSERT_EQ(t.body["status"], "granted");
  auto tp = Call("POST", pay, bureau_, {{"loan_id", miner_loan_}, {"installment_seq", 1}});
  ASSERT_EQ(tp.status, 201) << tp.raw.body;
  EXPECT_EQ(tp.body["amount_fen"], 8'333);
}

TEST_F(GreenFinanceTest, FlaggedClaimsWaitForTheBureausReview) {
  // Seed 000: an open-pit coal mine's reclamation presented as ecological restoration.
  auto claim = Call("POST", "/api/v1/green/labels", bank_,
                    {{"loan_id", miner_loan_},
                     {"project",
                      {{"category", "ecological_restoration"},
                       {"activity", "mine_reclamation"},
                       {"claimed_label", "dark"},
                       {"proceeds_purpose", "restoration"}}}});
  ASSERT_EQ(claim.status, 201) << claim.raw.body;
  EXPECT_EQ(claim.body["status"], "under_review");
  EXPECT_EQ(claim.body["greenwashing_flags"][0]["flag"], "category_does_not_fit_industry");
  EXPECT_TRUE(claim.body["reserves"].empty());
  auto queue = Call("GET", "/api/v1/green/labels?status=under_review", bureau_);
  ASSERT_EQ(queue.body["items"].size(), 1u);
  const std::string id = std::to_string(queue.body["items"][0]["id"].get<int64_t>());
  // The other bank sees nothing of it; only the bureau reviews.
  EXPECT_TRUE(Call("GET", "/api/v1/green/labels", other_).body["items"].empty());
  EXPECT_EQ(Call("POST", "/api/v1/green/labels/" + id + "/review", bank_,
                 {{"decision", "grant"}, {"note", "x"}})
                .status,
            403);
  auto rejected = Call("POST", "/api/v1/green/labels/" + id + "/review", bureau_,
                       {{"decision", "reject"}, {"note", "reclamation is the miner's legal duty"}});
  ASSERT_EQ(rejected.status, 200) << rejected.raw.body;
  EXPECT_EQ(rejected.body["status"], "rejected");
  EXPECT_EQ(Call("POST", "/api/v1/green/labels/" + id + "/review", bureau_,
                 {{"decision", "grant"}, {"note", "x"}})
                .status,
            409);
  EXPECT_TRUE(
      Call("GET", "/api/v1/green/labels?status=under_review", bureau_).body["items"].empty());
  // A bureau grant of a flagged claim holds the reserves: an honest light-green claim without
  // metered data is flagged (capped), then granted as capped.
  auto capped = Call("POST", "/api/v1/green/labels", bank_,
                     {{"loan_id", solar_loan_},
                      {"project",
                       {{"category", "clean_energy"},
                        {"activity", "solar_pv"},
                        {"intensity_gco2e_per_kwh", 40},
                        {"proceeds_purpose", "solar_pv"}}}});
  ASSERT_EQ(capped.body["status"], "under_review");
  EXPECT_EQ(capped.body["label"], "light");
  auto granted =
      Call("POST",
           "/api/v1/green/labels/" + std::to_string(capped.body["id"].get<int64_t>()) + "/review",
           bureau_, {{"decision", "grant"}, {"note", "meters installed 2025-05"}});
  ASSERT_EQ(granted.status, 200);
  ASSERT_EQ(granted.body["reserves"].size(), 1u);  // no capacity given: the risk reserve only
  EXPECT_EQ(granted.body["reserves"][0]["amount_fen"], 500'000);
}

TEST_F(GreenFinanceTest, ReservesAreReleasedOnlyWhenDue) {
  auto label = LabelSolar();
  ASSERT_EQ(label.status, 201);
  const std::string reserve =
      std::to_string(label.body["reserves"][0]["id"].get<int64_t>());  // risk reserve
  const std::string deposit = std::to_string(label.body["reserves"][1]["id"].get<int64_t>());
  auto list = Call("GET", "/api/v1/green/reserves", bank_);
  EXPECT_EQ(list.body["held_fen"], 25'500'000);
  EXPECT_TRUE(Call("GET", "/api/v1/green/reserves", other_).body["items"].empty());
  auto early =
      Call("POST", "/api/v1/green/reserves/" + reserve + "/release", bureau_, {{"note", "early"}});
  EXPECT_EQ(early.status, 409);  // the loan is not repaid
  auto unverified = Call("POST", "/api/v1/green/reserves/" + deposit + "/release", bureau_,
                         {{"note", "site visit pending"}});
  ASSERT_EQ(unverified.status, 422);
  EXPECT_EQ(unverified.body["errors"][0]["field"], "/decommissioning_verified");
  auto released =
      Call("POST", "/api/v1/green/reserves/" + deposit + "/release", bureau_,
           {{"note", "panels removed, site restored"}, {"decommissioning_verified", true}});
  ASSERT_EQ(released.status, 200) << released.raw.body;
  EXPECT_EQ(released.body["status"], "released");
  EXPECT_EQ(Call("POST", "/api/v1/green/reserves/" + deposit + "/release", bureau_,
                 {{"note", "again"}, {"decommissioning_verified", true}})
                .status,
            409);
  EXPECT_EQ(Call("GET", "/api/v1/green/reserves", bank_).body["held_fen"], 500'000);
  // Once the loan is repaid the risk reserve goes back to the borrower.
  const std::string loan = "/api/v1/loans/" + std::to_string(solar_loan_);
  const int64_t owed = Call("GET", loan, bank_).body["outstanding_fen"].get<int64_t>();
  auto repaid = Call("POST", loan + "/repayments", solar_token_,
                     {{"amount_fen", owed}, {"paid_on", "2025-06-01"}});
  ASSERT_EQ(repaid.status, 201) << repaid.raw.body;
  ASSERT_EQ(Call("GET", loan, bank_).body["status"], "repaid");
  auto back = Call("POST", "/api/v1/green/reserves/" + reserve + "/release", bureau_,
                   {{"note", "loan repaid"}});
  ASSERT_EQ(back.status, 200) << back.raw.body;
  EXPECT_EQ(Call("GET", "/api/v1/green/reserves", bank_).body["held_fen"], 0);
}

TEST_F(GreenFinanceTest, StatisticsByCatalogueCategory) {
  ASSERT_EQ(LabelSolar().status, 201);
  auto stats = Call("GET", "/api/v1/green/statistics", bureau_);
  ASSERT_EQ(stats.status, 200) << stats.raw.body;
  EXPECT_EQ(stats.body["green_loans"]["loans"], 1);
  EXPECT_EQ(stats.body["green_loans"]["principal_fen"], 50'000'000);
  EXPECT_EQ(stats.body["green_loans"]["balance_fen"], 50'000'000);
  ASSERT_EQ(stats.body["categories"].size(), 1u);
  EXPECT_EQ(stats.body["categories"][0]["category_zh"], "清洁能源产业");
  EXPECT_EQ(stats.body["categories"][0]["by_label"]["dark"]["loans"], 1);
  // Bank B has no green loans; enterprises do not read statistics.
  EXPECT_EQ(Call("GET", "/api/v1/green/statistics", other_).body["green_loans"]["loans"], 0);
  EXPECT_EQ(Call("GET", "/api/v1/green/statistics", solar_token_).status, 403);
}

TEST_F(GreenFinanceTest, CarbonAccountsShowIntensityAndPricing) {
  const std::string path = "/api/v1/enterprises/" + std::to_string(solar_);
  Json y2024{{"period", "2024"},       {"scope1_kg", 1'000'000}, {"scope2_kg", 500'000},
             {"scope3_kg", 2'000'000}, {"output", 10'000},       {"output_unit", "MWh"},
             {"data_quality", 2},      {"metered", true}};
  ASSERT_EQ(Call("POST", path + "/carbon-records", solar_token_, y2024).status, 201);
  Json y2025 = y2024;
  y2025["period"] = "2025";
  y2025["scope1_kg"] = 800'000;
  y2025["scope2_kg"] = 400'000;
  ASSERT_EQ(Call("POST", path + "/carbon-records", solar_token_, y2025).status, 201);
  // Intensity (scope 1+2 per MWh) 150 → 120 kg: down 20% on metered data of quality 2: -15 bp.
  auto account = Call("GET", path + "/carbon-account", bank_);
  ASSERT_EQ(account.status, 200) << account.raw.body;
  ASSERT_EQ(account.body["periods"].size(), 2u);
  EXPECT_EQ(account.body["periods"][0]["intensity_kg_per_unit"], 150.0);
  EXPECT_EQ(account.body["periods"][1]["intensity_kg_per_unit"], 120.0);
  EXPECT_NEAR(account.body["periods"][1]["intensity_change"].get<double>(), -0.2, 1e-15);
  EXPECT_EQ(account.body["pricing_adjustment_bps"], -15);
  // It reaches the enterprise's matches: every matched product's rate is 15 bp lower, said why.
  auto need = Call("POST", "/api/v1/needs", solar_token_,
                   {{"amount_fen", 1'000'000}, {"term_months", 12}, {"purpose", "panels"}});
  ASSERT_EQ(need.status, 201);
  auto product = Call("POST", "/api/v1/products", bank_,
                      {{"name", "Solar loan"},
                       {"min_amount_fen", 100'000},
                       {"max_amount_fen", 10'000'000},
                       {"min_term_months", 6},
                       {"max_term_months", 36},
                       {"rate_bps", 400}});
  ASSERT_EQ(product.status, 201) << product.raw.body;
  auto matches =
      Call("GET", "/api/v1/needs/" + std::to_string(need.body["id"].get<int64_t>()) + "/matches",
           solar_token_);
  ASSERT_EQ(matches.status, 200) << matches.raw.body;
  ASSERT_FALSE(matches.body["matches"].empty()) << matches.raw.body;
  EXPECT_EQ(matches.body["matches"][0]["effective_rate_bps"], 385);
  EXPECT_NE(
      matches.body["matches"][0].dump().find("carbon account intensity -20.0% (2025 vs 2024)"),
      std::string::npos);
  EXPECT_EQ(account.body["weighted_data_quality"], 2.0);
  // A correction replaces the period; others may not write or read it.
  y2025["metered"] = false;
  ASSERT_EQ(Call("POST", path + "/carbon-records", solar_token_, y2025).status, 201);
  EXPECT_EQ(Call("GET", path + "/carbon-account", bank_).body["pricing_adjustment_bps"], 0);
  EXPECT_EQ(Call("POST", path + "/carbon-records", miner_token_, y2025).status, 404);
  EXPECT_EQ(Call("GET", path + "/carbon-account", other_).status, 404);
  y2025["period"] = "2025-Q5";
  auto bad = Call("POST", path + "/carbon-records", solar_token_, y2025);
  EXPECT_EQ(bad.body["errors"][0]["field"], "/period");
}

TEST_F(GreenFinanceTest, FinancedEmissionsOfTheBookByPcaf) {
  // The solar firm reports like PCAF's forestry company (Table 5-8) at AF 10%: 50,000,000 fen
  // outstanding of 500,000,000 equity + debt; the miner like its industrial company at AF 25%
  // by EVIC (80,000,000), which takes precedence over its equity + debt.
  const std::string solar = "/api/v1/enterprises/" + std::to_string(solar_) + "/carbon-records";
  const std::string miner = "/api/v1/enterprises/" + std::to_string(miner_) + "/carbon-records";
  ASSERT_EQ(Call("POST", solar, solar_token_,
                 {{"period", "2025"},
                  {"scope1_kg", 1'000'000},
                  {"scope2_kg", 100'000},
                  {"scope3_kg", 5'000'000},
                  {"removals_kg", 20'000'000},
                  {"credits_generated_kg", 5'000'000},
                  {"equity_plus_debt_fen", 500'000'000},
                  {"output", 10'000},
                  {"output_unit", "MWh"},
                  {"data_quality", 2}})
                .status,
            201);
  auto rec = Call("POST", miner, miner_token_,
                  {{"period", "2025"},
                   {"scope1_kg", 20'000'000},
                   {"scope2_kg", 5'000'000},
                   {"scope3_kg", 30'000'000},
                   {"credits_retired_kg", 25'000'000},
                   {"evic_fen", 80'000'000},
                   {"equity_plus_debt_fen", 100'000'000},
                   {"output", 1'000},
                   {"output_unit", "t"},
                   {"data_quality", 4}});
  ASSERT_EQ(rec.status, 201) << rec.raw.body;
  // Bank B lends to a farm whose record's equity + debt is below the loan.
  auto [farm, farm_token] = Enterprise(3, "agriculture");
  const int64_t offer = AcceptedOffer(other_, farm_token, 5'000'000, 12, 450, "equal_installment");
  ASSERT_EQ(
      Call("POST", "/api/v1/loans", other_, {{"offer_id", offer}, {"start_date", "2025-06-01"}})
          .status,
      201);
  ASSERT_EQ(
      Call("POST", "/api/v1/enterprises/" + std::to_string(farm) + "/carbon-records", farm_token,
           {{"period", "2025"},
            {"scope1_kg", 1'000},
            {"scope2_kg", 0},
            {"scope3_kg", 0},
            {"equity_plus_debt_fen", 1'000'000},
            {"output", 1},
            {"output_unit", "t"},
            {"data_quality", 3}})
          .status,
      201);

  auto mine = Call("GET", "/api/v1/green/financed-emissions?period=2025", bank_);
  ASSERT_EQ(mine.status, 200) << mine.raw.body;
  const Json& b = mine.body;
  EXPECT_EQ(b["scope"], "bank");
  EXPECT_FALSE(b.contains("banks"));
  ASSERT_EQ(b["loans"].size(), 2u);
  EXPECT_DOUBLE_EQ(b["loans"][0]["attribution_factor"].get<double>(), 0.10);
  EXPECT_EQ(b["loans"][1]["denominator"], "evic");
  EXPECT_DOUBLE_EQ(b["loans"][1]["attribution_factor"].get<double>(), 0.25);
  // 1,000×10% + 20,000×25%; 100×10% + 5,000×25%; 5,000×10% + 30,000×25%; removals 20,000×10%;
  // retired 25,000×25%; generated 5,000×10% (tCO2e).
  EXPECT_NEAR(b["scope1_t"].get<double>(), 5'100, 1e-9);
  EXPECT_NEAR(b["scope2_t"].get<double>(), 1'260, 1e-9);
  EXPECT_NEAR(b["scope3_t"].get<double>(), 8'000, 1e-9);
  EXPECT_NEAR(b["removals_t"].get<double>(), 2'000, 1e-9);
  EXPECT_NEAR(b["credits_retired_t"].get<double>(), 6'250, 1e-9);
  EXPECT_NEAR(b["credits_generated_t"].get<double>(), 500, 1e-9);
  // (50,000,000 × 2 + 20,000,000 × 4) / 70,000,000.
  EXPECT_DOUBLE_EQ(b["weighted_data_quality"].get<double>(), 180.0 / 70);
  EXPECT_EQ(b["coverage"]["share"], 1.0);
  EXPECT_TRUE(b["not_covered"].empty());

  // The bureau sees the platform, bank by bank, with Bank B's loan not covered and why.
  auto all = Call("GET", "/api/v1/green/financed-emissions?period=2025", bureau_);
  ASSERT_EQ(all.status, 200) << all.raw.body;
  EXPECT_EQ(all.body["scope"], "platform");
  EXPECT_EQ(all.body["coverage"]["outstanding_fen"], 75'000'000);
  EXPECT_EQ(all.body["coverage"]["covered_fen"], 70'000'000);
  ASSERT_EQ(all.body["not_covered"].size(), 1u);
  EXPECT_NE(all.body["not_covered"][0]["reason"].get<std::string>().find("exceeds"),
            std::string::npos);
  ASSERT_EQ(all.body["banks"].size(), 2u);
  EXPECT_EQ(all.body["banks"][1]["coverage_share"], 0.0);
  EXPECT_TRUE(all.body["banks"][1]["weighted_data_quality"].is_null());
  // Bank B sees only its own book.
  auto theirs = Call("GET", "/api/v1/green/financed-emissions?period=2025", other_);
  EXPECT_EQ(theirs.body["coverage"]["loans"], 1);
  EXPECT_EQ(theirs.body["scope1_t"], 0);
  // A period without records covers nothing; bad periods and enterprises are refused.
  auto y2024 = Call("GET", "/api/v1/green/financed-emissions?period=2024", bank_);
  EXPECT_EQ(y2024.body["coverage"]["covered_fen"], 0);
  EXPECT_NE(y2024.body["not_covered"][0]["reason"].get<std::string>().find("no carbon record"),
            std::string::npos);
  auto bad = Call("GET", "/api/v1/green/financed-emissions?period=25", bank_);
  EXPECT_EQ(bad.status, 422);
  EXPECT_EQ(bad.body["errors"][0]["field"], "period");
  EXPECT_EQ(Call("GET", "/api/v1/green/financed-emissions?period=2025", solar_token_).status, 403);
  // The carbon account shows the PCAF fields as recorded.
  auto account =
      Call("GET", "/api/v1/enterprises/" + std::to_string(miner_) + "/carbon-account", bureau_);
  EXPECT_EQ(account.body["periods"][0]["evic_fen"], 80'000'000);
  EXPECT_EQ(account.body["periods"][0]["credits_retired_kg"], 25'000'000);
}

TEST_F(GreenFinanceTest, SustainabilityLinkedMarginRepricesFromTheNextPeriod) {
  const std::string loan = "/api/v1/loans/" + std::to_string(solar_loan_);
  Json terms{{"base_margin_bps", 150},
             {"ratchet", "symmetric"},
             {"floor_bps", 100},
             {"cap_bps", 200},
             {"kpis",
              {{{"name", "intensity"},
                {"target", 130},
                {"direction", "lower_is_better"},
                {"step_bps", 10}},
               {{"name", "renewable_share"},
                {"target", 0.5},
                {"direction", "higher_is_better"},
                {"step_bps", 5}}}}};
  EXPECT_EQ(Call("POST", loan + "/sustainability-link", other_, terms).status, 404);
  ASSERT_EQ(Call("POST", loan + "/sustainability-link", bank_, terms).status, 201);
  EXPECT_EQ(Call("POST", loan + "/sustainability-link", bank_, terms).status, 409);
  const Json before = Call("GET", loan, bank_).body;
  // Mid-July: installment 2 (July 1 to August 1) is running; the change applies from 3.
  clock_.Set(ManualClock::MicrosAt(*Date::Parse("2025-07-15")));
  auto missing = Call("POST", loan + "/kpi-observations", bank_,
                      {{"period", "2025"}, {"actuals", {{"intensity", 120}}}});
  ASSERT_EQ(missing.status, 422);
  EXPECT_EQ(missing.body["errors"][0]["field"], "/actuals/renewable_share");
  // Intensity met (-10), renewable share missed (+5): 150 → 145, the rate 450 → 445 bp.
  auto obs =
      Call("POST", loan + "/kpi-observations", bank_,
           {{"period", "2025"}, {"actuals", {{"intensity", 120}, {"renewable_share", 0.4}}}});
  ASSERT_EQ(obs.status, 201) << obs.raw.body;
  EXPECT_EQ(obs.body["margin_bps"], 145);
  EXPECT_EQ(obs.body["change_bps"], -5);
  EXPECT_EQ(obs.body["effective_from_seq"], 3);
  EXPECT_EQ(Call("POST", loan + "/kpi-observations", bank_,
                 {{"period", "2025"}, {"actuals", {{"intensity", 1}, {"renewable_share", 1}}}})
                .status,
            409);
  const Json after = Call("GET", loan, bank_).body;
  EXPECT_EQ(after["annual_rate_bps"], 445);
  const Json& was = before["schedule"]["installments"];
  const Json& now = after["schedule"]["installments"];
  ASSERT_EQ(now.size(), 12u);
  // Installments 1 and 2 unchanged; from 3 on, interest on the balance at 445 bp: installment
  // 2's balance × 445 / 120,000, rounded half away from zero.
  for (int k : {0, 1}) {
    for (const char* f : {"principal_fen", "interest_fen", "payment_fen", "balance_fen"}) {
      EXPECT_EQ(now[k][f], was[k][f]) << k << f;
    }
  }
  const int64_t balance = now[1]["balance_fen"].get<int64_t>();
  EXPECT_EQ(now[2]["interest_fen"].get<int64_t>(), (balance * 445 + 60'000) / 120'000);
  EXPECT_LT(now[2]["payment_fen"].get<int64_t>(), was[2]["payment_fen"].get<int64_t>());
  int64_t principal = 0;
  for (const auto& i : now) principal += i["principal_fen"].get<int64_t>();
  EXPECT_EQ(principal, 50'000'000);
  EXPECT_EQ(now[11]["balance_fen"], 0);
  auto view = Call("GET", loan + "/sustainability-link", solar_token_);
  ASSERT_EQ(view.status, 200) << view.raw.body;
  EXPECT_EQ(view.body["margin_bps"], 145);
  EXPECT_EQ(view.body["observations"].size(), 1u);
}

}  // namespace
}  // namespace corridor::testing
