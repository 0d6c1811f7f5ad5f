// Idempotency-Key on POST: a retried request creates nothing twice; a reused key with another
// body is refused. Subsidy budgets hold under concurrent payments.
#include <atomic>
#include <thread>

#include "api_fixture.hpp"

namespace corridor::testing {
namespace {

class Idempotency : public ApiFixture {};

TEST_F(Idempotency, RetriedRegistrationCreatesOneEnterprise) {
  const Json body = {{"uscc", TestUscc(7)},
                     {"name", "Retry Co"},
                     {"region", "Ningcheng"},
                     {"industry", "logistics"}};
  auto first = Call("POST", "/api/v1/enterprises", "", body, "key-1");
  auto second = Call("POST", "/api/v1/enterprises", "", body, "key-1");
  ASSERT_EQ(first.status, 201);
  ASSERT_EQ(second.status, 201);
  EXPECT_EQ(first.raw.body, second.raw.body);  // the same token, shown to the same client
  bool replayed = false;
  for (const auto& [k, v] : second.raw.headers)
    replayed |= k == "Idempotent-Replayed" && v == "true";
  EXPECT_TRUE(replayed);
  EXPECT_EQ(Call("GET", "/api/v1/stats", "").body["registered"], 1);

  Json other = body;
  other["name"] = "Another Co";
  auto mismatch = Call("POST", "/api/v1/enterprises", "", other, "key-1");
  EXPECT_EQ(mismatch.status, 422);
  EXPECT_EQ(mismatch.body["type"], "urn:corridor:problem:idempotency-mismatch");
}

TEST_F(Idempotency, RetriedBookingBooksOneLoan) {
  const auto [bank_id, bank] = Onboard("bank", "Bank A", "bank_officer");
  const auto [eid, enterprise] = Enterprise(1);
  auto need = Call("POST", "/api/v1/needs", enterprise,
                   {{"amount_fen", 10'000'000}, {"term_months", 6}, {"purpose", "seed"}}, "n1");
  // The same key on the need replays too.
  auto need_again =
      Call("POST", "/api/v1/needs", enterprise,
           {{"amount_fen", 10'000'000}, {"term_months", 6}, {"purpose", "seed"}}, "n1");
  EXPECT_EQ(need.body["id"], need_again.body["id"]);
  auto offer = Call("POST", "/api/v1/offers", bank,
                    {{"need_id", need.body["id"]},
                     {"amount_fen", 10'000'000},
                     {"annual_rate_bps", 400},
                     {"term_months", 6},
                     {"method", "bullet"}});
  Call("POST", "/api/v1/offers/" + std::to_string(offer.body["id"].get<int64_t>()) + "/accept",
       enterprise);
  const Json book = {{"offer_id", offer.body["id"]}, {"start_date", "2025-06-15"}};
  auto first = Call("POST", "/api/v1/loans", bank, book, "book-1");
  auto retry = Call("POST", "/api/v1/loans", bank, book, "book-1");
  ASSERT_EQ(first.status, 201) << first.raw.body;
  EXPECT_EQ(retry.status, 201);
  EXPECT_EQ(first.body["id"], retry.body["id"]);
  // Without the key, a second booking of the same offer is a conflict, not a second loan.
  EXPECT_EQ(Call("POST", "/api/v1/loans", bank, book).status, 409);
  EXPECT_EQ(Call("GET", "/api/v1/stats", "").body["deals"], 1);
  EXPECT_EQ(Call("GET", "/api/v1/loans", bank).body["items"].size(), 1u);
}

TEST_F(Idempotency, ConcurrentSubsidyPaymentsNeverOverdrawTheBudget) {
  const auto [bank_id, bank] = Onboard("bank", "Bank A", "bank_officer");
  const auto [eid, enterprise] = Enterprise(1);
  const int64_t offer = AcceptedOffer(bank, enterprise, 120'000'000, 36, 400, "bullet");
  auto loan =
      Call("POST", "/api/v1/loans", bank, {{"offer_id", offer}, {"start_date", "2025-06-01"}});
  ASSERT_EQ(loan.status, 201);
  // Bullet loan: every month's subsidy is 1,200,000 yuan * 1% / 12 = 1,000 yuan = 100,000 fen.
  // A budget of 1,050,000 fen admits exactly 10 of the 36 payments.
  auto program = Call("POST", "/api/v1/subsidy-programs", bureau_,
                      {{"name", "Tight"}, {"subsidy_bps", 100}, {"budget_fen", 1'050'000}});
  const std::string path =
      "/api/v1/subsidy-programs/" + std::to_string(program.body["id"].get<int64_t>()) + "/payments";
  std::atomic<int> ok{0}, exhausted{0}, other{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int seq = 1 + t; seq <= 36; seq += 4) {
        auto r =
            Call("POST", path, bureau_, {{"loan_id", loan.body["id"]}, {"installment_seq", seq}});
        if (r.status == 201) {
          ok++;
        } else if (r.status == 409) {
          exhausted++;
        } else {
          other++;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 10);
  EXPECT_EQ(exhausted.load(), 26);
  EXPECT_EQ(other.load(), 0);
  auto programs = Call("GET", "/api/v1/subsidy-programs", bureau_);
  EXPECT_EQ(programs.body["items"][0]["spent_fen"], 1'000'000);
  EXPECT_EQ(programs.body["items"][0]["remaining_fen"], 50'000);
}

TEST_F(Idempotency, SubsidiesNeverExceedTheBorrowersInterest) {
  const auto [bank_id, bank] = Onboard("bank", "Bank A", "bank_officer");
  const auto [eid, enterprise] = Enterprise(1);
  const int64_t offer = AcceptedOffer(bank, enterprise, 120'000'000, 12, 100, "bullet");
  auto loan =
      Call("POST", "/api/v1/loans", bank, {{"offer_id", offer}, {"start_date", "2025-06-01"}});
  ASSERT_EQ(loan.status, 201);
  // The loan charges 1.00%: 1,000 yuan a month. A 2.00% programme pays only those 1,000 yuan,
  // and a second programme finds nothing left for the same installment.
  std::vector<std::string> paths;
  for (const char* name : {"Generous", "Second"}) {
    auto program = Call("POST", "/api/v1/subsidy-programs", bureau_,
                        {{"name", name}, {"subsidy_bps", 200}, {"budget_fen", 10'000'000}});
    paths.push_back("/api/v1/subsidy-programs/" +
                    std::to_string(program.body["id"].get<int64_t>()) + "/payments");
  }
  auto first =
      Call("POST", paths[0], bureau_, {{"loan_id", loan.body["id"]}, {"installment_seq", 1}});
  ASSERT_EQ(first.status, 201) << first.raw.body;
  EXPECT_EQ(first.body["amount_fen"], 100'000);
  EXPECT_EQ(Call("POST", paths[1], bureau_, {{"loan_id", loan.body["id"]}, {"installment_seq", 1}})
                .status,
            409);
}

}  // namespace
}  // namespace corridor::testing
