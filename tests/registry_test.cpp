// The registry end to end in process: registration once, the seed 002 incident (three banks
// financing one receivable at the same moment), settlement on delivery, the policy ledger, and
// the log's proofs checked the way an outside auditor would.
#include <thread>

#include "api_fixture.hpp"
#include "registry/merkle.hpp"
#include "registry/note.hpp"

namespace corridor::testing {
namespace {

class RegistryTest : public ApiFixture {
 protected:
  void SetUp() override {
    ApiFixture::SetUp();
    std::tie(supplier_id_, supplier_) = Enterprise(1, "nonferrous_metals");
    std::tie(buyer_id_, buyer_) = Enterprise(2, "new_energy");
    for (int i = 0; i < 3; ++i) {
      auto [id, token] = Onboard("bank", "Bank " + std::to_string(i), "bank_officer");
      bank_ids_.push_back(id);
      banks_.push_back(token);
    }
  }

  Reply RegisterReceivable(const std::string& number, int64_t amount = 50'000'000,
                           std::optional<int64_t> order_id = std::nullopt) {
    Json body{{"type", "receivable"},         {"document_type", "invoice"},
              {"document_number", number},    {"debtor_uscc", TestUscc(2)},
              {"creditor_uscc", TestUscc(1)}, {"amount_fen", amount},
              {"due_date", "2025-12-31"}};
    if (order_id) body["order_id"] = *order_id;
    return Call("POST", "/api/v1/registry/assets", supplier_, body);
  }

  // The newest checkpoint, verified against the log's key.
  registry::Checkpoint VerifiedCheckpoint() {
    auto r = Call("GET", "/api/v1/registry/checkpoint", "");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.raw.content_type, "text/plain; charset=utf-8");
    auto key = Call("GET", "/api/v1/registry/key", "");
    auto verifier = registry::NoteVerifier::Parse(key.body["verifier_key"].get<std::string>());
    EXPECT_TRUE(verifier);
    auto text = registry::OpenNote(r.raw.body, *verifier);
    EXPECT_TRUE(text) << r.raw.body;
    return *registry::Checkpoint::Parse(*text);
  }

  std::vector<registry::Hash> Proof(const Json& body) {
    std::vector<registry::Hash> out;
    for (const auto& h : body["proof_hex"])
      out.push_back(*registry::HashFromHex(h.get<std::string>()));
    return out;
  }

  int64_t supplier_id_ = 0, buyer_id_ = 0;
  std::string supplier_, buyer_;
  std::vector<int64_t> bank_ids_;
  std::vector<std::string> banks_;
};

TEST_F(RegistryTest, AReceivableIsRegisteredOnceWhateverItsSpelling) {
  auto first = RegisterReceivable("INV-2025-0001");
  ASSERT_EQ(first.status, 201) << first.raw.body;
  const int64_t index = first.body["log_index"].get<int64_t>();
  EXPECT_EQ(first.body["document_number"], "INV20250001");

  // The same document, spelled with full-width characters, lower case and spaces.
  auto again = RegisterReceivable("ｉｎｖ 2025 0001");
  EXPECT_EQ(again.status, 409) << again.raw.body;
  EXPECT_NE(again.body["detail"].get<std::string>().find("log index " + std::to_string(index)),
            std::string::npos);
  // The same document with another amount is still the same document.
  auto other_amount = RegisterReceivable("INV-2025-0001", 49'999'999);
  EXPECT_EQ(other_amount.status, 409);
  EXPECT_EQ(other_amount.body["errors"][0]["field"], "/document_number");
  // A different document is fine.
  EXPECT_EQ(RegisterReceivable("INV-2025-0002").status, 201);
  // Only the creditor registers a receivable.
  auto by_buyer = Call("POST", "/api/v1/registry/assets", buyer_,
                       {{"type", "receivable"},
                        {"document_number", "X1"},
                        {"debtor_uscc", TestUscc(2)},
                        {"creditor_uscc", TestUscc(1)},
                        {"amount_fen", 100},
                        {"due_date", "2025-12-31"}});
  EXPECT_EQ(by_buyer.status, 403);
  // Bad input names its fields.
  auto bad = Call("POST", "/api/v1/registry/assets", supplier_,
                  {{"type", "receivable"}, {"document_number", "X2"}, {"creditor_uscc", "123"}});
  ASSERT_EQ(bad.status, 422);
  std::set<std::string> fields;
  for (const auto& e : bad.body["errors"]) fields.insert(e["field"].get<std::string>());
  EXPECT_TRUE(fields.count("/creditor_uscc"));
  EXPECT_TRUE(fields.count("/debtor_uscc"));
  EXPECT_TRUE(fields.count("/amount_fen"));
  EXPECT_TRUE(fields.count("/due_date"));
}

// Seed 002 §5.1.2: one receivable financed three times. Three banks pledge it at the same moment;
// exactly one succeeds, two get 409 naming the winner's log index, and the log holds one pledge.
TEST_F(RegistryTest, ThreeBanksFinanceOneReceivableAtOnceAndOnlyOneWins) {
  auto asset = RegisterReceivable("HT-2025-777");
  ASSERT_EQ(asset.status, 201);
  const std::string path =
      "/api/v1/registry/assets/" + std::to_string(asset.body["id"].get<int64_t>()) + "/pledges";
  std::vector<Reply> replies(3);
  {
    std::vector<std::thread> threads;
    for (size_t i = 0; i < 3; ++i) {
      threads.emplace_back([&, i] {
        replies[i] = Call("POST", path, banks_[i], {{"amount_fen", 40'000'000}});
      });
    }
    for (auto& t : threads) t.join();
  }
  int won = 0;
  int64_t winner_index = -1;
  for (const auto& r : replies) {
    if (r.status == 201) {
      ++won;
      winner_index = r.body["log_entry"]["log_index"].get<int64_t>();
    }
  }
  ASSERT_EQ(won, 1);
  for (const auto& r : replies) {
    if (r.status == 201) continue;
    EXPECT_EQ(r.status, 409) << r.raw.body;
    EXPECT_NE(r.body["detail"].get<std::string>().find("log index " + std::to_string(winner_index)),
              std::string::npos)
        << r.raw.body;
  }
  // The log holds exactly one pledge entry.
  const auto cp = VerifiedCheckpoint();
  int pledges = 0;
  for (uint64_t i = 0; i < cp.size; ++i) {
    auto e = Call("GET", "/api/v1/registry/entries/" + std::to_string(i), bureau_);
    ASSERT_EQ(e.status, 200);
    if (e.body["kind"] == "receivable.pledge") ++pledges;
  }
  EXPECT_EQ(pledges, 1);
  // After release, another bank may pledge, and priority follows registration order.
  auto view =
      Call("GET", "/api/v1/registry/assets/" + std::to_string(asset.body["id"].get<int64_t>()),
           banks_[0]);
  const int64_t pledge_id = view.body["claims"][0]["id"].get<int64_t>();
  size_t winner = 0;
  for (size_t i = 0; i < 3; ++i) {
    if (replies[i].status == 201) winner = i;
  }
  EXPECT_EQ(Call("POST", "/api/v1/registry/pledges/" + std::to_string(pledge_id) + "/release",
                 banks_[(winner + 1) % 3])
                .status,
            404);  // not the pledgee
  EXPECT_EQ(Call("POST", "/api/v1/registry/pledges/" + std::to_string(pledge_id) + "/release",
                 banks_[winner])
                .status,
            200);
  EXPECT_EQ(Call("POST", path, banks_[(winner + 1) % 3], {{"amount_fen", 1}}).status, 201);
  view = Call("GET", "/api/v1/registry/assets/" + std::to_string(asset.body["id"].get<int64_t>()),
              bureau_);
  ASSERT_EQ(view.body["claims"].size(), 2u);
  EXPECT_EQ(view.body["claims"][0]["status"], "released");
  EXPECT_EQ(view.body["claims"][1]["priority"], 2);
  EXPECT_EQ(view.body["claims"][1]["status"], "active");
}

TEST_F(RegistryTest, DeliveryConfirmationSettlesTheFinancedReceivableLenderFirst) {
  auto order = Call("POST", "/api/v1/registry/assets", buyer_,
                    {{"type", "order"},
                     {"document_number", "PO-88"},
                     {"debtor_uscc", TestUscc(2)},
                     {"creditor_uscc", TestUscc(1)},
                     {"amount_fen", 80'000'000}});
  ASSERT_EQ(order.status, 201) << order.raw.body;
  const int64_t order_id = order.body["id"].get<int64_t>();
  auto receivable = RegisterReceivable("PO-88-AR", 80'000'000, order_id);
  ASSERT_EQ(receivable.status, 201) << receivable.raw.body;
  const int64_t rid = receivable.body["id"].get<int64_t>();
  ASSERT_EQ(Call("POST", "/api/v1/registry/assets/" + std::to_string(rid) + "/pledges", banks_[0],
                 {{"amount_fen", 60'000'000}})
                .status,
            201);
  // Only the buyer confirms.
  EXPECT_EQ(
      Call("POST", "/api/v1/registry/assets/" + std::to_string(order_id) + "/delivery", supplier_)
          .status,
      403);
  auto done =
      Call("POST", "/api/v1/registry/assets/" + std::to_string(order_id) + "/delivery", buyer_);
  ASSERT_EQ(done.status, 200) << done.raw.body;
  ASSERT_EQ(done.body["settlements"].size(), 1u);
  const auto& s = done.body["settlements"][0];
  EXPECT_EQ(s["lender_fen"], 60'000'000);
  EXPECT_EQ(s["supplier_fen"], 20'000'000);
  EXPECT_EQ(s["lender_fen"].get<int64_t>() + s["supplier_fen"].get<int64_t>(), 80'000'000);
  EXPECT_EQ(s["lender_tenant_id"], bank_ids_[0]);
  auto view = Call("GET", "/api/v1/registry/assets/" + std::to_string(rid), supplier_);
  EXPECT_EQ(view.body["status"], "settled");
  EXPECT_EQ(view.body["claims"][0]["status"], "settled");
  // Settled assets cannot be pledged again, and delivery is confirmed once.
  EXPECT_EQ(Call("POST", "/api/v1/registry/assets/" + std::to_string(rid) + "/pledges", banks_[1],
                 {{"amount_fen", 1}})
                .status,
            409);
  EXPECT_EQ(
      Call("POST", "/api/v1/registry/assets/" + std::to_string(order_id) + "/delivery", buyer_)
          .status,
      409);
  // The ledger holds both legs, summing to the receivable.
  auto sum = store_->Read([&](store::Connection& c) -> Result<int64_t> {
    auto q = CORRIDOR_TRY(store::Query::Make(
        c, "SELECT SUM(amount_fen) FROM ledger_entries WHERE kind LIKE 'receivable_settlement%'"));
    CORRIDOR_TRY(q.Next());
    return q.Int(0);
  });
  EXPECT_EQ(*sum, 80'000'000);
}

TEST_F(RegistryTest, PolicyActionsAreLoggedWithWhoAndWhen) {
  ASSERT_EQ(Call("POST", "/api/v1/lpr", bureau_,
                 {{"effective_date", "2025-06-20"}, {"tenor", "1y"}, {"rate_bps", 300}})
                .status,
            200);
  ASSERT_EQ(
      Call("PUT", "/api/v1/settings/entrepreneurship_spread_bps", bureau_, {{"value", 100}}).status,
      200);
  const auto cp = VerifiedCheckpoint();
  ASSERT_EQ(cp.size, 2u);
  auto e = Call("GET", "/api/v1/registry/entries/1", bureau_);
  ASSERT_EQ(e.status, 200) << e.raw.body;
  EXPECT_EQ(e.body["kind"], "policy.rule_changed");
  EXPECT_EQ(e.body["entry"]["body"]["key"], "entrepreneurship_spread_bps");
  EXPECT_EQ(e.body["entry"]["actor"]["role"], "bureau_admin");
  EXPECT_EQ(e.body["entry"]["time_us"], clock_.NowMicros());
  // An enterprise that is no party does not see the entry; it looks missing.
  EXPECT_EQ(Call("GET", "/api/v1/registry/entries/1", supplier_).status, 404);
}

TEST_F(RegistryTest, ProofsFromTheApiVerifyLikeAnAuditorWould) {
  std::vector<registry::Checkpoint> seen;
  for (int i = 0; i < 20; ++i) {
    ASSERT_EQ(RegisterReceivable("AR-" + std::to_string(i)).status, 201);
    if (i % 6 == 0) seen.push_back(VerifiedCheckpoint());
  }
  const auto cp = VerifiedCheckpoint();
  ASSERT_EQ(cp.size, 20u);
  for (uint64_t i = 0; i < cp.size; ++i) {
    auto entry = Call("GET", "/api/v1/registry/entries/" + std::to_string(i), supplier_);
    ASSERT_EQ(entry.status, 200);
    const auto data = *registry::FromHex(entry.body["leaf_data_hex"].get<std::string>());
    EXPECT_TRUE(data.starts_with("corridor-log-entry/v1\n"));
    const auto leaf = registry::LeafHash(registry::AsBytes(data));
    auto proof =
        Call("GET",
             "/api/v1/registry/proofs/inclusion?index=" + std::to_string(i) + "&tree_size=20", "");
    ASSERT_EQ(proof.status, 200);
    EXPECT_TRUE(registry::VerifyInclusion(i, 20, leaf, Proof(proof.body), cp.root).valid);
    // By leaf hash, too.
    auto by_hash =
        Call("GET", "/api/v1/registry/proofs/inclusion?leaf_hash=" + registry::ToHex(leaf), "");
    ASSERT_EQ(by_hash.status, 200);
    EXPECT_EQ(by_hash.body["leaf_index"], i);
  }
  for (const auto& old : seen) {
    auto proof = Call(
        "GET",
        "/api/v1/registry/proofs/consistency?first=" + std::to_string(old.size) + "&second=20", "");
    ASSERT_EQ(proof.status, 200) << proof.raw.body;
    EXPECT_TRUE(
        registry::VerifyConsistency(old.size, 20, old.root, cp.root, Proof(proof.body)).valid);
  }
  EXPECT_EQ(Call("GET", "/api/v1/registry/proofs/consistency?first=0&second=20", "").status, 422);
  EXPECT_EQ(Call("GET", "/api/v1/registry/proofs/consistency?first=5&second=4", "").status, 422);
  EXPECT_EQ(Call("GET", "/api/v1/registry/proofs/inclusion?index=3&tree_size=21", "").status, 404);
  EXPECT_EQ(Call("GET", "/api/v1/registry/proofs/inclusion?index=x", "").status, 422);
}

}  // namespace
}  // namespace corridor::testing
