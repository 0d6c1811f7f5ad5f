// Credit-risk analyses of a bank's book through the API: queued, run in the background, polled
// to completion; banks see only their own book, the bureau any.
#include <chrono>
#include <thread>
#include <vector>

#include "api_fixture.hpp"
#include "gpu/gpu.hpp"
#include "store/db.hpp"

namespace corridor::testing {
namespace {

class RiskAnalysisTest : public ApiFixture {
 protected:
  void SetUp() override {
    ApiFixture::SetUp();
    std::tie(bank_id_, bank_) = Onboard("bank", "Bank A", "bank_officer");
    std::tie(other_id_, other_) = Onboard("bank", "Bank B", "risk_analyst");
    for (int i = 1; i <= 6; ++i) {
      auto [id, token] = Enterprise(i, i % 2 ? "farming_herding" : "new_energy");
      const int64_t offer =
          AcceptedOffer(bank_, token, 1'000'000 * i, 12, 450, "equal_installment");
      auto loan =
          Call("POST", "/api/v1/loans", bank_, {{"offer_id", offer}, {"start_date", "2025-06-01"}});
      ASSERT_EQ(loan.status, 201) << loan.raw.body;
    }
  }

  // Polls until the analysis is no longer queued or running.
  Reply Wait(const std::string& token, int64_t portfolio, int64_t id) {
    const std::string path =
        "/api/v1/portfolios/" + std::to_string(portfolio) + "/analyses/" + std::to_string(id);
    for (int i = 0; i < 600; ++i) {
      auto r = Call("GET", path, token);
      if (r.status != 200 || (r.body["status"] != "queued" && r.body["status"] != "running")) {
        return r;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return Call("GET", path, token);
  }

  int64_t bank_id_ = 0, other_id_ = 0;
  std::string bank_, other_;
};

TEST_F(RiskAnalysisTest, RunsInTheBackgroundAndStoresTheResult) {
  const std::string path = "/api/v1/portfolios/" + std::to_string(bank_id_) + "/analyses";
  auto r = Call("POST", path, bank_,
                {{"scenarios", 5000}, {"seed", 42}, {"confidence_levels", {0.95, 0.99}}});
  ASSERT_EQ(r.status, 202) << r.raw.body;
  EXPECT_EQ(r.body["status"], "queued");
  auto done = Wait(bank_, bank_id_, r.body["id"].get<int64_t>());
  ASSERT_EQ(done.status, 200) << done.raw.body;
  ASSERT_EQ(done.body["status"], "done") << done.raw.body;
  EXPECT_EQ(done.body["progress"], 1.0);
  const Json& res = done.body["result"];
  EXPECT_EQ(res["portfolio"]["loans"], 6);
  // Six loans of 1..6 million fen, none repaid: EAD 21,000,000 fen.
  EXPECT_EQ(res["portfolio"]["ead_fen"], 21'000'000);
  // EL = PD × LGD × EAD per loan, summed by industry: the parts add up to the whole.
  int64_t el = 0;
  for (const auto& s : res["portfolio"]["expected_loss_by_sector"]) {
    el += s["expected_loss_fen"].get<int64_t>();
  }
  EXPECT_NEAR(static_cast<double>(el), res["portfolio"]["expected_loss_fen"].get<double>(), 2.0);
  const Json& mc = res["monte_carlo"];
  EXPECT_GE(mc["es_fen"]["0.99"].get<int64_t>(), mc["var_fen"]["0.99"].get<int64_t>());
  EXPECT_EQ(mc["backend_used"], "cpu");  // 30,000 obligor-draws: "auto" keeps it on the CPU
  EXPECT_EQ(done.body["params"]["backend"], "auto");
  int64_t sectors = 0;
  for (const auto& s : mc["sector_contributions"])
    sectors += s["es_contribution_fen"].get<int64_t>();
  EXPECT_NEAR(static_cast<double>(sectors),
              static_cast<double>(mc["es_fen"]["0.99"].get<int64_t>()),
              2.0);  // rounding to fen per sector
  EXPECT_EQ(res["concentration"]["sectors"].size(), 2u);
  // The same request gives the same numbers (seeded).
  auto again = Call("POST", path, bank_,
                    {{"scenarios", 5000}, {"seed", 42}, {"confidence_levels", {0.95, 0.99}}});
  auto done2 = Wait(bank_, bank_id_, again.body["id"].get<int64_t>());
  EXPECT_EQ(done2.body["result"]["monte_carlo"], mc);
  auto list = Call("GET", path, bank_);
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.body["items"].size(), 2u);
  EXPECT_FALSE(list.body["items"][0].contains("result"));
}

// Overdue is decided on the platform's calendar (China Standard Time, UTC+8): at 01:00 CST on
// the day after an installment fell due it is overdue, although the UTC date is still the due
// date. The analysis then equals one run at noon that day, not one run the day before.
TEST_F(RiskAnalysisTest, OverdueFollowsTheChinaStandardTimeCalendar) {
  const std::string path = "/api/v1/portfolios/" + std::to_string(bank_id_) + "/analyses";
  auto expected_loss_at = [&](const std::string& date, int64_t hour) {
    clock_.Set(ManualClock::MicrosAt(*Date::Parse(date)) + hour * 3'600'000'000LL);
    auto r = Call("POST", path, bank_, {{"scenarios", 1000}, {"seed", 7}});
    EXPECT_EQ(r.status, 202) << r.raw.body;
    auto done = Wait(bank_, bank_id_, r.body["id"].get<int64_t>());
    EXPECT_EQ(done.body["status"], "done") << done.raw.body;
    return done.body["result"]["portfolio"]["expected_loss_fen"].get<int64_t>();
  };
  // The loans started 2025-06-01; their first installments fall due 2025-07-01, unpaid.
  const int64_t due_day = expected_loss_at("2025-07-01", 12);
  const int64_t one_am_next_day = expected_loss_at("2025-07-02", 1);
  const int64_t noon_next_day = expected_loss_at("2025-07-02", 12);
  EXPECT_EQ(one_am_next_day, noon_next_day);
  EXPECT_GT(one_am_next_day, due_day);  // overdue triples the PD
}

TEST_F(RiskAnalysisTest, BooksAreSeparatedByTenant) {
  const std::string mine = "/api/v1/portfolios/" + std::to_string(bank_id_) + "/analyses";
  // Another bank neither runs nor sees this bank's analyses.
  EXPECT_EQ(Call("POST", mine, other_, {{"scenarios", 1000}}).status, 404);
  EXPECT_EQ(Call("GET", mine, other_).status, 404);
  // The bureau may analyse any book; an enterprise may not.
  auto bureau = Call("POST", mine, bureau_, {{"scenarios", 1000}});
  EXPECT_EQ(bureau.status, 202) << bureau.raw.body;
  Wait(bureau_, bank_id_, bureau.body["id"].get<int64_t>());
  auto [eid, enterprise] = Enterprise(20);
  EXPECT_EQ(Call("POST", mine, enterprise, {{"scenarios", 1000}}).status, 404);
  // Bad parameters name the field.
  auto bad = Call("POST", mine, bank_, {{"scenarios", 10}});
  EXPECT_EQ(bad.status, 422);
  EXPECT_EQ(bad.body["errors"][0]["field"], "/scenarios");
  auto level = Call("POST", mine, bank_, {{"confidence_levels", {1.5}}});
  EXPECT_EQ(level.body["errors"][0]["field"], "/confidence_levels/0");
  auto backend = Call("POST", mine, bank_, {{"backend", "gpu"}});
  EXPECT_EQ(backend.status, 422);
  EXPECT_EQ(backend.body["errors"][0]["field"], "/backend");
  if (!gpu::Device()) {  // CUDA asked for where it cannot run: refused, not queued to fail
    auto cuda = Call("POST", mine, bank_, {{"backend", "cuda"}});
    EXPECT_EQ(cuda.status, 422);
    EXPECT_EQ(cuda.body["errors"][0]["field"], "/backend");
  }
  // An empty book fails with a clear error, stored.
  const std::string theirs = "/api/v1/portfolios/" + std::to_string(other_id_) + "/analyses";
  auto empty = Call("POST", theirs, other_, {{"scenarios", 1000}});
  ASSERT_EQ(empty.status, 202) << empty.raw.body;
  auto failed = Wait(other_, other_id_, empty.body["id"].get<int64_t>());
  EXPECT_EQ(failed.body["status"], "failed");
  EXPECT_NE(failed.body["error"].get<std::string>().find("no outstanding loans"),
            std::string::npos);
}

TEST_F(RiskAnalysisTest, ATenantHasAtMostFourAnalysesInFlight) {
  // Four of bank A's analyses are running (stored as the worker marks them; it never picks up
  // a running one), so a fifth request of bank A waits; another tenant's request does not.
  std::vector<int64_t> running;
  ASSERT_TRUE(store_->Write([&](store::Connection& c) -> Result<int64_t> {
    auto user = CORRIDOR_TRY(store::Query::Make(
        c, "SELECT id FROM users WHERE tenant_id = ? ORDER BY id LIMIT 1", bank_id_));
    if (!CORRIDOR_TRY(user.Next())) return Fail(Error::NotFound("bank user"));
    const int64_t user_id = user.Int(0);
    for (int i = 0; i < 4; ++i) {
      running.push_back(CORRIDOR_TRY(store::InsertReturningId(
          c,
          "INSERT INTO risk_analyses (portfolio_tenant_id, requested_by, requester_tenant_id, "
          "status, params, created_at) VALUES (?, ?, ?, 'running', '{}', 0) RETURNING id",
          bank_id_, user_id, bank_id_)));
    }
    return int64_t{0};
  }));
  const std::string path = "/api/v1/portfolios/" + std::to_string(bank_id_) + "/analyses";
  auto fifth = Call("POST", path, bank_, {{"scenarios", 1000}});
  EXPECT_EQ(fifth.status, 409) << fifth.raw.body;
  EXPECT_NE(fifth.body["detail"].get<std::string>().find("4 analyses"), std::string::npos)
      << fifth.raw.body;
  auto bureau = Call("POST", path, bureau_, {{"scenarios", 1000}});
  ASSERT_EQ(bureau.status, 202) << bureau.raw.body;
  Wait(bureau_, bank_id_, bureau.body["id"].get<int64_t>());
  // One of them ends: bank A may ask again.
  ASSERT_TRUE(store_->Write([&](store::Connection& c) {
    return store::Execute(c, "UPDATE risk_analyses SET status = 'failed' WHERE id = ?", running[0]);
  }));
  auto again = Call("POST", path, bank_, {{"scenarios", 1000}});
  ASSERT_EQ(again.status, 202) << again.raw.body;
  EXPECT_EQ(Wait(bank_, bank_id_, again.body["id"].get<int64_t>()).body["status"], "done");
}

}  // namespace
}  // namespace corridor::testing
