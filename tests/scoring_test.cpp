// Credit scoring through the API: a bank trains a scorecard on its own repayment history, its risk
// analyst approves it (never the one who trained it), it scores the platform's enterprises, the
// enterprise reads its score with its reasons, the bank reads the score on a need; and the
// fairness report shows a book built to be biased before the model cuts anyone.
#include <fmt/format.h>

#include <cmath>
#include <map>
#include <thread>

#include "api_fixture.hpp"
#include "core/rng.hpp"
#include "ports.hpp"
#include "risk/federated/horizontal_lr.hpp"
#include "risk/federated/session.hpp"
#include "risk/federated/vertical_lr.hpp"
#include "risk/scoring/logistic.hpp"
#include "service/kernel/auth.hpp"
#include "service/kernel/kernel.hpp"
#include "service/scoring/features.hpp"

namespace corridor::testing {
namespace {

using store::Execute;
using store::InsertReturningId;

// The book (seed 002 §5.2's failure, built on purpose): half the firms are herders in a pastoral
// banner, half manufacturers in the city. Each firm's chance of default depends only on its
// quality, drawn alike in both halves; its tax paid rises with its quality, but herders sell their
// own produce free of VAT and pay a tenth of a manufacturer's tax at the same quality. Revenue,
// staff and utilities say nothing (the same for all). So a model that learns "low tax, high risk"
// declines the herders far more often than their defaults warrant.
constexpr int kFirms = 1'600;
constexpr std::string_view kToday = "2026-06-30";
constexpr std::string_view kSnapshot = "2024-06-30";
constexpr std::string_view kOot = "2025-06-30";

class ScoringTest : public ApiFixture {
 protected:
  void SetUp() override {
    ApiFixture::SetUp();
    clock_.Set(ManualClock::MicrosAt(*Date::Parse(kToday)));
    bank_ = Onboard("bank", "Bank A", "bank_officer");
    other_bank_ = Onboard("bank", "Bank B", "bank_officer");
    auto analyst = Call("POST", fmt::format("/api/v1/tenants/{}/users", bank_.first), bureau_,
                        {{"role", "risk_analyst"}, {"name", "Bank A risk"}});
    ASSERT_EQ(analyst.status, 201) << analyst.raw.body;
    analyst_ = analyst.body["token"].get<std::string>();
    ASSERT_TRUE(store_->Write([&](store::Connection& c) -> Status { return WriteBook(c); }));
  }

  Status WriteBook(store::Connection& c) {
    const CounterRng rng(11);
    const int64_t registered = ManualClock::MicrosAt(*Date::Parse("2020-01-06"));
    const Date snapshot = *Date::Parse(kSnapshot), oot = *Date::Parse(kOot);
    const Date today = *Date::Parse(kToday);
    for (int i = 0; i < kFirms; ++i) {
      const bool herder = i % 2 == 0;
      const int64_t tenant = CORRIDOR_TRY(InsertReturningId(
          c,
          "INSERT INTO tenants (kind, name, created_at) VALUES ('enterprise', ?, ?) RETURNING id",
          fmt::format("Firm {}", i), registered));
      const int64_t id = CORRIDOR_TRY(InsertReturningId(
          c,
          "INSERT INTO enterprises (tenant_id, uscc, name, region, industry, status, "
          "registered_at, verified_at) VALUES (?, ?, ?, ?, ?, 'verified', ?, ?) RETURNING id",
          tenant, TestUscc(100 + i), fmt::format("Firm {}", i), herder ? "Balinyouqi" : "Hongshan",
          herder ? "farming_herding" : "manufacturing", registered, registered));
      ids_.push_back(id);
      const double quality = rng.Uniform(1, static_cast<uint64_t>(i));
      const auto tax_yuan = static_cast<int64_t>(100'000 + 900'000 * quality);
      CORRIDOR_TRY(Execute(c,
                           "INSERT INTO credit_profiles (enterprise_id, tax_paid_12m_fen, "
                           "social_insurance_headcount, utilities_paid_12m_fen, credit_record, "
                           "scale, annual_revenue_fen, updated_at) VALUES (?, ?, 10, 5000000, "
                           "'clean', 'small', 500000000, ?)",
                           id, tax_yuan * 100 / (herder ? 10 : 1), registered));
      const double p_default = 0.3 * (1 - quality) * (1 - quality);
      // Two yearly loans of the bank: one outstanding on the snapshot day, one on the
      // out-of-time day. A defaulter stops paying at its first installment after that day.
      for (int loan = 0; loan < 2; ++loan) {
        const Date day = loan == 0 ? snapshot : oot;
        const Date start = day.AddDays(-(30 + i % 150));
        const bool defaults =
            rng.Uniform(2 + static_cast<uint64_t>(loan), static_cast<uint64_t>(i)) < p_default;
        const int64_t loan_id = CORRIDOR_TRY(InsertReturningId(
            c,
            "INSERT INTO loans (bank_tenant_id, enterprise_id, principal_fen, annual_rate_bps, "
            "borrower_rate_bps, subsidy_rate_bps, term_months, method, kind, start_date, "
            "booked_at) VALUES (?, ?, 12000000, 400, 400, 0, 12, 'equal_principal', 'standard', "
            "?, ?) RETURNING id",
            bank_.first, id, start.ToString(), ManualClock::MicrosAt(start)));
        for (int k = 1; k <= 12; ++k) {
          const Date due = start.AddMonths(k);
          const bool paid = due <= today && !(defaults && due > day);
          CORRIDOR_TRY(Execute(c,
                               "INSERT INTO installments (loan_id, seq, due_date, principal_fen, "
                               "interest_fen, subsidy_interest_fen, payment_fen, balance_fen, "
                               "paid_fen, paid_on) VALUES (?, ?, ?, 1000000, 0, 0, 1000000, ?, "
                               "?, ?)",
                               loan_id, k, due.ToString(), int64_t{1'000'000} * (12 - k),
                               paid ? 1'000'000 : 0,
                               paid ? std::optional<std::string>(due.ToString()) : std::nullopt));
        }
      }
    }
    // Two firms with users: the first (a herder) and the second.
    for (int i = 0; i < 2; ++i) {
      const auto tenant = CORRIDOR_TRY(service::internal::QueryInt(
          c, "SELECT tenant_id FROM enterprises WHERE id = ?", ids_[i]));
      firm_tokens_.push_back(CORRIDOR_TRY(service::CreateUserWithToken(
          c, clock_, *tenant, service::Role::kEnterpriseUser, "owner")));
    }
    return {};
  }

  Reply Train(const std::string& token, const std::string& name, int64_t cutoff) {
    return Call("POST", "/api/v1/scoring/models", token,
                {{"name", name},
                 {"snapshot_date", kSnapshot},
                 {"oot_date", kOot},
                 {"horizon_days", 365},
                 {"cutoff", cutoff}});
  }

  std::pair<int64_t, std::string> bank_, other_bank_;
  std::string analyst_;
  std::vector<int64_t> ids_;
  std::vector<std::string> firm_tokens_;
};

const Json* GroupOf(const Json& groups, const std::string& name) {
  for (const auto& g : groups) {
    if (g["group"] == name) return &g;
  }
  return nullptr;
}

TEST_F(ScoringTest, ABankTrainsApprovesAndScoresAndTheFairnessReportShowsTheBias) {
  auto model = Train(bank_.second, "SME scorecard", 640);
  ASSERT_EQ(model.status, 201) << model.raw.body;
  const Json& m = model.body;
  EXPECT_EQ(m["status"], "pending");
  EXPECT_EQ(m["version"], 1);
  const Json& report = m["report"];
  // Every firm is a case on both days (its loan outstanding), save those already in default.
  EXPECT_EQ(report["training"]["cases"], kFirms);
  EXPECT_GT(report["training"]["bads"].get<int>(), 50);
  EXPECT_GT(report["out_of_time"]["auc"].get<double>(), 0.65);
  EXPECT_GT(report["challenger"]["out_of_time"]["auc"].get<double>(), 0.6);
  EXPECT_EQ(report["out_of_time"]["deciles"].size(), 10U);
  // Revenue, staff and utilities are the same for all: no information, left out.
  std::set<std::string> dropped;
  for (const auto& d : m["scorecard"]["dropped"]) dropped.insert(d["name"].get<std::string>());
  EXPECT_TRUE(dropped.contains("annual_revenue_yuan"));
  EXPECT_EQ(m["snapshot_date"], kSnapshot);

  // The bias shows: the herders' defaults are as frequent as the manufacturers', but their
  // approval rate is under four-fifths of it.
  const Json* herders = GroupOf(report["fairness"]["region"], "Balinyouqi");
  const Json* city = GroupOf(report["fairness"]["region"], "Hongshan");
  ASSERT_NE(herders, nullptr);
  ASSERT_NE(city, nullptr);
  const auto bad_rate = [](const Json& g) {
    return g["bad"].get<double>() / g["count"].get<double>();
  };
  EXPECT_NEAR(bad_rate(*herders), bad_rate(*city), 0.03);
  EXPECT_LT((*herders)["adverse_impact_ratio"].get<double>(), 0.8);
  EXPECT_FALSE((*herders)["four_fifths"].get<bool>());
  EXPECT_TRUE((*city)["four_fifths"].get<bool>());
  EXPECT_GT((*herders)["false_decline_rate"].get<double>(),
            (*city)["false_decline_rate"].get<double>());
  EXPECT_TRUE(m["fairness_flags"].dump().find("Balinyouqi") != std::string::npos);
  const int64_t id = m["id"].get<int64_t>();
  const std::string path = fmt::format("/api/v1/scoring/models/{}", id);

  // Pending: it scores nobody. The officer who trained it cannot approve it; the analyst can.
  EXPECT_EQ(Call("POST", path + "/runs", bank_.second, {{"as_of", kToday}}).status, 409);
  EXPECT_EQ(
      Call("POST", path + "/decision", bank_.second, {{"decision", "approve"}, {"note", "mine"}})
          .status,
      403);
  auto bad = Call("POST", path + "/decision", analyst_, {{"decision", "maybe"}, {"note", ""}});
  EXPECT_EQ(bad.status, 422);
  EXPECT_NE(bad.raw.body.find("/decision"), std::string::npos);
  EXPECT_NE(bad.raw.body.find("/note"), std::string::npos);
  auto ok = Call("POST", path + "/decision", analyst_,
                 {{"decision", "approve"}, {"note", "validated; herders reviewed by hand"}});
  ASSERT_EQ(ok.status, 200) << ok.raw.body;
  EXPECT_EQ(ok.body["status"], "approved");
  EXPECT_EQ(
      Call("POST", path + "/decision", analyst_, {{"decision", "reject"}, {"note", "x"}}).status,
      409);

  // Another bank sees nothing of it.
  EXPECT_EQ(Call("GET", path, other_bank_.second).status, 404);
  EXPECT_EQ(Call("GET", "/api/v1/scoring/models", other_bank_.second).body["items"].size(), 0U);
  EXPECT_EQ(Call("POST", path + "/runs", other_bank_.second, {{"as_of", kToday}}).status, 404);
  EXPECT_EQ(Call("GET", "/api/v1/scoring/models", bureau_).body["items"].size(), 1U);
  EXPECT_EQ(Call("GET", "/api/v1/scoring/models", firm_tokens_[0]).status, 403);

  // A run scores every verified enterprise as of a day; the bank's borrowers with principal
  // outstanding that day (here every firm, each on its second loan) are the population its
  // stability is measured on: the same firms as the snapshot's, alike, so it is stable.
  auto run = Call("POST", path + "/runs", bank_.second, {{"as_of", "2025-06-30"}});
  ASSERT_EQ(run.status, 201) << run.raw.body;
  EXPECT_EQ(run.body["scored"], kFirms);
  EXPECT_EQ(run.body["monitored"], kFirms);
  EXPECT_EQ(run.body["stability"], "stable") << run.raw.body;
  EXPECT_TRUE(run.body["alert_id"].is_null());
  // A year on, only the firms that stopped paying still owe anything: the population has
  // shifted, which is an early-warning alert on the model that its bank and the bureau read and
  // nobody else does.
  run = Call("POST", path + "/runs", bank_.second, {{"as_of", kToday}});
  ASSERT_EQ(run.status, 201) << run.raw.body;
  EXPECT_LT(run.body["monitored"].get<int64_t>(), kFirms / 2);
  EXPECT_EQ(run.body["stability"], "shifted") << run.raw.body;
  ASSERT_TRUE(run.body["alert_id"].is_number()) << run.raw.body;
  const std::string alert =
      fmt::format("/api/v1/monitor/alerts/{}", run.body["alert_id"].get<int64_t>());
  auto drift = Call("GET", alert, bank_.second);
  ASSERT_EQ(drift.status, 200) << drift.raw.body;
  EXPECT_EQ(drift.body["subject"], "model");
  EXPECT_EQ(drift.body["model_id"], id);
  EXPECT_EQ(drift.body["model_name"], "SME scorecard v1");
  EXPECT_EQ(drift.body["indicator"], "population_stability");
  EXPECT_EQ(drift.body["status"], "firing");
  EXPECT_EQ(Call("GET", alert, bureau_).status, 200);
  EXPECT_EQ(Call("GET", alert, other_bank_.second).status, 404);
  EXPECT_EQ(Call("GET", alert, firm_tokens_[0]).status, 404);
  EXPECT_EQ(Call("GET", "/api/v1/monitor/alerts", other_bank_.second).body["items"].size(), 0U);
  EXPECT_EQ(Call("POST", alert + "/acknowledge", analyst_).status, 200);
  EXPECT_EQ(Call("POST", path + "/runs", bank_.second, {{"as_of", kToday}}).status, 409);
  // A run of an earlier day, filled in afterwards, is stable (the snapshot's own borrowers) but
  // leaves the alert as it is: the alert follows the latest run.
  auto backfill = Call("POST", path + "/runs", bank_.second, {{"as_of", kSnapshot}});
  ASSERT_EQ(backfill.status, 201) << backfill.raw.body;
  EXPECT_EQ(backfill.body["stability"], "stable") << backfill.raw.body;
  EXPECT_TRUE(backfill.body["alert_id"].is_null());
  EXPECT_EQ(Call("GET", alert, bank_.second).body["status"], "acknowledged");
  EXPECT_EQ(Call("POST", path + "/runs", bank_.second, {{"as_of", "2026-07-01"}}).status, 422);

  // The herder reads its score and why; the reasons are ranked by the points they cost.
  const std::string scores = fmt::format("/api/v1/scoring/enterprises/{}/scores", ids_[0]);
  auto mine = Call("GET", scores, firm_tokens_[0]);
  ASSERT_EQ(mine.status, 200) << mine.raw.body;
  ASSERT_EQ(mine.body["scores"].size(), 3U);  // three runs, the latest day's first
  const Json& s = mine.body["scores"][0];
  EXPECT_EQ(s["as_of"], kToday);
  EXPECT_EQ(mine.body["scores"][1]["as_of"], "2025-06-30");
  EXPECT_EQ(mine.body["scores"][2]["as_of"], kSnapshot);
  EXPECT_EQ(s["bank_name"], "Bank A");
  ASSERT_GE(s["reasons"].size(), 1U);
  ASSERT_LE(s["reasons"].size(), 4U);
  EXPECT_EQ(s["reasons"][0]["feature"], "tax_paid_12m_yuan");
  EXPECT_EQ(s["reasons"][0]["zh"], "近12个月纳税额");
  EXPECT_GT(s["reasons"][0]["points_lost"].get<double>(), 0);
  for (size_t k = 1; k < s["reasons"].size(); ++k) {
    EXPECT_GE(s["reasons"][k - 1]["points_lost"].get<double>(),
              s["reasons"][k]["points_lost"].get<double>());
  }
  // Another firm's scores are not its to read; the bureau reads them, the other bank has none.
  EXPECT_EQ(
      Call("GET", fmt::format("/api/v1/scoring/enterprises/{}/scores", ids_[1]), firm_tokens_[0])
          .status,
      404);
  EXPECT_EQ(Call("GET", scores, bureau_).body["scores"].size(), 3U);
  EXPECT_EQ(Call("GET", scores, other_bank_.second).body["scores"].size(), 0U);

  // The firm's need carries the bank's score for the bank, and nothing for the other bank.
  auto need = Call("POST", "/api/v1/needs", firm_tokens_[0],
                   {{"amount_fen", 5'000'000}, {"term_months", 12}, {"purpose", "herd"}});
  ASSERT_EQ(need.status, 201) << need.raw.body;
  const std::string need_path = fmt::format("/api/v1/needs/{}", need.body["id"].get<int64_t>());
  auto seen = Call("GET", need_path, bank_.second);
  ASSERT_EQ(seen.status, 200) << seen.raw.body;
  EXPECT_EQ(seen.body["credit_score"]["score"], s["score"]);
  EXPECT_EQ(seen.body["credit_score"]["reasons"], s["reasons"]);
  EXPECT_TRUE(Call("GET", need_path, other_bank_.second).body["credit_score"].is_null());
  bool listed = false;
  const auto needs = Call("GET", "/api/v1/needs", bank_.second);
  for (const auto& n : needs.body["items"]) {
    if (n["id"] == need.body["id"]) listed = n["credit_score"]["score"] == s["score"];
  }
  EXPECT_TRUE(listed);

  // Approving a second version retires the first.
  auto v2 = Train(bank_.second, "SME scorecard", 620);
  ASSERT_EQ(v2.status, 201) << v2.raw.body;
  EXPECT_EQ(v2.body["version"], 2);
  ASSERT_EQ(
      Call("POST", fmt::format("/api/v1/scoring/models/{}/decision", v2.body["id"].get<int64_t>()),
           analyst_, {{"decision", "approve"}, {"note", "recalibrated cut-off"}})
          .status,
      200);
  EXPECT_EQ(Call("GET", path, bank_.second).body["status"], "retired");
}

TEST_F(ScoringTest, TrainingRefusesWhatCannotBeValidated) {
  // The out-of-time outcomes must be known by today.
  auto late = Call("POST", "/api/v1/scoring/models", bank_.second,
                   {{"name", "x"}, {"snapshot_date", "2025-06-30"}});
  EXPECT_EQ(late.status, 422);
  EXPECT_NE(late.raw.body.find("/snapshot_date"), std::string::npos) << late.raw.body;
  auto missing = Call("POST", "/api/v1/scoring/models", bank_.second, {{"cutoff", 5}});
  EXPECT_EQ(missing.status, 422);
  for (const char* field : {"/name", "/snapshot_date", "/cutoff"}) {
    EXPECT_NE(missing.raw.body.find(field), std::string::npos) << field;
  }
  // A bank with no borrowers has nothing to learn from.
  auto empty = Call("POST", "/api/v1/scoring/models", other_bank_.second,
                    {{"name", "x"}, {"snapshot_date", kSnapshot}, {"oot_date", kOot}});
  EXPECT_EQ(empty.status, 422);
  EXPECT_NE(empty.raw.body.find("at least 10"), std::string::npos) << empty.raw.body;
  // The bureau and enterprises train no bank's model.
  EXPECT_EQ(
      Call("POST", "/api/v1/scoring/models", bureau_, {{"name", "x"}, {"snapshot_date", kSnapshot}})
          .status,
      403);
  EXPECT_EQ(Call("POST", "/api/v1/scoring/models", firm_tokens_[0],
                 {{"name", "x"}, {"snapshot_date", kSnapshot}})
                .status,
            403);
}

// A joint model with a data holder outside the platform (docs/federated.md): the bank's borrowers
// as of the snapshot, with the platform's tax feature, aligned by PSI with a tax bureau's
// enterprises (it holds 300 of the firms and others the platform lacks) and the bureau's
// column — the firms' true quality, which the platform never sees. The bureau is a party in a
// thread of the test, over HTTP with 2048-bit keys, as `corridor federated train` would be. The
// training runs as a job, its model equals the pooled fit of the common borrowers, and it is
// governed like a scoring model.
TEST_F(ScoringTest, AJointModelWithATaxBureauIsTrainedAsAJobAndGoverned) {
  namespace fed = risk::federated;
  const auto party = Call("GET", "/api/v1/federated/party", bank_.second);
  ASSERT_EQ(party.status, 200) << party.raw.body;
  EXPECT_EQ(party.body["listen_host"], "127.0.0.1");
  const auto bureau_key = fed::PartyKey::FromSeed({9});
  const int platform_port = FreePort(), bureau_port = FreePort();
  const Json session = {
      {"session", "bank-a-tax-2026"},
      {"label_party", "bank-a"},
      {"key_bits", 2048},
      {"parties", Json::array({{{"name", "bank-a"},
                                {"listen", fmt::format("127.0.0.1:{}", platform_port)},
                                {"public_key", party.body["public_key"]}},
                               {{"name", "tax-bureau"},
                                {"listen", fmt::format("127.0.0.1:{}", bureau_port)},
                                {"public_key", fed::ToHex(bureau_key.public_key)}}})}};
  const Json request = {{"name", "joint-tax"},
                        {"snapshot_date", kSnapshot},
                        {"features", Json::array({"tax_paid_12m_yuan"})},
                        {"party", "bank-a"},
                        {"session", session}};
  // Refused before anything runs: a party that is not the label holder, another key, a feature
  // the platform does not have.
  Json bad = request;
  bad["party"] = "tax-bureau";
  EXPECT_EQ(Call("POST", "/api/v1/federated/trainings", bank_.second, bad).status, 422);
  bad = request;
  bad["session"]["parties"][0]["public_key"] = fed::ToHex(bureau_key.public_key);
  auto r = Call("POST", "/api/v1/federated/trainings", bank_.second, bad);
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(r.body["errors"][0]["field"], "/session/parties/0/public_key");
  bad = request;
  bad["features"] = Json::array({"shoe_size"});
  r = Call("POST", "/api/v1/federated/trainings", bank_.second, bad);
  EXPECT_EQ(r.body["errors"][0]["field"], "/features/0");
  EXPECT_EQ(Call("POST", "/api/v1/federated/trainings", firm_tokens_[0], request).status, 403);

  // The bureau's data: the quality of firms 0..299, and ten firms the platform does not know.
  const CounterRng rng(11);
  std::vector<std::string> ids;
  std::vector<double> quality;
  std::map<std::string, double> quality_of;
  for (int i = 0; i < 300; ++i) {
    ids.push_back(TestUscc(100 + i));
    quality.push_back(rng.Uniform(1, static_cast<uint64_t>(i)));
    quality_of[ids.back()] = quality.back();
  }
  for (int i = 0; i < 10; ++i) {
    ids.push_back(TestUscc(9000 + i));
    quality.push_back(0.5);
  }
  fed::VerticalLrPartyFit bureau_fit;
  std::thread bureau([&] {
    auto sc = fed::ParseSession(session);
    ASSERT_TRUE(sc);
    auto t = fed::HttpTransport::Start(
        {.session = sc->name, .parties = sc->parties, .me = 1, .key = bureau_key});
    ASSERT_TRUE(t) << Describe(t.error());
    auto random = fed::Randomness::FromSeed(3, "bureau");
    const auto common = fed::AlignIds((*t)->channels(), 1, 0, ids, random);
    ASSERT_TRUE(common) << Describe(common.error());
    std::map<std::string, double> mine;
    for (size_t i = 0; i < ids.size(); ++i) mine[ids[i]] = quality[i];
    std::vector<std::vector<double>> rows;
    for (const auto& id : *common) rows.push_back({mine.at(id)});
    fed::VerticalLrOptions o;
    o.key_bits = 2048;
    o.min_key_bits = 2048;
    o.seeded = false;
    auto fit = fed::RunVerticalLrParty((*t)->channels(), 1, 0, rows, {}, o);
    ASSERT_TRUE(fit) << Describe(fit.error());
    bureau_fit = *fit;
    (*t)->Stop();
  });
  r = Call("POST", "/api/v1/federated/trainings", bank_.second, request);
  ASSERT_EQ(r.status, 202) << r.raw.body;
  EXPECT_EQ(r.body["status"], "queued");
  const int64_t id = r.body["id"];
  const std::string path = fmt::format("/api/v1/federated/trainings/{}", id);
  Reply job;
  for (int k = 0; k < 1200; ++k) {
    job = Call("GET", path, bank_.second);
    if (job.body["status"] == "done" || job.body["status"] == "failed") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  bureau.join();
  ASSERT_EQ(job.body["status"], "done") << job.raw.body;
  EXPECT_EQ(job.body["progress"]["stage"], "done");
  EXPECT_EQ(job.body["model_status"], "pending");
  const Json model = job.body["result"];  // a copy: job is polled again below
  EXPECT_EQ(model["hosts"], Json::array({"tax-bureau"}));
  EXPECT_EQ(model["key_bits"], 2048);
  EXPECT_TRUE(model["converged"].get<bool>());

  // The pooled fit of the common borrowers: the platform's tax column and the bureau's quality.
  auto set = store_->Read([&](store::Connection& c) {
    return service::scoring::BuildTrainingSet(c, *Date::Parse(kSnapshot), 365, *Date::Parse(kToday),
                                              bank_.first);
  });
  ASSERT_TRUE(set);
  std::vector<std::pair<std::string, size_t>> common;
  for (size_t i = 0; i < set->enterprise_ids.size(); ++i) {
    const auto uscc = TestUscc(
        100 + static_cast<int>(std::find(ids_.begin(), ids_.end(), set->enterprise_ids[i]) -
                               ids_.begin()));
    if (quality_of.contains(uscc)) common.emplace_back(uscc, i);
  }
  std::sort(common.begin(), common.end());
  std::vector<std::vector<double>> pooled;
  std::vector<int> labels;
  for (const auto& [uscc, i] : common) {
    pooled.push_back({*set->rows[i][1], quality_of.at(uscc)});
    labels.push_back(set->labels[i]);
  }
  const auto want = risk::scoring::FitLogistic(pooled, labels);
  ASSERT_TRUE(want);
  EXPECT_EQ(model["cases"], common.size());
  EXPECT_NEAR(model["log_likelihood"].get<double>(), want->log_likelihood, 1e-6);
  EXPECT_NEAR(model["coefficients"][0].get<double>(), want->coefficients[0],
              1e-4 * std::abs(want->coefficients[0]));
  EXPECT_NEAR(bureau_fit.coefficients[0], want->coefficients[1],
              1e-4 * std::abs(want->coefficients[1]));
  EXPECT_GT(model["auc"].get<double>(), 0.6);
  EXPECT_EQ(model["columns"], Json::array({"tax_paid_12m_yuan"}));

  // A model still pending scores nobody.
  Json scoring_session = session;
  scoring_session["session"] = "bank-a-tax-2026-scoring-1";
  const Json scoring = {
      {"party", "bank-a"},
      {"session", scoring_session},
      {"as_of", kToday},
      {"uscc", Json::array({TestUscc(100), TestUscc(101), TestUscc(102), TestUscc(103),
                            TestUscc(104), "91150000NOSUCH0001"})}};
  EXPECT_EQ(Call("POST", path + "/scorings", bank_.second, scoring).status, 409);

  // Governed like a scoring model: not by who requested it, not twice, not by another bank.
  const Json approve = {{"decision", "approve"}, {"note", "joint model validated"}};
  EXPECT_EQ(Call("POST", path + "/decision", bank_.second, approve).status, 403);
  EXPECT_EQ(Call("GET", path, other_bank_.second).status, 404);
  r = Call("POST", path + "/decision", analyst_, approve);
  ASSERT_EQ(r.status, 200) << r.raw.body;
  EXPECT_EQ(r.body["model_status"], "approved");
  EXPECT_EQ(Call("POST", path + "/decision", analyst_, approve).status, 409);
  const auto list = Call("GET", "/api/v1/federated/trainings", bureau_);
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.body["items"][0]["id"], id);
  EXPECT_EQ(Call("GET", "/api/v1/federated/trainings", other_bank_.second).body["items"].size(),
            0U);

  // Scoring applicants with the approved model: a fresh session of the same parties and keys.
  bad = scoring;
  bad["session"]["session"] = session["session"];
  r = Call("POST", path + "/scorings", bank_.second, bad);
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(r.body["errors"][0]["field"], "/session/session");
  bad = scoring;
  bad["session"]["parties"][1]["public_key"] = fed::ToHex(fed::PartyKey::FromSeed({8}).public_key);
  r = Call("POST", path + "/scorings", bank_.second, bad);
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(r.body["errors"][0]["field"], "/session/parties");
  EXPECT_EQ(Call("POST", path + "/scorings", other_bank_.second, scoring).status, 404);
  std::vector<fed::FederatedScore> bureau_scores;
  std::thread scorer([&] {
    auto sc = fed::ParseSession(scoring_session);
    ASSERT_TRUE(sc);
    auto t = fed::HttpTransport::Start(
        {.session = sc->name, .parties = sc->parties, .me = 1, .key = bureau_key});
    ASSERT_TRUE(t) << Describe(t.error());
    auto random = fed::Randomness::FromSeed(4, "bureau");
    const auto common = fed::AlignIds((*t)->channels(), 1, 0, ids, random);
    ASSERT_TRUE(common) << Describe(common.error());
    std::map<std::string, double> mine;
    for (size_t i = 0; i < ids.size(); ++i) mine[ids[i]] = quality[i];
    std::vector<std::vector<double>> rows;
    for (const auto& id : *common) rows.push_back({mine.at(id)});
    const fed::PartyModel part{
        .columns = {"quality"}, .coefficients = bureau_fit.coefficients, .means = bureau_fit.means};
    const auto scored = fed::ScoreParty((*t)->channels(), 1, 0, part, rows);
    ASSERT_TRUE(scored) << Describe(scored.error());
    bureau_scores = *scored;
    (*t)->Stop();
  });
  r = Call("POST", path + "/scorings", bank_.second, scoring);
  if (r.status != 202) scorer.detach();  // it waits for the platform in vain, then stops
  ASSERT_EQ(r.status, 202) << r.raw.body;
  const std::string scoring_path =
      fmt::format("/api/v1/federated/scorings/{}", r.body["id"].get<int64_t>());
  for (int k = 0; k < 600; ++k) {
    job = Call("GET", scoring_path, bank_.second);
    if (job.body["status"] == "done" || job.body["status"] == "failed") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  scorer.join();
  ASSERT_EQ(job.body["status"], "done") << job.raw.body;
  EXPECT_TRUE(bureau_scores.empty());  // the bureau learns no score
  const Json& result = job.body["result"];
  EXPECT_EQ(result["scored"], 5);
  EXPECT_EQ(result["unknown"], Json::array({"91150000NOSUCH0001"}));
  // Each score is the model's: the platform's share from its tax column as of the day, the
  // bureau's from its quality column; the riskiest first.
  double previous = 1;
  for (const auto& s : result["scores"]) {
    const std::string uscc = s["uscc"];
    size_t firm = 0;
    while (TestUscc(100 + static_cast<int>(firm)) != uscc) ++firm;
    ASSERT_LT(firm, 5U);
    const auto x = store_->Read([&](store::Connection& c) {
      return service::scoring::FeaturesAsOf(c, ids_[firm], *Date::Parse(kToday));
    });
    ASSERT_TRUE(x);
    const double tax = (*x)[1].value_or(model["means"][0].get<double>());
    const double platform =
        model["intercept"].get<double>() + model["coefficients"][0].get<double>() * tax;
    const double theirs = bureau_fit.coefficients[0] * quality_of.at(uscc);
    EXPECT_NEAR(s["shares"][0]["log_odds"].get<double>(), platform, 1e-9);
    EXPECT_NEAR(s["shares"][1]["log_odds"].get<double>(), theirs, 1e-9);
    EXPECT_NEAR(s["probability"].get<double>(), 1 / (1 + std::exp(-(platform + theirs))), 1e-9);
    EXPECT_LE(s["probability"].get<double>(), previous);
    previous = s["probability"].get<double>();
  }
  const auto listed = Call("GET", path + "/scorings", bank_.second);
  ASSERT_EQ(listed.status, 200);
  EXPECT_EQ(listed.body["items"][0]["result"]["scored"], 5);
  EXPECT_FALSE(listed.body["items"][0]["result"].contains("scores"));
  EXPECT_EQ(Call("GET", scoring_path, other_bank_.second).status, 404);
  EXPECT_EQ(Call("GET", scoring_path, bureau_).status, 200);
}

// A bank on the platform pools its borrowers with two banks outside it that hold the same column
// (tax paid) of theirs: a coordinator and the two banks are parties in threads of the test, over
// HTTP. The training runs as a job to `done` and its model is the pooled `FitLogistic` of the
// three banks' borrowers; approved, it scores on the platform alone, no session needed.
TEST_F(ScoringTest, AHorizontalPoolWithTwoOutsideBanksIsTrainedAndScoresOnThePlatform) {
  namespace fed = risk::federated;
  const auto party = Call("GET", "/api/v1/federated/party", bank_.second);
  ASSERT_EQ(party.status, 200) << party.raw.body;
  const std::vector<std::string> names = {"bureau", "bank-a", "beijing-bank", "hohhot-bank"};
  std::vector<fed::PartyKey> keys;
  Json parties = Json::array();
  for (size_t k = 0; k < names.size(); ++k) {
    keys.push_back(fed::PartyKey::FromSeed({static_cast<uint8_t>(20 + k)}));
    parties.push_back({{"name", names[k]},
                       {"listen", fmt::format("127.0.0.1:{}", FreePort())},
                       {"public_key", k == 1 ? party.body["public_key"].get<std::string>()
                                             : fed::ToHex(keys[k].public_key)}});
  }
  const Json session = {
      {"session", "chifeng-pool-2026"}, {"coordinator", "bureau"}, {"parties", parties}};
  Json request = {{"name", "pooled-tax"},       {"kind", "horizontal"},
                  {"snapshot_date", kSnapshot}, {"features", Json::array({"tax_paid_12m_yuan"})},
                  {"party", "bureau"},          {"session", session}};
  auto r = Call("POST", "/api/v1/federated/trainings", bank_.second, request);
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(r.body["errors"][0]["field"], "/party");  // the platform is a bank, not the coordinator
  request["party"] = "bank-a";
  Json vertical = request;
  vertical.erase("kind");
  r = Call("POST", "/api/v1/federated/trainings", bank_.second, vertical);
  EXPECT_EQ(r.body["errors"][0]["field"], "/session/coordinator");

  // The outside banks' borrowers: the tax they paid (in the platform's range) and their outcome.
  const CounterRng rng(29);
  std::vector<fed::BankData> outside(2);
  std::vector<std::vector<double>> pooled;
  std::vector<int> labels;
  for (size_t b = 0; b < 2; ++b) {
    for (uint64_t i = 0; i < 150; ++i) {
      const double tax = 2e4 * rng.Uniform(1, b * 1000 + i);
      const int label =
          rng.Uniform(2, b * 1000 + i) < 1 / (1 + std::exp(-(-1.0 + tax / 2e4))) ? 1 : 0;
      outside[b].features.push_back({tax});
      outside[b].labels.push_back(label);
      pooled.push_back({tax});
      labels.push_back(label);
    }
  }
  const auto sc = fed::ParseSession(session);
  ASSERT_TRUE(sc) << Describe(sc.error());
  fed::HorizontalLrFit coordinator_fit;
  std::vector<fed::HorizontalLrFit> bank_fits(2);
  std::vector<std::thread> threads;
  threads.emplace_back([&] {
    auto t = fed::HttpTransport::Start({.session = sc->name,
                                        .parties = sc->parties,
                                        .me = 0,
                                        .key = keys[0],
                                        .independent_peers = true});
    ASSERT_TRUE(t) << Describe(t.error());
    const std::vector<fed::Channel*> banks = {(*t)->channels()[1], (*t)->channels()[2],
                                              (*t)->channels()[3]};
    auto fit = fed::RunPoolCoordinator(banks);
    ASSERT_TRUE(fit) << Describe(fit.error());
    coordinator_fit = *fit;
    (*t)->Stop();
  });
  for (size_t b = 0; b < 2; ++b) {
    threads.emplace_back([&, b] {
      auto t = fed::HttpTransport::Start(
          {.session = sc->name, .parties = sc->parties, .me = 2 + b, .key = keys[2 + b]});
      ASSERT_TRUE(t) << Describe(t.error());
      auto random = fed::Randomness::FromSeed(b, "bank");
      auto fit = fed::RunPoolBank(*(*t)->channels()[0], outside[b], {"tax_paid_12m_yuan"}, random);
      ASSERT_TRUE(fit) << Describe(fit.error());
      bank_fits[b] = *fit;
      (*t)->Stop();
    });
  }
  r = Call("POST", "/api/v1/federated/trainings", bank_.second, request);
  if (r.status != 202) {
    for (auto& t : threads) t.detach();  // they wait for the platform in vain, then stop
  }
  ASSERT_EQ(r.status, 202) << r.raw.body;
  EXPECT_EQ(r.body["kind"], "horizontal");
  const std::string path =
      fmt::format("/api/v1/federated/trainings/{}", r.body["id"].get<int64_t>());
  Reply job;
  for (int k = 0; k < 600; ++k) {
    job = Call("GET", path, bank_.second);
    if (job.body["status"] == "done" || job.body["status"] == "failed") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  for (auto& t : threads) t.join();
  ASSERT_EQ(job.body["status"], "done") << job.raw.body;
  const Json model = job.body["result"];
  EXPECT_EQ(model["banks"], Json::array({"bank-a", "beijing-bank", "hohhot-bank"}));
  EXPECT_EQ(model["coordinator"], "bureau");
  EXPECT_EQ(model["kind"], "horizontal");

  // The pooled fit: the platform bank's borrowers (a missing tax is their mean) and the others'.
  auto set = store_->Read([&](store::Connection& c) {
    return service::scoring::BuildTrainingSet(c, *Date::Parse(kSnapshot), 365, *Date::Parse(kToday),
                                              bank_.first);
  });
  ASSERT_TRUE(set);
  double sum = 0;
  size_t have = 0;
  for (const auto& row : set->rows) {
    if (row[1]) {
      sum += *row[1];
      ++have;
    }
  }
  ASSERT_GT(have, 0U);
  for (size_t i = 0; i < set->rows.size(); ++i) {
    pooled.push_back({set->rows[i][1].value_or(sum / static_cast<double>(have))});
    labels.push_back(set->labels[i]);
  }
  EXPECT_EQ(model["borrowers"], set->rows.size());
  const auto want = risk::scoring::FitLogistic(pooled, labels);
  ASSERT_TRUE(want);
  EXPECT_NEAR(model["log_likelihood"].get<double>(), want->log_likelihood, 1e-6);
  EXPECT_NEAR(model["intercept"].get<double>(), want->intercept,
              1e-6 * (1 + std::abs(want->intercept)));
  EXPECT_NEAR(model["coefficients"][0].get<double>(), want->coefficients[0],
              1e-6 * std::abs(want->coefficients[0]));
  // Every bank ends with the same model; the coordinator too.
  for (const auto& f : bank_fits)
    EXPECT_EQ(f.coefficients[0], model["coefficients"][0].get<double>());
  EXPECT_EQ(coordinator_fit.coefficients[0], model["coefficients"][0].get<double>());

  // Approved, it scores on the platform alone: no session, no other party.
  r = Call("POST", path + "/decision", analyst_, {{"decision", "approve"}, {"note", "pooled"}});
  ASSERT_EQ(r.status, 200) << r.raw.body;
  r = Call(
      "POST", path + "/scorings", bank_.second,
      {{"as_of", kToday}, {"uscc", Json::array({TestUscc(100), TestUscc(101), TestUscc(102)})}});
  ASSERT_EQ(r.status, 202) << r.raw.body;
  const std::string scoring_path =
      fmt::format("/api/v1/federated/scorings/{}", r.body["id"].get<int64_t>());
  for (int k = 0; k < 300; ++k) {
    job = Call("GET", scoring_path, bank_.second);
    if (job.body["status"] == "done" || job.body["status"] == "failed") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_EQ(job.body["status"], "done") << job.raw.body;
  EXPECT_EQ(job.body["result"]["scored"], 3);
  for (const auto& s : job.body["result"]["scores"]) {
    size_t firm = 0;
    while (TestUscc(100 + static_cast<int>(firm)) != s["uscc"]) ++firm;
    ASSERT_LT(firm, 3U);
    const auto x = store_->Read([&](store::Connection& c) {
      return service::scoring::FeaturesAsOf(c, ids_[firm], *Date::Parse(kToday));
    });
    ASSERT_TRUE(x);
    const double eta =
        model["intercept"].get<double>() +
        model["coefficients"][0].get<double>() * (*x)[1].value_or(model["means"][0].get<double>());
    EXPECT_NEAR(s["probability"].get<double>(), 1 / (1 + std::exp(-eta)), 1e-12);
    EXPECT_EQ(s["shares"].size(), 1U);
  }
}

}  // namespace
}  // namespace corridor::testing
