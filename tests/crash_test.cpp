// Crash safety: the server is killed with SIGKILL in the middle of a burst of loan bookings.
// After a restart every acknowledged booking is there and complete (loan, schedule, guarantee,
// ledger rows, offer and need states, statistics), and nothing half-written exists.
#include <atomic>
#include <map>
#include <mutex>
#include <thread>

#include "api_fixture.hpp"
#include "process.hpp"
#include "registry/merkle.hpp"
#include "registry/note.hpp"

namespace corridor::testing {
namespace {

class CrashTest : public ApiFixture {};

Result<int64_t> Count(store::Connection& c, const std::string& sql) {
  auto q = CORRIDOR_TRY(store::Query::Make(c, sql));
  CORRIDOR_TRY(q.Next());
  return q.Int(0);
}

TEST_F(CrashTest, AcknowledgedBookingsSurviveSigkillWhole) {
  constexpr int kOffers = 300;
  const auto [bank_id, bank] = Onboard("bank", "Bank A", "bank_officer");
  const auto [guarantor_id, guarantor] = Onboard("guarantor", "Guarantor", "guarantee_officer");
  std::vector<int64_t> offers;
  std::vector<int64_t> requests;  // approved guarantee request per offer
  for (int i = 0; i < kOffers; ++i) {
    const auto [eid, enterprise] = Enterprise(100 + i);
    auto need =
        Call("POST", "/api/v1/needs", enterprise,
             {{"amount_fen", 1'000'000 + i}, {"term_months", 12 + i % 25}, {"purpose", "x"}});
    auto offer = Call("POST", "/api/v1/offers", bank,
                      {{"need_id", need.body["id"]},
                       {"amount_fen", 1'000'000 + i},
                       {"annual_rate_bps", 400},
                       {"term_months", 12 + i % 25}});
    const int64_t id = offer.body["id"].get<int64_t>();
    ASSERT_EQ(Call("POST", "/api/v1/offers/" + std::to_string(id) + "/accept", enterprise).status,
              200);
    offers.push_back(id);
    requests.push_back(ApprovedGuarantee(bank, guarantor, guarantor_id, id, 7000, 150));
  }

  std::mutex mu;
  std::map<int64_t, int64_t> acknowledged;  // offer id -> loan id
  {
    ServerProcess server((dir_.path() / "corridor.db").string());
    ASSERT_GT(server.port(), 0);
    std::atomic<size_t> next{0};
    std::atomic<bool> stop{false};
    std::vector<std::thread> clients;
    for (int t = 0; t < 4; ++t) {
      clients.emplace_back([&] {
        while (!stop.load()) {
          const size_t k = next.fetch_add(1);
          if (k >= offers.size()) return;
          const Json body = {{"offer_id", offers[k]},
                             {"start_date", "2025-06-01"},
                             {"guarantee_request_id", requests[k]}};
          auto r = HttpCall(server.port(), "POST", "/api/v1/loans", body.dump(), bank);
          if (r.status == 201) {
            std::lock_guard lock(mu);
            acknowledged[offers[k]] = Json::parse(r.body)["id"].get<int64_t>();
          }
        }
      });
    }
    // Kill once a third of the bookings were acknowledged, while the rest are in flight.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    while (std::chrono::steady_clock::now() < deadline) {
      {
        std::lock_guard lock(mu);
        if (acknowledged.size() >= kOffers / 3) break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    EXPECT_EQ(server.SignalAndWait(SIGKILL), 128 + SIGKILL);
    stop = true;
    for (auto& c : clients) c.join();
  }
  ASSERT_GE(acknowledged.size(), static_cast<size_t>(kOffers / 3));
  ASSERT_LT(acknowledged.size(), static_cast<size_t>(kOffers)) << "the kill came too late";

  // Restart and read every acknowledged loan back through the API.
  ServerProcess restarted((dir_.path() / "corridor.db").string());
  ASSERT_GT(restarted.port(), 0);
  for (const auto& [offer, loan] : acknowledged) {
    auto r = HttpCall(restarted.port(), "GET", "/api/v1/loans/" + std::to_string(loan), "", bank);
    ASSERT_EQ(r.status, 200) << "acknowledged loan " << loan << " lost";
    const Json j = Json::parse(r.body);
    EXPECT_EQ(j["offer_id"], offer);
    EXPECT_EQ(j["schedule"]["installments"].size(), j["term_months"].get<size_t>());
    EXPECT_FALSE(j["guarantee"].is_null());
  }

  // Nothing half-written: every loan in the store is whole, and the statistics agree.
  auto check = store_->Read([&](store::Connection& c) -> Result<bool> {
    const int64_t loans = CORRIDOR_TRY(Count(c, "SELECT count(*) FROM loans"));
    EXPECT_GE(loans, static_cast<int64_t>(acknowledged.size()));
    EXPECT_EQ(CORRIDOR_TRY(Count(c,
                                 "SELECT count(*) FROM loans l WHERE term_months != (SELECT "
                                 "count(*) FROM installments i WHERE i.loan_id = l.id)")),
              0);
    EXPECT_EQ(CORRIDOR_TRY(Count(c,
                                 "SELECT count(*) FROM loans l WHERE NOT EXISTS (SELECT 1 FROM "
                                 "guarantees g WHERE g.loan_id = l.id)")),
              0);
    EXPECT_EQ(CORRIDOR_TRY(Count(c,
                                 "SELECT count(*) FROM loans l WHERE (SELECT count(*) FROM "
                                 "ledger_entries e WHERE e.loan_id = l.id) != 2")),
              0);
    EXPECT_EQ(CORRIDOR_TRY(Count(c,
                                 "SELECT count(*) FROM installments i WHERE NOT EXISTS "
                                 "(SELECT 1 FROM loans l WHERE l.id = i.loan_id)")),
              0);
    EXPECT_EQ(CORRIDOR_TRY(Count(c, "SELECT count(*) FROM offers WHERE status = 'booked'")), loans);
    EXPECT_EQ(
        CORRIDOR_TRY(Count(c, "SELECT count(*) FROM guarantee_requests WHERE status = 'used'")),
        loans);
    EXPECT_EQ(CORRIDOR_TRY(Count(c, "SELECT count(*) FROM needs WHERE status = 'funded'")), loans);
    EXPECT_EQ(CORRIDOR_TRY(Count(c, "SELECT deals FROM platform_stats")), loans);
    EXPECT_EQ(CORRIDOR_TRY(Count(c, "SELECT amount_financed_fen FROM platform_stats")),
              CORRIDOR_TRY(Count(c, "SELECT coalesce(sum(principal_fen), 0) FROM loans")));
    // The log: one policy entry per booking, no gap, and every checkpoint signed before the
    // kill is a prefix of the tree the entries make now.
    EXPECT_EQ(CORRIDOR_TRY(Count(c,
                                 "SELECT count(*) FROM registry_entries WHERE kind = "
                                 "'policy.loan_booked'")),
              loans);
    registry::MemoryTree tree;
    auto entries =
        CORRIDOR_TRY(store::Query::Make(c, "SELECT idx, data FROM registry_entries ORDER BY idx"));
    while (CORRIDOR_TRY(entries.Next())) {
      EXPECT_EQ(static_cast<uint64_t>(entries.Int(0)), tree.size());
      tree.Append(registry::LeafHash(registry::AsBytes(entries.Text(1))));
    }
    auto checkpoints =
        CORRIDOR_TRY(store::Query::Make(c, "SELECT size, root FROM registry_checkpoints"));
    int signed_checkpoints = 0;
    while (CORRIDOR_TRY(checkpoints.Next())) {
      ++signed_checkpoints;
      const auto root = *registry::Root(tree, static_cast<uint64_t>(checkpoints.Int(0)));
      EXPECT_EQ(checkpoints.Text(1), std::string(root.begin(), root.end()));
    }
    EXPECT_GT(signed_checkpoints, 1);
    return true;
  });
  ASSERT_TRUE(check) << check.error().message;
  // After the restart the log integrated everything and its checkpoint verifies.
  auto key = HttpCall(restarted.port(), "GET", "/api/v1/registry/key", "", "");
  auto verifier =
      registry::NoteVerifier::Parse(Json::parse(key.body)["verifier_key"].get<std::string>());
  ASSERT_TRUE(verifier);
  auto note = HttpCall(restarted.port(), "GET", "/api/v1/registry/checkpoint", "", "");
  auto text = registry::OpenNote(note.body, *verifier);
  ASSERT_TRUE(text) << note.body;
  EXPECT_GE(registry::Checkpoint::Parse(*text)->size, acknowledged.size());
  EXPECT_EQ(restarted.SignalAndWait(SIGTERM), 0);
}

}  // namespace
}  // namespace corridor::testing
