// A supply-chain ecosystem through the API: its risk graph built from the platform's own loans,
// guarantees, orders and receivables; the strongest risk paths; the core enterprise's 30% cap on
// the ecosystem's financing; risk pools funded and drawn to the fen, logged.
//
// The ecosystem (capital in fen): core C 10,000,000 (a battery maker); suppliers S1 2,000,000
// and S2 1,000,000 sell to C; S3 500,000 sells to S1; Bank A 50,000,000 lends S1 1,000,000
// (half guaranteed by G, 4,000,000), S2 2,000,000, S3 500,000, then C. Receivables: S1 holds
// 1,000,000 on C, S3 400,000 on S1. Impacts min(1, claim/capital): S1 on C 0.5, S3 on S1 0.8,
// G on S1 0.125, Bank on C 0.03, on S1 0.01, on S2 0.04, on S3 0.01.
#include "api_fixture.hpp"

namespace corridor::testing {
namespace {

class EcosystemTest : public ApiFixture {
 protected:
  void SetUp() override {
    ApiFixture::SetUp();
    std::tie(bank_id_, bank_) = Onboard("bank", "Bank A", "bank_officer");
    std::tie(guarantor_id_, guarantor_) =
        Onboard("guarantor", "Chifeng Guarantee", "guarantee_officer");
    std::tie(analyst_id_, analyst_) = Onboard("bureau", "Risk office", "risk_analyst");
    for (int i = 0; i < 4; ++i) {
      auto [id, token] = Enterprise(i + 1, "manufacturing");
      ids_[i] = id;
      tokens_[i] = token;
    }
    auto eco = Call("POST", "/api/v1/ecosystems", bureau_,
                    {{"name", "Battery chain"},
                     {"core_enterprise_id", ids_[0]},
                     {"core_capital_fen", 10'000'000}});
    ASSERT_EQ(eco.status, 201) << eco.raw.body;
    eco_ = "/api/v1/ecosystems/" + std::to_string(eco.body["id"].get<int64_t>());
    const int64_t capital[] = {0, 2'000'000, 1'000'000, 500'000};
    for (int i = 1; i < 4; ++i) {
      ASSERT_EQ(Call("POST", eco_ + "/members", bureau_,
                     {{"enterprise_id", ids_[i]}, {"capital_fen", capital[i]}})
                    .status,
                201);
    }
    ASSERT_EQ(Call("POST", eco_ + "/members", bureau_,
                   {{"tenant_id", bank_id_}, {"capital_fen", 50'000'000}})
                  .status,
              201);
    ASSERT_EQ(Call("POST", eco_ + "/members", bureau_,
                   {{"tenant_id", guarantor_id_}, {"capital_fen", 4'000'000}})
                  .status,
              201);
    Trade("order", 0, 1, 6'000'000);
    Trade("order", 0, 2, 4'000'000);
    Trade("order", 1, 3, 1'000'000);
    Trade("receivable", 0, 1, 1'000'000);
    Trade("receivable", 1, 3, 400'000);
    const int64_t s1 = AcceptedOffer(bank_, tokens_[1], 1'000'000, 12, 450, "equal_installment");
    const int64_t request = ApprovedGuarantee(bank_, guarantor_, guarantor_id_, s1, 5000);
    ASSERT_EQ(Book(s1, request).status, 201);
    ASSERT_EQ(
        Book(AcceptedOffer(bank_, tokens_[2], 2'000'000, 12, 450, "equal_installment")).status,
        201);
    ASSERT_EQ(Book(AcceptedOffer(bank_, tokens_[3], 500'000, 12, 450, "equal_installment")).status,
              201);
  }

  void Trade(const std::string& kind, int buyer, int supplier, int64_t amount) {
    auto r = Call("POST", eco_ + "/trades", bureau_,
                  {{"kind", kind},
                   {"buyer_enterprise_id", ids_[buyer]},
                   {"supplier_enterprise_id", ids_[supplier]},
                   {"amount_fen", amount}});
    ASSERT_EQ(r.status, 201) << r.raw.body;
  }

  Reply Book(int64_t offer, int64_t request = 0) {
    Json body{{"offer_id", offer}, {"start_date", "2025-06-01"}};
    if (request) body["guarantee_request_id"] = request;
    return Call("POST", "/api/v1/loans", bank_, body);
  }

  std::string Node(int i) const { return "enterprise-" + std::to_string(ids_[i]); }

  static const Json& Find(const Json& nodes, const std::string& id) {
    for (const auto& n : nodes) {
      if (n["id"] == id) return n;
    }
    static const Json none;
    ADD_FAILURE() << "no node " << id;
    return none;
  }

  int64_t bank_id_ = 0, guarantor_id_ = 0, analyst_id_ = 0;
  std::string bank_, guarantor_, analyst_, eco_;
  int64_t ids_[4] = {};
  std::string tokens_[4];
};

TEST_F(EcosystemTest, CoreEnterpriseIsCappedAtThirtyPercentOfFinancing) {
  // Financing so far 3,500,000; the core may take x with x ≤ 0.3 (3,500,000 + x), x ≤ 1,500,000.
  auto before = Call("GET", eco_ + "/graph", analyst_);
  ASSERT_EQ(before.status, 200) << before.raw.body;
  EXPECT_EQ(before.body["ecosystem"]["financing_fen"], 3'500'000);
  EXPECT_EQ(before.body["ecosystem"]["core_headroom_fen"], 1'500'000);
  const int64_t big = AcceptedOffer(bank_, tokens_[0], 2'000'000, 12, 450, "equal_installment");
  auto refused = Book(big);
  ASSERT_EQ(refused.status, 422) << refused.raw.body;
  EXPECT_EQ(refused.body["errors"][0]["field"], "/offer_id");
  const std::string message = refused.body["errors"][0]["message"];
  EXPECT_NE(message.find("36.36%"), std::string::npos) << message;  // 2,000,000 / 5,500,000
  EXPECT_NE(message.find("1500000 fen"), std::string::npos) << message;
  // Nothing was booked: the offer is still accepted, financing unchanged.
  EXPECT_EQ(Call("GET", "/api/v1/offers/" + std::to_string(big), bank_).body["status"], "accepted");
  // Exactly 30% is allowed.
  const int64_t fits = AcceptedOffer(bank_, tokens_[0], 1'500'000, 12, 450, "equal_installment");
  ASSERT_EQ(Book(fits).status, 201);
  auto after = Call("GET", eco_ + "/graph", analyst_);
  EXPECT_EQ(after.body["ecosystem"]["financing_fen"], 5'000'000);
  EXPECT_EQ(after.body["ecosystem"]["core_share"], 0.3);
  EXPECT_EQ(after.body["ecosystem"]["core_headroom_fen"], 0);
  // Members other than the core are not capped.
  ASSERT_EQ(Book(AcceptedOffer(bank_, tokens_[2], 9'000'000, 12, 450, "equal_installment")).status,
            201);
}

TEST_F(EcosystemTest, GraphCarriesClaimsOrdersAndDebtRank) {
  ASSERT_EQ(Book(AcceptedOffer(bank_, tokens_[0], 1'500'000, 12, 450, "equal_installment")).status,
            201);
  auto g = Call("GET", eco_ + "/graph?shock=" + Node(0) + "&drop=0.4", analyst_);
  ASSERT_EQ(g.status, 200) << g.raw.body;
  const Json& nodes = g.body["nodes"];
  ASSERT_EQ(nodes.size(), 6u);
  EXPECT_EQ(g.body["ecosystem"]["core"], Node(0));
  // Edges: the bank's claim on S1 is what the guarantee leaves uncovered.
  int64_t bank_on_s1 = -1, guarantor_on_s1 = -1, receivable = -1;
  for (const auto& e : g.body["edges"]) {
    if (e["kind"] == "loan" && e["target"] == Node(1)) bank_on_s1 = e["amount_fen"];
    if (e["kind"] == "guarantee") guarantor_on_s1 = e["amount_fen"];
    if (e["kind"] == "receivable" && e["source"] == Node(1)) {
      receivable = e["amount_fen"];
      EXPECT_EQ(e["target"], Node(0));
      EXPECT_EQ(e["impact"], 0.5);
    }
  }
  EXPECT_EQ(bank_on_s1, 500'000);
  EXPECT_EQ(guarantor_on_s1, 500'000);
  EXPECT_EQ(receivable, 1'000'000);
  // The core's default, original DebtRank by hand: round 1 S1 0.5, Bank 0.03; round 2 S1 passes
  // 0.5: S3 0.4, G 0.0625, Bank +0.005; round 3 S3 passes 0.4: Bank +0.004 → 0.039. Weighted by
  // capital (67,500,000): (2M·0.5 + 0.5M·0.4 + 50M·0.039 + 4M·0.0625)/67.5M = 3.4/67.5.
  const Json& core = Find(nodes, Node(0));
  EXPECT_NEAR(core["debtrank"].get<double>(), 3.4 / 67.5, 1e-12);
  EXPECT_EQ(core["debtrank_rank"], 1);
  EXPECT_EQ(core["core"], true);
  EXPECT_EQ(core["borrowed_fen"], 1'500'000);
  EXPECT_EQ(core["financing_share"], 0.3);
  // Direct impact of C: its creditors S1 (0.5 × 2/67.5) and Bank (0.03 × 50/67.5).
  EXPECT_NEAR(core["direct_impact"].get<double>(), (1.0 + 1.5) / 67.5, 1e-12);
  // Stress transmission: C's orders fall 40%; S1 and S2 sell only to C (tier 1), S3 only to S1
  // (tier 2): each loses 40% of its orders, as in seed 002's battery chain.
  EXPECT_EQ(Find(nodes, Node(1))["tier"], 1);
  EXPECT_NEAR(Find(nodes, Node(2))["order_drop"].get<double>(), 0.4, 1e-15);
  EXPECT_EQ(Find(nodes, Node(3))["tier"], 2);
  EXPECT_NEAR(Find(nodes, Node(3))["order_drop"].get<double>(), 0.4, 1e-15);
  EXPECT_TRUE(g.body["notes"].empty());
  // Bad parameters name the field.
  auto bad = Call("GET", eco_ + "/graph?shock=" + Node(0) + "&drop=1.5", analyst_);
  EXPECT_EQ(bad.status, 422);
  EXPECT_EQ(bad.body["errors"][0]["field"], "/drop");
  EXPECT_EQ(Call("GET", eco_ + "/graph?shock=enterprise-999&drop=0.1", analyst_)
                .body["errors"][0]["field"],
            "/shock");
}

TEST_F(EcosystemTest, StrongestPathsToEachLender) {
  ASSERT_EQ(Book(AcceptedOffer(bank_, tokens_[0], 1'500'000, 12, 450, "equal_installment")).status,
            201);
  auto p = Call("GET", eco_ + "/paths?from=" + Node(0), analyst_);
  ASSERT_EQ(p.status, 200) << p.raw.body;
  ASSERT_EQ(p.body["paths"].size(), 2u);  // strongest first
  // Bank A: the direct loan (0.03) is stronger than C → S1 → Bank (0.5 × 0.01).
  const Json& bank = p.body["paths"][1];
  EXPECT_EQ(bank["lender"], "bank-" + std::to_string(bank_id_));
  EXPECT_EQ(bank["exposure_fen"], 500'000 + 2'000'000 + 500'000 + 1'500'000);
  EXPECT_NEAR(bank["strength"].get<double>(), 0.03, 1e-15);
  EXPECT_NEAR(bank["stress"].get<double>(), 0.039, 1e-15);
  ASSERT_EQ(bank["hops"].size(), 1u);
  EXPECT_EQ(bank["hops"][0]["amount_fen"], 1'500'000);
  // G: C → S1 (receivable 1,000,000, impact 0.5) → G (guarantee 500,000, impact 0.125).
  const Json& g = p.body["paths"][0];
  EXPECT_EQ(g["kind"], "guarantor");
  EXPECT_NEAR(g["strength"].get<double>(), 0.0625, 1e-15);
  EXPECT_NEAR(g["stress"].get<double>(), 0.0625, 1e-15);
  ASSERT_EQ(g["hops"].size(), 2u);
  EXPECT_EQ(g["hops"][0]["creditor"], Node(1));
  EXPECT_EQ(g["hops"][0]["kinds"], Json::array({"receivable"}));
  EXPECT_EQ(g["hops"][0]["amount_fen"], 1'000'000);
  EXPECT_EQ(g["hops"][1]["amount_fen"], 500'000);
  EXPECT_EQ(g["hops"][1]["impact"], 0.125);
  // From S2, nobody but the bank is reached; the guarantor is listed as unreachable.
  auto s2 = Call("GET", eco_ + "/paths?from=" + Node(2), analyst_);
  ASSERT_EQ(s2.body["paths"].size(), 1u);
  EXPECT_EQ(s2.body["unreachable"], Json::array({"guarantor-" + std::to_string(guarantor_id_)}));
  EXPECT_EQ(Call("GET", eco_ + "/paths", analyst_).body["errors"][0]["field"], "/from");
  EXPECT_EQ(Call("GET", eco_ + "/paths?from=nobody", analyst_).status, 422);
}

TEST_F(EcosystemTest, ReceivablesInTheRegistryAreClaims) {
  // S2 registers a 300,000 fen invoice on C in the registry: a claim of S2 on C, impact 0.3 of
  // S2's 1,000,000; once settled on delivery it is gone from the graph.
  auto asset = Call("POST", "/api/v1/registry/assets", tokens_[2],
                    {{"type", "receivable"},
                     {"document_type", "invoice"},
                     {"document_number", "INV-ECO-1"},
                     {"debtor_uscc", TestUscc(1)},
                     {"creditor_uscc", TestUscc(3)},
                     {"amount_fen", 300'000},
                     {"due_date", "2025-12-31"}});
  ASSERT_EQ(asset.status, 201) << asset.raw.body;
  auto g = Call("GET", eco_ + "/graph", analyst_);
  int found = 0;
  for (const auto& e : g.body["edges"]) {
    if (e["kind"] != "registry_receivable") continue;
    ++found;
    EXPECT_EQ(e["source"], Node(2));
    EXPECT_EQ(e["target"], Node(0));
    EXPECT_EQ(e["amount_fen"], 300'000);
    EXPECT_EQ(e["impact"], 0.3);
  }
  EXPECT_EQ(found, 1);
  EXPECT_EQ(Find(g.body["nodes"], Node(0))["owed_fen"], 1'000'000 + 300'000);
}

TEST_F(EcosystemTest, LendersOutsideTheEcosystemShowExposureWithoutStress) {
  // Bank B, not a member, lends S2 1,000,000: its exposure is in the graph, its stress is not
  // measured (no capital), and a note says so; paths still reach it.
  auto [b_id, b] = Onboard("bank", "Bank B", "bank_officer");
  const int64_t offer = AcceptedOffer(b, tokens_[2], 1'000'000, 12, 450, "equal_installment");
  ASSERT_EQ(
      Call("POST", "/api/v1/loans", b, {{"offer_id", offer}, {"start_date", "2025-06-01"}}).status,
      201);
  auto g = Call("GET", eco_ + "/graph", analyst_);
  ASSERT_EQ(g.status, 200);
  const Json& node = Find(g.body["nodes"], "bank-" + std::to_string(b_id));
  EXPECT_EQ(node["member"], false);
  EXPECT_TRUE(node["capital_fen"].is_null());
  EXPECT_EQ(node["claims_fen"], 1'000'000);
  ASSERT_EQ(g.body["notes"].size(), 1u);
  EXPECT_EQ(g.body["ecosystem"]["financing_fen"], 4'500'000);
  auto p = Call("GET", eco_ + "/paths?from=" + Node(2), analyst_);
  bool found = false;
  for (const auto& path : p.body["paths"]) {
    if (path["lender"] != "bank-" + std::to_string(b_id)) continue;
    found = true;
    EXPECT_TRUE(path["stress"].is_null());
    EXPECT_EQ(path["strength"], 1.0);  // impact 1 without capital
    EXPECT_TRUE(path["hops"][0]["impact"].is_null());
  }
  EXPECT_TRUE(found);
  auto list = Call("GET", "/api/v1/ecosystems", analyst_);
  ASSERT_EQ(list.body["items"].size(), 1u);
  EXPECT_EQ(list.body["items"][0]["members"], 6);
}

TEST_F(EcosystemTest, OnlyOversightReadsAndOnlyPartiesRecordTrade) {
  EXPECT_EQ(Call("GET", eco_ + "/graph", bank_).status, 403);
  EXPECT_EQ(Call("GET", eco_ + "/paths?from=" + Node(0), tokens_[0]).status, 403);
  EXPECT_EQ(Call("GET", "/api/v1/ecosystems/999/graph", analyst_).status, 404);
  EXPECT_EQ(Call("POST", "/api/v1/ecosystems", bank_,
                 {{"name", "x"}, {"core_enterprise_id", ids_[0]}, {"core_capital_fen", 1}})
                .status,
            403);
  // An enterprise records trade it is a party to, and only that.
  auto own = Call("POST", eco_ + "/trades", tokens_[3],
                  {{"kind", "order"},
                   {"buyer_enterprise_id", ids_[1]},
                   {"supplier_enterprise_id", ids_[3]},
                   {"amount_fen", 10}});
  EXPECT_EQ(own.status, 201) << own.raw.body;
  auto other = Call("POST", eco_ + "/trades", tokens_[3],
                    {{"kind", "order"},
                     {"buyer_enterprise_id", ids_[0]},
                     {"supplier_enterprise_id", ids_[1]},
                     {"amount_fen", 10}});
  EXPECT_EQ(other.status, 403);
  auto [outsider, outsider_token] = Enterprise(9, "manufacturing");
  auto non_member = Call("POST", eco_ + "/trades", bureau_,
                         {{"kind", "order"},
                          {"buyer_enterprise_id", ids_[0]},
                          {"supplier_enterprise_id", outsider},
                          {"amount_fen", 10}});
  EXPECT_EQ(non_member.status, 422);
  EXPECT_EQ(non_member.body["errors"][0]["field"], "/supplier_enterprise_id");
  auto twice =
      Call("POST", eco_ + "/members", bureau_, {{"enterprise_id", ids_[1]}, {"capital_fen", 1}});
  EXPECT_EQ(twice.status, 409);
  auto both = Call("POST", eco_ + "/members", bureau_,
                   {{"enterprise_id", outsider}, {"tenant_id", bank_id_}, {"capital_fen", 1}});
  EXPECT_EQ(both.status, 422);
}

TEST_F(EcosystemTest, RiskPoolsAreAccountsSplitToTheFen) {
  auto pool = Call("POST", "/api/v1/risk-pools", bureau_,
                   {{"name", "Chain compensation pool"}, {"scheme", "compensation_pool"}});
  ASSERT_EQ(pool.status, 201) << pool.raw.body;
  const std::string path = "/api/v1/risk-pools/" + std::to_string(pool.body["id"].get<int64_t>());
  auto funded = Call("POST", path + "/fundings", bureau_, {{"amount_fen", 1'000'000}});
  ASSERT_EQ(funded.status, 201) << funded.raw.body;
  EXPECT_EQ(funded.body["shares"][0]["party"], "government");
  // A loss of 1,000,001 fen splits 3 : 4 : 3 as 300,000 / 400,001 / 300,000 (the fen left over
  // goes to the largest remainder, 0.4); the pool pays the government's 300,000.
  auto drawn = Call("POST", path + "/draws", bureau_, {{"loss_fen", 1'000'001}});
  ASSERT_EQ(drawn.status, 201) << drawn.raw.body;
  EXPECT_EQ(drawn.body["amount_fen"], 300'000);
  EXPECT_EQ(drawn.body["shares"][1]["amount_fen"], 400'001);
  EXPECT_EQ(drawn.body["balance_fen"], 700'000);
  auto entry = Call(
      "GET", "/api/v1/registry/entries/" + std::to_string(drawn.body["log_index"].get<int64_t>()),
      bureau_);
  ASSERT_EQ(entry.status, 200) << entry.raw.body;
  EXPECT_EQ(entry.body["kind"], "risk_pool.drawn");

  // The reserve pool is funded 1 : 2 : 3: 600,001 fen → 100,000 / 200,000 / 300,001.
  auto reserve = Call("POST", "/api/v1/risk-pools", bureau_,
                      {{"name", "Reserve"}, {"scheme", "reserve_pool"}});
  const std::string rpath =
      "/api/v1/risk-pools/" + std::to_string(reserve.body["id"].get<int64_t>());
  auto rf = Call("POST", rpath + "/fundings", bureau_, {{"amount_fen", 600'001}});
  ASSERT_EQ(rf.status, 201) << rf.raw.body;
  EXPECT_EQ(rf.body["shares"],
            Json::parse(R"([{"party":"government","amount_fen":100000},)"
                        R"({"party":"core_firm","amount_fen":200000},)"
                        R"({"party":"financial_institutions","amount_fen":300001}])"));
  // It is never overdrawn, and a refused draw changes nothing.
  auto over = Call("POST", rpath + "/draws", bureau_, {{"loss_fen", 600'002}});
  ASSERT_EQ(over.status, 422);
  EXPECT_EQ(over.body["errors"][0]["field"], "/loss_fen");
  auto r = Call("GET", rpath, analyst_);
  EXPECT_EQ(r.body["balance_fen"], 600'001);
  EXPECT_EQ(r.body["movements"].size(), 1u);
  EXPECT_EQ(Call("POST", rpath + "/draws", bureau_, {{"loss_fen", 600'001}}).status, 201);
  EXPECT_EQ(Call("GET", rpath, analyst_).body["balance_fen"], 0);

  // The R&D failure fund pays 60%: a loss of 200 needs 120 of a pool holding 100.
  auto fund = Call("POST", "/api/v1/risk-pools", bureau_,
                   {{"name", "R&D"}, {"scheme", "rnd_failure_fund"}});
  const std::string fpath = "/api/v1/risk-pools/" + std::to_string(fund.body["id"].get<int64_t>());
  ASSERT_EQ(Call("POST", fpath + "/fundings", bureau_, {{"amount_fen", 100}}).status, 201);
  EXPECT_EQ(Call("POST", fpath + "/draws", bureau_, {{"loss_fen", 200}}).status, 422);
  auto paid = Call("POST", fpath + "/draws", bureau_, {{"loss_fen", 150}});
  ASSERT_EQ(paid.status, 201);
  EXPECT_EQ(paid.body["amount_fen"], 90);

  auto list = Call("GET", "/api/v1/risk-pools", analyst_);
  ASSERT_EQ(list.body["items"].size(), 3u);
  EXPECT_EQ(list.body["items"][0]["drawn_fen"], 300'000);
  // Only the bureau moves money; schemes are checked.
  EXPECT_EQ(Call("POST", path + "/fundings", bank_, {{"amount_fen", 1}}).status, 403);
  EXPECT_EQ(Call("GET", "/api/v1/risk-pools", bank_).status, 403);
  auto bad = Call("POST", "/api/v1/risk-pools", bureau_, {{"name", "x"}, {"scheme", "lottery"}});
  EXPECT_EQ(bad.body["errors"][0]["field"], "/scheme");
  auto split_party =
      Call("POST", rpath + "/fundings", bureau_, {{"amount_fen", 6}, {"party", "me"}});
  EXPECT_EQ(split_party.body["errors"][0]["field"], "/party");
}

// A loss of 1 fen splits 3 : 4 : 3 as 0 / 1 / 0 (largest remainder): the pool's share is 0 fen, a
// legitimate draw that moves nothing, not a store error reaching the client.
TEST_F(EcosystemTest, ASmallLossSplitsWithZeroShares) {
  auto pool = Call("POST", "/api/v1/risk-pools", bureau_,
                   {{"name", "Chain compensation pool"}, {"scheme", "compensation_pool"}});
  const std::string path = "/api/v1/risk-pools/" + std::to_string(pool.body["id"].get<int64_t>());
  ASSERT_EQ(Call("POST", path + "/fundings", bureau_, {{"amount_fen", 1'000}}).status, 201);
  auto drawn = Call("POST", path + "/draws", bureau_, {{"loss_fen", 1}});
  ASSERT_EQ(drawn.status, 201) << drawn.raw.body;
  EXPECT_EQ(drawn.body["amount_fen"], 0);
  EXPECT_EQ(drawn.body["shares"][1]["amount_fen"], 1);
  EXPECT_EQ(drawn.body["balance_fen"], 1'000);
  // 2 fen: 0.6 / 0.8 / 0.6 → 1 / 1 / 0 (remainders 0.8 and the first 0.6 win).
  auto two = Call("POST", path + "/draws", bureau_, {{"loss_fen", 2}});
  ASSERT_EQ(two.status, 201) << two.raw.body;
  EXPECT_EQ(two.body["amount_fen"], 1);
  auto pool_now = Call("GET", path, bureau_);
  EXPECT_EQ(pool_now.body["drawn_fen"], 1);
  EXPECT_EQ(pool_now.body["balance_fen"], 999);
}

// Numbers beyond int64 are out of range like any other, never clamped to INT64_MAX; amounts have
// bounds that fit real balance sheets.
TEST_F(EcosystemTest, IntegersBeyondRangeAreRefusedNamingTheField) {
  const auto body = Json::parse(
      R"({"name": "x", "core_enterprise_id": 1, "core_capital_fen": 9223372036854775808})");
  auto huge = Call("POST", "/api/v1/ecosystems", bureau_, body);
  ASSERT_EQ(huge.status, 422) << huge.raw.body;
  EXPECT_EQ(huge.body["errors"][0]["field"], "/core_capital_fen");
  auto beyond = Call("POST", "/api/v1/ecosystems", bureau_,
                     {{"name", "x"},
                      {"core_enterprise_id", 1},
                      {"core_capital_fen", int64_t{9'223'372'036'854'775'807}}});
  ASSERT_EQ(beyond.status, 422) << beyond.raw.body;
  EXPECT_EQ(beyond.body["errors"][0]["field"], "/core_capital_fen");
  auto fraction = Call("POST", "/api/v1/ecosystems", bureau_,
                       Json::parse(R"({"name": "x", "core_enterprise_id": 1,
                                       "core_capital_fen": 1e30})"));
  EXPECT_EQ(fraction.status, 422);
  EXPECT_EQ(fraction.body["errors"][0]["field"], "/core_capital_fen");
}

}  // namespace
}  // namespace corridor::testing
